import { INTAKE_KEY_ID, type IntakeKeyStatus } from '@haven/contracts';
import {
  deriveReceiptKeys,
  generateReceiptCode,
  initCrypto,
  KDF_FLOOR,
  readGrantHeader,
  sealIntakeSubmission,
  utf8Encode,
} from '@haven/crypto';
import { fromBase64Url, toBase64Url } from '../../auth/utils/base64url';
import { createCryptoWorkerApi } from '../../crypto/crypto-worker-api';
import {
  buildRotationProposal,
  signProposedKey,
  UnverifiedCoordinatorError,
} from './intake-rotation';

const params = { algorithm: 'argon2id13', ...KDF_FLOOR };

beforeAll(async () => {
  await initCrypto();
});

/** The setup admin and one certified coordinator holding the intake key, each in a worker. */
async function organisation() {
  const admin = createCryptoWorkerApi();
  const adminLogin = await admin.deriveLoginKeysFromSalt({
    password: 'pw',
    salt: new Uint8Array(16).fill(7),
    params,
  });
  const setup = await admin.setupOrganisation(adminLogin.kek, 'admin-r');
  const adminIntake = await admin.unwrapAdminIntakeKey(
    setup.user,
    setup.wrappedIntakeKey,
    setup.intakePublicKey,
  );
  const coord = createCryptoWorkerApi();
  const coordLogin = await coord.deriveLoginKeysFromSalt({
    password: 'pw2',
    salt: new Uint8Array(16).fill(8),
    params,
  });
  const coordKeys = await coord.createUserKeys(coordLogin.kek, 'coord-r');
  const cert = await admin.certifyUser(setup.user, {
    subjectId: 'coord-r',
    role: 'coordinator',
    boxPublicKey: coordKeys.boxPublicKey,
    signPublicKey: coordKeys.signPublicKey,
  });
  const coordAsSeen = await admin.verifyCertificate([setup.certificate, cert], {
    subjectId: 'coord-r',
    roles: ['coordinator'],
  });
  const grant = await admin.sealIntakeGrant(adminIntake, coordAsSeen.key, setup.user, {
    orgId: INTAKE_KEY_ID,
    version: 1,
  });
  await coord.pinOrgRoot(setup.rootPublicKey);
  const adminInCoord = await coord.verifyCertificate([setup.certificate], {
    subjectId: 'admin-r',
    roles: ['admin'],
  });
  const intake = await coord.openIntakeGrant(coordKeys.user, grant, {
    orgId: INTAKE_KEY_ID,
    version: 1,
    granter: adminInCoord.key,
    pinnedPublicKey: setup.intakePublicKey,
  });
  const status: IntakeKeyStatus = {
    version: 1,
    intakePublicKey: toBase64Url(setup.intakePublicKey),
    intakeKeySignature: toBase64Url(setup.intakeKeySignature),
    grant: toBase64Url(grant),
    granter: null,
    held: true,
    rotationDue: true,
    missing: [],
    coordinators: [
      {
        id: 'coord-r',
        username: 'coord',
        role: 'coordinator',
        certificateChain: [toBase64Url(setup.certificate), toBase64Url(cert)],
      },
    ],
    proposal: null,
  };
  return { admin, setup, coord, coordKeys, intake, status, cert };
}

describe('intake key rotation in the browser', () => {
  it('re-seals pending rows to a new key, seals it to each coordinator, and the root signs it', async () => {
    const { admin, setup, coord, coordKeys, intake, status } = await organisation();
    const receipt = deriveReceiptKeys(generateReceiptCode());
    const sealed = sealIntakeSubmission(
      {
        payload: utf8Encode(JSON.stringify({ kind: 'follow_up', text: 'still here' })),
        replyPublicKey: receipt.reply.publicKey,
      },
      setup.intakePublicKey,
    );
    const junk = new Uint8Array(sealed.length);
    junk.set([1, 4]);
    const subId = '00000000-0000-4000-8000-000000000001';
    const junkId = '00000000-0000-4000-8000-000000000002';
    const msgId = '00000000-0000-4000-8000-000000000003';

    const { body, fingerprint } = await buildRotationProposal(
      coord,
      intake,
      coordKeys.user,
      status,
      {
        version: 1,
        submissions: [
          { id: subId, envelope: toBase64Url(sealed) },
          { id: junkId, envelope: toBase64Url(junk) },
        ],
        followUps: [{ id: msgId, envelope: toBase64Url(sealed) }],
      },
    );
    expect(body.fromVersion).toBe(1);
    expect(body.submissions.map((s) => s.id)).toEqual([subId]);
    expect(body.followUps.map((s) => s.id)).toEqual([msgId]);
    expect(body.unreadable).toEqual({ submissions: [junkId], followUps: [] });
    expect(fingerprint).toBe(await coord.intakeKeyFingerprint(fromBase64Url(body.intakePublicKey)));
    expect(body.grants).toHaveLength(1);
    const header = readGrantHeader(fromBase64Url(body.grants[0].envelope));
    expect(header).toMatchObject({
      subject: { scope: 'intake', id: INTAKE_KEY_ID, version: 2 },
      granteeId: 'coord-r',
      granterId: 'coord-r',
    });

    // After the commit the coordinator opens the new grant and the re-sealed rows with it.
    const self = await coord.verifyCertificate(
      status.coordinators[0].certificateChain.map(fromBase64Url),
      {
        subjectId: 'coord-r',
      },
    );
    const newPublicKey = fromBase64Url(body.intakePublicKey);
    const next = await coord.openIntakeGrant(
      coordKeys.user,
      fromBase64Url(body.grants[0].envelope),
      {
        orgId: INTAKE_KEY_ID,
        version: 2,
        granter: self.key,
        pinnedPublicKey: newPublicKey,
      },
    );
    const [opened] = await coord.openIntakeSubmissions(next, [
      fromBase64Url(body.submissions[0].envelope),
    ]);
    expect(opened).toEqual({
      ok: true,
      value: {
        payload: { kind: 'follow_up', text: 'still here' },
        replyPublicKey: receipt.reply.publicKey,
      },
    });
    const [old] = await coord.openIntakeSubmissions(intake, [
      fromBase64Url(body.submissions[0].envelope),
    ]);
    expect(old.ok).toBe(false);

    // The admin holding the root seed signs the proposed key; the coordinator's worker trusts it.
    const signature = await signProposedKey(
      admin,
      setup.user,
      toBase64Url(setup.wrappedOrgRootKey),
      body.intakePublicKey,
    );
    await coord.checkIntakeKey(newPublicKey, fromBase64Url(signature));
  });

  it('proposes nothing when a coordinator’s keys do not verify', async () => {
    const { coord, coordKeys, intake, status, setup } = await organisation();
    // The server swapped a certificate: the chain names coord-r but is only the admin's.
    const forged = {
      ...status,
      coordinators: [
        { ...status.coordinators[0], certificateChain: [toBase64Url(setup.certificate)] },
      ],
    };
    await expect(
      buildRotationProposal(coord, intake, coordKeys.user, forged, {
        version: 1,
        submissions: [],
        followUps: [],
      }),
    ).rejects.toBeInstanceOf(UnverifiedCoordinatorError);
  });
});
