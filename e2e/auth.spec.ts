/**
 * Accounts and sessions: sign up, in and out; the generic wrong-password message; the per-account
 * sign-in limit; passwords too easy to guess refused; a new sign-in email; a password change and "sign out everywhere" ending the other browsers'
 * sessions; the language choice remembered; and an anonymous visitor seeing only the sign-in page.
 */
import { expect, test, type Browser, type BrowserContext, type Page, type Route } from '@playwright/test';
import {
  createCase,
  en,
  formMessage,
  PASSWORD,
  setLocale,
  signIn,
  signOut,
  signOutButton,
  signUp,
  submitButton,
  submitSignIn,
  uniqueEmail,
  userByEmail,
  zh,
} from './helpers';

/** A second browser (its own cookies), signed in as `account`. */
async function secondBrowser(browser: Browser, account: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, account);
  return { context, page };
}

/** Catches the next server action's answer on `page`: its body as it travels, not as the form shows it. */
async function catchActionAnswer(page: Page): Promise<{ body: Promise<string> }> {
  let resolve!: (body: string) => void;
  const body = new Promise<string>((r) => (resolve = r));
  const handler = async (route: Route) => {
    if (route.request().method() !== 'POST' || !route.request().headers()['next-action']) return route.fallback();
    const res = await route.fetch();
    const text = await res.text();
    await route.fulfill({ response: res, body: text });
    resolve(text);
    await page.unroute('**/*', handler);
  };
  await page.route('**/*', handler);
  return { body };
}

