import type { Provider } from '@nestjs/common';
import { deriveServerSubkey, initCrypto } from '@haven/crypto';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/**
 * The subkeys of SERVER_SECRET, one per purpose (docs/accounts.md):
 *  1 "hvnsalt1": seed of the login salts (salt = deriveLoginSalt(username, seed));
 *  2 "hvntotp1": encrypts TOTP secrets at rest;
 *  3 "hvnthrt1": keys the hash that names an account in the throttling table;
 *  4 "hvnpepr1": the pepper (argon2 `secret`) of the server-side authKey hashes.
 * The client-address hash is not among them: its key is random, in memory, rotated daily.
 */
export class ServerKeys {
  private constructor(
    readonly loginSaltSeed: Uint8Array,
    readonly totp: Uint8Array,
    readonly throttle: Uint8Array,
    readonly pepper: Uint8Array,
  ) {}

  static async derive(serverSecret: Uint8Array): Promise<ServerKeys> {
    await initCrypto();
    return new ServerKeys(
      deriveServerSubkey(serverSecret, 1, 'hvnsalt1'),
      deriveServerSubkey(serverSecret, 2, 'hvntotp1'),
      deriveServerSubkey(serverSecret, 3, 'hvnthrt1'),
      deriveServerSubkey(serverSecret, 4, 'hvnpepr1'),
    );
  }
}

/** Async provider: libsodium is initialised before anything that injects the keys is built. */
export const serverKeysProvider: Provider = {
  provide: ServerKeys,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ServerKeys.derive(config.serverSecret),
};
