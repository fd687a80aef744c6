/**
 * The bare baseline: Fastify + pg, one route, running the SQL given in BENCH_SQL. No framework,
 * no validation, no logging — the ceiling Haven's API is compared against.
 */
import Fastify from 'fastify';
import pg from 'pg';

const sql = process.env.BENCH_SQL ?? 'SELECT 1';
const params = JSON.parse(process.env.BENCH_PARAMS ?? '[]') as unknown[];
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX ?? 10),
});
const app = Fastify({ logger: false });
app.all('/*', async () => {
  const { rows } = await pool.query(sql, params);
  return { rows };
});
app
  .listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) })
  .then(() => process.send?.({ ready: true }))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
