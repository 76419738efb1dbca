import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import {
  approveInput,
  caseRow,
  contactInput,
  makeAdmin,
  makeAdvisor,
  makeBorrower,
  makeCase,
  materialsInput,
  publicLender,
  rejectInput,
  submitInput,
  versionOf,
  reminderStampOf,
} from '@/tests/factories';
import {
  approveAttempt,
  changeMaterialsDeadline,
  closeEscalation,
  escalateCase,
  rejectAttempt,
  requestMaterials,
  sendMaterials,
  submitAttempt,
  withdrawCase,
} from './attempts';
import { deleteCase, setCaseArchived } from './cases';
import { getDb } from './client';
import { addContact, deleteContact } from './contacts';
import { createPrivateLender } from './lenders';
import { addCaseNote } from './notes';
import { markInstalmentPaid } from './plans';
import { acceptInvite, createInvite } from './shares';
import {
  applyReminderChange,
  countDueReminders,
  createReminder,
  listCaseReminders,
  listOpenReminders,
  setReminderStatus,
  snoozeReminder,
  systemSweepReminders,
  updateReminder,
} from './reminders';
import { attempts, cases, contacts, instalments, materialRequests, reminders } from './schema';
import type { Viewer } from './viewer-type';

/**
 * The reminder rules against the real migrated database: each event, recorded through its verb,
 * opens the reminders DESIGN.md §4 asks for, on the dates worked out by hand from the 2025
 * calendar, and closes the ones that no longer apply.
 *
 * 2025 facts used: Qingming 4–6 Apr off (no make-up day); Labour Day 1–5 May off, Sun 27 Apr
 * worked; 5 Apr, 12 Apr and 10 May are ordinary Saturdays. 1 Apr 2025 is a Tuesday.
 *
 * "Today" is Thursday 19 June 2025, 10:00 in Shanghai: the clock (Date only) is frozen there.
 */
const NOW = new Date('2025-06-19T02:00:00Z');
const TODAY = '2025-06-19';

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterAll(() => {
  vi.useRealTimers();
});

const DAY = 86_400_000;

// --- helpers -------------------------------------------------------------------------------

function rowsOf(caseId: number) {
  return getDb().select().from(reminders).where(eq(reminders.caseId, caseId)).orderBy(asc(reminders.id)).all();
}

/** The open rule reminders of a case, as the rules made them. */
function openRules(caseId: number) {
  return rowsOf(caseId)
    .filter((r) => r.status === 'open' && r.ruleKey !== null)
    .map((r) => ({ ruleKey: r.ruleKey, kind: r.kind, dueOn: r.dueOn, urgent: r.urgent, data: r.data }));
}

/** The rule keys a rule closed (done, by the rule, with a time), in the order they were made. */
function autoClosed(caseId: number) {
  return rowsOf(caseId)
    .filter((r) => r.status === 'done' && r.autoClosed && r.closedAt !== null)
    .map((r) => r.ruleKey);
}

function byKey(ownerId: number, ruleKey: string) {
  return getDb()
    .select()
    .from(reminders)
    .where(and(eq(reminders.ownerId, ownerId), eq(reminders.ruleKey, ruleKey)))
    .all();
}

function attemptIds(caseId: number) {
  return getDb().select().from(attempts).where(eq(attempts.caseId, caseId)).orderBy(asc(attempts.round)).all().map((a) => a.id);
}

function requestIds(caseId: number) {
  return getDb().select().from(materialRequests).where(eq(materialRequests.caseId, caseId)).orderBy(asc(materialRequests.id)).all();
}

function instalmentIds(caseId: number) {
  return getDb().select().from(instalments).where(eq(instalments.caseId, caseId)).orderBy(asc(instalments.seq)).all().map((i) => i.id);
}

function setUpdatedAt(caseId: number, at: Date) {
  getDb().update(cases).set({ updatedAt: at }).where(eq(cases.id, caseId)).run();
}

/**
 * The lender's request for materials, recorded on the day it was made (the clock there, then back to
 * NOW): recorded later, a nudge whose day has passed is not made (lib/reminder-rules.ts).
 */
function requestMaterialsOnTheDay(owner: Viewer, caseId: number, input: Parameters<typeof requestMaterials>[3]) {
  vi.setSystemTime(new Date(`${input.requestedOn}T02:00:00Z`));
  try {
    requestMaterials(owner, caseId, versionOf(caseId), input);
  } finally {
    vi.setSystemTime(NOW);
  }
}

const LENDER_NAME = '测试银行（审核 7 个工作日）';

/** A borrower, and a private lender of theirs whose typical review takes 7 workdays. */
function borrowerWithLender(): { owner: Viewer; lenderId: number } {
  const owner = makeBorrower();
  const lender = createPrivateLender(owner, { name: LENDER_NAME, kind: 'bank', products: [], hotline: '', appPath: '', reviewWorkdays: 7 });
  return { owner, lenderId: lender.id };
}

const custom = (overrides: Partial<{ title: string; dueOn: string; dueTime: string | null; note: string }> = {}) => ({
  title: '给调解员打电话',
  dueOn: '2025-06-25',
  dueTime: null,
  note: '',
  ...overrides,
});

// --- the rules, event by event --------------------------------------------------------------

