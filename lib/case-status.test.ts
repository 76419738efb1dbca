import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  assertTransition,
  byUrgency,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  nextStatus,
  readNext,
  TransitionError,
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

const allowedKey = new Set(ALLOWED.map(([from, t]) => `${from}:${t}`));
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
    expect(ALLOWED.length + FORBIDDEN.length).toBe(CASE_STATUSES.length * CASE_TRANSITIONS.length);
  });

  it('offers nothing on a closed case, and no automatic transition as a button', () => {
    expect(allowedTransitions('closed')).toEqual([]);
    expect(allowedTransitions('approved')).toEqual(['void_plan', 'withdraw']);
    expect(allowedTransitions('approved', false)).toEqual(['start_repaying', 'undo_decision', 'undo_escalation_decision', 'undo_overtaking_decision', 'void_plan', 'pay_off', 'withdraw']);
    expect(allowedTransitions('closed', false)).toEqual(['reopen_plan']);
    expect(allowedTransitions('rejected')).toEqual(['reapply', 'escalate', 'withdraw']);
    expect(allowedTransitions('materials_requested')).toEqual(['request_materials', 'send_materials', 'approve', 'reject', 'withdraw']);
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
