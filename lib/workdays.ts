/**
 * Workday arithmetic on the mainland China calendar: public holidays and the weekend days
 * made workdays (调休), from the chinese-days package (compiled from the State Council
 * notices). Where its data does not cover a year, chinese-days answers by the weekday
 * (Monday–Friday); from 2025 on, this module also takes off that year's statutory holidays,
 * which the law fixes, and the workdays the law gives in lieu of those on a weekend (补假; see
 * statutoryHolidays), so only its 调休 and bridge days are missing.
 * Either way the date is an estimate, and `isCalendarCovered` says so, for the UI to show
 * next to the date.
 */
import * as chineseDaysModule from 'chinese-days';
// The same holiday data as the package's functions hold, as the package ships it: dates written
// YYYY-MM-DD, read here as strings. Its functions read a date string as midnight UTC and look it
// up on the server's local calendar, so west of UTC they answer for the day before (on a server
// in New York, Monday 2026-01-05 was a day off and Saturday 2026-01-10 a workday).
import holidayData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { OffDays } from './off-days';

// Bundlers (Next, vitest) load the package's ES build, with named exports; plain Node (tsx
// scripts such as `npm run mailer`) loads its minified CommonJS build, whose names Node cannot
// detect, so they are only on the default export there.
const chineseDays: typeof chineseDaysModule =
  (chineseDaysModule as typeof chineseDaysModule & { default?: typeof chineseDaysModule }).default ?? chineseDaysModule;
const { getLunarDate, getSolarTermDate } = chineseDays;

/** The days off of the years the data covers (weekends inside a holiday too), and the weekend days made workdays (调休). */
const LISTED_HOLIDAYS: Readonly<Record<string, string>> = holidayData.holidays;
const LISTED_WORKDAYS: Readonly<Record<string, string>> = holidayData.workdays;

/** The years the holiday data covers: those it lists a holiday in. */
const COVERED_YEARS: ReadonlySet<number> = new Set(Object.keys(LISTED_HOLIDAYS).map((date) => Number(date.slice(0, 4))));

// --- day numbers -------------------------------------------------------------------------------

/** The memos below keep what they know of each day in pages of this many consecutive days. */
const PAGE_SIZE = 512;

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** The value of the decimal digit at date[i], or NaN when it is not one. */
function digit(date: string, i: number): number {
  const d = date.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}

/**
 * The day number of a date written YYYY-MM-DD (a real date of the proleptic Gregorian calendar,
 * years 0000–9999): days since 1970-01-01, so that the next day is one more. NaN for any other
 * string. Integer arithmetic (H. Hinnant's days_from_civil), no Date and no allocation.
 */
export function dayNumber(date: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return NaN;
  let y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const m = digit(date, 5) * 10 + digit(date, 6);
  const d = digit(date, 8) * 10 + digit(date, 9);
  // NaN (a character that is not a digit) fails every comparison, so it ends here too.
  if (!(y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!))) return NaN;
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The day of the week of a day number: 0 for Sunday to 6 for Saturday (day 0, 1970-01-01, was a Thursday). */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekendNumber(day: number): boolean {
  const d = weekday(day);
  return d === 0 || d === 6;
}

/** isoDay's strings, by day number, in pages of 512 days (made once a day, then shared). */
const isoPages = new Map<number, string[]>();

/**
 * The YYYY-MM-DD date of a day number (the inverse of dayNumber): what
 * `new Date(day * 86_400_000).toISOString().slice(0, 10)` gives, made once for each day.
 */
export function isoDay(day: number): string {
  const key = Math.floor(day / PAGE_SIZE);
  let page = isoPages.get(key);
  if (page === undefined) isoPages.set(key, (page = new Array<string>(PAGE_SIZE)));
  const i = day - key * PAGE_SIZE;
  return (page[i] ??= new Date(day * 86_400_000).toISOString().slice(0, 10));
}

// --- the statutory holidays ----------------------------------------------------------------------

