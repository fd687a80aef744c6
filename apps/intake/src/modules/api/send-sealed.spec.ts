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

  function server(org: {
    root: ReturnType<HavenCrypto['generateSignKeyPair']>;
    intake: ReturnType<HavenCrypto['generateIntakeKeyPair']>;
  }) {
    const posted: { body: string; key: string }[] = [];
    const fetch: Fetch = async (url, init) => {
      if (url === '/api/intake/key') {
        return new Response(
          JSON.stringify({
            intakePublicKey: lib.toBase64(org.intake.publicKey),
            signature: lib.toBase64(lib.signIntakeKey(org.intake.publicKey, org.root)),
            rootPublicKey: lib.toBase64(org.root.publicKey),
          }),
          { status: 200 },
        );
      }
      const headers = init.headers as Record<string, string>;
      posted.push({ body: init.body as string, key: headers['idempotency-key'] });
      return new Response('{"status":"received"}', { status: 201 });
    };
    return { fetch, posted };
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
});
