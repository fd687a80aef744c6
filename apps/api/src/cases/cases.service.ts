/**
 * Opening, reading and editing cases and their timelines. Every method takes the caller first
 * and reaches only cases the caller holds a grant for; every write runs in one transaction with
 * its audit event, under a lock on the case row, so concurrent writes to one case serialise and
 * a refused write leaves nothing behind.
 */
import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  isAllowedTransition,
  transitionNeedsReason,
  type CaseDetail,
  type ChangeStatusResponse,
  type CreateCaseResponse,
  type CaseVersionResponse,
  type EntryVersionResponse,
  type ParsedBody,
  type Routes,
} from '@haven/contracts';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { newCaseCode } from './case-code';
import { CaseStore, rows, TODAY_SQL, type CaseRow } from './case-store';
import {
  encodeBase64Url,
  grantEnvelope,
  recordEnvelope,
  rotationDue,
  staleWrite,
} from './envelopes';

type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;

/** Several people may be named twice (creator = assignee); each blind index counts once. */
function uniqueIndexes(indexes: readonly { kind: string; digest: string }[]) {
  const seen = new Map<string, { kind: string; digest: Buffer }>();
  for (const i of indexes)
    seen.set(`${i.kind}:${i.digest}`, { kind: i.kind, digest: Buffer.from(i.digest, 'hex') });
  return [...seen.values()];
}

