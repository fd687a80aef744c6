import { randomBytes } from 'node:crypto';
import { AssignedReferralsPage } from './pages/AssignedReferralsPage';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { CaseReferralsTab } from './pages/CaseReferralsTab';
import { CasesPage } from './pages/CasesPage';
import { PartnersAdminPage } from './pages/PartnersAdminPage';
import { ReferralBoardPage } from './pages/ReferralBoardPage';
import { expect, test } from './support/fixtures';
import { SessionControls } from './pages/SessionControls';
import {
  enrolStaff,
  newBrowserPage,
  organisationAdmin,
  signIn,
  type StaffMember,
} from './support/staff';

test.use({ locale: 'en-US' });

/**
 * Issue 7's story in Chromium, each person in their own browser: the admin adds a partner
 * organisation and enrols a partner user in it; a caseworker records the person's consent and
 * proposes a referral from the case page; the supervising coordinator approves it and assigns
 * it to the partner (the packet is made and sealed in the coordinator's browser); the partner
 * sees only that packet, decrypted, and accepts, starts and completes it; the caseworker sees
 * the outcome on the case. The partner's shell has no cases at all. Finally the coordinator
 * reassigns the case to another caseworker, which removes the first one and rotates the case
 * key: the rotation re-encrypts the referral's reason and re-wraps its packet key, so the new
 * caseworker reads the reason and the partner's outcome under the new key.
 */
