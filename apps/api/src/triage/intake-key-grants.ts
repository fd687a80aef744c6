/** Shared by the intake key's handover and its rotation (docs/intake.md, "The intake key"). */
import { BadRequestException } from '@nestjs/common';
import { INTAKE_KEY_ID } from '@haven/contracts';
import { readGrantHeader } from '@haven/crypto';
import { decodeBase64Url } from '../cases/envelopes';

/** Serialises intake-key grants and rotations. */
export const INTAKE_KEY_LOCK = 0x68766e4b; // 'hvnK'

/** An `intake` grant of the intake key at `version`, to this grantee, by the caller. */
export function intakeGrantEnvelope(
  value: string,
  field: string,
  expect: { version: number; granteeId: string; granterId: string },
): Buffer {
  const bytes = decodeBase64Url(value, field);
  let header;
  try {
    header = readGrantHeader(bytes);
  } catch {
    throw new BadRequestException(`${field} is not a grant envelope`);
  }
  if (
    header.subject.scope !== 'intake' ||
    header.subject.id !== INTAKE_KEY_ID ||
    header.subject.version !== expect.version ||
    header.granteeId !== expect.granteeId ||
    header.granterId !== expect.granterId
  ) {
    throw new BadRequestException(
      `${field} is not a grant of the intake key to this person by you`,
    );
  }
  return bytes;
}
