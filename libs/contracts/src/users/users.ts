import { z } from 'zod';
import { StaffRole } from '../access/roles';
import { base64UrlBytes } from '../auth/encoding';
import { Certificate, KEY_SIZES } from '../auth/auth';

export const UserStatus = z
  .enum(['pending_certification', 'certified', 'disabled'])
  .meta({ id: 'UserStatus' });
export type UserStatus = z.infer<typeof UserStatus>;

export const UserSummary = z
  .object({
    id: z.uuid(),
    username: z.string(),
    role: StaffRole,
    /** Partner users: their organisation (exactly the users with role partner have one). */
    partnerOrgId: z.uuid().nullable().optional(),
    status: UserStatus,
    /** The admin compares the fingerprint of these with the one the user reads out. */
    boxPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'X25519 public key'),
    signPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'Ed25519 public key'),
    createdOn: z.iso.date(),
    certifiedOn: z.iso.date().nullable(),
  })
  .meta({ id: 'UserSummary' });
export type UserSummary = z.infer<typeof UserSummary>;

export const UserListResponse = z
  .object({ users: z.array(UserSummary) })
  .meta({ id: 'UserListResponse' });
export type UserListResponse = z.infer<typeof UserListResponse>;

export const UserIdParams = z.object({ userId: z.uuid() });

export const CertifyUserRequest = z
  .object({
    /** Issued by the caller's signing key (or the org root, for an admin) for this user's keys. */
    certificate: Certificate,
  })
  .meta({ id: 'CertifyUserRequest' });
export type CertifyUserRequest = z.infer<typeof CertifyUserRequest>;

export const ChangeRoleRequest = z.object({ role: StaffRole }).meta({ id: 'ChangeRoleRequest' });
export type ChangeRoleRequest = z.infer<typeof ChangeRoleRequest>;
