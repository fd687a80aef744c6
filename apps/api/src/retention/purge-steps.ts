import type { EntityManager } from 'typeorm';
import type { RetentionSettings } from '@haven/contracts';
import type { AuditService } from '../audit/audit.service';
import { sql } from '../database/sql';
import { purgeExpiredPackets } from '../referrals/packet-expiry';
import { purgeCase } from './purge-case';

/** What a purge step gets: the run's transaction, the settings, and the audit log. */
export interface PurgeContext {
  readonly manager: EntityManager;
  readonly settings: RetentionSettings;
  readonly audit: AuditService;
}

/** One kind of data the retention job deletes. Returns how many items went. */
export interface PurgeStep {
  readonly name: string;
  run(context: PurgeContext): Promise<number>;
}

/** At most this many cases per run, so one run's transaction stays short; the next run goes on. */
export const CASES_PER_RUN = 200;

/** Closed cases past `closedCaseDays`: crypto-shredded one by one, each leaving `case.purge`. */
export const closedCases: PurgeStep = {
  name: 'closedCases',
  async run({ manager, settings, audit }) {
    const due = await sql<{ id: string }>(
      manager,
      `SELECT id FROM case_file
        WHERE status = 'closed'
          AND closed_on < (now() AT TIME ZONE 'UTC')::date - $1::int
        ORDER BY closed_on, id
        LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [settings.closedCaseDays, CASES_PER_RUN],
    );
    let purged = 0;
    for (const { id } of due) {
      if (await purgeCase(manager, audit, id, null)) purged += 1;
    }
    return purged;
  },
};

/**
 * Submissions nobody triaged within `untriagedIntakeDays` are deleted unread, and with them
 * any thread that no case and no other submission holds on to (its follow-ups go too). One
 * `intake.purge` event per run that deleted anything, without a count or target.
 */
export const untriagedIntake: PurgeStep = {
  name: 'untriagedIntake',
  async run({ manager, settings, audit }) {
    const gone = await sql<{ lookup_id: Buffer }>(
      manager,
      `DELETE FROM intake_submission
        WHERE received_on < (now() AT TIME ZONE 'UTC')::date - $1::int
        RETURNING lookup_id`,
      [settings.untriagedIntakeDays],
    );
    if (gone.length === 0) return 0;
    await sql(
      manager,
      `DELETE FROM intake_thread t
        WHERE t.lookup_id = ANY($1::bytea[]) AND t.case_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM intake_submission s WHERE s.lookup_id = t.lookup_id)`,
      [gone.map((g) => g.lookup_id)],
    );
    await audit.record(manager, { actor: null, action: 'intake.purge', outcome: 'ok' });
    return gone.length;
  },
};

/**
 * Referral packets past their expiry day: their grants go at once, the packet ciphertext
 * `expiredPacketDays` later (docs/referrals.md, "Expiry"). One `referral.packet_purge` event
 * per run that deleted anything, without counts or targets.
 */
export const expiredPackets: PurgeStep = {
  name: 'expiredPackets',
  async run({ manager, settings, audit }) {
    const { grantsDeleted, packetsDeleted } = await purgeExpiredPackets(
      manager,
      settings.expiredPacketDays,
    );
    const gone = grantsDeleted + packetsDeleted;
    if (gone > 0) {
      await audit.record(manager, { actor: null, action: 'referral.packet_purge', outcome: 'ok' });
    }
    return gone;
  },
};

/**
 * Audit events older than `auditLogDays` (null: kept forever, the default), up to the latest
 * signed checkpoint before the cutoff; one `audit.trim` event per trim (docs/audit.md
 * "Trimming"). Runs after the other steps so their events are chained before the boundary is
 * chosen.
 */
export const auditLog: PurgeStep = {
  name: 'auditLog',
  async run({ manager, settings, audit }) {
    const result = await audit.trim(manager, settings.auditLogDays);
    return result.trimmed;
  },
};

/** Purge-now requests nobody confirmed within 24 hours. */
export const expiredPurgeRequests: PurgeStep = {
  name: 'expiredPurgeRequests',
  async run({ manager }) {
    const gone = await sql<{ id: string }>(
      manager,
      'DELETE FROM case_purge_request WHERE expires_at <= now() RETURNING id',
    );
    return gone.length;
  },
};

/**
 * Every step the retention job runs, in order, inside one transaction per run. A feature that
 * keeps data with a retention period adds its step here. Triaged intake needs no step:
 * triage deletes the submission itself (`triagedIntakeDays` is always 0). The audit log's
 * step comes last: it appends its own event and holds the log's lock until the run commits.
 */
export const PURGE_STEPS: readonly PurgeStep[] = [
  closedCases,
  untriagedIntake,
  expiredPackets,
  expiredPurgeRequests,
  auditLog,
];
