import { defineRoute } from '../http/route';
import {
  AnomalyQuery,
  AnomalyReport,
  AuditCheckpoint,
  AuditEventPage,
  AuditEventQuery,
  AuditExportQuery,
  AuditExportResponse,
  AuditLogKeyResponse,
  AuditUserList,
  AuditUserParams,
  UserActivity,
  UserActivityQuery,
  VerifyAuditRequest,
  VerifyAuditResponse,
} from './audit';

/** Routes of the auditors' dashboard (auditors only); spread into the registry in ../routes.ts. */
export const auditRoutes = {
  auditEvents: defineRoute({
    method: 'GET',
    path: '/api/audit/events',
    tag: 'audit',
    summary: 'The audit log, newest first, filtered; keyset-paginated by sequence number',
    query: AuditEventQuery,
    response: AuditEventPage,
    errors: [401, 403],
  }),
  auditExport: defineRoute({
    method: 'GET',
    path: '/api/audit/export',
    tag: 'audit',
    summary: 'Export the filtered log as JSON or CSV, with a signed checkpoint covering it',
    description:
      '`format=json` (default) answers an AuditExport; `format=csv` answers text/csv whose `#` ' +
      'lines carry the checkpoint. At most 50,000 events (else 400: narrow the filters). The ' +
      'export itself is audited as `audit.export`.',
    query: AuditExportQuery,
    response: AuditExportResponse,
    errors: [401, 403],
  }),
  auditLogKey: defineRoute({
    method: 'GET',
    path: '/api/audit/log-key',
    tag: 'audit',
    summary: 'The public key that signs checkpoints, with its fingerprint',
    response: AuditLogKeyResponse,
    errors: [401, 403],
  }),
  auditCheckpoint: defineRoute({
    method: 'GET',
    path: '/api/audit/checkpoint',
    tag: 'audit',
    summary: 'The current chain head, signed (stored as a checkpoint)',
    response: AuditCheckpoint,
    errors: [401, 403],
  }),
  verifyAudit: defineRoute({
    method: 'POST',
    path: '/api/audit/verify',
    tag: 'audit',
    summary:
      'Recompute the chain (from the genesis or a kept checkpoint); name the first broken link',
    description:
      'Audited as `audit.verify`. One verification runs at a time per API process; a long log ' +
      'takes seconds (about 1,000,000 events in under 30 s).',
    body: VerifyAuditRequest,
    response: VerifyAuditResponse,
    errors: [401, 403],
  }),
  auditUsers: defineRoute({
    method: 'GET',
    path: '/api/audit/users',
    tag: 'audit',
    summary: 'Every account (id, username, role, active): to filter and read the log',
    response: AuditUserList,
    errors: [401, 403],
  }),
  auditUserActivity: defineRoute({
    method: 'GET',
    path: '/api/audit/users/:userId/activity',
    tag: 'audit',
    summary: "One person's activity: counts by action and day, cases read, flags",
    params: AuditUserParams,
    query: UserActivityQuery,
    response: UserActivity,
    errors: [401, 403, 404],
  }),
  auditAnomalies: defineRoute({
    method: 'GET',
    path: '/api/audit/anomalies',
    tag: 'audit',
    summary: 'Anomaly flags computed from the log (bulk reads, unassigned reads, hours, sign-ins)',
    description: 'At most 31 days per request (default: the last 7).',
    query: AnomalyQuery,
    response: AnomalyReport,
    errors: [401, 403],
  }),
} as const;
