/**
 * What a referral packet holds (docs/referrals.md "The packet"): only the case fields the
 * caseworker ticked, copied out of the decrypted profile in the coordinator's browser at
 * assign time, as `ReferralPacketContent` (each field as text). The server knows the field
 * names (`referral.fields`), never their content.
 */
import {
  NEEDS,
  PACKET_FIELDS,
  ReferralPacketContent,
  type CaseProfile,
  type PacketField,
  type ReferralService,
  type ReferralUrgency,
} from '@haven/contracts';

export { PACKET_FIELDS, type PacketField };

/** The fields in their canonical order, without repeats or unknown names. */
export function normaliseFields(fields: readonly string[]): PacketField[] {
  return PACKET_FIELDS.filter((field) => fields.includes(field));
}

/** Words the text of a packet uses, in the language of whoever builds it. */
export interface PacketLabels {
  safeTimes: string;
  risks: string;
  channel: (type: string) => string;
  need: (need: string) => string;
}

const MAX_FIELD = 50_000;

function clip(text: string): string {
  return text.length > MAX_FIELD ? text.slice(0, MAX_FIELD) : text;
}

/** One field of the profile as the text the assignee reads. */
function fieldText(
  field: PacketField,
  profile: CaseProfile,
  notes: string,
  labels: PacketLabels,
): string {
  switch (field) {
    case 'contact': {
      const lines = [profile.alias];
      for (const c of profile.channels) {
        const app = c.app ? ` (${c.app})` : '';
        const note = c.note ? ` — ${c.note}` : '';
        lines.push(`${labels.channel(c.type)}${app}: ${c.value}${note}`);
      }
      if (profile.safeTimes) lines.push(`${labels.safeTimes}: ${profile.safeTimes}`);
      return lines.join('\n');
    }
    case 'location':
      return profile.location;
    case 'needs':
      return NEEDS.filter((need) => profile.needs[need])
        .map((need) => labels.need(need))
        .join(', ');
    case 'situation':
      return profile.risks
        ? `${profile.situation}\n\n${labels.risks}: ${profile.risks}`
        : profile.situation;
    case 'language':
      return profile.languages.join(', ');
    case 'notes':
      return notes.trim();
  }
}

/**
 * The packet for `fields`, from a decrypted profile and the proposal's note for the assignee.
 * A field that was not chosen is absent, not empty: nothing else of the case goes in.
 */
export function packetContent(input: {
  profile: CaseProfile;
  fields: readonly string[];
  service: ReferralService;
  urgency: ReferralUrgency;
  notes?: string;
  labels: PacketLabels;
}): ReferralPacketContent {
  const fields: Partial<Record<PacketField, string>> = {};
  for (const field of normaliseFields(input.fields)) {
    fields[field] = clip(fieldText(field, input.profile, input.notes ?? '', input.labels));
  }
  return ReferralPacketContent.parse({
    format: 1,
    service: input.service,
    urgency: input.urgency,
    fields,
  });
}

/** The fields present in a decrypted packet, in canonical order (for the packet view). */
export function fieldsIn(content: ReferralPacketContent): PacketField[] {
  return PACKET_FIELDS.filter((field) => content.fields[field] !== undefined);
}
