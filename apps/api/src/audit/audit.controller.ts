import { Controller, Res } from '@nestjs/common';
import { routes, type ParsedBody, type RouteResponse, type Routes } from '@haven/contracts';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { Caller } from '../access/caller';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody, ZodParam, ZodQuery } from '../common/validation/zod.decorators';
import { AuditAnomaliesService } from './audit-anomalies.service';
import { exportToCsv } from './audit-csv';
import { AuditIntegrityService } from './audit-integrity.service';
import { AuditReaderService } from './audit-reader.service';

type Answer<K extends keyof Routes> = Promise<RouteResponse<Routes[K]>>;
type Query<K extends keyof Routes> = Routes[K] extends { query: z.ZodType }
  ? z.output<Routes[K]['query']>
  : never;

/** Auditors only: the log and its integrity. Admins and case staff reach none of this. */
const AUDITOR = { roles: ['auditor'] } as const;

/**
 * The auditors' API. Reading the log, the key and checkpoints is not itself audited (every
 * read would move the head the auditor is looking at); verifications and exports are.
 */
@Controller()
export class AuditController {
  constructor(
    private readonly reader: AuditReaderService,
    private readonly integrity: AuditIntegrityService,
    private readonly anomalies: AuditAnomaliesService,
  ) {}

  @Route(routes.auditEvents)
  @Policy(AUDITOR)
  events(@ZodQuery(routes.auditEvents.query) query: Query<'auditEvents'>): Answer<'auditEvents'> {
    return this.reader.events(query);
  }

  @Route(routes.auditExport)
  @Policy(AUDITOR)
  async export(
    @Caller() caller: Caller,
    @ZodQuery(routes.auditExport.query) query: Query<'auditExport'>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Answer<'auditExport'> {
    const exported = await this.reader.export(caller, query);
    const name = `haven-audit-${exported.checkpoint.seq}.${query.format}`;
    void reply.header('content-disposition', `attachment; filename="${name}"`);
    if (query.format === 'json') return exported;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return exportToCsv(exported);
  }

  @Route(routes.auditLogKey)
  @Policy(AUDITOR)
  logKey(): RouteResponse<Routes['auditLogKey']> {
    return this.integrity.logKeyInfo();
  }

  @Route(routes.auditCheckpoint)
  @Policy(AUDITOR)
  checkpoint(): Answer<'auditCheckpoint'> {
    return this.integrity.currentCheckpoint();
  }

  @Route(routes.verifyAudit)
  @Policy(AUDITOR)
  verify(
    @Caller() caller: Caller,
    @ZodBody(routes.verifyAudit.body) body: ParsedBody<Routes['verifyAudit']>,
  ): Answer<'verifyAudit'> {
    return this.integrity.verify(caller, body);
  }

  @Route(routes.auditUsers)
  @Policy(AUDITOR)
  users(): Answer<'auditUsers'> {
    return this.reader.users();
  }

  @Route(routes.auditUserActivity)
  @Policy(AUDITOR)
  activity(
    @ZodParam(routes.auditUserActivity.params)
    params: z.output<Routes['auditUserActivity']['params']>,
    @ZodQuery(routes.auditUserActivity.query) query: Query<'auditUserActivity'>,
  ): Answer<'auditUserActivity'> {
    return this.reader.activity(params.userId, query);
  }

  @Route(routes.auditAnomalies)
  @Policy(AUDITOR)
  anomalyReport(
    @ZodQuery(routes.auditAnomalies.query) query: Query<'auditAnomalies'>,
  ): Answer<'auditAnomalies'> {
    return this.anomalies.report(query);
  }
}
