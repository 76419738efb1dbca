/**
 * Materials sent one request at a time: a lender that asked for two things, at two deadlines, gets
 * the first now and the second later. The form lists both requests and the ready documents, all
 * ticked; what is left unticked stays awaited (its deadline and reminders) or ready. Nothing ticked
 * is refused at the list, with the ticks kept as they were left. An application's form lists the
 * ready documents the same way.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  actionForm,
  addReadyDocument,
  addDays,
  createCase,
  en,
  expectCaseStatus,
  formMessage,
  formatDate,
  openFold,
  setLocale,
  signUp,
  submitApplication,
  submitButton,
  todayShanghai,
  zh,
} from './helpers';

async function requestMaterials(page: Page, what: string, deadline: string): Promise<void> {
  const form = await actionForm(page, 'request_materials', 'form-request-materials');
  await form.locator('textarea[name="what"]').fill(what);
  await form.locator('input[name="deadline"]').fill(deadline);
  await submitButton(form).click();
  await expectCaseStatus(page, 'materials_requested');
  await expect(page.getByTestId('timeline')).toContainText(what);
}

test('two requests, sent one at a time: the one left unticked keeps its deadline, and the documents go as ticked', async ({ page }) => {
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融' });
  await submitApplication(page, addDays(today, -10));
  const soon = addDays(today, 3);
  const later = addDays(today, 8);
  await requestMaterials(page, '收入证明', soon);
  await requestMaterials(page, '近 6 个月银行流水', later);
  await addReadyDocument(page, 'income_proof');
  await addReadyDocument(page, 'bank_statement');

  let form = await actionForm(page, 'send_materials', 'form-send-materials');
  const requests = form.getByTestId('choose-requests');
  const documents = form.getByTestId('choose-documents');
  await expect(requests.locator('legend')).toHaveText(zh('case.actions.sentRequests'));
  const soonBox = requests.getByLabel(zh('case.actions.openRequest', { what: '收入证明', date: formatDate(soon, 'zh-CN') }));
  const laterBox = requests.getByLabel(zh('case.actions.openRequest', { what: '近 6 个月银行流水', date: formatDate(later, 'zh-CN') }));
  const incomeBox = documents.getByLabel(zh('domain.documentKind.income_proof'));
  const statementBox = documents.getByLabel(zh('domain.documentKind.bank_statement'));
  for (const box of [soonBox, laterBox, incomeBox, statementBox]) await expect(box).toBeChecked();

  // Nothing ticked among the requests: refused at the list, the documents' ticks as they were left.
  await soonBox.uncheck();
  await laterBox.uncheck();
  await statementBox.uncheck();
  await submitButton(form).click();
  await expect(form.getByTestId('error-requests')).toHaveText(zh('errors.materials_choose_request'));
  await expect(requests).toHaveAttribute('aria-invalid', 'true');
  await expect(incomeBox).toBeChecked();
  await expect(statementBox).not.toBeChecked();
  await expectCaseStatus(page, 'materials_requested');

  // The first request, with the income proof only.
  await soonBox.check();
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(zh('case.saved.materialsSentPartly', { count: 1 }));
  await expectCaseStatus(page, 'materials_requested');
  const docs = page.getByTestId('documents');
  await expect(docs.locator('[data-testid="document"][data-kind="income_proof"]')).toHaveAttribute('data-status', 'submitted');
  await expect(docs.locator('[data-testid="document"][data-kind="bank_statement"]')).toHaveAttribute('data-status', 'ready');
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText(zh('timeline.event.materialsAnswered', { what: '收入证明' }));
  await expect(timeline).toContainText(zh('timeline.event.materialsStillAwaited', { count: 1 }));

  // The second request keeps its reminder: the deadline is still in the inbox.
  await page.goto('/reminders');
  const deadlines = page.locator('[data-testid="reminder"][data-kind="materials_deadline"]');
  await expect(deadlines).toHaveCount(1);
  await expect(deadlines).toHaveAttribute('data-due', later);

  // The rest, later: the one request left is named, not listed; the statement still to tick.
  await deadlines.getByTestId('reminder-record').click();
  form = await actionForm(page, 'send_materials', 'form-send-materials');
  await expect(form.getByTestId('choose-requests')).toHaveCount(0);
  await expect(form).toContainText(zh('case.actions.openRequest', { what: '近 6 个月银行流水', date: formatDate(later, 'zh-CN') }));
  await expect(form.getByTestId('choose-documents').getByRole('checkbox')).toHaveCount(1);
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');
  await expect(docs.locator('[data-testid="document"][data-kind="bank_statement"]')).toHaveAttribute('data-status', 'submitted');

  // In English, the timeline names what each sending answered.
  await setLocale(page, 'en');
  await expect(page.getByTestId('timeline')).toContainText(en('timeline.event.materialsAnswered', { what: '收入证明' }));
});

test('an application takes the ready documents ticked in its form; one left unticked stays ready', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融' });
  await addReadyDocument(page, 'income_proof');
  await addReadyDocument(page, 'payslip');
  const form = await actionForm(page, 'submit', 'form-submit');
  const documents = form.getByTestId('choose-documents');
  await expect(documents.locator('legend')).toHaveText(zh('case.actions.submittedDocuments'));
  await documents.getByLabel(zh('domain.documentKind.payslip')).uncheck();
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption('app');
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');
  const docs = page.getByTestId('documents');
  await expect(docs.locator('[data-testid="document"][data-kind="income_proof"]')).toHaveAttribute('data-status', 'submitted');
  await expect(docs.locator('[data-testid="document"][data-kind="payslip"]')).toHaveAttribute('data-status', 'ready');
});

test('a deadline the browser cannot read (half typed) is refused at its field, not replaced by the default; so is a half-typed promise date', async ({ page }) => {
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融' });
  await submitApplication(page, addDays(today, -10));
  const form = await actionForm(page, 'request_materials', 'form-request-materials');
  await form.locator('textarea[name="what"]').fill('医院诊断证明');
  // One part of the date typed, the rest left: the browser holds no date, and would send none.
  const deadline = form.locator('input[name="deadline"]');
  await deadline.click();
  await page.keyboard.type('12');
  expect(await deadline.evaluate((i: HTMLInputElement) => i.validity.badInput)).toBe(true);
  await submitButton(form).click();
  await expect(form.getByTestId('error-deadline')).toHaveText(zh('errors.date_invalid'));
  await expect(form.locator('textarea[name="what"]')).toHaveValue('医院诊断证明');
  await expectCaseStatus(page, 'under_review');
  // Typed whole, it is the lender's deadline.
  await form.locator('input[name="deadline"]').fill(addDays(today, 5));
  await submitButton(form).click();
  await expectCaseStatus(page, 'materials_requested');
  await expect(page.getByTestId('timeline')).toContainText('医院诊断证明');

  const contactForm = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await contactForm.locator('textarea[name="summary"]').fill('客服说会回电');
  await contactForm.locator('input[name="promise"]').fill('过几天回电');
  await contactForm.locator('input[name="promiseDue"]').click();
  await page.keyboard.type('3');
  await submitButton(contactForm).click();
  await expect(contactForm.getByTestId('error-promiseDue')).toHaveText(zh('errors.date_invalid'));
  await expect(page.getByTestId('contacts').getByTestId('contact')).toHaveCount(0);
});
