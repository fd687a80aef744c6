import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { StaffDirectoryEntry, StaffDirectoryResponse } from '@haven/contracts';
import type { DataSource } from 'typeorm';
import { encodeBase64Url } from '../cases/envelopes';

interface StaffRow {
  id: string;
  active: boolean;
  username: string;
  role: StaffDirectoryEntry['role'];
  certificate: Buffer;
  issuer_certificate: Buffer | null;
}

/**
 * The people a case key can be sealed to: caseworkers and coordinators whose keys an admin has
 * certified, each with the chain `[adminCert, cert]`. Disabled accounts stay listed (inactive)
 * so that grants they signed before can still be verified; browsers seal only to active ones.
 * The server could lie here; the browser verifies every chain against the root it pinned, so a
 * substituted key is refused.
 */
@Injectable()
export class DirectoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async staff(role?: StaffDirectoryEntry['role']): Promise<StaffDirectoryResponse> {
    const found = await this.dataSource.query<StaffRow[]>(
      `SELECT u.id, u.username, u.role, u.status = 'active' AS active, u.certificate,
              a.certificate AS issuer_certificate
         FROM app_user u
         JOIN app_user a ON a.id = u.certified_by
        WHERE u.certificate IS NOT NULL
          AND u.role = ANY($1::text[])
        ORDER BY u.username`,
      [role ? [role] : ['caseworker', 'coordinator']],
    );
    return {
      staff: found
        .filter((s) => s.issuer_certificate !== null)
        .map((s) => ({
          id: s.id,
          username: s.username,
          role: s.role,
          active: s.active,
          certificateChain: [
            encodeBase64Url(s.issuer_certificate as Buffer),
            encodeBase64Url(s.certificate),
          ],
        })),
    };
  }
}
