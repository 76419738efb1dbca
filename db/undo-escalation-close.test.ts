import { describe, expect, it } from 'vitest';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { advanceCase, caseRow, contactInput, makeAdvisor, makeBorrower, makeCase, snapshotCases, versionOf } from '@/tests/factories';
import { thrown } from '@/tests/thrown';
import { closeEscalation, escalateCase, undoEscalationClose, undoWithdrawal, withdrawCase } from './attempts';
import { getCaseDetail } from './cases';
import { getDb } from './client';
import { addContact } from './contacts';
import { markInstalmentPaid } from './plans';
import { createReminder, setReminderStatus } from './reminders';
import { acceptInvite, createInvite } from './shares';
import type { Viewer } from './viewer-type';

/** undoEscalationClose (db/attempts.ts): the end of a mediation or complaint recorded by mistake, undone. */

function escalatedCase(owner: Viewer): number {
  const id = makeCase(owner);
  advanceCase(owner, id, 'escalated');
  expect(caseRow(id).status).toBe('escalated');
  return id;
}

/** A case's reminders as they stand: what the undo must put back as it was (the timestamps aside). */
function remindersOf(caseId: number) {
  return getDb()
    .$client.prepare(
      `select id, rule_key as ruleKey, kind, status, auto_closed as autoClosed, due_on as dueOn, show_on as showOn, snoozed_until as snoozedUntil, data
       from reminders where case_id = ? order by id`,
    )
    .all(caseId) as { id: number; ruleKey: string | null; kind: string; status: string; autoClosed: number }[];
}

const attemptsOf = (caseId: number) => getDb().$client.prepare('select * from attempts where case_id = ? order by round').all(caseId);

/** Everything of the case a refused undo must leave exactly as it was. */
const stateOf = (caseId: number) => ({ rows: snapshotCases([caseId]), reminders: getDb().$client.prepare('select * from reminders where case_id = ? order by id').all(caseId) });

const lastEvent = (owner: Viewer, caseId: number) => getCaseDetail(owner, caseId).events.at(-1)!;

describe('undoEscalationClose: the end of a mediation or complaint recorded by mistake', () => {
  it.each(['other', 'settled', 'withdrawn'] as const)('ended as "%s": back to escalated, the round undecided, its reminders as they were', (outcome) => {
    const owner = makeBorrower();
    const id = escalatedCase(owner);
    // A promise the mediator made: its chase is open, as the escalation's follow-up is.
    addContact(owner, id, contactInput({ occurredAt: new Date('2025-05-02T02:00:00Z') }));
    const reminders = remindersOf(id);
    const rounds = attemptsOf(id);
    expect(reminders.filter((r) => r.ruleKey !== null && r.status === 'open').map((r) => r.kind).sort()).toEqual(['promise_chase', 'review_followup']);

    closeEscalation(owner, id, versionOf(id), outcome, '调解员说结束了');
    expect(caseRow(id)).toMatchObject({ status: 'closed', outcome });
    expect(remindersOf(id).filter((r) => r.ruleKey !== null && r.status === 'open')).toEqual([]);
    // The event names the rule reminders it closed: those that were open.
    const closed = reminders.filter((r) => r.ruleKey !== null && r.status === 'open').map((r) => r.id);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'escalation_closed', data: { outcome, closedReminders: closed } });

    const version = versionOf(id);
    undoEscalationClose(owner, id, version);
    expect(caseRow(id)).toMatchObject({ status: 'escalated', outcome: null, version: version + 1 });
    expect(attemptsOf(id)).toEqual(rounds);
    expect(remindersOf(id)).toEqual(reminders);
    // The timeline keeps the end and says it was undone.
    expect(getCaseDetail(owner, id).events.map((e) => e.kind).slice(-2)).toEqual(['escalation_closed', 'escalation_close_undone']);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'escalation_close_undone', data: { round: 2 } });
  });

  it('reopens exactly what the end closed: not a reminder closed by hand, nor one of the person’s own', () => {
    const owner = makeBorrower();
    const id = escalatedCase(owner);
    const contactId = addContact(owner, id, contactInput({ occurredAt: new Date('2025-05-02T02:00:00Z') }));
    const mine = createReminder(owner, id, { title: '问调解员进展', dueOn: '2025-06-20', dueTime: null, note: '' });
    // The latest of them: the escalation's follow-up is the second round's `review:`.
    const byKey = (prefix: string) => remindersOf(id).findLast((r) => r.ruleKey?.startsWith(prefix))!;
    setReminderStatus(owner, byKey(`promise:${contactId}`).id, 'dismissed');

    closeEscalation(owner, id, versionOf(id), 'other', '');
    expect(lastEvent(owner, id)).toMatchObject({ data: { closedReminders: [byKey('review:').id] } });
    undoEscalationClose(owner, id, versionOf(id));
    expect(byKey('review:')).toMatchObject({ status: 'open', autoClosed: 0 });
    expect(byKey(`promise:${contactId}`)).toMatchObject({ status: 'dismissed', autoClosed: 0 });
    expect(remindersOf(id).find((r) => r.id === mine)).toMatchObject({ status: 'open' });

    // Ended again, for good this time: that end too can be undone.
    closeEscalation(owner, id, versionOf(id), 'other', '');
    expect(byKey('review:')).toMatchObject({ status: 'done', autoClosed: 1 });
    undoEscalationClose(owner, id, versionOf(id));
    expect(caseRow(id)).toMatchObject({ status: 'escalated', outcome: null });
    expect(byKey('review:')).toMatchObject({ status: 'open' });
  });

  it('the case then goes on as any escalated case: the mediator’s decision, or a withdrawal', () => {
    const owner = makeBorrower();
    const id = escalatedCase(owner);
    closeEscalation(owner, id, versionOf(id), 'other', '');
    undoEscalationClose(owner, id, versionOf(id));
    withdrawCase(owner, id, versionOf(id), '');
    expect(caseRow(id)).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    undoWithdrawal(owner, id, versionOf(id));
    expect(caseRow(id)).toMatchObject({ status: 'escalated', outcome: null });
  });
});

