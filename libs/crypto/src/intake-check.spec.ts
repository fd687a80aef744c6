import fc from 'fast-check';
import { CryptoError } from './errors';
import {
  checkIntakeEnvelope,
  checkReplyEnvelope,
  generateIntakeKeyPair,
  PADDING_BUCKETS,
  sealIntakeSubmission,
  sealReply,
} from './intake';
import { generateBoxKeyPair } from './keys';
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

describe('structural envelope checks (what the server can verify without keys)', () => {
  let intake: ReturnType<typeof generateIntakeKeyPair>;
  let reply: ReturnType<typeof generateBoxKeyPair>;

  beforeAll(() => {
    intake = generateIntakeKeyPair();
    reply = generateBoxKeyPair();
  });

  it('accepts every sealed submission and reports its bucket', () => {
    for (const [size, bucket] of [
      [0, 1024],
      [1023, 1024],
      [1024, 4096],
      [20_000, 65536],
      [262_143, 262144],
    ]) {
      const envelope = sealIntakeSubmission(
        { payload: new Uint8Array(size), replyPublicKey: reply.publicKey },
        intake.publicKey,
      );
      expect(checkIntakeEnvelope(envelope)).toBe(bucket);
      expect(envelope.length).toBe(2 + 48 + 2 + 32 + bucket);
    }
  });

  it('accepts every sealed reply and reports its bucket', () => {
    const envelope = sealReply(new Uint8Array(5000), reply.publicKey);
    expect(checkReplyEnvelope(envelope)).toBe(16384);
    expect(envelope.length).toBe(2 + 48 + 2 + 16384);
  });

  it('refuses another kind, another version, a truncation or an extension', () => {
    const envelope = sealIntakeSubmission(
      { payload: new Uint8Array(10), replyPublicKey: reply.publicKey },
      intake.publicKey,
    );
    const replyEnvelope = sealReply(new Uint8Array(10), reply.publicKey);
    expect(codeOf(() => checkIntakeEnvelope(replyEnvelope))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => checkReplyEnvelope(envelope))).toBe('BAD_ENVELOPE');
    const v2 = envelope.slice();
    v2[0] = 2;
    expect(codeOf(() => checkIntakeEnvelope(v2))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => checkIntakeEnvelope(envelope.subarray(0, envelope.length - 1)))).toBe(
      'BAD_ENVELOPE',
    );
    const longer = new Uint8Array(envelope.length + 1);
    longer.set(envelope);
    expect(codeOf(() => checkIntakeEnvelope(longer))).toBe('BAD_ENVELOPE');
  });

  it('answers anything else with BAD_ENVELOPE only', () => {
    for (const junk of [undefined, null, 'x', 42, {}, [1, 4], new Uint8Array(0)]) {
      expect(codeOf(() => checkIntakeEnvelope(junk as never))).toBe('BAD_ENVELOPE');
      expect(codeOf(() => checkReplyEnvelope(junk as never))).toBe('BAD_ENVELOPE');
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        const code = codeOf(() => checkIntakeEnvelope(bytes));
        const wellFormed =
          bytes[0] === 1 && bytes[1] === 4 && PADDING_BUCKETS.includes(bytes.length - 84);
        expect(code).toBe(wellFormed ? 'no error' : 'BAD_ENVELOPE');
      }),
      { numRuns: 300 },
    );
  });
});
