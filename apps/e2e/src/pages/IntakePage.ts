import type { Locator, Page, Response } from '@playwright/test';
import { INTAKE_ORIGIN, QUICK_EXIT_URL } from '../support/env';

/** What a person fills in on the intake form (English labels). */
export interface IntakeFormInput {
  channels?: ('Signal' | 'Telegram' | 'WhatsApp' | 'Email' | 'Phone call or SMS')[];
  contactDetails?: string;
  safeTimes?: string;
  area?: string;
  region?: string;
  happened?: string;
  needs?: string[];
  urgency?: 'Not urgent' | 'Urgent' | 'Critical';
  consent?: boolean;
}

/** The public intake page. */
export class IntakePage {
  readonly heading: Locator;
  readonly quickExitButton: Locator;
  readonly languageGroup: Locator;
  readonly main: Locator;
  /** The two views: write a message / check for replies. */
  readonly writeTab: Locator;
  readonly repliesTab: Locator;
  readonly sendButton: Locator;
  readonly errorSummary: Locator;
  readonly sendError: Locator;
  readonly receiptWords: Locator;
  readonly receiptDoneButton: Locator;
  readonly receiptCodeInput: Locator;
  readonly showRepliesButton: Locator;
  readonly thread: Locator;
  readonly followUpInput: Locator;
  readonly closeRepliesButton: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.quickExitButton = page.getByRole('banner').getByRole('button').first();
    this.languageGroup = page.getByRole('banner').getByRole('group');
    this.main = page.getByRole('main');
    const views = page.getByRole('navigation');
    this.writeTab = views.getByRole('button').nth(0);
    this.repliesTab = views.getByRole('button').nth(1);
    this.sendButton = this.main.locator('button[type="submit"]');
    this.errorSummary = this.main.locator('.error-summary');
    this.sendError = this.main.locator('.send-error');
    this.receiptWords = this.main.locator('.receipt-words');
    this.receiptDoneButton = this.main.locator('.receipt button');
    this.receiptCodeInput = this.main.locator('#receipt-code');
    this.showRepliesButton = this.main.locator('.replies button[type="submit"]');
    this.thread = this.main.locator('.replies');
    this.followUpInput = this.main.locator('#follow-up');
    this.closeRepliesButton = this.main.locator('.replies button.secondary');
  }

  async open(): Promise<Response> {
    const response = await this.page.goto(`${INTAKE_ORIGIN}/`);
    if (!response) throw new Error('no response for the intake page');
    return response;
  }

  languageButton(endonym: 'English' | 'Русский'): Locator {
    return this.languageGroup.getByRole('button', { name: endonym });
  }

  /** Fills the form through its labels, as a person (or a screen reader user) would. */
  async fill(input: IntakeFormInput): Promise<void> {
    const main = this.main;
    for (const channel of input.channels ?? []) {
      await main.getByRole('checkbox', { name: channel, exact: true }).check();
    }
    if (input.contactDetails !== undefined) {
      await main
        .getByLabel('Your number, username or address for these')
        .fill(input.contactDetails);
    }
    if (input.safeTimes !== undefined) {
      await main.getByLabel('When is it safe to contact you?').fill(input.safeTimes);
    }
    if (input.area !== undefined) {
      await main.getByLabel('Area').selectOption({ label: input.area });
    }
    if (input.region !== undefined) {
      await main.getByLabel('Region, country or city').fill(input.region);
    }
    if (input.happened !== undefined) {
      await main.getByLabel('What happened, and what is happening now?').fill(input.happened);
    }
    for (const need of input.needs ?? []) {
      await main.getByRole('checkbox', { name: need }).check();
    }
    if (input.urgency !== undefined) {
      await main.getByRole('radio', { name: input.urgency, exact: true }).check();
    }
    if (input.consent) {
      await main
        .getByRole('checkbox', { name: /I understand that my message is encrypted/ })
        .check();
    }
  }

  /** The receipt code as shown: six words separated by single spaces. */
  async receiptCode(): Promise<string> {
    return ((await this.receiptWords.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** Opens "Check for replies" and enters a code as typed. */
  async openReplies(code: string): Promise<void> {
    await this.repliesTab.click();
    await this.receiptCodeInput.fill(code);
    await this.showRepliesButton.click();
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