@Injectable()
export class CasesService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditService,
  ) {}

  private actor(caller: Caller) {
    return { id: caller.userId, role: caller.role };
  }

  async create(caller: Caller, body: Body<'createCase'>): Promise<CreateCaseResponse> {
    const assigneeId =
      body.assigneeId === undefined
        ? caller.role === 'caseworker'
          ? caller.userId
          : null
        : body.assigneeId;
    const profile = recordEnvelope(body.profile, 'profile', 1);
    const summary = recordEnvelope(body.summary, 'summary', 1);
    const granteeIds = body.grants.map((g) => g.userId);
    if (new Set(granteeIds).size !== granteeIds.length) {
      throw new BadRequestException('grants: each person may be named once');
    }
    for (const required of [caller.userId, body.supervisorId, assigneeId]) {
      if (required && !granteeIds.includes(required)) {
        throw new BadRequestException(
          'grants: the case key must be sealed to you, the supervisor and the assignee',
        );
      }
    }
    const grants = body.grants.map((g, i) => ({
      userId: g.userId,
      envelope: grantEnvelope(g.envelope, `grants.${i}.envelope`, {
        scope: 'case',
        subjectId: body.id,
        version: 1,
        granteeId: g.userId,
        granterId: caller.userId,
      }),
    }));
    const indexes = uniqueIndexes(body.blindIndexes);

    return this.store.dataSource.transaction(async (m) => {
      await this.store.requireGrantees(m, [body.supervisorId], 'supervisorId', ['coordinator']);
      if (assigneeId) {
        await this.store.requireGrantees(m, [assigneeId], 'assigneeId', ['caseworker']);
      }
      await this.store.requireGrantees(m, granteeIds, 'grants');

      const code = await this.insertCase(m, {
        id: body.id,
        priority: body.priority,
        assigneeId,
        supervisorId: body.supervisorId,
        profile,
        summary,
      });
      await m.query(
        `INSERT INTO case_grant (case_id, user_id, key_version, envelope, granted_by, created_on)
         SELECT $1, g.user_id, 1, g.envelope, $2, ${TODAY_SQL}
           FROM unnest($3::uuid[], $4::bytea[]) AS g(user_id, envelope)`,
        [body.id, caller.userId, grants.map((g) => g.userId), grants.map((g) => g.envelope)],
      );
      if (indexes.length > 0) {
        await m.query(
          `INSERT INTO case_blind_index (case_id, kind, digest)
           SELECT $1, i.kind, i.digest FROM unnest($2::text[], $3::bytea[]) AS i(kind, digest)`,
          [body.id, indexes.map((i) => i.kind), indexes.map((i) => i.digest)],
        );
      }
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: 'case.create',
        target: code,
        outcome: 'ok',
      });
      return { id: body.id, code, version: 1 };
    });
  }

  /** Inserts the case row under a fresh random code (drawing again on the rare collision). */
  private async insertCase(
    m: EntityManager,
    c: {
      id: string;
      priority: string;
      assigneeId: string | null;
      supervisorId: string;
      profile: Buffer;
      summary: Buffer;
    },
  ): Promise<string> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const code = newCaseCode();
      const inserted = await rows<{ code: string }>(
        m,
        `INSERT INTO case_file (id, code, status, priority, assignee_id, supervisor_id,
                                key_version, profile_envelope, summary_envelope, version,
                                created_on, updated_on)
         VALUES ($1, $2, 'new', $3, $4, $5, 1, $6, $7, 1, ${TODAY_SQL}, ${TODAY_SQL})
         ON CONFLICT DO NOTHING
         RETURNING code`,
        [c.id, code, c.priority, c.assigneeId, c.supervisorId, c.profile, c.summary],
      );
      if (inserted[0]) return inserted[0].code;
      const taken = await rows(m, 'SELECT 1 FROM case_file WHERE id = $1', [c.id]);
      if (taken.length > 0) {
        throw new ConflictException('A case with this id exists already: generate a new id');
      }
    }
    throw new Error('could not draw an unused case code');
  }

  async read(caller: Caller, code: string): Promise<CaseDetail> {
    return this.store.withCase(
      caller,
      code,
      'case.read',
      async (m, row) => {
        const content = await rows<{ profile: Buffer; summary: Buffer }>(
          m,
          `SELECT profile_envelope AS profile, summary_envelope AS summary
             FROM case_file WHERE id = $1`,
          [row.id],
        );
        const grants = await this.store.grants(m, row.id);
        const entries = await this.store.entries(m, row.id);
        await this.audit.record(m, {
          actor: this.actor(caller),
          action: 'case.read',
          target: row.code,
          outcome: 'ok',
        });
        return {
          ...this.metadata(row),
          myGrant: encodeBase64Url(row.my_grant),
          profile: encodeBase64Url(content[0].profile),
          summary: encodeBase64Url(content[0].summary),
          grants,
          entries,
        };
      },
      { lock: false },
    );
  }

  metadata(row: CaseRow) {
    return {
      id: row.id,
      code: row.code,
      status: row.status,
      priority: row.priority,
      assigneeId: row.assignee_id,
      supervisorId: row.supervisor_id,
      keyVersion: row.key_version,
      version: row.version,
      createdOn: row.created_on,
      updatedOn: row.updated_on,
      closedOn: row.closed_on,
      rotationDue: row.rotation_due,
      shareConsentOn: row.share_consent_on,
    };
  }

  async update(
    caller: Caller,
    code: string,
    body: Body<'updateCase'>,
  ): Promise<CaseVersionResponse> {
    return this.store.withCase(caller, code, 'case.update', async (m, row) => {
      if (row.version !== body.expectedVersion) throw staleWrite();
      const writesContent = body.profile !== undefined || body.blindIndexes !== undefined;
      if (writesContent && row.rotation_due) throw rotationDue();
      const profile =
        body.profile === undefined
          ? null
          : recordEnvelope(body.profile, 'profile', row.key_version);
      const summary =
        body.summary === undefined
          ? null
          : recordEnvelope(body.summary, 'summary', row.key_version);
      const updated = await rows<{ version: number; updated_on: string }>(
        m,
        `UPDATE case_file
            SET priority = coalesce($2, priority),
                profile_envelope = coalesce($3, profile_envelope),
                summary_envelope = coalesce($4, summary_envelope),
                version = version + 1,
                updated_on = ${TODAY_SQL}
          WHERE id = $1
          RETURNING version, updated_on::text AS updated_on`,
        [row.id, body.priority ?? null, profile, summary],
      );
      if (body.blindIndexes !== undefined) {
        const indexes = uniqueIndexes(body.blindIndexes);
        await m.query('DELETE FROM case_blind_index WHERE case_id = $1', [row.id]);
        await m.query(
          `INSERT INTO case_blind_index (case_id, kind, digest)
           SELECT $1, i.kind, i.digest FROM unnest($2::text[], $3::bytea[]) AS i(kind, digest)`,
          [row.id, indexes.map((i) => i.kind), indexes.map((i) => i.digest)],
        );
      }
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: 'case.update',
        target: row.code,
        outcome: 'ok',
      });
      return { version: updated[0].version, updatedOn: updated[0].updated_on };
    });
  }

  async changeStatus(
    caller: Caller,
    code: string,
    body: Body<'changeCaseStatus'>,
  ): Promise<ChangeStatusResponse> {
    return this.store.withCase(caller, code, 'case.status', async (m, row) => {
      if (row.version !== body.expectedVersion) throw staleWrite();
      if (!isAllowedTransition(row.status, body.status)) {
        throw new ConflictException(
          `A case cannot go from ${row.status} to ${body.status}. Reload to see its current status.`,
        );
      }
      if (transitionNeedsReason(row.status, body.status) && !body.note) {
        throw new BadRequestException('note: reopening a closed case needs a reason');
      }
      if (body.note) {
        if (row.rotation_due) throw rotationDue();
        await this.store.insertEntry(m, {
          id: body.note.id,
          caseId: row.id,
          kind: 'status_note',
          envelope: recordEnvelope(body.note.envelope, 'note.envelope', row.key_version),
          keyVersion: row.key_version,
          authorId: caller.userId,
          followUpOn: null,
          followUpUser: null,
        });
      }
      const updated = await rows<{ version: number; updated_on: string }>(
        m,
        `UPDATE case_file
            SET status = $2,
                closed_on = CASE WHEN $2 = 'closed' THEN ${TODAY_SQL} ELSE NULL END,
                version = version + 1,
                updated_on = ${TODAY_SQL}
          WHERE id = $1
          RETURNING version, updated_on::text AS updated_on`,
        [row.id, body.status],
      );
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: 'case.status',
        target: row.code,
        outcome: 'ok',
      });
      return { version: updated[0].version, status: body.status, updatedOn: updated[0].updated_on };
    });
  }

  /** Who follows up must hold a grant on the case (else they could not read what to do). */
  private async followUpUser(
    m: EntityManager,
    caller: Caller,
    row: CaseRow,
    followUpOn: string | null,
    followUpUserId: string | null,
  ): Promise<string | null> {
    if (followUpOn === null) return null;
    const user = followUpUserId ?? caller.userId;
    const holds = await rows(m, 'SELECT 1 FROM case_grant WHERE case_id = $1 AND user_id = $2', [
      row.id,
      user,
    ]);
    if (holds.length === 0) {
      throw new BadRequestException('followUpUserId: this person has no access to the case');
    }
    return user;
  }

  async createEntry(
    caller: Caller,
    code: string,
    body: Body<'createCaseEntry'>,
  ): Promise<EntryVersionResponse> {
    return this.store.withCase(caller, code, 'case.entry_create', async (m, row) => {
      if (row.rotation_due) throw rotationDue();
      const envelope = recordEnvelope(body.envelope, 'envelope', row.key_version);
      const followUpUser = await this.followUpUser(
        m,
        caller,
        row,
        body.followUpOn,
        body.followUpUserId,
      );
      const { ordinal } = await this.store.insertEntry(m, {
        id: body.id,
        caseId: row.id,
        kind: 'contact',
        envelope,
        keyVersion: row.key_version,
        authorId: caller.userId,
        followUpOn: body.followUpOn,
        followUpUser,
      });
      await this.store.touch(m, row.id);
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: 'case.entry_create',
        target: row.code,
        outcome: 'ok',
      });
      return { id: body.id, version: 1, ordinal };
    });
  }

  async updateEntry(
    caller: Caller,
    code: string,
    entryId: string,
    body: Body<'updateCaseEntry'>,
  ): Promise<EntryVersionResponse> {
    return this.store.withCase(caller, code, 'case.entry_update', async (m, row) => {
      const found = await rows<{ version: number; kind: string; ordinal: number }>(
        m,
        'SELECT version, kind, ordinal FROM case_entry WHERE id = $1 AND case_id = $2 FOR UPDATE',
        [entryId, row.id],
      );
      const entry = found[0];
      if (!entry) throw new NotFoundException();
      if (entry.kind !== 'contact') {
        throw new ConflictException('Status and access notes cannot be edited');
      }
      if (entry.version !== body.expectedVersion) throw staleWrite();
      if (row.rotation_due) throw rotationDue();
      const envelope = recordEnvelope(body.envelope, 'envelope', row.key_version);
      const followUpUser = await this.followUpUser(
        m,
        caller,
        row,
        body.followUpOn,
        body.followUpUserId,
      );
      const updated = await rows<{ version: number }>(
        m,
        `UPDATE case_entry
            SET envelope = $2, key_version = $3, follow_up_on = $4, follow_up_user = $5,
                version = version + 1, updated_on = ${TODAY_SQL}
          WHERE id = $1
          RETURNING version`,
        [entryId, envelope, row.key_version, body.followUpOn, followUpUser],
      );
      await this.store.touch(m, row.id);
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: 'case.entry_update',
        target: row.code,
        outcome: 'ok',
      });
      return { id: entryId, version: updated[0].version, ordinal: entry.ordinal };
    });
  }
}
