/**
 * The organisation's intake key, certified by its root key. The public intake page fetches the
 * intake public key from the server; a malicious or seized server could hand out a key of its
 * own and read every new submission. So the root (created at first-run setup, its public half
 * pinned in the clients) signs the intake public key, and the page seals a submission only
 * after `verifyIntakeKey` succeeds against the root it trusts.
 */
import { assertBytes, assertObject, lengthPrefixed, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import type { SignKeyPair } from './keys';
import { PUBLIC_KEY_BYTES, sign, SIGNATURE_BYTES, verify } from './primitives';

const INTAKE_KEY_CONTEXT = 'haven/intake-key/v1';

function intakeKeyMessage(intakePublicKey: Uint8Array): Uint8Array {
  return lengthPrefixed(utf8Encode(INTAKE_KEY_CONTEXT), intakePublicKey);
}

/**
 * Ed25519 signature by the root over `lp("haven/intake-key/v1", intakePublicKey)`: 64 bytes.
 * Done once at first-run setup (and again whenever the intake key is rotated).
 */
export function signIntakeKey(intakePublicKey: Uint8Array, root: SignKeyPair): Uint8Array {
  assertBytes(intakePublicKey, 'intakePublicKey', PUBLIC_KEY_BYTES);
  assertObject(root, 'root');
  assertBytes(root.privateKey, 'root privateKey', 64);
  return sign(intakeKeyMessage(intakePublicKey), root.privateKey);
}

/**
 * Returns normally only when `signature` is the root's signature over this intake key;
 * otherwise `BAD_SIGNATURE` (or `BAD_INPUT` for arguments of the wrong size). The caller must
 * get `rootPublicKey` from a trusted channel (the build, or a fingerprint compared out of band),
 * never only from the server that sent the intake key.
 */
export function verifyIntakeKey(
  intakePublicKey: Uint8Array,
  signature: Uint8Array,
  rootPublicKey: Uint8Array,
): void {
  assertBytes(intakePublicKey, 'intakePublicKey', PUBLIC_KEY_BYTES);
  assertBytes(signature, 'signature', SIGNATURE_BYTES);
  assertBytes(rootPublicKey, 'rootPublicKey', PUBLIC_KEY_BYTES);
  if (!verify(signature, intakeKeyMessage(intakePublicKey), rootPublicKey)) {
    throw new CryptoError('BAD_SIGNATURE', 'intake key is not signed by the organisation root');
  }
}
