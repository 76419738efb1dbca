import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  assertTransition,
  byUrgency,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  escalationCloseUndo,
  LENDER_NOT_CALLED_SQL,
  lenderIsWhoToCall,
  nextStatus,
  readNext,
  TransitionError,
  withdrawalUndo,
  type CaseStatus,
  type CaseTransition,
} from './case-status';

/** DESIGN.md §3, written out by hand: every allowed transition and where it leads. */
const ALLOWED: [CaseStatus, CaseTransition, CaseStatus][] = [
  ['preparing', 'submit', 'under_review'],
  ['under_review', 'request_materials', 'materials_requested'],
  ['materials_requested', 'send_materials', 'under_review'],
  ['materials_requested', 'send_some_materials', 'materials_requested'],
  // A request recorded by mistake, removed when no other is awaited (db/attempts.ts removeMaterialsRequest).
  ['materials_requested', 'remove_materials_request', 'under_review'],
  // Beyond DESIGN's diagram: the lender asks again, or decides, before the materials went.
  ['materials_requested', 'request_materials', 'materials_requested'],
  ['materials_requested', 'approve', 'approved'],
  ['materials_requested', 'reject', 'rejected'],
  ['under_review', 'approve', 'approved'],
  ['under_review', 'reject', 'rejected'],
  ['rejected', 'reapply', 'under_review'],
  ['rejected', 'escalate', 'escalated'],
  ['escalated', 'approve', 'approved'],
  ['escalated', 'reject', 'rejected'],
  ['escalated', 'close_escalation', 'closed'],
  // … recorded by mistake, and undone (db/attempts.ts undoEscalationClose).
  ['closed', 'undo_close_escalation', 'escalated'],
  ['approved', 'start_repaying', 'repaying'],
  ['repaying', 'complete', 'closed'],
  ['closed', 'reopen_plan', 'repaying'],
  ['repaying', 'unstart_repaying', 'approved'],
  ['approved', 'undo_decision', 'under_review'],
  ['rejected', 'undo_decision', 'under_review'],
  ['approved', 'undo_escalation_decision', 'escalated'],
  ['rejected', 'undo_escalation_decision', 'escalated'],
  ['approved', 'undo_overtaking_decision', 'materials_requested'],
  ['rejected', 'undo_overtaking_decision', 'materials_requested'],
  // An application round recorded by mistake, taken back (db/attempts.ts undoAttempt).
  ['under_review', 'undo_submit', 'preparing'],
  ['under_review', 'undo_reapply', 'rejected'],
  ['escalated', 'undo_escalate', 'rejected'],
  // Beyond DESIGN's diagram: the lender voids the plan it agreed.
  ['approved', 'void_plan', 'rejected'],
  ['repaying', 'void_plan', 'rejected'],
  // … recorded by mistake, and undone (db/plans.ts undoPlanEnd).
  ['rejected', 'undo_void_plan', 'approved'],
  // … or lets the rest be paid at once (db/plans.ts payOffPlan).
  ['approved', 'pay_off', 'closed'],
  ['repaying', 'pay_off', 'closed'],
  ...CASE_STATUSES.filter((s) => s !== 'closed').map((s) => [s, 'withdraw', 'closed'] as [CaseStatus, CaseTransition, CaseStatus]),
];

/** Transitions that go back to the status the case had (the caller passes it): tested on their own below. */
const GOING_BACK: [CaseStatus, CaseTransition][] = [['closed', 'undo_withdraw']];
const OPEN = CASE_STATUSES.filter((s) => s !== 'closed');

const allowedKey = new Set([...ALLOWED, ...GOING_BACK].map(([from, t]) => `${from}:${t}`));
const FORBIDDEN = CASE_STATUSES.flatMap((from) =>
  CASE_TRANSITIONS.filter((t) => !allowedKey.has(`${from}:${t}`)).map((t) => [from, t] as const),
);

describe('case status machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, transition, to) => {
    expect(nextStatus(from, transition)).toBe(to);
    expect(assertTransition(from, transition)).toBe(to);
  });

  it.each(FORBIDDEN)('%s refuses %s', (from, transition) => {
    expect(nextStatus(from, transition)).toBeNull();
    expect(() => assertTransition(from, transition)).toThrow(TransitionError);
  });

  it('covers every pair of status and transition exactly once', () => {
    expect(ALLOWED.length + GOING_BACK.length + FORBIDDEN.length).toBe(CASE_STATUSES.length * CASE_TRANSITIONS.length);
  });

  it('offers nothing on a closed case, and no automatic transition as a button', () => {
    expect(allowedTransitions('closed')).toEqual([]);
    expect(allowedTransitions('approved')).toEqual(['void_plan', 'withdraw']);
    expect(allowedTransitions('approved', false)).toEqual(['start_repaying', 'undo_decision', 'undo_escalation_decision', 'undo_overtaking_decision', 'void_plan', 'pay_off', 'withdraw']);
    expect(allowedTransitions('closed', false)).toEqual(['undo_close_escalation', 'reopen_plan', 'undo_withdraw']);
    expect(allowedTransitions('rejected')).toEqual(['reapply', 'escalate', 'withdraw']);
    expect(allowedTransitions('materials_requested')).toEqual(['request_materials', 'send_materials', 'approve', 'reject', 'withdraw']);
  });
});

