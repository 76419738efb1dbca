/**
 * The borrower's journey through the production build: sign up → create a case → submit →
 * materials requested → materials sent → rejected with a reason → re-apply → approved with a
 * plan → an instalment paid. In Chinese on a desktop and again on a 360 px phone; the sign-up-
 * to-case part once in English. Plus the case forms' guards: a double-clicked create makes one
 * case, and a form left open in a second tab is refused with "changed elsewhere".
 */
import { expect, test, type Page } from '@playwright/test';
import {
  actionForm,
  captureAction,
  postAction,
  addDays,
  addMonths,
  caseIdsOf,
  caseRow,
  caseStatusBadge,
  createCase,
  en,
  expectCaseStatus,
  expectNoHorizontalScroll,
  fillCaseForm,
  formatDate,
  formatFen,
  formMessage,
  hydrated,
  msg,
  openFold,
  pngBytes,
  rowsOf,
  signUp,
  submitButton,
  todayShanghai,
  zh,
} from './helpers';

const LENDER = '花呗/借呗（重庆蚂蚁消费金融）';

/** The first instalment ten days from now, on a day of the month that every month has. */
function firstDueDate(today: string): string {
  const d = addDays(today, 10);
  return Number(d.slice(8)) > 28 ? `${d.slice(0, 8)}28` : d;
}