describe('one application, from submission to the last instalment', () => {
  const lender = LENDER_NAME;
  let owner: Viewer;
  let caseId: number;
  let a1: number;
  let a2: number;
  let r1: number;
  let r2: number;
  let i1: number;
  let i2: number;
  let i3: number;
  let customId: number;

  beforeAll(() => {
    const made = borrowerWithLender();
    owner = made.owner;
    caseId = makeCase(owner, { lenderId: made.lenderId });
  });

  it('a new case has no reminders', () => {
    expect(rowsOf(caseId)).toEqual([]);
  });

  it('submitted: check the review result after the lender\'s 7 workdays, across Qingming', () => {
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    [a1] = attemptIds(caseId);
    // 2, 3, 7, 8, 9, 10, 11 April.
    expect(openRules(caseId)).toEqual([
      { ruleKey: `review:${a1}`, kind: 'review_followup', dueOn: '2025-04-11', urgent: false, data: { round: 1, lender, submittedOn: '2025-04-01' } },
    ]);
    const [row] = rowsOf(caseId);
    expect(row).toMatchObject({ ownerId: owner.id, showOn: '2025-04-11', status: 'open', autoClosed: false, title: null, closedAt: null, mailedAt: null });
  });

  it('materials requested: the deadline and a nudge the workday before (across Qingming), the review closed', () => {
    requestMaterialsOnTheDay(owner, caseId, materialsInput({ requestedOn: '2025-04-02', deadline: '2025-04-07', what: '近三个月银行流水' }));
    r1 = requestIds(caseId)[0].id;
    const data = { what: '近三个月银行流水', deadline: '2025-04-07', lender };
    expect(openRules(caseId)).toEqual([
      { ruleKey: `materials:${r1}`, kind: 'materials_deadline', dueOn: '2025-04-07', urgent: false, data },
      { ruleKey: `materials-nudge:${r1}`, kind: 'materials_nudge', dueOn: '2025-04-03', urgent: true, data },
    ]);
    expect(autoClosed(caseId)).toEqual([`review:${a1}`]);
  });

  it('materials sent: the deadline and nudge closed, a new review follow-up 7 workdays from sending', () => {
    sendMaterials(owner, caseId, versionOf(caseId), '2025-04-08');
    // 9, 10, 11, 14, 15, 16, 17 April.
    expect(openRules(caseId)).toEqual([
      { ruleKey: expect.stringMatching(new RegExp(`^review:${a1}:`)), kind: 'review_followup', dueOn: '2025-04-17', urgent: false, data: { round: 1, lender, submittedOn: '2025-04-01', sentOn: '2025-04-08' } },
    ]);
    expect(autoClosed(caseId)).toEqual([`review:${a1}`, `materials:${r1}`, `materials-nudge:${r1}`]);
  });

  it('a second request, without a deadline: 3 workdays; sent the same day, it still gets its own follow-up', () => {
    requestMaterialsOnTheDay(owner, caseId, { what: '收入证明', requestedOn: '2025-04-08', deadline: null });
    r2 = requestIds(caseId)[1].id;
    // 9, 10, 11 April; the nudge on the 10th.
    expect(requestIds(caseId)[1].deadline).toBe('2025-04-11');
    expect(openRules(caseId).map((r) => [r.ruleKey, r.dueOn, r.urgent])).toEqual([
      [`materials:${r2}`, '2025-04-11', false],
      [`materials-nudge:${r2}`, '2025-04-10', true],
    ]);
    sendMaterials(owner, caseId, versionOf(caseId), '2025-04-08');
    const open = openRules(caseId);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: 'review_followup', dueOn: '2025-04-17' });
    expect(open[0].ruleKey).toMatch(new RegExp(`^review:${a1}:`));
    expect(autoClosed(caseId)).toHaveLength(6);
  });

  it('rejected on a Friday: the review closed, the next step 2 workdays later (Sun 27 Apr is worked)', () => {
    const followups = rowsOf(caseId).filter((r) => r.kind === 'review_followup').map((r) => r.ruleKey);
    rejectAttempt(owner, caseId, versionOf(caseId), rejectInput({ decidedOn: '2025-04-25', rejectionReason: 'insufficient_proof' }));
    expect(openRules(caseId)).toEqual([
      { ruleKey: `next-step:${a1}`, kind: 'next_step', dueOn: '2025-04-28', urgent: false, data: { round: 1, reason: 'insufficient_proof', lender } },
    ]);
    for (const key of followups) expect(byKey(owner.id, key!)[0]).toMatchObject({ status: 'done', autoClosed: true });
  });

  it('re-applied: the next step closed, a new review follow-up across Labour Day', () => {
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-29' }));
    a2 = attemptIds(caseId)[1];
    // 30 April, 6, 7, 8, 9, 12, 13 May.
    expect(openRules(caseId)).toEqual([
      { ruleKey: `review:${a2}`, kind: 'review_followup', dueOn: '2025-05-13', urgent: false, data: { round: 2, lender, submittedOn: '2025-04-29' } },
    ]);
    expect(byKey(owner.id, `next-step:${a1}`)[0]).toMatchObject({ status: 'done', autoClosed: true });
  });

  it('approved: the review closed; each instalment 3 days before and on the day, none for dates already past', () => {
    approveAttempt(
      owner,
      caseId,
      versionOf(caseId),
      approveInput({ decidedOn: '2025-05-14', agreedPeriods: 3, agreedMonthly: 50_000, agreedFirstPaymentOn: '2025-05-21' }),
    );
    [i1, i2, i3] = instalmentIds(caseId);
    const data = (seq: number, dueOn: string) => ({ seq, periods: 3, amountFen: 50_000, dueOn, lender });
    // Today is 19 June: the first (21 May) is past, the second's notice (18 June) too.
    expect(openRules(caseId)).toEqual([
      { ruleKey: `inst-due:${i2}`, kind: 'instalment_due', dueOn: '2025-06-21', urgent: false, data: data(2, '2025-06-21') },
      { ruleKey: `inst-pre:${i3}`, kind: 'instalment_upcoming', dueOn: '2025-07-18', urgent: false, data: data(3, '2025-07-21') },
      { ruleKey: `inst-due:${i3}`, kind: 'instalment_due', dueOn: '2025-07-21', urgent: false, data: data(3, '2025-07-21') },
    ]);
    expect(byKey(owner.id, `review:${a2}`)[0]).toMatchObject({ status: 'done', autoClosed: true });
  });

  it('the sweep: the first instalment, unpaid and past, is missed — urgent, the next morning, once', () => {
    systemSweepReminders(NOW);
    systemSweepReminders(new Date(NOW.getTime() + 3_600_000));
    expect(byKey(owner.id, `inst-missed:${i1}`)).toHaveLength(1);
    expect(openRules(caseId)[0]).toEqual({
      ruleKey: `inst-due:${i2}`,
      kind: 'instalment_due',
      dueOn: '2025-06-21',
      urgent: false,
      data: { seq: 2, periods: 3, amountFen: 50_000, dueOn: '2025-06-21', lender },
    });
    expect(openRules(caseId).find((r) => r.kind === 'instalment_missed')).toEqual({
      ruleKey: `inst-missed:${i1}`,
      kind: 'instalment_missed',
      dueOn: '2025-05-22',
      urgent: true,
      data: { seq: 1, periods: 3, amountFen: 50_000, dueOn: '2025-05-21', lender },
    });
    // Nothing for the instalments not yet due.
    expect(byKey(owner.id, `inst-missed:${i2}`)).toEqual([]);
    expect(byKey(owner.id, `inst-missed:${i3}`)).toEqual([]);
  });

  it('paying an instalment closes its own reminders and no other\'s', () => {
    customId = createReminder(owner, caseId, custom({ title: '核对还款账户' }));
    markInstalmentPaid(owner, caseId, versionOf(caseId), i1, { paidOn: TODAY, paid: 50_000 });
    expect(byKey(owner.id, `inst-missed:${i1}`)[0]).toMatchObject({ status: 'done', autoClosed: true });
    expect(openRules(caseId).map((r) => r.ruleKey)).toEqual([`inst-due:${i2}`, `inst-pre:${i3}`, `inst-due:${i3}`]);
    // Paid, it is never reported missed again.
    systemSweepReminders(new Date(NOW.getTime() + 40 * DAY));
    expect(byKey(owner.id, `inst-missed:${i1}`)).toHaveLength(1);
    expect(byKey(owner.id, `inst-missed:${i1}`)[0].status).toBe('done');
    markInstalmentPaid(owner, caseId, versionOf(caseId), i2, { paidOn: TODAY, paid: 50_000 });
    expect(byKey(owner.id, `inst-due:${i2}`)[0]).toMatchObject({ status: 'done', autoClosed: true });
    const open = openRules(caseId).map((r) => r.ruleKey);
    expect(open).toContain(`inst-pre:${i3}`);
    expect(open).toContain(`inst-due:${i3}`);
    expect(caseRow(caseId).status).toBe('repaying');
  });

  it('the last instalment paid: every open rule reminder of the case closed, the person\'s own left open', () => {
    // A rule reminder that has nothing to do with the plan: it closes because the case does.
    const contactId = addContact(owner, caseId, contactInput({ occurredAt: NOW, promise: '开结清证明', promiseDue: '2025-07-30', promiseWorkdays: null }));
    expect(byKey(owner.id, `promise:${contactId}`)[0].status).toBe('open');
    markInstalmentPaid(owner, caseId, versionOf(caseId), i3, { paidOn: TODAY, paid: 50_000 });
    expect(caseRow(caseId).status).toBe('closed');
    expect(openRules(caseId)).toEqual([]);
    for (const r of rowsOf(caseId).filter((r) => r.ruleKey)) expect(r).toMatchObject({ status: 'done', autoClosed: true });
    const own = rowsOf(caseId).find((r) => r.id === customId)!;
    expect(own).toMatchObject({ status: 'open', autoClosed: false, kind: 'custom', ruleKey: null, closedAt: null });
  });
});

