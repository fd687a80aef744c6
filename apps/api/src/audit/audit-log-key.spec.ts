import {
  deriveServerSubkey,
  fromHex,
  initCrypto,
  toBase64,
  toHex,
  verifyAuditCheckpoint,
} from '@haven/crypto';
import { AuditLogKey, ed25519PublicKey, LOG_KEY_SUBKEY } from './audit-log-key';

describe('AuditLogKey', () => {
  beforeAll(() => initCrypto());

  it('computes Ed25519 public keys as RFC 8032 does (test vectors 1-3)', () => {
    const vectors = [
      [
        '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
        'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      ],
      [
        '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
        '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      ],
      [
        'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
        'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      ],
    ];
    for (const [seed, publicKey] of vectors) {
      expect(toHex(ed25519PublicKey(fromHex(seed)))).toBe(publicKey);
    }
  });

  it('is derived from SERVER_SECRET alone: the same secret, the same key', async () => {
    const secret = new Uint8Array(32).fill(7);
    const a = await AuditLogKey.derive(secret);
    const b = await AuditLogKey.derive(secret.slice());
    expect(toHex(a.publicKey)).toBe(toHex(b.publicKey));
    expect(a.fingerprint).toMatch(/^(\d{5} ){5}\d{5}$/);
    // Pinned: changing the subkey id or context would orphan every stored checkpoint.
    expect(LOG_KEY_SUBKEY).toEqual({ id: 5, context: 'hvnalog1' });
    expect(toBase64(a.publicKey)).toBe(
      toBase64(ed25519PublicKey(deriveServerSubkey(secret, 5, 'hvnalog1'))),
    );
    const other = await AuditLogKey.derive(new Uint8Array(32).fill(8));
    expect(toHex(other.publicKey)).not.toBe(toHex(a.publicKey));
  });

  it('signs checkpoints that @haven/crypto verifies with its public key, and no other', async () => {
    const key = await AuditLogKey.derive(new Uint8Array(32).fill(1));
    const head = new Uint8Array(32).fill(9);
    const checkpoint = key.sign(42, head);
    expect(() => verifyAuditCheckpoint(checkpoint, key.publicKey)).not.toThrow();
    expect(() => key.verify(checkpoint)).not.toThrow();
    const other = await AuditLogKey.derive(new Uint8Array(32).fill(2));
    expect(() => verifyAuditCheckpoint(checkpoint, other.publicKey)).toThrow(/does not verify/);
    expect(() => key.verify({ ...checkpoint, seq: 43 })).toThrow(/does not verify/);
  });
});
