import type { Locator, Page } from '@playwright/test';

/** The Referrals tab of a case: consent, the propose form and the case's referrals. */
export class CaseReferralsTab {
  readonly consentState: Locator;
  readonly referrals: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.consentState = main.getByTestId('consent-state');
    this.referrals = main.getByTestId('case-referral');
  }

  async recordConsent(): Promise<void> {
    await this.page.getByRole('main').getByRole('button', { name: 'Record consent' }).click();
  }

  /** Proposes a referral; `fields` are the English labels of the fields to tick (besides Needs). */
  async propose(input: {
    service: string;
    urgency: string;
    dueOn?: string;
    reason: string;
    fields: string[];
    note?: string;
  }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Propose a referral' });
    await form.getByRole('textbox', { name: 'Service', exact: true }).click();
    await this.page.getByRole('option', { name: input.service, exact: true }).click();
    await form.getByRole('textbox', { name: 'Urgency', exact: true }).click();
    await this.page.getByRole('option', { name: input.urgency, exact: true }).click();
    if (input.dueOn) await form.getByLabel('Due day').fill(input.dueOn);
    await form.getByRole('textbox', { name: /^Reason/ }).fill(input.reason);
    for (const field of input.fields) {
      await form.getByRole('checkbox', { name: field, exact: true }).check();
    }
    if (input.note) {
      await form.getByRole('textbox', { name: /^Note for the assignee/ }).fill(input.note);
    }
    await form.getByRole('button', { name: 'Propose referral' }).click();
  }

  referral(index = 0): Locator {
    return this.referrals.nth(index);
  }

  status(referral: Locator): Locator {
    return referral.locator('[data-referral-status]').first();
  }
}
