/**
 * A case deleted from a page opened before it changed elsewhere: the delete is refused and says why,
 * the case stays with what the other tab saved; pressed again, the person has decided, and it goes.
 */
import { expect, test } from '@playwright/test';
import { caseIdsOf, createCase, formMessage, rowsOf, signUp, submitButton, zh } from './helpers';

test('a stale delete of a case changed in another tab is refused, then done when pressed again', async ({ page, context }) => {
  const account = await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '1000' });

  // The first tab opens the case's settings; a second one records the amount the lender now gives.
  await page.goto(`/cases/${caseId}/edit`);
  const second = await context.newPage();
  await second.goto(`/cases/${caseId}/edit`);
  const edit = second.getByTestId('case-edit-form');
  await edit.locator('input[name="principal"]').fill('1500');
  await submitButton(edit).click();
  await second.waitForURL(new RegExp(`/cases/${caseId}$`));

  const del = page.getByTestId('delete-case-form');
  await del.getByRole('button', { name: zh('cases.delete.button') }).click();
  await del.getByRole('button', { name: zh('cases.delete.confirm') }).click();
  await expect(formMessage(del)).toHaveText(zh('errors.case_changed'));
  expect(caseIdsOf(account.email)).toEqual([caseId]);
  expect(rowsOf('case_events', [caseId]).length).toBeGreaterThan(0);
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}/edit$`));

  // The question stays asked beside the message; confirmed again, having seen it: it is deleted.
  await del.getByRole('button', { name: zh('cases.delete.confirm') }).click();
  await page.waitForURL(/\/cases\?done=deleted$/);
  expect(caseIdsOf(account.email)).toEqual([]);
});
