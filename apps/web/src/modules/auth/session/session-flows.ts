/**
 * The browser's side of signing in (docs/accounts.md): the password never leaves the crypto
 * worker; the server gets `authKey` only; the keys the server returns are unwrapped in the
 * worker, and the organisation root is pinned only if it matches the pin made at enrolment.
 */
import { authRoutes, type MeResponse } from '@haven/contracts';
import { api } from '../../../api/client';
import type { KekHandle } from '../../crypto';
import { cryptoWorker } from '../crypto-session';
import { fromBase64Url, toBase64Url } from '../utils/base64url';
import type { SessionKeys } from '../utils/roles';

/** prelogin, then Argon2id in the worker with the parameters and salt the server sent. */
export async function deriveLoginKeys(
  username: string,
  password: string,
): Promise<{ authKey: string; kek: KekHandle }> {
  const { kdf, salt } = await api.request(authRoutes.prelogin, { body: { username } });
  const worker = cryptoWorker();
  const { authKey, kek } = await worker.deriveLoginKeysFromSalt({
    password,
    salt: fromBase64Url(salt),
    params: kdf,
  });
  return { authKey: toBase64Url(authKey), kek };
}

/** Fetches the caller's wrapped keys and opens them in the worker with `kek`. */
async function openKeys(kek: KekHandle, me: MeResponse): Promise<SessionKeys> {
  const worker = cryptoWorker();
  try {
    const keys = await api.request(authRoutes.myKeys);
    const bundle = {
      wrappedUserKey: fromBase64Url(keys.bundle.wrappedUserKey),
      boxPublicKey: fromBase64Url(keys.bundle.boxPublicKey),
      signPublicKey: fromBase64Url(keys.bundle.signPublicKey),
      wrappedBoxSecret: fromBase64Url(keys.bundle.wrappedBoxSecret),
      wrappedSignSeed: fromBase64Url(keys.bundle.wrappedSignSeed),
    };
    const unlocked = await worker.unlockUserKeys(kek, me.user.id, bundle);
    const root = await worker.pinOrgRootWithPin(
      unlocked.user,
      fromBase64Url(keys.orgRootPublicKey),
      fromBase64Url(keys.orgRootPin),
    );
    if (keys.certificateChain) {
      // Our own chain must verify against the root we just pinned.
      await worker.verifyCertificate(keys.certificateChain.map(fromBase64Url), {
        subjectId: me.user.id,
      });
    }
    return {
      user: unlocked.user,
      fingerprint: unlocked.fingerprint,
      rootFingerprint: root.fingerprint,
      wrappedOrgRootKey: keys.wrappedOrgRootKey ? fromBase64Url(keys.wrappedOrgRootKey) : null,
    };
  } finally {
    await worker.release(kek);
  }
}

export async function signIn(input: {
  username: string;
  password: string;
  totpCode: string;
}): Promise<{ me: MeResponse; keys: SessionKeys }> {
  const { authKey, kek } = await deriveLoginKeys(input.username, input.password);
  let me: MeResponse;
  try {
    me = await api.request(authRoutes.login, {
      body: { username: input.username, authKey, totpCode: input.totpCode },
    });
  } catch (error) {
    await cryptoWorker().release(kek);
    throw error;
  }
  return { me, keys: await openKeys(kek, me) };
}

/** Password only: revives an idle-locked session (or reopens keys after a reload). */
export async function unlock(
  me: MeResponse,
  password: string,
): Promise<{ me: MeResponse; keys: SessionKeys }> {
  const { authKey, kek } = await deriveLoginKeys(me.user.username, password);
  let revived: MeResponse;
  try {
    revived = await api.request(authRoutes.unlock, { body: { authKey } });
  } catch (error) {
    await cryptoWorker().release(kek);
    throw error;
  }
  return { me: revived, keys: await openKeys(kek, revived) };
}

/** New password: new authKey, user key re-wrapped in the worker; other sessions end. */
export async function changePassword(
  me: MeResponse,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const worker = cryptoWorker();
  const current = await deriveLoginKeys(me.user.username, currentPassword);
  const next = await deriveLoginKeys(me.user.username, newPassword);
  try {
    const keys = await api.request(authRoutes.myKeys);
    const wrappedUserKey = await worker.rewrapUserKey(
      current.kek,
      next.kek,
      me.user.id,
      fromBase64Url(keys.bundle.wrappedUserKey),
    );
    await api.request(authRoutes.changePassword, {
      body: {
        currentAuthKey: current.authKey,
        newAuthKey: next.authKey,
        wrappedUserKey: toBase64Url(wrappedUserKey),
      },
    });
  } finally {
    await worker.release(current.kek);
    await worker.release(next.kek);
  }
}
