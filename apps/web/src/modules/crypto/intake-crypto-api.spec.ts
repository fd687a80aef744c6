import {
  CryptoError,
  deriveReceiptKeys,
  generateReceiptCode,
  initCrypto,
  KDF_FLOOR,
  openReply,
  sealIntakeSubmission,
  utf8Decode,
  utf8Encode,
} from '@haven/crypto';
import { INTAKE_KEY_ID } from '@haven/contracts';
import { createCryptoWorkerApi } from './crypto-worker-api';

const params = { algorithm: 'argon2id13', ...KDF_FLOOR };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof CryptoError ? error.code : `non-CryptoError: ${String(error)}`;
  }
}

beforeAll(async () => {
  await initCrypto();
});

describe('crypto worker: intake key handover and staff replies', () => {
  it('hands the intake key from the setup admin to a certified coordinator, who opens submissions', async () => {
    // The setup admin's browser.
    const admin = createCryptoWorkerApi();
    const adminLogin = await admin.deriveLoginKeysFromSalt({
      password: 'pw',
      salt: new Uint8Array(16).fill(1),
      params,
    });
    const setup = await admin.setupOrganisation(adminLogin.kek, 'admin-1');
    await admin.checkIntakeKey(setup.intakePublicKey, setup.intakeKeySignature);
    const tampered = setup.intakeKeySignature.slice();
    tampered[0] ^= 1;
    expect(await codeOf(admin.checkIntakeKey(setup.intakePublicKey, tampered))).toBe(
      'BAD_SIGNATURE',
    );
    const adminIntake = await admin.unwrapAdminIntakeKey(
      setup.user,
      setup.wrappedIntakeKey,
      setup.intakePublicKey,
    );

    // A coordinator's browser: enrols, the admin certifies, both sides verify the chain.
    const coord = createCryptoWorkerApi();
    const coordLogin = await coord.deriveLoginKeysFromSalt({
      password: 'pw2',
      salt: new Uint8Array(16).fill(2),
      params,
    });
    const coordKeys = await coord.createUserKeys(coordLogin.kek, 'coord-1');
    const cert = await admin.certifyUser(setup.user, {
      subjectId: 'coord-1',
      role: 'coordinator',
      boxPublicKey: coordKeys.boxPublicKey,
      signPublicKey: coordKeys.signPublicKey,
    });
    const coordAsSeen = await admin.verifyCertificate([setup.certificate, cert], {
      subjectId: 'coord-1',
      roles: ['coordinator'],
    });
    const grant = await admin.sealIntakeGrant(adminIntake, coordAsSeen.key, setup.user, {
      orgId: INTAKE_KEY_ID,
      version: 1,
    });

    await coord.pinOrgRoot(setup.rootPublicKey);
    await coord.checkIntakeKey(setup.intakePublicKey, setup.intakeKeySignature);
    const adminAsSeen = await coord.verifyCertificate([setup.certificate], {
      subjectId: 'admin-1',
      roles: ['admin'],
    });
    const intake = await coord.openIntakeGrant(coordKeys.user, grant, {
      orgId: INTAKE_KEY_ID,
      version: 1,
      granter: adminAsSeen.key,
      pinnedPublicKey: setup.intakePublicKey,
    });

    // A person's submission opens in the coordinator's worker, with the reply key inside.
    const receipt = deriveReceiptKeys(generateReceiptCode());
    const sealed = sealIntakeSubmission(
      {
        payload: utf8Encode(JSON.stringify({ kind: 'submission', happened: 'help' })),
        replyPublicKey: receipt.reply.publicKey,
      },
      setup.intakePublicKey,
    );
    const [opened] = await coord.openIntakeSubmissions(intake, [sealed]);
    expect(opened).toEqual({
      ok: true,
      value: {
        payload: { kind: 'submission', happened: 'help' },
        replyPublicKey: receipt.reply.publicKey,
      },
    });

    // A reply sealed in the worker opens with the keys derived from the receipt code.
    const reply = await coord.sealReplyJson(receipt.reply.publicKey, { v: 1, text: 'We read you' });
    expect(JSON.parse(utf8Decode(openReply(reply, receipt.reply)))).toEqual({
      v: 1,
      text: 'We read you',
    });
  });

  it('refuses a grant for another intake key version', async () => {
    const admin = createCryptoWorkerApi();
    const login = await admin.deriveLoginKeysFromSalt({
      password: 'pw',
      salt: new Uint8Array(16).fill(3),
      params,
    });
    const setup = await admin.setupOrganisation(login.kek, 'admin-2');
    const intake = await admin.unwrapAdminIntakeKey(
      setup.user,
      setup.wrappedIntakeKey,
      setup.intakePublicKey,
    );
    const adminSelf = await admin.verifyCertificate([setup.certificate], { subjectId: 'admin-2' });
    // Admins may not receive intake grants (GRANT_POLICY): only coordinators hold the key.
    expect(
      await codeOf(
        admin.sealIntakeGrant(intake, adminSelf.key, setup.user, {
          orgId: INTAKE_KEY_ID,
          version: 1,
        }),
      ),
    ).toBe('UNCERTIFIED_KEY');
    // A wrapped copy checked against another public key is refused.
    const other = setup.intakePublicKey.slice();
    other[0] ^= 1;
    expect(
      await codeOf(admin.unwrapAdminIntakeKey(setup.user, setup.wrappedIntakeKey, other)),
    ).toBe('AUTH_FAILED');
  });

  it('rotates: re-seals pending envelopes to a new key, and the root signs it', async () => {
    const admin = createCryptoWorkerApi();
    const login = await admin.deriveLoginKeysFromSalt({
      password: 'pw',
      salt: new Uint8Array(16).fill(4),
      params,
    });
    const setup = await admin.setupOrganisation(login.kek, 'admin-3');
    const old = await admin.unwrapAdminIntakeKey(
      setup.user,
      setup.wrappedIntakeKey,
      setup.intakePublicKey,
    );
    const receipt = deriveReceiptKeys(generateReceiptCode());
    const sealed = sealIntakeSubmission(
      {
        payload: utf8Encode(JSON.stringify({ kind: 'submission', happened: 'help' })),
        replyPublicKey: receipt.reply.publicKey,
      },
      setup.intakePublicKey,
    );
    const junk = new Uint8Array(sealed.length);
    junk.set([1, 4]);

    const next = await admin.createIntakeKeyPair();
    expect(next.publicKey).toHaveLength(32);
    expect(next.fingerprint).toBe(await admin.intakeKeyFingerprint(next.publicKey));
    const [resealed, unreadable] = await admin.resealIntakeEnvelopes(old, next.intake, [
      sealed,
      junk,
    ]);
    expect(unreadable.ok).toBe(false);
    if (!resealed.ok) throw new Error('not re-sealed');
    expect(resealed.value).toHaveLength(sealed.length);
    // The new key opens it, with the person's reply key unchanged; the old key no longer does.
    expect(await admin.openIntakeSubmissions(next.intake, [resealed.value])).toEqual([
      {
        ok: true,
        value: {
          payload: { kind: 'submission', happened: 'help' },
          replyPublicKey: receipt.reply.publicKey,
        },
      },
    ]);
    expect((await admin.openIntakeSubmissions(old, [resealed.value]))[0].ok).toBe(false);

    // The admin who holds the root seed signs the new key; it verifies against the root.
    const signature = await admin.signIntakeKeyWithRoot(
      setup.user,
      setup.wrappedOrgRootKey,
      next.publicKey,
    );
    await admin.checkIntakeKey(next.publicKey, signature);

    // A worker pinned to another root refuses to sign with this one.
    const other = createCryptoWorkerApi();
    const otherLogin = await other.deriveLoginKeysFromSalt({
      password: 'pw',
      salt: new Uint8Array(16).fill(5),
      params,
    });
    const otherSetup = await other.setupOrganisation(otherLogin.kek, 'admin-4');
    const otherUser = await other.unlockUserKeys(otherLogin.kek, 'admin-4', otherSetup.bundle);
    expect(
      await codeOf(
        other.signIntakeKeyWithRoot(otherUser.user, setup.wrappedOrgRootKey, next.publicKey),
      ),
    ).not.toBe('no error');
  });
});
