import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type KeysResponse,
  type MeResponse,
  type PreloginResponse,
  routes,
  SESSION_COOKIE,
  type SessionListResponse,
} from '@haven/contracts';
import {
  deriveLoginSalt,
  deriveServerSubkey,
  fromBase64,
  generateSignKeyPair,
  KDF_RECOMMENDED,
  keyedHash,
  rewrapUserKey,
  toBase64,
  unlockUserKeys,
  verifyCertificateChain,
  verifyOrgRootPin,
} from '@haven/crypto';
import { deriveLoginKeysFromSaltForTests } from '@haven/crypto/testing';
import { randomBytes } from 'node:crypto';
import {
  MAX_CONCURRENT_HASHES,
  MAX_QUEUED_HASHES,
  PasswordHasher,
} from '../src/auth/password-hasher.service';
import {
  type Account,
  asUser,
  b64,
  certify,
  inviteAndAccept,
  nextCode,
  post,
  sessionTokenOf,
  setUpOrganisation,
  signIn,
  type TestOrganisation,
  uniqueName,
} from './support/accounts';
import {
  type ScratchDatabase,
  scratchDatabase,
  startTestApp,
  testServerSecret,
  withClient,
} from './support/test-app';

const BAD = { statusCode: 401, error: 'Unauthorized', message: 'Wrong username, password or code' };

interface AuditRow {
  actor: string | null;
  action: string;
  target: string | null;
  outcome: string;
}

