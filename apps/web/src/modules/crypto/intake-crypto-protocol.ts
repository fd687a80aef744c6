/**
 * The crypto worker's triage operations (docs/intake.md, "Triage"): the intake key's handover
 * and custody, and staff replies sealed to a person's reply key. Part of CryptoWorkerApi; kept
 * in their own file so that the triage feature's additions read as one.
 */
import type { CertHandle, IntakeHandle, UserHandle } from './crypto-protocol';

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
}

/** Every IntakeCryptoApi method, for the client's method list. */
export const INTAKE_CRYPTO_METHODS: Record<keyof IntakeCryptoApi, true> = {
  checkIntakeKey: true,
  unwrapAdminIntakeKey: true,
  sealIntakeGrant: true,
  sealReplyJson: true,
};
