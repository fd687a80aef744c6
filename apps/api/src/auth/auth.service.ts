import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type ChangePasswordRequest,
  LOCKDOWN_CODE,
  LOCKDOWN_SIGN_IN_MESSAGE,
  type KeysResponse,
  type LoginRequest,
  type MeResponse,
  type PreloginResponse,
  SESSION_IDLE_MINUTES,
} from '@haven/contracts';
import { deriveLoginSalt, KDF_ALGORITHM, KDF_RECOMMENDED, normaliseUsername } from '@haven/crypto';
import { DataSource } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../sessions/sessions.service';
import { sql } from '../database/sql';
import { lockdownSince } from '../retention/retention-store';
import { type UserRecord, UserStore } from '../users/user-store';
import { decode, WRAP_PURPOSE, wrappedKey } from './key-checks';
import { PasswordHasher } from './password-hasher.service';
import { RetryLaterException } from './retry-later';
import { ServerKeys } from './server-keys';
import { ThrottleService } from './throttle.service';
import { TotpService } from './totp.service';
import { loginUsername } from './usernames';

/** One message for every credential failure: which part was wrong is not for the client. */
export const BAD_CREDENTIALS = 'Wrong username, password or code';

interface OrgRow {
  root_sign_pk: Buffer;
  intake_box_pk: Buffer;
  intake_key_signature: Buffer;
}

