/**
 * A reminder's snooze and edit panels are folds of the page (issue 6): closed, a reminder sends
 * only its buttons (no form, no snooze date); a toggle is a link adding `snooze-<id>` or
 * `edit-<id>` to `?open=`, the server renders that panel, and with JavaScript the focus moves into
 * it. Saved or cancelled, the panel closes (its entry leaves the URL) and the focus goes back to
 * its toggle. The same on the case page and in the /reminders inbox, and without JavaScript.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addDays, createCase, formatDate, formatWeekdayShort, formMessage, openFold, signUp, submitButton, todayShanghai, zh } from './helpers';

// The 'reminders' catalogue (the shared helpers load the others).
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const catalogue = {
  'zh-CN': JSON.parse(readFileSync(`${ROOT}messages/zh-CN/reminders.json`, 'utf8')),
  en: JSON.parse(readFileSync(`${ROOT}messages/en/reminders.json`, 'utf8')),
};
function rm(locale: 'zh-CN' | 'en', key: string, values: Record<string, string> = {}): string {
  const text = key.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)?.[k], catalogue[locale]);
  if (typeof text !== 'string') throw new Error(`no message ${locale}:reminders.${key}`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? values[name] : whole));
}

const LENDER = '招联金融';
const FORMS = ['reminder-snooze-presets', 'reminder-snooze-date', 'reminder-edit-form'];

/** The page's HTML as the server first sends it. */
async function firstAnswer(page: Page, path: string): Promise<string> {
  const res = await page.request.get(path);
  expect(res.status()).toBe(200);
  return res.text();
}

/** A case with one own reminder (for today), added through its fold; returns the case and reminder ids. */
async function caseWithReminder(page: Page, title: string): Promise<{ caseId: number; reminderId: number }> {
  const caseId = await createCase(page, { lender: LENDER });
  const form = (await openFold(page.getByTestId('add-reminder'))).getByTestId('reminder-form');
  await form.locator('input[name="title"]').fill(title);
  await submitButton(form).click();
  const item = ownReminder(page);
  await expect(item).toHaveCount(1);
  return { caseId, reminderId: Number(await item.getAttribute('data-id')) };
}

function ownReminder(page: Page): Locator {
  return page.locator('[data-testid="reminder"][data-kind="custom"]');
}

