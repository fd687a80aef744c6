import { ConflictException, Injectable } from '@nestjs/common';
import { KDF_RECOMMENDED } from '@haven/crypto';
import type { KeyBundle, StaffRole } from '@haven/contracts';
import type { EntityManager } from 'typeorm';
import { RequestValidationException } from '../common/errors/request-validation.exception';
import { UserStore } from '../users/user-store';
import { decode, decodeBundle } from './key-checks';
import { PasswordHasher } from './password-hasher.service';
import { TotpService } from './totp.service';
import { enrolmentUsername } from './usernames';

export interface Enrolment {
  userId: string;
  role: StaffRole;
  /** As typed; stored normalised. */
  username: string;
  /** From `hashAuthKey`, computed before the transaction (it takes tens of milliseconds). */
  authHash: string;
  /** The sealed TOTP secret of the link (setup token or invitation). */
  totpSecret: Buffer;
  totpCode: string;
  keys: KeyBundle;
  orgRootPin: string;
  certificate?: Buffer;
  certifiedBy?: string;
  wrappedOrgRootKey?: Buffer;
  wrappedIntakeKey?: Buffer;
  /** Partner invitations: the organisation the account belongs to. */
  partnerOrgId?: string | null;
}

/**
 * Creating an account, shared by first-run setup and invitation acceptance. Runs inside the
 * caller's transaction, which also consumes the link, so a failure leaves nothing behind.
 */
@Injectable()
export class EnrolmentService {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly totp: TotpService,
  ) {}

  hashAuthKey(authKey: string): Promise<string> {
    return this.hasher.hash(decode(authKey));
  }

  /** Returns the stored (normalised) username. */
  async enrol(manager: EntityManager, e: Enrolment): Promise<string> {
    const username = enrolmentUsername(e.username);
    const keys = decodeBundle(e.keys);
    const step = this.totp.stepOf(e.totpSecret, e.userId, e.totpCode);
    if (step === null) {
      throw new RequestValidationException([
        {
          path: 'body.totpCode',
          message: 'does not match: check the time on your phone and enter the current code',
        },
      ]);
    }
    if (await this.users.usernameTaken(manager, username)) {
      throw new ConflictException('This username is taken; choose another');
    }
    try {
      await this.users.insert(manager, {
        id: e.userId,
        username,
        role: e.role,
        authHash: e.authHash,
        kdf: { opsLimit: KDF_RECOMMENDED.opsLimit, memLimitBytes: KDF_RECOMMENDED.memLimitBytes },
        ...keys,
        orgRootPin: decode(e.orgRootPin),
        totpSecret: e.totpSecret,
        // The enrolment code counts as used: it cannot sign in afterwards.
        totpLastStep: step,
        wrappedOrgRootKey: e.wrappedOrgRootKey,
        wrappedIntakeKey: e.wrappedIntakeKey,
        certificate: e.certificate,
        certifiedBy: e.certifiedBy,
        partnerOrgId: e.partnerOrgId ?? null,
      });
    } catch (error) {
      // Two enrolments racing for one username: the unique index decides.
      if ((error as { code?: unknown }).code === '23505') {
        throw new ConflictException('This username is taken; choose another');
      }
      throw error;
    }
    return username;
  }
}
