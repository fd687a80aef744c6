/**
 * The organisation's blind-index key (docs/cases.md, "Duplicate detection"): one random key,
 * made in the browser of the first coordinator who needs it, sealed to that coordinator, then
 * sealed by coordinators who hold it to every certified caseworker and coordinator who does
 * not. The server only stores grants; it can withhold them but not forge one (a grant must be
 * signed by a certified granter, and the browser checks that).
 */
import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import {
  INDEX_KEY_ID,
  type IndexKeyGrantsResponse,
  type IndexKeyResponse,
  type ParsedBody,
  type Routes,
} from '@haven/contracts';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { CaseStore, rows, TODAY_SQL } from './case-store';
import { encodeBase64Url, grantEnvelope } from './envelopes';

/** Serialises index-key grants, so two coordinators cannot both create "the" key. */
const INDEX_KEY_LOCK = 0x68766e49; // 'hvnI'

@Injectable()
export class IndexKeyService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditService,
  ) {}

  async get(caller: Caller): Promise<IndexKeyResponse> {
    const db = this.store.dataSource;
    const version = await rows<{ version: number | null }>(
      db,
      'SELECT max(key_version) AS version FROM index_key_grant',
    );
    const mine = await rows<{ envelope: Buffer }>(
      db,
      'SELECT envelope FROM index_key_grant WHERE user_id = $1',
      [caller.userId],
    );
    let missing: string[] = [];
    if (caller.role === 'coordinator' && mine[0]) {
      const lacking = await rows<{ id: string }>(
        db,
        `SELECT u.id FROM app_user u
          WHERE u.role IN ('caseworker', 'coordinator') AND u.status = 'active'
            AND u.certificate IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM index_key_grant k WHERE k.user_id = u.id)
          ORDER BY u.id LIMIT 200`,
      );
      missing = lacking.map((u) => u.id);
    }
    return {
      version: version[0]?.version ?? null,
      grant: mine[0] ? encodeBase64Url(mine[0].envelope) : null,
      missing,
    };
  }

  async grant(
    caller: Caller,
    body: ParsedBody<Routes['grantIndexKey']>,
  ): Promise<IndexKeyGrantsResponse> {
    if (caller.role !== 'coordinator') {
      throw new ForbiddenException('Only coordinators distribute the index key');
    }
    return this.store.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [INDEX_KEY_LOCK]);
      const current = await rows<{ version: number | null; mine: boolean }>(
        m,
        `SELECT max(key_version) AS version, bool_or(user_id = $1) AS mine FROM index_key_grant`,
        [caller.userId],
      );
      const version = current[0]?.version ?? null;
      if (version === null) {
        // Creation: the very first grant, to the creating coordinator, at version 1.
        if (
          body.version !== 1 ||
          body.grants.length !== 1 ||
          body.grants[0].userId !== caller.userId
        ) {
          throw new ConflictException(
            'The index key does not exist yet: create it with one grant to yourself at version 1',
          );
        }
      } else if (body.version !== version) {
        throw new ConflictException('The index key has another version. Reload and try again.');
      } else if (!current[0]?.mine) {
        throw new ForbiddenException('Only coordinators who hold the index key can share it');
      }
      const ids = body.grants.map((g) => g.userId);
      if (new Set(ids).size !== ids.length) {
        throw new ConflictException('grants: each person may be named once');
      }
      await this.store.requireGrantees(m, ids, 'grants');
      let granted = 0;
      for (const [i, g] of body.grants.entries()) {
        const envelope = grantEnvelope(g.envelope, `grants.${i}.envelope`, {
          scope: 'index',
          subjectId: INDEX_KEY_ID,
          version: body.version,
          granteeId: g.userId,
          granterId: caller.userId,
        });
        const inserted = await rows(
          m,
          `INSERT INTO index_key_grant (user_id, key_version, envelope, granted_by, created_on)
           VALUES ($1, $2, $3, $4, ${TODAY_SQL})
           ON CONFLICT (user_id) DO NOTHING RETURNING user_id`,
          [g.userId, body.version, envelope, caller.userId],
        );
        if (inserted.length === 0) continue;
        granted += 1;
        await this.audit.record(m, {
          actor: { id: caller.userId, role: caller.role },
          action: version === null ? 'index_key.create' : 'index_key.grant',
          target: g.userId,
          outcome: 'ok',
        });
      }
      return { version: body.version, granted };
    });
  }
}