test.describe('sign up, in and out', () => {
  test('a new borrower signs up, signs out, and signs back in', async ({ page }) => {
    const account = await signUp(page);
    await expect(page.getByTestId('viewer-name')).toHaveText(account.displayName);
    await expect(page.getByTestId('cases-empty')).toBeVisible();

    await signOut(page);
    await expect(page.getByTestId('signin-form')).toBeVisible();
    await expect(signOutButton(page)).toHaveCount(0);
    await page.goto('/cases');
    await expect(page).toHaveURL(/\/signin\?next=%2Fcases$/);

    await signIn(page, account);
    await expect(page.getByTestId('viewer-name')).toHaveText(account.displayName);
    // Signed in, the sign-in and sign-up pages send you on, into the app.
    for (const url of ['/signin', '/signup']) {
      await page.goto(url);
      expect(['/signin', '/signup', '/'], url).not.toContain(new URL(page.url()).pathname);
      await expect(page.getByTestId('viewer-name'), url).toHaveText(account.displayName);
    }
  });

  test('sign-up refuses bad input and a taken address, keeping what was typed', async ({ page }) => {
    const account = await signUp(page);
    await signOut(page);

    await page.goto('/signup');
    const form = page.getByTestId('signup-form');
    await form.locator('input[name="displayName"]').fill('小张');
    await form.locator('input[name="email"]').fill('not-an-address');
    await form.locator('input[name="password"]').fill('short');
    await form.locator('button[type="submit"]').click();
    await expect(formMessage(form)).toHaveText(zh('errors.check_fields'));
    await expect(form.getByTestId('error-email')).toHaveText(zh('errors.email_invalid'));
    await expect(form.getByTestId('error-password')).toHaveText(zh('errors.password_short'));
    await expect(form.locator('input[name="displayName"]')).toHaveValue('小张');

    // Long enough but too easy to guess: refused at the password, with the hint saying what to choose,
    // beside the address still wrong (one round for both).
    await form.locator('input[name="password"]').fill('woaini1314');
    await form.locator('button[type="submit"]').click();
    await expect(form.getByTestId('error-email')).toHaveText(zh('errors.email_invalid'));
    await expect(form.getByTestId('error-password')).toHaveText(zh('errors.password_weak'));
    const fresh = uniqueEmail('weak');
    await form.locator('input[name="email"]').fill(fresh);
    await form.locator('input[name="password"]').fill('woaini1314');
    await form.locator('button[type="submit"]').click();
    await expect(form.getByTestId('error-email')).toHaveCount(0);
    await expect(form.getByTestId('error-password')).toHaveText(zh('errors.password_weak'));
    await expect(form.locator('input[name="email"]')).toHaveValue(fresh);
    expect(() => userByEmail(fresh)).toThrow();

    await form.locator('input[name="email"]').fill(account.email.toUpperCase());
    await form.locator('input[name="password"]').fill(PASSWORD);
    await form.locator('button[type="submit"]').click();
    await expect(form.getByTestId('error-email')).toHaveText(zh('errors.email_taken'));
    await expect(page).toHaveURL(/\/signup$/);
    // The password is not sent back: the emptied field says so, and is tied to what it says.
    const password = form.locator('input[name="password"]');
    await expect(password).toHaveValue('');
    const hintId = await password.getAttribute('aria-describedby');
    await expect(form.locator(`[id="${hintId}"]`)).toHaveText(zh('common.error.passwordAgain'));
  });

  test('a wrong password and an unknown address get the same message, and no session', async ({ page }) => {
    const account = await signUp(page);
    await signOut(page);

    await submitSignIn(page, account.email, 'wrong-password-1');
    const form = page.getByTestId('signin-form');
    await expect(formMessage(form)).toHaveText(zh('auth.invalidCredentials'));
    await expect(form.locator('input[name="email"]')).toHaveValue(account.email);
    await expect(form.locator('input[name="password"]')).toHaveValue('');

    await submitSignIn(page, uniqueEmail('nobody'), 'wrong-password-1');
    await expect(formMessage(form)).toHaveText(zh('auth.invalidCredentials'));

    await page.goto('/cases');
    await expect(page).toHaveURL(/\/signin\?next=%2Fcases$/);
  });

  test('after 5 wrong passwords for one account, sign-in is refused for a while, even with the right one', async ({ page, browser }) => {
    // A dedicated account: the limit is per account, and this test uses it up.
    const account = await signUp(page);
    const other = await signUp(await (await browser.newContext()).newPage());
    await signOut(page);

    const form = page.getByTestId('signin-form');
    // The last three wrong passwords say how many tries are left, so the owner can stop or reset it.
    const left = ['还可以再试 2 次，都不对的话要等 15 分钟才能再登录。', '还可以再试 1 次，都不对的话要等 15 分钟才能再登录。', '已经错了太多次：请 15 分钟后再试，忘记了密码可以重设。'];
    for (let i = 1; i <= 5; i++) {
      await submitSignIn(page, account.email, `wrong-password-${i}`);
      await expect(formMessage(form)).toHaveText(i <= 2 ? zh('auth.invalidCredentials') : `${zh('auth.invalidCredentials')}${left[i - 3]}`);
    }
    await submitSignIn(page, account.email, 'wrong-password-6');
    await expect(formMessage(form)).toHaveText(zh('auth.rateLimited'));
    await submitSignIn(page, account.email, account.password);
    await expect(formMessage(form)).toHaveText(zh('auth.rateLimited'));
    await page.goto('/cases');
    await expect(page).toHaveURL(/\/signin\?next=%2Fcases$/);

    // The limit is the account's, not the address's: another account signs in from the same place.
    await signIn(page, other);
    await expect(page.getByTestId('viewer-name')).toHaveText(other.displayName);
  });
});

