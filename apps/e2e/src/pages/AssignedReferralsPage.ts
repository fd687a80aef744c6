import type { Locator, Page } from '@playwright/test';

/** The assignee's referral list: partner users (their organisation's packets) and caseworkers. */
export class AssignedReferralsPage {
  readonly heading: Locator;
  readonly referrals: Locator;
  readonly navigationLinks: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.referrals = main.getByTestId('assigned-referral');
    this.navigationLinks = page.getByRole('navigation').getByRole('link');
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Referrals' }).click();
  }

  packet(referral: Locator): Locator {
    return referral.getByTestId('packet');
  }

  field(referral: Locator, field: string): Locator {
    return referral.locator(`[data-field="${field}"]`);
  }

  status(referral: Locator): Locator {
    return referral.locator('[data-referral-status]').first();
  }

  async act(referral: Locator, action: string, note?: string): Promise<void> {
    await referral.getByRole('button', { name: action, exact: true }).click();
    if (note !== undefined) {
      const dialog = this.page.getByRole('dialog');
      await dialog.getByRole('textbox').fill(note);
      await dialog.getByRole('button', { name: action, exact: true }).click();
    }
  }
}
