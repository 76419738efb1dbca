/**
 * The case page renders less per request (issue 6): a fold's form is rendered only when the fold is
 * opened (a link to the page with `?open=<fold>`), a long timeline, plan or reminder list shows its
 * latest (or soonest) part with a link to all of it. These check that it still works for a person: without JavaScript, from
 * the keyboard (the opened fold's summary takes the focus), and that the first answer really carries
 * no closed fold's form.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  actionForm,
  addDays,
  approvePlan,
  createCase,
  en,
  expectCaseStatus,
  expectNoHorizontalScroll,
  formatDate,
  formMessage,
  openFold,
  setLocale,
  signUp,
  submitApplication,
  submitButton,
  todayShanghai,
  zh,
} from './helpers';

const LENDER = '招联金融';

/** The page's HTML as the server first sends it (what the benchmark weighs). */
async function firstAnswer(page: Page, path: string): Promise<string> {
  const res = await page.request.get(path);
  expect(res.status()).toBe(200);
  return res.text();
}

test('a closed fold is a link and sends no form; opened, its form works, with the focus on it', async ({ page }) => {
  await signUp(page);
  const caseId = await createCase(page, { lender: LENDER });

  // The first answer: a preparing case unfolds the application (the step the borrower came for),
  // every other form stays out of it.
  const html = await firstAnswer(page, `/cases/${caseId}`);
  expect(html).toContain('data-testid="form-submit"');
  for (const form of ['contact-form', 'add-document-form', 'reminder-form', 'note-form', 'form-withdraw']) {
    expect(html, form).not.toContain(`data-testid="${form}"`);
  }
  const opened = await firstAnswer(page, `/cases/${caseId}?open=contact,note`);
  expect(opened).toContain('data-testid="contact-form"');
  expect(opened).toContain('data-testid="note-form"');
  expect(opened).not.toContain('data-testid="reminder-form"');

  // From the keyboard: the fold's link, Enter, and the opened fold's summary has the focus.
  await page.goto(`/cases/${caseId}`);
  // The title names the case (read with the page, once).
  await expect(page).toHaveTitle(new RegExp(`^${LENDER}`));
  // A case that is not there (or not theirs) says so in the tab too.
  await page.goto(`/cases/${caseId + 100000}`);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^${zh('common.notFound.title')}`));
  await page.goto(`/cases/${caseId}`);
  const fold = page.getByTestId('add-contact');
  const link = fold.locator('a[data-fold-link]');
  await expect(link).toContainText(zh('case.contacts.add'));
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(fold).toHaveAttribute('open', '');
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}\\?open=contact#fold-contact$`));
  await expect(fold.locator('> summary')).toBeFocused();
  // Tab goes on into the form: its first question, who reached out, already answered "I did".
  await page.keyboard.press('Tab');
  await expect(fold.getByTestId('contact-form').locator('input[name="direction"][value="outgoing"]')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(fold.getByTestId('contact-form').locator('select[name="channel"]')).toBeFocused();

  // The form still validates on the server and keeps its form key: a refused form says why.
  const form = fold.getByTestId('contact-form');
  await submitButton(form).click();
  await expect(formMessage(form)).not.toBeEmpty();
  await expect(page.getByTestId('contacts').getByTestId('contact')).toHaveCount(0);
  await form.locator('textarea[name="summary"]').fill('客服说三天内回电');
  await submitButton(form).click();
  await expect(page.getByTestId('contacts').getByTestId('contact')).toHaveCount(1);
  // Saved, the fold stays open with an empty form for the next one.
  await expect(fold).toHaveAttribute('open', '');
  await expect(fold.getByTestId('contact-form').locator('textarea[name="summary"]')).toHaveValue('');

  // Two folds open at once: what is typed in one survives opening the other.
  const note = (await openFold(page.getByTestId('add-note'))).getByTestId('note-form');
  await note.locator('textarea[name="text"]').fill('先别提交');
  await openFold(page.getByTestId('add-document'));
  await expect(page).toHaveURL(new RegExp(`\\?open=contact,note,document#fold-document$`));
  await expect(note.locator('textarea[name="text"]')).toHaveValue('先别提交');
  await expect(page.getByTestId('add-contact')).toHaveAttribute('open', '');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a fold opens through its link and its form saves', async ({ page, browser }) => {
    // Signing up and creating the case with JavaScript, then the same session without it.
    const setup = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const jsPage = await setup.newPage();
    await signUp(jsPage);
    const caseId = await createCase(jsPage, { lender: LENDER });
    await page.context().addCookies(await setup.cookies());
    await setup.close();

    await page.goto(`/cases/${caseId}`);
    await page.getByTestId('add-contact').locator('a[data-fold-link]').click();
    await expect(page).toHaveURL(new RegExp(`\\?open=contact#fold-contact$`));
    const form = page.getByTestId('add-contact').getByTestId('contact-form');
    await form.locator('textarea[name="summary"]').fill('没有脚本也能记下');
    await submitButton(form).click();
    await expect(page.getByTestId('contacts').getByTestId('contact')).toHaveCount(1);
    await expect(page.getByTestId('contacts').getByTestId('contact')).toContainText('没有脚本也能记下');
  });
});

