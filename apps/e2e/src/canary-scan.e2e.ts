/**
 * The minimisation proof (DESIGN.md "Tests"): a distinct canary is typed through the real
 * dashboard and intake page into every free-text field that exists, then the database dump
 * (plain `pg_dump`, large objects included), the launcher's and the API's output and
 * PostgreSQL's log files are searched for each canary in every encoding `support/leak-scan.ts`
 * lists: none may appear. Staff passwords and receipt codes, which the server must never learn,
 * are searched for as well.
 *
 * Address scan: every browser here claims `X-Forwarded-For: 203.0.113.77`, and the public
 * intake routes, sign-in and staff routes are also called from Node over a socket bound to
 * 127.0.0.2 (the launcher's own URLs use 127.0.0.1, which therefore appears legitimately):
 * neither address may appear anywhere either.
 *
 * Inventory: the first test reads every free-text input from the front ends' sources
 * (`support/free-text-inventory.ts`) and fails when one is neither in CANARY_FIELDS nor in
 * NOT_CONTENT. A new field is covered by adding it to CANARY_FIELDS and filling
 * `canary('<its name>')` in the step that reaches it.
 *
 * Positive controls prove the scan can fail: a staff username (plaintext by design) is found in
 * the dump, a control string written as a large object is found in it (hex), and a log-like
 * file holding the control string in each encoding is found in every one of them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import pg from 'pg';
import { AssignedReferralsPage } from './pages/AssignedReferralsPage';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { CaseMessagesTab } from './pages/CaseMessagesTab';
import { CaseReferralsTab } from './pages/CaseReferralsTab';
import { IntakePage } from './pages/IntakePage';
import { PartnersAdminPage } from './pages/PartnersAdminPage';
import { ProfileFormPart } from './pages/ProfileFormPart';
import { ReferralBoardPage } from './pages/ReferralBoardPage';
import { TriagePage } from './pages/TriagePage';
import { DB_URL_FILE, INTAKE_ORIGIN, LOG_FILE, PORTS, WEB_ORIGIN } from './support/env';
import { expect, test } from './support/fixtures';
import { freeTextInputs } from './support/free-text-inventory';
import {
  addressForms,
  describeHits,
  dumpDatabase,
  forms,
  scan,
  serverLogs,
  type Needle,
  type ScanSource,
} from './support/leak-scan';
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

/**
 * Every free-text input the scan types a canary into, named as the inventory names them
 * (`<app>/<file>:<label key or field id>`). THE LIST TO EXTEND when a form gains a text field.
 */
const CANARY_FIELDS = [
  'intake/IntakeForm.tsx:contactDetails',
  'intake/IntakeForm.tsx:safeTimes',
  'intake/IntakeForm.tsx:region',
  'intake/IntakeForm.tsx:happened',
  'intake/IntakeForm.tsx:needsOther',
  'intake/RepliesView.tsx:follow-up',
  'web/TriagePage.tsx:triage.alias',
  'web/ProfileForm.tsx:cases.profile.alias',
  'web/ProfileForm.tsx:cases.profile.channelApp',
  'web/ProfileForm.tsx:cases.profile.channelValue',
  'web/ProfileForm.tsx:cases.profile.channelNote',
  'web/ProfileForm.tsx:cases.profile.safeTimes',
  'web/ProfileForm.tsx:cases.profile.languages',
  'web/ProfileForm.tsx:cases.profile.location',
  'web/ProfileForm.tsx:cases.profile.situation',
  'web/ProfileForm.tsx:cases.profile.risks',
  'web/TimelineTab.tsx:cases.timeline.summary',
  'web/TimelineTab.tsx:cases.timeline.nextStep',
  'web/MessagesTab.tsx:triage.messages.replyLabel',
  'web/AccessTab.tsx:cases.access.reason',
  'web/StatusControl.tsx:cases.statusDialog.reason',
  'web/ProposeForm.tsx:referrals.propose.reason',
  'web/ProposeForm.tsx:referrals.propose.notes',
  'web/AssignDialog.tsx:referrals.assign.overrideReason',
  'web/AssignDialog.tsx:referrals.assign.note',
  // One dialog for every note a referral change carries: reject, revoke and cancel reasons,
  // a partner's or an internal caseworker's decline reason and outcome.
  'web/NoteDialog.tsx:note',
] as const;
type CanaryField = (typeof CANARY_FIELDS)[number];

