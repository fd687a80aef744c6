import type { PipeTransform } from '@nestjs/common';
import type { FieldError } from '@haven/contracts';
import type { z } from 'zod';
import { RequestValidationException } from '../errors/request-validation.exception';

export type InputSource = 'body' | 'query' | 'params';

/** A body with thousands of bad fields must not produce an unbounded error response. */
const MAX_FIELD_ERRORS = 50;

export function toFieldErrors(error: z.ZodError, source: InputSource): FieldError[] {
  return error.issues.slice(0, MAX_FIELD_ERRORS).map((issue) => ({
    path: [source, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** Parses one request part with a zod schema; the handler receives the parsed value. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly source: InputSource,
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new RequestValidationException(toFieldErrors(result.error, this.source));
  }
}