test('a long timeline, plan and reminder list show their latest part, and all of it on asking', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page);
  const caseId = await createCase(page, { lender: LENDER });
  const today = todayShanghai();

  // The case's own events (created, submitted, approved …) and 20 notes: more than the 20 shown.
  let form = await actionForm(page, 'submit', 'form-submit');
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption('app');
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');
  form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="agreedPeriods"]').fill('24');
  await form.locator('input[name="agreedMonthly"]').fill('500');
  // A first payment before the day the lender agreed is a slip of the date: refused, terms kept.
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, -1));
  await submitButton(form).click();
  await expect(form.getByTestId('error-agreedFirstPaymentOn')).toHaveText(zh('errors.first_payment_before_decision'));
  await expect(form.locator('input[name="agreedMonthly"]')).toHaveValue('500');
  await expectCaseStatus(page, 'under_review');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, 10));
  await form.locator('input[name="agreedWaived"]').fill('200.50');
  await submitButton(form).click();
  await expectCaseStatus(page, 'approved');
  const note = (await openFold(page.getByTestId('add-note'))).getByTestId('note-form');
  for (let i = 1; i <= 20; i++) {
    await note.locator('textarea[name="text"]').fill(`第 ${i} 条备注`);
    await submitButton(note).click();
    await expect(page.getByTestId('timeline').getByTestId('event').first()).toContainText(`第 ${i} 条备注`);
  }

  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByTestId('event')).toHaveCount(20);
  await expect(timeline.getByTestId('event').last()).not.toHaveAttribute('data-kind', 'case_created');
  await timeline.getByTestId('timeline-show-all').click();
  await expect(timeline.getByTestId('event').last()).toHaveAttribute('data-kind', 'case_created');
  // The focus goes on where the list went on: the 21st event, the first the short list did not show.
  await expect(timeline.getByTestId('event').nth(20)).toBeFocused();
  // The approval says what the lender waived, beside its terms.
  await expect(timeline.locator('[data-testid="event"][data-kind="attempt_approved"]')).toContainText(zh('timeline.event.waived', { amount: '¥200.50' }));
  await expect.poll(() => timeline.getByTestId('event').count()).toBeGreaterThan(22);
  const events = await timeline.getByTestId('event').count();
  await expect(timeline.getByTestId('timeline-show-all')).toHaveText(zh('case.timeline.showLatest', { count: 20 }));

  // 24 instalments, none due yet: the next three, and the whole plan on asking.
  const plan = page.getByTestId('plan');
  await expect(plan.getByTestId('plan-periods')).toHaveText('24');
  await expect(plan.getByTestId('instalment')).toHaveCount(3);
  await expect(plan.getByTestId('instalment').first()).toHaveAttribute('data-seq', '1');
  await plan.getByTestId('plan-show-all').click();
  await expect(plan.getByTestId('instalment')).toHaveCount(24);
  await expect(plan.getByTestId('instalment').last()).toHaveAttribute('data-seq', '24');
  await expect(plan.locator('[data-testid="instalment"][data-seq="4"]')).toBeFocused();
  // Two reminders per instalment (three days before, and on the day): the five soonest, then all.
  const reminders = page.getByTestId('case-reminders');
  await expect(reminders.getByTestId('reminder')).toHaveCount(5);
  await expect(reminders.getByTestId('reminder').first()).toHaveAttribute('data-kind', 'instalment_upcoming');
  await reminders.getByTestId('case-reminders-show-all').click();
  await expect.poll(() => reminders.getByTestId('reminder').count()).toBeGreaterThanOrEqual(48);
  await expect(reminders.getByTestId('reminder').nth(5)).toBeFocused();
  // Both lists stay in full while the page is used.
  await expect(timeline.getByTestId('event')).toHaveCount(events);
  await plan.getByTestId('plan-show-all').click();
  await expect(plan.getByTestId('instalment')).toHaveCount(3);
});

