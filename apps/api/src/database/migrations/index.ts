import { Foundation1795300000000 } from './1795300000000-foundation';
import { Organisation1795310000000 } from './1795310000000-organisation';
import { Audit1795320000000 } from './1795320000000-audit';
import { AppRole1795325000000 } from './1795325000000-app-role';
import { Accounts1795330000000 } from './1795330000000-accounts';
import { Intake1795340000000 } from './1795340000000-intake';
import { Cases1795370000000 } from './1795370000000-cases';
import { AuditOversight1795380000000 } from './1795380000000-audit-oversight';
import { Triage1795390000000 } from './1795390000000-triage';
import { IntakeRotation1795400000000 } from './1795400000000-intake-rotation';
import { Referrals1795410000000 } from './1795410000000-referrals';
import { Retention1795420000000 } from './1795420000000-retention';
import { AuditRetention1795450000000 } from './1795450000000-audit-retention';

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
  Accounts1795330000000,
  Intake1795340000000,
  Cases1795370000000,
  AuditOversight1795380000000,
  Triage1795390000000,
  IntakeRotation1795400000000,
  Referrals1795410000000,
  Retention1795420000000,
  AuditRetention1795450000000,
];
