import { Controller } from '@nestjs/common';
import {
  routes,
  type RouteResponse,
  type Routes,
  type StaffDirectoryQuery,
} from '@haven/contracts';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodQuery } from '../common/validation/zod.decorators';
import { DirectoryService } from './directory.service';

@Controller()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  /** Caseworkers and coordinators: whom can I share a case with, who signed this grant? */
  @Route(routes.staffDirectory)
  @Policy({ roles: ['caseworker', 'coordinator'] })
  staff(
    @ZodQuery(routes.staffDirectory.query) query: StaffDirectoryQuery,
  ): Promise<RouteResponse<Routes['staffDirectory']>> {
    return this.directory.staff(query.role);
  }
}