test('a plan that began before it is recorded takes the periods already paid, only those due by today', async ({ page }) => {
  await signUp(page);
  const caseId = await createCase(page, { lender: LENDER });
  const today = todayShanghai();
  let form = await actionForm(page, 'submit', 'form-submit');
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption('app');
  await form.locator('input[name="submittedOn"]').fill(addDays(today, -90));
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');

  // Twelve instalments, the first 75 days ago: three have fallen due (about −75, −45, −14 days), the fourth has not.
  form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="decidedOn"]').fill(addDays(today, -80));
  await form.locator('input[name="agreedPeriods"]').fill('12');
  await form.locator('input[name="agreedMonthly"]').fill('800');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, -75));
  await form.locator('input[name="paidPeriods"]').fill('4');
  await submitButton(form).click();
  await expect(form.getByTestId('error-paidPeriods')).toHaveText(zh('errors.paid_periods_not_due'));
  await expect(form.locator('input[name="paidPeriods"]')).toHaveValue('4');
  await expectCaseStatus(page, 'under_review');
  // More than the plan has: the field says so.
  await form.locator('input[name="paidPeriods"]').fill('13');
  await submitButton(form).click();
  await expect(form.getByTestId('error-paidPeriods')).toHaveText(zh('errors.paid_periods_over'));

  await form.locator('input[name="paidPeriods"]').fill('3');
  await submitButton(form).click();
  await expectCaseStatus(page, 'repaying');
  const plan = page.getByTestId('plan');
  if (await plan.getByTestId('plan-show-all').count()) await plan.getByTestId('plan-show-all').click();
  const states = await plan.getByTestId('instalment').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
  expect(states.slice(0, 4)).toEqual(['paid', 'paid', 'paid', 'upcoming']);
  // Nothing owed is past its date: no flag.
  await expect(page.getByTestId('case-header').getByTestId('at-risk')).toHaveCount(0);
  await expect(page.getByTestId('timeline').locator('[data-testid="event"][data-kind="attempt_approved"]')).toContainText(
    zh('timeline.event.paidAlready', { count: 3 }),
  );
});

