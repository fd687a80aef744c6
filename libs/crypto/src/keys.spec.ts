import { toHex } from './bytes';
import { CryptoError } from './errors';
import {
  createUserKeys,
  rewrapUserKey,
  unlockUserKeys,
  unwrapKey,
  unwrapOrgRootKey,
  wipeUserKeys,
  wrapKey,
  wrapOrgRootKey,
  WRAPPED_KEY_BYTES,
  generateSignKeyPair,
  type UserKeyBundle,
} from './keys';
import { lib, initCrypto } from './sodium';
import { deriveLoginKeysForTests } from './testing';

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

const serverSeed = () => new Uint8Array(32).fill(3);

describe('user keys', () => {
  it('creates keys that unlock with the same kek and match the bundle', () => {
    const { kek } = deriveLoginKeysForTests({
      password: 'pw',
      username: 'anna',
      serverSeed: serverSeed(),
    });
    const { bundle, keys } = createUserKeys(kek, 'user-anna');
    expect(bundle.wrappedUserKey.length).toBe(WRAPPED_KEY_BYTES);
    const unlocked = unlockUserKeys(kek, 'user-anna', bundle);
    expect(toHex(unlocked.userKey)).toBe(toHex(keys.userKey));
    expect(toHex(unlocked.box.privateKey)).toBe(toHex(keys.box.privateKey));
    expect(toHex(unlocked.sign.privateKey)).toBe(toHex(keys.sign.privateKey));
    expect(toHex(lib().crypto_scalarmult_base(unlocked.box.privateKey))).toBe(
      toHex(bundle.boxPublicKey),
    );
  });

  it('refuses a wrong password with AUTH_FAILED', () => {
    const right = deriveLoginKeysForTests({
      password: 'right',
      username: 'anna',
      serverSeed: serverSeed(),
    });
    const wrong = deriveLoginKeysForTests({
      password: 'wrong',
      username: 'anna',
      serverSeed: serverSeed(),
    });
    const { bundle } = createUserKeys(right.kek, 'user-anna');
    expect(codeOf(() => unlockUserKeys(wrong.kek, 'user-anna', bundle))).toBe('AUTH_FAILED');
  });

  it('binds wrapped secrets to their owner and purpose', () => {
    const kek = lib().randombytes_buf(32);
    const { bundle } = createUserKeys(kek, 'user-anna');
    // Another user's id: the AD differs.
    expect(codeOf(() => unlockUserKeys(kek, 'user-boris', bundle))).toBe('AUTH_FAILED');
    // Swap the two secrets wrapped under the user key: the purpose byte differs.
    const swapped: UserKeyBundle = {
      ...bundle,
      wrappedBoxSecret: bundle.wrappedSignSeed,
      wrappedSignSeed: bundle.wrappedBoxSecret,
    };
    expect(codeOf(() => unlockUserKeys(kek, 'user-anna', swapped))).toBe('BAD_ENVELOPE');
    // Rewrite the purpose byte too: now the AD no longer matches.
    const relabelled = bundle.wrappedSignSeed.slice();
    relabelled[2] = 0x02;
    expect(
      codeOf(() => unlockUserKeys(kek, 'user-anna', { ...bundle, wrappedBoxSecret: relabelled })),
    ).toBe('AUTH_FAILED');
  });

  it('catches a server that substitutes the public keys in the bundle', () => {
    const kek = lib().randombytes_buf(32);
    const { bundle } = createUserKeys(kek, 'user-anna');
    const other = createUserKeys(kek, 'user-anna').bundle;
    expect(
      codeOf(() =>
        unlockUserKeys(kek, 'user-anna', { ...bundle, boxPublicKey: other.boxPublicKey }),
      ),
    ).toBe('BAD_ENVELOPE');
    expect(
      codeOf(() =>
        unlockUserKeys(kek, 'user-anna', { ...bundle, signPublicKey: other.signPublicKey }),
      ),
    ).toBe('BAD_ENVELOPE');
  });

  it('re-wraps on password change: the new password unlocks, the old one no longer does', () => {
    const old = deriveLoginKeysForTests({
      password: 'old',
      username: 'anna',
      serverSeed: serverSeed(),
    });
    const next = deriveLoginKeysForTests({
      password: 'new',
      username: 'anna',
      serverSeed: serverSeed(),
    });
    const { bundle, keys } = createUserKeys(old.kek, 'user-anna');
    const wrappedUserKey = rewrapUserKey(old.kek, next.kek, 'user-anna', bundle.wrappedUserKey);
    const changed = { ...bundle, wrappedUserKey };
    expect(toHex(unlockUserKeys(next.kek, 'user-anna', changed).userKey)).toBe(toHex(keys.userKey));
    expect(codeOf(() => unlockUserKeys(old.kek, 'user-anna', changed))).toBe('AUTH_FAILED');
    // Only the user key changed: the other wrapped secrets are byte-identical.
    expect(changed.wrappedBoxSecret).toBe(bundle.wrappedBoxSecret);
    expect(codeOf(() => rewrapUserKey(next.kek, old.kek, 'user-anna', bundle.wrappedUserKey))).toBe(
      'AUTH_FAILED',
    );
  });

  it('refuses malformed bundles with BAD_ENVELOPE or BAD_INPUT, nothing else', () => {
    const kek = lib().randombytes_buf(32);
    const { bundle } = createUserKeys(kek, 'user-anna');
    const cases: unknown[] = [
      { ...bundle, wrappedUserKey: bundle.wrappedUserKey.subarray(0, 40) },
      { ...bundle, wrappedUserKey: new Uint8Array([...bundle.wrappedUserKey, 0]) },
      { ...bundle, wrappedUserKey: 'not bytes' },
      { ...bundle, boxPublicKey: undefined },
      {},
      null,
    ];
    for (const candidate of cases) {
      expect(['BAD_ENVELOPE', 'BAD_INPUT']).toContain(
        codeOf(() => unlockUserKeys(kek, 'user-anna', candidate as never)),
      );
    }
    expect(codeOf(() => unlockUserKeys(new Uint8Array(16), 'user-anna', bundle))).toBe('BAD_INPUT');
  });

  it('wipes key material in place', () => {
    const { keys } = createUserKeys(lib().randombytes_buf(32), 'user-anna');
    wipeUserKeys(keys);
    expect(keys.userKey.every((b) => b === 0)).toBe(true);
    expect(keys.box.privateKey.every((b) => b === 0)).toBe(true);
    expect(keys.sign.privateKey.every((b) => b === 0)).toBe(true);
  });
});

