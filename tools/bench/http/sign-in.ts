/**
 * Sign-in (issue 4): 100 connections POSTing /api/auth/login, each request for another seeded
 * account with the right authKey and the current TOTP code, so every admitted request runs the
 * whole server-side check: throttle lookup, argon2id(authKey) under the concurrency limit
 * (m = 19 MiB, t = 2, p = 1, peppered), TOTP with replay protection, session insert and audit
 * event. What the limit cannot take is shed with 503 + Retry-After, which is the designed
 * behaviour, so 200 and 503 are the expected statuses; any other (a 5xx, a 401 from a replayed
 * code, a 429) counts as an error. No baseline: nothing bare does the same work.
 * Budget (issue 4): p95 ≤ 1 s for the admitted (200) requests, RSS ≤ 512 MiB, no other 5xx.
 *
 * The API gets this run's SERVER_SECRET from bench.ts (process.env), the same the seed uses to
 * pepper the hashes and seal the TOTP secrets.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import { hash } from 'argon2';
import { Secret, TOTP } from 'otpauth';
import type pg from 'pg';
/* eslint-disable @nx/enforce-module-boundaries -- tsx runs bench files without the workspace's path
   mapping, so the library is imported by its relative path (as crypto-node.ts does). */
import { deriveServerSubkey, initCrypto, sealServerSecret } from '../../../libs/crypto/src/index';
/* eslint-enable @nx/enforce-module-boundaries */
import type { HttpScenario } from './scenario';

/** More accounts than a run signs in, so no account (and no TOTP step) is used twice. */
const ACCOUNTS = 6000;
const AUTH_KEY = randomBytes(32);
const TOTP_SECRET = new Secret({ size: 20 });
const totp = new TOTP({ secret: TOTP_SECRET, digits: 6, period: 30 });

let next = 0;
/** Accounts whose request was shed (503) before anything was checked: good to use again. */
const returned: number[] = [];

interface Connection {
  account?: number;
}

function serverSecret(): Uint8Array {
  const text = process.env.SERVER_SECRET;
  if (!text) throw new Error('bench.ts sets SERVER_SECRET before seeding');
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/** A wrapped-key-shaped blob: sign-in never opens it. */
const blob = (purpose: number) => Buffer.concat([Buffer.from([1, 2, purpose]), randomBytes(72)]);

async function seed(db: pg.Client): Promise<void> {
  await initCrypto();
  const secret = serverSecret();
  const pepper = Buffer.from(deriveServerSubkey(secret, 4, 'hvnpepr1'));
  const totpKey = deriveServerSubkey(secret, 2, 'hvntotp1');
  // One hash for every account: the same authKey, so one Argon2id run instead of thousands.
  const authHash = await hash(AUTH_KEY, {
    type: 2,
    memoryCost: 19 * 1024,
    timeCost: 2,
    parallelism: 1,
    secret: pepper,
  });
  const secretBytes = new Uint8Array(TOTP_SECRET.buffer);
  for (let start = 0; start < ACCOUNTS; start += 500) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = start; i < Math.min(ACCOUNTS, start + 500); i++) {
      const id = randomUUID();
      const p = values.length;
      rows.push(
        `($${p + 1}, $${p + 2}, 'caseworker', $${p + 3}, 3, 134217728, $${p + 4}, $${p + 5},
          $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9}, $${p + 10})`,
      );
      values.push(
        id,
        `bench-signin-${i}`,
        authHash,
        blob(1),
        randomBytes(32),
        randomBytes(32),
        blob(2),
        blob(3),
        randomBytes(32),
        Buffer.from(sealServerSecret(totpKey, secretBytes, id)),
      );
    }
    await db.query(
      `INSERT INTO app_user (id, username, role, auth_hash, kdf_ops_limit, kdf_mem_limit_bytes,
          wrapped_user_key, box_public_key, sign_public_key, wrapped_box_secret,
          wrapped_sign_seed, org_root_pin, totp_secret)
       VALUES ${rows.join(',')}`,
      values,
    );
  }
}

/**
 * The next unused account, with the code its authenticator shows now. A shed request (503)
 * gives its account back: the server never looked at it, and reusing accounts only for
 * requests that got through keeps every TOTP code single-use without a huge seed.
 */
function setupRequest(request: autocannon.Request, context: object): autocannon.Request {
  const account = returned.pop() ?? next++ % ACCOUNTS;
  (context as Connection).account = account;
  request.body = JSON.stringify({
    username: `bench-signin-${account}`,
    authKey: AUTH_KEY.toString('base64url'),
    totpCode: totp.generate(),
  });
  return request;
}

export const signInScenario: HttpScenario = {
  name: 'POST /api/auth/login (argon2id + TOTP + session)',
  method: 'POST',
  path: '/api/auth/login',
  headers: { 'content-type': 'application/json' },
  connections: 100,
  seed,
  setupRequest,
  onResponse: (status, _body, context) => {
    const { account } = context as Connection;
    if (status === 503 && account !== undefined) returned.push(account);
  },
  expectStatus: [200, 503],
  budget: { okP95Ms: 1000, maxRssMiB: 512 },
};
