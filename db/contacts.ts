import { and, eq, gt, isNotNull, lte, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { ConflictError, DomainError, NotFoundError } from '@/lib/errors';
import { todayInShanghai } from '@/lib/dates';
import { outcomeBeforeContact } from '@/lib/record-order';
import { onPromise, promiseChaseDate } from '@/lib/reminder-rules';
import type { ContactInput, PromiseOutcomeFormInput } from '@/lib/validation';
import { addWorkdays } from '@/lib/workdays';
import { assertCanWriteCase } from './access';
import { bumpVersion } from './cases';
import { getDb, type DB } from './client';
import { changedFields, recordEvent } from './events';
import { once } from './idempotency';
import { prepared } from './prepared';
import { applyReminderChange, moveOpenRuleReminder, reopenRuleReminders } from './reminders';
import { attempts, contacts, lenders, reminders, type Contact } from './schema';
import type { Viewer } from './viewer-type';

/** The contact form's statements (issue 6: the write the benchmark measures), prepared once per connection. */
function statements(db: DB) {
  return prepared(db, 'contacts', (d) => ({
    insert: d
      .insert(contacts)
      .values({
        caseId: sql.placeholder('caseId'),
        channel: sql.placeholder('channel'),
        direction: sql.placeholder('direction'),
        occurredAt: sql.placeholder('occurredAt'),
        agentId: sql.placeholder('agentId'),
        theirNumber: sql.placeholder('theirNumber'),
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
        direction: input.direction ?? null,
        occurredAt: input.occurredAt,
        agentId: input.agentId ?? '',
        theirNumber: input.theirNumber ?? '',
        summary: input.summary,
        promise: input.promise || null,
        promiseDue,
        createdBy: viewer.id,
      })!;
      recordEvent(tx, caseId, viewer.id, 'contact_added', {
        channel: input.channel,
        direction: input.direction,
        agentId: input.agentId || undefined,
        theirNumber: input.theirNumber || undefined,
        promiseDue: promiseDue ?? undefined,
      });
      // A promise made during a review the lender has since decided (a call recorded late) was answered by
      // the decision, as onDecided has it for those recorded in time: nothing to chase, and not a next date.
      if (chaseOn && input.promise && !s.decidedReview.get({ caseId, day: todayInShanghai(input.occurredAt) })) {
        const lender = s.lenderName.get({ lenderId: c.lenderId })!.name;
        applyReminderChange(tx, c.ownerId, caseId, onPromise({ contactId: row.id, dueOn: chaseOn, promise: input.promise, lender, byWorkdays: !input.promiseDue && Boolean(input.promiseWorkdays) }));
      }
      return row.id;
    }).id;
  });
}

/**
 * What a contact's delete button was drawn with: everything the page shows of the contact, as a short
 * digest sent back with the form (the case's version would refuse a delete after any other change).
 */
export function contactStamp(c: Pick<Contact, 'channel' | 'direction' | 'occurredAt' | 'agentId' | 'theirNumber' | 'summary' | 'promise' | 'promiseDue' | 'promiseOutcome' | 'promiseOutcomeOn'>): string {
  const fields = [c.channel, c.direction, c.occurredAt.getTime(), c.agentId, c.theirNumber, c.summary, c.promise, c.promiseDue, c.promiseOutcome, c.promiseOutcomeOn];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 22);
}

/**
 * Deletes a contact, and closes its promise's chase; the timeline names what went (its channel, its
 * time, its promise in short). `stamp` is contactStamp of the contact the page
 * showed: corrected since (another tab, another device: a promise added, its outcome recorded), the
 * delete is refused (contact_changed) and nothing changes, so that nobody deletes what they have not
 * seen; the form then carries the new stamp, and sent again, it deletes. Left out, not checked.
 */
export function deleteContact(viewer: Viewer, caseId: number, contactId: number, stamp?: string): void {
  getDb().transaction((tx) => {
    const c = assertCanWriteCase(tx, viewer, caseId);
    const contact = caseContact(tx, caseId, contactId);
    if (stamp !== undefined && contactStamp(contact) !== stamp) throw new DomainError('contact_changed', { hidden: { stamp: contactStamp(contact) } });
    tx.delete(contacts).where(eq(contacts.id, contactId)).run();
    // What went, for the timeline to name it (as a deleted document is named by its file): the way, the time, the promise cut short.
    recordEvent(tx, caseId, viewer.id, 'contact_deleted', {
      channel: contact.channel,
      occurredAt: contact.occurredAt.getTime(),
      promise: contact.promise ? shortPromise(contact.promise) : undefined,
    });
    applyReminderChange(tx, c.ownerId, caseId, { open: [], close: [`promise:${contactId}`] });
  });
}

/** How much of a deleted contact's promise its timeline event keeps. */
const PROMISE_KEPT = 60;
const shortPromise = (promise: string) => (promise.length > PROMISE_KEPT ? `${promise.slice(0, PROMISE_KEPT)}…` : promise);

