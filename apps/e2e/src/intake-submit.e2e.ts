/**
 * The person's side of the anonymous intake, in Chromium: fill the form, send it sealed, keep
 * the receipt code, come back with it to read replies and write again. The coordinator and
 * caseworker steps (triage into a case, a reply from the case page) join this flow with the
 * triage issue.
 *
 * Sending needs the organisation's keys, which first-run setup creates. When setup has not
 * happened on this system yet, `ensureOrganisation` performs it through the real API the way
 * the setup page does (keys made here with @haven/crypto), using the one-time link the
 * launcher writes to SETUP_LINK_FILE; without it the sending tests are skipped. In a full run
 * accounts.e2e.ts has already set up the organisation through the dashboard by then.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { APIRequestContext, Request } from '@playwright/test';
import {
  createUserKeys,
  deriveLoginKeysFromSalt,
  fromBase64,
  generateIntakeKeyPair,
  generateSignKeyPair,
  initCrypto,
  issueCertificate,
  makeOrgRootPin,
  signIntakeKey,
  toBase64,
  wrapIntakeKey,
  wrapOrgRootKey,
} from '@haven/crypto';
import { IntakePage } from './pages/IntakePage';
import { INTAKE_ORIGIN, SETUP_LINK_FILE, WEB_ORIGIN } from './support/env';
import { expect, test } from './support/fixtures';
import { Authenticator } from './support/totp';

test.use({ locale: 'en-US' });

/** Text typed into the form: it must never travel or be stored in clear. */
const CANARY = `canary-${Date.now().toString(36)}-Ахмед`;

