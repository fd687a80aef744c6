import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { EnrolmentPage } from './pages/EnrolmentPage';
import { SessionControls } from './pages/SessionControls';
import { SignInPage } from './pages/SignInPage';
import { UsersAdminPage } from './pages/UsersAdminPage';
import { expect, test } from './support/fixtures';
import { SETUP_LINK_FILE, WEB_ORIGIN } from './support/env';
import { Codes, rememberAdmin } from './support/staff';
import type { Authenticator } from './support/totp';

test.use({ locale: 'en-US' });

interface Person {
  username: string;
  password: string;
  authenticator: Authenticator;
}

/** A person at their own browser: their own cookies, their own crypto worker. */
async function browserOf(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: WEB_ORIGIN, locale: 'en-US' });
  return context.newPage();
}

async function signIn(page: Page, person: Person): Promise<void> {
  const signInPage = new SignInPage(page);
  await signInPage.open();
  await signInPage.signIn(person.username, person.password, person.authenticator.code());
  await expect(new SessionControls(page).signedInUser).toHaveText(person.username);
}

// One story, in order: the setup link works once, so the steps share one organisation.
test.describe
  .serial('accounts: setup → invite → accept → certify → sign in → lock → unlock', () => {
  test.setTimeout(120_000);
  const run = randomBytes(3).toString('hex');
  let admin: Person;
  let adminPage: Page;
  let caseworker: Person;
  let caseworkerFingerprint: string;

  test('first-run setup creates the organisation and the first admin', async ({ browser }) => {
    expect(
      existsSync(SETUP_LINK_FILE),
      'the launcher writes the setup link here; the accounts test needs a fresh system',
    ).toBe(true);
    const link = readFileSync(SETUP_LINK_FILE, 'utf8').trim();
    adminPage = await browserOf(browser);
    const setup = new EnrolmentPage(adminPage);
    await setup.open(link);
    await expect(setup.heading).toHaveText('Account setup');
    // The token left the address bar as soon as it was read.
    await expect(adminPage).toHaveURL(`${WEB_ORIGIN}/setup`);
    admin = {
      username: `admin-${run}`,
      password: 'plum orchard at dusk 41',
      authenticator: await setup.enrol(
        `admin-${run}`,
        'plum orchard at dusk 41',
        'Create the organisation and my account',
      ),
    };
    await expect(setup.done).toContainText('Setup is complete.');
    await expect(setup.rootFingerprint).toHaveText(/^(\d{5} ){5}\d{5}$/);

    // The link is spent.
    const again = new EnrolmentPage(await browserOf(browser));
    await again.open(link);
    await expect(again.error).toContainText('This link cannot be used');
  });

  test('the admin signs in with TOTP and invites a caseworker', async () => {
    await signIn(adminPage, admin);
    // Specs that run later (cases, …) sign in as this admin instead of running setup again.
    rememberAdmin({
      username: admin.username,
      password: admin.password,
      codes: new Codes(admin.authenticator.base32, admin.authenticator.lastStep),
    });
    const cookies = await adminPage.context().cookies();
    expect(cookies).toEqual([
      expect.objectContaining({
        name: '__Host-haven_session',
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
        path: '/',
      }),
    ]);
    const users = new UsersAdminPage(adminPage);
    await adminPage.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await expect(users.heading).toHaveText('Users');
    await expect(users.status(admin.username)).toHaveText('Certified');
    const link = await users.invite('Caseworker');
    expect(link).toMatch(new RegExp(`^${WEB_ORIGIN}/invite#token=[A-Za-z0-9_-]{43}$`));

    // The invitee, in their own browser.
    const invitePage = await browserOf(adminPage.context().browser()!);
    const invite = new EnrolmentPage(invitePage);
    await invite.open(link);
    await expect(invite.heading).toHaveText('Invitation');
    await expect(invitePage).toHaveURL(`${WEB_ORIGIN}/invite`);
    await expect(invite.rootFingerprint).toHaveText(/^(\d{5} ){5}\d{5}$/);
    caseworker = {
      username: `cw-${run}`,
      password: 'river stones hum softly',
      authenticator: await invite.enrol(
        `cw-${run}`,
        'river stones hum softly',
        'Create my account',
      ),
    };
    await expect(invite.done).toContainText(`Your account cw-${run} is ready.`);
    caseworkerFingerprint = (await invite.ownFingerprint.innerText()).trim();
    expect(caseworkerFingerprint).toMatch(/^(\d{5} ){5}\d{5}$/);
    await invitePage.context().close();
  });

  test('the admin certifies the caseworker after comparing fingerprints', async () => {
    const users = new UsersAdminPage(adminPage);
    // Through the menu: a reload would lock the dashboard (keys live only in the page's memory).
    const menu = adminPage.getByRole('navigation');
    await menu.getByRole('link', { name: 'Home' }).click();
    await menu.getByRole('link', { name: 'Users' }).click();
    await expect(users.status(caseworker.username)).toHaveText('Awaiting certification');
    await users.openCertification(caseworker.username);
    // What the caseworker reads out must be what the admin's browser computed.
    await expect(users.dialogFingerprint).toHaveText(caseworkerFingerprint);
    await users.confirmCertification();
    await expect(users.certifyDialog).toBeHidden();
    await expect(users.status(caseworker.username)).toHaveText('Certified');
  });

  test('the caseworker signs in with TOTP, locks, and unlocks with the password', async ({
    page,
  }) => {
    await signIn(page, caseworker);
    const controls = new SessionControls(page);
    await expect(page.getByRole('main')).toContainText(`Signed in as ${caseworker.username}`);
    // The menu offers a caseworker their sections, never the admin's.
    const menu = page.getByRole('navigation');
    await expect(menu.getByRole('link', { name: 'My account' })).toBeVisible();
    await expect(menu.getByRole('link', { name: 'Cases' })).toBeVisible();
    await expect(menu.getByRole('link', { name: 'Users' })).toHaveCount(0);

    await controls.lockNow.click();
    await expect(controls.lockHeading).toBeVisible();
    await expect(page.getByRole('navigation').getByRole('link')).toHaveCount(0);

    // A wrong password keeps it locked.
    await controls.unlockWith('not my password at all');
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('Wrong password.');
    await expect(controls.lockHeading).toBeVisible();

    await controls.unlockWith(caseworker.password);
    await expect(controls.lockHeading).toBeHidden();
    await expect(page.getByRole('main')).toContainText(`Signed in as ${caseworker.username}`);

    // The account page shows the same fingerprint the admin certified.
    await page.getByRole('navigation').getByRole('link', { name: 'My account' }).click();
    await expect(page.getByTestId('own-fingerprint')).toHaveText(caseworkerFingerprint);

    // Signing out wipes everything: no cookie, nothing stored.
    await controls.signOut.click();
    await expect(page).toHaveURL(`${WEB_ORIGIN}/sign-in`);
    expect(await page.context().cookies()).toEqual([]);
  });
});
