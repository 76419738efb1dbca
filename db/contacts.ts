import { and, eq, gt, isNotNull, lte, sql } from 'drizzle-orm';
import { NotFoundError } from '@/lib/errors';
import { todayInShanghai } from '@/lib/dates';
import { onPromise, promiseChaseDate } from '@/lib/reminder-rules';
import type { ContactInput } from '@/lib/validation';
import { addWorkdays } from '@/lib/workdays';
import { assertCanWriteCase } from './access';
import { getDb, type DB } from './client';
import { recordEvent } from './events';
import { once } from './idempotency';
import { prepared } from './prepared';
import { applyReminderChange } from './reminders';
import { attempts, contacts, lenders } from './schema';
import type { Viewer } from './viewer-type';

/** The contact form's statements (issue 6: the write the benchmark measures), prepared once per connection. */
function statements(db: DB) {
  return prepared(db, 'contacts', (d) => ({
    insert: d
      .insert(contacts)
      .values({
        caseId: sql.placeholder('caseId'),
        channel: sql.placeholder('channel'),
        occurredAt: sql.placeholder('occurredAt'),
        agentId: sql.placeholder('agentId'),
        summary: sql.placeholder('summary'),
        promise: sql.placeholder('promise'),
        promiseDue: sql.placeholder('promiseDue'),
        createdBy: sql.placeholder('createdBy'),
      })
      .returning({ id: contacts.id })
      .prepare(),
    lenderName: d.select({ name: lenders.name }).from(lenders).where(eq(lenders.id, sql.placeholder('lenderId'))).prepare(),
    // A decided review the contact's day falls in (from the day it went in to the day before the decision).
    decidedReview: d
      .select({ id: attempts.id })
      .from(attempts)
      .where(
        and(
          eq(attempts.caseId, sql.placeholder('caseId')),
          isNotNull(attempts.decision),
          lte(attempts.submittedOn, sql.placeholder('day')),
          gt(attempts.decidedOn, sql.placeholder('day')),
        ),
      )
      .limit(1)
      .prepare(),
  }));
}

/** Logs a call, chat or visit, with any promise the lender made. */
export function addContact(viewer: Viewer, caseId: number, input: ContactInput, formKey?: string): number {
  const db = getDb();
  const s = statements(db);
  return db.transaction((tx) => {
    const c = assertCanWriteCase(tx, viewer, caseId);
    // Only "within N workdays" needs the contact's own date (its time-zone formatting costs ≈ 35 µs).
    const contactOn = input.promiseWorkdays ? todayInShanghai(input.occurredAt) : '';
    // "Within N workdays" is kept as the date it comes to; the chase is the workday after.
    const promiseDue = input.promiseDue ?? (input.promiseWorkdays ? addWorkdays(contactOn, input.promiseWorkdays) : null);
    const chaseOn = promiseChaseDate(contactOn, input.promiseDue, input.promiseWorkdays);
    return once(tx, viewer, formKey, () => {
      const row = s.insert.get({
        caseId,
        channel: input.channel,
        occurredAt: input.occurredAt,
        agentId: input.agentId ?? '',
        summary: input.summary,
        promise: input.promise || null,
        promiseDue,
        createdBy: viewer.id,
      })!;
      recordEvent(tx, caseId, viewer.id, 'contact_added', {
        channel: input.channel,
        agentId: input.agentId || undefined,
        promiseDue: promiseDue ?? undefined,
      });
      // A promise made during a review the lender has since decided (a call recorded late) was answered by
      // the decision, as onDecided has it for those recorded in time: nothing to chase, and not a next date.
      if (chaseOn && input.promise && !s.decidedReview.get({ caseId, day: todayInShanghai(input.occurredAt) })) {
        const lender = s.lenderName.get({ lenderId: c.lenderId })!.name;
        applyReminderChange(tx, c.ownerId, caseId, onPromise({ contactId: row.id, dueOn: chaseOn, promise: input.promise, lender }));
      }
      return row.id;
    }).id;
  });
}

export function deleteContact(viewer: Viewer, caseId: number, contactId: number): void {
  getDb().transaction((tx) => {
    const c = assertCanWriteCase(tx, viewer, caseId);
    const res = tx
      .delete(contacts)
      .where(and(eq(contacts.id, contactId), eq(contacts.caseId, caseId)))
      .run();
    if (res.changes !== 1) throw new NotFoundError();
    recordEvent(tx, caseId, viewer.id, 'contact_deleted', {});
    applyReminderChange(tx, c.ownerId, caseId, { open: [], close: [`promise:${contactId}`] });
  });
}
