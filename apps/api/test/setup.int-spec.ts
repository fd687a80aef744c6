import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routes } from '@haven/contracts';
import { hashSetupToken, issueSetupToken } from '../src/setup/setup-token';
import {
  type ScratchDatabase,
  scratchDatabase,
  startTestApp,
  withClient,
} from './support/test-app';

// Setup state is global to a database, so these tests get a database of their own.
describe('first-run setup state', () => {
  let db: ScratchDatabase;
  let app: NestFastifyApplication;

  beforeEach(async () => {
    db = await scratchDatabase();
    app = await startTestApp({ config: { databaseUrl: db.url } });
  });

  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const status = async () =>
    (await app.inject({ method: 'GET', url: routes.setupStatus.path })).json<unknown>();

  it('GET /api/setup/status reports setup required until it is completed', async () => {
    expect(await status()).toEqual({ setupRequired: true });
    await withClient(db.url, (c) =>
      c.query('UPDATE instance SET setup_completed_on = current_date'),
    );
    expect(await status()).toEqual({ setupRequired: false });
  });

  it('issueSetupToken stores only a hash, valid for 24 hours', async () => {
    await withClient(db.url, async (client) => {
      const token = await issueSetupToken((sql, params) => client.query(sql, params));
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const { rows } = await client.query<{
        token_hash: Buffer;
        ttl: number;
        used_at: Date | null;
      }>(
        `SELECT token_hash, extract(epoch FROM expires_at - now())::int AS ttl, used_at
           FROM setup_token`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toEqual(hashSetupToken(token!));
      expect(rows[0].ttl).toBe(24 * 3600);
      expect(rows[0].used_at).toBeNull();
      const dump = JSON.stringify(
        (await client.query('SELECT encode(token_hash, $1) AS h FROM setup_token', ['escape']))
          .rows,
      );
      expect(dump).not.toContain(token!);
    });
  });

  it('a new token replaces unused and expired ones but keeps used, unexpired ones', async () => {
    await withClient(db.url, async (client) => {
      const query = (sql: string, params?: unknown[]) => client.query(sql, params);
      const first = await issueSetupToken(query);
      await client.query(
        `INSERT INTO setup_token (token_hash, expires_at, used_at) VALUES
           ($1, now() + interval '1 hour', now()),
           ($2, now() - interval '1 hour', now())`,
        [hashSetupToken('used'), hashSetupToken('used-expired')],
      );
      const second = await issueSetupToken(query);
      expect(second).not.toBe(first);
      const { rows } = await client.query<{ token_hash: Buffer }>(
        'SELECT token_hash FROM setup_token',
      );
      expect(rows.map((r) => r.token_hash.toString('hex')).sort()).toEqual(
        [hashSetupToken(second!), hashSetupToken('used')].map((b) => b.toString('hex')).sort(),
      );
    });
  });

  it('returns null once setup is complete', async () => {
    await withClient(db.url, async (client) => {
      await client.query('UPDATE instance SET setup_completed_on = current_date');
      expect(await issueSetupToken((sql, params) => client.query(sql, params))).toBeNull();
      expect((await client.query('SELECT 1 FROM setup_token')).rowCount).toBe(0);
    });
  });
});