describe('escalation', () => {
  it('closes the rejection\'s next step and opens a follow-up of the mediation after 15 workdays; closing it closes every rule reminder', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    rejectAttempt(owner, caseId, versionOf(caseId), rejectInput({ decidedOn: '2025-04-10' }));
    const [a1] = attemptIds(caseId);
    // Thu 10 April → Fri 11, Mon 14.
    expect(openRules(caseId).map((r) => [r.ruleKey, r.kind, r.dueOn])).toEqual([[`next-step:${a1}`, 'next_step', '2025-04-14']]);

    escalateCase(owner, caseId, versionOf(caseId), { route: 'mediation', submittedOn: '2025-04-12', lenderRef: '' });
    const [, a2] = attemptIds(caseId);
    // Sat 12 April + 15 (a mediator, not the lender's 7): 14–18, 21–25, Sun 27 (worked), 28, 29, 30 April; 1–5 May
    // are Labour Day; 6 May.
    expect(openRules(caseId)).toEqual([
      { ruleKey: `review:${a2}`, kind: 'review_followup', dueOn: '2025-05-06', urgent: false, data: { round: 2, lender: LENDER_NAME, submittedOn: '2025-04-12', route: 'mediation' } },
    ]);
    expect(autoClosed(caseId)).toEqual([`review:${a1}`, `next-step:${a1}`]);

    addContact(owner, caseId, contactInput({ occurredAt: new Date('2025-04-14T02:00:00Z'), promise: '调解员周五回电', promiseDue: '2025-04-18', promiseWorkdays: null }));
    const customId = createReminder(owner, caseId, custom());
    expect(openRules(caseId)).toHaveLength(2);
    closeEscalation(owner, caseId, versionOf(caseId), 'other', '调解未成');
    expect(openRules(caseId)).toEqual([]);
    expect(rowsOf(caseId).filter((r) => r.status === 'open').map((r) => r.id)).toEqual([customId]);
    expect(rowsOf(caseId).filter((r) => r.ruleKey).every((r) => r.status === 'done' && r.autoClosed)).toBe(true);
  });
});

describe('withdrawing', () => {
  it('closes every open rule reminder of the case and leaves the person\'s own; other cases keep theirs', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const other = makeCase(owner, { lenderId });
    submitAttempt(owner, other, versionOf(other), submitInput({ submittedOn: '2025-04-01' }));
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterialsOnTheDay(owner, caseId, materialsInput({ requestedOn: '2025-04-02', deadline: '2025-04-07' }));
    addContact(owner, caseId, contactInput());
    const customId = createReminder(owner, caseId, custom());
    expect(openRules(caseId).map((r) => r.kind)).toEqual(['materials_deadline', 'materials_nudge', 'promise_chase']);

    withdrawCase(owner, caseId, versionOf(caseId), '');
    expect(openRules(caseId)).toEqual([]);
    expect(autoClosed(caseId)).toHaveLength(4);
    expect(rowsOf(caseId).filter((r) => r.status === 'open').map((r) => r.id)).toEqual([customId]);
    expect(openRules(other).map((r) => r.kind)).toEqual(['review_followup']);
  });
});

describe('deleting a case', () => {
  it('deletes its reminders, rule and own alike, and no one else\'s', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const kept = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    createReminder(owner, caseId, custom());
    const keptId = createReminder(owner, kept, custom());
    expect(rowsOf(caseId)).toHaveLength(2);
    deleteCase(owner, caseId, versionOf(caseId));
    expect(rowsOf(caseId)).toEqual([]);
    expect(listOpenReminders(owner).map((r) => r.id)).toEqual([keptId]);
  });
});

describe('contacts with a lender\'s promise', () => {
  it('a promised date: chase on that date', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const contactId = addContact(owner, caseId, contactInput({ promise: '4月7日前给答复', promiseDue: '2025-04-07', promiseWorkdays: null }));
    expect(openRules(caseId)).toEqual([
      { ruleKey: `promise:${contactId}`, kind: 'promise_chase', dueOn: '2025-04-07', urgent: false, data: { promise: '4月7日前给答复', lender: LENDER_NAME } },
    ]);
  });

  it('"3个工作日内回电" on Wednesday 2 April: the promise falls on Tuesday 8 (Qingming), the chase on Wednesday 9', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const contactId = addContact(
      owner,
      caseId,
      contactInput({ occurredAt: new Date('2025-04-02T02:30:00Z'), promise: '三个工作日内回电', promiseDue: null, promiseWorkdays: 3 }),
    );
    expect(getDb().select().from(contacts).where(eq(contacts.id, contactId)).get()!.promiseDue).toBe('2025-04-08');
    expect(openRules(caseId).map((r) => [r.ruleKey, r.kind, r.dueOn])).toEqual([[`promise:${contactId}`, 'promise_chase', '2025-04-09']]);
  });

  it('counts from the contact\'s date in Shanghai (01:00 on Thursday 3 April is 17:00 UTC on the 2nd)', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const contactId = addContact(
      owner,
      caseId,
      contactInput({ occurredAt: new Date('2025-04-02T17:00:00Z'), promise: '三个工作日内回电', promiseDue: null, promiseWorkdays: 3 }),
    );
    // Thursday 3 April: 7, 8, 9 → chase on the 10th.
    expect(getDb().select().from(contacts).where(eq(contacts.id, contactId)).get()!.promiseDue).toBe('2025-04-09');
    expect(openRules(caseId).map((r) => r.dueOn)).toEqual(['2025-04-10']);
  });

  it('no promise: no reminder', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    addContact(owner, caseId, contactInput({ promise: '', promiseDue: null, promiseWorkdays: null }));
    expect(rowsOf(caseId)).toEqual([]);
  });

  it.each(['approved', 'rejected'] as const)(
    'a decision (%s) answers the promises made while the application was under review; the others are still chased',
    (decision) => {
      const { owner, lenderId } = borrowerWithLender();
      const caseId = makeCase(owner, { lenderId });
      // Before applying: "send me the list of materials by the end of the month".
      const before = addContact(owner, caseId, contactInput({ occurredAt: new Date('2025-03-28T02:00:00Z'), promise: '月底前发材料清单', promiseDue: '2025-04-30' }));
      submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
      // On the day of the application, early in the morning in Shanghai (31 March in UTC).
      const sameDay = addContact(owner, caseId, contactInput({ occurredAt: new Date('2025-03-31T23:30:00Z'), promise: '审核结果会短信通知', promiseDue: '2025-04-15' }));
      const during = addContact(owner, caseId, contactInput({ occurredAt: new Date('2025-04-03T02:00:00Z'), promise: '三个工作日内回电', promiseDue: '2025-04-08' }));
      if (decision === 'approved') approveAttempt(owner, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-04-09', agreedFirstPaymentOn: '2025-05-09' }));
      else rejectAttempt(owner, caseId, versionOf(caseId), rejectInput({ decidedOn: '2025-04-09' }));
      for (const id of [sameDay, during]) expect(byKey(owner.id, `promise:${id}`)[0]).toMatchObject({ status: 'done', autoClosed: true });
      expect(byKey(owner.id, `promise:${before}`)[0].status).toBe('open');
      // After the decision: "the agreement will be posted" is chased.
      const after = addContact(owner, caseId, contactInput({ occurredAt: new Date('2025-04-10T02:00:00Z'), promise: '协议三天内寄出', promiseDue: '2025-04-14' }));
      expect(byKey(owner.id, `promise:${after}`)[0].status).toBe('open');
      // A call during the review recorded only now: the decision has answered its promise already.
      const late = addContact(owner, caseId, contactInput({ occurredAt: new Date('2025-04-07T02:00:00Z'), promise: '两天内回电', promiseDue: '2025-04-09' }));
      expect(byKey(owner.id, `promise:${late}`)).toEqual([]);
      // On the day of the decision, it may be what came after it: chased.
      const decisionDay = addContact(owner, caseId, contactInput({ occurredAt: new Date('2025-04-09T08:00:00Z'), promise: '明天发短信确认', promiseDue: '2025-04-10' }));
      expect(byKey(owner.id, `promise:${decisionDay}`)[0].status).toBe('open');
    },
  );

  it('deleting the contact closes its chase, and only its chase', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const first = addContact(owner, caseId, contactInput({ promiseDue: '2025-04-07' }));
    const second = addContact(owner, caseId, contactInput({ promiseDue: '2025-04-09' }));
    deleteContact(owner, caseId, first);
    expect(byKey(owner.id, `promise:${first}`)[0]).toMatchObject({ status: 'done', autoClosed: true });
    expect(openRules(caseId).map((r) => r.ruleKey)).toEqual([`promise:${second}`]);
  });

  it('the same form twice (the same key) makes one contact and one chase', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const a = addContact(owner, caseId, contactInput(), 'contact-form-key-0001');
    const b = addContact(owner, caseId, contactInput(), 'contact-form-key-0001');
    expect(b).toBe(a);
    expect(rowsOf(caseId)).toHaveLength(1);
  });
});

