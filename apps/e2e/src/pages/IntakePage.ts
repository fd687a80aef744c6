import type { Locator, Page, Response } from '@playwright/test';
import { INTAKE_ORIGIN, QUICK_EXIT_URL } from '../support/env';

/** The public intake page. */
export class IntakePage {
  readonly heading: Locator;
  readonly quickExitButton: Locator;
  readonly languageGroup: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.quickExitButton = page.getByRole('banner').getByRole('button').first();
    this.languageGroup = page.getByRole('group');
  }

  async open(): Promise<Response> {
    const response = await this.page.goto(`${INTAKE_ORIGIN}/`);
    if (!response) throw new Error('no response for the intake page');
    return response;
  }

  languageButton(endonym: 'English' | 'Русский'): Locator {
    return this.languageGroup.getByRole('button', { name: endonym });
  }

  /**
   * The tests have no internet: the neutral site quick exit leaves for is answered by a stub
   * page, so the navigation itself can be observed.
   */
  async stubNeutralSite(): Promise<void> {
    await this.page.route(`${QUICK_EXIT_URL}**`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><title>Wikipedia</title><p>neutral page</p>',
      }),
    );
  }

  historyLength(): Promise<number> {
    return this.page.evaluate(() => history.length);
  }

  /** How many entries the page left in web storage. */
  storedItems(): Promise<{ local: number; session: number }> {
    return this.page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
    }));
  }
}
