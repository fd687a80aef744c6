import { Module } from '@nestjs/common';
import { CaseStore } from '../cases/case-store';
import { PurgeService } from './purge.service';
import { RetentionController } from './retention.controller';
import { RetentionService } from './retention.service';

/**
 * Retention (docs/retention.md): the settings, the purge job every replica schedules (one run
 * at a time through an advisory lock), two-coordinator purge-now, and emergency lockdown.
 * Sign-in and session checks read the lockdown row themselves (retention-store.ts).
 */
@Module({
  controllers: [RetentionController],
  providers: [CaseStore, PurgeService, RetentionService],
  exports: [PurgeService],
})
export class RetentionModule {}
