import { createCryptoClient, type CryptoClient } from '../crypto';

let client: CryptoClient | undefined;

/**
 * The page's one crypto worker, started on first use (the sign-in page loads the worker's
 * ~220 KB chunk only when someone actually signs in).
 */
export function cryptoWorker(): CryptoClient {
  client ??= createCryptoClient();
  return client;
}

/** Zeroes every key the worker holds (lock, sign-out). Does nothing if it never started. */
export async function wipeKeys(): Promise<void> {
  await client?.wipe();
}
