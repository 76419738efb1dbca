/**
 * Reminders in the browser: an application submitted on 30 Sep 2025 is followed up on the
 * right workday after National Day; the inbox shows it as overdue with its date, and marking
 * it done takes it off the header's badge. A borrower's own reminder for today counts on the
 * badge and, snoozed, moves to "upcoming". A rejection asks for the next step and closes
 * "check the review result" by itself.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addWorkdays, isDateCovered } from '../lib/workdays';
import {
  actionForm,
  addDays,
  approvePlan,
  createCase,
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

// Review times from db/seed/lenders.ts.
const LENDER_5 = '花呗/借呗（重庆蚂蚁消费金融）'; // reviewWorkdays: 5
const LENDER_10 = '建设银行 快贷'; // reviewWorkdays: 10
const SUBMITTED_ON = '2025-09-30';

// The 'reminders' catalogue (the shared helpers load the others).
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const catalogue = {
  'zh-CN': JSON.parse(readFileSync(`${ROOT}messages/zh-CN/reminders.json`, 'utf8')),
  en: JSON.parse(readFileSync(`${ROOT}messages/en/reminders.json`, 'utf8')),
};
function rm(locale: 'zh-CN' | 'en', key: string, values: Record<string, string | number> = {}): string {
  const text = key.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)?.[k], catalogue[locale]);
  if (typeof text !== 'string') throw new Error(`no message ${locale}:reminders.${key}`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The number on the header's badge; 0 when it is hidden. */
async function badgeCount(page: Page): Promise<number> {
  const badge = page.locator('header').getByTestId('reminder-badge');
  if ((await badge.count()) === 0) return 0;
  return Number(await badge.textContent());
}

async function expectBadge(page: Page, n: number): Promise<void> {
  const badge = page.locator('header').getByTestId('reminder-badge');
  if (n === 0) {
    await expect(badge).toHaveCount(0);
  } else {
    await expect(badge).toHaveText(String(n));
    await expect(badge).toHaveAttribute('aria-label', /\d/);
  }
}

function inbox(page: Page): Locator {
  return page.getByTestId('reminders-page');
}

function caseReminders(page: Page): Locator {
  return page.getByTestId('case-reminders');
}

