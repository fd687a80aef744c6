/**
 * The page's side of case crypto: which key opens which record, who signed which grant, what a
 * rotation must cover. Every key operation runs in the crypto worker; this file only moves
 * handles, envelopes and validated plaintext around. Decrypted records are checked against the
 * shared content schemas: a record that decrypts but does not match is shown as unreadable.
 */
import {
  AccessNote,
  CASE_RECORD,
  CaseProfile,
  CaseSummary,
  ContactEntry,
  INDEX_KEY_ID,
  PROFILE_RECORD_ID,
  REFERRAL_RECORD,
  StatusNote,
  SUMMARY_RECORD_ID,
  type CaseDetail,
  type CaseReferral,
  type EntryKind,
  type RotateReferralItems,
  type StaffDirectoryEntry,
} from '@haven/contracts';
import type { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../../auth/utils/base64url';
import type {
  CaseKeyHandle,
  CertHandle,
  CryptoWorkerApi,
  IndexKeyHandle,
  RecordPadding,
  UserHandle,
} from '../../crypto';

/** The crypto worker (the page's client in the app, the implementation itself in tests). */
export type Worker = Pick<CryptoWorkerApi, keyof CryptoWorkerApi>;

/** A colleague whose certificate chain the worker verified against the pinned root. */
export interface Colleague extends StaffDirectoryEntry {
  cert: CertHandle;
  fingerprint: string;
}

export type Directory = ReadonlyMap<string, Colleague>;

/** Verifies every directory entry; one that does not verify is left out (trusted for nothing). */
export async function verifyDirectory(
  worker: Worker,
  staff: readonly StaffDirectoryEntry[],
): Promise<Directory> {
  const verified = await Promise.all(
    staff.map(async (entry) => {
      try {
        const key = await worker.verifyCertificate(entry.certificateChain.map(fromBase64Url), {
          subjectId: entry.id,
          roles: [entry.role],
        });
        return { ...entry, cert: key.key, fingerprint: key.fingerprint };
      } catch {
        return null;
      }
    }),
  );
  return new Map(verified.filter((c): c is Colleague => c !== null).map((c) => [c.id, c]));
}

export const profileRef = { kind: CASE_RECORD.profile, recordId: PROFILE_RECORD_ID };
export const summaryRef = { kind: CASE_RECORD.summary, recordId: SUMMARY_RECORD_ID };
export function entryRef(kind: EntryKind, id: string) {
  return { kind: `case.${kind}`, recordId: id };
}

/** Referral items under the case key (docs/referrals.md): each bound to its referral or note. */
export const reasonRef = (referralId: string) => ({
  kind: REFERRAL_RECORD.reason,
  recordId: referralId,
});
export const staffNoteRef = (transitionId: string) => ({
  kind: REFERRAL_RECORD.staffNote,
  recordId: transitionId,
});
export const overrideRef = (referralId: string) => ({
  kind: REFERRAL_RECORD.override,
  recordId: referralId,
});
export const packetWrapRef = (referralId: string) => ({
  kind: REFERRAL_RECORD.packetKeyWrap,
  recordId: referralId,
});

const ENTRY_SCHEMA = { contact: ContactEntry, status_note: StatusNote, access_note: AccessNote };

/** Case keys opened this session, per user handle (a new sign-in starts afresh). */
const opened = { user: '' as string, keys: new Map<string, CaseKeyHandle>() };

function keyCache(user: UserHandle): Map<string, CaseKeyHandle> {
  if (opened.user !== user) {
    opened.user = user;
    opened.keys = new Map();
  }
  return opened.keys;
}

export interface GrantToOpen {
  caseId: string;
  version: number;
  grant: string;
}

/**
 * Opens the caller's grants (a page of a list, or one case). Each grant must be addressed to
 * this case, version and caller, and signed by a colleague in the verified directory;
 * otherwise its case stays closed (null).
 */
export async function openGrants(
  worker: Worker,
  user: UserHandle,
  directory: Directory,
  grants: readonly GrantToOpen[],
): Promise<(CaseKeyHandle | null)[]> {
  const cache = keyCache(user);
  const missing = grants.filter((g) => !cache.has(`${g.caseId}@${g.version}`));
  if (missing.length > 0) {
    const envelopes = missing.map((g) => fromBase64Url(g.grant));
    const headers = await worker.readGrantHeaders(envelopes);
    const items = missing
      .map((g, i) => {
        const header = headers[i];
        const granter = header?.ok ? directory.get(header.value.granterId) : undefined;
        return granter
          ? { envelope: envelopes[i], caseId: g.caseId, version: g.version, granter: granter.cert }
          : null;
      })
      .filter((item) => item !== null);
    const results = await worker.openCaseGrants(user, items);
    results.forEach((result, i) => {
      const item = items[i];
      if (result.ok && item) cache.set(`${item.caseId}@${item.version}`, result.value.caseKey);
    });
  }
  return grants.map((g) => cache.get(`${g.caseId}@${g.version}`) ?? null);
}

/** Remembers a key this page made (a new case, a rotation). */
export function rememberKey(user: UserHandle, caseId: string, version: number, key: CaseKeyHandle) {
  keyCache(user).set(`${caseId}@${version}`, key);
}

/** A decrypted record, or why it could not be shown. */
export type Opened<T> = { ok: true; value: T } | { ok: false };

export async function decryptAll<T>(
  worker: Worker,
  items: readonly {
    key: CaseKeyHandle | null;
    ref: { kind: string; recordId: string };
    envelope: string;
    schema: z.ZodType<T>;
  }[],
): Promise<Opened<T>[]> {
  const ready = items.filter((i) => i.key !== null);
  const results = await worker.decryptJson(
    ready.map((i) => ({
      caseKey: i.key as CaseKeyHandle,
      ref: i.ref,
      envelope: fromBase64Url(i.envelope),
    })),
  );
  let next = 0;
  return items.map((item) => {
    if (item.key === null) return { ok: false };
    const result = results[next++];
    if (!result?.ok) return { ok: false };
    const parsed = item.schema.safeParse(result.value);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
  });
}

export async function encrypt(
  worker: Worker,
  key: CaseKeyHandle,
  ref: { kind: string; recordId: string },
  value: unknown,
  padding: RecordPadding = 'record',
): Promise<string> {
  return toBase64Url(await worker.encryptPaddedJson(key, ref, value, padding));
}

/** The list's one line: the alias and the first line of the situation. */
export function summaryOf(profile: CaseProfile): CaseSummary {
  const firstLine = profile.situation.split('\n')[0]?.trim() ?? '';
  return { alias: profile.alias, headline: firstLine.slice(0, 140) };
}

export interface DecryptedEntry {
  id: string;
  kind: EntryKind;
  content: Opened<ContactEntry | StatusNote | AccessNote>;
}

export interface OpenedCase {
  key: CaseKeyHandle | null;
  profile: Opened<CaseProfile>;
  summary: Opened<CaseSummary>;
  entries: DecryptedEntry[];
}

/** Opens a case as read from the API: the caller's grant, then every record in one batch. */
export async function openCase(
  worker: Worker,
  user: UserHandle,
  directory: Directory,
  detail: CaseDetail,
): Promise<OpenedCase> {
  const [key] = await openGrants(worker, user, directory, [
    { caseId: detail.id, version: detail.keyVersion, grant: detail.myGrant },
  ]);
  const [profile, summary, ...entries] = await decryptAll<unknown>(worker, [
    { key, ref: profileRef, envelope: detail.profile, schema: CaseProfile },
    { key, ref: summaryRef, envelope: detail.summary, schema: CaseSummary },
    ...detail.entries.map((e) => ({
      key,
      ref: entryRef(e.kind, e.id),
      envelope: e.envelope,
      schema: ENTRY_SCHEMA[e.kind] as z.ZodType<unknown>,
    })),
  ]);
  return {
    key: key ?? null,
    profile: profile as Opened<CaseProfile>,
    summary: summary as Opened<CaseSummary>,
    entries: detail.entries.map((e, i) => ({
      id: e.id,
      kind: e.kind,
      content: entries[i] as Opened<ContactEntry | StatusNote | AccessNote>,
    })),
  };
}

/** The current case key sealed to a colleague by the caller. */
export async function sealTo(
  worker: Worker,
  key: CaseKeyHandle,
  colleague: Colleague,
  me: UserHandle,
) {
  return toBase64Url(await worker.sealCaseGrant(key, colleague.cert, me));
}

/**
 * The key version a record envelope says it is under (bytes 2..5, u32be; not authenticated:
 * only used to pick what a rotation covers). 0 for anything too short to be an envelope.
 */
export function envelopeKeyVersion(envelope: string): number {
  const bytes = fromBase64Url(envelope);
  if (bytes.length < 6) return 0;
  return ((bytes[2] << 24) | (bytes[3] << 16) | (bytes[4] << 8) | bytes[5]) >>> 0;
}

type RecordToRotate = { ref: { kind: string; recordId: string }; envelope: Uint8Array };

/**
 * The referral items a rotation from `version` must carry: every reason, staff note, packet key
 * wrap and override reason under the case key at that version (items the server has at an older
 * version cannot be opened by anyone any more and are left as they are). `assemble` puts the
 * re-encrypted envelopes, in the order of `records`, back into the request's shape.
 */
export function referralRotationItems(
  referrals: readonly CaseReferral[],
  version: number,
): {
  records: RecordToRotate[];
  assemble: (envelopes: readonly string[]) => RotateReferralItems;
} {
  const at = (envelope: string | null): envelope is string =>
    envelope !== null && envelopeKeyVersion(envelope) === version;
  const reasons = referrals.filter((r) => at(r.reason));
  const notes = referrals.flatMap((r) =>
    r.transitions.filter((t) => t.noteKey === 'case' && at(t.note)),
  );
  const packets = referrals.flatMap((r) =>
    r.packets
      .filter((p) => at(p.caseKeyWrap))
      .map((p) => ({
        referralId: r.id,
        keyVersion: p.keyVersion,
        caseKeyWrap: p.caseKeyWrap ?? '',
        overrideReason: at(p.overrideReason) ? p.overrideReason : null,
      })),
  );
  const records: RecordToRotate[] = [
    ...reasons.map((r) => ({ ref: reasonRef(r.id), envelope: fromBase64Url(r.reason) })),
    ...notes.map((t) => ({ ref: staffNoteRef(t.id), envelope: fromBase64Url(t.note ?? '') })),
    ...packets.flatMap((p) => [
      { ref: packetWrapRef(p.referralId), envelope: fromBase64Url(p.caseKeyWrap) },
      ...(p.overrideReason === null
        ? []
        : [{ ref: overrideRef(p.referralId), envelope: fromBase64Url(p.overrideReason) }]),
    ]),
  ];
  const assemble = (envelopes: readonly string[]): RotateReferralItems => {
    let next = 0;
    const take = () => envelopes[next++] ?? '';
    return {
      reasons: reasons.map((r) => ({ id: r.id, envelope: take() })),
      notes: notes.map((t) => ({ id: t.id, envelope: take() })),
      packets: packets.map((p) => ({
        referralId: p.referralId,
        keyVersion: p.keyVersion,
        caseKeyWrap: take(),
        overrideReason: p.overrideReason === null ? null : take(),
      })),
    };
  };
  return { records, assemble };
}

/**
 * A rotation body for a case read just now: every record re-encrypted under the next key, and
 * every referral item under the case key (`referrals`, from the case's referrals read just now),
 * each bound to the same record as before at the new version; the key sealed to every grantee
 * whose account is active. Throws when a grantee's key cannot be verified (the rotation would
 * not cover them, and the server would refuse it) or any record does not open (all or nothing).
 */
export async function rotationFor(
  worker: Worker,
  user: UserHandle,
  directory: Directory,
  detail: CaseDetail,
  key: CaseKeyHandle,
  referrals: readonly CaseReferral[] = [],
) {
  const caseRecords = [
    { ref: profileRef, envelope: fromBase64Url(detail.profile) },
    { ref: summaryRef, envelope: fromBase64Url(detail.summary) },
    ...detail.entries.map((e) => ({
      ref: entryRef(e.kind, e.id),
      envelope: fromBase64Url(e.envelope),
    })),
  ];
  const referralItems = referralRotationItems(referrals, detail.keyVersion);
  const grantees: Colleague[] = [];
  for (const grant of detail.grants) {
    const colleague = directory.get(grant.userId);
    if (!colleague) throw new Error('a grantee’s key could not be verified');
    // Disabled accounts lose their grant in the rotation.
    if (colleague.active) grantees.push(colleague);
  }
  const result = await worker.rotateCaseKey(
    key,
    [...caseRecords, ...referralItems.records],
    grantees.map((g) => g.cert),
    user,
  );
  rememberKey(user, detail.id, result.next.version, result.next.caseKey);
  const envelopes = result.records.map(toBase64Url);
  const [profile, summary, ...rest] = envelopes;
  const entries = rest.slice(0, detail.entries.length);
  return {
    fromVersion: detail.keyVersion,
    toVersion: result.next.version,
    profile: profile ?? '',
    summary: summary ?? '',
    entries: detail.entries.map((e, i) => ({ id: e.id, envelope: entries[i] ?? '' })),
    grants: result.grants.map((g) => ({ userId: g.granteeId, envelope: toBase64Url(g.envelope) })),
    referrals: referralItems.assemble(rest.slice(detail.entries.length)),
  };
}

// ---- the organisation's blind-index key -------------------------------------------------------

export const DEFAULT_COUNTRY_CODE = '7';

export async function openIndexKey(
  worker: Worker,
  user: UserHandle,
  directory: Directory,
  grant: string,
  version: number,
): Promise<IndexKeyHandle | null> {
  const envelope = fromBase64Url(grant);
  const [header] = await worker.readGrantHeaders([envelope]);
  const granter = header?.ok ? directory.get(header.value.granterId) : undefined;
  if (!granter) return null;
  try {
    return await worker.openIndexGrant(user, envelope, {
      id: INDEX_KEY_ID,
      version,
      granter: granter.cert,
    });
  } catch {
    return null;
  }
}

export async function newIndexKey(worker: Worker): Promise<IndexKeyHandle> {
  return worker.createIndexKey(INDEX_KEY_ID);
}

export async function sealIndexTo(
  worker: Worker,
  index: IndexKeyHandle,
  colleague: Colleague,
  me: UserHandle,
) {
  return toBase64Url(await worker.sealIndexGrant(index, colleague.cert, me));
}

/** Blind indexes of the phone numbers and handles among a profile's channels. */
export async function indexesOf(
  worker: Worker,
  index: IndexKeyHandle,
  profile: Pick<CaseProfile, 'channels'>,
) {
  const items = profile.channels
    .filter((c) => c.type !== 'other' && c.value.trim() !== '')
    .map((c) => ({
      kind: c.type === 'phone' ? ('phone' as const) : ('handle' as const),
      value: c.value,
    }));
  const results = await worker.blindIndexes(index, items, {
    defaultCountryCode: DEFAULT_COUNTRY_CODE,
  });
  const out = new Map<string, { kind: 'phone' | 'handle'; digest: string }>();
  results.forEach((r, i) => {
    const item = items[i];
    if (r.ok && item) out.set(`${item.kind}:${r.value}`, { kind: item.kind, digest: r.value });
  });
  return [...out.values()];
}
