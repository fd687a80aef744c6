import { fromHex, toHex } from './bytes';
import { CryptoError } from './errors';
import {
  checkKdfParams,
  deriveLoginKeys,
  deriveLoginSalt,
  KDF_CEILING,
  KDF_FLOOR,
  KDF_RECOMMENDED,
  normaliseUsername,
} from './kdf';
import { initCrypto } from './sodium';
import { deriveLoginKeysForTests } from './testing';

const MiB = 1024 * 1024;
const seed = () => new Uint8Array(32).fill(7);

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

describe('deriveLoginKeys', () => {
  // End-to-end vector computed without this library: salt and subkeys with Python's hashlib
  // BLAKE2b (crypto_kdf = BLAKE2b with salt LE64(id)||0^8 and personal ctx||0^8), Argon2id
  // with the reference C implementation; see libs/crypto/vectors/independent-vectors.py.
  it('matches an independently computed vector at the production floor', () => {
    expect(toHex(deriveLoginSalt('Anna', seed()))).toBe('f625a3bc6f1700eaeaea5eac08e56979');
    const keys = deriveLoginKeys({
      password: 'correct horse battery staple',
      username: 'Anna',
      serverSeed: seed(),
      params: { algorithm: 'argon2id13', ...KDF_FLOOR },
    });
    expect(toHex(keys.authKey)).toBe(
      '114bc5c36d67c45f4ff241b741bf86e209b7c13f581fce6d900474e87c0ad2d7',
    );
    expect(toHex(keys.kek)).toBe(
      '5548bafeb2d7d3cca042c3734f358f9bae20684fe5b8036b0f2819810086af32',
    );
  });

  it('gives different keys for another password, username or deployment seed', () => {
    const base = { password: 'pw-one', username: 'anna', serverSeed: seed() };
    const a = toHex(deriveLoginKeysForTests(base).authKey);
    expect(toHex(deriveLoginKeysForTests({ ...base, password: 'pw-two' }).authKey)).not.toBe(a);
    expect(toHex(deriveLoginKeysForTests({ ...base, username: 'boris' }).authKey)).not.toBe(a);
    expect(
      toHex(deriveLoginKeysForTests({ ...base, serverSeed: new Uint8Array(32) }).authKey),
    ).not.toBe(a);
    expect(toHex(deriveLoginKeysForTests(base).authKey)).toBe(a);
  });

  it('normalises the password (NFKC) so composed and decomposed input agree', () => {
    const base = { username: 'anna', serverSeed: seed() };
    const composed = deriveLoginKeysForTests({ ...base, password: 'caf\u00e9' });
    const decomposed = deriveLoginKeysForTests({ ...base, password: 'cafe\u0301' });
    expect(toHex(composed.kek)).toBe(toHex(decomposed.kek));
  });

  it('refuses bad input with BAD_INPUT', () => {
    const params = { algorithm: 'argon2id13', ...KDF_FLOOR };
    expect(
      codeOf(() => deriveLoginKeys({ password: '', username: 'a', serverSeed: seed(), params })),
    ).toBe('BAD_INPUT');
    expect(
      codeOf(() => deriveLoginKeys({ password: 'x', username: '   ', serverSeed: seed(), params })),
    ).toBe('BAD_INPUT');
    expect(
      codeOf(() =>
        deriveLoginKeys({ password: 'x', username: 'a', serverSeed: new Uint8Array(31), params }),
      ),
    ).toBe('BAD_INPUT');
    expect(codeOf(() => deriveLoginKeys(null as never))).toBe('BAD_INPUT');
    expect(
      codeOf(() =>
        deriveLoginKeysForTests({ password: 'x'.repeat(5000), username: 'a', serverSeed: seed() }),
      ),
    ).toBe('BAD_INPUT');
  });
});

