/**
 * Workday arithmetic on the mainland China calendar: public holidays and the weekend days
 * made workdays (调休), from the chinese-days package (compiled from the State Council
 * notices). Where its data does not cover a year, chinese-days answers by the weekday
 * (Monday–Friday), and `isCalendarCovered` says so, for the UI to show next to the date.
 */
import * as chineseDaysModule from 'chinese-days';

// Bundlers (Next, vitest) load the package's ES build, with named exports; plain Node (tsx
// scripts such as `npm run mailer`) loads its minified CommonJS build, whose names Node cannot
// detect, so they are only on the default export there.
const chineseDays: typeof chineseDaysModule =
  (chineseDaysModule as typeof chineseDaysModule & { default?: typeof chineseDaysModule }).default ?? chineseDaysModule;
const { findWorkday, getHolidaysInRange, isWorkday: isChineseWorkday } = chineseDays;

export function isWorkday(date: string): boolean {
  return isChineseWorkday(date);
}

/**
 * The `n`-th workday after `date` (n ≥ 1), or before it (n ≤ -1). With n = 0: `date` itself
 * when it is a workday, else the next workday.
 */
export function addWorkdays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
  return findWorkday(n, date);
}

/** The first workday strictly after `date`. */
export function nextWorkday(date: string): string {
  return findWorkday(1, date);
}

/** `date` when it is a workday, else the next one. */
export function workdayOnOrAfter(date: string): string {
  return findWorkday(0, date);
}

/** Workdays after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workdaysBetween(from: string, to: string): number {
  let count = 0;
  let day = from;
  while (true) {
    day = nextWorkday(day);
    if (day > to) return count;
    count += 1;
  }
}

const covered = new Map<number, boolean>();

/** Does the holiday data know this year's holidays and 调休 days? */
export function isCalendarCovered(year: number): boolean {
  let known = covered.get(year);
  if (known === undefined) {
    known = getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    covered.set(year, known);
  }
  return known;
}

/** Is this date computed from real holiday data, or from the Monday–Friday fallback? */
export function isDateCovered(date: string): boolean {
  return isCalendarCovered(Number(date.slice(0, 4)));
}
