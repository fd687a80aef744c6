/**
 * The intake form: its fields, their validation, and the JSON that gets sealed. Everything the
 * person types goes into the sealed payload; only `urgency` is also sent in clear (the server
 * orders the coordinators' queue by it). Pure functions, unit-tested without a browser.
 */
import type { IntakeUrgency } from '@haven/contracts';
import type { Language, MessageKey } from '../../../i18n';

export const CONTACT_CHANNELS = ['signal', 'telegram', 'whatsapp', 'email', 'phone'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const LOCATION_AREAS = [
  'in_chechnya',
  'north_caucasus',
  'elsewhere_russia',
  'outside_russia',
  'prefer_not_to_say',
] as const;
export type LocationArea = (typeof LOCATION_AREAS)[number];

export const NEEDS = [
  'evacuation',
  'shelter',
  'legal',
  'medical',
  'psychological',
  'financial',
  'documents',
  'other',
] as const;
export type Need = (typeof NEEDS)[number];

export const URGENCIES = [
  'routine',
  'urgent',
  'critical',
] as const satisfies readonly IntakeUrgency[];

/** Longest texts, in characters. Chosen so that even 3-byte scripts stay within 16 KiB. */
export const LIMITS = {
  contactDetails: 500,
  safeTimes: 200,
  region: 200,
  happened: 4000,
  needsOther: 300,
  followUp: 4000,
} as const;

/**
 * The largest sealed payload the page sends: the 16 KiB padding bucket. Its envelope, as
 * base64url in JSON, stays well under the API's 64 KiB body limit.
 */
export const MAX_PAYLOAD_BYTES = 16 * 1024 - 1;

export interface IntakeFormValues {
  channels: ContactChannel[];
  contactDetails: string;
  safeTimes: string;
  area: LocationArea | '';
  region: string;
  happened: string;
  needs: Need[];
  needsOther: string;
  urgency: IntakeUrgency | '';
  consent: boolean;
}

export type FormField = keyof IntakeFormValues;

export function emptyForm(): IntakeFormValues {
  return {
    channels: [],
    contactDetails: '',
    safeTimes: '',
    area: '',
    region: '',
    happened: '',
    needs: [],
    needsOther: '',
    urgency: '',
    consent: false,
  };
}

export interface FieldProblem {
  field: FormField;
  message: MessageKey;
}

/** Problems in display order (the order of the fields on the page). */
export function validateForm(values: IntakeFormValues): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const tooLong = (field: FormField, text: string, max: number) => {
    if (text.length > max) problems.push({ field, message: 'form.errors.tooLong' });
  };
  tooLong('contactDetails', values.contactDetails, LIMITS.contactDetails);
  tooLong('safeTimes', values.safeTimes, LIMITS.safeTimes);
  if (values.area === '') problems.push({ field: 'area', message: 'form.errors.areaRequired' });
  tooLong('region', values.region, LIMITS.region);
  if (values.happened.trim() === '') {
    problems.push({ field: 'happened', message: 'form.errors.happenedRequired' });
  }
  tooLong('happened', values.happened, LIMITS.happened);
  if (values.needs.includes('other')) tooLong('needsOther', values.needsOther, LIMITS.needsOther);
  if (values.urgency === '') {
    problems.push({ field: 'urgency', message: 'form.errors.urgencyRequired' });
  }
  if (!values.consent) problems.push({ field: 'consent', message: 'form.errors.consentRequired' });
  return problems;
}

/** What is sealed (version 1). Staff read it in the dashboard; docs/intake.md describes it. */
export interface IntakePayload {
  v: 1;
  kind: 'submission';
  language: Language;
  contact: { channels: ContactChannel[]; details: string; safeTimes: string };
  location: { area: LocationArea; region: string };
  happened: string;
  needs: Need[];
  needsOther: string;
  urgency: IntakeUrgency;
  consent: true;
}

/** A follow-up the person sends from the replies page (sealed the same way). */
export interface FollowUpPayload {
  v: 1;
  kind: 'follow_up';
  language: Language;
  text: string;
}

/** The payload of a valid form; throws if called on an invalid one. */
export function toPayload(values: IntakeFormValues, language: Language): IntakePayload {
  if (values.area === '' || values.urgency === '' || !values.consent) {
    throw new Error('toPayload needs a valid form');
  }
  return {
    v: 1,
    kind: 'submission',
    language,
    contact: {
      // In the order of the page, without duplicates.
      channels: CONTACT_CHANNELS.filter((c) => values.channels.includes(c)),
      details: values.contactDetails.trim(),
      safeTimes: values.safeTimes.trim(),
    },
    location: { area: values.area, region: values.region.trim() },
    happened: values.happened.trim(),
    needs: NEEDS.filter((n) => values.needs.includes(n)),
    needsOther: values.needs.includes('other') ? values.needsOther.trim() : '',
    urgency: values.urgency,
    consent: true,
  };
}

/** UTF-8 JSON of a payload, or null when it would not fit the largest bucket the page sends. */
export function encodePayload(payload: IntakePayload | FollowUpPayload): Uint8Array | null {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return bytes.length <= MAX_PAYLOAD_BYTES ? bytes : null;
}

/** Adds or removes one value of a checkbox group. */
export function toggle<T>(list: readonly T[], value: T, on: boolean): T[] {
  const without = list.filter((item) => item !== value);
  return on ? [...without, value] : without;
}
