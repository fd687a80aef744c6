import { z } from 'zod';
import { StaffRole } from '../access/roles';
import { base64UrlBytes, base64UrlUpTo } from './encoding';

/** Sizes of the binary values the accounts API carries (see docs/crypto.md). */
export const KEY_SIZES = {
  authKey: 32,
  salt: 16,
  publicKey: 32,
  wrappedKey: 75,
  signature: 64,
  rootPin: 32,
  /** 171 bytes + the subject id (a UUID here, 36 bytes); 256 is the format's id limit. */
  maxCertificate: 171 + 256,
} as const;

/**
 * Usernames: 3–64 letters or digits (any script), dots, dashes and underscores, starting with
 * a letter or digit. The server compares them after NFKC, trimming and lower-casing
 * (`normaliseUsername` in @haven/crypto), the same normalisation the login salt uses.
 */
export const USERNAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{2,63}$/u;

export const Username = z
  .string()
  .regex(USERNAME_PATTERN, {
    error: 'must be 3 to 64 letters, digits, dots, dashes or underscores',
  })
  .meta({ id: 'Username', example: 'anna.k' });

/** What a sign-in form sends: any short text (a typo must not be told apart from a stranger). */
export const LoginUsername = z.string().min(1).max(64).meta({ example: 'anna.k' });

export const TotpCode = z
  .string()
  .regex(/^\d{6}$/, { error: 'must be the 6-digit code from the authenticator app' })
  .meta({ id: 'TotpCode', example: '492039' });

export const AuthKey = base64UrlBytes(
  KEY_SIZES.authKey,
  'authKey = kdf(Argon2id(password), 1, "hvnauth1"); never the password',
);

export const KdfParams = z
  .object({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int().positive(),
    memLimitBytes: z.number().int().positive(),
  })
  .meta({ id: 'KdfParams', description: 'Argon2id parameters for the client-side key derivation' });
export type KdfParams = z.infer<typeof KdfParams>;

/** A user's key bundle as the server stores it: public keys in clear, private halves wrapped. */
export const KeyBundle = z
  .object({
    wrappedUserKey: base64UrlBytes(KEY_SIZES.wrappedKey, 'user key wrapped under kek'),
    boxPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'X25519 public key'),
    signPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'Ed25519 public key'),
    wrappedBoxSecret: base64UrlBytes(
      KEY_SIZES.wrappedKey,
      'X25519 secret wrapped under the user key',
    ),
    wrappedSignSeed: base64UrlBytes(
      KEY_SIZES.wrappedKey,
      'Ed25519 seed wrapped under the user key',
    ),
  })
  .meta({ id: 'KeyBundle' });
export type KeyBundle = z.infer<typeof KeyBundle>;

export const Certificate = base64UrlUpTo(KEY_SIZES.maxCertificate, 'Haven key certificate');
export const OrgRootPin = base64UrlBytes(
  KEY_SIZES.rootPin,
  "MAC over the organisation root key under the user's own key (makeOrgRootPin)",
);

/** What an authenticator app needs: scan `uri` as a QR code, or type `secret`. */
export const TotpProvisioning = z
  .object({
    uri: z.string().startsWith('otpauth://totp/'),
    secret: z
      .string()
      .regex(/^[A-Z2-7]+$/)
      .meta({ description: 'base32, for manual entry' }),
  })
  .meta({ id: 'TotpProvisioning' });
export type TotpProvisioning = z.infer<typeof TotpProvisioning>;

// ---- sign-in ---------------------------------------------------------------------------------

export const PreloginRequest = z
  .object({ username: LoginUsername })
  .meta({ id: 'PreloginRequest' });
export type PreloginRequest = z.infer<typeof PreloginRequest>;

export const PreloginResponse = z
  .object({
    kdf: KdfParams,
    salt: base64UrlBytes(KEY_SIZES.salt, 'login salt'),
  })
  .meta({
    id: 'PreloginResponse',
    description: 'The same kind of answer for every username, known or not (no enumeration).',
  });
export type PreloginResponse = z.infer<typeof PreloginResponse>;

export const LoginRequest = z
  .object({ username: LoginUsername, authKey: AuthKey, totpCode: TotpCode })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const UnlockRequest = z.object({ authKey: AuthKey }).meta({ id: 'UnlockRequest' });
export type UnlockRequest = z.infer<typeof UnlockRequest>;

export const MeResponse = z
  .object({
    user: z.object({
      id: z.uuid(),
      username: z.string(),
      role: StaffRole,
      certified: z.boolean(),
      /** False until an admin has certified the user's keys: no case grants before that. */
      canReceiveCases: z.boolean(),
      /** Partner users: their organisation; null for every other role. */
      partnerOrg: z.object({ id: z.uuid(), name: z.string() }).nullable().optional(),
      boxPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'X25519 public key'),
      signPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'Ed25519 public key'),
    }),
    session: z.object({
      id: z.uuid(),
      /** True when the idle timeout has passed: only unlock, sign-out and this route answer. */
      locked: z.boolean(),
      expiresAt: z.iso.datetime(),
      idleTimeoutSeconds: z.number().int().positive(),
    }),
  })
  .meta({ id: 'MeResponse' });
export type MeResponse = z.infer<typeof MeResponse>;

export const KeysResponse = z
  .object({
    userId: z.uuid(),
    bundle: KeyBundle,
    /** `[adminCert]` for admins, `[issuerAdminCert, cert]` for others; null until certified. */
    certificateChain: z.array(Certificate).min(1).max(2).nullable(),
    orgRootPublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'organisation root Ed25519 key'),
    orgRootPin: OrgRootPin,
    intakePublicKey: base64UrlBytes(KEY_SIZES.publicKey, 'organisation intake X25519 key'),
    intakeKeySignature: base64UrlBytes(KEY_SIZES.signature, "root's signature over the intake key"),
    /** Admin who ran setup: the org root seed wrapped under the user key. */
    wrappedOrgRootKey: base64UrlBytes(KEY_SIZES.wrappedKey, 'org root seed').nullable(),
    /** Admin who ran setup, until handover to coordinators: the intake secret, wrapped. */
    wrappedIntakeKey: base64UrlBytes(KEY_SIZES.wrappedKey, 'intake secret').nullable(),
  })
  .meta({ id: 'KeysResponse' });
export type KeysResponse = z.infer<typeof KeysResponse>;

export const ChangePasswordRequest = z
  .object({
    currentAuthKey: AuthKey,
    newAuthKey: AuthKey,
    /** The same user key re-wrapped under the new kek (rewrapUserKey). */
    wrappedUserKey: base64UrlBytes(KEY_SIZES.wrappedKey, 'user key wrapped under the new kek'),
  })
  .meta({ id: 'ChangePasswordRequest' });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** Error codes carried in ErrorBody.code where the client must act on them. */
export const AUTH_ERROR_CODES = {
  /** The session passed its idle timeout: ask for the password again (POST /api/auth/unlock). */
  sessionLocked: 'SESSION_LOCKED',
  /** Unsafe method without the X-Haven-CSRF header. */
  csrf: 'CSRF_HEADER_MISSING',
} as const;

/** The custom header every unsafe request to a staff route must carry (with value `1`). */
export const CSRF_HEADER = 'x-haven-csrf';

/** Name of the session cookie (`__Host-`: Secure, Path=/, no Domain: bound to this origin). */
export const SESSION_COOKIE = '__Host-haven_session';

/** Idle timeout and absolute lifetime of a session. */
export const SESSION_IDLE_MINUTES = 15;
export const SESSION_MAX_HOURS = 12;
