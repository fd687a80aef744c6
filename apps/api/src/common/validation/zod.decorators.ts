import { Body, Param, Query } from '@nestjs/common';
import type { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe';

/**
 * Parameter decorators that validate with a contract schema, e.g.
 *   create(@ZodBody(routes.createCase.body) body: ParsedBody<typeof routes.createCase>)
 * Invalid input becomes a 400 listing every bad field (`body.name`, `query.page`, ...).
 */
export const ZodBody = (schema: z.ZodType): ParameterDecorator =>
  Body(new ZodValidationPipe(schema, 'body'));

export const ZodQuery = (schema: z.ZodType): ParameterDecorator =>
  Query(new ZodValidationPipe(schema, 'query'));

export const ZodParam = (schema: z.ZodType): ParameterDecorator =>
  Param(new ZodValidationPipe(schema, 'params'));