test('closed, a reminder sends no form; opened, its panel takes the focus, saves and closes', async ({ page }) => {
  await signUp(page);
  const today = todayShanghai();
  const { caseId, reminderId } = await caseWithReminder(page, '问客服减免金额');

  // The first answers: toggles only; a panel's forms (and snooze dates) only when the URL opens it.
  for (const path of [`/cases/${caseId}`, '/reminders']) {
    const html = await firstAnswer(page, path);
    expect(html, path).toContain('data-testid="reminder-snooze-toggle"');
    expect(html, path).toContain('data-testid="reminder-edit-toggle"');
    expect(html, path).toContain('data-testid="reminder-done"');
    for (const form of FORMS) expect(html, `${path}: ${form}`).not.toContain(`data-testid="${form}"`);
    expect(html, path).not.toContain(formatDate(addDays(today, 3), 'zh-CN'));
  }
  const snoozeOpen = await firstAnswer(page, `/cases/${caseId}?open=snooze-${reminderId}`);
  expect(snoozeOpen).toContain('data-testid="reminder-snooze-presets"');
  expect(snoozeOpen).toContain('data-testid="reminder-snooze-date"');
  expect(snoozeOpen).not.toContain('data-testid="reminder-edit-form"');
  const editOpen = await firstAnswer(page, `/reminders?open=edit-${reminderId}`);
  expect(editOpen).toContain('data-testid="reminder-edit-form"');
  expect(editOpen).not.toContain('data-testid="reminder-snooze-date"');
  // An id that is not on the page opens nothing.
  const foreign = await firstAnswer(page, `/cases/${caseId}?open=snooze-${reminderId + 100000},edit-${reminderId + 100000}`);
  for (const form of FORMS) expect(foreign, form).not.toContain(`data-testid="${form}"`);

  // Case page, from the keyboard: the toggle, Enter, and the panel has the focus; Tab goes on into it.
  await page.goto(`/cases/${caseId}`);
  let item = ownReminder(page);
  const snoozeToggle = item.getByTestId('reminder-snooze-toggle');
  await expect(snoozeToggle).toHaveAttribute('aria-expanded', 'false');
  await snoozeToggle.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}\\?open=snooze-${reminderId}#fold-snooze-${reminderId}$`));
  const panel = item.getByTestId('reminder-snooze-panel');
  await expect(panel).toBeFocused();
  await expect(snoozeToggle).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(panel.getByTestId('snooze-tomorrow')).toBeFocused();

  // Cancel: closed, out of the URL, the focus back on the toggle.
  await panel.getByTestId('reminder-panel-cancel').click();
  await expect(panel).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}#reminder-${reminderId}$`));
  await expect(snoozeToggle).toBeFocused();
  await expect(snoozeToggle).toHaveAttribute('aria-expanded', 'false');

  // One panel at a time: opening edit closes snooze.
  await snoozeToggle.click();
  await expect(item.getByTestId('reminder-snooze-date')).toBeVisible();
  await item.getByTestId('reminder-edit-toggle').click();
  await expect(page).toHaveURL(new RegExp(`\\?open=edit-${reminderId}#fold-edit-${reminderId}$`));
  const edit = item.getByTestId('reminder-edit-form');
  await expect(edit).toBeVisible();
  await expect(item.getByTestId('reminder-snooze-panel')).toHaveCount(0);

  // Edit: a refused form stays open with its error; saved, the panel closes.
  await edit.locator('input[name="title"]').fill('');
  await submitButton(edit).click();
  await expect(edit.getByTestId('error-title')).not.toBeEmpty();
  await expect(item.getByTestId('reminder-edit-panel')).toBeVisible();
  await edit.locator('input[name="title"]').fill('问客服减免金额（改）');
  await submitButton(edit).click();
  await expect(item.getByTestId('reminder-title')).toHaveText('问客服减免金额（改）');
  await expect(item.getByTestId('reminder-edit-panel')).toHaveCount(0);
  await expect(page).not.toHaveURL(/open=/);
  await expect(item.getByTestId('reminder-edit-toggle')).toBeFocused();

  // Snooze to a date on the case page: saved and closed, the reminder says until when.
  await snoozeToggle.click();
  const dateForm = item.getByTestId('reminder-snooze-date');
  await dateForm.locator('input[name="until"]').fill(today);
  await submitButton(dateForm).click();
  await expect(dateForm.getByTestId('error-until')).toHaveText(zh('errors.snooze_past'));
  const until = addDays(today, 4);
  await dateForm.locator('input[name="until"]').fill(until);
  await submitButton(dateForm).click();
  await expect(item).toHaveAttribute('data-show-on', until);
  await expect(item.getByTestId('reminder-snooze-panel')).toHaveCount(0);
  await expect(page).not.toHaveURL(/open=/);
  await expect(item.getByTestId('reminder-snoozed')).toContainText(formatDate(until, 'zh-CN'));

  // The inbox: a preset moves the reminder to another group (a new component there); the panel still closes.
  await page.goto('/reminders');
  item = ownReminder(page);
  await expect(item).toHaveAttribute('data-group', 'upcoming');
  await item.getByTestId('reminder-snooze-toggle').click();
  await expect(page).toHaveURL(new RegExp(`/reminders\\?open=snooze-${reminderId}#fold-snooze-${reminderId}$`));
  await item.getByTestId('reminder-snooze-panel').getByTestId('snooze-tomorrow').click();
  await expect(item).toHaveAttribute('data-show-on', addDays(today, 1));
  await expect(item).toHaveAttribute('data-group', 'upcoming');
  await expect(item.getByTestId('reminder-snooze-panel')).toHaveCount(0);
  await expect(page).not.toHaveURL(/open=/);

  // Edited to a date beyond 30 days: from Upcoming to Later, and closed.
  await item.getByTestId('reminder-edit-toggle').click();
  const inboxEdit = item.getByTestId('reminder-edit-form');
  await inboxEdit.locator('input[name="dueOn"]').fill(addDays(today, 40));
  await submitButton(inboxEdit).click();
  await expect(item).toHaveAttribute('data-group', 'later');
  await expect(item.getByTestId('reminder-edit-panel')).toHaveCount(0);
  await expect(page).not.toHaveURL(/open=/);
});

