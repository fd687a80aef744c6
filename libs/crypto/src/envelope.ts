/**
 * Every Haven envelope starts with two bytes: the format version and the envelope kind.
 * Both are covered by the authentication (as additional data or inside the signed message),
 * so a version downgrade or a kind confusion fails verification rather than being parsed.
 * docs/crypto.md lists the exact layout of each kind.
 */
import { ByteReader } from './bytes';
import { CryptoError } from './errors';

export const FORMAT_VERSION = 0x01;

export const ENVELOPE_KIND = {
  record: 0x01,
  wrappedKey: 0x02,
  grant: 0x03,
  intake: 0x04,
  certificate: 0x05,
  reply: 0x06,
  serverSecret: 0x07,
  packet: 0x08,
} as const;

export type EnvelopeKind = keyof typeof ENVELOPE_KIND;

export function envelopeHeader(kind: EnvelopeKind): Uint8Array {
  return Uint8Array.of(FORMAT_VERSION, ENVELOPE_KIND[kind]);
}

/** Starts reading an envelope of `kind`, refusing anything else before touching its body. */
export function openEnvelope(bytes: unknown, kind: EnvelopeKind): ByteReader {
  if (!(bytes instanceof Uint8Array)) {
    throw new CryptoError('BAD_ENVELOPE', `${kind} envelope must be a Uint8Array`);
  }
  const reader = new ByteReader(bytes, `${kind} envelope`);
  const version = reader.u8();
  if (version !== FORMAT_VERSION) {
    throw new CryptoError('BAD_ENVELOPE', `unsupported ${kind} envelope version ${version}`);
  }
  if (reader.u8() !== ENVELOPE_KIND[kind]) {
    throw new CryptoError('BAD_ENVELOPE', `not a ${kind} envelope`);
  }
  return reader;
}
