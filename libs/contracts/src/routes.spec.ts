import { buildPath, pathParamNames, toOpenApiPath, type RouteDefinition } from './http/route';
import { ErrorBody } from './http/error';
import { routes } from './routes';

describe('route registry', () => {
  const entries: [string, RouteDefinition][] = Object.entries(routes);

  it('puts every route under /api', () => {
    for (const [, route] of entries) expect(route.path).toMatch(/^\/api\//);
  });

  it('has no two routes with the same method and path', () => {
    const keys = entries.map(([, r]) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('declares a params field for every path placeholder and no others', () => {
    for (const [name, route] of entries) {
      const declared = route.params ? Object.keys(route.params.shape) : [];
      expect({ name, params: declared.sort() }).toEqual({
        name,
        params: pathParamNames(route.path).sort(),
      });
    }
  });

  it('does not accept a body on GET routes', () => {
    for (const [name, route] of entries) {
      if (route.method === 'GET')
        expect({ name, body: route.body }).toEqual({ name, body: undefined });
    }
  });
});

describe('buildPath', () => {
  const route = { path: '/api/cases/:caseId/notes/:noteId' };

  it('fills and URL-encodes placeholders', () => {
    expect(buildPath(route, { caseId: 'a/b c', noteId: 7 })).toBe('/api/cases/a%2Fb%20c/notes/7');
  });

  it('refuses a missing or empty parameter instead of calling the wrong path', () => {
    expect(() => buildPath(route, { caseId: 'x' })).toThrow('missing path parameter "noteId"');
    expect(() => buildPath(route, { caseId: '', noteId: '1' })).toThrow('"caseId"');
  });

  it('leaves paths without placeholders unchanged', () => {
    expect(buildPath(routes.health)).toBe('/api/health');
  });
});

describe('toOpenApiPath', () => {
  it('rewrites router placeholders to OpenAPI templates', () => {
    expect(toOpenApiPath('/api/cases/:caseId/notes/:noteId')).toBe(
      '/api/cases/{caseId}/notes/{noteId}',
    );
    expect(pathParamNames('/api/cases/:caseId/notes/:noteId')).toEqual(['caseId', 'noteId']);
  });
});

describe('schemas', () => {
  it('accepts a validation error body with per-field messages', () => {
    const body = {
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      fields: [{ path: 'body.name', message: 'Required' }],
    };
    expect(ErrorBody.parse(body)).toEqual(body);
  });

  it('rejects an error body with a success status', () => {
    expect(ErrorBody.safeParse({ statusCode: 200, error: 'OK', message: 'x' }).success).toBe(false);
  });

  it('strips fields a response schema does not declare', () => {
    const parsed: unknown = routes.setupStatus.response.parse({ setupRequired: true, secret: 'x' });
    expect(parsed).toEqual({ setupRequired: true });
  });

  it('describes the health and readiness bodies', () => {
    expect(routes.health.response.parse({ status: 'ok' })).toEqual({ status: 'ok' });
    expect(routes.ready.response.safeParse({ status: 'ok' }).success).toBe(false);
    expect(routes.ready.response.safeParse({ status: 'ready' }).success).toBe(false);
  });
});
