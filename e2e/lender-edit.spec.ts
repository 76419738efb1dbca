/**
 * A private lender corrected in two tabs: the later save is refused, says why and keeps what was
 * typed; sent again from the same form, it is saved (as the case and reminder forms do).
 */
import { expect, test } from '@playwright/test';
import { formMessage, signUp, submitButton, zh } from './helpers';

test('two tabs correcting one private lender: the later save is refused and keeps what was typed; sent again, it is saved', async ({ page }) => {
  await signUp(page);
  await page.goto('/lenders');
  const add = page.getByTestId('lender-form');
  await add.locator('input[name="name"]').fill('两页小贷');
  await add.locator('select[name="kind"]').selectOption('platform');
  await submitButton(add).click();
  await expect(formMessage(add)).toContainText('两页小贷');

  // The same page in a second tab, both forms opened before either is saved.
  const other = await page.context().newPage();
  await other.goto('/lenders');
  for (const p of [page, other]) await p.getByTestId('edit-private-lender').locator('summary').click();
  const first = page.getByTestId('edit-private-lender-form');
  const second = other.getByTestId('edit-private-lender-form');

  await first.locator('input[name="hotline"]').fill('400-800-1111');
  await submitButton(first).click();
  await expect(formMessage(first)).toContainText('两页小贷');

  await second.locator('input[name="hotline"]').fill('400-800-2222');
  await submitButton(second).click();
  await expect(formMessage(second)).toHaveText(zh('errors.private_lender_changed'));
  await expect(second.locator('input[name="hotline"]')).toHaveValue('400-800-2222');
  await page.reload();
  await expect(page.getByTestId('private-lenders').getByTestId('lender-hotline')).toHaveText('400-800-1111');

  // Sent again as it is: saved, over the first tab's save.
  await submitButton(second).click();
  await expect(formMessage(second)).toContainText('两页小贷');
  await page.reload();
  await expect(page.getByTestId('private-lenders').getByTestId('lender-hotline')).toHaveText('400-800-2222');
  await other.close();
});
