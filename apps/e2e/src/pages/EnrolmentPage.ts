import type { Locator, Page } from '@playwright/test';
import { Authenticator } from '../support/totp';

/**
 * The two enrolment pages: first-run setup (`/setup#token=…`) and an invitation
 * (`/invite#token=…`). Both show the authenticator secret and ask for a username, a password
 * twice and the first code.
 */
export class EnrolmentPage {
  readonly heading: Locator;
  readonly totpSecret: Locator;
  readonly rootFingerprint: Locator;
  readonly ownFingerprint: Locator;
  readonly done: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.totpSecret = main.getByTestId('totp-secret');
    this.rootFingerprint = main.getByTestId('root-fingerprint');
    this.ownFingerprint = main.getByTestId('own-fingerprint');
    this.done = main.getByRole('status');
    this.error = main.getByRole('alert');
  }

  async open(link: string): Promise<void> {
    await this.page.goto(link);
  }

  /** Fills the form with a code from the secret on screen; returns the person's authenticator. */
  async enrol(username: string, password: string, submit: string): Promise<Authenticator> {
    const main = this.page.getByRole('main');
    const authenticator = Authenticator.fromDisplayed(await this.totpSecret.innerText());
    await main.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
    await main.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
    await main
      .getByRole('textbox', { name: 'Repeat the new password', exact: true })
      .fill(password);
    await main
      .getByRole('textbox', { name: 'Current code from the authenticator app', exact: true })
      .fill(authenticator.code());
    await main.getByRole('button', { name: submit }).click();
    return authenticator;
  }
}
