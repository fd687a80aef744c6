/**
 * `npm run audit:verify`: recomputes the audit log's hash chain in DATABASE_URL and reports the
 * first broken link by sequence number.
 *
 *   npm run audit:verify [-- --checkpoints <file.json>] [--log-key <base64url>]
 *
 * `--checkpoints`: the file the auditors' dashboard downloads (haven-audit-checkpoints/v1).
 * Each checkpoint's signature is checked against the log key, then the chain must still hold
 * each kept head at its seq: another head there is a `fork`, a log that ends before it a
 * `rollback`. `--log-key` pins the key (else the file's own); with a key, the checkpoints the
 * server stored in `audit_checkpoint` under that key are checked against the chain as well.
 *
 * A log trimmed by retention is verified from its anchor (the last deleted seq and its hash,
 * signed as a checkpoint, named by an `audit.trim` event in the chain); with a key the anchor's
 * signature is checked too. A forged or moved anchor is reported as `anchor`.
 *
 * Exit 0 when intact, 1 when broken, 2 on bad usage or a checkpoint file that does not verify.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditCheckpointBook } from '@haven/contracts';
import {
  fingerprint,
  fromBase64,
  fromHex,
  initCrypto,
  isCryptoError,
  toHex,
  verifyAuditCheckpoint,
} from '@haven/crypto';
import pg from 'pg';
import { loadDatabaseUrl, orExit, verifyAuditLog, type AuditQueryFn } from '../api-bridge';

class UsageError extends Error {}

/** Reads and checks the auditor's checkpoint file: every signature must verify under `key`. */
function keptCheckpoints(file: string, pinned: Uint8Array | null) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const book = AuditCheckpointBook.safeParse(parsed);
  if (!book.success) throw new UsageError(`${file} is not a haven-audit-checkpoints/v1 file`);
  const key = pinned ?? fromBase64(book.data.logKey.publicKey);
  const anchors = new Map<number, Uint8Array>();
  for (const c of book.data.checkpoints) {
    const checkpoint = { seq: c.seq, head: fromHex(c.head), signature: fromBase64(c.signature) };
    try {
      verifyAuditCheckpoint(checkpoint, key);
    } catch (err) {
      if (!isCryptoError(err)) throw err;
      throw new UsageError(`checkpoint at seq ${c.seq} in ${file} is not signed by the log key`);
    }
    const known = anchors.get(c.seq);
    if (known && toHex(known) !== c.head) {
      throw new UsageError(`${file} holds two signed heads for seq ${c.seq}: the log forked`);
    }
    anchors.set(c.seq, checkpoint.head);
  }
  return { key, anchors };
}

/** Checkpoints the server stored under `key` whose signatures verify. */
async function storedCheckpoints(client: pg.Client, key: Uint8Array) {
  const { rows } = await client.query<{ seq: string; head: Buffer; signature: Buffer }>(
    'SELECT seq, head, signature FROM audit_checkpoint WHERE public_key = $1 ORDER BY seq',
    [Buffer.from(key)],
  );
  const anchors = new Map<number, Uint8Array>();
  for (const r of rows) {
    const checkpoint = {
      seq: Number(r.seq),
      head: new Uint8Array(r.head),
      signature: new Uint8Array(r.signature),
    };
    try {
      verifyAuditCheckpoint(checkpoint, key);
      anchors.set(checkpoint.seq, checkpoint.head);
    } catch (err) {
      if (!isCryptoError(err)) throw err;
      console.log(`stored checkpoint at seq ${checkpoint.seq} has a bad signature (ignored)`);
    }
  }
  return anchors;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { checkpoints: { type: 'string' }, 'log-key': { type: 'string' } },
  });
  const url = orExit(() => loadDatabaseUrl(process.env));
  await initCrypto();
  const pinned = values['log-key'] ? fromBase64(values['log-key']) : null;
  if (pinned && pinned.length !== 32) throw new UsageError('--log-key must be 32 bytes, base64url');
  const kept = values.checkpoints ? keptCheckpoints(values.checkpoints, pinned) : null;
  const key = kept?.key ?? pinned;

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const anchors = new Map(key ? await storedCheckpoints(client, key) : []);
    for (const [seq, head] of kept?.anchors ?? []) anchors.set(seq, head);
    if (key) {
      console.log(
        `log key ${fingerprint(key, key)}; ${anchors.size} signed checkpoint(s) to match`,
      );
    }
    const started = Date.now();
    const query: AuditQueryFn = (sql, params) => client.query(sql, params);
    const result = await verifyAuditLog(query, { anchors, logKey: key ?? undefined });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.trimmedThroughSeq !== null) {
      console.log(
        `trimmed by retention through seq ${result.trimmedThroughSeq} on ${result.trimmedOn ?? '?'}` +
          (key ? '' : ' (anchor signature not checked: no log key given)'),
      );
    }
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
