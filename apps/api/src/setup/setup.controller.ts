import { Controller } from '@nestjs/common';
import { routes, type SetupStatusResponse } from '@haven/contracts';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { SetupService } from './setup.service';

@Controller()
export class SetupController {
  constructor(private readonly setup: SetupService) {}

  /** Public: the dashboard asks before login whether to show first-run setup. */
  @Route(routes.setupStatus)
  @Policy({ public: true })
  async status(): Promise<SetupStatusResponse> {
    return { setupRequired: await this.setup.setupRequired() };
  }
}
