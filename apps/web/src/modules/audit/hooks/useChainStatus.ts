import {
  routes,
  type AuditCheckpoint,
  type AuditCheckpointBook,
  type VerifyAuditResponse,
} from '@haven/contracts';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { api } from '../../../api/client';
import { createCheckpointVerifier, type CheckpointVerifier } from '../crypto/checkpoint-verifier';
import { add, conflicts, emptyBook, judge, parseBook } from '../utils/checkpoint-book';
import { checkpointStore } from '../utils/checkpoint-store';
import { todayUtc } from '../utils/filters';

export type ChainWarning =
  | { kind: 'fingerprintMismatch' }
  | { kind: 'keyChanged' }
  | { kind: 'badSignature'; seq: number }
  | { kind: 'fork'; seq: number }
  | { kind: 'rollback'; seq: number };

export interface ChainReport {
  /** The log key, with the fingerprint computed in this browser. */
  logKey: { publicKey: string; fingerprint: string };
  result: VerifyAuditResponse;
  /** The newest checkpoint whose signature this browser checked (the one just verified). */
  lastVerified: AuditCheckpoint | null;
  warnings: ChainWarning[];
}

const isBreach = (w: ChainWarning) => w.kind === 'fork' || w.kind === 'rollback';

/**
 * Verifies the chain (on the server, which recomputes every hash), then checks in this
 * browser what it need not take on trust: the signature on the verified head, the log key's
 * fingerprint, and that the head extends every checkpoint kept so far (a fork or rollback
 * otherwise). A clean, correctly signed head joins the kept checkpoints.
 */
async function checkChain(verifier: CheckpointVerifier): Promise<ChainReport> {
  const key = await api.request(routes.auditLogKey);
  const fingerprint = await verifier.fingerprint(key.publicKey);
  const warnings: ChainWarning[] = [];
  if (fingerprint !== key.fingerprint) warnings.push({ kind: 'fingerprintMismatch' });
  const kept = checkpointStore.get();
  const keyChanged = kept !== null && kept.logKey.publicKey !== key.publicKey;
  if (keyChanged) warnings.push({ kind: 'keyChanged' });
  let book: AuditCheckpointBook =
    kept && !keyChanged ? kept : emptyBook({ publicKey: key.publicKey, fingerprint }, todayUtc());
  for (const c of conflicts(book)) warnings.push({ kind: 'fork', seq: c.seq });

  const result = await api.request(routes.verifyAudit, { body: {} });
  let lastVerified: AuditCheckpoint | null = null;
  const checkpoint = result.ok ? result.checkpoint : null;
  if (checkpoint) {
    const signed =
      checkpoint.publicKey === key.publicKey && (await verifier.verify(checkpoint, key.publicKey));
    if (!signed) warnings.push({ kind: 'badSignature', seq: checkpoint.seq });
    const judgement = judge(book, checkpoint);
    if (judgement.kind === 'fork' || judgement.kind === 'rollback') {
      warnings.push({ kind: judgement.kind, seq: judgement.at.seq });
    }
    if (judgement.kind === 'extends') {
      // The server must still hold the kept head at its seq: ask it to verify from there.
      const from = judgement.from;
      const extended = await api.request(routes.verifyAudit, {
        body: { from: { seq: from.seq, head: from.head } },
      });
      if (!extended.ok) {
        warnings.push({
          kind: extended.reason === 'rollback' ? 'rollback' : 'fork',
          seq: from.seq,
        });
      }
    }
    if (signed) lastVerified = checkpoint;
    if (signed && !keyChanged && !warnings.some(isBreach)) book = add(book, checkpoint);
  }
  if (!keyChanged) checkpointStore.set(book);
  return { logKey: { publicKey: key.publicKey, fingerprint }, result, lastVerified, warnings };
}

export type LoadProblem = 'notABook' | 'keyChanged' | 'badSignatures';

/**
 * Verification on mount and on demand, and loading a checkpoint file kept from before: its
 * signatures are checked here, then the chain is verified against it.
 */
export function useChainStatus() {
  const verifier = useRef<CheckpointVerifier | null>(null);
  const getVerifier = useCallback(() => {
    verifier.current ??= createCheckpointVerifier();
    return verifier.current;
  }, []);
  useEffect(
    () => () => {
      verifier.current?.dispose();
      verifier.current = null;
    },
    [],
  );

  const check = useMutation({ mutationFn: () => checkChain(getVerifier()) });
  const { mutate } = check;
  useEffect(() => mutate(), [mutate]);

  const load = useMutation({
    mutationFn: async (text: string): Promise<{ added: number; problem: LoadProblem | null }> => {
      const loaded = parseBook(text);
      if (!loaded) return { added: 0, problem: 'notABook' };
      const current = checkpointStore.get();
      if (current && current.logKey.publicKey !== loaded.logKey.publicKey) {
        return { added: 0, problem: 'keyChanged' };
      }
      let book = current ?? { ...loaded, checkpoints: [] };
      let bad = 0;
      for (const c of loaded.checkpoints) {
        if (await getVerifier().verify(c, loaded.logKey.publicKey)) book = add(book, c);
        else bad += 1;
      }
      checkpointStore.set(book);
      mutate();
      return {
        added: loaded.checkpoints.length - bad,
        problem: bad > 0 ? 'badSignatures' : null,
      };
    },
  });

  return { check, load };
}
