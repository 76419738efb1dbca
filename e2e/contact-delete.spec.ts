/**
 * A contact deleted from a page drawn before it was corrected elsewhere: the delete is refused and
 * says why, the contact stays; pressed again, the person has decided, and it goes.
 */
import { expect, test } from '@playwright/test';
import { caseIdsOf, createCase, formMessage, hydrated, openFold, rowsOf, signUp, submitButton, zh } from './helpers';

test('a stale delete of a contact corrected in another tab is refused, then done when pressed again', async ({ page, context }) => {
  const account = await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '1000' });
  const add = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await add.locator('textarea[name="summary"]').fill('客服说会回电');
  await submitButton(add).click();
  await expect(page.getByTestId('contacts').getByTestId('contact')).toHaveCount(1);

  // The first tab stays open on the case while a second one corrects the contact.
  const second = await context.newPage();
  await second.goto(`/cases/${caseId}`);
  const fix = (await openFold(second.getByTestId('contacts').getByTestId('contact').getByTestId('correct-contact'))).getByTestId('correct-contact-form');
  await (await hydrated(fix.locator('textarea[name="summary"]'))).fill('客服承诺三天内回电，工号 8812');
  await submitButton(fix).click();
  await expect(fix.getByTestId('form-message')).toHaveText(zh('case.saved.contactCorrected'));

  const deleteForm = page.getByTestId('contacts').getByTestId('contact-delete-form');
  await deleteForm.getByRole('button', { name: zh('case.contacts.delete') }).click();
  await deleteForm.getByRole('button', { name: zh('case.confirm.delete') }).click();
  await expect(formMessage(deleteForm)).toHaveText(zh('errors.contact_changed'));
  expect(rowsOf('contacts', caseIdsOf(account.email))).toMatchObject([{ summary: '客服承诺三天内回电，工号 8812' }]);

  // Pressed again, having seen the message: it is deleted.
  await deleteForm.getByRole('button', { name: zh('case.contacts.delete') }).click();
  await deleteForm.getByRole('button', { name: zh('case.confirm.delete') }).click();
  await expect(page.getByTestId('contacts').getByTestId('contact')).toHaveCount(0);
  expect(rowsOf('contacts', caseIdsOf(account.email))).toEqual([]);
  // The timeline names what went: its way and its time.
  await expect(page.getByTestId('event-text').filter({ hasText: '删除了一条沟通记录' }).first()).toHaveText(/^删除了一条沟通记录（.+，\d{4}年\d{1,2}月\d{1,2}日.*）/);
});
