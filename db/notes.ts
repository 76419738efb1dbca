import { and, desc, eq, gte, isNull, ne, or, sql } from 'drizzle-orm';
import { assertCanReadCase } from './access';
import { getDb } from './client';
import { recordEvent } from './events';
import { once } from './idempotency';
import { prepared } from './prepared';
import { caseEvents, cases, lenders, users } from './schema';
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

/** How far back the borrower's home (and the daily mail, db/mailer.ts) looks for advisors' notes, in days. */
export const ADVISOR_NOTES_DAYS = 14;

/** How many of those notes the home lists; it says when there are more (each case's timeline has them all). */
export const ADVISOR_NOTES_SHOWN = 3;

/** Where that look back starts, from `now`. */
export function advisorNotesSince(now: Date = new Date()): Date {
  return new Date(now.getTime() - ADVISOR_NOTES_DAYS * 24 * 60 * 60_000);
}

/** An advisor's note on one of the borrower's cases, as the borrower's home lists it and the daily digest mails it. */
export type AdvisorNote = {
  id: number;
  caseId: number;
  text: string;
  createdAt: Date;
  /** Null once the advisor's account is deleted. */
  advisorName: string | null;
  lenderName: string;
  caseAccountRef: string | null;
  caseProduct: string | null;
};

/**
 * The notes advisors left on the viewer's own cases (not archived ones) since `since` (by default,
 * the last ADVISOR_NOTES_DAYS days), newest first: on the borrower's home, so that what an advisor
 * wrote is read without opening every case. Anyone's note but the owner's is an advisor's (only
 * the owner and an advisor with an active share may add one; a deleted advisor's note keeps no
 * author). The owner's cases only: an advisor, or anyone with none, gets an empty list.
 */
export function listRecentAdvisorNotes(viewer: Viewer, since = advisorNotesSince(), limit = ADVISOR_NOTES_SHOWN): AdvisorNote[] {
  const rows = prepared(getDb(), 'notes.recentAdvisor', (db) =>
    db
      .select({
        id: caseEvents.id,
        caseId: caseEvents.caseId,
        text: sql<string | null>`json_extract(${caseEvents.data}, '$.text')`,
        createdAt: caseEvents.createdAt,
        advisorName: users.displayName,
        lenderName: lenders.name,
        caseAccountRef: cases.accountRef,
        caseProduct: cases.product,
      })
      .from(cases)
      .innerJoin(caseEvents, eq(caseEvents.caseId, cases.id))
      .innerJoin(lenders, eq(lenders.id, cases.lenderId))
      .leftJoin(users, eq(users.id, caseEvents.actorId))
      .where(
        and(
          eq(cases.ownerId, sql.placeholder('viewerId')),
          eq(cases.archived, false),
          eq(caseEvents.kind, 'note'),
          or(isNull(caseEvents.actorId), ne(caseEvents.actorId, cases.ownerId)),
          gte(caseEvents.createdAt, sql.placeholder('since')),
        ),
      )
      .orderBy(desc(caseEvents.createdAt), desc(caseEvents.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  ).all({ viewerId: viewer.id, since: since.getTime(), limit });
  return rows.map((r) => ({ ...r, text: r.text ?? '', caseAccountRef: r.caseAccountRef || null, caseProduct: r.caseProduct || null }));
}
