/**
 * Structural checks of what browsers send at enrolment. The server cannot open wrapped keys
 * (it never has the keys that wrap them) but it refuses anything that is not shaped like a
 * Haven wrapped-key envelope of the expected purpose (docs/crypto.md), so garbage is a clear
 * 400 at enrolment instead of a locked-out account later.
 */
import type { KeyBundle } from '@haven/contracts';
import { RequestValidationException } from '../common/errors/request-validation.exception';

export const WRAP_PURPOSE = {
  userKey: 0x01,
  boxSecret: 0x02,
  signSeed: 0x03,
  orgRootSeed: 0x04,
  intakeSecret: 0x05,
} as const;

const WRAPPED_KEY_BYTES = 75;

export function decode(base64url: string): Buffer {
  return Buffer.from(base64url, 'base64url');
}

/** Version 0x01, kind 0x02 (wrapped key), the expected purpose, 75 bytes. */
export function wrappedKey(base64url: string, purpose: number, path: string): Buffer {
  const bytes = decode(base64url);
  if (
    bytes.length !== WRAPPED_KEY_BYTES ||
    bytes[0] !== 0x01 ||
    bytes[1] !== 0x02 ||
    bytes[2] !== purpose
  ) {
    throw new RequestValidationException([
      { path, message: 'is not a wrapped key of the expected kind' },
    ]);
  }
  return bytes;
}

export interface DecodedBundle {
  wrappedUserKey: Buffer;
  boxPublicKey: Buffer;
  signPublicKey: Buffer;
  wrappedBoxSecret: Buffer;
  wrappedSignSeed: Buffer;
}

export function decodeBundle(bundle: KeyBundle, path = 'body.keys'): DecodedBundle {
  return {
    wrappedUserKey: wrappedKey(
      bundle.wrappedUserKey,
      WRAP_PURPOSE.userKey,
      `${path}.wrappedUserKey`,
    ),
    boxPublicKey: decode(bundle.boxPublicKey),
    signPublicKey: decode(bundle.signPublicKey),
    wrappedBoxSecret: wrappedKey(
      bundle.wrappedBoxSecret,
      WRAP_PURPOSE.boxSecret,
      `${path}.wrappedBoxSecret`,
    ),
    wrappedSignSeed: wrappedKey(
      bundle.wrappedSignSeed,
      WRAP_PURPOSE.signSeed,
      `${path}.wrappedSignSeed`,
    ),
  };
}

export function toBundle(d: DecodedBundle): KeyBundle {
  return {
    wrappedUserKey: d.wrappedUserKey.toString('base64url'),
    boxPublicKey: d.boxPublicKey.toString('base64url'),
    signPublicKey: d.signPublicKey.toString('base64url'),
    wrappedBoxSecret: d.wrappedBoxSecret.toString('base64url'),
    wrappedSignSeed: d.wrappedSignSeed.toString('base64url'),
  };
}
