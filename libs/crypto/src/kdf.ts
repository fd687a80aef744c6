/**
 * Login key derivation. The password never leaves the client: Argon2id turns it into `pw`,
 * from which two independent subkeys are derived — `authKey`, the only value the server
 * receives (it stores argon2id(authKey)), and `kek`, which wraps the user key and which the
 * server never sees. A server that could choose weak Argon2 parameters could brute-force the
 * password from `authKey`, so the client refuses anything below a compiled-in floor.
 */
import { assertBytes, idBytes, lengthPrefixed, utf8Encode, wipe } from './bytes';
import { CryptoError, guard } from './errors';
import { blake2b, deriveSubkey } from './primitives';
import { lib } from './sodium';

const MiB = 1024 * 1024;

export const KDF_ALGORITHM = 'argon2id13';

export interface KdfParams {
  readonly algorithm: typeof KDF_ALGORITHM;
  /** Argon2 passes (t). */
  readonly opsLimit: number;
  /** Argon2 memory in bytes (m × 1024); a multiple of 1 KiB. */
  readonly memLimitBytes: number;
}

/**
 * The compiled-in floor. A client refuses to derive keys with anything weaker, whatever the
 * server says. Raising it is a client release; lowering it must never happen.
 */
export const KDF_FLOOR: Readonly<{ opsLimit: number; memLimitBytes: number }> = Object.freeze({
  opsLimit: 3,
  memLimitBytes: 64 * MiB,
});

/**
 * A ceiling too: a malicious server could otherwise make every login allocate gigabytes or
 * spin for minutes (a denial of service against the staff who need the dashboard).
 */
export const KDF_CEILING: Readonly<{ opsLimit: number; memLimitBytes: number }> = Object.freeze({
  opsLimit: 16,
  memLimitBytes: 1024 * MiB,
});

/** What a new deployment uses (see docs/crypto.md for the measured cost). */
export const KDF_RECOMMENDED: KdfParams = Object.freeze({
  algorithm: KDF_ALGORITHM,
  opsLimit: 3,
  memLimitBytes: 128 * MiB,
});

export const SERVER_SEED_BYTES = 32;
export const LOGIN_SALT_BYTES = 16;
const MAX_PASSWORD_BYTES = 4096;

export interface LoginKeyInput {
  password: string;
  username: string;
  /** Per-deployment random seed the server hands out with the parameters (not secret). */
  serverSeed: Uint8Array;
  /** As received from the server: checked against the floor before use. */
  params: unknown;
}

export interface LoginKeys {
  /** Sent to the server at login; the server stores only argon2id(authKey). */
  authKey: Uint8Array;
  /** Key-encryption key for the user key; never leaves the client. */
  kek: Uint8Array;
}

/**
 * Validates parameters that came from the server. Weaker than the floor → `WEAK_PARAMS`;
 * malformed, unknown algorithm or above the ceiling → `BAD_PARAMS`.
 */
export function checkKdfParams(params: unknown): KdfParams {
  if (typeof params !== 'object' || params === null) {
    throw new CryptoError('BAD_PARAMS', 'KDF parameters must be an object');
  }
  const { algorithm, opsLimit, memLimitBytes } = params as Record<string, unknown>;
  if (algorithm !== KDF_ALGORITHM) {
    throw new CryptoError('BAD_PARAMS', `KDF algorithm must be ${KDF_ALGORITHM}`);
  }
  if (
    typeof opsLimit !== 'number' ||
    typeof memLimitBytes !== 'number' ||
    !Number.isSafeInteger(opsLimit) ||
    !Number.isSafeInteger(memLimitBytes) ||
    memLimitBytes % 1024 !== 0
  ) {
    throw new CryptoError('BAD_PARAMS', 'KDF costs must be integers (memory in whole KiB)');
  }
  if (opsLimit < KDF_FLOOR.opsLimit || memLimitBytes < KDF_FLOOR.memLimitBytes) {
    throw new CryptoError(
      'WEAK_PARAMS',
      `KDF parameters below the client floor (t≥${KDF_FLOOR.opsLimit}, m≥${KDF_FLOOR.memLimitBytes / MiB} MiB)`,
    );
  }
  if (opsLimit > KDF_CEILING.opsLimit || memLimitBytes > KDF_CEILING.memLimitBytes) {
    throw new CryptoError('BAD_PARAMS', 'KDF parameters above the client ceiling');
  }
  return { algorithm, opsLimit, memLimitBytes };
}

