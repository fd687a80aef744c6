import fc from 'fast-check';
import { toHex } from './bytes';
import { verifyCertificateChain } from './certs';
import { CryptoError } from './errors';
import {
  openCaseKeyGrant,
  openGrant,
  readGrantHeader,
  sealCaseKeyGrant,
  sealGrant,
} from './grants';
import { generateCaseKey } from './records';
import { initCrypto, lib } from './sodium';
import { createTestOrg, createTestUser, type TestOrg, type TestUser } from './testing';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    return `non-CryptoError: ${String(error)}`;
  }
  return 'no error';
}

let org: TestOrg;
let cora: TestUser; // coordinator
let anna: TestUser; // caseworker
let boris: TestUser; // caseworker

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
  cora = createTestUser(org, 'cora', 'coordinator');
  anna = createTestUser(org, 'anna', 'caseworker');
  boris = createTestUser(org, 'boris', 'caseworker');
});

describe('case key grants', () => {
  it('seals a case key to a certified grantee who opens it after checking the granter', () => {
    const caseKey = generateCaseKey('case-7', 2);
    const grant = sealCaseKeyGrant(caseKey, anna.certified, cora.keys);
    expect(readGrantHeader(grant)).toEqual({
      subject: { scope: 'case', id: 'case-7', version: 2 },
      granteeId: 'anna',
      granterId: 'cora',
    });
    const opened = openCaseKeyGrant(grant, {
      caseId: 'case-7',
      version: 2,
      grantee: anna.keys,
      granter: cora.certified,
    });
    expect(opened.caseId).toBe('case-7');
    expect(opened.version).toBe(2);
    expect(toHex(opened.key)).toBe(toHex(caseKey.key));
  });

  it('lets a user grant to themselves (the creator of a case)', () => {
    const caseKey = generateCaseKey('case-8');
    const grant = sealCaseKeyGrant(caseKey, anna.certified, anna.keys);
    const opened = openCaseKeyGrant(grant, {
      caseId: 'case-8',
      version: 1,
      grantee: anna.keys,
      granter: anna.certified,
    });
    expect(toHex(opened.key)).toBe(toHex(caseKey.key));
  });

  it('never grants case keys to admins or auditors', () => {
    const auditor = createTestUser(org, 'audrey', 'auditor');
    const caseKey = generateCaseKey('case-1');
    expect(codeOf(() => sealCaseKeyGrant(caseKey, auditor.certified, cora.keys))).toBe(
      'UNCERTIFIED_KEY',
    );
    expect(codeOf(() => sealCaseKeyGrant(caseKey, org.admin.certified, cora.keys))).toBe(
      'UNCERTIFIED_KEY',
    );
  });
});

