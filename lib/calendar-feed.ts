/**
 * The private calendar feed as iCalendar text (RFC 5545), built from what
 * db/calendar.ts `systemCalendarForToken` found, in the user's language.
 *
 * - One all-day event per open reminder, on the day it shows (its due date, or the snooze
 *   date); a person's reminder with a time is a 30-minute event at that time in Shanghai.
 * - One all-day event per unpaid instalment of an active plan. The rule reminders
 *   "instalment in 3 days" and "instalment today" would say the same thing again, so they
 *   are left out; "instalment missed" stays.
 * - Alarms: all-day events at 09:00 on the day (instalments also at 09:00 the day before),
 *   timed events 15 minutes before.
 * - Each event of a case names its lender and, while the lender is who to call, the lender's
 *   hotline: a phone's calendar makes the number a link, so the reminder is one tap from the call.
 *
 * Dates stay dates (DTSTART;VALUE=DATE), so an all-day event falls on the same day wherever
 * the phone is. Timed events carry TZID=Asia/Shanghai with its VTIMEZONE; DTSTAMP is UTC.
 * LAST-MODIFIED and SEQUENCE move forward whenever a row behind an event changes (its reminder or
 * case, its lender), so that a calendar app that imported the event takes the change (see `revision`).
 */
import { TZDate } from '@date-fns/tz';
import ical, { ICalAlarmRelatesTo, ICalAlarmType, ICalCalendarMethod, ICalEventTransparency, type ICalEvent } from 'ical-generator';
import { createTranslator } from 'next-intl';
import enCalendar from '@/messages/en/calendar.json';
import enReminders from '@/messages/en/reminders.json';
import zhCalendar from '@/messages/zh-CN/calendar.json';
import zhReminders from '@/messages/zh-CN/reminders.json';
import type { CalendarFeedData, CalendarReminder } from '@/db/calendar';
import { formatDate, TIME_ZONE } from './dates';
import { formatFen } from './money';
import { reminderDetail, reminderTitle } from './reminder-text';

export const CALENDAR_NAME = '协商记 Respite';
/** Events in the feed are identified by these, so a calendar app updates rather than duplicates. */
export const reminderUid = (id: number) => `reminder-${id}@respite`;
export const instalmentUid = (id: number) => `instalment-${id}@respite`;

/** Shown as instalment events instead: see the header. */
const SKIPPED_KINDS: ReadonlySet<string> = new Set(['instalment_upcoming', 'instalment_due']);

const TIMED_MINUTES = 30;
const HOUR = 3600;

