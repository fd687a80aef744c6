import type { Locator, Page } from '@playwright/test';

/** The sign-in form (username, password, authenticator code). */
export class SignInPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly code: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.username = main.getByRole('textbox', { name: 'Username', exact: true });
    this.password = main.getByRole('textbox', { name: 'Password', exact: true });
    this.code = main.getByRole('textbox', { name: 'Code from the authenticator app', exact: true });
    this.submit = main.getByRole('button', { name: 'Sign in' });
    this.error = main.getByRole('alert');
  }

  async open(): Promise<void> {
    await this.page.goto('/sign-in');
  }

  async signIn(username: string, password: string, code: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.code.fill(code);
    await this.submit.click();
  }
}
