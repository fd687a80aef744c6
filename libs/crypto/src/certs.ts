/**
 * Public-key certification. The organisation root key (created at first-run setup, its public
 * half pinned in the clients) certifies admins; an admin certifies every other staff member's
 * box and signing keys. A client encrypts or grants only to a `CertifiedKey`, and the only way
 * to obtain one is `verifyCertificateChain` against the pinned root: a server that hands out
 * its own public key in someone's name cannot produce a chain for it.
 */
import {
  assertBytes,
  bytesEqual,
  concatBytes,
  idBytes,
  lengthPrefixed,
  u32be,
  utf8Encode,
} from './bytes';
import { envelopeHeader, openEnvelope } from './envelope';
import { CryptoError } from './errors';
import type { SignKeyPair } from './keys';
import { blake2b, PUBLIC_KEY_BYTES, sign, SIGNATURE_BYTES, verify } from './primitives';

export const STAFF_ROLES = ['admin', 'coordinator', 'caseworker', 'partner', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const ROLE_BYTE: Readonly<Record<StaffRole, number>> = {
  admin: 0x01,
  coordinator: 0x02,
  caseworker: 0x03,
  partner: 0x04,
  auditor: 0x05,
};

export interface CertificateFields {
  subjectId: string;
  role: StaffRole;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
  /** Days since 1970-01-01 (UTC); coarse on purpose. Defaults to today. */
  issuedDay?: number;
}

export interface KeyCertificate extends Required<CertificateFields> {
  issuerPublicKey: Uint8Array;
  signature: Uint8Array;
}

/** A public key whose certificate chain to the pinned root has been verified. */
export interface CertifiedKey {
  readonly subjectId: string;
  readonly role: StaffRole;
  readonly boxPublicKey: Uint8Array;
  readonly signPublicKey: Uint8Array;
  readonly issuedDay: number;
  /** Human-comparable fingerprint of both public keys (see `fingerprint`). */
  readonly fingerprint: string;
}

/**
 * Objects produced by verification, with private copies of their keys. Sealing and signature
 * checks use these copies: an object that merely looks like a CertifiedKey (a literal, or one
 * that crossed a worker boundary) is refused, and mutating a returned key's bytes has no effect.
 */
const verified = new WeakMap<
  CertifiedKey,
  { boxPublicKey: Uint8Array; signPublicKey: Uint8Array }
>();

const CERT_CONTEXT = 'haven/cert/v1';

function today(): number {
  return Math.floor(Date.now() / 86_400_000);
}

function roleFromByte(byte: number): StaffRole {
  const role = STAFF_ROLES.find((r) => ROLE_BYTE[r] === byte);
  if (!role) throw new CryptoError('BAD_ENVELOPE', 'certificate has an unknown role');
  return role;
}

function certBody(fields: Required<CertificateFields>, issuerPublicKey: Uint8Array): Uint8Array {
  const subject = idBytes(fields.subjectId, 'subjectId');
  return concatBytes(
    envelopeHeader('certificate'),
    Uint8Array.of(ROLE_BYTE[fields.role]),
    u32be(fields.issuedDay),
    u32be(subject.length),
    subject,
    fields.boxPublicKey,
    fields.signPublicKey,
    issuerPublicKey,
  );
}

function signedMessage(body: Uint8Array): Uint8Array {
  return lengthPrefixed(utf8Encode(CERT_CONTEXT), body);
}

/** Signs a certificate for `fields` with the issuer's (root's or an admin's) signing key. */
export function issueCertificate(fields: CertificateFields, issuer: SignKeyPair): Uint8Array {
  if (typeof fields !== 'object' || fields === null) {
    throw new CryptoError('BAD_INPUT', 'certificate fields must be an object');
  }
  if (!STAFF_ROLES.includes(fields.role)) throw new CryptoError('BAD_INPUT', 'unknown role');
  assertBytes(fields.boxPublicKey, 'boxPublicKey', PUBLIC_KEY_BYTES);
  assertBytes(fields.signPublicKey, 'signPublicKey', PUBLIC_KEY_BYTES);
  assertBytes(issuer.publicKey, 'issuer publicKey', PUBLIC_KEY_BYTES);
  assertBytes(issuer.privateKey, 'issuer privateKey', 64);
  const issuedDay = fields.issuedDay ?? today();
  if (!Number.isInteger(issuedDay) || issuedDay < 0 || issuedDay > 0xffffffff) {
    throw new CryptoError('BAD_INPUT', 'issuedDay must be a day number');
  }
  const body = certBody({ ...fields, issuedDay }, issuer.publicKey);
  return concatBytes(body, sign(signedMessage(body), issuer.privateKey));
}

/** Parses a certificate without verifying it (for display; use the chain check to trust it). */
export function decodeCertificate(bytes: Uint8Array): KeyCertificate {
  const reader = openEnvelope(bytes, 'certificate');
  const role = roleFromByte(reader.u8());
  const issuedDay = reader.u32();
  const subjectId = reader.id();
  const boxPublicKey = reader.take(PUBLIC_KEY_BYTES).slice();
  const signPublicKey = reader.take(PUBLIC_KEY_BYTES).slice();
  const issuerPublicKey = reader.take(PUBLIC_KEY_BYTES).slice();
  const signature = reader.take(SIGNATURE_BYTES).slice();
  reader.end();
  return { subjectId, role, issuedDay, boxPublicKey, signPublicKey, issuerPublicKey, signature };
}

function checkSignature(
  bytes: Uint8Array,
  cert: KeyCertificate,
  issuerPublicKey: Uint8Array,
): void {
  if (!bytesEqual(cert.issuerPublicKey, issuerPublicKey)) {
    throw new CryptoError('UNCERTIFIED_KEY', 'certificate was not issued by the expected key');
  }
  const body = bytes.subarray(0, bytes.length - SIGNATURE_BYTES);
  if (!verify(cert.signature, signedMessage(body), issuerPublicKey)) {
    throw new CryptoError('UNCERTIFIED_KEY', 'certificate signature does not verify');
  }
}

export interface ChainExpectation {
  /** The user the caller asked for; a valid chain for someone else is refused. */
  subjectId?: string;
  /** Roles acceptable for this use (e.g. only coordinators for an intake-key grant). */
  roles?: readonly StaffRole[];
}

/**
 * Verifies `chain` against the pinned root public key and returns a `CertifiedKey`.
 * Accepted shapes: `[leaf]` issued by the root, or `[adminCert, leaf]` where the root issued
 * `adminCert` with role admin and that admin issued `leaf` (admins are certified by the root
 * only). Everything else, and any mismatch with `expect`, is `UNCERTIFIED_KEY`.
 */
export function verifyCertificateChain(
  chain: readonly Uint8Array[],
  trustedRootPublicKey: Uint8Array,
  expect: ChainExpectation = {},
): CertifiedKey {
  assertBytes(trustedRootPublicKey, 'trustedRootPublicKey', PUBLIC_KEY_BYTES);
  if (!Array.isArray(chain) || chain.length < 1 || chain.length > 2) {
    throw new CryptoError('UNCERTIFIED_KEY', 'certificate chain must have one or two certificates');
  }
  const certs = chain.map((bytes: unknown) => {
    try {
      return decodeCertificate(bytes as Uint8Array);
    } catch {
      throw new CryptoError(
        'UNCERTIFIED_KEY',
        'certificate chain contains a malformed certificate',
      );
    }
  });
  const first = certs[0];
  checkSignature(chain[0] as Uint8Array, first, trustedRootPublicKey);
  let leaf = first;
  if (certs.length === 2) {
    if (first.role !== 'admin') {
      throw new CryptoError('UNCERTIFIED_KEY', 'only an admin may certify other keys');
    }
    leaf = certs[1];
    checkSignature(chain[1] as Uint8Array, leaf, first.signPublicKey);
    if (leaf.role === 'admin') {
      throw new CryptoError('UNCERTIFIED_KEY', 'admin keys must be certified by the root');
    }
  }
  if (expect.subjectId !== undefined && leaf.subjectId !== expect.subjectId) {
    throw new CryptoError('UNCERTIFIED_KEY', 'certificate is for a different user');
  }
  if (expect.roles !== undefined && !expect.roles.includes(leaf.role)) {
    throw new CryptoError(
      'UNCERTIFIED_KEY',
      `certificate role ${leaf.role} is not acceptable here`,
    );
  }
  const key: CertifiedKey = Object.freeze({
    subjectId: leaf.subjectId,
    role: leaf.role,
    issuedDay: leaf.issuedDay,
    boxPublicKey: leaf.boxPublicKey.slice(),
    signPublicKey: leaf.signPublicKey.slice(),
    fingerprint: fingerprint(leaf.signPublicKey, leaf.boxPublicKey),
  });
  verified.set(key, { boxPublicKey: leaf.boxPublicKey, signPublicKey: leaf.signPublicKey });
  return key;
}

export function isCertifiedKey(value: unknown): value is CertifiedKey {
  return typeof value === 'object' && value !== null && verified.has(value as CertifiedKey);
}

/** Internal: the verified key bytes, or `UNCERTIFIED_KEY` for anything not from verification. */
export function certifiedKeyMaterial(value: unknown): {
  key: CertifiedKey;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
} {
  const material = isCertifiedKey(value) ? verified.get(value) : undefined;
  if (!material)
    throw new CryptoError('UNCERTIFIED_KEY', 'key has not been verified against the root');
  return { key: value as CertifiedKey, ...material };
}

const FINGERPRINT_GROUPS = 6;

/**
 * Fingerprint for out-of-band comparison (read aloud over a call, compared on two screens):
 * BLAKE2b-240 over lp("haven/fingerprint/v1", signPk, boxPk), cut into six 5-byte chunks,
 * each shown as a 5-digit number (chunk mod 100000), e.g. "04217 88310 51962 00473 69120 33815".
 * Digits survive any script or keyboard layout; six groups carry about 100 bits.
 */
export function fingerprint(signPublicKey: Uint8Array, boxPublicKey: Uint8Array): string {
  assertBytes(signPublicKey, 'signPublicKey', PUBLIC_KEY_BYTES);
  assertBytes(boxPublicKey, 'boxPublicKey', PUBLIC_KEY_BYTES);
  const digest = blake2b(
    FINGERPRINT_GROUPS * 5,
    lengthPrefixed(utf8Encode('haven/fingerprint/v1'), signPublicKey, boxPublicKey),
  );
  const groups: string[] = [];
  for (let g = 0; g < FINGERPRINT_GROUPS; g++) {
    let value = 0;
    // 40-bit big-endian chunk; fits exactly in a double.
    for (let i = 0; i < 5; i++) value = value * 256 + digest[g * 5 + i];
    groups.push(String(value % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}
