import type { Locator, Page } from '@playwright/test';

/** Aggregate reports (coordinators and auditors). */
export class ReportsPage {
  readonly heading: Locator;
  readonly total: Locator;
  readonly byStatus: Locator;
  readonly firstContact: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.total = main.getByTestId('report-total');
    this.byStatus = main.getByRole('list', { name: 'Cases by status' });
    this.firstContact = main.getByTestId('median-first-contact');
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
  }
}
