/**
 * The sign-in email confirmed (lib/email-confirmation.ts), end to end with real mail: a production
 * server of its own (scripts/server.mjs on port 3245, from NEXT_DIST_DIR) set up to send through a
 * real SMTP server on loopback. A person signs up; the mail that arrives carries the link; settings
 * says the address is not confirmed yet and that reminder mail waits for it, and mails the link again
 * when asked; the link, opened where nobody is signed in, names the address and confirms it with one
 * press; settings then says so. A changed sign-in email waits for the link mailed to the new address
 * (settings shows it pending, mails it again, cancels it; a second change ends the first's link), and
 * only that link switches it; the old address is then told, and its sign-up link stops working.
 */
import { expect, test, type Page } from '@playwright/test';
import { startSmtpServer, type TestSmtp } from '../tests/mail-helpers';
import { freshDataDir, startServer, type Server } from './durability-helpers';
import { en, formMessage, setLocale, submitButton, zh } from './helpers';

test.describe.configure({ mode: 'serial' });

let smtp: TestSmtp;
let server: Server;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  smtp = await startSmtpServer();
  const data = freshDataDir('email-confirmation');
  data.env.SMTP_HOST = '127.0.0.1';
  data.env.SMTP_PORT = String(smtp.port);
  data.env.APP_URL = 'http://127.0.0.1:3245';
  server = await startServer(data, 3245);
});

test.afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

/** The mails to this address that arrived so far. */
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email.toLowerCase()));

/** The confirmation link in a mail's text. */
function linkIn(text: string): string {
  const link = /http:\/\/127\.0\.0\.1:3245\/confirm-email\?t=\S+/.exec(text)?.[0];
  expect(link, text).toBeTruthy();
  return link!;
}

async function waitForMails(email: string, n: number) {
  await expect.poll(() => mailsTo(email).length, { timeout: 15_000 }).toBe(n);
}

async function signUpHere(page: Page, email: string, password: string, role: 'borrower' | 'advisor' = 'borrower') {
  await page.goto(`${server.baseURL}/signup`);
  const form = page.getByTestId('signup-form');
  await form.locator('input[name="displayName"]').fill('周敏');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.locator(`input[name="role"][value="${role}"]`).check();
  await submitButton(form).click();
  await page.waitForURL((u) => !['/signup', '/signin'].includes(u.pathname));
}

