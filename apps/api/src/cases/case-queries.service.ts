/**
 * Case lists, the duplicate check and "My follow-ups". Lists are keyset-paginated on
 * (updated_on, id), newest change first, so a page costs the same at any depth.
 */
import { BadRequestException, ForbiddenException, Injectable } from '@nestjs/common';
import {
  FOLLOW_UP_HORIZON_DAYS,
  type CaseListItem,
  type CaseListResponse,
  type CasePriority,
  type CaseStatus,
  type DuplicateCheckResponse,
  type EntryKind,
  type FollowUpItem,
  type FollowUpsResponse,
  type ParsedBody,
  type Routes,
} from '@haven/contracts';
import { z } from 'zod';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { caseListSql, fromPgBase64 } from './case-list-sql';
import { CaseStore, rows, TODAY_SQL } from './case-store';
import { encodeBase64Url } from './envelopes';

type Query = z.output<Routes['listCases']['query']>;

/** The cursor is opaque to clients: base64url of `<day>~<uuid>`. */
const CursorText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}~[0-9a-f-]{36}$/)
  .transform((s) => {
    const [day, id] = s.split('~');
    return { day, id };
  });

export function encodeCursor(day: string, id: string): string {
  return Buffer.from(`${day}~${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { day: string; id: string } {
  const parsed = CursorText.safeParse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!parsed.success || Number.isNaN(Date.parse(parsed.data.day))) {
    throw new BadRequestException('cursor: not a cursor from this list');
  }
  return parsed.data;
}

interface ListRow {
  id: string;
  code: string;
  status: CaseStatus;
  priority: CasePriority;
  assignee_id: string | null;
  supervisor_id: string;
  updated_on: string;
  key_version: number;
  summary: string | null;
  grant: string | null;
}

interface FollowUpRow {
  case_id: string;
  code: string;
  entry_id: string;
  kind: EntryKind;
  follow_up_on: string;
  key_version: number;
  envelope: Buffer;
  grant: Buffer;
  overdue: boolean;
}

@Injectable()
export class CaseQueriesService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditService,
  ) {}

  /**
   * Not audited per page (docs/cases.md): a page holds only the summaries of cases the caller
   * already holds a key for, and opening a case (profile, timeline) is the audited read.
   */
  async list(caller: Caller, query: Query): Promise<CaseListResponse> {
    if (query.scope === 'all' && caller.role !== 'coordinator') {
      throw new ForbiddenException('Only coordinators can list all cases');
    }
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const found = await rows<ListRow>(this.store.dataSource, caseListSql(query.scope), [
      caller.userId,
      query.status ?? null,
      query.priority ?? null,
      query.assignee ?? null,
      cursor?.day ?? null,
      cursor?.id ?? null,
      query.limit + 1,
    ]);
    const page = found.slice(0, query.limit);
    const items: CaseListItem[] = page.map((r) => ({
      id: r.id,
      code: r.code,
      status: r.status,
      priority: r.priority,
      assigneeId: r.assignee_id,
      supervisorId: r.supervisor_id,
      updatedOn: r.updated_on,
      keyVersion: r.key_version,
      summary: r.summary === null ? null : fromPgBase64(r.summary),
      grant: r.grant === null ? null : fromPgBase64(r.grant),
    }));
    const last = page[page.length - 1];
    return {
      items,
      nextCursor:
        found.length > query.limit && last ? encodeCursor(last.updated_on, last.id) : null,
    };
  }

  /**
   * Which cases carry this blind index. Codes only of cases the caller may open (coordinators
   * see every case's metadata anyway); for others only the boolean, which means little on its
   * own: with 2-byte digests every bucket holds unrelated people by design.
   */
  async duplicates(
    caller: Caller,
    body: ParsedBody<Routes['checkDuplicates']>,
  ): Promise<DuplicateCheckResponse> {
    const found = await rows<{ code: string; reachable: boolean }>(
      this.store.dataSource,
      `SELECT c.code, (g.user_id IS NOT NULL) AS reachable
         FROM case_blind_index b
         JOIN case_file c ON c.id = b.case_id
         LEFT JOIN case_grant g ON g.case_id = c.id AND g.user_id = $3
        WHERE b.kind = $1 AND b.digest = $2
        ORDER BY c.updated_on DESC
        LIMIT 50`,
      [body.kind, Buffer.from(body.digest, 'hex'), caller.userId],
    );
    const visible = found.filter((r) => r.reachable || caller.role === 'coordinator');
    return { possibleMatch: found.length > 0, codes: visible.map((r) => r.code) };
  }

  /**
   * The caller's follow-ups on cases they still hold a key for, overdue and due within a week.
   * Entry ciphertext is a case read: one audit event per case listed, in one transaction.
   */
  async followUps(caller: Caller): Promise<FollowUpsResponse> {
    return this.store.dataSource.transaction(async (m) => {
      const today = await rows<{ today: string }>(m, `SELECT ${TODAY_SQL}::text AS today`);
      const found = await rows<FollowUpRow>(
        m,
        `SELECT e.case_id, c.code, e.id AS entry_id, e.kind,
                e.follow_up_on::text AS follow_up_on, e.key_version, e.envelope,
                g.envelope AS "grant", e.follow_up_on < ${TODAY_SQL} AS overdue
           FROM case_entry e
           JOIN case_file c ON c.id = e.case_id
           JOIN case_grant g ON g.case_id = e.case_id AND g.user_id = $1
          WHERE e.follow_up_user = $1
            AND e.follow_up_on <= ${TODAY_SQL} + $2::int
            AND c.status <> 'closed'
          ORDER BY e.follow_up_on, c.code, e.ordinal
          LIMIT 200`,
        [caller.userId, FOLLOW_UP_HORIZON_DAYS],
      );
      const item = (r: FollowUpRow): FollowUpItem => ({
        caseId: r.case_id,
        code: r.code,
        entryId: r.entry_id,
        kind: r.kind,
        followUpOn: r.follow_up_on,
        keyVersion: r.key_version,
        envelope: encodeBase64Url(r.envelope),
        grant: encodeBase64Url(r.grant),
      });
      for (const code of new Set(found.map((r) => r.code))) {
        await this.audit.record(m, {
          actor: { id: caller.userId, role: caller.role },
          action: 'case.read',
          target: code,
          outcome: 'ok',
        });
      }
      return {
        today: today[0].today,
        overdue: found.filter((r) => r.overdue).map(item),
        due: found.filter((r) => !r.overdue).map(item),
      };
    });
  }
}
