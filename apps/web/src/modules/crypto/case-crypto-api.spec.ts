import {
  CryptoError,
  initCrypto,
  issueCertificate,
  KDF_FLOOR,
  RECORD_OVERHEAD,
} from '@haven/crypto';
import { createTestOrg, type TestOrg } from '@haven/crypto/testing';
import type { CryptoWorkerApi } from './crypto-protocol';
import { createCryptoWorkerApi } from './crypto-worker-api';

const params = { algorithm: 'argon2id13', ...KDF_FLOOR };
const salt = new Uint8Array(16).fill(3);

let org: TestOrg;

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof CryptoError ? error.code : `non-CryptoError: ${String(error)}`;
  }
}

/** A signed-in, certified person in this worker: their user handle and verified key. */
async function person(api: CryptoWorkerApi, id: string, role: 'caseworker' | 'coordinator') {
  const { kek } = await api.deriveLoginKeysFromSalt({ password: `${id}-pw`, salt, params });
  const created = await api.createUserKeys(kek, id);
  await api.release(kek);
  const cert = issueCertificate(
    {
      subjectId: id,
      role,
      boxPublicKey: created.boxPublicKey,
      signPublicKey: created.signPublicKey,
    },
    org.admin.keys.sign,
  );
  const verified = await api.verifyCertificate([...org.admin.chain, cert], { subjectId: id });
  return { user: created.user, cert: verified.key };
}

