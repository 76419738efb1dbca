import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  statutoryHolidays,
  workdayOnOrAfter,
  workdaysBetween,
} from './workdays';

const here = path.dirname(fileURLToPath(import.meta.url));

// The package itself, to compare the memoised answers with (see lib/workdays.ts on its two builds).
const chineseDays: typeof chineseDaysModule =
  (chineseDaysModule as typeof chineseDaysModule & { default?: typeof chineseDaysModule }).default ?? chineseDaysModule;

/** The statutory holidays and 补假 of each year without data (asked of chinese-days, not of the module under test), by year. */
const unpublishedSets = new Map<number, ReadonlySet<string>>();
const expectedAnswers = new Map<string, boolean>();

/**
 * The answer the module should give: chinese-days', and in a year it has no data for from 2025
 * to 2099, not a workday on that year's statutory holidays and their 补假 either.
 */
function expectedWorkday(date: string): boolean {
  let answer = expectedAnswers.get(date);
  if (answer === undefined) {
    const year = Number(date.slice(0, 4));
    let holidays = unpublishedSets.get(year);
    if (holidays === undefined) {
      const published = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
      holidays = year < 2025 || year > 2099 || published ? new Set() : new Set(Object.values(statutoryHolidays(year)).flat());
      unpublishedSets.set(year, holidays);
    }
    answer = chineseDays.isWorkday(date) && !holidays.has(date);
    expectedAnswers.set(date, answer);
  }
  return answer;
}

