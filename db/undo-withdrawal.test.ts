import { describe, expect, it } from 'vitest';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import {
  advanceCase,
  caseRow,
  contactInput,
  escalateInput,
  makeAdvisor,
  makeBorrower,
  makeCase,
  snapshotCases,
  versionOf,
  type CaseStage,
} from '@/tests/factories';
import { thrown } from '@/tests/thrown';
import { changeMaterialsDeadline, closeEscalation, escalateCase, undoWithdrawal, withdrawCase } from './attempts';
import { getCaseDetail } from './cases';
import { getDb } from './client';
import { addContact, correctContact, deleteContact, recordPromiseOutcome } from './contacts';
import { markInstalmentPaid } from './plans';
import { createReminder, setReminderStatus } from './reminders';
import { acceptInvite, createInvite } from './shares';
import type { Viewer } from './viewer-type';

/** undoWithdrawal (db/attempts.ts): a withdrawal recorded by mistake, undone. */

type Stage = CaseStage | 'repaying';

/** A fresh case of `owner`'s in `stage`, reached through the verbs. */
function caseAt(owner: Viewer, stage: Stage): number {
  const id = makeCase(owner);
  if (stage === 'repaying') {
    advanceCase(owner, id, 'approved');
    const [first] = getCaseDetail(owner, id).instalments;
    markInstalmentPaid(owner, id, versionOf(id), first!.id, { paidOn: '2025-05-31', paid: first!.amountFen });
  } else {
    advanceCase(owner, id, stage);
  }
  expect(caseRow(id).status).toBe(stage);
  return id;
}

/** A case's reminders as they stand: what undoing a withdrawal must put back as it was (the timestamps aside). */
function remindersOf(caseId: number) {
  return getDb()
    .$client.prepare(
      `select id, rule_key as ruleKey, kind, status, auto_closed as autoClosed, due_on as dueOn, show_on as showOn, snoozed_until as snoozedUntil
       from reminders where case_id = ? order by id`,
    )
    .all(caseId) as { id: number; ruleKey: string | null; kind: string; status: string; autoClosed: number; dueOn: string; showOn: string; snoozedUntil: string | null }[];
}

/** Everything of the case a refused undo must leave exactly as it was. */
const stateOf = (caseId: number) => ({ rows: snapshotCases([caseId]), reminders: getDb().$client.prepare('select * from reminders where case_id = ? order by id').all(caseId) });

const lastEvent = (owner: Viewer, caseId: number) => getCaseDetail(owner, caseId).events.at(-1)!;