test.describe('sessions', () => {
  test('changing the password ends the other browsers\' sessions, and only the new password works', async ({ page, browser }) => {
    const account = await signUp(page);
    const second = await secondBrowser(browser, account);
    await second.page.goto('/cases');
    await expect(second.page.getByTestId('viewer-name')).toHaveText(account.displayName);

    await page.goto('/settings');
    const form = page.getByTestId('password-form');
    // Refused first: the current password is wrong, and the new one too easy to guess; then the confirmation does not match.
    await form.locator('input[name="current"]').fill('not-my-password');
    await form.locator('input[name="next"]').fill('12345678');
    await form.locator('input[name="confirm"]').fill('12345678');
    const answer = await catchActionAnswer(page);
    await form.locator('button[type="submit"]').click();
    // The passwords are not in the answer: the emptied fields are typed again.
    const body = await answer.body;
    expect(body).toContain('"fieldErrors"');
    expect(body).not.toContain('not-my-password');
    expect(body).not.toContain('"12345678"');
    // Said at the current password, the field that was wrong, and beside it what is wrong with the new one.
    await expect(form.getByTestId('error-current')).toHaveText(zh('errors.wrong_password'));
    await expect(form.locator('input[name="current"]')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByTestId('error-next')).toHaveText(zh('errors.password_weak'));
    await form.locator('input[name="current"]').fill(account.password);
    await form.locator('input[name="next"]').fill('12345678');
    await form.locator('input[name="confirm"]').fill('12345679');
    await form.locator('button[type="submit"]').click();
    await expect(form.getByTestId('error-next')).toHaveText(zh('errors.password_weak'));
    await expect(form.getByTestId('error-confirm')).toHaveText(zh('errors.password_mismatch'));
    await form.locator('input[name="current"]').fill(account.password);
    await form.locator('input[name="next"]').fill('new-password-123');
    await form.locator('input[name="confirm"]').fill('new-password-124');
    await form.locator('button[type="submit"]').click();
    await expect(form.getByTestId('error-confirm')).toHaveText(zh('errors.password_mismatch'));
    await form.locator('input[name="current"]').fill(account.password);
    await form.locator('input[name="next"]').fill('12345678');
    await form.locator('input[name="confirm"]').fill('12345678');
    await form.locator('button[type="submit"]').click();
    await expect(form.getByTestId('error-next')).toHaveText(zh('errors.password_weak'));

    // The other browser is still in after the refusals.
    await second.page.reload();
    await expect(second.page.getByTestId('viewer-name')).toHaveText(account.displayName);

    await form.locator('input[name="current"]').fill(account.password);
    await form.locator('input[name="next"]').fill('new-password-123');
    await form.locator('input[name="confirm"]').fill('new-password-123');
    await form.locator('button[type="submit"]').click();
    await expect(formMessage(form)).toHaveText(zh('settings.passwordChanged'));

    // This browser stays signed in; the other one is out on its next request.
    await page.goto('/cases');
    await expect(page.getByTestId('viewer-name')).toHaveText(account.displayName);
    await second.page.reload();
    await expect(second.page).toHaveURL(/\/signin\?next=%2Fcases$/);
    await expect(second.page.getByTestId('signin-form')).toBeVisible();

    await submitSignIn(second.page, account.email, account.password);
    await expect(formMessage(second.page.getByTestId('signin-form'))).toHaveText(zh('auth.invalidCredentials'));
    await signIn(second.page, { email: account.email, password: 'new-password-123' });
    await second.context.close();
  });

  test('changing the sign-in email: typos and a wrong password refused with what was typed kept, then only the new address signs in', async ({ page, browser }) => {
    const account = await signUp(page);
    const taken = await signUp(await (await browser.newContext()).newPage());
    const second = await secondBrowser(browser, account);
    await page.goto('/settings');
    const section = page.getByTestId('signin-email-section');
    await expect(section.getByRole('heading', { level: 2 })).toHaveText(zh('settings.signInEmail'));
    await expect(section.getByTestId('signin-email-now')).toHaveText(zh('settings.signInEmailNow', { email: account.email }));
    const form = page.getByTestId('email-change-form');
    const fill = async (email: string, confirm: string, password: string) => {
      await form.locator('input[name="email"]').fill(email);
      await form.locator('input[name="confirm"]').fill(confirm);
      await form.locator('input[name="password"]').fill(password);
      await submitButton(form).click();
    };
    const moved = uniqueEmail('moved');
    // A typo in the second address: refused there, both addresses kept, the password not sent back.
    const answer = await catchActionAnswer(page);
    await fill(moved, moved.replace('@', 'x@'), account.password);
    await expect(form.getByTestId('error-confirm')).toHaveText(zh('errors.email_mismatch'));
    const body = await answer.body;
    expect(body).toContain(moved.replace('@', 'x@'));
    expect(body).not.toContain(account.password);
    await expect(form.locator('input[name="email"]')).toHaveValue(moved);
    // A wrong password: refused at the password; another account's address: refused at the address.
    await fill(moved, moved, 'not-my-password');
    await expect(form.getByTestId('error-password')).toHaveText(zh('errors.wrong_password'));
    await fill(taken.email, taken.email, account.password);
    await expect(form.getByTestId('error-email')).toHaveText(zh('errors.email_taken'));
    expect(userByEmail(account.email).email).toBe(account.email);

    // Typed in capitals: kept lower-cased, said so, and shown as the address now.
    await fill(moved.toUpperCase(), moved, account.password);
    await expect(formMessage(form)).toHaveText(zh('settings.emailChanged', { email: moved }));
    await expect(section.getByTestId('signin-email-now')).toHaveText(zh('settings.signInEmailNow', { email: moved }));
    await expect(form.locator('input[name="email"]')).toHaveValue('');
    expect(() => userByEmail(account.email)).toThrow();

    // The other browser stays signed in, now under the new address.
    await second.page.goto('/settings');
    await expect(second.page.getByTestId('signin-email-now')).toHaveText(zh('settings.signInEmailNow', { email: moved }));
    await second.context.close();
    // Signed out, the old address no longer signs in; the new one does.
    await signOut(page);
    await submitSignIn(page, account.email, account.password);
    await expect(formMessage(page.getByTestId('signin-form'))).toHaveText(zh('auth.invalidCredentials'));
    await signIn(page, { email: moved, password: account.password });

    // In English, the same form says the same in English.
    await setLocale(page, 'en');
    await page.goto('/settings');
    await fill(moved, moved, account.password);
    await expect(form.getByTestId('error-email')).toHaveText(en('errors.email_unchanged'));
    const back = uniqueEmail('back');
    await fill(back, back, account.password);
    await expect(formMessage(form)).toHaveText(en('settings.emailChanged', { email: back }));
    await expect(section.getByTestId('signin-email-now')).toHaveText(en('settings.signInEmailNow', { email: back }));
  });

  test('"sign out everywhere" ends every other session, and this one stays', async ({ page, browser }) => {
    const account = await signUp(page);
    const second = await secondBrowser(browser, account);
    const third = await secondBrowser(browser, account);

    await page.goto('/settings');
    const form = page.getByTestId('signout-everywhere-form');
    await form.locator('button[type="submit"]').click();
    await expect(formMessage(form)).toHaveText(zh('settings.signedOutOthers', { count: 2 }));

    for (const other of [second, third]) {
      await other.page.goto('/settings');
      await expect(other.page).toHaveURL(/\/signin\?next=%2Fsettings$/);
      await other.context.close();
    }
    await page.reload();
    await expect(page.getByTestId('password-form')).toBeVisible();
  });

  test('a signed-out session cookie is dead, even if someone kept a copy', async ({ page, browser }) => {
    await signUp(page);
    await createCase(page, { principal: '100' });
    const kept = await page.context().storageState();
    await signOut(page);

    const thief = await browser.newContext({ storageState: kept });
    const thiefPage = await thief.newPage();
    await thiefPage.goto('/cases');
    await expect(thiefPage).toHaveURL(/\/signin\?next=%2Fcases$/);
    const res = await thiefPage.request.get('/cases', { maxRedirects: 0 });
    expect([303, 307, 308]).toContain(res.status());
    await thief.close();
  });
});

