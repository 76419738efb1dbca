import { assertCanReadCase } from './access';
import { getDb } from './client';
import { recordEvent } from './events';
import { once } from './idempotency';
import { logAdvisorAccess } from './shares';
import type { Viewer } from './viewer-type';

/**
 * A note on a case's timeline, by the borrower or by an advisor with an active share (marked as
 * the advisor's, and seen by the borrower). A note changes none of the case's facts. The
 * borrower's note is activity on the case; an advisor's is not: it does not answer the
 * borrower's "no activity for 14 days" reminder, nor take the case off the advisor's list of
 * quiet cases (db/events.ts).
 */
export function addCaseNote(viewer: Viewer, caseId: number, text: string, formKey?: string): number {
  return getDb().transaction((tx) => {
    const c = assertCanReadCase(tx, viewer, caseId);
    return once(tx, viewer, formKey, () => {
      if (c.ownerId !== viewer.id) logAdvisorAccess(tx, viewer.id, c.ownerId, 'add_note', caseId);
      return recordEvent(tx, caseId, viewer.id, 'note', { text }, { activity: c.ownerId === viewer.id });
    }).id;
  });
}
