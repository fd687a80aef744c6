import fc from 'fast-check';
import { toHex, utf8Decode, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import {
  deriveReceiptKeys,
  generateIntakeKeyPair,
  generateReceiptCode,
  intakeKeyPairFromSecret,
  normaliseReceiptCode,
  openIntakeSubmission,
  openReply,
  padToBucket,
  PADDING_BUCKETS,
  RECEIPT_CODE_BITS,
  sealIntakeSubmission,
  sealReply,
  unpadFromBucket,
} from './intake';
import { initCrypto, lib } from './sodium';
import { EFF_LARGE_WORDLIST } from './wordlist/eff-large';

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

describe('padding', () => {
  it('pads to the smallest bucket and round-trips any payload', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), (payload) => {
        const padded = padToBucket(payload);
        expect(padded.length).toBe(PADDING_BUCKETS.find((b) => b > payload.length));
        expect(Buffer.from(unpadFromBucket(padded)).equals(payload)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('hides length inside a bucket: 1 byte and 1,023 bytes pad alike', () => {
    expect(padToBucket(new Uint8Array(1)).length).toBe(1024);
    expect(padToBucket(new Uint8Array(1023)).length).toBe(1024);
    expect(padToBucket(new Uint8Array(1024)).length).toBe(4096);
    expect(codeOf(() => padToBucket(new Uint8Array(262_144)))).toBe('BAD_INPUT');
    expect(codeOf(() => unpadFromBucket(new Uint8Array(1000)))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => unpadFromBucket(new Uint8Array(1024)))).toBe('BAD_ENVELOPE');
  });
});

describe('intake submissions and replies', () => {
  it('seals a submission to the intake key; only the intake key opens it', () => {
    const intake = generateIntakeKeyPair();
    const { reply } = deriveReceiptKeys(generateReceiptCode());
    const payload = utf8Encode(JSON.stringify({ story: 'I need to leave', contact: 'telegram' }));
    const sealed = sealIntakeSubmission(
      { payload, replyPublicKey: reply.publicKey },
      intake.publicKey,
    );
    expect(sealed.length).toBe(2 + 48 + 2 + 32 + 1024);
    const opened = openIntakeSubmission(sealed, intake);
    expect(utf8Decode(opened.payload)).toContain('I need to leave');
    expect(toHex(opened.replyPublicKey)).toBe(toHex(reply.publicKey));
    expect(codeOf(() => openIntakeSubmission(sealed, generateIntakeKeyPair()))).toBe('AUTH_FAILED');
  });

  it('gives submissions of different lengths in one bucket the same size', () => {
    const intake = generateIntakeKeyPair();
    const replyPublicKey = new Uint8Array(32);
    const short = sealIntakeSubmission(
      { payload: utf8Encode('help'), replyPublicKey },
      intake.publicKey,
    );
    const long = sealIntakeSubmission(
      { payload: new Uint8Array(900).fill(65), replyPublicKey },
      intake.publicKey,
    );
    expect(short.length).toBe(long.length);
  });

  it('round-trips replies to the person, readable only with their receipt code', () => {
    const code = generateReceiptCode();
    const { reply } = deriveReceiptKeys(code);
    const sealed = sealReply(utf8Encode('We can help. Write back when safe.'), reply.publicKey);
    const again = deriveReceiptKeys(code.toUpperCase());
    expect(utf8Decode(openReply(sealed, again.reply))).toBe('We can help. Write back when safe.');
    expect(codeOf(() => openReply(sealed, deriveReceiptKeys(generateReceiptCode()).reply))).toBe(
      'AUTH_FAILED',
    );
  });

  it('refuses malformed, tampered or mislabelled envelopes', () => {
    const intake = generateIntakeKeyPair();
    const sealed = sealIntakeSubmission(
      { payload: utf8Encode('x'), replyPublicKey: new Uint8Array(32) },
      intake.publicKey,
    );
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const tampered = sealed.slice();
        tampered[at % sealed.length] = tampered[at % sealed.length] ^ (1 << bit);
        expect(['AUTH_FAILED', 'BAD_ENVELOPE']).toContain(
          codeOf(() => openIntakeSubmission(tampered, intake)),
        );
      }),
      { numRuns: 200 },
    );
    // A reply presented as a submission (same recipient key): the kind byte refuses it.
    const reply = sealReply(utf8Encode('x'), intake.publicKey);
    expect(codeOf(() => openIntakeSubmission(reply, intake))).toBe('BAD_ENVELOPE');
    const relabelled = reply.slice();
    relabelled[1] = 0x04;
    expect(codeOf(() => openIntakeSubmission(relabelled, intake))).toBe('BAD_ENVELOPE');
  });

  it('checks an opened intake secret against the pinned public key', () => {
    const intake = generateIntakeKeyPair();
    expect(
      toHex(intakeKeyPairFromSecret(intake.privateKey.slice(), intake.publicKey).publicKey),
    ).toBe(toHex(intake.publicKey));
    expect(codeOf(() => intakeKeyPairFromSecret(lib().randombytes_buf(32), intake.publicKey))).toBe(
      'AUTH_FAILED',
    );
  });
});

describe('receipt codes', () => {
  it('are six words from the list, about 77 bits', () => {
    const words = generateReceiptCode().split(' ');
    expect(words).toHaveLength(6);
    for (const word of words) expect(EFF_LARGE_WORDLIST).toContain(word);
    expect(RECEIPT_CODE_BITS).toBeGreaterThan(77);
  });

  it('normalise case, spacing and separators; refuse unknown words and wrong counts', () => {
    expect(normaliseReceiptCode('  Abacus,ZOOM\nyo-yo  drop-down. zebra acid ')).toBe(
      'abacus zoom yo-yo drop-down zebra acid',
    );
    expect(codeOf(() => normaliseReceiptCode('abacus zoom yo-yo drop-down zebra'))).toBe(
      'BAD_INPUT',
    );
    expect(codeOf(() => normaliseReceiptCode('abacus zoom yo-yo drop-down zebra qwertyuiop'))).toBe(
      'BAD_INPUT',
    );
    expect(codeOf(() => normaliseReceiptCode(42 as never))).toBe('BAD_INPUT');
  });

  // Independently computed with Python's hashlib BLAKE2b and the `cryptography` package's
  // X25519 (libs/crypto/vectors/independent-vectors.py).
  it('derive the lookup id and reply key exactly as documented', () => {
    const keys = deriveReceiptKeys('abacus zoom yo-yo drop-down zebra acid');
    expect(keys.lookupId).toBe('2894f769e69a5040a4a8ad0bef56231b');
    expect(toHex(keys.reply.publicKey)).toBe(
      'a3b449d1731c279f668f2ca30674a8f9c0c34d51bb9229d8ee085ed01ff4320c',
    );
  });

  it('derive the same keys from any spelling of the code, and different keys from other codes', () => {
    const a = deriveReceiptKeys('abacus zoom yo-yo drop-down zebra acid');
    const b = deriveReceiptKeys('ABACUS  zoom yo-yo drop-down zebra, acid');
    expect(b.lookupId).toBe(a.lookupId);
    expect(toHex(b.reply.privateKey)).toBe(toHex(a.reply.privateKey));
    const c = deriveReceiptKeys('abacus zoom yo-yo drop-down zebra acorn');
    expect(c.lookupId).not.toBe(a.lookupId);
    // Separate contexts: the lookup id is not a prefix of the reply secret.
    expect(toHex(a.reply.privateKey).startsWith(a.lookupId)).toBe(false);
  });
});