/** A contact of the case (the caller has checked it may write to the case); another case's, or none: "not found". */
function caseContact(tx: Pick<DB, 'select'>, caseId: number, contactId: number) {
  const contact = tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, contactId), eq(contacts.caseId, caseId)))
    .get();
  if (!contact) throw new NotFoundError();
  return contact;
}

/** The chase of a contact's promise (its rule key `promise:<contact id>`), open or closed, if it was ever made. */
function promiseChase(tx: Pick<DB, 'select'>, ownerId: number, ruleKey: string) {
  return tx
    .select({ dueOn: reminders.dueOn, status: reminders.status, autoClosed: reminders.autoClosed, data: reminders.data })
    .from(reminders)
    .where(and(eq(reminders.ownerId, ownerId), eq(reminders.ruleKey, ruleKey)))
    .get();
}

/**
 * Corrects what was recorded of a call, chat or visit: the channel, who reached out (left as it was
 * when the form does not say: a contact recorded before it was asked), when it was, the agent, their
 * number, what was said, the lender's promise and its date. The promise's chase follows, as if the contact had been
 * recorded that way: it opens for a promise added, moves with a promised date corrected (a date left
 * as it was keeps its chase where it is, so one kept as "within 3 workdays" is not moved by saving
 * again), and closes for a promise taken out or one the lender's decision has since answered. A chase
 * closed by a rule comes back only when the promise or its day changed; one the person closed
 * themselves stays closed. Whether the lender kept the promise (recordPromiseOutcome) answers it while
 * the contact has a promise, its wording or day corrected or not: its chase stays closed. A promise
 * taken out loses that outcome: one put in later is awaited, and chased, again. The timeline says what
 * changed. Guarded by the case's version.
 */
export function correctContact(viewer: Viewer, caseId: number, version: number, contactId: number, input: ContactInput): void {
  const db = getDb();
  const s = statements(db);
  db.transaction((tx) => {
    const c = assertCanWriteCase(tx, viewer, caseId);
    if (c.version !== version) throw new ConflictError();
    const contact = caseContact(tx, caseId, contactId);
    // The form shows the time to the minute: the same minute is the time recorded, seconds and all.
    const occurredAt = Math.floor(input.occurredAt.getTime() / 60_000) === Math.floor(contact.occurredAt.getTime() / 60_000) ? contact.occurredAt : input.occurredAt;
    const contactOn = todayInShanghai(occurredAt);
    // The form shows the promised date as recorded; workdays typed beside it count again, in its place.
    const typedDue = input.promiseWorkdays ? null : input.promiseDue;
    const promiseDue = typedDue ?? (input.promiseWorkdays ? addWorkdays(contactOn, input.promiseWorkdays) : null);
    const after = {
      channel: input.channel,
      direction: input.direction ?? contact.direction,
      occurredAt: occurredAt.getTime(),
      agentId: input.agentId ?? '',
      theirNumber: input.theirNumber ?? '',
      summary: input.summary,
      promise: input.promise || null,
      promiseDue,
    };
    const before = {
      channel: contact.channel,
      direction: contact.direction,
      occurredAt: contact.occurredAt.getTime(),
      agentId: contact.agentId,
      theirNumber: contact.theirNumber,
      summary: contact.summary,
      promise: contact.promise,
      promiseDue: contact.promiseDue,
    };
    const changes = changedFields<Record<string, unknown>>(before, after);
    if (Object.keys(changes).length === 0) throw new DomainError('correction_unchanged');
    // Whether the lender kept the promise answers that promise: it stays while there is a promise (its
    // wording or its day corrected: a typo fixed must not lose a broken promise's evidence; a promise
    // truly replaced is set back to awaited by hand), and goes with the promise taken out.
    const outcomeCleared = contact.promiseOutcome !== null && after.promise === null;
    const outcome = outcomeCleared ? null : contact.promiseOutcome;
    tx.update(contacts)
      .set({ ...after, occurredAt, ...(outcomeCleared ? { promiseOutcome: null, promiseOutcomeOn: null } : {}) })
      .where(eq(contacts.id, contactId))
      .run();

    const ruleKey = `promise:${contactId}`;
    const answered = s.decidedReview.get({ caseId, day: contactOn });
    if (!after.promise || !promiseDue || answered) {
      applyReminderChange(tx, c.ownerId, caseId, { open: [], close: [ruleKey] });
    } else {
      const chase = promiseChase(tx, c.ownerId, ruleKey);
      const dateChanged = 'promiseDue' in changes || Boolean(input.promiseWorkdays);
      const dueOn = chase && !dateChanged ? chase.dueOn : promiseChaseDate(contactOn, typedDue, input.promiseWorkdays)!;
      const lender = s.lenderName.get({ lenderId: c.lenderId })!.name;
      // Counted in workdays: typed again now, or kept from when it was recorded so.
      const byWorkdays = Boolean(input.promiseWorkdays) || (chase !== undefined && !dateChanged && chase.data.byWorkdays === 1);
      const [spec] = onPromise({ contactId, dueOn, promise: after.promise, lender, byWorkdays }).open;
      if (outcome !== null) {
        // Answered by its outcome: nothing to chase. Its chase stays closed, on the corrected day (made
        // closed, where it had none), so that the outcome set back to awaited opens it where it belongs.
        if (!chase) applyReminderChange(tx, c.ownerId, caseId, { open: [spec!], close: [] });
        else moveOpenRuleReminder(tx, c.ownerId, spec!, true);
        applyReminderChange(tx, c.ownerId, caseId, { open: [], close: [ruleKey] });
      } else if (!chase) applyReminderChange(tx, c.ownerId, caseId, { open: [spec!], close: [] });
      else if (chase.status === 'open') moveOpenRuleReminder(tx, c.ownerId, spec!);
      // Closed by a rule (a decision, the case closing, the promise taken out before, its outcome recorded): back only when the promise or its day changed.
      else if (chase.autoClosed && (dateChanged || 'promise' in changes || 'occurredAt' in changes)) reopenRuleReminders(tx, c.ownerId, caseId, [spec!]);
    }
    recordEvent(tx, caseId, viewer.id, 'contact_corrected', {
      channel: after.channel,
      changes,
      // The outcome the promise taken out had (kept, broken): no longer recorded on the contact.
      outcomeCleared: outcomeCleared ? { outcome: contact.promiseOutcome, on: contact.promiseOutcomeOn } : undefined,
    });
    bumpVersion(tx, c);
  });
}


