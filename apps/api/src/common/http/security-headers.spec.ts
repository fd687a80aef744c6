import { CONTENT_SECURITY_POLICY, securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it('sends a CSP that allows nothing a document could do', () => {
    const csp = CONTENT_SECURITY_POLICY.split('; ');
    expect(csp).toEqual([
      "default-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "form-action 'none'",
    ]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('adds HSTS in production only', () => {
    expect(securityHeaders(false)).not.toHaveProperty('strict-transport-security');
    expect(securityHeaders(true)['strict-transport-security']).toBe(
      'max-age=63072000; includeSubDomains',
    );
  });

  it('forbids caching and referrers', () => {
    expect(securityHeaders(false)).toMatchObject({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    });
  });
});
