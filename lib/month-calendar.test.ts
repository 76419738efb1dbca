import { describe, expect, it } from 'vitest';
import {
  daysInMonth,
  isMonth,
  isWeekend,
  monthBounds,
  monthOf,
  monthWeeks,
  offDayMark,
  shiftMonth,
  shortLenderName,
  weekdayMondayFirst,
} from './month-calendar';
import { isCalendarCovered } from './workdays';

describe('month calendar', () => {
  it('accepts YYYY-MM months within the years the app deals with, and nothing else', () => {
    for (const ok of ['2025-01', '2025-12', '2000-06', '2099-12']) expect(isMonth(ok), ok).toBe(true);
    for (const bad of ['2025-13', '2025-00', '2025-1', '25-01', '2025-01-01', '1999-12', '2100-01', '', '2025-1a', ' 2025-01']) {
      expect(isMonth(bad), bad).toBe(false);
    }
  });

  it('moves across years in both directions', () => {
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-06', 0)).toBe('2025-06');
    expect(shiftMonth('2025-03', -15)).toBe('2023-12');
    expect(shiftMonth('2025-03', 24)).toBe('2027-03');
    expect(monthOf('2025-10-09')).toBe('2025-10');
  });

  it('knows the length of every month, leap years included', () => {
    expect(daysInMonth('2024-02')).toBe(29);
    expect(daysInMonth('2025-02')).toBe(28);
    expect(daysInMonth('2000-02')).toBe(29);
    expect(daysInMonth('2025-04')).toBe(30);
    expect(daysInMonth('2025-12')).toBe(31);
    expect(monthBounds('2025-02')).toEqual({ first: '2025-02-01', last: '2025-02-28' });
    expect(monthBounds('2025-10')).toEqual({ first: '2025-10-01', last: '2025-10-31' });
  });

  it('counts weekdays from Monday', () => {
    expect(weekdayMondayFirst('2025-09-01')).toBe(0); // Monday
    expect(weekdayMondayFirst('2025-10-01')).toBe(2); // Wednesday
    expect(weekdayMondayFirst('2025-06-01')).toBe(6); // Sunday
    expect(isWeekend('2025-09-28')).toBe(true); // Sunday (worked in 2025: 调休)
    expect(isWeekend('2025-10-01')).toBe(false);
  });

  it('lays a month out in weeks of seven, Monday first, blank outside the month', () => {
    // October 2025 starts on a Wednesday and ends on a Friday.
    const oct = monthWeeks('2025-10');
    expect(oct).toHaveLength(5);
    for (const week of oct) expect(week).toHaveLength(7);
    expect(oct[0]).toEqual([null, null, '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05']);
    expect(oct[4]).toEqual(['2025-10-27', '2025-10-28', '2025-10-29', '2025-10-30', '2025-10-31', null, null]);
    expect(oct.flat().filter(Boolean)).toHaveLength(31);

    // September 2025 starts on a Monday: no blank lead.
    expect(monthWeeks('2025-09')[0][0]).toBe('2025-09-01');
    // June 2025 starts on a Sunday and needs six rows.
    const june = monthWeeks('2025-06');
    expect(june[0]).toEqual([null, null, null, null, null, null, '2025-06-01']);
    expect(june).toHaveLength(6);
    // February 2021: 28 days from a Monday, exactly four rows.
    expect(monthWeeks('2021-02')).toHaveLength(4);
  });

  it('shortens a lender name to what fits in a calendar cell', () => {
    expect(shortLenderName('花呗/借呗（重庆蚂蚁消费金融）')).toBe('花呗/借呗');
    expect(shortLenderName('建设银行 快贷')).toBe('建设银行 快贷');
    expect(shortLenderName('Some Bank (Shanghai branch)')).toBe('Some Bank');
    expect(shortLenderName('（只有括号）')).toBe('（只有括号）');
  });
});

describe('offDayMark: 休 and 班 on the month calendar', () => {
  it('marks the State Council’s days off and weekends worked in a year it has published', () => {
    expect(isCalendarCovered(2026)).toBe(true);
    expect(offDayMark('2026-10-01')).toBe('holiday'); // National Day, a Thursday
    expect(offDayMark('2026-10-10')).toBe('workday'); // a Saturday worked for it
    expect(offDayMark('2026-10-11')).toBeNull(); // an ordinary Sunday
    expect(offDayMark('2026-10-12')).toBeNull(); // an ordinary Monday
  });

  it('marks the holidays the law fixes in a year not published yet, and no 班, which is not known', () => {
    expect(isCalendarCovered(2027)).toBe(false);
    expect(offDayMark('2027-01-01')).toBe('holiday'); // New Year's Day, a Friday
    // Spring Festival 2027: 除夕 Friday 5 February to 初三 Monday 8 February; 初一 and 初二 fall on the
    // weekend, so Tuesday 9 and Wednesday 10 are days off in their place (补假, art. 6 of the law).
    expect(['2027-02-04', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'].map(offDayMark)).toEqual([
      null,
      'holiday',
      null,
      null,
      'holiday',
      'holiday',
      'holiday',
      null,
    ]);
    expect(offDayMark('2027-05-01')).toBeNull(); // Labour Day on a Saturday: off anyway
    expect(offDayMark('2027-10-01')).toBe('holiday');
    expect(offDayMark('2027-09-25')).toBeNull(); // a Saturday: whether it is worked is not known
  });
});
