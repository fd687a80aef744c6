/**
 * The dashboard's crypto worker: libsodium, Argon2id and every key live here, off the page's
 * main thread (a 64+ MiB Argon2id run would otherwise freeze the UI) and out of the page's
 * JavaScript heap. Spawned by `spawnCryptoWorker()` in crypto-client.ts.
 */
import { expose } from 'comlink';
import { toTransferableError, type CryptoWorkerApi } from './crypto-protocol';
import { createCryptoWorkerApi } from './crypto-worker-api';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** Rewrites thrown errors into the form the client turns back into WorkerCryptoError. */
function withTransferableErrors(api: CryptoWorkerApi): CryptoWorkerApi {
  const wrapped: Record<string, AnyMethod> = {};
  for (const [name, method] of Object.entries(api) as [string, AnyMethod][]) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await method(...args);
      } catch (error) {
        throw toTransferableError(error);
      }
    };
  }
  return wrapped as unknown as CryptoWorkerApi;
}

expose(withTransferableErrors(createCryptoWorkerApi()));
