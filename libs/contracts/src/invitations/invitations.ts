import { z } from 'zod';
import { StaffRole } from '../access/roles';
import {
  AuthKey,
  KdfParams,
  KEY_SIZES,
  KeyBundle,
  OrgRootPin,
  TotpCode,
  TotpProvisioning,
  Username,
} from '../auth/auth';
import { base64UrlBytes } from '../auth/encoding';

/** One-time link tokens: 32 random bytes, unpadded base64url. */
export const LinkToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, { error: 'is not a valid link' })
  .meta({ description: 'The token from the link fragment (#token=…)' });

export const INVITATION_TTL_HOURS = 72;

export const CreateInvitationRequest = z
  .object({
    role: StaffRole,
    /** Required for role `partner` (an active partner organisation), refused for any other. */
    partnerOrgId: z.uuid().optional(),
  })
  .refine((b) => (b.role === 'partner') === (b.partnerOrgId !== undefined), {
    error: 'a partner invitation names its partner organisation, and only a partner one does',
    path: ['partnerOrgId'],
  })
  .meta({ id: 'CreateInvitationRequest' });
export type CreateInvitationRequest = z.infer<typeof CreateInvitationRequest>;

export const CreatedInvitation = z
  .object({
    id: z.uuid(),
    role: StaffRole,
    /** Shown once: the server keeps only its hash. The link is `/invite#token=<token>`. */
    token: LinkToken,
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'CreatedInvitation' });
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

export const PendingInvitation = z
  .object({
    id: z.uuid(),
    role: StaffRole,
    /** For partner invitations: the organisation the account will belong to. */
    partnerOrgId: z.uuid().nullable().optional(),
    createdOn: z.iso.date(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'PendingInvitation' });
export type PendingInvitation = z.infer<typeof PendingInvitation>;

export const InvitationListResponse = z
  .object({ invitations: z.array(PendingInvitation) })
  .meta({ id: 'InvitationListResponse' });
export type InvitationListResponse = z.infer<typeof InvitationListResponse>;

export const InvitationIdParams = z.object({ invitationId: z.uuid() });

export const LinkTokenRequest = z.object({ token: LinkToken }).meta({ id: 'LinkTokenRequest' });
export type LinkTokenRequest = z.infer<typeof LinkTokenRequest>;

export const InvitationDetails = z
  .object({
    role: StaffRole,
    /** For partner invitations: the organisation's name, shown on the enrolment page. */
    partnerOrgName: z.string().nullable().optional(),
    /** The account's id, fixed now so the browser can bind its keys to it. */
    userId: z.uuid(),
    totp: TotpProvisioning,
    kdf: KdfParams,
    /** The organisation root key, to pin at enrolment (compare its fingerprint with the admin). */
    orgRootPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'organisation root Ed25519 key'),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'InvitationDetails' });
export type InvitationDetails = z.infer<typeof InvitationDetails>;

export const AcceptInvitationRequest = z
  .object({
    token: LinkToken,
    username: Username,
    authKey: AuthKey,
    totpCode: TotpCode,
    keys: KeyBundle,
    orgRootPin: OrgRootPin,
  })
  .meta({ id: 'AcceptInvitationRequest' });
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequest>;

export const EnrolledResponse = z
  .object({ userId: z.uuid(), username: z.string() })
  .meta({ id: 'EnrolledResponse' });
export type EnrolledResponse = z.infer<typeof EnrolledResponse>;
