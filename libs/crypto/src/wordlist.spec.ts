import { initCrypto, lib } from './sodium';
import { EFF_LARGE_WORDLIST } from './wordlist/eff-large';

beforeAll(async () => {
  await initCrypto();
});

describe('embedded EFF large wordlist', () => {
  it('is the published list: 7,776 distinct words, byte-identical to the packaged file', () => {
    expect(EFF_LARGE_WORDLIST).toHaveLength(7776);
    expect(new Set(EFF_LARGE_WORDLIST).size).toBe(7776);
    expect(EFF_LARGE_WORDLIST[0]).toBe('abacus');
    expect(EFF_LARGE_WORDLIST[7775]).toBe('zoom');
    const file = `${EFF_LARGE_WORDLIST.join('\n')}\n`;
    expect(lib().to_hex(lib().crypto_hash_sha256(file))).toBe(
      '6d557f0693958fb5e650b68b5bee585eb82cf4da32965505c789e924743bc522',
    );
  });

  it('holds only lower-case letters (and four hyphenated words)', () => {
    for (const word of EFF_LARGE_WORDLIST) expect(word).toMatch(/^[a-z]+(-[a-z]+)?$/);
    expect(EFF_LARGE_WORDLIST.filter((w) => w.includes('-'))).toEqual([
      'drop-down',
      'felt-tip',
      't-shirt',
      'yo-yo',
    ]);
  });
});