test('in English, the panel speaks English', async ({ page }) => {
  await signUp(page, { locale: 'en' });
  const { reminderId } = await caseWithReminder(page, 'Call the bank');
  await page.goto(`/reminders?open=snooze-${reminderId}`);
  const panel = ownReminder(page).getByTestId('reminder-snooze-panel');
  await expect(panel.getByTestId('reminder-panel-cancel')).toHaveText(rm('en', 'actions.cancel'));
  await expect(panel.getByTestId('snooze-tomorrow')).toHaveText(
    rm('en', 'actions.snoozeTomorrow', { date: formatDate(addDays(todayShanghai(), 1), 'en'), weekday: formatWeekdayShort(addDays(todayShanghai(), 1), 'en') }),
  );
});

test('a reminder not yet due is snoozed only past its due date: earlier is not offered, and refused if typed', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: LENDER });
  const dueOn = addDays(todayShanghai(), 10);
  const form = (await openFold(page.getByTestId('add-reminder'))).getByTestId('reminder-form');
  await form.locator('input[name="title"]').fill('问减免结果');
  await form.locator('input[name="dueOn"]').fill(dueOn);
  await submitButton(form).click();
  const item = ownReminder(page);
  await expect(item).toHaveCount(1);
  const reminderId = Number(await item.getAttribute('data-id'));

  await page.goto(`/cases/${caseId}?open=snooze-${reminderId}`);
  const panel = item.getByTestId('reminder-snooze-panel');
  await expect(panel.getByTestId('reminder-snooze-not-due')).toHaveText(rm('zh-CN', 'actions.snoozeNotDue', { date: formatDate(dueOn, 'zh-CN') }));
  // Tomorrow, the next workday and three days on all come before the due date: no quick buttons.
  await expect(panel.getByTestId('reminder-snooze-presets')).toHaveCount(0);
  const dateForm = panel.getByTestId('reminder-snooze-date');
  await expect(dateForm.locator('input[name="until"]')).toHaveValue(addDays(dueOn, 1));
  await dateForm.locator('input[name="until"]').fill(addDays(todayShanghai(), 3));
  await submitButton(dateForm).click();
  await expect(dateForm.getByTestId('error-until')).toHaveText(zh('errors.snooze_before_due', { dueOn: formatDate(dueOn, 'zh-CN') }));
  await expect(item).toHaveAttribute('data-show-on', dueOn);
  // Past the due date, it moves, and says so.
  await dateForm.locator('input[name="until"]').fill(addDays(dueOn, 2));
  await submitButton(dateForm).click();
  await expect(item).toHaveAttribute('data-show-on', addDays(dueOn, 2));
  await expect(item.getByTestId('reminder-snoozed')).toBeVisible();
});

test('a tab out of date changes nothing: done in one tab, then snoozed or dismissed in another, is refused and stays done', async ({ page, context }) => {
  await signUp(page, { locale: 'zh-CN' });
  const { caseId, reminderId } = await caseWithReminder(page, '问客服协商进度');
  const stale = await context.newPage();
  await stale.goto(`/reminders?open=snooze-${reminderId}`);
  const staleItem = ownReminder(stale);
  await expect(staleItem.getByTestId('reminder-snooze-panel')).toBeVisible();

  // Done in the first tab.
  await page.goto('/reminders');
  await ownReminder(page).getByTestId('reminder-done').locator('button[type="submit"]').click();
  await expect(ownReminder(page)).toHaveCount(0);

  // The second tab still shows it open: its snooze and its dismiss are refused, and say why.
  await staleItem.getByTestId('reminder-snooze-panel').getByTestId('snooze-tomorrow').click();
  await expect(staleItem.getByTestId('reminder-snooze-panel').getByText(zh('errors.reminder_closed'))).toBeVisible();
  await staleItem.getByTestId('reminder-dismiss').locator('button[type="submit"]').click();
  await expect(staleItem.getByTestId('reminder-dismiss').getByText(zh('errors.reminder_closed'))).toBeVisible();
  await stale.reload();
  await expect(ownReminder(stale)).toHaveCount(0);
  await page.goto(`/cases/${caseId}?open=closed-reminders`);
  const closed = page.locator(`[data-testid="reminder-closed"][data-id="${reminderId}"]`);
  await expect(closed).toHaveAttribute('data-status', 'done');
});

