import { Controller } from '@nestjs/common';
import { type HealthResponse, type ReadyResponse, routes } from '@haven/contracts';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: answers as long as the process serves requests; never touches the database. */
  @Route(routes.health)
  @Policy({ public: true })
  live(): HealthResponse {
    return { status: 'ok' };
  }

  /** Readiness: 503 while the database does not answer, so a load balancer stops routing here. */
  @Route(routes.ready)
  @Policy({ public: true })
  async ready(): Promise<ReadyResponse> {
    await this.health.assertDatabaseReachable();
    return { status: 'ready', database: 'up' };
  }
}
