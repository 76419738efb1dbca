/**
 * Calendar dates are `YYYY-MM-DD` strings in Asia/Shanghai; instants are JS Dates (UTC).
 * Everything that turns one into the other, or shows either to a person, lives here.
 */
import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, format, isValid, parse } from 'date-fns';

export const TIME_ZONE = 'Asia/Shanghai';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Is `s` a real calendar date in YYYY-MM-DD form (2025-02-30 is not)? */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = parse(s, 'yyyy-MM-dd', new Date(2000, 0, 1));
  return isValid(d) && format(d, 'yyyy-MM-dd') === s;
}

/** The calendar date in Shanghai, by the platform's time-zone data (one formatter, reused). */
const shanghaiDateParts = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Today's date in Shanghai. Through Intl rather than TZDate + format: it runs several times on
 * every page (≈ 2 µs against 12), and the answer is the same (lib/dates.test.ts compares them).
 */
export function todayInShanghai(now: Date = new Date()): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of shanghaiDateParts.formatToParts(now)) {
    if (part.type === 'year') year = part.value.padStart(4, '0');
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/** Calendar-date arithmetic, independent of the machine's time zone. */
export function addDaysIso(date: string, days: number): string {
  return format(addDays(parse(date, 'yyyy-MM-dd', new Date(2000, 0, 1)), days), 'yyyy-MM-dd');
}

/** The same day of the month `months` later, clamped to the month's end (Jan 31 + 1 → Feb 28). */
export function addMonthsIso(date: string, months: number): string {
  return format(addMonths(parse(date, 'yyyy-MM-dd', new Date(2000, 0, 1)), months), 'yyyy-MM-dd');
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  const ms = Date.UTC(+b.slice(0, 4), +b.slice(5, 7) - 1, +b.slice(8, 10)) - Date.UTC(+a.slice(0, 4), +a.slice(5, 7) - 1, +a.slice(8, 10));
  return Math.round(ms / 86_400_000);
}

/** A datetime-local input's value ("2025-10-09T14:30"), read as Shanghai wall-clock time. */
export function parseShanghaiLocal(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) || !isIsoDate(value.slice(0, 10))) return null;
  const [y, mo, d] = value.slice(0, 10).split('-').map(Number);
  const [h, mi] = value.slice(11).split(':').map(Number);
  if (h > 23 || mi > 59) return null;
  return new Date(new TZDate(y, mo - 1, d, h, mi, 0, TIME_ZONE).getTime());
}

/** The datetime-local value for an instant, in Shanghai wall-clock time. */
export function toShanghaiLocalInput(instant: Date): string {
  return format(new TZDate(instant, TIME_ZONE), "yyyy-MM-dd'T'HH:mm");
}

// Building an Intl.DateTimeFormat costs far more than using one (a page formats dozens of dates):
// one formatter per locale and kind, made on first use and kept for the life of the process.
const FORMATS = {
  date: { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' },
  dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE },
  month: { year: 'numeric', month: 'long', timeZone: 'UTC' },
  weekday: { weekday: 'long', timeZone: 'UTC' },
  weekdayShort: { weekday: 'short', timeZone: 'UTC' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: keyof typeof FORMATS, locale: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, FORMATS[kind]);
    formatters.set(key, f);
  }
  return f;
}

function utcDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** 2025年10月9日 / 9 Oct 2025 — a calendar date, as a person reads it. */
export function formatDate(date: string, locale: string): string {
  return formatter('date', locale).format(utcDay(date));
}

/** 星期四 / Thursday (`short`: 周四 / Thu) — the day of the week of a calendar date. */
export function formatWeekday(date: string, locale: string, width: 'long' | 'short' = 'long'): string {
  return formatter(width === 'long' ? 'weekday' : 'weekdayShort', locale).format(utcDay(date));
}

/** 2025年10月 / October 2025 — a month (YYYY-MM). */
export function formatMonth(month: string, locale: string): string {
  return formatter('month', locale).format(utcDay(`${month}-01`));
}

/** An instant, in Shanghai time. */
export function formatDateTime(instant: Date, locale: string): string {
  return formatter('dateTime', locale).format(instant);
}