describe('repeating an event creates no duplicate', () => {
  const spec = { ruleKey: 'test:repeat', kind: 'next_step' as const, dueOn: '2025-06-20', data: { round: 1 } };

  it('applyReminderChange twice with the same spec: one reminder', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const db = getDb();
    expect(applyReminderChange(db, owner.id, caseId, { open: [spec], close: [] })).toBe(1);
    expect(applyReminderChange(db, owner.id, caseId, { open: [spec], close: [] })).toBe(0);
    expect(applyReminderChange(db, owner.id, caseId, { open: [{ ...spec, dueOn: '2025-07-01' }], close: [] })).toBe(0);
    expect(rowsOf(caseId).map((r) => [r.ruleKey, r.dueOn])).toEqual([['test:repeat', '2025-06-20']]);
  });

  it('an event repeated after its reminder closed does not reopen it', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const db = getDb();
    applyReminderChange(db, owner.id, caseId, { open: [spec], close: [] });
    applyReminderChange(db, owner.id, caseId, { open: [], close: ['test:repeat'] });
    expect(applyReminderChange(db, owner.id, caseId, { open: [spec], close: [] })).toBe(0);
    expect(rowsOf(caseId).map((r) => r.status)).toEqual(['done']);
  });

  it('the same key for two owners makes one each, and closing one owner\'s leaves the other\'s', () => {
    const a = borrowerWithLender();
    const b = borrowerWithLender();
    const caseA = makeCase(a.owner, { lenderId: a.lenderId });
    const caseB = makeCase(b.owner, { lenderId: b.lenderId });
    const db = getDb();
    applyReminderChange(db, a.owner.id, caseA, { open: [spec], close: [] });
    applyReminderChange(db, b.owner.id, caseB, { open: [spec], close: [] });
    applyReminderChange(db, a.owner.id, caseA, { open: [], close: ['test:*'] });
    expect(rowsOf(caseA).map((r) => r.status)).toEqual(['done']);
    expect(rowsOf(caseB).map((r) => r.status)).toEqual(['open']);
    // Without a case to narrow it, the owner still does.
    applyReminderChange(db, a.owner.id, null, { open: [], close: ['test:repeat'] });
    expect(rowsOf(caseB).map((r) => r.status)).toEqual(['open']);
  });

  it('closing by a pattern closes the exact key and the prefixed ones, not a longer id', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const db = getDb();
    const open = ['review:9001', 'review:9001:requests:5', 'review:90011', 'review:90011:requests:6'].map((ruleKey) => ({ ...spec, ruleKey }));
    applyReminderChange(db, owner.id, caseId, { open, close: [] });
    applyReminderChange(db, owner.id, caseId, { open: [], close: ['review:9001', 'review:9001:*'] });
    expect(rowsOf(caseId).map((r) => [r.ruleKey, r.status])).toEqual([
      ['review:9001', 'done'],
      ['review:9001:requests:5', 'done'],
      ['review:90011', 'open'],
      ['review:90011:requests:6', 'open'],
    ]);
  });

  it('createReminder twice with the same form key: one reminder', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const a = createReminder(owner, caseId, custom(), 'reminder-form-key-0001');
    const b = createReminder(owner, caseId, custom(), 'reminder-form-key-0001');
    expect(b).toBe(a);
    expect(rowsOf(caseId)).toHaveLength(1);
    expect(createReminder(owner, caseId, custom(), 'reminder-form-key-0002')).not.toBe(a);
  });
});

