/**
 * Sending, end to end: load the crypto, fetch and verify the intake key, seal, POST with an
 * idempotency key (retried with the same bytes). Returns what the person should be told; never
 * throws for an expected failure, and never leaves the plaintext anywhere but the caller's
 * form state.
 */
import type { IntakeUrgency } from '@haven/contracts';
import {
  KeyTrustError,
  loadCrypto,
  type OpenReceipt,
  type RootTrust,
  sealFollowUp,
  sealSubmission,
  trustedIntakeKey,
} from '../crypto/intake-crypto';
import {
  type ApiOptions,
  type ApiProblem,
  fetchIntakeKey,
  INTAKE_PATHS,
  postSealed,
} from './intake-api';

export type SendProblem = ApiProblem['kind'] | 'untrusted' | 'crypto';

export type SendResult<T> = { ok: true; value: T } | { ok: false; problem: SendProblem };

type HavenCrypto = Awaited<ReturnType<typeof loadCrypto>>;

async function prepare(
  trust: RootTrust,
  options: ApiOptions,
): Promise<SendResult<{ lib: HavenCrypto; intakePublicKey: Uint8Array }>> {
  let lib: HavenCrypto;
  try {
    lib = await loadCrypto();
  } catch {
    return { ok: false, problem: 'crypto' };
  }
  const key = await fetchIntakeKey(options);
  if (!key.ok) return { ok: false, problem: key.problem.kind };
  try {
    return { ok: true, value: { lib, intakePublicKey: trustedIntakeKey(lib, key.value, trust) } };
  } catch (err) {
    if (err instanceof KeyTrustError) return { ok: false, problem: 'untrusted' };
    throw err;
  }
}

/** Seals and sends a new submission; on success returns its receipt code. */
export async function sendSubmission(
  payload: Uint8Array,
  urgency: IntakeUrgency,
  trust: RootTrust,
  options: ApiOptions = {},
): Promise<SendResult<string>> {
  const ready = await prepare(trust, options);
  if (!ready.ok) return ready;
  const { lib, intakePublicKey } = ready.value;
  const sealed = sealSubmission(lib, payload, urgency, intakePublicKey);
  const sent = await postSealed(INTAKE_PATHS.submit, sealed.body, sealed.idempotencyKey, options);
  return sent.ok ? { ok: true, value: sealed.code } : { ok: false, problem: sent.problem.kind };
}

/** Seals and sends a follow-up under an open receipt. */
export async function sendFollowUp(
  receipt: OpenReceipt,
  payload: Uint8Array,
  trust: RootTrust,
  options: ApiOptions = {},
): Promise<SendResult<true>> {
  const ready = await prepare(trust, options);
  if (!ready.ok) return ready;
  const { lib, intakePublicKey } = ready.value;
  const sealed = sealFollowUp(lib, receipt, payload, intakePublicKey);
  const sent = await postSealed(INTAKE_PATHS.followUp, sealed.body, sealed.idempotencyKey, options);
  return sent.ok ? { ok: true, value: true } : { ok: false, problem: sent.problem.kind };
}
