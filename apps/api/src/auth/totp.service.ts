import { Injectable } from '@nestjs/common';
import { openServerSecret, sealServerSecret } from '@haven/crypto';
import type { TotpProvisioning } from '@haven/contracts';
import { Secret, TOTP } from 'otpauth';
import { ServerKeys } from './server-keys';

/** RFC 6238 with the parameters every authenticator app supports. */
const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** One step either side: a phone clock that is up to 30 s off still works. */
const TOTP_WINDOW = 1;
export const TOTP_SECRET_BYTES = 20;

/**
 * TOTP for staff sign-in. The secret is made here, shown once to be scanned, and kept only
 * sealed (XChaCha20-Poly1305 under a SERVER_SECRET subkey, bound to the account's id). Each
 * code works once: a sign-in records the code's time step and later steps must be newer.
 */
@Injectable()
export class TotpService {
  constructor(private readonly keys: ServerKeys) {}

  /** A fresh secret, sealed for `userId`. */
  newSecret(userId: string): Buffer {
    const secret = new Secret({ size: TOTP_SECRET_BYTES });
    return Buffer.from(sealServerSecret(this.keys.totp, new Uint8Array(secret.buffer), userId));
  }

  /** What the enrolment page shows: an otpauth:// URI for the QR code and the base32 text. */
  provisioning(sealed: Buffer, userId: string): TotpProvisioning {
    const totp = this.totp(sealed, userId);
    return { uri: totp.toString(), secret: totp.secret.base32 };
  }

  /**
   * The time step `code` belongs to, or null when it matches none within the window. The
   * caller refuses steps at or before the last one used (replay).
   */
  stepOf(sealed: Buffer, userId: string, code: string, now = Date.now()): number | null {
    const totp = this.totp(sealed, userId);
    const delta = totp.validate({ token: code, timestamp: now, window: TOTP_WINDOW });
    if (delta === null) return null;
    return totp.counter({ timestamp: now }) + delta;
  }

  private totp(sealed: Buffer, userId: string): TOTP {
    const bytes = openServerSecret(this.keys.totp, new Uint8Array(sealed), userId);
    // Neutral label: an authenticator list shows "Haven", never a name or role.
    return new TOTP({
      issuer: 'Haven',
      label: 'Haven',
      ...TOTP_PARAMS,
      secret: new Secret({ buffer: bytes.slice().buffer }),
    });
  }
}
