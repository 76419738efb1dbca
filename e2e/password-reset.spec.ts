/**
 * A person who forgot the password (lib/password-reset.ts). Sign-in links to 忘记密码; where the
 * server sends no mail (as here) that page says to ask the administrator, who makes the link. The
 * link, opened without a session, names the account, sets a new password once, signs every device
 * out, and lands on sign-in saying so; opened again, or ended, it says it no longer works. The
 * mail itself, through a real SMTP server, is in db/users.test.ts.
 */
import { expect, test } from '@playwright/test';
import { en, formMessage, resetLinkToken, setLocale, signIn, signUp, submitButton, zh } from './helpers';

test('a forgotten password: the way to a link, then the link sets a new one once and signs every device out', async ({ page, browser }) => {
  const account = await signUp(page, { locale: 'zh-CN' });
  const token = resetLinkToken(account.email);

  // Signed out, on another device: sign-in leads to 忘记密码, which (no mail here) says whom to ask.
  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await visitor.goto('/signin');
  await visitor.getByTestId('forgot-link').click();
  await expect(visitor).toHaveURL(/\/forgot-password$/);
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(zh('auth.forgot.title'));
  await expect(visitor.getByTestId('forgot-no-mail')).toHaveText(zh('auth.forgot.noMail'));
  await expect(visitor).toHaveTitle(new RegExp(zh('auth.forgot.title')));
  await setLocale(visitor, 'en');
  await expect(visitor.getByTestId('forgot-no-mail')).toHaveText(en('auth.forgot.noMail'));

  // The link: it names the account; two passwords that differ are refused beside the second, and one
  // too easy to guess beside the first, in the same round.
  await visitor.goto(`/reset-password?t=${encodeURIComponent(token)}`);
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(en('auth.reset.title'));
  await expect(visitor.getByText(account.email)).toBeVisible();
  const form = visitor.getByTestId('reset-form');
  await form.locator('input[name="next"]').fill('a new password 1');
  await form.locator('input[name="confirm"]').fill('a new password 2');
  await submitButton(form).click();
  await expect(form.getByTestId('error-confirm')).toHaveText(en('errors.password_mismatch'));
  await expect(form.getByTestId('error-next')).toHaveCount(0);
  await form.locator('input[name="next"]').fill('password1');
  await form.locator('input[name="confirm"]').fill('password2');
  await submitButton(form).click();
  await expect(form.getByTestId('error-next')).toHaveText(en('errors.password_weak'));
  await expect(form.getByTestId('error-confirm')).toHaveText(en('errors.password_mismatch'));
  await form.locator('input[name="next"]').fill('password1');
  await form.locator('input[name="confirm"]').fill('password1');
  await submitButton(form).click();
  await expect(form.getByTestId('error-next')).toHaveText(en('errors.password_weak'));
  await form.locator('input[name="next"]').fill('a new password 1');
  await form.locator('input[name="confirm"]').fill('a new password 1');
  await submitButton(form).click();
  await expect(visitor).toHaveURL(/\/signin\?reset=1$/);
  await expect(visitor.getByTestId('password-reset-done')).toHaveText(en('auth.resetDone'));

  // Every device is signed out: the first browser's next page asks to sign in.
  await page.goto('/cases');
  await expect(page).toHaveURL(/\/signin/);
  // The old password no longer works; the new one does.
  await page.goto('/signin');
  const signin = page.getByTestId('signin-form');
  await signin.locator('input[name="email"]').fill(account.email);
  await signin.locator('input[name="password"]').fill(account.password);
  await submitButton(signin).click();
  await expect(formMessage(signin)).toHaveText(zh('auth.invalidCredentials'));
  await signIn(page, { email: account.email, password: 'a new password 1' });

  // Once: the same link now says it no longer works, with the way to a new one; so does one that ended.
  for (const used of [token, resetLinkToken(account.email, new Date(Date.now() - 2 * 60 * 60_000))]) {
    await visitor.goto(`/reset-password?t=${encodeURIComponent(used)}`);
    await expect(visitor.getByTestId('reset-invalid')).toHaveText(en('auth.reset.invalid'));
    await expect(visitor.getByTestId('reset-form')).toHaveCount(0);
    await expect(visitor.getByRole('link', { name: en('auth.reset.askAgain') })).toHaveAttribute('href', '/forgot-password');
  }
  await visitor.context().close();
});

test('a reset link opened in Chinese, sent after it stopped working: said so, and nothing changes', async ({ page, browser }) => {
  const account = await signUp(page, { locale: 'zh-CN' });
  const token = resetLinkToken(account.email);
  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await visitor.goto(`/reset-password?t=${encodeURIComponent(token)}`);
  await expect(visitor.getByText(zh('auth.reset.intro', { email: account.email }))).toBeVisible();
  // Meanwhile the password is changed in settings: the open form's link no longer works.
  await page.goto('/settings');
  const change = page.getByTestId('password-form');
  await change.locator('input[name="current"]').fill(account.password);
  await change.locator('input[name="next"]').fill('changed in settings');
  await change.locator('input[name="confirm"]').fill('changed in settings');
  await submitButton(change).click();
  await expect(formMessage(change)).toBeVisible();
  const form = visitor.getByTestId('reset-form');
  await form.locator('input[name="next"]').fill('from the old link');
  await form.locator('input[name="confirm"]').fill('from the old link');
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(zh('errors.reset_link_invalid'));
  await visitor.context().close();
  // The password set in settings is the one that works.
  await page.context().clearCookies();
  await signIn(page, { email: account.email, password: 'changed in settings' });
});
