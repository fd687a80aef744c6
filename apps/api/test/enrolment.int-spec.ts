import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type CreatedInvitation,
  type InvitationDetails,
  type InvitationListResponse,
  routes,
  type SetupBeginResponse,
} from '@haven/contracts';
import { createUserKeys, fromBase64, generateSignKeyPair, issueCertificate } from '@haven/crypto';
import { randomBytes } from 'node:crypto';
import { issueSetupToken } from '../src/setup/setup-token';
import {
  asUser,
  awayFromStepEdge,
  b64,
  currentStep,
  deriveKeys,
  post,
  setupBody,
  setUpOrganisation,
  signIn,
  totpAt,
  type TestOrganisation,
  uniqueName,
} from './support/accounts';
import {
  type ScratchDatabase,
  scratchDatabase,
  startTestApp,
  withClient,
} from './support/test-app';

interface AuditRow {
  action: string;
  target: string | null;
  outcome: string;
}

async function auditOf(url: string, since = 0): Promise<AuditRow[]> {
  return withClient(
    url,
    async (c) =>
      (
        await c.query<AuditRow>(
          'SELECT action, target, outcome FROM audit_event WHERE seq > $1 ORDER BY seq',
          [since],
        )
      ).rows,
  );
}

async function lastSeq(url: string): Promise<number> {
  return withClient(url, async (c) =>
    Number(
      (await c.query<{ s: string }>('SELECT coalesce(max(seq), 0) AS s FROM audit_event')).rows[0]
        .s,
    ),
  );
}

