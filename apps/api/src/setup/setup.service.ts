import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  type EnrolledResponse,
  type SetupBeginResponse,
  type SetupCompleteRequest,
} from '@haven/contracts';
import {
  bytesEqual,
  decodeCertificate,
  isCryptoError,
  KDF_ALGORITHM,
  KDF_RECOMMENDED,
  verifyCertificateChain,
  verifyIntakeKey,
} from '@haven/crypto';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, IsNull, Not, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { EnrolmentService } from '../auth/enrolment.service';
import { decode, WRAP_PURPOSE, wrappedKey } from '../auth/key-checks';
import { TotpService } from '../auth/totp.service';
import { RequestValidationException } from '../common/errors/request-validation.exception';
import { sql } from '../database/sql';
import { InstanceEntity } from './instance.entity';
import { hashSetupToken } from './setup-token';

interface TokenRow {
  token_hash: Buffer;
  user_id: string | null;
  totp_secret: Buffer | null;
  expires_at: Date;
  used_at: Date | null;
  expired: boolean;
}

/**
 * First-run setup through the one-time link `npm start` prints (`/setup#token=…`). `begin`
 * fixes the first admin's id and TOTP secret on the token row; `complete` creates the
 * organisation row, the admin and the setup completion in one transaction that uses the token
 * up. Every key was made in the browser; the server verifies what it can (certificate chain,
 * the root's signature on the intake key, the shape of wrapped keys).
 */
@Injectable()
export class SetupService {
  constructor(
    @InjectRepository(InstanceEntity) private readonly instance: Repository<InstanceEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totp: TotpService,
    private readonly enrolment: EnrolmentService,
    private readonly audit: AuditService,
  ) {}

  /** Setup is required until the instance row records its completion date. */
  async setupRequired(): Promise<boolean> {
    const completed = await this.instance.exists({
      where: { id: true, setupCompletedOn: Not(IsNull()) },
    });
    return !completed;
  }

