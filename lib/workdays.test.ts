import { describe, expect, it } from 'vitest';
import { addWorkdays, isCalendarCovered, isDateCovered, isWorkday, nextWorkday, workdayOnOrAfter, workdaysBetween } from './workdays';

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