// Accounts are global to a database (one organisation, one setup), so this file has its own.
describe('accounts: sign-in, sessions, throttling', () => {
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

  const query = <T>(text: string, params: unknown[] = []) =>
    withClient(db.url, async (c) => (await c.query(text, params)).rows as T[]);

  /** Audit events appended after `since` (a seq). */
  const auditSince = (since: number) =>
    query<AuditRow>(
      'SELECT actor, action, target, outcome FROM audit_event WHERE seq > $1 ORDER BY seq',
      [since],
    );
  const lastSeq = async () =>
    Number((await query<{ s: string }>('SELECT coalesce(max(seq), 0) AS s FROM audit_event'))[0].s);

  const login = (account: Pick<Account, 'username'>, authKey: Uint8Array, totpCode: string) =>
    post(app, routes.login.path, { username: account.username, authKey: b64(authKey), totpCode });

  const newCaseworker = () => inviteAndAccept(app, adminToken, 'caseworker');

  describe('prelogin', () => {
    it('answers a known and an unknown username alike, with the salt the account keeps', async () => {
      const name = uniqueName('future');
      const before = (
        await post(app, routes.prelogin.path, { username: name })
      ).json<PreloginResponse>();
      const known = (
        await post(app, routes.prelogin.path, { username: org.admin.username })
      ).json<PreloginResponse>();
      for (const answer of [before, known]) {
        expect(answer.kdf).toEqual({
          algorithm: 'argon2id13',
          opsLimit: KDF_RECOMMENDED.opsLimit,
          memLimitBytes: KDF_RECOMMENDED.memLimitBytes,
        });
        expect(fromBase64(answer.salt)).toHaveLength(16);
      }
      // The salt is deriveLoginSalt(normalised name, subkey 1 of SERVER_SECRET) for everyone.
      const seed = deriveServerSubkey(testServerSecret(), 1, 'hvnsalt1');
      expect(before.salt).toBe(toBase64(deriveLoginSalt(name, seed)));
      expect(
        (await post(app, routes.prelogin.path, { username: `  ${name.toUpperCase()} ` })).json(),
      ).toEqual(before);
    });

    it('refuses an empty username with 400', async () => {
      const res = await post(app, routes.prelogin.path, { username: '   ' });
      expect(res.statusCode).toBe(400);
    });
  });

  describe('sign-in', () => {
    it('sets a __Host- session cookie (HttpOnly, Secure, SameSite=Strict) and audits it', async () => {
      const user = await newCaseworker();
      const since = await lastSeq();
      const res = await login(user, user.authKey, await nextCode(user));
      expect(res.statusCode).toBe(200);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(
        new RegExp(
          `^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; Secure; SameSite=Strict$`,
        ),
      );
      const me = res.json<MeResponse>();
      expect(me.user).toMatchObject({
        id: user.userId,
        username: user.username,
        role: 'caseworker',
        certified: false,
        canReceiveCases: false,
      });
      expect(me.session.locked).toBe(false);
      expect(me.session.idleTimeoutSeconds).toBe(900);
      expect(await auditSince(since)).toEqual([
        { actor: user.userId, action: 'auth.login', target: user.userId, outcome: 'ok' },
      ]);
      const token = sessionTokenOf(res.headers['set-cookie']);
      const stored = await query<{ n: string }>(
        `SELECT count(*) AS n FROM session WHERE encode(token_hash, 'base64') LIKE $1`,
        [`%${token.slice(0, 10)}%`],
      );
      expect(stored[0].n).toBe('0');
    });

    it('answers a wrong password, an unknown user and a wrong code with the same 401', async () => {
      const user = await newCaseworker();
      const since = await lastSeq();
      const wrongKey = await login(user, randomBytes(32), await nextCode(user));
      const unknown = await login({ username: uniqueName('nobody') }, randomBytes(32), '123456');
      const wrongCode = await login(user, user.authKey, '000000');
      for (const res of [wrongKey, unknown, wrongCode]) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual(BAD);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(await auditSince(since)).toEqual([
        {
          actor: null,
          action: 'auth.login',
          target: user.userId,
          outcome: 'denied:bad_credentials',
        },
        { actor: null, action: 'auth.login', target: null, outcome: 'denied:bad_credentials' },
        { actor: null, action: 'auth.login', target: user.userId, outcome: 'denied:bad_totp' },
      ]);
    });

    it('accepts each TOTP code once', async () => {
      const user = await newCaseworker();
      const code = await nextCode(user);
      expect((await login(user, user.authKey, code)).statusCode).toBe(200);
      const since = await lastSeq();
      const replay = await login(user, user.authKey, code);
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toEqual(BAD);
      expect(await auditSince(since)).toEqual([
        { actor: null, action: 'auth.login', target: user.userId, outcome: 'denied:totp_replayed' },
      ]);
    });

    it('refuses a body over 4 KiB with 413 and audits it', async () => {
      const since = await lastSeq();
      const res = await post(app, routes.login.path, {
        username: 'x',
        authKey: 'A'.repeat(43),
        totpCode: '123456',
        padding: 'p'.repeat(5000),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json<{ message: string }>().message).toBe('Request body is too large');
      expect(await auditSince(since)).toEqual([
        {
          actor: null,
          action: 'auth.request',
          target: 'POST /api/auth/login',
          outcome: 'denied:body_too_large',
        },
      ]);
    });

    it('sheds load with 503 and Retry-After when the verification queue is full', async () => {
      const hasher = app.get(PasswordHasher);
      // Every slot and queue place taken: full until these finish (each takes tens of ms).
      const burst = Array.from({ length: MAX_CONCURRENT_HASHES + MAX_QUEUED_HASHES }, () =>
        hasher.hash(randomBytes(32)),
      );
      const res = await login(org.admin, org.admin.authKey, '000000');
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The server is busy; try again in a moment',
      });
      // Shed before Nest, yet with the API's usual headers.
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      await Promise.all(burst);
    });

    it('refuses malformed input with 400, never 500', async () => {
      for (const body of [
        {},
        { username: 'a', authKey: 'short', totpCode: '123456' },
        { username: 'a', authKey: 'A'.repeat(43), totpCode: '12345x' },
        { username: 'a'.repeat(65), authKey: 'A'.repeat(43), totpCode: '123456' },
      ]) {
        const res = await post(app, routes.login.path, body);
        expect({ body, status: res.statusCode }).toEqual({ body, status: 400 });
      }
    });
  });

  describe('throttling', () => {
    it('delays an account after three failures, even for the right password', async () => {
      const user = await newCaseworker();
      for (let i = 0; i < 4; i++) {
        expect((await login(user, randomBytes(32), '000000')).statusCode).toBe(401);
      }
      const since = await lastSeq();
      const res = await login(user, user.authKey, await nextCode(user));
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(2);
      expect(await auditSince(since)).toEqual([
        { actor: null, action: 'auth.login', target: user.userId, outcome: 'denied:throttled' },
      ]);
    });

    it('throttles an unknown username exactly like a real one', async () => {
      const ghost = { username: uniqueName('ghost') };
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await login(ghost, randomBytes(32), '000000')).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
    });

    it('caps an account at 100 failures an hour', async () => {
      const user = await newCaseworker();
      await query(
        `INSERT INTO login_throttle (subject, consecutive_failures, last_failure_at, recent_failures)
         SELECT subject, 0, now() - interval '10 minutes',
                array_fill(now() - interval '10 minutes', ARRAY[100])
           FROM (SELECT $1::bytea AS subject) s`,
        [throttleSubject(user.username)],
      );
      const res = await login(user, user.authKey, await nextCode(user));
      expect(res.statusCode).toBe(429);
      const wait = Number(res.headers['retry-after']);
      expect(wait).toBeGreaterThan(49 * 60);
      expect(wait).toBeLessThanOrEqual(50 * 60 + 1);
    });

    it('refuses an address after 50 failures, before any database work, and not others', async () => {
      const address = '198.51.100.7';
      const from = (username: string, remoteAddress: string) =>
        app.inject({
          method: 'POST',
          url: routes.login.path,
          remoteAddress,
          headers: { 'content-type': 'application/json' },
          payload: { username, authKey: b64(randomBytes(32)), totpCode: '000000' },
        });
      for (let i = 0; i < 50; i++) {
        expect((await from(uniqueName('spray'), address)).statusCode).toBe(401);
      }
      const since = await lastSeq();
      const refused = await from(uniqueName('spray'), address);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await auditSince(since)).toEqual([]);
      expect((await from(uniqueName('spray'), '198.51.100.8')).statusCode).toBe(401);
      // The address is never written anywhere.
      const dump = JSON.stringify(await query('SELECT * FROM login_throttle'));
      expect(dump).not.toContain('198.51.100');
    });
  });

  function throttleSubject(username: string): Buffer {
    // Same derivation as ThrottleService.subjectOf (keyed BLAKE2b of the normalised name).
    const key = deriveServerSubkey(testServerSecret(), 3, 'hvnthrt1');
    return Buffer.from(keyedHash(key, 'haven/login-throttle/v1', username));
  }

  describe('sessions', () => {
    it('locks after 15 idle minutes; unlock needs the password, not TOTP', async () => {
      const user = await newCaseworker();
      const token = await signIn(app, user);
      await query(
        `UPDATE session SET last_seen_at = now() - interval '16 minutes'
          WHERE user_id = $1`,
        [user.userId],
      );
      const locked = await app.inject({
        method: 'GET',
        url: routes.myKeys.path,
        headers: asUser(token),
      });
      expect(locked.statusCode).toBe(401);
      expect(locked.json()).toMatchObject({ code: 'SESSION_LOCKED' });
      const me = await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(token) });
      expect(me.statusCode).toBe(200);
      expect(me.json<MeResponse>().session.locked).toBe(true);

      const since = await lastSeq();
      const wrong = await post(
        app,
        routes.unlock.path,
        { authKey: b64(randomBytes(32)) },
        asUser(token),
      );
      expect(wrong.statusCode).toBe(401);
      const right = await post(
        app,
        routes.unlock.path,
        { authKey: b64(user.authKey) },
        asUser(token),
      );
      expect(right.statusCode).toBe(200);
      expect(right.json<MeResponse>().session.locked).toBe(false);
      expect(await auditSince(since)).toEqual([
        {
          actor: null,
          action: 'auth.unlock',
          target: user.userId,
          outcome: 'denied:bad_credentials',
        },
        { actor: user.userId, action: 'auth.unlock', target: user.userId, outcome: 'ok' },
      ]);
      const again = await app.inject({
        method: 'GET',
        url: routes.myKeys.path,
        headers: asUser(token),
      });
      expect(again.statusCode).toBe(200);
    });

    it('ends after 12 hours whatever the activity', async () => {
      const user = await newCaseworker();
      const token = await signIn(app, user);
      await query(
        `UPDATE session SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [user.userId],
      );
      const res = await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(token) });
      expect(res.statusCode).toBe(401);
      expect(res.json()).not.toHaveProperty('code');
      expect(await query('SELECT 1 FROM session WHERE user_id = $1', [user.userId])).toEqual([]);
    });

    it('lists, ends one, and ends all of a person’s sessions', async () => {
      const user = await newCaseworker();
      const first = await signIn(app, user);
      const second = await signIn(app, user);
      const listed = await app.inject({
        method: 'GET',
        url: routes.listSessions.path,
        headers: asUser(first),
      });
      const { sessions } = listed.json<SessionListResponse>();
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((s) => s.current)).toHaveLength(1);
      const other = sessions.find((s) => !s.current)!;

      // Someone else's session id is "not found".
      const admins = await app.inject({
        method: 'GET',
        url: routes.listSessions.path,
        headers: asUser(adminToken),
      });
      const adminSession = admins.json<SessionListResponse>().sessions[0];
      const foreign = await app.inject({
        method: 'DELETE',
        url: `/api/sessions/${adminSession.id}`,
        headers: asUser(first),
      });
      expect(foreign.statusCode).toBe(404);

      const ended = await app.inject({
        method: 'DELETE',
        url: `/api/sessions/${other.id}`,
        headers: asUser(first),
      });
      expect(ended.statusCode).toBe(204);
      expect(
        (await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(second) }))
          .statusCode,
      ).toBe(401);

      const all = await app.inject({
        method: 'DELETE',
        url: routes.endAllSessions.path,
        headers: asUser(first),
      });
      expect(all.statusCode).toBe(204);
      expect(all.headers['clear-site-data']).toBe('"cookies", "storage"');
      expect(String(all.headers['set-cookie'])).toContain('Max-Age=0');
      expect(
        (await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(first) }))
          .statusCode,
      ).toBe(401);
    });

    it('signs out: 204, Clear-Site-Data, and the token is dead', async () => {
      const user = await newCaseworker();
      const token = await signIn(app, user);
      const since = await lastSeq();
      const res = await app.inject({
        method: 'POST',
        url: routes.logout.path,
        headers: asUser(token),
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['clear-site-data']).toBe('"cookies", "storage"');
      expect(await auditSince(since)).toEqual([
        { actor: user.userId, action: 'auth.logout', target: user.userId, outcome: 'ok' },
      ]);
      expect(
        (await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(token) }))
          .statusCode,
      ).toBe(401);
    });

    it('requires the X-Haven-CSRF header on unsafe methods, and audits its absence', async () => {
      const user = await newCaseworker();
      const token = await signIn(app, user);
      const since = await lastSeq();
      const res = await app.inject({
        method: 'POST',
        url: routes.logout.path,
        headers: { cookie: `${SESSION_COOKIE}=${token}` },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'CSRF_HEADER_MISSING' });
      expect(await auditSince(since)).toEqual([
        {
          actor: user.userId,
          action: 'access.route',
          target: 'POST /api/auth/logout',
          outcome: 'denied:csrf',
        },
      ]);
      // Still signed in: nothing happened.
      expect(
        (await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(token) }))
          .statusCode,
      ).toBe(200);
    });
  });

  describe('keys and password change', () => {
    it("hands back the caller's wrapped keys, the root pin and a chain that verifies", async () => {
      const user = await newCaseworker();
      expect((await certify(app, org.admin, adminToken, user)).statusCode).toBe(200);
      const token = await signIn(app, user);
      const res = await app.inject({
        method: 'GET',
        url: routes.myKeys.path,
        headers: asUser(token),
      });
      const keys = res.json<KeysResponse>();
      const bundle = {
        wrappedUserKey: fromBase64(keys.bundle.wrappedUserKey),
        boxPublicKey: fromBase64(keys.bundle.boxPublicKey),
        signPublicKey: fromBase64(keys.bundle.signPublicKey),
        wrappedBoxSecret: fromBase64(keys.bundle.wrappedBoxSecret),
        wrappedSignSeed: fromBase64(keys.bundle.wrappedSignSeed),
      };
      const unlocked = unlockUserKeys(user.kek, user.userId, bundle);
      const root = fromBase64(keys.orgRootPublicKey);
      expect(root).toEqual(org.root.publicKey);
      expect(() => verifyOrgRootPin(unlocked, root, fromBase64(keys.orgRootPin))).not.toThrow();
      const chain = keys.certificateChain!.map(fromBase64);
      expect(chain).toHaveLength(2);
      expect(verifyCertificateChain(chain, root, { subjectId: user.userId }).role).toBe(
        'caseworker',
      );
      expect(keys.wrappedOrgRootKey).toBeNull();
    });

    it('changes the password: re-wrapped key, other sessions ended, old authKey refused', async () => {
      const user = await newCaseworker();
      const current = await signIn(app, user);
      const other = await signIn(app, user);
      const { salt } = (
        await post(app, routes.prelogin.path, { username: user.username })
      ).json<PreloginResponse>();
      const next = deriveLoginKeysFromSaltForTests({
        password: 'a brand new passphrase',
        salt: fromBase64(salt),
      });
      const rewrapped = rewrapUserKey(user.kek, next.kek, user.userId, user.bundle.wrappedUserKey);

      const wrong = await post(
        app,
        routes.changePassword.path,
        {
          currentAuthKey: b64(randomBytes(32)),
          newAuthKey: b64(next.authKey),
          wrappedUserKey: b64(rewrapped),
        },
        asUser(current),
      );
      expect(wrong.statusCode).toBe(401);
      const since = await lastSeq();
      const res = await post(
        app,
        routes.changePassword.path,
        {
          currentAuthKey: b64(user.authKey),
          newAuthKey: b64(next.authKey),
          wrappedUserKey: b64(rewrapped),
        },
        asUser(current),
      );
      expect(res.statusCode).toBe(204);
      expect(await auditSince(since)).toEqual([
        { actor: user.userId, action: 'auth.password_change', target: user.userId, outcome: 'ok' },
      ]);
      expect(
        (await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(other) }))
          .statusCode,
      ).toBe(401);
      const keys = (
        await app.inject({ method: 'GET', url: routes.myKeys.path, headers: asUser(current) })
      ).json<KeysResponse>();
      expect(() =>
        unlockUserKeys(next.kek, user.userId, {
          ...user.bundle,
          wrappedUserKey: fromBase64(keys.bundle.wrappedUserKey),
        }),
      ).not.toThrow();
      const old = await post(
        app,
        routes.unlock.path,
        { authKey: b64(user.authKey) },
        asUser(current),
      );
      expect(old.statusCode).toBe(401);
      const fresh = await post(
        app,
        routes.unlock.path,
        { authKey: b64(next.authKey) },
        asUser(current),
      );
      expect(fresh.statusCode).toBe(200);
    });

    it('refuses a re-wrapped key that is not a wrapped user key', async () => {
      const user = await newCaseworker();
      const token = await signIn(app, user);
      const res = await post(
        app,
        routes.changePassword.path,
        {
          currentAuthKey: b64(user.authKey),
          newAuthKey: b64(randomBytes(32)),
          wrappedUserKey: b64(user.bundle.wrappedBoxSecret),
        },
        asUser(token),
      );
      expect(res.statusCode).toBe(400);
      expect(res.json<{ fields: { path: string }[] }>().fields[0].path).toBe('body.wrappedUserKey');
    });
  });

  describe('administration', () => {
    it('certifies only with a certificate from the caller for exactly the account’s keys', async () => {
      const user = await newCaseworker();
      // A certificate signed by some other key than the admin's certified one.
      const impostor = { ...org.admin, keys: { ...org.admin.keys, sign: generateSignKeyPair() } };
      const since = await lastSeq();
      const wrongIssuer = await certify(app, impostor, adminToken, user);
      expect(wrongIssuer.statusCode).toBe(400);
      const otherKeys = await certify(app, org.admin, adminToken, {
        ...user,
        bundle: { ...user.bundle, boxPublicKey: randomBytes(32) },
      });
      expect(otherKeys.statusCode).toBe(400);
      expect(await auditSince(since)).toEqual([
        {
          actor: org.admin.userId,
          action: 'user.certify',
          target: user.userId,
          outcome: 'denied:bad_certificate',
        },
        {
          actor: org.admin.userId,
          action: 'user.certify',
          target: user.userId,
          outcome: 'denied:bad_certificate',
        },
      ]);
      const ok = await certify(app, org.admin, adminToken, user);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ id: user.userId, status: 'certified' });
      expect((await certify(app, org.admin, adminToken, user)).statusCode).toBe(409);
      const unknown = await post(
        app,
        `/api/users/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/certificate`,
        { certificate: 'AAAA' },
        asUser(adminToken),
      );
      expect(unknown.statusCode).toBe(404);
    });

    it('disables: live sessions end at once, sign-in is refused, grants are due for rotation', async () => {
      const user = await newCaseworker();
      const token = await signIn(app, user);
      const since = await lastSeq();
      const res = await post(app, `/api/users/${user.userId}/disable`, {}, asUser(adminToken));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'disabled' });
      const live = await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(token) });
      expect(live.statusCode).toBe(401);
      const again = await login(user, user.authKey, await nextCode(user));
      expect(again.statusCode).toBe(403);
      expect(again.json<{ message: string }>().message).toBe('This account is disabled');
      expect(await auditSince(since)).toEqual([
        { actor: org.admin.userId, action: 'user.disable', target: user.userId, outcome: 'ok' },
        { actor: null, action: 'auth.login', target: user.userId, outcome: 'denied:disabled' },
      ]);
      expect(
        await query('SELECT grant_rotation_due FROM app_user WHERE id = $1', [user.userId]),
      ).toEqual([{ grant_rotation_due: true }]);
    });

    it("refuses a disabled user's session that survived (a race) and audits it", async () => {
      const user = await newCaseworker();
      const token = await signIn(app, user);
      await query(
        `UPDATE app_user SET status = 'disabled', disabled_on = current_date WHERE id = $1`,
        [user.userId],
      );
      const since = await lastSeq();
      const res = await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(token) });
      expect(res.statusCode).toBe(401);
      expect(await auditSince(since)).toEqual([
        {
          actor: user.userId,
          action: 'auth.session',
          target: user.userId,
          outcome: 'denied:disabled',
        },
      ]);
      expect(await query('SELECT 1 FROM session WHERE user_id = $1', [user.userId])).toEqual([]);
    });

    it('changes a role: sessions end and the keys must be certified again', async () => {
      const user = await newCaseworker();
      expect((await certify(app, org.admin, adminToken, user)).statusCode).toBe(200);
      const token = await signIn(app, user);
      const res = await app.inject({
        method: 'PUT',
        url: `/api/users/${user.userId}/role`,
        payload: { role: 'coordinator' },
        headers: { ...asUser(adminToken), 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ role: 'coordinator', status: 'pending_certification' });
      expect(
        (await app.inject({ method: 'GET', url: routes.me.path, headers: asUser(token) }))
          .statusCode,
      ).toBe(401);
    });

    it('will not let an admin disable themselves or change their own role', async () => {
      const self = await post(
        app,
        `/api/users/${org.admin.userId}/disable`,
        {},
        asUser(adminToken),
      );
      expect(self.statusCode).toBe(409);
      const role = await app.inject({
        method: 'PUT',
        url: `/api/users/${org.admin.userId}/role`,
        payload: { role: 'auditor' },
        headers: { ...asUser(adminToken), 'content-type': 'application/json' },
      });
      expect(role.statusCode).toBe(409);
    });
  });

  it('makes a partner account in the organisation its invitation names (docs/referrals.md)', async () => {
    const [partnerOrg] = await query<{ id: string }>(
      `INSERT INTO partner_org (name, services, capacity) VALUES ($1, '{legal}', 'limited')
       RETURNING id`,
      [uniqueName('Partner')],
    );
    const created = await app.inject({
      method: 'POST',
      url: routes.createInvitation.path,
      payload: { role: 'partner', partnerOrgId: partnerOrg.id },
      headers: { ...asUser(adminToken), 'content-type': 'application/json' },
    });
    const { token } = created.json<{ token: string }>();
    const details = await post(app, routes.inspectInvitation.path, { token });
    const shown = details.json<{ role: string; partnerOrgName: string | null }>();
    expect(shown.role).toBe('partner');
    expect(shown.partnerOrgName).toMatch(/^Partner-/);
    const partner = await inviteAndAccept(app, adminToken, 'partner', undefined, partnerOrg.id);
    const [row] = await query<{ partner_org_id: string }>(
      'SELECT partner_org_id FROM app_user WHERE id = $1',
      [partner.userId],
    );
    expect(row.partner_org_id).toBe(partnerOrg.id);
    const me = await app.inject({
      method: 'GET',
      url: routes.me.path,
      headers: asUser(await signIn(app, partner)),
    });
    expect(me.json()).toMatchObject({
      user: { role: 'partner', partnerOrg: { id: partnerOrg.id } },
    });
  });

  it('gives me and my keys to a signed-in admin, with the org keys wrapped for them', async () => {
    const token = await signIn(app, org.admin);
    const keys = (
      await app.inject({ method: 'GET', url: routes.myKeys.path, headers: asUser(token) })
    ).json<KeysResponse>();
    expect(keys.certificateChain).toHaveLength(1);
    expect(keys.wrappedOrgRootKey).not.toBeNull();
    expect(keys.wrappedIntakeKey).not.toBeNull();
  });
});
