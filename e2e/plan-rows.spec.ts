/**
 * The repayment plan says what really happened, in both languages: a short payment shows what is
 * still owed and a late one how late it was; a withdrawn case no longer urges the borrower to pay;
 * on a 390 px phone a date never breaks in two. Plus the English wording around a plan: "(passed)"
 * after a past date on the case cards, and "1 period" (not "1 periods") on the timeline.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  actionForm,
  approvePlan,
  addDays,
  addMonths,
  createCase,
  en,
  expectCaseStatus,
  formatDate,
  openFold,
  setLocale,
  signUp,
  submitApplication,
  submitButton,
  todayShanghai,
  zh,
} from './helpers';

const LENDER = '招联金融';

async function markPaid(row: Locator, paidOn: string, amount: string): Promise<void> {
  const form = (await openFold(row.getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await form.locator('input[name="paidOn"]').fill(paidOn);
  await form.locator('input[name="paid"]').fill(amount);
  await submitButton(form).click();
  await expect(row).toHaveAttribute('data-state', 'paid');
}

/** How many lines `text` takes inside `el` (1: not broken). Measured on the rendered text, whatever the markup. */
async function linesOf(el: Locator, text: string): Promise<number> {
  return el.evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
    const whole = nodes.map((n) => n.data).join('');
    const start = whole.indexOf(wanted);
    if (start < 0) return -1;
    // The range over exactly those characters, wherever the text nodes split.
    const range = document.createRange();
    let offset = 0;
    for (const n of nodes) {
      const end = offset + n.data.length;
      if (start >= offset && start < end) range.setStart(n, start - offset);
      if (start + wanted.length > offset && start + wanted.length <= end) range.setEnd(n, start + wanted.length - offset);
      offset = end;
    }
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  }, text);
}