describe('first-run setup', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;

  beforeEach(async () => {
    db = await scratchDatabase();
    app = await startTestApp({ config: { databaseUrl: db.url } });
  });

  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const newToken = () =>
    withClient(db.url, async (c) => (await issueSetupToken((t, p) => c.query(t, p)))!);
  const count = (table: string) =>
    withClient(db.url, async (c) =>
      Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
    );

  it('creates the organisation, the certified admin and the completion in one go; the link then dies', async () => {
    const org = await setUpOrganisation(app, db.url);
    expect((await app.inject({ method: 'GET', url: routes.setupStatus.path })).json()).toEqual({
      setupRequired: false,
    });
    await withClient(db.url, async (c) => {
      const orgRow = (await c.query('SELECT root_sign_pk FROM organisation')).rows as {
        root_sign_pk: Buffer;
      }[];
      expect(new Uint8Array(orgRow[0].root_sign_pk)).toEqual(org.root.publicKey);
      const admin = (
        await c.query(
          `SELECT role, certificate IS NOT NULL AS certified, wrapped_org_root_key IS NOT NULL AS root,
                  wrapped_intake_key IS NOT NULL AS intake FROM app_user`,
        )
      ).rows;
      expect(admin).toEqual([{ role: 'admin', certified: true, root: true, intake: true }]);
      expect(
        (await c.query('SELECT used_at IS NOT NULL AS used, totp_secret FROM setup_token')).rows,
      ).toEqual([{ used: true, totp_secret: null }]);
    });
    expect(await auditOf(db.url)).toEqual([
      { action: 'setup.complete', target: org.admin.userId, outcome: 'ok' },
    ]);
    // The admin signs in with TOTP right after.
    await signIn(app, org.admin);
  });

  it('refuses a used link, and any link once setup is complete', async () => {
    const token = await newToken();
    const begun = (await post(app, routes.setupBegin.path, { token })).json<SetupBeginResponse>();
    const made = await setupBody(app, token, begun, uniqueName('admin'), 'a fine passphrase');
    expect((await post(app, routes.setupComplete.path, made.body)).statusCode).toBe(201);
    const since = await lastSeq(db.url);
    const reused = await post(app, routes.setupComplete.path, made.body);
    expect(reused.statusCode).toBe(403);
    expect(reused.json()).toMatchObject({ message: 'Setup is already complete' });
    const begin = await post(app, routes.setupBegin.path, { token });
    expect(begin.statusCode).toBe(403);
    expect(await auditOf(db.url, since)).toEqual([
      { action: 'setup.complete', target: null, outcome: 'denied:already_complete' },
      { action: 'setup.begin', target: null, outcome: 'denied:already_complete' },
    ]);
  });

  it('refuses an expired link and an unknown one, with audit events', async () => {
    const token = await newToken();
    await withClient(db.url, (c) =>
      c.query(`UPDATE setup_token SET expires_at = now() - interval '1 second'`),
    );
    const expired = await post(app, routes.setupBegin.path, { token });
    expect(expired.statusCode).toBe(403);
    expect(expired.json()).toMatchObject({
      message: 'This setup link has expired; restart Haven to get a new one',
    });
    const unknown = await post(app, routes.setupBegin.path, {
      token: randomBytes(32).toString('base64url'),
    });
    expect(unknown.statusCode).toBe(403);
    expect(await auditOf(db.url)).toEqual([
      { action: 'setup.begin', target: null, outcome: 'denied:expired' },
      { action: 'setup.begin', target: null, outcome: 'denied:unknown_link' },
    ]);
  });

  it('gives the same account id and TOTP secret when the link is opened twice', async () => {
    const token = await newToken();
    const a = (await post(app, routes.setupBegin.path, { token })).json<SetupBeginResponse>();
    const b = (await post(app, routes.setupBegin.path, { token })).json<SetupBeginResponse>();
    expect(b.userId).toBe(a.userId);
    expect(b.totp.secret).toBe(a.totp.secret);
    expect(a.totp.uri).toMatch(/^otpauth:\/\/totp\/Haven:Haven\?/);
    // Stored sealed, not as the base32 text or its bytes.
    await withClient(db.url, async (c) => {
      const row = (await c.query('SELECT totp_secret FROM setup_token')).rows[0] as {
        totp_secret: Buffer;
      };
      const raw = Buffer.from(a.totp.secret, 'latin1');
      expect(row.totp_secret.includes(raw)).toBe(false);
    });
  });

  it.each([
    ['a certificate from another root', 'certificate'],
    ['an intake key the root did not sign', 'intake'],
    ['a wrong TOTP code', 'totp'],
    ['a wrapped key of the wrong kind', 'wrap'],
  ])('refuses %s with 400 and writes nothing', async (_what, fault) => {
    const token = await newToken();
    const begun = (await post(app, routes.setupBegin.path, { token })).json<SetupBeginResponse>();
    const made = await setupBody(app, token, begun, uniqueName('admin'), 'a fine passphrase');
    const body = { ...made.body, org: { ...made.body.org } };
    if (fault === 'certificate') {
      body.certificate = b64(
        issueCertificate(
          {
            subjectId: begun.userId,
            role: 'admin',
            boxPublicKey: made.bundle.boxPublicKey,
            signPublicKey: made.bundle.signPublicKey,
          },
          generateSignKeyPair(),
        ),
      );
    }
    if (fault === 'intake') body.org.intakePublicKey = b64(randomBytes(32));
    if (fault === 'totp') body.totpCode = totpAt(begun.totp.secret, currentStep() + 5);
    if (fault === 'wrap') body.wrappedIntakeKey = body.wrappedOrgRootKey;
    const res = await post(app, routes.setupComplete.path, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: 'Validation failed' });
    expect(await count('organisation')).toBe(0);
    expect(await count('app_user')).toBe(0);
    expect((await app.inject({ method: 'GET', url: routes.setupStatus.path })).json()).toEqual({
      setupRequired: true,
    });
    // The link still works after a refused attempt.
    made.body.totpCode = totpAt(begun.totp.secret, currentStep());
    await awayFromStepEdge();
    expect((await post(app, routes.setupComplete.path, made.body)).statusCode).toBe(201);
  });
});