async function borrowerJourneyInChinese(page: Page, { phone }: { phone: boolean }) {
  const layout = async (where: string) => {
    if (phone) await expectNoHorizontalScroll(page, where);
  };
  const today = todayShanghai();

  // --- sign up and the first case ---------------------------------------------------------
  const account = await signUp(page, { locale: 'zh-CN' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('cases-empty')).toContainText(zh('cases.empty.title'));
  await layout('/cases, empty');

  await page.getByTestId('new-case-empty-link').click();
  await page.waitForURL(/\/cases\/new$/);
  await layout('/cases/new');
  const caseId = await createCase(page, {
    lender: LENDER,
    product: '借呗',
    accountRef: '8842',
    principal: '12,000',
    interest: '350.5',
    penalty: '80',
    overdueSince: addDays(today, -60),
    note: '失业后无法按期还款',
  });
  await expectCaseStatus(page, 'preparing');
  await expect(caseStatusBadge(page)).toHaveText(zh('domain.status.preparing'));
  await expect(page.getByTestId('case-lender')).toHaveText(LENDER);
  await expect(page.getByTestId('case-total')).toHaveText(formatFen(1_200_000 + 35_050 + 8_000));
  await expect(page.getByTestId('case-product')).toContainText(zh('case.accountRef', { ref: '8842' }));
  // A payment missed 60 days ago: 60 days overdue, as lenders count (the day after the missed one is the first).
  await expect(page.getByTestId('case-overdue-since')).toContainText(zh('case.overdueDays', { days: '60' }));
  await layout('case page, preparing');

  // --- submit ------------------------------------------------------------------------------
  let form = await actionForm(page, 'submit', 'form-submit');
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption('app');
  await expect(form.locator('input[name="submittedOn"]')).toHaveValue(today);
  await form.locator('input[name="lenderRef"]').fill('SQ-2024-001');
  await layout('submit form');
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');
  await expect(caseStatusBadge(page)).toHaveText(zh('domain.status.under_review'));

  // --- the lender asks for materials -----------------------------------------------------------
  const deadline = addDays(today, 3);
  form = await actionForm(page, 'request_materials', 'form-request-materials');
  await form.locator('textarea[name="what"]').fill('近 6 个月银行流水');
  await form.locator('input[name="deadline"]').fill(deadline);
  await submitButton(form).click();
  await expectCaseStatus(page, 'materials_requested');
  await expect(caseStatusBadge(page)).toHaveText(zh('domain.status.materials_requested'));
  await layout('case page, materials requested');

  // --- materials sent, from the deadline's reminder (the step the borrower came for is unfolded) -------
  await page.goto('/reminders');
  const deadlineReminder = page.locator(`[data-testid="reminder"][data-kind="materials_deadline"]`);
  await expect(deadlineReminder.getByTestId('reminder-record')).toHaveText(zh('reminders.item.recordMaterialsSent'));
  await deadlineReminder.getByTestId('reminder-record').click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}\\?open=act-send-materials#fold-act-send-materials$`));
  form = await actionForm(page, 'send_materials', 'form-send-materials');
  await expect(form).toContainText(zh('case.actions.openRequest', { what: '近 6 个月银行流水', date: formatDate(deadline, 'zh-CN') }));
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');

  // --- rejected, with the reason and the lender's words ----------------------------------------------
  form = await actionForm(page, 'reject', 'form-reject');
  await form.locator('select[name="rejectionReason"]').selectOption('insufficient_proof');
  await form.locator('textarea[name="rejectionText"]').fill('收入证明不足，请补充后再申请');
  await submitButton(form).click();
  await expectCaseStatus(page, 'rejected');
  await expect(caseStatusBadge(page)).toHaveText(zh('domain.status.rejected'));
  await expect(page.getByTestId('case-page')).toContainText('收入证明不足，请补充后再申请');
  await layout('case page, rejected');

  // --- a document: a text file named .pdf is refused; a real PNG is kept and comes back intact ---------------
  const addFold = await openFold(page.getByTestId('documents').getByTestId('add-document'));
  const addForm = addFold.getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption('income_proof');
  await addForm.locator('input[name="note"]').fill('公司开具，需盖章');
  await submitButton(addForm).click();
  const doc = page.getByTestId('documents').locator('[data-testid="document"][data-kind="income_proof"]');
  await expect(doc).toHaveCount(1);
  await expect(doc).toHaveAttribute('data-status', 'needed');

  await openFold(doc.getByTestId('document-manage'));
  let upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({
    name: '收入证明.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('这只是一段文字，不是 PDF。\n'),
  });
  await submitButton(upload).click();
  await expect(upload.getByTestId('error-file')).toHaveText(zh('errors.file_type'));
  await expect(doc.getByTestId('document-download')).toHaveCount(0);
  expect(rowsOf('documents', [caseId])[0].stored_name).toBeNull();

  const png = pngBytes();
  upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: '收入证明.png', mimeType: 'image/png', buffer: png });
  await submitButton(upload).click();
  const link = doc.getByTestId('document-download');
  await expect(link).toHaveText(zh('case.documents.downloadFile', { name: '收入证明.png' }));
  await layout('case page, with a document');

  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/documents\/\d+$/);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/png');
  expect(res.headers()['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('收入证明.png')}`);
  expect(Buffer.compare(await res.body(), png)).toBe(0);
  // And as a person downloads it: a click on the link saves the same bytes.
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('收入证明.png');
  const { readFile } = await import('node:fs/promises');
  expect(Buffer.compare(await readFile((await download.path())!), png)).toBe(0);

  // --- re-apply ---------------------------------------------------------------------------
  form = await actionForm(page, 'reapply', 'form-submit');
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption('hotline');
  // Dated before the rejection (today): refused at the date, the rest kept.
  await form.locator('input[name="submittedOn"]').fill(addDays(today, -1));
  await submitButton(form).click();
  await expect(form.getByTestId('error-submittedOn')).toHaveText(zh('errors.submitted_before_rejection'));
  await expect(form.locator('select[name="channel"]')).toHaveValue('hotline');
  await form.locator('input[name="submittedOn"]').fill(today);
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');

  // --- approved, with a plan --------------------------------------------------------------------
  const first = firstDueDate(today);
  form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="agreedPeriods"]').fill('3');
  await form.locator('input[name="agreedMonthly"]').fill('1,234.56');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(first);
  await layout('approve form');
  await submitButton(form).click();
  await expectCaseStatus(page, 'approved');
  await expect(caseStatusBadge(page)).toHaveText(zh('domain.status.approved'));

  const plan = page.getByTestId('plan');
  await expect(plan.getByTestId('plan-periods')).toHaveText('3');
  const rows = plan.getByTestId('instalment');
  await expect(rows).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    const due = addMonths(first, i);
    const row = rows.nth(i);
    await expect(row).toHaveAttribute('data-seq', String(i + 1));
    await expect(row).toHaveAttribute('data-due', due);
    await expect(row).toContainText(zh('case.plan.seq', { seq: i + 1 }));
    await expect(row).toContainText(zh('case.plan.due', { date: formatDate(due, 'zh-CN') }));
    await expect(row).toContainText('¥1,234.56');
    await expect(row).toHaveAttribute('data-state', 'upcoming');
  }
  await expect(plan.getByTestId('plan-remaining')).toHaveText(formatFen(3 * 123_456));
  await layout('case page, approved with a plan');

  // --- the first instalment paid: repaying -------------------------------------------------------
  const firstRow = rows.nth(0);
  const payFold = await openFold(firstRow.getByTestId('mark-paid'));
  const payForm = payFold.getByTestId('mark-paid-form');
  await expect(payForm.locator('input[name="paidOn"]')).toHaveValue(today);
  await expect(payForm.locator('input[name="paid"]')).toHaveValue('1234.56');
  await submitButton(payForm).click();
  await expectCaseStatus(page, 'repaying');
  await expect(caseStatusBadge(page)).toHaveText('还款中');
  await expect(firstRow).toHaveAttribute('data-state', 'paid');
  await expect(firstRow.getByTestId('instalment-paid')).toContainText(
    zh('case.plan.paidOn', { date: formatDate(today, 'zh-CN'), amount: '¥1,234.56' }),
  );
  await expect(plan.getByTestId('plan-paid')).toHaveText('¥1,234.56');
  await expect(plan.getByTestId('plan-remaining')).toHaveText('¥2,469.12');
  await layout('case page, repaying');

  // --- the timeline tells the story, newest first -------------------------------------------------
  const events = page.getByTestId('timeline').getByTestId('event');
  const kinds = await events.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  const story = [
    'case_created',
    'attempt_submitted',
    'materials_requested',
    'materials_sent',
    'attempt_rejected',
    'document_added',
    'document_uploaded',
    'attempt_resubmitted',
    'attempt_approved',
    'instalment_paid',
    'repaying_started',
  ];
  expect([...kinds].reverse().filter((k) => story.includes(k!))).toEqual(story);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText(zh('timeline.event.case_created'));
  await expect(timeline).toContainText(zh('timeline.event.materials_requested', { what: '近 6 个月银行流水', deadline: formatDate(deadline, 'zh-CN') }));
  await expect(timeline).toContainText(
    zh('timeline.event.attempt_rejected', { round: 1, reason: zh('domain.rejectionReason.insufficient_proof') }),
  );
  await expect(timeline).toContainText(
    zh('timeline.event.attempt_approved', { round: 2, periods: 3, monthly: '¥1,234.56', first: formatDate(first, 'zh-CN') }),
  );
  await expect(timeline).toContainText(zh('timeline.event.instalment_paid', { seq: 1, amount: '¥1,234.56', date: formatDate(today, 'zh-CN') }));
  await expect(timeline.getByTestId('event-actor').first()).toHaveText(zh('timeline.you'));

  // --- the list shows where it stands and the next date -----------------------------------------------
  await page.goto('/cases');
  const row = page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`);
  await expect(row.getByTestId('status-badge')).toHaveAttribute('data-status', 'repaying');
  await expect(row.getByTestId('case-next-date')).toHaveText(formatDate(addMonths(first, 1), 'zh-CN'));
  // The case is under an agreed plan now: its overdue total counts there.
  await expect(page.getByTestId('cases-under-plan')).toHaveText(formatFen(1_200_000 + 35_050 + 8_000));
  // The plan's first payment of three is made.
  await expect(page.getByTestId('cases-plan-paid')).toHaveText(zh('home.totals.planPaid', { amount: '¥1,234.56' }));
  await expect(page.getByTestId('cases-plan-left')).toHaveText(zh('home.totals.planLeft', { amount: '¥2,469.12' }));
  await layout('/cases, one case');

  // The database agrees with the screen.
  expect(caseIdsOf(account.email)).toEqual([caseId]);
  expect(caseRow(caseId)).toMatchObject({ status: 'repaying', principal_fen: 1_200_000, interest_fen: 35_050, penalty_fen: 8_000 });
  expect(rowsOf('attempts', [caseId]).map((a) => a.decision)).toEqual(['rejected', 'approved']);
  expect(rowsOf('instalments', [caseId]).map((i) => [i.due_on, i.amount_fen, i.paid_fen])).toEqual([
    [first, 123_456, 123_456],
    [addMonths(first, 1), 123_456, null],
    [addMonths(first, 2), 123_456, null],
  ]);
}

test.describe('the borrower journey', () => {
  test('in Chinese: sign up, a case, submit, materials, rejected, re-apply, approved, an instalment paid', async ({ page }) => {
    test.setTimeout(180_000);
    await borrowerJourneyInChinese(page, { phone: false });
  });

  test.describe('on a 360 px phone', () => {
    test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

    test('the whole journey, with no sideways scrolling on any screen', async ({ page }) => {
      test.setTimeout(180_000);
      await borrowerJourneyInChinese(page, { phone: true });
    });

    test('every link of the header is in sight, in English too (where they take two rows)', async ({ page }) => {
      for (const locale of ['zh-CN', 'en'] as const) {
        await signUp(page, { locale });
        const links = page.getByRole('navigation', { name: msg(locale, 'common.nav.label') }).getByRole('link');
        await expect(links).toHaveCount(6);
        for (const link of await links.all()) {
          const box = (await link.boundingBox())!;
          expect(box.x, `${locale}: ${await link.textContent()}`).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width, `${locale}: ${await link.textContent()}`).toBeLessThanOrEqual(360);
        }
        await page.context().clearCookies();
      }
    });
  });

  test('in English: sign up and create a case', async ({ page }) => {
    const account = await signUp(page, { locale: 'en' });
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en('cases.title'));
    await expect(page.getByTestId('cases-empty')).toContainText(en('cases.empty.title'));

    await page.getByTestId('new-case-empty-link').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(en('cases.new.title'));
    const form = page.getByTestId('case-form');
    await expect(form.locator('button[type="submit"]')).toHaveText(en('cases.new.submit'));

    // A refused form keeps what was typed and says why, in English.
    await fillCaseForm(page, { lender: '建设银行 快贷', principal: '12.345', accountRef: '62220000' });
    await form.locator('button[type="submit"]').click();
    await expect(formMessage(form)).toHaveText(en('errors.check_fields'));
    await expect(form.getByTestId('error-principal')).toHaveText(en('errors.amount_invalid'));
    await expect(form.getByTestId('error-accountRef')).toHaveText(en('errors.account_ref_invalid'));
    await expect(form.locator('input[name="principal"]')).toHaveValue('12.345');

    await form.locator('input[name="principal"]').fill('5000');
    await form.locator('input[name="accountRef"]').fill('0421');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
    // Saved, said once and focused (a screen reader reads it); a reload does not say it again.
    await expect(page.getByTestId('case-saved')).toHaveText(en('case.saved.caseCreated'));
    await expect(page.getByTestId('case-saved')).toBeFocused();
    await expect(page).toHaveURL(/\/cases\/\d+$/);
    await page.reload();
    await expect(page.getByTestId('case-page')).toBeVisible();
    await expect(page.getByTestId('case-saved')).toHaveCount(0);
    await expectCaseStatus(page, 'preparing');
    await expect(caseStatusBadge(page)).toHaveText(en('domain.status.preparing'));
    await expect(page.getByTestId('case-total')).toHaveText('¥5,000.00');
    await expect(page.getByTestId('case-amounts')).toContainText(`${en('case.amounts.interest')}${en('common.notGiven')}`);
    await expect(page.getByTestId('action-panel')).toContainText(en('case.actions.title'));
    await expect(page.getByTestId('timeline')).toContainText(en('timeline.event.case_created'));
    expect(caseIdsOf(account.email)).toHaveLength(1);
  });
});

test.describe('case forms', () => {
  test('a double-clicked "create" makes one case', async ({ page }) => {
    const account = await signUp(page);
    await page.goto('/cases/new');
    const form = await fillCaseForm(page, { lender: LENDER, principal: '3000', note: '双击测试' });
    let sent = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.headers()['next-action']) sent++;
    });
    await form.locator('button[type="submit"]').dblclick();
    await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
    await expect(page.getByTestId('case-page')).toBeVisible();
    // Let any second request finish before counting.
    await page.goto('/cases');
    await expect(page.getByTestId('case-row')).toHaveCount(1);
    expect(caseIdsOf(account.email)).toHaveLength(1);
    // Whether the browser sent one request (the button disables itself) or two (the form key).
    test.info().annotations.push({ type: 'create requests sent', description: String(sent) });
  });

  test('the create request sent again (a retry on a bad connection) makes no second case', async ({ page, baseURL }) => {
    const account = await signUp(page);
    await page.goto('/cases/new');
    const form = await fillCaseForm(page, { lender: LENDER, principal: '3000' });
    const sent = await captureAction(page, () => submitButton(form).click());
    await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
    const created = caseIdsOf(account.email);
    expect(created).toHaveLength(1);
    // The same request again, byte for byte (the same form key), from the same browser.
    const again = await postAction(page.request, baseURL!, sent, sent.parts);
    expect(again.status()).toBeLessThan(400);
    expect(caseIdsOf(account.email)).toEqual(created);
    await page.goto('/cases');
    await expect(page.getByTestId('case-row')).toHaveCount(1);
  });

  test('amounts left blank say "not given", never ¥0.00; a 0 typed stays 0', async ({ page }) => {
    await signUp(page);
    const caseId = await createCase(page, { lender: LENDER });
    const amounts = page.getByTestId('case-amounts');
    await expect(page.getByTestId('case-total')).toHaveText(zh('common.notGiven'));
    await expect(amounts).not.toContainText('¥');
    expect(caseRow(caseId)).toMatchObject({ principal_fen: null, interest_fen: null, penalty_fen: null });
    await page.goto('/cases');
    await expect(page.getByTestId('case-row')).toContainText(zh('common.notGiven'));
    // The total overdue is of the amounts given, and says how many cases gave none.
    await expect(page.getByTestId('cases-overdue')).toHaveText('¥0.00');
    await expect(page.getByTestId('cases-overdue-not-given')).toHaveText(zh('home.totals.overdueNotGiven', { count: 1 }));

    await page.goto(`/cases/${caseId}/edit`);
    const form = page.getByTestId('case-edit-form');
    await expect(form.locator('input[name="principal"]')).toHaveValue('');
    await form.locator('input[name="principal"]').fill('2000');
    await form.locator('input[name="interest"]').fill('0');
    await submitButton(form).click();
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));
    // The total is of the amounts given; the penalty left blank is still not given.
    await expect(page.getByTestId('case-total')).toHaveText('¥2,000.00');
    await page.goto('/cases');
    await expect(page.getByTestId('cases-overdue')).toHaveText('¥2,000.00');
    await expect(page.getByTestId('cases-overdue-not-given')).toHaveCount(0);
    await page.goto(`/cases/${caseId}`);
    await expect(page.getByTestId('timeline').locator('[data-testid="event"][data-kind="case_updated"]')).toContainText(
      zh('timeline.change', { field: zh('timeline.field.principalFen'), from: zh('common.notGiven'), to: '¥2,000.00' }),
    );
    await expect(amounts).toContainText(`${zh('case.amounts.interest')}¥0.00`);
    await expect(amounts).toContainText(`${zh('case.amounts.penalty')}${zh('common.notGiven')}`);
    expect(caseRow(caseId)).toMatchObject({ principal_fen: 200_000, interest_fen: 0, penalty_fen: null });
    await page.goto(`/cases/${caseId}/edit`);
    await expect(form.locator('input[name="interest"]')).toHaveValue('0');
    await expect(form.locator('input[name="penalty"]')).toHaveValue('');
  });

  test('two tabs editing the same case: the second keeps the first tab\'s change where it typed nothing, is shown both where both typed, and saves only when asked again', async ({ page, context }) => {
    await signUp(page);
    const caseId = await createCase(page, { lender: LENDER, principal: '1000', note: '原来的备注' });
    const first = page;
    const second = await context.newPage();
    await first.goto(`/cases/${caseId}/edit`);
    await second.goto(`/cases/${caseId}/edit`);

    // The first tab changes the note and the penalty.
    const firstForm = first.getByTestId('case-edit-form');
    await (await hydrated(firstForm.locator('textarea[name="note"]'))).fill('第一个标签页的修改');
    await firstForm.locator('input[name="penalty"]').fill('50');
    await firstForm.locator('button[type="submit"]').click();
    await first.waitForURL(new RegExp(`/cases/${caseId}$`));

    // The second, opened before, changes the note and the principal.
    const secondForm = second.getByTestId('case-edit-form');
    await secondForm.locator('textarea[name="note"]').fill('第二个标签页的修改');
    await secondForm.locator('input[name="principal"]').fill('9999');
    await secondForm.locator('button[type="submit"]').click();
    await expect(formMessage(secondForm)).toHaveText(zh('cases.conflict.message'));
    // Both changed the note: what the second typed stays, marked with what is saved now.
    await expect(secondForm.locator('textarea[name="note"]')).toHaveValue('第二个标签页的修改');
    await expect(secondForm.getByTestId('error-note')).toHaveText(zh('cases.conflict.savedNow', { value: '第一个标签页的修改' }));
    // Only the second changed the principal: as typed, unmarked.
    await expect(secondForm.locator('input[name="principal"]')).toHaveValue('9999');
    await expect(secondForm.getByTestId('error-principal')).toHaveCount(0);
    // Only the first changed the penalty: the second now shows it, and says so.
    await expect(secondForm.locator('input[name="penalty"]')).toHaveValue('50');
    await expect(secondForm.getByTestId('error-penalty')).toHaveText(zh('cases.conflict.takenNow', { value: formatFen(5_000) }));
    await expect(secondForm.getByTestId('error-accountRef')).toHaveCount(0);
    await expect(second).toHaveURL(new RegExp(`/cases/${caseId}/edit$`));
    expect(caseRow(caseId)).toMatchObject({ note: '第一个标签页的修改', principal_fen: 100_000, penalty_fen: 5_000, version: 2 });

    // Saving again, with both in view: the second tab's note and principal, and the first tab's penalty.
    await submitButton(secondForm).click();
    await second.waitForURL(new RegExp(`/cases/${caseId}$`));
    expect(caseRow(caseId)).toMatchObject({ note: '第二个标签页的修改', principal_fen: 999_900, penalty_fen: 5_000, version: 3 });
    await first.reload();
    await expect(first.getByTestId('case-header')).toContainText('第二个标签页的修改');
  });

  test('two tabs that changed different fields: both changes are kept, without asking', async ({ page, context }) => {
    await signUp(page);
    const caseId = await createCase(page, { lender: LENDER, principal: '1000' });
    const second = await context.newPage();
    await page.goto(`/cases/${caseId}/edit`);
    await second.goto(`/cases/${caseId}/edit`);
    const firstForm = page.getByTestId('case-edit-form');
    await firstForm.locator('input[name="interest"]').fill('120');
    await submitButton(firstForm).click();
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));

    const secondForm = second.getByTestId('case-edit-form');
    await secondForm.locator('input[name="accountRef"]').fill('4471');
    await submitButton(secondForm).click();
    await second.waitForURL(new RegExp(`/cases/${caseId}$`));
    expect(caseRow(caseId)).toMatchObject({ interest_fen: 12_000, account_ref: '4471', version: 3 });
  });

  test('a status form left open in another tab is refused, not applied, until it is sent again', async ({ page, context }) => {
    await signUp(page);
    const caseId = await createCase(page, { lender: LENDER, principal: '1000' });
    const second = await context.newPage();
    await second.goto(`/cases/${caseId}`);
    // The second tab's withdraw form is open (rendered with the case as it was) before the first tab moves on.
    const stale = await actionForm(second, 'withdraw', 'form-withdraw');

    let form = await actionForm(page, 'submit', 'form-submit');
    await form.locator('select[name="program"]').selectOption('suspension');
    await form.locator('select[name="channel"]').selectOption('hotline');
    await submitButton(form).click();
    await expectCaseStatus(page, 'under_review');

    form = stale;
    await form.getByRole('button', { name: zh('case.actions.withdraw') }).click();
    await form.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click();
    await expect(formMessage(form)).toHaveText(`${zh('errors.conflict')} ${zh('errors.conflict_open_latest')}`);
    expect(caseRow(caseId)).toMatchObject({ status: 'under_review', version: 2 });

    // Having looked at the case as it is now, the reader sends it again, as the message says they may: it is saved.
    await form.getByRole('button', { name: zh('case.actions.withdraw') }).click();
    await form.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click();
    await expect.poll(() => caseRow(caseId)).toMatchObject({ status: 'closed', version: 3 });
  });
});
