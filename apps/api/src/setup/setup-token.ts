/**
 * One-time setup links. The launcher calls `issueSetupToken` with a plain `pg` client (under
 * tsx: no TypeORM, no decorators) and prints the link; the database keeps only the token's
 * SHA-256, so a database dump cannot be used to take over first-run setup.
 */
import { createHash, randomBytes } from 'node:crypto';

export type SqlQuery = (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>;

export const SETUP_TOKEN_BYTES = 32;
export const SETUP_TOKEN_TTL_HOURS = 24;

/** The stored form of a setup token: SHA-256 of its UTF-8 text. */
export function hashSetupToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Returns a fresh token (32 random bytes, base64url) valid for 24 hours, or null when setup is
 * already complete. Unused and expired tokens are deleted first (also once setup is complete,
 * when they are useless), so only the newest printed link works. One statement, so it is
 * atomic without a transaction and works with a pool as well as a single client.
 */
export async function issueSetupToken(query: SqlQuery): Promise<string | null> {
  const token = randomBytes(SETUP_TOKEN_BYTES).toString('base64url');
  const result = await query(
    `WITH purge AS (
       DELETE FROM setup_token WHERE used_at IS NULL OR expires_at <= now()
     )
     INSERT INTO setup_token (token_hash, expires_at)
     SELECT $1, now() + make_interval(hours => $2)
     WHERE NOT EXISTS (SELECT 1 FROM instance WHERE setup_completed_on IS NOT NULL)
     RETURNING 1`,
    [hashSetupToken(token), SETUP_TOKEN_TTL_HOURS],
  );
  return result.rows.length === 1 ? token : null;
}
