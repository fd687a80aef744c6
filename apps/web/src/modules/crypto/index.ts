export { createCryptoClient, spawnCryptoWorker, type CryptoClient } from './crypto-client';
export {
  isWorkerCryptoError,
  WorkerCryptoError,
  type AnyHandle,
  type CaseKeyHandle,
  type CertHandle,
  type CertificateSubject,
  type CryptoWorkerApi,
  type IntakeHandle,
  type IntakeSubmission,
  type ItemResult,
  type KekHandle,
  type OpenedCaseKey,
  type OrganisationSetup,
  type RecordItem,
  type UnlockedUser,
  type UserHandle,
  type VerifiedKey,
} from './crypto-protocol';
export {
  type CaseCryptoApi,
  type CaseGrantItem,
  type CaseRotationResult,
  type GrantRouting,
  type IndexKeyHandle,
  type RecordPadding,
} from './case-crypto-protocol';
export { type IntakeCryptoApi } from './intake-crypto-protocol';
export {
  type BuiltPacket,
  type OpenedPacketKey,
  type PacketCryptoApi,
  type PacketKeyHandle,
  type PacketNoteItem,
} from './packet-crypto-protocol';
