import { IntakePage } from './pages/IntakePage';
import { INTAKE_ORIGIN, QUICK_EXIT_URL } from './support/env';
import { expect, test } from './support/fixtures';

test.use({ locale: 'en-US' });

test.describe('intake page', () => {
  test('loads from its own origin only, under its CSP, and leaves nothing behind', async ({
    page,
    context,
  }) => {
    const requested: string[] = [];
    const setCookies: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('response', async (response) => {
      const cookie = await response.headerValue('set-cookie');
      if (cookie !== null) setCookies.push(response.url());
    });
    const intake = new IntakePage(page);

    const response = await intake.open();
    await expect(intake.heading).toHaveText('Contact the hotline safely');
    await expect(intake.quickExitButton).toHaveText('Quick exit');
    await expect(intake.sendButton).toHaveText('Send securely');

    const csp = (await response.headerValue('content-security-policy')) ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('nonce-');
    expect(await response.headerValue('referrer-policy')).toBe('no-referrer');

    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => new URL(url).origin !== INTAKE_ORIGIN)).toEqual([]);
    expect(setCookies).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await intake.storedItems()).toEqual({ local: 0, session: 0 });
  });

  test('switches to Russian and back', async ({ page }) => {
    const intake = new IntakePage(page);
    await intake.open();
    await expect(intake.languageButton('English')).toHaveAttribute('aria-pressed', 'true');

    await intake.languageButton('Русский').click();
    await expect(intake.heading).toHaveText('Безопасная связь с горячей линией');
    await expect(intake.quickExitButton).toHaveText('Быстрый выход');
    await expect(intake.languageButton('Русский')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');

    await intake.languageButton('English').click();
    await expect(intake.heading).toHaveText('Contact the hotline safely');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });

  test('puts quick exit first in the keyboard order', async ({ page }) => {
    const intake = new IntakePage(page);
    await intake.open();
    await expect(intake.heading).toBeVisible();

    await page.keyboard.press('Tab');
    await expect(intake.quickExitButton).toBeFocused();
  });

  for (const how of ['button', 'Esc key'] as const) {
    test(`quick exit by ${how} leaves for the neutral site without a history entry`, async ({
      page,
    }) => {
      const intake = new IntakePage(page);
      // Where the person came from, e.g. a search page.
      await page.route('https://search.example/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Search</title>' }),
      );
      await intake.stubNeutralSite();
      await page.goto('https://search.example/');
      await intake.open();
      await expect(intake.heading).toBeVisible();
      const before = await intake.historyLength();

      if (how === 'button') await intake.quickExitButton.click();
      else await page.keyboard.press('Escape');

      await page.waitForURL(QUICK_EXIT_URL);
      await expect(page).toHaveTitle('Wikipedia');
      expect(await intake.historyLength()).toBe(before);

      // Back skips the intake page: its history entry was replaced.
      await page.goBack();
      await expect(page).toHaveURL('https://search.example/');
    });
  }
});
