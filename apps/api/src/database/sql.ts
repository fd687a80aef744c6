import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs one SQL statement and returns its rows. TypeORM's PostgreSQL driver answers UPDATE and
 * DELETE with `[rows, rowCount]` but every other statement with the rows alone; this evens
 * that out so `... RETURNING` reads the same everywhere.
 */
export async function sql<T>(
  db: EntityManager | DataSource,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await db.query(text, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