test('a new address is confirmed with the link mailed to it; settings says so before and after, and mails it again', async ({ browser }) => {
  const email = `confirm-${Date.now()}@e2e.test`;
  const password = 'a sturdy password for confirm';
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await signUpHere(page, email, password);

  // The mail after sign-up, in Chinese: what it is for, and the link.
  await waitForMails(email, 1);
  const [welcome] = mailsTo(email);
  expect(welcome.subject).toBe('【协商记】请确认你的邮箱');
  const link = linkIn(welcome.text);

  // Home says so where it is seen, with the way to settings.
  await page.goto(`${server.baseURL}/home`);
  const notice = page.getByTestId('home-email-unconfirmed');
  await expect(notice).toContainText(zh('common.emailUnconfirmed', { email }));
  await notice.getByRole('link', { name: zh('common.emailUnconfirmedLink') }).click();
  await expect(page).toHaveURL(/\/settings#signin-email-h$/);

  // Settings: not confirmed yet, reminder mail waits for it; the link is mailed again when asked.
  const state = page.getByTestId('email-confirmation');
  await expect(state).toHaveAttribute('data-confirmed', 'false');
  await expect(state).toContainText(zh('settings.emailUnconfirmed'));
  await expect(page.getByTestId('email-waiting-confirmation')).toHaveText(zh('mail.settings.waitingConfirmation'));
  const resend = page.getByTestId('email-confirm-resend-form');
  await submitButton(resend).click();
  await expect(formMessage(resend)).toHaveText(zh('settings.confirmationSent', { email }));
  await waitForMails(email, 2);

  // The link, opened on another device where nobody is signed in: it names the address, and opening
  // it confirms nothing until the button is pressed.
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(link);
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText(zh('auth.confirm.title'));
  await expect(phone.getByText(zh('auth.confirm.intro', { email }))).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('email-confirmation')).toHaveAttribute('data-confirmed', 'false');
  await submitButton(phone.getByTestId('confirm-form')).click();
  // The page now says it is done, with the way into the app; the button is gone.
  await expect(phone.getByTestId('confirm-done')).toHaveText(zh('auth.confirm.done', { email }));
  await expect(phone.getByTestId('confirm-form')).toHaveCount(0);

  // Settings now says it is confirmed; nothing waits any more.
  await page.reload();
  await expect(page.getByTestId('email-confirmation')).toHaveAttribute('data-confirmed', 'true');
  await expect(page.getByTestId('email-confirmation')).toHaveText(zh('settings.emailConfirmed'));
  await expect(page.getByTestId('email-waiting-confirmation')).toHaveCount(0);
  await expect(page.getByTestId('email-confirm-resend-form')).toHaveCount(0);
  await page.goto(`${server.baseURL}/home`);
  await expect(page.getByTestId('home-page')).toBeVisible();
  await expect(page.getByTestId('home-email-unconfirmed')).toHaveCount(0);

  // The same link again: already confirmed, said so, with the way into the app.
  await phone.goto(link);
  await expect(phone.getByTestId('confirm-done')).toHaveText(zh('auth.confirm.done', { email }));
  await context.close();
  await phone.context().close();
});

test("an advisor is told on the dashboard, where they start, until the address is confirmed", async ({ browser }) => {
  const email = `confirm-advisor-${Date.now()}@e2e.test`;
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await signUpHere(page, email, 'a sturdy password for an advisor', 'advisor');
  await waitForMails(email, 1);

  await page.goto(`${server.baseURL}/dashboard`);
  await expect(page.getByTestId('dashboard-empty')).toBeVisible();
  const notice = page.getByTestId('dashboard-email-unconfirmed');
  await expect(notice).toContainText(zh('common.emailUnconfirmed', { email }));
  await expect(notice.getByRole('link', { name: zh('common.emailUnconfirmedLink') })).toHaveAttribute('href', '/settings#signin-email-h');

  await page.goto(linkIn(mailsTo(email)[0]!.text));
  await submitButton(page.getByTestId('confirm-form')).click();
  await expect(page.getByTestId('confirm-done')).toBeVisible();
  await page.goto(`${server.baseURL}/dashboard`);
  await expect(page.getByTestId('dashboard-empty')).toBeVisible();
  await expect(page.getByTestId('dashboard-email-unconfirmed')).toHaveCount(0);
  await context.close();
});

