/**
 * Grants: a 32-byte key (a case key, a blind-index key, the intake private key) sealed to a
 * grantee's certified X25519 key and signed by the granter's Ed25519 key. Sealing needs a
 * `CertifiedKey` (so the server cannot substitute a key it controls); opening checks that the
 * grant names this case, key version and grantee, and that a certified granter signed it (so
 * the server cannot slip a key of its own choosing into a case, nor move a grant around).
 */
import {
  assertBytes,
  assertUint32,
  concatBytes,
  idBytes,
  lengthPrefixed,
  u32be,
  utf8Encode,
  wipe,
} from './bytes';
import { certifiedKeyMaterial, type CertifiedKey, type StaffRole } from './certs';
import { envelopeHeader, openEnvelope } from './envelope';
import { CryptoError } from './errors';
import type { UserKeys } from './keys';
import { caseKeyFrom, type CaseKey } from './records';
import {
  KEY_BYTES,
  SEAL_OVERHEAD,
  SIGNATURE_BYTES,
  seal,
  sealOpen,
  sign,
  verify,
} from './primitives';

export type GrantScope = 'case' | 'index' | 'intake' | 'packet';

const SCOPE_BYTE: Readonly<Record<GrantScope, number>> = {
  case: 0x01,
  index: 0x02,
  intake: 0x03,
  packet: 0x04,
};

/** What a grant gives access to: the key of `id` (a case, an index, the org's intake) at `version`. */
export interface GrantSubject {
  scope: GrantScope;
  id: string;
  version: number;
}

/**
 * Who may receive and who may issue each kind of grant. Admins and auditors never receive
 * case keys (DESIGN.md: "auditors and admins never get grants"); partners get referral packets,
 * not case keys: a `packet` grant (a referral's packet key) goes to the assignee, a partner or an
 * internal caseworker, and only a coordinator (who assigns referrals) may issue it.
 */
export const GRANT_POLICY: Readonly<
  Record<GrantScope, { grantees: readonly StaffRole[]; granters: readonly StaffRole[] }>
> = Object.freeze({
  case: policy(['coordinator', 'caseworker'], ['coordinator', 'caseworker']),
  index: policy(['coordinator', 'caseworker'], ['coordinator', 'caseworker']),
  intake: policy(['coordinator'], ['admin', 'coordinator']),
  packet: policy(['partner', 'caseworker'], ['coordinator']),
});

function policy(grantees: StaffRole[], granters: StaffRole[]) {
  return Object.freeze({ grantees: Object.freeze(grantees), granters: Object.freeze(granters) });
}

export const SEALED_GRANT_BYTES = KEY_BYTES + SEAL_OVERHEAD;

function checkSubject(subject: GrantSubject): { scopeByte: number; id: Uint8Array } {
  if (typeof subject !== 'object' || subject === null)
    throw new CryptoError('BAD_INPUT', 'subject must be an object');
  const scopeByte = SCOPE_BYTE[subject.scope];
  if (scopeByte === undefined) throw new CryptoError('BAD_INPUT', 'unknown grant scope');
  assertUint32(subject.version, 'subject.version', 1);
  return { scopeByte, id: idBytes(subject.id, 'subject.id') };
}

function signedMessage(
  body: Uint8Array,
  granteeBox: Uint8Array,
  granteeSign: Uint8Array,
): Uint8Array {
  return lengthPrefixed(utf8Encode('haven/grant/v1'), body, granteeBox, granteeSign);
}

/**
 * `01 03 | scope (1) | version (u32 BE) | lp(subjectId) | lp(granteeId) | lp(granterId) |
 *  sealed (80) | signature (64)`.
 */
export function sealGrant(
  subject: GrantSubject,
  secret: Uint8Array,
  grantee: CertifiedKey,
  granter: UserKeys,
): Uint8Array {
  const { scopeByte, id } = checkSubject(subject);
  assertBytes(secret, 'secret', KEY_BYTES);
  const target = certifiedKeyMaterial(grantee);
  if (!GRANT_POLICY[subject.scope].grantees.includes(target.key.role)) {
    throw new CryptoError(
      'UNCERTIFIED_KEY',
      `a ${target.key.role} may not receive ${subject.scope} grants`,
    );
  }
  if (typeof granter !== 'object' || granter === null)
    throw new CryptoError('BAD_INPUT', 'granter must be UserKeys');
  assertBytes(granter.sign?.privateKey, 'granter sign privateKey', 64);
  const granteeId = idBytes(target.key.subjectId, 'granteeId');
  const granterId = idBytes(granter.userId, 'granterId');
  const body = concatBytes(
    envelopeHeader('grant'),
    Uint8Array.of(scopeByte),
    u32be(subject.version),
    u32be(id.length),
    id,
    u32be(granteeId.length),
    granteeId,
    u32be(granterId.length),
    granterId,
    seal(secret, target.boxPublicKey),
  );
  const signature = sign(
    signedMessage(body, target.boxPublicKey, target.signPublicKey),
    granter.sign.privateKey,
  );
  return concatBytes(body, signature);
}

