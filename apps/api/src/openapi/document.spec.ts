import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineRoute, type RouteDefinition, routes, toOpenApiPath } from '@haven/contracts';
import { z } from 'zod';
import { buildOpenApiDocument, openApiJson } from './document';

describe('OpenAPI document', () => {
  it('matches the committed apps/api/openapi.json (run `npm run openapi` after changing contracts)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8');
    expect(committed).toBe(openApiJson());
  });

  it('describes every route of the registry with its success and error bodies', () => {
    const doc = buildOpenApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    for (const [name, route] of Object.entries(routes)) {
      const op = doc.paths?.[toOpenApiPath(route.path)]?.[route.method.toLowerCase() as 'get'];
      expect(op?.operationId).toBe(name);
      expect(Object.keys(op?.responses ?? {})).toEqual(
        expect.arrayContaining([String((route as RouteDefinition).status ?? 200), 'default']),
      );
    }
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['ErrorBody', 'FieldError', 'HealthResponse', 'SetupStatusResponse']),
    );
  });

  it('documents path parameters, bodies and the 4xx they can cause', () => {
    const doc = buildOpenApiDocument({
      createNote: defineRoute({
        method: 'POST',
        path: '/api/cases/:caseId/notes',
        tag: 'cases',
        summary: 'Add a note',
        status: 201,
        params: z.object({ caseId: z.string() }),
        body: z.object({ ciphertext: z.string() }),
        response: z.object({ id: z.string() }),
      }),
    });
    const op = doc.paths?.['/api/cases/{caseId}/notes']?.post;
    expect(op?.parameters).toEqual([
      expect.objectContaining({ in: 'path', name: 'caseId', required: true }),
    ]);
    expect(op?.requestBody).toBeDefined();
    expect(Object.keys(op?.responses ?? {})).toEqual(['201', '400', '413', '415', 'default']);
  });
});
