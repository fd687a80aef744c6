/**
 * The page's only network code: four calls to the intake API on this origin. Every request
 * goes without cookies or referrer, is never cached, and follows no redirect. Bodies travel
 * in POSTs (the lookup id never appears in a URL). Responses are checked by hand rather than
 * with the contracts' zod schemas, which would add zod to a page that must stay small; the
 * types still come from @haven/contracts and the paths are checked against them.
 */
import type {
  INTAKE_KEY_ROTATED,
  IntakeFollowUpBody,
  IntakeKeyResponse,
  IntakeThreadMessage,
  IntakeThreadResponse,
  Routes,
  SubmitIntakeBody,
} from '@haven/contracts';

export const INTAKE_PATHS: {
  key: Routes['intakeKey']['path'];
  submit: Routes['submitIntake']['path'];
  thread: Routes['intakeThread']['path'];
  followUp: Routes['intakeFollowUp']['path'];
} = {
  key: '/api/intake/key',
  submit: '/api/intake/submissions',
  thread: '/api/intake/thread',
  followUp: '/api/intake/thread/messages',
};

export type ApiProblem =
  | { kind: 'offline' }
  | { kind: 'unavailable' }
  | { kind: 'throttled' }
  | { kind: 'too_large' }
  | { kind: 'refused' }
  /** 409 `INTAKE_KEY_ROTATED`: sealed to a key that a rotation replaced; fetch it again. */
  | { kind: 'key_rotated' }
  | { kind: 'server' };

/** The error code of that 409 (the type ties it to the contract without loading zod). */
const KEY_ROTATED: typeof INTAKE_KEY_ROTATED = 'INTAKE_KEY_ROTATED';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; problem: ApiProblem };

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiOptions {
  fetch?: Fetch;
  /** Waits between retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

const BASE_INIT: RequestInit = {
  credentials: 'omit',
  cache: 'no-store',
  referrerPolicy: 'no-referrer',
  redirect: 'error',
  mode: 'same-origin',
};

const defaultFetch: Fetch = (input, init) => fetch(input, init);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function problemOf(status: number): ApiProblem {
  if (status === 503) return { kind: 'unavailable' };
  if (status === 429) return { kind: 'throttled' };
  if (status === 413) return { kind: 'too_large' };
  if (status >= 500) return { kind: 'server' };
  return { kind: 'refused' };
}

const isBase64url = (v: unknown): v is string =>
  typeof v === 'string' && /^[A-Za-z0-9_-]+$/.test(v);

function asKey(value: unknown): IntakeKeyResponse | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    !isBase64url(v.intakePublicKey) ||
    !isBase64url(v.signature) ||
    !isBase64url(v.rootPublicKey) ||
    typeof v.keyVersion !== 'number' ||
    !Number.isSafeInteger(v.keyVersion) ||
    v.keyVersion < 1
  ) {
    return null;
  }
  return {
    intakePublicKey: v.intakePublicKey,
    signature: v.signature,
    rootPublicKey: v.rootPublicKey,
    keyVersion: v.keyVersion,
  };
}

function asMessage(value: unknown): IntakeThreadMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.direction !== 'from_person' && v.direction !== 'from_staff') return null;
  if (typeof v.sentOn !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.sentOn)) return null;
  if (v.envelope !== null && !isBase64url(v.envelope)) return null;
  return { direction: v.direction, sentOn: v.sentOn, envelope: v.envelope };
}

function asThread(value: unknown): IntakeThreadResponse | null {
  if (typeof value !== 'object' || value === null) return null;
  const list = (value as { messages?: unknown }).messages;
  if (!Array.isArray(list)) return null;
  const messages: IntakeThreadMessage[] = [];
  for (const item of list) {
    const message = asMessage(item);
    if (!message) return null;
    messages.push(message);
  }
  return { messages };
}

async function readJson<T>(
  response: Response,
  check: (v: unknown) => T | null,
): Promise<ApiResult<T>> {
  if (!response.ok) return { ok: false, problem: problemOf(response.status) };
  try {
    const value = check(await response.json());
    return value ? { ok: true, value } : { ok: false, problem: { kind: 'server' } };
  } catch {
    return { ok: false, problem: { kind: 'server' } };
  }
}

export async function fetchIntakeKey(
  options: ApiOptions = {},
): Promise<ApiResult<IntakeKeyResponse>> {
  const doFetch = options.fetch ?? defaultFetch;
  try {
    return await readJson(await doFetch(INTAKE_PATHS.key, { ...BASE_INIT, method: 'GET' }), asKey);
  } catch {
    return { ok: false, problem: { kind: 'offline' } };
  }
}

export async function readThread(
  lookupId: string,
  options: ApiOptions = {},
): Promise<ApiResult<IntakeThreadResponse>> {
  const doFetch = options.fetch ?? defaultFetch;
  try {
    const response = await doFetch(INTAKE_PATHS.thread, {
      ...BASE_INIT,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lookupId }),
    });
    return await readJson(response, asThread);
  } catch {
    return { ok: false, problem: { kind: 'offline' } };
  }
}

/** A 409 whose body names the rotated intake key (not an idempotency conflict). */
async function isKeyRotated(response: Response): Promise<boolean> {
  if (response.status !== 409) return false;
  try {
    const body: unknown = await response.json();
    return (
      typeof body === 'object' && body !== null && (body as { code?: unknown }).code === KEY_ROTATED
    );
  } catch {
    return false;
  }
}

/** Pauses before the 2nd and 3rd attempts. */
export const RETRY_DELAYS_MS = [1000, 3000] as const;

/**
 * POSTs a sealed body with its idempotency key, retrying the very same bytes and key after a
 * network failure or a server error: the server stores it once however many attempts arrive.
 */
export async function postSealed(
  path: typeof INTAKE_PATHS.submit | typeof INTAKE_PATHS.followUp,
  body: SubmitIntakeBody | IntakeFollowUpBody,
  idempotencyKey: string,
  options: ApiOptions = {},
): Promise<ApiResult<true>> {
  const doFetch = options.fetch ?? defaultFetch;
  const sleep = options.sleep ?? defaultSleep;
  const init: RequestInit = {
    ...BASE_INIT,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  };
  let last: ApiProblem = { kind: 'offline' };
  for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
    if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1] ?? 0);
    try {
      const response = await doFetch(path, init);
      if (response.ok) return { ok: true, value: true };
      if (await isKeyRotated(response)) return { ok: false, problem: { kind: 'key_rotated' } };
      last = problemOf(response.status);
      // Only faults that a retry can cure are retried.
      if (last.kind !== 'server') return { ok: false, problem: last };
    } catch {
      last = { kind: 'offline' };
    }
  }
  return { ok: false, problem: last };
}
