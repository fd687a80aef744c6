/**
 * The page's case crypto against the real worker implementation (createCryptoWorkerApi, the
 * code the worker runs), in Node: moved or swapped ciphertext is refused and shown as
 * unreadable, grants from unknown signers open nothing, content that does not match its schema
 * is not trusted, and a rotation covers every record and every active grantee.
 */
import { randomUUID } from 'node:crypto';
import type { CaseDetail, StaffDirectoryEntry } from '@haven/contracts';
import { initCrypto, issueCertificate, KDF_FLOOR } from '@haven/crypto';
import { createTestOrg, type TestOrg } from '@haven/crypto/testing';
import { toBase64Url } from '../../auth/utils/base64url';
import type { UserHandle } from '../../crypto';
import { createCryptoWorkerApi } from '../../crypto/crypto-worker-api';
import {
  encrypt,
  entryRef,
  openCase,
  profileRef,
  rotationFor,
  sealTo,
  summaryOf,
  summaryRef,
  verifyDirectory,
  type Directory,
  type Worker,
} from './case-crypto';

const params = { algorithm: 'argon2id13', ...KDF_FLOOR };
const salt = new Uint8Array(16).fill(8);

let org: TestOrg;
let worker: Worker;
let directory: Directory;
const users = new Map<string, UserHandle>();
const ids = { anna: randomUUID(), cora: randomUUID(), mallory: randomUUID(), gone: randomUUID() };

async function enrol(id: string, role: 'caseworker' | 'coordinator'): Promise<StaffDirectoryEntry> {
  const { kek } = await worker.deriveLoginKeysFromSalt({ password: `${id}!`, salt, params });
  const created = await worker.createUserKeys(kek, id);
  users.set(id, created.user);
  const cert = issueCertificate(
    {
      subjectId: id,
      role,
      boxPublicKey: created.boxPublicKey,
      signPublicKey: created.signPublicKey,
    },
    org.admin.keys.sign,
  );
  return {
    id,
    username: id.slice(0, 8),
    role,
    active: true,
    certificateChain: [...org.admin.chain, cert].map(toBase64Url),
  };
}

function user(id: string): UserHandle {
  const handle = users.get(id);
  if (!handle) throw new Error('no such test user');
  return handle;
}

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
  worker = createCryptoWorkerApi();
  await worker.init();
  await worker.pinOrgRoot(org.root.publicKey);
  const anna = await enrol(ids.anna, 'caseworker');
  const cora = await enrol(ids.cora, 'coordinator');
  const gone = await enrol(ids.gone, 'caseworker');
  // Mallory is certified by nobody the root knows: her chain will not verify.
  const { kek } = await worker.deriveLoginKeysFromSalt({ password: 'm', salt, params });
  const mallory = await worker.createUserKeys(kek, ids.mallory);
  users.set(ids.mallory, mallory.user);
  const rogue = createTestOrg();
  const rogueCert = issueCertificate(
    {
      subjectId: ids.mallory,
      role: 'coordinator',
      boxPublicKey: mallory.boxPublicKey,
      signPublicKey: mallory.signPublicKey,
    },
    rogue.admin.keys.sign,
  );
  directory = await verifyDirectory(worker, [
    anna,
    cora,
    { ...gone, active: false },
    {
      id: ids.mallory,
      username: 'mallory',
      role: 'coordinator',
      active: true,
      certificateChain: [...rogue.admin.chain, rogueCert].map(toBase64Url),
    },
  ]);
});

function colleague(id: string) {
  const found = directory.get(id);
  if (!found) throw new Error('not in the directory');
  return found;
}

/** A case as the API would return it to Anna, made by Cora's browser. */
async function makeCase(options: { granter?: string } = {}) {
  const caseId = randomUUID();
  const key = await worker.createCaseKey(caseId);
  const granter = options.granter ?? ids.cora;
  const profile = {
    alias: 'Sasha',
    channels: [],
    safeTimes: '',
    languages: [],
    location: '',
    situation: 'Needs to leave.\nMore detail.',
    risks: '',
    needs: {
      evacuation: true,
      shelter: false,
      legal: false,
      medical: false,
      psychological: false,
      financial: false,
      documents: false,
    },
    consent: { contact: true, shareWithPartners: false, keepData: true },
  };
  const entryIds = [randomUUID(), randomUUID()];
  const contact = (n: number) => ({
    date: '2026-03-0' + String(n + 1),
    channel: 'phone',
    direction: 'inbound',
    summary: `contact ${n}`,
    nextStep: '',
  });
  const myGrant = await worker.sealCaseGrant(key.caseKey, colleague(ids.anna).cert, user(granter));
  const detail: CaseDetail = {
    id: caseId,
    code: 'K7M3-QX9P',
    status: 'active',
    priority: 'urgent',
    assigneeId: ids.anna,
    supervisorId: ids.cora,
    keyVersion: 1,
    version: 1,
    createdOn: '2026-03-01',
    updatedOn: '2026-03-02',
    closedOn: null,
    rotationDue: false,
    myGrant: toBase64Url(myGrant),
    profile: await encrypt(worker, key.caseKey, profileRef, profile),
    summary: await encrypt(worker, key.caseKey, summaryRef, summaryOf(profile), 'summary'),
    grants: [ids.anna, ids.cora].map((id) => ({
      userId: id,
      keyVersion: 1,
      grantedBy: granter,
      createdOn: '2026-03-01',
    })),
    entries: await Promise.all(
      entryIds.map(async (id, n) => ({
        id,
        kind: 'contact' as const,
        ordinal: n + 1,
        envelope: await encrypt(worker, key.caseKey, entryRef('contact', id), contact(n)),
        keyVersion: 1,
        version: 1,
        authorId: ids.anna,
        followUpOn: null,
        followUpUserId: null,
        createdOn: '2026-03-01',
        updatedOn: '2026-03-01',
      })),
    ),
  };
  return { detail, key: key.caseKey, profile };
}

