import fc from 'fast-check';
import { toHex } from './bytes';
import {
  auditEventHash,
  canonicalJson,
  GENESIS_HASH,
  signAuditCheckpoint,
  verifyAuditChain,
  verifyAuditCheckpoint,
  type ChainedEvent,
} from './audit';
import { CryptoError } from './errors';
import { generateSignKeyPair } from './keys';
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

function sparse(): unknown[] {
  const array: unknown[] = [1];
  array[2] = 3;
  return array;
}

describe('canonical JSON', () => {
  it('sorts keys, drops whitespace and is stable under key order', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0, y: -1.5 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":-1.5,"z":0}}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('agrees with JSON.parse for any JSON value, and is idempotent', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what JSON cannot represent faithfully', () => {
    for (const bad of [
      NaN,
      Infinity,
      undefined,
      () => 1,
      Symbol('s'),
      10n,
      new Date(0),
      new Map(),
      sparse(),
    ]) {
      expect(codeOf(() => canonicalJson({ x: bad }))).toBe('BAD_INPUT');
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(codeOf(() => canonicalJson(cyclic))).toBe('BAD_INPUT');
  });
});

describe('audit hash chain', () => {
  const event = (seq: number, action = 'case.read') => ({
    seq,
    day: '2026-01-02',
    actor: 'u-1',
    role: 'caseworker',
    action,
    target: `C-${seq}`,
    outcome: 'ok',
  });

  function chain(n: number): ChainedEvent[] {
    const out: ChainedEvent[] = [];
    let prev = GENESIS_HASH;
    for (let i = 1; i <= n; i++) {
      const e = event(i);
      const hash = auditEventHash(prev, e);
      out.push({ event: e, prevHash: prev, hash });
      prev = hash;
    }
    return out;
  }

  // Independently computed with Python's hashlib (libs/crypto/vectors/independent-vectors.py).
  it('hashes BLAKE2b-256(prev_hash || canonical event) as documented', () => {
    const e = {
      seq: 1,
      day: '2026-01-02',
      actor: 'u-1',
      role: 'caseworker',
      action: 'login',
      target: null,
      outcome: 'ok',
    };
    expect(toHex(auditEventHash(GENESIS_HASH, e))).toBe(
      '4a3f2438b9348fa7c34389f9e45a380ca6f9b98f353c0b33d6ff996cbcbdd77d',
    );
  });

  it('verifies an intact chain and returns its head', () => {
    const events = chain(20);
    const result = verifyAuditChain(events);
    expect(result).toEqual({ ok: true, head: events[19].hash, count: 20 });
  });

  it('reports the first broken link for a changed, removed or reordered event', () => {
    const changed = chain(10);
    changed[4] = { ...changed[4], event: event(5, 'case.export') };
    expect(verifyAuditChain(changed)).toEqual({ ok: false, brokenAt: 4, reason: 'hash' });

    const removed = chain(10);
    removed.splice(6, 1);
    expect(verifyAuditChain(removed)).toEqual({ ok: false, brokenAt: 6, reason: 'prev_hash' });

    const swapped = chain(10);
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
    expect(verifyAuditChain(swapped)).toEqual({ ok: false, brokenAt: 2, reason: 'prev_hash' });

    const rehashedTail = chain(10);
    rehashedTail[9] = { ...rehashedTail[9], hash: new Uint8Array(32) };
    expect(verifyAuditChain(rehashedTail)).toEqual({ ok: false, brokenAt: 9, reason: 'hash' });
  });

  it('verifies from a checkpoint onwards', () => {
    const events = chain(10);
    expect(verifyAuditChain(events.slice(5), events[4].hash)).toMatchObject({
      ok: true,
      count: 5,
    });
    expect(verifyAuditChain(events.slice(5))).toEqual({
      ok: false,
      brokenAt: 0,
      reason: 'prev_hash',
    });
  });

  it('signs and verifies checkpoints of the chain head', () => {
    const signer = generateSignKeyPair();
    const events = chain(3);
    const checkpoint = signAuditCheckpoint(3, events[2].hash, signer.privateKey);
    expect(codeOf(() => verifyAuditCheckpoint(checkpoint, signer.publicKey))).toBe('no error');
    expect(codeOf(() => verifyAuditCheckpoint({ ...checkpoint, seq: 4 }, signer.publicKey))).toBe(
      'BAD_SIGNATURE',
    );
    expect(
      codeOf(() =>
        verifyAuditCheckpoint({ ...checkpoint, head: events[1].hash }, signer.publicKey),
      ),
    ).toBe('BAD_SIGNATURE');
    expect(codeOf(() => verifyAuditCheckpoint(checkpoint, generateSignKeyPair().publicKey))).toBe(
      'BAD_SIGNATURE',
    );
  });
});
