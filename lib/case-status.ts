/**
 * The case status machine (DESIGN.md §3). Pure: the server checks every transition
 * against this table before it writes anything.
 */
import type { NOTICE_KINDS, ReminderKind } from './reminder-rules';

export const CASE_STATUSES = [
  'preparing',
  'under_review',
  'materials_requested',
  'approved',
  'rejected',
  'escalated',
  'repaying',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_TRANSITIONS = [
  'submit',
  'request_materials',
  'send_materials',
  'send_some_materials',
  'remove_materials_request',
  'approve',
  'reject',
  'reapply',
  'escalate',
  'close_escalation',
  'undo_close_escalation',
  'start_repaying',
  'complete',
  'reopen_plan',
  'unstart_repaying',
  'undo_decision',
  'undo_escalation_decision',
  'undo_overtaking_decision',
  'undo_submit',
  'undo_reapply',
  'undo_escalate',
  'void_plan',
  'undo_void_plan',
  'pay_off',
  'withdraw',
  'undo_withdraw',
] as const;
export type CaseTransition = (typeof CASE_TRANSITIONS)[number];

const OPEN_STATUSES = CASE_STATUSES.filter((s) => s !== 'closed');

/**
 * Where a transition leads: a status, or back to the status the case had before an earlier transition
 * (`{ back: t }`): one of t's from-statuses, which the caller read from the record (db/ keeps it in t's
 * event) and passes as `previous`.
 */
type Target = CaseStatus | { back: CaseTransition };

/** from-statuses → to-status, for each transition. */
const TABLE: Record<CaseTransition, { from: readonly CaseStatus[]; to: Target }> = {
  submit: { from: ['preparing'], to: 'under_review' },
  // The lender may ask again before the first materials went.
  request_materials: { from: ['under_review', 'materials_requested'], to: 'materials_requested' },
  send_materials: { from: ['materials_requested'], to: 'under_review' },
  // … or some of it, while the lender still waits for the rest (db/attempts.ts sendMaterials).
  send_some_materials: { from: ['materials_requested'], to: 'materials_requested' },
  // … or the only request awaited was recorded by mistake, and removed (db/attempts.ts removeMaterialsRequest).
  remove_materials_request: { from: ['materials_requested'], to: 'under_review' },
  // A lender may decide without waiting for the materials it asked for (a rejection once the deadline
  // passed, say): the requests still awaited are overtaken by the decision (db/attempts.ts).
  approve: { from: ['under_review', 'materials_requested', 'escalated'], to: 'approved' },
  reject: { from: ['under_review', 'materials_requested', 'escalated'], to: 'rejected' },
  reapply: { from: ['rejected'], to: 'under_review' },
  escalate: { from: ['rejected'], to: 'escalated' },
  close_escalation: { from: ['escalated'], to: 'closed' },
  // … recorded by mistake, and undone (db/attempts.ts undoEscalationClose): the mediator or regulator is
  // waited for again.
  undo_close_escalation: { from: ['closed'], to: 'escalated' },
  // Recorded by the plan, not by a button: the first instalment paid, then the last.
  start_repaying: { from: ['approved'], to: 'repaying' },
  complete: { from: ['repaying'], to: 'closed' },
  // A payment corrected, or a payoff undone (db/plans.ts): a settled plan that owes again is being
  // repaid again, and a plan left with no payment at all is only agreed.
  reopen_plan: { from: ['closed'], to: 'repaying' },
  unstart_repaying: { from: ['repaying'], to: 'approved' },
  // A decision recorded by mistake, undone before anything followed it (db/attempts.ts undoDecision):
  // back to waiting for the lender, or for the mediator or regulator.
  undo_decision: { from: ['approved', 'rejected'], to: 'under_review' },
  undo_escalation_decision: { from: ['approved', 'rejected'], to: 'escalated' },
  // … or for the materials, when the decision had overtaken a request for them.
  undo_overtaking_decision: { from: ['approved', 'rejected'], to: 'materials_requested' },
  // An application round recorded by mistake, taken back while still unanswered (db/attempts.ts
  // undoAttempt): a first application back to preparing, a later round or an escalation back to the
  // rejection it followed.
  undo_submit: { from: ['under_review'], to: 'preparing' },
  undo_reapply: { from: ['under_review'], to: 'rejected' },
  undo_escalate: { from: ['escalated'], to: 'rejected' },
  // The lender voided the agreed plan (DESIGN §1: one missed payment can void it): deciding the next
  // step again, as after a rejection (db/attempts.ts voidPlan).
  void_plan: { from: ['approved', 'repaying'], to: 'rejected' },
  // … recorded by mistake, and undone (db/plans.ts undoPlanEnd): the plan stands again, agreed (then
  // `start_repaying` when a payment was recorded on it). A paid-off plan undone is `reopen_plan`.
  undo_void_plan: { from: ['rejected'], to: 'approved' },
  // The rest of the plan paid at once (提前结清), often for less than it owed (db/plans.ts payOffPlan).
  // Recorded from the plan, not from the action panel.
  pay_off: { from: ['approved', 'repaying'], to: 'closed' },
  withdraw: { from: OPEN_STATUSES, to: 'closed' },
  // … recorded by mistake, and undone (db/attempts.ts undoWithdrawal): back to the status the case had,
  // which the withdrawal's event recorded. Not one entry per target, as undo_decision has: those say why
  // the case goes where it goes (the mediator, the materials), and each leads to one status; this one goes
  // back to wherever the case was, any of the seven open statuses, and seven entries that differ only in
  // their target would say nothing more. So the target is `back: 'withdraw'`: the caller passes the status
  // recorded, and the table holds it to what `withdraw` could have left (an open status).
  undo_withdraw: { from: ['closed'], to: { back: 'withdraw' } },
};

/** Transitions a person triggers from the case page (the rest follow from the plan). */
export const MANUAL_TRANSITIONS: readonly CaseTransition[] = [
  'submit',
  'request_materials',
  'send_materials',
  'approve',
  'reject',
  'reapply',
  'escalate',
  'close_escalation',
  'void_plan',
  'withdraw',
];

export function canTransition(from: CaseStatus, transition: CaseTransition): boolean {
  return TABLE[transition].from.includes(from);
}

/**
 * The status after the transition, or null when the transition is not allowed from `from`. A
 * transition that goes back (undo_withdraw) goes to `previous`, the status the case had before the
 * transition it undoes: null without one, or with one that transition could not have come from.
 */
export function nextStatus(from: CaseStatus, transition: CaseTransition, previous?: CaseStatus): CaseStatus | null {
  if (!canTransition(from, transition)) return null;
  const to = TABLE[transition].to;
  if (typeof to === 'string') return to;
  return previous !== undefined && canTransition(previous, to.back) ? previous : null;
}

export function allowedTransitions(from: CaseStatus, manualOnly = true): CaseTransition[] {
  const list = manualOnly ? MANUAL_TRANSITIONS : CASE_TRANSITIONS;
  return list.filter((t) => canTransition(from, t));
}

export function isOpenStatus(status: CaseStatus): boolean {
  return status !== 'closed';
}

/**
 * The statuses in which the lender is no longer who to call: in mediation or a complaint the
 * borrower deals with the mediator or the regulator, and a closed case asks nothing of the lender's
 * hotline. The case's next step, the calendar feed and the reminder mail all leave it out then.
 */
export const LENDER_NOT_CALLED_STATUSES = ['escalated', 'closed'] as const satisfies readonly CaseStatus[];

export function lenderIsWhoToCall(status: CaseStatus): boolean {
  return !(LENDER_NOT_CALLED_STATUSES as readonly CaseStatus[]).includes(status);
}

/** `LENDER_NOT_CALLED_STATUSES` as an SQL list of literals, for a statement written as text. */
export const LENDER_NOT_CALLED_SQL = LENDER_NOT_CALLED_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The events that leave a case closed, and those that undo a withdrawal or the end of a mediation: the
 * latest of them says how a closed case came to be closed (db/attempts.ts reads only these).
 */
export const CASE_CLOSING_EVENTS: readonly string[] = [
  'withdrawn',
  'withdraw_undone',
  'escalation_closed',
  'escalation_close_undone',
  'plan_completed',
  'plan_paid_off',
];

/** What undoing a withdrawal puts back: the status the case had, and the ids of the rule reminders the withdrawal closed. */
export type WithdrawalUndo = { from: CaseStatus; reminders: number[] };

/**
 * What undoing the case's withdrawal would put back (db/attempts.ts undoWithdrawal), read from the
 * case and its events (in the order they happened). Null when there is nothing to undo: the case is not
 * closed as withdrawn; or it is, but not by the withdrawal (mediation ended with the outcome
 * "withdrawn"); or the withdrawal was recorded before withdrawals kept the reminders they closed (or
 * its event holds anything else): such a withdrawal cannot be undone.
 */
export function withdrawalUndo(c: { status: CaseStatus; outcome: string | null }, events: readonly { kind: string; data: unknown }[]): WithdrawalUndo | null {
  if (c.status !== 'closed' || c.outcome !== 'withdrawn') return null;
  const last = events.findLast((e) => CASE_CLOSING_EVENTS.includes(e.kind));
  if (last?.kind !== 'withdrawn') return null;
  const { from } = (last.data ?? {}) as { from?: unknown };
  const status = CASE_STATUSES.find((s) => s === from);
  if (!status || nextStatus('closed', 'undo_withdraw', status) === null) return null;
  const reminders = closedRemindersOf(last.data);
  return reminders ? { from: status, reminders } : null;
}

/** The rule reminders a closing step kept in its event (`closedReminders`), or null when it kept none or anything else. */
function closedRemindersOf(data: unknown): number[] | null {
  const { closedReminders } = (data ?? {}) as { closedReminders?: unknown };
  if (!Array.isArray(closedReminders) || !closedReminders.every((id) => Number.isSafeInteger(id) && id > 0)) return null;
  return closedReminders as number[];
}

/**
 * What undoing the end of a mediation or complaint would put back (db/attempts.ts undoEscalationClose):
 * the ids of the rule reminders it closed. Null when there is nothing to undo: the case is not closed,
 * or was closed last by something else (a withdrawal, a plan paid), or the end was recorded before it
 * kept the reminders it closed (3 December 2026).
 */
export function escalationCloseUndo(c: { status: CaseStatus }, events: readonly { kind: string; data: unknown }[]): { reminders: number[] } | null {
  if (c.status !== 'closed') return null;
  const last = events.findLast((e) => CASE_CLOSING_EVENTS.includes(e.kind));
  if (last?.kind !== 'escalation_closed') return null;
  const reminders = closedRemindersOf(last.data);
  return reminders ? { reminders } : null;
}

/**
 * DESIGN §3: a plan with an instalment whose date has passed while it is still owed (unpaid, or paid
 * short) is at risk: one missed payment can void the agreement. `firstOwedOn` is the plan's earliest
 * instalment still owed.
 */
export function planAtRisk(status: CaseStatus, firstOwedOn: string | null, today: string): boolean {
  return (status === 'approved' || status === 'repaying') && firstOwedOn !== null && firstOwedOn < today;
}

/** A request for materials still awaited: neither sent nor overtaken by the lender's decision (db/schema materialsAwaited). */
export function requestAwaited(m: { sentOn: string | null; closedOn: string | null }): boolean {
  return m.sentOn === null && m.closedOn === null;
}

/** What a case's next date is for (db/cases.ts nextDateSql), as the home and the case list say it. */
export const NEXT_FOR = ['materials', 'instalment', 'review', 'escalation', 'decision', 'promise', 'stale', 'own'] as const;
export type NextFor = (typeof NEXT_FOR)[number];

/** The reminder kinds a next date may come from (all but the notices ahead of a date), by what the date is for. */
const NEXT_FOR_REMINDER: Record<Exclude<ReminderKind, (typeof NOTICE_KINDS)[number]>, NextFor> = {
  review_followup: 'review',
  materials_deadline: 'materials',
  next_step: 'decision',
  promise_chase: 'promise',
  instalment_due: 'instalment',
  instalment_missed: 'instalment',
  instalment_short: 'instalment',
  stale_case: 'stale',
  custom: 'own',
};

/**
 * The domain message saying what a next date is for. A person's own reminder is "my reminder" to its
 * borrower; to their advisor it is the client's (one the advisor added for them included).
 */
export function nextForMessage(nextFor: NextFor, reader: 'borrower' | 'advisor'): `nextFor.${string}` {
  return reader === 'advisor' && nextFor === 'own' ? 'nextFor.clientOwn' : `nextFor.${nextFor}`;
}

/**
 * Reads nextDateSql's 'YYYY-MM-DD|<rank><what>': the date, and what it is for. The review follow-up of an
 * escalated case is the mediation's or the complaint's, not the lender's review.
 */
export function readNext(next: string | null, status: CaseStatus): { nextDate: string | null; nextFor: NextFor | null } {
  if (next === null) return { nextDate: null, nextFor: null };
  return { nextDate: next.slice(0, 10), nextFor: nextForWhat(next.slice(12), status) };
}

/**
 * What a next date is for, from what it came from: 'materials' (an awaited request's deadline),
 * 'instalment' (an instalment still owed) or an open reminder's kind. The advisor's table reads the
 * reminder's kind from case_facts (db/advisor.ts), the borrower's lists from nextDateSql's text.
 */
export function nextForWhat(what: string, status: CaseStatus): NextFor | null {
  const nextFor = what === 'materials' || what === 'instalment' ? what : ((NEXT_FOR_REMINDER as Record<string, NextFor | undefined>)[what] ?? null);
  return nextFor === 'review' && status === 'escalated' ? 'escalation' : nextFor;
}

/**
 * The order a borrower's cases are listed in (home, case list): open cases first, the soonest next
 * date first (none last), then the newest; closed cases last.
 */
export function byUrgency(a: { id: number; status: CaseStatus; nextDate: string | null }, b: { id: number; status: CaseStatus; nextDate: string | null }): number {
  const closed = Number(a.status === 'closed') - Number(b.status === 'closed');
  if (closed !== 0) return closed;
  const da = a.nextDate ?? '9999-12-31';
  const db = b.nextDate ?? '9999-12-31';
  return da < db ? -1 : da > db ? 1 : b.id - a.id;
}

export class TransitionError extends Error {
  constructor(
    readonly from: CaseStatus,
    readonly transition: CaseTransition,
  ) {
    super(`transition ${transition} is not allowed from ${from}`);
    this.name = 'TransitionError';
  }
}

export function assertTransition(from: CaseStatus, transition: CaseTransition, previous?: CaseStatus): CaseStatus {
  const to = nextStatus(from, transition, previous);
  if (!to) throw new TransitionError(from, transition);
  return to;
}
