/**
 * Issue 6's whole story in Chromium, each person in a browser of their own: an anonymous person
 * submits the intake form → a coordinator (who received the intake key from the setup admin)
 * triages it into a case → the case's caseworker replies from the case page → the person reads
 * the reply with the receipt code and answers → the coordinator files the answer into the case.
 *
 * Every browser of the flow sends `X-Forwarded-For: 203.0.113.77`. Afterwards the database
 * dump (pg_dump of the launcher's database, HAVEN_DB_URL_FILE) and every log line of the
 * launcher and the API (HAVEN_LOG_FILE) are searched for everything typed and for that address,
 * in every form support/leak-scan.ts lists: none may appear. (canary-scan.e2e.ts does the same
 * for every free-text field of both front ends.)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { CaseMessagesTab } from './pages/CaseMessagesTab';
import { IntakePage } from './pages/IntakePage';
import { TriagePage } from './pages/TriagePage';
import { DB_URL_FILE, LOG_FILE, WEB_ORIGIN } from './support/env';
import { expect, test } from './support/fixtures';
import { addressForms, describeHits, dumpDatabase, scan, serverLogs } from './support/leak-scan';
import {
  enrolStaff,
  giveIntakeKey,
  newBrowserPage,
  openInDashboard,
  organisationAdmin,
  signIn,
  type StaffMember,
} from './support/staff';

test.use({ locale: 'en-US' });

const ADDRESS = '203.0.113.77';

/** A browser of its own that claims, on every request, to come from ADDRESS. */
async function browserFrom(browser: Browser, baseURL = WEB_ORIGIN): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: 'en-US',
    extraHTTPHeaders: { 'X-Forwarded-For': ADDRESS },
  });
  return context.newPage();
}

test.describe.serial('anonymous intake: triage, reply and the scan', () => {
  test.setTimeout(300_000);
  const run = randomBytes(3).toString('hex');
  /** Distinct pieces of text, each typed once, each searched for afterwards. */
  const typed = {
    happened: `happened-${run}-Ахмед забрали телефон`,
    contact: `contact-${run}-signal`,
    region: `region-${run}-Урус-Мартан`,
    reply: `reply-${run}-Мы вас слышим`,
    followUp: `followup-${run}-я у тёти`,
    alias: `Alias ${run}`,
  };
  let coordinator: StaffMember;
  let caseworker: StaffMember;
  let receiptCode = '';
  let caseCode = '';

  test('the admin enrols staff and hands the intake key to coordinators', async ({ browser }) => {
    const admin = await organisationAdmin(browser);
    const adminPage = await newBrowserPage(browser);
    await signIn(adminPage, admin);
    coordinator = await enrolStaff(adminPage, 'Coordinator', `triage-coord-${run}`);
    caseworker = await enrolStaff(adminPage, 'Caseworker', `triage-cw-${run}`);

    await giveIntakeKey(adminPage, coordinator);
    await adminPage.context().close();
  });

  test('a person submits the intake form and keeps the receipt code', async ({ browser }) => {
    const page = await browserFrom(browser);
    const intake = new IntakePage(page);
    await intake.open();
    await intake.fill({
      channels: ['Signal'],
      contactDetails: typed.contact,
      area: 'In Chechnya',
      region: typed.region,
      happened: typed.happened,
      needs: ['Evacuation: getting to a safe place'],
      urgency: 'Critical',
      consent: true,
    });
    await intake.sendButton.click();
    await expect(intake.main.getByRole('heading', { name: 'Your message was sent' })).toBeFocused();
    receiptCode = await intake.receiptCode();
    expect(receiptCode.split(' ')).toHaveLength(6);
    await page.context().close();
  });

  test('the coordinator opens it in the queue and converts it into a case', async ({ browser }) => {
    const page = await browserFrom(browser);
    await signIn(page, coordinator);
    const triage = new TriagePage(page);
    await triage.openFromMenu();
    await expect(triage.heading).toHaveText('Intake triage');
    await expect(triage.submission(typed.happened)).toHaveCount(1);
    await expect(triage.submission(typed.happened)).toContainText(typed.region);
    caseCode = await triage.convert(typed.happened, typed.alias, caseworker.username);
    expect(caseCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    await page.context().close();
  });

  test('the caseworker replies from the case page', async ({ browser }) => {
    const page = await browserFrom(browser);
    await signIn(page, caseworker);
    await openInDashboard(page, `/cases/${caseCode}`, caseworker);
    const detail = new CaseDetailPage(page);
    await expect(detail.code).toHaveText(caseCode);
    await expect(detail.profile).toContainText(typed.alias);
    const messages = new CaseMessagesTab(page);
    await messages.open();
    await expect(messages.messages.first()).toContainText(typed.happened);
    await messages.reply(typed.reply);
    await expect(messages.status.filter({ hasText: 'Reply sent.' })).toBeVisible();
    await expect(messages.messages.last()).toContainText(typed.reply);
    await page.context().close();
  });

  test('the person reads the reply with the receipt code and answers', async ({ browser }) => {
    const page = await browserFrom(browser);
    const intake = new IntakePage(page);
    await intake.open();
    await intake.openReplies(receiptCode);
    await expect(intake.thread.locator('.message.from_staff')).toContainText(typed.reply);
    await intake.followUpInput.fill(typed.followUp);
    await intake.thread.getByRole('button', { name: 'Send securely' }).click();
    await expect(intake.thread.getByRole('status')).toHaveText('Your message was sent.');
    await page.context().close();
  });

  test('the coordinator files the answer into the case, where the caseworker reads it', async ({
    browser,
  }) => {
    const coordPage = await browserFrom(browser);
    await signIn(coordPage, coordinator);
    const triage = new TriagePage(coordPage);
    await triage.openFromMenu();
    await expect(triage.followUps.filter({ hasText: caseCode })).toContainText(typed.followUp);
    await triage.fileFollowUp(caseCode);
    await expect(triage.followUps.filter({ hasText: caseCode })).toHaveCount(0);
    await coordPage.context().close();

    const page = await browserFrom(browser);
    await signIn(page, caseworker);
    await openInDashboard(page, `/cases/${caseCode}`, caseworker);
    const messages = new CaseMessagesTab(page);
    await messages.open();
    await expect(messages.messages.last()).toContainText(typed.followUp);
    await page.context().close();
  });

  test('neither the database dump nor any log holds what was typed or the address', () => {
    test.skip(
      !existsSync(DB_URL_FILE) || !existsSync(LOG_FILE),
      'the launcher was started without HAVEN_DB_URL_FILE / HAVEN_LOG_FILE (a reused server?)',
    );
    const dump = dumpDatabase(readFileSync(DB_URL_FILE, 'utf8').trim());
    // The dump is real: it holds the case created above (codes are metadata, not content).
    expect(dump.bytes).toContain(caseCode);
    const sources = [dump, ...serverLogs(LOG_FILE)];
    expect(sources.find((s) => s.name === 'launcher+api log')?.bytes.length).toBeGreaterThan(0);
    const needles = Object.entries(typed).map(([name, text]) => ({ name, text }));
    const hits = [
      ...scan(sources, needles),
      ...scan(sources, [{ name: 'address', text: ADDRESS }], addressForms),
    ];
    expect(describeHits(hits)).toEqual([]);
  });
});