/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991: one STANDARD block says it all. */
const SHANGHAI_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${TIME_ZONE}`,
  `X-LIC-LOCATION:${TIME_ZONE}`,
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

const catalogues = {
  'zh-CN': { calendar: zhCalendar, reminders: zhReminders },
  en: { calendar: enCalendar, reminders: enReminders },
};

export type FeedLocale = keyof typeof catalogues;

/** A calendar date as the all-day value ical-generator writes with UTC getters (no zone). */
function dateValue(iso: string, plusDays = 0): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + plusDays));
}

/** HH:MM on a date, in Shanghai. */
export function shanghaiInstant(iso: string, time: string): TZDate {
  const [y, m, d] = iso.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return new TZDate(y, m - 1, d, hh, mm, 0, TIME_ZONE);
}

/** Fixed for good: moved later, every SEQUENCE would drop and read as an older revision. */
const SEQUENCE_EPOCH_MS = Date.UTC(2025, 0, 1);

/**
 * An event's revision, from when the rows it is drawn from last changed (the reminder or the
 * case, and the lender it names): LAST-MODIFIED is the latest of those times, and SEQUENCE the
 * whole seconds from 2025-01-01 to it. RFC 5545 asks only that SEQUENCE grow with each revision;
 * every write to a row sets its time anew, so the number grows without a counter column to keep
 * (two edits within one second share a number). A write that changes nothing the event shows
 * (a call logged on the case) moves it too, which costs a calendar app one needless update and
 * never loses one. Counted from 2025 rather than 1970 so that it fits the signed 32-bit integer
 * calendar apps read it into until 2093, not only until 2038; never below the 0 a new event
 * starts at (RFC 5545 3.8.7.4), which a row last written before 2025 gets.
 */
function revision(...changedAt: (Date | null)[]): { lastModified: Date; sequence: number } {
  const latest = new Date(Math.max(...changedAt.map((at) => at?.getTime() ?? 0)));
  return { lastModified: latest, sequence: Math.max(0, Math.floor((latest.getTime() - SEQUENCE_EPOCH_MS) / 1000)) };
}

function isTime(value: string | null): value is string {
  return value !== null && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/**
 * 09:00 on the day of an all-day event: nine hours after its start. Said as RELATED=START
 * explicitly: ical-generator writes a positive offset as RELATED=END otherwise (the next
 * midnight), and ignores `relatesTo` given to createAlarm, hence the call.
 */
function morningOf(event: ICalEvent, description: string): void {
  event.createAlarm({ type: ICalAlarmType.display, triggerAfter: 9 * HOUR, description }).relatesTo(ICalAlarmRelatesTo.start);
}

export function feedReminders(reminders: CalendarReminder[]): CalendarReminder[] {
  return reminders.filter((r) => !SKIPPED_KINDS.has(r.kind));
}

/**
 * The feed's text. `appUrl` is where links in the events point (no trailing slash); `now` is
 * the DTSTAMP (the moment the feed was made).
 */
export function buildCalendar(data: CalendarFeedData, options: { appUrl: string; now?: Date }): string {
  const locale: FeedLocale = data.user.locale === 'en' ? 'en' : 'zh-CN';
  const messages = catalogues[locale];
  const t = createTranslator({ locale, messages, namespace: 'calendar' });
  const tr = createTranslator({ locale, messages, namespace: 'reminders' });
  const rt = (key: string, values?: Record<string, string | number>) => tr(key as never, values as never) as string;
  const now = options.now ?? new Date();
  const caseUrl = (caseId: number) => `${options.appUrl}/cases/${caseId}`;

  const cal = ical({
    name: CALENDAR_NAME,
    description: t('feed.description'),
    prodId: { company: 'Respite', product: 'Respite', language: locale === 'en' ? 'EN' : 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    // No calendar-wide zone name: all-day events are plain dates, timed ones name their zone,
    // and DTSTAMP stays in UTC as RFC 5545 asks. The generator writes the VTIMEZONE they cite.
    timezone: { name: null, generator: (tz) => (tz === TIME_ZONE ? SHANGHAI_VTIMEZONE : null) },
  });

  const describe = (lines: (string | null | undefined)[]) => lines.filter((l): l is string => !!l).join('\n');

  for (const r of feedReminders(data.reminders)) {
    const summary = reminderTitle(rt, r, locale);
    const detail = reminderDetail(rt, r, locale);
    const description = describe([
      detail,
      r.lenderName ? t('feed.case', { lender: r.lenderName }) : null,
      r.lenderHotline ? t('feed.hotline', { hotline: r.lenderHotline }) : null,
      r.caseId ? t('feed.open', { url: caseUrl(r.caseId) }) : null,
    ]);
    const common = {
      id: reminderUid(r.id),
      stamp: now,
      ...revision(r.updatedAt, r.caseUpdatedAt, r.lenderUpdatedAt),
      summary,
      description,
      url: r.caseId ? caseUrl(r.caseId) : undefined,
    };
    if (r.kind === 'custom' && isTime(r.dueTime)) {
      const start = shanghaiInstant(r.showOn, r.dueTime);
      const event = cal.createEvent({
        ...common,
        start,
        end: new TZDate(start.getTime() + TIMED_MINUTES * 60_000, TIME_ZONE),
        timezone: TIME_ZONE,
      });
      event.createAlarm({ type: ICalAlarmType.display, trigger: 15 * 60, description: summary });
    } else {
      const event = cal.createEvent({
        ...common,
        allDay: true,
        start: dateValue(r.showOn),
        end: dateValue(r.showOn, 1),
        transparency: ICalEventTransparency.TRANSPARENT,
      });
      morningOf(event, summary);
    }
  }

  for (const i of data.instalments) {
    const summary = t('feed.instalment', { seq: i.seq, periods: i.periods, amount: formatFen(i.amountFen), lender: i.lenderName });
    const event = cal.createEvent({
      id: instalmentUid(i.id),
      stamp: now,
      // Instalments keep no time of their own: the case's, which every change to its plan sets.
      ...revision(i.caseUpdatedAt, i.lenderUpdatedAt),
      allDay: true,
      start: dateValue(i.dueOn),
      end: dateValue(i.dueOn, 1),
      transparency: ICalEventTransparency.TRANSPARENT,
      summary,
      description: describe([
        t('feed.instalmentDetail', { date: formatDate(i.dueOn, locale) }),
        t('feed.case', { lender: i.lenderName }),
        i.lenderHotline ? t('feed.hotline', { hotline: i.lenderHotline }) : null,
        t('feed.open', { url: caseUrl(i.caseId) }),
      ]),
      url: caseUrl(i.caseId),
    });
    // 09:00 the day before (15 hours before the day starts), and 09:00 on the day.
    event.createAlarm({ type: ICalAlarmType.display, trigger: 15 * HOUR, description: t('feed.alarmInstalment', { summary }) });
    morningOf(event, summary);
  }

  // Written among the calendar's properties, which RFC 5545 puts before every component
  // (ical-generator writes custom ones, and its own `ttl`, after the VTIMEZONE):
  // - the zone people read this calendar in, for apps that show a calendar-wide zone;
  // - the pace at which Apple and Outlook refresh a subscription (Google keeps its own).
  const properties = [`X-WR-TIMEZONE:${TIME_ZONE}`, 'REFRESH-INTERVAL;VALUE=DURATION:PT1H', 'X-PUBLISHED-TTL:PT1H'];
  const text = cal.toString().replace('METHOD:PUBLISH\r\n', `METHOD:PUBLISH\r\n${properties.join('\r\n')}\r\n`);
  // Every content line ends with CRLF, the last one too (RFC 5545 3.1); ical-generator leaves it off the last.
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
