import { releaseProxy, wrap } from 'comlink';
import type { CheckpointWorkerApi, SignedHead } from './checkpoint.worker';

export type { SignedHead };

export interface CheckpointVerifier {
  fingerprint(publicKey: string): Promise<string>;
  verify(checkpoint: SignedHead, publicKey: string): Promise<boolean>;
  dispose(): void;
}

/** Starts the audit page's worker (Vite bundles it as its own chunk, fetched on first use). */
export function createCheckpointVerifier(): CheckpointVerifier {
  const worker = new Worker(new URL('./checkpoint.worker.ts', import.meta.url), {
    type: 'module',
    name: 'haven-audit-checkpoints',
  });
  const remote = wrap<CheckpointWorkerApi>(worker);
  return {
    fingerprint: (publicKey) => remote.fingerprint(publicKey),
    verify: (checkpoint, publicKey) =>
      remote.verify(
        { seq: checkpoint.seq, head: checkpoint.head, signature: checkpoint.signature },
        publicKey,
      ),
    dispose() {
      remote[releaseProxy]();
      worker.terminate();
    },
  };
}
