import { DashboardPage } from './pages/DashboardPage';
import { WEB_ORIGIN } from './support/env';
import { expect, test } from './support/fixtures';

test.use({ locale: 'en-US' });

test.describe('dashboard shell', () => {
  test('sends a visitor who is not signed in to "Sign in", the only menu entry', async ({
    page,
  }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.open('/');

    await expect(page).toHaveURL(`${WEB_ORIGIN}/sign-in`);
    await expect(page).toHaveTitle('Sign in · Haven');
    await expect(dashboard.heading).toHaveText('Sign in');
    await expect(dashboard.navigationLinks()).toHaveText(['Sign in']);
    await expect(dashboard.navigationLinks().first()).toHaveAttribute('aria-current', 'page');
    expect(await dashboard.htmlLang()).toBe('en');
  });

  test('keeps pages of staff sections behind sign-in', async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.open('/cases');

    await expect(page).toHaveURL(`${WEB_ORIGIN}/sign-in`);
    await expect(dashboard.heading).toHaveText('Sign in');
  });

  test('reaches the API through its own origin', async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.open('/sign-in');

    await expect(dashboard.serviceStatus).toHaveText('Service available');
  });

  test('is served under its CSP, with the per-response nonce on Mantine styles', async ({
    page,
  }) => {
    const dashboard = new DashboardPage(page);
    const response = await dashboard.open('/sign-in');
    await expect(dashboard.heading).toBeVisible();

    const csp = (await response.headerValue('content-security-policy')) ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const nonce = /style-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();

    const seen = await dashboard.styleNonces();
    expect(seen.meta).toBe(nonce);
    expect(seen.styles.length).toBeGreaterThan(0);
    expect(seen.styles.every((styleNonce) => styleNonce === nonce)).toBe(true);
    expect(seen.inlineScripts).toBe(0);

    // A second load gets a different nonce.
    const again = await dashboard.open('/sign-in');
    const csp2 = (await again.headerValue('content-security-policy')) ?? '';
    expect(csp2).not.toContain(`'nonce-${nonce}'`);
  });

  test('offers a skip link as the first stop for keyboard users', async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.open('/sign-in');
    await expect(dashboard.heading).toBeVisible();

    await page.keyboard.press('Tab');
    await expect(dashboard.skipLink).toBeFocused();
    await expect(dashboard.skipLink).toHaveText('Skip to main content');
    await expect(dashboard.skipLink).toBeInViewport();

    await page.keyboard.press('Enter');
    await expect(dashboard.main).toBeFocused();
    await expect(page).toHaveURL(`${WEB_ORIGIN}/sign-in`);
  });

  test('on a narrow screen keeps the closed menu out of reach until it is opened', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 700 });
    const dashboard = new DashboardPage(page);
    await dashboard.open('/sign-in');
    await expect(dashboard.heading).toBeVisible();
    const signIn = dashboard.navigationLinks().first();

    await expect(signIn).not.toBeInViewport();
    await dashboard.languageSelect.focus();
    await page.keyboard.press('Tab');
    await expect(signIn).not.toBeFocused();

    await dashboard.menuButton.click();
    await expect(dashboard.menuButton).toHaveAttribute('aria-expanded', 'true');
    await expect(signIn).toBeInViewport();
    await dashboard.languageSelect.focus();
    await page.keyboard.press('Tab');
    await expect(signIn).toBeFocused();
  });

  test('loads only from its own origin and keeps nothing on the device', async ({
    page,
    context,
  }) => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const dashboard = new DashboardPage(page);
    await dashboard.open('/sign-in');
    await expect(dashboard.serviceStatus).toHaveText('Service available');

    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => new URL(url).origin !== WEB_ORIGIN)).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    const stored = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      databases: (await indexedDB.databases()).length,
    }));
    expect(stored).toEqual({ local: 0, session: 0, databases: 0 });
  });

  test('reads a setup link from the fragment, removes it from the address bar, and checks it', async ({
    page,
  }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.open('/setup#token=Zk3v_9QpL-2mX8rT4yWb6nHcQ1');

    await expect(dashboard.heading).toHaveText('Account setup');
    await expect(page).toHaveURL(`${WEB_ORIGIN}/setup`);
    // A made-up token is refused by the server.
    await expect(dashboard.main.getByRole('alert')).toContainText('This link cannot be used');
  });

  test('answers an unknown address with "Page not found" inside the shell', async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.open('/no/such/page');

    await expect(dashboard.heading).toHaveText('Page not found');
    await expect(dashboard.navigationLinks()).toHaveText(['Sign in']);
  });
});
