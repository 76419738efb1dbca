import { addDaysIso } from '@/lib/dates';
import { nextWorkday } from '@/lib/workdays';

export const SNOOZE_PRESETS = ['tomorrow', 'next_workday', 'plus3'] as const;
export type SnoozePreset = (typeof SNOOZE_PRESETS)[number];

/** The dates the quick snooze buttons stand for, counted from today (Shanghai). */
export function snoozePresetDates(today: string): Record<SnoozePreset, string> {
  return { tomorrow: addDaysIso(today, 1), next_workday: nextWorkday(today), plus3: addDaysIso(today, 3) };
}