test('the rest of a plan paid off at once, for less than it owed: checked, confirmed, the case settled and the waiver said', async ({ page }) => {
  await signUp(page);
  const caseId = await createCase(page, { lender: LENDER });
  const today = todayShanghai();
  let form = await actionForm(page, 'submit', 'form-submit');
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption('app');
  await form.locator('input[name="submittedOn"]').fill(addDays(today, -40));
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');
  // Six of ¥500, the first 30 days ago and recorded as paid: ¥2,500 still owed.
  form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="decidedOn"]').fill(addDays(today, -35));
  await form.locator('input[name="agreedPeriods"]').fill('6');
  await form.locator('input[name="agreedMonthly"]').fill('500');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, -30));
  await form.locator('input[name="paidPeriods"]').fill('1');
  await submitButton(form).click();
  await expectCaseStatus(page, 'repaying');

  const payOff = (await openFold(page.getByTestId('pay-off'))).getByTestId('pay-off-form');
  await expect(payOff.locator('input[name="paid"]')).toHaveValue('2500');
  const confirmed = async () => {
    await payOff.getByRole('button', { name: zh('case.plan.payOff') }).click();
    await payOff.getByRole('button', { name: zh('case.plan.payOffConfirm') }).click();
  };
  // More than is left: refused, what was typed kept, nothing changed.
  await payOff.locator('input[name="paid"]').fill('2600');
  await payOff.locator('textarea[name="note"]').fill('一次性结清，减免剩余息费');
  await confirmed();
  await expect(formMessage(payOff)).toHaveText(zh('errors.check_fields'));
  await expect(payOff.getByTestId('error-paid')).toHaveText(zh('errors.paid_off_over_owed', { owedFen: '¥2,500.00' }));
  await expect(payOff.locator('input[name="paid"]')).toHaveValue('2600');
  await expect(payOff.locator('textarea[name="note"]')).toHaveValue('一次性结清，减免剩余息费');
  await expectCaseStatus(page, 'repaying');

  // The question says back the day and the amount typed (here with a full-width input method's digits).
  await payOff.locator('input[name="paid"]').fill('２０００');
  await payOff.getByRole('button', { name: zh('case.plan.payOff') }).click();
  await expect(payOff.getByTestId('confirm-restated')).toHaveText(
    `${zh('case.plan.payOffOn')}${formatDate(today, 'zh-CN')}${zh('case.plan.payOffAmount')}¥2,000.00`,
  );
  await payOff.getByRole('button', { name: zh('case.plan.payOffConfirm') }).click();
  await expectCaseStatus(page, 'closed');
  const plan = page.getByTestId('plan');
  await expect(plan.getByTestId('plan-paid-off')).toHaveText(
    zh('case.plan.paidOffWaived', { date: formatDate(today, 'zh-CN'), paid: '¥2,000.00', owed: '¥2,500.00', waived: '¥500.00' }),
  );
  // The first instalment, and the payoff in place of the five it settled; nothing owed, nothing missed.
  const rows = plan.getByTestId('instalment');
  await expect(rows).toHaveCount(2);
  await expect(rows.last()).toContainText(zh('case.plan.payoffSeq'));
  await expect(rows.last()).toHaveAttribute('data-state', 'paid');
  // The summary: the terms agreed, what was paid in all (the first ¥500 and the ¥2,000), what was waived.
  await expect(plan.getByTestId('plan-paid-off-summary')).toContainText(zh('case.plan.agreedTermsValue', { periods: 6, monthly: '¥500.00' }));
  await expect(plan.getByTestId('plan-paid')).toHaveText('¥2,500.00');
  await expect(plan.getByTestId('plan-waived')).toHaveText('¥500.00');
  await expect(plan.getByTestId('pay-off')).toHaveCount(0);
  const event = page.getByTestId('timeline').locator('[data-testid="event"][data-kind="plan_paid_off"]');
  await expect(event).toContainText(zh('timeline.event.paidOffWaived', { amount: '¥500.00' }));
  await expect(event).toContainText('一次性结清，减免剩余息费');
  // Settled: what is left to do is to keep the proof and check the credit report.
  await expect(page.getByTestId('next-step-text')).toHaveText(zh('nextStep.status.settled'));
  await expect(page.getByTestId('next-step-suggestions')).toContainText(zh('nextStep.settled.certificate'));
  // Only the payoff may be corrected now.
  await expect(rows.first().getByTestId('correct-payment')).toHaveCount(0);
  await expect(rows.last().getByTestId('correct-payment')).toHaveCount(1);

  // The home and the case list say it is paid off, not what was overdue.
  await page.goto('/home');
  await expect(page.getByTestId('glance-settled')).toHaveText(zh('domain.outcome.settled'));
  await page.goto('/cases');
  await expect(page.getByTestId('case-settled')).toHaveText(zh('domain.outcome.settled'));

  // In English, the same.
  await setLocale(page, 'en');
  await page.goto(`/cases/${caseId}`);
  await expect(page.getByTestId('plan-paid-off')).toContainText('the lender waived ¥500.00');

  // Recorded too soon (the settlement was only offered): undone, the five instalments it settled come
  // back as they were, the payoff goes, and the plan is being repaid again.
  const undo = (await openFold(page.getByTestId('undo-plan-end'))).getByTestId('undo-plan-end-form');
  await expect(undo).toContainText(en('case.plan.undoPayOffHint'));
  await undo.getByRole('button', { name: en('case.plan.undoPayOff') }).click();
  await expect(undo.getByRole('group', { name: en('case.plan.undoPayOffQuestion') })).toBeVisible();
  await undo.getByRole('button', { name: en('case.plan.undoPlanEndConfirm') }).click();
  await expectCaseStatus(page, 'repaying');
  await expect(plan.getByTestId('plan-paid-off')).toHaveCount(0);
  await expect(plan.getByTestId('undo-plan-end')).toHaveCount(0);
  await expect(rows).toHaveCount(6);
  await expect(rows.first()).toHaveAttribute('data-state', 'paid');
  await expect(rows.nth(1)).not.toHaveAttribute('data-state', 'paid');
  await expect(rows.last()).not.toContainText(en('case.plan.payoffSeq'));
  await expect(plan.getByTestId('pay-off')).toHaveCount(1);
  const undone = page.getByTestId('timeline').locator('[data-testid="event"][data-kind="plan_end_undone"]');
  await expect(undone).toContainText(en('timeline.event.plan_end_undone_paid_off', { date: formatDate(today, 'en') }));
  await expect(undone).toContainText('5 instalments back, ¥2,500.00 owed');
  await page.goto('/cases');
  await expect(page.getByTestId('case-settled')).toHaveCount(0);
});