describe('the sweep', () => {
  it('reports an unpaid past instalment on a repaying case once; not a paid one, nor one on a closed case', () => {
    const { owner, lenderId } = borrowerWithLender();
    const repaying = makeCase(owner, { lenderId });
    submitAttempt(owner, repaying, versionOf(repaying), submitInput({ submittedOn: '2025-04-01' }));
    approveAttempt(owner, repaying, versionOf(repaying), approveInput({ decidedOn: '2025-04-10', agreedPeriods: 4, agreedMonthly: 10_000, agreedFirstPaymentOn: '2025-04-30' }));
    const [p1, p2, p3, p4] = instalmentIds(repaying);
    markInstalmentPaid(owner, repaying, versionOf(repaying), p1, { paidOn: '2025-04-30', paid: 10_000 });
    expect(caseRow(repaying).status).toBe('repaying');

    const closed = makeCase(owner, { lenderId });
    submitAttempt(owner, closed, versionOf(closed), submitInput({ submittedOn: '2025-04-01' }));
    approveAttempt(owner, closed, versionOf(closed), approveInput({ decidedOn: '2025-04-10', agreedPeriods: 2, agreedMonthly: 10_000, agreedFirstPaymentOn: '2025-04-30' }));
    withdrawCase(owner, closed, versionOf(closed), '');

    systemSweepReminders(NOW);
    systemSweepReminders(NOW);
    // 30 April paid; 30 May unpaid → missed on the 31st; 30 June and 30 July not yet due.
    expect(openRules(repaying).filter((r) => r.kind === 'instalment_missed')).toEqual([
      {
        ruleKey: `inst-missed:${p2}`,
        kind: 'instalment_missed',
        dueOn: '2025-05-31',
        urgent: true,
        data: { seq: 2, periods: 4, amountFen: 10_000, dueOn: '2025-05-30', lender: LENDER_NAME },
      },
    ]);
    expect(byKey(owner.id, `inst-missed:${p1}`)).toEqual([]);
    expect(byKey(owner.id, `inst-missed:${p3}`)).toEqual([]);
    expect(byKey(owner.id, `inst-missed:${p4}`)).toEqual([]);
    expect(rowsOf(closed).filter((r) => r.kind === 'instalment_missed')).toEqual([]);

    // The day after the third's date, it is missed too; the second is not made twice.
    systemSweepReminders(new Date('2025-07-01T01:00:00Z'));
    expect(byKey(owner.id, `inst-missed:${p2}`)).toHaveLength(1);
    expect(byKey(owner.id, `inst-missed:${p3}`).map((r) => r.dueOn)).toEqual(['2025-07-01']);
    // Not on the due date itself (30 July, 09:00 in Shanghai).
    systemSweepReminders(new Date('2025-07-30T01:00:00Z'));
    expect(byKey(owner.id, `inst-missed:${p4}`)).toEqual([]);
  });

  it('leaves "missed" closed by hand as it is, even one without the time it was closed; finds nothing it would not open', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    approveAttempt(owner, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-04-10', agreedPeriods: 2, agreedMonthly: 10_000, agreedFirstPaymentOn: '2025-05-30' }));
    const [first] = instalmentIds(caseId);
    systemSweepReminders(NOW);
    // Closed by hand, for another date, with no time kept (a row from before closed_at was written).
    getDb().update(reminders).set({ status: 'dismissed', autoClosed: false, closedAt: null, dueOn: '2025-05-01' }).where(eq(reminders.ruleKey, `inst-missed:${first}`)).run();
    // The sweep finds nothing to open, so it says nothing is left for another call (none to loop on).
    expect(systemSweepReminders(NOW, 0)).toMatchObject({ missed: 0, more: false });
    expect(byKey(owner.id, `inst-missed:${first}`)).toMatchObject([{ status: 'dismissed', dueOn: '2025-05-01' }]);
  });

  it('a case untouched for 14 days gets one stale reminder, dated 14 days after its last activity in Shanghai', () => {
    const { owner, lenderId } = borrowerWithLender();
    const stale = makeCase(owner, { lenderId });
    submitAttempt(owner, stale, versionOf(stale), submitInput({ submittedOn: '2025-04-01' }));
    // 17:00 UTC on 1 June is 01:00 on 2 June in Shanghai.
    setUpdatedAt(stale, new Date('2025-06-01T17:00:00Z'));
    const fresh = makeCase(owner, { lenderId });
    submitAttempt(owner, fresh, versionOf(fresh), submitInput({ submittedOn: '2025-04-01' }));
    // Just under 14 days before NOW: not yet.
    setUpdatedAt(fresh, new Date(NOW.getTime() - 14 * DAY + 3_600_000));
    const archived = makeCase(owner, { lenderId });
    setCaseArchived(owner, archived, versionOf(archived), true);
    setUpdatedAt(archived, new Date('2025-05-01T02:00:00Z'));
    const closed = makeCase(owner, { lenderId });
    withdrawCase(owner, closed, versionOf(closed), '');
    setUpdatedAt(closed, new Date('2025-05-01T02:00:00Z'));
    // An agreed plan waiting for its next instalment is not a stalled negotiation.
    const approved = makeCase(owner, { lenderId });
    submitAttempt(owner, approved, versionOf(approved), submitInput({ submittedOn: '2025-04-01' }));
    approveAttempt(owner, approved, versionOf(approved), approveInput({ decidedOn: '2025-04-10', agreedPeriods: 2, agreedMonthly: 10_000, agreedFirstPaymentOn: '2025-08-30' }));
    setUpdatedAt(approved, new Date('2025-05-01T02:00:00Z'));

    systemSweepReminders(NOW);
    systemSweepReminders(NOW);
    expect(openRules(stale).filter((r) => r.kind === 'stale_case')).toEqual([
      { ruleKey: `stale:${stale}:2025-06-02`, kind: 'stale_case', dueOn: '2025-06-16', urgent: false, data: { lender: LENDER_NAME, since: '2025-06-02' } },
    ]);
    expect(rowsOf(stale).filter((r) => r.kind === 'stale_case')).toHaveLength(1);
    for (const id of [fresh, archived, closed, approved]) expect(rowsOf(id).filter((r) => r.kind === 'stale_case'), `case ${id}`).toEqual([]);

    // Just over 14 days: now it is.
    systemSweepReminders(new Date(NOW.getTime() + 2 * 3_600_000));
    expect(rowsOf(fresh).filter((r) => r.kind === 'stale_case')).toHaveLength(1);
  });

  it('any new event closes the stale reminder; a later quiet spell makes a new one', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    setUpdatedAt(caseId, new Date('2025-05-20T02:00:00Z'));
    systemSweepReminders(NOW);
    expect(byKey(owner.id, `stale:${caseId}:2025-05-20`)[0]).toMatchObject({ status: 'open', dueOn: '2025-06-03' });

    addContact(owner, caseId, contactInput({ promise: '', promiseDue: null, promiseWorkdays: null }));
    expect(byKey(owner.id, `stale:${caseId}:2025-05-20`)[0]).toMatchObject({ status: 'done', autoClosed: true });
    systemSweepReminders(NOW);
    expect(rowsOf(caseId).filter((r) => r.kind === 'stale_case' && r.status === 'open')).toEqual([]);

    // Quiet again from 1 June.
    setUpdatedAt(caseId, new Date('2025-06-01T02:00:00Z'));
    systemSweepReminders(NOW);
    expect(rowsOf(caseId).filter((r) => r.kind === 'stale_case').map((r) => [r.ruleKey, r.status, r.dueOn])).toEqual([
      [`stale:${caseId}:2025-05-20`, 'done', '2025-06-03'],
      [`stale:${caseId}:2025-06-01`, 'open', '2025-06-15'],
    ]);
  });

  it('an advisor\'s note does not answer it, and leaves the case\'s quiet days as they were; the borrower\'s own note does', () => {
    const { owner, lenderId } = borrowerWithLender();
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(owner, '李律师').code);
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    setUpdatedAt(caseId, new Date('2025-05-20T02:00:00Z'));
    systemSweepReminders(NOW);
    expect(byKey(owner.id, `stale:${caseId}:2025-05-20`)[0].status).toBe('open');

    addCaseNote(advisor, caseId, '客户两周没动静了，我下周一打电话提醒他。');
    expect(byKey(owner.id, `stale:${caseId}:2025-05-20`)[0].status).toBe('open');
    expect(caseRow(caseId).updatedAt.toISOString()).toBe('2025-05-20T02:00:00.000Z');

    addCaseNote(owner, caseId, '已经打过电话了');
    expect(byKey(owner.id, `stale:${caseId}:2025-05-20`)[0]).toMatchObject({ status: 'done', autoClosed: true });
    expect(caseRow(caseId).updatedAt.getTime()).toBe(NOW.getTime());
  });

  it('every kind of event answers it, and the next quiet spell is counted from that event', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const contactId = addContact(owner, caseId, contactInput({ promise: '', promiseDue: null, promiseWorkdays: null }));
    setUpdatedAt(caseId, new Date('2025-05-20T02:00:00Z'));
    systemSweepReminders(NOW);
    expect(byKey(owner.id, `stale:${caseId}:2025-05-20`)[0].status).toBe('open');

    // Deleting a contact is activity too: the reminder closes, and the case counts as touched today.
    deleteContact(owner, caseId, contactId);
    expect(byKey(owner.id, `stale:${caseId}:2025-05-20`)[0]).toMatchObject({ status: 'done', autoClosed: true });
    expect(caseRow(caseId).updatedAt.getTime()).toBe(NOW.getTime());
    // Fourteen quiet days after that, a new one.
    systemSweepReminders(new Date(NOW.getTime() + 15 * DAY));
    expect(byKey(owner.id, `stale:${caseId}:${TODAY}`)[0]).toMatchObject({ status: 'open', dueOn: '2025-07-03' });
  });
});

// --- what people do with reminders ----------------------------------------------------------

