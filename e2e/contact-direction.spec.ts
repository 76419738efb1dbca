/**
 * Who reached out, and their number: a borrower records a collector's call as the lender's, with the
 * number that called, sees both on the contact and the timeline, and corrects them. A contact from
 * before the question was asked shows neither and can be corrected without answering it.
 */
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { caseIdsOf, createCase, DB_PATH, en, hydrated, openFold, rowsOf, signUp, submitButton, zh } from './helpers';

function contactRows(email: string) {
  return rowsOf('contacts', caseIdsOf(email));
}

async function openContactForm(page: Page) {
  return (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
}

test('a collector’s call recorded as theirs, with the number that called; corrected, the timeline says what changed', async ({ page }) => {
  test.setTimeout(90_000);
  const account = await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });

  const form = await openContactForm(page);
  const direction = form.getByRole('radiogroup', { name: zh('case.contacts.direction') });
  // Most contacts are the borrower's own call: that is chosen to begin with.
  await expect(direction.getByRole('radio', { name: zh('case.contacts.directionOption.outgoing'), exact: true })).toBeChecked();
  await direction.getByRole('radio', { name: zh('case.contacts.directionOption.incoming'), exact: true }).check();
  await form.getByLabel(zh('case.optionalLabel', { label: zh('case.contacts.theirNumber') })).fill('0755-8319 5555');
  await form.locator('textarea[name="summary"]').fill('催收来电，说要联系我的家人');
  await submitButton(form).click();

  const contact = page.getByTestId('contacts').getByTestId('contact');
  await expect(contact).toHaveCount(1);
  await expect(contact.getByTestId('contact-direction')).toHaveText(zh('domain.contactDirection.incoming'));
  await expect(contact.getByTestId('contact-number')).toHaveText(zh('case.contacts.number', { number: '0755-8319 5555' }));
  // On a phone, a tap calls it back.
  await expect(contact.getByTestId('contact-number').getByRole('link')).toHaveAttribute('href', 'tel:075583195555');
  const added = page.getByTestId('timeline').locator('[data-testid="event"][data-kind="contact_added"]');
  await expect(added).toContainText(zh('domain.contactDirection.incoming'));
  await expect(added).toContainText(zh('timeline.event.contactNumber', { number: '0755-8319 5555' }));
  expect(contactRows(account.email)).toMatchObject([{ direction: 'incoming', their_number: '0755-8319 5555' }]);

  // It was the borrower who called back, on the lender's hotline.
  const fix = (await openFold(contact.getByTestId('correct-contact'))).getByTestId('correct-contact-form');
  const fixDirection = fix.getByRole('radiogroup', { name: zh('case.contacts.direction') });
  await expect(fixDirection.getByRole('radio', { name: zh('case.contacts.directionOption.incoming'), exact: true })).toBeChecked();
  await expect(fix.locator('input[name="theirNumber"]')).toHaveValue('0755-8319 5555');
  await fixDirection.getByRole('radio', { name: zh('case.contacts.directionOption.outgoing'), exact: true }).check();
  await fix.locator('input[name="theirNumber"]').fill('95555');
  await submitButton(fix).click();
  await expect(fix.getByTestId('form-message')).toHaveText(zh('case.saved.contactCorrected'));
  await expect(contact.getByTestId('contact-direction')).toHaveText(zh('domain.contactDirection.outgoing'));
  await expect(contact.getByTestId('contact-number')).toHaveText(zh('case.contacts.number', { number: '95555' }));
  await expect(contact.getByTestId('contact-number').getByRole('link')).toHaveAttribute('href', 'tel:95555');
  const corrected = page.getByTestId('timeline').locator('[data-testid="event"][data-kind="contact_corrected"]');
  await expect(corrected).toContainText(
    zh('timeline.change', {
      field: zh('timeline.event.contactField.direction'),
      from: zh('domain.contactDirection.incoming'),
      to: zh('domain.contactDirection.outgoing'),
    }),
  );
  await expect(corrected).toContainText(zh('timeline.change', { field: zh('timeline.event.contactField.theirNumber'), from: '0755-8319 5555', to: '95555' }));
  expect(contactRows(account.email)).toMatchObject([{ direction: 'outgoing', their_number: '95555' }]);
});

test('a contact recorded before the question was asked shows no answer, and is corrected without one (English)', async ({ page }) => {
  test.setTimeout(90_000);
  const account = await signUp(page, { locale: 'en' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  const form = await openContactForm(page);
  await expect(form.getByRole('radio', { name: en('case.contacts.directionOption.outgoing'), exact: true })).toBeChecked();
  await form.locator('textarea[name="summary"]').fill('Asked about the review');
  await submitButton(form).click();
  const contact = page.getByTestId('contacts').getByTestId('contact');
  await expect(contact.getByTestId('contact-direction')).toHaveText(en('domain.contactDirection.outgoing'));
  await expect(contact.getByTestId('contact-number')).toHaveCount(0);

  // As migration 0020 left the contacts recorded before it.
  const [row] = contactRows(account.email);
  const db = new Database(DB_PATH, { fileMustExist: true });
  try {
    db.prepare('update contacts set direction = null where id = ?').run(row!.id);
  } finally {
    db.close();
  }
  await page.reload();
  await expect(contact.getByTestId('contact-direction')).toHaveCount(0);

  const fix = (await openFold(contact.getByTestId('correct-contact'))).getByTestId('correct-contact-form');
  const fixDirection = fix.getByRole('radiogroup', { name: en('case.contacts.direction') });
  await expect(fixDirection).not.toHaveAttribute('aria-required', /.*/);
  for (const radio of await fixDirection.getByRole('radio').all()) await expect(radio).not.toBeChecked();
  await (await hydrated(fix.locator('textarea[name="summary"]'))).fill('Asked about the review; they said five workdays');
  // Written to, not called: the address is kept as typed, and is no link to dial.
  await fix.locator('input[name="theirNumber"]').fill('kefu@example.cn');
  await submitButton(fix).click();
  await expect(fix.getByTestId('form-message')).toHaveText(en('case.saved.contactCorrected'));
  await expect(contact.getByTestId('contact-direction')).toHaveCount(0);
  await expect(contact.getByTestId('contact-number')).toHaveText(en('case.contacts.number', { number: 'kefu@example.cn' }));
  await expect(contact.getByTestId('contact-number').getByRole('link')).toHaveCount(0);
  expect(contactRows(account.email)).toMatchObject([{ id: row!.id, direction: null, summary: 'Asked about the review; they said five workdays' }]);
});
