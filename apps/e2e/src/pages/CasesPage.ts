import type { Locator, Page } from '@playwright/test';

/** "Cases": the list, find-by-code, and the new-case form. */
export class CasesPage {
  readonly heading: Locator;
  readonly list: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.list = main.getByTestId('case-list');
  }

  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Cases' }).click();
  }

  row(code: string): Locator {
    return this.page.locator(`tr[data-code="${code}"]`);
  }

  async openCase(code: string): Promise<void> {
    await this.row(code).getByRole('link', { name: code }).click();
  }

  /** Fills the new-case form with the fields a first call usually gives, then opens the case. */
  async createCase(input: {
    alias: string;
    phone: string;
    situation: string;
    supervisor: string;
  }): Promise<void> {
    const main = this.page.getByRole('main');
    await main.getByRole('link', { name: 'New case' }).click();
    await main.getByRole('textbox', { name: /^Alias/ }).fill(input.alias);
    await main.getByRole('textbox', { name: /^Supervising coordinator/ }).click();
    await this.page.getByRole('option', { name: input.supervisor, exact: true }).click();
    await main.getByRole('button', { name: 'Add a channel' }).click();
    await main.getByRole('textbox', { name: /^Number or handle/ }).fill(input.phone);
    await main.getByRole('textbox', { name: /^Situation/ }).fill(input.situation);
    await main.getByRole('checkbox', { name: 'Evacuation' }).check();
    await main.getByRole('checkbox', { name: 'Agrees to be contacted' }).check();
    await main.getByRole('button', { name: 'Open case' }).click();
  }
}
