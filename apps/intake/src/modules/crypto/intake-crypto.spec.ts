import {
  closeReceipt,
  createRootTrust,
  KeyTrustError,
  loadCrypto,
  normaliseFingerprint,
  openReceipt,
  openStaffReply,
  sealFollowUp,
  sealSubmission,
  trustedIntakeKey,
} from './intake-crypto';

// The library the page loads lazily, loaded the same way here.
let lib: Awaited<ReturnType<typeof loadCrypto>>;

beforeAll(async () => {
  lib = await loadCrypto();
});

function organisation() {
  const root = lib.generateSignKeyPair();
  const intake = lib.generateIntakeKeyPair();
  const key = {
    intakePublicKey: lib.toBase64(intake.publicKey),
    signature: lib.toBase64(lib.signIntakeKey(intake.publicKey, root)),
    rootPublicKey: lib.toBase64(root.publicKey),
    keyVersion: 1,
  };
  return { root, intake, key, fingerprint: lib.fingerprint(root.publicKey, root.publicKey) };
}

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KeyTrustError) return err.problem;
    throw err;
  }
  return 'trusted';
}

describe('trust in the intake key', () => {
  it('accepts the key signed by the pinned root, whatever the fingerprint spacing', () => {
    const org = organisation();
    const trust = createRootTrust(` ${org.fingerprint.replace(/ /g, '-')} `);
    expect(trust.pinnedFingerprint).toBe(normaliseFingerprint(org.fingerprint));
    expect(trustedIntakeKey(lib, org.key, trust)).toEqual(org.intake.publicKey);
  });

  it('refuses another root when a fingerprint is pinned', () => {
    const org = organisation();
    const rogue = organisation();
    expect(
      problemOf(() => trustedIntakeKey(lib, rogue.key, createRootTrust(org.fingerprint))),
    ).toBe('pin_mismatch');
  });

  it('without a pin, trusts the first root of this page load and refuses a switch', () => {
    const org = organisation();
    const trust = createRootTrust(undefined);
    expect(trust.pinnedFingerprint).toBeUndefined();
    expect(createRootTrust('').pinnedFingerprint).toBeUndefined();
    expect(problemOf(() => trustedIntakeKey(lib, org.key, trust))).toBe('trusted');
    expect(problemOf(() => trustedIntakeKey(lib, organisation().key, trust))).toBe('root_changed');
    expect(problemOf(() => trustedIntakeKey(lib, org.key, trust))).toBe('trusted');
  });

  it('refuses an intake key the root did not sign, and malformed keys', () => {
    const org = organisation();
    const swapped = {
      ...org.key,
      intakePublicKey: lib.toBase64(lib.generateIntakeKeyPair().publicKey),
    };
    expect(problemOf(() => trustedIntakeKey(lib, swapped, createRootTrust(org.fingerprint)))).toBe(
      'bad_signature',
    );
    expect(
      problemOf(() =>
        trustedIntakeKey(lib, { ...org.key, signature: 'AAAA' }, createRootTrust(undefined)),
      ),
    ).toBe('malformed');
    expect(
      problemOf(() =>
        trustedIntakeKey(lib, { ...org.key, rootPublicKey: '!' }, createRootTrust(undefined)),
      ),
    ).toBe('malformed');
  });
});

describe('sealing and receipts', () => {
  it('seals what only the intake key opens, under a code that derives the same lookup id', () => {
    const org = organisation();
    const payload = lib.utf8Encode('{"v":1,"happened":"x"}');
    const sealed = sealSubmission(lib, payload.slice(), 'critical', org.intake.publicKey, 1);
    expect(sealed.code.split(' ')).toHaveLength(6);
    expect(sealed.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sealed.body.urgency).toBe('critical');
    const envelope = lib.fromBase64(sealed.body.envelope);
    expect(lib.checkIntakeEnvelope(envelope)).toBe(1024);
    const opened = lib.openIntakeSubmission(envelope, org.intake);
    expect(opened.payload).toEqual(payload);
    const keys = lib.deriveReceiptKeys(sealed.code);
    expect(sealed.body.lookupId).toBe(keys.lookupId);
    expect(opened.replyPublicKey).toEqual(keys.reply.publicKey);
    expect(sealed.body.replyPublicKey).toBe(lib.toBase64(keys.reply.publicKey));
  });

  it('opens a receipt from the typed code, forgiving case and spacing; refuses a bad one', () => {
    const code = lib.generateReceiptCode();
    const typed = `  ${code.toUpperCase().replace(/ /g, ' ,  ')} `;
    const receipt = openReceipt(lib, typed);
    expect(receipt?.lookupId).toBe(lib.deriveReceiptKeys(code).lookupId);
    expect(openReceipt(lib, 'five words are not enough')).toBeNull();
    expect(openReceipt(lib, `${code.split(' ').slice(1).join(' ')} notaword`)).toBeNull();
    closeReceipt(lib, receipt);
    expect(receipt?.reply.privateKey.every((b) => b === 0)).toBe(true);
  });

  it('shows staff replies as text (JSON or plain) and null when they do not open', () => {
    const receipt = openReceipt(lib, lib.generateReceiptCode())!;
    const asJson = lib.sealReply(
      lib.utf8Encode('{"v":1,"text":"We can help."}'),
      receipt.reply.publicKey,
    );
    const asText = lib.sealReply(lib.utf8Encode('Plain answer'), receipt.reply.publicKey);
    const forSomeoneElse = lib.sealReply(
      lib.utf8Encode('Not yours'),
      lib.generateBoxKeyPair().publicKey,
    );
    expect(openStaffReply(lib, receipt, lib.toBase64(asJson))).toBe('We can help.');
    expect(openStaffReply(lib, receipt, lib.toBase64(asText))).toBe('Plain answer');
    expect(openStaffReply(lib, receipt, lib.toBase64(forSomeoneElse))).toBeNull();
    expect(openStaffReply(lib, receipt, 'AQY')).toBeNull();
  });

  it('seals a follow-up to the intake key under the same thread', () => {
    const org = organisation();
    const receipt = openReceipt(lib, lib.generateReceiptCode())!;
    const sealed = sealFollowUp(lib, receipt, lib.utf8Encode('again'), org.intake.publicKey, 1);
    expect(sealed.body.lookupId).toBe(receipt.lookupId);
    const opened = lib.openIntakeSubmission(lib.fromBase64(sealed.body.envelope), org.intake);
    expect(lib.utf8Decode(opened.payload)).toBe('again');
    expect(opened.replyPublicKey).toEqual(receipt.reply.publicKey);
  });
});
