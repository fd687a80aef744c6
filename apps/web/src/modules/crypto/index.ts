export { createCryptoClient, spawnCryptoWorker, type CryptoClient } from './crypto-client';
export {
  isWorkerCryptoError,
  WorkerCryptoError,
  type AnyHandle,
  type CaseKeyHandle,
  type CertHandle,
  type CryptoWorkerApi,
  type IntakeHandle,
  type IntakeSubmission,
  type ItemResult,
  type KekHandle,
  type OpenedCaseKey,
  type RecordItem,
  type UnlockedUser,
  type UserHandle,
  type VerifiedKey,
} from './crypto-protocol';
