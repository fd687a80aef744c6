import { Module, type OnModuleDestroy, Inject } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AddressThrottle, throttleLimits } from './address-throttle';
import { IntakeSubmissionBatcher } from './intake-batcher';
import { INTAKE_THROTTLE, IntakeThrottleGuard, QuietRequestLogGuard } from './intake-guards';
import { IntakeIdempotencyEntity } from './intake-idempotency.entity';
import { IntakeMessageEntity } from './intake-message.entity';
import { IntakeSubmissionEntity } from './intake-submission.entity';
import { IntakeThreadEntity } from './intake-thread.entity';
import { IntakeController } from './intake.controller';
import { IntakeService } from './intake.service';

/** The anonymous intake: public page endpoints under /api/intake (docs/intake.md). */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      IntakeThreadEntity,
      IntakeSubmissionEntity,
      IntakeMessageEntity,
      IntakeIdempotencyEntity,
    ]),
  ],
  controllers: [IntakeController],
  providers: [
    IntakeService,
    IntakeSubmissionBatcher,
    QuietRequestLogGuard,
    IntakeThrottleGuard,
    {
      provide: INTAKE_THROTTLE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new AddressThrottle(throttleLimits(config.intakeRateLimit)),
    },
  ],
})
export class IntakeModule implements OnModuleDestroy {
  constructor(@Inject(INTAKE_THROTTLE) private readonly throttle: AddressThrottle) {}

  onModuleDestroy(): void {
    this.throttle.clear();
  }
}