/** Free-text inputs that carry no case content, each with why (and how it is still checked). */
const NOT_CONTENT: Record<string, string> = {
  'intake/RepliesView.tsx:receipt-code':
    'the receipt code never leaves the page (a lookup id and a key are derived from it): scanned for as a secret',
  'web/SignInPage.tsx:auth.username': 'staff usernames are plaintext by design (positive control)',
  'web/EnrolmentForm.tsx:auth.username': 'staff usernames are plaintext by design',
  'web/SignInPage.tsx:auth.password': 'a password: scanned for as a secret',
  'web/LockScreen.tsx:auth.password': 'a password: scanned for as a secret',
  'web/EnrolmentForm.tsx:enrol.newPassword': 'a password: scanned for as a secret',
  'web/EnrolmentForm.tsx:enrol.confirmPassword': 'a password: scanned for as a secret',
  'web/AccountPage.tsx:pages.account.currentPassword': 'a password (KDF output only leaves)',
  'web/AccountPage.tsx:enrol.newPassword': 'a password (KDF output only leaves)',
  'web/AccountPage.tsx:enrol.confirmPassword': 'a password (never sent)',
  'web/SignInPage.tsx:auth.totpCode': 'a one-time code: six digits, too short to scan for',
  'web/EnrolmentForm.tsx:enrol.firstCode': 'a one-time code: six digits, too short to scan for',
  'web/CaseListPage.tsx:cases.find.label': 'a case code (metadata) that opens the case page',
  'web/TriagePage.tsx:triage.caseCode': 'a case code (metadata) to merge into; used below',
  'web/AuditFilters.tsx:audit.filters.action': 'an audit action name (metadata) to filter by',
  'web/AuditFilters.tsx:audit.filters.target': 'a case code (metadata) to filter by',
  'web/PartnerForm.tsx:partners.name':
    'the partner directory describes an organisation, never a person (docs/referrals.md)',
  'web/PartnerForm.tsx:partners.regions':
    'partner directory: coarse regions the organisation serves',
  'web/PartnerForm.tsx:partners.languages':
    'partner directory: language codes the organisation speaks',
  'web/PartnerForm.tsx:partners.contact':
    "partner directory: how staff reach the organisation, not a person's contact",
  'web/RetentionPage.tsx:retention.lockdown.typeToConfirm':
    'a typed confirmation word (LOCKDOWN), the same for everyone',
};

/** Fields typed in Cyrillic (UTF-8 multi-byte, URL-encoded and JSON-escaped differently). */
const CYRILLIC = new Set<CanaryField>([
  'intake/IntakeForm.tsx:happened',
  'intake/IntakeForm.tsx:region',
  'intake/RepliesView.tsx:follow-up',
  'web/ProfileForm.tsx:cases.profile.location',
  'web/ProfileForm.tsx:cases.profile.situation',
  'web/MessagesTab.tsx:triage.messages.replyLabel',
  'web/ProposeForm.tsx:referrals.propose.reason',
  'web/NoteDialog.tsx:note',
]);

const ADDRESS = '203.0.113.77';
const SOURCE_ADDRESS = '127.0.0.2';

const run = randomBytes(4).toString('hex');
/** Everything typed (and every secret), searched for at the end. */
const needles: Needle[] = [];

/** A fresh canary for `field`; `pass` tells apart the same field typed in two places. */
function canary(field: CanaryField, pass = 'a'): string {
  const index = CANARY_FIELDS.indexOf(field);
  const short = field.split(/[:.]/).pop() ?? 'field';
  const text = CYRILLIC.has(field)
    ? `КАНАРЕЙКА-${run}-${pass}${index}-${short}-Урус-Мартан`
    : `CANARY-${run}-${pass}${index}-${short}`;
  needles.push({ name: `${field} (${pass})`, text });
  return text;
}

function secret(name: string, text: string): void {
  needles.push({ name, text });
}

/** A browser context of its own whose every request claims to come from ADDRESS. */
async function browserFrom(browser: Browser, baseURL = WEB_ORIGIN): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: 'en-US',
    extraHTTPHeaders: { 'X-Forwarded-For': ADDRESS },
  });
  return context.newPage();
}

interface Captured {
  url: string;
  body: string;
}

