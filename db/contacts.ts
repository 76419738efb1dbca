import { and, eq } from 'drizzle-orm';
import { NotFoundError } from '@/lib/errors';
import { todayInShanghai } from '@/lib/dates';
import { onPromise, promiseChaseDate } from '@/lib/reminder-rules';
import type { ContactInput } from '@/lib/validation';
import { addWorkdays } from '@/lib/workdays';
import { assertCanWriteCase } from './access';
import { getDb } from './client';
import { recordEvent } from './events';
import { once } from './idempotency';
import { applyReminderChange } from './reminders';
import { contacts, lenders } from './schema';
import type { Viewer } from './viewer-type';

/** Logs a call, chat or visit, with any promise the lender made. */
export function addContact(viewer: Viewer, caseId: number, input: ContactInput, formKey?: string): number {
  return getDb().transaction((tx) => {
    const c = assertCanWriteCase(tx, viewer, caseId);
    const contactOn = todayInShanghai(input.occurredAt);
    // "Within N workdays" is kept as the date it comes to; the chase is the workday after.
    const promiseDue = input.promiseDue ?? (input.promiseWorkdays ? addWorkdays(contactOn, input.promiseWorkdays) : null);
    const chaseOn = promiseChaseDate(contactOn, input.promiseDue, input.promiseWorkdays);
    return once(tx, viewer, formKey, () => {
      const row = tx
        .insert(contacts)
        .values({
          caseId,
          channel: input.channel,
          occurredAt: input.occurredAt,
          agentId: input.agentId,
          summary: input.summary,
          promise: input.promise || null,
          promiseDue,
          createdBy: viewer.id,
        })
        .returning({ id: contacts.id })
        .get();
      recordEvent(tx, caseId, viewer.id, 'contact_added', {
        channel: input.channel,
        agentId: input.agentId || undefined,
        promiseDue: promiseDue ?? undefined,
      });
      if (chaseOn && input.promise) {
        const lender = tx.select({ name: lenders.name }).from(lenders).where(eq(lenders.id, c.lenderId)).get()!.name;
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
