/**
 * `npm run audit:verify`: recomputes the audit log's hash chain in DATABASE_URL and reports the
 * first broken link by sequence number. Exit 0 when intact, 1 when broken, 2 on bad usage.
 */
import { initCrypto, toHex } from '@haven/crypto';
import pg from 'pg';
import { loadDatabaseUrl, orExit, verifyAuditLog, type AuditQueryFn } from '../api-bridge';

async function main(): Promise<number> {
  const url = orExit(() => loadDatabaseUrl(process.env));
  await initCrypto();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = Date.now();
    const query: AuditQueryFn = (sql, params) => client.query(sql, params);
    const result = await verifyAuditLog(query);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      console.log(
        `audit log intact: ${result.count} events, head seq ${result.headSeq}, head ${toHex(result.head)} (${seconds} s)`,
      );
      return 0;
    }
    console.log(`audit log BROKEN at seq ${result.brokenAtSeq} (${result.reason}) (${seconds} s)`);
    return 1;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
