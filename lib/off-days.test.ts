import { describe, expect, it } from 'vitest';
import { addDaysIso } from './dates';
import { isOffDayEstimated, offDayKind } from './off-days';
import { isCalendarCovered, isWorkday, offDaysBetween } from './workdays';

/** The short list sent to the browser says what the workday calendar says, day by day. */
describe('offDayKind over offDaysBetween', () => {
  const days = offDaysBetween('2025-01-01', '2027-12-31');

  it('calls a day off exactly the days the workday calendar has off, a weekday off a holiday', () => {
    const disagreements: string[] = [];
    for (let date = '2025-01-01'; date <= '2027-12-31'; date = addDaysIso(date, 1)) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      const expected = isWorkday(date) ? null : weekday === 0 || weekday === 6 ? 'weekend' : 'holiday';
      if (offDayKind(date, days) !== expected) disagreements.push(`${date}: ${offDayKind(date, days)}, not ${expected}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('knows National Day, a 调休 Sunday and an ordinary weekend (2025)', () => {
    expect(offDayKind('2025-10-01', days)).toBe('holiday'); // Wednesday, National Day
    expect(offDayKind('2025-09-28', days)).toBeNull(); // Sunday made a workday
    expect(offDayKind('2025-12-06', days)).toBe('weekend'); // Saturday
    expect(offDayKind('2025-12-08', days)).toBeNull(); // Monday
  });

  it('lists only the exceptions, and says nothing outside its range or of a date that is not one', () => {
    expect(days.holidays.length).toBeLessThan(3 * 30);
    expect(days.workdays.length).toBeLessThan(3 * 15);
    expect(days.holidays).toContain('2025-10-01');
    expect(days.workdays).toContain('2025-09-28');
    const december = offDaysBetween('2025-12-01', '2025-12-31');
    expect(offDayKind('2025-11-30', december)).toBeNull(); // a Sunday, but before the range
    expect(offDayKind('2026-01-03', december)).toBeNull(); // a Saturday, after it
    expect(offDayKind('2025-12-07', december)).toBe('weekend');
    expect(offDayKind('2026-02-30', days)).toBeNull();
    expect(offDayKind('', days)).toBeNull();
    expect(offDayKind('2025-12-6', days)).toBeNull();
  });

  it('says from which day what it says is an estimate: the first day of a year whose schedule is not published', () => {
    // The data covers some years and not the ones after: the first year it lacks, and the day before it.
    let year = 2025;
    while (isCalendarCovered(year)) year++;
    const span = offDaysBetween(`${year - 1}-12-01`, `${year}-01-31`);
    expect(span.estimatedFrom).toBe(`${year}-01-01`);
    expect(isOffDayEstimated(`${year - 1}-12-31`, span)).toBe(false);
    expect(isOffDayEstimated(`${year}-01-01`, span)).toBe(true);
    expect(isOffDayEstimated(`${year}-02-01`, span)).toBe(false); // outside the range: nothing said at all
    // A range inside a year not published is an estimate from its first day; one inside a published year, never.
    expect(offDaysBetween(`${year}-03-01`, `${year}-03-31`).estimatedFrom).toBe(`${year}-03-01`);
    expect(offDaysBetween('2025-03-01', '2025-03-31').estimatedFrom).toBeNull();
  });
});
