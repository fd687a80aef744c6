/**
 * Accounts for integration tests, made the way the dashboard makes them: real keys from
 * @haven/crypto (KDF at the cheap test cost), real TOTP codes, through the real API routes.
 * `insertStaff` and `insertSession` write rows directly instead, for the authorisation matrix,
 * where only the session matters.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  CSRF_HEADER,
  type InvitationDetails,
  type PreloginResponse,
  routes,
  SESSION_COOKIE,
  type SetupBeginResponse,
  type StaffRole,
} from '@haven/contracts';
import {
  createUserKeys,
  fromBase64,
  generateIntakeKeyPair,
  generateSignKeyPair,
  initCrypto,
  issueCertificate,
  makeOrgRootPin,
  signIntakeKey,
  toBase64,
  wrapIntakeKey,
  wrapOrgRootKey,
  type SignKeyPair,
  type UserKeyBundle,
  type UserKeys,
} from '@haven/crypto';
// Test support, imported only by *.int-spec.ts files: the cheap KDF belongs to tests.
// eslint-disable-next-line no-restricted-imports
import { deriveLoginKeysFromSaltForTests } from '@haven/crypto/testing';
import { Secret, TOTP } from 'otpauth';
import type pg from 'pg';
import { issueSetupToken } from '../../src/setup/setup-token';
import { withClient } from './test-app';

export interface Account {
  userId: string;
  username: string;
  password: string;
  role: StaffRole;
  authKey: Uint8Array;
  kek: Uint8Array;
  keys: UserKeys;
  bundle: UserKeyBundle;
  totpSecret: string;
  /** The last TOTP time step this helper used for the account (each works once). */
  lastStep: number;
}

export interface TestOrganisation {
  root: SignKeyPair;
  admin: Account;
}

type Inject = NestFastifyApplication['inject'];
type InjectOptions = Parameters<Inject>[0] & object;

export function b64(bytes: Uint8Array): string {
  return toBase64(bytes);
}

/** A TOTP code for `step` (a 30-second step number). */
export function totpAt(secret: string, step: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: step * 30_000,
  });
}

export function currentStep(now = Date.now()): number {
  return Math.floor(now / 30_000);
}

/**
 * Waits out the last two seconds of a 30-second step, so that a code computed here is still
 * in the server's window when the request arrives (not a timing assertion: it only avoids
 * computing a code on one side of a step boundary and checking it on the other).
 */
export async function awayFromStepEdge(): Promise<void> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 28_000) await new Promise((r) => setTimeout(r, 30_050 - intoStep));
}

/**
 * The next code the server will accept for the account: the server takes the current step
 * and one either side, each once. Refuses (rather than waits) when all three are used.
 */
export async function nextCode(account: Account): Promise<string> {
  await awayFromStepEdge();
  const now = currentStep();
  const step = Math.max(account.lastStep + 1, now - 1);
  if (step > now + 1) throw new Error('all TOTP codes of this 90-second window are used');
  account.lastStep = step;
  return totpAt(account.totpSecret, step);
}

/** Enrolment uses the oldest step the server accepts, leaving two for sign-ins right after. */
async function enrolmentStep(): Promise<number> {
  await awayFromStepEdge();
  return currentStep() - 1;
}

