import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** Global: every feature appends to the one audit log. */
@Global()
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
