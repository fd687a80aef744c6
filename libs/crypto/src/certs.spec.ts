import { toHex } from './bytes';
import {
  decodeCertificate,
  fingerprint,
  isCertifiedKey,
  issueCertificate,
  verifyCertificateChain,
  type CertifiedKey,
} from './certs';
import { CryptoError } from './errors';
import { openCaseKeyGrant, sealCaseKeyGrant } from './grants';
import { createUserKeys, generateSignKeyPair } from './keys';
import { generateCaseKey } from './records';
import { initCrypto, lib } from './sodium';
import { createTestOrg, createTestUser } from './testing';

beforeAll(async () => {
  await initCrypto();
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('certificate chains', () => {
  it('verifies an admin certified by the root and a caseworker certified by that admin', () => {
    const org = createTestOrg();
    const anna = createTestUser(org, 'anna', 'caseworker');
    const admin = verifyCertificateChain(org.admin.chain, org.root.publicKey, {
      subjectId: 'admin-1',
    });
    expect(admin.role).toBe('admin');
    const key = verifyCertificateChain(anna.chain, org.root.publicKey, {
      subjectId: 'anna',
      roles: ['caseworker'],
    });
    expect(key.subjectId).toBe('anna');
    expect(toHex(key.boxPublicKey)).toBe(toHex(anna.bundle.boxPublicKey));
    expect(toHex(key.signPublicKey)).toBe(toHex(anna.bundle.signPublicKey));
    expect(isCertifiedKey(key)).toBe(true);
    expect(key.fingerprint).toBe(fingerprint(anna.bundle.signPublicKey, anna.bundle.boxPublicKey));
  });

  it('decodes what it issues', () => {
    const org = createTestOrg();
    const cert = issueCertificate(
      {
        subjectId: 'anna',
        role: 'coordinator',
        boxPublicKey: new Uint8Array(32).fill(1),
        signPublicKey: new Uint8Array(32).fill(2),
        issuedDay: 20_000,
      },
      org.admin.keys.sign,
    );
    const decoded = decodeCertificate(cert);
    expect(decoded).toMatchObject({ subjectId: 'anna', role: 'coordinator', issuedDay: 20_000 });
    expect(toHex(decoded.issuerPublicKey)).toBe(toHex(org.admin.keys.sign.publicKey));
  });
});

describe('malicious server: uncertified or substituted public keys', () => {
  it('refuses a key the server certified with its own key instead of the pinned root', () => {
    const org = createTestOrg();
    const serverRoot = generateSignKeyPair();
    const planted = createUserKeys(lib().randombytes_buf(32), 'anna').bundle;
    const cert = issueCertificate(
      {
        subjectId: 'anna',
        role: 'caseworker',
        boxPublicKey: planted.boxPublicKey,
        signPublicKey: planted.signPublicKey,
      },
      serverRoot,
    );
    expect(codeOf(() => verifyCertificateChain([cert], org.root.publicKey))).toBe(
      'UNCERTIFIED_KEY',
    );
  });

  it('refuses a genuine certificate whose public key was swapped', () => {
    const org = createTestOrg();
    const anna = createTestUser(org, 'anna', 'caseworker');
    const leaf = anna.chain[1];
    const boxKeyOffset = leaf.length - 64 - 32 * 3;
    const swapped = leaf.slice();
    swapped.set(lib().crypto_box_keypair().publicKey, boxKeyOffset);
    expect(codeOf(() => verifyCertificateChain([anna.chain[0], swapped], org.root.publicKey))).toBe(
      'UNCERTIFIED_KEY',
    );
  });

  it("refuses another user's valid chain when asked for a specific user", () => {
    const org = createTestOrg();
    const mallory = createTestUser(org, 'mallory', 'caseworker');
    expect(
      codeOf(() =>
        verifyCertificateChain(mallory.chain, org.root.publicKey, { subjectId: 'anna' }),
      ),
    ).toBe('UNCERTIFIED_KEY');
  });

  it('refuses a chain where a non-admin certified the key', () => {
    const org = createTestOrg();
    const coordinator = createTestUser(org, 'cora', 'coordinator');
    const planted = createUserKeys(lib().randombytes_buf(32), 'anna').bundle;
    const cert = issueCertificate(
      {
        subjectId: 'anna',
        role: 'caseworker',
        boxPublicKey: planted.boxPublicKey,
        signPublicKey: planted.signPublicKey,
      },
      coordinator.keys.sign,
    );
    expect(
      codeOf(() => verifyCertificateChain([coordinator.chain[1], cert], org.root.publicKey)),
    ).toBe('UNCERTIFIED_KEY');
    expect(
      codeOf(() => verifyCertificateChain([...coordinator.chain, cert], org.root.publicKey)),
    ).toBe('UNCERTIFIED_KEY');
  });

  it('refuses an admin certified by another admin rather than by the root', () => {
    const org = createTestOrg();
    const planted = createUserKeys(lib().randombytes_buf(32), 'admin-2').bundle;
    const cert = issueCertificate(
      {
        subjectId: 'admin-2',
        role: 'admin',
        boxPublicKey: planted.boxPublicKey,
        signPublicKey: planted.signPublicKey,
      },
      org.admin.keys.sign,
    );
    expect(
      codeOf(() => verifyCertificateChain([...org.admin.chain, cert], org.root.publicKey)),
    ).toBe('UNCERTIFIED_KEY');
  });

  it('refuses a role the caller did not ask for, and empty, long or malformed chains', () => {
    const org = createTestOrg();
    const auditor = createTestUser(org, 'audrey', 'auditor');
    expect(
      codeOf(() =>
        verifyCertificateChain(auditor.chain, org.root.publicKey, {
          roles: ['caseworker', 'coordinator'],
        }),
      ),
    ).toBe('UNCERTIFIED_KEY');
    expect(codeOf(() => verifyCertificateChain([], org.root.publicKey))).toBe('UNCERTIFIED_KEY');
    expect(
      codeOf(() =>
        verifyCertificateChain([...auditor.chain, ...auditor.chain], org.root.publicKey),
      ),
    ).toBe('UNCERTIFIED_KEY');
    expect(codeOf(() => verifyCertificateChain([new Uint8Array(10)], org.root.publicKey))).toBe(
      'UNCERTIFIED_KEY',
    );
    expect(codeOf(() => verifyCertificateChain('chain' as never, org.root.publicKey))).toBe(
      'UNCERTIFIED_KEY',
    );
    expect(codeOf(() => verifyCertificateChain(auditor.chain, new Uint8Array(3)))).toBe(
      'BAD_INPUT',
    );
  });

  it('refuses to grant to an object that only looks like a certified key', () => {
    const org = createTestOrg();
    const anna = createTestUser(org, 'anna', 'caseworker');
    const planted = createUserKeys(lib().randombytes_buf(32), 'anna').bundle;
    const forged: CertifiedKey = {
      subjectId: 'anna',
      role: 'caseworker',
      issuedDay: 0,
      boxPublicKey: planted.boxPublicKey,
      signPublicKey: planted.signPublicKey,
      fingerprint: anna.certified.fingerprint,
    };
    expect(isCertifiedKey(forged)).toBe(false);
    const caseKey = generateCaseKey('case-1');
    expect(codeOf(() => sealCaseKeyGrant(caseKey, forged, anna.keys))).toBe('UNCERTIFIED_KEY');
    // A structured clone (what crossing a worker boundary does) loses certification too.
    expect(
      codeOf(() => sealCaseKeyGrant(caseKey, structuredClone(anna.certified), anna.keys)),
    ).toBe('UNCERTIFIED_KEY');
  });

  it('ignores later changes to the bytes of a certified key', () => {
    const org = createTestOrg();
    const anna = createTestUser(org, 'anna', 'caseworker');
    const boris = createTestUser(org, 'boris', 'caseworker');
    const key = verifyCertificateChain(boris.chain, org.root.publicKey);
    // Overwrite the visible public key with Anna's; sealing still goes to Boris's verified key.
    key.boxPublicKey.set(anna.bundle.boxPublicKey);
    const caseKey = generateCaseKey('case-1');
    const grant = sealCaseKeyGrant(caseKey, key, anna.keys);
    const opened = openCaseKeyGrant(grant, {
      caseId: 'case-1',
      version: 1,
      grantee: boris.keys,
      granter: anna.certified,
    });
    expect(toHex(opened.key)).toBe(toHex(caseKey.key));
    expect(
      codeOf(() =>
        openCaseKeyGrant(grant, {
          caseId: 'case-1',
          version: 1,
          grantee: anna.keys,
          granter: anna.certified,
        }),
      ),
    ).toBe('AUTH_FAILED');
  });
});

describe('fingerprints', () => {
  // Independently computed with Python's hashlib (libs/crypto/vectors/independent-vectors.py).
  it('matches the documented construction', () => {
    expect(fingerprint(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2))).toBe(
      '39090 46289 50303 87305 63610 32372',
    );
  });

  it('is six groups of five digits and changes with either key', () => {
    const a = fingerprint(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    expect(a).toMatch(/^\d{5}( \d{5}){5}$/);
    expect(fingerprint(new Uint8Array(32).fill(1), new Uint8Array(32).fill(3))).not.toBe(a);
    expect(fingerprint(new Uint8Array(32).fill(2), new Uint8Array(32).fill(1))).not.toBe(a);
  });
});
