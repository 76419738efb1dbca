/**
 * What the case page says when something is off, said once and all at once: a refused file is
 * named at the file field only; an approval with two wrong dates shows both errors together, and so
 * does one wrong in its fields and against the case (a day before the application); a plan
 * that asks for more than the recorded debt is saved, with a warning that says by how much; a form
 * sent after the session ended keeps what was typed and links to signing in again.
 */
import { expect, test } from '@playwright/test';
import {
  addReadyDocument,
  actionForm,
  addDays,
  approvePlan,
  createCase,
  en,
  expectCaseStatus,
  fillCaseForm,
  formMessage,
  formatDate,
  formatFen,
  openFold,
  setLocale,
  signIn,
  signUp,
  submitApplication,
  submitButton,
  todayShanghai,
  zh,
} from './helpers';

const LENDER = '招联金融';

test('a file of the wrong type is named once, at the file field', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER });
  const addForm = (await openFold(page.getByTestId('documents').getByTestId('add-document'))).getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption('income_proof');
  await submitButton(addForm).click();
  const doc = page.getByTestId('documents').locator('[data-testid="document"][data-kind="income_proof"]');
  await expect(doc).toHaveCount(1);

  await openFold(doc.getByTestId('document-manage'));
  const upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: '收入证明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('不是 PDF。\n') });
  await submitButton(upload).click();
  await expect(upload.getByTestId('error-file')).toHaveText(zh('errors.file_type'));
  // The form's message points to the field; it does not say it again.
  await expect(formMessage(upload)).toHaveText(zh('errors.check_fields'));
  await expect(upload.getByText(zh('errors.file_type'))).toHaveCount(1);

  // Sent with no file at all: the same, once.
  await submitButton(upload).click();
  await expect(upload.getByTestId('error-file')).toHaveText(zh('errors.file_required'));
  await expect(upload.getByText(zh('errors.file_required'))).toHaveCount(1);

  // A real file makes it ready, and the status form beside it, still open, now says so: saving it
  // does not put "needed" back.
  await upload.locator('input[type="file"]').setInputFiles({ name: '收入证明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await submitButton(upload).click();
  await expect(doc).toHaveAttribute('data-status', 'ready');
  const status = doc.getByTestId('document-status-form');
  await expect(status.locator('select[name="status"]')).toHaveValue('ready');
});

test('a file put on a document in another tab is not replaced from a page drawn before it', async ({ page, context }) => {
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER });
  const addForm = (await openFold(page.getByTestId('documents').getByTestId('add-document'))).getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption('income_proof');
  await submitButton(addForm).click();
  const docIn = (p: typeof page) => p.getByTestId('documents').locator('[data-testid="document"][data-kind="income_proof"]');
  await expect(docIn(page)).toHaveCount(1);
  await openFold(docIn(page).getByTestId('document-manage'));

  // The phone (a second tab) uploads first; this page still shows the document without a file.
  const phone = await context.newPage();
  await phone.goto(`/cases/${caseId}`);
  await openFold(docIn(phone).getByTestId('document-manage'));
  const phoneUpload = docIn(phone).getByTestId('document-upload-form');
  await phoneUpload.locator('input[type="file"]').setInputFiles({ name: '手机拍的.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await submitButton(phoneUpload).click();
  await expect(docIn(phone)).toHaveAttribute('data-status', 'ready');

  const upload = docIn(page).getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: '电脑上的.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await submitButton(upload).click();
  await expect(upload.getByTestId('error-file')).toHaveText(zh('errors.document_file_changed'));

  // Reloaded, the page shows the phone's file; replacing it is now a choice, and it is made.
  await page.reload();
  await expect(docIn(page)).toContainText('手机拍的.pdf');
  await openFold(docIn(page).getByTestId('document-manage'));
  await upload.locator('input[type="file"]').setInputFiles({ name: '电脑上的.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await submitButton(upload).click();
  await expect(docIn(page)).toContainText('电脑上的.pdf');
});

test('an approval with a future decision date and a first payment before it shows both errors at once', async ({ page }) => {
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER, principal: '10000' });
  await submitApplication(page, addDays(today, -20));

  const form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="decidedOn"]').fill(addDays(today, 1));
  await form.locator('input[name="agreedPeriods"]').fill('12');
  await form.locator('input[name="agreedMonthly"]').fill('800');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, -1));
  await submitButton(form).click();
  await expect(form.getByTestId('error-decidedOn')).toHaveText(zh('errors.date_future'));
  await expect(form.getByTestId('error-agreedFirstPaymentOn')).toHaveText(zh('errors.first_payment_before_decision'));
  await expectCaseStatus(page, 'under_review');
});

