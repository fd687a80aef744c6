import { z } from 'zod';
import { defineRoute } from '../http/route';
import {
  ChangePasswordRequest,
  KeysResponse,
  LoginRequest,
  MeResponse,
  PreloginRequest,
  PreloginResponse,
  UnlockRequest,
} from './auth';

/**
 * Sign-in, unlock, sign-out, the caller and their keys. Part of the registry in ../routes.ts;
 * the dashboard's session layer imports this group alone, so the sign-in route does not carry
 * every feature's schemas (the budget is 200 KB gzip).
 */
export const authRoutes = {
  prelogin: defineRoute({
    method: 'POST',
    path: '/api/auth/prelogin',
    tag: 'auth',
    summary: 'KDF parameters and salt for a username (the same kind of answer for unknown names)',
    body: PreloginRequest,
    response: PreloginResponse,
  }),
  login: defineRoute({
    method: 'POST',
    path: '/api/auth/login',
    tag: 'auth',
    summary: 'Sign in with authKey and a TOTP code; sets the session cookie',
    description:
      'Wrong username, authKey or code, and a replayed code, all answer the same 401. Too many ' +
      'failures answer 429 with Retry-After; a full verification queue answers 503 with ' +
      'Retry-After.',
    body: LoginRequest,
    response: MeResponse,
    errors: [401, 403, 429, 503],
  }),
  unlock: defineRoute({
    method: 'POST',
    path: '/api/auth/unlock',
    tag: 'auth',
    summary: 'Revive an idle-locked session with the password-derived authKey (no TOTP)',
    body: UnlockRequest,
    response: MeResponse,
    errors: [401, 403, 429, 503],
  }),
  logout: defineRoute({
    method: 'POST',
    path: '/api/auth/logout',
    tag: 'auth',
    summary: 'End this session; answers Clear-Site-Data',
    status: 204,
    response: z.undefined(),
    errors: [401, 403],
  }),
  me: defineRoute({
    method: 'GET',
    path: '/api/auth/me',
    tag: 'auth',
    summary: 'The signed-in user and session (also answers for an idle-locked session)',
    response: MeResponse,
    errors: [401],
  }),
  myKeys: defineRoute({
    method: 'GET',
    path: '/api/auth/keys',
    tag: 'auth',
    summary: "The caller's wrapped keys, certificate chain and organisation public keys",
    response: KeysResponse,
    errors: [401],
  }),
  changePassword: defineRoute({
    method: 'POST',
    path: '/api/auth/password',
    tag: 'auth',
    summary: 'Change password: new authKey and the re-wrapped user key; ends other sessions',
    status: 204,
    body: ChangePasswordRequest,
    response: z.undefined(),
    errors: [401, 403, 429, 503],
  }),
} as const;
