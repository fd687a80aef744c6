/**
 * The page's handle on the crypto worker. Loads no crypto code itself: libsodium and the keys
 * stay in the worker, which Vite bundles as a separate chunk fetched on first use.
 *
 *   const crypto = createCryptoClient();
 *   const { authKey, kek } = await crypto.deriveLoginKeys({ password, username, serverSeed, params });
 *   …
 *   await crypto.wipe(); // logout, idle timeout
 */
import { releaseProxy, wrap } from 'comlink';
import { CASE_CRYPTO_METHODS } from './case-crypto-protocol';
import { INTAKE_CRYPTO_METHODS } from './intake-crypto-protocol';
import { PACKET_CRYPTO_METHODS } from './packet-crypto-protocol';
import { fromTransferredError, type CryptoWorkerApi } from './crypto-protocol';

export interface CryptoClient extends CryptoWorkerApi {
  /** Wipes every key in the worker, then ends the worker (its memory goes with it). */
  dispose(): Promise<void>;
}

/** `new Worker(new URL(...), { type: 'module' })` written literally so that Vite bundles it. */
export function spawnCryptoWorker(): Worker {
  return new Worker(new URL('./crypto.worker.ts', import.meta.url), {
    type: 'module',
    name: 'haven-crypto',
  });
}

/** Every method of the worker API; a Record so that adding a method without listing it fails to compile. */
const METHODS: Record<keyof CryptoWorkerApi, true> = {
  ...CASE_CRYPTO_METHODS,
  ...INTAKE_CRYPTO_METHODS,
  ...PACKET_CRYPTO_METHODS,
  init: true,
  deriveLoginKeys: true,
  deriveLoginKeysFromSalt: true,
  createUserKeys: true,
  setupOrganisation: true,
  makeOrgRootPin: true,
  pinOrgRootWithPin: true,
  fingerprintOf: true,
  rootFingerprint: true,
  certifyUser: true,
  unlockUserKeys: true,
  rewrapUserKey: true,
  pinOrgRoot: true,
  verifyCertificate: true,
  createCaseKey: true,
  openCaseGrant: true,
  sealCaseGrant: true,
  encryptRecord: true,
  encryptJson: true,
  decryptRecords: true,
  decryptJson: true,
  openIntakeGrant: true,
  openIntakeSubmissions: true,
  release: true,
  wipe: true,
};

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

export function createCryptoClient(worker: Worker = spawnCryptoWorker()): CryptoClient {
  const remote = wrap<CryptoWorkerApi>(worker);
  const methods = remote as unknown as Record<keyof CryptoWorkerApi, AnyMethod>;
  const client: Record<string, AnyMethod> = {};
  for (const name of Object.keys(METHODS) as (keyof CryptoWorkerApi)[]) {
    client[name] = async (...args: unknown[]) => {
      try {
        return await methods[name](...args);
      } catch (error) {
        throw fromTransferredError(error);
      }
    };
  }
  const api = client as unknown as CryptoWorkerApi;
  return {
    ...api,
    async dispose() {
      try {
        await api.wipe();
      } finally {
        remote[releaseProxy]();
        worker.terminate();
      }
    },
  };
}