describe('undoWithdrawal: a withdrawal recorded by mistake', () => {
  it.each<Stage>(['preparing', 'under_review', 'materials_requested', 'rejected', 'escalated', 'approved', 'repaying'])(
    'a case withdrawn from %s goes back to it, its reminders as they were before the withdrawal',
    (stage) => {
      const owner = makeBorrower();
      const id = caseAt(owner, stage);
      // A promise made during the review: its chase is open (an approval or rejection answers it, a withdrawal closes it).
      if (stage === 'under_review' || stage === 'materials_requested') addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-02T02:00:00Z') }));
      const before = remindersOf(id);
      withdrawCase(owner, id, versionOf(id), '点错了');
      expect(caseRow(id)).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
      expect(remindersOf(id).filter((r) => r.ruleKey !== null && r.status === 'open')).toEqual([]);

      const version = versionOf(id);
      undoWithdrawal(owner, id, version);
      expect(caseRow(id)).toMatchObject({ status: stage, outcome: null, version: version + 1 });
      expect(remindersOf(id)).toEqual(before);
      // The timeline keeps the withdrawal and says it was undone.
      const kinds = getCaseDetail(owner, id).events.map((e) => e.kind);
      expect(kinds.slice(-2)).toEqual(['withdrawn', 'withdraw_undone']);
      expect(lastEvent(owner, id)).toMatchObject({ kind: 'withdraw_undone', data: { to: stage } });
    },
  );

  it('reopens exactly the rule reminders the withdrawal closed: not those closed by hand, nor by an earlier step', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'materials_requested');
    const contactId = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-02T02:00:00Z') }));
    const mine = createReminder(owner, id, { title: '打电话给客服', dueOn: '2025-04-20', dueTime: null, note: '' });
    const mineDone = createReminder(owner, id, { title: '已经做完的事', dueOn: '2025-04-18', dueTime: null, note: '' });
    setReminderStatus(owner, mineDone, 'done');
    const rows = () => remindersOf(id);
    const byKey = (prefix: string) => rows().find((r) => r.ruleKey?.startsWith(prefix))!;
    // The promise's chase dismissed by hand before the withdrawal.
    setReminderStatus(owner, byKey(`promise:${contactId}`).id, 'dismissed');
    // "Check the review result" was closed by the request for materials, before the withdrawal.
    expect(byKey('review:')).toMatchObject({ status: 'done', autoClosed: 1 });
    expect(byKey('materials:')).toMatchObject({ status: 'open' });

    withdrawCase(owner, id, versionOf(id), '');
    const withdrawn = lastEvent(owner, id);
    const closed = rows().filter((r) => r.ruleKey?.startsWith('materials') && r.status === 'done').map((r) => r.id);
    expect(closed.length).toBeGreaterThan(0);
    expect(withdrawn).toMatchObject({ kind: 'withdrawn', data: { from: 'materials_requested', closedReminders: closed } });
    expect(rows().find((r) => r.id === mine)).toMatchObject({ status: 'open' });

    undoWithdrawal(owner, id, versionOf(id));
    const after = rows();
    expect(after.filter((r) => closed.includes(r.id)).map((r) => [r.status, r.autoClosed])).toEqual(closed.map(() => ['open', 0]));
    expect(byKey(`promise:${contactId}`)).toMatchObject({ status: 'dismissed', autoClosed: 0 });
    expect(byKey('review:')).toMatchObject({ status: 'done', autoClosed: 1 });
    expect(after.find((r) => r.id === mine)).toMatchObject({ status: 'open' });
    expect(after.find((r) => r.id === mineDone)).toMatchObject({ status: 'done', autoClosed: 0 });
  });

  it('a new deadline is refused while the case is withdrawn (no reminder opens on a closed case); once undone, it is taken', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'materials_requested');
    const request = getCaseDetail(owner, id).materialRequests[0]!;
    const deadlineOf = () => remindersOf(id).find((r) => r.ruleKey === `materials:${request.id}`)!;
    const before = deadlineOf();
    withdrawCase(owner, id, versionOf(id), '');
    const withdrawn = remindersOf(id);
    expect(thrown(() => changeMaterialsDeadline(owner, id, versionOf(id), request.id, '2025-04-15'))).toMatchObject({ code: 'case_closed' });
    expect(remindersOf(id)).toEqual(withdrawn);
    undoWithdrawal(owner, id, versionOf(id));
    expect(caseRow(id).status).toBe('materials_requested');
    expect(deadlineOf()).toMatchObject({ status: 'open', dueOn: before.dueOn });
    changeMaterialsDeadline(owner, id, versionOf(id), request.id, '2025-04-15');
    expect(deadlineOf()).toMatchObject({ status: 'open', dueOn: '2025-04-15' });
  });

  it('leaves closed the chase of a promise no longer awaited since the withdrawal: its contact deleted, its promise corrected away, its outcome recorded', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'under_review');
    const at = (day: string) => contactInput({ occurredAt: new Date(`${day}T02:00:00Z`) });
    const [deleted, corrected, kept, awaited] = ['2025-04-02', '2025-04-03', '2025-04-04', '2025-04-05'].map((day) => addContact(owner, id, at(day)));
    const chase = (contactId: number) => remindersOf(id).find((r) => r.ruleKey === `promise:${contactId}`)!;
    for (const c of [deleted, corrected, kept, awaited]) expect(chase(c!).status).toBe('open');
    withdrawCase(owner, id, versionOf(id), '');
    deleteContact(owner, id, deleted!);
    correctContact(owner, id, versionOf(id), corrected!, { ...at('2025-04-03'), promise: '', promiseDue: null, promiseWorkdays: null });
    recordPromiseOutcome(owner, id, versionOf(id), kept!, { outcome: 'kept', on: '2025-04-06' });
    undoWithdrawal(owner, id, versionOf(id));
    expect(caseRow(id).status).toBe('under_review');
    expect([deleted, corrected, kept, awaited].map((c) => chase(c!).status)).toEqual(['done', 'done', 'done', 'open']);
  });

  it('does not reopen the "no activity" reminder: the undo is activity', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'under_review');
    getDb()
      .$client.prepare("insert into reminders (owner_id, case_id, kind, rule_key, data, due_on, show_on) values (?, ?, 'stale_case', ?, '{}', '2025-05-01', '2025-05-01')")
      .run(owner.id, id, `stale:${id}:2025-04-17`);
    withdrawCase(owner, id, versionOf(id), '');
    const stale = remindersOf(id).find((r) => r.kind === 'stale_case')!;
    expect(stale.status).toBe('done');
    expect((lastEvent(owner, id).data as { closedReminders: number[] }).closedReminders).not.toContain(stale.id);
    undoWithdrawal(owner, id, versionOf(id));
    expect(remindersOf(id).find((r) => r.kind === 'stale_case')).toMatchObject({ status: 'done' });
    expect(remindersOf(id).find((r) => r.kind === 'review_followup')).toMatchObject({ status: 'open' });
  });

  it('can be withdrawn again after the undo, and that withdrawal undone too', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'rejected');
    withdrawCase(owner, id, versionOf(id), '');
    undoWithdrawal(owner, id, versionOf(id));
    withdrawCase(owner, id, versionOf(id), '');
    expect(remindersOf(id).find((r) => r.kind === 'next_step')).toMatchObject({ status: 'done' });
    undoWithdrawal(owner, id, versionOf(id));
    expect(caseRow(id)).toMatchObject({ status: 'rejected', outcome: null });
    expect(remindersOf(id).find((r) => r.kind === 'next_step')).toMatchObject({ status: 'open' });
  });
});

