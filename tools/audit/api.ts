/**
 * The audit code of the API that the audit benchmarks run (tools/bench/audit-*.ts): the real
 * append, the real verifier and the real log key, so that what is measured is what ships.
 * Kept beside tools/api-bridge.ts (which the audit CLI uses) so that the audit tools' reach
 * into apps/api stays in one reviewed place per owner.
 */
/* eslint-disable @nx/enforce-module-boundaries -- the benchmarks must run the API's own code */
export {
  appendAuditEvent,
  CHECKPOINT_EVERY,
  type SqlFn,
} from '../../apps/api/src/audit/audit-append';
export { chainedEvent, type AuditEventRow } from '../../apps/api/src/audit/audit-chain';
export { eventClock, hashedAuditEvent } from '../../apps/api/src/audit/audit-event';
export { AuditLogKey } from '../../apps/api/src/audit/audit-log-key';
export { verifyAuditLog } from '../../apps/api/src/audit/audit-verifier';
/* eslint-enable @nx/enforce-module-boundaries */
