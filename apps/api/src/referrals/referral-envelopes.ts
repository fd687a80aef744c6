/**
 * Structural checks of packet envelopes (the server cannot open them): size, header, and the
 * packet key version they claim. Record envelopes and grants use the cases feature's checks.
 */
import { BadRequestException, ConflictException, PayloadTooLargeException } from '@nestjs/common';
import { MAX_RECORD_ENVELOPE_BYTES } from '@haven/contracts';
import { packetKeyVersion } from '@haven/crypto';
import { decodeBase64Url } from '../cases/envelopes';

export function packetEnvelope(value: string, field: string, keyVersion: number): Buffer {
  if (Math.floor((value.length * 3) / 4) > MAX_RECORD_ENVELOPE_BYTES) {
    throw new PayloadTooLargeException(`${field} is larger than 256 KiB`);
  }
  const bytes = decodeBase64Url(value, field);
  let version: number;
  try {
    version = packetKeyVersion(bytes);
  } catch {
    throw new BadRequestException(`${field} is not a packet envelope`);
  }
  if (version !== keyVersion) {
    throw new ConflictException(
      `${field} is not under packet key version ${keyVersion}: reload the referral and try again`,
    );
  }
  return bytes;
}