describe('undoing a withdrawal', () => {
  it.each(OPEN)('goes back from closed to %s, the status recorded', (previous) => {
    expect(nextStatus('closed', 'undo_withdraw', previous)).toBe(previous);
    expect(assertTransition('closed', 'undo_withdraw', previous)).toBe(previous);
  });

  it('goes nowhere without the status recorded, or to one no withdrawal leaves (closed)', () => {
    expect(nextStatus('closed', 'undo_withdraw')).toBeNull();
    expect(nextStatus('closed', 'undo_withdraw', 'closed')).toBeNull();
    expect(() => assertTransition('closed', 'undo_withdraw')).toThrow(TransitionError);
    expect(() => assertTransition('closed', 'undo_withdraw', 'closed')).toThrow(TransitionError);
  });

  it.each(OPEN)('is refused from %s, an open case', (from) => {
    expect(nextStatus(from, 'undo_withdraw', 'under_review')).toBeNull();
    expect(() => assertTransition(from, 'undo_withdraw', 'under_review')).toThrow(TransitionError);
  });

  it('a status recorded for a transition that goes to a fixed status changes nothing', () => {
    expect(nextStatus('rejected', 'reapply', 'preparing')).toBe('under_review');
  });
});

describe('withdrawalUndo', () => {
  const withdrawn = { status: 'closed' as const, outcome: 'withdrawn' };
  const event = (data: unknown) => ({ kind: 'withdrawn', data });

  it('reads the status the case had and the reminders the withdrawal closed from its event', () => {
    expect(withdrawalUndo(withdrawn, [event({ from: 'rejected', note: '', closedReminders: [4, 7] })])).toEqual({ from: 'rejected', reminders: [4, 7] });
    // Later events that did not close or reopen the case (a note, a contact) do not matter.
    expect(
      withdrawalUndo(withdrawn, [{ kind: 'attempt_submitted', data: {} }, event({ from: 'under_review', note: '', closedReminders: [] }), { kind: 'note', data: { text: '…' } }]),
    ).toEqual({ from: 'under_review', reminders: [] });
  });

  it('has nothing to undo on a case not closed as withdrawn', () => {
    const events = [event({ from: 'rejected', note: '', closedReminders: [] })];
    expect(withdrawalUndo({ status: 'rejected', outcome: null }, events)).toBeNull();
    expect(withdrawalUndo({ status: 'closed', outcome: 'settled' }, events)).toBeNull();
  });

  it('has nothing to undo when the case was closed otherwise since, or the withdrawal was undone', () => {
    const w = event({ from: 'rejected', note: '', closedReminders: [] });
    // Mediation ended with the outcome "withdrawn": the escalation's close, not the withdrawal's.
    expect(withdrawalUndo(withdrawn, [w, { kind: 'withdraw_undone', data: { to: 'rejected' } }, { kind: 'escalation_closed', data: { outcome: 'withdrawn' } }])).toBeNull();
    expect(withdrawalUndo(withdrawn, [w, { kind: 'withdraw_undone', data: { to: 'rejected' } }])).toBeNull();
    expect(withdrawalUndo(withdrawn, [])).toBeNull();
  });

  it('cannot undo a withdrawal whose event does not say what it closed, or says something else', () => {
    // Recorded before withdrawals kept their reminders (and by the bench's generator: no data at all).
    expect(withdrawalUndo(withdrawn, [event({ from: 'rejected', note: '' })])).toBeNull();
    expect(withdrawalUndo(withdrawn, [event({})])).toBeNull();
    expect(withdrawalUndo(withdrawn, [event(null)])).toBeNull();
    expect(withdrawalUndo(withdrawn, [event({ from: 'closed', closedReminders: [] })])).toBeNull();
    expect(withdrawalUndo(withdrawn, [event({ from: 'somewhere', closedReminders: [] })])).toBeNull();
    expect(withdrawalUndo(withdrawn, [event({ from: 'rejected', closedReminders: [1, '2'] })])).toBeNull();
    expect(withdrawalUndo(withdrawn, [event({ from: 'rejected', closedReminders: [0] })])).toBeNull();
  });
});

