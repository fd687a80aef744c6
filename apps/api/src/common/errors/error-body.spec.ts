import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ErrorBody } from '@haven/contracts';
import { toErrorBody } from './error-body';
import { RequestValidationException } from './request-validation.exception';

function fastifyError(code: string, statusCode: number, message = 'x'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('toErrorBody', () => {
  it('turns validation failures into 400 with per-field messages', () => {
    const mapped = toErrorBody(
      new RequestValidationException([{ path: 'body.name', message: 'Too short' }]),
    );
    expect(mapped).toEqual({
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        fields: [{ path: 'body.name', message: 'Too short' }],
      },
      unexpected: false,
    });
  });

  it('keeps messages we wrote for 4xx and 503', () => {
    expect(toErrorBody(new ForbiddenException('Access denied')).body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Access denied',
    });
    expect(toErrorBody(new BadRequestException()).body.message).toBe('Bad Request');
    expect(toErrorBody(new ServiceUnavailableException('Database unreachable')).body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Database unreachable',
    });
    expect(toErrorBody(new HttpException('Slow down', 429)).body.error).toBe('Too Many Requests');
  });

  it('answers every 404 the same way, without echoing the URL', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /api/x?token=abc')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Not found',
    });
    expect(toErrorBody(new NotFoundException('Case 42 belongs to someone else')).body.message).toBe(
      'Not found',
    );
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 413, 'Request body is too large'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 415, 'Unsupported content type: send application/json'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 400, 'Malformed JSON body'],
    [
      'FST_ERR_CTP_EMPTY_JSON_BODY',
      400,
      400,
      'Request body is empty but Content-Type is application/json',
    ],
    ['FST_ERR_BAD_URL', 400, 400, 'Malformed URL'],
  ])('maps Fastify %s to %i', (code, fastifyStatus, status, message) => {
    expect(toErrorBody(fastifyError(code, fastifyStatus)).body).toEqual({
      statusCode: status,
      error: expect.any(String) as string,
      message,
    });
  });

  it('does not send back the JSON parser message (it quotes the body)', () => {
    const err = Object.assign(new SyntaxError('Unexpected token s in "secret"'), {
      statusCode: 400,
    });
    expect(toErrorBody(err)).toEqual({
      body: { statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body' },
      unexpected: false,
    });
  });

  it('keeps the status of other client errors but not their message', () => {
    expect(toErrorBody(fastifyError('FST_ERR_SOMETHING_NEW', 431, 'detail')).body).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: 'Request Header Fields Too Large',
    });
  });

  it("uses the Fastify code when Nest has rewrapped the error with Fastify's message", () => {
    // What Nest hands the filter for a body-parsing failure: Fastify's text, no code.
    const rewrapped = new HttpException("'/api/%zz?secret' is not a valid url component", 400);
    expect(toErrorBody(rewrapped, 'FST_ERR_BAD_URL').body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Malformed URL',
    });
    expect(toErrorBody(new HttpException('quoted input', 431), 'FST_ERR_UNKNOWN').body).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: 'Request Header Fields Too Large',
    });
  });

  it('hides everything about unexpected errors', () => {
    const secret = new Error('connection to 10.0.0.5 failed for user "haven" password "x"');
    for (const thrown of [
      secret,
      new InternalServerErrorException('stack at foo.ts:1'),
      fastifyError('FST_ERR_X', 500, 'internal'),
      'a string',
      undefined,
    ]) {
      const mapped = toErrorBody(thrown);
      expect(mapped).toEqual({
        body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal error' },
        unexpected: true,
      });
    }
  });

  it('always produces a body that matches the ErrorBody contract', () => {
    for (const thrown of [
      new ForbiddenException(),
      new Error('x'),
      fastifyError('FST_ERR_BAD_URL', 400),
    ]) {
      expect(ErrorBody.safeParse(toErrorBody(thrown).body).success).toBe(true);
    }
  });
});
