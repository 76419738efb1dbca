import { and, asc, eq } from 'drizzle-orm';
import ical, { type CalendarResponse, type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { GET } from '@/app/calendar/[token]/route';
import { addDaysIso, todayInShanghai } from '@/lib/dates';
import { buildCalendar, CALENDAR_NAME } from '@/lib/calendar-feed';
import { instalmentMissed } from '@/lib/reminder-rules';
import { advanceCase, approveInput, makeBorrower, makeCase, publicLender, submitInput, versionOf } from '@/tests/factories';
import { approveAttempt, submitAttempt } from './attempts';
import { getCalendarFeedUrlToken, isCalendarTokenShape, regenerateCalendarToken, systemCalendarForToken } from './calendar';
import { getDb } from './client';
import { createPrivateLender } from './lenders';
import { markInstalmentPaid } from './plans';
import { applyReminderChange, createReminder, setReminderStatus } from './reminders';
import { instalments, reminders, users } from './schema';
import type { Viewer } from './viewer-type';

const APP_URL = 'https://respite.example';
const today = todayInShanghai();

/** A case that was submitted today and approved today, with a plan of three instalments of ¥812.50. */
function approvedCase(owner: Viewer, firstPaymentOn: string, lenderId?: number): number {
  const id = makeCase(owner, lenderId ? { lenderId } : {});
  submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: today }));
  approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: today, agreedPeriods: 3, agreedMonthly: 81_250, agreedFirstPaymentOn: firstPaymentOn }));
  return id;
}

function instalmentsOf(caseId: number) {
  return getDb().select().from(instalments).where(eq(instalments.caseId, caseId)).orderBy(asc(instalments.seq)).all();
}

function openRemindersOf(owner: Viewer, kind?: string) {
  return getDb()
    .select()
    .from(reminders)
    .where(and(eq(reminders.ownerId, owner.id), eq(reminders.status, 'open'), kind ? eq(reminders.kind, kind as never) : undefined))
    .orderBy(asc(reminders.id))
    .all();
}

function feedFor(owner: Viewer): { text: string; events: Record<string, VEvent> } {
  const data = systemCalendarForToken(getCalendarFeedUrlToken(owner));
  if (!data) throw new Error('no feed for the owner');
  const text = buildCalendar(data, { appUrl: APP_URL, now: new Date('2026-01-02T03:04:05Z') });
  return { text, events: eventsOf(ical.sync.parseICS(text)) };
}

function eventsOf(parsed: CalendarResponse): Record<string, VEvent> {
  const out: Record<string, VEvent> = {};
  for (const c of Object.values(parsed)) if (c && c.type === 'VEVENT') out[c.uid] = c;
  return out;
}

/** node-ical makes an all-day date at local midnight: read it back the same way. */
function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A property's text, whether node-ical gives it bare or with its parameters ({ params, val }). */
function valueOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : String((v as { val: unknown }).val);
}
const summaryOf = (e: VEvent) => valueOf(e.summary);
const descriptionOf = (e: VEvent) => valueOf(e.description);

