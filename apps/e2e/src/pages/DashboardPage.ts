import type { Locator, Page, Response } from '@playwright/test';

/** The staff dashboard's shell: header, menu, main content, status line. */
export class DashboardPage {
  readonly header: Locator;
  readonly navigation: Locator;
  readonly main: Locator;
  readonly heading: Locator;
  readonly languageSelect: Locator;
  /** The burger button that opens the menu on narrow screens. */
  readonly menuButton: Locator;
  readonly skipLink: Locator;
  readonly serviceStatus: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByRole('banner');
    this.navigation = page.locator('nav#main-navigation');
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1 });
    this.languageSelect = this.header.getByRole('combobox');
    this.menuButton = this.header.locator('button[aria-controls="main-navigation"]');
    this.skipLink = page.locator('a[href="#main-content"]');
    this.serviceStatus = page.getByRole('contentinfo').getByRole('status');
  }

  /** Opens a dashboard path; returns the document's response. */
  async open(path = '/'): Promise<Response> {
    const response = await this.page.goto(path);
    if (!response) throw new Error(`no response for ${path}`);
    return response;
  }

  navigationLinks(): Locator {
    return this.navigation.getByRole('link');
  }

  async chooseLanguage(code: 'en' | 'ru'): Promise<void> {
    await this.languageSelect.selectOption(code);
  }

  htmlLang(): Promise<string | null> {
    return this.page.locator('html').getAttribute('lang');
  }

  /** The nonce in the meta tag and the nonce each <style> element carries. */
  styleNonces(): Promise<{ meta: string | null; styles: string[]; inlineScripts: number }> {
    return this.page.evaluate(() => ({
      meta: document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? null,
      // The nonce attribute is hidden from getAttribute once applied; the property keeps it.
      styles: [...document.querySelectorAll('style')].map((style) => style.nonce ?? ''),
      inlineScripts: document.querySelectorAll('script:not([src])').length,
    }));
  }
}
