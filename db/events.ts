import { asc, eq } from 'drizzle-orm';
import type { DB } from './client';
import { closeStaleReminder } from './reminders';
import { caseEvents, cases, users } from './schema';

type Tx = Pick<DB, 'insert' | 'update' | 'select'>;

/**
 * Appends to a case's timeline. Called inside the transaction of the change it records.
 * Any activity answers the "no activity for 14 days" reminder, and restarts its clock: the
 * sweep counts quiet days from the case's updatedAt (and keys the reminder by that date), so an
 * event that closed the reminder without moving updatedAt would silence the case for good.
 */
export function recordEvent(tx: Tx, caseId: number, actorId: number | null, kind: string, data: Record<string, unknown> = {}): number {
  const { id } = tx.insert(caseEvents).values({ caseId, actorId, kind, data }).returning({ id: caseEvents.id }).get();
  tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, caseId)).run();
  closeStaleReminder(tx, caseId);
  return id;
}

/** The timeline, oldest first. Unscoped: callers pass a case id they have already authorised. */
export function unsafeListEvents(db: Pick<DB, 'select'>, caseId: number) {
  return db
    .select({
      id: caseEvents.id,
      kind: caseEvents.kind,
      data: caseEvents.data,
      createdAt: caseEvents.createdAt,
      actorId: caseEvents.actorId,
      actorName: users.displayName,
      actorRole: users.role,
    })
    .from(caseEvents)
    .leftJoin(users, eq(users.id, caseEvents.actorId))
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.createdAt), asc(caseEvents.id))
    .all();
}
