/**
 * What a referral packet holds (docs/referrals.md "The packet"): only the case fields the
 * caseworker ticked, copied out of the decrypted profile in the coordinator's browser at
 * assign time. The server knows the field names (`referral.fields`), never their content.
 */
import { NEEDS, SafeContactChannel, type CaseProfile, type Need } from '@haven/contracts';
import { z } from 'zod';

export const PACKET_FIELDS = [
  'contact',
  'location',
  'needs',
  'situation',
  'language',
  'notes',
] as const;
export type PacketField = (typeof PACKET_FIELDS)[number];

/** The fields in their canonical order, without repeats or unknown names. */
export function normaliseFields(fields: readonly string[]): PacketField[] {
  return PACKET_FIELDS.filter((field) => fields.includes(field));
}

/** A coordinator may share fewer fields than were proposed, never more. */
export function narrowFields(
  proposed: readonly string[],
  chosen: readonly string[],
): PacketField[] {
  const allowed = normaliseFields(proposed);
  return allowed.filter((field) => chosen.includes(field));
}

/** The decrypted packet, checked after decryption like every record (an unknown key is dropped). */
export const PacketContent = z.object({
  /** Format of this object, so a later version can add fields without confusing readers. */
  v: z.literal(1),
  /** `contact`: the alias staff use, the safe channels and the safe times. */
  contact: z
    .object({
      alias: z.string().max(80),
      channels: z.array(SafeContactChannel).max(10),
      safeTimes: z.string().max(500),
    })
    .optional(),
  /** `location`: coarse on purpose (a region or city). */
  location: z.string().max(120).optional(),
  /** `needs`: the needs ticked on the profile. */
  needs: z.array(z.enum(NEEDS)).optional(),
  /** `situation`: the situation and the risks. */
  situation: z
    .object({ situation: z.string().max(20_000), risks: z.string().max(20_000) })
    .optional(),
  /** `language`: languages the person speaks. */
  language: z.array(z.string().max(40)).max(10).optional(),
  /** `notes`: a note for the assignee written with the proposal. */
  notes: z.string().max(4_000).optional(),
});
export type PacketContent = z.infer<typeof PacketContent>;

/**
 * The packet for `fields`, from a decrypted profile and the proposal's note for the assignee.
 * A field that was not chosen is absent, not empty: nothing else of the case goes in.
 */
export function packetContent(
  profile: CaseProfile,
  fields: readonly string[],
  notes = '',
): PacketContent {
  const chosen = new Set(normaliseFields(fields));
  const content: PacketContent = { v: 1 };
  if (chosen.has('contact')) {
    content.contact = {
      alias: profile.alias,
      channels: profile.channels.map((c) => ({ ...c })),
      safeTimes: profile.safeTimes,
    };
  }
  if (chosen.has('location')) content.location = profile.location;
  if (chosen.has('needs')) {
    content.needs = NEEDS.filter((need: Need) => profile.needs[need]);
  }
  if (chosen.has('situation')) {
    content.situation = { situation: profile.situation, risks: profile.risks };
  }
  if (chosen.has('language')) content.language = [...profile.languages];
  if (chosen.has('notes')) content.notes = notes.trim();
  return content;
}

/** The fields present in a decrypted packet, in canonical order (for the packet view). */
export function fieldsIn(content: PacketContent): PacketField[] {
  return PACKET_FIELDS.filter((field) => content[field] !== undefined);
}