/*
 * 《全国年节及纪念日放假办法》 (as amended in 2024, in force from 2025) fixes the days of the
 * public holidays, and (art. 6) that one falling on a Saturday or Sunday is made up on a
 * workday (补假); only how they are joined to the weekends (调休, bridge days) is left to the
 * State Council's notice for each year, which chinese-days compiles. So for a year it has no
 * data for, the holidays themselves are still known. Worked out from chinese-days' own lunar
 * calendar (getLunarDate) and solar terms (getSolarTermDate), both tabled from 1900 to 2100.
 */

/** The years the fallback takes the statutory holidays off: the law's days are 2025's; the
 * solar-term formula reckons 2100 as if it were 2000, so it ends a year before its table does. */
const FIRST_STATUTORY_YEAR = 2025;
const LAST_STATUTORY_YEAR = 2099;

/** A year's statutory public holidays and their 补假, each a list of YYYY-MM-DD dates in order. */
export interface StatutoryHolidays {
  /** 元旦: 1 January. */
  newYear: string[];
  /** 春节: 除夕 (the last day of the 12th lunar month, the 29th or the 30th) and 正月初一 to 初三. */
  springFestival: string[];
  /** 清明节: the day of the 清明 solar term. */
  qingming: string[];
  /** 劳动节: 1 and 2 May. */
  labourDay: string[];
  /** 端午节: 五月初五 (of the 5th lunar month, not a leap 5th month after it). */
  dragonBoat: string[];
  /** 中秋节: 八月十五. */
  midAutumn: string[];
  /** 国庆节: 1 to 3 October. */
  nationalDay: string[];
  /**
   * 补假 (art. 6): the workdays given for the holidays above that fall on a Saturday or Sunday.
   * The law does not say which workdays; these are the first after the holiday, as the State
   * Council's notices give them (2025: 端午 on Saturday 31 May, 2 June off; 2026: 清明 on Sunday
   * 5 April, 6 April off). See substituteDays.
   */
  substitutes: string[];
}

/**
 * The day number of the first day from `from` to `to` (MM-DD, in `year`) that is day
 * `lunarDay` of lunar month `lunarMonth` (not a leap month). The windows are wide enough for
 * every year from 1901 to 2099 (the tests check), so a miss is a mistake here: it throws.
 * getLunarDate reads a YYYY-MM-DD date the same whatever the server's time zone.
 */
function lunarDayIn(year: number, from: string, to: string, lunarMonth: number, lunarDay: number): number {
  for (let day = dayNumber(`${year}-${from}`), last = dayNumber(`${year}-${to}`); day <= last; day++) {
    const lunar = getLunarDate(isoDay(day));
    if (lunar.lunarMon === lunarMonth && lunar.lunarDay === lunarDay && !lunar.isLeap) return day;
  }
  throw new Error(`no lunar ${lunarMonth}/${lunarDay} between ${year}-${from} and ${year}-${to}`);
}

/**
 * The 补假 for `holidays` (day numbers; in any order, a day named twice counting once): for each
 * run of consecutive holidays, as many days as the run has Saturdays and Sundays, on the first
 * days after the run that are Monday–Friday, not a holiday and not given already. By runs, not
 * holiday by holiday, because 中秋 can fall next to or inside 国庆 (2025: Monday 6 October; 2028:
 * 3 October, both at once): one holiday's 补假 must not land on the other. In date order.
 */
function substituteDays(holidays: readonly number[]): number[] {
  const off = new Set(holidays);
  const days = [...off].sort((a, b) => a - b);
  const substitutes: number[] = [];
  for (let i = 0; i < days.length; ) {
    // The run days[i] … days[next - 1], and how many of its days fall on a weekend.
    let next = i + 1;
    while (next < days.length && days[next] === days[next - 1]! + 1) next += 1;
    let owed = 0;
    for (let k = i; k < next; k++) if (isWeekendNumber(days[k]!)) owed += 1;
    for (let day = days[next - 1]! + 1; owed > 0; day++) {
      if (isWeekendNumber(day) || off.has(day)) continue;
      off.add(day);
      substitutes.push(day);
      owed -= 1;
    }
    i = next;
  }
  return substitutes.sort((a, b) => a - b);
}

/** YYYY-MM-DD of a Date on the server's local calendar. */
function localIso(when: Date): string {
  return `${String(when.getFullYear()).padStart(4, '0')}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}`;
}

