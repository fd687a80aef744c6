/**
 * Types shared by the crypto worker and its client. The page only ever holds opaque handles;
 * the keys they name stay inside the worker until `wipe()` or `release()`.
 */
import type {
  CaseKey,
  ChainExpectation,
  CryptoErrorCode,
  RecordRef,
  StaffRole,
  UserKeyBundle,
} from '@haven/crypto';
import type { CaseCryptoApi, IndexKeyHandle } from './case-crypto-protocol';
import type { IntakeCryptoApi } from './intake-crypto-protocol';
import type { PacketCryptoApi, PacketKeyHandle } from './packet-crypto-protocol';

declare const handleBrand: unique symbol;
type Handle<K extends string> = string & { readonly [handleBrand]: K };

/** Names the password-derived key-encryption key. */
export type KekHandle = Handle<'kek'>;
/** Names a user's unlocked keys (user key, box and signing keypairs). */
export type UserHandle = Handle<'user'>;
/** Names a case key at one version. */
export type CaseKeyHandle = Handle<'case'>;
/** Names a public key whose certificate chain the worker verified against the pinned root. */
export type CertHandle = Handle<'cert'>;
/** Names the organisation's intake key pair (coordinators only). */
export type IntakeHandle = Handle<'intake'>;

export type AnyHandle =
  | KekHandle
  | UserHandle
  | CaseKeyHandle
  | CertHandle
  | IntakeHandle
  | IndexKeyHandle
  | PacketKeyHandle;

export interface UnlockedUser {
  user: UserHandle;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
  /** For the "compare with your admin" screen. */
  fingerprint: string;
}

export interface VerifiedKey {
  key: CertHandle;
  subjectId: string;
  role: StaffRole;
  fingerprint: string;
}

/** What first-run setup sends (every key made in the worker; private halves wrapped). */
export interface OrganisationSetup extends UnlockedUser {
  bundle: UserKeyBundle;
  /** The root's certificate for the admin's keys (chain `[certificate]`). */
  certificate: Uint8Array;
  rootPublicKey: Uint8Array;
  /** Fingerprint of the root key, for out-of-band comparison by everyone who enrols. */
  rootFingerprint: string;
  intakePublicKey: Uint8Array;
  /** The root's signature over the intake public key. */
  intakeKeySignature: Uint8Array;
  /** The root seed wrapped under the admin's user key. */
  wrappedOrgRootKey: Uint8Array;
  /** The intake secret wrapped under the admin's user key. */
  wrappedIntakeKey: Uint8Array;
  /** MAC over the root key under the admin's user key (see makeOrgRootPin). */
  orgRootPin: Uint8Array;
}

/** The keys a certificate is issued for. */
export interface CertificateSubject {
  subjectId: string;
  role: StaffRole;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
}

export interface OpenedCaseKey {
  caseKey: CaseKeyHandle;
  caseId: CaseKey['caseId'];
  version: CaseKey['version'];
}

export interface RecordItem {
  caseKey: CaseKeyHandle;
  ref: RecordRef;
  envelope: Uint8Array;
}

/** Per-item outcome of a bulk operation: one bad record does not hide the others. */
export type ItemResult<T> = { ok: true; value: T } | { ok: false; code: CryptoErrorCode };

export interface IntakeSubmission {
  /** The decrypted submission, parsed as JSON. */
  payload: unknown;
  replyPublicKey: Uint8Array;
}

/** What the worker exposes (every method is async across the worker boundary). */
export interface CryptoWorkerApi extends CaseCryptoApi, IntakeCryptoApi, PacketCryptoApi {
  init(): Promise<{ sodiumVersion: string }>;

  /** Argon2id in the worker; the page receives `authKey` (for the server) and a kek handle. */
  deriveLoginKeys(input: {
    password: string;
    username: string;
    serverSeed: Uint8Array;
    params: unknown;
  }): Promise<{ authKey: Uint8Array; kek: KekHandle }>;
  /** The same, with the salt the server sent (Haven's API derives it; docs/accounts.md). */
  deriveLoginKeysFromSalt(input: {
    password: string;
    salt: Uint8Array;
    params: unknown;
  }): Promise<{ authKey: Uint8Array; kek: KekHandle }>;
  createUserKeys(kek: KekHandle, userId: string): Promise<{ bundle: UserKeyBundle } & UnlockedUser>;
  /**
   * First-run setup: the admin's keys, a new organisation root (which certifies the admin and
   * signs a new intake key), both organisation secrets wrapped for the admin, and the root pin.
   * The admin's keys stay held (the returned `user` handle); the root and intake keys are
   * wiped before this returns. The root is pinned for this session.
   */
  setupOrganisation(kek: KekHandle, adminId: string): Promise<OrganisationSetup>;
  /** At enrolment: the MAC that later proves this root is the one the user enrolled with. */
  makeOrgRootPin(user: UserHandle, rootPublicKey: Uint8Array): Promise<Uint8Array>;
  /**
   * At sign-in: checks the pin made at enrolment, then pins the root (as `pinOrgRoot`). A
   * server that hands out another root fails here with UNCERTIFIED_KEY.
   */
  pinOrgRootWithPin(
    user: UserHandle,
    rootPublicKey: Uint8Array,
    pin: Uint8Array,
  ): Promise<{ fingerprint: string }>;
  /** The fingerprint of someone's public keys, to compare out of band before certifying. */
  fingerprintOf(signPublicKey: Uint8Array, boxPublicKey: Uint8Array): Promise<string>;
  /** The fingerprint of a root key (its signing key twice, as `pinOrgRoot` reports it). */
  rootFingerprint(rootPublicKey: Uint8Array): Promise<string>;
  /**
   * An admin certifies someone's keys: signed with the admin's own key, or, for another admin,
   * with the organisation root (unwrapped from `wrappedOrgRootKey` for the moment it takes).
   */
  certifyUser(
    admin: UserHandle,
    subject: CertificateSubject,
    wrappedOrgRootKey?: Uint8Array,
  ): Promise<Uint8Array>;
  unlockUserKeys(kek: KekHandle, userId: string, bundle: UserKeyBundle): Promise<UnlockedUser>;
  rewrapUserKey(
    oldKek: KekHandle,
    newKek: KekHandle,
    userId: string,
    wrappedUserKey: Uint8Array,
  ): Promise<Uint8Array>;

