import { createHash } from 'node:crypto';
import { hashSetupToken } from './setup-token';

describe('hashSetupToken', () => {
  it('is the SHA-256 of the token text', () => {
    expect(hashSetupToken('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hashSetupToken('x')).toEqual(createHash('sha256').update('x').digest());
    expect(hashSetupToken('x')).toHaveLength(32);
  });
});