test("an approval wrong in the form and against the case says all of it at once: a missing field, a day before the application, a waiver over the debt", async ({ page }) => {
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER, principal: '10000' });
  await submitApplication(page, addDays(today, -20));

  const form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="decidedOn"]').fill(addDays(today, -25));
  await form.locator('input[name="agreedMonthly"]').fill('800');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, 5));
  await form.locator('input[name="agreedWaived"]').fill('20000');
  await submitButton(form).click();
  await expect(form.getByTestId('error-agreedPeriods')).toHaveText(zh('errors.required'));
  await expect(form.getByTestId('error-decidedOn')).toHaveText(zh('errors.decided_before_submitted', { submittedOn: formatDate(addDays(today, -20), 'zh-CN') }));
  await expect(form.getByTestId('error-agreedWaived')).toHaveText(zh('errors.waived_over_owed', { owedFen: '¥10,000.00' }));
  await expect(form.locator('input[name="agreedWaived"]')).toHaveValue('20000');
  await expectCaseStatus(page, 'under_review');
  // Mended, it is saved.
  await form.locator('input[name="decidedOn"]').fill(addDays(today, -2));
  await form.locator('input[name="agreedPeriods"]').fill('12');
  await form.locator('input[name="agreedWaived"]').fill('500');
  await submitButton(form).click();
  await expectCaseStatus(page, 'approved');
});

test('a plan that repays more than the recorded debt is saved, with a warning that says by how much', async ({ page }) => {
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER, principal: '9000', interest: '500', penalty: '500' });
  await submitApplication(page, addDays(today, -20));
  // 12 × ¥900 = ¥10,800 against ¥10,000 owed: saved all the same (lenders add fees).
  await approvePlan(page, { periods: '12', monthly: '900', first: addDays(today, 20) });

  const plan = page.getByTestId('plan');
  await expect(plan.getByTestId('instalment')).toHaveCount(12);
  const values = { plan: formatFen(1_080_000), debt: formatFen(1_000_000), excess: formatFen(80_000) };
  await expect(plan.getByTestId('plan-over-debt')).toHaveText(zh('case.plan.overDebtWarning', values));
  await setLocale(page, 'en');
  await expect(plan.getByTestId('plan-over-debt')).toHaveText(en('case.plan.overDebtWarning', values));

  // The debt corrected to what the plan repays: nothing more to warn about.
  await page.goto(`/cases/${caseId}/edit`);
  const edit = page.getByTestId('case-edit-form');
  await edit.locator('input[name="principal"]').fill('9800');
  await submitButton(edit).click();
  await page.waitForURL(new RegExp(`/cases/${caseId}$`));
  await expect(page.getByTestId('plan').getByTestId('instalment')).toHaveCount(12);
  await expect(page.getByTestId('plan-over-debt')).toHaveCount(0);

  // The lender waived ¥500 of it, and the schedule still repays all ¥10,800: ¥500 too much, and the warning names the waiver.
  const correct = (await openFold(page.getByTestId('plan').getByTestId('correct-plan'))).getByTestId('correct-plan-form');
  await correct.locator('input[name="agreedWaived"]').fill('500');
  await submitButton(correct).click();
  const waived = { plan: formatFen(1_080_000), debt: formatFen(1_080_000), waived: formatFen(50_000), excess: formatFen(50_000) };
  await expect(page.getByTestId('plan-over-debt')).toHaveText(en('case.plan.overDebtWaivedWarning', waived));
});

test('a limited field counts once nearly full; a paste past the limit is kept whole, flagged, and refused at the field', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await page.goto('/cases/new');
  const form = page.getByTestId('case-form');
  const note = form.locator('textarea[name="note"]');
  const count = form.getByTestId('length-count');
  await note.fill('困'.repeat(100));
  await expect(count).toHaveCount(0);
  await note.fill('困'.repeat(1700));
  await expect(count).toHaveText('1700 / 2000');
  // A paste longer than the field: nothing is cut; the count says by how much it is over.
  await note.focus();
  await page.keyboard.insertText('难'.repeat(500));
  const typed = '困'.repeat(1700) + '难'.repeat(500);
  await expect(note).toHaveValue(typed);
  await expect(count).toHaveText('2200 / 2000');
  await expect(count).toHaveAttribute('data-over', 'true');
  // Sent as it is: refused at the field, with the limit, and everything typed is still there.
  await form.locator('select[name="lenderId"]').selectOption({ index: 1 });
  await submitButton(form).click();
  await expect(form.getByTestId('error-note')).toHaveText(zh('errors.too_long', { max: 2000 }));
  await expect(note).toHaveValue(typed);
});

