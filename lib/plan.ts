import { addMonthsIso, isIsoDate } from './dates';
import { DomainError } from './errors';
import { recordedDebtFen, type RecordedDebt } from './money';

export type ScheduledInstalment = { seq: number; dueOn: string; amountFen: number };

/**
 * The instalment schedule of agreed terms: `periods` monthly payments from `firstDueOn`,
 * each on the same day of the month (clamped to short months, counted from the first date
 * so that 31 Jan → 28 Feb → 31 Mar).
 */
export function buildSchedule(firstDueOn: string, periods: number, monthlyFen: number): ScheduledInstalment[] {
  if (!Number.isInteger(periods) || periods < 1) throw new RangeError('periods must be a positive integer');
  if (!Number.isInteger(monthlyFen) || monthlyFen < 1) throw new RangeError('monthlyFen must be a positive integer');
  return Array.from({ length: periods }, (_, i) => ({ seq: i + 1, dueOn: addMonthsIso(firstDueOn, i), amountFen: monthlyFen }));
}

type Payable = { amountFen: number; paidOn: string | null; paidFen: number | null };

/** What is still owed on an instalment: all of it unpaid, the rest when paid short, 0 once paid in full. */
export function owedFen(i: Payable): number {
  return Math.max(0, i.amountFen - (i.paidOn ? (i.paidFen ?? 0) : 0));
}

/** The earliest due date still owed (db/schema/cases.ts instalmentOwed says the same in SQL); null when all is paid. */
export function firstOwedOn(instalments: (Payable & { dueOn: string })[]): string | null {
  return instalments.filter((i) => owedFen(i) > 0).reduce<string | null>((min, i) => (min === null || i.dueOn < min ? i.dueOn : min), null);
}

/** What the instalments numbered before `seq` still owe, together (any order). */
export function owedBefore(instalments: readonly (Payable & { seq: number })[], seq: number): number {
  return instalments.filter((i) => i.seq < seq).reduce((sum, i) => sum + owedFen(i), 0);
}

/**
 * What a plan has had paid and has left. An instalment counts as paid once paid in full: one paid
 * short still has the rest to pay (db/plans.ts markInstalmentPaid), though what was paid counts.
 * What is left is what each instalment still owes: more paid on the last (paidOverProblem) does not
 * pay an earlier one that a correction left owing.
 */
export function planProgress(instalments: Payable[]) {
  const paid = instalments.filter((i) => i.paidOn);
  const paidInFull = paid.filter((i) => (i.paidFen ?? 0) >= i.amountFen).length;
  const paidFen = paid.reduce((a, i) => a + (i.paidFen ?? 0), 0);
  const totalFen = instalments.reduce((a, i) => a + i.amountFen, 0);
  return {
    paidCount: paidInFull,
    remainingCount: instalments.length - paidInFull,
    paidFen,
    remainingFen: instalments.reduce((a, i) => a + owedFen(i), 0),
    totalFen,
  };
}

/**
 * How much more an agreed plan asks for than the debt recorded on the case (principal, interest
 * and penalty) less what the lender agreed to waive, in fen: 0 when it asks no more, or when no
 * debt was recorded. Only a warning, never a refusal: lenders do add fees, but a slip in the
 * instalment or the periods (or a schedule that forgot the waiver) shows here first.
 */
export function planExcessOverDebt(planTotalFen: number, debt: RecordedDebt, waivedFen = 0): number {
  const debtFen = recordedDebtFen(debt) ?? 0;
  return debtFen > 0 ? Math.max(0, planTotalFen - Math.max(0, debtFen - waivedFen)) : 0;
}

/**
 * What a payment on an instalment may not be, at its fields, in the order db/plans.ts
 * markInstalmentPaid refuses them (the first is what it throws; a form says them all): dated before
 * the lender agreed the plan, or before the instalment's earlier payment; more than the instalment
 * still owes (the last may take more, up to twice its amount, once the earlier ones are paid:
 * paidOverProblem). `owedBeforeFen` is what the instalments before it still owe (owedBefore). A
 * field the form could not read is left out.
 */