export async function post(
  app: NestFastifyApplication,
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url,
    payload: payload as InjectOptions['payload'],
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The Cookie and CSRF headers the dashboard sends. */
export function asUser(token: string): Record<string, string> {
  return { cookie: `${SESSION_COOKIE}=${token}`, [CSRF_HEADER]: '1' };
}

/** The session token from a Set-Cookie header. */
export function sessionTokenOf(setCookie: string | string[] | undefined): string {
  const header = [setCookie ?? []].flat().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const token = header?.split(';')[0]?.slice(SESSION_COOKIE.length + 1);
  if (!token) throw new Error('no session cookie was set');
  return token;
}

/** The browser side of choosing a password: prelogin, then Argon2id (test cost). */
export async function deriveKeys(
  app: NestFastifyApplication,
  username: string,
  password: string,
): Promise<{ authKey: Uint8Array; kek: Uint8Array }> {
  const res = await post(app, routes.prelogin.path, { username });
  if (res.statusCode !== 200) throw new Error(`prelogin answered ${res.statusCode}`);
  const { salt } = res.json<PreloginResponse>();
  return deriveLoginKeysFromSaltForTests({ password, salt: fromBase64(salt) });
}

function bundleJson(bundle: UserKeyBundle) {
  return {
    wrappedUserKey: b64(bundle.wrappedUserKey),
    boxPublicKey: b64(bundle.boxPublicKey),
    signPublicKey: b64(bundle.signPublicKey),
    wrappedBoxSecret: b64(bundle.wrappedBoxSecret),
    wrappedSignSeed: b64(bundle.wrappedSignSeed),
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Everything first-run setup sends, made as the setup page's worker makes it. */
export async function setupBody(
  app: NestFastifyApplication,
  token: string,
  begun: SetupBeginResponse,
  username: string,
  password: string,
) {
  await initCrypto();
  const { authKey, kek } = await deriveKeys(app, username, password);
  const { bundle, keys } = createUserKeys(kek, begun.userId);
  const step = await enrolmentStep();
  const root = generateSignKeyPair();
  const intake = generateIntakeKeyPair();
  const certificate = issueCertificate(
    {
      subjectId: begun.userId,
      role: 'admin',
      boxPublicKey: bundle.boxPublicKey,
      signPublicKey: bundle.signPublicKey,
    },
    root,
  );
  const body = {
    token,
    username,
    authKey: b64(authKey),
    totpCode: totpAt(begun.totp.secret, step),
    keys: bundleJson(bundle),
    certificate: b64(certificate),
    orgRootPin: b64(makeOrgRootPin(keys, root.publicKey)),
    org: {
      rootSignPublicKey: b64(root.publicKey),
      intakePublicKey: b64(intake.publicKey),
      intakeKeySignature: b64(signIntakeKey(intake.publicKey, root)),
    },
    wrappedOrgRootKey: b64(wrapOrgRootKey(keys, root)),
    wrappedIntakeKey: b64(wrapIntakeKey(keys, intake)),
  };
  return { body, root, intake, authKey, kek, keys, bundle, step };
}

/** First-run setup through the API, as the setup page does it. */
export async function setUpOrganisation(
  app: NestFastifyApplication,
  databaseUrl: string,
  password = 'correct horse battery staple',
): Promise<TestOrganisation> {
  const token = await withClient(databaseUrl, (c) =>
    issueSetupToken((text, params) => c.query(text, params)),
  );
  if (!token) throw new Error('setup is already complete on this database');
  const begin = await post(app, routes.setupBegin.path, { token });
  if (begin.statusCode !== 200) throw new Error(`setup begin answered ${begin.statusCode}`);
  const begun = begin.json<SetupBeginResponse>();
  const username = uniqueName('admin');
  const made = await setupBody(app, token, begun, username, password);
  const done = await post(app, routes.setupComplete.path, made.body);
  if (done.statusCode !== 201) {
    throw new Error(`setup complete answered ${done.statusCode}: ${done.body}`);
  }
  return {
    root: made.root,
    admin: {
      userId: begun.userId,
      username,
      password,
      role: 'admin',
      authKey: made.authKey,
      kek: made.kek,
      keys: made.keys,
      bundle: made.bundle,
      totpSecret: begun.totp.secret,
      lastStep: made.step,
    },
  };
}

/** Sign-in through the API; returns the session token. */
export async function signIn(app: NestFastifyApplication, account: Account): Promise<string> {
  const res = await post(app, routes.login.path, {
    username: account.username,
    authKey: b64(account.authKey),
    totpCode: await nextCode(account),
  });
  if (res.statusCode !== 200) throw new Error(`login answered ${res.statusCode}: ${res.body}`);
  return sessionTokenOf(res.headers['set-cookie']);
}

/** An admin invites, the invitee accepts in their browser: a new, uncertified account. */
export async function inviteAndAccept(
  app: NestFastifyApplication,
  adminToken: string,
  role: StaffRole,
  password = 'a long enough password',
  partnerOrgId?: string,
): Promise<Account> {
  const created = await post(
    app,
    routes.createInvitation.path,
    { role, ...(partnerOrgId ? { partnerOrgId } : {}) },
    asUser(adminToken),
  );
  if (created.statusCode !== 201) throw new Error(`invite answered ${created.statusCode}`);
  const { token } = created.json<{ token: string }>();
  const inspected = await post(app, routes.inspectInvitation.path, { token });
  const details = inspected.json<InvitationDetails>();
  await initCrypto();
  const username = uniqueName(role);
  const { authKey, kek } = await deriveKeys(app, username, password);
  const { bundle, keys } = createUserKeys(kek, details.userId);
  const step = await enrolmentStep();
  const accepted = await post(app, routes.acceptInvitation.path, {
    token,
    username,
    authKey: b64(authKey),
    totpCode: totpAt(details.totp.secret, step),
    keys: bundleJson(bundle),
    orgRootPin: b64(makeOrgRootPin(keys, fromBase64(details.orgRootPublicKey))),
  });
  if (accepted.statusCode !== 201) {
    throw new Error(`accept answered ${accepted.statusCode}: ${accepted.body}`);
  }
  return {
    userId: details.userId,
    username,
    password,
    role,
    authKey,
    kek,
    keys,
    bundle,
    totpSecret: details.totp.secret,
    lastStep: step,
  };
}

/** The admin's browser certifies `user` (after comparing fingerprints) and posts it. */
export async function certify(
  app: NestFastifyApplication,
  admin: Account,
  adminToken: string,
  user: Account,
) {
  const certificate = issueCertificate(
    {
      subjectId: user.userId,
      role: user.role,
      boxPublicKey: user.bundle.boxPublicKey,
      signPublicKey: user.bundle.signPublicKey,
    },
    admin.keys.sign,
  );
  return post(
    app,
    `/api/users/${user.userId}/certificate`,
    { certificate: b64(certificate) },
    asUser(adminToken),
  );
}

// ---- direct rows (authorisation matrix only) ---------------------------------------------------

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A wrapped-key-shaped blob: the server checks only the header of what it cannot open. */
function wrappedBlob(purpose: number): Buffer {
  return Buffer.concat([Buffer.from([1, 2, purpose]), randomBytes(72)]);
}

/**
 * An account row with well-formed but meaningless keys (its keys are never used). A partner
 * belongs to `partnerOrgId`, or to a partner organisation made for it.
 */
export async function insertStaff(
  db: pg.Client,
  role: StaffRole,
  partnerOrgId?: string,
): Promise<string> {
  const id = randomUUID();
  let orgId: string | null = null;
  if (role === 'partner') {
    orgId =
      partnerOrgId ??
      (
        await db.query<{ id: string }>(
          `INSERT INTO partner_org (name, services, capacity)
           VALUES ($1, '{shelter}', 'available') RETURNING id`,
          [uniqueName('partner-org')],
        )
      ).rows[0].id;
  }
  await db.query(
    `INSERT INTO app_user (id, username, role, auth_hash, kdf_ops_limit, kdf_mem_limit_bytes,
        wrapped_user_key, box_public_key, sign_public_key, wrapped_box_secret, wrapped_sign_seed,
        org_root_pin, totp_secret, partner_org_id)
     VALUES ($1, $2, $3, '$argon2id$v=19$m=19456,t=2,p=1$bm90LWEtcmVhbC1zYWx0$bm90LWEtaGFzaA',
        3, 134217728, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      uniqueName(role),
      role,
      wrappedBlob(1),
      randomBytes(32),
      randomBytes(32),
      wrappedBlob(2),
      wrappedBlob(3),
      randomBytes(32),
      randomBytes(62),
      orgId,
    ],
  );
  return id;
}

/** A live session row for `userId`, as sign-in would leave it; returns the cookie token. */
export async function insertSession(db: pg.Client, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO session (token_hash, user_id, expires_at)
     VALUES ($1, $2, now() + interval '12 hours')`,
    [hashToken(token), userId],
  );
  return token;
}
