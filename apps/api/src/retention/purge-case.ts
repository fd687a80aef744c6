import type { EntityManager } from 'typeorm';
import type { StaffRole } from '@haven/contracts';
import type { AuditService } from '../audit/audit.service';
import { sql } from '../database/sql';

/**
 * Crypto-shreds one case inside the caller's transaction: deleting the `case_file` row takes
 * every row that references it (grants, entries, blind indexes, the anonymous thread and its
 * messages, purge requests, referrals) through ON DELETE CASCADE, which a test checks holds for
 * every foreign key onto `case_file`. With the grants gone, nobody's wrapped key exists any
 * more, and the ciphertext went with them. Leaves exactly one audit event: `case.purge` with
 * the case code. Returns false when the case was already gone (another runner got there).
 */
export async function purgeCase(
  manager: EntityManager,
  audit: AuditService,
  caseId: string,
  actor: { id: string; role: StaffRole } | null,
): Promise<boolean> {
  const gone = await sql<{ code: string }>(
    manager,
    'DELETE FROM case_file WHERE id = $1 RETURNING code',
    [caseId],
  );
  const code = gone[0]?.code;
  if (!code) return false;
  await audit.record(manager, { actor, action: 'case.purge', target: code, outcome: 'ok' });
  return true;
}