test('a short or late payment says so, a withdrawn case stops urging, and dates stay whole on a phone', async ({ page }) => {
  test.setTimeout(180_000);
  const today = todayShanghai();
  const back = addDays(today, -75);
  // A day of the month every month has, so the schedule is plain to compute here.
  const first = Number(back.slice(8)) > 28 ? `${back.slice(0, 8)}28` : back;
  const due = [0, 1, 2, 3].map((i) => addMonths(first, i));
  expect(due[2] < today && due[3] > today).toBe(true);

  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER, principal: '6666.68' });
  await submitApplication(page, addDays(first, -10));
  await approvePlan(page, { periods: '4', monthly: '1,666.67', first, decidedOn: addDays(first, -5) });

  const plan = page.getByTestId('plan');
  const row = (seq: number) => plan.locator(`[data-testid="instalment"][data-seq="${seq}"]`);
  await expect(plan.getByTestId('instalment')).toHaveCount(4);
  await expect(plan.getByTestId('plan-missed')).toBeVisible();
  // Four "标记已还" alike: each is described by its own instalment, number and date, closed (a link) or
  // open by default (the oldest unpaid: its <summary>).
  await expect(row(1).getByTestId('mark-paid').locator('> summary')).toHaveAccessibleDescription(
    new RegExp(`^${zh('case.plan.seq', { seq: 1 })}.*${formatDate(due[0]!, 'zh-CN')}$`),
  );
  for (const seq of [2, 4]) {
    const link = row(seq).getByTestId('mark-paid').locator('a[data-fold-link]');
    await expect(link).toHaveAccessibleName(zh('case.plan.markPaid'));
    await expect(link).toHaveAccessibleDescription(new RegExp(`^${zh('case.plan.seq', { seq })}.*${formatDate(due[seq - 1]!, 'zh-CN')}$`));
  }

  // --- No. 1 paid three days late, and ¥166.17 short ----------------------------------------------------
  await markPaid(row(1), addDays(due[0], 3), '1500.50');
  await expectCaseStatus(page, 'repaying');
  await expect(row(1).getByTestId('instalment-paid')).toContainText(zh('case.plan.paidOn', { date: formatDate(addDays(due[0], 3), 'zh-CN'), amount: '¥1,500.50' }));
  await expect(row(1).getByTestId('instalment-short')).toHaveText(zh('case.plan.short', { amount: '¥166.17' }));
  await expect(row(1).getByTestId('instalment-short')).toHaveText('少还 ¥166.17');
  await expect(row(1).getByTestId('instalment-late')).toHaveText('逾期 3 天还款');
  await expect(row(1)).toHaveAttribute('data-short', '16617');
  // Paid short is not done: no green tick on it; paid in full (No. 2, below) has one.
  await expect(row(1).getByTestId('instalment-paid')).not.toContainText('✓');
  // No. 2's form says where a payment making No. 1 up belongs. Paid in full on its day: nothing to flag.
  const earlierOwed = (await openFold(row(2).getByTestId('mark-paid'))).getByTestId('earlier-owed');
  await expect(earlierOwed).toHaveText(`${zh('case.plan.earlierOwed', { seq: 1, amount: '¥166.17' })} ${zh('case.plan.earlierOwedLink', { seq: 1 })}`);
  // Its link opens No. 1's own form.
  await earlierOwed.getByTestId('earlier-owed-link').click();
  await expect(row(1).getByTestId('mark-paid-form')).toBeVisible();
  await expect(row(1).getByTestId('mark-paid-form').getByRole('button', { name: zh('case.plan.topUp') })).toBeVisible();
  await markPaid(row(2), due[1], '1666.67');
  await expect(row(2).getByTestId('instalment-short')).toHaveCount(0);
  await expect(row(2).getByTestId('instalment-late')).toHaveCount(0);
  await expect(row(2).getByTestId('instalment-paid')).toContainText('✓');
  // No. 3 is past its date: the plan still urges.
  await expect(row(3)).toHaveAttribute('data-state', 'overdue');
  await expect(plan.getByTestId('plan-missed')).toBeVisible();

  // --- the home's calendar: No. 1 says what it still owes, not the whole instalment --------------------------
  await page.goto(`/home?month=${due[0].slice(0, 7)}`);
  const entry1 = page.locator(`[data-testid="calendar-day"][data-date="${due[0]}"] [data-testid="calendar-entry"][data-case-id="${caseId}"]`);
  await expect(entry1).toHaveAttribute('data-state', 'missed');
  await expect(entry1.getByTestId('calendar-entry-amount')).toHaveText(zh('home.calendar.entryShort', { amount: '¥166.17' }));
  await expect(entry1).toHaveAttribute(
    'title',
    zh('home.calendar.entryLabelShort', { lender: LENDER, seq: 1, periods: 4, amount: '¥1,666.67', paid: '¥1,500.50', owed: '¥166.17', state: zh('home.calendar.state.missed') }),
  );
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.locator(`[data-testid="calendar-list-item"][data-date="${due[0]}"]`).getByTestId('calendar-list-short')).toHaveText(zh('home.calendar.listShort', { amount: '¥166.17' }));
  await page.goto(`/cases/${caseId}`);

  // --- a phone: no date broken over two lines -------------------------------------------------------------
  await page.setViewportSize({ width: 390, height: 844 });
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLocale(page, locale);
    for (let seq = 1; seq <= 4; seq++) {
      expect(await linesOf(row(seq), formatDate(due[seq - 1], locale)), `${locale} due date of No. ${seq}`).toBe(1);
    }
    expect(await linesOf(row(1), formatDate(addDays(due[0], 3), locale)), `${locale} paid date`).toBe(1);
  }

  // --- in English -------------------------------------------------------------------------------------------
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(row(1).getByTestId('instalment-short')).toHaveText('¥166.17 short');
  await expect(row(1).getByTestId('instalment-late')).toHaveText('paid 3 days late');
  // The case cards: the date, a space, then "(passed)". The next date is No. 1's own date: paid short,
  // it is still owed, as an unpaid instalment is (before the reminder for its rest, and No. 3's date).
  await page.goto('/cases');
  await expect(page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).getByTestId('case-next-date')).toHaveText(
    `${formatDate(due[0], 'en')} (passed)`,
  );
  await page.goto('/home');
  await expect(page.getByTestId('glance-next-date').first()).toHaveText(`${formatDate(due[0], 'en')} (passed)`);

  // --- withdrawn: the plan ended with the case, nothing urgent is left ---------------------------------------
  await page.goto(`/cases/${caseId}`);
  await setLocale(page, 'zh-CN');
  const withdraw = await actionForm(page, 'withdraw', 'form-withdraw');
  await withdraw.getByRole('button', { name: zh('case.actions.withdraw') }).click();
  await withdraw.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click();
  await expectCaseStatus(page, 'closed');
  await expect(plan.getByTestId('plan-missed')).toHaveCount(0);
  await expect(plan.getByTestId('plan-ended')).toHaveText(zh('case.plan.endedWithCase'));
  await expect(plan).not.toContainText(zh('case.plan.overdue'));
  await expect(plan).not.toContainText('请尽快处理');
  for (const seq of [3, 4]) {
    await expect(row(seq)).toHaveAttribute('data-state', 'unpaid');
    await expect(row(seq)).toContainText('未还');
    await expect(row(seq)).not.toContainText(zh('case.plan.upcoming'));
    await expect(row(seq).locator('[class*="red-"]')).toHaveCount(0);
    await expect(row(seq)).not.toHaveClass(/red-/);
  }
  // Paid rows keep what they said.
  await expect(row(1).getByTestId('instalment-short')).toHaveText('少还 ¥166.17');
  await setLocale(page, 'en');
  await expect(row(3)).toContainText('Not paid');
  await expect(plan.getByTestId('plan-missed')).toHaveCount(0);
});