describe('undoEscalationClose refuses, and changes nothing', () => {
  function refused(owner: Viewer, id: number, version: number) {
    const before = stateOf(id);
    const e = thrown(() => undoEscalationClose(owner, id, version));
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('escalation_not_closed');
    expect(stateOf(id)).toEqual(before);
  }

  it('a case not closed by the end of a mediation: open, undone already, withdrawn since, withdrawn, or its plan paid', () => {
    const owner = makeBorrower();
    const open = escalatedCase(owner);
    refused(owner, open, versionOf(open));

    const undone = escalatedCase(owner);
    closeEscalation(owner, undone, versionOf(undone), 'other', '');
    undoEscalationClose(owner, undone, versionOf(undone));
    refused(owner, undone, versionOf(undone));

    const withdrawnSince = escalatedCase(owner);
    closeEscalation(owner, withdrawnSince, versionOf(withdrawnSince), 'other', '');
    undoEscalationClose(owner, withdrawnSince, versionOf(withdrawnSince));
    withdrawCase(owner, withdrawnSince, versionOf(withdrawnSince), '');
    refused(owner, withdrawnSince, versionOf(withdrawnSince));

    const withdrawn = makeCase(owner);
    advanceCase(owner, withdrawn, 'rejected');
    withdrawCase(owner, withdrawn, versionOf(withdrawn), '');
    refused(owner, withdrawn, versionOf(withdrawn));

    const settled = makeCase(owner);
    advanceCase(owner, settled, 'approved');
    for (const i of getCaseDetail(owner, settled).instalments) {
      markInstalmentPaid(owner, settled, versionOf(settled), i.id, { paidOn: '2025-05-31', paid: i.amountFen });
    }
    expect(caseRow(settled)).toMatchObject({ status: 'closed', outcome: 'settled' });
    refused(owner, settled, versionOf(settled));
  });

  it('an end recorded before it kept the reminders it closed', () => {
    const owner = makeBorrower();
    const id = escalatedCase(owner);
    closeEscalation(owner, id, versionOf(id), 'other', '');
    getDb().$client.prepare(`update case_events set data = json_remove(data, '$.closedReminders') where case_id = ? and kind = 'escalation_closed'`).run(id);
    refused(owner, id, versionOf(id));
  });

  it('a stale version: ConflictError', () => {
    const owner = makeBorrower();
    const id = escalatedCase(owner);
    closeEscalation(owner, id, versionOf(id), 'other', '');
    const before = stateOf(id);
    expect(() => undoEscalationClose(owner, id, versionOf(id) - 1)).toThrow(ConflictError);
    expect(() => undoEscalationClose(owner, id, versionOf(id) + 1)).toThrow(ConflictError);
    expect(stateOf(id)).toEqual(before);
  });

  it("the owner's advisor may read the case but not undo: ForbiddenError; anyone else: NotFoundError", () => {
    const owner = makeBorrower();
    const id = escalatedCase(owner);
    closeEscalation(owner, id, versionOf(id), 'other', '');
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(owner, '法律援助').code);
    getCaseDetail(advisor, id);
    const before = stateOf(id);
    expect((thrown(() => undoEscalationClose(advisor, id, versionOf(id))) as Error).constructor).toBe(ForbiddenError);
    for (const outsider of [makeBorrower(), makeAdvisor()]) {
      expect((thrown(() => undoEscalationClose(outsider, id, versionOf(id))) as Error).constructor).toBe(NotFoundError);
    }
    expect(stateOf(id)).toEqual(before);
    expect(caseRow(id)).toMatchObject({ status: 'closed', outcome: 'other' });
  });
});
