/**
 * Structural checks of what browsers send: the server cannot read a record or open a grant,
 * but it can refuse anything that is not shaped like one, is too large, or is not at the key
 * version the case is at. Each refusal is a 4xx with a message that names the field only.
 */
import { BadRequestException, ConflictException, PayloadTooLargeException } from '@nestjs/common';
import { MAX_RECORD_ENVELOPE_BYTES } from '@haven/contracts';
import { readGrantHeader, recordKeyVersion, type GrantHeader } from '@haven/crypto';

/** Stable codes in 409 bodies, so the dashboard knows what to do next. */
export const CASE_ERROR_CODES = {
  /** `expectedVersion` is stale: reload. */
  stale: 'STALE_VERSION',
  /** The case key changed (a rotation happened): reload, re-encrypt under the new key. */
  keyVersion: 'KEY_VERSION_CHANGED',
  /** A grant was removed and the key not yet rotated: rotate, then retry. */
  rotationDue: 'ROTATION_DUE',
} as const;

/** Unpadded base64url → bytes; the contract's regex has already vetted the alphabet. */
export function decodeBase64Url(value: string, field: string): Buffer {
  // A length of 1 mod 4 cannot come from any byte string.
  if (value.length % 4 === 1) throw new BadRequestException(`${field} is not valid base64url`);
  return Buffer.from(value, 'base64url');
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * A record envelope at `keyVersion`: ≤ MAX_RECORD_ENVELOPE_BYTES (else 413), a record header
 * (else 400), at the case's current key version (else 409).
 */
export function recordEnvelope(value: string, field: string, keyVersion: number): Buffer {
  // 4 base64url characters carry 3 bytes: refuse before decoding anything enormous.
  if (Math.floor((value.length * 3) / 4) > MAX_RECORD_ENVELOPE_BYTES) {
    throw new PayloadTooLargeException(`${field} is larger than 256 KiB`);
  }
  const bytes = decodeBase64Url(value, field);
  let version: number;
  try {
    version = recordKeyVersion(bytes);
  } catch {
    throw new BadRequestException(`${field} is not a record envelope`);
  }
  if (version !== keyVersion) {
    throw new ConflictException({
      message: 'This case’s key has changed. Reload the case and try again.',
      code: CASE_ERROR_CODES.keyVersion,
    });
  }
  return bytes;
}

/** A grant envelope: header readable, of the scope, subject, version, grantee and granter given. */
export function grantEnvelope(
  value: string,
  field: string,
  expect: {
    scope: 'case' | 'index' | 'packet';
    subjectId: string;
    version: number;
    granteeId: string;
    granterId: string;
  },
): Buffer {
  const bytes = decodeBase64Url(value, field);
  let header: GrantHeader;
  try {
    header = readGrantHeader(bytes);
  } catch {
    throw new BadRequestException(`${field} is not a grant envelope`);
  }
  if (
    header.subject.scope !== expect.scope ||
    header.subject.id !== expect.subjectId ||
    header.granteeId !== expect.granteeId ||
    header.granterId !== expect.granterId
  ) {
    throw new BadRequestException(`${field} is not a grant of this key to this person by you`);
  }
  if (header.subject.version !== expect.version) {
    throw new ConflictException({
      message: 'This case’s key has changed. Reload the case and try again.',
      code: CASE_ERROR_CODES.keyVersion,
    });
  }
  return bytes;
}

export function staleWrite(): ConflictException {
  return new ConflictException({
    message: 'This record was changed by someone else. Reload to see the latest version.',
    code: CASE_ERROR_CODES.stale,
  });
}

export function rotationDue(): ConflictException {
  return new ConflictException({
    message:
      'Someone’s access to this case was removed and its key has not been rotated yet. ' +
      'Rotate the key, then try again.',
    code: CASE_ERROR_CODES.rotationDue,
  });
}