test('a cancellation recorded by mistake is undone: the plan stands again, with what was paid', async ({ page }) => {
  await signUp(page);
  const caseId = await createCase(page, { lender: LENDER });
  const today = todayShanghai();
  await submitApplication(page, addDays(today, -10));
  await approvePlan(page, { decidedOn: addDays(today, -5), periods: '3', monthly: '800', first: addDays(today, 10) });
  const form = await actionForm(page, 'void_plan', 'form-void-plan');
  await form.getByRole('button', { name: zh('case.actions.voidPlan') }).click();
  await form.getByRole('button', { name: zh('case.actions.voidPlanConfirm') }).click();
  await expectCaseStatus(page, 'rejected');
  const plan = page.getByTestId('plan');
  await expect(plan.getByTestId('instalment')).toHaveCount(0);

  // The same undo open in a second tab, to be sent after this one.
  const other = await page.context().newPage();
  await other.goto(`/cases/${caseId}`);
  const stale = (await openFold(other.getByTestId('undo-plan-end'))).getByTestId('undo-plan-end-form');
  await stale.getByRole('button', { name: zh('case.plan.undoVoid') }).click();

  const undo = (await openFold(plan.getByTestId('undo-plan-end'))).getByTestId('undo-plan-end-form');
  await undo.getByRole('button', { name: zh('case.plan.undoVoid') }).click();
  await undo.getByRole('button', { name: zh('case.plan.undoPlanEndConfirm') }).click();
  await expectCaseStatus(page, 'approved');
  await expect(plan.getByTestId('plan-voided')).toHaveCount(0);
  await expect(plan.getByTestId('instalment')).toHaveCount(3);
  await expect(page.getByTestId('next-step-voided')).toHaveCount(0);
  await expect(page.getByTestId('timeline').locator('[data-testid="event"][data-kind="plan_end_undone"]')).toContainText(
    zh('timeline.event.plan_end_undone_voided', { date: formatDate(today, 'zh-CN') }),
  );
  // The second tab's undo, sent from the page as it was: refused as changed elsewhere, nothing changed.
  await stale.getByRole('button', { name: zh('case.plan.undoPlanEndConfirm') }).click();
  await expect(formMessage(stale)).toContainText(zh('errors.conflict'));
  await page.reload();
  await expectCaseStatus(page, 'approved');
  await expect(plan.getByTestId('instalment')).toHaveCount(3);
});

test('a withdrawal made by mistake is undone: the case is back where it was, with its reminders, and the timeline says so', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER });
  await submitApplication(page, addDays(todayShanghai(), -1));
  await expectCaseStatus(page, 'under_review');
  const review = page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="review_followup"]');
  await expect(review).toHaveCount(1);
  const withdraw = await actionForm(page, 'withdraw', 'form-withdraw');
  await withdraw.getByRole('button', { name: zh('case.actions.withdraw') }).click();
  await withdraw.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click();
  await expectCaseStatus(page, 'closed');
  await expect(review).toHaveCount(0);

  // Where it was withdrawn, the only step left: undo it, saying where the case goes back to, and asking first.
  const was = zh('domain.status.under_review');
  const undo = await actionForm(page, 'undo_withdraw', 'form-undo-withdraw');
  await expect(page.getByTestId('action-undo_withdraw')).toContainText(zh('case.actions.undoWithdrawHint', { status: was }));
  await undo.getByRole('button', { name: zh('case.actions.undoWithdraw') }).click();
  await expect(undo.getByRole('group', { name: zh('case.actions.undoWithdrawQuestion', { status: was }) })).toBeVisible();
  await undo.getByRole('button', { name: zh('case.actions.undoWithdrawConfirm') }).click();
  await expectCaseStatus(page, 'under_review');
  await expect(page.getByTestId('save-flash-message')).toHaveText(zh('case.saved.withdrawalUndone'));
  await expect(page.getByTestId('case-outcome')).toHaveCount(0);
  await expect(review).toHaveCount(1);
  await expect(page.getByTestId('action-panel').getByTestId('action-undo_withdraw')).toHaveCount(0);
  await expect(page.getByTestId('action-panel').getByTestId('action-approve')).toHaveCount(1);
  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('[data-testid="event"][data-kind="withdrawn"]')).toHaveCount(1);
  await expect(timeline.locator('[data-testid="event"][data-kind="withdraw_undone"]')).toContainText(zh('timeline.event.withdraw_undone', { status: was }));
});

