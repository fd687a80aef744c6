import { getNonce } from 'get-nonce';
import { createRequire } from 'node:module';
import { applyStyleNonce, NONCE_PLACEHOLDER, readStyleNonce } from './style-nonce';

/**
 * The <style> injector Mantine's Modal reaches (@mantine/core → react-remove-scroll →
 * react-style-singleton), resolved along that chain and loaded through Jest's registry, so
 * that it shares the `get-nonce` module this spec (and style-nonce.ts) imports.
 */
function styleInjector(): { stylesheetSingleton: () => { add(css: string): void } } {
  let path = require.resolve('@mantine/core');
  for (const next of ['react-remove-scroll', 'react-style-singleton']) {
    path = createRequire(path).resolve(next);
  }
  return jest.requireActual(path);
}

/** A document whose only element is the nonce meta tag (or none). */
function page(content: string | null): Pick<Document, 'querySelector'> {
  return {
    querySelector: (selector: string) =>
      selector === 'meta[name="csp-nonce"]' && content !== null
        ? ({ content } as HTMLMetaElement)
        : null,
  };
}

describe('readStyleNonce', () => {
  it('returns the nonce the server substituted', () => {
    expect(readStyleNonce(page('q0tVZHJ5wq3Kx9Sb1v+/Ag=='))).toBe('q0tVZHJ5wq3Kx9Sb1v+/Ag==');
    expect(readStyleNonce(page('q0tVZHJ5wq3Kx9Sb1v-_Ag'))).toBe('q0tVZHJ5wq3Kx9Sb1v-_Ag');
  });

  it('returns undefined while the placeholder is still there', () => {
    expect(readStyleNonce(page(NONCE_PLACEHOLDER))).toBeUndefined();
  });

  it('returns undefined without the meta tag or with a value that is not a nonce', () => {
    expect(readStyleNonce(page(null))).toBeUndefined();
    expect(readStyleNonce(page(''))).toBeUndefined();
    expect(readStyleNonce(page('short'))).toBeUndefined();
    expect(readStyleNonce(page('"><style>x</style>'))).toBeUndefined();
  });
});

describe('applyStyleNonce', () => {
  interface FakeTag {
    attributes: Record<string, string>;
    setAttribute(name: string, value: string): void;
    appendChild(node: unknown): void;
  }
  const created: FakeTag[] = [];
  const fakeDocument = {
    createElement: (): FakeTag => {
      const tag: FakeTag = {
        attributes: {},
        setAttribute(name, value) {
          this.attributes[name] = value;
        },
        appendChild: () => undefined,
      };
      created.push(tag);
      return tag;
    },
    createTextNode: (text: string) => ({ text }),
    head: { appendChild: () => undefined },
  };

  beforeAll(() => {
    (globalThis as { document?: unknown }).document = fakeDocument;
  });
  afterAll(() => {
    delete (globalThis as { document?: unknown }).document;
  });

  it('gives the nonce to the <style> the modal scroll lock injects (react-style-singleton)', () => {
    const { stylesheetSingleton } = styleInjector();
    const nonce = 'q0tVZHJ5wq3Kx9Sb1v+/Ag==';
    const before = stylesheetSingleton();
    before.add('.x{}');
    expect(created.at(-1)?.attributes.nonce).toBeUndefined();

    applyStyleNonce(nonce);
    expect(getNonce()).toBe(nonce);
    const after = stylesheetSingleton();
    after.add('.y{}');
    expect(created.at(-1)?.attributes.nonce).toBe(nonce);
  });

  it('sets nothing without a nonce', () => {
    applyStyleNonce('AAAAAAAAAAAAAAAAAAAAAA==');
    applyStyleNonce(undefined);
    expect(getNonce()).toBe('AAAAAAAAAAAAAAAAAAAAAA==');
  });
});
