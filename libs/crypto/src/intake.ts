/**
 * Anonymous intake. The person in danger has no account: their submission is padded to a size
 * bucket (so its length says little about what they wrote) and sealed to the organisation's
 * intake public key, which is pinned in the intake page. A receipt code of diceware words,
 * shown once, derives both an anonymous lookup id (sent to the server to find the thread) and
 * a reply keypair (its public half travels inside the sealed submission, so staff replies can
 * be sealed to it). The server learns neither the code nor anything derived from it but the
 * lookup id.
 */
import {
  assertBytes,
  assertObject,
  bytesEqual,
  concatBytes,
  lengthPrefixed,
  toHex,
  utf8Encode,
  wipe,
} from './bytes';
import { envelopeHeader, openEnvelope, type EnvelopeKind } from './envelope';
import { CryptoError } from './errors';
import { boxKeyPairFromSecret, generateBoxKeyPair, type BoxKeyPair } from './keys';
import {
  blake2b,
  deriveSubkey,
  KEY_BYTES,
  PUBLIC_KEY_BYTES,
  seal,
  SEAL_OVERHEAD,
  sealOpen,
} from './primitives';
import { lib } from './sodium';
import { EFF_LARGE_WORDLIST } from './wordlist/eff-large';

/** Padded plaintext sizes. A payload is padded (ISO/IEC 7816-4) to the smallest that fits. */
export const PADDING_BUCKETS: readonly number[] = Object.freeze([1024, 4096, 16384, 65536, 262144]);
export const MAX_PADDED_PAYLOAD_BYTES = PADDING_BUCKETS[PADDING_BUCKETS.length - 1] - 1;

/** Pads `payload` to the smallest bucket that holds it plus the 0x80 marker. */
export function padToBucket(payload: Uint8Array): Uint8Array {
  assertBytes(payload, 'payload');
  const bucket = PADDING_BUCKETS.find((size) => payload.length + 1 <= size);
  if (bucket === undefined) {
    throw new CryptoError('BAD_INPUT', `payload exceeds ${MAX_PADDED_PAYLOAD_BYTES} bytes`);
  }
  return lib().pad(payload, bucket);
}

export function unpadFromBucket(padded: Uint8Array): Uint8Array {
  assertBytes(padded, 'padded');
  if (!PADDING_BUCKETS.includes(padded.length)) {
    throw new CryptoError('BAD_ENVELOPE', 'padded payload is not a bucket size');
  }
  try {
    return lib().unpad(padded, padded.length);
  } catch {
    throw new CryptoError('BAD_ENVELOPE', 'payload padding is malformed');
  }
}

export function generateIntakeKeyPair(): BoxKeyPair {
  return generateBoxKeyPair();
}

/**
 * The intake key pair from its secret half (as opened from an `intake` grant), checked against
 * the public key pinned in the intake page so a swapped key is caught before use.
 */
export function intakeKeyPairFromSecret(
  secret: Uint8Array,
  pinnedPublicKey: Uint8Array,
): BoxKeyPair {
  assertBytes(pinnedPublicKey, 'pinnedPublicKey', PUBLIC_KEY_BYTES);
  const pair = boxKeyPairFromSecret(secret);
  if (!bytesEqual(pair.publicKey, pinnedPublicKey)) {
    wipe(pair.privateKey);
    throw new CryptoError('AUTH_FAILED', 'intake secret does not match the pinned public key');
  }
  return pair;
}

function sealPadded(
  kind: EnvelopeKind,
  prefix: Uint8Array,
  payload: Uint8Array,
  recipient: Uint8Array,
): Uint8Array {
  assertBytes(recipient, 'recipient public key', PUBLIC_KEY_BYTES);
  const header = envelopeHeader(kind);
  const padded = padToBucket(payload);
  const inner = concatBytes(header, prefix, padded);
  try {
    return concatBytes(header, seal(inner, recipient));
  } finally {
    wipe(padded, inner);
  }
}

function openPadded(
  kind: EnvelopeKind,
  envelope: Uint8Array,
  prefixLength: number,
  recipient: BoxKeyPair,
) {
  assertObject(recipient, 'recipient key pair');
  assertBytes(recipient.publicKey, 'recipient publicKey', PUBLIC_KEY_BYTES);
  assertBytes(recipient.privateKey, 'recipient privateKey', KEY_BYTES);
  const reader = openEnvelope(envelope, kind);
  const sealed = reader.rest();
  if (sealed.length < SEAL_OVERHEAD + 2 + prefixLength + PADDING_BUCKETS[0]) {
    throw new CryptoError('BAD_ENVELOPE', `${kind} envelope is truncated`);
  }
  const inner = sealOpen(sealed, recipient.publicKey, recipient.privateKey);
  try {
    // The header is repeated inside the sealed box, where it is integrity-protected.
    if (!bytesEqual(inner.subarray(0, 2), envelope.subarray(0, 2))) {
      throw new CryptoError('BAD_ENVELOPE', `${kind} envelope header does not match its contents`);
    }
    const prefix = inner.slice(2, 2 + prefixLength);
    // Copied out before `inner` is wiped below.
    const payload = unpadFromBucket(inner.subarray(2 + prefixLength)).slice();
    return { prefix, payload };
  } finally {
    wipe(inner);
  }
}

/**
 * `01 04 | crypto_box_seal(01 04 | replyPublicKey (32) | pad(payload), intakePublicKey)`.
 * The reply key sits inside the sealed box so the server cannot swap it for its own.
 */
