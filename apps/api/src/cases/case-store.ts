/**
 * SQL shared by the cases services: finding (and locking) a case as a given caller sees it,
 * checking people who are to receive grants, and the mapping of rows to contract shapes. Raw SQL
 * on purpose: every query names the columns it returns, so no row ever carries more than the
 * response needs.
 */
import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CASE_CODE_PATTERN,
  type CaseEntry,
  type CaseGrantInfo,
  type CasePriority,
  type CaseStatus,
  type EntryKind,
  type StaffRole,
} from '@haven/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { sql as rows } from '../database/sql';
import { encodeBase64Url } from './envelopes';

/** Today as the API counts days: UTC, like the audit log. */
export const TODAY_SQL = `(now() AT TIME ZONE 'UTC')::date`;

/** Runs a statement and returns its rows (see database/sql.ts). */
export { rows };

/** A case as one caller sees it. */
export interface CaseRow {
  id: string;
  code: string;
  status: CaseStatus;
  priority: CasePriority;
  assignee_id: string | null;
  supervisor_id: string;
  key_version: number;
  version: number;
  created_on: string;
  updated_on: string;
  closed_on: string | null;
  /** The day the person consented to sharing with partners (docs/referrals.md). */
  share_consent_on: string | null;
  /** Set by a revocation, or implied by a grantee whose account was disabled. */
  rotation_due: boolean;
  /** The caller's grant envelope, null without one. */
  my_grant: Buffer | null;
}

const CASE_COLUMNS = `
  c.id, c.code, c.status, c.priority, c.assignee_id, c.supervisor_id, c.key_version, c.version,
  c.created_on::text AS created_on, c.updated_on::text AS updated_on,
  c.closed_on::text AS closed_on, c.share_consent_on::text AS share_consent_on,
  (c.rotation_due OR EXISTS (
     SELECT 1 FROM case_grant dg JOIN app_user du ON du.id = dg.user_id
      WHERE dg.case_id = c.id AND du.status <> 'active')) AS rotation_due,
  g.envelope AS my_grant`;

/** A case the caller holds a grant for. */
export type ReachableCase = CaseRow & { my_grant: Buffer };

function reachable(row: CaseRow | undefined): row is ReachableCase {
  return row !== undefined && row.my_grant !== null;
}

/** Thrown inside a transaction when the caller may not reach the case; becomes an audited 404. */
export class CaseNotReachable extends Error {
  constructor(readonly code: string | null) {
    super('case not reachable');
  }
}

interface GrantRow {
  user_id: string;
  key_version: number;
  granted_by: string;
  created_on: string;
}

interface EntryRow {
  id: string;
  kind: EntryKind;
  ordinal: number;
  envelope: Buffer;
  key_version: number;
  version: number;
  author_id: string;
  follow_up_on: string | null;
  follow_up_user: string | null;
  created_on: string;
  updated_on: string;
}

/** Someone who is to receive a grant, as the server knows them. */
export interface StaffRow {
  id: string;
  role: StaffRole;
  active: boolean;
  certified: boolean;
}