describe('createReminder', () => {
  it('the owner adds one of their own to their case', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom({ title: '问问减免', dueOn: '2025-06-25', dueTime: '09:30', note: '带上流水' }));
    expect(rowsOf(caseId)).toEqual([
      expect.objectContaining({
        id,
        ownerId: owner.id,
        caseId,
        kind: 'custom',
        ruleKey: null,
        title: '问问减免',
        note: '带上流水',
        dueOn: '2025-06-25',
        dueTime: '09:30',
        showOn: '2025-06-25',
        urgent: false,
        status: 'open',
        createdBy: owner.id,
      }),
    ]);
  });

  it("the case's list orders one day's reminders by their time, as the inbox does: 08:00 before 23:30, added in the other order", () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const late = createReminder(owner, caseId, custom({ title: '晚上打电话', dueOn: '2025-06-25', dueTime: '23:30' }));
    const early = createReminder(owner, caseId, custom({ title: '早上打电话', dueOn: '2025-06-25', dueTime: '08:00' }));
    const ownIds = (rows: { id: number; kind: string }[]) => rows.filter((r) => r.kind === 'custom').map((r) => r.id);
    expect(ownIds(listCaseReminders(owner, caseId))).toEqual([early, late]);
    expect(ownIds(listOpenReminders(owner, { caseId }))).toEqual([early, late]);
  });

  it.each([
    ['another borrower', () => makeBorrower()],
    ['an advisor', () => makeAdvisor()],
    ['an admin', () => makeAdmin()],
  ])('%s: NotFoundError, nothing made', (_label, makeOutsider) => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const outsider = makeOutsider();
    expect(() => createReminder(outsider, caseId, custom())).toThrow(NotFoundError);
    expect(rowsOf(caseId)).toEqual([]);
    expect(listOpenReminders(outsider)).toEqual([]);
  });
});

describe('listOpenReminders', () => {
  it('lists every open reminder of a borrower with several long plans (two a month each), not the first 500', () => {
    const { owner, lenderId } = borrowerWithLender();
    for (let i = 0; i < 3; i++) {
      const caseId = makeCase(owner, { lenderId });
      submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
      approveAttempt(owner, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-05-14', agreedPeriods: 120, agreedMonthly: 10_000, agreedFirstPaymentOn: '2025-07-21' }));
    }
    const open = getDb().select({ n: sql<number>`count(*)` }).from(reminders).where(and(eq(reminders.ownerId, owner.id), eq(reminders.status, 'open'))).get()!.n;
    expect(open).toBe(3 * 120 * 2);
    const listed = listOpenReminders(owner);
    expect(listed).toHaveLength(open);
    // Soonest first, to the last instalment ten years on.
    expect(listed.at(-1)!.showOn).toBe('2035-06-21');
    expect(listOpenReminders(owner, { limit: 5 })).toHaveLength(5);
  });
});

describe('updateReminder', () => {
  it('edits a person\'s own reminder, and it will be mailed again', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom());
    getDb().update(reminders).set({ mailedAt: NOW }).where(eq(reminders.id, id)).run();
    updateReminder(owner, id, { title: '改期', dueOn: '2025-06-30', dueTime: '14:00', note: '新备注' }, reminderStampOf(id));
    expect(rowsOf(caseId)[0]).toMatchObject({ title: '改期', dueOn: '2025-06-30', dueTime: '14:00', note: '新备注', showOn: '2025-06-30', mailedAt: null });
  });

  it('makes one an advisor added the owner\'s own once the owner rewrites it: no longer shown as the advisor\'s', () => {
    const { owner, lenderId } = borrowerWithLender();
    const advisor = makeAdvisor({ displayName: '李律师' });
    acceptInvite(advisor, createInvite(owner, '李律师').code);
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(advisor, caseId, custom({ title: '周一打客服电话' }));
    expect(listOpenReminders(owner).find((r) => r.id === id)?.addedBy).toBe('李律师');
    updateReminder(owner, id, custom({ title: '我自己改的' }), reminderStampOf(id));
    expect(rowsOf(caseId)[0]).toMatchObject({ title: '我自己改的', createdBy: owner.id });
    expect(listOpenReminders(owner).find((r) => r.id === id)?.addedBy).toBeNull();
  });

  it('keeps a snooze while the date stays; a new date, earlier or later, ends it (the appointment moved)', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom({ dueOn: '2025-06-20', dueTime: '10:00' }));
    snoozeReminder(owner, id, '2025-06-28');
    // The time or the title edited: still hidden until the snooze date.
    updateReminder(owner, id, custom({ dueOn: '2025-06-20', dueTime: '11:00' }), reminderStampOf(id));
    expect(rowsOf(caseId)[0]).toMatchObject({ dueOn: '2025-06-20', snoozedUntil: '2025-06-28', showOn: '2025-06-28' });
    // Moved to the 22nd, before the snooze date: it shows on the 22nd, as typed (and so does the calendar feed's event).
    updateReminder(owner, id, custom({ dueOn: '2025-06-22', dueTime: '11:00' }), reminderStampOf(id));
    expect(rowsOf(caseId)[0]).toMatchObject({ dueOn: '2025-06-22', snoozedUntil: null, showOn: '2025-06-22' });
    snoozeReminder(owner, id, '2025-06-28');
    updateReminder(owner, id, custom({ dueOn: '2025-07-02' }), reminderStampOf(id));
    expect(rowsOf(caseId)[0]).toMatchObject({ dueOn: '2025-07-02', snoozedUntil: null, showOn: '2025-07-02' });
  });

  it('refuses a rule reminder (ForbiddenError), which keeps its date', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    const [rule] = rowsOf(caseId);
    expect(() => updateReminder(owner, rule.id, custom(), reminderStampOf(rule.id))).toThrow(ForbiddenError);
    expect(rowsOf(caseId)).toEqual([rule]);
  });

  it('another borrower: NotFoundError, unchanged', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom());
    const before = rowsOf(caseId);
    expect(() => updateReminder(makeBorrower(), id, custom({ title: 'x' }), reminderStampOf(id))).toThrow(NotFoundError);
    expect(rowsOf(caseId)).toEqual(before);
  });

  it('refuses a save from a form opened before another edit (reminder_changed), unchanged; a snooze meanwhile is no edit', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom({ title: '打客服电话', dueOn: '2025-06-20' }));
    const opened = reminderStampOf(id);
    // Another tab saves first.
    updateReminder(owner, id, custom({ title: '第一个页面改的', dueOn: '2025-06-20' }), opened);
    const before = rowsOf(caseId);
    // Refused with the stamp as it is now, for the form to carry when it is sent again.
    expect(() => updateReminder(owner, id, custom({ title: '第二个页面改的', dueOn: '2025-06-24' }), opened)).toThrow(
      expect.objectContaining({ code: 'reminder_changed', detail: { hidden: { stamp: reminderStampOf(id) } } }),
    );
    expect(rowsOf(caseId)).toEqual(before);
    // Opened afresh, it saves; a snooze (or a mail sent) in between does not count as an edit.
    const fresh = reminderStampOf(id);
    snoozeReminder(owner, id, '2025-06-25');
    updateReminder(owner, id, custom({ title: '第二个页面改的', dueOn: '2025-06-24' }), fresh);
    // The new date is the one that shows: the snooze made for the old one goes.
    expect(rowsOf(caseId)[0]).toMatchObject({ title: '第二个页面改的', dueOn: '2025-06-24', showOn: '2025-06-24', snoozedUntil: null });
  });

  it('refuses a reminder closed since the form was opened (reminder_closed), unchanged', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom());
    const opened = reminderStampOf(id);
    setReminderStatus(owner, id, 'done');
    const before = rowsOf(caseId);
    expect(() => updateReminder(owner, id, custom({ title: '改了' }), opened)).toThrow(expect.objectContaining({ code: 'reminder_closed' }));
    expect(rowsOf(caseId)).toEqual(before);
  });
});

