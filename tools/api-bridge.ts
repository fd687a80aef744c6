/**
 * The API code that the command-line tools run: the migration runner, the setup-link issuer and
 * the configuration reader. Tools must use the API's own code for these (one code path), so this
 * is the one place where `tools/` reaches into `apps/api`.
 */
/* eslint-disable @nx/enforce-module-boundaries -- the tools must run the API's own runners */
export { ConfigError, loadConfig, loadDatabaseUrl, orExit } from '../apps/api/src/config/config';
export { runMigrations } from '../apps/api/src/database/migrate';
export { issueSetupToken } from '../apps/api/src/setup/setup-token';
export { verifyAuditLog, type QueryFn as AuditQueryFn } from '../apps/api/src/audit/audit-verifier';
export { caseListSql } from '../apps/api/src/cases/case-list-sql';
/* eslint-enable @nx/enforce-module-boundaries */
