/**
 * Issue 6's whole story in Chromium, each person in a browser of their own: an anonymous person
 * submits the intake form → a coordinator (who received the intake key from the setup admin)
 * triages it into a case → the case's caseworker replies from the case page → the person reads
 * the reply with the receipt code and answers → the coordinator files the answer into the case.
 * Then the key is rotated: a second coordinator receives it and is disabled while a form waits
 * in the queue → the first coordinator proposes a new key → the admin who holds the root
 * compares its fingerprint and approves → the waiting form still opens, the leaver holds
 * nothing, and an intake page that fetched the old key gets 409 and re-seals to the new one.
 *
 * Every browser of the flow sends `X-Forwarded-For: 203.0.113.77`. Afterwards the database
 * dump (pg_dump of the launcher's database, HAVEN_DB_URL_FILE) and every log line of the
 * launcher and the API (HAVEN_LOG_FILE) are searched for everything typed and for that address,
 * in every form support/leak-scan.ts lists: none may appear. (canary-scan.e2e.ts does the same
 * for every free-text field of both front ends.)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { CaseMessagesTab } from './pages/CaseMessagesTab';
import { IntakePage } from './pages/IntakePage';
import { TriagePage } from './pages/TriagePage';
import { UsersAdminPage } from './pages/UsersAdminPage';
import { DB_URL_FILE, INTAKE_ORIGIN, LOG_FILE, WEB_ORIGIN } from './support/env';
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
const PSQL = '/usr/lib/postgresql/15/bin/psql';

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
    pending: `pending-${run}-ещё не разобрано`,
    afterRotation: `after-rotation-${run}-новый ключ`,
  };
  let coordinator: StaffMember;
  let second: StaffMember;
  /** GET /api/intake/key as the page saw it before the rotation (a page loaded earlier). */
  let keyBeforeRotation = '';
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

  // ---- rotation of the intake key when a coordinator leaves (docs/intake.md) --------------

  /** One row of SQL against the launcher's database (HAVEN_DB_URL_FILE). */
  const sql = (query: string): string =>
    execFileSync(PSQL, ['-At', '-c', query, readFileSync(DB_URL_FILE, 'utf8').trim()], {
      encoding: 'utf8',
    }).trim();

  test('a second coordinator gets the key, a form waits in the queue, the admin disables the second', async ({
    browser,
  }) => {
    const admin = await organisationAdmin(browser);
    const adminPage = await newBrowserPage(browser);
    await signIn(adminPage, admin);
    second = await enrolStaff(adminPage, 'Coordinator', `triage-coord2-${run}`);

    // The first coordinator hands the key on from the triage page.
    const coordPage = await browserFrom(browser);
    await signIn(coordPage, coordinator);
    const triage = new TriagePage(coordPage);
    await triage.openFromMenu();
    await expect(triage.keyPanel).toContainText(second.username);
    await triage.handOverKey();
    await expect(triage.keyPanel).toContainText('The intake key was handed over.');
    await coordPage.context().close();
    expect(
      sql(
        `SELECT count(*) FROM intake_key_grant g JOIN app_user u ON u.id = g.user_id
          WHERE u.username IN ('${coordinator.username}', '${second.username}')`,
      ),
    ).toBe('2');

    // A person writes; nobody triages it before the rotation.
    const page = await browserFrom(browser);
    const intake = new IntakePage(page);
    await intake.open();
    keyBeforeRotation = await (await page.request.get(`${INTAKE_ORIGIN}/api/intake/key`)).text();
    await intake.fill({
      area: 'I prefer not to say',
      happened: typed.pending,
      urgency: 'Urgent',
      consent: true,
    });
    await intake.sendButton.click();
    await expect(intake.main.getByRole('heading', { name: 'Your message was sent' })).toBeFocused();
    await page.context().close();

    // The admin disables the second coordinator: their grant goes at once.
    const users = new UsersAdminPage(adminPage);
    const menu = adminPage.getByRole('navigation');
    await menu.getByRole('link', { name: 'Home' }).click();
    await menu.getByRole('link', { name: 'Users' }).click();
    await users.disable(second.username);
    await expect(users.status(second.username)).toHaveText('Disabled');
    await adminPage.context().close();
    expect(
      sql(
        `SELECT count(*) FROM intake_key_grant g JOIN app_user u ON u.id = g.user_id
          WHERE u.username = '${second.username}'`,
      ),
    ).toBe('0');
  });

  test('the remaining coordinator rotates the key and the root-holding admin approves it', async ({
    browser,
  }) => {
    const versionBefore = Number(sql('SELECT intake_key_version FROM organisation'));
    const coordPage = await browserFrom(browser);
    await signIn(coordPage, coordinator);
    const coordTriage = new TriagePage(coordPage);
    await coordTriage.openFromMenu();
    await expect(
      coordPage.getByRole('main').getByText('A coordinator who held the intake key has left.'),
    ).toBeVisible();
    await coordPage
      .getByRole('main')
      .getByRole('link', { name: 'Rotate the key on the intake key page.' })
      .click();
    const fingerprint = await coordTriage.startRotation();
    expect(fingerprint).toMatch(/^\d{5}( \d{5}){5}$/);
    await coordPage.context().close();
    // Proposed, not applied: the organisation's key is unchanged until the root signs.
    expect(Number(sql('SELECT intake_key_version FROM organisation'))).toBe(versionBefore);

    const admin = await organisationAdmin(browser);
    const adminPage = await newBrowserPage(browser);
    await signIn(adminPage, admin);
    await openInDashboard(adminPage, '/intake/key', admin);
    const adminTriage = new TriagePage(adminPage);
    // The admin compares the fingerprint the coordinator read out.
    await expect(adminTriage.rotationFingerprint).toHaveText(fingerprint);
    await adminTriage.approveRotation();
    await expect(
      adminTriage.rotationPanel
        .getByRole('status')
        .filter({ hasText: 'The intake key was replaced' }),
    ).toHaveText(`The intake key was replaced (version ${versionBefore + 1}).`);
    await adminPage.context().close();

    expect(sql('SELECT intake_key_version, intake_rotation_due FROM organisation')).toBe(
      `${versionBefore + 1}|f`,
    );
    // Every pending row is sealed to the new key; the leaver holds no grant of any version.
    expect(
      sql(
        `SELECT count(*) FROM intake_submission
          WHERE key_version <> (SELECT intake_key_version FROM organisation)`,
      ),
    ).toBe('0');
    expect(
      sql(
        `SELECT count(*) FROM intake_key_grant g JOIN app_user u ON u.id = g.user_id
          WHERE u.username = '${second.username}'`,
      ),
    ).toBe('0');
  });

  test('after the rotation the earlier form still opens, and a page with the old key re-seals', async ({
    browser,
  }) => {
    // An intake page that fetched the key before the rotation: its first key request is
    // answered with the old key, so its first POST gets 409 and it fetches the key again.
    const page = await browserFrom(browser);
    let staleServed = 0;
    await page.route('**/api/intake/key', async (route) => {
      if (staleServed === 0) {
        staleServed += 1;
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: keyBeforeRotation,
        });
      } else {
        await route.continue();
      }
    });
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/api/intake/submissions')) statuses.push(response.status());
    });
    const intake = new IntakePage(page);
    await intake.open();
    await intake.fill({
      area: 'I prefer not to say',
      happened: typed.afterRotation,
      urgency: 'Not urgent',
      consent: true,
    });
    await intake.sendButton.click();
    await expect(intake.main.getByRole('heading', { name: 'Your message was sent' })).toBeFocused();
    expect(staleServed).toBe(1);
    expect(statuses).toEqual([409, 201]);
    await page.context().close();

    // The remaining coordinator's browser opens both with its new grant: the form that waited
    // through the rotation (re-sealed) and the one sent after it.
    const coordPage = await browserFrom(browser);
    await signIn(coordPage, coordinator);
    const triage = new TriagePage(coordPage);
    await triage.openFromMenu();
    await expect(triage.submission(typed.pending)).toHaveCount(1);
    await expect(triage.submission(typed.afterRotation)).toHaveCount(1);
    await coordPage.context().close();
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
