import type { Locator, Page } from '@playwright/test';

/** "Purge requests" (coordinators), and the "Purge now…" request on a case page. */
export class PurgeRequestsPage {
  readonly heading: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.status = main.getByRole('status');
  }

  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Purge requests' }).click();
  }

  row(code: string): Locator {
    return this.page.locator(`tr[data-case-code="${code}"]`);
  }

  /** On the case page: asks for a purge with the given reason label. */
  async requestFromCasePage(reason: string): Promise<void> {
    await this.page.getByRole('main').getByRole('button', { name: 'Purge now…' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Reason' }).click();
    await this.page.getByRole('option', { name: reason, exact: true }).click();
    await dialog.getByRole('button', { name: 'Ask for the purge' }).click();
  }

  async confirm(code: string): Promise<void> {
    await this.row(code).getByRole('button', { name: 'Confirm purge…' }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Destroy it' }).click();
  }
}
