/**
 * After a full first-run setup, an invitation, enrolment, certification, sign-ins, an unlock and
 * a password change, the database, the logs and every response are searched for the secrets
 * the browser holds: passwords, kek, authKey, private keys (user keys, box secrets, signing
 * seeds, the org root seed, the intake secret) and TOTP secrets, raw, hex, base64, base64url
 * and URL-encoded. The only answers allowed to carry a TOTP secret are the two enrolment
 * answers that exist to show it (setup begin, invitation inspect).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type CreatedInvitation,
  type InvitationDetails,
  type PreloginResponse,
  routes,
  type SetupBeginResponse,
} from '@haven/contracts';
import {
  createUserKeys,
  fromBase64,
  issueCertificate,
  makeOrgRootPin,
  rewrapUserKey,
} from '@haven/crypto';
import { deriveLoginKeysFromSaltForTests } from '@haven/crypto/testing';
import { Secret } from 'otpauth';
import { issueSetupToken } from '../src/setup/setup-token';
import {
  awayFromStepEdge,
  b64,
  currentStep,
  deriveKeys,
  sessionTokenOf,
  setupBody,
  totpAt,
  uniqueName,
} from './support/accounts';
import {
  LogCollector,
  type ScratchDatabase,
  scratchDatabase,
  startTestApp,
  withClient,
} from './support/test-app';

const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';

/** Every spelling of a secret that could end up in text. */
function spellings(secret: Uint8Array | string): string[] {
  if (typeof secret === 'string') {
    const bytes = Buffer.from(secret, 'utf8');
    return [secret, encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('base64')];
  }
  const bytes = Buffer.from(secret);
  return [
    bytes.toString('hex'),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    encodeURIComponent(bytes.toString('base64')),
  ];
}

function leaks(haystack: string, secrets: Record<string, Uint8Array | string>): string[] {
  const lower = haystack.toLowerCase();
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (const spelling of spellings(secret)) {
      const hit = /^[0-9a-f]+$/.test(spelling)
        ? lower.includes(spelling)
        : haystack.includes(spelling);
      if (hit) found.push(name);
    }
  }
  return [...new Set(found)];
}