export function paymentProblems(
  instalment: Payable & { seq: number },
  plan: { agreedOn: string | null; periods: number; owedBeforeFen: number },
  payment: { paidOn?: string; paid?: number },
): DomainError[] {
  const problems: DomainError[] = [];
  if (payment.paidOn !== undefined) {
    if (plan.agreedOn && payment.paidOn < plan.agreedOn) problems.push(new DomainError('paid_before_agreed', { field: 'paidOn' }));
    else if (instalment.paidOn && payment.paidOn < instalment.paidOn) problems.push(new DomainError('paid_before_earlier_payment', { field: 'paidOn' }));
  }
  const before = instalment.paidOn ? (instalment.paidFen ?? 0) : 0;
  if (payment.paid !== undefined) {
    const problem = paidOverProblem(instalment, plan, before + payment.paid);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * What is refused of an instalment's sum paid in all: more than its amount, but on the last one
 * (a plan of equal instalments leaves the lender's rounding to the last payment) up to twice its
 * amount: more is a slip of the keyboard (an extra zero would settle the case at ¥3,333,300 paid),
 * and a lender asking more of the last instalment is recorded by changing its amount first. The
 * last takes more only once every earlier instalment is paid in full (`owedBeforeFen` 0, what they
 * still owe): otherwise the extra would hide what they owe, the plan looking paid while one is missed.
 */
export function paidOverProblem(
  instalment: { seq: number; amountFen: number },
  plan: { periods: number; owedBeforeFen: number },
  totalFen: number,
): DomainError | null {
  if (totalFen <= instalment.amountFen) return null;
  if (instalment.seq < plan.periods) return new DomainError('paid_over_amount', { field: 'paid' });
  if (plan.owedBeforeFen > 0) return new DomainError('paid_over_last_earlier_owed', { field: 'paid', values: { owedFen: plan.owedBeforeFen } });
  return totalFen > 2 * instalment.amountFen ? new DomainError('paid_over_last', { field: 'paid', values: { limitFen: 2 * instalment.amountFen } }) : null;
}

/**
 * A waiver larger than everything the case records as overdue is a slip of the keyboard (an extra
 * zero), or the case's amounts are out of date: either way it is refused at the field, with the
 * recorded total, and the case's amounts can be brought up to date first. A case that records no
 * amount yet (they are optional) has nothing to compare with.
 */
export function assertWaiverWithinOwed(
  recorded: RecordedDebt,
  waivedFen: number,
  field: 'agreedWaived' | 'proposedWaived' = 'agreedWaived',
): void {
  const owed = recordedDebtFen(recorded) ?? 0;
  if (owed > 0 && waivedFen > owed) throw new DomainError('waived_over_owed', { field, values: { owedFen: owed } });
}

export type PlanStage = { fromSeq: number; toSeq: number; amountFen: number };

/**
 * A plan's amounts as stages: consecutive instalments (by their number) with the same amount as one
 * stage. A plan of equal instalments is one stage; a lender's staged plan (12 × ¥500, then 47 ×
 * ¥856.26, the last ¥856.08) is three. Instalments in any order; a gap in the numbers (none in a
 * plan as made, but a voided plan keeps only its paid ones) starts a new stage.
 */
export function planStages(instalments: readonly { seq: number; amountFen: number }[]): PlanStage[] {
  const stages: PlanStage[] = [];
  for (const i of [...instalments].sort((a, b) => a.seq - b.seq)) {
    const last = stages.at(-1);
    if (last && last.amountFen === i.amountFen && last.toSeq === i.seq - 1) last.toSeq = i.seq;
    else stages.push({ fromSeq: i.seq, toSeq: i.seq, amountFen: i.amountFen });
  }
  return stages;
}

/** Events that change instalments of a standing plan to the lender's own schedule (db/plans.ts). */
export const SCHEDULE_CHANGE_EVENTS: readonly string[] = ['instalment_changed', 'instalments_changed'];
/** Events that make a plan from agreed terms, as they were agreed (the approval, a correction of the terms). */
const TERMS_EVENTS: readonly string[] = ['attempt_approved', 'plan_terms_corrected'];

/**
 * Whether the current plan's instalments were changed after it was made from the agreed terms: a
 * change recorded after the latest approval or correction of the terms (which remake the plan as
 * the terms say). Events in the order they happened. The agreed terms then say what the lender
 * agreed at first, no longer what the plan is.
 */
export function scheduleChangedSinceTerms(events: readonly { kind: string }[]): boolean {
  const made = events.findLastIndex((e) => TERMS_EVENTS.includes(e.kind));
  return made >= 0 && events.slice(made + 1).some((e) => SCHEDULE_CHANGE_EVENTS.includes(e.kind));
}

/**
 * An instalment as it was before its plan ended early (db/attempts.ts dropOwedInstalments), as the
 * end's event keeps it: with its id since ends keep it, without in older events.
 */
export type DroppedInstalment = { id?: number; seq: number; dueOn: string; amountFen: number; paidOn: string | null; paidFen: number | null };

/** Events that end a plan early, keeping what they dropped: the lender voided it, the rest paid at once. */
export const PLAN_END_EVENTS: readonly string[] = ['plan_voided', 'plan_paid_off'];

const isDay = (v: unknown): v is string => typeof v === 'string' && isIsoDate(v);
const isFen = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * What undoing a plan's early end puts back: the instalments its event kept, as they were, from the
 * latest event that ended the plan (events in the order they happened). Null when there is none, or
 * when the event was recorded before endings kept them (or holds anything else): such an ending
 * cannot be undone.
 */
export function droppedByPlanEnd(events: readonly { kind: string; data: unknown }[]): DroppedInstalment[] | null {
  const end = events.findLast((e) => PLAN_END_EVENTS.includes(e.kind));
  const dropped = (end?.data as { dropped?: unknown } | null | undefined)?.dropped;
  if (!Array.isArray(dropped)) return null;
  const rows: DroppedInstalment[] = [];
  for (const r of dropped as Record<string, unknown>[]) {
    if (typeof r !== 'object' || r === null) return null;
    const { id, seq, dueOn, amountFen, paidOn, paidFen } = r;
    if (!Number.isSafeInteger(seq) || (seq as number) < 1 || !isDay(dueOn) || !isFen(amountFen) || (amountFen as number) < 1) return null;
    if (!(paidOn === null || isDay(paidOn)) || !(paidFen === null || isFen(paidFen))) return null;
    if (id !== undefined && !(Number.isSafeInteger(id) && (id as number) > 0)) return null;
    rows.push({ ...(id !== undefined ? { id: id as number } : {}), seq: seq as number, dueOn, amountFen: amountFen as number, paidOn, paidFen: paidFen as number | null });
  }
  return rows;
}