test.describe('reminders', () => {
  test('the workday calendar knows National Day 2025', () => {
    // 1–8 Oct are holidays; Sunday 28 Sep and Saturday 11 Oct are worked (调休).
    expect(addWorkdays(SUBMITTED_ON, 1)).toBe('2025-10-09');
    expect(addWorkdays(SUBMITTED_ON, 3)).toBe('2025-10-11');
    expect(addWorkdays(SUBMITTED_ON, 5)).toBe('2025-10-14');
  });

  test('a review follow-up on the right workday, done from the inbox; own reminders; a rejection moves on', async ({ page }) => {
    const today = todayShanghai();
    await signUp(page, { locale: 'zh-CN' });
    await expectBadge(page, 0);
    await page.goto('/reminders');
    await expect(page.getByTestId('reminders-empty')).toContainText(rm('zh-CN', 'page.empty'));

    // --- an application submitted on 30 Sep 2025 with a lender that reviews in 5 workdays -------
    const caseA = await createCase(page, { lender: LENDER_5, accountRef: '3021', principal: '8000' });
    await expect(caseReminders(page).getByTestId('case-reminders-empty')).toBeVisible();
    await submitApplication(page, SUBMITTED_ON);
    const dueA = addWorkdays(SUBMITTED_ON, 5);
    expect(dueA).toBe('2025-10-14');
    const titleA = rm('zh-CN', 'title.review_followup', { lender: LENDER_5, round: 1 });
    const onCase = caseReminders(page).locator('[data-testid="reminder"][data-kind="review_followup"]');
    await expect(onCase).toHaveCount(1);
    await expect(onCase).toHaveAttribute('data-due', dueA);
    await expect(onCase.getByTestId('reminder-title')).toHaveText(titleA);
    await expect(onCase.getByTestId('reminder-date')).toContainText(formatDate(dueA, 'zh-CN'));
    // 2025's holidays are published: no "estimated" note.
    await expect(onCase.getByTestId('reminder-estimated')).toHaveCount(0);
    await expectBadge(page, 1);

    // A second case, a bank that reviews in 10 workdays, submitted the same day.
    const caseB = await createCase(page, { lender: LENDER_10, principal: '20000' });
    await submitApplication(page, SUBMITTED_ON);
    const dueB = addWorkdays(SUBMITTED_ON, 10);
    await expect(caseReminders(page).locator('[data-testid="reminder"][data-kind="review_followup"]')).toHaveAttribute('data-due', dueB);

    // --- the inbox: both overdue (the dates have passed), with their dates and cases ---------------------
    await page.goto('/reminders');
    const before = await badgeCount(page);
    expect(before).toBeGreaterThanOrEqual(2);
    const overdue = inbox(page).locator('[data-testid="reminder-group"][data-group="overdue"]');
    await expect(overdue.locator('h2')).toContainText(rm('zh-CN', 'group.overdue'));
    const itemA = overdue.locator(`[data-testid="reminder"][data-kind="review_followup"][data-due="${dueA}"]`);
    await expect(itemA).toHaveCount(1);
    await expect(itemA).toHaveAttribute('data-group', 'overdue');
    await expect(itemA.getByTestId('reminder-title')).toHaveText(titleA);
    await expect(itemA.getByTestId('reminder-date')).toHaveText(formatDate(dueA, 'zh-CN'));
    await expect(itemA.getByTestId('reminder-case')).toHaveAttribute('href', `/cases/${caseA}`);
    await expect(itemA.getByTestId('reminder-case')).toHaveText(zh('reminders.item.caseWithRef', { lender: LENDER_5, ref: '3021' }));
    await expect(overdue.locator(`[data-testid="reminder"][data-due="${dueB}"]`)).toHaveCount(1);

    // --- done: off the badge and out of the inbox ----------------------------------------------------
    await itemA.getByTestId('reminder-done').locator('button[type="submit"]').click();
    await expect(itemA).toHaveCount(0);
    await expectBadge(page, before - 1);
    await page.reload();
    await expect(inbox(page).locator(`[data-testid="reminder"][data-due="${dueA}"]`)).toHaveCount(0);
    await expectBadge(page, before - 1);

    // On the case page it is folded among the closed ones, done by the person.
    await page.goto(`/cases/${caseA}`);
    const closedA = (await openFold(caseReminders(page).getByTestId('case-reminders-closed'))).locator('[data-testid="reminder-closed"][data-kind="review_followup"]');
    await expect(closedA).toHaveAttribute('data-status', 'done');
    await expect(closedA.getByTestId('reminder-closed-status')).toHaveText(rm('zh-CN', 'section.statusDone'));

    // --- an own reminder for today: refused with a bad time and yesterday's date, then added; it counts on the badge ---
    const count1 = await badgeCount(page);
    const add = await openFold(caseReminders(page).getByTestId('add-reminder'));
    let form = add.getByTestId('reminder-form');
    await expect(form.locator('input[name="dueOn"]')).toHaveValue(today);
    await form.locator('input[name="title"]').fill('给客服回电话，问减免金额');
    await form.locator('input[name="dueOn"]').fill(addDays(today, -1));
    await form.locator('input[name="dueTime"]').fill('25:00');
    // A time is no text to count: no "5 / 5" under it.
    await expect(form.getByTestId('length-count')).toHaveCount(0);
    await submitButton(form).click();
    await expect(form.getByTestId('error-dueTime')).toHaveText(zh('errors.time_invalid'));
    await expect(form.getByTestId('error-dueOn')).toHaveText(zh('errors.reminder_past'));
    await expect(form.locator('input[name="title"]')).toHaveValue('给客服回电话，问减免金额');
    await form.locator('input[name="dueOn"]').fill(today);
    // As a Chinese keyboard types it: a full-width colon.
    await form.locator('input[name="dueTime"]').fill('9：30');
    await form.locator('textarea[name="note"]').fill('工号 A1234 说下周有结果');
    await submitButton(form).click();
    await expect(formMessage(form)).toHaveText(rm('zh-CN', 'actions.createdOk'));
    const own = caseReminders(page).locator('[data-testid="reminder"][data-kind="custom"]');
    await expect(own).toHaveCount(1);
    await expect(own).toHaveAttribute('data-group', 'today');
    await expect(own.getByTestId('reminder-title')).toHaveText('给客服回电话，问减免金额');
    await expect(own.getByTestId('reminder-date')).toHaveText(`${formatDate(today, 'zh-CN')} 09:30`);
    await expectBadge(page, count1 + 1);

    // --- snoozed to a later date: leaves Today for Upcoming, and the badge ------------------------
    await page.goto('/reminders');
    let ownInInbox = inbox(page).locator('[data-testid="reminder"][data-kind="custom"]');
    await expect(ownInInbox).toHaveAttribute('data-group', 'today');
    await ownInInbox.getByTestId('reminder-snooze-toggle').click();
    const snoozeForm = ownInInbox.getByTestId('reminder-snooze-date');
    await snoozeForm.locator('input[name="until"]').fill(today);
    await submitButton(snoozeForm).click();
    await expect(snoozeForm.getByTestId('error-until')).toHaveText(zh('errors.snooze_past'));
    const until = addDays(today, 5);
    await snoozeForm.locator('input[name="until"]').fill(until);
    await submitButton(snoozeForm).click();
    ownInInbox = inbox(page).locator('[data-testid="reminder"][data-kind="custom"]');
    await expect(ownInInbox).toHaveAttribute('data-group', 'upcoming');
    await expect(ownInInbox).toHaveAttribute('data-show-on', until);
    await expect(ownInInbox.getByTestId('reminder-snoozed')).toHaveText(rm('zh-CN', 'item.snoozedUntil', { date: formatDate(until, 'zh-CN') }));
    await expect(inbox(page).locator('[data-testid="reminder-group"][data-group="today"]')).toHaveCount(0);
    await expectBadge(page, count1);

    // --- a rejection: "decide the next step" appears; "check the review result" closes itself ---------------
    await page.goto(`/cases/${caseB}`);
    form = await actionForm(page, 'reject', 'form-reject');
    await form.locator('select[name="rejectionReason"]').selectOption('insufficient_proof');
    await submitButton(form).click();
    await expectCaseStatus(page, 'rejected');
    const nextStep = caseReminders(page).locator('[data-testid="reminder"][data-kind="next_step"]');
    await expect(nextStep).toHaveCount(1);
    await expect(nextStep).toHaveAttribute('data-due', addWorkdays(today, 2));
    await expect(nextStep.getByTestId('reminder-title')).toHaveText(
      rm('zh-CN', 'title.next_step_reason', { lender: LENDER_10, round: 1, reason: rm('zh-CN', 'reason.insufficient_proof') }),
    );
    await expect(caseReminders(page).locator('[data-testid="reminder"][data-kind="review_followup"]')).toHaveCount(0);
    const closedB = (await openFold(caseReminders(page).getByTestId('case-reminders-closed'))).locator('[data-testid="reminder-closed"][data-kind="review_followup"]');
    await expect(closedB).toHaveAttribute('data-auto-closed', '1');
    await expect(closedB.getByTestId('reminder-closed-status')).toHaveText(rm('zh-CN', 'section.autoClosed'));
    await expect(closedB.getByTestId('reminder-reopen')).toHaveCount(0);
    await expectBadge(page, count1 - 1);

    await page.goto('/reminders');
    await expect(inbox(page).locator(`[data-testid="reminder"][data-due="${dueB}"]`)).toHaveCount(0);
    await expect(inbox(page).locator('[data-testid="reminder"][data-kind="next_step"]')).toHaveCount(1);

    // --- the same inbox in English, and on a phone ----------------------------------------------------
    await setLocale(page, 'en');
    await expect(inbox(page).locator('h1')).toHaveText(rm('en', 'page.title'));
    await expect(inbox(page).locator('[data-testid="reminder"][data-kind="next_step"]').getByTestId('reminder-title')).toHaveText(
      rm('en', 'title.next_step_reason', { lender: LENDER_10, round: 1, reason: rm('en', 'reason.insufficient_proof') }),
    );
    await page.setViewportSize({ width: 360, height: 780 });
    await expectNoHorizontalScroll(page, '/reminders at 360px');
    await page.goto(`/cases/${caseB}`);
    await expectNoHorizontalScroll(page, 'case page at 360px');
  });

  test('a long plan does not bury the inbox: "later" shows its first five, the rest one link away', async ({ page }) => {
    await signUp(page);
    const today = todayShanghai();
    const caseId = await createCase(page, { lender: LENDER_5, principal: '12000' });
    await page.goto(`/cases/${caseId}`);
    await submitApplication(page, today);
    await approvePlan(page, { periods: '12', monthly: '1000', first: addDays(today, 45) });

    await page.goto('/reminders');
    const later = inbox(page).locator('[data-testid="reminder-group"][data-group="later"]');
    // Twelve instalments, a notice and a due day each, all after the next 30 days.
    await expect(later.locator('h2')).toContainText('24');
    await expect(later.getByTestId('reminder')).toHaveCount(5);
    const firstFive = await later.getByTestId('reminder').evaluateAll((items) => items.map((i) => i.getAttribute('data-show-on')));
    expect(firstFive).toEqual([...firstFive].sort());
    await expect(later.getByTestId('later-toggle')).toHaveText(rm('zh-CN', 'page.laterAll', { count: 24 }));
    await later.getByTestId('later-toggle').click();
    await expect(later.getByTestId('reminder')).toHaveCount(24);
    await expect(page).toHaveURL(/open=later/);
    await expect(later.getByTestId('later-toggle')).toHaveText(rm('zh-CN', 'page.laterFirst', { count: 5 }));
    await later.getByTestId('later-toggle').click();
    await expect(later.getByTestId('reminder')).toHaveCount(5);

    // A snooze panel open on one of the rest keeps the group whole until it closes, with no link that would do nothing.
    await later.getByTestId('later-toggle').click();
    await expect(later.getByTestId('reminder')).toHaveCount(24);
    const eighth = later.getByTestId('reminder').nth(7);
    await eighth.getByTestId('reminder-snooze-toggle').click();
    await expect(eighth.getByTestId('reminder-snooze-panel')).toBeVisible();
    await later.getByTestId('later-toggle').click();
    await expect(page).not.toHaveURL(/[?&,=]later\b/);
    await expect(later.getByTestId('reminder')).toHaveCount(24);
    await expect(eighth.getByTestId('reminder-snooze-panel')).toBeVisible();
    await expect(later.getByTestId('later-toggle')).toHaveCount(0);
    await eighth.getByTestId('reminder-panel-cancel').click();
    await expect(later.getByTestId('reminder')).toHaveCount(5);
    await expect(later.getByTestId('later-toggle')).toHaveText(rm('zh-CN', 'page.laterAll', { count: 24 }));

    // "Done" only closes a reminder: the payment is recorded on the case, one link away, in the instalment's own form.
    const first = later.getByTestId('reminder').first();
    await expect(first.getByTestId('reminder-record')).toHaveText(rm('zh-CN', 'item.recordPayment'));
    await first.getByTestId('reminder-record').click();
    await expect(page).toHaveURL(new RegExp(`/cases/${caseId}\\?open=pay-\\d+#fold-pay-\\d+$`));
    const instalment = new URL(page.url()).searchParams.get('open')!.slice('pay-'.length);
    await expect(page.locator(`[data-testid="instalment"][data-instalment-id="${instalment}"]`).getByTestId('mark-paid-form')).toBeVisible();
    // A later instalment's reminder opens that instalment's form, though the plan shows only the next ones.
    await page.goto('/reminders?open=later');
    const last = later.getByTestId('reminder').last();
    await last.getByTestId('reminder-record').click();
    await expect(page).toHaveURL(new RegExp(`/cases/${caseId}\\?open=pay-\\d+#fold-pay-\\d+$`));
    const lastId = new URL(page.url()).searchParams.get('open')!.slice('pay-'.length);
    await expect(page.locator(`[data-testid="instalment"][data-instalment-id="${lastId}"]`)).toHaveAttribute('data-seq', '12');
    await expect(page.locator(`[data-testid="instalment"][data-instalment-id="${lastId}"]`).getByTestId('mark-paid-form')).toBeVisible();
  });

  test('a promise counted in workdays into a year whose holidays are not published says its date is an estimate', async ({ page }) => {
    const today = todayShanghai();
    await signUp(page, { locale: 'zh-CN' });
    await createCase(page, { lender: LENDER_5, principal: '1000' });
    const form = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
    await form.locator('textarea[name="summary"]').fill('客服说六十个工作日内给答复');
    await form.locator('input[name="promise"]').fill('六十个工作日内答复');
    await form.locator('input[name="promiseWorkdays"]').fill('60');
    await submitButton(form).click();
    const chase = caseReminders(page).locator('[data-testid="reminder"][data-kind="promise_chase"]');
    await expect(chase).toHaveAttribute('data-due', addWorkdays(today, 61));
    // Sixty workdays from the end of a year reach into the next, whose calendar may not be published yet.
    const estimated = !isDateCovered(addWorkdays(today, 61));
    await expect(chase.getByTestId('reminder-estimated')).toHaveCount(estimated ? 1 : 0);
    if (estimated) await expect(chase.getByTestId('reminder-estimated')).toHaveText(rm('zh-CN', 'item.estimated'));
  });
});
