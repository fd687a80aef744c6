import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { PolicyGuard } from './policy.guard';

/** Deny-by-default access control: the global policy guard (and route discovery for tests). */
@Module({
  imports: [DiscoveryModule],
  providers: [{ provide: APP_GUARD, useClass: PolicyGuard }],
})
export class AccessModule {}
