/**
 * Byte helpers shared by the envelope codecs: argument checks, unambiguous length-prefixed
 * encoding, a bounds-checked reader, and string/byte conversions (libsodium's own helpers).
 */
import { CryptoError } from './errors';
import { lib } from './sodium';

/** Identifiers (case, record, user ids) are bounded so that envelopes and AD stay small. */
export const MAX_ID_BYTES = 256;

export function assertBytes(
  value: unknown,
  name: string,
  length?: number,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError('BAD_INPUT', `${name} must be a Uint8Array`);
  }
  if (length !== undefined && value.length !== length) {
    throw new CryptoError('BAD_INPUT', `${name} must be ${length} bytes`);
  }
}

/** A non-empty identifier string of at most MAX_ID_BYTES UTF-8 bytes; returns its bytes. */
export function idBytes(value: unknown, name: string): Uint8Array {
  if (typeof value !== 'string' || value.length === 0) {
    throw new CryptoError('BAD_INPUT', `${name} must be a non-empty string`);
  }
  const bytes = utf8Encode(value);
  if (bytes.length > MAX_ID_BYTES) {
    throw new CryptoError('BAD_INPUT', `${name} must be at most ${MAX_ID_BYTES} bytes`);
  }
  return bytes;
}

export function assertUint32(value: unknown, name: string, min = 0): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 0xffffffff) {
    throw new CryptoError('BAD_INPUT', `${name} must be an integer between ${min} and 2^32-1`);
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

/**
 * Length-prefixed concatenation: each field is a 4-byte big-endian length followed by its
 * bytes. Unlike joining with a separator, no two different field lists encode the same way,
 * which is what makes it safe as additional data and as signed messages.
 */
export function lengthPrefixed(...fields: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const field of fields) parts.push(u32be(field.length), field);
  return concatBytes(...parts);
}

/** Reads an envelope front to back; any overrun or leftover is a `BAD_ENVELOPE`. */
export class ByteReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  get position(): number {
    return this.offset;
  }

  take(length: number): Uint8Array {
    if (length < 0 || this.offset + length > this.bytes.length) {
      throw new CryptoError('BAD_ENVELOPE', `${this.what} is truncated`);
    }
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  u8(): number {
    return this.take(1)[0];
  }

  u32(): number {
    const b = this.take(4);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, false);
  }

  /** A length-prefixed identifier (see `idBytes`). */
  id(): string {
    const length = this.u32();
    if (length === 0 || length > MAX_ID_BYTES) {
      throw new CryptoError('BAD_ENVELOPE', `${this.what} has a malformed identifier`);
    }
    const bytes = this.take(length);
    try {
      return utf8Decode(bytes);
    } catch {
      throw new CryptoError('BAD_ENVELOPE', `${this.what} has a malformed identifier`);
    }
  }

  rest(): Uint8Array {
    return this.take(this.bytes.length - this.offset);
  }

  end(): void {
    if (this.offset !== this.bytes.length) {
      throw new CryptoError('BAD_ENVELOPE', `${this.what} has trailing bytes`);
    }
  }
}

export function utf8Encode(value: string): Uint8Array {
  return lib().from_string(value);
}

/** Strict UTF-8 decoding: invalid sequences throw `BAD_INPUT` instead of turning into U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  try {
    return lib().to_string(bytes);
  } catch {
    throw new CryptoError('BAD_INPUT', 'bytes are not valid UTF-8');
  }
}

export function toHex(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  return lib().to_hex(bytes);
}

export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(hex)) {
    throw new CryptoError('BAD_INPUT', 'not a hex string');
  }
  return lib().from_hex(hex);
}

/** URL-safe base64 without padding: the form used for keys and envelopes in JSON. */
export function toBase64(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  const s = lib();
  return s.to_base64(bytes, s.base64_variants.URLSAFE_NO_PADDING);
}

export function fromBase64(value: string): Uint8Array {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value)) {
    throw new CryptoError('BAD_INPUT', 'not an unpadded base64url string');
  }
  const s = lib();
  try {
    return s.from_base64(value, s.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    throw new CryptoError('BAD_INPUT', 'not an unpadded base64url string');
  }
}

/** Constant-time equality (length is not secret). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes(a, 'a');
  assertBytes(b, 'b');
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  return lib().memcmp(a, b);
}

/**
 * Random bytes straight from the platform CSPRNG (`crypto.getRandomValues`: Web Crypto in
 * browsers and workers, the same API in Node ≥ 19). libsodium.js draws its own randomness from
 * this very source, but fetches it a few bytes per call (about 2.5 µs per byte in Node), which
 * would make the nonce dominate the cost of encrypting a small record.
 */
export function randomBytes(length: number): Uint8Array {
  assertUint32(length, 'length');
  const source = globalThis.crypto;
  if (typeof source?.getRandomValues !== 'function') {
    throw new CryptoError('NOT_READY', 'no secure random source (crypto.getRandomValues)');
  }
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65_536) {
    source.getRandomValues(out.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return out;
}

/**
 * Zeroes key material in place. JavaScript cannot promise that no copy exists elsewhere (the
 * engine may have moved or copied a buffer), but wiping the buffers we hold is the best a
 * browser allows and closes the window for anything that later reads the same memory.
 */
export function wipe(...buffers: (Uint8Array | null | undefined)[]): void {
  for (const buffer of buffers) {
    if (buffer instanceof Uint8Array && buffer.length > 0) buffer.fill(0);
  }
}

export function assertObject(value: unknown, name: string): asserts value is object {
  if (typeof value !== 'object' || value === null) {
    throw new CryptoError('BAD_INPUT', `${name} must be an object`);
  }
}

/** `Array.isArray` without its narrowing of readonly arrays to `any[]`. */
export function isList(value: unknown): boolean {
  return Array.isArray(value);
}
