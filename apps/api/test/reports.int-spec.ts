/**
 * Aggregate reports against PostgreSQL: counts by status and priority with small counts
 * suppressed (and no hidden count recoverable from a shown total), the median time from intake
 * to first contact, who may read them, and that they name no case.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes, SUPPRESSED, type ReportCount, type ReportSummary } from '@haven/contracts';
import { initCrypto } from '@haven/crypto';
import pg from 'pg';
import { call, person, seedStaff, type Person } from './cases-fixtures';
import { scratchDatabase, startTestApp, type ScratchDatabase } from './support/test-app';

let db: ScratchDatabase;
let app: NestFastifyApplication;
let client: pg.Client;
let coordinator: Person;
let caseworker: Person;
let auditor: Person;
let admin: Person;
const codes: string[] = [];

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const code = () =>
  [4, 4]
    .map((n) =>
      Array.from({ length: n }, () => ALPHABET[randomBytes(1)[0] % ALPHABET.length]).join(''),
    )
    .join('-');
const envelope = () => Buffer.concat([Buffer.from([1, 1]), randomBytes(60)]);

/** A case row as the cases feature stores it (the envelope bytes are only shaped right). */
async function insertCase(
  status: string,
  priority: string,
  createdOn: string,
  firstContactAfter: number | null = null,
  intakeDaysBefore: number | null = null,
): Promise<string> {
  const id = randomUUID();
  const caseCode = code();
  codes.push(caseCode);
  await client.query(
    `INSERT INTO case_file (id, code, status, priority, assignee_id, supervisor_id,
        profile_envelope, summary_envelope, created_on, updated_on, closed_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $9::date,
             CASE WHEN $3 = 'closed' THEN $9::date END)`,
    [
      id,
      caseCode,
      status,
      priority,
      caseworker.id,
      coordinator.id,
      envelope(),
      envelope(),
      createdOn,
    ],
  );
  if (firstContactAfter !== null) {
    await client.query(
      `INSERT INTO case_entry (id, case_id, ordinal, kind, envelope, key_version, author_id,
          created_on, updated_on)
       VALUES ($1, $2, 1, 'contact', $3, 1, $4, $5::date + $6::int, $5::date + $6::int)`,
      [randomUUID(), id, envelope(), caseworker.id, createdOn, firstContactAfter],
    );
  }
  if (intakeDaysBefore !== null) {
    await client.query(
      `INSERT INTO intake_thread (lookup_id, reply_public_key, created_on, case_id)
       VALUES ($1, $2, $3::date - $4::int, $5)`,
      [randomBytes(16), randomBytes(32), createdOn, intakeDaysBefore, id],
    );
  }
  return id;
}

