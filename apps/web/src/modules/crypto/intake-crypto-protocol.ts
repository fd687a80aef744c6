/**
 * The crypto worker's triage operations (docs/intake.md, "Triage"): the intake key's handover
 * and custody, and staff replies sealed to a person's reply key. Part of CryptoWorkerApi; kept
 * in their own file so that the triage feature's additions read as one.
 */
import type { CertHandle, IntakeHandle, ItemResult, UserHandle } from './crypto-protocol';

export interface IntakeCryptoApi {
  /**
   * Checks the root's signature over the intake public key against the pinned root
   * (`verifyIntakeKey`); BAD_SIGNATURE when the server hands out a key the root never signed.
   */
  checkIntakeKey(intakePublicKey: Uint8Array, signature: Uint8Array): Promise<void>;
  /** The setup admin's wrapped copy, unwrapped and checked against the verified public key. */
  unwrapAdminIntakeKey(
    user: UserHandle,
    wrappedIntakeKey: Uint8Array,
    intakePublicKey: Uint8Array,
  ): Promise<IntakeHandle>;
  /** An `intake` grant of the held key to a certified coordinator, signed by `granter`. */
  sealIntakeGrant(
    intake: IntakeHandle,
    grantee: CertHandle,
    granter: UserHandle,
    expect: { orgId: string; version: number },
  ): Promise<Uint8Array>;
  /** `sealReply(JSON.stringify(value))` to the person's reply public key. */
  sealReplyJson(replyPublicKey: Uint8Array, value: unknown): Promise<Uint8Array>;

  // ---- rotation of the intake key (docs/intake.md, "Rotation of the intake key") ----
  /** A new intake key pair, held in the worker: its handle, public half and fingerprint. */
  createIntakeKeyPair(): Promise<{
    intake: IntakeHandle;
    publicKey: Uint8Array;
    fingerprint: string;
  }>;
  /**
   * Opens each envelope with `from` and seals what was inside (the payload and the person's
   * reply key) to `to`'s public key, at the same padded size. Per item: an envelope that
   * opens with no key (junk of the right shape) comes back as an error, not a throw.
   */
  resealIntakeEnvelopes(
    from: IntakeHandle,
    to: IntakeHandle,
    envelopes: Uint8Array[],
  ): Promise<ItemResult<Uint8Array>[]>;
  /** The fingerprint of an intake public key, to compare out of band before signing it. */
  intakeKeyFingerprint(intakePublicKey: Uint8Array): Promise<string>;
  /**
   * The admin who holds the root seed signs a new intake public key (`signIntakeKey`). The
   * root is unwrapped for the moment it takes and must be the pinned root (else
   * UNCERTIFIED_KEY).
   */
  signIntakeKeyWithRoot(
    admin: UserHandle,
    wrappedOrgRootKey: Uint8Array,
    intakePublicKey: Uint8Array,
  ): Promise<Uint8Array>;
}

/** Every IntakeCryptoApi method, for the client's method list. */
export const INTAKE_CRYPTO_METHODS: Record<keyof IntakeCryptoApi, true> = {
  checkIntakeKey: true,
  unwrapAdminIntakeKey: true,
  sealIntakeGrant: true,
  sealReplyJson: true,
  createIntakeKeyPair: true,
  resealIntakeEnvelopes: true,
  intakeKeyFingerprint: true,
  signIntakeKeyWithRoot: true,
};
