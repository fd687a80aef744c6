import { createRootTrust, loadCrypto } from '../crypto/intake-crypto';
import type { Fetch } from './intake-api';
import { sendSubmission } from './send-sealed';

type HavenCrypto = Awaited<ReturnType<typeof loadCrypto>>;
let lib: HavenCrypto;

beforeAll(async () => {
  lib = await loadCrypto();
});

describe('sendSubmission', () => {
  const root = () => lib.generateSignKeyPair();

  type Org = {
    root: ReturnType<HavenCrypto['generateSignKeyPair']>;
    intake: ReturnType<HavenCrypto['generateIntakeKeyPair']>;
    version?: number;
  };

  /**
   * The intake API: `rotateAfterKeyFetch` replaces the key right after the page fetched it
   * (once per entry), as a rotation committed between the page's fetch and its POST would.
   */
  function server(org: Org, rotateAfterKeyFetch: Org[] = []) {
    const posted: { body: string; key: string }[] = [];
    let current = { ...org, version: org.version ?? 1 };
    const fetch: Fetch = async (url, init) => {
      if (url === '/api/intake/key') {
        const answer = new Response(
          JSON.stringify({
            intakePublicKey: lib.toBase64(current.intake.publicKey),
            signature: lib.toBase64(lib.signIntakeKey(current.intake.publicKey, current.root)),
            rootPublicKey: lib.toBase64(current.root.publicKey),
            keyVersion: current.version,
          }),
          { status: 200 },
        );
        const next = rotateAfterKeyFetch.shift();
        if (next) current = { ...next, version: current.version + 1 };
        return answer;
      }
      const headers = init.headers as Record<string, string>;
      posted.push({ body: init.body as string, key: headers['idempotency-key'] });
      const sent = JSON.parse(init.body as string) as { keyVersion: number };
      if (sent.keyVersion !== current.version) {
        return new Response(
          JSON.stringify({ statusCode: 409, message: 'replaced', code: 'INTAKE_KEY_ROTATED' }),
          { status: 409 },
        );
      }
      return new Response('{"status":"received"}', { status: 201 });
    };
    return { fetch, posted, current: () => current };
  }

  it('verifies the key, seals, posts once and returns the receipt code', async () => {
    const org = { root: root(), intake: lib.generateIntakeKeyPair() };
    const net = server(org);
    const result = await sendSubmission(
      lib.utf8Encode('{"v":1}'),
      'urgent',
      createRootTrust(lib.fingerprint(org.root.publicKey, org.root.publicKey)),
      { fetch: net.fetch },
    );
    if (!result.ok) throw new Error(result.problem);
    expect(net.posted).toHaveLength(1);
    const body = JSON.parse(net.posted[0].body) as { envelope: string; lookupId: string };
    expect(body.lookupId).toBe(lib.deriveReceiptKeys(result.value).lookupId);
    const opened = lib.openIntakeSubmission(lib.fromBase64(body.envelope), org.intake);
    expect(lib.utf8Decode(opened.payload)).toBe('{"v":1}');
  });

  it('sends nothing when the root does not match the pinned fingerprint', async () => {
    const org = { root: root(), intake: lib.generateIntakeKeyPair() };
    const other = root();
    const net = server(org);
    const result = await sendSubmission(
      lib.utf8Encode('{"v":1}'),
      'urgent',
      createRootTrust(lib.fingerprint(other.publicKey, other.publicKey)),
      { fetch: net.fetch },
    );
    expect(result).toEqual({ ok: false, problem: 'untrusted' });
    expect(net.posted).toEqual([]);
  });

  it('after a rotation (409 INTAKE_KEY_ROTATED) fetches the new key and seals once more', async () => {
    const org = { root: root(), intake: lib.generateIntakeKeyPair() };
    const rotated = { root: org.root, intake: lib.generateIntakeKeyPair() };
    const net = server(org, [rotated]);
    const payload = lib.utf8Encode('{"v":1,"happened":"help"}');
    const result = await sendSubmission(
      payload,
      'critical',
      createRootTrust(lib.fingerprint(org.root.publicKey, org.root.publicKey)),
      { fetch: net.fetch },
    );
    if (!result.ok) throw new Error(result.problem);
    expect(net.posted).toHaveLength(2);
    const [first, second] = net.posted.map(
      (p) => JSON.parse(p.body) as { envelope: string; keyVersion: number; lookupId: string },
    );
    expect([first.keyVersion, second.keyVersion]).toEqual([1, 2]);
    // A fresh idempotency key for the re-sealed bytes (the refused attempt stored nothing).
    expect(net.posted[0].key).not.toBe(net.posted[1].key);
    // The stored one opens with the new key; the receipt code shown is the one it was sent with.
    const opened = lib.openIntakeSubmission(lib.fromBase64(second.envelope), rotated.intake);
    expect(lib.utf8Decode(opened.payload)).toBe('{"v":1,"happened":"help"}');
    expect(second.lookupId).toBe(lib.deriveReceiptKeys(result.value).lookupId);
    // The caller's plaintext is wiped once sent.
    expect(payload.every((b) => b === 0)).toBe(true);
  });

  it('gives up after one retry, and an ordinary 409 is not retried', async () => {
    const org = { root: root(), intake: lib.generateIntakeKeyPair() };
    const again = server(org, [
      { root: org.root, intake: lib.generateIntakeKeyPair() },
      { root: org.root, intake: lib.generateIntakeKeyPair() },
    ]);
    const trust = createRootTrust(lib.fingerprint(org.root.publicKey, org.root.publicKey));
    expect(
      await sendSubmission(lib.utf8Encode('{}'), 'routine', trust, { fetch: again.fetch }),
    ).toEqual({ ok: false, problem: 'refused' });
    expect(again.posted).toHaveLength(2);

    const conflict: Fetch = async (url) =>
      url === '/api/intake/key'
        ? server(org).fetch(url, {})
        : new Response('{"statusCode":409,"message":"Idempotency-Key reused"}', { status: 409 });
    let posts = 0;
    const counting: Fetch = async (url, init) => {
      if (url !== '/api/intake/key') posts += 1;
      return conflict(url, init);
    };
    expect(
      await sendSubmission(lib.utf8Encode('{}'), 'routine', trust, { fetch: counting }),
    ).toEqual({ ok: false, problem: 'refused' });
    expect(posts).toBe(1);
  });
});
