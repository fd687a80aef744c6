import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { CommonModule } from './common/common.module';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DirectoryModule } from './directory/directory.module';
import { HealthModule } from './health/health.module';
import { IntakeModule } from './intake/intake.module';
import { InvitationsModule } from './invitations/invitations.module';
import { OpenApiModule } from './openapi/openapi.module';
import { PartnersModule } from './partners/partners.module';
import { ReferralsModule } from './referrals/referrals.module';
import { ReportsModule } from './reports/reports.module';
import { RetentionModule } from './retention/retention.module';
import { SessionsModule } from './sessions/sessions.module';
import { SetupModule } from './setup/setup.module';
import { TriageModule } from './triage/triage.module';
import { UsersModule } from './users/users.module';

export type ModuleImports = NonNullable<ModuleMetadata['imports']>;

@Module({})
export class AppModule {
  /** `extra` lets integration tests mount test-only controllers into the real app. */
  static forRoot(config: AppConfig, extra: ModuleImports = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CommonModule,
        AccessModule,
        AuditModule,
        HealthModule,
        OpenApiModule,
        SetupModule,
        AuthModule,
        SessionsModule,
        UsersModule,
        InvitationsModule,
        IntakeModule,
        CasesModule,
        TriageModule,
        DirectoryModule,
        ReportsModule,
        RetentionModule,
        PartnersModule,
        ReferralsModule,
        ...extra,
      ],
    };
  }
}
