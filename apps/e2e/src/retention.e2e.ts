import { randomBytes } from 'node:crypto';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { CasesPage } from './pages/CasesPage';
import { PurgeRequestsPage } from './pages/PurgeRequestsPage';
import { RetentionSettingsPage } from './pages/RetentionSettingsPage';
import { SessionControls } from './pages/SessionControls';
import { SignInPage } from './pages/SignInPage';
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
 * Issue 9 in Chromium, each person in their own browser: the admin changes a retention
 * period; coordinator A asks for a case to be purged now and coordinator B confirms it, after
 * which the case's caseworker no longer finds it; the admin enters emergency lockdown, which
 * signs out a caseworker's open dashboard and refuses their sign-in, then lifts it.
 */
test.describe.serial('retention, purge-now and lockdown', () => {
  test.setTimeout(240_000);
  const run = randomBytes(3).toString('hex');
  let admin: StaffMember;
  let coordA: StaffMember;
  let coordB: StaffMember;
  let worker: StaffMember;
  let code = '';

  test('the admin enrols two coordinators and a caseworker, and changes a retention period', async ({
    page,
    browser,
  }) => {
    admin = await organisationAdmin(browser);
    // On the watched page: the certification dialog is a Mantine modal whose scroll lock
    // injects a <style>; it carries the CSP nonce (start.tsx), so no violation is reported.
    await signIn(page, admin);
    coordA = await enrolStaff(page, 'Coordinator', `ret-a-${run}`);
    coordB = await enrolStaff(page, 'Coordinator', `ret-b-${run}`);
    worker = await enrolStaff(page, 'Caseworker', `ret-w-${run}`);

    const settings = new RetentionSettingsPage(page);
    await settings.openFromMenu();
    await expect(settings.heading).toHaveText('Retention & lockdown');
    await expect(settings.closedCaseDays).toHaveValue('90 days');
    await settings.setClosedCaseDays('-5');
    await expect(settings.error).toContainText('closedCaseDays: at least 0 days');
    await settings.setClosedCaseDays('120');
    await expect(settings.saved).toBeVisible();
    // Away and back through the menu (a reload would lock the dashboard): the stored value.
    await page.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await settings.openFromMenu();
    await expect(settings.closedCaseDays).toHaveValue('120 days');
    // The audit log: forever by default; a period below a year is refused, then back to forever.
    await expect(settings.auditLogForever).toBeChecked();
    await settings.setAuditLogDays('100');
    await expect(settings.error).toContainText('auditLogDays: at least 365 days');
    await settings.setAuditLogDays('730');
    await expect(settings.saved).toBeVisible();
    await page.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await settings.openFromMenu();
    await expect(settings.auditLogForever).not.toBeChecked();
    await expect(settings.auditLogDays).toHaveValue('730 days');
    await settings.auditLogForever.check();
    await settings.save.click();
    await expect(settings.saved).toBeVisible();
  });

  test('coordinator A asks for a purge, coordinator B confirms, the case is gone', async ({
    browser,
  }) => {
    const workerPage = await newBrowserPage(browser);
    await signIn(workerPage, worker);
    const cases = new CasesPage(workerPage);
    await cases.openFromMenu();
    await cases.createCase({
      alias: `Purge ${run}`,
      phone: '+7 926 555 98 76',
      situation: 'Asked us to delete everything.',
      supervisor: coordA.username,
    });
    const detail = new CaseDetailPage(workerPage);
    await expect(detail.code).toHaveText(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    code = (await detail.code.innerText()).trim();

    const aPage = await newBrowserPage(browser);
    await signIn(aPage, coordA);
    const aCases = new CasesPage(aPage);
    await aCases.openFromMenu();
    await aCases.openCase(code);
    await expect(new CaseDetailPage(aPage).code).toHaveText(code);
    const aPurge = new PurgeRequestsPage(aPage);
    await aPurge.requestFromCasePage('The person withdrew consent');
    await expect(
      aPage.getByRole('main').getByRole('status').filter({ hasText: 'Purge requested' }),
    ).toBeVisible();
    await aPurge.openFromMenu();
    await expect(aPurge.row(code)).toContainText('Waiting for another coordinator');
    await aPage.context().close();

    const bPage = await newBrowserPage(browser);
    await signIn(bPage, coordB);
    const bPurge = new PurgeRequestsPage(bPage);
    await bPurge.openFromMenu();
    await expect(bPurge.row(code)).toContainText(coordA.username);
    await bPurge.confirm(code);
    await expect(bPurge.status).toContainText(`Case ${code} was purged.`);
    await expect(bPurge.row(code)).toHaveCount(0);
    await bPage.context().close();

    // The caseworker's list no longer has it.
    await cases.openFromMenu();
    await expect(cases.heading).toHaveText('Cases');
    await expect(cases.row(code)).toHaveCount(0);
    // Asking for it directly with the caseworker's session finds nothing (a reload would lock
    // the dashboard, so through the API with the same cookie).
    const direct = await workerPage.request.get(`/api/cases/${code}`, {
      headers: { 'X-Haven-CSRF': '1' },
    });
    expect(direct.status()).toBe(404);
    await workerPage.context().close();
  });

  test('lockdown signs out an open dashboard and refuses its sign-in until lifted', async ({
    page,
    browser,
  }) => {
    const workerPage = await newBrowserPage(browser);
    await signIn(workerPage, worker);
    const cases = new CasesPage(workerPage);
    await cases.openFromMenu();
    await expect(cases.heading).toHaveText('Cases');

    await signIn(page, admin);
    const settings = new RetentionSettingsPage(page);
    await settings.openFromMenu();
    await settings.lockdownConfirmation.fill('LOCKDOWN');
    try {
      await settings.enterLockdown.click();
      await expect(settings.banner).toContainText('Emergency lockdown since');
      await expect(settings.liftLockdown).toBeVisible();

      // The open dashboard notices within its session check (every 20 s) and signs out.
      const signInPage = new SignInPage(workerPage);
      await expect(signInPage.heading).toHaveText('Sign in', { timeout: 45_000 });
      await signInPage.signIn(worker.username, worker.password, await worker.codes.next());
      await expect(signInPage.error).toHaveText(
        'Haven is in emergency lockdown: only administrators can sign in. Contact your coordinator by your agreed safe channel.',
      );
    } finally {
      await settings.liftLockdown.click();
    }
    await expect(settings.banner).toHaveCount(0);
    await expect(settings.enterLockdown).toBeVisible();

    // Lifted: the caseworker signs in again (Argon2id in a fresh worker: allow it time).
    const again = new SignInPage(workerPage);
    await again.open();
    await again.signIn(worker.username, worker.password, await worker.codes.next());
    await expect(new SessionControls(workerPage).signedInUser).toHaveText(worker.username, {
      timeout: 30_000,
    });
    await workerPage.context().close();
  });
});
