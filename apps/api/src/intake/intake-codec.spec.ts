import {
  generateIntakeKeyPair,
  initCrypto,
  sealIntakeSubmission,
  sealReply,
  toBase64,
} from '@haven/crypto';
import { RequestValidationException } from '../common/errors/request-validation.exception';
import {
  decodeBase64url,
  decodeLookupId,
  decodePublicKey,
  decodeSealedEnvelope,
  idempotencyKeyHash,
  requestHash,
  utcDay,
} from './intake-codec';

beforeAll(async () => {
  await initCrypto();
});

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof RequestValidationException) return err.fields[0]?.path;
    throw err;
  }
  return undefined;
}

describe('intake codec', () => {
  it('decodes canonical base64url only', () => {
    expect(decodeBase64url('AQI', 'x')).toEqual(Buffer.from([1, 2]));
    expect(fieldOf(() => decodeBase64url('AQJ', 'x'))).toBe('body.x');
    expect(fieldOf(() => decodeBase64url('A', 'x'))).toBe('body.x');
  });

  it('accepts sealed envelopes of their own kind only', () => {
    const key = generateIntakeKeyPair().publicKey;
    const intake = sealIntakeSubmission({ payload: new Uint8Array(3), replyPublicKey: key }, key);
    const reply = sealReply(new Uint8Array(3), key);
    expect(decodeSealedEnvelope(toBase64(intake), 'intake')).toHaveLength(intake.length);
    expect(decodeSealedEnvelope(toBase64(reply), 'reply')).toHaveLength(reply.length);
    expect(fieldOf(() => decodeSealedEnvelope(toBase64(reply), 'intake'))).toBe('body.envelope');
    expect(fieldOf(() => decodeSealedEnvelope(toBase64(intake), 'reply'))).toBe('body.envelope');
  });

  it('checks key and lookup id lengths', () => {
    expect(decodePublicKey(toBase64(new Uint8Array(32)), 'k')).toHaveLength(32);
    expect(fieldOf(() => decodePublicKey(toBase64(new Uint8Array(31)), 'k'))).toBe('body.k');
    expect(decodeLookupId('00'.repeat(16))).toHaveLength(16);
    expect(fieldOf(() => decodeLookupId('0'.repeat(31)))).toBe('body.lookupId');
  });

  it('hashes keys per operation and requests by every field', () => {
    expect(idempotencyKeyHash('submission', 'k')).toHaveLength(32);
    expect(idempotencyKeyHash('submission', 'k')).not.toEqual(idempotencyKeyHash('follow-up', 'k'));
    const a = requestHash('submission', Buffer.from('ab'), 'c');
    expect(requestHash('submission', Buffer.from('ab'), 'c')).toEqual(a);
    // Length-prefixed: moving a byte between fields changes the hash.
    expect(requestHash('submission', Buffer.from('a'), 'bc')).not.toEqual(a);
  });

  it('gives the UTC day', () => {
    expect(utcDay(new Date(Date.UTC(2026, 0, 1, 23, 59)))).toBe('2026-01-01');
  });
});