test('a cancelled plan still says what was owed when it ended: the instalments it dropped, and the one paid short', async ({ page }) => {
  await signUp(page);
  await createCase(page, { lender: LENDER });
  const today = todayShanghai();
  await submitApplication(page, addDays(today, -10));
  await approvePlan(page, { decidedOn: addDays(today, -5), periods: '3', monthly: '800', first: addDays(today, 10) });
  const plan = page.getByTestId('plan');
  const first = plan.locator('[data-testid="instalment"][data-seq="1"]');
  // ¥500 of No. 1's ¥800 paid ahead of its date.
  const pay = (await openFold(first.getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await pay.locator('input[name="paidOn"]').fill(today);
  await pay.locator('input[name="paid"]').fill('500');
  await submitButton(pay).click();
  await expect(first.getByTestId('instalment-paid')).toBeVisible();
  const form = await actionForm(page, 'void_plan', 'form-void-plan');
  await form.getByRole('button', { name: zh('case.actions.voidPlan') }).click();
  await form.getByRole('button', { name: zh('case.actions.voidPlanConfirm') }).click();
  await expectCaseStatus(page, 'rejected');
  // What was paid stays; what was owed is said, the rest of No. 1 included.
  await expect(plan.getByTestId('instalment')).toHaveCount(1);
  await expect(plan.getByTestId('plan-voided-owed')).toHaveText(zh('case.plan.voidedOwed', { count: 3, range: '1–3', amount: '¥1,900.00' }));
  await expect(first.getByTestId('instalment-short-at-end')).toHaveText(zh('case.plan.shortAtEnd', { short: '¥300.00', amount: '¥800.00' }));
});

test("the lender's guidance is in the reader's language, with the app's own words in Chinese", async ({ page }) => {
  await signUp(page);
  const caseId = await createCase(page, { lender: LENDER });
  await page.goto(`/cases/${caseId}`);
  const nextStep = page.getByTestId('next-step');
  await expect(nextStep).toContainText('招联金融 App 内搜索“协商还款”，或联系在线客服说明情况');
  await setLocale(page, 'en');
  await page.reload();
  await expect(nextStep).toContainText('In the 招联金融 App, search for “协商还款” (negotiate repayment), or contact online customer service');
  await expect(nextStep).not.toContainText('内搜索');
  await page.goto(`/lenders?q=${encodeURIComponent(LENDER)}`);
  const card = page.getByTestId('lender-card').filter({ hasText: LENDER });
  await expect(card).toContainText('First complain to the company’s official customer service');
  await expect(card).not.toContainText('先向公司官方客服投诉');
  // An English reader finds a lender by the name they know, a Chinese one by the short name; a hotline finds its lender.
  for (const [q, name] of [['China Merchants', '招商银行信用卡'], ['招行', '招商银行信用卡'], ['95188', '花呗/借呗（重庆蚂蚁消费金融）']]) {
    await page.goto(`/lenders?q=${encodeURIComponent(q)}`);
    await expect(page.getByTestId('lender-card').filter({ hasText: name }), q).toHaveCount(1);
    await expect(page.getByTestId('lender-card').filter({ hasText: '招联金融' }), q).toHaveCount(0);
  }
});

test('a long link or reference typed into a note or the lender’s words wraps: no page scrolls sideways, on a phone or a desktop', async ({ page }) => {
  const link = 'https://ccc.cmbchina.com/progress/query?ticket=20261201123456789012345678901234567890abcdefghijklmnopqrstuvwxyz';
  const letters = 'A'.repeat(300);
  await signUp(page, { locale: 'zh-CN' });
  const id = await createCase(page, { lender: LENDER, principal: '1000', product: `信用卡${"B".repeat(55)}`, note: `客服给的进度查询链接：${link} ${letters}` });
  await submitApplication(page, addDays(todayShanghai(), -5));
  const reject = await actionForm(page, 'reject', 'form-reject');
  await reject.locator('select[name="rejectionReason"]').selectOption('other');
  await reject.locator('textarea[name="rejectionText"]').fill(`请看 ${link} ${letters}`);
  await submitButton(reject).click();
  await expectCaseStatus(page, 'rejected');
  const contactForm = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await contactForm.locator('textarea[name="summary"]').fill(letters);
  await contactForm.locator('input[name="promise"]').fill(link);
  await submitButton(contactForm).click();
  await expect(page.getByTestId('contacts').getByTestId('contact')).toHaveCount(1);
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of [`/cases/${id}`, '/cases', '/home', '/reminders']) {
      await page.goto(path);
      await expectNoHorizontalScroll(page, `${path} at ${width}px`);
    }
  }
});

