/**
 * Triage of anonymous intake and the staff side of its threads (docs/intake.md, "Triage").
 * The server never opens anything here: coordinators' browsers open submissions and follow-ups
 * with the intake key and send their content back encrypted under a case key; staff replies
 * arrive sealed to the person's reply key. Every action is one transaction with its audit
 * event; case-scoped actions run under the case's lock and answer 404 for a case the caller
 * holds no grant for (CaseStore.withCase).
 */
import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type {
  CaseReplyRequest,
  CaseReplyResponse,
  CaseThreadsResponse,
  DiscardSubmissionRequest,
  FileFollowUpRequest,
  LinkSubmissionRequest,
  TriageDone,
  TriageQueueResponse,
} from '@haven/contracts';
import { checkReplyEnvelope } from '@haven/crypto';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { CaseStore, rows, TODAY_SQL, type ReachableCase } from '../cases/case-store';
import { decodeBase64Url, encodeBase64Url, recordEnvelope, rotationDue } from '../cases/envelopes';

/** Most submissions and follow-ups one queue answer carries. */
export const QUEUE_PAGE = 200;

interface SubmissionRow {
  id: string;
  urgency: 'routine' | 'urgent' | 'critical';
  received_on: string;
  envelope: Buffer;
  key_version: number;
}

interface FollowUpRow {
  id: string;
  case_code: string;
  sent_on: string;
  envelope: Buffer;
  key_version: number;
}

interface ThreadRow {
  lookup_id: Buffer;
  case_id: string | null;
}