test.describe('language', () => {
  test('the language switch is remembered across reloads, sign-out and sign-in, and on the account', async ({ page, browser }) => {
    const account = await signUp(page, { locale: 'zh-CN' });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('cases.title'));
    expect(userByEmail(account.email).locale).toBe('zh-CN');

    await setLocale(page, 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en('cases.title'));
    await expect(page.getByTestId('locale-switch')).toHaveText(en('common.switchLanguage'));
    expect(userByEmail(account.email).locale).toBe('en');

    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en('cases.title'));

    await signOut(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en('auth.signIn'));
    await signIn(page, account);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en('cases.title'));

    // A browser that has never seen the choice: Chinese until the account signs in, then English.
    const fresh = await browser.newContext();
    const freshPage = await fresh.newPage();
    await freshPage.goto('/signin');
    await expect(freshPage.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await signIn(freshPage, account);
    await expect(freshPage.locator('html')).toHaveAttribute('lang', 'en');
    await expect(freshPage.getByRole('heading', { level: 1 })).toHaveText(en('cases.title'));

    // And back to Chinese, remembered the same way.
    await setLocale(freshPage, 'zh-CN');
    await freshPage.reload();
    await expect(freshPage.getByRole('heading', { level: 1 })).toHaveText(zh('cases.title'));
    expect(userByEmail(account.email).locale).toBe('zh-CN');
    await fresh.close();
  });
});

