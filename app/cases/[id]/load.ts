import { getCaseDetail } from '@/db/cases';
import { suggestChecklist } from '@/db/documents';
import { countDueReminders, listCaseReminders } from '@/db/reminders';
import type { Viewer } from '@/db/viewer-type';
import type { CaseModel } from './_components/case-screen';

/**
 * What the case page shows the viewer: the page reads it here, and so does the benchmark's
 * snapshot of it (scripts/bench/snapshot.ts). NotFoundError when the viewer may not read the case.
 */
export function loadCase(viewer: Viewer, id: number, today: string): CaseModel {
  const detail = getCaseDetail(viewer, id);
  // Suggestions help the owner while the case is open; a closed case needs no more paperwork.
  const suggested = detail.access.isOwner && detail.case.status !== 'closed' ? suggestChecklist(viewer, id) : [];
  return {
    id,
    viewerId: viewer.id,
    today,
    detail,
    suggested,
    reminders: listCaseReminders(viewer, id),
    dueCount: countDueReminders(viewer, today),
  };
}
