import { z } from 'zod';
import { RequestValidationException } from '../errors/request-validation.exception';
import { ZodValidationPipe } from './zod-validation.pipe';

const Body = z.object({
  name: z.string().min(1),
  contact: z.object({ channel: z.enum(['signal', 'phone']) }),
  tags: z.array(z.string()).max(2).optional(),
});

function fieldsOf(fn: () => unknown): readonly { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof RequestValidationException) return err.fields;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('ZodValidationPipe', () => {
  it('returns the parsed value, without keys the schema does not declare', () => {
    const pipe = new ZodValidationPipe(Body, 'body');
    expect(pipe.transform({ name: 'a', contact: { channel: 'signal' }, extra: 1 })).toEqual({
      name: 'a',
      contact: { channel: 'signal' },
    });
  });

  it('lists every bad field with a path that starts with its source', () => {
    const pipe = new ZodValidationPipe(Body, 'body');
    const fields = fieldsOf(() =>
      pipe.transform({ name: '', contact: { channel: 'fax' }, tags: [1] }),
    );
    expect(fields.map((f) => f.path)).toEqual(['body.name', 'body.contact.channel', 'body.tags.0']);
    for (const f of fields) expect(f.message).not.toBe('');
  });

  it('reports a missing body at the root', () => {
    expect(fieldsOf(() => new ZodValidationPipe(Body, 'body').transform(undefined))).toEqual([
      { path: 'body', message: expect.stringContaining('expected object') as string },
    ]);
  });

  it('labels query and path parameters', () => {
    const query = new ZodValidationPipe(z.object({ page: z.coerce.number().int() }), 'query');
    expect(fieldsOf(() => query.transform({ page: 'x' }))[0]?.path).toBe('query.page');
    const params = new ZodValidationPipe(z.object({ id: z.uuid() }), 'params');
    expect(fieldsOf(() => params.transform({ id: '1' }))[0]?.path).toBe('params.id');
  });

  it('caps the number of reported fields', () => {
    const pipe = new ZodValidationPipe(z.array(z.string()), 'body');
    expect(fieldsOf(() => pipe.transform(Array.from({ length: 500 }, () => 1)))).toHaveLength(50);
  });
});