test.describe('an anonymous visitor', () => {
  const APP_URLS = ['/', '/cases', '/cases/new', '/cases/1', '/cases/1/edit', '/lenders', '/settings', '/reminders', '/documents/1'];

  test('gets the sign-in page for every app URL, and no data', async ({ page }) => {
    for (const url of APP_URLS) {
      const res = await page.goto(url);
      expect(res, url).not.toBeNull();
      const path = new URL(page.url()).pathname;
      if (path === '/signin') {
        await expect(page.getByTestId('signin-form'), url).toBeVisible();
      } else {
        expect(res!.status(), `${url} → ${path}`).toBe(404);
      }
      await expect(page.getByTestId('case-page'), url).toHaveCount(0);
      await expect(page.getByTestId('case-list'), url).toHaveCount(0);
      await expect(signOutButton(page), url).toHaveCount(0);
    }
  });

  test('comes back to the page asked for after signing in: a link from a mail, an invitation; never another site', async ({ page, browser }) => {
    const borrower = await signUp(page, { locale: 'zh-CN' });
    await signOut(page);
    await page.goto('/reminders?open=later');
    await expect(page).toHaveURL(/\/signin\?next=%2Freminders%3Fopen%3Dlater$/);
    await submitSignIn(page, borrower.email, borrower.password);
    await expect(page).toHaveURL(/\/reminders\?open=later$/);

    // An advisor opens a borrower's invitation link signed out: the page's sign-in link comes back to it.
    const advisorPage = await (await browser.newContext()).newPage();
    const advisor = await signUp(advisorPage, { role: 'advisor', locale: 'zh-CN' });
    await signOut(advisorPage);
    await advisorPage.goto('/share/accept?code=ABCD-EFGH-JKLM');
    await advisorPage.getByTestId('accept-signed-out').getByRole('link', { name: zh('sharing.accept.signIn') }).click();
    await advisorPage.waitForURL(/\/signin\?next=%2Fshare%2Faccept%3Fcode%3DABCD-EFGH-JKLM$/);
    await submitSignIn(advisorPage, advisor.email, advisor.password);
    await expect(advisorPage).toHaveURL(/\/share\/accept\?code=ABCD-EFGH-JKLM$/);

    // A way back to another site is dropped: signing in lands on the start page.
    await signOut(page);
    await page.goto('/signin?next=%2F%2Fevil.example%2F');
    await submitSignIn(page, borrower.email, borrower.password);
    await expect(page).toHaveURL(/\/home$/);
  });

  test("sees the app's icon in the tab: linked from the sign-in page, served without a session", async ({ page }) => {
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto('/signin');
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await page.request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/svg+xml');
    expect(await icon.text()).toContain('<svg');
    // With an icon linked, the browser asks for no /favicon.ico (which would be a 404).
    expect(failed).toEqual([]);
  });

  test('without following redirects: every URL answers with the way to /signin or the download\'s not-found page', async ({ playwright, baseURL }) => {
    // No cookie at all, and a forged session cookie (which gets past the cookie check in proxy.ts).
    for (const cookie of [undefined, 'authjs.session-token=forged-token']) {
      const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: cookie ? { cookie } : {} });
      for (const url of APP_URLS) {
        const res = await request.get(url, { maxRedirects: 0 });
        const where = `${url} (${cookie ? 'forged cookie' : 'no cookie'}) → ${res.status()}`;
        if (res.status() === 404) {
          // The document route: its "not found" page, the same for every reason, and no file.
          expect(url, where).toMatch(/^\/documents\//);
          expect(await res.text(), where).toContain(zh('common.notFound.title'));
          expect(res.headers()['content-disposition'], where).toBeUndefined();
        } else {
          expect([303, 307, 308], where).toContain(res.status());
          const location = new URL(res.headers()['location'] ?? '', baseURL);
          expect(location.pathname, where).toBe('/signin');
          // Signing in comes back to the page asked for (the start page needs no way back).
          expect(location.searchParams.get('next'), where).toBe(url === '/' ? null : url);
        }
      }
      await request.dispose();
    }
  });
});
