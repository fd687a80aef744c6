import { CryptoError } from './errors';
import {
  BLIND_INDEX_BYTES,
  blindIndex,
  generateIndexKey,
  normaliseHandle,
  normalisePhone,
} from './blind-index';
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

describe('normalisation', () => {
  it.each([
    ['+7 (926) 123-45-67', {}, '+79261234567'],
    ['0079261234567', {}, '+79261234567'],
    ['8 926 123 45 67', { defaultCountryCode: '7' }, '+79261234567'],
    ['9261234567', { defaultCountryCode: '7' }, '+79261234567'],
    ['030 1234567', { defaultCountryCode: '49' }, '+49301234567'],
    ['+49 30 1234567', {}, '+49301234567'],
  ])('phone %s → %s', (input, options, expected) => {
    expect(normalisePhone(input, options)).toBe(expected);
  });

  it('refuses phones it cannot normalise', () => {
    expect(codeOf(() => normalisePhone('926 123 45 67'))).toBe('BAD_INPUT'); // national, no country code
    expect(codeOf(() => normalisePhone('+7 call me'))).toBe('BAD_INPUT');
    expect(codeOf(() => normalisePhone('+12'))).toBe('BAD_INPUT');
    expect(codeOf(() => normalisePhone('+1234567890123456'))).toBe('BAD_INPUT');
  });

  it.each([
    ['@Anna_K', 'anna_k'],
    ['  anna_k ', 'anna_k'],
    ['@@ANNA_K', 'anna_k'],
  ])('handle %s → %s', (input, expected) => {
    expect(normaliseHandle(input)).toBe(expected);
  });

  it('refuses empty handles or handles with spaces', () => {
    expect(codeOf(() => normaliseHandle('@'))).toBe('BAD_INPUT');
    expect(codeOf(() => normaliseHandle('anna k'))).toBe('BAD_INPUT');
  });
});

describe('blind indexes', () => {
  const key = () => new Uint8Array(32).fill(0x11);

  // Independently computed with Python's hashlib (libs/crypto/vectors/independent-vectors.py).
  it('match the documented construction', () => {
    expect(blindIndex(key(), 'phone', '+7 926 123-45-67')).toBe('8024');
    expect(blindIndex(key(), 'handle', '@Anna_K')).toBe('ab7c');
  });

  it('are truncated to BLIND_INDEX_BYTES and equal for equivalent spellings', () => {
    const a = blindIndex(key(), 'phone', '8 (926) 123-45-67', { defaultCountryCode: '7' });
    expect(a).toHaveLength(BLIND_INDEX_BYTES * 2);
    expect(blindIndex(key(), 'phone', '+79261234567')).toBe(a);
  });

  it('depend on the index key', () => {
    const values = Array.from({ length: 50 }, (_, i) => `+7926${String(1_000_000 + i)}`);
    const k1 = generateIndexKey();
    const k2 = generateIndexKey();
    const differing = values.filter(
      (v) => blindIndex(k1, 'phone', v) !== blindIndex(k2, 'phone', v),
    );
    expect(differing.length).toBeGreaterThan(40);
  });

  it('collide by design: 5,000 distinct numbers share buckets', () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const index = blindIndex(key(), 'phone', `+7926${String(1_000_000 + i)}`);
      seen.set(index, (seen.get(index) ?? 0) + 1);
    }
    expect(seen.size).toBeLessThan(5000);
  });

  it('refuses bad keys and kinds', () => {
    expect(codeOf(() => blindIndex(new Uint8Array(8), 'phone', '+79261234567'))).toBe('BAD_INPUT');
    expect(codeOf(() => blindIndex(key(), 'email' as never, 'a@b.c'))).toBe('BAD_INPUT');
  });
});
