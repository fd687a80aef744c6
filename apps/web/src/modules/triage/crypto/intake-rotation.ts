/**
 * The browser's side of rotating the intake key (docs/intake.md, "Rotation of the intake
 * key"). The coordinator's worker makes the new key pair, re-seals every pending row to it and
 * seals the new private key to every coordinator whose certificate chain verifies; only sealed
 * envelopes leave the worker. The admin's worker signs the new public key with the root.
 */
import type {
  IntakeKeyStatus,
  IntakeRotationPending,
  IntakeSealedRow,
  ProposeIntakeRotationRequest,
} from '@haven/contracts';
import { fromBase64Url, toBase64Url } from '../../auth/utils/base64url';
import type { Worker } from '../../cases/crypto/case-crypto';
import type { IntakeHandle, UserHandle } from '../../crypto';
import { sealIntakeTo, verifyHolder } from './triage-crypto';

export interface RotationProposal {
  body: ProposeIntakeRotationRequest;
  /** The new key's fingerprint, for the admin to compare before signing. */
  fingerprint: string;
}

/** Thrown when a coordinator's certificate chain does not verify: no rotation is proposed. */
export class UnverifiedCoordinatorError extends Error {
  constructor(readonly username: string) {
    super('a coordinator’s keys did not verify against the organisation root');
  }
}

async function reseal(
  worker: Worker,
  from: IntakeHandle,
  to: IntakeHandle,
  rows: readonly IntakeSealedRow[],
): Promise<{ resealed: IntakeSealedRow[]; unreadable: string[] }> {
  const results = await worker.resealIntakeEnvelopes(
    from,
    to,
    rows.map((r) => fromBase64Url(r.envelope)),
  );
  const resealed: IntakeSealedRow[] = [];
  const unreadable: string[] = [];
  rows.forEach((row, i) => {
    const result = results[i];
    if (result?.ok) resealed.push({ id: row.id, envelope: toBase64Url(result.value) });
    else unreadable.push(row.id);
  });
  return { resealed, unreadable };
}

/**
 * Builds a proposal: a new key pair in the worker, every pending row re-sealed to it (rows
 * that open with no key are listed as unreadable, for the commit to delete), and the new
 * private key sealed to every certified, active coordinator at `version + 1`. The new key's
 * handle is released before this returns: the proposer gets the key back through their grant
 * once the rotation is committed.
 */
export async function buildRotationProposal(
  worker: Worker,
  current: IntakeHandle,
  me: UserHandle,
  status: IntakeKeyStatus,
  pending: IntakeRotationPending,
): Promise<RotationProposal> {
  if (pending.version !== status.version) throw new Error('the intake key changed; reload');
  const holders = [];
  for (const person of status.coordinators) {
    const verified = await verifyHolder(worker, person);
    if (!verified) throw new UnverifiedCoordinatorError(person.username);
    holders.push(verified);
  }
  const next = await worker.createIntakeKeyPair();
  try {
    const submissions = await reseal(worker, current, next.intake, pending.submissions);
    const followUps = await reseal(worker, current, next.intake, pending.followUps);
    const grants = [];
    for (const holder of holders) {
      grants.push({
        userId: holder.id,
        envelope: await sealIntakeTo(worker, next.intake, holder, me, status.version + 1),
      });
    }
    return {
      fingerprint: next.fingerprint,
      body: {
        fromVersion: status.version,
        intakePublicKey: toBase64Url(next.publicKey),
        submissions: submissions.resealed,
        followUps: followUps.resealed,
        unreadable: { submissions: submissions.unreadable, followUps: followUps.unreadable },
        grants,
      },
    };
  } finally {
    await worker.release(next.intake);
  }
}

/** The admin's signature over the proposed key, with the root seed wrapped for them. */
export async function signProposedKey(
  worker: Worker,
  admin: UserHandle,
  wrappedOrgRootKey: string,
  intakePublicKey: string,
): Promise<string> {
  return toBase64Url(
    await worker.signIntakeKeyWithRoot(
      admin,
      fromBase64Url(wrappedOrgRootKey),
      fromBase64Url(intakePublicKey),
    ),
  );
}
