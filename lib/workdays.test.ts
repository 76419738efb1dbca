import * as chineseDaysModule from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  addWorkdays,
  dayNumber,
  isCalendarCovered,
  isDateCovered,
  isoDay,
  isWorkday,
  isWorkdayNumber,
  nextWorkday,
  runningWorkdays,
  workdayOnOrAfter,
  workdaysBetween,
} from './workdays';

// The package itself, to compare the memoised answers with (see lib/workdays.ts on its two builds).
const chineseDays: typeof chineseDaysModule =
  (chineseDaysModule as typeof chineseDaysModule & { default?: typeof chineseDaysModule }).default ?? chineseDaysModule;

/** Every date from `from` to `to`, as Date.UTC counts them. */
function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

describe('isWorkday on the Chinese calendar', () => {
  it.each([
    // National Day 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are workdays (调休).
    ['2025-09-26', true, 'an ordinary Friday'],
    ['2025-09-27', false, 'an ordinary Saturday'],
    ['2025-09-28', true, 'Sunday made a workday'],
    ['2025-10-01', false, 'National Day'],
    ['2025-10-06', false, 'a Monday inside the holiday'],
    ['2025-10-08', false, 'the last day of the holiday'],
    ['2025-10-09', true, 'the first workday after'],
    ['2025-10-11', true, 'Saturday made a workday'],
    ['2025-10-12', false, 'the Sunday after'],
    // Spring Festival 2025: 28 Jan – 4 Feb off; Sunday 26 Jan and Saturday 8 Feb are workdays.
    ['2025-01-26', true, 'Sunday before Spring Festival made a workday'],
    ['2025-01-28', false, "New Year's Eve (除夕)"],
    ['2025-02-04', false, 'the last day of Spring Festival'],
    ['2025-02-05', true, 'back to work'],
    ['2025-02-08', true, 'Saturday made a workday'],
    // Year boundary: 1 January is a holiday.
    ['2024-12-31', true, "New Year's Eve, a Tuesday"],
    ['2025-01-01', false, "New Year's Day"],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkday(date)).toBe(expected);
  });
});

describe('workday arithmetic', () => {
  it.each([
    ['2025-09-30', 1, '2025-10-09', 'across National Day'],
    ['2025-09-26', 1, '2025-09-28', 'onto the Sunday made a workday'],
    ['2025-09-25', 5, '2025-10-09', 'five workdays across the holiday'],
    ['2025-10-10', 1, '2025-10-11', 'onto the Saturday made a workday'],
    ['2025-01-24', 3, '2025-02-05', 'across Spring Festival, via the working Sunday'],
    ['2024-12-31', 1, '2025-01-02', 'across the year boundary'],
    ['2025-10-09', -1, '2025-09-30', 'one workday back across the holiday'],
    ['2025-10-03', 0, '2025-10-09', 'zero: the next workday when the date is a holiday'],
    ['2025-10-09', 0, '2025-10-09', 'zero: the date itself when it is a workday'],
  ])('%s + %d workdays = %s (%s)', (date, n, expected) => {
    expect(addWorkdays(date, n)).toBe(expected);
  });

  it('names the next workday and the workday on or after', () => {
    expect(nextWorkday('2025-10-08')).toBe('2025-10-09');
    expect(nextWorkday('2025-10-09')).toBe('2025-10-10');
    expect(workdayOnOrAfter('2025-10-05')).toBe('2025-10-09');
  });

  it('counts workdays between two dates', () => {
    expect(workdaysBetween('2025-09-30', '2025-10-10')).toBe(2);
    expect(workdaysBetween('2025-10-10', '2025-10-10')).toBe(0);
    expect(workdaysBetween('2025-10-10', '2025-10-01')).toBe(0);
  });

  it('refuses a fractional count', () => {
    expect(() => addWorkdays('2025-10-09', 1.5)).toThrow(RangeError);
  });
});

describe('calendar coverage', () => {
  it('knows the years its data covers and falls back to Monday–Friday elsewhere', () => {
    expect(isCalendarCovered(2025)).toBe(true);
    expect(isDateCovered('2025-10-01')).toBe(true);
    expect(isCalendarCovered(2099)).toBe(false);
    // 2099-10-01 is a Thursday: without data it is a workday.
    expect(isWorkday('2099-10-01')).toBe(true);
    expect(isWorkday('2099-10-03')).toBe(false);
    expect(addWorkdays('2099-10-02', 1)).toBe('2099-10-05');
  });
});