@Injectable()
export class TriageService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditService,
  ) {}

  private actor(caller: Caller) {
    return { id: caller.userId, role: caller.role };
  }

  async queue(caller: Caller): Promise<TriageQueueResponse> {
    return this.store.dataSource.transaction(async (m) => {
      const submissions = await rows<SubmissionRow>(
        m,
        `SELECT id, urgency, received_on::text AS received_on, envelope, key_version
           FROM intake_submission
          ORDER BY CASE urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END,
                   received_on, id
          LIMIT $1`,
        [QUEUE_PAGE],
      );
      const followUps = await rows<FollowUpRow>(
        m,
        `SELECT msg.id, c.code AS case_code, msg.created_on::text AS sent_on, msg.envelope,
                msg.key_version
           FROM intake_message msg
           JOIN intake_thread t ON t.lookup_id = msg.lookup_id
           JOIN case_file c ON c.id = t.case_id
           JOIN case_grant g ON g.case_id = c.id AND g.user_id = $1
          WHERE msg.direction = 'from_person'
          ORDER BY msg.created_on, c.code, msg.position
          LIMIT $2`,
        [caller.userId, QUEUE_PAGE],
      );
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: 'intake.read',
        target: null,
        outcome: 'ok',
      });
      return {
        submissions: submissions.map((s) => ({
          id: s.id,
          urgency: s.urgency,
          receivedOn: s.received_on,
          envelope: encodeBase64Url(s.envelope),
          keyVersion: s.key_version,
        })),
        followUps: followUps.map((f) => ({
          id: f.id,
          caseCode: f.case_code,
          sentOn: f.sent_on,
          envelope: encodeBase64Url(f.envelope),
          keyVersion: f.key_version,
        })),
      };
    });
  }

  /**
   * Convert (the browser has just opened the case with the cases feature's create flow) or
   * merge: the submission's content becomes an entry of the case, its thread is linked to the
   * case so that the case's people can answer, and the submission is deleted.
   */
  async link(
    caller: Caller,
    submissionId: string,
    body: LinkSubmissionRequest,
  ): Promise<TriageDone> {
    const action = body.mode === 'convert' ? 'intake.convert' : 'intake.merge';
    return this.store.withCase(caller, body.caseCode, action, async (m, row) => {
      const submission = await this.lockSubmission(m, submissionId);
      const thread = await this.lockThread(m, submission.lookup_id);
      if (thread.case_id !== null && thread.case_id !== row.id) {
        throw new ConflictException(
          'This person’s thread already belongs to another case: merge into that case instead',
        );
      }
      await this.insertIntakeEntry(m, caller, row, body.entry);
      await m.query('UPDATE intake_thread SET case_id = $2 WHERE lookup_id = $1', [
        thread.lookup_id,
        row.id,
      ]);
      await m.query('DELETE FROM intake_submission WHERE id = $1', [submissionId]);
      await this.audit.record(m, {
        actor: this.actor(caller),
        action,
        target: row.code,
        outcome: 'ok',
      });
      return { status: 'done', caseCode: row.code };
    });
  }

  /**
   * Spam or delete. The thread goes too when nothing else hangs on it (no case, no other
   * submission), taking the person's follow-ups with it; the receipt code then reads as unknown.
   */
  async discard(
    caller: Caller,
    submissionId: string,
    body: DiscardSubmissionRequest,
  ): Promise<TriageDone> {
    return this.store.dataSource.transaction(async (m) => {
      const submission = await this.lockSubmission(m, submissionId);
      const thread = await this.lockThread(m, submission.lookup_id);
      await m.query('DELETE FROM intake_submission WHERE id = $1', [submissionId]);
      if (thread.case_id === null) {
        await m.query(
          `DELETE FROM intake_thread t WHERE t.lookup_id = $1
              AND NOT EXISTS (SELECT 1 FROM intake_submission s WHERE s.lookup_id = t.lookup_id)`,
          [thread.lookup_id],
        );
      }
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: body.reason === 'spam' ? 'intake.spam' : 'intake.delete',
        target: null,
        outcome: 'ok',
      });
      return { status: 'done', caseCode: null };
    });
  }

  /** A follow-up of a linked thread becomes an entry of its case; the sealed copy is deleted. */
  async fileFollowUp(
    caller: Caller,
    messageId: string,
    body: FileFollowUpRequest,
  ): Promise<TriageDone> {
    const found = await rows<{ code: string }>(
      this.store.dataSource,
      `SELECT c.code FROM intake_message msg
         JOIN intake_thread t ON t.lookup_id = msg.lookup_id
         JOIN case_file c ON c.id = t.case_id
        WHERE msg.id = $1 AND msg.direction = 'from_person'`,
      [messageId],
    );
    if (!found[0]) throw new NotFoundException('This follow-up was filed or deleted meanwhile');
    return this.store.withCase(caller, found[0].code, 'intake.file', async (m, row) => {
      const deleted = await rows<{ id: string }>(
        m,
        `DELETE FROM intake_message msg USING intake_thread t
          WHERE msg.id = $1 AND msg.direction = 'from_person'
            AND t.lookup_id = msg.lookup_id AND t.case_id = $2
          RETURNING msg.id`,
        [messageId, row.id],
      );
      if (!deleted[0]) throw new NotFoundException('This follow-up was filed or deleted meanwhile');
      await this.insertIntakeEntry(m, caller, row, body.entry);
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: 'intake.file',
        target: row.code,
        outcome: 'ok',
      });
      return { status: 'done', caseCode: row.code };
    });
  }

  /** The case's threads: reply keys and message days. Audited like a case read. */
  async threads(caller: Caller, code: string): Promise<CaseThreadsResponse> {
    return this.store.withCase(
      caller,
      code,
      'case.thread_read',
      async (m, row) => {
        const threads = await rows<{ lookup_id: Buffer; reply_public_key: Buffer }>(
          m,
          `SELECT lookup_id, reply_public_key FROM intake_thread
            WHERE case_id = $1 ORDER BY created_on, lookup_id`,
          [row.id],
        );
        const messages = await rows<{ lookup_id: Buffer; direction: string; sent_on: string }>(
          m,
          `SELECT msg.lookup_id, msg.direction, msg.created_on::text AS sent_on
             FROM intake_message msg JOIN intake_thread t ON t.lookup_id = msg.lookup_id
            WHERE t.case_id = $1 ORDER BY msg.position`,
          [row.id],
        );
        await this.audit.record(m, {
          actor: this.actor(caller),
          action: 'case.thread_read',
          target: row.code,
          outcome: 'ok',
        });
        return {
          threads: threads.map((t) => {
            const own = messages.filter((msg) => msg.lookup_id.equals(t.lookup_id));
            return {
              replyPublicKey: encodeBase64Url(t.reply_public_key),
              messages: own.map((msg) => ({
                direction: msg.direction === 'from_staff' ? 'from_staff' : 'from_person',
                sentOn: msg.sent_on,
              })),
              pendingFollowUps: own.filter((msg) => msg.direction === 'from_person').length,
            };
          }),
        };
      },
      { lock: false },
    );
  }

  /**
   * A staff reply: sealed to the reply key in the browser (the server can check its shape
   * only), stored on the thread with that key that is linked to this case, with a copy of the
   * text as a case entry so that colleagues see what was said.
   */
  async reply(caller: Caller, code: string, body: CaseReplyRequest): Promise<CaseReplyResponse> {
    const envelope = decodeBase64Url(body.envelope, 'envelope');
    try {
      checkReplyEnvelope(new Uint8Array(envelope));
    } catch {
      throw new BadRequestException('envelope is not a sealed reply of an accepted size');
    }
    const replyKey = decodeBase64Url(body.replyPublicKey, 'replyPublicKey');
    return this.store.withCase(caller, code, 'case.reply', async (m, row) => {
      // Locking the thread serialises messages on it, so positions stay 1, 2, 3…
      const thread = await rows<{ lookup_id: Buffer }>(
        m,
        `SELECT lookup_id FROM intake_thread
          WHERE case_id = $1 AND reply_public_key = $2 FOR UPDATE`,
        [row.id, replyKey],
      );
      if (!thread[0]) {
        throw new ConflictException('This case has no anonymous thread with that reply key');
      }
      await this.insertIntakeEntry(m, caller, row, body.entry);
      const sent = await rows<{ sent_on: string }>(
        m,
        `INSERT INTO intake_message (lookup_id, position, direction, envelope, created_on)
         SELECT $1, COALESCE(max(position), 0) + 1, 'from_staff', $2, ${TODAY_SQL}
           FROM intake_message WHERE lookup_id = $1
         RETURNING created_on::text AS sent_on`,
        [thread[0].lookup_id, envelope],
      );
      await this.audit.record(m, {
        actor: this.actor(caller),
        action: 'case.reply',
        target: row.code,
        outcome: 'ok',
      });
      return { sentOn: sent[0].sent_on, entryId: body.entry.id };
    });
  }

  private async lockSubmission(m: EntityManager, id: string): Promise<{ lookup_id: Buffer }> {
    const found = await rows<{ lookup_id: Buffer }>(
      m,
      'SELECT lookup_id FROM intake_submission WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!found[0]) throw new NotFoundException('This submission was triaged meanwhile');
    return found[0];
  }

  private async lockThread(m: EntityManager, lookupId: Buffer): Promise<ThreadRow> {
    const found = await rows<ThreadRow>(
      m,
      'SELECT lookup_id, case_id FROM intake_thread WHERE lookup_id = $1 FOR UPDATE',
      [lookupId],
    );
    if (!found[0]) throw new NotFoundException('This submission was triaged meanwhile');
    return found[0];
  }

  /** An intake contact entry (content checked in the browser) at the case's key version. */
  private async insertIntakeEntry(
    m: EntityManager,
    caller: Caller,
    row: ReachableCase,
    entry: { id: string; envelope: string },
  ): Promise<void> {
    if (row.rotation_due) throw rotationDue();
    await this.store.insertEntry(m, {
      id: entry.id,
      caseId: row.id,
      kind: 'contact',
      envelope: recordEnvelope(entry.envelope, 'entry.envelope', row.key_version),
      keyVersion: row.key_version,
      authorId: caller.userId,
      followUpOn: null,
      followUpUser: null,
    });
    await this.store.touch(m, row.id);
  }
}
