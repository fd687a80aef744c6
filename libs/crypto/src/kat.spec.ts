// Known-answer tests for the libsodium primitives Haven relies on, run through the same thin
// wrappers (primitives.ts) that the envelopes use. Expected values come from published
// specifications or from independent reference implementations, never from this code.
import { fromHex, toHex, utf8Encode } from './bytes';
import { isCryptoError } from './errors';

import { deriveLoginKeys, KDF_FLOOR } from './kdf';
import { aeadDecrypt, aeadEncrypt, seal, sealOpen, sign, verify } from './primitives';
import { initCrypto, lib } from './sodium';

beforeAll(async () => {
  await initCrypto();
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return isCryptoError(error) ? error.code : `non-CryptoError: ${String(error)}`;
  }
  return 'no error';
}

describe('libsodium build', () => {
  it('is the sumo build: crypto_pwhash really is a function at run time', () => {
    const s = lib();
    expect(typeof s.crypto_pwhash).toBe('function');
    expect(s.crypto_pwhash_ALG_ARGON2ID13).toBe(2);
  });
});

describe('XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03, Appendix A.3.1)', () => {
  const key = '808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f';
  const nonce = '404142434445464748494a4b4c4d4e4f5051525354555657';
  const aad = '50515253c0c1c2c3c4c5c6c7';
  const plaintext =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
  const ciphertext =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb' +
    '731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452' +
    '2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
    '21f9664c97637da9768812f615c68b13b52e';
  const tag = 'c0875924c1c7987947deafd8780acf49';

  it('produces the published ciphertext and tag', () => {
    expect(
      toHex(aeadEncrypt(fromHex(key), fromHex(nonce), utf8Encode(plaintext), fromHex(aad))),
    ).toBe(ciphertext + tag);
  });

  it('opens the published ciphertext and refuses it under other additional data', () => {
    const opened = aeadDecrypt(
      fromHex(key),
      fromHex(nonce),
      fromHex(ciphertext + tag),
      fromHex(aad),
    );
    expect(lib().to_string(opened)).toBe(plaintext);
    expect(
      codeOf(() =>
        aeadDecrypt(
          fromHex(key),
          fromHex(nonce),
          fromHex(ciphertext + tag),
          fromHex('50515253c0c1c2c3c4c5c6c8'),
        ),
      ),
    ).toBe('AUTH_FAILED');
  });
});

describe('Argon2id v1.3 (crypto_pwhash, ALG_ARGON2ID13)', () => {
  // Reference implementation (phc-winner-argon2 CLI):
  //   echo -n "123" | ./argon2 ABCDEFGHIJKLMNOP -id -v 13 -k 1024 -t 5   (p = 1, 32-byte output)
  it('matches the reference CLI at m=1 MiB, t=5', () => {
    const s = lib();
    const out = s.crypto_pwhash(
      32,
      '123',
      utf8Encode('ABCDEFGHIJKLMNOP'),
      5,
      1024 * 1024,
      s.crypto_pwhash_ALG_ARGON2ID13,
    );
    expect(toHex(out)).toBe('3c5d010180ba0cf5b6b858cba23b318e42d33088983c404598599c3b029ecac6');
  });

  // At the production floor (m = 64 MiB, t = 3, p = 1). Expected value from the reference C
  // implementation bundled in the npm `argon2` package (argon2.hash with raw: true, type
  // argon2id, memoryCost 65536, timeCost 3, parallelism 1, salt "haven-kat-salt16").
  it('matches the reference implementation at the production floor', () => {
    const s = lib();
    const out = s.crypto_pwhash(
      32,
      'correct horse battery staple',
      utf8Encode('haven-kat-salt16'),
      KDF_FLOOR.opsLimit,
      KDF_FLOOR.memLimitBytes,
      s.crypto_pwhash_ALG_ARGON2ID13,
    );
    expect(toHex(out)).toBe('b6ed00747d85a9c7f9993281f8bd0f6e2bdec8e3f7f39262b0e92e1c087d91c5');
  });

  it('is what deriveLoginKeys runs at the floor: same inputs, same keys; authKey ≠ kek', () => {
    const input = {
      password: 'correct horse battery staple',
      username: 'Anna',
      serverSeed: new Uint8Array(32).fill(7),
      params: { algorithm: 'argon2id13', ...KDF_FLOOR },
    };
    const a = deriveLoginKeys(input);
    const b = deriveLoginKeys({ ...input, username: '  anna ' });
    expect(toHex(a.authKey)).toBe(toHex(b.authKey));
    expect(toHex(a.kek)).toBe(toHex(b.kek));
    expect(toHex(a.authKey)).not.toBe(toHex(a.kek));
  });
});

describe('Ed25519 (RFC 8032, section 7.1)', () => {
  const vectors = [
    {
      name: 'TEST 1',
      seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature:
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2',
      seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature:
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
    {
      name: 'TEST 3',
      seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      message: 'af82',
      signature:
        '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    },
  ];

  it.each(vectors)('$name: derives the public key, signs and verifies', (v) => {
    const { publicKey, privateKey } = lib().crypto_sign_seed_keypair(fromHex(v.seed));
    expect(toHex(publicKey)).toBe(v.publicKey);
    const signature = sign(fromHex(v.message), privateKey);
    expect(toHex(signature)).toBe(v.signature);
    expect(verify(signature, fromHex(v.message), publicKey)).toBe(true);
  });

  it('round-trips and rejects a changed message, signature or key', () => {
    const s = lib();
    const { publicKey, privateKey } = s.crypto_sign_keypair();
    const message = utf8Encode('grant case-1 v1');
    const signature = sign(message, privateKey);
    expect(verify(signature, message, publicKey)).toBe(true);
    expect(verify(signature, utf8Encode('grant case-2 v1'), publicKey)).toBe(false);
    const flipped = signature.slice();
    flipped[10] = flipped[10] ^ 1;
    expect(verify(flipped, message, publicKey)).toBe(false);
    expect(verify(signature, message, s.crypto_sign_keypair().publicKey)).toBe(false);
    expect(verify(signature.subarray(0, 63), message, publicKey)).toBe(false);
  });
});

describe('sealed boxes (crypto_box_seal)', () => {
  it('round-trips, and only the recipient can open', () => {
    const s = lib();
    const alice = s.crypto_box_keypair();
    const mallory = s.crypto_box_keypair();
    const message = utf8Encode('a case key, 32 bytes long.......');
    const sealed = seal(message, alice.publicKey);
    expect(sealed.length).toBe(message.length + 48);
    expect(toHex(sealOpen(sealed, alice.publicKey, alice.privateKey))).toBe(toHex(message));
    expect(codeOf(() => sealOpen(sealed, mallory.publicKey, mallory.privateKey))).toBe(
      'AUTH_FAILED',
    );
    const tampered = sealed.slice();
    tampered[sealed.length - 1] = tampered[sealed.length - 1] ^ 0x80;
    expect(codeOf(() => sealOpen(tampered, alice.publicKey, alice.privateKey))).toBe('AUTH_FAILED');
  });

  it('seals to a fresh ephemeral key each time (libsodium draws it through the pooled source)', () => {
    const alice = lib().crypto_box_keypair();
    const message = new Uint8Array(32);
    const ephemeral = new Set<string>();
    // 2,000 seals use 64,000 random words: the 256-word pool is refilled many times over.
    for (let i = 0; i < 2000; i++)
      ephemeral.add(toHex(seal(message, alice.publicKey).subarray(0, 32)));
    expect(ephemeral.size).toBe(2000);
  });
});
