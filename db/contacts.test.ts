import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addDaysIso, todayInShanghai } from '@/lib/dates';
import { ConflictError, DomainError, NotFoundError } from '@/lib/errors';
import { contactSchema } from '@/lib/validation';
import { advanceCase, contactInput, makeBorrower, makeCase, materialsInput, snapshotCases, submitInput, versionOf, approveInput } from '@/tests/factories';
import { approveAttempt, requestMaterials, submitAttempt } from './attempts';
import { getCaseDetail } from './cases';
import { getDb } from './client';
import { addContact, contactStamp, correctContact, deleteContact, recordPromiseOutcome } from './contacts';
import { setReminderStatus, snoozeReminder } from './reminders';
import { contacts, reminders } from './schema';
import type { Viewer } from './viewer-type';

/**
 * Correcting a contact: the record made right, the lender's promise chased as if it had been recorded
 * that way, the timeline saying what changed. 2025 facts: Qingming 4–6 April off; 1 April is a Tuesday.
 */

const chase = (owner: Viewer, contactId: number) =>
  getDb()
    .select()
    .from(reminders)
    .where(and(eq(reminders.ownerId, owner.id), eq(reminders.ruleKey, `promise:${contactId}`)))
    .get();
const contactRow = (contactId: number) => getDb().select().from(contacts).where(eq(contacts.id, contactId)).get()!;
const lastEvent = (owner: Viewer, caseId: number) => getCaseDetail(owner, caseId).events.at(-1)!;

describe('who reached out, and their number', () => {
  it('keeps both with the contact and on the timeline; a correction changes them and says so', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ direction: 'incoming', theirNumber: '021-6888 1234', promise: '', promiseDue: null }));
    expect(contactRow(contactId)).toMatchObject({ direction: 'incoming', theirNumber: '021-6888 1234' });
    expect(lastEvent(owner, caseId)).toMatchObject({ kind: 'contact_added', data: { direction: 'incoming', theirNumber: '021-6888 1234' } });

    const version = versionOf(caseId);
    correctContact(owner, caseId, version, contactId, contactInput({ direction: 'outgoing', theirNumber: '95555', promise: '', promiseDue: null }));
    expect(contactRow(contactId)).toMatchObject({ direction: 'outgoing', theirNumber: '95555' });
    expect(lastEvent(owner, caseId)).toMatchObject({
      kind: 'contact_corrected',
      data: { changes: { direction: ['incoming', 'outgoing'], theirNumber: ['021-6888 1234', '95555'] } },
    });
    expect(Object.keys(lastEvent(owner, caseId).data.changes as object).sort()).toEqual(['direction', 'theirNumber']);

    // A correction that does not say (a request without the field) leaves it as it was.
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ direction: undefined, theirNumber: '95555', summary: '回电', promise: '', promiseDue: null }));
    expect(contactRow(contactId)).toMatchObject({ direction: 'outgoing', summary: '回电' });
  });

  it('a contact recorded before the question was asked keeps "not said" through a correction that leaves it so', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '', promiseDue: null }));
    // As migration 0020 left the contacts it found.
    getDb().update(contacts).set({ direction: null }).where(eq(contacts.id, contactId)).run();
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ direction: undefined, summary: '客服说材料齐了', promise: '', promiseDue: null }));
    expect(contactRow(contactId)).toMatchObject({ direction: null, summary: '客服说材料齐了' });
    expect(Object.keys(lastEvent(owner, caseId).data.changes as object)).toEqual(['summary']);
    // Said now, it is kept.
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ direction: 'incoming', summary: '客服说材料齐了', promise: '', promiseDue: null }));
    expect(contactRow(contactId).direction).toBe('incoming');
    expect(lastEvent(owner, caseId).data.changes).toEqual({ direction: [null, 'incoming'] });
  });
});