  async begin(token: string): Promise<SetupBeginResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.usableToken(manager, token, 'setup.begin');
      let userId = row.user_id;
      let secret = row.totp_secret;
      if (!userId || !secret) {
        userId = randomUUID();
        secret = this.totp.newSecret(userId);
        await sql(
          manager,
          'UPDATE setup_token SET user_id = $2, totp_secret = $3 WHERE token_hash = $1',
          [row.token_hash, userId, secret],
        );
      }
      return {
        userId,
        totp: this.totp.provisioning(secret, userId),
        kdf: {
          algorithm: KDF_ALGORITHM,
          opsLimit: KDF_RECOMMENDED.opsLimit,
          memLimitBytes: KDF_RECOMMENDED.memLimitBytes,
        },
        expiresAt: row.expires_at.toISOString(),
      };
    });
  }

  async complete(body: SetupCompleteRequest): Promise<EnrolledResponse> {
    const authHash = await this.enrolment.hashAuthKey(body.authKey);
    return this.dataSource.transaction(async (manager) => {
      const row = await this.usableToken(manager, body.token, 'setup.complete');
      if (!row.user_id || !row.totp_secret) {
        throw new ForbiddenException('Open the setup link again to start setup');
      }
      const userId = row.user_id;
      const org = this.checkOrganisation(body, userId);
      const username = await this.enrolment.enrol(manager, {
        userId,
        role: 'admin',
        username: body.username,
        authHash,
        totpSecret: row.totp_secret,
        totpCode: body.totpCode,
        keys: body.keys,
        orgRootPin: body.orgRootPin,
        certificate: org.certificate,
        wrappedOrgRootKey: wrappedKey(
          body.wrappedOrgRootKey,
          WRAP_PURPOSE.orgRootSeed,
          'body.wrappedOrgRootKey',
        ),
        wrappedIntakeKey: wrappedKey(
          body.wrappedIntakeKey,
          WRAP_PURPOSE.intakeSecret,
          'body.wrappedIntakeKey',
        ),
      });
      await sql(
        manager,
        `INSERT INTO organisation (root_sign_pk, intake_box_pk, intake_key_signature)
         VALUES ($1, $2, $3)`,
        [org.rootPk, org.intakePk, org.intakeSignature],
      );
      await sql(
        manager,
        'UPDATE setup_token SET used_at = now(), totp_secret = NULL WHERE token_hash = $1',
        [row.token_hash],
      );
      // Any other printed link is useless from now on.
      await sql(manager, 'DELETE FROM setup_token WHERE used_at IS NULL');
      await sql(manager, 'UPDATE instance SET setup_completed_on = current_date');
      await this.audit.record(manager, {
        actor: { id: userId, role: 'admin' },
        action: 'setup.complete',
        target: userId,
        outcome: 'ok',
      });
      return { userId, username };
    });
  }

  /**
   * The root's signature over the intake key, and the admin certificate: issued by that root,
   * for this admin id, for exactly the keys in the bundle.
   */
  private checkOrganisation(body: SetupCompleteRequest, userId: string) {
    const rootPk = decode(body.org.rootSignPublicKey);
    const intakePk = decode(body.org.intakePublicKey);
    const intakeSignature = decode(body.org.intakeKeySignature);
    const certificate = decode(body.certificate);
    try {
      verifyIntakeKey(
        new Uint8Array(intakePk),
        new Uint8Array(intakeSignature),
        new Uint8Array(rootPk),
      );
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      throw new RequestValidationException([
        { path: 'body.org.intakeKeySignature', message: 'is not the root key signature' },
      ]);
    }
    try {
      verifyCertificateChain([new Uint8Array(certificate)], new Uint8Array(rootPk), {
        subjectId: userId,
        roles: ['admin'],
      });
      const leaf = decodeCertificate(new Uint8Array(certificate));
      const matches =
        bytesEqual(leaf.boxPublicKey, new Uint8Array(decode(body.keys.boxPublicKey))) &&
        bytesEqual(leaf.signPublicKey, new Uint8Array(decode(body.keys.signPublicKey)));
      if (!matches) throw new Error('keys differ');
    } catch (error) {
      if (!isCryptoError(error) && !(error instanceof Error && error.message === 'keys differ')) {
        throw error;
      }
      throw new RequestValidationException([
        {
          path: 'body.certificate',
          message: "must be the root's certificate for this admin's keys",
        },
      ]);
    }
    return { rootPk, intakePk, intakeSignature, certificate };
  }

  /** The token row if setup may proceed with it; otherwise 403, audited. */
  private async usableToken(
    manager: EntityManager,
    token: string,
    action: string,
  ): Promise<TokenRow> {
    // Serialises setup attempts: two tabs cannot both complete it.
    const instance = await sql<{ done: boolean }>(
      manager,
      'SELECT setup_completed_on IS NOT NULL AS done FROM instance FOR UPDATE',
    );
    const rows = await sql<TokenRow>(
      manager,
      `SELECT token_hash, user_id, totp_secret, expires_at, used_at, expires_at <= now() AS expired
         FROM setup_token WHERE token_hash = $1 FOR UPDATE`,
      [hashSetupToken(token)],
    );
    const row = rows[0];
    const refusal = instance[0]?.done
      ? { outcome: 'denied:already_complete', message: 'Setup is already complete' }
      : !row
        ? { outcome: 'denied:unknown_link', message: 'This setup link is not valid' }
        : row.used_at
          ? { outcome: 'denied:used', message: 'This setup link has already been used' }
          : row.expired
            ? {
                outcome: 'denied:expired',
                message: 'This setup link has expired; restart Haven to get a new one',
              }
            : null;
    if (refusal) {
      await this.audit.recordNow({ actor: null, action, target: null, outcome: refusal.outcome });
      throw new ForbiddenException(refusal.message);
    }
    return row;
  }
}
