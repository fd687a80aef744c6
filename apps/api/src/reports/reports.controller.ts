import { Controller } from '@nestjs/common';
import { routes, type RouteResponse, type Routes } from '@haven/contracts';
import type { z } from 'zod';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodQuery } from '../common/validation/zod.decorators';
import { ReportsService } from './reports.service';

/** Aggregate reports: coordinators plan with them, auditors oversee with them. */
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Route(routes.reportSummary)
  @Policy({ roles: ['coordinator', 'auditor'] })
  summary(
    @ZodQuery(routes.reportSummary.query) query: z.output<Routes['reportSummary']['query']>,
  ): Promise<RouteResponse<Routes['reportSummary']>> {
    return this.reports.summary(query);
  }
}
