import { ConflictException, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IntakeUrgency } from '@haven/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditEventInput } from '../audit/audit-event';
import { AuditService } from '../audit/audit.service';
import { currentIntakeKeyVersion, intakeKeyRotated } from './intake-key-version';

/** A validated submission, decoded and hashed, ready to be written. */
export interface PendingSubmission {
  /** `idempotencyKeyHash('submission', key)`. */
  keyHash: Buffer;
  /** `requestHash('submission', …)`: tells a replay from a conflicting reuse of the key. */
  fingerprint: Buffer;
  /** The UTC day the request arrived (`YYYY-MM-DD`). */
  day: string;
  lookupId: Buffer;
  replyPublicKey: Buffer;
  envelope: Buffer;
  urgency: IntakeUrgency;
  /** The intake key version the envelope says it was sealed to (docs/intake.md, rotation). */
  keyVersion: number;
}

/** What became of one submission in its batch's transaction. */
export type SubmissionOutcome =
  | { kind: 'stored' }
  | { kind: 'replay' }
  | { kind: 'conflict' }
  | { kind: 'failed'; error: unknown };

interface Waiting {
  item: PendingSubmission;
  resolve: (outcome: SubmissionOutcome) => void;
  reject: (error: unknown) => void;
}

/** The statement that writes a whole batch failed; the batch is written again one by one. */
class BatchStatementFailed extends Error {
  constructor(readonly reason: unknown) {
    super('intake batch statement failed');
  }
}

/** The 409 for an Idempotency-Key already used for another request. */
export function keyReusedConflict(): ConflictException {
  return new ConflictException(
    'This Idempotency-Key was already used for a different request; send a new key.',
  );
}

/** At most this many submissions share one transaction. */
export const MAX_BATCH = 64;
/**
 * Batches of one process in flight at once: while one holds the audit log's lock and commits,
 * the next writes its rows, then queues for the lock. More would only queue on the lock.
 */
export const MAX_IN_FLIGHT = 2;

function keyOf(item: PendingSubmission): string {
  return item.keyHash.toString('base64');
}

const SUBMISSION_AUDIT: AuditEventInput = { actor: null, action: 'intake.submit', outcome: 'ok' };

/**
 * One statement for any number of submissions (fields packed as described in `insert`): each key, the threads (one per new lookup id;
 * a code already in use keeps its thread) and the submissions, for the keys that were new.
 * Returns the 1-based positions of the submissions stored. Keys and then lookup ids are
 * inserted in sorted order, so two batches (of this process or of another replica) that wait
 * for each other's keys or threads always wait in the same direction and cannot deadlock.
 */
const INSERT_SUBMISSIONS = `
  WITH sizes AS (
    SELECT i::int AS i, day, urgency, key_version, len,
           (sum(len) OVER (ORDER BY i) - len + 1)::int AS start
    FROM unnest($6::int[], $7::date[], $8::text[], $9::int[])
      WITH ORDINALITY AS t(len, day, urgency, key_version, i)
  ), input AS (
    SELECT i, day, urgency, key_version,
           substring($1::bytea FROM i * 32 - 31 FOR 32) AS key_hash,
           substring($2::bytea FROM i * 32 - 31 FOR 32) AS request_hash,
           substring($3::bytea FROM i * 16 - 15 FOR 16) AS lookup_id,
           substring($4::bytea FROM i * 32 - 31 FOR 32) AS reply_public_key,
           substring($5::bytea FROM start FOR len) AS envelope
    FROM sizes
  ), idem AS (
    INSERT INTO intake_idempotency (key_hash, request_hash, created_on)
    SELECT key_hash, request_hash, day FROM input ORDER BY key_hash
    ON CONFLICT (key_hash) DO NOTHING RETURNING key_hash
  ), fresh AS (
    SELECT input.* FROM input JOIN idem USING (key_hash)
  ), thread AS (
    INSERT INTO intake_thread (lookup_id, reply_public_key, created_on)
    SELECT DISTINCT ON (lookup_id) lookup_id, reply_public_key, day FROM fresh
    ORDER BY lookup_id, i
    ON CONFLICT (lookup_id) DO NOTHING
  ), submission AS (
    INSERT INTO intake_submission (lookup_id, envelope, urgency, received_on, key_version)
    SELECT lookup_id, envelope, urgency, day, key_version FROM fresh ORDER BY i
  )
  SELECT i::int AS i FROM fresh`;