export function sealIntakeSubmission(
  submission: { payload: Uint8Array; replyPublicKey: Uint8Array },
  intakePublicKey: Uint8Array,
): Uint8Array {
  assertObject(submission, 'submission');
  assertBytes(submission.replyPublicKey, 'replyPublicKey', PUBLIC_KEY_BYTES);
  return sealPadded('intake', submission.replyPublicKey, submission.payload, intakePublicKey);
}

export function openIntakeSubmission(
  envelope: Uint8Array,
  intakeKeyPair: BoxKeyPair,
): { payload: Uint8Array; replyPublicKey: Uint8Array } {
  const { prefix, payload } = openPadded('intake', envelope, PUBLIC_KEY_BYTES, intakeKeyPair);
  return { payload, replyPublicKey: prefix };
}

/** Staff → person: `01 06 | crypto_box_seal(01 06 | pad(payload), replyPublicKey)`. */
export function sealReply(payload: Uint8Array, replyPublicKey: Uint8Array): Uint8Array {
  return sealPadded('reply', new Uint8Array(0), payload, replyPublicKey);
}

export function openReply(envelope: Uint8Array, replyKeyPair: BoxKeyPair): Uint8Array {
  return openPadded('reply', envelope, 0, replyKeyPair).payload;
}

// ---- receipt codes -------------------------------------------------------------------------

export const RECEIPT_CODE_WORDS = 6;
/** log2(7776) ≈ 12.925 bits per word; six words ≈ 77.5 bits. */
export const RECEIPT_CODE_BITS = RECEIPT_CODE_WORDS * Math.log2(EFF_LARGE_WORDLIST.length);

let wordSet: ReadonlySet<string> | undefined;

/** A fresh receipt code: six words drawn uniformly from the EFF large list, space-separated. */
export function generateReceiptCode(): string {
  const s = lib();
  const words: string[] = [];
  for (let i = 0; i < RECEIPT_CODE_WORDS; i++) {
    words.push(EFF_LARGE_WORDLIST[s.randombytes_uniform(EFF_LARGE_WORDLIST.length)]);
  }
  return words.join(' ');
}

/**
 * Normalises what a person typed back: any case, any run of spaces, commas, dots or line
 * breaks between words (hyphens are part of four list words, e.g. "yo-yo", so they are not
 * separators). Unknown words or the wrong count → `BAD_INPUT`. Returns the canonical form.
 */
export function normaliseReceiptCode(input: string): string {
  if (typeof input !== 'string' || input.length > 1024) {
    throw new CryptoError('BAD_INPUT', 'receipt code must be a short string');
  }
  wordSet ??= new Set(EFF_LARGE_WORDLIST);
  const words = input
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s,.;:]+/u)
    .filter((w) => w.length > 0);
  if (words.length !== RECEIPT_CODE_WORDS) {
    throw new CryptoError('BAD_INPUT', `receipt code must have ${RECEIPT_CODE_WORDS} words`);
  }
  for (const word of words) {
    if (!wordSet.has(word))
      throw new CryptoError('BAD_INPUT', 'receipt code contains an unknown word');
  }
  return words.join(' ');
}

export interface ReceiptKeys {
  /** 16 bytes as 32 hex characters: names the thread on the server. Send in a body, never a URL. */
  lookupId: string;
  /** Staff replies are sealed to its public half. */
  reply: BoxKeyPair;
}

/**
 * root = BLAKE2b-256(lp("haven/receipt/v1", canonical code));
 * lookupId = kdf(root, 1, "hvnlook1", 16 bytes); replySeed = kdf(root, 2, "hvnrply1", 32 bytes);
 * reply = crypto_box_seed_keypair(replySeed). Separate contexts: the lookup id (which the
 * server sees) reveals nothing about the reply key.
 */
export function deriveReceiptKeys(code: string): ReceiptKeys {
  const canonical = utf8Encode(normaliseReceiptCode(code));
  const root = blake2b(32, lengthPrefixed(utf8Encode('haven/receipt/v1'), canonical));
  const lookup = deriveSubkey(16, 1, 'hvnlook1', root);
  const seed = deriveSubkey(32, 2, 'hvnrply1', root);
  try {
    const { publicKey, privateKey } = lib().crypto_box_seed_keypair(seed);
    return { lookupId: toHex(lookup), reply: { publicKey, privateKey } };
  } finally {
    wipe(canonical, root, seed);
  }
}

// ---- structural checks (no keys) -------------------------------------------------------------

function checkSealedEnvelope(bytes: unknown, kind: EnvelopeKind, prefixLength: number): number {
  if (!(bytes instanceof Uint8Array)) {
    throw new CryptoError('BAD_ENVELOPE', `${kind} envelope must be a Uint8Array`);
  }
  // Refuses another version or kind before looking at the length.
  openEnvelope(bytes, kind);
  const bucket = bytes.length - (2 + SEAL_OVERHEAD + 2 + prefixLength);
  if (!PADDING_BUCKETS.includes(bucket)) {
    throw new CryptoError('BAD_ENVELOPE', `${kind} envelope does not have a padded size`);
  }
  return bucket;
}

/**
 * What a server can check about an intake submission without any key: version `0x01`, kind
 * `0x04`, and a total length of `2 + 48 + 2 + 32 + B` for one of the padding buckets B.
 * Returns B; anything else is `BAD_ENVELOPE`. Needs no `initCrypto()`. Whether the sealed box
 * opens (and what it says) only a coordinator's browser can tell.
 */
export function checkIntakeEnvelope(bytes: Uint8Array): number {
  return checkSealedEnvelope(bytes, 'intake', PUBLIC_KEY_BYTES);
}

/** The same for a staff reply: kind `0x06`, length `2 + 48 + 2 + B`. Returns B. */
export function checkReplyEnvelope(bytes: Uint8Array): number {
  return checkSealedEnvelope(bytes, 'reply', 0);
}
