/**
 * Sign-ups from one network address are limited (db/users.ts systemCountSignUpAttempt): a server of
 * its own (port 3246) with a limit of three an hour. Whether an email has an account is an answer
 * sign-up gives, so a try with a taken email counts as much as an account made; past the limit the
 * form says to try later, keeps what was typed, and makes no account.
 */
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { freshDataDir, startServer, type Server } from './durability-helpers';
import { formMessage, submitButton, zh } from './helpers';

test.describe.configure({ mode: 'serial' });

let server: Server;
let databasePath: string;

/** The accounts with this email in the server's own database (0 or 1). */
function accountsWith(email: string): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from users where email = ?').get(email) as { n: number }).n;
  } finally {
    db.close();
  }
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const data = freshDataDir('signup-limit');
  data.env.SIGNUP_LIMIT_PER_ADDRESS = '3';
  databasePath = data.databasePath;
  server = await startServer(data, 3246);
});

test.afterAll(async () => {
  await server?.stop();
});

async function signUp(page: Page, email: string) {
  await page.goto(`${server.baseURL}/signup`);
  const form = page.getByTestId('signup-form');
  await form.locator('input[name="displayName"]').fill('赵磊');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill('a sturdy password for the limit');
  await form.locator('input[name="role"][value="borrower"]').check();
  await submitButton(form).click();
  return form;
}

test('three sign-ups an hour from one address, a taken email counted too; the fourth is refused and makes nothing', async ({ browser }) => {
  const stamp = Date.now();
  const first = `limit-a-${stamp}@e2e.test`;
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();

  // 1: an account, signed in.
  await signUp(page, first);
  await page.waitForURL((u) => u.pathname === '/home');
  await context.clearCookies();
  // 2: the same email again: taken, said at the field.
  let form = await signUp(page, first);
  await expect(form.getByTestId('error-email')).toHaveText(zh('errors.email_taken'));
  // 3: another account.
  await signUp(page, `limit-b-${stamp}@e2e.test`);
  await page.waitForURL((u) => u.pathname === '/home');
  await context.clearCookies();

  // 4: refused, whatever the email; what was typed stays; no account is made.
  const fourth = `limit-c-${stamp}@e2e.test`;
  form = await signUp(page, fourth);
  await expect(formMessage(form)).toHaveText(zh('errors.signup_rate_limited'));
  await expect(page).toHaveURL(/\/signup$/);
  await expect(form.locator('input[name="email"]')).toHaveValue(fourth);
  expect(accountsWith(fourth)).toBe(0);
  expect(accountsWith(first)).toBe(1);
  await context.close();
});
