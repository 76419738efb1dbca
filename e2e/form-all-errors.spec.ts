/**
 * A form wrong in two ways says both at the first answer: what the case's record refuses (a payment
 * before the plan was agreed, a promise's outcome before the call) comes with the form's own errors,
 * not after they are mended. What was typed is kept, and nothing is saved.
 */
import { expect, test, type Locator } from '@playwright/test';
import {
  actionForm,
  addDays,
  approvePlan,
  caseRow,
  createCase,
  formatDate,
  openFold,
  rowsOf,
  signUp,
  submitApplication,
  submitButton,
  todayShanghai,
  zh,
} from './helpers';

/**
 * Sends the form once and expects exactly these fields refused, each with its sentence: the one its
 * control (or, for a choice, its radio group) is marked invalid and described by.
 */
async function expectRefused(form: Locator, errors: Record<string, string>): Promise<void> {
  // Wait for this answer: two refusals in a row both say errors.check_fields, and a field may keep
  // its sentence, so the message alone cannot tell the second answer from the first.
  const page = form.page();
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && !!r.request().headers()['next-action']);
  await submitButton(form).click();
  await answered;
  await expect(form.getByTestId('form-message')).toHaveText(zh('errors.check_fields'));
  for (const [field, message] of Object.entries(errors)) {
    const control = form.locator(`[name="${field}"]:not([type="radio"]), [role="radiogroup"]:has([name="${field}"])`);
    await expect(control, field).toHaveAttribute('aria-invalid', 'true');
    await expect(form.locator(`[id="${await control.getAttribute('aria-describedby')}"]`), field).toHaveText(message);
  }
  await expect(form.locator('[aria-invalid="true"]')).toHaveCount(Object.keys(errors).length);
}

test('标记已还: a day before the plan was agreed, said beside a negative amount or an amount over the instalment', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  const agreedOn = addDays(today, -20);
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '6000' });
  await submitApplication(page, addDays(today, -30));
  await approvePlan(page, { periods: '6', monthly: '1000', first: addDays(today, 10), decidedOn: agreedOn });
  const before = { case: caseRow(caseId), instalments: rowsOf('instalments', [caseId]) };

  const row = page.getByTestId('plan').locator('[data-testid="instalment"][data-seq="1"]');
  const form = (await openFold(row.getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await form.locator('input[name="paidOn"]').fill(addDays(agreedOn, -1));
  await form.locator('input[name="paid"]').fill('-5');
  await expectRefused(form, { paidOn: zh('errors.paid_before_agreed'), paid: zh('errors.amount_negative') });
  await expect(form.locator('input[name="paidOn"]')).toHaveValue(addDays(agreedOn, -1));
  await expect(form.locator('input[name="paid"]')).toHaveValue('-5');

  // A form the schema takes, both refusals the record's: the verb stops at the first, the other is said with it.
  await form.locator('input[name="paid"]').fill('1500');
  await expectRefused(form, { paidOn: zh('errors.paid_before_agreed'), paid: zh('errors.paid_over_amount') });
  await expect(form.locator('input[name="paid"]')).toHaveValue('1500');
  expect({ case: caseRow(caseId), instalments: rowsOf('instalments', [caseId]) }).toEqual(before);

  // Both mended: saved.
  await form.locator('input[name="paidOn"]').fill(today);
  await form.locator('input[name="paid"]').fill('1000');
  await submitButton(form).click();
  await expect(row).toHaveAttribute('data-state', 'paid');
});

