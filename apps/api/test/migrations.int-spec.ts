import { migrations } from '../src/database/migrations';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { runMigrations } from '../src/database/migrate';
import { InstanceEntity } from '../src/setup/instance.entity';
import { scratchDatabase, withClient } from './support/test-app';

describe('migrations', () => {
  it('apply once, then report nothing to do; concurrent runs are serialised', async () => {
    const db = await scratchDatabase({ migrate: false });
    try {
      const [a, b] = await Promise.all([runMigrations(db.url), runMigrations(db.url)]);
      expect([...a, ...b]).toEqual(migrations.map((m) => m.name));
      expect(await runMigrations(db.url)).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('create exactly one instance row, and the schema refuses a second', async () => {
    const db = await scratchDatabase();
    try {
      await withClient(db.url, async (c) => {
        expect((await c.query('SELECT id, setup_completed_on FROM instance')).rows).toEqual([
          { id: true, setup_completed_on: null },
        ]);
        await expect(c.query('INSERT INTO instance (id) VALUES (false)')).rejects.toThrow(/check/);
        await expect(c.query('INSERT INTO instance DEFAULT VALUES')).rejects.toThrow(/duplicate/);
        await expect(
          c.query(`INSERT INTO setup_token (token_hash, expires_at) VALUES ('\\x00', now())`),
        ).rejects.toThrow(/check/);
      });
    } finally {
      await db.drop();
    }
  });

  it('leave nothing for TypeORM to change: entities match the migrated schema', async () => {
    const db = await scratchDatabase();
    const ds = new DataSource({
      ...dataSourceOptions({ url: db.url, poolMax: 1 }),
      entities: [InstanceEntity],
    });
    await ds.initialize();
    try {
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
