import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  AuditCheckpoint as CheckpointDto,
  AuditLogKeyResponse,
  VerifyAuditRequest,
  VerifyAuditResponse,
} from '@haven/contracts';
import {
  bytesEqual,
  fromHex,
  GENESIS_HASH,
  isCryptoError,
  toBase64,
  toHex,
  verifyAuditCheckpoint,
} from '@haven/crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { storeCheckpoint, type SqlFn } from './audit-append';
import type { AuditEventRow } from './audit-chain';
import { AuditLogKey } from './audit-log-key';
import { verifyAuditLog, type ChainAnchor, type LogVerification } from './audit-verifier';
import { AuditService, sqlOf } from './audit.service';

interface CheckpointRow {
  seq: string;
  head: Buffer;
  signature: Buffer;
  public_key: Buffer;
  created_on: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * The integrity side of the log: the log key, signed checkpoints and verification. The server
 * never signs a head that does not extend its own latest checkpoint, and a full verification
 * also checks that every checkpoint it signed still matches the chain, so a log rewritten with
 * fresh hashes (which passes the hash check) still shows as a fork.
 */
@Injectable()
export class AuditIntegrityService {
  /** Verifications run one at a time: each reads the whole log. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logKey: AuditLogKey,
    private readonly audit: AuditService,
  ) {}

  logKeyInfo(): AuditLogKeyResponse {
    return {
      algorithm: 'Ed25519',
      publicKey: toBase64(this.logKey.publicKey),
      fingerprint: this.logKey.fingerprint,
    };
  }

  private dto(
    seq: number,
    head: Uint8Array,
    signature: Uint8Array,
    createdOn: string,
  ): CheckpointDto {
    return {
      seq,
      head: toHex(head),
      signature: toBase64(signature),
      publicKey: toBase64(this.logKey.publicKey),
      createdOn,
    };
  }

  /** Signed checkpoints of this log key, oldest first (forged or foreign rows are left out). */
  private async ownCheckpoints(sql: SqlFn, fromSeq = 0): Promise<Map<number, Uint8Array>> {
    const rows = (await sql(
      `SELECT seq, head, signature, public_key, created_on::text AS created_on
         FROM audit_checkpoint WHERE seq >= $1 AND public_key = $2 ORDER BY seq`,
      [fromSeq, Buffer.from(this.logKey.publicKey)],
    )) as CheckpointRow[];
    const anchors = new Map<number, Uint8Array>();
    for (const row of rows) {
      const checkpoint = {
        seq: Number(row.seq),
        head: new Uint8Array(row.head),
        signature: new Uint8Array(row.signature),
      };
      try {
        verifyAuditCheckpoint(checkpoint, this.logKey.publicKey);
        anchors.set(checkpoint.seq, checkpoint.head);
      } catch (error) {
        if (!isCryptoError(error)) throw error;
      }
    }
    return anchors;
  }

  /**
   * The signed checkpoint for the head at `seq` (stored, or signed and stored now). Refuses
   * (409) when the chain from the latest stored checkpoint to `seq` does not verify.
   */
  private async signHead(m: EntityManager, seq: number, head: Uint8Array): Promise<CheckpointDto> {
    const sql = sqlOf(m);
    const stored = (await sql(
      `SELECT seq, head, signature, public_key, created_on::text AS created_on
         FROM audit_checkpoint WHERE seq = $1`,
      [seq],
    )) as CheckpointRow[];
    const row = stored[0];
    if (
      row &&
      bytesEqual(new Uint8Array(row.public_key), this.logKey.publicKey) &&
      bytesEqual(new Uint8Array(row.head), head)
    ) {
      return this.dto(seq, head, new Uint8Array(row.signature), row.created_on);
    }
    const anchors = await this.ownCheckpoints(sql);
    const below = [...anchors.keys()].filter((s) => s <= seq);
    const latest = below.length ? Math.max(...below) : 0;
    const from: ChainAnchor = { seq: latest, head: anchors.get(latest) ?? GENESIS_HASH };
    const check = await verifyAuditLog((text, params) => this.rows(m, text, params), {
      from,
      logKey: this.logKey.publicKey,
    });
    if (!check.ok || check.headSeq < seq) {
      throw new ConflictException(
        check.ok
          ? 'The audit log changed while it was being checked; try again'
          : `The audit chain is broken at seq ${check.brokenAtSeq} (${check.reason}): no ` +
              'checkpoint is signed until that is investigated',
      );
    }
    const signed = this.logKey.sign(seq, head);
    if (!row) await storeCheckpoint(sql, signed, this.logKey.publicKey);
    return this.dto(seq, head, signed.signature, today());
  }

  private async rows(m: EntityManager, sql: string, params: unknown[]) {
    return { rows: await m.query<AuditEventRow[]>(sql, params) };
  }

  /**
   * The current head, signed. An empty log gets the genesis signed (and nothing stored).
   * READ COMMITTED: events up to the head never change, and two auditors storing the same
   * checkpoint at once must meet ON CONFLICT DO NOTHING, not a serialization failure.
   */
  currentCheckpoint(): Promise<CheckpointDto> {
    return this.dataSource.transaction((m) => this.checkpointIn(m));
  }

  /** Within an open transaction: the signed head (exports must be covered by theirs). */
  async checkpointIn(m: EntityManager): Promise<CheckpointDto> {
    const last = await m.query<{ seq: string; hash: Buffer }[]>(
      'SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1',
    );
    if (!last[0]) {
      return this.dto(0, GENESIS_HASH, this.logKey.sign(0, GENESIS_HASH).signature, today());
    }
    return this.signHead(m, Number(last[0].seq), new Uint8Array(last[0].hash));
  }

  /** POST /api/audit/verify: one at a time; the verification itself is audited. */
  verify(caller: Caller, body: VerifyAuditRequest): Promise<VerifyAuditResponse> {
    const run = this.queue.then(() => this.verifyNow(caller, body));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async verifyNow(caller: Caller, body: VerifyAuditRequest): Promise<VerifyAuditResponse> {
    const from = body.from ? { seq: body.from.seq, head: fromHex(body.from.head) } : undefined;
    const result: LogVerification = await this.dataSource.transaction(
      'REPEATABLE READ',
      async (m) => {
        const anchors = await this.ownCheckpoints(sqlOf(m), from?.seq ?? 0);
        return verifyAuditLog((text, params) => this.rows(m, text, params), {
          from,
          anchors,
          logKey: this.logKey.publicKey,
        });
      },
    );
    let checkpoint: CheckpointDto | null = null;
    if (result.ok && result.headSeq > 0) {
      checkpoint = await this.dataSource.transaction((m) =>
        this.signHead(m, result.headSeq, result.head),
      );
    } else if (result.ok) {
      checkpoint = this.dto(0, GENESIS_HASH, this.logKey.sign(0, GENESIS_HASH).signature, today());
    }
    await this.audit.recordNow({
      actor: { id: caller.userId, role: caller.role },
      action: 'audit.verify',
      target: from ? `from:${from.seq}` : null,
      outcome: result.ok ? 'ok' : `failed:${result.reason}`,
    });
    return {
      ok: result.ok,
      fromSeq: result.fromSeq,
      count: result.count,
      headSeq: result.ok ? result.headSeq : null,
      head: result.ok ? toHex(result.head) : null,
      brokenAtSeq: result.ok ? null : result.brokenAtSeq,
      reason: result.ok ? null : result.reason,
      checkpoint,
      verifiedOn: today(),
      trimmedThroughSeq: result.trimmedThroughSeq,
      trimmedOn: result.trimmedOn,
    };
  }
}
