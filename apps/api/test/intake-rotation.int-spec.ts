import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { INTAKE_KEY_ROTATED, routes } from '@haven/contracts';
import {
  fromBase64,
  generateIntakeKeyPair,
  generateSignKeyPair,
  initCrypto,
  intakeKeyPairFromSecret,
  openIntakeSubmission,
  sealIntakeSubmission,
  signIntakeKey,
  toBase64,
  verifyIntakeKey,
  type BoxKeyPair,
} from '@haven/crypto';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { call, person, seedStaff, type Person, type TestStaff } from './cases-fixtures';
import { newIdempotencyKey, sealForm, type TestIntakeOrg } from './intake-fixtures';
import { scratchDatabase, startTestApp, type ScratchDatabase } from './support/test-app';
import {
  intakeGrant,
  openIntakeGrant,
  openQueued,
  seedIntakeOrganisation,
} from './triage-fixtures';

interface Row {
  id: string;
  envelope: string;
}
interface Pending {
  version: number;
  submissions: Row[];
  followUps: Row[];
}

// The organisation row is global to a database, so rotation gets a database of its own.
describe('intake key rotation', () => {
  let scratch: ScratchDatabase;
  let db: pg.Client;
  let app: NestFastifyApplication;
  let staff: TestStaff;
  let org: TestIntakeOrg;
  let a: Person;
  let b: Person;
  let c: Person;
  let worker: Person;

  beforeAll(async () => {
    await initCrypto();
    scratch = await scratchDatabase();
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    app = await startTestApp({ config: { databaseUrl: scratch.url, intakeRateLimit: 10_000 } });
    staff = await seedStaff(db, {
      a: 'coordinator',
      b: 'coordinator',
      c: 'coordinator',
      worker: 'caseworker',
    });
    a = person(staff, 'a');
    b = person(staff, 'b');
    c = person(staff, 'c');
    worker = person(staff, 'worker');
    org = await seedIntakeOrganisation(db, staff);
    // The setup admin hands the key to A and B (C never received it).
    const handed = await call(app, staff.admin, routes.grantIntakeKey, {
      body: {
        version: 1,
        grants: [a, b].map((p) => ({
          userId: p.id,
          envelope: intakeGrant(org.intake.privateKey, p, staff.admin),
        })),
      },
    });
    expect(handed.body).toMatchObject({ granted: 2 });
  });

  afterAll(async () => {
    await app.close();
    await db.end();
    await scratch.drop();
  });

  const post = (url: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': newIdempotencyKey() },
    });

  const count = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ n: number }>(sql, params)).rows[0].n;

  const audited = (action: string, outcome = 'ok') =>
    count('SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND outcome = $2', [
      action,
      outcome,
    ]);

  /** Everything a rotation must keep unchanged when it refuses. */
  const snapshot = async () =>
    (
      await db.query<{ s: string }>(
        `SELECT (SELECT intake_key_version FROM organisation)::text
             || (SELECT encode(intake_box_pk, 'hex') FROM organisation)
             || (SELECT string_agg(encode(sha256(envelope), 'hex') || key_version, ',' ORDER BY id)
                   FROM intake_submission)
             || (SELECT string_agg(encode(sha256(envelope), 'hex') || key_version, ',' ORDER BY id)
                   FROM intake_message)
             || (SELECT string_agg(user_id::text || key_version, ',' ORDER BY user_id)
                   FROM intake_key_grant) AS s`,
      )
    ).rows[0].s;

  const pending = async (who: Person): Promise<Pending> => {
    const res = await call(app, who, routes.intakeRotationPending);
    expect(res.status).toBe(200);
    return res.body as unknown as Pending;
  };

  /** Opens a row with `from`; null for junk that opens with no key. */
  const tryOpen = (r: Row, from: BoxKeyPair) => {
    try {
      return openIntakeSubmission(fromBase64(r.envelope), from);
    } catch {
      return null;
    }
  };

  /** What the proposing coordinator's worker does: re-seal every pending row to `next`. */
  const reseal = (rows: Row[], from: BoxKeyPair, next: BoxKeyPair) =>
    rows.flatMap((r) => {
      const opened = tryOpen(r, from);
      return opened
        ? [{ id: r.id, envelope: toBase64(sealIntakeSubmission(opened, next.publicKey)) }]
        : [];
    });
  const unreadable = (rows: Row[], from: BoxKeyPair) =>
    rows.filter((r) => tryOpen(r, from) === null).map((r) => r.id);

  const proposal = (p: Pending, from: BoxKeyPair, next: BoxKeyPair, by: Person, to: Person[]) => ({
    fromVersion: p.version,
    intakePublicKey: toBase64(next.publicKey),
    submissions: reseal(p.submissions, from, next),
    followUps: reseal(p.followUps, from, next),
    unreadable: {
      submissions: unreadable(p.submissions, from),
      followUps: unreadable(p.followUps, from),
    },
    grants: to.map((g) => ({
      userId: g.id,
      envelope: intakeGrant(next.privateKey, g, by, p.version + 1),
    })),
  });

  it('refuses the wrong roles and coordinators who do not hold the key', async () => {
    for (const who of [worker, staff.admin]) {
      expect((await call(app, who, routes.intakeRotationPending)).status).toBe(403);
      expect(
        (await call(app, who, routes.proposeIntakeRotation, { body: { fromVersion: 1 } })).status,
      ).toBe(403);
    }
    for (const who of [worker, a]) {
      const res = await call(app, who, routes.approveIntakeRotation, {
        body: { rotationId: crypto.randomUUID(), signature: toBase64(new Uint8Array(64)) },
      });
      expect(res.status).toBe(403);
    }
    expect((await call(app, null, routes.intakeRotationPending)).status).toBe(401);
    // C is a coordinator without the key: cannot read the sealed rows to re-seal them.
    expect((await call(app, c, routes.intakeRotationPending)).status).toBe(403);
    expect(await audited('intake_key.rotation_read', 'denied:not_holder')).toBe(1);
  });

  it('rotates after a holder leaves: proposal, refusals without partial writes, commit', async () => {
    // Two submissions and a follow-up, sealed to the current key.
    const first = sealForm(org, { v: 1, kind: 'submission', happened: 'first' }, 'critical');
    const second = sealForm(org, { v: 1, kind: 'submission', happened: 'second' }, 'routine');
    for (const s of [first, second]) {
      expect((await post(routes.submitIntake.path, s.body)).statusCode).toBe(201);
    }
    const followUp = sealForm(
      org,
      { v: 1, kind: 'follow_up', text: 'still here' },
      'routine',
      first.code,
    );
    expect(
      (
        await post(routes.intakeFollowUp.path, {
          lookupId: followUp.body.lookupId,
          envelope: followUp.body.envelope,
          replyPublicKey: followUp.body.replyPublicKey,
          keyVersion: 1,
        })
      ).statusCode,
    ).toBe(201);

    // Junk of the right shape, which opens with no key: the rotation deletes it.
    const junk = sealForm(org, {}, 'routine');
    junk.body.envelope = toBase64(
      new Uint8Array([1, 4, ...randomBytes(fromBase64(junk.body.envelope).length - 2)]),
    );
    expect((await post(routes.submitIntake.path, junk.body)).statusCode).toBe(201);

    // B leaves: the grant goes at once and the rotation is due.
    await db.query(
      "UPDATE app_user SET status = 'disabled', disabled_on = current_date WHERE id = $1",
      [b.id],
    );
    expect((await call(app, a, routes.intakeKeyStatus)).body).toMatchObject({
      rotationDue: true,
      proposal: null,
    });

    const rows = await pending(a);
    expect(rows).toMatchObject({ version: 1 });
    expect(rows.submissions).toHaveLength(3);
    expect(rows.followUps).toHaveLength(1);
    expect(await audited('intake_key.rotation_read')).toBe(1);

    const next = generateIntakeKeyPair();
    const before = await snapshot();

    // Incomplete re-seal set: 409, nothing stored.
    const partial = proposal(rows, org.intake, next, a, [a, c]);
    partial.submissions = partial.submissions.slice(1);
    const refused = await call(app, a, routes.proposeIntakeRotation, { body: partial });
    expect(refused.status).toBe(409);
    expect(String(refused.body.message)).toMatch(/missing/);
    expect(await count('SELECT count(*)::int AS n FROM intake_key_rotation')).toBe(0);
    expect(await audited('intake_key.rotation_propose', 'denied:incomplete')).toBe(1);
    // Every certified, active coordinator must get the new key (C was left out).
    const withoutC = await call(app, a, routes.proposeIntakeRotation, {
      body: proposal(rows, org.intake, next, a, [a]),
    });
    expect(withoutC.status).toBe(409);
    // The leaver may not receive it.
    const toLeaver = await call(app, a, routes.proposeIntakeRotation, {
      body: proposal(rows, org.intake, next, a, [a, b, c]),
    });
    expect(toLeaver.status).toBe(400);
    // A re-sealed row must keep its padded size.
    const resized = proposal(rows, org.intake, next, a, [a, c]);
    resized.submissions[0].envelope = toBase64(
      sealIntakeSubmission(
        { payload: new Uint8Array(2000), replyPublicKey: new Uint8Array(32) },
        next.publicKey,
      ),
    );
    expect((await call(app, a, routes.proposeIntakeRotation, { body: resized })).status).toBe(400);
    // Another version than the current one.
    const stale = { ...proposal(rows, org.intake, next, a, [a, c]), fromVersion: 2 };
    expect((await call(app, a, routes.proposeIntakeRotation, { body: stale })).status).toBe(409);
    expect(await snapshot()).toBe(before);

    // The proposal.
    const proposed = await call(app, a, routes.proposeIntakeRotation, {
      body: proposal(rows, org.intake, next, a, [a, c]),
    });
    expect(proposed.status).toBe(201);
    const rotationId = proposed.body.rotationId as string;
    expect(proposed.body).toEqual({ rotationId, version: 2 });
    expect(await snapshot()).toBe(before); // nothing changes until the root signs
    const seen = await call(app, staff.admin, routes.intakeKeyStatus);
    expect(seen.body.proposal).toMatchObject({
      id: rotationId,
      fromVersion: 1,
      intakePublicKey: toBase64(next.publicKey),
      proposedBy: { id: a.id },
      outdated: false,
    });

    // A signature by another root: 400, nothing written.
    const forged = await call(app, staff.admin, routes.approveIntakeRotation, {
      body: {
        rotationId,
        signature: toBase64(signIntakeKey(next.publicKey, generateSignKeyPair())),
      },
    });
    expect(forged.status).toBe(400);
    expect(await audited('intake_key.rotation_approve', 'denied:bad_signature')).toBe(1);
    expect(await snapshot()).toBe(before);

    // A submission sealed to the old key arrives after the proposal: the commit refuses (409)
    // and writes nothing; the status says the proposal is outdated.
    const late = sealForm(org, { v: 1, kind: 'submission', happened: 'late' }, 'urgent');
    expect((await post(routes.submitIntake.path, late.body)).statusCode).toBe(201);
    const withLate = await snapshot();
    const signature = toBase64(signIntakeKey(next.publicKey, staff.org.root));
    const outdated = await call(app, staff.admin, routes.approveIntakeRotation, {
      body: { rotationId, signature },
    });
    expect(outdated.status).toBe(409);
    expect(String(outdated.body.message)).toMatch(/start the rotation again/);
    expect(await snapshot()).toBe(withLate);
    expect((await call(app, a, routes.intakeKeyStatus)).body.proposal).toMatchObject({
      outdated: true,
    });

    // Proposed again (replacing the old proposal), then approved.
    const again = await pending(a);
    expect(again.submissions).toHaveLength(4);
    const next2 = generateIntakeKeyPair();
    const reproposed = await call(app, a, routes.proposeIntakeRotation, {
      body: proposal(again, org.intake, next2, a, [a, c]),
    });
    expect(reproposed.status).toBe(201);
    expect(await count('SELECT count(*)::int AS n FROM intake_key_rotation')).toBe(1);
    const rotationId2 = reproposed.body.rotationId as string;
    const approved = await call(app, staff.admin, routes.approveIntakeRotation, {
      body: {
        rotationId: rotationId2,
        signature: toBase64(signIntakeKey(next2.publicKey, staff.org.root)),
      },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ rotationId: rotationId2, version: 2 });
    expect(await audited('intake_key.rotation_approve')).toBe(1);
    expect(await audited('intake_key.rotate')).toBe(1);
    expect(await audited('intake_key.rotation_propose')).toBe(2);
    expect(await audited('intake_key.rotation_discard')).toBe(1);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM intake_submission WHERE lookup_id = decode($1, 'hex')",
        [junk.body.lookupId],
      ),
    ).toBe(0);

    // The organisation's key, the grants and every pending row moved to version 2.
    const status = await call(app, a, routes.intakeKeyStatus);
    expect(status.body).toMatchObject({
      version: 2,
      intakePublicKey: toBase64(next2.publicKey),
      rotationDue: false,
      proposal: null,
    });
    verifyIntakeKey(
      next2.publicKey,
      fromBase64(status.body.intakeKeySignature as string),
      staff.org.root.publicKey,
    );
    expect(
      (await db.query('SELECT user_id, key_version FROM intake_key_grant ORDER BY user_id')).rows,
    ).toEqual(
      [a, c]
        .map((p) => ({ user_id: p.id, key_version: 2 }))
        .sort((x, y) => x.user_id.localeCompare(y.user_id)),
    );
    // C can open the grant A sealed, and gets the new key.
    const cStatus = await call(app, c, routes.intakeKeyStatus);
    expect((cStatus.body.granter as { id: string }).id).toBe(a.id);
    const secret = openIntakeGrant(fromBase64(cStatus.body.grant as string), c, a, 2);
    expect(intakeKeyPairFromSecret(secret, next2.publicKey).publicKey).toEqual(next2.publicKey);
    expect(await count('SELECT count(*)::int AS n FROM intake_key_rotation')).toBe(0);
    expect(
      await count(`SELECT count(*)::int AS n FROM intake_submission WHERE key_version <> 2`),
    ).toBe(0);

    // Every earlier row opens with the new key, with the reply key inside unchanged; the old
    // key opens none of them.
    const queue = await call(app, a, routes.triageQueue);
    const subs = queue.body.submissions as Row[];
    expect(subs).toHaveLength(3);
    const opened = subs.map((s) => openQueued(fromBase64(s.envelope), next2));
    expect(opened.map((o) => o.content.happened).sort()).toEqual(['first', 'late', 'second']);
    expect(opened.find((o) => o.content.happened === 'first')?.replyPublicKey).toBe(
      first.body.replyPublicKey,
    );
    for (const s of subs) {
      expect(() => openIntakeSubmission(fromBase64(s.envelope), org.intake)).toThrow();
    }
    const msg = (
      await db.query<{ envelope: Buffer; key_version: number }>(
        "SELECT envelope, key_version FROM intake_message WHERE direction = 'from_person'",
      )
    ).rows;
    expect(msg).toHaveLength(1);
    expect(msg[0].key_version).toBe(2);
    expect(openQueued(msg[0].envelope, next2).content).toMatchObject({ text: 'still here' });

    // Approving the same proposal again: it is gone.
    expect(
      (
        await call(app, staff.admin, routes.approveIntakeRotation, {
          body: { rotationId: rotationId2, signature },
        })
      ).status,
    ).toBe(404);

    // The intake page gets the new key and version; old-key submissions and follow-ups get 409.
    const key = await app.inject({ method: 'GET', url: routes.intakeKey.path });
    expect(key.json()).toMatchObject({ intakePublicKey: toBase64(next2.publicKey), keyVersion: 2 });
    const oldKey = sealForm(org, { v: 1, kind: 'submission', happened: 'old key' }, 'urgent');
    const rotated = await post(routes.submitIntake.path, oldKey.body);
    expect(rotated.statusCode).toBe(409);
    expect(rotated.json()).toMatchObject({ code: INTAKE_KEY_ROTATED });
    const oldFollowUp = await post(routes.intakeFollowUp.path, {
      lookupId: first.body.lookupId,
      envelope: oldKey.body.envelope,
      replyPublicKey: first.body.replyPublicKey,
      keyVersion: 1,
    });
    expect(oldFollowUp.statusCode).toBe(409);
    const newOrg: TestIntakeOrg = { ...org, intake: next2, version: 2 };
    const fresh = sealForm(newOrg, { v: 1, kind: 'submission', happened: 'new key' }, 'urgent');
    expect((await post(routes.submitIntake.path, fresh.body)).statusCode).toBe(201);
    expect(
      await count('SELECT count(*)::int AS n FROM intake_submission WHERE key_version = 2'),
    ).toBe(4);
    org = newOrg;
  });

  it('rotates on demand, without a leaver (e.g. a suspected compromise)', async () => {
    const status = await call(app, c, routes.intakeKeyStatus);
    expect(status.body).toMatchObject({ version: 2, rotationDue: false });
    const rows = await pending(c);
    const next = generateIntakeKeyPair();
    const proposed = await call(app, c, routes.proposeIntakeRotation, {
      body: proposal(rows, org.intake, next, c, [a, c]),
    });
    expect(proposed.status).toBe(201);
    const approved = await call(app, staff.admin, routes.approveIntakeRotation, {
      body: {
        rotationId: proposed.body.rotationId,
        signature: toBase64(signIntakeKey(next.publicKey, staff.org.root)),
      },
    });
    expect(approved.body).toMatchObject({ version: 3 });
    const grant = (await call(app, a, routes.intakeKeyStatus)).body;
    expect(grant).toMatchObject({ version: 3, intakePublicKey: toBase64(next.publicKey) });
    const secret = openIntakeGrant(fromBase64(grant.grant as string), a, c, 3);
    expect(intakeKeyPairFromSecret(secret, next.publicKey).publicKey).toEqual(next.publicKey);
    const subs = (await call(app, a, routes.triageQueue)).body.submissions as Row[];
    expect(
      subs.map((s) => openQueued(fromBase64(s.envelope), next).content.happened).sort(),
    ).toEqual(['first', 'late', 'new key', 'second']);
    // B, who left with the version-1 secret, opens nothing stored now.
    for (const s of subs) {
      expect(() => openIntakeSubmission(fromBase64(s.envelope), org.intake)).toThrow();
    }
    org = { ...org, intake: next, version: 3 };
  });

  it('an intake write in flight during the commit makes the commit wait, then refuse', async () => {
    const rows = await pending(a);
    const next = generateIntakeKeyPair();
    const proposed = await call(app, a, routes.proposeIntakeRotation, {
      body: proposal(rows, org.intake, next, a, [a, c]),
    });
    expect(proposed.status).toBe(201);
    // An intake transaction that has checked the key version (requireCurrentIntakeKeyVersion
    // takes FOR KEY SHARE) and not yet committed its row.
    const inflight = new pg.Client({ connectionString: scratch.url });
    await inflight.connect();
    try {
      await inflight.query('BEGIN');
      await inflight.query('SELECT intake_key_version FROM organisation FOR KEY SHARE');
      let settled = false;
      const approving = call(app, staff.admin, routes.approveIntakeRotation, {
        body: {
          rotationId: proposed.body.rotationId,
          signature: toBase64(signIntakeKey(next.publicKey, staff.org.root)),
        },
      }).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(settled).toBe(false); // the commit waits for the intake write
      const late = sealForm(org, { v: 1, kind: 'submission', happened: 'in flight' }, 'routine');
      await inflight.query(
        `INSERT INTO intake_thread (lookup_id, reply_public_key, created_on)
         VALUES ($1, $2, current_date)`,
        [Buffer.from(late.body.lookupId, 'hex'), Buffer.from(fromBase64(late.body.replyPublicKey))],
      );
      await inflight.query(
        `INSERT INTO intake_submission (lookup_id, envelope, urgency, received_on, key_version)
         VALUES ($1, $2, 'routine', current_date, 3)`,
        [Buffer.from(late.body.lookupId, 'hex'), Buffer.from(fromBase64(late.body.envelope))],
      );
      await inflight.query('COMMIT');
      expect((await approving).status).toBe(409);
    } finally {
      await inflight.end();
    }
    expect((await call(app, a, routes.intakeKeyStatus)).body).toMatchObject({
      version: 3,
      proposal: { outdated: true },
    });
  });
});