describe('setReminderStatus', () => {
  it('marks done, dismisses and reopens, a person\'s own or a rule\'s; closed by a person, not by a rule', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    const [rule] = rowsOf(caseId);
    const own = createReminder(owner, caseId, custom());

    setReminderStatus(owner, rule.id, 'done');
    setReminderStatus(owner, own, 'dismissed');
    const [r, o] = rowsOf(caseId);
    expect(r).toMatchObject({ status: 'done', autoClosed: false });
    expect(r.closedAt).not.toBeNull();
    expect(o).toMatchObject({ status: 'dismissed', autoClosed: false });
    expect(listOpenReminders(owner, { caseId })).toEqual([]);

    setReminderStatus(owner, rule.id, 'open');
    expect(rowsOf(caseId)[0]).toMatchObject({ status: 'open', closedAt: null });
  });

  it('a page out of date changes nothing: a reminder closed in another tab is not closed again, nor snoozed open', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom({ dueOn: '2025-06-10' }));
    setReminderStatus(owner, id, 'done');
    const closed = rowsOf(caseId);
    const refused = expect.objectContaining({ code: 'reminder_closed' });
    expect(() => setReminderStatus(owner, id, 'dismissed')).toThrow(refused);
    expect(() => setReminderStatus(owner, id, 'done')).toThrow(refused);
    expect(() => snoozeReminder(owner, id, '2025-06-20')).toThrow(refused);
    expect(rowsOf(caseId)).toEqual(closed);
    // Opened again on purpose (the case page's closed list), it can be snoozed and closed as before.
    setReminderStatus(owner, id, 'open');
    snoozeReminder(owner, id, '2025-06-20');
    setReminderStatus(owner, id, 'dismissed');
    expect(rowsOf(caseId)[0]).toMatchObject({ status: 'dismissed', snoozedUntil: '2025-06-20' });
  });

  it('a reminder its rule closed (the instalment paid) is neither snoozed, closed again nor opened again', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    const [rule] = rowsOf(caseId);
    // As the rule closes it when what it reminded of is done.
    getDb().update(reminders).set({ status: 'done', autoClosed: true, closedAt: NOW }).where(eq(reminders.id, rule.id)).run();
    const closed = rowsOf(caseId);
    const refused = expect.objectContaining({ code: 'reminder_closed' });
    expect(() => snoozeReminder(owner, rule.id, '2025-06-23')).toThrow(refused);
    expect(() => setReminderStatus(owner, rule.id, 'dismissed')).toThrow(refused);
    expect(() => setReminderStatus(owner, rule.id, 'open')).toThrow(expect.objectContaining({ code: 'reminder_closed_by_rule' }));
    expect(rowsOf(caseId)).toEqual(closed);
  });

  it('another borrower: NotFoundError, unchanged', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom());
    expect(() => setReminderStatus(makeBorrower(), id, 'done')).toThrow(NotFoundError);
    expect(rowsOf(caseId)[0].status).toBe('open');
  });
});

describe('snoozeReminder', () => {
  it('moves the day it shows to the snooze date, keeps the due date, and resets the mail', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    const [rule] = rowsOf(caseId);
    getDb().update(reminders).set({ mailedAt: NOW }).where(eq(reminders.id, rule.id)).run();
    expect(countDueReminders(owner)).toBe(1);

    snoozeReminder(owner, rule.id, '2025-06-23');
    expect(rowsOf(caseId)[0]).toMatchObject({ dueOn: '2025-04-11', snoozedUntil: '2025-06-23', showOn: '2025-06-23', mailedAt: null, status: 'open' });
    expect(countDueReminders(owner)).toBe(0);
    expect(countDueReminders(owner, '2025-06-23')).toBe(1);
  });

  it('refuses a date before the due date of a reminder not yet due, which would change nothing, naming the due date', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom({ dueOn: '2025-07-10' }));
    const before = rowsOf(caseId);
    for (const until of ['2025-06-25', '2025-07-10']) {
      expect(() => snoozeReminder(owner, id, until)).toThrow(expect.objectContaining({ code: 'snooze_before_due', detail: { field: 'until', values: { dueOn: '2025-07-10' } } }));
    }
    expect(rowsOf(caseId)).toEqual(before);
    // Past its due date, it moves.
    snoozeReminder(owner, id, '2025-07-12');
    expect(rowsOf(caseId)[0]).toMatchObject({ snoozedUntil: '2025-07-12', showOn: '2025-07-12' });
    // Snoozed, an earlier date brings it back on its due date.
    snoozeReminder(owner, id, '2025-06-25');
    expect(rowsOf(caseId)[0]).toMatchObject({ snoozedUntil: '2025-06-25', showOn: '2025-07-10' });
  });

  it('not past the lender\'s deadline still to come: the nudge moves up to it, the deadline itself not at all', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-06-16' }));
    // Asked on Wednesday 18 June for Monday 23 June: the nudge is Friday 20 June.
    requestMaterials(owner, caseId, versionOf(caseId), materialsInput({ requestedOn: '2025-06-18', deadline: '2025-06-23' }));
    const byKind = (kind: string) => rowsOf(caseId).find((r) => r.kind === kind)!;
    const before = rowsOf(caseId);
    const pastDeadline = expect.objectContaining({ code: 'snooze_past_deadline', detail: { field: 'until', values: { deadlineOn: '2025-06-23' } } });
    expect(() => snoozeReminder(owner, byKind('materials_nudge').id, '2025-06-24')).toThrow(pastDeadline);
    expect(() => snoozeReminder(owner, byKind('materials_deadline').id, '2025-06-25')).toThrow(pastDeadline);
    expect(() => snoozeReminder(owner, byKind('materials_deadline').id, '2025-06-21')).toThrow(expect.objectContaining({ code: 'snooze_before_due' }));
    expect(rowsOf(caseId)).toEqual(before);
    snoozeReminder(owner, byKind('materials_nudge').id, '2025-06-23');
    expect(byKind('materials_nudge')).toMatchObject({ showOn: '2025-06-23', status: 'open' });
  });

  it('"pay the rest" of a part payment, on the instalment\'s day: not past that day, as the day\'s own reminder (the miss would be hidden)', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-06-02' }));
    approveAttempt(owner, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-06-10', agreedPeriods: 2, agreedMonthly: 50_000, agreedFirstPaymentOn: '2025-06-19' }));
    const [first] = instalmentIds(caseId);
    // Today, the instalment's day: ¥200 of ¥500 paid.
    markInstalmentPaid(owner, caseId, versionOf(caseId), first!, { paidOn: TODAY, paid: 20_000 });
    const rest = rowsOf(caseId).find((r) => r.kind === 'instalment_short' && r.status === 'open')!;
    expect(rest).toMatchObject({ dueOn: TODAY, showOn: TODAY, urgent: false });
    const before = rowsOf(caseId);
    const pastDay = expect.objectContaining({ code: 'snooze_past_deadline', detail: { field: 'until', values: { deadlineOn: TODAY } } });
    for (const until of ['2025-06-20', '2025-06-22']) expect(() => snoozeReminder(owner, rest.id, until)).toThrow(pastDay);
    expect(rowsOf(caseId)).toEqual(before);
  });

  it('a deadline already past limits nothing: its reminder is snoozed like any other', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, caseId, versionOf(caseId), materialsInput({ requestedOn: '2025-04-02', deadline: '2025-04-07' }));
    const deadline = rowsOf(caseId).find((r) => r.kind === 'materials_deadline')!;
    snoozeReminder(owner, deadline.id, '2025-06-23');
    expect(rowsOf(caseId).find((r) => r.id === deadline.id)).toMatchObject({ showOn: '2025-06-23' });
  });

  it('another borrower: NotFoundError, unchanged', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const id = createReminder(owner, caseId, custom());
    const before = rowsOf(caseId);
    expect(() => snoozeReminder(makeBorrower(), id, '2025-07-01')).toThrow(NotFoundError);
    expect(rowsOf(caseId)).toEqual(before);
  });
});