/**
 * Sign-in without the server learning the password (docs/accounts.md): the browser derives
 * authKey from the password with Argon2id under the salt `prelogin` returns; the server checks
 * argon2id(authKey) under a concurrency limit, then a single-use TOTP code, and starts a
 * session. Every outcome is audited; throttling applies per account and per client address.
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserStore,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly totp: TotpService,
    private readonly throttle: ThrottleService,
    private readonly keys: ServerKeys,
    private readonly audit: AuditService,
  ) {}

  /**
   * KDF parameters and salt. An unknown username gets the recommended parameters and the salt
   * the same derivation gives it, which is exactly what it would get once it exists: the
   * answer tells nothing about whether an account exists.
   */
  async prelogin(rawUsername: string): Promise<PreloginResponse> {
    let normalised: string;
    try {
      normalised = normaliseUsername(rawUsername);
    } catch {
      throw new BadRequestException('Enter a username');
    }
    const username = loginUsername(rawUsername);
    const user = username ? await this.users.byUsername(this.dataSource, username) : null;
    const kdf = user?.kdf ?? KDF_RECOMMENDED;
    return {
      kdf: { algorithm: KDF_ALGORITHM, opsLimit: kdf.opsLimit, memLimitBytes: kdf.memLimitBytes },
      salt: Buffer.from(deriveLoginSalt(normalised, this.keys.loginSaltSeed)).toString('base64url'),
    };
  }

  async login(body: LoginRequest, address: string): Promise<{ me: MeResponse; token: string }> {
    this.hasher.assertCapacity();
    this.checkAddress(address);
    const username = loginUsername(body.username);
    const subject = this.throttle.subjectOf(body.username);
    const user = username ? await this.users.byUsername(this.dataSource, username) : null;
    await this.checkAccount(subject, user, address, 'auth.login');

    const passwordOk = await this.hasher.verify(user?.authHash ?? null, decode(body.authKey));
    if (!user || !passwordOk) {
      await this.failed(subject, address, user, 'auth.login', 'denied:bad_credentials');
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    const step = this.totp.stepOf(user.totpSecret, user.id, body.totpCode);
    if (step === null) {
      await this.failed(subject, address, user, 'auth.login', 'denied:bad_totp');
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    if (user.status !== 'active') {
      await this.audit.recordNow({
        actor: null,
        action: 'auth.login',
        target: user.id,
        outcome: 'denied:disabled',
      });
      throw new ForbiddenException('This account is disabled');
    }
    // Emergency lockdown (docs/retention.md): only admins sign in. Checked after the password
    // and code, so the refusal tells nobody which usernames are admins.
    if (user.role !== 'admin' && (await lockdownSince(this.dataSource)) !== null) {
      await this.audit.recordNow({
        actor: null,
        action: 'auth.login',
        target: user.id,
        outcome: 'denied:lockdown',
      });
      throw new ForbiddenException({ message: LOCKDOWN_SIGN_IN_MESSAGE, code: LOCKDOWN_CODE });
    }
    const session = await this.dataSource.transaction(async (manager) => {
      if (!(await this.users.useTotpStep(manager, user.id, step))) return null;
      const created = await this.sessions.create(manager, user.id);
      await this.audit.record(manager, {
        actor: { id: user.id, role: user.role },
        action: 'auth.login',
        target: user.id,
        outcome: 'ok',
      });
      return created;
    });
    if (!session) {
      await this.failed(subject, address, user, 'auth.login', 'denied:totp_replayed');
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    await this.throttle.recordSuccess(subject);
    const caller: Caller = {
      userId: user.id,
      role: user.role,
      sessionId: session.id,
      locked: false,
    };
    return { me: await this.me(caller, user), token: session.token };
  }

  /** Revives an idle-locked (or live) session after checking authKey; no TOTP. */
  async unlock(caller: Caller, authKey: string, address: string): Promise<MeResponse> {
    const user = await this.verifyCaller(caller, authKey, address, 'auth.unlock');
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.revive(manager, caller.sessionId);
      await this.audit.record(manager, {
        actor: { id: user.id, role: user.role },
        action: 'auth.unlock',
        target: user.id,
        outcome: 'ok',
      });
    });
    return this.me({ ...caller, locked: false }, user);
  }

  /** Ends the caller's session (locked ones included). */
  async logout(caller: Caller): Promise<void> {
    await this.sessions.end(caller, caller.sessionId);
  }

  /**
   * New authKey and the user key re-wrapped under the new kek (the browser did the
   * re-wrapping); every other session ends. The salt does not change: it depends on the
   * username only.
   */
  async changePassword(
    caller: Caller,
    body: ChangePasswordRequest,
    address: string,
  ): Promise<void> {
    const wrapped = wrappedKey(body.wrappedUserKey, WRAP_PURPOSE.userKey, 'body.wrappedUserKey');
    const user = await this.verifyCaller(
      caller,
      body.currentAuthKey,
      address,
      'auth.password_change',
    );
    const newHash = await this.hasher.hash(decode(body.newAuthKey));
    await this.dataSource.transaction(async (manager) => {
      await sql(
        manager,
        'UPDATE app_user SET auth_hash = $2, wrapped_user_key = $3 WHERE id = $1',
        [user.id, newHash, wrapped],
      );
      await this.sessions.endAllForUser(manager, user.id, caller.sessionId);
      await this.audit.record(manager, {
        actor: { id: user.id, role: user.role },
        action: 'auth.password_change',
        target: user.id,
        outcome: 'ok',
      });
    });
  }

  async me(caller: Caller, known?: UserRecord): Promise<MeResponse> {
    const user = known ?? (await this.users.byId(this.dataSource, caller.userId));
    const expiresAt = await this.sessions.expiresAt(caller.sessionId);
    if (!user || !expiresAt) throw new UnauthorizedException('Sign in to continue');
    return {
      user: {
        id: user.id,
        username: user.username,
        role: user.role,
        certified: user.certificate !== null,
        canReceiveCases: user.certificate !== null && user.status === 'active',
        partnerOrg:
          user.partnerOrgId !== null
            ? { id: user.partnerOrgId, name: user.partnerOrgName ?? '' }
            : null,
        boxPublicKey: user.boxPublicKey.toString('base64url'),
        signPublicKey: user.signPublicKey.toString('base64url'),
      },
      session: {
        id: caller.sessionId,
        locked: caller.locked,
        expiresAt: expiresAt.toISOString(),
        idleTimeoutSeconds: SESSION_IDLE_MINUTES * 60,
      },
    };
  }

  /** What the browser needs to unlock its keys and pin the organisation root. */
  async myKeys(caller: Caller): Promise<KeysResponse> {
    const user = await this.users.byId(this.dataSource, caller.userId);
    const orgs = await sql<OrgRow>(
      this.dataSource,
      'SELECT root_sign_pk, intake_box_pk, intake_key_signature FROM organisation',
    );
    const org = orgs[0];
    if (!user || !org) throw new UnauthorizedException('Sign in to continue');
    let chain: string[] | null = null;
    if (user.certificate) {
      const leaf = user.certificate.toString('base64url');
      if (user.role === 'admin') {
        chain = [leaf];
      } else {
        const issuer = user.certifiedBy
          ? await this.users.byId(this.dataSource, user.certifiedBy)
          : null;
        chain = issuer?.certificate ? [issuer.certificate.toString('base64url'), leaf] : null;
      }
    }
    const b64 = (b: Buffer | null) => (b ? b.toString('base64url') : null);
    return {
      userId: user.id,
      bundle: {
        wrappedUserKey: user.wrappedUserKey.toString('base64url'),
        boxPublicKey: user.boxPublicKey.toString('base64url'),
        signPublicKey: user.signPublicKey.toString('base64url'),
        wrappedBoxSecret: user.wrappedBoxSecret.toString('base64url'),
        wrappedSignSeed: user.wrappedSignSeed.toString('base64url'),
      },
      certificateChain: chain,
      orgRootPublicKey: org.root_sign_pk.toString('base64url'),
      orgRootPin: user.orgRootPin.toString('base64url'),
      intakePublicKey: org.intake_box_pk.toString('base64url'),
      intakeKeySignature: org.intake_key_signature.toString('base64url'),
      wrappedOrgRootKey: b64(user.wrappedOrgRootKey),
      wrappedIntakeKey: b64(user.wrappedIntakeKey),
    };
  }

  /** authKey check for a signed-in caller (unlock, password change), throttled like login. */
  private async verifyCaller(
    caller: Caller,
    authKey: string,
    address: string,
    action: string,
  ): Promise<UserRecord> {
    this.hasher.assertCapacity();
    this.checkAddress(address);
    const user = await this.users.byId(this.dataSource, caller.userId);
    if (!user) throw new UnauthorizedException('Sign in to continue');
    const subject = this.throttle.subjectOf(user.username);
    await this.checkAccount(subject, user, address, action);
    if (!(await this.hasher.verify(user.authHash, decode(authKey)))) {
      await this.failed(subject, address, user, action, 'denied:bad_credentials');
      throw new UnauthorizedException('Wrong password');
    }
    await this.throttle.recordSuccess(subject);
    return user;
  }

  /** Too many failures from this address: refused before any database work, not audited. */
  private checkAddress(address: string): void {
    const wait = this.throttle.addressWait(address);
    if (wait > 0) {
      throw new RetryLaterException(429, 'Too many failed attempts; try again later', wait);
    }
  }

  private async checkAccount(
    subject: Buffer,
    user: UserRecord | null,
    address: string,
    action: string,
  ): Promise<void> {
    const wait = await this.throttle.accountWait(subject);
    if (wait <= 0) return;
    // A refused attempt still counts against the address, so that hammering a throttled
    // account soon costs nothing but the in-memory check.
    this.throttle.addressFailure(address);
    await this.audit.recordNow({
      actor: null,
      action,
      target: user?.id ?? null,
      outcome: 'denied:throttled',
    });
    throw new RetryLaterException(429, 'Too many failed attempts; try again later', wait);
  }

  private async failed(
    subject: Buffer,
    address: string,
    user: UserRecord | null,
    action: string,
    outcome: string,
  ): Promise<void> {
    this.throttle.addressFailure(address);
    await this.throttle.recordFailure(subject);
    await this.audit.recordNow({ actor: null, action, target: user?.id ?? null, outcome });
  }
}
