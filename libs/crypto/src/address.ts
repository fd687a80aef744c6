/**
 * Client addresses are never stored or logged, but throttling needs to tell one sender from
 * another for a few minutes. An `AddressHasher` turns an address into a keyed BLAKE2b-128 hash
 * under a random key that lives only in this process's memory and is replaced at every UTC
 * midnight: a hash cannot be reversed by trying all IPv4 addresses (the key is unknown), is
 * not comparable across processes, and stops being linkable to the same sender the next day.
 */
import { lengthPrefixed, randomBytes, toHex, utf8Encode, wipe } from './bytes';
import { CryptoError } from './errors';
import { blake2b, KEY_BYTES } from './primitives';

export const ADDRESS_HASH_BYTES = 16;

const DAY_MS = 86_400_000;
const ADDRESS_CONTEXT = 'haven/address/v1';

export interface AddressHasher {
  /**
   * `hex(BLAKE2b-128(key = today's key, lp("haven/address/v1", address)))`. The key changes
   * when the UTC day does, so the same address hashes differently from one day to the next.
   */
  hash(address: string): string;
  /** The UTC day (days since 1970-01-01) of the key in use; callers drop older state on change. */
  day(): number;
  /** Zeroes the key (shutdown, tests). The next `hash` draws a fresh one. */
  wipe(): void;
}

/** A hasher with its own daily key. `now` is injectable so the rotation can be tested. */
export function createAddressHasher(now: () => number = Date.now): AddressHasher {
  let key: Uint8Array | undefined;
  let keyDay = Number.NaN;
  const currentKey = (): Uint8Array => {
    const today = Math.floor(now() / DAY_MS);
    if (key === undefined || today !== keyDay) {
      wipe(key);
      key = randomBytes(KEY_BYTES);
      keyDay = today;
    }
    return key;
  };
  return {
    hash(address) {
      if (typeof address !== 'string' || address.length === 0 || address.length > 256) {
        throw new CryptoError('BAD_INPUT', 'address must be a non-empty short string');
      }
      const digest = blake2b(
        ADDRESS_HASH_BYTES,
        lengthPrefixed(utf8Encode(ADDRESS_CONTEXT), utf8Encode(address)),
        currentKey(),
      );
      return toHex(digest);
    },
    day() {
      currentKey();
      return keyDay;
    },
    wipe() {
      wipe(key);
      key = undefined;
      keyDay = Number.NaN;
    },
  };
}