describe('malicious server: grants', () => {
  it('refuses a grant signed by the wrong key (server-made grant claiming to be from Cora)', () => {
    const serverKey = generateCaseKey('case-1');
    // The server holds Anna's certified public key and can seal to it, but signs with its own key.
    const forged = sealCaseKeyGrant(serverKey, anna.certified, { ...boris.keys, userId: 'cora' });
    expect(
      codeOf(() =>
        openCaseKeyGrant(forged, {
          caseId: 'case-1',
          version: 1,
          grantee: anna.keys,
          granter: cora.certified,
        }),
      ),
    ).toBe('BAD_SIGNATURE');
  });

  it("refuses a genuine grant presented with another granter's certificate", () => {
    const grant = sealCaseKeyGrant(generateCaseKey('case-1'), anna.certified, cora.keys);
    expect(
      codeOf(() =>
        openCaseKeyGrant(grant, {
          caseId: 'case-1',
          version: 1,
          grantee: anna.keys,
          granter: boris.certified,
        }),
      ),
    ).toBe('BAD_SIGNATURE');
  });

  it('refuses a grant whose granter is not certified, or not allowed to grant', () => {
    const grant = sealCaseKeyGrant(generateCaseKey('case-1'), anna.certified, cora.keys);
    const uncertified = { ...cora.certified };
    expect(
      codeOf(() =>
        openCaseKeyGrant(grant, {
          caseId: 'case-1',
          version: 1,
          grantee: anna.keys,
          granter: uncertified,
        }),
      ),
    ).toBe('UNCERTIFIED_KEY');
    const auditor = createTestUser(org, 'audrey', 'auditor');
    const byAuditor = sealCaseKeyGrant(generateCaseKey('case-1'), anna.certified, auditor.keys);
    expect(
      codeOf(() =>
        openCaseKeyGrant(byAuditor, {
          caseId: 'case-1',
          version: 1,
          grantee: anna.keys,
          granter: auditor.certified,
        }),
      ),
    ).toBe('UNCERTIFIED_KEY');
  });

  it('refuses a grant moved to another case, key version or grantee', () => {
    const grant = sealCaseKeyGrant(generateCaseKey('case-1', 3), anna.certified, cora.keys);
    const open = (caseId: string, version: number, who: TestUser) =>
      codeOf(() =>
        openCaseKeyGrant(grant, { caseId, version, grantee: who.keys, granter: cora.certified }),
      );
    expect(open('case-2', 3, anna)).toBe('AUTH_FAILED');
    expect(open('case-1', 4, anna)).toBe('AUTH_FAILED');
    expect(open('case-1', 3, boris)).toBe('AUTH_FAILED');
    expect(open('case-1', 3, anna)).toBe('no error');
  });

  it('refuses a grant whose routing fields were rewritten (the signature covers them)', () => {
    const grant = sealCaseKeyGrant(generateCaseKey('case-1', 3), anna.certified, cora.keys);
    const rewritten = grant.slice();
    new DataView(rewritten.buffer).setUint32(3, 4, false); // key version 3 → 4
    expect(
      codeOf(() =>
        openCaseKeyGrant(rewritten, {
          caseId: 'case-1',
          version: 4,
          grantee: anna.keys,
          granter: cora.certified,
        }),
      ),
    ).toBe('BAD_SIGNATURE');
  });

  it('refuses any flipped bit or truncation with AUTH_FAILED, BAD_SIGNATURE or BAD_ENVELOPE', () => {
    const grant = sealCaseKeyGrant(generateCaseKey('case-1'), anna.certified, cora.keys);
    const expect1 = { caseId: 'case-1', version: 1, grantee: anna.keys, granter: cora.certified };
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean(), (at, bit, truncate) => {
        const tampered = truncate ? grant.subarray(0, at % grant.length) : grant.slice();
        if (!truncate) tampered[at % grant.length] = tampered[at % grant.length] ^ (1 << bit);
        expect(['AUTH_FAILED', 'BAD_SIGNATURE', 'BAD_ENVELOPE']).toContain(
          codeOf(() => openCaseKeyGrant(tampered, expect1)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('refuses to seal to a key substituted after verification or never verified', () => {
    const planted = lib().crypto_box_keypair();
    const fake = { ...anna.certified, boxPublicKey: planted.publicKey };
    expect(codeOf(() => sealCaseKeyGrant(generateCaseKey('case-1'), fake, cora.keys))).toBe(
      'UNCERTIFIED_KEY',
    );
  });
});

describe('intake key grants', () => {
  it('admins may give the intake secret to coordinators only', () => {
    const secret = lib().randombytes_buf(32);
    const subject = { scope: 'intake' as const, id: 'org', version: 1 };
    const grant = sealGrant(subject, secret, cora.certified, org.admin.keys);
    const adminKey = verifyCertificateChain(org.admin.chain, org.root.publicKey);
    expect(toHex(openGrant(grant, { subject, grantee: cora.keys, granter: adminKey }))).toBe(
      toHex(secret),
    );
    expect(codeOf(() => sealGrant(subject, secret, anna.certified, org.admin.keys))).toBe(
      'UNCERTIFIED_KEY',
    );
    // A case grant opened as an intake grant: refused.
    const caseGrant = sealCaseKeyGrant(generateCaseKey('org'), cora.certified, anna.keys);
    expect(
      codeOf(() => openGrant(caseGrant, { subject, grantee: cora.keys, granter: anna.certified })),
    ).toBe('AUTH_FAILED');
  });
});
