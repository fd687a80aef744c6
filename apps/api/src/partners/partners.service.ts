/**
 * The partner directory (docs/referrals.md): organisations a referral can go to and their
 * partner users. Admins and coordinators manage it; nothing here is about a person seeking help.
 */
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ParsedBody,
  PartnerMember,
  PartnerMembersResponse,
  PartnerOrg,
  PartnerCapacity,
  ReferralService,
  Routes,
} from '@haven/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { sql } from '../database/sql';
import { statusOf } from '../users/user-store';

type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;

interface PartnerRow {
  id: string;
  name: string;
  services: ReferralService[];
  regions: string[];
  languages: string[];
  capacity: PartnerCapacity;
  contact_instructions: string;
  active: boolean;
  created_on: string;
  member_count: string;
  certified_member_count: string;
}

const PARTNER_COLUMNS = `
  p.id, p.name, p.services, p.regions, p.languages, p.capacity, p.contact_instructions,
  p.active, p.created_on::text AS created_on,
  (SELECT count(*) FROM app_user u WHERE u.partner_org_id = p.id) AS member_count,
  (SELECT count(*) FROM app_user u WHERE u.partner_org_id = p.id AND u.status = 'active'
      AND u.certificate IS NOT NULL) AS certified_member_count`;

function toPartner(r: PartnerRow): PartnerOrg {
  return {
    id: r.id,
    name: r.name,
    services: r.services,
    regions: r.regions,
    languages: r.languages,
    capacity: r.capacity,
    contactInstructions: r.contact_instructions,
    active: r.active,
    createdOn: r.created_on,
    memberCount: Number(r.member_count),
    certifiedMemberCount: Number(r.certified_member_count),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === '23505';
}

@Injectable()
export class PartnersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(_caller: Caller): Promise<PartnerOrg[]> {
    const found = await sql<PartnerRow>(
      this.dataSource,
      `SELECT ${PARTNER_COLUMNS} FROM partner_org p ORDER BY p.active DESC, p.name`,
    );
    return found.map(toPartner);
  }

  async create(caller: Caller, body: Body<'createPartner'>): Promise<PartnerOrg> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const inserted = await sql<{ id: string }>(
          m,
          `INSERT INTO partner_org (name, services, regions, languages, capacity,
                                    contact_instructions)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [
            body.name,
            body.services,
            body.regions,
            body.languages,
            body.capacity,
            body.contactInstructions,
          ],
        );
        const id = inserted[0].id;
        await this.event(m, caller, 'partner.create', id);
        return this.one(m, id);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName();
      throw error;
    }
  }

  async update(
    caller: Caller,
    partnerId: string,
    body: Body<'updatePartner'>,
  ): Promise<PartnerOrg> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const before = await sql<{ active: boolean }>(
          m,
          'SELECT active FROM partner_org WHERE id = $1 FOR UPDATE',
          [partnerId],
        );
        if (!before[0]) throw new NotFoundException();
        await sql(
          m,
          `UPDATE partner_org SET name = $2, services = $3, regions = $4, languages = $5,
                  capacity = $6, contact_instructions = $7, active = $8
            WHERE id = $1`,
          [
            partnerId,
            body.name,
            body.services,
            body.regions,
            body.languages,
            body.capacity,
            body.contactInstructions,
            body.active,
          ],
        );
        if (before[0].active && !body.active) {
          // Links already handed out for a deactivated organisation stop working.
          await sql(m, 'DELETE FROM invitation WHERE partner_org_id = $1 AND used_at IS NULL', [
            partnerId,
          ]);
        }
        const action =
          before[0].active === body.active
            ? 'partner.update'
            : body.active
              ? 'partner.activate'
              : 'partner.deactivate';
        await this.event(m, caller, action, partnerId);
        return this.one(m, partnerId);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName();
      throw error;
    }
  }

  /**
   * The organisation's partner users. Certified, enabled members come with their certificate
   * chain (`[issuing admin's certificate, theirs]`): the coordinator's browser verifies it
   * against the pinned root and seals the packet key to exactly these people.
   */
  async members(_caller: Caller, partnerId: string): Promise<PartnerMembersResponse> {
    const found = await sql<PartnerRow>(
      this.dataSource,
      `SELECT ${PARTNER_COLUMNS} FROM partner_org p WHERE p.id = $1`,
      [partnerId],
    );
    if (!found[0]) throw new NotFoundException();
    const people = await sql<{
      id: string;
      username: string;
      status: 'active' | 'disabled';
      certificate: Buffer | null;
      issuer_certificate: Buffer | null;
    }>(
      this.dataSource,
      `SELECT u.id, u.username, u.status, u.certificate, i.certificate AS issuer_certificate
         FROM app_user u LEFT JOIN app_user i ON i.id = u.certified_by
        WHERE u.partner_org_id = $1 AND u.role = 'partner'
        ORDER BY u.username`,
      [partnerId],
    );
    const members: PartnerMember[] = people.map((u) => {
      const status = statusOf(u);
      return {
        id: u.id,
        username: u.username,
        status,
        certificateChain:
          status === 'certified' && u.certificate && u.issuer_certificate
            ? [u.issuer_certificate.toString('base64url'), u.certificate.toString('base64url')]
            : null,
      };
    });
    return { partner: toPartner(found[0]), members };
  }

  private async one(m: EntityManager, id: string): Promise<PartnerOrg> {
    const found = await sql<PartnerRow>(
      m,
      `SELECT ${PARTNER_COLUMNS} FROM partner_org p WHERE p.id = $1`,
      [id],
    );
    return toPartner(found[0]);
  }

  private async event(m: EntityManager, caller: Caller, action: string, target: string) {
    await this.audit.record(m, {
      actor: { id: caller.userId, role: caller.role },
      action,
      target,
      outcome: 'ok',
    });
  }
}

function duplicateName(): ConflictException {
  return new ConflictException('A partner organisation with this name exists already');
}
