import { Foundation1795300000000 } from './1795300000000-foundation';
import { Organisation1795310000000 } from './1795310000000-organisation';
import { Audit1795320000000 } from './1795320000000-audit';
import { AppRole1795325000000 } from './1795325000000-app-role';

/**
 * Every migration, oldest first. Listed explicitly (no glob) so the same list works from the
 * TypeScript sources (tsx, jest) and from the compiled build. Migrations are hand-written SQL
 * and never import entities: they must keep describing the schema as it was when written.
 */
export const migrations = [
  Foundation1795300000000,
  Organisation1795310000000,
  Audit1795320000000,
  AppRole1795325000000,
];
