import { defineRoute } from '../http/route';
import { ReportQuery, ReportSummary } from './reports';

/** Aggregate reports (coordinators and auditors); spread into the registry in ../routes.ts. */
export const reportRoutes = {
  reportSummary: defineRoute({
    method: 'GET',
    path: '/api/reports/summary',
    tag: 'reports',
    summary: 'Cases by status and priority, time to first contact: counts under 5 suppressed',
    query: ReportQuery,
    response: ReportSummary,
    errors: [401, 403],
  }),
} as const;
