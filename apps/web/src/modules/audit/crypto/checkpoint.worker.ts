/**
 * The audit page's own small worker: checks checkpoint signatures and computes the log key's
 * fingerprint with @haven/crypto, off the main thread and without trusting the server's word
 * for either. It holds no secret, so it is separate from the session's key worker.
 */
import { expose } from 'comlink';
import {
  fingerprint,
  fromBase64,
  fromHex,
  initCrypto,
  isCryptoError,
  verifyAuditCheckpoint,
} from '@haven/crypto';

export interface SignedHead {
  seq: number;
  /** Hex. */
  head: string;
  /** Unpadded base64url. */
  signature: string;
}

const api = {
  /** Six groups of five digits, as `fingerprint(publicKey, publicKey)`. */
  async fingerprint(publicKey: string): Promise<string> {
    await initCrypto();
    const key = fromBase64(publicKey);
    return fingerprint(key, key);
  },

  /** True when `publicKey` signed this head at this seq. */
  async verify(checkpoint: SignedHead, publicKey: string): Promise<boolean> {
    await initCrypto();
    try {
      verifyAuditCheckpoint(
        {
          seq: checkpoint.seq,
          head: fromHex(checkpoint.head),
          signature: fromBase64(checkpoint.signature),
        },
        fromBase64(publicKey),
      );
      return true;
    } catch (error) {
      if (isCryptoError(error)) return false;
      throw error;
    }
  },
};

export type CheckpointWorkerApi = typeof api;

expose(api);
