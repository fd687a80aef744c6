import { ConflictException } from '@nestjs/common';
import { INTAKE_KEY_ROTATED } from '@haven/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Refuses an envelope sealed to an intake key that a rotation has replaced (docs/intake.md,
 * "Rotation of the intake key"): 409 with code `INTAKE_KEY_ROTATED`, and the intake page
 * fetches the new key and seals again. Call it inside the transaction that stores the
 * envelope, before the insert: it holds a `FOR KEY SHARE` lock on the organisation row until
 * that transaction ends, and a rotation's commit takes `FOR UPDATE` on the same row, so no
 * envelope sealed to the old key can be stored after the rotation has re-sealed the others.
 * (`FOR KEY SHARE` does not block concurrent submissions, which take the same lock.)
 */
export async function requireCurrentIntakeKeyVersion(
  manager: EntityManager,
  keyVersion: number,
): Promise<void> {
  if ((await currentIntakeKeyVersion(manager)) !== keyVersion) throw intakeKeyRotated();
}

/**
 * The intake key version now, read under the same `FOR KEY SHARE` lock (held until the
 * caller's transaction ends). The intake batcher checks each submission of a batch against it.
 */
export async function currentIntakeKeyVersion(manager: EntityManager): Promise<number | undefined> {
  const rows = await manager.query<{ intake_key_version: number }[]>(
    'SELECT intake_key_version FROM organisation FOR KEY SHARE',
  );
  return rows[0]?.intake_key_version;
}

/** The 409 for an envelope sealed to a replaced intake key. */
export function intakeKeyRotated(): ConflictException {
  return new ConflictException({
    message:
      'The hotline’s encryption key has been replaced. Fetch the key again and seal the ' +
      'message to the new one.',
    code: INTAKE_KEY_ROTATED,
  });
}