describe('key wrapping', () => {
  it('round-trips and refuses other purposes, owners or keys', () => {
    const wrappingKey = lib().randombytes_buf(32);
    const secret = lib().randombytes_buf(32);
    const wrapped = wrapKey(wrappingKey, 'box-secret', 'u1', secret);
    expect(toHex(unwrapKey(wrappingKey, 'box-secret', 'u1', wrapped))).toBe(toHex(secret));
    expect(codeOf(() => unwrapKey(wrappingKey, 'sign-seed', 'u1', wrapped))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => unwrapKey(wrappingKey, 'box-secret', 'u2', wrapped))).toBe('AUTH_FAILED');
    expect(codeOf(() => unwrapKey(lib().randombytes_buf(32), 'box-secret', 'u1', wrapped))).toBe(
      'AUTH_FAILED',
    );
    expect(codeOf(() => wrapKey(wrappingKey, 'box-secret', 'u1', new Uint8Array(31)))).toBe(
      'BAD_INPUT',
    );
  });

  it('keeps the org root key wrapped under the setting-up admin', () => {
    const admin = createUserKeys(lib().randombytes_buf(32), 'admin-1').keys;
    const root = generateSignKeyPair();
    const wrapped = wrapOrgRootKey(admin, root);
    expect(toHex(unwrapOrgRootKey(admin, wrapped).publicKey)).toBe(toHex(root.publicKey));
    const other = createUserKeys(lib().randombytes_buf(32), 'admin-2').keys;
    expect(codeOf(() => unwrapOrgRootKey(other, wrapped))).toBe('AUTH_FAILED');
  });
});
