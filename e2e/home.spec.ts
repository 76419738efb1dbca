/**
 * The borrower's home page: a borrower lands there after signing up; with four cases at four
 * lenders (two plans starting this month and next, one plan whose only payment was missed in
 * September 2025, one application waiting since 30 Sep 2025) it shows the totals, what is due
 * now (overdue first), every case at a glance, and one calendar of instalments across lenders,
 * on the right days, with holidays and make-up workdays marked; month navigation; a paid
 * instalment ticked; on a 360 px phone the seven columns stay and a list shows every payment.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addMonthsIso } from '../lib/dates';
import {
  approvePlan,
  createCase,
  expectCaseStatus,
  expectNoHorizontalScroll,
  formatDate,
  formatFen,
  msg as m,
  openFold,
  setLocale,
  signOut,
  signUp,
  submitApplication,
  submitButton,
  submitSignIn,
  todayShanghai,
} from './helpers';

const LENDER_A = '花呗/借呗（重庆蚂蚁消费金融）';
const LENDER_B = '建设银行 快贷';
const LENDER_C = '招联金融';
const LENDER_D = '美团 月付/借钱';

/** YYYY-MM moved by n months. */
function shiftMonth(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function calendar(page: Page): Locator {
  return page.getByTestId('home-calendar');
}

function day(page: Page, date: string): Locator {
  return calendar(page).locator(`[data-testid="calendar-day"][data-date="${date}"]`);
}

function entry(page: Page, date: string, caseId: number): Locator {
  return day(page, date).locator(`[data-testid="calendar-entry"][data-case-id="${caseId}"]`);
}

test('the borrower home: totals, what is due, cases at a glance, and one calendar across lenders', async ({ page }) => {
  test.setTimeout(240_000);
  const today = todayShanghai();
  const thisMonth = today.slice(0, 7);
  const nextMonth = shiftMonth(thisMonth, 1);

  // --- a new borrower's home, empty for now ----------------------------------------------------
  const account = await signUp(page, { locale: 'zh-CN' });
  await page.goto('/');
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(m('zh-CN', 'home.greeting', { name: account.displayName }));
  await expect(page.getByTestId('home-empty')).toContainText(m('zh-CN', 'home.empty.title'));
  await expect(page.getByTestId('home-calendar')).toHaveCount(0);
  await expect(page.locator('header').getByTestId('nav-home')).toHaveText(m('zh-CN', 'home.nav'));
  // The header says which section is shown: the home here, 我的案件 on a case's page (below).
  const casesLink = page.locator('header nav').getByRole('link', { name: m('zh-CN', 'common.nav.cases'), exact: true });
  await expect(page.locator('header').getByTestId('nav-home')).toHaveAttribute('aria-current', 'page');
  await expect(casesLink).not.toHaveAttribute('aria-current');

  // --- four cases, four lenders ----------------------------------------------------------------
  // A: approved today, three payments of ¥1,234.56 from today.
  const caseA = await createCase(page, { lender: LENDER_A, accountRef: '6618', principal: '10000', interest: '500' });
  await expect(casesLink).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('header').getByTestId('nav-home')).not.toHaveAttribute('aria-current');
  await submitApplication(page, today);
  await approvePlan(page, { periods: '3', monthly: '1,234.56', first: today });
  // B: two payments of ¥800 from the 10th of next month.
  const firstB = `${nextMonth}-10`;
  const caseB = await createCase(page, { lender: LENDER_B, principal: '20000' });
  await submitApplication(page, today);
  await approvePlan(page, { periods: '2', monthly: '800', first: firstB });
  // C: one payment on 10 Sep 2025, never made.
  const caseC = await createCase(page, { lender: LENDER_C, principal: '500' });
  await submitApplication(page, '2025-09-01');
  await approvePlan(page, { periods: '1', monthly: '500', first: '2025-09-10', decidedOn: '2025-09-05' });
  // D: waiting for a decision since 30 Sep 2025.
  const caseD = await createCase(page, { lender: LENDER_D, product: '月付', principal: '3000' });
  await submitApplication(page, '2025-09-30');

  // --- the totals ------------------------------------------------------------------------------
  await page.locator('header').getByTestId('nav-home').click();
  await page.waitForURL(/\/home$/);
  await expect(page.getByTestId('home-open-cases')).toHaveText('4');
  await expect(page.getByTestId('home-overdue')).toHaveText(formatFen(1_050_000 + 2_000_000 + 50_000 + 300_000));
  await expect(page.getByTestId('home-under-plan')).toHaveText(formatFen(1_050_000 + 2_000_000 + 50_000));
  // The three plans' schedules (A 3 × ¥1,234.56, B 2 × ¥800, C ¥500), none of it paid yet.
  await expect(page.getByTestId('home-plan-paid')).toHaveText(m('zh-CN', 'home.totals.planPaid', { amount: formatFen(0) }));
  await expect(page.getByTestId('home-plan-left')).toHaveText(m('zh-CN', 'home.totals.planLeft', { amount: formatFen(3 * 123_456 + 2 * 80_000 + 50_000) }));

  // --- due now: overdue first, then today; the same number as the header's badge -----------------
  const due = page.getByTestId('home-due');
  await expect(due.locator('h2')).toContainText(m('zh-CN', 'home.due.title'));
  const items = due.getByTestId('home-due-item');
  const review = items.filter({ hasText: m('zh-CN', 'reminders.title.review_followup', { lender: LENDER_D, round: 1 }) });
  await expect(review).toHaveCount(1);
  await expect(review).toHaveAttribute('data-group', 'overdue');
  await expect(review.getByTestId('home-due-case')).toHaveAttribute('href', `/cases/${caseD}`);
  const payToday = items.filter({
    hasText: m('zh-CN', 'reminders.title.instalment_due', { date: formatDate(today, 'zh-CN'), seq: 1, periods: 3, amount: '¥1,234.56', lender: LENDER_A }),
  });
  await expect(payToday).toHaveCount(1);
  await expect(payToday).toHaveAttribute('data-group', 'today');
  await expect(payToday.getByTestId('home-due-case')).toHaveAttribute('href', `/cases/${caseA}`);
  // The account's last digits tell it from another case with the same lender.
  await expect(payToday.getByTestId('home-due-case')).toHaveText(m('zh-CN', 'home.due.caseWithRef', { lender: LENDER_A, ref: '6618' }));
  // Without them, its product does (白条 and 金条 are both 京东's).
  await expect(review.getByTestId('home-due-case')).toHaveText(m('zh-CN', 'home.due.caseWithProduct', { lender: LENDER_D, product: '月付' }));
  const groups = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
  expect(groups.indexOf('today')).toBeGreaterThan(groups.lastIndexOf('overdue'));
  const badge = page.locator('header').getByTestId('reminder-badge');
  await expect(badge).toHaveText(String(await due.getAttribute('data-count')));
  await expect(due.getByTestId('home-due-all')).toHaveAttribute('href', '/reminders');

  // --- every case at a glance -------------------------------------------------------------------
  const glance = (id: number) => page.locator(`[data-testid="glance-case"][data-case-id="${id}"]`);
  await expect(page.getByTestId('glance-case')).toHaveCount(4);
  await expect(glance(caseA)).toHaveAttribute('data-status', 'approved');
  await expect(glance(caseA).getByTestId('glance-lender')).toHaveText(LENDER_A);
  await expect(glance(caseA).getByTestId('glance-next-date')).toHaveAttribute('data-date', today);
  await expect(glance(caseA).getByTestId('glance-total')).toHaveText('¥10,500.00');
  await expect(glance(caseB).getByTestId('glance-next-date')).toHaveAttribute('data-date', firstB);
  await expect(glance(caseC).getByTestId('glance-next-date')).toHaveAttribute('data-date', '2025-09-10');
  await expect(glance(caseC).getByTestId('glance-next-date')).toHaveClass(/text-red-700/);
  await expect(glance(caseD)).toHaveAttribute('data-status', 'under_review');
  // Each date says what it is for: a repayment, or the review result to ask about.
  await expect(glance(caseA).getByTestId('glance-next-for')).toHaveText(m('zh-CN', 'domain.nextFor.instalment'));
  await expect(glance(caseC).getByTestId('glance-next-for')).toHaveText(m('zh-CN', 'domain.nextFor.instalment'));
  await expect(glance(caseD).getByTestId('glance-next-for')).toHaveText(m('zh-CN', 'domain.nextFor.review'));
  await expect(glance(caseD).locator('a')).toHaveAttribute('href', `/cases/${caseD}`);

  // --- this month: A's first payment today, highlighted ------------------------------------------
  await expect(calendar(page)).toHaveAttribute('data-month', thisMonth);
  await expect(calendar(page).getByTestId('calendar-weekday')).toHaveText(['周一', '周二', '周三', '周四', '周五', '周六', '周日']);
  await expect(day(page, today)).toHaveAttribute('data-today', '1');
  await expect(calendar(page).locator('[data-testid="calendar-day"][data-today]')).toHaveCount(1);
  let a1 = entry(page, today, caseA);
  await expect(a1).toHaveAttribute('data-state', 'due');
  await expect(a1.getByTestId('calendar-entry-lender')).toHaveText('花呗/借呗');
  await expect(a1.getByTestId('calendar-entry-amount')).toHaveText('¥1,234.56');
  await expect(a1).toHaveAttribute('href', `/cases/${caseA}`);
  const sum = calendar(page).getByTestId('calendar-sum');
  await expect(sum).toHaveAttribute('data-count', '1');
  await expect(sum).toHaveAttribute('data-sum-fen', '123456');
  await expect(sum).toContainText(m('zh-CN', 'home.calendar.sum', { amount: '¥1,234.56', count: 1 }));
  // Wide screens list each payment in its day; the list under the grid is for phones.
  await expect(calendar(page).getByTestId('calendar-list')).toBeHidden();

  // --- next month: A's second payment and B's first, each on its day ------------------------------
  await calendar(page).getByTestId('calendar-next').click();
  await page.waitForURL(new RegExp(`/home\\?month=${nextMonth}$`));
  await expect(calendar(page)).toHaveAttribute('data-month', nextMonth);
  const a2On = addMonthsIso(today, 1);
  await expect(entry(page, a2On, caseA)).toHaveAttribute('data-state', 'due');
  await expect(entry(page, a2On, caseA).getByTestId('calendar-entry-amount')).toHaveText('¥1,234.56');
  await expect(entry(page, firstB, caseB)).toHaveAttribute('data-state', 'due');
  await expect(entry(page, firstB, caseB).getByTestId('calendar-entry-lender')).toHaveText(LENDER_B);
  await expect(entry(page, firstB, caseB).getByTestId('calendar-entry-amount')).toHaveText('¥800.00');
  await expect(calendar(page).getByTestId('calendar-entry')).toHaveCount(2);
  await expect(calendar(page).getByTestId('calendar-sum')).toHaveAttribute('data-sum-fen', String(123_456 + 80_000));
  await expect(calendar(page).locator('[data-testid="calendar-day"][data-today]')).toHaveCount(0);

  // --- on a 360 px phone: still seven columns, dots in the days, every payment in a list ---------------
  await page.setViewportSize({ width: 360, height: 800 });
  await expectNoHorizontalScroll(page, '/home at 360px');
  const rows = calendar(page).locator('tbody tr');
  for (let r = 0; r < (await rows.count()); r++) await expect(rows.nth(r).locator('td')).toHaveCount(7);
  const cells = await calendar(page).locator('thead th').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
  expect(cells).toHaveLength(7);
  for (const w of cells) expect(w).toBeGreaterThan(30);
  await expect(entry(page, firstB, caseB)).toBeHidden();
  await expect(day(page, firstB).getByTestId('calendar-dots')).toBeVisible();
  const list = calendar(page).getByTestId('calendar-list');
  await expect(list).toBeVisible();
  await expect(list.getByTestId('calendar-list-item')).toHaveCount(2);
  const listB = list.locator(`[data-testid="calendar-list-item"][data-case-id="${caseB}"]`);
  await expect(listB).toHaveAttribute('data-date', firstB);
  await expect(listB).toContainText(LENDER_B);
  await expect(listB).toContainText('¥800.00');
  await expect(listB).toContainText(formatDate(firstB, 'zh-CN'));
  const tap = await listB.locator('a').boundingBox();
  expect(tap!.height).toBeGreaterThanOrEqual(40);
  await page.setViewportSize({ width: 1280, height: 900 });

  // --- back, and "back to this month" --------------------------------------------------------------
  await calendar(page).getByTestId('calendar-this-month').click();
  await page.waitForURL(/\/home$/);
  await expect(calendar(page)).toHaveAttribute('data-month', thisMonth);
  await expect(calendar(page).getByTestId('calendar-this-month')).toHaveCount(0);
  await calendar(page).getByTestId('calendar-prev').click();
  await expect(calendar(page)).toHaveAttribute('data-month', shiftMonth(thisMonth, -1));
  // A month that is not one shows this month.
  for (const bad of ['2025-13', 'abc', '1999-01', '2025-1']) {
    await page.goto(`/home?month=${encodeURIComponent(bad)}`);
    await expect(calendar(page)).toHaveAttribute('data-month', thisMonth);
  }

  // --- September 2025: C's payment, missed; a make-up Sunday and National Day marked --------------
  await page.goto('/home?month=2025-09');
  const c1 = entry(page, '2025-09-10', caseC);
  await expect(c1).toHaveAttribute('data-state', 'missed');
  await expect(c1).toHaveClass(/text-red-800/);
  await expect(calendar(page).getByTestId('calendar-sum')).toContainText(m('zh-CN', 'home.calendar.sumMissed', { count: 1 }));
  await expect(day(page, '2025-09-28')).toHaveAttribute('data-offday', 'workday'); // Sunday, worked (调休)
  await expect(day(page, '2025-09-28').getByTestId('calendar-offday')).toHaveText(m('zh-CN', 'home.calendar.workday'));
  await expect(day(page, '2025-09-10')).not.toHaveAttribute('data-offday', /.+/);
  await page.goto('/home?month=2025-10');
  await expect(day(page, '2025-10-01')).toHaveAttribute('data-offday', 'holiday');
  await expect(day(page, '2025-10-01').getByTestId('calendar-offday')).toHaveText(m('zh-CN', 'home.calendar.holiday'));
  await expect(day(page, '2025-10-11')).toHaveAttribute('data-offday', 'workday'); // Saturday, worked
  await expect(day(page, '2025-10-04')).not.toHaveAttribute('data-offday', /.+/); // an ordinary Saturday off

  // --- A's first payment made: ticked on the calendar, and off the list of what is due ----------------
  await page.goto(`/cases/${caseA}`);
  const firstRow = page.getByTestId('plan').getByTestId('instalment').nth(0);
  const payForm = (await openFold(firstRow.getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await submitButton(payForm).click();
  await expectCaseStatus(page, 'repaying');
  await page.goto('/home');
  a1 = entry(page, today, caseA);
  await expect(a1).toHaveAttribute('data-state', 'paid');
  await expect(a1.getByTestId('calendar-entry-lender')).toHaveText('✓ 花呗/借呗');
  await expect(calendar(page).getByTestId('calendar-sum')).toContainText(m('zh-CN', 'home.calendar.sumPaid', { count: 1 }));
  await expect(page.getByTestId('home-due-item').filter({ hasText: LENDER_A })).toHaveCount(0);
  await expect(page.locator(`[data-testid="glance-case"][data-case-id="${caseA}"]`)).toHaveAttribute('data-status', 'repaying');
  await expect(page.getByTestId('home-under-plan')).toHaveText(formatFen(1_050_000 + 2_000_000 + 50_000));
  // The plans' total is what was paid and what is left, so the three lines add up.
  await expect(page.getByTestId('home-plan-total')).toHaveText(m('zh-CN', 'home.totals.planTotal', { amount: formatFen(3 * 123_456 + 2 * 80_000 + 50_000) }));
  await expect(page.getByTestId('home-plan-paid')).toHaveText(m('zh-CN', 'home.totals.planPaid', { amount: formatFen(123_456) }));
  await expect(page.getByTestId('home-plan-left')).toHaveText(m('zh-CN', 'home.totals.planLeft', { amount: formatFen(2 * 123_456 + 2 * 80_000 + 50_000) }));

  // --- in English: the weekdays and words in the reader's language ------------------------------------
  await setLocale(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(m('en', 'home.greeting', { name: account.displayName }));
  await expect(calendar(page).getByTestId('calendar-weekday')).toHaveText(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
  await expect(calendar(page).locator('h2')).toHaveText(m('en', 'home.calendar.title'));
  await expect(page.getByTestId('home-due').locator('h2')).toContainText(m('en', 'home.due.title'));
  await expect(page.getByTestId('home-plan-paid')).toHaveText(m('en', 'home.totals.planPaid', { amount: formatFen(123_456) }));
  await expect(page.getByTestId('home-plan-left')).toHaveText(m('en', 'home.totals.planLeft', { amount: formatFen(2 * 123_456 + 2 * 80_000 + 50_000) }));
  await expect(page.locator(`[data-testid="glance-case"][data-case-id="${caseD}"]`).getByTestId('glance-next-for')).toHaveText(m('en', 'domain.nextFor.review'));
  await page.setViewportSize({ width: 360, height: 800 });
  await expectNoHorizontalScroll(page, '/home in English at 360px');
});

test('signing in lands a borrower on their home; an advisor has none', async ({ page, browser }) => {
  const account = await signUp(page, { locale: 'zh-CN' });
  await signOut(page);
  await submitSignIn(page, account.email, account.password);
  await page.waitForURL(/\/home$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(m('zh-CN', 'home.greeting', { name: account.displayName }));
  for (const url of ['/', '/signin', '/signup']) {
    await page.goto(url);
    await expect(page, url).toHaveURL(/\/home$/);
  }

  const advisorContext = await browser.newContext();
  const advisor = await advisorContext.newPage();
  await signUp(advisor, { role: 'advisor', locale: 'zh-CN' });
  await advisor.goto('/');
  await expect(advisor).not.toHaveURL(/\/home$/);
  await advisor.goto('/home');
  await expect(advisor.getByTestId('home-not-borrower')).toContainText(m('zh-CN', 'home.notBorrower.title'));
  await expect(advisor.locator('header').getByTestId('nav-home')).toHaveCount(0);
  await advisorContext.close();
});