describe('undoWithdrawal refuses, and changes nothing', () => {
  function refused(owner: Viewer, id: number, version: number, code: string) {
    const before = stateOf(id);
    const e = thrown(() => undoWithdrawal(owner, id, version));
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    expect(stateOf(id)).toEqual(before);
  }

  it('a case that is not withdrawn: open, undone already, or closed otherwise', () => {
    const owner = makeBorrower();
    const open = caseAt(owner, 'under_review');
    refused(owner, open, versionOf(open), 'not_withdrawn');

    const undone = caseAt(owner, 'rejected');
    withdrawCase(owner, undone, versionOf(undone), '');
    undoWithdrawal(owner, undone, versionOf(undone));
    refused(owner, undone, versionOf(undone), 'not_withdrawn');

    const settled = caseAt(owner, 'escalated');
    closeEscalation(owner, settled, versionOf(settled), 'settled', '');
    refused(owner, settled, versionOf(settled), 'not_withdrawn');
  });

  it('a case closed as withdrawn, but not by the withdrawal: mediation ended so, even after an earlier withdrawal undone', () => {
    const owner = makeBorrower();
    const mediated = caseAt(owner, 'escalated');
    closeEscalation(owner, mediated, versionOf(mediated), 'withdrawn', '');
    expect(caseRow(mediated)).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    refused(owner, mediated, versionOf(mediated), 'withdrawal_not_undoable');

    const again = caseAt(owner, 'rejected');
    withdrawCase(owner, again, versionOf(again), '');
    undoWithdrawal(owner, again, versionOf(again));
    escalateCase(owner, again, versionOf(again), escalateInput());
    closeEscalation(owner, again, versionOf(again), 'withdrawn', '');
    refused(owner, again, versionOf(again), 'withdrawal_not_undoable');
  });

  it('a withdrawal recorded before withdrawals kept the reminders they closed', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'under_review');
    withdrawCase(owner, id, versionOf(id), '');
    getDb().$client.prepare(`update case_events set data = json_remove(data, '$.closedReminders') where case_id = ? and kind = 'withdrawn'`).run(id);
    refused(owner, id, versionOf(id), 'withdrawal_not_undoable');
  });

  it('a stale version: ConflictError', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'approved');
    withdrawCase(owner, id, versionOf(id), '');
    const before = stateOf(id);
    expect(() => undoWithdrawal(owner, id, versionOf(id) - 1)).toThrow(ConflictError);
    expect(() => undoWithdrawal(owner, id, versionOf(id) + 1)).toThrow(ConflictError);
    expect(stateOf(id)).toEqual(before);
  });

  it("the owner's advisor may read the case but not undo: ForbiddenError; anyone else: NotFoundError", () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'under_review');
    withdrawCase(owner, id, versionOf(id), '');
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(owner, '法律援助').code);
    getCaseDetail(advisor, id);
    const before = stateOf(id);
    // Exactly these classes: "not yours" is "not found" to anyone who may not read the case.
    expect((thrown(() => undoWithdrawal(advisor, id, versionOf(id))) as Error).constructor).toBe(ForbiddenError);
    for (const outsider of [makeBorrower(), makeAdvisor()]) {
      expect((thrown(() => undoWithdrawal(outsider, id, versionOf(id))) as Error).constructor).toBe(NotFoundError);
    }
    expect(stateOf(id)).toEqual(before);
    expect(caseRow(id)).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
  });
});