test('two tabs editing one reminder: the later save is refused, says why and keeps what was typed; sent again, it is saved', async ({ page, context }) => {
  await signUp(page, { locale: 'zh-CN' });
  const { reminderId } = await caseWithReminder(page, '给客服回电话');
  const other = await context.newPage();
  await other.goto(`/reminders?open=edit-${reminderId}`);
  const otherEdit = ownReminder(other).getByTestId('reminder-edit-form');
  await expect(otherEdit).toBeVisible();

  // The first tab saves a new title.
  await page.goto(`/reminders?open=edit-${reminderId}`);
  const edit = ownReminder(page).getByTestId('reminder-edit-form');
  await edit.locator('input[name="title"]').fill('第一个页面：周五前回电话');
  await submitButton(edit).click();
  await expect(ownReminder(page).getByTestId('reminder-title')).toHaveText('第一个页面：周五前回电话');

  // The second, opened before that save: refused, its text still in the form.
  await otherEdit.locator('input[name="title"]').fill('第二个页面：下周一回电话');
  await otherEdit.locator('textarea[name="note"]').fill('问清楚减免多少');
  await submitButton(otherEdit).click();
  await expect(formMessage(otherEdit)).toHaveText(zh('errors.reminder_changed'));
  await expect(otherEdit.locator('input[name="title"]')).toHaveValue('第二个页面：下周一回电话');
  await expect(otherEdit.locator('textarea[name="note"]')).toHaveValue('问清楚减免多少');
  // Nothing was overwritten: a third tab shows the first save.
  const third = await context.newPage();
  await third.goto('/reminders');
  await expect(ownReminder(third).getByTestId('reminder-title')).toHaveText('第一个页面：周五前回电话');
  // Sent again, as the message says, what was typed replaces it.
  await submitButton(otherEdit).click();
  await expect(ownReminder(other).getByTestId('reminder-title')).toHaveText('第二个页面：下周一回电话');
  await third.reload();
  await expect(ownReminder(third).getByTestId('reminder-title')).toHaveText('第二个页面：下周一回电话');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a toggle is a plain link; the panel saves, and its toggle closes it', async ({ page, browser }) => {
    const setup = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const jsPage = await setup.newPage();
    await signUp(jsPage);
    const { caseId, reminderId } = await caseWithReminder(jsPage, '没有脚本也能推迟');
    await page.context().addCookies(await setup.cookies());
    await setup.close();

    await page.goto(`/cases/${caseId}`);
    const item = ownReminder(page);
    await expect(item.getByTestId('reminder-snooze-date')).toHaveCount(0);
    await item.getByTestId('reminder-snooze-toggle').click();
    await expect(page).toHaveURL(new RegExp(`\\?open=snooze-${reminderId}#fold-snooze-${reminderId}$`));
    const until = addDays(todayShanghai(), 6);
    const form = item.getByTestId('reminder-snooze-date');
    await form.locator('input[name="until"]').fill(until);
    await submitButton(form).click();
    await expect(item).toHaveAttribute('data-show-on', until);
    await expect(formMessage(item.getByTestId('reminder-snooze-date'))).toHaveText(rm('zh-CN', 'actions.snoozedOk', { date: formatDate(until, 'zh-CN') }));
    // Its toggle (or cancel) closes it.
    await item.getByTestId('reminder-snooze-toggle').click();
    await expect(page).toHaveURL(new RegExp(`/cases/${caseId}#reminder-${reminderId}$`));
    await expect(item.getByTestId('reminder-snooze-panel')).toHaveCount(0);

    // Edit in the inbox, without JavaScript.
    await page.goto('/reminders');
    await item.getByTestId('reminder-edit-toggle').click();
    const edit = item.getByTestId('reminder-edit-form');
    await edit.locator('input[name="title"]').fill('没有脚本也能改');
    await submitButton(edit).click();
    await expect(item.getByTestId('reminder-title')).toHaveText('没有脚本也能改');
    await item.getByTestId('reminder-panel-cancel').click();
    await expect(item.getByTestId('reminder-edit-panel')).toHaveCount(0);
    await expect(page).toHaveURL(new RegExp(`/reminders#reminder-${reminderId}$`));
  });
});
