import { z } from 'zod';

export const HealthResponse = z
  .object({ status: z.literal('ok') })
  .meta({ id: 'HealthResponse', description: 'The process is up and serving requests.' });
export type HealthResponse = z.infer<typeof HealthResponse>;

export const ReadyResponse = z
  .object({ status: z.literal('ready'), database: z.literal('up') })
  .meta({ id: 'ReadyResponse', description: 'The API can serve traffic: its database answers.' });
export type ReadyResponse = z.infer<typeof ReadyResponse>;

/** The OpenAPI 3.1 document, described loosely: its own schema is the OpenAPI specification. */
export const OpenApiDocument = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OpenApiDocument' });
export type OpenApiDocument = z.infer<typeof OpenApiDocument>;
