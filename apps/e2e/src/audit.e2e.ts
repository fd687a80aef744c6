/**
 * The auditor's dashboard in Chromium: a caseworker opens a case and reads it; an auditor signs
 * in, sees the chain verified (the signature on its head checked in the browser), filters the
 * log to that case and finds exactly those reads, exports them, and opens the reports.
 *
 * First-run setup happens once per system and the accounts story uses the shared instance's
 * link, so this story runs a Haven of its own (the real launcher, on its own throwaway
 * database and free ports, with the build the shared instance just made). Its organisation,
 * people and case are made through the real API the way their browsers make them
 * (@haven/crypto in Node, production Argon2id parameters from the server); the auditor uses
 * the real dashboard.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CASE_RECORD,
  CSRF_HEADER,
  PROFILE_RECORD_ID,
  SESSION_COOKIE,
  SUMMARY_RECORD_ID,
} from '@haven/contracts';
import {
  createUserKeys,
  deriveLoginKeysFromSalt,
  encryptRecord,
  fromBase64,
  generateCaseKey,
  generateIntakeKeyPair,
  generateSignKeyPair,
  initCrypto,
  issueCertificate,
  makeOrgRootPin,
  sealCaseKeyGrant,
  signIntakeKey,
  toBase64,
  utf8Encode,
  verifyCertificateChain,
  wrapIntakeKey,
  wrapOrgRootKey,
  type CertifiedKey,
  type SignKeyPair,
  type StaffRole,
  type UserKeyBundle,
  type UserKeys,
} from '@haven/crypto';
import { AuditLogPage } from './pages/AuditLogPage';
import { ReportsPage } from './pages/ReportsPage';
import { SessionControls } from './pages/SessionControls';
import { SignInPage } from './pages/SignInPage';
import { expect, test } from './support/fixtures';
import { Authenticator } from './support/totp';

test.use({ locale: 'en-US' });

const WORKSPACE = join(__dirname, '..', '..', '..');
const TSX = join(WORKSPACE, 'node_modules/.bin/tsx');
const BUILT = [
  join(WORKSPACE, 'dist/apps/api/apps/api/src/main.js'),
  join(WORKSPACE, 'dist/apps/web/index.html'),
  join(WORKSPACE, 'dist/apps/intake/index.html'),
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A Haven of this spec's own: `npm start` on a throwaway database. */
class OwnHaven {
  private child: ChildProcess | null = null;
  private output = '';
  web = '';
  readonly linkFile = join(WORKSPACE, 'tmp/e2e', `audit-setup-link-${randomUUID()}.txt`);

