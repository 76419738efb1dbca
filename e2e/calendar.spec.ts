/**
 * The private calendar feed, as a calendar app meets it: the borrower copies the address from
 * settings, an app without any cookie fetches it and finds the reminders of their case (parsed
 * by a real iCalendar parser); a wrong token gets an empty 404; regenerating the address kills
 * the old one at once.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import ical, { type VEvent } from 'node-ical';
import { addWorkdays } from '../lib/workdays';
import {
  actionForm,
  addDays,
  createCase,
  expectCaseStatus,
  expectNoHorizontalScroll,
  formMessage,
  msg as m,
  openFold,
  setLocale,
  signUp,
  submitButton,
  todayShanghai,
} from './helpers';

const LENDER = '建设银行 快贷'; // reviewWorkdays: 10 (db/seed/lenders.ts)
const FEED_URL = /^http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/;

function valueOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String((v as { val: unknown }).val);
}

/** node-ical makes an all-day date at local midnight: read it back the same way. */
function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function fetchFeed(api: APIRequestContext, url: string) {
  const res = await api.get(url, { maxRedirects: 0, failOnStatusCode: false });
  return { res, body: await res.text() };
}

function eventsOf(body: string): VEvent[] {
  return Object.values(ical.sync.parseICS(body)).filter((c): c is VEvent => c?.type === 'VEVENT');
}

async function feedUrl(page: Page): Promise<string> {
  const input = page.getByTestId('calendar-section').getByTestId('calendar-url');
  await expect(input).toHaveValue(FEED_URL);
  return input.inputValue();
}

