import { NONCE_PLACEHOLDER, readStyleNonce } from './style-nonce';

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