@Injectable()
export class CaseStore {
  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Runs `work` in a transaction on a case the caller holds a grant for. A case that does not
   * exist and one the caller may not reach both become the same 404, and the refusal is
   * audited (`denied:not_found`, target = the code asked for: a random code, not content).
   */
  async withCase<T>(
    caller: Caller,
    code: string,
    action: string,
    work: (m: EntityManager, row: ReachableCase) => Promise<T>,
    options: { lock: boolean } = { lock: true },
  ): Promise<T> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const row = await this.findForCaller(m, caller, code, options.lock);
        if (!reachable(row)) throw new CaseNotReachable(code);
        return work(m, row);
      });
    } catch (error) {
      if (error instanceof CaseNotReachable) {
        await this.auditRefusal(caller, action, code);
        throw new NotFoundException();
      }
      throw error;
    }
  }

  async auditRefusal(caller: Caller, action: string, code: string): Promise<void> {
    await this.audit.recordNow({
      actor: { id: caller.userId, role: caller.role },
      action,
      // Only a well-formed code is worth keeping (and it is never content).
      target: CASE_CODE_PATTERN.test(code) ? code : null,
      outcome: 'denied:not_found',
    });
  }

  async findForCaller(
    m: EntityManager | DataSource,
    caller: Caller,
    code: string,
    lock: boolean,
  ): Promise<CaseRow | undefined> {
    if (!CASE_CODE_PATTERN.test(code)) return undefined;
    const found = await rows<CaseRow>(
      m,
      `SELECT ${CASE_COLUMNS}
         FROM case_file c
         LEFT JOIN case_grant g ON g.case_id = c.id AND g.user_id = $2
        WHERE c.code = $1
        ${lock ? 'FOR UPDATE OF c' : ''}`,
      [code, caller.userId],
    );
    return found[0];
  }

  async grants(m: EntityManager, caseId: string): Promise<CaseGrantInfo[]> {
    const found = await rows<GrantRow>(
      m,
      `SELECT user_id, key_version, granted_by, created_on::text AS created_on
         FROM case_grant WHERE case_id = $1 ORDER BY created_on, user_id`,
      [caseId],
    );
    return found.map((g) => ({
      userId: g.user_id,
      keyVersion: g.key_version,
      grantedBy: g.granted_by,
      createdOn: g.created_on,
    }));
  }

  /** Grantees whose accounts are active (those a rotation must re-seal to). */
  async activeGrantees(m: EntityManager, caseId: string): Promise<string[]> {
    const found = await rows<{ user_id: string }>(
      m,
      `SELECT g.user_id FROM case_grant g JOIN app_user u ON u.id = g.user_id
        WHERE g.case_id = $1 AND u.status = 'active'`,
      [caseId],
    );
    return found.map((g) => g.user_id);
  }

  async entries(m: EntityManager, caseId: string): Promise<CaseEntry[]> {
    const found = await rows<EntryRow>(
      m,
      `SELECT id, kind, ordinal, envelope, key_version, version, author_id,
              follow_up_on::text AS follow_up_on, follow_up_user,
              created_on::text AS created_on, updated_on::text AS updated_on
         FROM case_entry WHERE case_id = $1 ORDER BY ordinal`,
      [caseId],
    );
    return found.map((e) => ({
      id: e.id,
      kind: e.kind,
      ordinal: e.ordinal,
      envelope: encodeBase64Url(e.envelope),
      keyVersion: e.key_version,
      version: e.version,
      authorId: e.author_id,
      followUpOn: e.follow_up_on,
      followUpUserId: e.follow_up_user,
      createdOn: e.created_on,
      updatedOn: e.updated_on,
    }));
  }

  /** The people named, as the server knows them (missing ids are simply absent). */
  async staff(m: EntityManager, ids: readonly string[]): Promise<Map<string, StaffRow>> {
    const found = await rows<StaffRow>(
      m,
      `SELECT id, role, status = 'active' AS active, certificate IS NOT NULL AS certified
         FROM app_user WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(found.map((s) => [s.id, s]));
  }

  /**
   * Checks that each id names an active, certified caseworker or coordinator (or one of
   * `roles`): only they may receive case keys (docs/crypto.md, GRANT_POLICY).
   */
  async requireGrantees(
    m: EntityManager,
    ids: readonly string[],
    field: string,
    roles: readonly StaffRole[] = ['caseworker', 'coordinator'],
  ): Promise<Map<string, StaffRow>> {
    const staff = await this.staff(m, ids);
    for (const id of ids) {
      const person = staff.get(id);
      if (!person || !person.active || !roles.includes(person.role)) {
        throw new BadRequestException(`${field}: not an active ${roles.join(' or ')}`);
      }
      if (!person.certified) {
        throw new BadRequestException(
          `${field}: this person's keys are not certified yet, so they cannot receive cases`,
        );
      }
    }
    return staff;
  }

  /** Inserts a timeline entry at the next ordinal of its case (the case row is locked). */
  async insertEntry(
    m: EntityManager,
    entry: {
      id: string;
      caseId: string;
      kind: EntryKind;
      envelope: Buffer;
      keyVersion: number;
      authorId: string;
      followUpOn: string | null;
      followUpUser: string | null;
    },
  ): Promise<{ ordinal: number }> {
    const inserted = await rows<{ ordinal: number }>(
      m,
      `INSERT INTO case_entry (id, case_id, ordinal, kind, envelope, key_version, author_id,
                               follow_up_on, follow_up_user, created_on, updated_on)
       SELECT $1, $2, coalesce(max(ordinal), 0) + 1, $3, $4, $5, $6, $7, $8,
              ${TODAY_SQL}, ${TODAY_SQL}
         FROM case_entry WHERE case_id = $2
       ON CONFLICT (id) DO NOTHING
       RETURNING ordinal`,
      [
        entry.id,
        entry.caseId,
        entry.kind,
        entry.envelope,
        entry.keyVersion,
        entry.authorId,
        entry.followUpOn,
        entry.followUpUser,
      ],
    );
    if (!inserted[0]) {
      throw new ConflictException('An entry with this id exists already: generate a new id');
    }
    return inserted[0];
  }

  /** Marks the case as changed today (lists are ordered by it). */
  async touch(m: EntityManager, caseId: string): Promise<string> {
    const updated = await rows<{ updated_on: string }>(
      m,
      `UPDATE case_file SET updated_on = ${TODAY_SQL} WHERE id = $1
       RETURNING updated_on::text AS updated_on`,
      [caseId],
    );
    return updated[0]?.updated_on ?? '';
  }
}
