import { Controller, ForbiddenException, Get, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Policy } from './policy.decorator';
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

function contextFor(cls: new () => object, handler: (...args: never[]) => unknown) {
  return new ExecutionContextHost([], cls, handler);
}

describe('PolicyGuard', () => {
  const guard = new PolicyGuard(new Reflector());

  it('lets public routes through', () => {
    expect(guard.canActivate(contextFor(Sample, Sample.prototype.open))).toBe(true);
  });

  it('refuses a route without a policy, and says which one', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(() => guard.canActivate(contextFor(Sample, Sample.prototype.forgotten))).toThrow(
      ForbiddenException,
    );
    expect(logged).toHaveBeenCalledWith('Sample.forgotten has no @Policy; refused');
  });

  it('refuses role policies while there are no sessions', () => {
    expect(() => guard.canActivate(contextFor(Sample, Sample.prototype.staff))).toThrow(
      ForbiddenException,
    );
  });

  it('uses the controller policy unless the handler has its own', () => {
    expect(guard.canActivate(contextFor(PublicByDefault, PublicByDefault.prototype.a))).toBe(true);
    expect(() =>
      guard.canActivate(contextFor(PublicByDefault, PublicByDefault.prototype.b)),
    ).toThrow(ForbiddenException);
  });
});