/**
 * The day number of the 清明 solar term in `year`. chinese-days' getSolarTermDate (1.5.7) reads
 * the date it works out as midnight UTC and writes it back on the server's local calendar, so
 * west of UTC it names the day before (2027's 清明, 5 April, comes out as 04-04 in New York).
 * The day it means is the one whose midnight UTC falls, locally, on the day it wrote: that
 * day, or the next. (Should a later version write the day itself, the tests run in New York
 * fail, and this goes.)
 */
function qingmingDay(year: number): number {
  const written = getSolarTermDate(year, 4, 'pure_brightness');
  const day = dayNumber(written);
  for (const meant of [day, day + 1]) if (localIso(new Date(meant * 86_400_000)) === written) return meant;
  throw new Error(`cannot read the 清明 date ${written}`);
}

/**
 * The statutory public holidays of `year` (1901–2099) and their 补假 under the law as in force
 * from 2025, whether or not the holiday data covers the year (for earlier years they are what
 * today's law would give, not what applied then). The 补假 fall in the same year as their
 * holidays: none is near the end of December. Not kept: isWorkdayNumber keeps what it needs of them.
 */
export function statutoryHolidays(year: number): StatutoryHolidays {
  if (!Number.isInteger(year) || year < 1901 || year > LAST_STATUTORY_YEAR) throw new RangeError(`no lunar calendar for ${year}`);
  const days = (...numbers: number[]) => numbers.map(isoDay);
  const dates = (...monthDays: string[]) => monthDays.map((md) => `${year}-${md}`);
  // From 1901 to 2099, 正月初一 falls between 21 January and 20 February, 端午 between 27 May
  // and 26 June and 中秋 between 7 September and 8 October; the windows leave a margin.
  const firstDay = lunarDayIn(year, '01-15', '02-25', 1, 1);
  const dragonBoat = lunarDayIn(year, '05-20', '06-30', 5, 5);
  const midAutumn = lunarDayIn(year, '09-01', '10-15', 8, 15);
  const holidays = {
    newYear: dates('01-01'),
    // 除夕 is the day before 正月初一, however long the 12th month was.
    springFestival: days(firstDay - 1, firstDay, firstDay + 1, firstDay + 2),
    qingming: days(qingmingDay(year)),
    labourDay: dates('05-01', '05-02'),
    dragonBoat: days(dragonBoat),
    midAutumn: days(midAutumn),
    nationalDay: dates('10-01', '10-02', '10-03'),
  };
  return { ...holidays, substitutes: days(...substituteDays(Object.values(holidays).flat().map(dayNumber))) };
}

/** The statutory holidays and 补假 of the years the memo below has asked about, as day numbers. */
const statutoryDays = new Map<number, ReadonlySet<number>>();

/**
 * Is this day (of `year`) a statutory holiday or 补假 the holiday data does not know of: in a
 * year it does not cover, from 2025 on? Worked out once a year a process (every field of
 * StatutoryHolidays, the 补假 too, is a list of the year's days off).
 */
function isUnpublishedHoliday(day: number, year: number): boolean {
  if (year < FIRST_STATUTORY_YEAR || year > LAST_STATUTORY_YEAR || isCalendarCovered(year)) return false;
  let holidays = statutoryDays.get(year);
  if (holidays === undefined) {
    holidays = new Set(Object.values(statutoryHolidays(year)).flat().map(dayNumber));
    statutoryDays.set(year, holidays);
  }
  return holidays.has(day);
}

// --- the workday memo ----------------------------------------------------------------------------

/*
 * Whether a day is a workday never changes while the process runs (the holiday data is the
 * package's), and chinese-days takes a few µs to answer (it builds date objects and formats
 * them), which the dashboard paid hundreds of times a request walking the calendar. So each day's
 * answer is asked of chinese-days once and kept, by day number, in pages of 512 days: 0 not asked
 * yet, 1 not a workday, 2 a workday. Only calendar facts are kept, nothing read from the database.
 */
const pages = new Map<number, Uint8Array>();

/**
 * isWorkday for a day number (see dayNumber): by chinese-days' data, a weekend day made a workday,
 * or Monday–Friday and not a holiday; in a year its data does not cover (2025–2099), the statutory
 * holidays and their 补假 are not workdays either. The same whatever the server's time zone.
 */
