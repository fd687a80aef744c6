import { z } from 'zod';

/** One invalid input field: `path` is dotted and starts with where it came from (`body.name`). */
export const FieldError = z
  .object({
    path: z.string().meta({ example: 'body.name' }),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof FieldError>;

/**
 * The body of every non-2xx response. `message` is written for people; it never contains a
 * stack trace, internal detail or the caller's own input.
 */
export const ErrorBody = z
  .object({
    statusCode: z.number().int().min(400).max(599),
    error: z.string().meta({ description: 'HTTP reason phrase', example: 'Bad Request' }),
    message: z.string().meta({ example: 'Validation failed' }),
    fields: z.array(FieldError).optional().meta({ description: 'Present on validation errors' }),
    code: z
      .string()
      .regex(/^[A-Z][A-Z_]*$/)
      .optional()
      .meta({
        description: 'A stable code where the client must act on it',
        example: 'SESSION_LOCKED',
      }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;
