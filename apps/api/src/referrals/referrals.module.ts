import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { AssignedReferralsService } from './assigned-referrals.service';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

/**
 * Referrals (docs/referrals.md): share consent, proposals, the coordinator's board and
 * decisions, packets, and the assignee view. `purgeExpiredPackets` (packet-expiry.ts) is for
 * the retention job.
 */
@Module({
  imports: [CasesModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, AssignedReferralsService],
})
export class ReferralsModule {}
