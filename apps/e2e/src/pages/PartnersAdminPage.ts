import type { Locator, Page } from '@playwright/test';

/** The partner directory (admins and coordinators): organisations and their members. */
export class PartnersAdminPage {
  readonly heading: Locator;
  readonly list: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.list = main.getByTestId('partner-list');
  }

  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Partners' }).click();
  }

  row(name: string): Locator {
    return this.page.locator(`tr[data-partner="${name}"]`);
  }

  /** Adds an organisation offering `services` (their English labels). */
  async create(input: {
    name: string;
    services: string[];
    regions?: string;
    languages?: string;
    contact?: string;
  }): Promise<void> {
    await this.page.getByRole('main').getByRole('button', { name: 'Add a partner' }).click();
    const form = this.page.getByRole('form', { name: 'Partner organisation' });
    await form.getByRole('textbox', { name: /^Name/ }).fill(input.name);
    for (const service of input.services) {
      await form.getByRole('checkbox', { name: service, exact: true }).check();
    }
    if (input.regions) await form.getByRole('textbox', { name: /^Regions/ }).fill(input.regions);
    if (input.languages)
      await form.getByRole('textbox', { name: /^Languages/ }).fill(input.languages);
    if (input.contact)
      await form.getByRole('textbox', { name: /^Secure contact instructions/ }).fill(input.contact);
    await form.getByRole('button', { name: 'Save' }).click();
  }

  /** Opens the members dialog of an organisation and returns it. */
  async members(name: string): Promise<Locator> {
    await this.row(name)
      .getByRole('button', { name: /certified of/ })
      .click();
    return this.page.getByRole('dialog');
  }
}
