import type { Locator, Page } from '@playwright/test';

/** The header's session buttons and the lock screen that replaces a page when locked. */
export class SessionControls {
  readonly lockNow: Locator;
  readonly signOut: Locator;
  readonly signedInUser: Locator;
  readonly lockHeading: Locator;
  readonly lockPassword: Locator;
  readonly unlock: Locator;

  constructor(readonly page: Page) {
    const header = page.getByRole('banner');
    this.lockNow = header.getByRole('button', { name: 'Lock now' });
    this.signOut = header.getByRole('button', { name: 'Sign out' });
    this.signedInUser = header.getByTestId('signed-in-user');
    const main = page.getByRole('main');
    this.lockHeading = main.getByRole('heading', { name: 'Locked' });
    this.lockPassword = main.getByRole('textbox', { name: 'Password', exact: true });
    this.unlock = main.getByRole('button', { name: 'Unlock' });
  }

  async unlockWith(password: string): Promise<void> {
    await this.lockPassword.fill(password);
    await this.unlock.click();
  }
}
