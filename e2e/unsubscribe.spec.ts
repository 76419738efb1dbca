/**
 * The link at the foot of every reminder mail (lib/unsubscribe.ts): opened without signing in, it
 * asks first, then stops reminder mail for that account and says so; a link cut short or made for
 * another account changes nothing and says it is not valid. In either language.
 */
import { expect, test } from '@playwright/test';
import { unsubscribeToken } from '../lib/unsubscribe';
import { E2E_AUTH_SECRET } from '../scripts/e2e-secret.mjs';
import { emailRemindersOn, en, setLocale, signUp, userByEmail, zh } from './helpers';

test('the unsubscribe link asks first, then stops reminder mail without signing in; a wrong one changes nothing', async ({ page, browser }) => {
  const account = await signUp(page, { locale: 'zh-CN' });
  const { id } = userByEmail(account.email);
  const token = unsubscribeToken(id, E2E_AUTH_SECRET)!;
  expect(emailRemindersOn(account.email)).toBe(true);

  // Opened from the mail on another device: no session.
  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  // A link cut short, or another account's: said to be invalid, nothing changed.
  await visitor.goto(`/mail/unsubscribe?u=${id}&t=${token.slice(0, 20)}`);
  await visitor.getByTestId('unsubscribe-form').getByRole('button', { name: zh('mail.unsubscribePage.button') }).click();
  await expect(visitor.getByTestId('unsubscribe-invalid')).toHaveText(zh('mail.unsubscribePage.invalid'));
  expect(emailRemindersOn(account.email)).toBe(true);

  // The real link: opening it changes nothing (mail scanners open links); the button does.
  await visitor.goto(`/mail/unsubscribe?u=${id}&t=${token}`);
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(zh('mail.unsubscribePage.title'));
  await expect(visitor.getByTestId('unsubscribe-page')).toContainText(zh('mail.unsubscribePage.unaffected'));
  expect(emailRemindersOn(account.email)).toBe(true);
  await visitor.getByTestId('unsubscribe-form').getByRole('button', { name: zh('mail.unsubscribePage.button') }).click();
  await expect(visitor).toHaveURL(/\/mail\/unsubscribe\?done=1$/);
  await expect(visitor.getByTestId('unsubscribe-done')).toHaveText(zh('mail.unsubscribePage.done'));
  expect(emailRemindersOn(account.email)).toBe(false);
  await visitor.context().close();

  // In English for a reader who switches to it.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`/mail/unsubscribe?u=${id}&t=${token}`);
  await setLocale(reader, 'en');
  await expect(reader.getByTestId('unsubscribe-form').getByRole('button', { name: en('mail.unsubscribePage.button') })).toBeVisible();
  await reader.context().close();
});