describe('invitations', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let org: TestOrganisation;
  let adminToken: string;

  beforeAll(async () => {
    db = await scratchDatabase();
    app = await startTestApp({ config: { databaseUrl: db.url } });
    org = await setUpOrganisation(app, db.url);
    adminToken = await signIn(app, org.admin);
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const invite = async (role = 'caseworker') => {
    const res = await post(app, routes.createInvitation.path, { role }, asUser(adminToken));
    expect(res.statusCode).toBe(201);
    return res.json<CreatedInvitation>();
  };

  async function acceptBody(token: string, username = uniqueName('cw'), step = currentStep()) {
    const details = (
      await post(app, routes.inspectInvitation.path, { token })
    ).json<InvitationDetails>();
    const { authKey, kek } = await deriveKeys(app, username, 'a long enough password');
    const { bundle } = createUserKeys(kek, details.userId);
    return {
      details,
      body: {
        token,
        username,
        authKey: b64(authKey),
        totpCode: totpAt(details.totp.secret, step),
        keys: {
          wrappedUserKey: b64(bundle.wrappedUserKey),
          boxPublicKey: b64(bundle.boxPublicKey),
          signPublicKey: b64(bundle.signPublicKey),
          wrappedBoxSecret: b64(bundle.wrappedBoxSecret),
          wrappedSignSeed: b64(bundle.wrappedSignSeed),
        },
        orgRootPin: b64(randomBytes(32)),
      },
    };
  }

  it('makes a one-time link valid 72 hours; the database keeps only its hash', async () => {
    const created = await invite('coordinator');
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hours = (Date.parse(created.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    const dump = await withClient(db.url, async (c) =>
      JSON.stringify(
        (await c.query(`SELECT encode(token_hash, 'escape') AS h, role FROM invitation`)).rows,
      ),
    );
    expect(dump).not.toContain(created.token);
    const listed = await app.inject({
      method: 'GET',
      url: routes.listInvitations.path,
      headers: asUser(adminToken),
    });
    expect(listed.json<InvitationListResponse>().invitations.map((i) => i.id)).toContain(
      created.id,
    );
    const details = (
      await post(app, routes.inspectInvitation.path, { token: created.token })
    ).json<InvitationDetails>();
    expect(details.role).toBe('coordinator');
    expect(fromBase64(details.orgRootPublicKey)).toEqual(org.root.publicKey);
  });

  it('creates the account once; the used link is refused and audited', async () => {
    const { token } = await invite();
    await awayFromStepEdge();
    const { body, details } = await acceptBody(token);
    const res = await post(app, routes.acceptInvitation.path, body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ userId: details.userId, username: body.username });
    const since = await lastSeq(db.url);
    const again = await post(app, routes.acceptInvitation.path, {
      ...body,
      username: uniqueName('x'),
    });
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ message: 'This invitation link has already been used' });
    const inspect = await post(app, routes.inspectInvitation.path, { token });
    expect(inspect.statusCode).toBe(403);
    expect(await auditOf(db.url, since)).toMatchObject([
      { action: 'invitation.accept', outcome: 'denied:used' },
      { action: 'invitation.inspect', outcome: 'denied:used' },
    ]);
    const secret = await withClient(
      db.url,
      async (c) =>
        (
          await c.query<{ totp_secret: Buffer | null }>(
            'SELECT totp_secret FROM invitation WHERE user_id = $1',
            [details.userId],
          )
        ).rows,
    );
    expect(secret).toEqual([{ totp_secret: null }]);
  });

  it('refuses an expired link, and audits it', async () => {
    const created = await invite();
    await withClient(db.url, (c) =>
      c.query(`UPDATE invitation SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        created.id,
      ]),
    );
    const since = await lastSeq(db.url);
    const res = await post(app, routes.inspectInvitation.path, { token: created.token });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      message: 'This invitation link has expired; ask for a new one',
    });
    expect(await auditOf(db.url, since)).toEqual([
      { action: 'invitation.inspect', target: created.id, outcome: 'denied:expired' },
    ]);
  });

  it('answers 409 for a taken username and leaves the link usable', async () => {
    const { token } = await invite();
    await awayFromStepEdge();
    const { body } = await acceptBody(token, org.admin.username.toUpperCase());
    const taken = await post(app, routes.acceptInvitation.path, body);
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ message: 'This username is taken; choose another' });
    const retry = await post(app, routes.acceptInvitation.path, {
      ...body,
      username: uniqueName('cw'),
    });
    expect(retry.statusCode).toBe(201);
  });

  it('refuses a wrong TOTP code or a username outside the rules with 400, writing nothing', async () => {
    const { token } = await invite();
    const { body, details } = await acceptBody(token, uniqueName('cw'), currentStep() + 5);
    const wrongCode = await post(app, routes.acceptInvitation.path, body);
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.json<{ fields: { path: string }[] }>().fields[0].path).toBe('body.totpCode');
    const badName = await post(app, routes.acceptInvitation.path, { ...body, username: 'a b' });
    expect(badName.statusCode).toBe(400);
    const users = await withClient(
      db.url,
      async (c) =>
        (
          await c.query<{ one: number }>('SELECT 1 AS one FROM app_user WHERE id = $1', [
            details.userId,
          ])
        ).rows,
    );
    expect(users).toEqual([]);
  });

  it('lets an admin withdraw a pending invitation', async () => {
    const created = await invite();
    const res = await app.inject({
      method: 'DELETE',
      url: `/api/invitations/${created.id}`,
      headers: asUser(adminToken),
    });
    expect(res.statusCode).toBe(204);
    expect(
      (await post(app, routes.inspectInvitation.path, { token: created.token })).statusCode,
    ).toBe(403);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/invitations/${created.id}`,
      headers: asUser(adminToken),
    });
    expect(again.statusCode).toBe(404);
  });
});
