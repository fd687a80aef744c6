import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { APP_DB_ROLE, dataSourceOptions } from './data-source';

/**
 * The app's connection pool. Entities come from each feature's `TypeOrmModule.forFeature`
 * (autoLoadEntities). The pool is closed on shutdown after the HTTP server has drained.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions({
          url: config.databaseUrl,
          poolMax: config.dbPoolMax,
          role: APP_DB_ROLE,
        }),
        autoLoadEntities: true,
        // A database that starts a little after the API is waited for, briefly.
        retryAttempts: 5,
        retryDelay: 2000,
      }),
    }),
  ],
})
export class DatabaseModule {}
