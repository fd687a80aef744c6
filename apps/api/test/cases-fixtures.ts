/**
 * Real people with real keys for the cases integration tests, and a browser's worth of case
 * crypto (libs/crypto, exactly as the dashboard's worker uses it).
 *
 * People are written straight into `app_user` with keys from `@haven/crypto/testing` (an org
 * root, an admin it certified, staff the admin certified) and signed in by a `session` row whose
 * token the test holds, the way the sign-in flow leaves it. Sign-in itself is the accounts
 * feature's to test; here it would cost an Argon2id run per person.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  buildPath,
  CASE_RECORD,
  CSRF_HEADER,
  PROFILE_RECORD_ID,
  SESSION_COOKIE,
  SUMMARY_RECORD_ID,
  type RouteBody,
  type RouteDefinition,
  type RouteParams,
  type RouteQuery,
} from '@haven/contracts';
import {
  createUserKeys,
  decryptRecord,
  encryptRecord,
  fromBase64,
  generateCaseKey,
  generateSignKeyPair,
  issueCertificate,
  openCaseKeyGrant,
  randomBytes as cryptoRandomBytes,
  sealCaseKeyGrant,
  toBase64,
  utf8Decode,
  utf8Encode,
  verifyCertificateChain,
  type CaseKey,
  type CertifiedKey,
  type SignKeyPair,
  type StaffRole,
  type UserKeyBundle,
  type UserKeys,
} from '@haven/crypto';
import type pg from 'pg';

/** A person's keys as their browser holds them, and as others see them once certified. */
export interface TestUser {
  keys: UserKeys;
  bundle: UserKeyBundle;
  /** `[cert]` for the admin (issued by the root), `[adminCert, cert]` for everyone else. */
  chain: Uint8Array[];
  certified: CertifiedKey;
}

export interface TestOrg {
  root: SignKeyPair;
  admin: TestUser;
}

/** What enrolment and certification produce (the same library calls, minus Argon2id). */
function makeUser(
  userId: string,
  role: StaffRole,
  issuer: SignKeyPair,
  root: SignKeyPair,
  prefix: Uint8Array[],
): TestUser {
  const { bundle, keys } = createUserKeys(cryptoRandomBytes(32), userId);
  const cert = issueCertificate(
    {
      subjectId: userId,
      role,
      boxPublicKey: bundle.boxPublicKey,
      signPublicKey: bundle.signPublicKey,
    },
    issuer,
  );
  const chain = [...prefix, cert];
  return { keys, bundle, chain, certified: verifyCertificateChain(chain, root.publicKey) };
}

export interface Person {
  id: string;
  username: string;
  role: StaffRole;
  user: TestUser;
  token: string;
}

export interface TestStaff {
  org: TestOrg;
  admin: Person;
  people: Map<string, Person>;
  /** The partner organisation made for partner users not given one, if any. */
  partnerOrgId: string | null;
}

/** SHA-256, as apps/api/src/sessions/session-token.ts stores session tokens. */
function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A partner organisation row (docs/referrals.md); every partner user belongs to one. */
export async function insertPartnerOrg(
  db: pg.Client,
  options: { name?: string; services?: string[]; active?: boolean } = {},
): Promise<string> {
  const found = await db.query<{ id: string }>(
    `INSERT INTO partner_org (name, services, capacity, active)
     VALUES ($1, $2, 'available', $3) RETURNING id`,
    [
      options.name ?? `Partner ${randomUUID().slice(0, 8)}`,
      options.services ?? ['evacuation', 'shelter', 'legal', 'medical'],
      options.active ?? true,
    ],
  );
  return found.rows[0].id;
}