describe('case crypto in the worker', () => {
  let api: CryptoWorkerApi;
  let anna: Awaited<ReturnType<typeof person>>;
  let cora: Awaited<ReturnType<typeof person>>;

  beforeAll(async () => {
    api = createCryptoWorkerApi();
    await api.init();
    await api.pinOrgRoot(org.root.publicKey);
    anna = await person(api, 'anna', 'caseworker');
    cora = await person(api, 'cora', 'coordinator');
  });

  it('refuses a ciphertext moved to another case, record, kind or key version', async () => {
    const a = await api.createCaseKey('case-a');
    const b = await api.createCaseKey('case-b');
    const summary = { kind: 'case.summary', recordId: 'summary' };
    const envelope = await api.encryptPaddedJson(a.caseKey, summary, { alias: 'S' }, 'summary');
    const contact = { kind: 'case.contact', recordId: 'entry-1' };
    const entry = await api.encryptPaddedJson(a.caseKey, contact, { summary: 'x' }, 'record');
    const results = await api.decryptJson([
      { caseKey: a.caseKey, ref: summary, envelope },
      // Moved to another case: the other case's key, same ref.
      { caseKey: b.caseKey, ref: summary, envelope },
      // Moved to another record of the same case.
      { caseKey: a.caseKey, ref: { kind: 'case.profile', recordId: 'profile' }, envelope },
      // An entry moved to another entry, or shown as another kind.
      { caseKey: a.caseKey, ref: { ...contact, recordId: 'entry-2' }, envelope: entry },
      { caseKey: a.caseKey, ref: { ...contact, kind: 'case.status_note' }, envelope: entry },
    ]);
    expect(results[0]).toEqual({ ok: true, value: { alias: 'S' } });
    expect(results.slice(1)).toEqual([
      { ok: false, code: 'AUTH_FAILED' },
      { ok: false, code: 'AUTH_FAILED' },
      { ok: false, code: 'AUTH_FAILED' },
      { ok: false, code: 'AUTH_FAILED' },
    ]);
    // Relabelled with another key version: refused too.
    const relabelled = envelope.slice();
    relabelled[5] = 2;
    const [moved] = await api.decryptJson([
      { caseKey: a.caseKey, ref: summary, envelope: relabelled },
    ]);
    expect(moved).toEqual({ ok: false, code: 'AUTH_FAILED' });
  });

  it('pads summaries to 256-byte steps and records to size buckets', async () => {
    const key = await api.createCaseKey('case-pad');
    const ref = { kind: 'case.summary', recordId: 'summary' };
    const short = await api.encryptPaddedJson(key.caseKey, ref, { alias: 'A' }, 'summary');
    const longer = await api.encryptPaddedJson(
      key.caseKey,
      ref,
      { alias: 'A'.repeat(80) },
      'summary',
    );
    expect(short.length).toBe(256 + RECORD_OVERHEAD);
    expect(longer.length).toBe(256 + RECORD_OVERHEAD);
    const cyrillic = await api.encryptPaddedJson(
      key.caseKey,
      ref,
      { alias: 'Ж'.repeat(200) },
      'summary',
    );
    expect(cyrillic.length).toBe(512 + RECORD_OVERHEAD);
    const record = await api.encryptPaddedJson(
      key.caseKey,
      ref,
      { text: 'x'.repeat(2000) },
      'record',
    );
    expect(record.length).toBe(4096 + RECORD_OVERHEAD);
    expect(await api.decryptJson([{ caseKey: key.caseKey, ref, envelope: record }])).toEqual([
      { ok: true, value: { text: 'x'.repeat(2000) } },
    ]);
    expect(
      await codeOf(api.encryptPaddedJson(key.caseKey, ref, { t: 'x'.repeat(300_000) }, 'record')),
    ).toBe('BAD_INPUT');
    expect(
      await codeOf(api.encryptPaddedJson(key.caseKey, ref, { t: 'x'.repeat(5000) }, 'summary')),
    ).toBe('BAD_INPUT');
  });

  it('opens a page of grants at once; a grant for another case fails alone', async () => {
    const one = await api.createCaseKey('case-1');
    const two = await api.createCaseKey('case-2');
    const g1 = await api.sealCaseGrant(one.caseKey, anna.cert, cora.user);
    const g2 = await api.sealCaseGrant(two.caseKey, anna.cert, cora.user);
    expect(await api.readGrantHeaders([g1])).toEqual([
      {
        ok: true,
        value: {
          scope: 'case',
          subjectId: 'case-1',
          version: 1,
          granteeId: 'anna',
          granterId: 'cora',
        },
      },
    ]);
    const opened = await api.openCaseGrants(anna.user, [
      { envelope: g1, caseId: 'case-1', version: 1, granter: cora.cert },
      { envelope: g2, caseId: 'case-1', version: 1, granter: cora.cert },
      { envelope: g2, caseId: 'case-2', version: 1, granter: anna.cert },
    ]);
    expect(opened[0]).toMatchObject({ ok: true, value: { caseId: 'case-1', version: 1 } });
    expect(opened[1]).toEqual({ ok: false, code: 'AUTH_FAILED' });
    expect(opened[2]).toEqual({ ok: false, code: 'BAD_SIGNATURE' });
  });

  it('rotates a case: new version, every record re-encrypted, new grants; the old key opens nothing new', async () => {
    const current = await api.createCaseKey('case-rot');
    const refs = [
      { kind: 'case.profile', recordId: 'profile' },
      { kind: 'case.contact', recordId: 'e1' },
    ];
    const records = await Promise.all(
      refs.map(async (ref) => ({
        ref,
        envelope: await api.encryptPaddedJson(
          current.caseKey,
          ref,
          { ref: ref.recordId },
          'record',
        ),
      })),
    );
    const rotated = await api.rotateCaseKey(
      current.caseKey,
      records,
      [anna.cert, cora.cert],
      cora.user,
    );
    expect(rotated.next.version).toBe(2);
    expect(rotated.grants.map((g) => g.granteeId)).toEqual(['anna', 'cora']);
    const reopened = await api.openCaseGrants(anna.user, [
      { envelope: rotated.grants[0].envelope, caseId: 'case-rot', version: 2, granter: cora.cert },
    ]);
    expect(reopened[0].ok).toBe(true);
    const items = refs.map((ref, i) => ({ ref, envelope: rotated.records[i] }));
    expect(
      await api.decryptJson(items.map((item) => ({ ...item, caseKey: rotated.next.caseKey }))),
    ).toEqual([
      { ok: true, value: { ref: 'profile' } },
      { ok: true, value: { ref: 'e1' } },
    ]);
    expect(
      await api.decryptJson(items.map((item) => ({ ...item, caseKey: current.caseKey }))),
    ).toEqual([
      { ok: false, code: 'AUTH_FAILED' },
      { ok: false, code: 'AUTH_FAILED' },
    ]);
    // One record that does not open aborts the whole rotation.
    const foreign = await api.createCaseKey('case-rot');
    const stray = await api.encryptPaddedJson(foreign.caseKey, refs[0], {}, 'record');
    expect(
      await codeOf(
        api.rotateCaseKey(
          current.caseKey,
          [{ ref: refs[0], envelope: stray }],
          [anna.cert],
          cora.user,
        ),
      ),
    ).toBe('AUTH_FAILED');
  });

  it('shares the blind-index key, and both holders compute the same indexes', async () => {
    const index = await api.createIndexKey('org-blind-index');
    const grant = await api.sealIndexGrant(index, anna.cert, cora.user);
    const annaIndex = await api.openIndexGrant(anna.user, grant, {
      id: 'org-blind-index',
      version: 1,
      granter: cora.cert,
    });
    const values = [
      { kind: 'phone' as const, value: '8 (926) 123-45-67' },
      { kind: 'handle' as const, value: '@Sasha_K' },
      { kind: 'phone' as const, value: 'not a phone' },
    ];
    const mine = await api.blindIndexes(index, values, { defaultCountryCode: '7' });
    const theirs = await api.blindIndexes(annaIndex, values, { defaultCountryCode: '7' });
    expect(theirs).toEqual(mine);
    expect(mine[0].ok && mine[0].value).toMatch(/^[0-9a-f]{4}$/);
    expect(mine[2]).toEqual({ ok: false, code: 'BAD_INPUT' });
    const same = await api.blindIndexes(index, [{ kind: 'phone', value: '+7 926 123 45 67' }]);
    expect(same[0]).toEqual(mine[0]);
    // A grant for another index id is refused.
    expect(
      await codeOf(
        api.openIndexGrant(anna.user, grant, { id: 'other', version: 1, granter: cora.cert }),
      ),
    ).toBe('AUTH_FAILED');
  });

  it('forgets index keys on wipe', async () => {
    const local = createCryptoWorkerApi();
    await local.init();
    const index = await local.createIndexKey('org-blind-index');
    await local.wipe();
    expect(await codeOf(local.blindIndexes(index, [{ kind: 'handle', value: 'x' }]))).toBe(
      'BAD_INPUT',
    );
  });
});
