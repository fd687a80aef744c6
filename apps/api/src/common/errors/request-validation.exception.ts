import { BadRequestException } from '@nestjs/common';
import type { FieldError } from '@haven/contracts';

/** Invalid request input; the error filter turns it into a 400 with one entry per field. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly fields: readonly FieldError[]) {
    super('Validation failed');
  }
}