  async start(): Promise<void> {
    const [web, intake, api] = [await freePort(), await freePort(), await freePort()];
    this.web = `http://127.0.0.1:${web}`;
    mkdirSync(join(WORKSPACE, 'tmp/e2e'), { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HAVEN_WEB_PORT: String(web),
      HAVEN_INTAKE_PORT: String(intake),
      HAVEN_API_PORT: String(api),
      SERVER_SECRET: randomBytes(32).toString('base64url'),
      HAVEN_SETUP_LINK_FILE: this.linkFile,
      // The shared instance has just built everything; building again would race it.
      ...(BUILT.every((p) => existsSync(p)) ? { HAVEN_SKIP_BUILD: '1' } : {}),
    };
    delete env.PORT;
    // A process group of its own, so that stopping reaches every process of the tree (tsx
    // wrappers, the launcher, the API), not only the first.
    this.child = spawn(TSX, ['tools/db/with-test-database.ts', TSX, 'tools/start/start.ts'], {
      cwd: WORKSPACE,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) break;
      if (existsSync(this.linkFile)) {
        try {
          if ((await fetch(`${this.web}/api/ready`)).ok) return;
        } catch {
          // not listening yet
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the audit spec's Haven did not start:\n${this.output}`);
  }

  setupToken(): string {
    const link = readFileSync(this.linkFile, 'utf8').trim();
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token');
    if (!token) throw new Error('the setup link holds no token');
    return token;
  }

  /**
   * SIGTERM to the whole group: the launcher stops its servers and the API, and the database
   * wrapper drops the throwaway database once the launcher has exited. Waits for the group to
   * be gone (SIGKILL after 30 s).
   */
  async stop(): Promise<void> {
    rmSync(this.linkFile, { force: true });
    const pid = this.child?.pid;
    if (pid === undefined) return;
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!alive()) return;
    process.kill(-pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (alive()) process.kill(-pid, 'SIGKILL');
  }
}

/** The API as one person's browser calls it: their session cookie and the CSRF header. */
class Api {
  private cookie: string | null = null;

  constructor(private readonly origin: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        [CSRF_HEADER]: '1',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (session) this.cookie = session.split(';')[0];
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

interface Person {
  id: string;
  username: string;
  password: string;
  role: StaffRole;
  authKey: Uint8Array;
  keys: UserKeys;
  bundle: UserKeyBundle;
  authenticator: Authenticator;
  api: Api;
  certified?: CertifiedKey;
}

function bundleJson(bundle: UserKeyBundle) {
  return {
    wrappedUserKey: toBase64(bundle.wrappedUserKey),
    boxPublicKey: toBase64(bundle.boxPublicKey),
    signPublicKey: toBase64(bundle.signPublicKey),
    wrappedBoxSecret: toBase64(bundle.wrappedBoxSecret),
    wrappedSignSeed: toBase64(bundle.wrappedSignSeed),
  };
}

/** Argon2id with the parameters and salt the server gives for this username. */
async function loginKeys(api: Api, username: string, password: string) {
  const prelogin = await api.call<{ kdf: unknown; salt: string }>('POST', '/api/auth/prelogin', {
    username,
  });
  return deriveLoginKeysFromSalt({
    password,
    salt: fromBase64(prelogin.salt),
    params: prelogin.kdf,
  });
}

async function signInByApi(person: Person): Promise<void> {
  await person.api.call('POST', '/api/auth/login', {
    username: person.username,
    authKey: toBase64(person.authKey),
    totpCode: person.authenticator.code(),
  });
}

test.describe('audit: an auditor finds the reads of a case and sees the chain verified', () => {
  test.setTimeout(300_000);
  const haven = new OwnHaven();
  const run = randomBytes(3).toString('hex');

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    await haven.start();
  });
  test.afterAll(async () => {
    await haven.stop();
  });

  test('the reads made in this test show in the filtered log, and the chain verifies', async ({
    page,
  }) => {
    await initCrypto();
    const anonymous = new Api(haven.web);

    // First-run setup, as the setup page does it.
    const token = haven.setupToken();
    const begun = await anonymous.call<{ userId: string; totp: { secret: string } }>(
      'POST',
      '/api/setup/begin',
      { token },
    );
    const adminName = `admin-${run}`;
    const adminPassword = 'quiet harbour lamps 52';
    const adminKdf = await loginKeys(anonymous, adminName, adminPassword);
    const adminMade = createUserKeys(adminKdf.kek, begun.userId);
    const root: SignKeyPair = generateSignKeyPair();
    const intake = generateIntakeKeyPair();
    const adminCert = issueCertificate(
      {
        subjectId: begun.userId,
        role: 'admin',
        boxPublicKey: adminMade.bundle.boxPublicKey,
        signPublicKey: adminMade.bundle.signPublicKey,
      },
      root,
    );
    const admin: Person = {
      id: begun.userId,
      username: adminName,
      password: adminPassword,
      role: 'admin',
      authKey: adminKdf.authKey,
      keys: adminMade.keys,
      bundle: adminMade.bundle,
      authenticator: new Authenticator(begun.totp.secret),
      api: new Api(haven.web),
    };
    await anonymous.call('POST', '/api/setup/complete', {
      token,
      username: adminName,
      authKey: toBase64(admin.authKey),
      totpCode: admin.authenticator.code(),
      keys: bundleJson(admin.bundle),
      certificate: toBase64(adminCert),
      orgRootPin: toBase64(makeOrgRootPin(admin.keys, root.publicKey)),
      org: {
        rootSignPublicKey: toBase64(root.publicKey),
        intakePublicKey: toBase64(intake.publicKey),
        intakeKeySignature: toBase64(signIntakeKey(intake.publicKey, root)),
      },
      wrappedOrgRootKey: toBase64(wrapOrgRootKey(admin.keys, root)),
      wrappedIntakeKey: toBase64(wrapIntakeKey(admin.keys, intake)),
    });
    await signInByApi(admin);

    // The admin invites a coordinator, a caseworker and an auditor; each accepts in their
    // own browser; the admin certifies them after comparing fingerprints.
    const enrol = async (role: Exclude<StaffRole, 'admin'>, password: string) => {
      const created = await admin.api.call<{ token: string }>('POST', '/api/invitations', {
        role,
      });
      const details = await anonymous.call<{
        userId: string;
        totp: { secret: string };
        orgRootPublicKey: string;
      }>('POST', '/api/invitations/inspect', { token: created.token });
      const username = `${role.slice(0, 5)}-${run}`;
      const kdf = await loginKeys(anonymous, username, password);
      const made = createUserKeys(kdf.kek, details.userId);
      const person: Person = {
        id: details.userId,
        username,
        password,
        role,
        authKey: kdf.authKey,
        keys: made.keys,
        bundle: made.bundle,
        authenticator: new Authenticator(details.totp.secret),
        api: new Api(haven.web),
      };
      await anonymous.call('POST', '/api/invitations/accept', {
        token: created.token,
        username,
        authKey: toBase64(person.authKey),
        totpCode: person.authenticator.code(),
        keys: bundleJson(person.bundle),
        orgRootPin: toBase64(makeOrgRootPin(person.keys, fromBase64(details.orgRootPublicKey))),
      });
      const certificate = issueCertificate(
        {
          subjectId: person.id,
          role,
          boxPublicKey: person.bundle.boxPublicKey,
          signPublicKey: person.bundle.signPublicKey,
        },
        admin.keys.sign,
      );
      await admin.api.call('POST', `/api/users/${person.id}/certificate`, {
        certificate: toBase64(certificate),
      });
      person.certified = verifyCertificateChain([adminCert, certificate], root.publicKey);
      return person;
    };
    const coordinator = await enrol('coordinator', 'amber fields under snow 7');
    const caseworker = await enrol('caseworker', 'river stones hum softly 3');
    const auditor = await enrol('auditor', 'ledger of small hours 19');

    // The caseworker opens a case (encrypted in their browser, shared with the coordinator)
    // and reads it twice, as the case page does.
    await signInByApi(caseworker);
    const caseId = randomUUID();
    const caseKey = generateCaseKey(caseId);
    const seal = (recordId: string, kind: string, value: unknown) =>
      toBase64(encryptRecord(caseKey, { kind, recordId }, utf8Encode(JSON.stringify(value))));
    const opened = await caseworker.api.call<{ code: string }>('POST', '/api/cases', {
      id: caseId,
      priority: 'urgent',
      supervisorId: coordinator.id,
      profile: seal(PROFILE_RECORD_ID, CASE_RECORD.profile, { alias: 'Sasha' }),
      summary: seal(SUMMARY_RECORD_ID, CASE_RECORD.summary, { alias: 'Sasha' }),
      grants: [caseworker, coordinator].map((grantee) => ({
        userId: grantee.id,
        envelope: toBase64(sealCaseKeyGrant(caseKey, grantee.certified!, caseworker.keys)),
      })),
      blindIndexes: [],
    });
    const caseCode = opened.code;
    for (let i = 0; i < 2; i++) await caseworker.api.call('GET', `/api/cases/${caseCode}`);

    // The auditor, at the dashboard.
    const signIn = new SignInPage(page);
    await page.goto(`${haven.web}/sign-in`);
    await signIn.signIn(auditor.username, auditor.password, auditor.authenticator.code());
    await expect(new SessionControls(page).signedInUser).toHaveText(auditor.username, {
      timeout: 60_000,
    });
    await expect(page.getByRole('navigation').getByRole('link')).toHaveText([
      'Home',
      'Audit log',
      'Reports',
      'My account',
    ]);

    const audit = new AuditLogPage(page);
    await audit.open();
    await expect(audit.heading).toHaveText('Audit log');
    await expect(audit.chainStatus).toHaveText('Verified', { timeout: 60_000 });
    await expect(audit.lastCheckpoint).toContainText('signature checked in this browser');
    // The fingerprint the browser computed is the one the server reports for its key.
    const logKey = await page.evaluate(async () => {
      const res = await fetch('/api/audit/log-key');
      return (await res.json()) as { fingerprint: string };
    });
    await expect(audit.logKeyFingerprint).toHaveText(logKey.fingerprint);

    await audit.filter({ caseCode, action: 'case.read' });
    await expect(audit.rows()).toHaveCount(2);
    await expect(audit.column(3)).toHaveText([caseworker.username, caseworker.username]);
    await expect(audit.column(5)).toHaveText(['case.read', 'case.read']);
    await expect(audit.column(6)).toHaveText([caseCode, caseCode]);
    await expect(audit.column(7)).toHaveText(['ok', 'ok']);

    // The export of this view carries the checkpoint that covers it.
    const [download] = await Promise.all([page.waitForEvent('download'), audit.exportCsv.click()]);
    expect(download.suggestedFilename()).toMatch(/^haven-audit-\d+\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain(`# filter_target=${caseCode}`);
    expect(csv).toMatch(/# checkpoint_signature=[A-Za-z0-9_-]{86}/);
    expect(
      csv.split('\r\n').filter((line) => line.includes(`,case.read,${caseCode},ok,`)),
    ).toHaveLength(2);

    // The caseworker's own activity.
    await audit.events.getByRole('link', { name: caseworker.username }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      `Activity of ${caseworker.username}`,
    );

    // Aggregate reports: one case, so the count is suppressed.
    const reports = new ReportsPage(page);
    await reports.open();
    await expect(reports.heading).toHaveText('Reports');
    await expect(reports.total).toHaveText('Cases: <5');
  });
});