export function isWorkdayNumber(day: number): boolean {
  const key = Math.floor(day / PAGE_SIZE);
  let page = pages.get(key);
  if (page === undefined) pages.set(key, (page = new Uint8Array(PAGE_SIZE)));
  const i = day - key * PAGE_SIZE;
  let known = page[i]!;
  if (known === 0) {
    const date = isoDay(day);
    const listed = Object.hasOwn(LISTED_WORKDAYS, date) || (!isWeekendNumber(day) && !Object.hasOwn(LISTED_HOLIDAYS, date));
    page[i] = known = listed && !isUnpublishedHoliday(day, Number(date.slice(0, 4))) ? 2 : 1;
  }
  return known === 2;
}

/**
 * Running counts of workdays from day `first` to day `last` (day numbers, first ≤ last): entry i
 * is the number of workdays among the days first + 1 … first + i (entry 0 is 0). So the workdays
 * after day a up to and including day b, both in the range, are entry b − first minus entry a − first.
 */
export function runningWorkdays(first: number, last: number): Int32Array {
  const counts = new Int32Array(last >= first ? last - first + 1 : 0);
  for (let day = first + 1, n = 0; day <= last; day++) {
    if (isWorkdayNumber(day)) n += 1;
    counts[day - first] = n;
  }
  return counts;
}

/** Is this YYYY-MM-DD date a workday? Anything else is refused (RangeError). */
export function isWorkday(date: string): boolean {
  const day = dayNumber(date);
  if (Number.isNaN(day)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return isWorkdayNumber(day);
}

/**
 * The `n`-th workday after `date` (n ≥ 1), or before it (n ≤ -1). With n = 0: `date` itself
 * when it is a workday, else the next workday.
 *
 * Walked here by day number over isWorkday's answers rather than asked of chinese-days'
 * findWorkday, which steps through the server's local days: west of UTC it lands a day early
 * (on a server in New York, the first workday after 2025-09-30 came out as 2025-10-08, a holiday).
 */
export function addWorkdays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
  let day = dayNumber(date);
  if (Number.isNaN(day)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  if (n === 0) {
    while (!isWorkdayNumber(day)) day += 1;
    return isoDay(day);
  }
  const step = n > 0 ? 1 : -1;
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (isWorkdayNumber(day)) left -= 1;
  }
  return isoDay(day);
}

/** The first workday strictly after `date`. */
export function nextWorkday(date: string): string {
  return addWorkdays(date, 1);
}

/** `date` when it is a workday, else the next one. */
export function workdayOnOrAfter(date: string): string {
  return addWorkdays(date, 0);
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

/** Does the holiday data know this year's holidays and 调休 days? */
export function isCalendarCovered(year: number): boolean {
  return COVERED_YEARS.has(year);
}

/**
 * Is this date computed from real holiday data, or estimated (weekends and, from 2025, the
 * statutory holidays and their 补假, but not the year's 调休)?
 */
export function isDateCovered(date: string): boolean {
  return isCalendarCovered(Number(date.slice(0, 4)));
}

/**
 * The days off from `from` to `to` as a date field in the browser reads them (lib/off-days.ts):
 * the weekdays off and the weekend workdays (调休), each a short list; the rest is the weekday.
 */
export function offDaysBetween(from: string, to: string): OffDays {
  const holidays: string[] = [];
  const workdays: string[] = [];
  for (let day = dayNumber(from), last = dayNumber(to); day <= last; day++) {
    // Day 0, 1970-01-01, was a Thursday.
    const weekend = (((day + 4) % 7) + 7) % 7 % 6 === 0;
    const workday = isWorkdayNumber(day);
    if (!weekend && !workday) holidays.push(isoDay(day));
    if (weekend && workday) workdays.push(isoDay(day));
  }
  // The range spans two years at most in use (a year each side of today); each year checked once.
  let estimatedFrom: string | null = null;
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)) && estimatedFrom === null; year++) {
    if (!isCalendarCovered(year)) estimatedFrom = year === Number(from.slice(0, 4)) ? from : `${year}-01-01`;
  }
  return { from, to, holidays, workdays, estimatedFrom };
}
