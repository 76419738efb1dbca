/**
 * A borrower halfway through a new case finds the lender missing: "add a lender only you can see"
 * goes to /lenders and comes back with it chosen. What was typed comes back too
 * (app/cases/_components/new-case-draft.tsx), once.
 */
import { expect, test } from '@playwright/test';
import { signUp, submitButton } from './helpers';

test('adding a private lender from a half-filled new case keeps the amounts, date and note typed', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await page.goto('/cases/new');
  let form = page.getByTestId('case-form');
  await form.locator('input[name="principal"]').fill('5000.50');
  await form.locator('input[name="penalty"]').fill('120');
  await form.locator('input[name="overdueSince"]').fill('2026-09-15');
  await form.locator('textarea[name="note"]').fill('客服说可以申请分期，需要收入证明');

  await form.getByTestId('add-private-lender-link').click();
  await expect(page).toHaveURL(/\/lenders\?from=new-case/);
  const lenderForm = page.getByTestId('lender-form');
  await lenderForm.locator('input[name="name"]').fill('某某小额贷款');
  await lenderForm.locator('select[name="kind"]').selectOption({ index: 1 });
  await submitButton(lenderForm).click();

  await expect(page).toHaveURL(/\/cases\/new\?lender=\d+$/);
  form = page.getByTestId('case-form');
  await expect(form.getByTestId('lender-select').locator('option:checked')).toHaveText(/某某小额贷款/);
  await expect(form.locator('input[name="principal"]')).toHaveValue('5000.50');
  await expect(form.locator('input[name="penalty"]')).toHaveValue('120');
  await expect(form.locator('input[name="interest"]')).toHaveValue('');
  await expect(form.locator('input[name="overdueSince"]')).toHaveValue('2026-09-15');
  await expect(form.locator('textarea[name="note"]')).toHaveValue('客服说可以申请分期，需要收入证明');

  // Saved as typed.
  await submitButton(form).click();
  await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
  await expect(page.getByTestId('case-page')).toContainText('¥5,000.50');

  // Kept once: a new case started afterwards is empty.
  await page.goto('/cases/new');
  await expect(page.getByTestId('case-form').locator('input[name="principal"]')).toHaveValue('');
  await expect(page.getByTestId('case-form').locator('textarea[name="note"]')).toHaveValue('');
});
