import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { AuditModule } from './audit/audit.module';
import { CommonModule } from './common/common.module';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { OpenApiModule } from './openapi/openapi.module';
import { SetupModule } from './setup/setup.module';

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
        ...extra,
      ],
    };
  }
}
