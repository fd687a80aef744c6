import {
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  IntakeFollowUpBody,
  IntakeKeyResponse,
  IntakeMessageDirection,
  IntakeReceipt,
  IntakeThreadResponse,
  SubmitIntakeBody,
} from '@haven/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { IntakeSubmissionBatcher, keyReusedConflict } from './intake-batcher';
import {
  decodeLookupId,
  decodeSealedEnvelope,
  decodePublicKey,
  idempotencyKeyHash,
  requestHash,
  utcDay,
} from './intake-codec';
import { requireCurrentIntakeKeyVersion } from './intake-key-version';

/** The answer to every accepted POST, first time or replayed. It says nothing about the sender. */
const RECEIVED: IntakeReceipt = { status: 'received' };

/** Most recent messages returned when a thread is read. */
export const THREAD_PAGE = 100;

const IDEMPOTENCY_PURGE_INTERVAL_MS = 60 * 60_000;

type IdempotencyOutcome = 'fresh' | 'replay';

interface OrganisationKeysRow {
  root_sign_pk: Buffer;
  intake_box_pk: Buffer;
  intake_key_signature: Buffer;
  intake_key_version: number;
}

interface ThreadMessageRow {
  direction: IntakeMessageDirection;
  envelope: Buffer | null;
  sent_on: string;
}

/**
 * The anonymous intake. Every write runs in one transaction together with its audit event
 * (no actor, no target, no content), so a failure leaves no partial row. Nothing about the
 * request other than what the contract lists reaches the database.
 */
