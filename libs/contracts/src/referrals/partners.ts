import { z } from 'zod';
import { Certificate } from '../auth/auth';
import { UserStatus } from '../users/users';

/**
 * The partner directory (docs/referrals.md): organisations a referral can go to. Everything
 * here is about the organisation, never about a person seeking help, so it is stored in clear.
 */

/** What a referral asks for; a partner offers a subset. */
export const REFERRAL_SERVICES = [
  'evacuation',
  'shelter',
  'legal',
  'medical',
  'psychological',
  'financial',
  'documents',
] as const;
export const ReferralService = z.enum(REFERRAL_SERVICES).meta({ id: 'ReferralService' });
export type ReferralService = z.infer<typeof ReferralService>;

export const PARTNER_CAPACITIES = ['available', 'limited', 'full'] as const;
export const PartnerCapacity = z.enum(PARTNER_CAPACITIES).meta({ id: 'PartnerCapacity' });
export type PartnerCapacity = z.infer<typeof PartnerCapacity>;

function unique<T>(values: readonly T[]): boolean {
  return new Set(values).size === values.length;
}

const Label = z.string().trim().min(1).max(60);

export const PartnerInput = z.object({
  name: z.string().trim().min(1, { error: 'is required' }).max(120),
  services: z
    .array(ReferralService)
    .min(1, { error: 'pick at least one service' })
    .max(REFERRAL_SERVICES.length)
    .refine(unique, { error: 'lists a service twice' }),
  /** Coarse labels (a country or a region), never an address. */
  regions: z.array(Label).max(30).default([]),
  /** ISO 639 codes, lower case. */
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}$/, { error: 'must be an ISO 639 code like "ru"' }))
    .max(30)
    .default([]),
  capacity: PartnerCapacity,
  /** How staff reach the partner securely. About the partner, never about a person. */
  contactInstructions: z.string().trim().max(4000).default(''),
});

export const CreatePartnerRequest = PartnerInput.meta({ id: 'CreatePartnerRequest' });
export type CreatePartnerRequest = z.input<typeof CreatePartnerRequest>;

export const UpdatePartnerRequest = PartnerInput.extend({
  /** False deactivates: no new referrals or invitations; open referrals are not touched. */
  active: z.boolean(),
}).meta({ id: 'UpdatePartnerRequest' });
export type UpdatePartnerRequest = z.input<typeof UpdatePartnerRequest>;

export const PartnerOrg = z
  .object({
    id: z.uuid(),
    name: z.string(),
    services: z.array(ReferralService),
    regions: z.array(z.string()),
    languages: z.array(z.string()),
    capacity: PartnerCapacity,
    contactInstructions: z.string(),
    active: z.boolean(),
    createdOn: z.iso.date(),
    /** Accounts with the partner role in this organisation (disabled ones included). */
    memberCount: z.number().int(),
    /** Certified, enabled members: the people a packet can be sealed to. */
    certifiedMemberCount: z.number().int(),
  })
  .meta({ id: 'PartnerOrg' });
export type PartnerOrg = z.infer<typeof PartnerOrg>;

export const PartnerListResponse = z
  .object({ partners: z.array(PartnerOrg) })
  .meta({ id: 'PartnerListResponse' });
export type PartnerListResponse = z.infer<typeof PartnerListResponse>;

export const PartnerIdParams = z.object({ partnerId: z.uuid() });

export const PartnerMember = z
  .object({
    id: z.uuid(),
    username: z.string(),
    status: UserStatus,
    /**
     * `[adminCert, cert]` for certified members, null otherwise. The coordinator's browser
     * verifies it against the pinned root and seals the packet key to every certified,
     * non-disabled member.
     */
    certificateChain: z.array(Certificate).min(1).max(2).nullable(),
  })
  .meta({ id: 'PartnerMember' });
export type PartnerMember = z.infer<typeof PartnerMember>;

export const PartnerMembersResponse = z
  .object({ partner: PartnerOrg, members: z.array(PartnerMember) })
  .meta({ id: 'PartnerMembersResponse' });
export type PartnerMembersResponse = z.infer<typeof PartnerMembersResponse>;
