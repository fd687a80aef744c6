/**
 * Test helpers for any project's tests (never imported by production code; the web and api
 * bundles alias only `@haven/crypto`). The one thing here that production must not have —
 * cheap Argon2 parameters — is reachable only through this module, and only with the fixed
 * TEST_KDF_COST below, never with parameters that came from a server.
 */
import {
  issueCertificate,
  verifyCertificateChain,
  type CertifiedKey,
  type StaffRole,
} from './certs';
import { deriveFromSaltWithCost, deriveLoginKeysWithCost, type LoginKeys } from './kdf';
import {
  createUserKeys,
  generateSignKeyPair,
  type SignKeyPair,
  type UserKeyBundle,
  type UserKeys,
} from './keys';
import { randomBytes } from './bytes';

/** Argon2id at 1 pass and 8 MiB: fast enough for suites that create many users. Tests only. */
export const TEST_KDF_COST = Object.freeze({ opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 });

/** `deriveLoginKeys` at TEST_KDF_COST, bypassing the floor. Tests only. */
export function deriveLoginKeysForTests(input: {
  password: string;
  username: string;
  serverSeed: Uint8Array;
}): LoginKeys {
  return deriveLoginKeysWithCost(input, TEST_KDF_COST.opsLimit, TEST_KDF_COST.memLimitBytes);
}

/** `deriveLoginKeysFromSalt` at TEST_KDF_COST, bypassing the floor. Tests only. */
export function deriveLoginKeysFromSaltForTests(input: {
  password: string;
  salt: Uint8Array;
}): LoginKeys {
  return deriveFromSaltWithCost(
    input.password,
    input.salt,
    TEST_KDF_COST.opsLimit,
    TEST_KDF_COST.memLimitBytes,
  );
}

export interface TestOrg {
  root: SignKeyPair;
  admin: TestUser;
}

export interface TestUser {
  keys: UserKeys;
  bundle: UserKeyBundle;
  kek: Uint8Array;
  /** Certificate chain to the org root: `[cert]` for admins, `[adminCert, cert]` otherwise. */
  chain: Uint8Array[];
  /** The user's key as another client sees it after verifying `chain`. */
  certified: CertifiedKey;
}

function makeUser(
  userId: string,
  role: StaffRole,
  issuer: SignKeyPair,
  root: SignKeyPair,
  prefix: Uint8Array[],
): TestUser {
  const kek = randomBytes(32);
  const { bundle, keys } = createUserKeys(kek, userId);
  const cert = issueCertificate(
    {
      subjectId: userId,
      role,
      boxPublicKey: bundle.boxPublicKey,
      signPublicKey: bundle.signPublicKey,
    },
    issuer,
  );
  const chain = [...prefix, cert];
  return { keys, bundle, kek, chain, certified: verifyCertificateChain(chain, root.publicKey) };
}

/** An organisation with a root key and one admin certified by it. Call after `initCrypto()`. */
export function createTestOrg(adminId = 'admin-1'): TestOrg {
  const root = generateSignKeyPair();
  return { root, admin: makeUser(adminId, 'admin', root, root, []) };
}

/** A staff member certified by the org's admin (chain `[adminCert, cert]`). */
export function createTestUser(
  org: TestOrg,
  userId: string,
  role: Exclude<StaffRole, 'admin'>,
): TestUser {
  return makeUser(userId, role, org.admin.keys.sign, org.root, org.admin.chain);
}