test('a short payment stays owing until the rest is paid: a warning, a reminder, a form for the rest; no payment before the plan was agreed', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  const agreed = addDays(today, -20);
  const first = addDays(today, -10);
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER, principal: '1000' });
  await submitApplication(page, addDays(agreed, -5));
  await approvePlan(page, { periods: '2', monthly: '500', first, decidedOn: agreed });
  const plan = page.getByTestId('plan');
  const row = (seq: number) => plan.locator(`[data-testid="instalment"][data-seq="${seq}"]`);

  // A payment dated before the lender agreed the plan: refused, nothing recorded, what was typed kept.
  const form = (await openFold(row(1).getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await form.locator('input[name="paidOn"]').fill(addDays(agreed, -1));
  await form.locator('input[name="paid"]').fill('500');
  await submitButton(form).click();
  await expect(form.getByTestId('form-message')).toHaveText(zh('errors.check_fields'));
  await expect(form.getByTestId('error-paidOn')).toHaveText(zh('errors.paid_before_agreed'));
  await expect(form.locator('input[name="paidOn"]')).toHaveValue(addDays(agreed, -1));
  await expect(row(1)).toHaveAttribute('data-state', 'overdue');
  await expectCaseStatus(page, 'approved');

  // ¥300 of ¥500, on its date: ¥200 still owing, and the message says so (not "marked paid").
  const partForm = (await openFold(row(1).getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await partForm.locator('input[name="paidOn"]').fill(first);
  await partForm.locator('input[name="paid"]').fill('300');
  await submitButton(partForm).click();
  await expect(row(1).getByTestId('form-message')).toHaveText(zh('case.saved.instalmentPaidShort', { amount: '¥200.00' }));
  await expect(row(1)).toHaveAttribute('data-short', '20000');
  await expect(plan.getByTestId('plan-short')).toHaveText(zh('case.plan.shortWarning', { count: 1 }));
  // The next step still calls No. 1 missed: its date has passed with the rest owing; the plan is at risk, here and in the lists.
  await expect(page.getByTestId('next-step-missed')).toContainText(zh('case.nextStep.missedInstalment', { seq: 1, date: formatDate(first, 'zh-CN') }));
  await expect(page.getByTestId('case-header').getByTestId('at-risk')).toHaveText(zh('common.planAtRisk'));
  await page.goto('/cases');
  await expect(page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).getByTestId('at-risk')).toHaveAttribute('data-since', first);
  // On the home's calendar it is not a paid instalment: its date has passed with the rest owing.
  await page.goto(`/home?month=${first.slice(0, 7)}`);
  await expect(
    page.locator(`[data-testid="calendar-day"][data-date="${first}"] [data-testid="calendar-entry"][data-case-id="${caseId}"]`),
  ).toHaveAttribute('data-state', 'missed');
  await expect(page.locator(`[data-testid="glance-case"][data-case-id="${caseId}"]`).getByTestId('at-risk')).toBeVisible();
  // The reminder to pay the rest, urgent since the date has passed, in the inbox.
  await page.goto('/reminders');
  const reminder = page.locator('[data-testid="reminder"][data-kind="instalment_short"]');
  await expect(reminder).toHaveCount(1);
  await expect(reminder).toHaveAttribute('data-urgent', '1');
  await expect(reminder.getByTestId('reminder-title')).toContainText(
    zh('reminders.title.instalment_short', { seq: 1, periods: 2, amount: '¥200.00', date: formatDate(first, 'zh-CN'), lender: LENDER }),
  );

  // The rest, through the row's own form, which offers what is left.
  await page.goto(`/cases/${caseId}`);
  const rest = (await openFold(row(1).getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await expect(row(1).getByTestId('mark-paid').locator('summary')).toContainText(zh('case.plan.topUp'));
  await expect(rest.locator('input[name="paid"]')).toHaveValue('200');
  await rest.locator('input[name="paidOn"]').fill(today);
  await submitButton(rest).click();
  await expect(row(1)).not.toHaveAttribute('data-short', /.*/);
  await expect(row(1).getByTestId('instalment-paid')).toContainText('¥500.00');
  await expect(plan.getByTestId('plan-short')).toHaveCount(0);
  await expect(row(1).getByTestId('mark-paid')).toHaveCount(0);
  await expect(page.getByTestId('next-step-missed')).toHaveCount(0);
  await expect(page.getByTestId('next-step-instalment')).toContainText('¥500.00');
  await expect(page.getByTestId('at-risk')).toHaveCount(0);
  await page.goto('/home');
  await expect(page.locator(`[data-testid="glance-case"][data-case-id="${caseId}"]`)).toBeVisible();
  await expect(page.getByTestId('at-risk')).toHaveCount(0);
  await page.goto('/reminders');
  await expect(page.locator('[data-testid="reminder"][data-kind="instalment_short"]')).toHaveCount(0);

  // The second in full: the plan is settled, which it could not be while the first was short.
  await page.goto(`/cases/${caseId}`);
  await markPaid(row(2), today, '500');
  await expectCaseStatus(page, 'closed');
  await setLocale(page, 'en');
  await expect(page.getByTestId('timeline')).toContainText('¥500.00 paid on this instalment in all');
});

test('paid in part ahead of its date: the rest waits for the date, with no alarm; a notice for the rest three days ahead, and "pay the rest" on the day', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  const agreed = addDays(today, -2);
  const first = addDays(today, 10);
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER, principal: '1000' });
  await submitApplication(page, addDays(agreed, -5));
  await approvePlan(page, { periods: '2', monthly: '500', first, decidedOn: agreed });
  const plan = page.getByTestId('plan');
  const row = plan.locator('[data-testid="instalment"][data-seq="1"]');

  await markPaid(row, today, '100');
  await expect(row).toHaveAttribute('data-short', '40000');
  // Said as what is left to pay by the date, not as a short payment the lender may count as missed.
  await expect(row.getByTestId('instalment-short')).toHaveText(zh('case.plan.restByDue', { amount: '¥400.00' }));
  await expect(row.getByTestId('instalment-short')).toHaveAttribute('data-early', 'true');
  await expect(plan.getByTestId('plan-short')).toHaveCount(0);
  await expect(page.getByTestId('case-header').getByTestId('at-risk')).toHaveCount(0);

  // The inbox: the rest's notice three days ahead (upcoming), and "pay the rest" on the day, neither urgent.
  await page.goto('/reminders');
  const notice = page.locator('[data-testid="reminder"][data-kind="instalment_upcoming"]').filter({ hasText: '¥400.00' });
  await expect(notice).toHaveCount(1);
  await expect(notice.getByTestId('reminder-date')).toHaveText(formatDate(addDays(first, -3), 'zh-CN'));
  await expect(notice).not.toHaveAttribute('data-urgent', '1');
  const rest = page.locator('[data-testid="reminder"][data-kind="instalment_short"]');
  await expect(rest).toHaveCount(1);
  await expect(rest.getByTestId('reminder-date')).toHaveText(formatDate(first, 'zh-CN'));
  await expect(rest).not.toHaveAttribute('data-urgent', '1');
  // The first instalment's own notice (for all of its ¥500.00) went with the payment: its one notice is the rest's.
  await expect(page.locator('[data-testid="reminder"][data-kind="instalment_upcoming"]').filter({ hasText: '第 1/2 期' })).toHaveCount(1);
});

