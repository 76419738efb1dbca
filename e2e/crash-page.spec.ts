/**
 * When the root layout itself fails — the header's read of the database, say — app/error.tsx
 * cannot help (it sits inside the layout): app/global-error.tsx replaces the whole document.
 * Without it, Next shows its own page, in English only. The e2e server is started with
 * RESPITE_FAULTS=1 (lib/faults.ts), so a request carrying `x-respite-fault: root-layout` fails
 * there; requests without the header are served as always.
 *
 * Next answers such a request with 500 and an empty document that its script fills in with this
 * page, as it does for notFound(): without JavaScript the page stays blank (not tested here).
 */
import { expect, test, type Page } from '@playwright/test';
import { en, signUp, zh } from './helpers';

const FAULT = { 'x-respite-fault': 'root-layout' };

/** The crash page: both languages, Chinese first, whatever language the visitor chose. */
async function expectCrashPage(page: Page) {
  const crash = page.getByTestId('crash');
  await expect(crash).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(crash.getByTestId('crash-zh-CN')).toHaveAttribute('lang', 'zh-CN');
  await expect(crash.getByTestId('crash-zh-CN').getByRole('heading')).toHaveText(zh('crash.title'));
  await expect(crash.getByTestId('crash-zh-CN')).toContainText(zh('crash.body'));
  await expect(crash.getByTestId('crash-en')).toHaveAttribute('lang', 'en');
  await expect(crash.getByTestId('crash-en').getByRole('heading')).toHaveText(en('crash.title'));
  await expect(crash.getByTestId('crash-en')).toContainText(en('crash.body'));
  await expect(crash.getByTestId('crash-reload')).toHaveText(`${zh('crash.reload')} / ${en('crash.reload')}`);
  await expect(crash.getByTestId('crash-home')).toHaveAttribute('href', '/');
  // The number the server logged the error under, for whoever reads the logs.
  await expect(crash.getByTestId('crash-digest')).toContainText(`${zh('crash.digest')} / ${en('crash.digest')}:`);
  await expect(crash.getByTestId('crash-digest').locator('code')).toHaveText(/^\S+$/);
  // Not Next's own page, which is English only.
  await expect(page.getByText('This page couldn’t load')).toHaveCount(0);
  await expect(page).toHaveTitle(`${zh('crash.title')} · ${en('crash.title')}`);
}

/** Asks for `path` with the root layout made to fail: a 500 and the crash page; later requests are served as always. */
async function openFailing(page: Page, path: string) {
  await page.setExtraHTTPHeaders(FAULT);
  const answer = await page.goto(path);
  expect(answer?.status()).toBe(500);
  await expectCrashPage(page);
  await page.setExtraHTTPHeaders({});
}

test('a failing root layout answers 500 with a page in both languages; "Reload" brings back the page asked for, query and all', async ({ page }) => {
  // Someone who reads the app in English still sees the Chinese first (their choice is on the account
  // the failing layout could not read) and their own language beneath it.
  await signUp(page, { locale: 'en' });
  await openFailing(page, '/cases?status=active');

  // The fault passes; "Reload" asks for the same address again.
  await page.getByTestId('crash-reload').click();
  await expect(page.getByTestId('crash')).toHaveCount(0);
  await expect(page).toHaveURL(/\/cases\?status=active$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('a visitor who is not signed in gets the same page, and its link leads home (for them, sign-in)', async ({ page }) => {
  await openFailing(page, '/signup');
  await page.getByTestId('crash-home').click();
  await expect(page).toHaveURL((url) => url.pathname === '/signin');
  await expect(page.getByTestId('crash')).toHaveCount(0);
  await expect(page.getByTestId('signin-form')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});
