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

/** What the person can be told (a rotated key is retried here, never shown). */
export type SendProblem = Exclude<ApiProblem['kind'], 'key_rotated'> | 'untrusted' | 'crypto';

export type SendResult<T> = { ok: true; value: T } | { ok: false; problem: SendProblem };

type HavenCrypto = Awaited<ReturnType<typeof loadCrypto>>;

interface Ready {
  lib: HavenCrypto;
  intakePublicKey: Uint8Array;
  keyVersion: number;
}

async function prepare(trust: RootTrust, options: ApiOptions): Promise<SendResult<Ready>> {
  let lib: HavenCrypto;
  try {
    lib = await loadCrypto();
  } catch {
    return { ok: false, problem: 'crypto' };
  }
  const key = await fetchIntakeKey(options);
  if (!key.ok) {
    // fetchIntakeKey never answers key_rotated; the narrowing keeps SendProblem exact.
    const kind = key.problem.kind;
    return { ok: false, problem: kind === 'key_rotated' ? 'refused' : kind };
  }
  try {
    const intakePublicKey = trustedIntakeKey(lib, key.value, trust);
    return { ok: true, value: { lib, intakePublicKey, keyVersion: key.value.keyVersion } };
  } catch (err) {
    if (err instanceof KeyTrustError) return { ok: false, problem: 'untrusted' };
    throw err;
  }
}

/**
 * Fetches the key, seals, sends. When the server answers that the key was rotated meanwhile
 * (409 `INTAKE_KEY_ROTATED`: the page loaded the key before a rotation), fetches the new key
 * and seals once more, with a new idempotency key (the first attempt stored nothing). The
 * sealing functions wipe the payload they are given, so each attempt gets its own copy.
 */
async function sealAndSend<T>(
  payload: Uint8Array,
  trust: RootTrust,
  options: ApiOptions,
  send: (ready: Ready, payload: Uint8Array) => Promise<SendResult<T> | 'key_rotated'>,
): Promise<SendResult<T>> {
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      const ready = await prepare(trust, options);
      if (!ready.ok) return ready;
      const result = await send(ready.value, payload.slice());
      if (result !== 'key_rotated') return result;
    }
    return { ok: false, problem: 'refused' };
  } finally {
    payload.fill(0);
  }
}

/** Seals and sends a new submission; on success returns its receipt code. */
export async function sendSubmission(
  payload: Uint8Array,
  urgency: IntakeUrgency,
  trust: RootTrust,
  options: ApiOptions = {},
): Promise<SendResult<string>> {
  return sealAndSend(payload, trust, options, async (ready, copy) => {
    const sealed = sealSubmission(
      ready.lib,
      copy,
      urgency,
      ready.intakePublicKey,
      ready.keyVersion,
    );
    const sent = await postSealed(INTAKE_PATHS.submit, sealed.body, sealed.idempotencyKey, options);
    if (sent.ok) return { ok: true, value: sealed.code };
    return sent.problem.kind === 'key_rotated'
      ? 'key_rotated'
      : { ok: false, problem: sent.problem.kind };
  });
}

/** Seals and sends a follow-up under an open receipt. */
export async function sendFollowUp(
  receipt: OpenReceipt,
  payload: Uint8Array,
  trust: RootTrust,
  options: ApiOptions = {},
): Promise<SendResult<true>> {
  return sealAndSend(payload, trust, options, async (ready, copy) => {
    const sealed = sealFollowUp(ready.lib, receipt, copy, ready.intakePublicKey, ready.keyVersion);
    const sent = await postSealed(
      INTAKE_PATHS.followUp,
      sealed.body,
      sealed.idempotencyKey,
      options,
    );
    if (sent.ok) return { ok: true, value: true };
    return sent.problem.kind === 'key_rotated'
      ? 'key_rotated'
      : { ok: false, problem: sent.problem.kind };
  });
}