test('the timeline counts periods in English: "1 period", "2 periods"', async ({ page }) => {
  const today = todayShanghai();
  await signUp(page, { locale: 'en' });
  for (const periods of ['1', '2']) {
    await createCase(page, { lender: LENDER, principal: '1000' });
    await submitApplication(page, today);
    await approvePlan(page, { periods, monthly: '500', first: today, decidedOn: today });
    const event = page.getByTestId('timeline').locator('[data-testid="event"][data-kind="attempt_approved"]');
    await expect(event).toContainText(periods === '1' ? '1 period of ¥500.00' : '2 periods of ¥500.00');
  }
});

test('what was recorded wrongly is corrected: the terms before the first payment, a payment after, even on a settled case', async ({ page }) => {
  test.setTimeout(150_000);
  const today = todayShanghai();
  const agreed = addDays(today, -20);
  const first = addDays(today, -10);
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER, principal: '1000' });
  await submitApplication(page, addDays(agreed, -5));
  await approvePlan(page, { periods: '2', monthly: '500', first, decidedOn: agreed });
  const plan = page.getByTestId('plan');
  const row = (seq: number) => plan.locator(`[data-testid="instalment"][data-seq="${seq}"]`);

  // The lender agreed 3 × ¥400, not 2 × ¥500: the plan is made again.
  const terms = (await openFold(plan.getByTestId('correct-plan'))).getByTestId('correct-plan-form');
  await expect(terms.locator('input[name="agreedMonthly"]')).toHaveValue('500');
  await terms.locator('input[name="agreedPeriods"]').fill('3');
  await terms.locator('input[name="agreedMonthly"]').fill('400');
  await submitButton(terms).click();
  await expect(terms.getByTestId('form-message')).toHaveText(zh('case.saved.planCorrected'));
  await expect(plan.getByTestId('instalment')).toHaveCount(3);
  await expect(plan.getByTestId('plan-periods')).toHaveText('3');
  await expect(row(1)).toContainText('¥400.00');
  await expect(page.getByTestId('timeline')).toContainText(zh('timeline.event.plan_terms_corrected', { round: 1 }));

  // Paid: the terms can no longer change (the fold is gone), but the payment can.
  await markPaid(row(1), first, '400');
  await expectCaseStatus(page, 'repaying');
  await expect(plan.getByTestId('correct-plan')).toHaveCount(0);
  await markPaid(row(2), today, '400');
  await markPaid(row(3), today, '400');
  await expectCaseStatus(page, 'closed');

  // The third was in fact ¥150 short: the settled case is being repaid again, with the rest owing.
  const fix = (await openFold(row(3).getByTestId('correct-payment'))).getByTestId('correct-payment-form');
  await expect(fix.locator('input[name="paid"]')).toHaveValue('400');
  await fix.locator('input[name="paid"]').fill('250');
  await submitButton(fix).click();
  await expectCaseStatus(page, 'repaying');
  await expect(row(3)).toHaveAttribute('data-short', '15000');
  await expect(page.getByTestId('timeline')).toContainText(
    zh('timeline.event.payment_corrected', {
      seq: 3,
      from: zh('timeline.event.paymentOnDate', { amount: '¥400.00', date: formatDate(today, 'zh-CN') }),
      to: zh('timeline.event.paymentOnDate', { amount: '¥250.00', date: formatDate(today, 'zh-CN') }),
    }),
  );

  // The first was never paid after all: it is missed again, and its reminder is back in the inbox.
  const undo = (await openFold(row(1).getByTestId('correct-payment'))).getByTestId('correct-payment-form');
  await undo.locator('input[name="paid"]').fill('0');
  await submitButton(undo).click();
  await expect(row(1)).toHaveAttribute('data-state', 'overdue');
  await expect(plan.getByTestId('plan-missed')).toHaveText(zh('case.plan.missedWarning', { count: 1 }));
  await page.goto('/reminders');
  await expect(page.locator('[data-testid="reminder"][data-kind="instalment_missed"]')).toHaveCount(1);

  // Nothing changed is said so, and a bad amount is refused with the value kept.
  await page.goto(`/cases/${caseId}`);
  const same = (await openFold(row(2).getByTestId('correct-payment'))).getByTestId('correct-payment-form');
  await submitButton(same).click();
  await expect(same.getByTestId('form-message')).toHaveText(zh('errors.correction_unchanged'));
  await same.locator('input[name="paid"]').fill('-5');
  await submitButton(same).click();
  await expect(same.locator('input[name="paid"]')).toHaveValue('-5');
  await expect(row(2).getByTestId('instalment-paid')).toContainText('¥400.00');

  await setLocale(page, 'en');
  await expect(page.getByTestId('timeline')).toContainText('Corrected the payment on instalment 3');
  await expect(page.getByTestId('timeline')).toContainText('Removed the payment recorded on instalment 1');
});

