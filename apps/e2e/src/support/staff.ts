/**
 * Staff for browser tests that need signed-in, certified people (cases, referrals…), made
 * through the real UI: first-run setup (once per system), invitations, enrolment in the
 * invitee's own browser, certification by the admin after the fingerprint check.
 *
 * The organisation's admin is made at most once per system, by whichever spec needs it first,
 * and remembered in tmp/e2e/organisation.json next to the setup link it used (a fresh system
 * writes a fresh link, which invalidates the file). Each spec then invites its own people.
 * The first coordinator to receive the intake key is remembered there too: once the admin has
 * handed the key over, only a coordinator who holds it can hand it on (`giveIntakeKey`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { EnrolmentPage } from '../pages/EnrolmentPage';
import { SessionControls } from '../pages/SessionControls';
import { SignInPage } from '../pages/SignInPage';
import { TriagePage } from '../pages/TriagePage';
import { UsersAdminPage } from '../pages/UsersAdminPage';
import { SETUP_LINK_FILE, WEB_ORIGIN } from './env';
import { expect } from './fixtures';

const STATE_FILE = join(SETUP_LINK_FILE, '..', 'organisation.json');

/**
 * TOTP codes that are never used twice (the server accepts each code once): the current step,
 * or the next one when the current one was used. The last step is kept with the person.
 */
export class Codes {
  constructor(
    readonly secret: string,
    public lastStep = 0,
  ) {}

  async next(): Promise<string> {
    let now = Math.floor(Date.now() / 30_000);
    if (now <= this.lastStep) {
      // Both the current and (soon) the next step may be used: wait for a fresh one.
      await new Promise((r) => setTimeout(r, (this.lastStep + 1) * 30_000 - Date.now() + 200));
      now = Math.floor(Date.now() / 30_000);
    }
    this.lastStep = now;
    return new TOTP({ secret: Secret.fromBase32(this.secret), digits: 6, period: 30 }).generate({
      timestamp: now * 30_000,
    });
  }
}

export interface StaffMember {
  username: string;
  password: string;
  codes: Codes;
}

/** A browser context of its own: its own cookies and its own crypto worker. */
export async function newBrowserPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: WEB_ORIGIN, locale: 'en-US' });
  return context.newPage();
}

export async function signIn(page: Page, person: StaffMember): Promise<void> {
  const signInPage = new SignInPage(page);
  await signInPage.open();
  await signInPage.signIn(person.username, person.password, await person.codes.next());
  await expect(new SessionControls(page).signedInUser).toHaveText(person.username);
  save(person);
}

interface SavedPerson {
  username: string;
  password: string;
  secret: string;
  lastStep: number;
}

interface Saved {
  link: string;
  admin: SavedPerson;
  /** The coordinator who received the intake key from the admin. */
  keyHolder?: SavedPerson;
}

let admin: StaffMember | undefined;
let keyHolder: StaffMember | undefined;

const toSaved = (p: StaffMember): SavedPerson => ({
  username: p.username,
  password: p.password,
  secret: p.codes.secret,
  lastStep: p.codes.lastStep,
});
const fromSaved = (p: SavedPerson): StaffMember => ({
  username: p.username,
  password: p.password,
  codes: new Codes(p.secret, p.lastStep),
});

function save(person: StaffMember): void {
  if (!admin || (person !== admin && person !== keyHolder) || !existsSync(SETUP_LINK_FILE)) return;
  const saved: Saved = {
    link: readFileSync(SETUP_LINK_FILE, 'utf8').trim(),
    admin: toSaved(admin),
    ...(keyHolder ? { keyHolder: toSaved(keyHolder) } : {}),
  };
  writeFileSync(STATE_FILE, JSON.stringify(saved));
}

/** Enrols through an enrolment page, reading the authenticator secret shown there. */
async function enrol(page: EnrolmentPage, username: string, password: string, submit: string) {
  const secret = (await page.totpSecret.innerText()).replace(/\s+/g, '');
  const codes = new Codes(secret);
  const main = page.page.getByRole('main');
  await main.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
  await main.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
  await main.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill(password);
  await main
    .getByRole('textbox', { name: 'Current code from the authenticator app', exact: true })
    .fill(await codes.next());
  await main.getByRole('button', { name: submit }).click();
  return codes;
}

/**
 * For a spec that ran first-run setup through its own steps (accounts.e2e.ts): later specs
 * reuse that admin instead of finding the setup link spent.
 */
export function rememberAdmin(person: StaffMember): void {
  admin = person;
  save(person);
}