/**
 * Group commit for intake submissions (docs/intake.md, "Batched writes"). Concurrent
 * submissions are written together: one transaction, one statement for all their rows, one
 * acquisition of the audit log's lock extending the chain by one `intake.submit` per stored
 * submission, one COMMIT. Each caller still gets its own answer, exactly as if it had been
 * alone:
 *
 * - a new key stores its submission (and its event); a key already stored answers as a replay
 *   (same request) or a conflict (another request), like the single-request path;
 * - two submissions with the same key never share a batch, nor run in two batches at once:
 *   the later one waits for the batch of the earlier one to end and then sees its committed
 *   key, as a retry would (replicas still race each other, as single requests did);
 * - if the batch's statement fails (a row the database refuses, a deadlock), its transaction is
 *   rolled back and the batch is written again in a new one, each submission under its own
 *   savepoint, so one failing submission fails alone and nothing of it is left (no savepoint
 *   in the common case: each costs two round trips and a subtransaction);
 * - if the transaction itself fails (the audit append, the COMMIT), every caller gets the error
 *   and nothing of the batch is stored.
 *
 * Nothing waits for a timer: a batch starts as soon as fewer than MAX_IN_FLIGHT are running,
 * with what has queued meanwhile (requests that arrived in the same turn of the event loop go
 * together). Alone, a submission is written at once in a transaction of its own. Across API
 * replicas nothing changes: each process batches its own requests, and batches of all
 * processes take the audit log's lock one after the other, as single appends do.
 */
@Injectable()
export class IntakeSubmissionBatcher implements BeforeApplicationShutdown {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private drained: (() => void)[] = [];
  /** Idempotency keys of the batches running now. */
  private readonly busyKeys = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Writes the submission in the next batch; resolves once that batch has committed. */
  async submit(item: PendingSubmission): Promise<'stored' | 'replay'> {
    const outcome = await new Promise<SubmissionOutcome>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
    switch (outcome.kind) {
      case 'stored':
      case 'replay':
        return outcome.kind;
      case 'conflict':
        throw keyReusedConflict();
      case 'failed':
        throw outcome.error;
    }
  }