async function postJson(request: APIRequestContext, path: string, data: unknown) {
  const res = await request.post(`${WEB_ORIGIN}${path}`, { data });
  if (!res.ok()) throw new Error(`${path} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Makes sure the organisation keys exist. Returns a reason to skip when they do not and no
 * setup link is available.
 */
async function ensureOrganisation(request: APIRequestContext): Promise<string | null> {
  const key = await request.get(`${INTAKE_ORIGIN}/api/intake/key`);
  if (key.status() === 200) return null;
  const file = SETUP_LINK_FILE;
  if (!existsSync(file)) {
    return `first-run setup has not run and there is no setup link in ${file}`;
  }
  const token = new URLSearchParams(new URL(readFileSync(file, 'utf8').trim()).hash.slice(1)).get(
    'token',
  );
  if (!token) return 'the setup link file holds no token';

  await initCrypto();
  const begun = (await postJson(request, '/api/setup/begin', { token })) as {
    userId: string;
    totp: { secret: string };
  };
  const username = `intake-e2e-admin-${Date.now().toString(36)}`;
  const password = 'e2e correct horse battery staple';
  const prelogin = (await postJson(request, '/api/auth/prelogin', { username })) as {
    kdf: unknown;
    salt: string;
  };
  const { authKey, kek } = deriveLoginKeysFromSalt({
    password,
    salt: fromBase64(prelogin.salt),
    params: prelogin.kdf,
  });
  const { bundle, keys } = createUserKeys(kek, begun.userId);
  const root = generateSignKeyPair();
  const intake = generateIntakeKeyPair();
  await postJson(request, '/api/setup/complete', {
    token,
    username,
    authKey: toBase64(authKey),
    totpCode: new Authenticator(begun.totp.secret).code(),
    keys: {
      wrappedUserKey: toBase64(bundle.wrappedUserKey),
      boxPublicKey: toBase64(bundle.boxPublicKey),
      signPublicKey: toBase64(bundle.signPublicKey),
      wrappedBoxSecret: toBase64(bundle.wrappedBoxSecret),
      wrappedSignSeed: toBase64(bundle.wrappedSignSeed),
    },
    certificate: toBase64(
      issueCertificate(
        {
          subjectId: begun.userId,
          role: 'admin',
          boxPublicKey: bundle.boxPublicKey,
          signPublicKey: bundle.signPublicKey,
        },
        root,
      ),
    ),
    orgRootPin: toBase64(makeOrgRootPin(keys, root.publicKey)),
    org: {
      rootSignPublicKey: toBase64(root.publicKey),
      intakePublicKey: toBase64(intake.publicKey),
      intakeKeySignature: toBase64(signIntakeKey(intake.publicKey, root)),
    },
    wrappedOrgRootKey: toBase64(wrapOrgRootKey(keys, root)),
    wrappedIntakeKey: toBase64(wrapIntakeKey(keys, intake)),
  });
  return null;
}

test.describe('intake form', () => {
  test('checks the form in place, in the page language, without sending anything', async ({
    page,
  }) => {
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls.push(r.url());
    });
    const intake = new IntakePage(page);
    await intake.open();
    await expect(intake.sendButton).toHaveText('Send securely');

    await intake.sendButton.click();
    await expect(intake.errorSummary).toBeFocused();
    await expect(intake.errorSummary.getByRole('listitem')).toHaveText([
      'Choose an area, or “I prefer not to say”.',
      'Tell us briefly what happened.',
      'Choose how urgent it is.',
      'Tick the box to confirm that you agree.',
    ]);
    const area = intake.main.getByLabel('Area');
    await expect(area).toHaveAttribute('aria-invalid', 'true');
    await expect(area).toHaveAccessibleDescription(/Choose an area/);

    // Each summary entry takes the keyboard to its field, without touching the address bar.
    await intake.errorSummary
      .getByRole('button', { name: 'Tell us briefly what happened.' })
      .click();
    await expect(intake.main.getByLabel('What happened, and what is happening now?')).toBeFocused();
    await expect(page).toHaveURL(`${INTAKE_ORIGIN}/`);

    await intake.languageButton('Русский').click();
    await expect(intake.errorSummary.getByRole('listitem').first()).toHaveText(
      'Выберите, где вы находитесь, или «Предпочитаю не говорить».',
    );
    expect(apiCalls).toEqual([]);
  });

  test('is usable from the keyboard alone', async ({ page }) => {
    const intake = new IntakePage(page);
    await intake.open();
    await expect(intake.heading).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(intake.quickExitButton).toBeFocused();

    // Radio buttons of one group are one tab stop; arrows move within it.
    const notUrgent = intake.main.getByRole('radio', { name: 'Not urgent', exact: true });
    await notUrgent.focus();
    await page.keyboard.press('Space');
    await expect(notUrgent).toBeChecked();
    await page.keyboard.press('ArrowDown');
    const urgent = intake.main.getByRole('radio', { name: 'Urgent', exact: true });
    await expect(urgent).toBeChecked();
    await expect(urgent).toHaveAccessibleDescription('I may be in danger in the coming days.');
    await page.keyboard.press('Tab');
    await expect(intake.main.getByRole('checkbox', { name: /I understand/ })).toBeFocused();
    await page.keyboard.press('Space');
    await expect(intake.main.getByRole('checkbox', { name: /I understand/ })).toBeChecked();
  });

  test('answers a wrong but valid code exactly like a code without replies', async ({ page }) => {
    const intake = new IntakePage(page);
    await intake.open();
    await intake.openReplies('abacus abdomen abdominal abide abiding ability');
    await expect(intake.thread).toContainText('There are no replies yet.');
  });

  test('refuses a code with a word that is not on the list, without asking the server', async ({
    page,
  }) => {
    const threadReads: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/intake/thread')) threadReads.push(r.url());
    });
    const intake = new IntakePage(page);
    await intake.open();
    await intake.openReplies('abacus abdomen abdominal abide abiding qwertyuiop');
    await expect(intake.main.getByRole('alert')).toHaveText(
      'This code is incomplete or contains a word we do not know. Check each of the six words.',
    );
    await expect(intake.receiptCodeInput).toHaveAttribute('aria-invalid', 'true');
    expect(threadReads).toEqual([]);
  });
});

test.describe('anonymous intake, end to end (the person)', () => {
  test.beforeEach(async ({ request }) => {
    const skip = await ensureOrganisation(request);
    test.skip(skip !== null, skip ?? '');
  });

  test('sends a sealed form, shows the code once, then reads replies and writes again', async ({
    page,
    context,
  }) => {
    const posted: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posted.push(r);
    });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    const intake = new IntakePage(page);
    await intake.open();

    await intake.fill({
      channels: ['Signal', 'Phone call or SMS'],
      contactDetails: `@${CANARY}`,
      safeTimes: 'after 6 pm',
      area: 'In Chechnya',
      region: `Grozny ${CANARY}`,
      happened: `They came to my work. ${CANARY}`,
      needs: ['Evacuation: getting to a safe place', 'Legal help'],
      urgency: 'Critical',
      consent: true,
    });
    await intake.sendButton.click();

    await expect(intake.main.getByRole('heading', { name: 'Your message was sent' })).toBeFocused();
    const code = await intake.receiptCode();
    expect(code.split(' ')).toHaveLength(6);

    // What left the browser: one sealed POST without cookies, the typed text nowhere.
    const submission = posted.find((r) => r.url().endsWith('/api/intake/submissions'));
    expect(submission).toBeDefined();
    const headers = await submission!.allHeaders();
    expect(headers.cookie).toBeUndefined();
    expect(headers['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const body = submission!.postDataJSON() as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual([
      'envelope',
      'keyVersion',
      'lookupId',
      'replyPublicKey',
      'urgency',
    ]);
    expect(body.urgency).toBe('critical');
    for (const r of posted) {
      const data = r.postData() ?? '';
      expect(data).not.toContain('canary');
      expect(data).not.toContain(encodeURIComponent(CANARY));
      expect(data).not.toContain(code.split(' ')[0]);
    }

    // The code is shown once: closing the receipt forgets it and empties the form.
    await intake.receiptDoneButton.click();
    await expect(intake.receiptWords).toHaveCount(0);
    await expect(intake.main.getByLabel('What happened, and what is happening now?')).toHaveValue(
      '',
    );
    expect(await page.content()).not.toContain(code);

    // Back with the code, typed sloppily: no replies yet.
    await intake.openReplies(`  ${code.toUpperCase().replace(/ /g, ',  ')} `);
    await expect(intake.thread).toContainText('There are no replies yet.');
    await expect(intake.receiptCodeInput).toHaveCount(0);

    await intake.followUpInput.fill(`Are you there? ${CANARY}`);
    await intake.thread.getByRole('button', { name: 'Send securely' }).click();
    await expect(intake.thread.getByRole('status')).toHaveText('Your message was sent.');
    await expect(intake.thread.locator('.message.from_person')).toHaveCount(1);
    await expect(intake.thread.locator('.message.from_person')).toContainText('You wrote to us on');

    await intake.closeRepliesButton.click();
    await expect(intake.receiptCodeInput).toHaveValue('');

    expect(requested.filter((url) => new URL(url).origin !== INTAKE_ORIGIN)).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await intake.storedItems()).toEqual({ local: 0, session: 0 });
    expect(await page.evaluate(async () => (await indexedDB.databases()).length)).toBe(0);
  });
});