test("a lender's staged plan in two saves: ¥500 × 12, then ¥856.26 from No. 13, the last ¥856.08; the plan says its stages", async ({ page }) => {
  test.setTimeout(150_000);
  const today = todayShanghai();
  const first = addDays(today, 5);
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER, principal: '50000' });
  await submitApplication(page, addDays(today, -10));
  await approvePlan(page, { periods: '60', monthly: '500', first, decidedOn: today });
  const plan = page.getByTestId('plan');
  const row = (seq: number) => plan.locator(`[data-testid="instalment"][data-seq="${seq}"]`);
  // Equal instalments: one amount, no stages.
  await expect(plan.getByTestId('plan-monthly')).toHaveText('¥500.00');
  await expect(plan.getByTestId('plan-stages')).toHaveCount(0);

  // --- No. 13 and every later one: ¥856.26, in one save ---------------------------------------------------------
  await page.goto(`/cases/${caseId}?all=plan`);
  const change = (await openFold(row(13).getByTestId('change-instalment'))).getByTestId('change-instalment-form');
  const laterToo = change.locator('input[name="laterToo"]');
  await expect(laterToo).not.toBeChecked();
  await expect(change).toContainText(zh('case.plan.laterToo'));
  await change.locator('input[name="amount"]').fill('856.26');
  await laterToo.check();
  await submitButton(change).click();
  await expect(change.getByTestId('form-message')).toHaveText(zh('case.saved.instalmentsChanged'));
  await expect(plan.getByTestId('plan-stages')).toHaveText('第 1–12 期 ¥500.00 · 第 13–60 期 ¥856.26');
  await expect(row(12)).toContainText('¥500.00');
  for (const seq of [13, 14, 59, 60]) await expect(row(seq)).toContainText('¥856.26');
  // Dates as they were.
  await expect(row(60)).toHaveAttribute('data-due', addMonths(first, 59));
  const timeline = page.getByTestId('timeline');
  const staged = timeline.locator('[data-testid="event"][data-kind="instalments_changed"]');
  await expect(staged).toHaveCount(1);
  await expect(staged).toContainText('按对方的计划，第 13–60 期每期改为 ¥856.26');
  await expect(staged).toContainText(zh('timeline.event.instalmentsBefore', { stages: '第 13–60 期 ¥500.00' }));
  await expect(timeline.locator('[data-testid="event"][data-kind="instalment_changed"]')).toHaveCount(0);

  // --- the last takes the lender's rounding, alone; its form offers no "later too" --------------------------------
  const last = (await openFold(row(60).getByTestId('change-instalment'))).getByTestId('change-instalment-form');
  await expect(last.locator('input[name="laterToo"]')).toHaveCount(0);
  await last.locator('input[name="amount"]').fill('856.08');
  await submitButton(last).click();
  await expect(last.getByTestId('form-message')).toHaveText(zh('case.saved.instalmentChanged'));
  const stages = plan.getByTestId('plan-stages');
  await expect(stages).toHaveText('第 1–12 期 ¥500.00 · 第 13–59 期 ¥856.26 · 第 60 期 ¥856.08');
  await expect(stages).toHaveAttribute('data-stages', '3');
  await expect(plan.getByTestId('plan-monthly')).toHaveCount(0);
  // 12 × 500 + 47 × 856.26 + 856.08
  await expect(plan.getByTestId('plan-remaining')).toHaveText('¥47,100.30');
  await expect(timeline.locator('[data-testid="event"][data-kind="instalments_changed"]')).toHaveCount(1);
  await expect(timeline.locator('[data-testid="event"][data-kind="instalment_changed"]')).toHaveCount(1);
  // What the lender agreed at first is kept, and said to be that.
  const attempt = page.getByTestId('attempts').getByTestId('attempt');
  await expect(attempt.getByTestId('attempt-agreed')).toContainText('每期 ¥500.00');
  await expect(attempt.getByTestId('attempt-agreed-changed')).toHaveText(zh('case.attempts.agreedChanged'));
  // Correcting the terms would make the plan again: the form says the staged amounts would go.
  const correct = (await openFold(plan.getByTestId('correct-plan'))).getByTestId('correct-plan-form');
  await expect(correct.getByTestId('correct-terms-remakes')).toHaveText(zh('case.plan.correctTermsRemakes'));

  // --- in English ---------------------------------------------------------------------------------------------------
  await setLocale(page, 'en');
  await expect(plan.getByTestId('plan-stages')).toHaveText('Nos. 1–12: ¥500.00 · Nos. 13–59: ¥856.26 · No. 60: ¥856.08');
  await expect(plan).toContainText(en('case.plan.amounts'));
  await expect(timeline.locator('[data-testid="event"][data-kind="instalments_changed"]')).toContainText(
    "Changed instalments 13–60 to ¥856.26 each, to the lender’s schedule",
  );
  await expect(timeline.locator('[data-testid="event"][data-kind="instalments_changed"]')).toContainText('Before: Nos. 13–60: ¥500.00');
  await expect(attempt.getByTestId('attempt-agreed-changed')).toHaveText(en('case.attempts.agreedChanged'));
});
