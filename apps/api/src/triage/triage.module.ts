import { Module } from '@nestjs/common';
import { CaseStore } from '../cases/case-store';
import { IntakeKeyService } from './intake-key.service';
import { IntakeRotationService } from './intake-rotation.service';
import { TriageController } from './triage.controller';
import { TriageService } from './triage.service';

/**
 * Triage of anonymous intake and staff replies on its threads (docs/intake.md, "Triage").
 * Case-scoped work goes through the cases feature's CaseStore (a stateless helper over the
 * data source), so the same grant check, 404 and refusal audit apply as on every case route.
 */
@Module({
  controllers: [TriageController],
  providers: [CaseStore, TriageService, IntakeKeyService, IntakeRotationService],
})
export class TriageModule {}
