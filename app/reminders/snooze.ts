import type { ActionState } from '@/components/form/state';
import { addDaysIso } from '@/lib/dates';
import { nextWorkday } from '@/lib/workdays';

export const SNOOZE_PRESETS = ['tomorrow', 'next_workday', 'plus3'] as const;
export type SnoozePreset = (typeof SNOOZE_PRESETS)[number];

/** The dates the quick snooze buttons stand for, counted from today (Shanghai). */
export function snoozePresetDates(today: string): Record<SnoozePreset, string> {
  return { tomorrow: addDaysIso(today, 1), next_workday: nextWorkday(today), plus3: addDaysIso(today, 3) };
}

/**
 * The answer the quick snooze buttons show. A date the server refuses (past a deadline, before the
 * due date: the buttons of a page drawn on another day) is said at the `until` field, which their
 * form does not have — it would say "check the marked fields" with nothing marked. So the refusal is
 * the form's message instead (`refused` words it), said where the buttons are, and the focus goes
 * to it. Any other answer (saved, or a refusal with no field) as it is.
 */
export function presetSnoozeAnswer(state: ActionState, refused: (reason: string) => string): ActionState {
  const reason = state.status === 'error' ? state.fieldErrors?.until : undefined;
  if (!reason) return state;
  const fieldErrors = { ...state.fieldErrors };
  delete fieldErrors.until;
  return { ...state, message: refused(reason), fieldErrors: Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined };
}