describe('opening a case in the browser', () => {
  it('opens the grant and every record, validated against the content schemas', async () => {
    const { detail, profile } = await makeCase();
    const opened = await openCase(worker, user(ids.anna), directory, detail);
    expect(opened.key).not.toBeNull();
    expect(opened.profile).toEqual({ ok: true, value: profile });
    expect(opened.summary).toEqual({
      ok: true,
      value: { alias: 'Sasha', headline: 'Needs to leave.' },
    });
    expect(opened.entries.map((e) => e.content.ok)).toEqual([true, true]);
  });

  it('refuses ciphertext the server moved: swapped entries, a summary shown as the profile, another case’s record', async () => {
    const { detail } = await makeCase();
    const other = await makeCase();
    const [first, second] = detail.entries;
    if (!first || !second) throw new Error('two entries expected');
    const tampered: CaseDetail = {
      ...detail,
      profile: detail.summary,
      summary: other.detail.summary,
      entries: [
        { ...first, envelope: second.envelope },
        { ...second, envelope: first.envelope },
      ],
    };
    const opened = await openCase(worker, user(ids.anna), directory, tampered);
    expect(opened.key).not.toBeNull();
    expect(opened.profile).toEqual({ ok: false });
    expect(opened.summary).toEqual({ ok: false });
    expect(opened.entries.map((e) => e.content)).toEqual([{ ok: false }, { ok: false }]);
  });

  it('refuses an entry relabelled as another kind', async () => {
    const { detail } = await makeCase();
    const [first] = detail.entries;
    if (!first) throw new Error('an entry expected');
    const opened = await openCase(worker, user(ids.anna), directory, {
      ...detail,
      entries: [{ ...first, kind: 'status_note' }],
    });
    expect(opened.entries[0]?.content).toEqual({ ok: false });
  });

  it('opens nothing with a grant signed by someone whose chain does not verify', async () => {
    expect(directory.has(ids.mallory)).toBe(false);
    const { detail } = await makeCase({ granter: ids.mallory });
    const opened = await openCase(worker, user(ids.anna), directory, detail);
    expect(opened.key).toBeNull();
    expect(opened.profile).toEqual({ ok: false });
  });

  it('does not trust content that decrypts but breaks its schema', async () => {
    const { detail, key } = await makeCase();
    const opened = await openCase(worker, user(ids.anna), directory, {
      ...detail,
      profile: await encrypt(worker, key, profileRef, { alias: '' }),
    });
    expect(opened.profile).toEqual({ ok: false });
  });
});

describe('rotation in the browser', () => {
  it('covers every record and every active grantee; disabled ones are left out', async () => {
    const { detail, key } = await makeCase();
    const withGone: CaseDetail = {
      ...detail,
      grants: [
        ...detail.grants,
        { userId: ids.gone, keyVersion: 1, grantedBy: ids.cora, createdOn: '2026-03-01' },
      ],
    };
    const body = await rotationFor(worker, user(ids.cora), directory, withGone, key);
    expect(body).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect(body.entries.map((e) => e.id)).toEqual(detail.entries.map((e) => e.id));
    expect(body.grants.map((g) => g.userId).sort()).toEqual([ids.anna, ids.cora].sort());
    // Anna opens the rotated case with her new grant.
    const rotated: CaseDetail = {
      ...detail,
      keyVersion: 2,
      myGrant: body.grants.find((g) => g.userId === ids.anna)?.envelope ?? '',
      profile: body.profile,
      summary: body.summary,
      entries: detail.entries.map((e, i) => ({
        ...e,
        keyVersion: 2,
        envelope: body.entries[i]?.envelope ?? '',
      })),
    };
    const opened = await openCase(worker, user(ids.anna), directory, rotated);
    expect(opened.profile.ok).toBe(true);
    expect(opened.entries.every((e) => e.content.ok)).toBe(true);
  });

  it('refuses to rotate when a grantee cannot be verified', async () => {
    const { detail, key } = await makeCase();
    await expect(
      rotationFor(
        worker,
        user(ids.cora),
        directory,
        {
          ...detail,
          grants: [
            ...detail.grants,
            { userId: ids.mallory, keyVersion: 1, grantedBy: ids.cora, createdOn: '2026-03-01' },
          ],
        },
        key,
      ),
    ).rejects.toThrow('could not be verified');
  });

  it('seals only to verified colleagues', async () => {
    const { key } = await makeCase();
    const grant = await sealTo(worker, key, colleague(ids.anna), user(ids.cora));
    expect(grant.length).toBeGreaterThan(100);
  });
});
