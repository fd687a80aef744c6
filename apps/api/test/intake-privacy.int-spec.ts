import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes } from '@haven/contracts';
import { initCrypto } from '@haven/crypto';
import {
  dumpDatabase,
  newIdempotencyKey,
  seedOrganisation,
  sealForm,
  type TestIntakeOrg,
} from './intake-fixtures';
import {
  LogCollector,
  type ScratchDatabase,
  scratchDatabase,
  startTestApp,
} from './support/test-app';

const ADDRESS = '203.0.113.77';
const TYPED = 'Canary-Ахмед-7f3a9 was taken from Grozny';
const AGENT = 'Mozilla/5.0 (Linux; Android 13) HavenAgentCanary/9.1';

/** Every form a value could take in a dump or a log line. */
function encodings(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [
    value,
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    encodeURIComponent(value),
  ];
}

describe('the intake keeps nothing about the sender', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;
  let org: TestIntakeOrg;
  const logs = new LogCollector();

  beforeAll(async () => {
    await initCrypto();
    db = await scratchDatabase();
    app = await startTestApp({
      config: { databaseUrl: db.url, logLevel: 'info', intakeRateLimit: 5 },
      logDestination: logs,
    });
    org = await seedOrganisation(db.url);
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const identifying = {
    'x-forwarded-for': ADDRESS,
    'x-real-ip': ADDRESS,
    forwarded: `for=${ADDRESS}`,
    'user-agent': AGENT,
    'content-type': 'application/json',
  };

  it('logs no line for handled intake requests and nothing identifying for any', async () => {
    logs.lines.length = 0;
    const sealed = sealForm(org, { happened: TYPED, contact: TYPED }, 'urgent');
    const key = newIdempotencyKey();
    const send = (url: string, payload: unknown, idempotencyKey?: string) =>
      app.inject({
        method: 'POST',
        url,
        payload: JSON.stringify(payload),
        remoteAddress: ADDRESS,
        headers: {
          ...identifying,
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
      });

    const answers = [
      await send(routes.submitIntake.path, sealed.body, key),
      await send(routes.submitIntake.path, sealed.body, key), // replay
      await send(routes.submitIntake.path, { ...sealed.body, urgency: 'routine' }, key), // 409
      await send(
        routes.submitIntake.path,
        { ...sealed.body, envelope: 'AQQ' },
        newIdempotencyKey(),
      ),
      await send(routes.intakeThread.path, { lookupId: sealed.keys.lookupId }),
      await send(
        routes.intakeFollowUp.path,
        {
          lookupId: sealed.keys.lookupId,
          envelope: sealForm(org, { followUp: TYPED }, 'routine', sealed.code).body.envelope,
          replyPublicKey: sealed.body.replyPublicKey,
          keyVersion: 1,
        },
        newIdempotencyKey(),
      ),
      await send(routes.submitIntake.path, sealed.body, newIdempotencyKey()), // the sixth write: 429
      await app.inject({ method: 'GET', url: routes.intakeKey.path, headers: identifying }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 409, 400, 200, 201, 429, 200]);

    // A control request outside the intake is logged as usual, so the collector works.
    await app.inject({ method: 'GET', url: routes.health.path, headers: identifying });
    const entries = logs.entries();
    expect(entries.map((e) => (e.req as { route?: string } | undefined)?.route)).toEqual([
      routes.health.path,
    ]);

    const text = logs.lines.join('\n');
    for (const leak of [
      ...encodings(TYPED),
      ...encodings(ADDRESS),
      ...encodings(AGENT),
      'HavenAgentCanary',
      sealed.keys.lookupId,
      sealed.body.envelope.slice(0, 40),
      sealed.body.replyPublicKey,
      key,
    ]) {
      expect({ leak, found: text.includes(leak) }).toEqual({ leak, found: false });
    }
  });

  it('leaves neither the address, the user agent nor the typed text in the database', async () => {
    const sealed = sealForm(org, { happened: TYPED }, 'critical');
    const res = await app.inject({
      method: 'POST',
      url: routes.submitIntake.path,
      payload: JSON.stringify(sealed.body),
      remoteAddress: '198.51.100.200',
      headers: { ...identifying, 'idempotency-key': newIdempotencyKey() },
    });
    expect(res.statusCode).toBe(201);

    const dump = await dumpDatabase(db.url);
    expect(dump).toContain('intake_submission');
    expect(dump.length).toBeGreaterThan(2000);
    for (const leak of [
      ...encodings(TYPED),
      'Canary',
      ...encodings(ADDRESS),
      '198.51.100.200',
      ...encodings(AGENT),
      'HavenAgentCanary',
    ]) {
      expect({ leak, found: dump.includes(leak) }).toEqual({ leak, found: false });
    }
  });
});
