/**
 * The minimisation proof's scanner: searches everything the server side keeps (a plain-format
 * `pg_dump` of the launcher's database, large objects included; the launcher's and the API's
 * output, HAVEN_LOG_FILE; PostgreSQL's own log files when this machine has readable ones) for
 * strings that must never be there: what people typed, secrets, client addresses.
 *
 * Each needle is searched in every form it could plausibly take on its way into a dump or a log
 * line (see `forms`). The sources are read as bytes (latin1, one character per byte), so forms
 * that are not UTF-8 text (UTF-16) are found as well.
 *
 * Forms, and why each is in the set:
 * - raw UTF-8: a plaintext column, a log line, a COPY row;
 * - UTF-16LE bytes: a string written by a runtime that keeps UTF-16 (a JS heap, a Windows tool);
 * - JSON `\uXXXX` escapes of every non-ASCII character: JSON writers that escape to ASCII
 *   (pino/JSON.stringify variants, PostgreSQL's `jsonb` output does not, others do);
 * - base64 and base64url of the UTF-8 bytes, at each of the three byte alignments (a needle in
 *   the middle of a larger encoded plaintext is only visible as the characters that depend on
 *   its bytes alone; padding dropped): an encoded request body or JSON blob;
 * - hex, lower and upper case: `bytea` in the dump (`\x…`), large objects (`lowrite(…, '\x…')`),
 *   hex-dumped buffers;
 * - URL encoding: `encodeURIComponent` (upper-case `%XX`), the same with lower-case escapes, and
 *   form encoding (`+` for spaces): a query string or form body that reached a log.
 * Not in the set, deliberately: compression or encryption of any kind (an encrypted field is
 * what the server should hold), hashes (a keyed blind index is by design not reversible), and
 * case-folded variants (the canaries are compared exactly; a lowercased copy would still need
 * its own canary).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';

/** Debian's PostgreSQL server logs; `HAVEN_E2E_POSTGRES_LOG_DIR` points elsewhere (or at nothing). */
const POSTGRES_LOG_DIR = process.env['HAVEN_E2E_POSTGRES_LOG_DIR'] ?? '/var/log/postgresql';

/** One body of bytes to search, as a latin1 string (one character per byte). */
export interface ScanSource {
  name: string;
  bytes: string;
}

export interface Needle {
  /** Short name for reports, e.g. `intake.happened`. */
  name: string;
  text: string;
}

export interface Hit {
  needle: string;
  form: string;
  source: string;
  /** The encoded form that was found, for the report. */
  value: string;
}

const latin1 = (b: Buffer) => b.toString('latin1');

/**
 * Characters of `encode(prefix ‖ bytes)` that depend only on `bytes`, for each alignment of
 * `bytes` within a 3-byte group. Empty alignments (too short a needle) are left out.
 */
function alignedBase64(bytes: Buffer, url: boolean): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const buf = Buffer.concat([Buffer.alloc(k), bytes]);
    const encoded = buf.toString(url ? 'base64url' : 'base64');
    const start = k === 0 ? 0 : 4;
    const end = Math.floor(buf.length / 3) * 4;
    if (end - start >= 8) out.push(encoded.slice(start, end));
  }
  return out;
}

function jsonAsciiEscaped(text: string): string {
  return [...text]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      if (code < 0x80) return c;
      // Astral characters as surrogate pairs, as JSON writes them.
      return c
        .split('')
        .map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join('');
    })
    .join('');
}

