import type { Locator, Page } from '@playwright/test';

/** The auditor's dashboard: chain status, the filters, the event table, the person view. */
export class AuditLogPage {
  readonly heading: Locator;
  readonly chainStatus: Locator;
  readonly logKeyFingerprint: Locator;
  readonly lastCheckpoint: Locator;
  readonly downloadCheckpoints: Locator;
  readonly exportCsv: Locator;
  readonly events: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.chainStatus = main.getByTestId('chain-status');
    this.logKeyFingerprint = main.getByTestId('log-key-fingerprint');
    this.lastCheckpoint = main.getByTestId('last-checkpoint');
    this.downloadCheckpoints = main.getByRole('button', { name: 'Download checkpoints' });
    this.exportCsv = main.getByRole('button', { name: 'Export CSV' });
    this.events = main.getByRole('table', { name: 'Audit events' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
  }

  /** Fills the filters that are given and applies them. */
  async filter(by: { caseCode?: string; action?: string }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Filter the log' });
    if (by.caseCode !== undefined) {
      await form.getByRole('textbox', { name: 'Case code or target' }).fill(by.caseCode);
    }
    if (by.action !== undefined) {
      await form.getByRole('textbox', { name: 'Action', exact: true }).fill(by.action);
    }
    await form.getByRole('button', { name: 'Apply' }).click();
  }

  /** Rows of the event table (header excluded). */
  rows(): Locator {
    return this.events.locator('tbody tr');
  }

  /** One column of the event table: 0 seq, 3 person, 5 action, 6 target, 7 outcome. */
  column(index: number): Locator {
    return this.events.locator(`tbody tr td:nth-child(${index + 1})`);
  }
}