describe('escalationCloseUndo', () => {
  const closed = { status: 'closed' as const };
  const event = (data: unknown) => ({ kind: 'escalation_closed', data });

  it('reads the reminders the end of the mediation closed from its event', () => {
    expect(escalationCloseUndo(closed, [event({ outcome: 'other', note: '', closedReminders: [3, 9] })])).toEqual({ reminders: [3, 9] });
    // Whatever the outcome given: "withdrawn" here is the mediation's end, not a withdrawal.
    expect(escalationCloseUndo({ status: 'closed' }, [event({ outcome: 'withdrawn', note: '', closedReminders: [] }), { kind: 'note', data: { text: '…' } }])).toEqual({
      reminders: [],
    });
  });

  it('has nothing to undo on an open case, or one closed otherwise since', () => {
    const e = event({ outcome: 'other', note: '', closedReminders: [] });
    expect(escalationCloseUndo({ status: 'escalated' }, [e, { kind: 'escalation_close_undone', data: {} }])).toBeNull();
    expect(escalationCloseUndo(closed, [e, { kind: 'escalation_close_undone', data: {} }, { kind: 'withdrawn', data: { from: 'escalated', closedReminders: [] } }])).toBeNull();
    expect(escalationCloseUndo(closed, [{ kind: 'withdrawn', data: { from: 'escalated', closedReminders: [] } }])).toBeNull();
    expect(escalationCloseUndo(closed, [])).toBeNull();
  });

  it('cannot undo an end whose event does not say what it closed (recorded before 3 December 2026), or says something else', () => {
    expect(escalationCloseUndo(closed, [event({ outcome: 'other', note: '' })])).toBeNull();
    expect(escalationCloseUndo(closed, [event(null)])).toBeNull();
    expect(escalationCloseUndo(closed, [event({ closedReminders: [2, -1] })])).toBeNull();
    expect(escalationCloseUndo(closed, [event({ closedReminders: 'all' })])).toBeNull();
  });
});

describe('byUrgency', () => {
  it('lists open cases by their next date (none last, then the newest), closed cases last', () => {
    const rows = [
      { id: 1, status: 'closed' as const, nextDate: null },
      { id: 2, status: 'under_review' as const, nextDate: null },
      { id: 3, status: 'repaying' as const, nextDate: '2025-06-20' },
      { id: 4, status: 'preparing' as const, nextDate: null },
      { id: 5, status: 'materials_requested' as const, nextDate: '2025-06-18' },
      { id: 6, status: 'closed' as const, nextDate: null },
    ];
    expect([...rows].sort(byUrgency).map((r) => r.id)).toEqual([5, 3, 4, 2, 6, 1]);
  });
});

describe('readNext', () => {
  it("reads the date and what it is for from nextDateSql's text", () => {
    expect(readNext('2025-06-18|0materials', 'materials_requested')).toEqual({ nextDate: '2025-06-18', nextFor: 'materials' });
    expect(readNext('2025-06-20|1instalment', 'repaying')).toEqual({ nextDate: '2025-06-20', nextFor: 'instalment' });
    expect(readNext('2025-06-20|2instalment_short', 'repaying')).toEqual({ nextDate: '2025-06-20', nextFor: 'instalment' });
    expect(readNext('2025-06-21|2promise_chase', 'under_review')).toEqual({ nextDate: '2025-06-21', nextFor: 'promise' });
    expect(readNext('2025-06-21|2custom', 'preparing')).toEqual({ nextDate: '2025-06-21', nextFor: 'own' });
    expect(readNext(null, 'closed')).toEqual({ nextDate: null, nextFor: null });
  });

  it("calls an escalated case's follow-up the escalation's, and a kind it does not know nothing", () => {
    expect(readNext('2025-06-23|2review_followup', 'under_review').nextFor).toBe('review');
    expect(readNext('2025-06-23|2review_followup', 'escalated').nextFor).toBe('escalation');
    expect(readNext('2025-06-23|2someday_kind', 'under_review')).toEqual({ nextDate: '2025-06-23', nextFor: null });
  });
});

describe('lenderIsWhoToCall', () => {
  it('is true while the lender decides, false in mediation or a complaint and once closed', () => {
    const called = CASE_STATUSES.filter(lenderIsWhoToCall);
    expect(called).toEqual(CASE_STATUSES.filter((s) => s !== 'escalated' && s !== 'closed'));
    expect(lenderIsWhoToCall('under_review')).toBe(true);
    expect(lenderIsWhoToCall('escalated')).toBe(false);
    expect(lenderIsWhoToCall('closed')).toBe(false);
  });

  it('writes the same statuses as an SQL list of literals', () => {
    expect(LENDER_NOT_CALLED_SQL).toBe("'escalated', 'closed'");
  });
});
