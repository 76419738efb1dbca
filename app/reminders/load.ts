import { countDueReminders, listOpenReminders, type ReminderRow } from '@/db/reminders';
import type { Viewer } from '@/db/viewer-type';

/** What the reminder inbox shows: the page reads it here, and so does the benchmark's snapshot of it (scripts/bench/snapshot.ts). */
export function loadReminders(viewer: Viewer, today: string): { rows: ReminderRow[]; dueCount: number; today: string } {
  return { rows: listOpenReminders(viewer), dueCount: countDueReminders(viewer, today), today };
}
