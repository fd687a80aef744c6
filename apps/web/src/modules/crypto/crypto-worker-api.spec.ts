import {
  CryptoError,
  initCrypto,
  issueCertificate,
  KDF_FLOOR,
  verifyCertificateChain,
  verifyIntakeKey,
} from '@haven/crypto';
import { createTestOrg, createTestUser, type TestOrg } from '@haven/crypto/testing';
import {
  fromTransferredError,
  isWorkerCryptoError,
  toTransferableError,
  type CryptoWorkerApi,
  type UserHandle,
} from './crypto-protocol';
import { createCryptoWorkerApi } from './crypto-worker-api';

const params = { algorithm: 'argon2id13', ...KDF_FLOOR };
const serverSeed = new Uint8Array(32).fill(9);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof CryptoError ? error.code : `non-CryptoError: ${String(error)}`;
  }
}

let org: TestOrg;

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
});

/** Logs a new user in through the worker API and has the test org's admin certify them. */
async function enrol(api: CryptoWorkerApi, userId: string, role: 'caseworker' | 'coordinator') {
  const { kek } = await api.deriveLoginKeys({
    password: `${userId}-pw`,
    username: userId,
    serverSeed,
    params,
  });
  const created = await api.createUserKeys(kek, userId);
  const cert = issueCertificate(
    {
      subjectId: userId,
      role,
      boxPublicKey: created.boxPublicKey,
      signPublicKey: created.signPublicKey,
    },
    org.admin.keys.sign,
  );
  return { kek, user: created.user, bundle: created.bundle, chain: [...org.admin.chain, cert] };
}

describe('crypto worker API', () => {
  it('logs in, unlocks, opens a grant and decrypts summaries in bulk, all through handles', async () => {
    const api = createCryptoWorkerApi();
    await api.init();
    await api.pinOrgRoot(org.root.publicKey);
    const cora = await enrol(api, 'cora', 'coordinator');
    const anna = await enrol(api, 'anna', 'caseworker');

    // Anna logs in again: same password and username give a kek that unlocks her bundle.
    const login = await api.deriveLoginKeys({
      password: 'anna-pw',
      username: 'ANNA',
      serverSeed,
      params,
    });
    expect(login.authKey).toHaveLength(32);
    const unlocked = await api.unlockUserKeys(login.kek, 'anna', anna.bundle);
    expect(unlocked.fingerprint).toMatch(/^\d{5}( \d{5}){5}$/);

    const coraKey = await api.verifyCertificate(cora.chain, { subjectId: 'cora' });
    const annaKey = await api.verifyCertificate(anna.chain, { subjectId: 'anna' });
    const created = await api.createCaseKey('case-9');
    const grant = await api.sealCaseGrant(created.caseKey, annaKey.key, cora.user);
    const opened = await api.openCaseGrant(unlocked.user, grant, {
      caseId: 'case-9',
      version: 1,
      granter: coraKey.key,
    });

    const summaries = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        api.encryptJson(
          created.caseKey,
          { kind: 'summary', recordId: `s${i}` },
          { title: `case ${i}` },
        ),
      ),
    );
    const items = summaries.map((envelope, i) => ({
      caseKey: opened.caseKey,
      ref: { kind: 'summary', recordId: `s${i}` },
      envelope,
    }));
    items[3] = { ...items[3], ref: { kind: 'summary', recordId: 'moved' } };
    const results = await api.decryptJson(items);
    expect(results[0]).toEqual({ ok: true, value: { title: 'case 0' } });
    expect(results[3]).toEqual({ ok: false, code: 'AUTH_FAILED' });
    expect(results.filter((r) => r.ok)).toHaveLength(4);
  });

  it('refuses to verify anything before a root is pinned, and refuses a second root', async () => {
    const api = createCryptoWorkerApi();
    const user = createTestUser(org, 'boris', 'caseworker');
    expect(await codeOf(api.verifyCertificate(user.chain))).toBe('UNCERTIFIED_KEY');
    await api.pinOrgRoot(org.root.publicKey);
    expect(await codeOf(api.pinOrgRoot(createTestOrg().root.publicKey))).toBe('UNCERTIFIED_KEY');
    expect((await api.verifyCertificate(user.chain)).subjectId).toBe('boris');
  });

  it('refuses weakened KDF parameters from the server', async () => {
    const api = createCryptoWorkerApi();
    const weak = { algorithm: 'argon2id13', opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 };
    expect(
      await codeOf(
        api.deriveLoginKeys({ password: 'pw', username: 'a', serverSeed, params: weak }),
      ),
    ).toBe('WEAK_PARAMS');
  });

  it('wipe() forgets every key: handles stop working', async () => {
    const api = createCryptoWorkerApi();
    await api.pinOrgRoot(org.root.publicKey);
    const anna = await enrol(api, 'anna', 'caseworker');
    const created = await api.createCaseKey('case-1');
    const envelope = await api.encryptJson(created.caseKey, { kind: 'note', recordId: 'n' }, 'x');
    await api.wipe();
    expect(await codeOf(api.unlockUserKeys(anna.kek, 'anna', anna.bundle))).toBe('BAD_INPUT');
    expect(
      await api.decryptRecords([
        { caseKey: created.caseKey, ref: { kind: 'note', recordId: 'n' }, envelope },
      ]),
    ).toEqual([{ ok: false, code: 'BAD_INPUT' }]);
    expect(await codeOf(api.verifyCertificate(anna.chain))).toBe('UNCERTIFIED_KEY');
  });

  it('release() forgets one handle; a handle of the wrong kind is refused', async () => {
    const api = createCryptoWorkerApi();
    const a = await api.createCaseKey('case-1');
    const b = await api.createCaseKey('case-2');
    await api.release(a.caseKey);
    expect(
      await codeOf(
        api.encryptRecord(a.caseKey, { kind: 'note', recordId: 'n' }, new Uint8Array(1)),
      ),
    ).toBe('BAD_INPUT');
    expect(
      await codeOf(
        api.encryptRecord(b.caseKey, { kind: 'note', recordId: 'n' }, new Uint8Array(1)),
      ),
    ).toBe('no error');
    expect(
      await codeOf(
        api.sealCaseGrant(b.caseKey, b.caseKey as never, b.caseKey as unknown as UserHandle),
      ),
    ).toBe('BAD_INPUT');
  });
});