describe('day numbers', () => {
  it('count days from 1970-01-01 as UTC dates do, and back', () => {
    for (const date of [...datesBetween('1899-12-20', '1900-03-10'), ...datesBetween('1968-12-25', '1971-01-05'), ...datesBetween('1999-12-01', '2028-03-31')]) {
      const day = Date.parse(`${date}T00:00:00Z`) / 86_400_000;
      expect(dayNumber(date)).toBe(day);
      expect(isoDay(day)).toBe(date);
    }
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2000-03-01') - dayNumber('2000-02-28')).toBe(2);
    expect(dayNumber('2100-03-01') - dayNumber('2100-02-28')).toBe(1);
    for (const date of ['0000-01-01', '0001-03-01', '0099-12-31', '9999-12-31']) expect(isoDay(dayNumber(date))).toBe(date);
  });

  it('are NaN for anything but a real YYYY-MM-DD date', () => {
    for (const text of ['2025-02-29', '1900-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-01-32', '2025-1-01', '2025-01-1', '2025/01/01', ' 2025-01-01', '2025-01-01T00:00', '２０２５-01-01', 'abcd-ef-gh', '']) {
      expect(dayNumber(text), text).toBeNaN();
    }
    expect(dayNumber('2024-02-29')).toBe(dayNumber('2024-03-01') - 1);
  });
});

describe('the workday memo', () => {
  it('gives chinese-days’ answer for every day, asked first or again, covered years or not', () => {
    // 2023–2027 (2027 and the 1960s are not in the package's data: Monday–Friday there), 2099, and
    // days before 1970 (negative day numbers); backwards, then forwards from the memo.
    const dates = [...datesBetween('1969-11-01', '1970-02-28'), ...datesBetween('2023-01-01', '2027-12-31'), ...datesBetween('2099-01-01', '2099-12-31')];
    expect(isCalendarCovered(2027)).toBe(false);
    const expected = dates.map((date) => chineseDays.isWorkday(date));
    expect(expected.filter(Boolean).length).toBeGreaterThan(0);
    expect([...dates].reverse().map((date) => isWorkday(date))).toEqual([...expected].reverse());
    expect(dates.map((date) => isWorkday(date))).toEqual(expected);
    expect(dates.map((date) => isWorkdayNumber(dayNumber(date)))).toEqual(expected);
    // The holiday data and the weekday fallback both show through: National Day 2025, a 调休
    // Saturday, Saturday 2 October 2027 (no data: a weekend day), Friday 1 October 2027 (a workday).
    expect([isWorkday('2025-10-01'), isWorkday('2025-10-11'), isWorkday('2027-10-02'), isWorkday('2027-10-01')]).toEqual([false, true, false, true]);
  });

  it('leaves other forms of a date to chinese-days', () => {
    for (const text of ['2025-10-1', '2025-9-28', '2025/10/09']) expect(isWorkday(text), text).toBe(chineseDays.isWorkday(text));
    expect(isWorkday('2025-10-1')).toBe(false);
  });

  it('gives findWorkday’s answer (on a server at UTC) for addWorkdays', () => {
    const dates = datesBetween('2025-09-20', '2025-10-20').concat(datesBetween('2026-12-20', '2027-01-20'), ['2099-10-02']);
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      for (const n of [-7, -2, -1, 0, 1, 2, 5, 10]) {
        const expected = dates.map((date) => chineseDays.findWorkday(n, date));
        expect(dates.map((date) => addWorkdays(date, n))).toEqual(expected);
      }
    } finally {
      process.env.TZ = tz;
    }
  });

  it('gives the same workdays whatever time zone the server is set to', () => {
    const dates = datesBetween('2025-09-25', '2025-10-12').concat(datesBetween('2026-02-10', '2026-02-28'));
    const answers = () => [-3, -1, 0, 1, 2, 5].flatMap((n) => dates.map((date) => addWorkdays(date, n)));
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const atUtc = answers();
      for (const zone of ['America/New_York', 'America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Auckland']) {
        process.env.TZ = zone;
        expect(answers(), zone).toEqual(atUtc);
        // National Day 2025: the first workday after 30 September is Thursday 9 October.
        expect(nextWorkday('2025-09-30'), zone).toBe('2025-10-09');
        expect(addWorkdays('2025-10-09', -1), zone).toBe('2025-09-30');
        expect(workdayOnOrAfter('2025-10-01'), zone).toBe('2025-10-09');
      }
    } finally {
      process.env.TZ = tz;
    }
  });

  it('refuses what is not a YYYY-MM-DD date', () => {
    expect(() => addWorkdays('2025-10-1', 1)).toThrow(RangeError);
    expect(() => addWorkdays('2025-02-30', 1)).toThrow(RangeError);
  });

  it('counts workdays over a range in one pass as workdaysBetween does pair by pair', () => {
    const first = dayNumber('2025-09-20');
    const last = dayNumber('2027-01-15');
    const running = runningWorkdays(first, last);
    expect(running).toHaveLength(last - first + 1);
    expect(running[0]).toBe(0);
    for (const [from, to] of [
      ['2025-09-20', '2025-10-10'],
      ['2025-09-30', '2025-10-09'],
      ['2025-12-31', '2026-02-24'],
      ['2026-09-25', '2027-01-15'],
      ['2025-10-01', '2025-10-08'],
    ] as const) {
      expect(running[dayNumber(to) - first]! - running[dayNumber(from) - first]!, `${from} → ${to}`).toBe(workdaysBetween(from, to));
    }
    expect(runningWorkdays(5, 4)).toHaveLength(0);
  });
});
