import { borrowerTotals, listCasesForBorrower } from '@/db/cases';
import { ADVISOR_NOTES_SHOWN, listRecentAdvisorNotes } from '@/db/notes';
import { listInstalmentsForMonth } from '@/db/plans';
import { countDueReminders, listOpenReminders } from '@/db/reminders';
import type { Viewer } from '@/db/viewer-type';
import type { HomeModel } from './_components/home-view';

/** How many due reminders the home page lists before sending the borrower to the inbox. */
const DUE_SHOWN = 5;

/**
 * What a borrower's home shows for a month: the page reads it here, and so does the benchmark's
 * snapshot of it (scripts/bench/snapshot.ts).
 */
export function loadHome(viewer: Viewer, month: string, today: string): HomeModel {
  const cases = listCasesForBorrower(viewer);
  const everRecorded = cases.length > 0 || listCasesForBorrower(viewer, { archived: true }).length > 0;
  const dueCount = countDueReminders(viewer, today);
  // Open reminders come soonest first, so the due ones (shown on or before today) lead.
  const due = dueCount > 0 ? listOpenReminders(viewer, { limit: DUE_SHOWN }).filter((r) => r.showOn <= today) : [];
  // One more than is shown: whether there are more, without counting them.
  const notes = everRecorded ? listRecentAdvisorNotes(viewer, undefined, ADVISOR_NOTES_SHOWN + 1) : [];
  return {
    displayName: viewer.displayName,
    today,
    month,
    dueCount,
    due,
    recorded: everRecorded
      ? {
          cases,
          totals: borrowerTotals(viewer),
          instalments: listInstalmentsForMonth(viewer, month),
          advisorNotes: notes.slice(0, ADVISOR_NOTES_SHOWN),
          moreAdvisorNotes: notes.length > ADVISOR_NOTES_SHOWN,
        }
      : null,
  };
}