test('an emoji counts as one character, as the server counts it: a note of 1,999 emoji is under the limit and saved', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await page.goto('/cases/new');
  const form = page.getByTestId('case-form');
  const note = form.locator('textarea[name="note"]');
  const count = form.getByTestId('length-count');
  // 😭 and 𠮷 are two UTF-16 units each: a count of units would say 3998 / 2000, over the limit.
  const typed = '😭'.repeat(1998) + '𠮷';
  await note.fill(typed);
  await expect(count).toHaveText('1999 / 2000');
  await expect(count).not.toHaveAttribute('data-over', 'true');
  await form.locator('select[name="lenderId"]').selectOption({ index: 1 });
  await submitButton(form).click();
  await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
  // One more is over, at the count and at the server alike.
  await page.goto('/cases/new');
  await form.locator('textarea[name="note"]').fill('😭'.repeat(2001));
  await expect(count).toHaveText('2001 / 2000');
  await expect(count).toHaveAttribute('data-over', 'true');
  await form.locator('select[name="lenderId"]').selectOption({ index: 1 });
  await submitButton(form).click();
  await expect(form.getByTestId('error-note')).toHaveText(zh('errors.too_long', { max: 2000 }));
});

test('the product, beside the lender, is not cut either: a paste past its 60 characters is kept, counted and refused at the field', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await page.goto('/cases/new');
  const form = page.getByTestId('case-form');
  const product = form.locator('input[name="product"]');
  await product.focus();
  await page.keyboard.insertText('信用卡'.repeat(25));
  await expect(product).toHaveValue('信用卡'.repeat(25));
  await expect(form.getByTestId('length-count')).toHaveText('75 / 60');
  await form.locator('select[name="lenderId"]').selectOption({ index: 1 });
  await submitButton(form).click();
  await expect(form.getByTestId('error-product')).toHaveText(zh('errors.too_long', { max: 60 }));
  await expect(product).toHaveValue('信用卡'.repeat(25));
});

test('a second open case with the same lender and account asks first, with a link to the first; saved when confirmed', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  const first = await createCase(page, { lender: LENDER, accountRef: '6618', principal: '5000' });
  await page.goto('/cases/new');
  const form = await fillCaseForm(page, { lender: LENDER, product: '第二笔', accountRef: '６６１８', principal: '3000' });
  await submitButton(form).click();
  await expect(formMessage(form)).toContainText(zh('errors.case_duplicate', { lender: LENDER, ref: '6618' }));
  await expect(form.getByTestId('error-accountRef')).toHaveText(zh('errors.case_duplicate_field'));
  await expect(form.getByTestId('form-message-link')).toHaveAttribute('href', `/cases/${first}`);
  // Nothing saved yet, and nothing typed lost.
  await expect(page).toHaveURL(/\/cases\/new$/);
  await expect(form.locator('input[name="product"]')).toHaveValue('第二笔');
  // The same button again: it is another debt.
  await submitButton(form).click();
  await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
  const second = Number(new URL(page.url()).pathname.split('/').pop());
  expect(second).not.toBe(first);
  await expect(page.getByTestId('case-product')).toContainText('第二笔');

  // In English.
  await setLocale(page, 'en');
  await page.goto('/cases/new');
  const again = await fillCaseForm(page, { lender: LENDER, accountRef: '6618', principal: '1000' });
  await submitButton(again).click();
  await expect(formMessage(again)).toContainText(en('errors.case_duplicate', { lender: LENDER, ref: '6618' }));
  await expect(again.getByTestId('form-message-link')).toHaveText(en('errors.case_duplicate_link'));
});

