import { fromHex, toHex, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { checkKdfParams, deriveLoginKeys, deriveLoginKeysFromSalt, deriveLoginSalt } from './kdf';
import {
  deriveServerSubkey,
  keyedHash,
  openServerSecret,
  sealServerSecret,
  SERVER_SECRET_BYTES,
} from './server-keys';
import { lib, initCrypto } from './sodium';
import { deriveLoginKeysForTests, deriveLoginKeysFromSaltForTests } from './testing';

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

const secret = () => Uint8Array.from({ length: SERVER_SECRET_BYTES }, (_, i) => i);

describe('deriveServerSubkey', () => {
  it('is crypto_kdf_derive_from_key(32, id, context, secret)', () => {
    const expected = lib().crypto_kdf_derive_from_key(32, 7, 'hvntotp1', secret());
    expect(toHex(deriveServerSubkey(secret(), 7, 'hvntotp1'))).toBe(toHex(expected));
  });

  it('gives independent keys per id and context, and the same key every time', () => {
    const a = toHex(deriveServerSubkey(secret(), 1, 'hvnseed1'));
    expect(toHex(deriveServerSubkey(secret(), 1, 'hvnseed1'))).toBe(a);
    expect(toHex(deriveServerSubkey(secret(), 2, 'hvnseed1'))).not.toBe(a);
    expect(toHex(deriveServerSubkey(secret(), 1, 'hvnseed2'))).not.toBe(a);
  });

  it('refuses a short secret, a bad id and a context that is not 8 ASCII characters', () => {
    expect(codeOf(() => deriveServerSubkey(new Uint8Array(16), 1, 'hvnseed1'))).toBe('BAD_INPUT');
    expect(codeOf(() => deriveServerSubkey(secret(), -1, 'hvnseed1'))).toBe('BAD_INPUT');
    expect(codeOf(() => deriveServerSubkey(secret(), 1.5, 'hvnseed1'))).toBe('BAD_INPUT');
    expect(codeOf(() => deriveServerSubkey(secret(), 1, 'short'))).toBe('BAD_INPUT');
    expect(codeOf(() => deriveServerSubkey(secret(), 1, 'hvnséed1'))).toBe('BAD_INPUT');
  });
});

describe('sealServerSecret', () => {
  const key = () => deriveServerSubkey(secret(), 2, 'hvntotp1');

  it('round-trips and never contains the plaintext', () => {
    const plaintext = utf8Encode('JBSWY3DPEHPK3PXP-canary');
    const sealed = sealServerSecret(key(), plaintext, 'user-1');
    expect(sealed.slice(0, 2)).toEqual(Uint8Array.of(1, 7));
    expect(sealed).toHaveLength(2 + 24 + plaintext.length + 16);
    expect(toHex(sealed)).not.toContain(toHex(plaintext));
    expect(openServerSecret(key(), sealed, 'user-1')).toEqual(plaintext);
  });

  it('fails on another row, another key or any flipped bit', () => {
    const sealed = sealServerSecret(key(), utf8Encode('s'), 'user-1');
    expect(codeOf(() => openServerSecret(key(), sealed, 'user-2'))).toBe('AUTH_FAILED');
    const other = deriveServerSubkey(secret(), 3, 'hvntotp1');
    expect(codeOf(() => openServerSecret(other, sealed, 'user-1'))).toBe('AUTH_FAILED');
    for (let i = 2; i < sealed.length; i++) {
      const copy = sealed.slice();
      copy[i] ^= 1;
      expect(codeOf(() => openServerSecret(key(), copy, 'user-1'))).toBe('AUTH_FAILED');
    }
  });

  it('refuses envelopes of another kind or version, and empty or huge plaintexts', () => {
    const sealed = sealServerSecret(key(), utf8Encode('s'), 'u');
    const wrongKind = sealed.slice();
    wrongKind[1] = 2;
    expect(codeOf(() => openServerSecret(key(), wrongKind, 'u'))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => openServerSecret(key(), sealed.slice(0, 20), 'u'))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => sealServerSecret(key(), new Uint8Array(0), 'u'))).toBe('BAD_INPUT');
    expect(codeOf(() => sealServerSecret(key(), new Uint8Array(2000), 'u'))).toBe('BAD_INPUT');
    expect(codeOf(() => openServerSecret(key(), 'x' as never, 'u'))).toBe('BAD_ENVELOPE');
  });
});

describe('keyedHash', () => {
  const key = () => deriveServerSubkey(secret(), 3, 'hvnthrt1');

  it('is keyed BLAKE2b over lp(context, value)', () => {
    const expected = lib().crypto_generichash(
      32,
      fromHex('00000004' + toHex(utf8Encode('ctx!')) + '00000004' + toHex(utf8Encode('anna'))),
      key(),
    );
    expect(toHex(keyedHash(key(), 'ctx!', 'anna'))).toBe(toHex(expected));
  });

  it('separates contexts and keys, and checks its arguments', () => {
    expect(toHex(keyedHash(key(), 'a', 'x'))).not.toBe(toHex(keyedHash(key(), 'b', 'x')));
    expect(keyedHash(key(), 'a', 'x', 16)).toHaveLength(16);
    expect(codeOf(() => keyedHash(key(), '', 'x'))).toBe('BAD_INPUT');
    expect(codeOf(() => keyedHash(key(), 'a', 'x', 8))).toBe('BAD_INPUT');
    expect(codeOf(() => keyedHash(new Uint8Array(3), 'a', 'x'))).toBe('BAD_INPUT');
  });
});

describe('deriveLoginKeysFromSalt', () => {
  const seed = new Uint8Array(32).fill(9);

  it('gives the same keys as deriveLoginKeys with the salt derived from the username', () => {
    const salt = deriveLoginSalt('Anna', seed);
    const fromSalt = deriveLoginKeysFromSaltForTests({ password: 'correct horse', salt });
    const fromSeed = deriveLoginKeysForTests({
      password: 'correct horse',
      username: 'anna',
      serverSeed: seed,
    });
    expect(toHex(fromSalt.authKey)).toBe(toHex(fromSeed.authKey));
    expect(toHex(fromSalt.kek)).toBe(toHex(fromSeed.kek));
  });

  it('applies the same floor and ceiling as deriveLoginKeys', () => {
    const salt = deriveLoginSalt('anna', seed);
    const weak = { algorithm: 'argon2id13', opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 };
    expect(codeOf(() => deriveLoginKeysFromSalt({ password: 'p', salt, params: weak }))).toBe(
      'WEAK_PARAMS',
    );
    expect(
      codeOf(() =>
        deriveLoginKeysFromSalt({ password: 'p', salt, params: { ...weak, algorithm: 'x' } }),
      ),
    ).toBe('BAD_PARAMS');
    expect(
      codeOf(() =>
        deriveLoginKeys({ password: 'p', username: 'a', serverSeed: seed, params: weak }),
      ),
    ).toBe('WEAK_PARAMS');
    expect(checkKdfParams({ ...weak, opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 }).opsLimit).toBe(
      3,
    );
  });

  it('refuses a salt of the wrong size and an empty password', () => {
    const params = { algorithm: 'argon2id13', opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 };
    expect(
      codeOf(() => deriveLoginKeysFromSalt({ password: 'p', salt: new Uint8Array(8), params })),
    ).toBe('BAD_INPUT');
    expect(
      codeOf(() => deriveLoginKeysFromSalt({ password: '', salt: new Uint8Array(16), params })),
    ).toBe('BAD_INPUT');
    expect(codeOf(() => deriveLoginKeysFromSalt(null as never))).toBe('BAD_INPUT');
  });
});