test('the calendar feed: subscribe, read without a cookie, a wrong token, regenerate', async ({ page, playwright }) => {
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });

  // A case under review (the rule reminder "check the review result"), and an own reminder at 14:30.
  const caseId = await createCase(page, { lender: LENDER });
  const submit = await actionForm(page, 'submit', 'form-submit');
  await submit.locator('select[name="program"]').selectOption('instalments');
  await submit.locator('select[name="channel"]').selectOption('app');
  await submitButton(submit).click();
  await expectCaseStatus(page, 'under_review');
  const timedOn = addDays(today, 2);
  const add = await openFold(page.getByTestId('case-reminders').getByTestId('add-reminder'));
  const form = add.getByTestId('reminder-form');
  await form.locator('input[name="title"]').fill('给建设银行客服回电话');
  await form.locator('input[name="dueOn"]').fill(timedOn);
  await form.locator('input[name="dueTime"]').fill('14:30');
  await submitButton(form).click();
  await expect(page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="custom"]')).toHaveCount(1);

  // --- settings: the private address, the webcal link, the warning, the how-to -----------------------
  await page.goto('/settings');
  const section = page.getByTestId('calendar-section');
  await expect(section.getByRole('heading', { name: m('zh-CN', 'calendar.title') })).toBeVisible();
  const url = await feedUrl(page);
  // Copied, the focus stays on the button pressed; where the browser would not copy, the address
  // keeps it, selected, to be copied by hand.
  const copy = section.getByTestId('calendar-url-copy');
  await copy.click();
  const copied = m('zh-CN', 'calendar.copied');
  const failed = section.getByText(m('zh-CN', 'calendar.copyFailed'));
  await expect.poll(async () => (await copy.textContent()) === copied || (await failed.isVisible())).toBe(true);
  if ((await copy.textContent()) === copied) await expect(copy).toBeFocused();
  else await expect(section.getByTestId('calendar-url')).toBeFocused();
  await expect(section.getByTestId('calendar-webcal')).toHaveAttribute('href', url.replace(/^http:/, 'webcal:'));
  await expect(section.getByTestId('calendar-webcal')).toHaveText(m('zh-CN', 'calendar.openInApp'));
  await expect(section.getByTestId('calendar-warning')).toContainText(m('zh-CN', 'calendar.warning'));
  await expect(section.getByTestId('calendar-howto')).toContainText(m('zh-CN', 'calendar.iphone'));
  // Most phones here are Android ones, whose calendars differ by brand: the way that works on any of them.
  await expect(section.getByTestId('calendar-howto')).toContainText(m('zh-CN', 'calendar.android'));
  await page.setViewportSize({ width: 360, height: 800 });
  await expectNoHorizontalScroll(page, 'settings with the calendar section at 360px');
  await page.setViewportSize({ width: 1280, height: 800 });
  // The same address on the next visit: it is made once.
  await page.reload();
  expect(await feedUrl(page)).toBe(url);

  // --- a calendar app: no cookie, no redirect to sign-in ----------------------------------------------
  const app = await playwright.request.newContext();
  try {
    let { res, body } = await fetchFeed(app, url);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers()['cache-control']).toBe('private, no-store');
    expect(res.headers()['x-robots-tag']).toBe('noindex');
    expect(res.headers()['content-disposition']).toBe('inline; filename="respite.ics"');
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    let events = eventsOf(body);
    expect(events).toHaveLength(2);
    for (const e of events) expect(e.uid).toMatch(/^reminder-\d+@respite$/);

    const review = events.find((e) => valueOf(e.summary) === m('zh-CN', 'reminders.title.review_followup', { lender: LENDER, round: 1 }));
    expect(review, 'the review follow-up').toBeDefined();
    expect(review!.datetype).toBe('date');
    expect(localDay(review!.start)).toBe(addWorkdays(today, 10));
    expect(valueOf(review!.description)).toContain(`/cases/${caseId}`);
    expect(review!.alarms).toHaveLength(1);

    const own = events.find((e) => valueOf(e.summary) === '给建设银行客服回电话');
    expect(own, 'the own reminder').toBeDefined();
    expect(own!.datetype).toBe('date-time');
    expect(own!.start.toISOString()).toBe(`${timedOn}T06:30:00.000Z`); // 14:30 in Shanghai
    expect(own!.end!.toISOString()).toBe(`${timedOn}T07:00:00.000Z`);
    expect(own!.alarms).toHaveLength(1);

    // --- a wrong token: an empty 404, whatever its shape ------------------------------------------------
    const token = url.slice(url.lastIndexOf('/') + 1, -'.ics'.length);
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    for (const wrong of [flipped, 'nope', token.slice(0, 30), `${token}x`]) {
      const bad = await fetchFeed(app, url.replace(token, wrong));
      expect(bad.res.status(), wrong).toBe(404);
      expect(bad.body).toBe('');
      expect(bad.res.headers()['content-type']).toBeUndefined();
    }

    // --- the reader's language: switched to English, the feed speaks English ----------------------------
    await setLocale(page, 'en');
    ({ body } = await fetchFeed(app, url));
    events = eventsOf(body);
    expect(events.map((e) => valueOf(e.summary)).sort()).toEqual(
      [m('en', 'reminders.title.review_followup', { lender: LENDER, round: 1 }), '给建设银行客服回电话'].sort(),
    );
    await setLocale(page, 'zh-CN');

    // --- regenerate: asked first in the page, then the old address is dead and the new one works -------
    const regenerate = section.getByTestId('calendar-regenerate-form');
    await regenerate.getByRole('button', { name: m('zh-CN', 'calendar.regenerate') }).click();
    await expect(regenerate).toContainText(m('zh-CN', 'calendar.regenerateQuestion'));
    await regenerate.getByRole('button', { name: m('zh-CN', 'calendar.regenerateConfirm') }).click();
    await expect(formMessage(regenerate)).toHaveText(m('zh-CN', 'calendar.regenerated'));
    await expect(section.getByTestId('calendar-url')).not.toHaveValue(url);
    const fresh = await feedUrl(page);
    expect(fresh).not.toBe(url);

    const old = await fetchFeed(app, url);
    expect(old.res.status()).toBe(404);
    expect(old.body).toBe('');
    ({ res, body } = await fetchFeed(app, fresh));
    expect(res.status()).toBe(200);
    expect(eventsOf(body)).toHaveLength(2);
  } finally {
    await app.dispose();
  }
});

test('without the cookie, the feed URL is not sent to sign-in, and a guess is a bare 404', async ({ playwright, baseURL }) => {
  const app = await playwright.request.newContext();
  try {
    const res = await app.get(`${baseURL}/calendar/${'a'.repeat(43)}.ics`, { maxRedirects: 0, failOnStatusCode: false });
    expect(res.status()).toBe(404);
    expect(await res.text()).toBe('');
    expect(res.headers()['location']).toBeUndefined();
  } finally {
    await app.dispose();
  }
});
