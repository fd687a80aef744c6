// Every public entry point that takes untrusted input (bytes from the server, objects that
// crossed a worker boundary, text a person typed) must answer garbage with a CryptoError —
// never a TypeError, a RangeError, a raw libsodium exception, or a result.
import fc from 'fast-check';
import { auditEventHash, canonicalJson, verifyAuditChain, verifyAuditCheckpoint } from './audit';
import { blindIndex } from './blind-index';
import { fromBase64, fromHex, utf8Decode } from './bytes';
import { decodeCertificate, verifyCertificateChain } from './certs';
import { CryptoError } from './errors';
import { openCaseKeyGrant, openGrant, readGrantHeader, sealCaseKeyGrant } from './grants';
import { deriveReceiptKeys, openIntakeSubmission, openReply, unpadFromBucket } from './intake';
import { checkKdfParams, deriveLoginKeys } from './kdf';
import { rewrapUserKey, unlockUserKeys } from './keys';
import { decryptRecord, encryptRecord, generateCaseKey, recordKeyVersion } from './records';
import { rotateCase } from './rotation';
import { initCrypto } from './sodium';
import { createTestOrg, createTestUser, type TestOrg, type TestUser } from './testing';

let org: TestOrg;
let anna: TestUser;
let cora: TestUser;

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
  anna = createTestUser(org, 'anna', 'caseworker');
  cora = createTestUser(org, 'cora', 'coordinator');
});

/** 'crypto-error', 'returned', or a description of anything else that was thrown. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'returned';
  } catch (error) {
    return error instanceof CryptoError ? 'crypto-error' : `threw ${String(error)}`;
  }
}

/** Arrays are valid input for some entry points; stands in for them with a CryptoError. */
function refuseArray(): never {
  throw new CryptoError('BAD_INPUT', 'array');
}

/** Arbitrary values, plus byte strings that start like each Haven envelope kind. */
const garbage = fc.oneof(
  fc.anything(),
  fc.uint8Array({ maxLength: 400 }),
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.uint8Array({ maxLength: 400 }))
    .map(([kind, rest]) => Uint8Array.from([1, kind, ...rest])),
);

describe('malformed input only ever yields CryptoError', () => {
  const entryPoints: [string, (x: unknown) => unknown][] = [
    [
      'decryptRecord',
      (x) => decryptRecord(generateCaseKey('c'), { kind: 'note', recordId: 'r' }, x as never),
    ],
    [
      'decryptRecord(ref)',
      (x) => decryptRecord(generateCaseKey('c'), x as never, new Uint8Array(60)),
    ],
    [
      'encryptRecord(key)',
      (x) => encryptRecord(x as never, { kind: 'note', recordId: 'r' }, new Uint8Array(1)),
    ],
    ['recordKeyVersion', (x) => recordKeyVersion(x as never)],
    ['unlockUserKeys', (x) => unlockUserKeys(anna.kek, 'anna', x as never)],
    [
      'unlockUserKeys(field)',
      (x) => unlockUserKeys(anna.kek, 'anna', { ...anna.bundle, wrappedBoxSecret: x as never }),
    ],
    ['rewrapUserKey', (x) => rewrapUserKey(anna.kek, anna.kek, 'anna', x as never)],
    ['decodeCertificate', (x) => decodeCertificate(x as never)],
    ['verifyCertificateChain', (x) => verifyCertificateChain([x as never], org.root.publicKey)],
    [
      'verifyCertificateChain(chain)',
      (x) => verifyCertificateChain(x as never, org.root.publicKey),
    ],
    ['readGrantHeader', (x) => readGrantHeader(x as never)],
    [
      'openCaseKeyGrant',
      (x) =>
        openCaseKeyGrant(x as never, {
          caseId: 'c',
          version: 1,
          grantee: anna.keys,
          granter: cora.certified,
        }),
    ],
    [
      'openGrant(expectation)',
      (x) =>
        openGrant(sealCaseKeyGrant(generateCaseKey('c'), anna.certified, cora.keys), x as never),
    ],
    ['openIntakeSubmission', (x) => openIntakeSubmission(x as never, anna.keys.box)],
    ['openReply', (x) => openReply(x as never, anna.keys.box)],
    ['openReply(keys)', (x) => openReply(new Uint8Array(1200), x as never)],
    ['unpadFromBucket', (x) => unpadFromBucket(x as never)],
    ['deriveReceiptKeys', (x) => deriveReceiptKeys(x as never)],
    ['blindIndex', (x) => blindIndex(new Uint8Array(32), 'handle', x as never)],
    ['checkKdfParams', (x) => checkKdfParams(x)],
    ['deriveLoginKeys', (x) => deriveLoginKeys(x as never)],
    ['rotateCase', (x) => rotateCase(x as never)],
    ['verifyAuditCheckpoint', (x) => verifyAuditCheckpoint(x as never, new Uint8Array(32))],
    ['auditEventHash(prev)', (x) => auditEventHash(x as never, {})],
    [
      'verifyAuditChain(list)',
      (x) => (Array.isArray(x) ? refuseArray() : verifyAuditChain(x as never)),
    ],
    ['fromHex', (x) => fromHex(x as never)],
    ['fromBase64', (x) => fromBase64(x as never)],
    ['utf8Decode', (x) => utf8Decode(x as never)],
  ];

  // These also accept some of the generated values as valid (an empty string is valid hex).
  const lenient = new Set(['blindIndex', 'fromHex', 'fromBase64', 'utf8Decode']);

  it.each(entryPoints)('%s', (name, call) => {
    const allowed = lenient.has(name) ? ['crypto-error', 'returned'] : ['crypto-error'];
    fc.assert(
      fc.property(garbage, (x) => {
        expect(allowed).toContain(outcome(() => call(x)));
      }),
      { numRuns: 300 },
    );
  });

  it('canonicalJson accepts JSON and refuses the rest with CryptoError only', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(['returned', 'crypto-error']).toContain(outcome(() => canonicalJson(x)));
      }),
      { numRuns: 300 },
    );
  });

  it('verifyAuditChain reports malformed events instead of throwing', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { minLength: 1, maxLength: 3 }), (events) => {
        expect(verifyAuditChain(events as never)).toMatchObject({ ok: false, brokenAt: 0 });
      }),
      { numRuns: 200 },
    );
  });
});
