import type { Locator, Page } from '@playwright/test';

/** The coordinator's referral board and its approve-and-assign dialog. */
export class ReferralBoardPage {
  readonly heading: Locator;
  readonly counts: Locator;
  readonly dialog: Locator;
  readonly recipients: Locator;
  readonly fieldsToShare: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.counts = main.getByTestId('board-counts');
    this.dialog = page.getByRole('dialog');
    this.recipients = this.dialog.getByTestId('packet-recipients');
    this.fieldsToShare = this.dialog.getByTestId('fields-to-share');
  }

  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Referrals' }).click();
  }

  count(status: string): Locator {
    return this.counts.locator(`[data-count-status="${status}"]`);
  }

  row(caseCode: string): Locator {
    return this.page.locator(`tr[data-case-code="${caseCode}"]`);
  }

  group(status: string): Locator {
    return this.page.locator(`[data-board-group="${status}"]`);
  }

  async openAssign(caseCode: string): Promise<void> {
    await this.row(caseCode).getByRole('button', { name: 'Approve and assign' }).click();
  }

  async choosePartner(name: string): Promise<void> {
    await this.dialog.getByRole('textbox', { name: 'Partner organisation', exact: true }).click();
    await this.page.getByRole('option', { name: new RegExp(`^${name}\\b`) }).click();
  }

  async submitAssign(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Approve and assign' }).click();
  }
}
