import { lengthPrefixed, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { generateIntakeKeyPair } from './intake';
import { signIntakeKey, verifyIntakeKey } from './intake-key';
import { generateSignKeyPair } from './keys';
import { initCrypto, lib } from './sodium';

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

describe('intake key certification', () => {
  it('verifies the root signature over the intake public key', () => {
    const root = generateSignKeyPair();
    const intake = generateIntakeKeyPair();
    const signature = signIntakeKey(intake.publicKey, root);
    expect(signature).toHaveLength(64);
    expect(() => verifyIntakeKey(intake.publicKey, signature, root.publicKey)).not.toThrow();
  });

  it('is an Ed25519 signature over lp("haven/intake-key/v1", intakePublicKey)', () => {
    const root = generateSignKeyPair();
    const intake = generateIntakeKeyPair();
    const message = lengthPrefixed(utf8Encode('haven/intake-key/v1'), intake.publicKey);
    const signature = signIntakeKey(intake.publicKey, root);
    expect(lib().crypto_sign_verify_detached(signature, message, root.publicKey)).toBe(true);
  });

  it('refuses a key the server swapped in, another root, or a tampered signature', () => {
    const root = generateSignKeyPair();
    const intake = generateIntakeKeyPair();
    const signature = signIntakeKey(intake.publicKey, root);

    const swapped = generateIntakeKeyPair().publicKey;
    expect(codeOf(() => verifyIntakeKey(swapped, signature, root.publicKey))).toBe('BAD_SIGNATURE');
    // A server that made its own root and signed its own intake key: the pinned root differs.
    const rogue = generateSignKeyPair();
    const rogueSignature = signIntakeKey(swapped, rogue);
    expect(codeOf(() => verifyIntakeKey(swapped, rogueSignature, root.publicKey))).toBe(
      'BAD_SIGNATURE',
    );
    const flipped = signature.slice();
    flipped[10] ^= 1;
    expect(codeOf(() => verifyIntakeKey(intake.publicKey, flipped, root.publicKey))).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('does not accept a signature made for another purpose with the same root', () => {
    const root = generateSignKeyPair();
    const intake = generateIntakeKeyPair();
    const bare = lib().crypto_sign_detached(intake.publicKey, root.privateKey);
    expect(codeOf(() => verifyIntakeKey(intake.publicKey, bare, root.publicKey))).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('refuses arguments of the wrong shape with BAD_INPUT', () => {
    const root = generateSignKeyPair();
    const intake = generateIntakeKeyPair();
    const signature = signIntakeKey(intake.publicKey, root);
    expect(codeOf(() => signIntakeKey(new Uint8Array(31), root))).toBe('BAD_INPUT');
    expect(codeOf(() => signIntakeKey(intake.publicKey, null as never))).toBe('BAD_INPUT');
    expect(
      codeOf(() => verifyIntakeKey(intake.publicKey, signature.slice(1), root.publicKey)),
    ).toBe('BAD_INPUT');
    expect(codeOf(() => verifyIntakeKey(intake.publicKey, signature, new Uint8Array(64)))).toBe(
      'BAD_INPUT',
    );
    expect(codeOf(() => verifyIntakeKey('key' as never, signature, root.publicKey))).toBe(
      'BAD_INPUT',
    );
  });
});
