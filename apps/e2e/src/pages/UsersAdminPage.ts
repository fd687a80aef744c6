import type { Locator, Page } from '@playwright/test';

/** The admin's users page: invitations, the accounts table, the certification dialog. */
export class UsersAdminPage {
  readonly heading: Locator;
  readonly invitationLink: Locator;
  readonly certifyDialog: Locator;
  readonly dialogFingerprint: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.invitationLink = main.getByTestId('invitation-link');
    this.certifyDialog = page.getByRole('dialog');
    this.dialogFingerprint = this.certifyDialog.getByTestId('certify-fingerprint');
  }

  /**
   * Creates an invitation for `role` and returns the one-time link shown. A partner invitation
   * names the partner organisation the account will belong to.
   */
  async invite(role: string, partnerOrg?: string): Promise<string> {
    const main = this.page.getByRole('main');
    await main.getByRole('textbox', { name: 'Role', exact: true }).click();
    await this.page.getByRole('option', { name: role, exact: true }).click();
    if (partnerOrg) {
      await main.getByRole('textbox', { name: 'Partner organisation', exact: true }).click();
      await this.page.getByRole('option', { name: partnerOrg, exact: true }).click();
    }
    await main.getByRole('button', { name: 'Create invitation link' }).click();
    return (await this.invitationLink.innerText()).trim();
  }

  row(username: string): Locator {
    return this.page.locator(`tr[data-username="${username}"]`);
  }

  status(username: string): Locator {
    return this.row(username).locator('.mantine-Badge-root');
  }

  async openCertification(username: string): Promise<void> {
    await this.row(username).getByRole('button', { name: 'Certify' }).click();
  }

  async confirmCertification(): Promise<void> {
    await this.certifyDialog.getByLabel('All six groups match what the person read out').check();
    await this.certifyDialog.getByRole('button', { name: 'Certify' }).click();
  }

  /** Disables an account, confirming in the dialog. */
  async disable(username: string): Promise<void> {
    await this.row(username).getByRole('button', { name: 'Disable' }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
  }
}