/** Records the bodies of the page's POSTs to `path`, to be replayed from another address. */
function capture(page: Page, path: string, into: Captured[]): void {
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === path) {
      into.push({ url: r.url(), body: r.postData() ?? '' });
    }
  });
}

/** One HTTP request over a socket bound to SOURCE_ADDRESS, claiming ADDRESS as the client. */
function requestFrom(
  url: string,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: options.method ?? 'GET',
        localAddress: SOURCE_ADDRESS,
        headers: {
          'x-forwarded-for': ADDRESS,
          ...(options.body ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** The peer address a local server sees for a socket bound to SOURCE_ADDRESS. */
async function observedSourceAddress(): Promise<string | undefined> {
  const server = createServer((req, res) => res.end(req.socket.remoteAddress ?? ''));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    return (await requestFrom(`http://127.0.0.1:${port}/`)).body;
  } finally {
    server.close();
  }
}

test.describe
  .serial('canary scan: nothing typed, no secret and no address reaches the server side', () => {
  test.setTimeout(300_000);
  let coordinator: StaffMember;
  let caseworker: StaffMember;
  let colleague: StaffMember;
  let partner: StaffMember;
  const partnerOrg = `Scan Partner ${run}`;
  let coordinatorPage: Page;
  let caseworkerPage: Page;
  let caseCode = '';
  let newCaseCode = '';
  let receiptCode = '';
  const intakeText = {
    happened: '',
    mergedHappened: '',
  };
  const submissions: Captured[] = [];
  const threadReads: Captured[] = [];
  const followUps: Captured[] = [];

  test('every free-text input of the front ends is either typed into below or not content', () => {
    const inventory = freeTextInputs();
    const covered = [...CANARY_FIELDS, ...Object.keys(NOT_CONTENT)].sort();
    const unlisted = inventory.filter((name) => !covered.includes(name));
    const gone = covered.filter((name) => !inventory.includes(name));
    expect(
      unlisted,
      'a new free-text input: add it to CANARY_FIELDS (and type a canary into it) or NOT_CONTENT',
    ).toEqual([]);
    expect(gone, 'listed inputs that no longer exist: remove them from the lists').toEqual([]);
  });

  test('the admin enrols staff and the coordinator receives the intake key', async ({
    browser,
  }) => {
    const admin = await organisationAdmin(browser);
    secret('admin password', admin.password);
    const adminPage = await newBrowserPage(browser);
    await signIn(adminPage, admin);
    coordinator = await enrolStaff(adminPage, 'Coordinator', `scan-coord-${run}`);
    caseworker = await enrolStaff(adminPage, 'Caseworker', `scan-cw-${run}`);
    colleague = await enrolStaff(adminPage, 'Caseworker', `scan-colleague-${run}`);
    await giveIntakeKey(adminPage, coordinator);
    // A partner organisation (directory fields: not content) and its one member.
    const partners = new PartnersAdminPage(adminPage);
    await partners.openFromMenu();
    await partners.create({
      name: partnerOrg,
      services: ['Evacuation', 'Shelter'],
      regions: 'North Caucasus',
      languages: 'ru, en',
      contact: 'Signal group, voice check first',
    });
    await expect(partners.row(partnerOrg)).toBeVisible();
    partner = await enrolStaff(adminPage, 'Partner', `scan-partner-${run}`, partnerOrg);
    for (const person of [coordinator, caseworker, colleague, partner]) {
      secret(`password of ${person.username}`, person.password);
    }
    await adminPage.context().close();
  });

  test('two people fill in every field of the intake form', async ({ browser }) => {
    const page = await browserFrom(browser, INTAKE_ORIGIN);
    capture(page, '/api/intake/submissions', submissions);
    const intake = new IntakePage(page);
    await intake.open();
    intakeText.happened = canary('intake/IntakeForm.tsx:happened');
    await intake.fill({
      channels: ['Signal'],
      contactDetails: canary('intake/IntakeForm.tsx:contactDetails'),
      safeTimes: canary('intake/IntakeForm.tsx:safeTimes'),
      area: 'In Chechnya',
      region: canary('intake/IntakeForm.tsx:region'),
      happened: intakeText.happened,
      needs: ['Something else'],
      urgency: 'Critical',
      consent: true,
    });
    await intake.main
      .getByLabel('What else do you need?')
      .fill(canary('intake/IntakeForm.tsx:needsOther'));
    await intake.sendButton.click();
    await expect(intake.main.getByRole('heading', { name: 'Your message was sent' })).toBeFocused();
    receiptCode = await intake.receiptCode();
    secret('receipt code', receiptCode);
    await page.context().close();

    // A second person, whose message the coordinator merges into the first one's case.
    const second = await browserFrom(browser, INTAKE_ORIGIN);
    const other = new IntakePage(second);
    await other.open();
    intakeText.mergedHappened = canary('intake/IntakeForm.tsx:happened', 'merged');
    await other.fill({
      area: 'Elsewhere in Russia',
      happened: intakeText.mergedHappened,
      urgency: 'Urgent',
      consent: true,
    });
    await other.sendButton.click();
    await expect(other.main.getByRole('heading', { name: 'Your message was sent' })).toBeFocused();
    secret('second receipt code', await other.receiptCode());
    await second.context().close();
    expect(submissions.length).toBeGreaterThanOrEqual(1);
  });

  test('the coordinator converts one submission (alias) and merges the other into the case', async ({
    browser,
  }) => {
    coordinatorPage = await browserFrom(browser);
    await signIn(coordinatorPage, coordinator);
    const triage = new TriagePage(coordinatorPage);
    await triage.openFromMenu();
    await expect(triage.submission(intakeText.happened)).toHaveCount(1);
    caseCode = await triage.convert(
      intakeText.happened,
      canary('web/TriagePage.tsx:triage.alias'),
      caseworker.username,
    );
    const card = triage.submission(intakeText.mergedHappened);
    await card.getByRole('button', { name: 'Merge into a case' }).click();
    await card.getByRole('textbox', { name: /^Case code/ }).fill(caseCode);
    await card.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect(triage.submission(intakeText.mergedHappened)).toHaveCount(0);
  });

  test('the caseworker fills every case field: a new case, the profile, the timeline, a reply, a share and status changes', async ({
    browser,
  }) => {
    caseworkerPage = await browserFrom(browser);
    const page = caseworkerPage;
    await signIn(page, caseworker);
    const main = page.getByRole('main');

    // A new case with every profile field.
    await page.getByRole('navigation').getByRole('link', { name: 'Cases' }).click();
    await main.getByRole('link', { name: 'New case' }).click();
    await new ProfileFormPart(page, main).fill(profileCanaries('new'));
    await main.getByRole('textbox', { name: /^Supervising coordinator/ }).click();
    await page.getByRole('option', { name: coordinator.username, exact: true }).click();
    await main.getByRole('checkbox', { name: 'Agrees to be contacted' }).check();
    await main.getByRole('button', { name: 'Open case' }).click();
    const detail = new CaseDetailPage(page);
    await expect(detail.code).toHaveText(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    newCaseCode = (await detail.code.innerText()).trim();

    // The intake case: its profile edited, a contact logged, a reply, a share, two statuses.
    await openInDashboard(page, `/cases/${caseCode}`, caseworker);
    await expect(detail.code).toHaveText(caseCode);
    await main.getByRole('button', { name: 'Edit profile' }).click();
    const edit = profileCanaries('edit');
    await new ProfileFormPart(page, main).fill(edit);
    await main.getByRole('button', { name: 'Save profile' }).click();
    await expect(detail.profile).toContainText(edit.situation);

    await detail.tab('Timeline');
    const nextStep = canary('web/TimelineTab.tsx:cases.timeline.nextStep');
    await detail.logContact({
      summary: canary('web/TimelineTab.tsx:cases.timeline.summary'),
      nextStep,
    });
    await expect(detail.timelineEntries.last()).toContainText(nextStep);

    const messages = new CaseMessagesTab(page);
    await messages.open();
    await messages.reply(canary('web/MessagesTab.tsx:triage.messages.replyLabel'));
    await expect(messages.status.filter({ hasText: 'Reply sent.' })).toBeVisible();

    await detail.tab('Access');
    await main.getByRole('textbox', { name: /^Colleague/ }).click();
    await page.getByRole('option', { name: `${colleague.username} (Caseworker)` }).click();
    await main
      .getByRole('textbox', { name: /^Reason/ })
      .fill(canary('web/AccessTab.tsx:cases.access.reason'));
    await main.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(detail.grantRow(colleague.username)).toBeVisible();

    for (const [button, pass] of [
      ['Mark active', 'active'],
      ['Close case', 'close'],
      ['Reopen case', 'reopen'],
    ] as const) {
      await main.getByRole('button', { name: button }).click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByRole('textbox', { name: /^Reason/ })
        .fill(canary('web/StatusControl.tsx:cases.statusDialog.reason', pass));
      await dialog.getByRole('button', { name: 'Change status' }).click();
      await expect(dialog).toHaveCount(0);
    }
    await expect(main.getByRole('button', { name: 'Close case' })).toBeVisible();
  });

  test('the person reads the reply and answers; the coordinator files the answer', async ({
    browser,
  }) => {
    const page = await browserFrom(browser, INTAKE_ORIGIN);
    capture(page, '/api/intake/thread', threadReads);
    capture(page, '/api/intake/thread/messages', followUps);
    const intake = new IntakePage(page);
    await intake.open();
    await intake.openReplies(receiptCode);
    await expect(intake.thread.locator('.message.from_staff')).toHaveCount(1);
    const answer = canary('intake/RepliesView.tsx:follow-up');
    await intake.followUpInput.fill(answer);
    await intake.thread.getByRole('button', { name: 'Send securely' }).click();
    await expect(intake.thread.getByRole('status')).toHaveText('Your message was sent.');
    await page.context().close();

    const triage = new TriagePage(coordinatorPage);
    await triage.openFromMenu();
    // The queue was loaded before the person answered: ask for it again.
    await coordinatorPage.getByRole('main').getByRole('button', { name: 'Refresh' }).click();
    await expect(triage.followUps.filter({ hasText: caseCode })).toContainText(answer);
    await triage.fileFollowUp(caseCode);
    await expect(triage.followUps.filter({ hasText: caseCode })).toHaveCount(0);
  });

  const referralReasons: Record<'evac' | 'reject' | 'cancel' | 'internal' | 'revoke', string> = {
    evac: '',
    reject: '',
    cancel: '',
    internal: '',
    revoke: '',
  };

  test('the caseworker proposes referrals (reason and note for the assignee) and cancels one', async () => {
    const page = caseworkerPage;
    const detail = new CaseDetailPage(page);
    const tab = new CaseReferralsTab(page);
    const propose = async (service: string, pass: keyof typeof referralReasons) => {
      referralReasons[pass] = canary('web/ProposeForm.tsx:referrals.propose.reason', pass);
      const count = await tab.referrals.count();
      await tab.propose({
        service,
        urgency: 'Urgent',
        reason: referralReasons[pass],
        fields: ['Contact and alias', 'Situation and risks', 'Note for the assignee'],
        note: canary('web/ProposeForm.tsx:referrals.propose.notes', pass),
      });
      await expect(tab.referrals).toHaveCount(count + 1);
    };

    // No consent is recorded: the coordinator must give an override reason.
    await openInDashboard(page, `/cases/${caseCode}`, caseworker);
    await expect(detail.code).toHaveText(caseCode);
    await detail.tab('Referrals');
    await propose('Evacuation', 'evac');
    await propose('Shelter', 'reject');
    await propose('Legal help', 'cancel');
    const cancelled = tab.referrals.filter({ hasText: referralReasons.cancel });
    await cancelled.getByRole('button', { name: 'Cancel referral' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill(canary('web/NoteDialog.tsx:note', 'cancel'));
    await dialog.getByRole('button', { name: 'Cancel referral' }).click();
    await expect(tab.status(cancelled)).toHaveText('Cancelled');

    await openInDashboard(page, `/cases/${newCaseCode}`, caseworker);
    await expect(detail.code).toHaveText(newCaseCode);
    await detail.tab('Referrals');
    await propose('Evacuation', 'internal');
    await propose('Medical help', 'revoke');
  });

  /** The board row of the referral of `code` for `service`, in the group of `status`. */
  const boardRow = (board: ReferralBoardPage, status: string, code: string, service: string) =>
    board.group(status).locator(`tr[data-case-code="${code}"]`).filter({ hasText: service });

  /** Approves and assigns with a coordinator override reason and a timeline note. */
  async function assign(
    board: ReferralBoardPage,
    row: ReturnType<typeof boardRow>,
    to: { partner: string; preselected?: boolean } | { caseworker: string },
    pass: string,
  ): Promise<void> {
    await row.getByRole('button', { name: 'Approve and assign' }).click();
    const dialog = board.dialog;
    if ('partner' in to) {
      // A declined referral opens with its partner chosen (choosing it again would deselect it).
      if (!to.preselected) await board.choosePartner(to.partner);
      await expect(
        dialog.getByRole('textbox', { name: 'Partner organisation', exact: true }),
      ).toHaveValue(new RegExp(`^${to.partner}\\b`));
      await expect(board.recipients).toContainText(partner.username);
    } else {
      await dialog.getByText('Internal caseworker', { exact: true }).click();
      await dialog.getByRole('textbox', { name: 'Caseworker', exact: true }).click();
      await board.page.getByRole('option', { name: to.caseworker, exact: true }).click();
    }
    await dialog
      .getByRole('textbox', { name: /^Why share without recorded consent/ })
      .fill(canary('web/AssignDialog.tsx:referrals.assign.overrideReason', pass));
    await dialog
      .getByRole('textbox', { name: /^Note on the timeline/ })
      .fill(canary('web/AssignDialog.tsx:referrals.assign.note', pass));
    await board.submitAssign();
    await expect(dialog).toHaveCount(0);
  }

  /** A staff change on the board (reject, revoke) with its note. */
  async function boardAct(
    board: ReferralBoardPage,
    row: ReturnType<typeof boardRow>,
    action: 'Reject' | 'Revoke',
  ): Promise<void> {
    await row.getByRole('button', { name: action, exact: true }).click();
    await board.dialog
      .getByRole('textbox')
      .fill(canary('web/NoteDialog.tsx:note', action.toLowerCase()));
    await board.dialog.getByRole('button', { name: action, exact: true }).click();
    await expect(board.dialog).toHaveCount(0);
  }

  test('the coordinator rejects one, assigns others (override reason, note) and revokes one', async () => {
    const board = new ReferralBoardPage(coordinatorPage);
    await board.openFromMenu();
    await expect(board.heading).toHaveText('Referral board');
    await boardAct(board, boardRow(board, 'proposed', caseCode, 'Shelter'), 'Reject');
    await assign(
      board,
      boardRow(board, 'proposed', caseCode, 'Evacuation'),
      { partner: partnerOrg },
      'partner',
    );
    await expect(boardRow(board, 'assigned', caseCode, 'Evacuation')).toContainText(partnerOrg);
    await assign(
      board,
      boardRow(board, 'proposed', newCaseCode, 'Evacuation'),
      { caseworker: colleague.username },
      'internal',
    );
    await assign(
      board,
      boardRow(board, 'proposed', newCaseCode, 'Medical help'),
      { caseworker: colleague.username },
      'to-revoke',
    );
    await boardAct(board, boardRow(board, 'assigned', newCaseCode, 'Medical help'), 'Revoke');
    await expect(boardRow(board, 'assigned', newCaseCode, 'Evacuation')).toBeVisible();
  });

  test('the partner declines, is assigned again, then accepts, starts and completes (outcome)', async ({
    browser,
  }) => {
    const page = await browserFrom(browser);
    await signIn(page, partner);
    const assigned = new AssignedReferralsPage(page);
    await expect(assigned.heading).toHaveText('Referrals');
    await expect(assigned.referrals).toHaveCount(1);
    await assigned.act(
      assigned.referrals.first(),
      'Decline',
      canary('web/NoteDialog.tsx:note', 'decline'),
    );
    await expect(assigned.referrals).toHaveCount(0);

    const board = new ReferralBoardPage(coordinatorPage);
    await coordinatorPage.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    await board.openFromMenu();
    await assign(
      board,
      boardRow(board, 'declined', caseCode, 'Evacuation'),
      { partner: partnerOrg, preselected: true },
      'again',
    );
    await expect(boardRow(board, 'assigned', caseCode, 'Evacuation')).toContainText(partnerOrg);

    // A reload asks for the password again (keys live in memory) and loads the list anew.
    await openInDashboard(page, '/referrals', partner);
    await expect(assigned.referrals).toHaveCount(1);
    const referral = assigned.referrals.first();
    await assigned.act(referral, 'Accept');
    await expect(assigned.status(referral)).toHaveText('Accepted');
    await assigned.act(referral, 'Start');
    await expect(assigned.status(referral)).toHaveText('In progress');
    await assigned.act(referral, 'Complete', canary('web/NoteDialog.tsx:note', 'outcome'));
    await expect(assigned.referrals).toHaveCount(0);
    await page.context().close();
  });

  test('the internal caseworker accepts, starts and reports that they could not help', async ({
    browser,
  }) => {
    const page = await browserFrom(browser);
    await signIn(page, colleague);
    const assigned = new AssignedReferralsPage(page);
    await assigned.open();
    await expect(assigned.heading).toHaveText('Referrals for me');
    // The revoked one is gone; the other is there.
    await expect(assigned.referrals).toHaveCount(1);
    const referral = assigned.referrals.first();
    await assigned.act(referral, 'Accept');
    await expect(assigned.status(referral)).toHaveText('Accepted');
    await assigned.act(referral, 'Start');
    await expect(assigned.status(referral)).toHaveText('In progress');
    await assigned.act(referral, 'Could not help', canary('web/NoteDialog.tsx:note', 'failed'));
    await expect(assigned.referrals).toHaveCount(0);
    await page.context().close();
  });

  test('intake, sign-in and staff routes are called from 127.0.0.2 claiming another address', async () => {
    expect(
      await observedSourceAddress(),
      `this machine must route ${SOURCE_ADDRESS} over loopback`,
    ).toBe(SOURCE_ADDRESS);
    const api = `http://127.0.0.1:${PORTS.api}`;
    const idempotent = () => ({ 'idempotency-key': randomBytes(18).toString('base64url') });
    const [submission] = submissions;
    const [threadRead] = threadReads;
    const [followUp] = followUps;
    if (!submission || !threadRead || !followUp) throw new Error('no intake request was captured');

    // The public intake routes, directly and through the intake origin's proxy.
    for (const origin of [api, INTAKE_ORIGIN]) {
      expect((await requestFrom(`${origin}/api/intake/key`)).status).toBe(200);
      const sent = await requestFrom(`${origin}/api/intake/submissions`, {
        method: 'POST',
        body: submission.body,
        headers: idempotent(),
      });
      expect(sent.status, sent.body).toBe(201);
      const read = await requestFrom(`${origin}/api/intake/thread`, {
        method: 'POST',
        body: threadRead.body,
      });
      expect(read.status, read.body).toBe(200);
      const answered = await requestFrom(`${origin}/api/intake/thread/messages`, {
        method: 'POST',
        body: followUp.body,
        headers: idempotent(),
      });
      expect(answered.status, answered.body).toBe(201);
    }

    // Sign-in: a prelogin and a failed login (audited) through the API and the dashboard's proxy.
    for (const origin of [api, WEB_ORIGIN]) {
      const pre = await requestFrom(`${origin}/api/auth/prelogin`, {
        method: 'POST',
        body: JSON.stringify({ username: coordinator.username }),
      });
      expect(pre.status, pre.body).toBe(200);
      const login = await requestFrom(`${origin}/api/auth/login`, {
        method: 'POST',
        body: JSON.stringify({
          username: `nobody-${run}`,
          authKey: randomBytes(32).toString('base64url'),
          totpCode: '000000',
        }),
      });
      expect(login.status, login.body).toBe(401);
    }

    // Staff routes with the coordinator's session: reads that are audited.
    const cookie = (await coordinatorPage.context().cookies(WEB_ORIGIN))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    for (const origin of [api, WEB_ORIGIN]) {
      for (const path of [
        '/api/auth/me',
        '/api/cases',
        `/api/cases/${caseCode}`,
        '/api/triage/queue',
        '/api/follow-ups',
      ]) {
        const answer = await requestFrom(`${origin}${path}`, { headers: { cookie } });
        expect(answer.status, `${path}: ${answer.body.slice(0, 200)}`).toBe(200);
      }
    }
  });

  test('neither the dump nor any log holds a canary, a secret or an address; the controls are found', async () => {
    test.skip(
      !existsSync(DB_URL_FILE) || !existsSync(LOG_FILE),
      'the launcher was started without HAVEN_DB_URL_FILE / HAVEN_LOG_FILE (a reused server?)',
    );
    await Promise.all([coordinatorPage, caseworkerPage].map((p) => p?.context().close()));
    const typedFields = new Set(needles.map((n) => n.name.replace(/ \(.*\)$/, '')));
    expect(
      CANARY_FIELDS.filter((f) => !typedFields.has(f)),
      'fields listed in CANARY_FIELDS but never typed into',
    ).toEqual([]);

    // Control: a large object (pg_dump writes them as hex) holding a known string.
    const databaseUrl = readFileSync(DB_URL_FILE, 'utf8').trim();
    const control = `HAVEN-SCAN-CONTROL-${run}-Контроль`;
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    let oid = 0;
    try {
      const created = await db.query<{ oid: number }>(
        `SELECT lo_from_bytea(0, convert_to($1, 'UTF8')) AS oid`,
        [control],
      );
      oid = Number(created.rows[0]?.oid);
      const dump = dumpDatabase(databaseUrl);
      const logs = serverLogs(LOG_FILE);
      const launcher = logs.find((s) => s.name === 'launcher+api log');
      // The sources are real: the dump holds both cases, the log the requests made above.
      expect(dump.bytes).toContain(caseCode);
      expect(dump.bytes).toContain(newCaseCode);
      expect(launcher?.bytes).toContain('/api/triage/queue');
      const sources = [dump, ...logs];

      const hits = [
        ...scan(sources, needles),
        ...scan(sources, [{ name: 'client address', text: ADDRESS }], addressForms),
        ...scan(sources, [{ name: 'socket address', text: SOURCE_ADDRESS }], addressForms),
      ];
      expect(describeHits(hits)).toEqual([]);

      // Controls: the scanner finds what is there.
      const username = scan([dump], [{ name: 'username', text: coordinator.username }]);
      expect(username.map((h) => h.form)).toContain('raw');
      const largeObject = scan([dump], [{ name: 'control', text: control }]);
      expect(largeObject.map((h) => h.form)).toContain('hex');
      const logLike = controlLog(control);
      const found = new Set(
        scan([logLike], [{ name: 'control', text: control }]).map((h) => h.form),
      );
      expect([...found].sort()).toEqual(
        forms(control)
          .map((f) => f.form)
          .sort(),
      );
    } finally {
      if (oid) await db.query('SELECT lo_unlink($1)', [oid]);
      await db.end();
    }
  });
});

/** The profile canaries of one pass (new case, edit). */
function profileCanaries(pass: string) {
  return {
    alias: canary('web/ProfileForm.tsx:cases.profile.alias', pass),
    channelApp: canary('web/ProfileForm.tsx:cases.profile.channelApp', pass),
    channelValue: canary('web/ProfileForm.tsx:cases.profile.channelValue', pass),
    channelNote: canary('web/ProfileForm.tsx:cases.profile.channelNote', pass),
    safeTimes: canary('web/ProfileForm.tsx:cases.profile.safeTimes', pass),
    language: canary('web/ProfileForm.tsx:cases.profile.languages', pass),
    location: canary('web/ProfileForm.tsx:cases.profile.location', pass),
    situation: canary('web/ProfileForm.tsx:cases.profile.situation', pass),
    risks: canary('web/ProfileForm.tsx:cases.profile.risks', pass),
  };
}

/**
 * A log-like file written by the test: the control string in every form the scanner knows,
 * each embedded in other text (the encoded forms at all three base64 alignments), one per line.
 */
function controlLog(control: string): ScanSource {
  const file = join(dirname(LOG_FILE), 'scan-control.log');
  mkdirSync(dirname(file), { recursive: true });
  const utf8 = Buffer.from(control, 'utf8');
  const lines: Buffer[] = [];
  const text = (s: string) => Buffer.from(`{"msg":"x${s}y"}\n`, 'utf8');
  lines.push(text(control));
  lines.push(
    Buffer.concat([Buffer.from('utf16:'), Buffer.from(control, 'utf16le'), Buffer.from('\n')]),
  );
  lines.push(text(JSON.stringify(control).slice(1, -1)));
  lines.push(
    text(
      JSON.stringify(control)
        .replace(/[^\p{ASCII}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .slice(1, -1),
    ),
  );
  lines.push(text(utf8.toString('hex')), text(utf8.toString('hex').toUpperCase()));
  const url = encodeURIComponent(control);
  lines.push(
    text(`?q=${url}`),
    text(url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())),
    text(url.replace(/%20/g, '+')),
  );
  for (let k = 0; k < 3; k++) {
    const framed = Buffer.concat([Buffer.from('ab'.slice(0, k)), utf8, Buffer.from('tail')]);
    lines.push(text(framed.toString('base64')), text(framed.toString('base64url')));
  }
  writeFileSync(file, Buffer.concat(lines), { mode: 0o600 });
  return { name: 'control log', bytes: readFileSync(file).toString('latin1') };
}
