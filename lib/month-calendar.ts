/**
 * A month as a calendar shows it: `YYYY-MM` strings, the month before and after, and its weeks
 * as rows of seven days, Monday first (as calendars in China are printed). Pure calendar
 * arithmetic, independent of the machine's time zone.
 */

import { isDateCovered, isWorkday } from './workdays';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The years a month may be asked for: anything else in a URL is a typo or a probe. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

/** Is `s` a month in YYYY-MM form, within the years the app deals with? */
export function isMonth(s: string): boolean {
  const m = MONTH.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/** The month of a YYYY-MM-DD date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** `month` moved by `n` months (n may be negative). */
export function shiftMonth(month: string, n: number): string {
  const year = Number(month.slice(0, 4));
  const index = year * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** How many days the month has. */
export function daysInMonth(month: string): number {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}

/** The first and last dates of the month, YYYY-MM-DD. */
export function monthBounds(month: string): { first: string; last: string } {
  return { first: `${month}-01`, last: `${month}-${String(daysInMonth(month)).padStart(2, '0')}` };
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayMondayFirst(date: string): number {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
  return (d.getUTCDay() + 6) % 7;
}

/** Saturday or Sunday. */
export function isWeekend(date: string): boolean {
  return weekdayMondayFirst(date) >= 5;
}

/**
 * The month's weeks, Monday first: each row has seven cells, a YYYY-MM-DD date or null for the
 * days of the months before and after (a calendar of one month shows only that month's dates).
 */
export function monthWeeks(month: string): (string | null)[][] {
  const days = daysInMonth(month);
  const lead = weekdayMondayFirst(`${month}-01`);
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/**
 * A lender's name short enough for a calendar cell: without the legal entity in brackets
 * ("花呗/借呗（重庆蚂蚁消费金融）" → "花呗/借呗").
 */
export function shortLenderName(name: string): string {
  const short = name.replace(/\s*[（(][^（）()]*[）)]\s*/g, ' ').trim();
  return short || name.trim();
}

/**
 * 休 on a weekday the State Council gave off, 班 on a weekend day that is worked (调休); nothing
 * on an ordinary day. Where the year's schedule is not published yet, the statutory holidays the
 * law fixes are still 休 (lib/workdays.ts counts them off too); its 调休 days are not known.
 */
export function offDayMark(date: string): 'holiday' | 'workday' | null {
  const weekend = isWeekend(date);
  const work = isWorkday(date);
  if (!weekend && !work) return 'holiday';
  if (weekend && work && isDateCovered(date)) return 'workday';
  return null;
}
