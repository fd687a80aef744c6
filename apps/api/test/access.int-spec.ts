import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type RouteDefinition, routes } from '@haven/contracts';
import { Policy } from '../src/access/policy.decorator';
import { routeInventory } from '../src/access/route-inventory';
import { registeredRoutes } from '../src/bootstrap';
import { startTestApp } from './support/test-app';

describe('deny by default: every route of the real app', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('declares an access policy', () => {
    const inventory = routeInventory(app);
    expect(inventory.length).toBeGreaterThan(0);
    const withoutPolicy = inventory.filter((r) => !r.policy).map((r) => r.handler);
    expect(withoutPolicy).toEqual([]);
  });

  it('is bound to its entry in the contracts route registry, and every entry is served', () => {
    const inventory = routeInventory(app);
    for (const route of inventory) {
      expect({ handler: route.handler, contract: route.contract?.path }).toEqual({
        handler: route.handler,
        contract: route.path,
      });
    }
    const served = inventory.map((r) => `${r.method} ${r.path}`).sort();
    const declared = Object.values(routes as Record<string, RouteDefinition>)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(served).toEqual(declared);
  });

  it('goes through Nest (and so through the policy guard): no route was added beside it', () => {
    const nest = new Set(routeInventory(app).map((r) => `${r.method} ${r.path}`));
    const fastify = registeredRoutes(app)
      // Fastify adds a HEAD route for each GET; it runs the same handler and guard.
      .filter((r) => !(r.method === 'HEAD' && nest.has(`GET ${r.url}`)))
      .map((r) => `${r.method} ${r.url}`);
    expect(fastify.length).toBeGreaterThan(0);
    expect(fastify.filter((r) => !nest.has(r))).toEqual([]);
  });
});

@Controller()
class UnguardedController {
  @Get('/api/test/forgotten')
  forgotten(): { secret: string } {
    return { secret: 'should never be returned' };
  }

  @Get('/api/test/coordinators')
  @Policy({ roles: ['coordinator'] })
  coordinators(): { secret: string } {
    return { secret: 'should never be returned' };
  }

  @Get('/api/test/open')
  @Policy({ public: true })
  open(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [UnguardedController] })
class UnguardedModule {}

describe('the policy guard', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp({ imports: [UnguardedModule] });
  });

  afterAll(async () => {
    await app.close();
  });

  it('refuses a route without a policy with 403 (and the inventory test would name it)', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/test/forgotten' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Access denied' });
    expect(
      routeInventory(app)
        .filter((r) => !r.policy)
        .map((r) => r.handler),
    ).toEqual(['UnguardedController.forgotten']);
  });

  it('answers 401 to a role policy without a session, and with a session that is not real', async () => {
    for (const cookie of [undefined, `__Host-haven_session=${'A'.repeat(43)}`, 'other=1']) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/test/coordinators',
        headers: cookie ? { cookie } : {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Sign in to continue',
      });
    }
  });

  it('lets public routes through', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/test/open' })).json()).toEqual({
      ok: true,
    });
  });
});
