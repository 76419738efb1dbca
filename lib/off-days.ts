/**
 * The days off near today, small enough to send to the browser with a date field, so that the
 * field says at once when the day picked is one (components/form/fields.tsx DayField). Built on
 * the server from the workday calendar (lib/workdays.ts offDaysBetween), which stays there: the
 * holiday data is far larger than the year it is asked about.
 *
 * A weekend day is off unless it is listed in `workdays` (调休); a weekday is a workday unless
 * it is listed in `holidays`. Outside `from`–`to` nothing is known, and nothing is said.
 */
export interface OffDays {
  from: string;
  to: string;
  /** Weekdays off (public holidays, their 补假 and bridge days), YYYY-MM-DD. */
  holidays: string[];
  /** Saturdays and Sundays made workdays (调休), YYYY-MM-DD. */
  workdays: string[];
  /**
   * The first day of a year whose holiday schedule is not published (lib/workdays.ts isDateCovered):
   * from it on, the days off are estimated (weekends and the statutory holidays, no 调休), and the
   * field says so. Null when the whole range is known.
   */
  estimatedFrom: string | null;
}

/** Is what offDayKind says of `date` an estimate (its year's schedule not yet published)? */
export function isOffDayEstimated(date: string, days: OffDays): boolean {
  return days.estimatedFrom !== null && date >= days.estimatedFrom && date <= days.to;
}

/** The weekday of a real YYYY-MM-DD date (0 Sunday … 6 Saturday, a calendar day in no time zone), else null. */
function weekdayOf(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const day = new Date(`${date}T00:00:00Z`);
  // 2026-02-30 parses, as 2 March: only a date that reads back the same is one.
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date ? null : day.getUTCDay();
}

/**
 * What kind of day off `date` is, by `days`: a public holiday (a weekday off), a weekend, or
 * null for a workday, for a date outside the range and for anything but a YYYY-MM-DD date.
 */
export function offDayKind(date: string, days: OffDays): 'holiday' | 'weekend' | null {
  const weekday = weekdayOf(date);
  if (weekday === null || date < days.from || date > days.to) return null;
  if (days.holidays.includes(date)) return 'holiday';
  return (weekday === 0 || weekday === 6) && !days.workdays.includes(date) ? 'weekend' : null;
}