describe('correctContact: what was recorded of a call, made right', () => {
  it('corrects every field, says what changed on the timeline, and moves the version', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '', promiseDue: null }));
    const version = versionOf(caseId);
    correctContact(
      owner,
      caseId,
      version,
      contactId,
      contactInput({ channel: 'chat', occurredAt: new Date('2025-04-01T06:00:00Z'), agentId: '', summary: '在线客服说材料齐了', promise: '', promiseDue: null }),
    );
    expect(versionOf(caseId)).toBe(version + 1);
    expect(contactRow(contactId)).toMatchObject({ channel: 'chat', agentId: '', summary: '在线客服说材料齐了', promise: null, promiseDue: null });
    expect(contactRow(contactId).occurredAt.toISOString()).toBe('2025-04-01T06:00:00.000Z');
    expect(lastEvent(owner, caseId)).toMatchObject({
      kind: 'contact_corrected',
      data: {
        channel: 'chat',
        changes: {
          channel: ['phone', 'chat'],
          occurredAt: [Date.parse('2025-04-02T02:30:00Z'), Date.parse('2025-04-01T06:00:00Z')],
          agentId: ['工号 8812', ''],
          summary: ['客服说三个工作日内回电', '在线客服说材料齐了'],
        },
      },
    });
    expect(chase(owner, contactId)).toBeUndefined();
  });

  it('keeps the recorded seconds when the form sends the same minute back, and refuses a correction that changes nothing', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ occurredAt: new Date('2025-04-02T02:30:41.500Z') }));
    const snapshot = snapshotCases([caseId]);
    // datetime-local has minutes: 10:30 in Shanghai.
    expect(() => correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ occurredAt: new Date('2025-04-02T02:30:00Z') }))).toThrow(
      'correction_unchanged',
    );
    expect(snapshotCases([caseId])).toEqual(snapshot);
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ occurredAt: new Date('2025-04-02T02:30:00Z'), summary: '补一句' }));
    expect(contactRow(contactId).occurredAt.toISOString()).toBe('2025-04-02T02:30:41.500Z');
    expect(Object.keys((lastEvent(owner, caseId).data as { changes: object }).changes)).toEqual(['summary']);
  });

  it('moves the chase with a corrected promised date, keeping a later snooze', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-07' });
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ promise: '4月10日前回电', promiseDue: '2025-04-10' }));
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-10', showOn: '2025-04-10', data: { promise: '4月10日前回电' } });

    snoozeReminder(owner, chase(owner, contactId)!.id, '2025-04-20');
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ promise: '4月10日前回电', promiseDue: '2025-04-09' }));
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-09', showOn: '2025-04-20' });
  });

  it('"within 3 workdays" saved again keeps its chase on the workday after; workdays typed again count from the corrected day', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    // Wednesday 2 April: 3, 7, 8 → promised by the 8th, chased on the 9th.
    const contactId = addContact(owner, caseId, contactInput({ promise: '三个工作日内回电', promiseDue: null, promiseWorkdays: 3 }));
    expect(contactRow(contactId).promiseDue).toBe('2025-04-08');
    // The form shows the date it came to; only the summary is corrected.
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ summary: '客服：三个工作日内回电', promise: '三个工作日内回电', promiseDue: '2025-04-08' }));
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-09' });
    // The call was on Monday 31 March after all; workdays typed again (beside the date shown) count from there: 1, 2, 3 April → chase on the 7th.
    correctContact(
      owner,
      caseId,
      versionOf(caseId),
      contactId,
      contactInput({ occurredAt: new Date('2025-03-31T02:30:00Z'), promise: '三个工作日内回电', promiseDue: '2025-04-08', promiseWorkdays: 3 }),
    );
    expect(contactRow(contactId).promiseDue).toBe('2025-04-03');
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-07' });
  });

  it('a call moved after the date "within 3 workdays" came to, with the workdays typed again, is saved as the form sends it', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    // Wednesday 2 April: promised by the 8th.
    const contactId = addContact(owner, caseId, contactInput({ promise: '三个工作日内回电', promiseDue: null, promiseWorkdays: 3 }));
    expect(contactRow(contactId).promiseDue).toBe('2025-04-08');
    // The call was on Thursday 10 April: the form shows the 8th, and 3 typed again counts from the 10th (11, 14, 15).
    const form = { channel: 'phone', direction: 'outgoing', occurredAt: '2025-04-10T10:30', summary: '客服说三个工作日内回电', promise: '三个工作日内回电', promiseDue: '2025-04-08', promiseWorkdays: '3' };
    const parsed = contactSchema.safeParse(form);
    expect(parsed.error?.issues ?? []).toEqual([]);
    correctContact(owner, caseId, versionOf(caseId), contactId, parsed.data!);
    expect(contactRow(contactId).promiseDue).toBe('2025-04-15');
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-16' });
  });

  it('a promise taken out closes its chase; put back, the chase opens again; a promise added is chased', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ promise: '', promiseDue: null }));
    expect(chase(owner, contactId)).toMatchObject({ status: 'done', autoClosed: true });
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', autoClosed: false, dueOn: '2025-04-07' });

    const plain = addContact(owner, caseId, contactInput({ promise: '', promiseDue: null }));
    expect(chase(owner, plain)).toBeUndefined();
    correctContact(owner, caseId, versionOf(caseId), plain, contactInput({ promise: '周五前发短信', promiseDue: '2025-04-11' }));
    expect(chase(owner, plain)).toMatchObject({ status: 'open', dueOn: '2025-04-11', kind: 'promise_chase' });
  });

  it('a chase the person closed stays closed; one a decision answered stays closed, and closes when the call moves into the review', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const mine = addContact(owner, caseId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    setReminderStatus(owner, chase(owner, mine)!.id, 'done');
    correctContact(owner, caseId, versionOf(caseId), mine, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-08' }));
    expect(chase(owner, mine)).toMatchObject({ status: 'done', autoClosed: false, dueOn: '2025-04-07' });

    // Submitted 1 April, approved 9 April: a call of 3 April is answered by the decision.
    const reviewed = makeCase(owner);
    const before = addContact(owner, reviewed, contactInput({ occurredAt: new Date('2025-03-28T02:00:00Z'), promise: '月底前发清单', promiseDue: '2025-04-30' }));
    submitAttempt(owner, reviewed, versionOf(reviewed), submitInput({ submittedOn: '2025-04-01' }));
    const during = addContact(owner, reviewed, contactInput({ occurredAt: new Date('2025-04-03T02:00:00Z'), promise: '三个工作日内回电', promiseDue: '2025-04-08' }));
    approveAttempt(owner, reviewed, versionOf(reviewed), approveInput({ decidedOn: '2025-04-09', agreedFirstPaymentOn: '2025-05-09' }));
    expect(chase(owner, during)).toMatchObject({ status: 'done', autoClosed: true });
    correctContact(owner, reviewed, versionOf(reviewed), during, contactInput({ occurredAt: new Date('2025-04-03T02:00:00Z'), summary: '补记', promise: '三个工作日内回电', promiseDue: '2025-04-08' }));
    expect(chase(owner, during)).toMatchObject({ status: 'done', autoClosed: true });
    // The call before the application was in fact during the review: the decision answered it.
    expect(chase(owner, before)!.status).toBe('open');
    correctContact(owner, reviewed, versionOf(reviewed), before, contactInput({ occurredAt: new Date('2025-04-02T02:00:00Z'), promise: '月底前发清单', promiseDue: '2025-04-30' }));
    expect(chase(owner, before)).toMatchObject({ status: 'done', autoClosed: true });
    // And back: it was before the application after all, so it is chased again.
    correctContact(owner, reviewed, versionOf(reviewed), before, contactInput({ occurredAt: new Date('2025-03-28T02:00:00Z'), promise: '月底前发清单', promiseDue: '2025-04-30' }));
    expect(chase(owner, before)).toMatchObject({ status: 'open', dueOn: '2025-04-30' });
  });

  it('a promise whose outcome is recorded stays answered when its day or the call is corrected: its chase stays closed, on the corrected day', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'kept', on: '2025-04-07' });
    // The promised day mistyped: the same promise, still kept.
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-08' }));
    expect(contactRow(contactId)).toMatchObject({ promiseDue: '2025-04-08', promiseOutcome: 'kept', promiseOutcomeOn: '2025-04-07' });
    expect(chase(owner, contactId)).toMatchObject({ status: 'done', autoClosed: true, dueOn: '2025-04-08' });
    // The call's time corrected: still answered.
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ occurredAt: new Date('2025-04-01T02:30:00Z'), promise: '4月7日前回电', promiseDue: '2025-04-08' }));
    expect(chase(owner, contactId)).toMatchObject({ status: 'done', autoClosed: true });
    expect(contactRow(contactId).promiseOutcome).toBe('kept');
    expect(lastEvent(owner, caseId).data).not.toHaveProperty('outcomeCleared');
    // Set back to awaited, it is chased on the corrected day.
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'awaited', on: null });
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-08' });

    // A promise with no day, found kept, given its day later: nothing to chase, but set back to awaited it is chased.
    const undated = addContact(owner, caseId, contactInput({ promise: '尽快回电', promiseDue: null }));
    recordPromiseOutcome(owner, caseId, versionOf(caseId), undated, { outcome: 'kept', on: '2025-04-03' });
    correctContact(owner, caseId, versionOf(caseId), undated, contactInput({ promise: '尽快回电', promiseDue: '2025-04-09' }));
    expect(chase(owner, undated)).toMatchObject({ status: 'done', autoClosed: true, dueOn: '2025-04-09' });
    recordPromiseOutcome(owner, caseId, versionOf(caseId), undated, { outcome: 'awaited', on: null });
    expect(chase(owner, undated)).toMatchObject({ status: 'open', dueOn: '2025-04-09' });
  });

  it('a promise taken out loses its outcome (a typo fixed keeps it): a promise put in later is awaited and chased again', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '4月7日前回店', promiseDue: '2025-04-07' }));
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'broken', on: '2025-04-08' });
    // Its wording corrected: the broken promise's evidence stays, its chase closed.
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    expect(contactRow(contactId)).toMatchObject({ promise: '4月7日前回电', promiseOutcome: 'broken', promiseOutcomeOn: '2025-04-08' });
    expect(chase(owner, contactId)).toMatchObject({ status: 'done', autoClosed: true });
    expect(lastEvent(owner, caseId).data).not.toHaveProperty('outcomeCleared');

    // Taken out: nothing left to have been kept; a promise added later is awaited, not "broken" already.
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ promise: '', promiseDue: null }));
    expect(contactRow(contactId)).toMatchObject({ promise: null, promiseOutcome: null, promiseOutcomeOn: null });
    expect(chase(owner, contactId)).toMatchObject({ status: 'done', autoClosed: true });
    expect(lastEvent(owner, caseId)).toMatchObject({ kind: 'contact_corrected', data: { outcomeCleared: { outcome: 'broken', on: '2025-04-08' } } });
    correctContact(owner, caseId, versionOf(caseId), contactId, contactInput({ promise: '周五前发短信', promiseDue: '2025-04-11' }));
    expect(contactRow(contactId)).toMatchObject({ promiseOutcome: null, promiseOutcomeOn: null });
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-11' });
    expect(getCaseDetail(owner, caseId).contacts.find((c) => c.id === contactId)).toMatchObject({ promiseOutcome: null });
  });

  it('refuses a stale version, another case\'s contact and a contact that does not exist; changes nothing', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    advanceCase(owner, caseId, 'under_review');
    const contactId = addContact(owner, caseId, contactInput());
    const other = makeCase(owner);
    const elsewhere = addContact(owner, other, contactInput());
    const snapshot = snapshotCases([caseId, other]);
    const reminderRows = () => getDb().select().from(reminders).where(eq(reminders.ownerId, owner.id)).all();
    const remindersBefore = reminderRows();
    const v = versionOf(caseId);
    expect(() => correctContact(owner, caseId, v - 1, contactId, contactInput({ summary: '晚了一步' }))).toThrow(ConflictError);
    expect(() => correctContact(owner, caseId, v, elsewhere, contactInput({ summary: '别的案件' }))).toThrow(NotFoundError);
    expect(() => correctContact(owner, caseId, v, 999_999, contactInput({ summary: '不存在' }))).toThrow(NotFoundError);
    expect(snapshotCases([caseId, other])).toEqual(snapshot);
    expect(reminderRows()).toEqual(remindersBefore);
  });
});

