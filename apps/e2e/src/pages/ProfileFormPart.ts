import type { Locator, Page } from '@playwright/test';

/** Every free-text field of the case profile form (new case, and "Edit profile"). */
export interface ProfileText {
  alias: string;
  /** A messenger channel: the app's name, the handle, how to use it safely. */
  channelApp: string;
  channelValue: string;
  channelNote: string;
  safeTimes: string;
  /** One language, added as a tag. */
  language: string;
  location: string;
  situation: string;
  risks: string;
}

/** The profile form inside `scope` (the main area of the new-case or the case page). */
export class ProfileFormPart {
  constructor(
    readonly page: Page,
    readonly scope: Locator,
  ) {}

  /** Fills every text field; adds one messenger channel after any that exist. */
  async fill(text: ProfileText): Promise<void> {
    const s = this.scope;
    await s.getByRole('textbox', { name: /^Alias/ }).fill(text.alias);
    await s.getByRole('button', { name: 'Add a channel' }).click();
    await s.getByRole('textbox', { name: /^Type/ }).last().click();
    await this.page.getByRole('option', { name: 'Messenger', exact: true }).click();
    await s
      .getByRole('textbox', { name: /^Messenger/ })
      .last()
      .fill(text.channelApp);
    await s
      .getByRole('textbox', { name: /^Number or handle/ })
      .last()
      .fill(text.channelValue);
    await s
      .getByRole('textbox', { name: /^How to use it safely/ })
      .last()
      .fill(text.channelNote);
    await s.getByRole('textbox', { name: /^Safe times to contact/ }).fill(text.safeTimes);
    const languages = s.getByRole('textbox', { name: /^Languages/ });
    await languages.fill(text.language);
    await languages.press('Enter');
    await s.getByRole('textbox', { name: /^Rough location/ }).fill(text.location);
    await s.getByRole('textbox', { name: /^Situation/ }).fill(text.situation);
    await s.getByRole('textbox', { name: /^Risks/ }).fill(text.risks);
  }
}
