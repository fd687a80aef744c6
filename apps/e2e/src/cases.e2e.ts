import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { CasesPage } from './pages/CasesPage';
import { FollowUpsPage } from './pages/FollowUpsPage';
import { expect, test } from './support/fixtures';
import {
  enrolStaff,
  newBrowserPage,
  organisationAdmin,
  signIn,
  type StaffMember,
} from './support/staff';

test.use({ locale: 'en-US' });

/**
 * Issue 5's story in Chromium, each person in their own browser: a caseworker opens a case,
 * logs two contacts, sets a follow-up and finds it in "My follow-ups"; the supervising
 * coordinator reassigns the case to another caseworker, which removes the first one's access
 * and rotates the key; the new caseworker reads the case.
 */
test.describe.serial('cases and the contact log', () => {
  test.setTimeout(240_000);
  const run = randomBytes(3).toString('hex');
  let coordinator: StaffMember;
  let first: StaffMember;
  let second: StaffMember;
  let code = '';
  const alias = `Sasha ${run}`;

  test('the admin enrols a coordinator and two caseworkers', async ({ browser }) => {
    const admin = await organisationAdmin(browser);
    const adminPage = await newBrowserPage(browser);
    await signIn(adminPage, admin);
    coordinator = await enrolStaff(adminPage, 'Coordinator', `coord-${run}`);
    first = await enrolStaff(adminPage, 'Caseworker', `anna-${run}`);
    second = await enrolStaff(adminPage, 'Caseworker', `boris-${run}`);
    await adminPage.context().close();
  });

  test('a caseworker opens a case, logs two contacts and sets a follow-up', async ({ page }) => {
    await signIn(page, first);
    const cases = new CasesPage(page);
    await cases.openFromMenu();
    await expect(cases.heading).toHaveText('Cases');
    await cases.createCase({
      alias,
      phone: '+7 926 555 12 34',
      situation: 'Has to leave the region this week.\nFamily found out.',
      supervisor: coordinator.username,
    });
    const detail = new CaseDetailPage(page);
    await expect(detail.code).toHaveText(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    code = (await detail.code.innerText()).trim();
    await expect(detail.profile).toContainText(alias);
    await expect(detail.profile).toContainText('+7 926 555 12 34');
    await expect(detail.assignee).toHaveText(`Assigned to ${first.username}`);

    await detail.tab('Timeline');
    await detail.logContact({ summary: 'First message on Telegram: needs to leave.' });
    await expect(detail.timelineEntries).toHaveCount(1);
    const today = new Date().toISOString().slice(0, 10);
    await detail.logContact({
      summary: 'Called back; bus tickets are possible on Friday.',
      nextStep: 'Confirm the meeting point',
      followUpOn: today,
    });
    await expect(detail.timelineEntries).toHaveCount(2);
    await expect(detail.timelineEntries.nth(1)).toContainText('Confirm the meeting point');
    await expect(detail.timelineEntries.nth(1)).toContainText(`Follow up ${today}`);

    const followUps = new FollowUpsPage(page);
    await followUps.openFromMenu();
    await expect(followUps.due.locator(`[data-code="${code}"]`)).toContainText(
      'Confirm the meeting point',
    );

    // The list shows the case with its decrypted summary.
    await cases.openFromMenu();
    await expect(cases.row(code)).toContainText(alias);
    await expect(cases.row(code)).toContainText('Has to leave the region this week.');
  });

  test('the supervising coordinator reassigns it to another caseworker', async ({ browser }) => {
    const page: Page = await newBrowserPage(browser);
    await signIn(page, coordinator);
    const cases = new CasesPage(page);
    await cases.openFromMenu();
    await expect(cases.row(code)).toContainText(alias);
    await cases.openCase(code);
    const detail = new CaseDetailPage(page);
    await expect(detail.code).toHaveText(code);
    await detail.tab('Access');
    await expect(detail.grantRow(first.username)).toBeVisible();
    await detail.reassign(second.username);
    await expect(page.getByRole('main').getByRole('status')).toContainText(
      `Assigned to ${second.username}.`,
    );
    await expect(detail.assignee).toHaveText(`Assigned to ${second.username}`);
    await expect(detail.grantRow(second.username)).toBeVisible();
    await expect(detail.grantRow(first.username)).toHaveCount(0);
    await expect(detail.grants).toHaveCount(2);
    await page.context().close();
  });

  test('the new caseworker reads the case; the previous one no longer reaches it', async ({
    browser,
  }) => {
    const page = await newBrowserPage(browser);
    await signIn(page, second);
    const cases = new CasesPage(page);
    await cases.openFromMenu();
    await cases.openCase(code);
    const detail = new CaseDetailPage(page);
    await expect(detail.profile).toContainText(alias);
    await detail.tab('Timeline');
    await expect(detail.timelineEntries).toHaveCount(2);
    await page.context().close();

    const previous = await newBrowserPage(browser);
    await signIn(previous, first);
    const theirs = new CasesPage(previous);
    await theirs.openFromMenu();
    await expect(theirs.heading).toHaveText('Cases');
    await expect(theirs.row(code)).toHaveCount(0);
    await previous.context().close();
  });
});