export interface GrantHeader {
  subject: GrantSubject;
  granteeId: string;
  granterId: string;
}

function parseGrant(
  envelope: Uint8Array,
): GrantHeader & { sealed: Uint8Array; signature: Uint8Array; body: Uint8Array } {
  const reader = openEnvelope(envelope, 'grant');
  const scopeByte = reader.u8();
  const scope = (Object.keys(SCOPE_BYTE) as GrantScope[]).find((s) => SCOPE_BYTE[s] === scopeByte);
  if (!scope) throw new CryptoError('BAD_ENVELOPE', 'grant has an unknown scope');
  const version = reader.u32();
  const id = reader.id();
  const granteeId = reader.id();
  const granterId = reader.id();
  const sealed = reader.take(SEALED_GRANT_BYTES);
  const bodyEnd = reader.position;
  const signature = reader.take(SIGNATURE_BYTES);
  reader.end();
  return {
    subject: { scope, id, version },
    granteeId,
    granterId,
    sealed,
    signature,
    body: envelope.subarray(0, bodyEnd),
  };
}

/** The grant's routing fields, unauthenticated: use them to fetch the granter's certificate. */
export function readGrantHeader(envelope: Uint8Array): GrantHeader {
  const { subject, granteeId, granterId } = parseGrant(envelope);
  return { subject, granteeId, granterId };
}

export interface OpenGrantExpectation {
  /** The subject the caller asked for; a grant for anything else is refused. */
  subject: GrantSubject;
  /** The caller's own unlocked keys. */
  grantee: UserKeys;
  /** The granter's key, verified against the root. */
  granter: CertifiedKey;
}

/** Opens a grant and returns the 32-byte key; verifies the binding, then the signature, then decrypts. */
export function openGrant(envelope: Uint8Array, expect: OpenGrantExpectation): Uint8Array {
  if (typeof expect !== 'object' || expect === null)
    throw new CryptoError('BAD_INPUT', 'expectation must be an object');
  checkSubject(expect.subject);
  const me = expect.grantee;
  if (typeof me !== 'object' || me === null)
    throw new CryptoError('BAD_INPUT', 'grantee must be UserKeys');
  assertBytes(me.box?.publicKey, 'grantee box publicKey', KEY_BYTES);
  assertBytes(me.box?.privateKey, 'grantee box privateKey', KEY_BYTES);
  assertBytes(me.sign?.publicKey, 'grantee sign publicKey', KEY_BYTES);
  const granter = certifiedKeyMaterial(expect.granter);

  const grant = parseGrant(envelope);
  const { subject } = grant;
  if (
    subject.scope !== expect.subject.scope ||
    subject.id !== expect.subject.id ||
    subject.version !== expect.subject.version
  ) {
    throw new CryptoError('AUTH_FAILED', 'grant is for a different key');
  }
  if (grant.granteeId !== me.userId)
    throw new CryptoError('AUTH_FAILED', 'grant is for a different user');
  if (grant.granterId !== granter.key.subjectId) {
    throw new CryptoError('BAD_SIGNATURE', 'grant names a different granter');
  }
  if (!GRANT_POLICY[subject.scope].granters.includes(granter.key.role)) {
    throw new CryptoError(
      'UNCERTIFIED_KEY',
      `a ${granter.key.role} may not issue ${subject.scope} grants`,
    );
  }
  const message = signedMessage(grant.body, me.box.publicKey, me.sign.publicKey);
  if (!verify(grant.signature, message, granter.signPublicKey)) {
    throw new CryptoError('BAD_SIGNATURE', 'grant signature does not verify');
  }
  const secret = sealOpen(grant.sealed, me.box.publicKey, me.box.privateKey);
  if (secret.length !== KEY_BYTES) {
    wipe(secret);
    throw new CryptoError('BAD_ENVELOPE', 'grant does not contain a key');
  }
  return secret;
}

export function sealCaseKeyGrant(
  caseKey: CaseKey,
  grantee: CertifiedKey,
  granter: UserKeys,
): Uint8Array {
  if (typeof caseKey !== 'object' || caseKey === null)
    throw new CryptoError('BAD_INPUT', 'caseKey must be a CaseKey');
  return sealGrant(
    { scope: 'case', id: caseKey.caseId, version: caseKey.version },
    caseKey.key,
    grantee,
    granter,
  );
}

export function openCaseKeyGrant(
  envelope: Uint8Array,
  expect: { caseId: string; version: number; grantee: UserKeys; granter: CertifiedKey },
): CaseKey {
  if (typeof expect !== 'object' || expect === null)
    throw new CryptoError('BAD_INPUT', 'expectation must be an object');
  const key = openGrant(envelope, {
    subject: { scope: 'case', id: expect.caseId, version: expect.version },
    grantee: expect.grantee,
    granter: expect.granter,
  });
  return caseKeyFrom(expect.caseId, expect.version, key);
}