  /** Lets queued and running batches finish before the database pool is closed. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    // After the current turn of the event loop: requests parsed in the same turn join.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.queue.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.takeBatch();
      // Everything queued waits for a running batch with the same key.
      if (batch.length === 0) return;
      const keys = batch.map((w) => keyOf(w.item));
      for (const key of keys) this.busyKeys.add(key);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        for (const key of keys) this.busyKeys.delete(key);
        this.inFlight -= 1;
        if (this.queue.length > 0) this.schedule();
        else if (this.inFlight === 0) for (const done of this.drained.splice(0)) done();
      });
    }
  }

  /**
   * Up to MAX_BATCH submissions in arrival order, at most one per idempotency key, and none
   * whose key is in a batch still running: requests with the same key are written one after
   * the other, in the order they arrived, each seeing the one before it committed.
   */
  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const keys = new Set<string>();
    for (const waiting of this.queue) {
      const key = keyOf(waiting.item);
      if (batch.length < MAX_BATCH && !keys.has(key) && !this.busyKeys.has(key)) {
        keys.add(key);
        batch.push(waiting);
      } else {
        rest.push(waiting);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async run(batch: Waiting[]): Promise<void> {
    const items = batch.map((w) => w.item);
    let outcomes: SubmissionOutcome[];
    try {
      try {
        outcomes = await this.dataSource.transaction((m) => this.write(m, items, false));
      } catch (error) {
        // The batch's statement failed and its transaction was rolled back: again, one by one.
        if (!(error instanceof BatchStatementFailed)) throw error;
        outcomes = await this.dataSource.transaction((m) => this.write(m, items, true));
      }
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    // Answers go out only after COMMIT: a caller told "stored" can rely on it.
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (outcome) waiting.resolve(outcome);
      else waiting.reject(new Error('intake batch returned no outcome'));
    });
  }

  /**
   * The batch's rows and audit events, in the caller's transaction; one outcome per item.
   * Together in one statement, or (`oneByOne`, after that failed) each under a savepoint.
   */
  private async write(
    manager: EntityManager,
    items: readonly PendingSubmission[],
    oneByOne: boolean,
  ): Promise<SubmissionOutcome[]> {
    // An envelope sealed to a replaced intake key is refused (409) before anything of it is
    // written; the lock taken here keeps a rotation from committing until this batch ends.
    const version = await currentIntakeKeyVersion(manager);
    const current = items.filter((item) => item.keyVersion === version);
    let written: SubmissionOutcome[] = [];
    if (current.length === 0) {
      written = [];
    } else if (oneByOne) {
      for (const item of current) written.push(await this.insertAlone(manager, item));
    } else {
      try {
        written = await this.insert(manager, current);
      } catch (error) {
        // Alone, the failure is the submission's own, as it would be without batching.
        throw items.length > 1 ? new BatchStatementFailed(error) : error;
      }
    }
    const stored = written.filter((o) => o.kind === 'stored').length;
    await this.audit.recordMany(manager, Array<AuditEventInput>(stored).fill(SUBMISSION_AUDIT));
    const next = written[Symbol.iterator]();
    return items.map((item): SubmissionOutcome => {
      if (item.keyVersion !== version) return { kind: 'failed', error: intakeKeyRotated() };
      return next.next().value ?? { kind: 'failed', error: new Error('no outcome') };
    });
  }

  /** One submission under its own savepoint: if it fails, nothing of it remains. */
  private async insertAlone(
    manager: EntityManager,
    item: PendingSubmission,
  ): Promise<SubmissionOutcome> {
    await manager.query('SAVEPOINT intake_item');
    try {
      const [outcome] = await this.insert(manager, [item]);
      await manager.query('RELEASE SAVEPOINT intake_item');
      return outcome ?? { kind: 'failed', error: new Error('no outcome') };
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT intake_item');
      return { kind: 'failed', error };
    }
  }

  /** Writes the items' rows; those whose key was already taken are told replay or conflict. */
  private async insert(
    manager: EntityManager,
    items: readonly PendingSubmission[],
  ): Promise<SubmissionOutcome[]> {
    for (const item of items) {
      // Fixed-size fields are packed side by side: a wrong size would shift every other row.
      if (
        item.keyHash.length !== 32 ||
        item.fingerprint.length !== 32 ||
        item.lookupId.length !== 16 ||
        item.replyPublicKey.length !== 32
      ) {
        throw new Error('intake batch: a submission field has the wrong size');
      }
    }
    // Bytes travel as a few binary parameters (each field concatenated, envelopes with their
    // lengths), not as arrays, which node-postgres would send as hex text.
    const rows = await manager.query<{ i: number }[]>(INSERT_SUBMISSIONS, [
      Buffer.concat(items.map((s) => s.keyHash)),
      Buffer.concat(items.map((s) => s.fingerprint)),
      Buffer.concat(items.map((s) => s.lookupId)),
      Buffer.concat(items.map((s) => s.replyPublicKey)),
      Buffer.concat(items.map((s) => s.envelope)),
      items.map((s) => s.envelope.length),
      items.map((s) => s.day),
      items.map((s) => s.urgency),
      items.map((s) => s.keyVersion),
    ]);
    const stored = new Set(rows.map((r) => r.i - 1));
    const taken = items.filter((_, i) => !stored.has(i));
    const earlier = new Map<string, Buffer>();
    if (taken.length > 0) {
      // The keys were taken by an earlier request, or a concurrent one that has committed (the
      // insert waited for it). A new statement, so it sees rows committed meanwhile.
      const found = await manager.query<{ key_hash: Buffer; request_hash: Buffer }[]>(
        'SELECT key_hash, request_hash FROM intake_idempotency WHERE key_hash = ANY($1::bytea[])',
        [taken.map((s) => s.keyHash)],
      );
      for (const row of found) earlier.set(row.key_hash.toString('base64'), row.request_hash);
    }
    return items.map((item, i): SubmissionOutcome => {
      if (stored.has(i)) return { kind: 'stored' };
      const hash = earlier.get(item.keyHash.toString('base64'));
      return hash?.equals(item.fingerprint) ? { kind: 'replay' } : { kind: 'conflict' };
    });
  }
}