  /**
   * Pins the organisation root public key for this session. It must come from a trusted
   * channel (the build, or a fingerprint compared out of band), never from the same API
   * response as the chains it verifies. Pinning a different key requires `wipe()` first.
   */
  pinOrgRoot(rootPublicKey: Uint8Array): Promise<{ fingerprint: string }>;
  verifyCertificate(chain: Uint8Array[], expect?: ChainExpectation): Promise<VerifiedKey>;

  createCaseKey(caseId: string): Promise<OpenedCaseKey>;
  openCaseGrant(
    user: UserHandle,
    envelope: Uint8Array,
    expect: { caseId: string; version: number; granter: CertHandle },
  ): Promise<OpenedCaseKey>;
  sealCaseGrant(
    caseKey: CaseKeyHandle,
    grantee: CertHandle,
    granter: UserHandle,
  ): Promise<Uint8Array>;

  encryptRecord(caseKey: CaseKeyHandle, ref: RecordRef, plaintext: Uint8Array): Promise<Uint8Array>;
  /** JSON.stringify → UTF-8 → encryptRecord. */
  encryptJson(caseKey: CaseKeyHandle, ref: RecordRef, value: unknown): Promise<Uint8Array>;
  decryptRecords(items: RecordItem[]): Promise<ItemResult<Uint8Array>[]>;
  /** decryptRecords + UTF-8 + JSON.parse (a record that is not JSON gives BAD_ENVELOPE). */
  decryptJson(items: RecordItem[]): Promise<ItemResult<unknown>[]>;

  openIntakeGrant(
    user: UserHandle,
    envelope: Uint8Array,
    expect: { orgId: string; version: number; granter: CertHandle; pinnedPublicKey: Uint8Array },
  ): Promise<IntakeHandle>;
  openIntakeSubmissions(
    intake: IntakeHandle,
    envelopes: Uint8Array[],
  ): Promise<ItemResult<IntakeSubmission>[]>;

  /** Forgets one handle, zeroing its key material. */
  release(handle: AnyHandle): Promise<void>;
  /** Zeroes and forgets every key the worker holds (logout, idle timeout, panic button). */
  wipe(): Promise<void>;
}

/**
 * Errors cross the worker boundary as plain Errors (Comlink keeps name and message only), so a
 * CryptoError travels as name "CryptoError" and message "CODE: message". Anything else is
 * reduced to a fixed message: an unexpected exception's text could quote decrypted data.
 */
export const CRYPTO_ERROR_NAME = 'CryptoError';

export function toTransferableError(error: unknown): Error {
  const out = new Error('the crypto worker failed unexpectedly');
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  if (error instanceof Error && error.name === CRYPTO_ERROR_NAME && typeof code === 'string') {
    out.name = CRYPTO_ERROR_NAME;
    out.message = `${code}: ${error.message}`;
  }
  return out;
}

/**
 * The page-side twin of the library's CryptoError. A separate class on purpose: importing the
 * library's class would pull libsodium into the page bundle, and the point of the worker is
 * that the page never loads it.
 */
export class WorkerCryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = CRYPTO_ERROR_NAME;
    this.code = code;
  }
}

export function isWorkerCryptoError(
  value: unknown,
  code?: CryptoErrorCode,
): value is WorkerCryptoError {
  return value instanceof WorkerCryptoError && (code === undefined || value.code === code);
}

export function fromTransferredError(error: unknown): unknown {
  if (error instanceof Error && error.name === CRYPTO_ERROR_NAME) {
    const match = /^([A-Z_]+): ([\s\S]*)$/.exec(error.message);
    if (match) return new WorkerCryptoError(match[1] as CryptoErrorCode, match[2] ?? '');
  }
  return error;
}
