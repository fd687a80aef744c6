import { Controller, ForbiddenException, Get, Logger, UnauthorizedException } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { AuditService } from '../audit/audit.service';
import type { SessionsService } from '../sessions/sessions.service';
import { caseRelationOf, Policy } from './policy.decorator';
import { PolicyGuard } from './policy.guard';

@Controller()
class Sample {
  @Get('open')
  @Policy({ public: true })
  open(): void {}

  @Get('staff')
  @Policy({ roles: ['coordinator'] })
  staff(): void {}

  @Get('forgotten')
  forgotten(): void {}
}

@Controller()
@Policy({ public: true })
class PublicByDefault {
  @Get('a')
  a(): void {}

  @Get('b')
  @Policy({ roles: ['admin'] })
  b(): void {}
}

/** A request without a cookie: the guard must decide without looking up any session. */
function contextFor(cls: new () => object, handler: (...args: never[]) => unknown) {
  const request = { method: 'GET', headers: {}, params: {} };
  return new ExecutionContextHost([request, {}], cls, handler);
}

describe('PolicyGuard', () => {
  // Sessions and audit are never reached on these paths (no policy, public, or no cookie);
  // the session paths are covered against PostgreSQL in test/access.int-spec.ts.
  const guard = new PolicyGuard(
    new Reflector(),
    undefined as unknown as SessionsService,
    undefined as unknown as AuditService,
    undefined as unknown as ModuleRef,
  );

  it('lets public routes through', async () => {
    await expect(guard.canActivate(contextFor(Sample, Sample.prototype.open))).resolves.toBe(true);
  });

  it('refuses a route without a policy, and says which one', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await expect(
      guard.canActivate(contextFor(Sample, Sample.prototype.forgotten)),
    ).rejects.toBeInstanceOf(ForbiddenException);
    expect(logged).toHaveBeenCalledWith('Sample.forgotten has no @Policy; refused');
  });

  it('answers 401 to a role policy when the request carries no session', async () => {
    await expect(
      guard.canActivate(contextFor(Sample, Sample.prototype.staff)),
    ).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('uses the controller policy unless the handler has its own', async () => {
    await expect(
      guard.canActivate(contextFor(PublicByDefault, PublicByDefault.prototype.a)),
    ).resolves.toBe(true);
    await expect(
      guard.canActivate(contextFor(PublicByDefault, PublicByDefault.prototype.b)),
    ).rejects.toBeInstanceOf(UnauthorizedException);
  });
});

describe('caseRelationOf', () => {
  it('reads the relation and the path parameter (caseId unless named)', () => {
    expect(caseRelationOf({ roles: ['caseworker'], case: 'grantee' })).toEqual({
      relation: 'grantee',
      param: 'caseId',
    });
    expect(caseRelationOf({ roles: ['coordinator'], case: 'supervisor', param: 'code' })).toEqual({
      relation: 'supervisor',
      param: 'code',
    });
    expect(caseRelationOf({ roles: ['admin'] })).toBeUndefined();
    expect(caseRelationOf({ public: true })).toBeUndefined();
  });
});
