/**
 * A form left open while the reader switches language (components/form/action-form.tsx): a refusal
 * is not left standing in the other language, what was typed stays, and a case's edit form still
 * sends the version it was opened with, so that a change saved elsewhere meanwhile is found and
 * shown rather than overwritten because the page was drawn again.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { caseRow, createCase, en, formMessage, hydrated, setLocale, signOut, signUp, submitButton, submitSignIn, zh } from './helpers';

const LENDER = '招联金融';

/** A case whose edit form `page` has open while another tab saves a new note ("另一个标签页的备注"). */
async function noteSavedElsewhere(page: Page, context: BrowserContext): Promise<number> {
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER, principal: '1000', note: '原来的备注' });
  await page.goto(`/cases/${caseId}/edit`);
  const other = await context.newPage();
  await other.goto(`/cases/${caseId}/edit`);
  const otherForm = other.getByTestId('case-edit-form');
  await (await hydrated(otherForm.locator('textarea[name="note"]'))).fill('另一个标签页的备注');
  await submitButton(otherForm).click();
  await other.waitForURL(new RegExp(`/cases/${caseId}$`));
  return caseId;
}

test('a refused sign-in, then English: the refusal is not left in Chinese, the address stays, and sending again says why in English', async ({ page }) => {
  const account = await signUp(page, { locale: 'zh-CN' });
  await signOut(page);
  await submitSignIn(page, account.email, 'wrong-password-1');
  const form = page.getByTestId('signin-form');
  await expect(formMessage(form)).toHaveText(zh('auth.invalidCredentials'));

  await setLocale(page, 'en');
  await expect(formMessage(form)).toHaveText(en('common.error.otherLanguage'));
  await expect(form.locator('input[name="email"]')).toHaveValue(account.email);

  await submitSignIn(page, account.email, 'wrong-password-2');
  await expect(formMessage(form)).toHaveText(en('auth.invalidCredentials'));
});

test('the edit form keeps the version it was opened with when the language switches: a change saved meanwhile is shown, not overwritten', async ({ page, context }) => {
  const caseId = await noteSavedElsewhere(page, context);
  expect(caseRow(caseId)).toMatchObject({ note: '另一个标签页的备注', version: 2 });

  // This tab switches to English (the page is drawn again, with the case as it is now), then types its own note.
  await setLocale(page, 'en');
  const form = page.getByTestId('case-edit-form');
  await form.locator('textarea[name="note"]').fill('This tab\'s note');
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(en('cases.conflict.message'));
  await expect(form.getByTestId('error-note')).toHaveText(en('cases.conflict.savedNow', { value: '另一个标签页的备注' }));
  expect(caseRow(caseId)).toMatchObject({ note: '另一个标签页的备注', version: 2 });
});

test('a conflict answered in Chinese, then English: sending again asks again, in English, instead of saving', async ({ page, context }) => {
  const caseId = await noteSavedElsewhere(page, context);

  const form = page.getByTestId('case-edit-form');
  await form.locator('textarea[name="note"]').fill('这个标签页的备注');
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(zh('cases.conflict.message'));

  await setLocale(page, 'en');
  await expect(formMessage(form)).toHaveText(en('common.error.otherLanguage'));
  await expect(form.getByTestId('error-note')).toHaveCount(0);
  await expect(form.locator('textarea[name="note"]')).toHaveValue('这个标签页的备注');

  // Sent again: the question again, now in English; nothing saved over the other tab's note.
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(en('cases.conflict.message'));
  await expect(form.getByTestId('error-note')).toHaveText(en('cases.conflict.savedNow', { value: '另一个标签页的备注' }));
  expect(caseRow(caseId)).toMatchObject({ note: '另一个标签页的备注', version: 2 });

  // And saving once more, with both in view, is the choice it always was.
  await submitButton(form).click();
  await page.waitForURL(new RegExp(`/cases/${caseId}$`));
  expect(caseRow(caseId)).toMatchObject({ note: '这个标签页的备注', version: 3 });
});

test('an invitation just made, then English: the code stays, and the line saying until when it works follows the language', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await page.goto('/sharing');
  await submitButton(page.getByTestId('invite-form')).click();
  const code = await page.getByTestId('invite-code').textContent();
  const expires = page.getByTestId('invite-expires');
  await expect(expires).toHaveText(/^有效期至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  expect(zh('sharing.invite.expires', { date: 'X' })).toBe('有效期至 X');

  await setLocale(page, 'en');
  await expect(page.getByTestId('invite-code')).toHaveText(code!);
  await expect(expires).toHaveText(/^Valid until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}$/);
  expect(en('sharing.invite.expires', { date: 'X' })).toBe('Valid until X');
});
