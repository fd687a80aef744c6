/**
 * The crypto worker's implementation, free of any worker plumbing so that it can be unit
 * tested in Node. `crypto.worker.ts` exposes it over Comlink. Key material lives only in the
 * `held` map below; the page sees handles.
 */
import {
  createUserKeys,
  CryptoError,
  deriveLoginKeysFromSalt,
  generateIntakeKeyPair,
  generateSignKeyPair,
  issueCertificate,
  makeOrgRootPin,
  signIntakeKey,
  unwrapOrgRootKey,
  verifyOrgRootPin,
  wrapIntakeKey,
  wrapOrgRootKey,
  decryptRecord,
  deriveLoginKeys,
  encryptRecord,
  fingerprint,
  generateCaseKey,
  initCrypto,
  intakeKeyPairFromSecret,
  isCryptoError,
  openCaseKeyGrant,
  openGrant,
  openIntakeSubmission,
  randomBytes,
  rewrapUserKey,
  sealCaseKeyGrant,
  sodiumVersion,
  toHex,
  unlockUserKeys,
  utf8Decode,
  utf8Encode,
  verifyCertificateChain,
  wipe,
  wipeUserKeys,
  type BoxKeyPair,
  type CaseKey,
  type CertifiedKey,
  type PacketKey,
  type SignKeyPair,
  type UserKeys,
} from '@haven/crypto';
import type {
  AnyHandle,
  CaseKeyHandle,
  CertificateSubject,
  CertHandle,
  CryptoWorkerApi,
  IntakeHandle,
  ItemResult,
  KekHandle,
  OpenedCaseKey,
  UserHandle,
} from './crypto-protocol';
import { createCaseCryptoApi, type IndexKey } from './case-crypto-api';
import { createIntakeCryptoApi } from './intake-crypto-api';
import type { IndexKeyHandle } from './case-crypto-protocol';
import { createPacketCryptoApi } from './packet-crypto-api';
import type { PacketKeyHandle } from './packet-crypto-protocol';

type Held =
  | { kind: 'kek'; key: Uint8Array }
  | { kind: 'user'; keys: UserKeys }
  | { kind: 'case'; key: CaseKey }
  | { kind: 'cert'; key: CertifiedKey }
  | { kind: 'intake'; pair: BoxKeyPair }
  | { kind: 'index'; index: IndexKey }
  | { kind: 'packet'; key: PacketKey };

type HeldOf<K extends Held['kind']> = Extract<Held, { kind: K }>;

function forget(entry: Held): void {
  switch (entry.kind) {
    case 'kek':
      wipe(entry.key);
      break;
    case 'user':
      wipeUserKeys(entry.keys);
      break;
    case 'case':
      wipe(entry.key.key);
      break;
    case 'intake':
      wipe(entry.pair.privateKey);
      break;
    case 'index':
      wipe(entry.index.key);
      break;
    case 'packet':
      wipe(entry.key.key);
      break;
    case 'cert':
      break; // public keys only
  }
}

function attempt<T>(fn: () => T): ItemResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (isCryptoError(error)) return { ok: false, code: error.code };
    throw error;
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8Decode(bytes)) as unknown;
  } catch {
    throw new CryptoError('BAD_ENVELOPE', 'record is not UTF-8 JSON');
  } finally {
    wipe(bytes);
  }
}

