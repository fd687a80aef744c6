/**
 * The page's cryptography, on @haven/crypto (libsodium). The library is loaded on first use in
 * a separate chunk, so the form appears at once; `preloadCrypto()` starts the download early.
 *
 * Trust in the organisation's intake key: the server sends the intake public key, the root's
 * signature over it and the root public key. The root is trusted when its fingerprint matches
 * the one pinned into this build (`VITE_HAVEN_ROOT_FINGERPRINT`), or, when no fingerprint was
 * pinned, on first use within this page load only (see docs/intake.md). The page seals only to
 * an intake key the trusted root has signed.
 */
import type {
  IntakeFollowUpBody,
  IntakeKeyResponse,
  IntakeUrgency,
  SubmitIntakeBody,
} from '@haven/contracts';

type HavenCrypto = typeof import('@haven/crypto');

let loading: Promise<HavenCrypto> | undefined;

export function loadCrypto(): Promise<HavenCrypto> {
  loading ??= import('@haven/crypto').then(async (lib) => {
    await lib.initCrypto();
    return lib;
  });
  // A failed download may be retried later.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

export function preloadCrypto(): void {
  loadCrypto().catch(() => undefined);
}

/** Digits only: how fingerprints are compared ("12345 67890 …" and "1234567890…" match). */
export function normaliseFingerprint(text: string): string {
  return text.replace(/\D/g, '');
}

export type KeyTrustProblem = 'pin_mismatch' | 'root_changed' | 'bad_signature' | 'malformed';

export class KeyTrustError extends Error {
  constructor(readonly problem: KeyTrustProblem) {
    super(`intake key not trusted: ${problem}`);
    this.name = 'KeyTrustError';
  }
}

/** The root this page load has trusted so far (trust on first use without a pin). */
export interface RootTrust {
  pinnedFingerprint: string | undefined;
  seenRoot?: Uint8Array;
}

export function createRootTrust(pinnedFingerprint: string | undefined): RootTrust {
  const pin = pinnedFingerprint ? normaliseFingerprint(pinnedFingerprint) : '';
  return { pinnedFingerprint: pin.length > 0 ? pin : undefined };
}

/** The intake public key, once the root is trusted and its signature verifies; else throws. */
export function trustedIntakeKey(
  lib: HavenCrypto,
  key: IntakeKeyResponse,
  trust: RootTrust,
): Uint8Array {
  let root: Uint8Array;
  let intake: Uint8Array;
  let signature: Uint8Array;
  try {
    root = lib.fromBase64(key.rootPublicKey);
    intake = lib.fromBase64(key.intakePublicKey);
    signature = lib.fromBase64(key.signature);
  } catch {
    throw new KeyTrustError('malformed');
  }
  if (root.length !== 32 || intake.length !== 32 || signature.length !== 64) {
    throw new KeyTrustError('malformed');
  }
  if (trust.pinnedFingerprint !== undefined) {
    // The root has no box key; its fingerprint covers the signing key twice by convention.
    const seen = normaliseFingerprint(lib.fingerprint(root, root));
    if (seen !== trust.pinnedFingerprint) throw new KeyTrustError('pin_mismatch');
  } else if (trust.seenRoot && !lib.bytesEqual(trust.seenRoot, root)) {
    throw new KeyTrustError('root_changed');
  }
  try {
    lib.verifyIntakeKey(intake, signature, root);
  } catch {
    throw new KeyTrustError('bad_signature');
  }
  trust.seenRoot ??= root;
  return intake;
}

/** A fresh random Idempotency-Key (16 bytes, base64url): one per message, reused on retry. */
export function newIdempotencyKey(lib: HavenCrypto): string {
  return lib.toBase64(lib.randomBytes(16));
}

export interface SealedSubmission {
  /** Shown to the person once; the page keeps it only while the receipt is on screen. */
  code: string;
  body: SubmitIntakeBody;
  idempotencyKey: string;
}

/**
 * Seals a payload to the intake key under a new receipt code. The reply key's private half is
 * not needed until the person comes back with the code, so it is wiped at once.
 */
export function sealSubmission(
  lib: HavenCrypto,
  payload: Uint8Array,
  urgency: IntakeUrgency,
  intakePublicKey: Uint8Array,
  keyVersion: number,
): SealedSubmission {
  const code = lib.generateReceiptCode();
  const keys = lib.deriveReceiptKeys(code);
  try {
    const envelope = lib.sealIntakeSubmission(
      { payload, replyPublicKey: keys.reply.publicKey },
      intakePublicKey,
    );
    return {
      code,
      idempotencyKey: newIdempotencyKey(lib),
      body: {
        envelope: lib.toBase64(envelope),
        lookupId: keys.lookupId,
        replyPublicKey: lib.toBase64(keys.reply.publicKey),
        urgency,
        keyVersion,
      },
    };
  } finally {
    lib.wipe(keys.reply.privateKey, payload);
  }
}

/** What the replies page holds while a receipt code is open: derived keys, never the code. */
export interface OpenReceipt {
  lookupId: string;
  reply: { publicKey: Uint8Array; privateKey: Uint8Array };
}

/** Derives the lookup id and reply keys from a typed code; null when it is not a valid code. */
export function openReceipt(lib: HavenCrypto, typed: string): OpenReceipt | null {
  try {
    const keys = lib.deriveReceiptKeys(typed);
    return { lookupId: keys.lookupId, reply: keys.reply };
  } catch (err) {
    if (lib.isCryptoError(err, 'BAD_INPUT')) return null;
    throw err;
  }
}

export function closeReceipt(lib: HavenCrypto, receipt: OpenReceipt | null): void {
  if (receipt) lib.wipe(receipt.reply.privateKey);
}

/**
 * The text of a staff reply: the payload is UTF-8 JSON `{ "v": 1, "text": "…" }` (plain UTF-8
 * text is accepted too). Null when the reply cannot be opened with this receipt's key.
 */
export function openStaffReply(
  lib: HavenCrypto,
  receipt: OpenReceipt,
  envelope: string,
): string | null {
  let text: string;
  try {
    text = lib.utf8Decode(lib.openReply(lib.fromBase64(envelope), receipt.reply));
  } catch (err) {
    if (lib.isCryptoError(err)) return null;
    throw err;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const body = (parsed as { text?: unknown }).text;
      if (typeof body === 'string') return body;
    }
  } catch {
    // Not JSON: the whole payload is the text.
  }
  return text;
}

/** Seals a follow-up like a submission, under the open receipt's reply key. */
export function sealFollowUp(
  lib: HavenCrypto,
  receipt: OpenReceipt,
  payload: Uint8Array,
  intakePublicKey: Uint8Array,
  keyVersion: number,
): {
  body: IntakeFollowUpBody;
  idempotencyKey: string;
} {
  try {
    const envelope = lib.sealIntakeSubmission(
      { payload, replyPublicKey: receipt.reply.publicKey },
      intakePublicKey,
    );
    return {
      idempotencyKey: newIdempotencyKey(lib),
      body: {
        lookupId: receipt.lookupId,
        envelope: lib.toBase64(envelope),
        replyPublicKey: lib.toBase64(receipt.reply.publicKey),
        keyVersion,
      },
    };
  } finally {
    lib.wipe(payload);
  }
}
