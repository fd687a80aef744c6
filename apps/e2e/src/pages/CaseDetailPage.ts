import type { Locator, Page } from '@playwright/test';

/** One case: header, profile, timeline (contact log) and access tabs. */
export class CaseDetailPage {
  readonly code: Locator;
  readonly assignee: Locator;
  readonly profile: Locator;
  readonly timelineEntries: Locator;
  readonly grants: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.code = main.getByTestId('case-code');
    this.assignee = main.getByTestId('case-assignee');
    this.profile = main.getByTestId('profile-view');
    this.timelineEntries = main.getByTestId('timeline').locator('li');
    this.grants = main.getByTestId('grant-list').locator('tbody tr');
    this.status = main.locator('[data-status]').first();
  }

  async tab(name: 'Profile' | 'Timeline' | 'Referrals' | 'Access'): Promise<void> {
    await this.page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  }

  /** Logs a contact on the timeline tab; `followUpOn` is a yyyy-mm-dd day. */
  async logContact(input: { summary: string; nextStep?: string; followUpOn?: string }) {
    const form = this.page.getByRole('form', { name: 'Log a contact' });
    await form.getByRole('textbox', { name: /^What was said/ }).fill(input.summary);
    if (input.nextStep)
      await form.getByRole('textbox', { name: /^Next step/ }).fill(input.nextStep);
    if (input.followUpOn) await form.getByLabel(/^Follow up on/).fill(input.followUpOn);
    await form.getByRole('button', { name: 'Add to timeline' }).click();
  }

  /** Access tab, coordinators: reassign to `caseworker`, removing the previous assignee. */
  async reassign(caseworker: string): Promise<void> {
    const main = this.page.getByRole('main');
    await main.getByRole('textbox', { name: /^Caseworker/ }).click();
    await this.page.getByRole('option', { name: caseworker, exact: true }).click();
    await main.getByRole('button', { name: 'Assign', exact: true }).click();
  }

  grantRow(username: string): Locator {
    return this.page.locator(`[data-testid="grant-list"] tr[data-username="${username}"]`);
  }
}