async function insertPerson(
  db: pg.Client,
  person: Omit<Person, 'token'>,
  certifiedBy: string | null,
  partnerOrgId: string | null = null,
): Promise<Person> {
  const { bundle, chain } = person.user;
  await db.query(
    `INSERT INTO app_user (id, username, role, auth_hash, kdf_ops_limit, kdf_mem_limit_bytes,
        wrapped_user_key, box_public_key, sign_public_key, wrapped_box_secret, wrapped_sign_seed,
        org_root_pin, certificate, certified_by, certified_on, totp_secret, partner_org_id)
     VALUES ($1, $2, $3, '$argon2id$v=19$m=19456,t=2,p=1$test$test', 3, 134217728,
        $4, $5, $6, $7, $8, $9, $10, $11, current_date, $12, $13)`,
    [
      person.id,
      person.username,
      person.role,
      Buffer.from(bundle.wrappedUserKey),
      Buffer.from(bundle.boxPublicKey),
      Buffer.from(bundle.signPublicKey),
      Buffer.from(bundle.wrappedBoxSecret),
      Buffer.from(bundle.wrappedSignSeed),
      randomBytes(32),
      Buffer.from(chain[chain.length - 1]),
      certifiedBy ?? person.id,
      randomBytes(48),
      partnerOrgId,
    ],
  );
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO session (token_hash, user_id, expires_at)
     VALUES ($1, $2, now() + interval '12 hours')`,
    [hashToken(token), person.id],
  );
  return { ...person, token };
}

/**
 * An organisation and signed-in, certified staff: `roles` maps a nickname to a role. Partner
 * users belong to the partner organisation `partnerOrgs[nick]` names, else to one made for the
 * run (`TestStaff.partnerOrgId`).
 */
export async function seedStaff(
  db: pg.Client,
  roles: Record<string, Exclude<StaffRole, 'admin'>>,
  partnerOrgs: Record<string, string> = {},
): Promise<TestStaff> {
  const run = randomUUID().slice(0, 8);
  const adminId = randomUUID();
  const root = generateSignKeyPair();
  const org: TestOrg = { root, admin: makeUser(adminId, 'admin', root, root, []) };
  const admin = await insertPerson(
    db,
    { id: adminId, username: `admin-${run}`, role: 'admin', user: org.admin },
    null,
  );
  const people = new Map<string, Person>();
  let runPartnerOrg: string | null = null;
  for (const [nick, role] of Object.entries(roles)) {
    const id = randomUUID();
    let partnerOrgId: string | null = null;
    if (role === 'partner') {
      partnerOrgId = partnerOrgs[nick] ?? (runPartnerOrg ??= await insertPartnerOrg(db));
    }
    const person = await insertPerson(
      db,
      {
        id,
        username: `${nick}-${run}`,
        role,
        user: makeUser(id, role, org.admin.keys.sign, root, org.admin.chain),
      },
      adminId,
      partnerOrgId,
    );
    people.set(nick, person);
  }
  return { org, admin, people, partnerOrgId: runPartnerOrg };
}

export function person(staff: TestStaff, nick: string): Person {
  const found = staff.people.get(nick);
  if (!found) throw new Error(`no test person ${nick}`);
  return found;
}

export interface CallOptions<R extends RouteDefinition> {
  params?: RouteParams<R>;
  query?: RouteQuery<R>;
  body?: RouteBody<R> | Record<string, unknown>;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Calls a route of the registry as `who` (session cookie + CSRF header), like the dashboard. */
export async function call<R extends RouteDefinition>(
  app: NestFastifyApplication,
  who: Person | null,
  route: R,
  options: CallOptions<R> = {},
): Promise<Answer> {
  const path = buildPath(route, (options.params ?? {}) as Record<string, string>);
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (typeof v === 'string' || typeof v === 'number') search.append(k, String(v));
  }
  const query = search.toString();
  const res = await app.inject({
    method: route.method,
    url: query ? `${path}?${query}` : path,
    headers: {
      ...(who ? { cookie: `${SESSION_COOKIE}=${who.token}` } : {}),
      [CSRF_HEADER]: '1',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  const text = res.body;
  return {
    status: res.statusCode,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

// ---- the browser's side ----------------------------------------------------------------------

export const profileRef = { kind: CASE_RECORD.profile, recordId: PROFILE_RECORD_ID };
export const summaryRef = { kind: CASE_RECORD.summary, recordId: SUMMARY_RECORD_ID };
export const entryRef = (kind: 'contact' | 'status_note' | 'access_note', id: string) => ({
  kind: `case.${kind}`,
  recordId: id,
});

export function seal(key: CaseKey, ref: { kind: string; recordId: string }, value: unknown) {
  return toBase64(encryptRecord(key, ref, utf8Encode(JSON.stringify(value))));
}

export function open(key: CaseKey, ref: { kind: string; recordId: string }, envelope: string) {
  return JSON.parse(utf8Decode(decryptRecord(key, ref, fromBase64(envelope)))) as unknown;
}

export function grantTo(key: CaseKey, grantee: Person, granter: Person) {
  return {
    userId: grantee.id,
    envelope: toBase64(sealCaseKeyGrant(key, grantee.user.certified, granter.user.keys)),
  };
}

/** Opens `who`'s grant as their browser would: checking case, version, grantee and granter. */
export function openGrant(
  envelope: string,
  who: Person,
  granter: Person,
  caseId: string,
  version: number,
): CaseKey {
  return openCaseKeyGrant(fromBase64(envelope), {
    caseId,
    version,
    grantee: who.user.keys,
    granter: granter.user.certified,
  });
}

export const sampleProfile = (alias = 'Sasha') => ({
  alias,
  channels: [{ type: 'phone', app: '', value: '+79261234567', note: 'texts only' }],
  safeTimes: 'evenings',
  languages: ['ru'],
  location: 'Grozny',
  situation: 'Needs to leave the region.',
  risks: 'Family has found out.',
  needs: { evacuation: true, shelter: true },
  consent: { contact: true, shareWithPartners: false, keepData: true },
});

export interface NewCase {
  id: string;
  key: CaseKey;
  body: {
    id: string;
    priority: 'routine' | 'urgent' | 'critical';
    supervisorId: string;
    assigneeId?: string | null;
    profile: string;
    summary: string;
    grants: { userId: string; envelope: string }[];
    blindIndexes: { kind: 'phone' | 'handle'; digest: string }[];
  };
}

/** What the dashboard sends to open a case: a new key, sealed to creator + supervisor (+ more). */
export function newCase(
  creator: Person,
  supervisor: Person,
  options: {
    alias?: string;
    also?: Person[];
    blindIndexes?: NewCase['body']['blindIndexes'];
  } = {},
): NewCase {
  const id = randomUUID();
  const key = generateCaseKey(id);
  const grantees = [creator, supervisor, ...(options.also ?? [])];
  return {
    id,
    key,
    body: {
      id,
      priority: 'urgent',
      supervisorId: supervisor.id,
      profile: seal(key, profileRef, sampleProfile(options.alias)),
      summary: seal(key, summaryRef, { alias: options.alias ?? 'Sasha', headline: 'evacuation' }),
      grants: grantees.map((g) => grantTo(key, g, creator)),
      blindIndexes: options.blindIndexes ?? [],
    },
  };
}
