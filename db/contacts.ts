import { and, eq } from 'drizzle-orm';
import { NotFoundError } from '@/lib/errors';
import type { ContactInput } from '@/lib/validation';
import { assertCanWriteCase } from './access';
import { getDb } from './client';
import { recordEvent } from './events';
import { once } from './idempotency';
import { cases, contacts } from './schema';
import type { Viewer } from './viewer-type';

/** Logs a call, chat or visit, with any promise the lender made. */
export function addContact(viewer: Viewer, caseId: number, input: ContactInput, formKey?: string): number {
  return getDb().transaction((tx) => {
    assertCanWriteCase(tx, viewer, caseId);
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
          promiseDue: input.promiseDue,
          createdBy: viewer.id,
        })
        .returning({ id: contacts.id })
        .get();
      tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, caseId)).run();
      recordEvent(tx, caseId, viewer.id, 'contact_added', {
        channel: input.channel,
        agentId: input.agentId || undefined,
        promiseDue: input.promiseDue ?? undefined,
      });
      return row.id;
    }).id;
  });
}

export function deleteContact(viewer: Viewer, caseId: number, contactId: number): void {
  getDb().transaction((tx) => {
    assertCanWriteCase(tx, viewer, caseId);
    const res = tx
      .delete(contacts)
      .where(and(eq(contacts.id, contactId), eq(contacts.caseId, caseId)))
      .run();
    if (res.changes !== 1) throw new NotFoundError();
    recordEvent(tx, caseId, viewer.id, 'contact_deleted', {});
  });
}
