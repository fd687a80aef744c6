/**
 * The page's side of triage (docs/intake.md, "Triage"). Key operations run in the crypto
 * worker; this file moves handles and envelopes around and turns what the person wrote into
 * case records. Everything decrypted is checked against the shared schemas first: the person's
 * text is shown, never trusted.
 */
import {
  CaseProfile,
  INTAKE_KEY_ID,
  IntakeContactEntry,
  IntakeFollowUpContent,
  IntakeFormContent,
  NEEDS,
  type CaseDetail,
  type IntakeKeyPerson,
  type IntakeKeyStatus,
} from '@haven/contracts';
import { fromBase64Url, toBase64Url } from '../../auth/utils/base64url';
import { decryptAll, encrypt, entryRef, type Worker } from '../../cases/crypto/case-crypto';
import type { CaseKeyHandle, CertHandle, IntakeHandle, UserHandle } from '../../crypto';

/** A person in the intake key's custody chain, verified against the pinned root. */
export interface VerifiedHolder extends IntakeKeyPerson {
  cert: CertHandle;
}

export async function verifyHolder(
  worker: Worker,
  person: IntakeKeyPerson,
): Promise<VerifiedHolder | null> {
  try {
    const key = await worker.verifyCertificate(person.certificateChain.map(fromBase64Url), {
      subjectId: person.id,
      roles: [person.role],
    });
    return { ...person, cert: key.key };
  } catch {
    return null;
  }
}

/**
 * The caller's intake key in the worker: the root's signature over the public key is checked
 * first, then the caller's grant (coordinators) or the setup admin's wrapped copy is opened
 * and matched against that public key. Null when the caller holds neither.
 */
export async function openIntakeKey(
  worker: Worker,
  user: UserHandle,
  status: IntakeKeyStatus,
  adminCopy: string | null,
): Promise<IntakeHandle | null> {
  const publicKey = fromBase64Url(status.intakePublicKey);
  await worker.checkIntakeKey(publicKey, fromBase64Url(status.intakeKeySignature));
  if (status.grant && status.granter) {
    const granter = await verifyHolder(worker, status.granter);
    if (!granter) throw new Error('the intake key grant was signed by an unverified key');
    return worker.openIntakeGrant(user, fromBase64Url(status.grant), {
      orgId: INTAKE_KEY_ID,
      version: status.version,
      granter: granter.cert,
      pinnedPublicKey: publicKey,
    });
  }
  if (adminCopy) return worker.unwrapAdminIntakeKey(user, fromBase64Url(adminCopy), publicKey);
  return null;
}

export async function sealIntakeTo(
  worker: Worker,
  intake: IntakeHandle,
  holder: VerifiedHolder,
  me: UserHandle,
  version: number,
): Promise<string> {
  return toBase64Url(
    await worker.sealIntakeGrant(intake, holder.cert, me, { orgId: INTAKE_KEY_ID, version }),
  );
}

export type OpenedIntake =
  | { ok: true; kind: 'submission'; form: IntakeFormContent; replyPublicKey: string }
  | { ok: true; kind: 'follow_up'; text: string; replyPublicKey: string }
  | { ok: false };

/** Opens queued envelopes (submissions or follow-ups) with the intake key. */
export async function openQueued(
  worker: Worker,
  intake: IntakeHandle,
  envelopes: readonly string[],
): Promise<OpenedIntake[]> {
  const results = await worker.openIntakeSubmissions(intake, envelopes.map(fromBase64Url));
  return results.map((result): OpenedIntake => {
    if (!result.ok) return { ok: false };
    const replyPublicKey = toBase64Url(result.value.replyPublicKey);
    const form = IntakeFormContent.safeParse(result.value.payload);
    if (form.success) return { ok: true, kind: 'submission', form: form.data, replyPublicKey };
    const followUp = IntakeFollowUpContent.safeParse(result.value.payload);
    if (followUp.success) {
      return { ok: true, kind: 'follow_up', text: followUp.data.text, replyPublicKey };
    }
    return { ok: false };
  });
}

/** The form as one readable text, for the case's timeline. */
export function formText(form: IntakeFormContent): string {
  const lines = [
    form.happened,
    '',
    `Contact: ${[form.contact.channels.join(', '), form.contact.details].filter(Boolean).join(' — ')}`,
    `Safe times: ${form.contact.safeTimes}`,
    `Where: ${[form.location.area, form.location.region].filter(Boolean).join(' — ')}`,
    `Needs: ${[...form.needs, form.needsOther].filter(Boolean).join(', ')}`,
    `Urgency: ${form.urgency}`,
  ];
  return lines.join('\n').slice(0, 10_000);
}

/** A case profile prefilled from the form; the coordinator chooses the alias. */
export function profileFromForm(form: IntakeFormContent, alias: string): CaseProfile {
  const details = form.contact.details.trim();
  return CaseProfile.parse({
    alias,
    channels: details
      ? [{ type: 'other', app: form.contact.channels.join(', ').slice(0, 40), value: details }]
      : [],
    safeTimes: form.contact.safeTimes.slice(0, 500),
    languages: form.language ? [form.language] : [],
    location: [form.location.area, form.location.region].filter(Boolean).join(' — ').slice(0, 120),
    situation: form.happened.slice(0, 20_000),
    risks: '',
    needs: Object.fromEntries(NEEDS.map((n) => [n, form.needs.includes(n)])),
    consent: { contact: true, shareWithPartners: false, keepData: true },
  });
}

/** An intake entry (a contact entry with the thread's reply key) under the case key. */
export async function intakeEntry(
  worker: Worker,
  key: CaseKeyHandle,
  kind: 'submission' | 'follow_up' | 'reply',
  summary: string,
  replyPublicKey: string,
) {
  const id = crypto.randomUUID();
  const content: IntakeContactEntry = {
    date: new Date().toISOString().slice(0, 10),
    channel: 'intake',
    direction: kind === 'reply' ? 'outbound' : 'inbound',
    summary: summary.trim() || '—',
    nextStep: '',
    intake: { kind, replyPublicKey },
  };
  return { id, envelope: await encrypt(worker, key, entryRef('contact', id), content) };
}

export interface IntakeMessage {
  id: string;
  ordinal: number;
  content: IntakeContactEntry;
}

/** The case's intake entries (oldest first), decrypted and checked. */
export async function intakeMessages(
  worker: Worker,
  key: CaseKeyHandle | null,
  detail: CaseDetail,
): Promise<IntakeMessage[]> {
  const contacts = detail.entries.filter((e) => e.kind === 'contact');
  const opened = await decryptAll(
    worker,
    contacts.map((e) => ({
      key,
      ref: entryRef('contact', e.id),
      envelope: e.envelope,
      schema: IntakeContactEntry,
    })),
  );
  return contacts
    .map((e, i) => {
      const o = opened[i];
      return o?.ok ? { id: e.id, ordinal: e.ordinal, content: o.value } : null;
    })
    .filter((m): m is IntakeMessage => m !== null)
    .sort((a, b) => a.ordinal - b.ordinal);
}

/** A staff reply sealed to the person's reply key, as the intake page opens it. */
export async function sealStaffReply(worker: Worker, replyPublicKey: string, text: string) {
  return toBase64Url(await worker.sealReplyJson(fromBase64Url(replyPublicKey), { v: 1, text }));
}
