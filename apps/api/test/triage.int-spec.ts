import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IntakeContactEntry, routes } from '@haven/contracts';
import {
  fromBase64,
  initCrypto,
  intakeKeyPairFromSecret,
  openReply,
  sealIntakeSubmission,
  sealReply,
  toBase64,
  utf8Decode,
  utf8Encode,
  verifyCertificateChain,
} from '@haven/crypto';
import pg from 'pg';
import {
  call,
  entryRef,
  newCase,
  open,
  person,
  seedStaff,
  type NewCase,
  type Person,
  type TestStaff,
} from './cases-fixtures';
import {
  newIdempotencyKey,
  sealForm,
  type SealedSubmission,
  type TestIntakeOrg,
} from './intake-fixtures';
import { scratchDatabase, startTestApp, type ScratchDatabase } from './support/test-app';
import {
  intakeEntry,
  intakeGrant,
  openIntakeGrant,
  openQueued,
  seedIntakeOrganisation,
} from './triage-fixtures';

interface QueueBody {
  submissions: { id: string; urgency: string; receivedOn: string; envelope: string }[];
  followUps: { id: string; caseCode: string; sentOn: string; envelope: string }[];
}

// The organisation row is global to a database, so triage gets a database of its own.
describe('triage of anonymous intake', () => {
  let scratch: ScratchDatabase;
  let db: pg.Client;
  let app: NestFastifyApplication;
  let staff: TestStaff;
  let org: TestIntakeOrg;
  let coord: Person;
  let coord2: Person;
  let worker: Person;
  let stranger: Person;

  beforeAll(async () => {
    await initCrypto();
    scratch = await scratchDatabase();
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    app = await startTestApp({ config: { databaseUrl: scratch.url, intakeRateLimit: 10_000 } });
    staff = await seedStaff(db, {
      coord: 'coordinator',
      coord2: 'coordinator',
      worker: 'caseworker',
      stranger: 'caseworker',
    });
    coord = person(staff, 'coord');
    coord2 = person(staff, 'coord2');
    worker = person(staff, 'worker');
    stranger = person(staff, 'stranger');
    org = await seedIntakeOrganisation(db, staff);
  });

  afterAll(async () => {
    await app.close();
    await db.end();
    await scratch.drop();
  });

  const submit = async (sealed: { body: unknown }) => {
    const res = await app.inject({
      method: 'POST',
      url: routes.submitIntake.path,
      payload: JSON.stringify(sealed.body),
      headers: { 'content-type': 'application/json', 'idempotency-key': newIdempotencyKey() },
    });
    expect(res.statusCode).toBe(201);
  };

  const queue = async (who: Person) => {
    const res = await call(app, who, routes.triageQueue);
    expect(res.status).toBe(200);
    return res.body as unknown as QueueBody;
  };

  /** Submits a form and finds it in the queue by what it says (the server cannot). */
  const submitAndFind = async (text: string, urgency: 'routine' | 'urgent' | 'critical') => {
    const sealed = sealForm(org, { v: 1, kind: 'submission', happened: text }, urgency);
    await submit(sealed);
    const found = (await queue(coord)).submissions.find(
      (s) => openQueued(fromBase64(s.envelope), org.intake).content.happened === text,
    );
    if (!found) throw new Error('submission not in the queue');
    return { sealed, item: found };
  };

  const count = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ n: number }>(sql, params)).rows[0].n;

  const audited = (action: string) =>
    count("SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND outcome = 'ok'", [
      action,
    ]);

  /** A case the coordinator opens from a submission: assigned to `worker`, supervised by coord. */
  const openCase = async (): Promise<NewCase & { code: string }> => {
    const c = newCase(coord, coord, { also: [worker] });
    // newCase seals to creator + supervisor + also; creator = supervisor here, so drop the twin.
    c.body.grants = c.body.grants.filter(
      (g, i, all) => all.findIndex((o) => o.userId === g.userId) === i,
    );
    c.body.assigneeId = worker.id;
    const res = await call(app, coord, routes.createCase, { body: c.body });
    expect(res.status).toBe(201);
    return { ...c, code: res.body.code as string };
  };

  describe('intake key handover', () => {
    it('goes from the setup admin to certified coordinators, then the admin copy is deleted', async () => {
      const before = await call(app, staff.admin, routes.intakeKeyStatus);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ version: 1, grant: null, held: true });
      const missingIds = (body: Record<string, unknown>) =>
        (body.missing as { id: string }[]).map((p) => p.id);
      expect(missingIds(before.body)).toEqual(expect.arrayContaining([coord.id, coord2.id]));
      expect(missingIds(before.body)).not.toContain(worker.id);

      // A caseworker may not receive the intake key, even sealed by the admin.
      const refused = await call(app, staff.admin, routes.grantIntakeKey, {
        body: {
          version: 1,
          grants: [
            { userId: worker.id, envelope: intakeGrant(org.intake.privateKey, coord, staff.admin) },
          ],
        },
      });
      expect(refused.status).toBe(400);

      const handed = await call(app, staff.admin, routes.grantIntakeKey, {
        body: {
          version: 1,
          grants: [
            { userId: coord.id, envelope: intakeGrant(org.intake.privateKey, coord, staff.admin) },
          ],
        },
      });
      expect(handed.status).toBe(200);
      expect(handed.body).toEqual({ version: 1, granted: 1, adminCopyDeleted: true });
      expect(
        await count('SELECT count(*)::int AS n FROM app_user WHERE wrapped_intake_key IS NOT NULL'),
      ).toBe(0);
      expect(await audited('intake_key.admin_copy_delete')).toBe(1);

      // The admin no longer holds it, so cannot hand it out again.
      const again = await call(app, staff.admin, routes.grantIntakeKey, {
        body: {
          version: 1,
          grants: [
            {
              userId: coord2.id,
              envelope: intakeGrant(org.intake.privateKey, coord2, staff.admin),
            },
          ],
        },
      });
      expect(again.status).toBe(403);

      // The coordinator's browser opens the grant and checks it against the pinned public key.
      const mine = await call(app, coord, routes.intakeKeyStatus);
      const granter = mine.body.granter as { id: string; certificateChain: string[] };
      expect(granter.id).toBe(staff.admin.id);
      // The granter's chain verifies against the root (the admin's: issued by the root itself).
      expect(
        verifyCertificateChain(granter.certificateChain.map(fromBase64), staff.org.root.publicKey, {
          subjectId: staff.admin.id,
          roles: ['admin'],
        }).subjectId,
      ).toBe(staff.admin.id);
      expect(missingIds(mine.body)).toEqual([coord2.id]);
      const secret = openIntakeGrant(fromBase64(mine.body.grant as string), coord, staff.admin);
      const pair = intakeKeyPairFromSecret(secret, fromBase64(mine.body.intakePublicKey as string));
      expect(pair.publicKey).toEqual(org.intake.publicKey);

      // A holder hands it on to the other coordinator.
      const onward = await call(app, coord, routes.grantIntakeKey, {
        body: {
          version: 1,
          grants: [{ userId: coord2.id, envelope: intakeGrant(secret, coord2, coord) }],
        },
      });
      expect(onward.body).toMatchObject({ granted: 1 });
      // A grant that claims another granter than the caller is refused.
      const forged = await call(app, coord2, routes.grantIntakeKey, {
        body: {
          version: 1,
          grants: [{ userId: coord.id, envelope: intakeGrant(secret, coord, staff.admin) }],
        },
      });
      expect(forged.status).toBe(400);
      // Caseworkers reach none of it.
      expect((await call(app, worker, routes.intakeKeyStatus)).status).toBe(403);
    });
  });

  describe('a coordinator who held the intake key leaves', () => {
    it('loses the grant at once, and the key is marked for rotation', async () => {
      // seedStaff makes its own admin and root; what matters here is the grant row.
      const leaver = await seedStaff(db, { leaver: 'coordinator' });
      const gone = person(leaver, 'leaver');
      await db.query(
        `INSERT INTO intake_key_grant (user_id, key_version, envelope, granted_by, created_on)
         VALUES ($1, 1, $2, $3, current_date)`,
        [
          gone.id,
          Buffer.from(fromBase64(intakeGrant(org.intake.privateKey, gone, leaver.admin))),
          leaver.admin.id,
        ],
      );
      expect((await call(app, coord, routes.intakeKeyStatus)).body.rotationDue).toBe(false);
      await db.query(
        "UPDATE app_user SET status = 'disabled', disabled_on = current_date WHERE id = $1",
        [gone.id],
      );
      expect(
        await count('SELECT count(*)::int AS n FROM intake_key_grant WHERE user_id = $1', [
          gone.id,
        ]),
      ).toBe(0);
      expect((await call(app, coord, routes.intakeKeyStatus)).body.rotationDue).toBe(true);
      // Other coordinators keep theirs.
      expect(
        await count('SELECT count(*)::int AS n FROM intake_key_grant WHERE user_id = $1', [
          coord.id,
        ]),
      ).toBe(1);
    });
  });

  describe('queue', () => {
    it('lists sealed submissions most urgent first, for coordinators only, audited', async () => {
      const reads = await audited('intake.read');
      const routine = await submitAndFind('routine case', 'routine');
      const critical = await submitAndFind('critical case', 'critical');
      const urgent = await submitAndFind('urgent case', 'urgent');
      const ids = (await queue(coord)).submissions.map((s) => s.id);
      expect(ids.indexOf(critical.item.id)).toBeLessThan(ids.indexOf(urgent.item.id));
      expect(ids.indexOf(urgent.item.id)).toBeLessThan(ids.indexOf(routine.item.id));
      expect(critical.item.receivedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await audited('intake.read')).toBeGreaterThan(reads);
      expect((await call(app, worker, routes.triageQueue)).status).toBe(403);
      expect((await call(app, staff.admin, routes.triageQueue)).status).toBe(403);
      expect((await call(app, null, routes.triageQueue)).status).toBe(401);
    });
  });

  describe('convert, reply, follow-up', () => {
    let sealed: SealedSubmission;
    let c: NewCase & { code: string };
    let replyKey: string;

    it('converts a submission into a case in one audited step', async () => {
      const found = await submitAndFind('They took my phone. I need to leave Grozny.', 'critical');
      sealed = found.sealed;
      const opened = openQueued(fromBase64(found.item.envelope), org.intake);
      replyKey = opened.replyPublicKey;
      // The reply key inside the sealed box is the one the person derived from the code.
      expect(replyKey).toBe(toBase64(sealed.keys.reply.publicKey));

      c = await openCase();
      const entry = intakeEntry(c.key, 'submission', String(opened.content.happened), replyKey);
      // Someone without a grant on the case gets 404, and nothing changes.
      const foreign = newCase(stranger, coord2);
      expect((await call(app, stranger, routes.createCase, { body: foreign.body })).status).toBe(
        201,
      );
      const strangerCode = (
        await db.query<{ code: string }>('SELECT code FROM case_file WHERE id = $1', [foreign.id])
      ).rows[0].code;
      const notMine = await call(app, coord, routes.linkSubmission, {
        params: { submissionId: found.item.id },
        body: { mode: 'convert', caseCode: strangerCode, entry },
      });
      expect(notMine.status).toBe(404);

      const res = await call(app, coord, routes.linkSubmission, {
        params: { submissionId: found.item.id },
        body: { mode: 'convert', caseCode: c.code, entry },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'done', caseCode: c.code });
      expect(
        await count('SELECT count(*)::int AS n FROM intake_submission WHERE id = $1', [
          found.item.id,
        ]),
      ).toBe(0);
      expect(
        await count('SELECT count(*)::int AS n FROM intake_thread WHERE case_id = $1', [c.id]),
      ).toBe(1);
      expect(await audited('intake.convert')).toBe(1);
      // Triaged once only.
      const twice = await call(app, coord, routes.linkSubmission, {
        params: { submissionId: found.item.id },
        body: {
          mode: 'convert',
          caseCode: c.code,
          entry: intakeEntry(c.key, 'submission', 'x', replyKey),
        },
      });
      expect(twice.status).toBe(404);

      // The caseworker reads the submission as an intake entry of the case.
      const detail = await call(app, worker, routes.getCase, { params: { code: c.code } });
      const entries = detail.body.entries as { id: string; envelope: string }[];
      const stored = entries.find((e) => e.id === entry.id);
      if (!stored) throw new Error('entry missing');
      const content = IntakeContactEntry.parse(
        open(c.key, entryRef('contact', entry.id), stored.envelope),
      );
      expect(content.intake.replyPublicKey).toBe(replyKey);
      expect(content.summary).toContain('Grozny');
    });

    it('lets the caseworker reply from the case, and the person read it with the code', async () => {
      const threads = await call(app, worker, routes.caseThreads, { params: { code: c.code } });
      expect(threads.status).toBe(200);
      expect(threads.body.threads).toEqual([
        { replyPublicKey: replyKey, messages: [], pendingFollowUps: 0 },
      ]);
      const text = 'We read you. Write to us when it is safe.';
      const envelope = toBase64(
        sealReply(utf8Encode(JSON.stringify({ v: 1, text })), fromBase64(replyKey)),
      );
      const body = {
        replyPublicKey: replyKey,
        envelope,
        entry: intakeEntry(c.key, 'reply', text, replyKey),
      };
      // Not on a case the caller has no grant for; not malformed; not to another key.
      expect(
        (await call(app, stranger, routes.replyToCase, { params: { code: c.code }, body })).status,
      ).toBe(404);
      expect(
        (
          await call(app, worker, routes.replyToCase, {
            params: { code: c.code },
            body: { ...body, envelope: toBase64(utf8Encode('not a reply envelope at all')) },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await call(app, worker, routes.replyToCase, {
            params: { code: c.code },
            body: { ...body, replyPublicKey: toBase64(org.intake.publicKey) },
          })
        ).status,
      ).toBe(409);
      const sent = await call(app, worker, routes.replyToCase, { params: { code: c.code }, body });
      expect(sent.status).toBe(201);
      expect(await audited('case.reply')).toBe(1);

      const read = await app.inject({
        method: 'POST',
        url: routes.intakeThread.path,
        payload: { lookupId: sealed.keys.lookupId },
      });
      const messages = read.json<{ messages: { direction: string; envelope: string | null }[] }>()
        .messages;
      expect(messages).toHaveLength(1);
      expect(messages[0].direction).toBe('from_staff');
      const opened = JSON.parse(
        utf8Decode(openReply(fromBase64(messages[0].envelope as string), sealed.keys.reply)),
      ) as { text: string };
      expect(opened.text).toBe(text);
    });

    it("files the person's follow-up into the case", async () => {
      const followUp = sealIntakeSubmission(
        {
          payload: utf8Encode(
            JSON.stringify({ v: 1, kind: 'follow_up', text: 'I am at my aunt’s now' }),
          ),
          replyPublicKey: sealed.keys.reply.publicKey,
        },
        org.intake.publicKey,
      );
      const posted = await app.inject({
        method: 'POST',
        url: routes.intakeFollowUp.path,
        payload: JSON.stringify({
          lookupId: sealed.keys.lookupId,
          envelope: toBase64(followUp),
          replyPublicKey: toBase64(sealed.keys.reply.publicKey),
          keyVersion: 1,
        }),
        headers: { 'content-type': 'application/json', 'idempotency-key': newIdempotencyKey() },
      });
      expect(posted.statusCode).toBe(201);
      const threads = await call(app, worker, routes.caseThreads, { params: { code: c.code } });
      expect(threads.body.threads).toMatchObject([{ pendingFollowUps: 1 }]);

      const item = (await queue(coord)).followUps.find((f) => f.caseCode === c.code);
      if (!item) throw new Error('follow-up not queued');
      // Only coordinators with a grant on the case see it.
      expect((await queue(coord2)).followUps.find((f) => f.id === item.id)).toBeUndefined();
      const opened = openQueued(fromBase64(item.envelope), org.intake);
      const entry = intakeEntry(c.key, 'follow_up', String(opened.content.text), replyKey);
      expect(
        (
          await call(app, coord2, routes.fileFollowUp, {
            params: { messageId: item.id },
            body: { entry },
          })
        ).status,
      ).toBe(404);
      const filed = await call(app, coord, routes.fileFollowUp, {
        params: { messageId: item.id },
        body: { entry },
      });
      expect(filed.status).toBe(200);
      expect(
        await count('SELECT count(*)::int AS n FROM intake_message WHERE id = $1', [item.id]),
      ).toBe(0);
      expect(await audited('intake.file')).toBe(1);
      const after = await call(app, worker, routes.caseThreads, { params: { code: c.code } });
      expect(after.body.threads).toMatchObject([{ pendingFollowUps: 0 }]);
    });

    it('merges a second submission into the existing case', async () => {
      const found = await submitAndFind('Second message, other code', 'urgent');
      const opened = openQueued(fromBase64(found.item.envelope), org.intake);
      const res = await call(app, coord, routes.linkSubmission, {
        params: { submissionId: found.item.id },
        body: {
          mode: 'merge',
          caseCode: c.code,
          entry: intakeEntry(
            c.key,
            'submission',
            String(opened.content.happened),
            opened.replyPublicKey,
          ),
        },
      });
      expect(res.status).toBe(200);
      expect(await audited('intake.merge')).toBe(1);
      const threads = await call(app, worker, routes.caseThreads, { params: { code: c.code } });
      expect((threads.body.threads as unknown[]).length).toBe(2);
    });
  });

  describe('spam and delete', () => {
    it('deletes the submission and its unlinked thread, audited, once', async () => {
      for (const reason of ['spam', 'delete'] as const) {
        const found = await submitAndFind(`junk ${reason}`, 'routine');
        const lookup = Buffer.from(found.sealed.keys.lookupId, 'hex');
        expect(
          (
            await call(app, worker, routes.discardSubmission, {
              params: { submissionId: found.item.id },
              body: { reason },
            })
          ).status,
        ).toBe(403);
        const res = await call(app, coord, routes.discardSubmission, {
          params: { submissionId: found.item.id },
          body: { reason },
        });
        expect(res.status).toBe(200);
        expect(
          await count('SELECT count(*)::int AS n FROM intake_thread WHERE lookup_id = $1', [
            lookup,
          ]),
        ).toBe(0);
        expect(await audited(`intake.${reason}`)).toBe(1);
        const again = await call(app, coord, routes.discardSubmission, {
          params: { submissionId: found.item.id },
          body: { reason },
        });
        expect(again.status).toBe(404);
      }
    });

    it('refuses bad input with 400 and no change', async () => {
      const res = await call(app, coord, routes.discardSubmission, {
        params: { submissionId: 'not-a-uuid' },
        body: { reason: 'spam' },
      });
      expect(res.status).toBe(400);
      const bad = await call(app, coord, routes.linkSubmission, {
        params: { submissionId: crypto.randomUUID() },
        body: { mode: 'steal', caseCode: 'nope' },
      });
      expect(bad.status).toBe(400);
    });
  });
});
