import type { AuditEventItem, AuditFilter, StaffRole } from '@haven/contracts';
import { toHex } from '@haven/crypto';
import { RequestValidationException } from '../common/errors/request-validation.exception';

/** An `audit_event` row joined with its actor's username. */
export interface AuditListRow {
  seq: string;
  day: string;
  time_utc: string | null;
  actor: string | null;
  username: string | null;
  role: string | null;
  action: string;
  target: string | null;
  outcome: string;
  prev_hash: Buffer;
  hash: Buffer;
}

export const LIST_COLUMNS = `e.seq, e.day::text AS day, e.time_utc, e.actor, u.username, e.role,
       e.action, e.target, e.outcome, e.prev_hash, e.hash`;

export const LIST_FROM = 'audit_event e LEFT JOIN app_user u ON u.id = e.actor';

/** Refuses a range that ends before it starts. */
export function checkRange(from: string | undefined, to: string | undefined): void {
  if (from && to && from > to) {
    throw new RequestValidationException([
      { path: 'query.from', message: 'must not be after `to`' },
    ]);
  }
}

/**
 * The WHERE clause of a filter, with its parameters appended to `params`. Each filter uses an
 * index: actor (actor, seq), target (target, seq), action (action, day), day (day); pages are
 * cut by seq.
 */
export function filterSql(filter: AuditFilter, params: unknown[]): string {
  checkRange(filter.from, filter.to);
  const where: string[] = [];
  const add = (clause: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.actor) add((p) => `e.actor = ${p}`, filter.actor);
  if (filter.action) {
    // `case.read` is one action; `case` is the area (every `case.*`).
    if (filter.action.includes('.')) add((p) => `e.action = ${p}`, filter.action);
    else add((p) => `left(e.action, length(${p})) = ${p}`, `${filter.action}.`);
  }
  if (filter.target) add((p) => `e.target = ${p}`, filter.target);
  if (filter.outcome) add((p) => `split_part(e.outcome, ':', 1) = ${p}`, filter.outcome);
  if (filter.from) add((p) => `e.day >= ${p}::date`, filter.from);
  if (filter.to) add((p) => `e.day <= ${p}::date`, filter.to);
  return where.length ? where.join(' AND ') : 'true';
}

export function toItem(row: AuditListRow): AuditEventItem {
  return {
    seq: Number(row.seq),
    day: row.day,
    time: row.time_utc,
    actor: row.actor
      ? { id: row.actor, username: row.username, role: (row.role as StaffRole | null) ?? null }
      : null,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    prevHash: toHex(new Uint8Array(row.prev_hash)),
    hash: toHex(new Uint8Array(row.hash)),
  };
}

/** The filters as given, without the keys that were not set (for exports). */
export function setFilters(filter: AuditFilter): AuditFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}