test.describe.serial('referrals to partner organisations', () => {
  test.setTimeout(300_000);
  const run = randomBytes(3).toString('hex');
  const partnerOrg = `Safe Route ${run}`;
  const alias = `Timur ${run}`;
  const phone = '+7 928 444 10 20';
  const outcome = `Reached Moscow safely, shelter arranged ${run}`;
  let coordinator: StaffMember;
  let caseworker: StaffMember;
  let successor: StaffMember;
  let partner: StaffMember;
  let code = '';

  test('the admin adds a partner organisation and enrols a partner user in it', async ({
    browser,
  }) => {
    const admin = await organisationAdmin(browser);
    const page = await newBrowserPage(browser);
    await signIn(page, admin);
    coordinator = await enrolStaff(page, 'Coordinator', `coord-${run}`);
    caseworker = await enrolStaff(page, 'Caseworker', `vera-${run}`);
    successor = await enrolStaff(page, 'Caseworker', `gleb-${run}`);

    const partners = new PartnersAdminPage(page);
    await partners.openFromMenu();
    await expect(partners.heading).toHaveText('Partners');
    await partners.create({
      name: partnerOrg,
      services: ['Evacuation', 'Shelter'],
      regions: 'North Caucasus, Moscow',
      languages: 'ru, en',
      contact: 'Signal group, verified by voice first',
    });
    await expect(partners.row(partnerOrg)).toContainText('Evacuation, Shelter');
    await expect(partners.row(partnerOrg)).toContainText('0 certified of 0');

    partner = await enrolStaff(page, 'Partner', `pia-${run}`, partnerOrg);
    await partners.openFromMenu();
    await expect(partners.row(partnerOrg)).toContainText('1 certified of 1');
    const members = await partners.members(partnerOrg);
    await expect(members.locator(`tr[data-username="${partner.username}"]`)).toContainText(
      'Certified',
    );
    await page.context().close();
  });

  test('a caseworker records consent and proposes a referral from the case page', async ({
    page,
  }) => {
    await signIn(page, caseworker);
    const cases = new CasesPage(page);
    await cases.openFromMenu();
    await cases.createCase({
      alias,
      phone,
      situation: 'Threatened by relatives; must leave this week.',
      supervisor: coordinator.username,
    });
    const detail = new CaseDetailPage(page);
    await expect(detail.code).toHaveText(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    code = (await detail.code.innerText()).trim();

    await detail.tab('Referrals');
    const tab = new CaseReferralsTab(page);
    await expect(tab.consentState).toHaveText('No consent to share with partners is recorded.');
    await tab.recordConsent();
    await expect(tab.consentState).toContainText('The person consented to sharing with partners');

    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await tab.propose({
      service: 'Evacuation',
      urgency: 'Urgent',
      dueOn: due,
      reason: 'Needs to leave the region with a trusted escort.',
      fields: ['Contact and alias', 'Rough location'],
    });
    await expect(tab.referrals).toHaveCount(1);
    const referral = tab.referral();
    await expect(tab.status(referral)).toHaveText('Proposed');
    await expect(referral).toContainText('Needs to leave the region with a trusted escort.');
    await expect(referral).toContainText(`Due ${due}`);
  });

  test('the coordinator approves it and assigns it to the partner', async ({ browser }) => {
    const page = await newBrowserPage(browser);
    await signIn(page, coordinator);
    const board = new ReferralBoardPage(page);
    await board.openFromMenu();
    await expect(board.heading).toHaveText('Referral board');
    await expect(board.group('proposed').locator(`tr[data-case-code="${code}"]`)).toBeVisible();
    await board.openAssign(code);
    await board.choosePartner(partnerOrg);
    await expect(board.recipients).toHaveText(`The packet will be sealed to: ${partner.username}`);
    await expect(board.fieldsToShare).toHaveText(/Contact and alias.*Rough location.*Needs/);
    await expect(board.dialog.getByTestId('consent-info')).toContainText('consented');
    await board.submitAssign();
    await expect(page.getByRole('main').getByRole('status')).toContainText(
      `Referral for ${code} assigned.`,
    );
    await expect(board.group('assigned').locator(`tr[data-case-code="${code}"]`)).toContainText(
      partnerOrg,
    );
    await page.context().close();
  });

  test('the partner sees only that packet, accepts, starts and completes it', async ({
    browser,
  }) => {
    const page = await newBrowserPage(browser);
    await signIn(page, partner);
    const assigned = new AssignedReferralsPage(page);
    // A partner's shell is the referral list alone.
    await expect(assigned.heading).toHaveText('Referrals');
    await expect(assigned.navigationLinks).toHaveText(['Referrals']);
    await expect(page.getByRole('main').getByTestId('partner-org')).toHaveText(partnerOrg);
    await expect(assigned.referrals).toHaveCount(1);
    const referral = assigned.referrals.first();
    await expect(assigned.field(referral, 'contact')).toContainText(alias);
    await expect(assigned.field(referral, 'contact')).toContainText(phone);
    await expect(assigned.field(referral, 'needs')).toContainText('Evacuation');
    // Fields not chosen are not in the packet.
    await expect(assigned.field(referral, 'situation')).toHaveCount(0);
    await expect(referral).not.toContainText('Threatened by relatives');

    await assigned.act(referral, 'Accept');
    await expect(assigned.status(referral)).toHaveText('Accepted');
    await assigned.act(referral, 'Start');
    await expect(assigned.status(referral)).toHaveText('In progress');
    await assigned.act(referral, 'Complete', outcome);
    // Completing deletes the partner's grant: the packet is gone from their list.
    await expect(page.getByRole('main')).toContainText('No referral is waiting for you.');
    await expect(assigned.referrals).toHaveCount(0);
    await page.context().close();
  });

  test('a partner has no cases: no menu entry, and a case address is not found', async ({
    browser,
  }) => {
    const page = await newBrowserPage(browser);
    await signIn(page, partner);
    const nav = page.getByRole('navigation');
    await expect(nav.getByRole('link', { name: 'Referrals' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Cases' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'My follow-ups' })).toHaveCount(0);
    // Loading an address wipes the keys (they live in the page's memory): unlock, then look.
    const controls = new SessionControls(page);
    await page.goto(`/cases/${code}`);
    await controls.unlockWith(partner.password);
    await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toHaveText(
      'Page not found',
    );
    await expect(page.getByRole('main')).not.toContainText(alias);
    await page.goto('/cases');
    await controls.unlockWith(partner.password);
    await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toHaveText(
      'Page not found',
    );
    await page.context().close();
  });

  test('the caseworker sees the outcome on the case', async ({ page }) => {
    await signIn(page, caseworker);
    const cases = new CasesPage(page);
    await cases.openFromMenu();
    await cases.openCase(code);
    const detail = new CaseDetailPage(page);
    await expect(detail.code).toHaveText(code);
    await detail.tab('Referrals');
    const tab = new CaseReferralsTab(page);
    const referral = tab.referral();
    await expect(tab.status(referral)).toHaveText('Completed');
    await expect(referral).toContainText(`assigned to ${partnerOrg}`);
    await expect(referral.getByTestId('referral-timeline')).toContainText(
      'In progress → Completed',
    );
    await expect(referral.getByTestId('transition-note')).toHaveText(outcome);
  });
  test('after a reassignment (key rotation) the new caseworker reads the referral', async ({
    browser,
  }) => {
    const page = await newBrowserPage(browser);
    await signIn(page, coordinator);
    const cases = new CasesPage(page);
    await cases.openFromMenu();
    await cases.openCase(code);
    const detail = new CaseDetailPage(page);
    await expect(detail.code).toHaveText(code);
    await detail.tab('Access');
    await detail.reassign(successor.username);
    await expect(page.getByRole('main').getByRole('status')).toContainText(
      `Assigned to ${successor.username}.`,
    );
    // The previous caseworker is gone and the key rotated (2 grants left, no rotation due).
    await expect(detail.grantRow(caseworker.username)).toHaveCount(0);
    await expect(detail.grants).toHaveCount(2);
    await page.context().close();

    const theirs = await newBrowserPage(browser);
    await signIn(theirs, successor);
    const list = new CasesPage(theirs);
    await list.openFromMenu();
    await list.openCase(code);
    const opened = new CaseDetailPage(theirs);
    await expect(opened.code).toHaveText(code);
    await opened.tab('Referrals');
    const tab = new CaseReferralsTab(theirs);
    const referral = tab.referral();
    await expect(tab.status(referral)).toHaveText('Completed');
    await expect(referral).toContainText('Needs to leave the region with a trusted escort.');
    await expect(referral.getByTestId('transition-note')).toHaveText(outcome);
    await expect(referral).not.toContainText('could not be opened');
    await theirs.context().close();
  });
});
