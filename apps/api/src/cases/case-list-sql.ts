/**
 * The case-list query on its own (no framework imports), because the benchmark's bare Fastify +
 * pg baseline runs exactly this SQL next to the API (tools/bench/http/scenarios.ts).
 */

/**
 * Envelopes leave PostgreSQL as standard base64 text (`encode`, cheap in C; the API turns it
 * into unpadded base64url with `fromPgBase64`). Text rather than bytea so that the benchmark's
 * bare baseline, which serialises rows as they come, is not slowed down by Buffers.
 */
const base64 = (column: string) => `encode(${column}, 'base64')`;

/** PostgreSQL's base64 (76-character lines, padded) → the API's unpadded base64url. */
export function fromPgBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('base64url');
}

/**
 * The list query, shared with the benchmark's bare baseline so that both run exactly the same
 * SQL. Parameters: $1 caller id, $2 status, $3 priority, $4 assignee, $5 cursor day, $6 cursor
 * id, $7 limit (+1 to learn whether there is a next page). `mine` joins the caller's grants;
 * `all` (coordinators) shows every case, with summary and grant only where the caller has one.
 */
export function caseListSql(scope: 'mine' | 'all'): string {
  const join =
    scope === 'mine'
      ? 'JOIN case_grant g ON g.case_id = c.id AND g.user_id = $1'
      : 'LEFT JOIN case_grant g ON g.case_id = c.id AND g.user_id = $1';
  return `SELECT c.id, c.code, c.status, c.priority, c.assignee_id, c.supervisor_id,
       c.updated_on::text AS updated_on, c.key_version,
       CASE WHEN g.envelope IS NULL THEN NULL ELSE ${base64('c.summary_envelope')} END AS summary,
       ${base64('g.envelope')} AS "grant"
  FROM case_file c
  ${join}
 WHERE ($2::text IS NULL OR c.status = $2)
   AND ($3::text IS NULL OR c.priority = $3)
   AND ($4::uuid IS NULL OR c.assignee_id = $4)
   AND ($5::date IS NULL OR (c.updated_on, c.id) < ($5::date, $6::uuid))
 ORDER BY c.updated_on DESC, c.id DESC
 LIMIT $7`;
}