describe('deleteContact: only what was seen', () => {
  it('refuses a delete drawn before the contact was corrected or its outcome recorded, changes nothing, and deletes when sent again with the contact as it is now', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '三个工作日内回电', promiseDue: '2025-04-07' }));
    const shown = contactStamp(contactRow(contactId)!);
    // Another tab records that the lender broke its promise: the delete button drawn before is stale.
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'broken', on: '2025-04-08' });
    const snapshot = snapshotCases([caseId]);
    let refusal: unknown;
    try {
      deleteContact(owner, caseId, contactId, shown);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'contact_changed', detail: { hidden: { stamp: contactStamp(contactRow(contactId)!) } } });
    expect(snapshotCases([caseId])).toEqual(snapshot);
    // Sent again with the stamp the refusal carried: the person has decided, and it goes, with its chase.
    deleteContact(owner, caseId, contactId, (refusal as DomainError).detail.hidden!.stamp as string);
    expect(contactRow(contactId)).toBeUndefined();
    expect(lastEvent(owner, caseId)).toMatchObject({
      kind: 'contact_deleted',
      data: { channel: 'phone', occurredAt: new Date('2025-04-02T02:30:00Z').getTime(), promise: '三个工作日内回电' },
    });
    // A case's other changes (a new contact) do not make the delete stale: it looks at the contact only.
    const kept = addContact(owner, caseId, contactInput());
    const stamp = contactStamp(contactRow(kept)!);
    addContact(owner, caseId, contactInput({ summary: '又打了一次' }));
    deleteContact(owner, caseId, kept, stamp);
    expect(contactRow(kept)).toBeUndefined();
  });
});