describe('a rule reminder moved to a new date', () => {
  it('is mailed again on its new date; one whose date stays keeps its mail stamp (changeMaterialsDeadline)', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-06-16' }));
    // Asked on Wednesday 18 June for Monday 23 June: the nudge is Friday 20 June.
    requestMaterials(owner, caseId, versionOf(caseId), materialsInput({ requestedOn: '2025-06-18', deadline: '2025-06-23' }));
    const [request] = requestIds(caseId);
    const byKind = (kind: string) => rowsOf(caseId).find((r) => r.kind === kind)!;
    const mailAll = () => getDb().update(reminders).set({ mailedAt: NOW }).where(eq(reminders.caseId, caseId)).run();
    mailAll();

    // Saturday 28 June: both move (the nudge to Friday 27 June), and both are to be mailed again.
    changeMaterialsDeadline(owner, caseId, versionOf(caseId), request!.id, '2025-06-28');
    expect(byKind('materials_deadline')).toMatchObject({ dueOn: '2025-06-28', status: 'open', mailedAt: null });
    expect(byKind('materials_nudge')).toMatchObject({ dueOn: '2025-06-27', status: 'open', mailedAt: null });

    // Monday 30 June: the deadline moves; the nudge stays on Friday 27 June, already mailed for that day.
    mailAll();
    changeMaterialsDeadline(owner, caseId, versionOf(caseId), request!.id, '2025-06-30');
    expect(byKind('materials_deadline')).toMatchObject({ dueOn: '2025-06-30', mailedAt: null });
    expect(byKind('materials_nudge')).toMatchObject({ dueOn: '2025-06-27', mailedAt: NOW });
  });
});

describe('listOpenReminders and countDueReminders', () => {
  it('show only the viewer\'s open reminders, soonest first; the count is of those showing today or earlier', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseA = makeCase(owner, { lenderId });
    const caseB = makeCase(owner, { lenderId });
    const yesterday = createReminder(owner, caseA, custom({ title: 'yesterday', dueOn: '2025-06-18' }));
    const tomorrow = createReminder(owner, caseB, custom({ title: 'tomorrow', dueOn: '2025-06-20' }));
    const today = createReminder(owner, caseA, custom({ title: 'today', dueOn: TODAY }));
    const done = createReminder(owner, caseA, custom({ title: 'done', dueOn: '2025-06-01' }));
    setReminderStatus(owner, done, 'done');
    const snoozed = createReminder(owner, caseB, custom({ title: 'snoozed', dueOn: '2025-06-10' }));
    snoozeReminder(owner, snoozed, '2025-06-21');

    const other = borrowerWithLender();
    const theirCase = makeCase(other.owner, { lenderId: other.lenderId });
    createReminder(other.owner, theirCase, custom({ dueOn: '2025-06-01' }));

    const list = listOpenReminders(owner);
    expect(list.map((r) => r.id)).toEqual([yesterday, today, tomorrow, snoozed]);
    expect(list[0]).toMatchObject({ lenderName: LENDER_NAME, caseStatus: 'preparing' });
    expect(listOpenReminders(owner, { caseId: caseB }).map((r) => r.id)).toEqual([tomorrow, snoozed]);
    expect(listOpenReminders(owner, { limit: 1 }).map((r) => r.id)).toEqual([yesterday]);

    expect(countDueReminders(owner)).toBe(2);
    expect(countDueReminders(owner, '2025-06-20')).toBe(3);
    expect(countDueReminders(owner, '2025-06-21')).toBe(4);
    expect(countDueReminders(owner, '2025-06-17')).toBe(0);
    expect(countDueReminders(other.owner)).toBe(1);

    // The other borrower, naming this borrower's case, sees nothing of it.
    expect(listOpenReminders(other.owner, { caseId: caseA })).toEqual([]);
  });
});

describe('listCaseReminders', () => {
  it('lists the case\'s reminders, open first, soonest first, then the closed', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterialsOnTheDay(owner, caseId, materialsInput({ requestedOn: '2025-04-02', deadline: '2025-04-07' }));
    const late = createReminder(owner, caseId, custom({ dueOn: '2025-08-01' }));
    const early = createReminder(owner, caseId, custom({ dueOn: '2025-04-01' }));
    const list = listCaseReminders(owner, caseId);
    expect(list.map((r) => [r.kind, r.status])).toEqual([
      ['custom', 'open'],
      ['materials_nudge', 'open'],
      ['materials_deadline', 'open'],
      ['custom', 'open'],
      ['review_followup', 'done'],
    ]);
    expect(list[0].id).toBe(early);
    expect(list[3].id).toBe(late);
    expect(list[1]).toMatchObject({ lenderName: LENDER_NAME, caseStatus: 'materials_requested' });
  });

  it('lists the closed ones by when they were closed, the latest first, whatever their dates', () => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    const soon = createReminder(owner, caseId, custom({ dueOn: '2025-04-01' }));
    const later = createReminder(owner, caseId, custom({ dueOn: '2025-09-01' }));
    const middle = createReminder(owner, caseId, custom({ dueOn: '2025-06-01' }));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const [id, at] of [[soon, '2025-05-01T02:00:00Z'], [middle, '2025-05-03T02:00:00Z'], [later, '2025-05-02T02:00:00Z']] as const) {
        vi.setSystemTime(new Date(at));
        setReminderStatus(owner, id, 'done');
      }
    } finally {
      vi.useRealTimers();
    }
    expect(listCaseReminders(owner, caseId).map((r) => r.id)).toEqual([middle, later, soon]);
  });

  it.each([
    ['another borrower', () => makeBorrower()],
    ['an advisor', () => makeAdvisor()],
    ['an admin', () => makeAdmin()],
  ])('%s: NotFoundError', (_label, makeOutsider) => {
    const { owner, lenderId } = borrowerWithLender();
    const caseId = makeCase(owner, { lenderId });
    createReminder(owner, caseId, custom());
    expect(() => listCaseReminders(makeOutsider(), caseId)).toThrow(NotFoundError);
  });
});

describe('which case a reminder is of, when one lender has two', () => {
  it('says the account’s last digits, else the product; an empty one is none', () => {
    const owner = makeBorrower();
    const lender = publicLender(owner);
    const withRef = makeCase(owner, { lenderId: lender.id, accountRef: '2290', product: '白条' });
    const withProduct = makeCase(owner, { lenderId: lender.id, product: '金条', accountRef: '' });
    const bare = makeCase(owner, { lenderId: lender.id, product: '', accountRef: '' });
    for (const id of [withRef, withProduct, bare]) createReminder(owner, id, { title: `提醒 ${id}`, note: '', dueOn: '2025-06-01', dueTime: null });
    const rows = listOpenReminders(owner);
    const of = (id: number) => rows.find((r) => r.caseId === id)!;
    expect(of(withRef)).toMatchObject({ lenderName: lender.name, caseAccountRef: '2290', caseProduct: '白条' });
    expect(of(withProduct)).toMatchObject({ caseAccountRef: null, caseProduct: '金条' });
    expect(of(bare)).toMatchObject({ caseAccountRef: null, caseProduct: null });
    expect(listCaseReminders(owner, withProduct)[0]).toMatchObject({ caseProduct: '金条' });
  });
});
