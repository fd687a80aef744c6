import { CryptoError, initCrypto, issueCertificate, KDF_FLOOR } from '@haven/crypto';
import { createTestOrg, type TestOrg } from '@haven/crypto/testing';
import type { CryptoWorkerApi } from './crypto-protocol';
import { createCryptoWorkerApi } from './crypto-worker-api';

const params = { algorithm: 'argon2id13', ...KDF_FLOOR };
const salt = new Uint8Array(16).fill(7);

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

type Role = 'caseworker' | 'coordinator' | 'partner';

/** A person with keys in `api`, certified by the test org's admin, as that worker sees them. */
async function person(api: CryptoWorkerApi, id: string, role: Role) {
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
  return { user: created.user, cert: verified.key, chain: [...org.admin.chain, cert] };
}

describe('referral packets in the worker', () => {
  let api: CryptoWorkerApi;
  let cora: Awaited<ReturnType<typeof person>>;
  let pia: Awaited<ReturnType<typeof person>>;
  let pavel: Awaited<ReturnType<typeof person>>;
  let anna: Awaited<ReturnType<typeof person>>;

  beforeAll(async () => {
    // One worker stands in for several people's workers: handles keep their keys apart.
    api = createCryptoWorkerApi();
    await api.init();
    await api.pinOrgRoot(org.root.publicKey);
    cora = await person(api, 'cora', 'coordinator');
    pia = await person(api, 'pia', 'partner');
    pavel = await person(api, 'pavel', 'partner');
    anna = await person(api, 'anna', 'caseworker');
  });

  const content = { alias: 'Sasha', location: 'Grozny', needs: ['evacuation'] };

  it('builds a packet every partner member and every case grantee can open, and nobody else', async () => {
    const caseKey = await api.createCaseKey('case-1');
    const built = await api.buildPacket(
      caseKey.caseKey,
      { referralId: 'ref-1', version: 1, content },
      [pia.cert, pavel.cert],
      cora.user,
    );
    expect(built.grants.map((g) => g.granteeId)).toEqual(['pia', 'pavel']);
    expect(built.version).toBe(1);

    for (const [who, grant] of [
      [pia, built.grants[0]],
      [pavel, built.grants[1]],
    ] as const) {
      const opened = await api.openPacketGrant(who.user, grant.envelope, {
        referralId: 'ref-1',
        version: 1,
        granter: cora.cert,
      });
      expect(await api.decryptPacketJson(opened.packetKey, built.envelope)).toEqual(content);
    }
    // Pia's grant is not Pavel's; a grant presented for another referral or version fails.
    expect(
      await codeOf(
        api.openPacketGrant(pavel.user, built.grants[0].envelope, {
          referralId: 'ref-1',
          version: 1,
          granter: cora.cert,
        }),
      ),
    ).not.toBe('no error');
    expect(
      await codeOf(
        api.openPacketGrant(pia.user, built.grants[0].envelope, {
          referralId: 'ref-2',
          version: 1,
          granter: cora.cert,
        }),
      ),
    ).toBe('AUTH_FAILED');
    // A grant must be signed by the coordinator named: another signer is refused.
    expect(
      await codeOf(
        api.openPacketGrant(pia.user, built.grants[0].envelope, {
          referralId: 'ref-1',
          version: 1,
          granter: anna.cert,
        }),
      ),
    ).toBe('BAD_SIGNATURE');

    // Case grantees read it through the wrap under the case key.
    const unwrapped = await api.unwrapPacketKey(
      caseKey.caseKey,
      { referralId: 'ref-1', version: 1 },
      built.caseKeyWrap,
    );
    expect(await api.decryptPacketJson(unwrapped.packetKey, built.envelope)).toEqual(content);
    // Another case's key, or the wrap presented for another referral, opens nothing.
    const other = await api.createCaseKey('case-2');
    expect(
      await codeOf(
        api.unwrapPacketKey(other.caseKey, { referralId: 'ref-1', version: 1 }, built.caseKeyWrap),
      ),
    ).toBe('AUTH_FAILED');
    expect(
      await codeOf(
        api.unwrapPacketKey(
          caseKey.caseKey,
          { referralId: 'ref-9', version: 1 },
          built.caseKeyWrap,
        ),
      ),
    ).toBe('AUTH_FAILED');
  });

  it('seals to an internal caseworker too, but never to a coordinator or to nobody', async () => {
    const caseKey = await api.createCaseKey('case-3');
    const packet = { referralId: 'ref-3', version: 2, content };
    const built = await api.buildPacket(caseKey.caseKey, packet, [anna.cert], cora.user);
    const opened = await api.openPacketGrant(anna.user, built.grants[0].envelope, {
      referralId: 'ref-3',
      version: 2,
      granter: cora.cert,
    });
    expect(await api.decryptPacketJson(opened.packetKey, built.envelope)).toEqual(content);

    expect(
      await codeOf(api.buildPacket(caseKey.caseKey, packet, [pia.cert, cora.cert], cora.user)),
    ).toBe('UNCERTIFIED_KEY');
    expect(await codeOf(api.buildPacket(caseKey.caseKey, packet, [], cora.user))).toBe('BAD_INPUT');
    // Only certified keys have handles: anything else is refused before a key is made.
    expect(
      await codeOf(
        api.buildPacket(
          caseKey.caseKey,
          packet,
          ['cert:not-verified' as typeof pia.cert],
          cora.user,
        ),
      ),
    ).toBe('BAD_INPUT');
    // Only a coordinator may grant a packet: one sealed by a caseworker does not open.
    const forged = await api.buildPacket(caseKey.caseKey, packet, [pia.cert], anna.user);
    expect(
      await codeOf(
        api.openPacketGrant(pia.user, forged.grants[0].envelope, {
          referralId: 'ref-3',
          version: 2,
          granter: anna.cert,
        }),
      ),
    ).toBe('UNCERTIFIED_KEY');
  });

  it('keeps notes bound to their id and packet key', async () => {
    const caseKey = await api.createCaseKey('case-4');
    const built = await api.buildPacket(
      caseKey.caseKey,
      { referralId: 'ref-4', version: 1, content },
      [pia.cert],
      cora.user,
    );
    const note = await api.encryptPacketNoteJson(built.packetKey, 'note-1', { text: 'Done' });
    const other = await api.buildPacket(
      caseKey.caseKey,
      { referralId: 'ref-5', version: 1, content },
      [pia.cert],
      cora.user,
    );
    expect(
      await api.decryptPacketNotesJson([
        { packetKey: built.packetKey, noteId: 'note-1', envelope: note },
        { packetKey: built.packetKey, noteId: 'note-2', envelope: note },
        { packetKey: other.packetKey, noteId: 'note-1', envelope: note },
        { packetKey: built.packetKey, noteId: 'note-1', envelope: built.envelope },
      ]),
    ).toEqual([
      { ok: true, value: { text: 'Done' } },
      { ok: false, code: 'AUTH_FAILED' },
      { ok: false, code: 'AUTH_FAILED' },
      { ok: false, code: 'AUTH_FAILED' },
    ]);
  });

  it('forgets packet keys on release and wipe', async () => {
    const caseKey = await api.createCaseKey('case-6');
    const built = await api.buildPacket(
      caseKey.caseKey,
      { referralId: 'ref-6', version: 1, content },
      [pia.cert],
      cora.user,
    );
    await api.release(built.packetKey);
    expect(await codeOf(api.decryptPacketJson(built.packetKey, built.envelope))).toBe('BAD_INPUT');
  });
});
