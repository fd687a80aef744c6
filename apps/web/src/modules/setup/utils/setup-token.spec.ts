import { readSetupToken } from './setup-token';

const token = 'Zk3v_9QpL-2mX8rT4yWb6nHc';

describe('readSetupToken', () => {
  it('reads the token from the fragment', () => {
    expect(readSetupToken(`#token=${token}`)).toBe(token);
  });

  it('accepts the fragment without its leading #', () => {
    expect(readSetupToken(`token=${token}`)).toBe(token);
  });

  it('finds the token among other fragment parameters', () => {
    expect(readSetupToken(`#lang=ru&token=${token}`)).toBe(token);
  });

  it.each(['', '#', '#token=', '#tok=abc', '#other=1'])(
    'returns null without a token (%p)',
    (hash) => {
      expect(readSetupToken(hash)).toBeNull();
    },
  );

  it('refuses values that cannot be a token', () => {
    expect(readSetupToken('#token=short')).toBeNull();
    expect(readSetupToken(`#token=${token}%3Cscript%3E`)).toBeNull();
    expect(readSetupToken(`#token=${'a'.repeat(513)}`)).toBeNull();
  });
});