/** addWorkdays by the slow road: a day at a time over expectedWorkday's answers. */
function expectedAddWorkdays(date: string, n: number): string {
  let t = Date.parse(`${date}T00:00:00Z`);
  const next = (step: number) => new Date((t += step * 86_400_000)).toISOString().slice(0, 10);
  if (n === 0) {
    for (let day = date; ; day = next(1)) if (expectedWorkday(day)) return day;
  }
  const step = n > 0 ? 1 : -1;
  let day = date;
  for (let left = Math.abs(n); left > 0; ) if (expectedWorkday((day = next(step)))) left -= 1;
  return day;
}

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
  it('knows the years its data covers and estimates the others', () => {
    expect(isCalendarCovered(2025)).toBe(true);
    expect(isCalendarCovered(2026)).toBe(true);
    expect(isDateCovered('2025-10-01')).toBe(true);
    expect(isCalendarCovered(2027)).toBe(false);
    expect(isDateCovered('2027-01-01')).toBe(false);
    expect(isCalendarCovered(2099)).toBe(false);
    // 2099-10-01 is a Thursday, 10-02 a Friday: without data, still National Day; 10-03, a
    // Saturday, is made up on Monday 10-05 (补假).
    expect(isWorkday('2099-10-01')).toBe(false);
    expect(isWorkday('2099-10-02')).toBe(false);
    expect(isWorkday('2099-10-03')).toBe(false);
    expect(isWorkday('2099-10-05')).toBe(false);
    expect(addWorkdays('2099-09-30', 1)).toBe('2099-10-06');
    // Before 2004 (no data, and other holiday laws) and after 2099: Monday–Friday, as before.
    // 2003-10-01 is a Wednesday, 2100-10-01 a Friday.
    expect(isCalendarCovered(2003)).toBe(false);
    expect(isWorkday('2003-10-01')).toBe(true);
    expect(isWorkday('2100-10-01')).toBe(true);
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
  it('gives chinese-days’ answer for every day, asked first or again, and the statutory holidays where it has no data', () => {
    // 2023–2028 (2027, 2028 and the 1960s are not in the package's data: Monday–Friday there, less
    // the statutory holidays from 2025 on), 2099, and days before 1970 (negative day numbers);
    // backwards, then forwards from the memo.
    const dates = [...datesBetween('1969-11-01', '1970-02-28'), ...datesBetween('2023-01-01', '2028-12-31'), ...datesBetween('2099-01-01', '2099-12-31')];
    expect(isCalendarCovered(2027)).toBe(false);
    const expected = dates.map((date) => expectedWorkday(date));
    // Where the package has no data the answers differ from its own on the statutory holidays.
    expect(dates.filter((date, i) => chineseDays.isWorkday(date) !== expected[i])).toContain('2027-01-01');
    expect(expected.filter(Boolean).length).toBeGreaterThan(0);
    expect([...dates].reverse().map((date) => isWorkday(date))).toEqual([...expected].reverse());
    expect(dates.map((date) => isWorkday(date))).toEqual(expected);
    expect(dates.map((date) => isWorkdayNumber(dayNumber(date)))).toEqual(expected);
    // The holiday data and the fallback both show through: National Day 2025, a 调休 Saturday,
    // Saturday 2 October 2027 (no data: a weekend day), Friday 1 October 2027 (National Day),
    // Monday 4 October 2027 (补假 for the Saturday) and Wednesday 6 October 2027 (a workday: the
    // year's 调休 and bridge days are not known).
    expect([
      isWorkday('2025-10-01'),
      isWorkday('2025-10-11'),
      isWorkday('2027-10-02'),
      isWorkday('2027-10-01'),
      isWorkday('2027-10-04'),
      isWorkday('2027-10-06'),
    ]).toEqual([false, true, false, false, false, true]);
  });

  it('refuses what is not a YYYY-MM-DD date', () => {
    for (const text of ['2025-10-1', '2025-9-28', '2025/10/09', '2025-02-30', '']) expect(() => isWorkday(text), text).toThrow(RangeError);
  });

  it('gives findWorkday’s answer (on a server at UTC) for addWorkdays where the package has data', () => {
    const dates = datesBetween('2025-09-20', '2025-10-20').concat(datesBetween('2025-12-20', '2026-01-20'), datesBetween('2026-02-10', '2026-02-28'));
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

  it('walks the statutory holidays where the package has no data', () => {
    const dates = datesBetween('2026-12-10', '2027-01-20').concat(datesBetween('2027-01-25', '2027-02-15'), datesBetween('2027-09-10', '2027-10-10'), ['2099-10-02']);
    for (const n of [-7, -2, -1, 0, 1, 2, 5, 10, 30]) {
      expect(dates.map((date) => addWorkdays(date, n)), String(n)).toEqual(dates.map((date) => expectedAddWorkdays(date, n)));
    }
  });

  // Each zone in a process of its own, started in it: chinese-days builds its tables when it is
  // loaded, and this module keeps what it has asked, so a zone changed in this process would only
  // meet answers made before.
  it('gives the same workdays whatever time zone the server is set to', () => {
    const dates = datesBetween('2025-09-25', '2025-10-12').concat(datesBetween('2026-01-01', '2026-03-10'), datesBetween('2026-09-15', '2026-10-15'), datesBetween('2027-09-25', '2027-10-10'));
    const steps = [-3, -1, 0, 1, 2, 5];
    const script = `
      const { addWorkdays, isCalendarCovered, isWorkday, statutoryHolidays } = await import(${JSON.stringify(path.join(here, 'workdays.ts'))});
      const dates = ${JSON.stringify(dates)};
      console.log(JSON.stringify({
        workdays: dates.map((date) => isWorkday(date)),
        added: ${JSON.stringify(steps)}.flatMap((n) => dates.map((date) => addWorkdays(date, n))),
        covered: [2025, 2026, 2027].map(isCalendarCovered),
        statutory: statutoryHolidays(2027),
      }));`;
    const expected = {
      workdays: dates.map((date) => isWorkday(date)),
      added: steps.flatMap((n) => dates.map((date) => addWorkdays(date, n))),
      covered: [true, true, false],
      statutory: statutoryHolidays(2027),
    };
    // Monday 5 January and Saturday 10 October 2026 (调休) are workdays; Saturday 10 January is not.
    expect([isWorkday('2026-01-05'), isWorkday('2026-10-10'), isWorkday('2026-01-10')]).toEqual([true, true, false]);
    for (const zone of ['America/New_York', 'America/Los_Angeles', 'UTC', 'Asia/Shanghai', 'Pacific/Auckland']) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TZ: zone }, encoding: 'utf8' });
      expect(child.status, `${zone}: ${child.stderr}`).toBe(0);
      expect(JSON.parse(child.stdout), zone).toEqual(expected);
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

describe('the statutory holidays, in a year without published data', () => {
  it('knows 2027’s, fixed by the law and the lunar calendar', () => {
    expect(statutoryHolidays(2027)).toEqual({
      newYear: ['2027-01-01'],
      // 除夕 is 腊月廿九 this year; 正月初一 is Saturday 6 February.
      springFestival: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'],
      qingming: ['2027-04-05'],
      labourDay: ['2027-05-01', '2027-05-02'],
      dragonBoat: ['2027-06-09'],
      midAutumn: ['2027-09-15'],
      nationalDay: ['2027-10-01', '2027-10-02', '2027-10-03'],
      // 补假 for 初一 and 初二 (Saturday, Sunday), 1 and 2 May (Saturday, Sunday), 2 and 3 October
      // (Saturday, Sunday): the first Monday–Friday days after each.
      substitutes: ['2027-02-09', '2027-02-10', '2027-05-03', '2027-05-04', '2027-10-04', '2027-10-05'],
    });
    // The package's own lunar calendar and festival names agree.
    expect(chineseDays.getLunarDate('2027-02-06')).toMatchObject({ lunarYear: 2027, lunarMon: 1, lunarDay: 1, isLeap: false });
    expect(chineseDays.getLunarDate('2027-02-05')).toMatchObject({ lunarYear: 2026, lunarMon: 12, lunarDay: 29 });
    const festivals = new Map(chineseDays.getLunarFestivals('2027-01-01', '2027-12-31').map((f) => [f.date, f.name]));
    expect(festivals.get('2027-02-05')).toContain('除夕');
    expect(festivals.get('2027-02-06')).toContain('春节');
    expect(festivals.get('2027-06-09')).toContain('端午节');
    expect(festivals.get('2027-09-15')).toContain('中秋节');
  });

  it.each([
    ['2027-01-01', false, "New Year's Day, a Friday"],
    ['2027-01-04', true, 'an ordinary Monday'],
    ['2027-02-04', true, 'the Thursday before 除夕'],
    ['2027-02-05', false, '除夕, a Friday'],
    ['2027-02-06', false, '正月初一, a Saturday'],
    ['2027-02-08', false, '正月初三, a Monday'],
    ['2027-02-09', false, '初四, a Tuesday: 补假 for 初一, a Saturday'],
    ['2027-02-10', false, '初五, a Wednesday: 补假 for 初二, a Sunday'],
    ['2027-02-11', true, '初六, a Thursday (the year’s 调休 is not known)'],
    ['2027-03-01', true, 'an ordinary Monday'],
    ['2027-04-05', false, '清明, a Monday'],
    ['2027-04-06', true, 'the Tuesday after 清明'],
    ['2027-05-01', false, 'Labour Day, a Saturday'],
    ['2027-05-02', false, 'Labour Day, a Sunday'],
    ['2027-05-03', false, 'the Monday after: 补假'],
    ['2027-05-04', false, 'the Tuesday after: 补假'],
    ['2027-05-05', true, 'the Wednesday after'],
    ['2027-06-09', false, '端午, a Wednesday'],
    ['2027-09-15', false, '中秋, a Wednesday'],
    ['2027-10-01', false, 'National Day, a Friday'],
    ['2027-10-02', false, 'National Day, a Saturday'],
    ['2027-10-03', false, 'National Day, a Sunday'],
    ['2027-10-04', false, 'the Monday after: 补假'],
    ['2027-10-05', false, 'the Tuesday after: 补假'],
    ['2027-10-06', true, 'the Wednesday after (the year’s 调休 is not known)'],
  ])('2027: %s → %s (%s)', (date, expected) => {
    expect(isWorkday(date)).toBe(expected);
    expect(isWorkdayNumber(dayNumber(date))).toBe(expected);
    // Still an estimate: the flag is as it was.
    expect(isDateCovered(date)).toBe(false);
  });

  it('counts a 30-workday review from 2026-12-01 past New Year’s Day 2027', () => {
    // 22 workdays in December after the 1st, then 1 January off: 4–8, 11, 12, 13 January.
    expect(addWorkdays('2026-12-01', 30)).toBe('2027-01-13');
    expect(workdaysBetween('2026-12-01', '2027-01-13')).toBe(30);
    expect(workdaysBetween('2026-12-31', '2027-01-04')).toBe(1);
    expect(nextWorkday('2026-12-31')).toBe('2027-01-04');
  });

  it('counts a 45-workday review from 2026-12-03 past Spring Festival 2027 and its 补假', () => {
    // 20 workdays in December after the 3rd, 20 in January (the 1st off), 1–4 February; then
    // 除夕 to 初三 (5–8 February) and their 补假 (Tuesday 9 and Wednesday 10), not the 9th.
    expect(addWorkdays('2026-12-03', 44)).toBe('2027-02-04');
    expect(addWorkdays('2026-12-03', 45)).toBe('2027-02-11');
    expect(workdaysBetween('2026-12-03', '2027-02-10')).toBe(44);
    expect(nextWorkday('2027-02-04')).toBe('2027-02-11');
    expect(addWorkdays('2027-02-11', -1)).toBe('2027-02-04');
    expect(workdayOnOrAfter('2027-02-09')).toBe('2027-02-11');
  });

  it('makes up New Year’s Day 2028, a Saturday, on Monday 3 January', () => {
    expect(statutoryHolidays(2028).substitutes[0]).toBe('2028-01-03');
    expect(['2027-12-31', '2028-01-01', '2028-01-02', '2028-01-03', '2028-01-04'].map(isWorkday)).toEqual([true, false, false, false, true]);
    expect(nextWorkday('2027-12-31')).toBe('2028-01-04');
  });

  it('gives no 补假 for holidays on Monday to Friday', () => {
    // 2027: 元旦 a Friday, 清明 a Monday, 端午 and 中秋 Wednesdays: nothing in lieu.
    const h = statutoryHolidays(2027);
    expect(h.substitutes.filter((d) => d < '2027-02-01' || (d > '2027-03-01' && d < '2027-05-01') || (d > '2027-05-31' && d < '2027-10-01'))).toEqual([]);
    expect(isWorkday('2027-04-06')).toBe(true);
    expect(isWorkday('2027-06-10')).toBe(true);
    expect(isWorkday('2027-09-16')).toBe(true);
    // 2031: 中秋 on 1 October, a Wednesday, with 国庆 to Friday 3 October.
    expect(statutoryHolidays(2031).midAutumn).toEqual(['2031-10-01']);
    expect(statutoryHolidays(2031).substitutes.filter((d) => d >= '2031-09-01')).toEqual([]);
  });

  it('puts the 补假 after the whole run when 中秋 falls next to or inside 国庆', () => {
    // 2096: 中秋 Sunday 30 September, 国庆 Monday to Wednesday: 补假 Thursday 4 October, not Monday 1 October.
    expect(statutoryHolidays(2096).midAutumn).toEqual(['2096-09-30']);
    expect(statutoryHolidays(2096).substitutes.filter((d) => d >= '2096-09-01')).toEqual(['2096-10-04']);
    // 2044: 国庆 Saturday to Monday, 中秋 Wednesday 5 October: 补假 Tuesday 4 and Thursday 6 October.
    expect(statutoryHolidays(2044).midAutumn).toEqual(['2044-10-05']);
    expect(statutoryHolidays(2044).substitutes.filter((d) => d >= '2044-09-01')).toEqual(['2044-10-04', '2044-10-06']);
    expect(['2044-10-03', '2044-10-04', '2044-10-05', '2044-10-06', '2044-10-07'].map(isWorkday)).toEqual([false, false, false, false, true]);
    // 2028: 中秋 on 3 October, a Tuesday, with 国庆 from Sunday 1 October: one day counts once, one 补假.
    expect(statutoryHolidays(2028).midAutumn).toEqual(['2028-10-03']);
    expect(statutoryHolidays(2028).substitutes.filter((d) => d >= '2028-09-01')).toEqual(['2028-10-04']);
  });

  it('gives each year as many 补假 as it has holidays on a weekend, on Monday to Friday days that are not holidays', () => {
    const weekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
    for (let year = 2025; year <= 2099; year++) {
      const { substitutes, ...named } = statutoryHolidays(year);
      const holidays = new Set(Object.values(named).flat());
      expect(substitutes.filter(weekend), `${year}`).toEqual([]);
      expect(substitutes.filter((d) => holidays.has(d)), `${year}`).toEqual([]);
      expect([...new Set(substitutes)].sort(), `${year}`).toEqual(substitutes);
      expect(substitutes.length, `${year}`).toBe([...holidays].filter(weekend).length);
    }
  });

  it('names as 补假, in the years with published data from 2025, only days the State Council gave off', () => {
    const years: number[] = [];
    for (let year = 2025; year <= 2099 && isCalendarCovered(year); year++) years.push(year);
    expect(years).toEqual(expect.arrayContaining([2025, 2026]));
    const substitutes = years.flatMap((year) => statutoryHolidays(year).substitutes);
    // 2025: 端午 on Saturday 31 May; 2026: 清明 on Sunday 5 April, 2 May a Saturday, 3 October a Saturday.
    expect(substitutes.filter((d) => d < '2027')).toEqual(['2025-06-02', '2026-04-06', '2026-05-04', '2026-10-05']);
    for (const date of substitutes) {
      expect(chineseDays.isWorkday(date), date).toBe(false);
      expect(chineseDays.isHoliday(date), date).toBe(true);
    }
  });

  it('leaves every day of the years with published data as chinese-days has it (2025, 2026)', () => {
    const dates = datesBetween('2025-01-01', '2026-12-31');
    expect(dates.map((date) => isWorkday(date))).toEqual(dates.map((date) => chineseDays.isWorkday(date)));
  });

  it('finds each year’s 除夕 as the last day of the 12th lunar month, 29th or 30th', () => {
    // 2028: 腊月 has 29 days; 2033: 30.
    expect(statutoryHolidays(2028).springFestival).toEqual(['2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28']);
    expect(statutoryHolidays(2033).springFestival[0]).toBe('2033-01-30');
    const lengths = new Set<number>();
    for (let year = 2025; year <= 2099; year++) {
      const [eve, first] = statutoryHolidays(year).springFestival;
      const lunarEve = chineseDays.getLunarDate(eve!);
      expect(lunarEve, eve).toMatchObject({ lunarYear: year - 1, lunarMon: 12, isLeap: false });
      expect([29, 30], eve).toContain(lunarEve.lunarDay);
      expect(chineseDays.getLunarDate(first!), first).toMatchObject({ lunarYear: year, lunarMon: 1, lunarDay: 1, isLeap: false });
      lengths.add(lunarEve.lunarDay);
    }
    expect([...lengths].sort()).toEqual([29, 30]);
  });

  it('takes 端午 in the 5th lunar month, not a leap 5th month after it', () => {
    // 2028 has a leap 5th month: its 初五 (27 June, a Tuesday) is an ordinary day.
    expect(chineseDays.getYearLeapMonth(2028).leapMonth).toBe(5);
    expect(statutoryHolidays(2028).dragonBoat).toEqual(['2028-05-28']);
    expect(chineseDays.getLunarDate('2028-06-27')).toMatchObject({ lunarMon: 5, lunarDay: 5, isLeap: true });
    expect(isWorkday('2028-06-27')).toBe(true);
  });

  it('agrees with the published holidays of 2008–2026', () => {
    // The days the law has fixed since 2008: 元旦, 正月初一–初三, 清明, 1 May, 端午, 中秋 and 1–3
    // October; 除夕 and 2 May from 2025.
    for (let year = 2008; year <= 2026; year++) {
      const { substitutes, ...h } = statutoryHolidays(year);
      const fixed =
        year >= 2025
          ? Object.values(h).flat()
          : [...h.newYear, ...h.springFestival.slice(1), ...h.qingming, h.labourDay[0]!, ...h.dragonBoat, ...h.midAutumn, ...h.nationalDay];
      for (const date of fixed) expect(chineseDays.isHoliday(date), date).toBe(true);
    }
  });

  it('works the same out whatever time zone the server is set to', () => {
    const years = [2027, 2028, 2029, 2030, 2033];
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const atUtc = years.map(statutoryHolidays);
      for (const zone of ['America/New_York', 'America/Los_Angeles', 'Pacific/Pago_Pago', 'Asia/Shanghai', 'Pacific/Auckland', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        expect(years.map(statutoryHolidays), zone).toEqual(atUtc);
        expect(statutoryHolidays(2027).qingming, zone).toEqual(['2027-04-05']);
      }
    } finally {
      process.env.TZ = tz;
    }
  });

  it('reads the lunar calendar from 1901 to 2099, and no further', () => {
    for (let year = 1901; year <= 2099; year++) {
      const h = statutoryHolidays(year);
      for (const date of Object.values(h).flat()) expect(date.slice(0, 4), `${year}`).toBe(String(year));
    }
    expect(() => statutoryHolidays(1900)).toThrow(RangeError);
    expect(() => statutoryHolidays(2100)).toThrow(RangeError);
  });
});