@Injectable()
export class IntakeService implements OnApplicationBootstrap, OnModuleDestroy {
  /** Once the organisation row exists it never goes away; until then intake is closed. */
  private organisationReady = false;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly batcher: IntakeSubmissionBatcher,
  ) {}

  onApplicationBootstrap(): void {
    // Idempotency keys only have to outlive a client's retries. The retention job (pg-boss)
    // will take this over; until then each API process purges hourly (idempotent, cheap).
    this.purgeTimer = setInterval(() => {
      this.purgeIdempotencyKeys().catch(() => undefined);
    }, IDEMPOTENCY_PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  async intakeKey(): Promise<IntakeKeyResponse> {
    const rows = await this.dataSource.query<OrganisationKeysRow[]>(
      `SELECT root_sign_pk, intake_box_pk, intake_key_signature, intake_key_version
         FROM organisation WHERE id`,
    );
    const org = rows[0];
    if (!org) throw notOpen();
    this.organisationReady = true;
    return {
      intakePublicKey: org.intake_box_pk.toString('base64url'),
      signature: org.intake_key_signature.toString('base64url'),
      rootPublicKey: org.root_sign_pk.toString('base64url'),
      keyVersion: org.intake_key_version,
    };
  }

  async submit(body: SubmitIntakeBody, idempotencyKey: string): Promise<IntakeReceipt> {
    const envelope = decodeSealedEnvelope(body.envelope, 'intake');
    const lookupId = decodeLookupId(body.lookupId);
    const replyPublicKey = decodePublicKey(body.replyPublicKey, 'replyPublicKey');
    await this.requireOrganisation();
    const keyHash = idempotencyKeyHash('submission', idempotencyKey);
    const fingerprint = requestHash('submission', envelope, lookupId, replyPublicKey, body.urgency);
    // Written together with concurrent submissions: one transaction, one audit append for
    // the batch, each submission its own answer (IntakeSubmissionBatcher, docs/intake.md).
    await this.batcher.submit({
      keyHash,
      fingerprint,
      day: utcDay(),
      lookupId,
      replyPublicKey,
      envelope,
      urgency: body.urgency,
      keyVersion: body.keyVersion,
    });
    return RECEIVED;
  }

  /**
   * The person's own follow-up, sealed to the intake key. When no thread has this lookup id
   * (a mistyped but valid code, or one that never existed) the follow-up is received as a new
   * submission under that code, with routine urgency: the answer is the same either way, so
   * this endpoint cannot be used to test whether a code exists, and the person still reaches
   * the hotline and can read replies with the code they typed.
   */
  async followUp(body: IntakeFollowUpBody, idempotencyKey: string): Promise<IntakeReceipt> {
    const envelope = decodeSealedEnvelope(body.envelope, 'intake');
    const lookupId = decodeLookupId(body.lookupId);
    const replyPublicKey = decodePublicKey(body.replyPublicKey, 'replyPublicKey');
    await this.requireOrganisation();
    const keyHash = idempotencyKeyHash('follow-up', idempotencyKey);
    const fingerprint = requestHash('follow-up', envelope, lookupId, replyPublicKey);
    const day = utcDay();
    return this.dataSource.transaction(async (manager) => {
      await requireCurrentIntakeKeyVersion(manager, body.keyVersion);
      const outcome = await this.claimIdempotencyKey(manager, keyHash, fingerprint, day);
      if (outcome === 'replay') return RECEIVED;
      // Locking the thread serialises follow-ups to it, so positions stay 1, 2, 3…
      const thread = await manager.query<unknown[]>(
        'SELECT 1 FROM intake_thread WHERE lookup_id = $1 FOR UPDATE',
        [lookupId],
      );
      if (thread.length === 1) {
        await manager.query(
          `INSERT INTO intake_message
             (lookup_id, position, direction, envelope, created_on, key_version)
           SELECT $1, COALESCE(max(position), 0) + 1, 'from_person', $2, $3, $4
           FROM intake_message WHERE lookup_id = $1`,
          [lookupId, envelope, day, body.keyVersion],
        );
        await this.audit.record(manager, {
          actor: null,
          action: 'intake.follow_up',
          outcome: 'ok',
        });
      } else {
        await manager.query(
          `WITH thread AS (
             INSERT INTO intake_thread (lookup_id, reply_public_key, created_on)
             VALUES ($1, $2, $3) ON CONFLICT (lookup_id) DO NOTHING
           )
           INSERT INTO intake_submission (lookup_id, envelope, urgency, received_on, key_version)
           VALUES ($1, $4, 'routine', $3, $5)`,
          [lookupId, replyPublicKey, day, envelope, body.keyVersion],
        );
        await this.audit.record(manager, { actor: null, action: 'intake.submit', outcome: 'ok' });
      }
      return RECEIVED;
    });
  }

  /**
   * The thread's messages, oldest first (the latest THREAD_PAGE). Known and unknown lookup ids
   * run the same single indexed query, and an unknown one answers exactly like a thread
   * without messages. Not audited: it changes nothing and names no one.
   */
  async thread(lookupIdHex: string): Promise<IntakeThreadResponse> {
    const lookupId = decodeLookupId(lookupIdHex);
    const rows = await this.dataSource.query<ThreadMessageRow[]>(
      `SELECT direction,
              CASE WHEN direction = 'from_staff' THEN envelope END AS envelope,
              to_char(created_on, 'YYYY-MM-DD') AS sent_on
       FROM intake_message WHERE lookup_id = $1
       ORDER BY position DESC LIMIT $2`,
      [lookupId, THREAD_PAGE],
    );
    return {
      messages: rows.reverse().map((row) => ({
        direction: row.direction,
        sentOn: row.sent_on,
        envelope: row.envelope ? row.envelope.toString('base64url') : null,
      })),
    };
  }

  /** Deletes idempotency keys from before yesterday (UTC). Returns how many went. */
  async purgeIdempotencyKeys(today = utcDay()): Promise<number> {
    const result = await this.dataSource.query<{ count: number }[]>(
      `WITH gone AS (
         DELETE FROM intake_idempotency WHERE created_on < $1::date - 1 RETURNING 1
       ) SELECT count(*)::int AS count FROM gone`,
      [today],
    );
    return result[0]?.count ?? 0;
  }

  private async requireOrganisation(): Promise<void> {
    if (this.organisationReady) return;
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM organisation WHERE id');
    if (rows.length === 0) throw notOpen();
    this.organisationReady = true;
  }

  /** Inserts the key; when it was used before, tells a replay from a conflicting reuse. */
  private async claimIdempotencyKey(
    manager: EntityManager,
    keyHash: Buffer,
    fingerprint: Buffer,
    day: string,
  ): Promise<IdempotencyOutcome> {
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO intake_idempotency (key_hash, request_hash, created_on)
       VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING RETURNING 1`,
      [keyHash, fingerprint, day],
    );
    if (inserted.length === 1) return 'fresh';
    await this.replayOrConflict(manager, keyHash, fingerprint);
    return 'replay';
  }

  /**
   * The key was taken (by an earlier request, or a concurrent one that has committed: the
   * insert waited for it). Same request → a replay, answered like the first; another → 409.
   */
  private async replayOrConflict(
    manager: EntityManager,
    keyHash: Buffer,
    fingerprint: Buffer,
  ): Promise<void> {
    // A new statement, so it sees a row that a concurrent transaction committed meanwhile.
    const rows = await manager.query<{ request_hash: Buffer }[]>(
      'SELECT request_hash FROM intake_idempotency WHERE key_hash = $1',
      [keyHash],
    );
    const earlier = rows[0]?.request_hash;
    if (earlier?.equals(fingerprint)) return;
    throw keyReusedConflict();
  }
}

function notOpen(): ServiceUnavailableException {
  return new ServiceUnavailableException(
    'Intake is not open yet: first-run setup has not created the organisation keys.',
  );
}