test('an account ref filled in later that is another open case\'s asks the same, on the edit form; saved when confirmed', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  const first = await createCase(page, { lender: LENDER, accountRef: '4471', principal: '5000' });
  // The second case made with the ref left blank, to be filled in later.
  const second = await createCase(page, { lender: LENDER, product: '第二笔', principal: '3000' });
  await page.goto(`/cases/${second}/edit`);
  const form = page.getByTestId('case-edit-form');
  await form.locator('input[name="accountRef"]').fill('4471');
  await submitButton(form).click();
  await expect(formMessage(form)).toContainText(zh('cases.edit.duplicate', { lender: LENDER, ref: '4471' }));
  await expect(form.getByTestId('error-accountRef')).toHaveText(zh('errors.case_duplicate_field'));
  await expect(form.getByTestId('form-message-link')).toHaveAttribute('href', `/cases/${first}`);
  // Nothing saved yet, and nothing typed lost.
  await expect(page).toHaveURL(new RegExp(`/cases/${second}/edit$`));
  await expect(form.locator('input[name="accountRef"]')).toHaveValue('4471');
  // The same button again: it is another debt.
  await submitButton(form).click();
  await page.waitForURL(new RegExp(`/cases/${second}(\\?saved=\\w+)?$`));
  await expect(page.getByTestId('case-product')).toContainText(zh('case.accountRef', { ref: '4471' }));
});

test('a file chosen in a form that comes back refused is asked for again at its field, not found missing at the next press', async ({ page, context }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER });
  await addReadyDocument(page, 'payslip');
  const doc = page.getByTestId('documents').locator('[data-testid="document"][data-kind="payslip"]');
  const upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: '工资单.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  // Signed out elsewhere while the file was chosen.
  await context.clearCookies();
  await submitButton(upload).click();
  await expect(formMessage(upload)).toContainText(zh('errors.signed_out'));
  await expect(upload.getByTestId('error-file')).toHaveText(zh('errors.file_again'));
  await expect(upload.locator('input[type="file"]')).toHaveAttribute('aria-invalid', 'true');
});

test('a session that ended while a form was open: what was typed stays, with a link to sign in beside it; sent again, it is saved', async ({ page, context }) => {
  const account = await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER });
  const form = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await form.locator('textarea[name="summary"]').fill('客服说下周一前回电，工号 A1023，已说明失业情况');
  // Signed out elsewhere ("sign out of every other device", or the session ran out).
  await context.clearCookies();
  await submitButton(form).click();
  await expect(formMessage(form)).toContainText(zh('errors.signed_out'));
  await expect(form.locator('textarea[name="summary"]')).toHaveValue('客服说下周一前回电，工号 A1023，已说明失业情况');
  const link = form.getByTestId('form-message-link');
  await expect(link).toHaveText(zh('errors.signed_out_sign_in'));
  // Signed in again in the tab the link opens, then sent again from this one.
  const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await tab.waitForURL(/\/signin/);
  await signIn(tab, account);
  await tab.close();
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(zh('case.saved.contactAdded'));
  await page.goto(`/cases/${caseId}`);
  await expect(page.getByTestId('contacts')).toContainText('客服说下周一前回电，工号 A1023，已说明失业情况');
});

test('a round still unanswered when the case is withdrawn no longer reads as waiting', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER });
  await submitApplication(page, todayShanghai());
  const round = page.getByTestId('attempt-decision').first();
  await expect(round).toHaveAttribute('data-decision', 'pending');
  const withdraw = await actionForm(page, 'withdraw', 'form-withdraw');
  await withdraw.getByRole('button', { name: zh('case.actions.withdraw') }).click();
  await withdraw.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click();
  await expectCaseStatus(page, 'closed');
  await expect(round).toHaveAttribute('data-decision', 'withdrawn');
  await expect(round).toHaveText(zh('case.attempts.decision.withdrawn'));
  // The withdraw form went with the status; what it saved is said at the foot of the page.
  await expect(page.getByTestId('save-flash-message')).toHaveText(zh('case.saved.withdrawn'));
  await setLocale(page, 'en');
  await expect(round).toHaveText(en('case.attempts.decision.withdrawn'));
});

test('an escalation sent without its route says so at the choices, which are marked as required and point at the reason', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER });
  await submitApplication(page, todayShanghai());
  const reject = await actionForm(page, 'reject', 'form-reject');
  await reject.locator('select[name="rejectionReason"]').selectOption('insufficient_proof');
  await submitButton(reject).click();
  await expectCaseStatus(page, 'rejected');
  const form = await actionForm(page, 'escalate', 'form-escalate');
  const group = form.getByRole('radiogroup');
  await expect(group).toHaveAttribute('aria-required', 'true');
  await expect(group.locator('legend')).toContainText('*');
  await submitButton(form).click();
  await expect(group).toHaveAttribute('aria-invalid', 'true');
  const first = form.locator('input[name="route"]').first();
  await expect(first).toBeFocused();
  const reason = await first.getAttribute('aria-describedby');
  expect(reason).toBeTruthy();
  await expect(form.locator(`[id="${reason}"]`)).toHaveText(zh('errors.required'));
  await expectCaseStatus(page, 'rejected');
});