/** A referral row as the referrals feature stores it; completed ones get their transition. */
async function insertReferral(
  caseId: string,
  service: string,
  status: string,
  createdOn: string,
  completedAfter: number | null = null,
): Promise<void> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO referral (id, case_id, service, urgency, status, proposed_by, fields,
        reason_envelope, reason_key_version, created_on, updated_on)
     VALUES ($1, $2, $3, 'urgent', $4, $5, '{needs}', $6, 1, $7::date, $7::date)`,
    [id, caseId, service, status, caseworker.id, envelope(), createdOn],
  );
  if (completedAfter !== null) {
    await client.query(
      `INSERT INTO referral_transition (id, referral_id, seq, from_status, to_status, actor_id, day)
       VALUES ($1, $2, 1, 'in_progress', 'completed', $3, $4::date + $5::int)`,
      [randomUUID(), id, caseworker.id, createdOn, completedAfter],
    );
  }
}

async function summary(who: Person, query: Record<string, string> = {}) {
  return call(app, who, routes.reportSummary, { query });
}

beforeAll(async () => {
  await initCrypto();
  db = await scratchDatabase();
  app = await startTestApp({ config: { databaseUrl: db.url } });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const staff = await seedStaff(client, {
    coordinator: 'coordinator',
    caseworker: 'caseworker',
    auditor: 'auditor',
  });
  coordinator = person(staff, 'coordinator');
  caseworker = person(staff, 'caseworker');
  auditor = person(staff, 'auditor');
  admin = staff.admin;
  // 18 cases: new × urgent 7, active × routine 3, referred × urgent 2, closed × critical 6.
  // First contact after 0, 1, 1, 2, 3 and 10 days, and one case from an intake thread four
  // days before the case was opened, contacted that day (4 days): median 2.
  const contactDays = [0, 1, 1, 2, 3, 10];
  for (let i = 0; i < 7; i++) {
    await insertCase('new', 'urgent', '2025-02-10', contactDays[i] ?? null, null);
  }
  await insertCase('active', 'routine', '2025-02-11', 0, 4);
  await insertCase('active', 'routine', '2025-02-11');
  await insertCase('active', 'routine', '2025-03-01');
  await insertCase('referred', 'urgent', '2025-03-01');
  await insertCase('referred', 'urgent', '2025-03-01');
  let host = '';
  for (let i = 0; i < 6; i++) host = await insertCase('closed', 'critical', '2025-03-02');
  // Referrals: shelter × proposed 6, evacuation × completed 5 (after 2…6 days: median 4),
  // legal × cancelled 1.
  for (let i = 0; i < 6; i++) await insertReferral(host, 'shelter', 'proposed', '2025-02-10');
  for (let i = 0; i < 5; i++) {
    await insertReferral(host, 'evacuation', 'completed', '2025-02-10', i + 2);
  }
  await insertReferral(host, 'legal', 'cancelled', '2025-02-10');
});

afterAll(async () => {
  await client.end();
  await app.close();
  await db.drop();
});

describe('GET /api/reports/summary', () => {
  it('counts cases by status and priority, hiding 1-4 and whatever would give them away', async () => {
    const res = await summary(coordinator);
    expect(res.status).toBe(200);
    const report = res.body as unknown as ReportSummary;
    expect(report.suppressionThreshold).toBe(5);
    expect(report.cases.total).toBe(18);
    expect(report.cases.byStatus).toEqual([
      { status: 'new', count: 7 },
      { status: 'active', count: SUPPRESSED },
      { status: 'referred', count: SUPPRESSED },
      { status: 'closed', count: 6 },
    ]);
    // routine (3) is hidden; 18 − 9 − 6 would give it away, so critical is hidden too.
    expect(report.cases.byPriority).toEqual([
      { priority: 'routine', count: SUPPRESSED },
      { priority: 'urgent', count: 9 },
      { priority: 'critical', count: SUPPRESSED },
    ]);
    const cell = (status: string, priority: string): ReportCount | undefined =>
      report.cases.byStatusAndPriority.find((c) => c.status === status && c.priority === priority)
        ?.count;
    expect(cell('active', 'routine')).toBe(SUPPRESSED);
    expect(cell('referred', 'urgent')).toBe(SUPPRESSED);
    // urgent = 9 is shown: new × urgent (7) must go too, or 9 − 7 names referred × urgent.
    expect(cell('new', 'urgent')).toBe(SUPPRESSED);
    expect(cell('closed', 'critical')).toBe(6);

    // No shown total has exactly one hidden part.
    const shown = (v: ReportCount | undefined) => v !== SUPPRESSED;
    const sums: { total: ReportCount; parts: (ReportCount | undefined)[] }[] = [
      { total: report.cases.total, parts: report.cases.byStatus.map((s) => s.count) },
      { total: report.cases.total, parts: report.cases.byPriority.map((p) => p.count) },
      ...report.cases.byStatus.map((s) => ({
        total: s.count,
        parts: report.cases.byPriority.map((p) => cell(s.status, p.priority)),
      })),
      ...report.cases.byPriority.map((p) => ({
        total: p.count,
        parts: report.cases.byStatus.map((s) => cell(s.status, p.priority)),
      })),
    ];
    for (const sum of sums.filter((s) => shown(s.total))) {
      expect(sum.parts.filter((p) => !shown(p)).length).not.toBe(1);
    }
  });

  it('gives the median days from intake (or opening) to the first contact', async () => {
    const report = (await summary(auditor)).body as unknown as ReportSummary;
    expect(report.timings.intakeToFirstContact).toEqual({ medianDays: 2, cases: 7 });
  });

  it('hides a median of fewer than five cases, and filters by the day cases were opened', async () => {
    const res = await summary(auditor, { from: '2025-02-11', to: '2025-03-01' });
    const report = res.body as unknown as ReportSummary;
    expect(report.from).toBe('2025-02-11');
    expect(report.cases.total).toBe(5);
    expect(report.timings.intakeToFirstContact).toEqual({ medianDays: null, cases: SUPPRESSED });
  });

  it('counts referrals by service and status, suppressing small counts', async () => {
    const report = (await summary(coordinator)).body as unknown as ReportSummary;
    expect(report.unavailable).toEqual([]);
    const referrals = report.referrals;
    if (!referrals) throw new Error('no referrals section');
    expect(referrals.total).toBe(12);
    const byService = Object.fromEntries(referrals.byService.map((r) => [r.service, r.count]));
    expect(byService.shelter).toBe(6);
    expect(byService.legal).toBe(SUPPRESSED);
    expect(byService.medical).toBe(0);
    // The lone small count is not recoverable from the total: another one is hidden with it.
    expect(referrals.byService.filter((r) => r.count === SUPPRESSED).length).toBeGreaterThan(1);
    const cell = referrals.byTypeAndOutcome.find(
      (r) => r.type === 'shelter' && r.outcome === 'proposed',
    );
    expect(cell?.count).toBe(6);
    expect(referrals.byTypeAndOutcome.find((r) => r.type === 'legal')?.count).not.toBe(1);
    expect(referrals.toCompletion).toEqual({ medianDays: 4, cases: 5 });
    const filtered = (await summary(auditor, { from: '2025-03-01' }))
      .body as unknown as ReportSummary;
    expect(filtered.referrals?.total).toBe(0);
  });

  it('answers coordinators and auditors only, names no case, and refuses a reversed range', async () => {
    expect((await summary(caseworker)).status).toBe(403);
    expect((await summary(admin)).status).toBe(403);
    const text = JSON.stringify((await summary(auditor)).body);
    for (const c of codes) expect(text).not.toContain(c);
    const reversed = await summary(coordinator, { from: '2025-03-02', to: '2025-03-01' });
    expect(reversed.status).toBe(400);
  });
});