describe('malicious server: KDF parameters', () => {
  const weakened = [
    [
      'two passes despite more memory',
      { algorithm: 'argon2id13', opsLimit: 2, memLimitBytes: 512 * MiB },
    ],
    ['half the memory', { algorithm: 'argon2id13', opsLimit: 3, memLimitBytes: 32 * MiB }],
    [
      "libsodium's INTERACTIVE preset",
      { algorithm: 'argon2id13', opsLimit: 2, memLimitBytes: 64 * MiB },
    ],
    ['minimal', { algorithm: 'argon2id13', opsLimit: 1, memLimitBytes: 8192 }],
    ['more passes but tiny memory', { algorithm: 'argon2id13', opsLimit: 16, memLimitBytes: MiB }],
  ] as const;

  it.each(weakened)('refuses %s with WEAK_PARAMS before any hashing', (_name, params) => {
    expect(
      codeOf(() =>
        deriveLoginKeys({ password: 'pw', username: 'anna', serverSeed: seed(), params }),
      ),
    ).toBe('WEAK_PARAMS');
  });

  const unusable: [string, unknown][] = [
    [
      'argon2i instead of argon2id',
      { algorithm: 'argon2i13', opsLimit: 3, memLimitBytes: 64 * MiB },
    ],
    ['no algorithm', { opsLimit: 3, memLimitBytes: 64 * MiB }],
    ['fractional cost', { algorithm: 'argon2id13', opsLimit: 3.5, memLimitBytes: 64 * MiB }],
    ['memory not in KiB', { algorithm: 'argon2id13', opsLimit: 3, memLimitBytes: 64 * MiB + 1 }],
    ['string costs', { algorithm: 'argon2id13', opsLimit: '3', memLimitBytes: '67108864' }],
    [
      'above the ceiling (DoS)',
      { algorithm: 'argon2id13', opsLimit: 3, memLimitBytes: 4096 * MiB },
    ],
    ['too many passes (DoS)', { algorithm: 'argon2id13', opsLimit: 1000, memLimitBytes: 64 * MiB }],
    ['null', null],
    ['a string', 'argon2id13'],
  ];

  it.each(unusable)('refuses %s with BAD_PARAMS', (_name, params) => {
    expect(codeOf(() => checkKdfParams(params))).toBe('BAD_PARAMS');
  });

  it('accepts the floor, the recommended setting and the ceiling', () => {
    expect(checkKdfParams({ algorithm: 'argon2id13', ...KDF_FLOOR })).toEqual({
      algorithm: 'argon2id13',
      ...KDF_FLOOR,
    });
    expect(checkKdfParams(KDF_RECOMMENDED)).toEqual(KDF_RECOMMENDED);
    expect(checkKdfParams({ algorithm: 'argon2id13', ...KDF_CEILING })).toEqual({
      algorithm: 'argon2id13',
      ...KDF_CEILING,
    });
  });

  it('has a floor of at least 3 passes and 64 MiB, and it cannot be changed at run time', () => {
    expect(KDF_FLOOR.opsLimit).toBeGreaterThanOrEqual(3);
    expect(KDF_FLOOR.memLimitBytes).toBeGreaterThanOrEqual(64 * MiB);
    expect(Object.isFrozen(KDF_FLOOR)).toBe(true);
    expect(() => {
      (KDF_FLOOR as { opsLimit: number }).opsLimit = 1;
    }).toThrow(TypeError);
  });
});

describe('username-derived salt', () => {
  it('normalises usernames (NFKC, trim, lower case)', () => {
    expect(normaliseUsername('  Anna.K ')).toBe('anna.k');
    expect(normaliseUsername('ＡＮＮＡ')).toBe('anna');
  });

  it('depends on the username and on the deployment seed, and is 16 bytes', () => {
    const a = deriveLoginSalt('anna', seed());
    expect(a.length).toBe(16);
    expect(toHex(deriveLoginSalt('ANNA ', seed()))).toBe(toHex(a));
    expect(toHex(deriveLoginSalt('anna2', seed()))).not.toBe(toHex(a));
    expect(toHex(deriveLoginSalt('anna', fromHex('00'.repeat(32))))).not.toBe(toHex(a));
  });
});