test('a changed email waits for its own link: settings shows it pending; a second change, or a cancel, ends the earlier link; opening it switches (in English)', async ({ browser }) => {
  const stamp = Date.now();
  const email = `before-${stamp}@e2e.test`;
  const typo = `aftr-${stamp}@e2e.test`;
  const moved = `after-${stamp}@e2e.test`;
  const password = 'another sturdy password';
  const context = await browser.newContext({ locale: 'en' });
  const page = await context.newPage();
  await signUpHere(page, email, password);
  await waitForMails(email, 1);
  const oldLink = linkIn(mailsTo(email)[0].text);

  // English from here on (the switch sets the account's language too).
  await page.goto(`${server.baseURL}/settings`);
  await setLocale(page, 'en');
  const change = page.getByTestId('email-change-form');
  const changeTo = async (address: string) => {
    await change.locator('input[name="email"]').fill(address);
    await change.locator('input[name="confirm"]').fill(address);
    await change.locator('input[name="password"]').fill(password);
    await submitButton(change).click();
    await expect(formMessage(change)).toHaveText(en('settings.emailChangePending', { email: address, current: email }));
  };

  // A typo first: nothing moves; the typed address waits for its link, and settings says so.
  await changeTo(typo);
  await waitForMails(typo, 1);
  const [toTypo] = mailsTo(typo);
  expect(toTypo.subject).toBe('[Respite] Confirm your new sign-in email');
  expect(toTypo.text).not.toContain(email);
  expect(mailsTo(email)).toHaveLength(1);
  await page.reload();
  await expect(page.getByTestId('signin-email-now')).toHaveText(en('settings.signInEmailNow', { email }));
  await expect(page.getByTestId('email-pending-text')).toHaveText(en('settings.pendingEmail', { email: typo }));

  // The address meant: it replaces the typo, whose link no longer works.
  await changeTo(moved);
  await waitForMails(moved, 1);
  await page.reload();
  await expect(page.getByTestId('email-pending-text')).toHaveText(en('settings.pendingEmail', { email: moved }));
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(linkIn(toTypo.text));
  await expect(phone.getByTestId('confirm-invalid')).toHaveText(zh('errors.confirm_link_invalid'));
  await expect(phone.getByTestId('confirm-form')).toHaveCount(0);

  // The link mailed again, to the address waiting.
  const resend = page.getByTestId('email-pending-resend-form');
  await submitButton(resend).click();
  await expect(formMessage(resend)).toHaveText(en('settings.confirmationSent', { email: moved }));
  await waitForMails(moved, 2);

  // Opened where nobody is signed in, it says what the press does; the press switches.
  await phone.goto(linkIn(mailsTo(moved)[1].text));
  await expect(phone.getByText(zh('auth.confirm.changeIntro', { email: moved }))).toBeVisible();
  await submitButton(phone.getByTestId('confirm-form')).click();
  await expect(phone.getByTestId('confirm-done')).toHaveText(zh('auth.confirm.changeDone', { email: moved }));

  // Settings: the new address, confirmed, nothing waiting; the old address is told.
  await page.reload();
  await expect(page.getByTestId('signin-email-now')).toHaveText(en('settings.signInEmailNow', { email: moved }));
  await expect(page.getByTestId('email-confirmation')).toHaveText(en('settings.emailConfirmed'));
  await expect(page.getByTestId('email-pending')).toHaveCount(0);
  await waitForMails(email, 2);
  expect(mailsTo(email)[1].subject).toBe('[Respite] Your sign-in email has changed');
  expect(mailsTo(email)[1].text).toContain(`from ${email} to ${moved}`);

  // The sign-up link mailed to the old address no longer works.
  await phone.goto(oldLink);
  await expect(phone.getByTestId('confirm-invalid')).toBeVisible();

  // Another change, cancelled: its link stops working, and the sign-in email stays.
  const third = `third-${stamp}@e2e.test`;
  await change.locator('input[name="email"]').fill(third);
  await change.locator('input[name="confirm"]').fill(third);
  await change.locator('input[name="password"]').fill(password);
  await submitButton(change).click();
  await expect(formMessage(change)).toHaveText(en('settings.emailChangePending', { email: third, current: moved }));
  await waitForMails(third, 1);
  await page.reload();
  // (The notice goes away with the cancel, its button too: the page drawn next says it.)
  await submitButton(page.getByTestId('email-pending-cancel-form')).click();
  await expect(page.getByTestId('email-pending')).toHaveCount(0);
  await expect(page.getByTestId('save-flash-message')).toHaveText(en('settings.emailChangeCancelledFlash'));
  await page.reload();
  await expect(page.getByTestId('email-pending')).toHaveCount(0);
  await expect(page.getByTestId('signin-email-now')).toHaveText(en('settings.signInEmailNow', { email: moved }));
  await phone.goto(linkIn(mailsTo(third)[0].text));
  await expect(phone.getByTestId('confirm-invalid')).toBeVisible();
  await context.close();
  await phone.context().close();
});
