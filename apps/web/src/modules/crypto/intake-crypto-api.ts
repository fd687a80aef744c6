/**
 * The triage operations of the crypto worker (see intake-crypto-protocol.ts). The intake
 * private key never leaves the worker: it is unwrapped or opened from a grant into a handle,
 * and only sealed grants and sealed replies come out.
 */
import {
  CryptoError,
  sealGrant,
  sealReply,
  unwrapIntakeKey,
  utf8Encode,
  verifyIntakeKey,
  wipe,
  type BoxKeyPair,
  type CertifiedKey,
  type UserKeys,
} from '@haven/crypto';
import type { IntakeHandle } from './crypto-protocol';
import type { IntakeCryptoApi } from './intake-crypto-protocol';

/** How the triage operations reach the worker's held keys and pinned root. */
export interface HeldIntakeKeys {
  holdIntake(pair: BoxKeyPair): IntakeHandle;
  intake(handle: unknown): BoxKeyPair;
  cert(handle: unknown): CertifiedKey;
  user(handle: unknown): UserKeys;
  root(): Uint8Array;
}

export function createIntakeCryptoApi(held: HeldIntakeKeys): IntakeCryptoApi {
  return {
    async checkIntakeKey(intakePublicKey, signature) {
      verifyIntakeKey(intakePublicKey, signature, held.root());
    },

    async unwrapAdminIntakeKey(user, wrappedIntakeKey, intakePublicKey) {
      return held.holdIntake(unwrapIntakeKey(held.user(user), wrappedIntakeKey, intakePublicKey));
    },

    async sealIntakeGrant(intake, grantee, granter, expect) {
      const pair = held.intake(intake);
      return sealGrant(
        { scope: 'intake', id: expect.orgId, version: expect.version },
        pair.privateKey,
        held.cert(grantee),
        held.user(granter),
      );
    },

    async sealReplyJson(replyPublicKey, value) {
      let text: string;
      try {
        text = JSON.stringify(value);
      } catch {
        throw new CryptoError('BAD_INPUT', 'value is not serialisable as JSON');
      }
      if (typeof text !== 'string') {
        throw new CryptoError('BAD_INPUT', 'value is not serialisable as JSON');
      }
      const plaintext = utf8Encode(text);
      try {
        return sealReply(plaintext, replyPublicKey);
      } finally {
        wipe(plaintext);
      }
    },
  };
}
