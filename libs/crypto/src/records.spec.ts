import fc from 'fast-check';
import { CryptoError } from './errors';
import {
  decryptRecord,
  encryptRecord,
  generateCaseKey,
  RECORD_OVERHEAD,
  recordKeyVersion,
  type CaseKey,
} from './records';
import { initCrypto } from './sodium';

beforeAll(async () => {
  await initCrypto();
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    return `non-CryptoError: ${String(error)}`;
  }
  return 'no error';
}

/** Byte equality via Node's Buffer (independent of the library under test). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

const REJECTED = ['AUTH_FAILED', 'BAD_ENVELOPE'];
const ref = { kind: 'note', recordId: 'rec-1' };

describe('record encryption', () => {
  it('round-trips any plaintext (including empty and large)', () => {
    const caseKey = generateCaseKey('case-1');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4096 }), (plaintext) => {
        const envelope = encryptRecord(caseKey, ref, plaintext);
        expect(envelope.length).toBe(plaintext.length + RECORD_OVERHEAD);
        expect(same(decryptRecord(caseKey, ref, envelope), plaintext)).toBe(true);
      }),
      { numRuns: 300 },
    );
    const big = new Uint8Array(1 << 20).fill(0x5a);
    expect(same(decryptRecord(caseKey, ref, encryptRecord(caseKey, ref, big)), big)).toBe(true);
  });

  it('round-trips for any case id, kind, record id and key version', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/),
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 64 }),
        (caseId, kind, recordId, version, plaintext) => {
          const caseKey = generateCaseKey(caseId, version);
          const envelope = encryptRecord(caseKey, { kind, recordId }, plaintext);
          expect(recordKeyVersion(envelope)).toBe(version);
          expect(same(decryptRecord(caseKey, { kind, recordId }, envelope), plaintext)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fails with AUTH_FAILED or BAD_ENVELOPE for any single flipped bit', () => {
    const caseKey = generateCaseKey('case-1');
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 256 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (plaintext, at, bit) => {
          const envelope = encryptRecord(caseKey, ref, plaintext);
          const index = at % envelope.length;
          envelope[index] = envelope[index] ^ (1 << bit);
          expect(REJECTED).toContain(codeOf(() => decryptRecord(caseKey, ref, envelope)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('flips every bit of one envelope, one at a time, and each is refused', () => {
    const caseKey = generateCaseKey('case-1');
    const envelope = encryptRecord(caseKey, ref, new TextEncoder().encode('a short case note'));
    for (let i = 0; i < envelope.length * 8; i++) {
      const tampered = envelope.slice();
      tampered[i >> 3] = tampered[i >> 3] ^ (1 << (i & 7));
      expect(REJECTED).toContain(codeOf(() => decryptRecord(caseKey, ref, tampered)));
    }
  });

  it('fails for any truncation', () => {
    const caseKey = generateCaseKey('case-1');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.nat(), (plaintext, cut) => {
        const envelope = encryptRecord(caseKey, ref, plaintext);
        const truncated = envelope.subarray(0, cut % envelope.length);
        expect(REJECTED).toContain(codeOf(() => decryptRecord(caseKey, ref, truncated)));
      }),
      { numRuns: 500 },
    );
  });

  it('fails with AUTH_FAILED when a ciphertext is moved to another case, record, kind or key version', () => {
    const caseKey = generateCaseKey('case-1', 3);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 128 }),
        fc.constantFrom('case', 'record', 'kind', 'version', 'version-relabelled'),
        (plaintext, move) => {
          const envelope = encryptRecord(caseKey, ref, plaintext);
          // Same key bytes on purpose: only the additional data differs, so this tests the binding.
          const sameKey = (patch: Partial<CaseKey>): CaseKey => ({ ...caseKey, ...patch });
          let outcome: string;
          switch (move) {
            case 'case':
              outcome = codeOf(() => decryptRecord(sameKey({ caseId: 'case-2' }), ref, envelope));
              break;
            case 'record':
              outcome = codeOf(() =>
                decryptRecord(caseKey, { ...ref, recordId: 'rec-2' }, envelope),
              );
              break;
            case 'kind':
              outcome = codeOf(() => decryptRecord(caseKey, { ...ref, kind: 'summary' }, envelope));
              break;
            case 'version':
              outcome = codeOf(() => decryptRecord(sameKey({ version: 4 }), ref, envelope));
              break;
            default: {
              // The server rewrites the version in the header as well: the AD catches it.
              const relabelled = envelope.slice();
              new DataView(relabelled.buffer).setUint32(2, 4, false);
              outcome = codeOf(() => decryptRecord(sameKey({ version: 4 }), ref, relabelled));
            }
          }
          expect(outcome).toBe('AUTH_FAILED');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('does not decrypt under another case key', () => {
    const a = generateCaseKey('case-1');
    const b = generateCaseKey('case-1');
    expect(
      codeOf(() => decryptRecord(b, ref, encryptRecord(a, ref, new Uint8Array([1, 2, 3])))),
    ).toBe('AUTH_FAILED');
  });

  it('uses 100,000 distinct nonces for 100,000 encryptions of one plaintext', () => {
    const caseKey = generateCaseKey('case-1');
    const plaintext = new TextEncoder().encode('the same plaintext every time');
    const nonces = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const envelope = encryptRecord(caseKey, ref, plaintext);
      nonces.add(Buffer.from(envelope.buffer, envelope.byteOffset + 6, 24).toString('hex'));
    }
    expect(nonces.size).toBe(100_000);
  });

  it('answers malformed input only with CryptoErrors, never partial plaintext', () => {
    const caseKey = generateCaseKey('case-1');
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        const outcome = codeOf(() => decryptRecord(caseKey, a as never, b as never));
        expect(outcome).not.toMatch(/^non-CryptoError|^no error/);
        expect(codeOf(() => encryptRecord(a as never, ref, b as never))).not.toMatch(
          /^non-CryptoError|^no error/,
        );
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(REJECTED).toContain(codeOf(() => decryptRecord(caseKey, ref, bytes)));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses bad record references with BAD_INPUT', () => {
    const caseKey = generateCaseKey('case-1');
    expect(
      codeOf(() => encryptRecord(caseKey, { kind: 'Note', recordId: 'r' }, new Uint8Array())),
    ).toBe('BAD_INPUT');
    expect(
      codeOf(() => encryptRecord(caseKey, { kind: 'note', recordId: '' }, new Uint8Array())),
    ).toBe('BAD_INPUT');
    expect(
      codeOf(() =>
        encryptRecord(caseKey, { kind: 'note', recordId: 'x'.repeat(300) }, new Uint8Array()),
      ),
    ).toBe('BAD_INPUT');
    expect(codeOf(() => generateCaseKey('case-1', 0))).toBe('BAD_INPUT');
    expect(
      codeOf(() => encryptRecord({ ...caseKey, key: new Uint8Array(16) }, ref, new Uint8Array())),
    ).toBe('BAD_INPUT');
  });
});