describe('deleteContact: the timeline names what went', () => {
  it('keeps the channel, the time and the promise, cut short; a contact without a promise has none', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const long = '对方承诺'.repeat(30);
    const promised = addContact(owner, caseId, contactInput({ channel: 'chat', occurredAt: new Date('2025-04-03T06:15:00Z'), promise: long, promiseDue: '2025-04-09' }));
    deleteContact(owner, caseId, promised);
    const data = lastEvent(owner, caseId).data as Record<string, unknown>;
    expect(data).toMatchObject({ channel: 'chat', occurredAt: new Date('2025-04-03T06:15:00Z').getTime() });
    expect(data.promise).toBe(`${long.slice(0, 60)}…`);
    const plain = addContact(owner, caseId, contactInput({ channel: 'visit', promise: '', promiseDue: null }));
    deleteContact(owner, caseId, plain);
    expect(lastEvent(owner, caseId).data).toEqual({ channel: 'visit', occurredAt: new Date('2025-04-02T02:30:00Z').getTime() });
  });
});

describe('a date counted in workdays is marked so (an estimate where the year has no holiday calendar)', () => {
  it('marks a promise chased after "within N workdays", not one with a date; the materials default deadline, not the lender\'s', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const byWorkdays = addContact(owner, caseId, contactInput({ promise: '三个工作日内回电', promiseDue: null, promiseWorkdays: 3 }));
    const byDate = addContact(owner, caseId, contactInput({ promise: '周五回电', promiseDue: '2025-04-11', promiseWorkdays: null }));
    expect(chase(owner, byWorkdays)!.data).toMatchObject({ byWorkdays: 1 });
    expect(chase(owner, byDate)!.data).not.toHaveProperty('byWorkdays');
    // A correction that leaves the promise's day as it was keeps the mark.
    correctContact(owner, caseId, versionOf(caseId), byWorkdays, contactInput({ promise: '三个工作日内回电', promiseDue: contactRow(byWorkdays).promiseDue, promiseWorkdays: null, summary: '改了摘要' }));
    expect(chase(owner, byWorkdays)!.data).toMatchObject({ byWorkdays: 1 });

    const other = makeCase(owner);
    advanceCase(owner, other, 'under_review');
    requestMaterials(owner, other, versionOf(other), materialsInput({ deadline: null }));
    const requested = makeCase(owner);
    advanceCase(owner, requested, 'under_review');
    requestMaterials(owner, requested, versionOf(requested), materialsInput({ deadline: '2025-04-08' }));
    const deadlineData = (id: number) =>
      getDb().select({ data: reminders.data }).from(reminders).where(and(eq(reminders.caseId, id), eq(reminders.kind, 'materials_deadline'))).get()!.data;
    expect(deadlineData(other)).toMatchObject({ byWorkdays: 1 });
    expect(deadlineData(requested)).not.toHaveProperty('byWorkdays');
  });
});