export function createCryptoWorkerApi(): CryptoWorkerApi {
  const held = new Map<string, Held>();
  let pinnedRoot: Uint8Array | undefined;

  function hold<K extends Held['kind']>(entry: HeldOf<K>): string {
    const handle = `${entry.kind}:${toHex(randomBytes(16))}`;
    held.set(handle, entry);
    return handle;
  }

  function get<K extends Held['kind']>(handle: unknown, kind: K): HeldOf<K> {
    const entry = typeof handle === 'string' ? held.get(handle) : undefined;
    if (!entry || entry.kind !== kind) {
      throw new CryptoError('BAD_INPUT', `unknown or wiped ${kind} handle`);
    }
    return entry as HeldOf<K>;
  }

  function root(): Uint8Array {
    if (!pinnedRoot) throw new CryptoError('UNCERTIFIED_KEY', 'no organisation root key is pinned');
    return pinnedRoot;
  }

  function pin(rootPublicKey: Uint8Array): { fingerprint: string } {
    if (!(rootPublicKey instanceof Uint8Array) || rootPublicKey.length !== 32) {
      throw new CryptoError('BAD_INPUT', 'root public key must be 32 bytes');
    }
    if (pinnedRoot && toHex(pinnedRoot) !== toHex(rootPublicKey)) {
      throw new CryptoError(
        'UNCERTIFIED_KEY',
        'a different root key is already pinned; wipe() first',
      );
    }
    pinnedRoot = rootPublicKey.slice();
    // The root has no box key; its fingerprint covers the signing key twice by convention.
    return { fingerprint: fingerprint(pinnedRoot, pinnedRoot) };
  }

  function issue(subject: CertificateSubject, issuer: SignKeyPair): Uint8Array {
    if (typeof subject !== 'object' || subject === null) {
      throw new CryptoError('BAD_INPUT', 'subject must be an object');
    }
    return issueCertificate(
      {
        subjectId: subject.subjectId,
        role: subject.role,
        boxPublicKey: subject.boxPublicKey,
        signPublicKey: subject.signPublicKey,
      },
      issuer,
    );
  }

  function openedCase(key: CaseKey): OpenedCaseKey {
    return {
      caseKey: hold({ kind: 'case', key }) as CaseKeyHandle,
      caseId: key.caseId,
      version: key.version,
    };
  }

  return {
    // Cases: bulk grant opening, padded records, rotation, the blind-index key.
    ...createCaseCryptoApi({
      holdCase: openedCase,
      holdIndex: (index) => hold({ kind: 'index', index }) as IndexKeyHandle,
      caseKey: (handle) => get(handle, 'case').key,
      cert: (handle) => get(handle, 'cert').key,
      user: (handle) => get(handle, 'user').keys,
      index: (handle) => get(handle, 'index').index,
    }),

    // Referrals: packets under their own key, wrapped under the case key, sealed to assignees.
    ...createPacketCryptoApi({
      holdPacket: (key) => hold({ kind: 'packet', key }) as PacketKeyHandle,
      packetKey: (handle) => get(handle, 'packet').key,
      caseKey: (handle) => get(handle, 'case').key,
      cert: (handle) => get(handle, 'cert').key,
      user: (handle) => get(handle, 'user').keys,
    }),

    // Triage: the intake key's custody and handover, staff replies.
    ...createIntakeCryptoApi({
      holdIntake: (pair) => hold({ kind: 'intake', pair }) as IntakeHandle,
      intake: (handle) => get(handle, 'intake').pair,
      cert: (handle) => get(handle, 'cert').key,
      user: (handle) => get(handle, 'user').keys,
      root,
    }),

    async init() {
      await initCrypto();
      return { sodiumVersion: sodiumVersion() };
    },

    async deriveLoginKeys(input) {
      await initCrypto();
      const { authKey, kek } = deriveLoginKeys(input);
      return { authKey, kek: hold({ kind: 'kek', key: kek }) as KekHandle };
    },

    async deriveLoginKeysFromSalt(input) {
      await initCrypto();
      const { authKey, kek } = deriveLoginKeysFromSalt(input);
      return { authKey, kek: hold({ kind: 'kek', key: kek }) as KekHandle };
    },

    async setupOrganisation(kekHandle, adminId) {
      const { bundle, keys } = createUserKeys(get(kekHandle, 'kek').key, adminId);
      const root = generateSignKeyPair();
      const intake = generateIntakeKeyPair();
      try {
        const certificate = issueCertificate(
          {
            subjectId: adminId,
            role: 'admin',
            boxPublicKey: bundle.boxPublicKey,
            signPublicKey: bundle.signPublicKey,
          },
          root,
        );
        const result = {
          bundle,
          certificate,
          rootPublicKey: root.publicKey.slice(),
          rootFingerprint: fingerprint(root.publicKey, root.publicKey),
          intakePublicKey: intake.publicKey.slice(),
          intakeKeySignature: signIntakeKey(intake.publicKey, root),
          wrappedOrgRootKey: wrapOrgRootKey(keys, root),
          wrappedIntakeKey: wrapIntakeKey(keys, intake),
          orgRootPin: makeOrgRootPin(keys, root.publicKey),
          user: hold({ kind: 'user', keys }) as UserHandle,
          boxPublicKey: keys.box.publicKey.slice(),
          signPublicKey: keys.sign.publicKey.slice(),
          fingerprint: fingerprint(keys.sign.publicKey, keys.box.publicKey),
        };
        pin(root.publicKey);
        return result;
      } finally {
        wipe(root.privateKey, intake.privateKey);
      }
    },

    async makeOrgRootPin(user, rootPublicKey) {
      return makeOrgRootPin(get(user, 'user').keys, rootPublicKey);
    },

    async pinOrgRootWithPin(user, rootPublicKey, rootPin) {
      verifyOrgRootPin(get(user, 'user').keys, rootPublicKey, rootPin);
      return pin(rootPublicKey);
    },

    async fingerprintOf(signPublicKey, boxPublicKey) {
      await initCrypto();
      return fingerprint(signPublicKey, boxPublicKey);
    },

    async rootFingerprint(rootPublicKey) {
      await initCrypto();
      return fingerprint(rootPublicKey, rootPublicKey);
    },

    async certifyUser(admin, subject, wrappedOrgRootKey) {
      const keys = get(admin, 'user').keys;
      if (subject?.role !== 'admin') return issue(subject, keys.sign);
      if (!(wrappedOrgRootKey instanceof Uint8Array)) {
        throw new CryptoError('BAD_INPUT', 'certifying an admin needs the organisation root key');
      }
      const root = unwrapOrgRootKey(keys, wrappedOrgRootKey);
      try {
        return issue(subject, root);
      } finally {
        wipe(root.privateKey);
      }
    },

    async createUserKeys(kekHandle, userId) {
      const { bundle, keys } = createUserKeys(get(kekHandle, 'kek').key, userId);
      return {
        bundle,
        user: hold({ kind: 'user', keys }) as UserHandle,
        boxPublicKey: keys.box.publicKey.slice(),
        signPublicKey: keys.sign.publicKey.slice(),
        fingerprint: fingerprint(keys.sign.publicKey, keys.box.publicKey),
      };
    },

    async unlockUserKeys(kekHandle, userId, bundle) {
      const keys = unlockUserKeys(get(kekHandle, 'kek').key, userId, bundle);
      return {
        user: hold({ kind: 'user', keys }) as UserHandle,
        boxPublicKey: keys.box.publicKey.slice(),
        signPublicKey: keys.sign.publicKey.slice(),
        fingerprint: fingerprint(keys.sign.publicKey, keys.box.publicKey),
      };
    },

    async rewrapUserKey(oldKek, newKek, userId, wrappedUserKey) {
      return rewrapUserKey(get(oldKek, 'kek').key, get(newKek, 'kek').key, userId, wrappedUserKey);
    },

    async pinOrgRoot(rootPublicKey) {
      await initCrypto();
      return pin(rootPublicKey);
    },

    async verifyCertificate(chain, expect) {
      const key = verifyCertificateChain(chain, root(), expect);
      return {
        key: hold({ kind: 'cert', key }) as CertHandle,
        subjectId: key.subjectId,
        role: key.role,
        fingerprint: key.fingerprint,
      };
    },

    async createCaseKey(caseId) {
      await initCrypto();
      return openedCase(generateCaseKey(caseId));
    },

    async openCaseGrant(user, envelope, expect) {
      const key = openCaseKeyGrant(envelope, {
        caseId: expect.caseId,
        version: expect.version,
        grantee: get(user, 'user').keys,
        granter: get(expect.granter, 'cert').key,
      });
      return openedCase(key);
    },

    async sealCaseGrant(caseKey, grantee, granter) {
      return sealCaseKeyGrant(
        get(caseKey, 'case').key,
        get(grantee, 'cert').key,
        get(granter, 'user').keys,
      );
    },

    async encryptRecord(caseKey, ref, plaintext) {
      return encryptRecord(get(caseKey, 'case').key, ref, plaintext);
    },

    async encryptJson(caseKey, ref, value) {
      const key = get(caseKey, 'case').key;
      let text: string;
      try {
        text = JSON.stringify(value);
      } catch {
        throw new CryptoError('BAD_INPUT', 'value is not serialisable as JSON');
      }
      if (typeof text !== 'string')
        throw new CryptoError('BAD_INPUT', 'value is not serialisable as JSON');
      const plaintext = utf8Encode(text);
      try {
        return encryptRecord(key, ref, plaintext);
      } finally {
        wipe(plaintext);
      }
    },

    async decryptRecords(items) {
      if (!Array.isArray(items)) throw new CryptoError('BAD_INPUT', 'items must be an array');
      return items.map((item) =>
        attempt(() => decryptRecord(get(item?.caseKey, 'case').key, item.ref, item.envelope)),
      );
    },

    async decryptJson(items) {
      if (!Array.isArray(items)) throw new CryptoError('BAD_INPUT', 'items must be an array');
      return items.map((item) =>
        attempt(() =>
          parseJson(decryptRecord(get(item?.caseKey, 'case').key, item.ref, item.envelope)),
        ),
      );
    },

    async openIntakeGrant(user, envelope, expect) {
      const secret = openGrant(envelope, {
        subject: { scope: 'intake', id: expect.orgId, version: expect.version },
        grantee: get(user, 'user').keys,
        granter: get(expect.granter, 'cert').key,
      });
      try {
        return hold({
          kind: 'intake',
          pair: intakeKeyPairFromSecret(secret, expect.pinnedPublicKey),
        }) as IntakeHandle;
      } finally {
        wipe(secret);
      }
    },

    async openIntakeSubmissions(intake, envelopes) {
      if (!Array.isArray(envelopes))
        throw new CryptoError('BAD_INPUT', 'envelopes must be an array');
      const pair = get(intake, 'intake').pair;
      return envelopes.map((envelope) =>
        attempt(() => {
          const { payload, replyPublicKey } = openIntakeSubmission(envelope, pair);
          return { payload: parseJson(payload), replyPublicKey };
        }),
      );
    },

    async release(handle: AnyHandle) {
      const entry = held.get(handle);
      if (entry) forget(entry);
      held.delete(handle);
    },

    async wipe() {
      for (const entry of held.values()) forget(entry);
      held.clear();
      if (pinnedRoot) wipe(pinnedRoot);
      pinnedRoot = undefined;
    },
  };
}
