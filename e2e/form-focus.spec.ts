/**
 * A form the server refused puts the keyboard focus where the problem is: on the first field in
 * error, or, when no field is to blame (the case changed in another tab, a wrong password), on the
 * form's message; a form that saved, on the message saying so. Never on <body> at the top of a page
 * still scrolled to the form.
 */
import { expect, test } from '@playwright/test';
import { actionForm, createCase, expectCaseStatus, formMessage, signUp, submitButton, submitSignIn, zh } from './helpers';

test('a refused form focuses its first invalid field, or its message', async ({ page, context }) => {
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融' });

  // The contact form, sent without a summary: the summary has the focus.
  await page.goto(`/cases/${caseId}?open=contact`);
  const contact = page.getByTestId('contact-form');
  await submitButton(contact).click();
  await expect(contact.getByTestId('error-summary')).toHaveText(zh('errors.required'));
  const summary = contact.locator('textarea[name="summary"]');
  await expect(summary).toHaveAttribute('aria-invalid', 'true');
  await expect(summary).toBeFocused();
  // Required fields say so to a screen reader too (the star is only seen); optional ones do not.
  await expect(summary).toHaveAttribute('aria-required', 'true');
  await expect(contact.locator('input[name="agentId"]')).not.toHaveAttribute('aria-required', /.*/);
  // Sent again, saved: the message that says so has the focus, not <body>.
  await summary.fill('客服说三个工作日内回电');
  await submitButton(contact).click();
  await expect(formMessage(contact)).toHaveText(zh('case.saved.contactAdded'));
  await expect(formMessage(contact)).toBeFocused();

  // The new-case form with two errors: the first of them.
  await page.goto('/cases/new');
  const create = page.getByTestId('case-form');
  await create.locator('input[name="principal"]').fill('-5');
  await create.locator('input[name="interest"]').fill('abc');
  await submitButton(create).click();
  await expect(create.locator('[aria-invalid="true"]')).not.toHaveCount(0);
  await expect(create.locator('[aria-invalid="true"]').first()).toBeFocused();

  // A stale form: no field is wrong, the message takes the focus.
  const second = await context.newPage();
  await second.goto(`/cases/${caseId}`);
  const stale = await actionForm(second, 'withdraw', 'form-withdraw');
  await page.goto(`/cases/${caseId}`);
  const submit = await actionForm(page, 'submit', 'form-submit');
  await submit.locator('select[name="program"]').selectOption('suspension');
  await submit.locator('select[name="channel"]').selectOption('hotline');
  await submitButton(submit).click();
  await expectCaseStatus(page, 'under_review');
  await stale.getByRole('button', { name: zh('case.actions.withdraw') }).click();
  await stale.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click();
  await expect(formMessage(stale)).toHaveText(`${zh('errors.conflict')} ${zh('errors.conflict_open_latest')}`);
  await expect(formMessage(stale)).toBeFocused();
  // The case as it is now opens beside the form, which keeps what was typed.
  await expect(stale.getByTestId('form-message-link')).toHaveAttribute('href', `/cases/${caseId}`);
  await expect(stale.getByTestId('form-message-link')).toHaveAttribute('target', '_blank');
  await second.close();
});

test('a wrong password puts the focus on the sign-in form’s message', async ({ page, browser }) => {
  const account = await signUp(page);
  const other = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await submitSignIn(other, account.email, 'not-the-password');
  await expect(formMessage(other.getByTestId('signin-form'))).not.toBeEmpty();
  await expect(formMessage(other.getByTestId('signin-form'))).toBeFocused();
});

test('the first Tab offers a way past the header, to the page itself', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融' });
  await page.goto(`/cases/${caseId}`);
  const skip = page.getByTestId('skip-link');
  // Hidden until it has the focus (a 1 px screen-reader box), then shown.
  const width = async () => (await skip.boundingBox())?.width ?? 0;
  expect(await width()).toBeLessThanOrEqual(1);
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  await expect(skip).toHaveText(zh('common.skipToContent'));
  expect(await width()).toBeGreaterThan(20);
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});

test('a step that asks first moves the focus to its question’s button, and Escape puts it back', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融' });
  await page.goto(`/cases/${caseId}/edit`);
  const form = page.getByTestId('delete-case-form');
  const ask = form.getByRole('button', { name: zh('cases.delete.button') });
  await ask.focus();
  await page.keyboard.press('Enter');
  const confirm = form.getByRole('button', { name: zh('cases.delete.confirm') });
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(ask).toBeFocused();
  // Nothing was deleted: the case is still there.
  await page.goto(`/cases/${caseId}`);
  await expect(page.getByTestId('case-page')).toBeVisible();
});