describe('recordPromiseOutcome: whether the lender kept its promise', () => {
  it('kept: closes the chase, keeps the day, says so on the timeline and moves the version', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    const version = versionOf(caseId);
    recordPromiseOutcome(owner, caseId, version, contactId, { outcome: 'kept', on: '2025-04-07' });
    expect(contactRow(contactId)).toMatchObject({ promiseOutcome: 'kept', promiseOutcomeOn: '2025-04-07' });
    expect(chase(owner, contactId)).toMatchObject({ status: 'done', autoClosed: true });
    expect(versionOf(caseId)).toBe(version + 1);
    expect(lastEvent(owner, caseId)).toMatchObject({ kind: 'promise_outcome', data: { outcome: 'kept', on: '2025-04-07', promise: '4月7日前回电', contactOn: '2025-04-02' } });
    expect(getCaseDetail(owner, caseId).contacts[0]).toMatchObject({ promiseOutcome: 'kept', promiseOutcomeOn: '2025-04-07' });
  });

  it('broken, then back to awaited by mistake: the chase opens again on its day; a chase the person closed stays closed', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '三个工作日内回电', promiseDue: '2025-04-07' }));
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'broken', on: '2025-04-09' });
    expect(contactRow(contactId)).toMatchObject({ promiseOutcome: 'broken', promiseOutcomeOn: '2025-04-09' });
    expect(chase(owner, contactId)).toMatchObject({ status: 'done', autoClosed: true });
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'awaited', on: null });
    expect(contactRow(contactId)).toMatchObject({ promiseOutcome: null, promiseOutcomeOn: null });
    expect(chase(owner, contactId)).toMatchObject({ status: 'open', dueOn: '2025-04-07' });
    expect(lastEvent(owner, caseId)).toMatchObject({ kind: 'promise_outcome', data: { outcome: 'awaited' } });

    const mine = addContact(owner, caseId, contactInput({ promise: '周五前发短信', promiseDue: '2025-04-11' }));
    setReminderStatus(owner, chase(owner, mine)!.id, 'done');
    recordPromiseOutcome(owner, caseId, versionOf(caseId), mine, { outcome: 'kept', on: '2025-04-11' });
    recordPromiseOutcome(owner, caseId, versionOf(caseId), mine, { outcome: 'awaited', on: null });
    expect(chase(owner, mine)).toMatchObject({ status: 'done', autoClosed: false });
  });

  it('changes kept to broken; refuses the same outcome again, a day before the contact or after today, and a contact without a promise', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'kept', on: '2025-04-07' });
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'broken', on: '2025-04-08' });
    expect(contactRow(contactId)).toMatchObject({ promiseOutcome: 'broken', promiseOutcomeOn: '2025-04-08' });

    const plain = addContact(owner, caseId, contactInput({ promise: '', promiseDue: null }));
    const snapshot = snapshotCases([caseId]);
    const rows = () => [contactRow(contactId), contactRow(plain), chase(owner, contactId)];
    const before = rows();
    const v = versionOf(caseId);
    const refusal = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return e instanceof DomainError ? { code: e.code, field: e.detail.field } : e;
      }
      return 'written';
    };
    expect(refusal(() => recordPromiseOutcome(owner, caseId, v, contactId, { outcome: 'broken', on: '2025-04-08' }))).toEqual({ code: 'correction_unchanged', field: undefined });
    // The same outcome on another day is checked as a new one is.
    expect(refusal(() => recordPromiseOutcome(owner, caseId, v, contactId, { outcome: 'broken', on: '2025-04-01' }))).toEqual({ code: 'promise_outcome_before_contact', field: 'on' });
    expect(refusal(() => recordPromiseOutcome(owner, caseId, v, contactId, { outcome: 'kept', on: '2025-04-01' }))).toEqual({ code: 'promise_outcome_before_contact', field: 'on' });
    expect(refusal(() => recordPromiseOutcome(owner, caseId, v, contactId, { outcome: 'kept', on: addDaysIso(todayInShanghai(), 1) }))).toEqual({ code: 'date_future', field: 'on' });
    expect(refusal(() => recordPromiseOutcome(owner, caseId, v, plain, { outcome: 'kept', on: '2025-04-03' }))).toEqual({ code: 'promise_none', field: undefined });
    expect(snapshotCases([caseId])).toEqual(snapshot);
    expect(rows()).toEqual(before);
  });

  it('corrects the day of the same outcome (a broken promise found on another day): saved, on the timeline, the chase still closed', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput({ promise: '4月7日前回电', promiseDue: '2025-04-07' }));
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'broken', on: '2025-04-09' });
    const version = versionOf(caseId);
    recordPromiseOutcome(owner, caseId, version, contactId, { outcome: 'broken', on: '2025-04-08' });
    expect(contactRow(contactId)).toMatchObject({ promiseOutcome: 'broken', promiseOutcomeOn: '2025-04-08' });
    expect(versionOf(caseId)).toBe(version + 1);
    expect(lastEvent(owner, caseId)).toMatchObject({ kind: 'promise_outcome', data: { outcome: 'broken', on: '2025-04-08', fromOn: '2025-04-09', promise: '4月7日前回电' } });
    expect(chase(owner, contactId)).toMatchObject({ status: 'done', autoClosed: true });
    // A kept one's day too; and the same day again changes nothing.
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'kept', on: '2025-04-07' });
    recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'kept', on: '2025-04-08' });
    expect(contactRow(contactId)).toMatchObject({ promiseOutcome: 'kept', promiseOutcomeOn: '2025-04-08' });
    expect(() => recordPromiseOutcome(owner, caseId, versionOf(caseId), contactId, { outcome: 'kept', on: '2025-04-08' })).toThrow('correction_unchanged');
  });

  it("refuses a stale version, another case's contact, one that does not exist and an outsider; changes nothing", () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const contactId = addContact(owner, caseId, contactInput());
    const other = makeCase(owner);
    const elsewhere = addContact(owner, other, contactInput());
    const outsider = makeBorrower();
    const snapshot = snapshotCases([caseId, other]);
    const before = [contactRow(contactId), contactRow(elsewhere), chase(owner, contactId), chase(owner, elsewhere)];
    const v = versionOf(caseId);
    const kept = { outcome: 'kept' as const, on: '2025-04-07' };
    expect(() => recordPromiseOutcome(owner, caseId, v - 1, contactId, kept)).toThrow(ConflictError);
    expect(() => recordPromiseOutcome(owner, caseId, v, elsewhere, kept)).toThrow(NotFoundError);
    expect(() => recordPromiseOutcome(owner, caseId, v, 999_999, kept)).toThrow(NotFoundError);
    expect(() => recordPromiseOutcome(outsider, caseId, v, contactId, kept)).toThrow(NotFoundError);
    expect(snapshotCases([caseId, other])).toEqual(snapshot);
    expect([contactRow(contactId), contactRow(elsewhere), chase(owner, contactId), chase(owner, elsewhere)]).toEqual(before);
  });
});
