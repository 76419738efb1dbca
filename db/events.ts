import { asc, eq, sql } from 'drizzle-orm';
import { getDb, type DB } from './client';
import { prepared } from './prepared';
import { closeStaleReminder } from './reminders';
import { caseEvents, cases, users } from './schema';

type Tx = Pick<DB, 'insert' | 'update' | 'select'>;

/**
 * The timeline's statements, prepared once per connection (issue 6: every write records an event,
 * every case page reads the timeline). They run on the process's one connection, which is the
 * caller's transaction's (see db/access.ts).
 */
function statements(db: DB) {
  return prepared(db, 'events', (d) => ({
    insert: d
      .insert(caseEvents)
      .values({ caseId: sql.placeholder('caseId'), actorId: sql.placeholder('actorId'), kind: sql.placeholder('kind'), data: sql.placeholder('data') })
      .returning({ id: caseEvents.id })
      .prepare(),
    // `now` in epoch ms, the column's storage (a placeholder in SET is bound as given).
    touchCase: d.update(cases).set({ updatedAt: sql`${sql.placeholder('now')}` }).where(eq(cases.id, sql.placeholder('caseId'))).prepare(),
    list: d
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
      .where(eq(caseEvents.caseId, sql.placeholder('caseId')))
      .orderBy(asc(caseEvents.createdAt), asc(caseEvents.id))
      .prepare(),
  }));
}

/**
 * What a correction or an edit changed, for its event: each field of `after` whose value differs
 * from `before`, as [before, after] (the timeline shows "field: from → to").
 */
export function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[] = Object.keys(after) as (keyof T & string)[]): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const field of fields) if (before[field] !== after[field]) changes[field] = [before[field], after[field]];
  return changes;
}

/**
 * Appends to a case's timeline. Called inside the transaction of the change it records.
 * Activity answers the "no activity for 14 days" reminder, and restarts its clock: the sweep
 * counts quiet days from the case's updatedAt (and keys the reminder by that date), so an event
 * that closed the reminder without moving updatedAt would silence the case for good. An event
 * that is not the negotiation's progress (an advisor's note) passes `activity: false`: it goes on
 * the timeline and leaves the case's quiet days, and its reminder, as they were.
 */
export function recordEvent(
  tx: Tx,
  caseId: number,
  actorId: number | null,
  kind: string,
  data: Record<string, unknown> = {},
  { activity = true }: { activity?: boolean } = {},
): number {
  const s = statements(getDb());
  const { id } = s.insert.get({ caseId, actorId, kind, data })!;
  if (activity) {
    s.touchCase.run({ caseId, now: Date.now() });
    closeStaleReminder(tx, caseId);
  }
  return id;
}

/** The timeline, oldest first. Unscoped: callers pass a case id they have already authorised. */
export function unsafeListEvents(_db: Pick<DB, 'select'>, caseId: number) {
  return statements(getDb()).list.all({ caseId });
}
