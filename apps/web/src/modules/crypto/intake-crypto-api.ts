/**
 * The triage operations of the crypto worker (see intake-crypto-protocol.ts). The intake
 * private key never leaves the worker: it is unwrapped or opened from a grant into a handle,
 * and only sealed grants and sealed replies come out.
 */
import {
  bytesEqual,
  CryptoError,
  fingerprint,
  generateIntakeKeyPair,
  isCryptoError,
  openIntakeSubmission,
  sealGrant,
  sealIntakeSubmission,
  sealReply,
  signIntakeKey,
  unwrapIntakeKey,
  unwrapOrgRootKey,
  utf8Encode,
  verifyIntakeKey,
  wipe,
  type BoxKeyPair,
  type CertifiedKey,
  type UserKeys,
} from '@haven/crypto';
import type { IntakeHandle, ItemResult } from './crypto-protocol';
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

    async createIntakeKeyPair() {
      const pair = generateIntakeKeyPair();
      const publicKey = pair.publicKey.slice();
      return {
        intake: held.holdIntake(pair),
        publicKey,
        fingerprint: fingerprint(publicKey, publicKey),
      };
    },

    async resealIntakeEnvelopes(from, to, envelopes) {
      if (!Array.isArray(envelopes)) {
        throw new CryptoError('BAD_INPUT', 'envelopes must be an array');
      }
      const oldKey = held.intake(from);
      const newKey = held.intake(to);
      return envelopes.map((envelope): ItemResult<Uint8Array> => {
        try {
          const opened = openIntakeSubmission(envelope, oldKey);
          try {
            return { ok: true, value: sealIntakeSubmission(opened, newKey.publicKey) };
          } finally {
            wipe(opened.payload);
          }
        } catch (error) {
          if (isCryptoError(error)) return { ok: false, code: error.code };
          throw error;
        }
      });
    },

    async intakeKeyFingerprint(intakePublicKey) {
      if (!(intakePublicKey instanceof Uint8Array) || intakePublicKey.length !== 32) {
        throw new CryptoError('BAD_INPUT', 'intake public key must be 32 bytes');
      }
      return fingerprint(intakePublicKey, intakePublicKey);
    },

    async signIntakeKeyWithRoot(admin, wrappedOrgRootKey, intakePublicKey) {
      const root = unwrapOrgRootKey(held.user(admin), wrappedOrgRootKey);
      try {
        if (!bytesEqual(root.publicKey, held.root())) {
          throw new CryptoError('UNCERTIFIED_KEY', 'the wrapped root is not the pinned root');
        }
        return signIntakeKey(intakePublicKey, root);
      } finally {
        wipe(root.privateKey);
      }
    },
  };
}
