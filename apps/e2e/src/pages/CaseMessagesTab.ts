import type { Locator, Page } from '@playwright/test';

/** The "Messages" tab of a case: its anonymous thread and the reply form. */
export class CaseMessagesTab {
  readonly messages: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.messages = main.getByTestId('case-message');
    this.status = main.getByRole('status');
  }

  async open(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Messages' }).click();
  }

  async reply(text: string): Promise<void> {
    const main = this.page.getByRole('main');
    await main.getByRole('textbox', { name: /^Reply to the person/ }).fill(text);
    await main.getByRole('button', { name: 'Send reply' }).click();
  }
}