describe('no secret in clear in the database, the logs or the responses', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  const logs = new LogCollector();
  const responses: string[] = [];
  const enrolmentAnswers: string[] = [];

  beforeAll(async () => {
    db = await scratchDatabase();
    app = await startTestApp({
      config: { databaseUrl: db.url, logLevel: 'debug' },
      logDestination: logs,
    });
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  async function send(
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    token?: string,
    enrolment = false,
  ) {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { cookie: `__Host-haven_session=${token}`, 'x-haven-csrf': '1' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const text = `${JSON.stringify(res.headers)}\n${res.body}`;
    (enrolment ? enrolmentAnswers : responses).push(text);
    if (res.statusCode >= 400) throw new Error(`${method} ${url} answered ${res.statusCode}`);
    return res;
  }

  it('holds for a full setup → invite → enrol → certify → sign-in → password change', async () => {
    // First-run setup.
    const setupToken = (await withClient(db.url, (c) => issueSetupToken((t, p) => c.query(t, p))))!;
    const begun = (
      await send('POST', routes.setupBegin.path, { token: setupToken }, undefined, true)
    ).json<SetupBeginResponse>();
    const adminPassword = 'Admin passphrase canary Ω 7';
    const adminName = uniqueName('admin');
    const setup = await setupBody(app, setupToken, begun, adminName, adminPassword);
    await send('POST', routes.setupComplete.path, setup.body);

    // Admin signs in and invites a caseworker.
    await awayFromStepEdge();
    const adminLogin = await send('POST', routes.login.path, {
      username: adminName,
      authKey: b64(setup.authKey),
      totpCode: totpAt(begun.totp.secret, currentStep()),
    });
    const adminToken = sessionTokenOf(adminLogin.headers['set-cookie']);
    const invitation = (
      await send('POST', routes.createInvitation.path, { role: 'caseworker' }, adminToken)
    ).json<CreatedInvitation>();
    const details = (
      await send(
        'POST',
        routes.inspectInvitation.path,
        { token: invitation.token },
        undefined,
        true,
      )
    ).json<InvitationDetails>();

    // The caseworker enrols in their browser.
    const cwPassword = 'Caseworker secret canary ж 42';
    const cwName = uniqueName('cw');
    const cw = await deriveKeys(app, cwName, cwPassword);
    const cwKeys = createUserKeys(cw.kek, details.userId);
    await awayFromStepEdge();
    await send('POST', routes.acceptInvitation.path, {
      token: invitation.token,
      username: cwName,
      authKey: b64(cw.authKey),
      totpCode: totpAt(details.totp.secret, currentStep() - 1),
      keys: {
        wrappedUserKey: b64(cwKeys.bundle.wrappedUserKey),
        boxPublicKey: b64(cwKeys.bundle.boxPublicKey),
        signPublicKey: b64(cwKeys.bundle.signPublicKey),
        wrappedBoxSecret: b64(cwKeys.bundle.wrappedBoxSecret),
        wrappedSignSeed: b64(cwKeys.bundle.wrappedSignSeed),
      },
      orgRootPin: b64(makeOrgRootPin(cwKeys.keys, fromBase64(details.orgRootPublicKey))),
    });

    // The admin certifies; the caseworker signs in, reads their keys, changes the password.
    const certificate = issueCertificate(
      {
        subjectId: details.userId,
        role: 'caseworker',
        boxPublicKey: cwKeys.bundle.boxPublicKey,
        signPublicKey: cwKeys.bundle.signPublicKey,
      },
      setup.keys.sign,
    );
    await send(
      'POST',
      `/api/users/${details.userId}/certificate`,
      { certificate: b64(certificate) },
      adminToken,
    );
    await send('GET', routes.listUsers.path, undefined, adminToken);
    await send('GET', routes.myKeys.path, undefined, adminToken);
    await awayFromStepEdge();
    const cwLogin = await send('POST', routes.login.path, {
      username: cwName,
      authKey: b64(cw.authKey),
      totpCode: totpAt(details.totp.secret, currentStep()),
    });
    const cwToken = sessionTokenOf(cwLogin.headers['set-cookie']);
    await send('GET', routes.myKeys.path, undefined, cwToken);
    await send('GET', routes.me.path, undefined, cwToken);
    await send('POST', routes.unlock.path, { authKey: b64(cw.authKey) }, cwToken);
    const newPassword = 'Brand new canary passphrase 99';
    const { salt } = (
      await send('POST', routes.prelogin.path, { username: cwName })
    ).json<PreloginResponse>();
    const next = deriveLoginKeysFromSaltForTests({ password: newPassword, salt: fromBase64(salt) });
    await send(
      'POST',
      routes.changePassword.path,
      {
        currentAuthKey: b64(cw.authKey),
        newAuthKey: b64(next.authKey),
        wrappedUserKey: b64(
          rewrapUserKey(cw.kek, next.kek, details.userId, cwKeys.bundle.wrappedUserKey),
        ),
      },
      cwToken,
    );
    await send('GET', routes.listSessions.path, undefined, cwToken);

    const secretBytes = (s: string) => new Uint8Array(Secret.fromBase32(s).buffer);
    const keySecrets = {
      'admin password': adminPassword,
      'caseworker password': cwPassword,
      'new password': newPassword,
      'admin kek': setup.kek,
      'caseworker kek': cw.kek,
      'new kek': next.kek,
      'admin authKey': setup.authKey,
      'caseworker authKey': cw.authKey,
      'new authKey': next.authKey,
      'admin user key': setup.keys.userKey,
      'admin box secret': setup.keys.box.privateKey,
      'admin sign seed': setup.keys.sign.privateKey.slice(0, 32),
      'caseworker user key': cwKeys.keys.userKey,
      'caseworker box secret': cwKeys.keys.box.privateKey,
      'caseworker sign seed': cwKeys.keys.sign.privateKey.slice(0, 32),
      'org root seed': setup.root.privateKey.slice(0, 32),
      'intake secret': setup.intake.privateKey,
    };
    const totpSecrets = {
      'admin TOTP secret (base32)': begun.totp.secret,
      'admin TOTP secret': secretBytes(begun.totp.secret),
      'caseworker TOTP secret (base32)': details.totp.secret,
      'caseworker TOTP secret': secretBytes(details.totp.secret),
    };
    const everything = { ...keySecrets, ...totpSecrets };

    // The database, every table, every column (bytea as hex).
    const tables = await withClient(db.url, async (c) => {
      const names = (
        await c.query<{ tablename: string }>(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
        )
      ).rows.map((r) => r.tablename);
      const dump: string[] = [];
      for (const name of names) {
        const rows = (await c.query(`SELECT * FROM "${name}"`)).rows as Record<string, unknown>[];
        dump.push(
          JSON.stringify(rows, (_k, v: unknown) =>
            typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer'
              ? Buffer.from((v as { data: number[] }).data).toString('hex')
              : v,
          ),
        );
      }
      return { names, text: dump.join('\n') };
    });
    expect(tables.names).toEqual(expect.arrayContaining(['app_user', 'session', 'invitation']));
    expect(leaks(tables.text, everything)).toEqual([]);

    // pg_dump, where the PostgreSQL client tools are installed.
    if (existsSync(PG_DUMP)) {
      const dump = execFileSync(PG_DUMP, ['--data-only', db.url], { encoding: 'utf8' });
      expect(dump).toContain('COPY public.app_user');
      expect(leaks(dump, everything)).toEqual([]);
    }

    // Logs at debug level.
    const logText = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(10);
    expect(leaks(logText, everything)).toEqual([]);

    // Responses: nothing but the enrolment answers may show a TOTP secret, and none a key.
    expect(leaks(responses.join('\n'), everything)).toEqual([]);
    expect(leaks(enrolmentAnswers.join('\n'), keySecrets)).toEqual([]);
    expect(leaks(enrolmentAnswers.join('\n'), totpSecrets).length).toBeGreaterThan(0);
  });
});
