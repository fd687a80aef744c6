import type { DataSource, EntityManager } from 'typeorm';
import type { RetentionSettings } from '@haven/contracts';
import { sql } from '../database/sql';

interface SettingsRow {
  closed_case_days: number;
  triaged_intake_days: number;
  untriaged_intake_days: number;
  expired_packet_days: number;
  audit_log_days: number | null;
  updated_on: string | null;
}

/** The retention row as the API speaks it (audit log days: null = forever). */
export async function readRetention(
  db: EntityManager | DataSource,
  options: { lock?: boolean } = {},
): Promise<{ settings: RetentionSettings; updatedOn: string | null }> {
  const found = await sql<SettingsRow>(
    db,
    `SELECT closed_case_days, triaged_intake_days, untriaged_intake_days, expired_packet_days,
            audit_log_days, updated_on::text AS updated_on
       FROM retention_settings WHERE id ${options.lock ? 'FOR UPDATE' : ''}`,
  );
  const row = found[0];
  if (!row) throw new Error('retention_settings has no row (migration not run?)');
  return {
    settings: {
      closedCaseDays: row.closed_case_days,
      triagedIntakeDays: row.triaged_intake_days,
      untriagedIntakeDays: row.untriaged_intake_days,
      expiredPacketDays: row.expired_packet_days,
      auditLogDays: row.audit_log_days,
    },
    updatedOn: row.updated_on,
  };
}

/** Whether Haven is in emergency lockdown. Read by sign-in and by every session check. */
export async function lockdownSince(db: EntityManager | DataSource): Promise<string | null> {
  const found = await sql<{ since_on: string | null }>(
    db,
    'SELECT since_on::text AS since_on FROM lockdown_state WHERE id',
  );
  return found[0]?.since_on ?? null;
}
