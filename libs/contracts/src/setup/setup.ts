import { z } from 'zod';
import {
  AuthKey,
  Certificate,
  KdfParams,
  KEY_SIZES,
  KeyBundle,
  OrgRootPin,
  TotpCode,
  TotpProvisioning,
  Username,
} from '../auth/auth';
import { base64UrlBytes } from '../auth/encoding';
import { LinkToken } from '../invitations/invitations';

export const SetupStatusResponse = z
  .object({
    setupRequired: z
      .boolean()
      .meta({ description: 'True until first-run setup (org root key, first admin) is complete.' }),
  })
  .meta({ id: 'SetupStatusResponse' });
export type SetupStatusResponse = z.infer<typeof SetupStatusResponse>;

export const SetupBeginResponse = z
  .object({
    /** The first admin's id, fixed now so the browser can bind keys and certificate to it. */
    userId: z.uuid(),
    totp: TotpProvisioning,
    kdf: KdfParams,
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'SetupBeginResponse' });
export type SetupBeginResponse = z.infer<typeof SetupBeginResponse>;

export const SetupCompleteRequest = z
  .object({
    token: LinkToken,
    username: Username,
    authKey: AuthKey,
    totpCode: TotpCode,
    keys: KeyBundle,
    /** The admin's certificate, issued by the new root key (chain `[adminCert]`). */
    certificate: Certificate,
    orgRootPin: OrgRootPin,
    org: z.object({
      rootSignPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'organisation root Ed25519 key'),
      intakePublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'organisation intake X25519 key'),
      intakeKeySignature: base64UrlBytes(KEY_SIZES.signature, 'signIntakeKey(intakePk, root)'),
    }),
    /** wrapOrgRootKey(admin, root): the root seed, under the admin's user key. */
    wrappedOrgRootKey: base64UrlBytes(KEY_SIZES.wrappedKey, 'org root seed'),
    /** wrapIntakeKey(admin, intake): held by the admin until coordinators hold it. */
    wrappedIntakeKey: base64UrlBytes(KEY_SIZES.wrappedKey, 'intake secret'),
  })
  .meta({ id: 'SetupCompleteRequest' });
export type SetupCompleteRequest = z.infer<typeof SetupCompleteRequest>;
