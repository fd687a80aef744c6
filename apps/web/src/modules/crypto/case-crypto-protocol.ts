/**
 * The crypto worker's case operations (docs/cases.md): opening many grants at once for lists,
 * padded record encryption, whole-case key rotation, and the blind-index key. Part of
 * CryptoWorkerApi; kept in their own file so that the case feature's additions read as one.
 */
import type { RecordRef } from '@haven/crypto';
import type {
  CaseKeyHandle,
  CertHandle,
  ItemResult,
  OpenedCaseKey,
  UserHandle,
} from './crypto-protocol';

declare const indexBrand: unique symbol;
/** Names the organisation's blind-index key at one version. */
export type IndexKeyHandle = string & { readonly [indexBrand]: 'index' };

/** A grant's routing fields, unauthenticated: who to fetch the granter's certificate for. */
export interface GrantRouting {
  scope: 'case' | 'index' | 'intake' | 'packet';
  subjectId: string;
  version: number;
  granteeId: string;
  granterId: string;
}

export interface CaseGrantItem {
  envelope: Uint8Array;
  caseId: string;
  version: number;
  /** The granter named in the grant, verified against the pinned root. */
  granter: CertHandle;
}

/**
 * How a record's plaintext is padded before encryption, so that its length says little:
 * `summary` to a multiple of 256 bytes (at most 4 KiB), `record` to 1, 4, 16, 64 or 256 KiB.
 * The padding is trailing spaces after the JSON text, which JSON.parse ignores.
 */
export type RecordPadding = 'summary' | 'record';

export interface CaseRotationResult {
  next: OpenedCaseKey;
  /** Re-encrypted envelopes, in the order of the records given. */
  records: Uint8Array[];
  /** The new key sealed to each grantee, in the order given. */
  grants: { granteeId: string; envelope: Uint8Array }[];
}

export interface CaseCryptoApi {
  readGrantHeaders(envelopes: Uint8Array[]): Promise<ItemResult<GrantRouting>[]>;
  /** Opens many case grants (a page of a list); one bad grant does not hide the others. */
  openCaseGrants(user: UserHandle, items: CaseGrantItem[]): Promise<ItemResult<OpenedCaseKey>[]>;
  /** JSON.stringify, padding (see RecordPadding), UTF-8, encryptRecord. */
  encryptPaddedJson(
    caseKey: CaseKeyHandle,
    ref: RecordRef,
    value: unknown,
    padding: RecordPadding,
  ): Promise<Uint8Array>;
  /**
   * After a revocation: a key at version + 1, every record re-encrypted under it, the new key
   * sealed to every remaining grantee. All or nothing (one record that does not open aborts).
   */
  rotateCaseKey(
    current: CaseKeyHandle,
    records: { ref: RecordRef; envelope: Uint8Array }[],
    grantees: CertHandle[],
    granter: UserHandle,
  ): Promise<CaseRotationResult>;

  /** A new organisation blind-index key (the first coordinator who needs one makes it). */
  createIndexKey(id: string): Promise<IndexKeyHandle>;
  openIndexGrant(
    user: UserHandle,
    envelope: Uint8Array,
    expect: { id: string; version: number; granter: CertHandle },
  ): Promise<IndexKeyHandle>;
  sealIndexGrant(
    index: IndexKeyHandle,
    grantee: CertHandle,
    granter: UserHandle,
  ): Promise<Uint8Array>;
  /** Blind indexes (hex) of phone numbers and handles; a value that does not normalise fails alone. */
  blindIndexes(
    index: IndexKeyHandle,
    items: { kind: 'phone' | 'handle'; value: string }[],
    options?: { defaultCountryCode?: string },
  ): Promise<ItemResult<string>[]>;
}

/** Every CaseCryptoApi method, for the client's method list (a missing one fails to compile). */
export const CASE_CRYPTO_METHODS: Record<keyof CaseCryptoApi, true> = {
  readGrantHeaders: true,
  openCaseGrants: true,
  encryptPaddedJson: true,
  rotateCaseKey: true,
  createIndexKey: true,
  openIndexGrant: true,
  sealIndexGrant: true,
  blindIndexes: true,
};