/**
 * Records whether the lender kept a promise made in a contact ("3个工作日内回电"): kept, or broken (the
 * day it was found broken), for the person's own record and a complaint's evidence. Either answers
 * the promise: its chase closes. The same outcome on another day corrects its day. Set back to
 * awaited (recorded by mistake), the chase opens again on
 * its day if the outcome is what closed it (one the person closed, or a decision answered, stays
 * closed). Not on a contact without a promise, not dated before the contact nor after today. The
 * timeline says each. Guarded by the case's version.
 */
export function recordPromiseOutcome(viewer: Viewer, caseId: number, version: number, contactId: number, input: PromiseOutcomeFormInput): void {
  const db = getDb();
  const s = statements(db);
  db.transaction((tx) => {
    const c = assertCanWriteCase(tx, viewer, caseId);
    if (c.version !== version) throw new ConflictError();
    const contact = caseContact(tx, caseId, contactId);
    if (!contact.promise) throw new DomainError('promise_none');
    const outcome = input.outcome === 'awaited' ? null : input.outcome;
    // The same outcome on another day is a correction (a broken promise's day is a complaint's evidence).
    if (outcome === contact.promiseOutcome && (outcome === null || input.on === contact.promiseOutcomeOn)) throw new DomainError('correction_unchanged');
    const contactOn = todayInShanghai(contact.occurredAt);
    if (outcome !== null) {
      if (input.on === null) throw new DomainError('required', { field: 'on' });
      const early = outcomeBeforeContact(input.on, contact.occurredAt);
      if (early) throw early;
      if (input.on > todayInShanghai()) throw new DomainError('date_future', { field: 'on' });
    }
    tx.update(contacts)
      .set({ promiseOutcome: outcome, promiseOutcomeOn: outcome === null ? null : input.on })
      .where(eq(contacts.id, contactId))
      .run();
    const ruleKey = `promise:${contactId}`;
    if (outcome !== null) {
      applyReminderChange(tx, c.ownerId, caseId, { open: [], close: [ruleKey] });
    } else {
      const chase = promiseChase(tx, c.ownerId, ruleKey);
      const answered = s.decidedReview.get({ caseId, day: contactOn });
      if (chase && chase.status !== 'open' && chase.autoClosed && !answered && c.status !== 'closed') {
        const lender = s.lenderName.get({ lenderId: c.lenderId })!.name;
        const [spec] = onPromise({ contactId, dueOn: chase.dueOn, promise: contact.promise, lender, byWorkdays: chase.data.byWorkdays === 1 }).open;
        reopenRuleReminders(tx, c.ownerId, caseId, [spec!]);
      }
    }
    recordEvent(tx, caseId, viewer.id, 'promise_outcome', {
      outcome: outcome ?? 'awaited',
      on: outcome === null ? undefined : (input.on ?? undefined),
      // The day the same outcome had before (its day corrected).
      fromOn: outcome !== null && outcome === contact.promiseOutcome ? (contact.promiseOutcomeOn ?? undefined) : undefined,
      promise: contact.promise,
      contactOn,
    });
    bumpVersion(tx, c);
  });
}
