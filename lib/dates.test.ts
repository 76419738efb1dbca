import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import {
  addDaysIso,
  addMonthsIso,
  daysBetween,
  formatDate,
  formatMonth,
  formatWeekday,
  isIsoDate,
  parseShanghaiLocal,
  todayInShanghai,
  TIME_ZONE,
  toShanghaiLocalInput,
} from './dates';

describe('calendar dates', () => {
  it('knows real dates from impossible ones', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it("takes today's date in Shanghai, not UTC", () => {
    // 2025-10-08 17:30 UTC is already 9 October in Shanghai.
    expect(todayInShanghai(new Date('2025-10-08T17:30:00Z'))).toBe('2025-10-09');
    expect(todayInShanghai(new Date('2025-10-08T15:59:00Z'))).toBe('2025-10-08');
    // The same day as date-fns' time-zone date gives, across midnights, years and 1990's summer time.
    for (let ms = Date.UTC(1988, 0, 1); ms < Date.UTC(2032, 0, 1); ms += 7 * 3_600_000 + 13 * 60_000 + 1_009) {
      const now = new Date(ms);
      const expected = format(new TZDate(now, TIME_ZONE), 'yyyy-MM-dd');
      if (todayInShanghai(now) !== expected) expect(`${now.toISOString()} → ${todayInShanghai(now)}`).toBe(expected);
    }
  });

  it('adds days and months on the calendar', () => {
    expect(addDaysIso('2025-12-30', 3)).toBe('2026-01-02');
    expect(addDaysIso('2024-02-28', 1)).toBe('2024-02-29');
    expect(addMonthsIso('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsIso('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsIso('2025-11-15', 3)).toBe('2026-02-15');
    expect(daysBetween('2025-09-28', '2025-10-09')).toBe(11);
    expect(daysBetween('2025-10-09', '2025-09-28')).toBe(-11);
  });

  it('reads a datetime-local value as Shanghai wall-clock time', () => {
    const d = parseShanghaiLocal('2025-10-09T14:30');
    expect(d?.toISOString()).toBe('2025-10-09T06:30:00.000Z');
    expect(toShanghaiLocalInput(d!)).toBe('2025-10-09T14:30');
    expect(parseShanghaiLocal('2025-10-09T25:00')).toBeNull();
    expect(parseShanghaiLocal('2025-02-30T10:00')).toBeNull();
    expect(parseShanghaiLocal('yesterday')).toBeNull();
  });

  it('formats a date for each language', () => {
    expect(formatDate('2025-10-09', 'zh-CN')).toBe('2025年10月9日');
    expect(formatDate('2025-10-09', 'en')).toMatch(/Oct 9, 2025|9 Oct 2025/);
  });

  it('formats a weekday and a month for each language, whatever the server’s time zone', () => {
    expect(formatWeekday('2025-10-09', 'zh-CN')).toBe('星期四');
    expect(formatWeekday('2025-10-09', 'en')).toBe('Thursday');
    expect(formatWeekday('2024-01-01', 'zh-CN', 'short')).toBe('周一');
    expect(formatWeekday('2024-01-07', 'en', 'short')).toBe('Sun');
    expect(formatMonth('2025-10', 'zh-CN')).toBe('2025年10月');
    expect(formatMonth('2025-10', 'en')).toBe('October 2025');
  });
});
