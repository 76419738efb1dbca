import { addDaysIso } from '@/lib/dates';

export const REMINDER_GROUPS = ['overdue', 'today', 'upcoming', 'later'] as const;
export type ReminderGroup = (typeof REMINDER_GROUPS)[number];

/** Where an open reminder sits in the inbox, by the date it shows again (its due or snooze date). */
export function reminderGroup(showOn: string, today: string): ReminderGroup {
  if (showOn < today) return 'overdue';
  if (showOn === today) return 'today';
  if (showOn <= addDaysIso(today, 30)) return 'upcoming';
  return 'later';
}