describe('the feed token', () => {
  it('is made on first use, kept, and has the shape of 32 random bytes in base64url', () => {
    const owner = makeBorrower();
    const token = getCalendarFeedUrlToken(owner);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(getCalendarFeedUrlToken(owner)).toBe(token);
    expect(getDb().select({ t: users.calendarToken }).from(users).where(eq(users.id, owner.id)).get()?.t).toBe(token);
    expect(getCalendarFeedUrlToken(makeBorrower())).not.toBe(token);
  });

  it('regenerating kills the old URL at once and the new one works', () => {
    const owner = makeBorrower();
    const old = getCalendarFeedUrlToken(owner);
    expect(systemCalendarForToken(old)?.user.id).toBe(owner.id);
    const fresh = regenerateCalendarToken(owner);
    expect(fresh).not.toBe(old);
    expect(isCalendarTokenShape(fresh)).toBe(true);
    expect(systemCalendarForToken(old)).toBeNull();
    expect(systemCalendarForToken(fresh)?.user.id).toBe(owner.id);
    expect(getCalendarFeedUrlToken(owner)).toBe(fresh);
  });

  it('an unknown or malformed token finds nothing', () => {
    const owner = makeBorrower();
    const token = getCalendarFeedUrlToken(owner);
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    for (const bad of [
      '',
      'abc',
      flipped,
      `${token}A`,
      token.slice(0, 42),
      `${token.slice(0, 42)}.`,
      `${token.slice(0, 42)}=`,
      `${token.slice(0, 40)}' --`,
      `${token.slice(0, 42)}%`,
      token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
    ]) {
      expect(systemCalendarForToken(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('a disabled account has no feed', () => {
    const owner = makeBorrower();
    const token = getCalendarFeedUrlToken(owner);
    getDb().update(users).set({ disabled: true }).where(eq(users.id, owner.id)).run();
    expect(systemCalendarForToken(token)).toBeNull();
  });
});

describe('the feed', () => {
  it('holds the open reminders and the unpaid instalments of one borrower, in Chinese', () => {
    const owner = makeBorrower({ locale: 'zh-CN' });
    const lender = publicLender(owner).name;

    // A plan in the future: its "in 3 days" and "today" reminders are shown as instalment events instead.
    const planned = approvedCase(owner, addDaysIso(today, 10));
    const [first, second, third] = instalmentsOf(planned);
    expect(openRemindersOf(owner, 'instalment_upcoming').length).toBe(3);
    markInstalmentPaid(owner, planned, versionOf(planned), first.id, { paidOn: today, paid: 81_250 });

    // A plan whose first instalment passed unpaid: the missed reminder stays in the feed.
    const late = approvedCase(owner, '2025-05-28');
    const lateFirst = instalmentsOf(late)[0];
    applyReminderChange(getDb(), owner.id, late, {
      open: [instalmentMissed({ ...lateFirst, periods: 3, lender })],
      close: [],
    });

    // A case under review: "check the review result".
    const reviewing = makeCase(owner);
    submitAttempt(owner, reviewing, versionOf(reviewing), submitInput({ submittedOn: today }));
    const [review] = openRemindersOf(owner, 'review_followup');

    // A person's own reminder at 14:30, and one that was done.
    const timedOn = addDaysIso(today, 5);
    const timed = createReminder(owner, reviewing, { title: '给客服回电话', dueOn: timedOn, dueTime: '14:30', note: '问清楚减免金额' });
    const done = createReminder(owner, reviewing, { title: '已经做完的事', dueOn: today, dueTime: null, note: '' });
    setReminderStatus(owner, done, 'done');

    // Someone else's reminder and plan must not appear.
    const stranger = makeBorrower({ locale: 'zh-CN' });
    const strangersCase = approvedCase(stranger, addDaysIso(today, 10));
    const strangersReminder = createReminder(stranger, strangersCase, { title: '别人的提醒', dueOn: today, dueTime: null, note: '' });

    const { text, events } = feedFor(owner);
    const [missed] = openRemindersOf(owner, 'instalment_missed');
    const lateInstalments = instalmentsOf(late);

    expect(Object.keys(events).sort()).toEqual(
      [
        `reminder-${review.id}@respite`,
        `reminder-${timed}@respite`,
        `reminder-${missed.id}@respite`,
        `instalment-${second.id}@respite`,
        `instalment-${third.id}@respite`,
        ...lateInstalments.map((i) => `instalment-${i.id}@respite`),
      ].sort(),
    );
    // Closed, paid, duplicated and foreign things are not there.
    expect(events[`reminder-${done}@respite`]).toBeUndefined();
    expect(events[`instalment-${first.id}@respite`]).toBeUndefined();
    for (const r of openRemindersOf(owner, 'instalment_upcoming')) expect(events[`reminder-${r.id}@respite`]).toBeUndefined();
    for (const r of openRemindersOf(owner, 'instalment_due')) expect(events[`reminder-${r.id}@respite`]).toBeUndefined();
    expect(events[`reminder-${strangersReminder}@respite`]).toBeUndefined();
    for (const i of instalmentsOf(strangersCase)) expect(events[`instalment-${i.id}@respite`]).toBeUndefined();
    expect(text).not.toContain('别人的提醒');

    // The review reminder: an all-day event on its due date, in Chinese, with the case's link.
    const reviewEvent = events[`reminder-${review.id}@respite`];
    expect(summaryOf(reviewEvent)).toBe(`查看${lender}第 1 轮申请的审核结果`);
    expect(reviewEvent.datetype).toBe('date');
    expect(reviewEvent.start.dateOnly).toBe(true);
    expect(localDay(reviewEvent.start)).toBe(review.dueOn);
    expect(localDay(reviewEvent.end!)).toBe(addDaysIso(review.dueOn, 1));
    expect(descriptionOf(reviewEvent)).toContain(`案件：${lender}`);
    expect(descriptionOf(reviewEvent)).toContain(`${APP_URL}/cases/${reviewing}`);
    expect(valueOf(reviewEvent.url)).toBe(`${APP_URL}/cases/${reviewing}`);
    expect(reviewEvent.alarms).toHaveLength(1);
    expect(reviewEvent.alarms![0].action).toBe('DISPLAY');

    // The person's reminder at 14:30 Shanghai: 06:30 UTC, for 30 minutes.
    const timedEvent = events[`reminder-${timed}@respite`];
    expect(summaryOf(timedEvent)).toBe('给客服回电话');
    expect(timedEvent.datetype).toBe('date-time');
    expect(timedEvent.start.toISOString()).toBe(`${timedOn}T06:30:00.000Z`);
    expect(timedEvent.start.tz).toBe('Asia/Shanghai');
    expect(timedEvent.end!.toISOString()).toBe(`${timedOn}T07:00:00.000Z`);
    expect(descriptionOf(timedEvent)).toContain('问清楚减免金额');
    expect(timedEvent.alarms).toHaveLength(1);

    // The missed instalment keeps its reminder, the day after it was due.
    const missedEvent = events[`reminder-${missed.id}@respite`];
    expect(summaryOf(missedEvent)).toBe(`${lender}第 1/3 期还款 ¥812.50 已逾期未还（应还日2025年5月28日）`);
    expect(localDay(missedEvent.start)).toBe('2025-05-29');

    // Instalments: "还款 第 2/3 期 ¥812.50 · lender", all-day on the due date, two alarms.
    const secondEvent = events[`instalment-${second.id}@respite`];
    expect(summaryOf(secondEvent)).toBe(`还款 第 2/3 期 ¥812.50 · ${lender}`);
    expect(secondEvent.datetype).toBe('date');
    expect(localDay(secondEvent.start)).toBe(second.dueOn);
    expect(secondEvent.alarms).toHaveLength(2);
    expect(descriptionOf(secondEvent)).toContain(`${APP_URL}/cases/${planned}`);

    // The text itself: CRLF lines no longer than 75 octets, the calendar's name, the alarms.
    const lines = text.split('\r\n');
    expect(text).not.toMatch(/[^\r]\n/);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    expect(lines).toContain(`X-WR-CALNAME:${CALENDAR_NAME}`);
    expect(lines).toContain('X-WR-TIMEZONE:Asia/Shanghai');
    expect(lines).toContain('TZID:Asia/Shanghai');
    // Every calendar property before the first component (RFC 5545: icalbody = calprops component),
    // a timed event's VTIMEZONE included; each of them once.
    const firstComponent = lines.findIndex((l, i) => i > 0 && l.startsWith('BEGIN:'));
    expect(lines[firstComponent]).toBe('BEGIN:VTIMEZONE');
    const calprops = lines.slice(1, firstComponent);
    for (const prop of ['REFRESH-INTERVAL;VALUE=DURATION:PT1H', 'X-PUBLISHED-TTL:PT1H', 'X-WR-TIMEZONE:Asia/Shanghai', 'METHOD:PUBLISH']) {
      expect(calprops).toContain(prop);
      expect(lines.filter((l) => l === prop)).toHaveLength(1);
    }
    const componentsEnd = lines.lastIndexOf('END:VCALENDAR');
    const outside = lines.slice(firstComponent, componentsEnd).filter((l, i, all) => {
      // Lines between components (at depth 0) after the first one: none may be there.
      const depth = all.slice(0, i).reduce((d, x) => d + (x.startsWith('BEGIN:') ? 1 : x.startsWith('END:') ? -1 : 0), 0);
      return depth === 0 && !l.startsWith('BEGIN:');
    });
    expect(outside).toEqual([]);
    expect(lines).toContain(`DTSTART;TZID=Asia/Shanghai:${timedOn.replaceAll('-', '')}T143000`);
    expect(lines).toContain('TRIGGER;RELATED=START:PT9H');
    expect(lines).toContain('TRIGGER:-PT15H');
    expect(lines).toContain('TRIGGER:-PT15M');
    expect(lines).toContain('DTSTAMP:20260102T030405Z');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(Object.keys(events).length);
    expect(lines.filter((l) => l === 'BEGIN:VALARM')).toHaveLength(
      Object.values(events).reduce((n, e) => n + (e.alarms?.length ?? 0), 0),
    );
  });

  it('speaks English to an English-speaking borrower', () => {
    const owner = makeBorrower({ locale: 'en' });
    const lender = publicLender(owner).name;
    const reviewing = makeCase(owner);
    submitAttempt(owner, reviewing, versionOf(reviewing), submitInput({ submittedOn: today }));
    const [review] = openRemindersOf(owner, 'review_followup');
    const planned = approvedCase(owner, addDaysIso(today, 20));
    const [first] = instalmentsOf(planned);

    const { events } = feedFor(owner);
    expect(Object.keys(events)).toHaveLength(1 + 3);
    expect(summaryOf(events[`reminder-${review.id}@respite`])).toBe(`Check the review result of round 1 with ${lender}`);
    expect(descriptionOf(events[`reminder-${review.id}@respite`])).toContain(`Case: ${lender}`);
    expect(summaryOf(events[`instalment-${first.id}@respite`])).toBe(`Pay instalment 1/3 ¥812.50 · ${lender}`);
    expect(localDay(events[`instalment-${first.id}@respite`].start)).toBe(addDaysIso(today, 20));
  });

  it('names the lender’s hotline where the lender is who to call: not in a mediation, nor for a lender without one', () => {
    const owner = makeBorrower({ locale: 'zh-CN' });
    const bank = createPrivateLender(owner, { name: '自家银行', kind: 'bank', products: [], hotline: '95555 转 2', appPath: '', reviewWorkdays: 5 });
    const quiet = createPrivateLender(owner, { name: '无热线小贷', kind: 'platform', products: [], hotline: '', appPath: '', reviewWorkdays: 5 });
    const reviewing = makeCase(owner, { lenderId: bank.id });
    submitAttempt(owner, reviewing, versionOf(reviewing), submitInput({ submittedOn: today }));
    const planned = approvedCase(owner, addDaysIso(today, 10), bank.id);
    const mediating = makeCase(owner, { lenderId: bank.id });
    advanceCase(owner, mediating, 'escalated');
    const silent = makeCase(owner, { lenderId: quiet.id });
    submitAttempt(owner, silent, versionOf(silent), submitInput({ submittedOn: today }));

    const eventOf = (events: Record<string, VEvent>, caseId: number, kind: string) => {
      const row = openRemindersOf(owner, kind).find((r) => r.caseId === caseId);
      if (!row) throw new Error(`no open ${kind} reminder on case ${caseId}`);
      return events[`reminder-${row.id}@respite`];
    };
    const { events } = feedFor(owner);
    expect(descriptionOf(eventOf(events, reviewing, 'review_followup'))).toContain('客服电话：95555 转 2');
    expect(descriptionOf(events[`instalment-${instalmentsOf(planned)[0].id}@respite`])).toContain('客服电话：95555 转 2');
    // The mediation's follow-up is the mediator's: no lender hotline. Nor one a lender does not have.
    const mediation = eventOf(events, mediating, 'review_followup');
    expect(descriptionOf(mediation)).toContain('案件：自家银行');
    expect(descriptionOf(mediation)).not.toContain('客服电话');
    expect(descriptionOf(eventOf(events, silent, 'review_followup'))).not.toContain('客服电话');

    getDb().update(users).set({ locale: 'en' }).where(eq(users.id, owner.id)).run();
    expect(descriptionOf(eventOf(feedFor(owner).events, reviewing, 'review_followup'))).toContain('Hotline: 95555 转 2');
  });

  it('an empty feed is still a valid calendar', () => {
    const owner = makeBorrower();
    const { text, events } = feedFor(owner);
    expect(events).toEqual({});
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text).not.toContain('BEGIN:VTIMEZONE');
  });
});

describe('GET /calendar/<token>.ics', () => {
  const get = (segment: string) =>
    GET(new Request(`http://127.0.0.1:3000/calendar/${segment}`), { params: Promise.resolve({ token: segment }) });

  it('serves the feed as text/calendar, private and not to be indexed', async () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    createReminder(owner, id, { title: 'call back', dueOn: today, dueTime: null, note: '' });
    const res = await get(`${getCalendarFeedUrlToken(owner)}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="respite.ics"');
    const events = eventsOf(ical.sync.parseICS(await res.text()));
    expect(Object.values(events).map(summaryOf)).toEqual(['call back']);
  });

  it('answers an unknown, malformed or regenerated token with the same empty 404', async () => {
    const owner = makeBorrower();
    const old = getCalendarFeedUrlToken(owner);
    regenerateCalendarToken(owner);
    for (const segment of [`${old}.ics`, 'nope.ics', `${'A'.repeat(43)}.ics`, `${old.slice(0, 20)}.ics`, '.ics']) {
      const res = await get(segment);
      expect(res.status, segment).toBe(404);
      expect(await res.text()).toBe('');
      expect(res.headers.get('content-type')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('private, no-store');
    }
  });
});
