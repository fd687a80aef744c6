import { Global, Module, type Provider } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AuditAnomaliesService } from './audit-anomalies.service';
import { AuditIntegrityService } from './audit-integrity.service';
import { AuditLogKey } from './audit-log-key';
import { AuditReaderService } from './audit-reader.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** The log key, derived once at boot (libsodium is initialised before anything injects it). */
const logKeyProvider: Provider = {
  provide: AuditLogKey,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => AuditLogKey.derive(config.serverSecret),
};

/**
 * Global: every feature appends to the one audit log (AuditService). Also the auditors' API:
 * checkpoints, verification, the filtered log, exports and anomaly flags (docs/audit.md).
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    logKeyProvider,
    AuditService,
    AuditIntegrityService,
    AuditReaderService,
    AuditAnomaliesService,
  ],
  exports: [AuditService],
})
export class AuditModule {}