test('the next step names every instalment past its date, not only the first, with what they come to', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER, principal: '5000' });
  await submitApplication(page, '2025-09-01');
  // Seven payments of ¥500 from 10 Sep 2025, none made: all of them are past.
  await approvePlan(page, { periods: '7', monthly: '500', first: '2025-09-10', decidedOn: '2025-09-05' });
  const missed = page.getByTestId('next-step-missed');
  await expect(missed).toHaveText(
    `有 7 期（第 1、2、3、4、5 期等，最早 ${formatDate('2025-09-10', 'zh-CN')}）已过还款日，还没有还清，共差 ¥3,500.00。请尽快还款，并联系对方说明情况，以免协议失效。`,
  );
  await setLocale(page, 'en');
  await expect(missed).toContainText('7 instalments (Nos. 1, 2, 3, 4, 5 and more; the first due Sep 10, 2025) are past their dates and not paid in full: ¥3,500.00 in all.');
});

test('a shortened plan says where it leaves out instalments paid in full, and how many of them were paid late', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER, principal: '12000' });
  await submitApplication(page, '2025-09-01');
  await approvePlan(page, { periods: '24', monthly: '500', first: '2025-09-10', decidedOn: '2025-09-05' });
  const plan = page.getByTestId('plan');
  const row = (seq: number) => plan.locator(`[data-testid="instalment"][data-seq="${seq}"]`);
  // No. 1 on its day, No. 2 ten days late, No. 3 on its day.
  for (const [seq, paidOn] of [
    [1, '2025-09-10'],
    [2, '2025-10-20'],
    [3, '2025-11-10'],
  ] as const) {
    const form = (await openFold(row(seq).getByTestId('mark-paid'))).getByTestId('mark-paid-form');
    await form.locator('input[name="paidOn"]').fill(paidOn);
    await form.locator('input[name="paid"]').fill('500');
    await submitButton(form).click();
    await expect(row(seq)).toHaveAttribute('data-state', 'paid');
  }
  await page.goto(page.url().split('?')[0]!);
  // The last paid (No. 3) is listed; Nos. 1–2 before it are not, and the line where they would be says so.
  await expect(row(1)).toHaveCount(0);
  await expect(row(2)).toHaveCount(0);
  const gap = plan.getByTestId('plan-gap');
  await expect(gap).toHaveCount(1);
  await expect(gap).toHaveAttribute('data-count', '2');
  await expect(gap).toHaveText('…… 第 1–2 期已还清，未列出（其中 1 期是逾期后还的）');
  await expect(plan.locator('li').first()).toHaveAttribute('data-testid', 'plan-gap');
  await setLocale(page, 'en');
  await expect(gap).toHaveText('… Nos. 1–2 are paid in full, not listed (1 of them paid late)');
  // The whole plan lists every row, and needs no such line.
  await plan.getByTestId('plan-show-all').click();
  await expect(row(2)).toHaveCount(1);
  await expect(plan.getByTestId('plan-gap')).toHaveCount(0);
});
