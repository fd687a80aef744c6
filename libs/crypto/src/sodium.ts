/**
 * The single place that touches libsodium's loader. libsodium-wrappers-sumo ships its WASM
 * inline, initialises asynchronously, and only the "sumo" build exposes `crypto_pwhash`
 * (Argon2id) at run time, which is why Haven depends on it rather than the standard build.
 *
 * Call `initCrypto()` once (it is idempotent); every other function of this library is then
 * synchronous and throws `CryptoError('NOT_READY')` if called too early.
 */
import sodium from 'libsodium-wrappers-sumo';
import { CryptoError } from './errors';

export type Sodium = typeof sodium;

let initPromise: Promise<void> | undefined;
let ready = false;

export function initCrypto(): Promise<void> {
  initPromise ??= sodium.ready.then(() => {
    // The standard build type-checks identically but has no Argon2id at run time; refuse to
    // start rather than fail at the first login.
    if (typeof sodium.crypto_pwhash !== 'function') {
      throw new CryptoError(
        'NOT_READY',
        'libsodium build lacks crypto_pwhash (sumo build required)',
      );
    }
    if (typeof globalThis.crypto?.getRandomValues !== 'function') {
      throw new CryptoError('NOT_READY', 'no secure random source (crypto.getRandomValues)');
    }
    pooledRandomSource(sodium);
    ready = true;
  });
  return initPromise;
}

/**
 * libsodium.js asks its host for randomness through the module's `getRandomValue()` hook, one
 * 32-bit call per random *byte*, each a separate `crypto.getRandomValues` call (~2.5 µs in
 * Node): a third of the cost of a sealed box goes there. This hook serves the same CSPRNG's
 * output from a 1 KiB pool refilled with one `getRandomValues` call, zeroing every word as it
 * is handed out so that spent randomness (ephemeral secrets) does not linger in the pool.
 * If a future libsodium.js drops the hook, nothing is replaced and it keeps its own source.
 */
function pooledRandomSource(loaded: Sodium): void {
  const module = (loaded as unknown as { libsodium?: { getRandomValue?: unknown } }).libsodium;
  if (typeof module !== 'object' || module === null || typeof module.getRandomValue !== 'function')
    return;
  const pool = new Uint32Array(256);
  let next = pool.length;
  module.getRandomValue = (): number => {
    if (next >= pool.length) {
      globalThis.crypto.getRandomValues(pool);
      next = 0;
    }
    const value = pool[next];
    pool[next++] = 0;
    return value >>> 0;
  };
}

export function isCryptoReady(): boolean {
  return ready;
}

/** libsodium, once initialised. Internal: the rest of the library goes through this. */
export function lib(): Sodium {
  if (!ready) throw new CryptoError('NOT_READY', 'initCrypto() has not completed');
  return sodium;
}

/** The libsodium version string, for diagnostics (e.g. the dashboard's "about" panel). */
export function sodiumVersion(): string {
  return lib().SODIUM_VERSION_STRING;
}
