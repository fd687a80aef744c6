import { z } from 'zod';
import { reportRoutes } from '../reports/routes';
import { auditRoutes } from './routes';

type Json = { [key: string]: unknown };

/**
 * Every field path a response schema can carry (`events[].actor.username`), read from its JSON
 * Schema so that nested, referenced and union members all count.
 */
function fieldPaths(schema: z.ZodType): string[] {
  const root = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
  const defs = (root.$defs ?? {}) as Record<string, Json>;
  const out = new Set<string>();
  const walk = (node: Json, path: string, seen: Set<string>): void => {
    const ref = typeof node.$ref === 'string' ? node.$ref.replace('#/$defs/', '') : null;
    if (ref) {
      if (seen.has(ref)) return;
      walk(defs[ref], path, new Set([...seen, ref]));
      return;
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      for (const member of (node[key] ?? []) as Json[]) walk(member, path, seen);
    }
    if (node.items) walk(node.items as Json, `${path}[]`, seen);
    for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
      const childPath = path ? `${path}.${name}` : name;
      out.add(childPath);
      walk(child, childPath, seen);
    }
  };
  walk(root, '', new Set());
  return [...out].sort();
}

const responses = { ...auditRoutes, ...reportRoutes };

/** Words that would mean case content, keys or grants reached an auditor. */
const FORBIDDEN =
  /envelope|grant|cipher|wrapped|nonce|secret|profile|summary|note|content|private|casekey|userkey|indexkey|box|kek|certificate|chain/i;

describe('auditor-facing response schemas', () => {
  it('carry no ciphertext, grant or key field (only the log key and checkpoint signatures)', () => {
    for (const [name, route] of Object.entries(responses)) {
      const suspicious = fieldPaths(route.response).filter((p) =>
        p.split(/[.[\]]+/).some((segment) => FORBIDDEN.test(segment)),
      );
      expect({ name, suspicious }).toEqual({ name, suspicious: [] });
    }
  });

  // A snapshot of every field the auditors' routes can answer with. A new field fails this
  // test on purpose: check that it is metadata, then add it here.
  it('answer exactly these fields', () => {
    const event = [
      'action',
      'actor',
      'actor.id',
      'actor.role',
      'actor.username',
      'day',
      'hash',
      'outcome',
      'prevHash',
      'seq',
      'target',
      'time',
    ];
    const checkpoint = ['createdOn', 'head', 'publicKey', 'seq', 'signature'];
    const flag = [
      'actor',
      'actor.id',
      'actor.role',
      'actor.username',
      'count',
      'day',
      'detail',
      'firstSeq',
      'from',
      'kind',
      'lastSeq',
      'target',
      'to',
    ];
    const under = (prefix: string, fields: string[]) => [
      prefix.replace(/\[\]$/, ''),
      ...fields.map((f) => `${prefix}.${f}`),
    ];
    const snapshot = Object.fromEntries(
      Object.entries(responses).map(([name, route]) => [name, fieldPaths(route.response)]),
    );
    expect(snapshot).toEqual({
      auditEvents: [...under('events[]', event), 'nextBefore'].sort(),
      auditExport: [
        ...under('checkpoint', checkpoint),
        'count',
        ...under('events[]', event),
        'exportedOn',
        'filters',
        'filters.action',
        'filters.actor',
        'filters.from',
        'filters.outcome',
        'filters.target',
        'filters.to',
        'format',
        'logKeyFingerprint',
      ].sort(),
      auditLogKey: ['algorithm', 'fingerprint', 'publicKey'],
      auditCheckpoint: checkpoint,
      verifyAudit: [
        'brokenAtSeq',
        ...under('checkpoint', checkpoint),
        'count',
        'fromSeq',
        'head',
        'headSeq',
        'ok',
        'reason',
        'trimmedOn',
        'trimmedThroughSeq',
        'verifiedOn',
      ].sort(),
      auditUsers: ['users', 'users[].active', 'users[].id', 'users[].role', 'users[].username'],
      auditUserActivity: [
        'byAction',
        'byAction[].action',
        'byAction[].denied',
        'byAction[].failed',
        'byAction[].ok',
        'byDay',
        'byDay[].count',
        'byDay[].day',
        'casesRead',
        'failedSignIns',
        ...under('flags[]', flag),
        'from',
        'to',
        'total',
        'user',
        'user.active',
        'user.id',
        'user.role',
        'user.username',
      ].sort(),
      auditAnomalies: [
        ...under('flags[]', flag),
        'from',
        'thresholds',
        'thresholds.bulkReads',
        'thresholds.failedSignIns',
        'thresholds.failedSignInsTotal',
        'thresholds.offHoursEnd',
        'thresholds.offHoursStart',
        'to',
      ].sort(),
      reportSummary: [
        'cases',
        'cases.byPriority',
        'cases.byPriority[].count',
        'cases.byPriority[].priority',
        'cases.byStatus',
        'cases.byStatus[].count',
        'cases.byStatus[].status',
        'cases.byStatusAndPriority',
        'cases.byStatusAndPriority[].count',
        'cases.byStatusAndPriority[].priority',
        'cases.byStatusAndPriority[].status',
        'cases.total',
        'from',
        'generatedOn',
        'referrals',
        'referrals.byService',
        'referrals.byService[].count',
        'referrals.byService[].service',
        'referrals.byStatus',
        'referrals.byStatus[].count',
        'referrals.byStatus[].status',
        'referrals.byTypeAndOutcome',
        'referrals.byTypeAndOutcome[].count',
        'referrals.byTypeAndOutcome[].outcome',
        'referrals.byTypeAndOutcome[].type',
        'referrals.toCompletion',
        'referrals.toCompletion.cases',
        'referrals.toCompletion.medianDays',
        'referrals.total',
        'suppressionThreshold',
        'timings',
        'timings.intakeToFirstContact',
        'timings.intakeToFirstContact.cases',
        'timings.intakeToFirstContact.medianDays',
        'to',
        'unavailable',
        'unavailable[].reason',
        'unavailable[].section',
      ].sort(),
    });
  });
});
