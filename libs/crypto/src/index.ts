/**
 * @haven/crypto — the one place where Haven encrypts, signs, wraps and derives keys.
 * Isomorphic (browser, Web Worker, Node) on libsodium-wrappers-sumo. Call `initCrypto()` once;
 * everything else is synchronous, takes and returns `Uint8Array`s, and fails only with
 * `CryptoError`. Byte layouts and rationale: docs/crypto.md.
 */
export { initCrypto, isCryptoReady, sodiumVersion } from './sodium';
export {
  CRYPTO_ERROR_CODES,
  CryptoError,
  isCryptoError,
  isCryptoErrorCode,
  type CryptoErrorCode,
} from './errors';
export {
  bytesEqual,
  fromBase64,
  fromHex,
  randomBytes,
  toBase64,
  toHex,
  utf8Decode,
  utf8Encode,
  wipe,
} from './bytes';
export { ENVELOPE_KIND, FORMAT_VERSION, type EnvelopeKind } from './envelope';

export {
  checkKdfParams,
  deriveLoginKeys,
  deriveLoginKeysFromSalt,
  deriveLoginSalt,
  KDF_ALGORITHM,
  KDF_CEILING,
  KDF_FLOOR,
  KDF_RECOMMENDED,
  LOGIN_SALT_BYTES,
  normaliseUsername,
  SERVER_SEED_BYTES,
  type KdfParams,
  type LoginKeyInput,
  type LoginKeys,
  type SaltedLoginKeyInput,
} from './kdf';

export {
  createUserKeys,
  generateBoxKeyPair,
  generateSignKeyPair,
  rewrapUserKey,
  unlockUserKeys,
  unwrapOrgRootKey,
  wipeUserKeys,
  wrapOrgRootKey,
  WRAPPED_KEY_BYTES,
  type BoxKeyPair,
  type SignKeyPair,
  type UserKeyBundle,
  type UserKeys,
} from './keys';

export {
  makeOrgRootPin,
  ROOT_PIN_BYTES,
  unwrapIntakeKey,
  verifyOrgRootPin,
  wrapIntakeKey,
} from './org-keys';

export {
  deriveServerSubkey,
  keyedHash,
  MAX_SERVER_SECRET_PLAINTEXT,
  openServerSecret,
  sealServerSecret,
  SERVER_SECRET_BYTES,
} from './server-keys';

export {
  decodeCertificate,
  fingerprint,
  isCertifiedKey,
  issueCertificate,
  STAFF_ROLES,
  verifyCertificateChain,
  type CertificateFields,
  type CertifiedKey,
  type ChainExpectation,
  type KeyCertificate,
  type StaffRole,
} from './certs';

export {
  decryptRecord,
  encryptRecord,
  generateCaseKey,
  RECORD_OVERHEAD,
  recordKeyVersion,
  type CaseKey,
  type RecordRef,
} from './records';

export {
  GRANT_POLICY,
  openCaseKeyGrant,
  openGrant,
  readGrantHeader,
  sealCaseKeyGrant,
  sealGrant,
  type GrantHeader,
  type GrantScope,
  type GrantSubject,
  type OpenGrantExpectation,
} from './grants';

export {
  decryptPacket,
  decryptPacketNote,
  encryptPacket,
  encryptPacketNote,
  generatePacketKey,
  openPacketKeyGrant,
  PACKET_KEY_WRAP_KIND,
  PACKET_OVERHEAD,
  packetKeyFrom,
  packetKeyVersion,
  sealPacketKeyGrant,
  unwrapPacketKey,
  wrapPacketKey,
  type PacketKey,
  type PacketRecordKind,
} from './packets';

export {
  nextCaseKey,
  reencryptRecord,
  rotateCase,
  type CaseRotation,
  type EncryptedRecord,
} from './rotation';

export {
  checkIntakeEnvelope,
  checkReplyEnvelope,
  deriveReceiptKeys,
  generateIntakeKeyPair,
  generateReceiptCode,
  intakeKeyPairFromSecret,
  MAX_PADDED_PAYLOAD_BYTES,
  normaliseReceiptCode,
  openIntakeSubmission,
  openReply,
  padToBucket,
  PADDING_BUCKETS,
  RECEIPT_CODE_BITS,
  RECEIPT_CODE_WORDS,
  sealIntakeSubmission,
  sealReply,
  unpadFromBucket,
  type ReceiptKeys,
} from './intake';

export { signIntakeKey, verifyIntakeKey } from './intake-key';

export { ADDRESS_HASH_BYTES, createAddressHasher, type AddressHasher } from './address';

export {
  BLIND_INDEX_BYTES,
  blindIndex,
  generateIndexKey,
  normaliseHandle,
  normalisePhone,
  type BlindIndexKind,
} from './blind-index';

export {
  AUDIT_HASH_BYTES,
  auditEventHash,
  canonicalJson,
  GENESIS_HASH,
  signAuditCheckpoint,
  verifyAuditChain,
  verifyAuditCheckpoint,
  type AuditCheckpoint,
  type ChainedEvent,
  type ChainVerification,
  type JsonValue,
} from './audit';
