import type { AuditExport } from '@haven/contracts';

/** Column order of the CSV export (documented in docs/audit.md). */
export const CSV_COLUMNS = [
  'seq',
  'day',
  'time',
  'actor_id',
  'actor_username',
  'role',
  'action',
  'target',
  'outcome',
  'prev_hash',
  'hash',
] as const;

/**
 * One CSV field (RFC 4180). Quoted when it holds a comma, quote or line break; a field a
 * spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or carriage return) gets
 * a leading apostrophe first: usernames are chosen by people and end up in exports.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A `#` line of the preamble; values never hold line breaks (they are ours, or filters). */
function comment(key: string, value: string | number): string {
  return `# ${key}=${String(value).replace(/[\r\n]/g, ' ')}`;
}

/**
 * The CSV form of an export: `#` lines carrying the format, the day, the signed checkpoint
 * that covers every row, the log key's fingerprint and the filters, then a header row and one
 * row per event (CRLF line ends, as RFC 4180 has them).
 */
export function exportToCsv(exported: AuditExport): string {
  const { checkpoint } = exported;
  const lines = [
    comment('format', exported.format),
    comment('exported_on', exported.exportedOn),
    comment('checkpoint_seq', checkpoint.seq),
    comment('checkpoint_head', checkpoint.head),
    comment('checkpoint_signature', checkpoint.signature),
    comment('checkpoint_public_key', checkpoint.publicKey),
    comment('log_key_fingerprint', exported.logKeyFingerprint),
    ...Object.entries(exported.filters)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([key, value]) => comment(`filter_${key}`, value)),
    comment('count', exported.count),
    CSV_COLUMNS.join(','),
  ];
  for (const e of exported.events) {
    lines.push(
      [
        e.seq,
        e.day,
        e.time,
        e.actor?.id ?? null,
        e.actor?.username ?? null,
        e.actor?.role ?? null,
        e.action,
        e.target,
        e.outcome,
        e.prevHash,
        e.hash,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
