import type { Locator, Page } from '@playwright/test';

/** "My follow-ups": overdue and due this week. */
export class FollowUpsPage {
  readonly due: Locator;
  readonly overdue: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.due = main.getByTestId('follow-ups-due');
    this.overdue = main.getByTestId('follow-ups-overdue');
  }

  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'My follow-ups' }).click();
  }

  item(code: string): Locator {
    return this.page.getByRole('main').locator(`[data-code="${code}"]`);
  }
}