/** NFKC, trimmed, lower-cased: the same person typing their name differently gets one salt. */
export function normaliseUsername(username: string): string {
  if (typeof username !== 'string') throw new CryptoError('BAD_INPUT', 'username must be a string');
  const normalised = username.normalize('NFKC').trim().toLowerCase();
  idBytes(normalised, 'username');
  return normalised;
}

/**
 * salt = BLAKE2b-128(key = serverSeed, msg = lp("haven/login-salt/v1", normalisedUsername)).
 * Deterministic, so the server need not store or reveal a per-user salt (and can answer for
 * unknown usernames exactly as for known ones); keyed by the deployment seed so that a
 * precomputed table for one deployment is useless for another.
 */
export function deriveLoginSalt(username: string, serverSeed: Uint8Array): Uint8Array {
  const user = utf8Encode(normaliseUsername(username));
  assertBytes(serverSeed, 'serverSeed', SERVER_SEED_BYTES);
  return blake2b(
    LOGIN_SALT_BYTES,
    lengthPrefixed(utf8Encode('haven/login-salt/v1'), user),
    serverSeed,
  );
}

/** Derives `authKey` and `kek`; refuses parameters below the floor (`WEAK_PARAMS`). */
export function deriveLoginKeys(input: LoginKeyInput): LoginKeys {
  if (typeof input !== 'object' || input === null) {
    throw new CryptoError('BAD_INPUT', 'login key input must be an object');
  }
  const params = checkKdfParams(input.params);
  return deriveLoginKeysWithCost(input, params.opsLimit, params.memLimitBytes);
}

export interface SaltedLoginKeyInput {
  password: string;
  /**
   * The 16-byte login salt as the server sent it with the parameters. Haven's API derives it as
   * `deriveLoginSalt(username, seed)` with a seed it keeps secret, and answers unknown usernames
   * with the same derivation, so the salt reveals nothing about whether an account exists.
   */
  salt: Uint8Array;
  /** As received from the server: checked against the floor before use. */
  params: unknown;
}

/**
 * Derives `authKey` and `kek` from a salt the server handed out (see docs/accounts.md);
 * refuses parameters below the floor (`WEAK_PARAMS`) exactly like `deriveLoginKeys`.
 */
export function deriveLoginKeysFromSalt(input: SaltedLoginKeyInput): LoginKeys {
  if (typeof input !== 'object' || input === null) {
    throw new CryptoError('BAD_INPUT', 'login key input must be an object');
  }
  const params = checkKdfParams(input.params);
  return deriveFromSaltWithCost(input.password, input.salt, params.opsLimit, params.memLimitBytes);
}

/**
 * The derivation itself, without the floor check. Internal: `index.ts` does not export it;
 * only `testing.ts` reaches it, so server-supplied parameters can never get here unchecked.
 */
export function deriveLoginKeysWithCost(
  input: Omit<LoginKeyInput, 'params'>,
  opsLimit: number,
  memLimitBytes: number,
): LoginKeys {
  const { password, username, serverSeed } = input;
  if (typeof password !== 'string' || password.length === 0) {
    throw new CryptoError('BAD_INPUT', 'password must be a non-empty string');
  }
  return deriveFromSaltWithCost(
    password,
    deriveLoginSalt(username, serverSeed),
    opsLimit,
    memLimitBytes,
  );
}

/** Internal, like `deriveLoginKeysWithCost`: Argon2id of the password under `salt`, then the subkeys. */
export function deriveFromSaltWithCost(
  password: string,
  salt: Uint8Array,
  opsLimit: number,
  memLimitBytes: number,
): LoginKeys {
  if (typeof password !== 'string' || password.length === 0) {
    throw new CryptoError('BAD_INPUT', 'password must be a non-empty string');
  }
  assertBytes(salt, 'salt', LOGIN_SALT_BYTES);
  const passwordBytes = utf8Encode(password.normalize('NFKC'));
  if (passwordBytes.length > MAX_PASSWORD_BYTES) {
    wipe(passwordBytes);
    throw new CryptoError('BAD_INPUT', `password must be at most ${MAX_PASSWORD_BYTES} bytes`);
  }
  const s = lib();
  let pw: Uint8Array | undefined;
  try {
    pw = guard('BAD_PARAMS', 'Argon2id failed (out of memory?)', () =>
      s.crypto_pwhash(
        32,
        passwordBytes,
        salt,
        opsLimit,
        memLimitBytes,
        s.crypto_pwhash_ALG_ARGON2ID13,
      ),
    );
    return {
      authKey: deriveSubkey(32, 1, 'hvnauth1', pw),
      kek: deriveSubkey(32, 2, 'hvnkek01', pw),
    };
  } finally {
    wipe(passwordBytes, pw);
  }
}
