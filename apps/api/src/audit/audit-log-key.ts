import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  deriveServerSubkey,
  fingerprint,
  initCrypto,
  signAuditCheckpoint,
  verifyAuditCheckpoint,
  wipe,
  type AuditCheckpoint,
} from '@haven/crypto';

/** SERVER_SECRET subkey that seeds the log key (docs/audit.md; docs/accounts.md lists the rest). */
export const LOG_KEY_SUBKEY = { id: 5, context: 'hvnalog1' } as const;

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SPKI DER prefix of an Ed25519 public key; the 32-byte key follows. */
const SPKI_ED25519_PREFIX_BYTES = 12;

/**
 * The Ed25519 public key of a seed, as `crypto_sign_seed_keypair` computes it (RFC 8032 key
 * generation; a unit test checks the two agree). Node's own implementation is used because
 * @haven/crypto does not export seed-to-keypair; the signing itself is @haven/crypto's.
 */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX_BYTES));
}

/**
 * The server's audit-log signing key: an Ed25519 key pair derived from SERVER_SECRET (subkey
 * LOG_KEY_SUBKEY), so it lives outside the database: whoever can rewrite the log in PostgreSQL
 * cannot sign a checkpoint for the rewritten chain. Its public key is served to auditors, who
 * compare its fingerprint out of band and keep the checkpoints it signed.
 */
export class AuditLogKey {
  private constructor(
    /** libsodium's 64-byte secret key (seed || public key). */
    private readonly secretKey: Uint8Array,
    readonly publicKey: Uint8Array,
    readonly fingerprint: string,
  ) {}

  static async derive(serverSecret: Uint8Array): Promise<AuditLogKey> {
    await initCrypto();
    const seed = deriveServerSubkey(serverSecret, LOG_KEY_SUBKEY.id, LOG_KEY_SUBKEY.context);
    try {
      const publicKey = ed25519PublicKey(seed);
      const secretKey = new Uint8Array(64);
      secretKey.set(seed, 0);
      secretKey.set(publicKey, 32);
      return new AuditLogKey(secretKey, publicKey, fingerprint(publicKey, publicKey));
    } finally {
      wipe(seed);
    }
  }

  /** Signs the chain head at `seq` (signAuditCheckpoint). */
  sign(seq: number, head: Uint8Array): AuditCheckpoint {
    return signAuditCheckpoint(seq, head, this.secretKey);
  }

  /** Throws (BAD_SIGNATURE) unless this key signed `checkpoint`. */
  verify(checkpoint: AuditCheckpoint): void {
    verifyAuditCheckpoint(checkpoint, this.publicKey);
  }
}
