import type { Locator, Page } from '@playwright/test';

/** "Retention & lockdown" (admins): retention periods and the emergency lockdown switch. */
export class RetentionSettingsPage {
  readonly heading: Locator;
  readonly closedCaseDays: Locator;
  readonly auditLogForever: Locator;
  readonly auditLogDays: Locator;
  readonly save: Locator;
  readonly saved: Locator;
  readonly error: Locator;
  readonly lockdownConfirmation: Locator;
  readonly enterLockdown: Locator;
  readonly liftLockdown: Locator;
  readonly banner: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.closedCaseDays = main.getByRole('textbox', { name: 'Closed cases', exact: true });
    this.auditLogForever = main.getByRole('checkbox', { name: 'Keep forever' });
    this.auditLogDays = main.getByRole('textbox', { name: /^Keep for \(days/ });
    this.save = main.getByRole('button', { name: 'Save retention settings' });
    this.saved = main.getByRole('status').filter({ hasText: 'Saved.' });
    this.error = main.getByRole('alert');
    this.lockdownConfirmation = main.getByRole('textbox', { name: /^Type LOCKDOWN/ });
    this.enterLockdown = main.getByRole('button', { name: 'Enter lockdown now' });
    this.liftLockdown = main.getByRole('button', { name: 'Lift lockdown' });
    this.banner = main.getByTestId('lockdown-banner');
  }

  async openFromMenu(): Promise<void> {
    await this.page
      .getByRole('navigation')
      .getByRole('link', { name: 'Retention & lockdown' })
      .click();
  }

  /** Audit-log retention: a number of days (unticks "Keep forever"). */
  async setAuditLogDays(value: string): Promise<void> {
    if (await this.auditLogForever.isChecked()) await this.auditLogForever.uncheck();
    await this.auditLogDays.fill(value);
    await this.save.click();
  }

  async setClosedCaseDays(value: string): Promise<void> {
    await this.closedCaseDays.fill(value);
    await this.save.click();
  }
}
