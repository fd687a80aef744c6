import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AuthRouteHooks } from './auth-hooks';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { EnrolmentService } from './enrolment.service';
import { PasswordHasher } from './password-hasher.service';
import { serverKeysProvider, ServerKeys } from './server-keys';
import { ThrottleService } from './throttle.service';
import { TotpService } from './totp.service';

/**
 * Sign-in, unlock, sign-out, password change, and the building blocks that setup and
 * invitations share (SERVER_SECRET subkeys, the bounded argon2 hasher, TOTP, throttling,
 * enrolment).
 */
@Module({
  imports: [UsersModule, SessionsModule],
  controllers: [AuthController],
  providers: [
    serverKeysProvider,
    PasswordHasher,
    TotpService,
    ThrottleService,
    EnrolmentService,
    AuthService,
    AuthRouteHooks,
  ],
  exports: [ServerKeys, PasswordHasher, TotpService, ThrottleService, EnrolmentService],
})
export class AuthModule {}