/** Every form of `text` the scanner searches for, named, as latin1 byte strings. */
export function forms(text: string): { form: string; bytes: string }[] {
  const utf8 = Buffer.from(text, 'utf8');
  const list: { form: string; bytes: string }[] = [
    { form: 'raw', bytes: latin1(utf8) },
    { form: 'utf-16le', bytes: latin1(Buffer.from(text, 'utf16le')) },
    { form: 'hex', bytes: utf8.toString('hex') },
    { form: 'HEX', bytes: utf8.toString('hex').toUpperCase() },
    { form: 'url', bytes: encodeURIComponent(text) },
    {
      form: 'url-lower',
      bytes: encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    },
    { form: 'form-url', bytes: encodeURIComponent(text).replace(/%20/g, '+') },
  ];
  if (/[^\p{ASCII}]/u.test(text)) list.push({ form: 'json-ascii', bytes: jsonAsciiEscaped(text) });
  alignedBase64(utf8, false).forEach((b, k) => list.push({ form: `base64@${k}`, bytes: b }));
  alignedBase64(utf8, true).forEach((b, k) => list.push({ form: `base64url@${k}`, bytes: b }));
  // One entry per distinct byte string (plain ASCII makes several forms coincide).
  const seen = new Set<string>();
  return list.filter((f) => (seen.has(f.bytes) ? false : (seen.add(f.bytes), true)));
}

/**
 * The forms of an IPv4 address as text (raw, hex, base64, URL) plus its packed 4 bytes in hex
 * (an `inet` or `bytea` column written as bytes) and as a 32-bit integer.
 */
export function addressForms(address: string): { form: string; bytes: string }[] {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  const packed = Buffer.from(octets);
  // Base64 only as a whole value: at the other alignments an address loses its first and last
  // bytes (`127.0.0.2` would match the base64 of `127.0.0.1`), which no scan can tell apart.
  return [
    ...forms(address).filter((f) => !/^base64(url)?@[12]$/.test(f.form)),
    { form: 'packed-hex', bytes: packed.toString('hex') },
    { form: 'uint32', bytes: String(packed.readUInt32BE(0)) },
  ];
}

/** Searches every source for every form of every needle; returns each hit. */
export function scan(
  sources: ScanSource[],
  needles: Needle[],
  formsOf: (text: string) => { form: string; bytes: string }[] = forms,
): Hit[] {
  const hits: Hit[] = [];
  for (const needle of needles) {
    for (const f of formsOf(needle.text)) {
      for (const source of sources) {
        if (source.bytes.includes(f.bytes)) {
          hits.push({ needle: needle.name, form: f.form, source: source.name, value: f.bytes });
        }
      }
    }
  }
  return hits;
}

/** Readable lines for an assertion message. */
export function describeHits(hits: Hit[]): string[] {
  return hits.map((h) => `${h.source}: ${h.needle} as ${h.form} (${h.value.slice(0, 60)})`);
}

/**
 * A plain-format dump of the whole database: schema and data, every schema, large objects
 * (`--blobs`, written as hex `lowrite` calls), rows as INSERT statements.
 */
export function dumpDatabase(databaseUrl: string): ScanSource {
  const bytes = execFileSync(
    PG_DUMP,
    ['--format=plain', '--blobs', '--inserts', '--no-owner', '--no-privileges', databaseUrl],
    { maxBuffer: 1024 * 1024 * 1024 },
  );
  return { name: 'pg_dump', bytes: latin1(bytes) };
}

/** A file as a source, or nothing when it cannot be read. */
function readSource(path: string, name = path): ScanSource | undefined {
  try {
    return { name, bytes: latin1(readFileSync(path)) };
  } catch {
    return undefined;
  }
}

/**
 * Every log the server side wrote: the launcher's file (its own output and the API's stdout and
 * stderr) and each readable file in PostgreSQL's log directory.
 */
export function serverLogs(launcherLog: string): ScanSource[] {
  const sources: ScanSource[] = [];
  const launcher = readSource(launcherLog, 'launcher+api log');
  if (launcher) sources.push(launcher);
  if (POSTGRES_LOG_DIR && existsSync(POSTGRES_LOG_DIR)) {
    for (const entry of readdirSync(POSTGRES_LOG_DIR)) {
      const path = join(POSTGRES_LOG_DIR, entry);
      if (!statSync(path).isFile()) continue;
      const source = readSource(path, `postgresql log ${entry}`);
      if (source) sources.push(source);
    }
  }
  return sources;
}