describe('errors across the worker boundary', () => {
  it('carry the CryptoError code', () => {
    const back = fromTransferredError(
      toTransferableError(new CryptoError('AUTH_FAILED', 'decryption failed')),
    );
    expect(isWorkerCryptoError(back, 'AUTH_FAILED')).toBe(true);
    expect((back as Error).message).toBe('decryption failed');
  });

  it('never carry the text of an unexpected error (it could quote plaintext)', () => {
    const back = fromTransferredError(
      toTransferableError(new SyntaxError('Unexpected token S in "Secret name"')),
    );
    expect(isWorkerCryptoError(back)).toBe(false);
    expect((back as Error).message).toBe('the crypto worker failed unexpectedly');
  });
});

describe('accounts through the worker API', () => {
  const salt = new Uint8Array(16).fill(5);

  it('sets up an organisation whose admin chain, intake signature and root pin all verify', async () => {
    const api = createCryptoWorkerApi();
    const { kek } = await api.deriveLoginKeysFromSalt({ password: 'pw', salt, params });
    const setup = await api.setupOrganisation(kek, 'admin-9');
    expect(verifyCertificateChain([setup.certificate], setup.rootPublicKey).role).toBe('admin');
    expect(() =>
      verifyIntakeKey(setup.intakePublicKey, setup.intakeKeySignature, setup.rootPublicKey),
    ).not.toThrow();
    expect(setup.wrappedOrgRootKey[2]).toBe(0x04);
    expect(setup.wrappedIntakeKey[2]).toBe(0x05);
    // The root is pinned for the session; the same root with its pin is accepted again.
    expect(await api.pinOrgRootWithPin(setup.user, setup.rootPublicKey, setup.orgRootPin)).toEqual({
      fingerprint: setup.rootFingerprint,
    });
    expect(await api.rootFingerprint(setup.rootPublicKey)).toBe(setup.rootFingerprint);
  });

  it('refuses a root the user did not enrol with', async () => {
    const api = createCryptoWorkerApi();
    const { kek } = await api.deriveLoginKeysFromSalt({ password: 'pw', salt, params });
    const created = await api.createUserKeys(kek, 'anna');
    const pin = await api.makeOrgRootPin(created.user, org.root.publicKey);
    const other = createTestOrg();
    expect(await codeOf(api.pinOrgRootWithPin(created.user, other.root.publicKey, pin))).toBe(
      'UNCERTIFIED_KEY',
    );
    expect(await api.pinOrgRootWithPin(created.user, org.root.publicKey, pin)).toHaveProperty(
      'fingerprint',
    );
  });

  it('certifies staff with the admin key and admins with the unwrapped root', async () => {
    const api = createCryptoWorkerApi();
    const { kek } = await api.deriveLoginKeysFromSalt({ password: 'pw', salt, params });
    const setup = await api.setupOrganisation(kek, 'admin-1');
    const adminChain = [setup.certificate];
    const staff = createTestUser(org, 'cw-1', 'caseworker');
    const subject = {
      subjectId: 'cw-1',
      role: 'caseworker' as const,
      boxPublicKey: staff.bundle.boxPublicKey,
      signPublicKey: staff.bundle.signPublicKey,
    };
    const cert = await api.certifyUser(setup.user, subject);
    expect(
      verifyCertificateChain([...adminChain, cert], setup.rootPublicKey, { subjectId: 'cw-1' })
        .role,
    ).toBe('caseworker');
    expect(await api.fingerprintOf(subject.signPublicKey, subject.boxPublicKey)).toBe(
      staff.certified.fingerprint,
    );
    const adminCert = await api.certifyUser(
      setup.user,
      { ...subject, subjectId: 'admin-2', role: 'admin' },
      setup.wrappedOrgRootKey,
    );
    expect(verifyCertificateChain([adminCert], setup.rootPublicKey).role).toBe('admin');
    expect(await codeOf(api.certifyUser(setup.user, { ...subject, role: 'admin' }))).toBe(
      'BAD_INPUT',
    );
  });

  it('derives from a salt with the same floor as from a seed', async () => {
    const api = createCryptoWorkerApi();
    expect(
      await codeOf(
        api.deriveLoginKeysFromSalt({
          password: 'pw',
          salt,
          params: { algorithm: 'argon2id13', opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 },
        }),
      ),
    ).toBe('WEAK_PARAMS');
  });
});
