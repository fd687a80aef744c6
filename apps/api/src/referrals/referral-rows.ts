/**
 * SQL row shapes of the referrals feature and their mapping to contract shapes. Every query
 * names its columns; nothing is returned that the response does not need.
 */
import {
  isReferralOverdue,
  type CaseReferral,
  type ConsentBasis,
  type NoteKey,
  type PacketField,
  type ReferralPacketInfo,
  type ReferralService,
  type ReferralStatus,
  type ReferralTransition,
  type ReferralUrgency,
} from '@haven/contracts';
import { encodeBase64Url } from '../cases/envelopes';

export interface ReferralRow {
  id: string;
  case_id: string;
  code: string;
  service: ReferralService;
  urgency: ReferralUrgency;
  status: ReferralStatus;
  version: number;
  partner_org_id: string | null;
  partner_name: string | null;
  assignee_user_id: string | null;
  proposed_by: string;
  decided_by: string | null;
  due_on: string | null;
  created_on: string;
  updated_on: string;
  fields: PacketField[];
}

export const REFERRAL_COLUMNS = `
  r.id, r.case_id, c.code, r.service, r.urgency, r.status, r.version, r.partner_org_id,
  po.name AS partner_name, r.assignee_user_id, r.proposed_by, r.decided_by,
  r.due_on::text AS due_on, r.created_on::text AS created_on, r.updated_on::text AS updated_on,
  r.fields`;

export const REFERRAL_FROM = `
  referral r JOIN case_file c ON c.id = r.case_id
  LEFT JOIN partner_org po ON po.id = r.partner_org_id`;

export interface TransitionRow {
  id: string;
  referral_id: string;
  seq: number;
  from_status: ReferralStatus | null;
  to_status: ReferralStatus;
  actor_id: string;
  day: string;
  note_envelope: Buffer | null;
  note_key: NoteKey | null;
  note_key_version: number | null;
}

export const TRANSITION_COLUMNS = `
  t.id, t.referral_id, t.seq, t.from_status, t.to_status, t.actor_id, t.day::text AS day,
  t.note_envelope, t.note_key, t.note_key_version`;

export function toTransition(t: TransitionRow, showNote = true): ReferralTransition {
  const note = showNote && t.note_envelope ? encodeBase64Url(t.note_envelope) : null;
  return {
    id: t.id,
    from: t.from_status,
    to: t.to_status,
    actorId: t.actor_id,
    day: t.day,
    note,
    noteKey: note ? t.note_key : null,
    packetKeyVersion: note && t.note_key === 'packet' ? t.note_key_version : null,
  };
}

export interface PacketRow {
  referral_id: string;
  key_version: number;
  envelope: Buffer | null;
  case_key_wrap: Buffer | null;
  consent_basis: ConsentBasis;
  override_reason: Buffer | null;
  expires_on: string;
  created_on: string;
  grantees: string[];
}

export const PACKET_COLUMNS = `
  p.referral_id, p.key_version, p.envelope, p.case_key_wrap, p.consent_basis, p.override_reason,
  p.expires_on::text AS expires_on, p.created_on::text AS created_on,
  coalesce((SELECT array_agg(g.user_id ORDER BY g.user_id) FROM referral_packet_grant g
             WHERE g.referral_id = p.referral_id AND g.key_version = p.key_version),
           '{}') AS grantees`;

export function toPacket(p: PacketRow): ReferralPacketInfo {
  return {
    keyVersion: p.key_version,
    envelope: p.envelope ? encodeBase64Url(p.envelope) : null,
    caseKeyWrap: p.case_key_wrap ? encodeBase64Url(p.case_key_wrap) : null,
    consentBasis: p.consent_basis,
    overrideReason: p.override_reason ? encodeBase64Url(p.override_reason) : null,
    expiresOn: p.expires_on,
    createdOn: p.created_on,
    live: p.grantees.length > 0,
    grantees: p.grantees,
  };
}

export function toCaseReferral(
  r: ReferralRow & { reason_envelope: Buffer },
  today: string,
  packets: PacketRow[],
  transitions: TransitionRow[],
): CaseReferral {
  return {
    id: r.id,
    caseId: r.case_id,
    caseCode: r.code,
    service: r.service,
    urgency: r.urgency,
    status: r.status,
    version: r.version,
    partnerOrgId: r.partner_org_id,
    partnerName: r.partner_name,
    assigneeUserId: r.assignee_user_id,
    proposedBy: r.proposed_by,
    decidedBy: r.decided_by,
    dueOn: r.due_on,
    overdue: isReferralOverdue({ status: r.status, dueOn: r.due_on }, today),
    createdOn: r.created_on,
    updatedOn: r.updated_on,
    fields: r.fields,
    reason: encodeBase64Url(r.reason_envelope),
    nextPacketKeyVersion: transitions.filter((t) => t.to_status === 'assigned').length + 1,
    packets: packets.map(toPacket),
    transitions: transitions.map((t) => toTransition(t)),
  };
}