/** The organisation's first admin: made through first-run setup if nobody has yet. */
export async function organisationAdmin(browser: Browser): Promise<StaffMember> {
  if (admin) return admin;
  const link = existsSync(SETUP_LINK_FILE) ? readFileSync(SETUP_LINK_FILE, 'utf8').trim() : '';
  if (existsSync(STATE_FILE)) {
    const saved = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Saved;
    if (saved.link === link) {
      admin = fromSaved(saved.admin);
      keyHolder = saved.keyHolder ? fromSaved(saved.keyHolder) : undefined;
      return admin;
    }
  }
  expect(link, 'the launcher writes the setup link; this system needs first-run setup').not.toBe(
    '',
  );
  const page = await newBrowserPage(browser);
  const setup = new EnrolmentPage(page);
  await setup.open(link);
  const username = `admin-${randomBytes(3).toString('hex')}`;
  const password = 'plum orchard at dusk 41';
  const codes = await enrol(setup, username, password, 'Create the organisation and my account');
  await expect(setup.done).toContainText('Setup is complete.');
  await page.context().close();
  admin = { username, password, codes };
  save(admin);
  return admin;
}

/**
 * Invites a staff member with the admin's browser, lets them enrol in a browser of their own,
 * and certifies their keys. `adminPage` must be signed in as the admin. A partner user belongs
 * to the partner organisation named (which must exist and be active).
 */
export async function enrolStaff(
  adminPage: Page,
  role: 'Caseworker' | 'Coordinator' | 'Partner',
  username: string,
  partnerOrg?: string,
): Promise<StaffMember> {
  const users = new UsersAdminPage(adminPage);
  const menu = adminPage.getByRole('navigation');
  await menu.getByRole('link', { name: 'Home' }).click();
  await menu.getByRole('link', { name: 'Users' }).click();
  const link = await users.invite(role, partnerOrg);
  const browser = adminPage.context().browser();
  if (!browser) throw new Error('no browser');
  const invitePage = await newBrowserPage(browser);
  const invite = new EnrolmentPage(invitePage);
  await invite.open(link);
  if (partnerOrg) {
    await expect(invitePage.getByTestId('invite-partner-org')).toContainText(partnerOrg);
  }
  // Not containing the username: the password rules refuse that.
  const password = `walks by the quiet river ${randomBytes(2).toString('hex')}`;
  const codes = await enrol(invite, username, password, 'Create my account');
  await expect(invite.done).toContainText(`Your account ${username} is ready.`);
  const fingerprint = (await invite.ownFingerprint.innerText()).trim();
  await invitePage.context().close();

  await menu.getByRole('link', { name: 'Home' }).click();
  await menu.getByRole('link', { name: 'Users' }).click();
  await users.openCertification(username);
  await expect(users.dialogFingerprint).toHaveText(fingerprint);
  await users.confirmCertification();
  await expect(users.status(username)).toHaveText('Certified');
  return { username, password, codes };
}

/**
 * Opens a dashboard address directly. Loading a page wipes the keys (they live only in the
 * page's memory), so the dashboard asks for the password again, as it would for a person who
 * reloaded: unlock with it, then the page at `path` opens.
 */
export async function openInDashboard(page: Page, path: string, person: StaffMember) {
  await page.goto(path);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { name: 'Locked' })).toBeVisible();
  await main.getByRole('textbox', { name: 'Password' }).fill(person.password);
  await main.getByRole('button', { name: 'Unlock' }).click();
  await expect(main.getByRole('heading', { name: 'Locked' })).toHaveCount(0);
}

/**
 * Hands the intake key to the certified coordinators who lack it (`coordinator` among them).
 * On a fresh system the admin holds the key and hands it over (its copy is then deleted); on a
 * system where another spec already did that, the coordinator who received it hands it on.
 * `adminPage` must be signed in as the admin.
 */
export async function giveIntakeKey(adminPage: Page, coordinator: StaffMember): Promise<void> {
  if (!admin) throw new Error('organisationAdmin() first');
  const triage = new TriagePage(adminPage);
  await openInDashboard(adminPage, '/intake/key', admin);
  await expect(triage.keyPanel).toBeVisible();
  if ((await triage.keyPanel.getByRole('button').count()) > 0) {
    await expect(triage.keyPanel).toContainText(coordinator.username);
    await triage.handOverKey();
    // The admin's copy is deleted once a coordinator holds the key.
    await expect(triage.keyPanel).toHaveText('The intake key was handed over.');
    keyHolder = coordinator;
    save(admin);
    return;
  }
  if (!keyHolder)
    throw new Error('the admin no longer holds the intake key and no holder is known');
  const browser = adminPage.context().browser();
  if (!browser) throw new Error('no browser');
  const page = await newBrowserPage(browser);
  await signIn(page, keyHolder);
  await openInDashboard(page, '/intake/key', keyHolder);
  const holderView = new TriagePage(page);
  await expect(holderView.keyPanel).toContainText(coordinator.username);
  await holderView.handOverKey();
  await expect(holderView.keyPanel).toHaveText('The intake key was handed over.');
  await page.context().close();
}