test('记录一次沟通: a time in the future, no summary, a promise dated before the call and with workdays too, all in one answer', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '1000' });

  const form = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  const occurredAt = `${addDays(today, 2)}T10:00`;
  await form.locator('input[name="occurredAt"]').fill(occurredAt);
  await form.locator('input[name="promise"]').fill('回电');
  await form.locator('input[name="promiseDue"]').fill(addDays(today, 1));
  await form.locator('input[name="promiseWorkdays"]').fill('3');
  await expectRefused(form, {
    occurredAt: zh('errors.date_future'),
    summary: zh('errors.required'),
    promiseDue: zh('errors.promise_before_contact'),
    promiseWorkdays: zh('errors.promise_date_or_workdays'),
  });
  await expect(form.locator('input[name="occurredAt"]')).toHaveValue(occurredAt);
  await expect(form.locator('input[name="promise"]')).toHaveValue('回电');
  await expect(form.locator('input[name="promiseDue"]')).toHaveValue(addDays(today, 1));
  await expect(form.locator('input[name="promiseWorkdays"]')).toHaveValue('3');
  expect(rowsOf('contacts', [caseId])).toEqual([]);

  // Recorded as it should be, then corrected wrongly in two ways: both said at once there too.
  const at = `${addDays(today, -3)}T10:00`;
  await form.locator('input[name="occurredAt"]').fill(at);
  await form.locator('textarea[name="summary"]').fill('客服说三个工作日内回电');
  await form.locator('input[name="promiseDue"]').fill('');
  await submitButton(form).click();
  await expect(form.getByTestId('form-message')).toHaveText(zh('case.saved.contactAdded'));
  const contacts = rowsOf('contacts', [caseId]);
  expect(contacts).toHaveLength(1);

  const contact = page.getByTestId('contacts').getByTestId('contact');
  const fix = (await openFold(contact.getByTestId('correct-contact'))).getByTestId('correct-contact-form');
  await fix.locator('input[name="occurredAt"]').fill(occurredAt);
  await fix.locator('input[name="promiseDue"]').fill(addDays(today, 1));
  await expectRefused(fix, { occurredAt: zh('errors.date_future'), promiseDue: zh('errors.promise_before_contact') });
  await expect(fix.locator('input[name="occurredAt"]')).toHaveValue(occurredAt);
  await expect(fix.locator('input[name="promiseDue"]')).toHaveValue(addDays(today, 1));
  expect(rowsOf('contacts', [caseId])).toEqual(contacts);
});

test('对方兑现了吗: no answer chosen and a day before the call, both said; 对方要求补充材料: no text and a day before the application, both said', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  const contactOn = addDays(today, -3);
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '1000' });

  const contactForm = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await contactForm.locator('input[name="occurredAt"]').fill(`${contactOn}T10:00`);
  await contactForm.locator('textarea[name="summary"]').fill('客服说明天回电');
  await contactForm.locator('input[name="promise"]').fill('明天回电');
  await contactForm.locator('input[name="promiseDue"]').fill(addDays(contactOn, 1));
  await submitButton(contactForm).click();
  await expect(contactForm.getByTestId('form-message')).toHaveText(zh('case.saved.contactAdded'));
  const contacts = rowsOf('contacts', [caseId]);

  const contact = page.getByTestId('contacts').getByTestId('contact');
  const outcome = (await openFold(contact.getByTestId('promise-outcome'))).getByTestId('promise-outcome-form');
  // The page chooses an answer for the person; a request without one (a script, an old page) has none.
  await outcome.locator('input[name="outcome"]').evaluateAll((radios) => radios.forEach((r) => ((r as HTMLInputElement).checked = false)));
  await outcome.locator('input[name="on"]').fill(addDays(contactOn, -1));
  await expectRefused(outcome, {
    outcome: zh('errors.required'),
    on: zh('errors.promise_outcome_before_contact', { contactOn: formatDate(contactOn, 'zh-CN') }),
  });
  await expect(outcome.locator('input[name="on"]')).toHaveValue(addDays(contactOn, -1));
  expect(rowsOf('contacts', [caseId])).toEqual(contacts);

  const submittedOn = addDays(today, -10);
  await submitApplication(page, submittedOn);
  const before = caseRow(caseId);
  const ask = await actionForm(page, 'request_materials', 'form-request-materials');
  await ask.locator('input[name="requestedOn"]').fill(addDays(submittedOn, -1));
  await expectRefused(ask, { what: zh('errors.required'), requestedOn: zh('errors.requested_before_submitted') });
  await expect(ask.locator('input[name="requestedOn"]')).toHaveValue(addDays(submittedOn, -1));
  expect(rowsOf('material_requests', [caseId])).toEqual([]);
  expect(caseRow(caseId)).toEqual(before);
});
