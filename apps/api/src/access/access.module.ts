import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { SessionsModule } from '../sessions/sessions.module';
import { PolicyGuard } from './policy.guard';

/**
 * Deny-by-default access control: the global policy guard, which resolves the session cookie
 * (hence SessionsModule), and route discovery for the tests.
 */
@Module({
  imports: [DiscoveryModule, SessionsModule],
  providers: [{ provide: APP_GUARD, useClass: PolicyGuard }],
})
export class AccessModule {}
