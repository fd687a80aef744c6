import { toHex } from './bytes';
import { CryptoError } from './errors';
import { generateIntakeKeyPair } from './intake';
import {
  createUserKeys,
  generateSignKeyPair,
  unwrapKey,
  unwrapOrgRootKey,
  wrapOrgRootKey,
} from './keys';
import { makeOrgRootPin, unwrapIntakeKey, verifyOrgRootPin, wrapIntakeKey } from './org-keys';
import { initCrypto } from './sodium';
import { randomBytes } from './bytes';

beforeAll(async () => {
  await initCrypto();
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return 'no error';
}

const userNamed = (id: string) => createUserKeys(randomBytes(32), id).keys;

describe('intake key wrapped for its holder', () => {
  it('round-trips and is checked against the trusted intake public key', () => {
    const admin = userNamed('admin-1');
    const intake = generateIntakeKeyPair();
    const wrapped = wrapIntakeKey(admin, intake);
    expect(wrapped).toHaveLength(75);
    expect(wrapped[2]).toBe(0x05);
    const opened = unwrapIntakeKey(admin, wrapped, intake.publicKey);
    expect(toHex(opened.privateKey)).toBe(toHex(intake.privateKey));
    expect(codeOf(() => unwrapIntakeKey(admin, wrapped, generateIntakeKeyPair().publicKey))).toBe(
      'AUTH_FAILED',
    );
  });

  it('does not open for another user, nor pass as another purpose', () => {
    const admin = userNamed('admin-1');
    const wrapped = wrapIntakeKey(admin, generateIntakeKeyPair());
    const other = userNamed('admin-2');
    expect(codeOf(() => unwrapIntakeKey(other, wrapped, new Uint8Array(32)))).toBe('AUTH_FAILED');
    expect(codeOf(() => unwrapKey(admin.userKey, 'org-root-seed', 'admin-1', wrapped))).toBe(
      'BAD_ENVELOPE',
    );
    const rootWrap = wrapOrgRootKey(admin, generateSignKeyPair());
    expect(codeOf(() => unwrapIntakeKey(admin, rootWrap, new Uint8Array(32)))).toBe('BAD_ENVELOPE');
    expect(unwrapOrgRootKey(admin, rootWrap).publicKey).toHaveLength(32);
  });
});

describe('organisation root pin', () => {
  it('verifies for the user and root it was made for', () => {
    const anna = userNamed('anna');
    const root = generateSignKeyPair().publicKey;
    const pin = makeOrgRootPin(anna, root);
    expect(pin).toHaveLength(32);
    expect(codeOf(() => verifyOrgRootPin(anna, root, pin))).toBe('no error');
  });

  it('catches a swapped root, another user, or a pin copied from someone else', () => {
    const anna = userNamed('anna');
    const boris = userNamed('boris');
    const root = generateSignKeyPair().publicKey;
    const pin = makeOrgRootPin(anna, root);
    const swapped = generateSignKeyPair().publicKey;
    expect(codeOf(() => verifyOrgRootPin(anna, swapped, pin))).toBe('UNCERTIFIED_KEY');
    expect(codeOf(() => verifyOrgRootPin(boris, root, pin))).toBe('UNCERTIFIED_KEY');
    // Same user id, different user key (e.g. a server that re-enrolled the account).
    expect(codeOf(() => verifyOrgRootPin(userNamed('anna'), root, pin))).toBe('UNCERTIFIED_KEY');
  });

  it('refuses malformed arguments with BAD_INPUT', () => {
    const anna = userNamed('anna');
    expect(codeOf(() => makeOrgRootPin(anna, new Uint8Array(5)))).toBe('BAD_INPUT');
    expect(codeOf(() => verifyOrgRootPin(anna, new Uint8Array(32), new Uint8Array(3)))).toBe(
      'BAD_INPUT',
    );
    expect(codeOf(() => makeOrgRootPin(null as never, new Uint8Array(32)))).toBe('BAD_INPUT');
  });
});
