import type { AuditFilter, AuditOutcomeKind } from '@haven/contracts';

/** The filter form as typed: empty strings for fields left blank. */
export interface FilterDraft {
  actor: string | null;
  action: string;
  target: string;
  outcome: AuditOutcomeKind | null;
  from: string;
  to: string;
}

export const EMPTY_DRAFT: FilterDraft = {
  actor: null,
  action: '',
  target: '',
  outcome: null,
  from: '',
  to: '',
};

/**
 * The query the API takes: blank fields left out, text trimmed, the action lower-cased (so
 * "Case.Read" finds `case.read`). Case codes are kept as typed apart from trimming and upper
 * case: a target may also be a user id or a route, which the server matches exactly.
 */
export function toFilter(draft: FilterDraft): AuditFilter {
  const filter: AuditFilter = {};
  if (draft.actor) filter.actor = draft.actor;
  const action = draft.action.trim().toLowerCase();
  if (action) filter.action = action;
  const target = draft.target.trim();
  if (target)
    filter.target = /^[0-9a-z]{4}-[0-9a-z]{4}$/i.test(target) ? target.toUpperCase() : target;
  if (draft.outcome) filter.outcome = draft.outcome;
  if (draft.from) filter.from = draft.from;
  if (draft.to) filter.to = draft.to;
  return filter;
}

/** `ok` → green, `denied:…` → orange, `failed:…` → red. */
export function outcomeColor(outcome: string): 'green' | 'orange' | 'red' | 'gray' {
  const kind = outcome.split(':')[0];
  return kind === 'ok'
    ? 'green'
    : kind === 'denied'
      ? 'orange'
      : kind === 'failed'
        ? 'red'
        : 'gray';
}

/** The first and last 8 hex digits of a hash: enough to compare by eye. */
export function shortHash(hex: string): string {
  return hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-8)}` : hex;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
