import type { Locator, Page } from '@playwright/test';

/** The coordinators' intake triage queue, and the intake key's handover page. */
export class TriagePage {
  readonly heading: Locator;
  readonly submissions: Locator;
  readonly followUps: Locator;
  readonly keyPanel: Locator;
  readonly rotationPanel: Locator;
  readonly rotationFingerprint: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.submissions = main.getByTestId('triage-submission');
    this.followUps = main.getByTestId('triage-follow-up');
    this.keyPanel = main.getByTestId('intake-key-panel');
    this.rotationPanel = main.getByTestId('intake-rotation-panel');
    this.rotationFingerprint = main.getByTestId('intake-rotation-fingerprint');
  }

  /** A coordinator who holds the key proposes a new one; returns its fingerprint as shown. */
  async startRotation(): Promise<string> {
    await this.rotationPanel.getByRole('button', { name: /^Start (a|the) rotation/ }).click();
    const proposed = this.rotationPanel.getByRole('status').filter({
      hasText: 'Rotation proposed.',
    });
    await proposed.waitFor();
    const match = /fingerprint: ([\d ]+)$/.exec((await proposed.innerText()).trim());
    if (!match) throw new Error('no fingerprint in the proposal message');
    return match[1].trim();
  }

  /** The admin who holds the root signs the proposed key. */
  async approveRotation(): Promise<void> {
    await this.rotationPanel.getByRole('button', { name: 'Sign and approve the new key' }).click();
  }

  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Intake' }).click();
  }

  async handOverKey(): Promise<void> {
    await this.keyPanel.getByRole('button', { name: 'Hand over the intake key' }).click();
  }

  submission(text: string): Locator {
    return this.submissions.filter({ hasText: text });
  }

  /** Converts the submission showing `text` into a case; returns the new case code. */
  async convert(text: string, alias: string, caseworker: string): Promise<string> {
    const card = this.submission(text);
    await card.getByRole('button', { name: 'Convert to a new case' }).click();
    await card.getByRole('textbox', { name: /^Alias for the case/ }).fill(alias);
    await card.getByRole('textbox', { name: /^Caseworker/ }).click();
    await this.page.getByRole('option', { name: caseworker, exact: true }).click();
    await card.getByRole('button', { name: 'Create the case' }).click();
    // The card leaves the queue; the page says where the submission went.
    const link = this.page.getByRole('main').getByTestId('triage-case-link');
    await link.waitFor();
    return (await link.innerText()).trim();
  }

  async fileFollowUp(caseCode: string): Promise<void> {
    await this.followUps
      .filter({ hasText: caseCode })
      .first()
      .getByRole('button', { name: 'File into the case' })
      .click();
  }
}
