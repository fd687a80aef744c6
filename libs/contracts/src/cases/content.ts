import { z } from 'zod';

/**
 * What lives INSIDE a case's encrypted records. The server never sees these shapes: the
 * dashboard validates with them before encrypting and again after decrypting (a record that
 * decrypts but does not match is shown as unreadable, not trusted). Record kinds and ids are the
 * AEAD binding of docs/crypto.md: a ciphertext moved to another case, kind or id fails.
 */

/** Record kinds (the `kind` of a RecordRef). */
export const CASE_RECORD = {
  /** The whole profile; record id `profile`. */
  profile: 'case.profile',
  /** Alias + one line, for lists; record id `summary`. */
  summary: 'case.summary',
  /** Timeline entries; record id = the entry's uuid, kind = `case.<entry kind>`. */
  contact: 'case.contact',
  statusNote: 'case.status_note',
  accessNote: 'case.access_note',
} as const;

/** Fixed record ids of the two per-case records. */
export const PROFILE_RECORD_ID = 'profile';
export const SUMMARY_RECORD_ID = 'summary';

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `at most ${max} characters` });
const required = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'required' })
    .max(max, { error: `at most ${max} characters` });

export const NEEDS = [
  'evacuation',
  'shelter',
  'legal',
  'medical',
  'psychological',
  'financial',
  'documents',
] as const;
export type Need = (typeof NEEDS)[number];

export const CONTACT_CHANNEL_TYPES = ['phone', 'messenger', 'email', 'other'] as const;

/** One way to reach the person safely. Phone numbers and messenger handles get blind indexes. */
export const SafeContactChannel = z.object({
  type: z.enum(CONTACT_CHANNEL_TYPES),
  /** For messengers: which one (Telegram, Signal, WhatsApp…). */
  app: text(40).default(''),
  value: required(200),
  /** e.g. "only texts, never call". */
  note: text(300).default(''),
});
export type SafeContactChannel = z.infer<typeof SafeContactChannel>;

export const CaseProfile = z.object({
  /** How staff refer to the person; never the legal name unless the person asks. */
  alias: required(80),
  channels: z.array(SafeContactChannel).max(10, { error: 'at most 10 channels' }).default([]),
  safeTimes: text(500).default(''),
  languages: z.array(required(40)).max(10).default([]),
  /** Coarse on purpose: a region or city, never an address. */
  location: text(120).default(''),
  situation: text(20_000).default(''),
  risks: text(20_000).default(''),
  needs: z.object({
    evacuation: z.boolean().default(false),
    shelter: z.boolean().default(false),
    legal: z.boolean().default(false),
    medical: z.boolean().default(false),
    psychological: z.boolean().default(false),
    financial: z.boolean().default(false),
    documents: z.boolean().default(false),
  }) satisfies z.ZodType<Record<Need, boolean>, Partial<Record<Need, boolean>>>,
  consent: z.object({
    contact: z.boolean(),
    shareWithPartners: z.boolean(),
    keepData: z.boolean(),
  }),
});
export type CaseProfile = z.infer<typeof CaseProfile>;
export type CaseProfileInput = z.input<typeof CaseProfile>;

/** What lists show. Small on purpose so that a page of 50 never ships whole profiles. */
export const CaseSummary = z.object({
  alias: required(80),
  headline: text(140).default(''),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CONTACT_CHANNELS = [
  'phone',
  'messenger',
  'email',
  'in_person',
  'intake',
  'other',
] as const;
export const CONTACT_DIRECTIONS = ['inbound', 'outbound'] as const;

/** One logged contact. The follow-up day is kept in clear beside it (for "My follow-ups"). */
export const ContactEntry = z.object({
  date: z.iso.date({ error: 'must be a date' }),
  channel: z.enum(CONTACT_CHANNELS),
  direction: z.enum(CONTACT_DIRECTIONS),
  summary: required(10_000),
  nextStep: text(1_000).default(''),
});
export type ContactEntry = z.infer<typeof ContactEntry>;

/** Why a status changed; required when a closed case is reopened. */
export const StatusNote = z.object({
  from: z.enum(['new', 'active', 'referred', 'closed']),
  to: z.enum(['new', 'active', 'referred', 'closed']),
  reason: required(2_000),
});
export type StatusNote = z.infer<typeof StatusNote>;

/** Why access changed ("share with a colleague" asks for a reason). */
export const AccessNote = z.object({
  action: z.enum(['share', 'assign']),
  userId: z.uuid(),
  reason: required(1_000),
});
export type AccessNote = z.infer<typeof AccessNote>;
