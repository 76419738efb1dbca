import { and, asc, desc, eq, gt, gte, inArray, isNotNull, like, lte, or, sql } from 'drizzle-orm';
import { ConflictError, DomainError, NotFoundError } from '@/lib/errors';
import { isMonth, monthBounds } from '@/lib/month-calendar';
import { assertCanWriteCase } from './access';
import { agreedColumns, dropOwedInstalments } from './attempts';
import { bumpVersion } from './cases';
import { prepared } from './prepared';
import { getDb, type DB } from './client';
import { todayInShanghai } from '@/lib/dates';
import { assertTransition } from '@/lib/case-status';
import { assertWaiverWithinOwed, buildSchedule, droppedByPlanEnd, paidOverProblem, paymentProblems, PLAN_END_EVENTS, planStages } from '@/lib/plan';
import { instalmentMissed, onInstalmentPaid, onPaymentCorrected, onPlanAgreed, onPlanDropped } from '@/lib/reminder-rules';
import type { ApproveInput, PayOffInput } from '@/lib/validation';
import { changedFields, recordEvent } from './events';
import { applyReminderChange, closeCaseRuleReminders, moveOpenRuleReminder, reopenClosedRuleReminders, reopenRuleReminders } from './reminders';
import { attempts, caseEvents, cases, instalmentOwed, instalmentOwedFen, instalments, lenders, materialRequests, plans, reminders, type Case } from './schema';
import type { Viewer } from './viewer-type';

type Tx = Pick<DB, 'select'>;

/**
 * An instalment of the case, with what its payments are checked against; not found when it is
 * another case's. Refused when its plan has ended by the lender's voiding (the case's latest plan
 * voided, or an earlier plan, which only a voiding ends before another is agreed): what was
 * recorded on it then is the record of that plan, and no payment, correction or change reaches it.
 */
function instalmentRow(tx: Tx, caseId: number, instalmentId: number) {
  const row = tx
    .select({
      instalment: instalments,
      voidedOn: plans.voidedOn,
      latestPlanId: sql<number>`(select max(p.id) from ${plans} p where p.case_id = ${plans.caseId})`,
      periods: plans.periods,
      agreedOn: attempts.decidedOn,
      lender: lenders.name,
      // A plan paid off at once: its last instalment is the payment that settled it.
      paidOffOn: plans.paidOffOn,
      paidOffOwedFen: plans.paidOffOwedFen,
      lastSeq: sql<number>`(select max(${instalments.seq}) from ${instalments} where ${instalments.planId} = ${plans.id})`,
      // What the instalments before it still owe (lib/plan.ts owedBefore): the last takes more than its amount only when nothing.
      owedBeforeFen: sql<number>`(select coalesce(sum(${instalmentOwedFen('e')}), 0)
        from ${instalments} e where e.plan_id = ${plans.id} and e.seq < ${instalments.seq})`,
    })
    .from(instalments)
    .innerJoin(plans, eq(plans.id, instalments.planId))
    .innerJoin(attempts, eq(attempts.id, plans.attemptId))
    .innerJoin(cases, eq(cases.id, instalments.caseId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(eq(instalments.id, instalmentId), eq(instalments.caseId, caseId)))
    .get();
  if (!row) throw new NotFoundError();
  if (row.voidedOn !== null || row.instalment.planId !== row.latestPlanId) throw new DomainError('instalment_plan_voided');
  return row;
}

/** The plan's instalments still owing (unpaid, or paid short: what keeps it from being settled), and those with any payment. */
function planCounts(tx: Tx, planId: number): { owing: number; paid: number } {
  return tx
    .select({
      owing: sql<number>`count(*) filter (where ${instalmentOwed()})`,
      paid: sql<number>`count(${instalments.paidOn})`,
    })
    .from(instalments)
    .where(eq(instalments.planId, planId))
    .get()!;
}

/**
 * The chases of the lender's promises still awaited on the case: a plan's end closes them with the
 * case, and its event keeps them, to open them again if the end is undone or corrected away.
 */
function openPromiseChases(tx: Tx, caseId: number, ownerId: number): number[] {
  return tx
    .select({ id: reminders.id })
    .from(reminders)
    .where(and(eq(reminders.caseId, caseId), eq(reminders.ownerId, ownerId), eq(reminders.status, 'open'), like(reminders.ruleKey, 'promise:%')))
    .all()
    .map((r) => r.id);
}

/** The plan_completed event's data: the promise chases the completion closes with the case, when there are any. */
function completedData(tx: Tx, caseId: number, ownerId: number): { promiseChases?: number[] } | undefined {
  const promiseChases = openPromiseChases(tx, caseId, ownerId);
  return promiseChases.length > 0 ? { promiseChases } : undefined;
}

/**
 * Records a payment on an instalment. The first payment moves an approved case to repaying; the plan
 * is settled, and the case closed, once every instalment is paid in full. A payment short of the
 * amount leaves the rest owing on that instalment (a reminder to pay it, `onInstalmentPaid`), and
 * a later payment on it adds to what was paid, up to the amount. No payment is dated before the
 * lender agreed the plan, nor before an earlier payment on the same instalment. Guarded by the
 * case's version like every change to a case. Returns what the instalment still owes (0: paid).
 */
export function markInstalmentPaid(
  viewer: Viewer,
  caseId: number,
  version: number,
  instalmentId: number,
  payment: { paidOn: string; paid: number },
): { shortFen: number } {
  return getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    const row = instalmentRow(tx, caseId, instalmentId);
    const { instalment } = row;
    const before = instalment.paidOn ? (instalment.paidFen ?? 0) : 0;
    if (instalment.paidOn && before >= instalment.amountFen) throw new DomainError('already_paid');
    if (current.status !== 'approved' && current.status !== 'repaying') throw new DomainError('plan_not_active');
    // More than the instalment still owes: the rest belongs to the next instalment, recorded there.
    const [problem] = paymentProblems(instalment, row, payment);
    if (problem) throw problem;
    const total = before + payment.paid;
    tx.update(instalments)
      .set({ paidOn: payment.paidOn, paidFen: total })
      .where(eq(instalments.id, instalmentId))
      .run();
    recordEvent(tx, caseId, viewer.id, 'instalment_paid', {
      seq: instalment.seq,
      dueOn: instalment.dueOn,
      paidOn: payment.paidOn,
      paidFen: payment.paid,
      // A payment on an instalment already part paid: what it brings the instalment to.
      ...(before > 0 ? { totalFen: total } : {}),
      ...(total < instalment.amountFen ? { shortFen: instalment.amountFen - total } : {}),
    });
    const { owing } = planCounts(tx, instalment.planId);
    let status: Case['status'] = current.status;
    if (status === 'approved') {
      status = 'repaying';
      recordEvent(tx, caseId, viewer.id, 'repaying_started');
    }
    if (owing === 0) {
      status = 'closed';
      recordEvent(tx, caseId, viewer.id, 'plan_completed', completedData(tx, caseId, current.ownerId));
    }
    bumpVersion(tx, current, { status, outcome: status === 'closed' ? 'settled' : null });
    const change = onInstalmentPaid({ ...instalment, periods: row.periods, lender: row.lender }, { paidOn: payment.paidOn, totalFen: total }, todayInShanghai());
    applyReminderChange(tx, current.ownerId, caseId, { open: [], close: change.close });
    // Opened anew, not only inserted: a part payment's "pay the rest" is keyed by the sum paid, and
    // the same sum may have been reached before (paid, corrected down, paid again), its row closed.
    reopenRuleReminders(tx, current.ownerId, caseId, change.open);
    if (status === 'closed') closeCaseRuleReminders(tx, caseId);
    return { shortFen: Math.max(0, instalment.amountFen - total) };
  });
}

/**
 * The rest of the plan paid at once (提前结清), often for less than it still owed: the lender takes
 * a lump sum and waives the rest (一次性结清减免). The payment settles every instalment still owed:
 * those with nothing paid go, one paid short keeps what was paid as its amount (as when a plan is
 * voided), and the payment becomes the plan's last instalment, paid on its day. The plan keeps the
 * day and what was owed then (what the lender waived is the difference; the timeline keeps how many
 * instalments it settled); the case is closed as settled and its reminders close. Not more than was
 * owed, not dated before the plan was agreed nor before a payment already recorded. Guarded by the
 * case's version.
 */
export function payOffPlan(viewer: Viewer, caseId: number, version: number, input: PayOffInput): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    if (current.status !== 'approved' && current.status !== 'repaying') throw new DomainError('plan_not_active');
    const row = tx
      .select({ plan: plans, agreedOn: attempts.decidedOn })
      .from(plans)
      .innerJoin(attempts, eq(attempts.id, plans.attemptId))
      .where(eq(plans.caseId, caseId))
      .orderBy(desc(plans.id))
      .get();
    if (!row) throw new DomainError('plan_not_active');
    const { plan } = row;
    if (row.agreedOn && input.paidOn < row.agreedOn) throw new DomainError('payoff_before_agreed', { field: 'paidOn', values: { agreedOn: row.agreedOn } });
    const schedule = tx.select().from(instalments).where(eq(instalments.planId, plan.id)).all();
    const lastPaidOn = schedule.reduce<string | null>((last, i) => (i.paidOn !== null && (last === null || i.paidOn > last) ? i.paidOn : last), null);
    if (lastPaidOn && input.paidOn < lastPaidOn) throw new DomainError('payoff_before_last_payment', { field: 'paidOn', values: { lastPaidOn } });
    const status = assertTransition(current.status, 'pay_off');
    // A refusal below rolls the transaction back, the instalments dropped with it.
    const owed = dropOwedInstalments(tx, plan.id);
    const owedFen = owed.fen;
    if (input.paid > owedFen) throw new DomainError('paid_off_over_owed', { field: 'paid', values: { owedFen } });
    const seq = Math.max(0, ...schedule.filter((i) => i.paidOn !== null).map((i) => i.seq)) + 1;
    tx.insert(instalments)
      .values({ planId: plan.id, caseId, seq, dueOn: input.paidOn, amountFen: input.paid, paidOn: input.paidOn, paidFen: input.paid })
      .run();
    tx.update(plans)
      .set({ paidOffOn: input.paidOn, paidOffOwedFen: owedFen, totalFen: planTotal(plan.id) })
      .where(eq(plans.id, plan.id))
      .run();
    // The chases of the lender's promises still awaited close with the case: kept, to open again if the payoff is undone.
    const promiseChases = openPromiseChases(tx, caseId, current.ownerId);
    recordEvent(tx, caseId, viewer.id, 'plan_paid_off', {
      paidOn: input.paidOn,
      paidFen: input.paid,
      owedFen,
      unpaid: owed.count,
      note: input.note || undefined,
      dropped: owed.rows,
      promiseChases: promiseChases.length > 0 ? promiseChases : undefined,
    });
    bumpVersion(tx, current, { status, outcome: 'settled' });
    closeCaseRuleReminders(tx, caseId);
  });
}

/**
 * A plan's early end recorded by mistake, undone: the lender did not void it after all, or the payoff
 * was not made (a settlement offered, not yet paid). The instalments the end dropped come back as
 * they were (the ending's event kept them), a payoff's payment goes, and the plan stands again:
 * agreed, or being repaid when a payment is recorded on it. Their reminders open again as a corrected
 * payment's would (a date already past is "missed" at once); a void's "decide the next step" closes,
 * and the chases of the lender's promises a payoff had closed open again.
 * Only the latest plan's end, and only while nothing followed it: a voided plan's case still deciding
 * (no new round), a paid-off plan's case still closed as settled. The timeline keeps the end and
 * says it was undone. Guarded by the case's version.
 */
export function undoPlanEnd(viewer: Viewer, caseId: number, version: number): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    const plan = tx.select().from(plans).where(eq(plans.caseId, caseId)).orderBy(desc(plans.id)).get();
    const paidOff = plan?.paidOffOn != null && current.status === 'closed' && current.outcome === 'settled';
    const voided = plan?.voidedOn != null && current.status === 'rejected' && latestAttemptId(tx, caseId) === plan.attemptId;
    if (!plan || (!paidOff && !voided)) throw new DomainError('plan_not_ended');
    const end = tx
      .select({ kind: caseEvents.kind, data: caseEvents.data })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.kind, [...PLAN_END_EVENTS])))
      .orderBy(desc(caseEvents.id))
      .get();
    const dropped = droppedByPlanEnd(end ? [end] : []);
    if (!dropped) throw new DomainError('plan_end_not_undoable');
    // A payoff's payment is the plan's last instalment; the instalments it settled take their places again.
    if (paidOff) {
      const last = tx.select({ id: instalments.id }).from(instalments).where(eq(instalments.planId, plan.id)).orderBy(desc(instalments.seq)).get();
      if (last) tx.delete(instalments).where(eq(instalments.id, last.id)).run();
    }
    // Each under its own id (ids are never reused), so that its reminders are its own again.
    const keptIds = dropped.flatMap((r) => (r.id !== undefined ? [r.id] : []));
    const taken = new Set(keptIds.length > 0 ? tx.select({ id: instalments.id }).from(instalments).where(inArray(instalments.id, keptIds)).all().map((r) => r.id) : []);
    for (const row of dropped) {
      if (row.paidOn === null) {
        const id = row.id !== undefined && !taken.has(row.id) ? row.id : undefined;
        tx.insert(instalments).values({ ...(id !== undefined ? { id } : {}), planId: plan.id, caseId, seq: row.seq, dueOn: row.dueOn, amountFen: row.amountFen }).run();
      } else {
        // Paid short: it kept what was paid as its amount; the amount comes back, and the rest is owed again.
        tx.update(instalments).set({ amountFen: row.amountFen }).where(and(eq(instalments.planId, plan.id), eq(instalments.seq, row.seq))).run();
      }
    }
    tx.update(plans).set({ paidOffOn: null, paidOffOwedFen: null, voidedOn: null, totalFen: planTotal(plan.id) }).where(eq(plans.id, plan.id)).run();
    const restored = tx
      .select()
      .from(instalments)
      .where(and(eq(instalments.planId, plan.id), inArray(instalments.seq, dropped.map((r) => r.seq))))
      .all();
    const { paid: anyPaid } = planCounts(tx, plan.id);
    let status: Case['status'];
    if (paidOff) {
      status = assertTransition(current.status, 'reopen_plan');
      if (anyPaid === 0) status = assertTransition(status, 'unstart_repaying');
    } else {
      status = assertTransition(current.status, 'undo_void_plan');
      if (anyPaid > 0) status = assertTransition(status, 'start_repaying');
    }
    recordEvent(tx, caseId, viewer.id, 'plan_end_undone', {
      ended: paidOff ? 'paid_off' : 'voided',
      endedOn: paidOff ? plan.paidOffOn : plan.voidedOn,
      restored: restored.length,
      restoredFen: restored.reduce((sum, i) => sum + i.amountFen - (i.paidFen ?? 0), 0),
    });
    bumpVersion(tx, current, { status, outcome: null });
    const today = todayInShanghai();
    const lender = tx.select({ name: lenders.name }).from(lenders).where(eq(lenders.id, current.lenderId)).get()!.name;
    if (voided) applyReminderChange(tx, current.ownerId, caseId, { open: [], close: [`next-step:${plan.attemptId}`] });
    for (const i of restored) {
      const change = onPaymentCorrected(
        { ...i, periods: plan.periods, lender },
        i.paidOn ? { paidOn: i.paidOn, totalFen: i.paidFen ?? 0 } : null,
        today,
      );
      applyReminderChange(tx, current.ownerId, caseId, { open: [], close: change.close });
      // One the borrower had closed (dismissed, or "missed" seen) stays closed: the end is undone, not their choice.
      reopenRuleReminders(tx, current.ownerId, caseId, change.open, { keepClosedByHand: true });
    }
    // The payoff closed the case and, with it, the chases of the lender's promises still awaited (its
    // event names them): those open again, unless closed otherwise since.
    if (paidOff) reopenClosedRuleReminders(tx, current.ownerId, caseId, promiseChasesOf(end?.data));
  });
}

/** The case's latest round. */
function latestAttemptId(tx: Tx, caseId: number): number | undefined {
  return tx.select({ id: attempts.id }).from(attempts).where(eq(attempts.caseId, caseId)).orderBy(desc(attempts.round)).get()?.id;
}

/** A plan's total: what its instalments (as they now are) add up to. */
function planTotal(planId: number) {
  return sql<number>`coalesce((select sum(${instalments.amountFen}) from ${instalments} where ${instalments.planId} = ${planId}), 0)`;
}

type InstalmentRow = ReturnType<typeof instalmentRow>;

/**
 * What a change of an unpaid instalment to the lender's schedule must respect (changeInstalment,
 * changeInstalmentAndLater): a plan that still stands, nothing paid on the instalment, and a date
 * not before the day the plan was agreed, after the instalment before and before the one after.
 */
function checkInstalmentChange(tx: Tx, status: Case['status'], row: InstalmentRow, dueOn: string): void {
  const { instalment } = row;
  if (status !== 'approved' && status !== 'repaying') throw new DomainError('plan_not_active');
  if (instalment.paidOn) throw new DomainError('instalment_has_payment');
  if (row.agreedOn && dueOn < row.agreedOn) throw new DomainError('due_before_agreed', { field: 'dueOn' });
  const neighbours = tx
    .select({ seq: instalments.seq, dueOn: instalments.dueOn })
    .from(instalments)
    .where(and(eq(instalments.planId, instalment.planId), inArray(instalments.seq, [instalment.seq - 1, instalment.seq + 1])))
    .all();
  const previous = neighbours.find((n) => n.seq === instalment.seq - 1);
  const next = neighbours.find((n) => n.seq === instalment.seq + 1);
  if ((previous && dueOn <= previous.dueOn) || (next && dueOn >= next.dueOn)) throw new DomainError('due_out_of_order', { field: 'dueOn' });
}

/**
 * An unpaid instalment's reminders, after its date or amount changed: the notice and the day move
 * to the new date and amount (reopened if a rule had closed them), "missed" closes when the new date
 * is not past (the sweep opens it for one that is, again once the new date has passed unpaid: the
 * same row, opened anew, db/reminders.ts missTold), and one still open says the new amount.
 */
function followInstalmentReminders(
  tx: Parameters<typeof applyReminderChange>[0],
  ownerId: number,
  caseId: number,
  changed: typeof instalments.$inferSelect,
  plan: { periods: number; lender: string },
  today: string,
): void {
  const { open } = onPlanAgreed({ instalments: [changed], ...plan }, today);
  const reopened = new Set(open.map((s) => s.ruleKey));
  const close = [`inst-pre:${changed.id}`, `inst-due:${changed.id}`, ...(changed.dueOn >= today ? [`inst-missed:${changed.id}`] : [])];
  applyReminderChange(tx, ownerId, caseId, { open: [], close: close.filter((key) => !reopened.has(key)) });
  reopenRuleReminders(tx, ownerId, caseId, open);
  if (changed.dueOn < today) moveOpenRuleReminder(tx, ownerId, instalmentMissed({ ...changed, ...plan }));
}

/**
 * One instalment changed as the lender scheduled it — its date or its amount (a first payment that
 * is larger, a last one that takes the rounding) — while nothing is paid on it. Its date stays after
 * the one before and before the one after, not before the day the plan was agreed. The plan's total
 * follows; its reminders move to the new date and amount (followInstalmentReminders). The timeline
 * says what changed. Open while the plan stands; guarded by the case's version.
 */
export function changeInstalment(viewer: Viewer, caseId: number, version: number, instalmentId: number, change: { dueOn: string; amountFen: number }): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    const row = instalmentRow(tx, caseId, instalmentId);
    const { instalment } = row;
    checkInstalmentChange(tx, current.status, row, change.dueOn);
    const changes = changedFields({ dueOn: instalment.dueOn, amountFen: instalment.amountFen }, change);
    if (Object.keys(changes).length === 0) throw new DomainError('correction_unchanged');
    tx.update(instalments).set(change).where(eq(instalments.id, instalmentId)).run();
    tx.update(plans)
      .set({ totalFen: planTotal(instalment.planId) })
      .where(eq(plans.id, instalment.planId))
      .run();
    recordEvent(tx, caseId, viewer.id, 'instalment_changed', { seq: instalment.seq, changes });
    followInstalmentReminders(tx, current.ownerId, caseId, { ...instalment, ...change }, { periods: row.periods, lender: row.lender }, todayInShanghai());
    bumpVersion(tx, current);
  });
}

/**
 * A lender's staged plan (12 × ¥500, then ¥856.26 a month) entered at once: one instalment changed
 * as changeInstalment changes it (its date, its amount, with the same checks), and its amount given
 * to every later instalment with nothing paid on it, their dates as they were. Instalments with a
 * payment keep what they had. One event says the range, the amount, what the amounts were before,
 * and the paid instalments in the range left as they were; the reminders of every instalment
 * changed follow (followInstalmentReminders). The last one can still be changed alone afterwards
 * (a lender's rounding). Refused when no later instalment is unpaid (changeInstalment is the
 * change then), and when nothing would change. Guarded by the case's version.
 */
export function changeInstalmentAndLater(
  viewer: Viewer,
  caseId: number,
  version: number,
  instalmentId: number,
  change: { dueOn: string; amountFen: number },
): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    const row = instalmentRow(tx, caseId, instalmentId);
    const { instalment } = row;
    checkInstalmentChange(tx, current.status, row, change.dueOn);
    const after = tx
      .select()
      .from(instalments)
      .where(and(eq(instalments.planId, instalment.planId), gt(instalments.seq, instalment.seq)))
      .orderBy(asc(instalments.seq))
      .all();
    const later = after.filter((i) => i.paidOn === null);
    if (later.length === 0) throw new DomainError('no_later_unpaid', { field: 'laterToo' });
    const toSeq = later.at(-1)!.seq;
    const changes = changedFields({ dueOn: instalment.dueOn, amountFen: instalment.amountFen }, change);
    const changedLater = later.filter((i) => i.amountFen !== change.amountFen);
    if (Object.keys(changes).length === 0 && changedLater.length === 0) throw new DomainError('correction_unchanged');
    tx.update(instalments).set(change).where(eq(instalments.id, instalmentId)).run();
    if (changedLater.length > 0) {
      tx.update(instalments)
        .set({ amountFen: change.amountFen })
        .where(inArray(instalments.id, changedLater.map((i) => i.id)))
        .run();
    }
    tx.update(plans)
      .set({ totalFen: planTotal(instalment.planId) })
      .where(eq(plans.id, instalment.planId))
      .run();
    recordEvent(tx, caseId, viewer.id, 'instalments_changed', {
      fromSeq: instalment.seq,
      toSeq,
      amountFen: change.amountFen,
      // The amounts the range had (its unpaid instalments), as stages; and the instalments in it
      // that kept theirs, having a payment.
      before: planStages([instalment, ...later]),
      keptPaid: after.filter((i) => i.paidOn !== null && i.seq < toSeq).map((i) => i.seq),
      // The chosen instalment's own date, when it moved.
      ...(changes.dueOn ? { changes: { dueOn: changes.dueOn } } : {}),
    });
    const today = todayInShanghai();
    const plan = { periods: row.periods, lender: row.lender };
    if (Object.keys(changes).length > 0) followInstalmentReminders(tx, current.ownerId, caseId, { ...instalment, ...change }, plan, today);
    for (const i of changedLater) followInstalmentReminders(tx, current.ownerId, caseId, { ...i, amountFen: change.amountFen }, plan, today);
    bumpVersion(tx, current);
  });
}

/**
 * Corrects what was recorded as paid on an instalment: the amount paid on it in all, and the day of
 * the last payment, or nothing paid at all (`paid: null`). For a mistyped amount or date, or a
 * payment marked on the wrong instalment. The plan and the case follow what the instalment is now:
 * a settled case that owes again is being repaid again ("reopen_plan"), a plan left with no payment
 * is only agreed ("unstart_repaying"), one now paid in full is settled; the instalment's reminders
 * are reopened or closed as if the payment had been recorded so (`onPaymentCorrected`). The
 * timeline keeps what was recorded before. Open to the plan of an approved or repaying case, or one
 * closed as settled; not to a withdrawn case's. Guarded by the case's version.
 */
export function correctInstalmentPayment(
  viewer: Viewer,
  caseId: number,
  version: number,
  instalmentId: number,
  paid: { paidOn: string; paidFen: number } | null,
): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    const row = instalmentRow(tx, caseId, instalmentId);
    const { instalment } = row;
    const settled = current.status === 'closed' && current.outcome === 'settled';
    if (current.status !== 'approved' && current.status !== 'repaying' && !settled) throw new DomainError('plan_not_active');
    if (!instalment.paidOn) throw new DomainError('not_paid');
    if (paid && row.agreedOn && paid.paidOn < row.agreedOn) throw new DomainError('paid_before_agreed', { field: 'paidOn' });
    if (paid ? paid.paidOn === instalment.paidOn && paid.paidFen === instalment.paidFen : false) throw new DomainError('correction_unchanged');
    // A plan paid off at once: only its payoff is corrected, as the payment it is (in full, on its day);
    // the instalments it settled stay as they were.
    const payoff = row.paidOffOn !== null;
    if (payoff) {
      if (instalment.seq !== row.lastSeq) throw new DomainError('plan_paid_off');
      if (!paid) throw new DomainError('payoff_needs_payment');
      if (paid.paidFen > (row.paidOffOwedFen ?? 0)) throw new DomainError('paid_off_over_owed', { field: 'paid', values: { owedFen: row.paidOffOwedFen ?? 0 } });
      const before = tx
        .select({ last: sql<string | null>`max(${instalments.paidOn})` })
        .from(instalments)
        .where(and(eq(instalments.planId, instalment.planId), sql`${instalments.id} <> ${instalment.id}`))
        .get();
      if (before?.last && paid.paidOn < before.last) throw new DomainError('payoff_before_last_payment', { field: 'paidOn', values: { lastPaidOn: before.last } });
    } else if (paid) {
      const problem = paidOverProblem(instalment, row, paid.paidFen);
      if (problem) throw problem;
    }
    tx.update(instalments)
      .set({ paidOn: paid?.paidOn ?? null, paidFen: paid?.paidFen ?? null, ...(payoff && paid ? { dueOn: paid.paidOn, amountFen: paid.paidFen } : {}) })
      .where(eq(instalments.id, instalmentId))
      .run();
    if (payoff && paid) {
      tx.update(plans).set({ paidOffOn: paid.paidOn, totalFen: planTotal(instalment.planId) }).where(eq(plans.id, instalment.planId)).run();
    }
    recordEvent(tx, caseId, viewer.id, 'payment_corrected', {
      seq: instalment.seq,
      dueOn: instalment.dueOn,
      fromOn: instalment.paidOn,
      fromFen: instalment.paidFen ?? 0,
      toOn: paid?.paidOn ?? null,
      toFen: paid?.paidFen ?? 0,
    });
    const { owing, paid: anyPaid } = planCounts(tx, instalment.planId);
    let status: Case['status'] = current.status;
    // The chases of the lender's promises that the plan's completion closed (its event names them), to open again.
    let promiseChases: number[] = [];
    if (status === 'closed' && owing > 0) {
      status = assertTransition(status, 'reopen_plan');
      promiseChases = chasesClosedByCompletion(tx, caseId);
      recordEvent(tx, caseId, viewer.id, 'plan_reopened');
    }
    if (status === 'repaying' && anyPaid === 0) {
      status = assertTransition(status, 'unstart_repaying');
      recordEvent(tx, caseId, viewer.id, 'repaying_undone');
    }
    if (status !== 'closed' && owing === 0) {
      status = 'closed';
      recordEvent(tx, caseId, viewer.id, 'plan_completed', completedData(tx, caseId, current.ownerId));
    }
    bumpVersion(tx, current, { status, outcome: status === 'closed' ? 'settled' : null });
    const change = onPaymentCorrected(
      { ...instalment, periods: row.periods, lender: row.lender },
      paid && { paidOn: paid.paidOn, totalFen: paid.paidFen },
      todayInShanghai(),
    );
    applyReminderChange(tx, current.ownerId, caseId, { open: [], close: change.close });
    if (status === 'closed') closeCaseRuleReminders(tx, caseId);
    else reopenRuleReminders(tx, current.ownerId, caseId, change.open);
    reopenClosedRuleReminders(tx, current.ownerId, caseId, promiseChases);
  });
}

/**
 * The chases of the lender's promises that the case's settling closed, as its plan_completed event
 * names them: none when the latest settling or reopening of the plan is a reopening (or the event
 * was recorded before completions kept them).
 */
function chasesClosedByCompletion(tx: Tx, caseId: number): number[] {
  const latest = tx
    .select({ kind: caseEvents.kind, data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.kind, ['plan_completed', 'plan_reopened'])))
    .orderBy(desc(caseEvents.id))
    .get();
  return latest?.kind === 'plan_completed' ? promiseChasesOf(latest.data) : [];
}

/** The promise chases a plan's end kept in its event's data (plan_paid_off, plan_completed); none when it kept none. */
function promiseChasesOf(data: unknown): number[] {
  const chases = (data as { promiseChases?: unknown } | null)?.promiseChases;
  return Array.isArray(chases) && chases.every((id) => Number.isSafeInteger(id)) ? (chases as number[]) : [];
}

/** The agreed terms as the timeline compares them. */
type PlanTerms = { decidedOn: string | null; periods: number | null; monthlyFen: number | null; firstDueOn: string | null; waivedFen: number };

/**
 * Corrects the terms recorded when the lender agreed (the decision's day, the periods, the amount of
 * each, the first date, what was waived), before anything is paid: a case still "approved". The plan
 * is made again from the corrected terms, as the approval made it, with its reminders; those of the
 * instalments it replaces are closed. The timeline keeps the terms as they were first recorded, and
 * says what changed. Once a payment is recorded, its correction comes first (correctInstalmentPayment:
 * undoing the last payment takes the case back to approved). Guarded by the case's version.
 */
export function correctPlanTerms(viewer: Viewer, caseId: number, version: number, input: ApproveInput): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    if (current.status === 'repaying') throw new DomainError('plan_has_payments');
    if (current.status !== 'approved') throw new DomainError('plan_not_active');
    const plan = tx.select().from(plans).where(eq(plans.caseId, caseId)).orderBy(desc(plans.id)).get();
    if (!plan) throw new DomainError('plan_not_active');
    const attempt = tx.select().from(attempts).where(eq(attempts.id, plan.attemptId)).get()!;
    if (input.decidedOn < attempt.submittedOn) throw new DomainError('decided_before_submitted', { field: 'decidedOn', values: { submittedOn: attempt.submittedOn } });
    // Nor before a request for materials the decision overtook (closed on its day), as the approval refuses.
    const overtaken = and(eq(materialRequests.attemptId, attempt.id), isNotNull(materialRequests.closedOn));
    const lastAsked = tx.select({ on: sql<string | null>`max(${materialRequests.requestedOn})` }).from(materialRequests).where(overtaken).get()?.on;
    if (lastAsked && input.decidedOn < lastAsked) throw new DomainError('decided_before_requested', { field: 'decidedOn' });
    assertWaiverWithinOwed(current, input.agreedWaived);
    const periods = input.agreedPeriods!;
    const before: PlanTerms = {
      decidedOn: attempt.decidedOn,
      periods: attempt.agreedPeriods,
      monthlyFen: attempt.agreedMonthlyFen,
      firstDueOn: attempt.agreedFirstPaymentOn,
      waivedFen: attempt.agreedWaivedFen ?? 0,
    };
    const after: PlanTerms = {
      decidedOn: input.decidedOn,
      periods,
      monthlyFen: input.agreedMonthly,
      firstDueOn: input.agreedFirstPaymentOn,
      waivedFen: input.agreedWaived,
    };
    const changes = changedFields(before, after);
    if (Object.keys(changes).length === 0) throw new DomainError('correction_unchanged');
    tx.update(attempts).set(agreedColumns(input)).where(eq(attempts.id, attempt.id)).run();
    // The requests it overtook were overtaken on the day it came.
    if (changes.decidedOn) tx.update(materialRequests).set({ closedOn: input.decidedOn }).where(overtaken).run();
    tx.update(plans)
      .set({ periods, monthlyFen: input.agreedMonthly, firstDueOn: input.agreedFirstPaymentOn, totalFen: periods * input.agreedMonthly })
      .where(eq(plans.id, plan.id))
      .run();
    tx.delete(instalments).where(eq(instalments.planId, plan.id)).run();
    const created = tx
      .insert(instalments)
      .values(buildSchedule(input.agreedFirstPaymentOn, periods, input.agreedMonthly).map((i) => ({ ...i, planId: plan.id, caseId })))
      .returning({ id: instalments.id, seq: instalments.seq, dueOn: instalments.dueOn, amountFen: instalments.amountFen })
      .all();
    const lender = tx.select({ name: lenders.name }).from(lenders).where(eq(lenders.id, current.lenderId)).get()!.name;
    // The replaced instalments' reminders (case-scoped), then the new plan's, as the approval opened them.
    applyReminderChange(tx, current.ownerId, caseId, onPlanDropped());
    applyReminderChange(tx, current.ownerId, caseId, onPlanAgreed({ instalments: created, periods, lender }, todayInShanghai()));
    recordEvent(tx, caseId, viewer.id, 'plan_terms_corrected', {
      round: attempt.round,
      changes,
    });
    bumpVersion(tx, current);
  });
}

/**
 * The borrower's instalments due in one month (`YYYY-MM`), across all their lenders: for the
 * calendar on their home page. Only the viewer's own cases (an advisor has none of their own),
 * only a case's current plan, and only plans that still stand or were paid off: a case being
 * repaid or approved, or closed as settled. A withdrawn case's plan is no longer the borrower's
 * to keep, so its unpaid instalments are not shown as missed. Archived cases are included:
 * money due is due wherever the case is filed. A plan paid off at once says which row is its payoff.
 *
 * One query, driven by the owner's cases (cases_owner_idx) and, per case, the month's range of
 * instalments_case_due_idx.
 */
export function listInstalmentsForMonth(viewer: Viewer, month: string) {
  if (!isMonth(month)) throw new RangeError(`not a month: ${month}`);
  const { first, last } = monthBounds(month);
  return prepared(getDb(), 'plans.month', (db) =>
    db
    .select({
      id: instalments.id,
      caseId: instalments.caseId,
      seq: instalments.seq,
      periods: plans.periods,
      dueOn: instalments.dueOn,
      amountFen: instalments.amountFen,
      paidOn: instalments.paidOn,
      paidFen: instalments.paidFen,
      // The payment that paid the plan off at once (payOffPlan): the plan's last instalment, as the case page says.
      payoff: sql<boolean>`(${plans.paidOffOn} is not null and ${instalments.seq} = (select max(i.seq) from ${instalments} i where i.plan_id = ${plans.id}))`.mapWith(Boolean),
      lenderId: cases.lenderId,
      lenderName: lenders.name,
      caseStatus: cases.status,
    })
    .from(cases)
    .innerJoin(instalments, and(eq(instalments.caseId, cases.id), gte(instalments.dueOn, sql.placeholder('first')), lte(instalments.dueOn, sql.placeholder('last'))))
    .innerJoin(plans, eq(plans.id, instalments.planId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(
      and(
        eq(cases.ownerId, sql.placeholder('ownerId')),
        or(inArray(cases.status, ['approved', 'repaying']), and(eq(cases.status, 'closed'), eq(cases.outcome, 'settled'))),
        // The case's current plan (a case has one, but the case page also reads only the latest).
        sql`${plans.id} = (select max(p.id) from ${plans} p where p.case_id = ${cases.id})`,
      ),
    )
    .orderBy(asc(instalments.dueOn), asc(lenders.name), asc(instalments.caseId), asc(instalments.seq))
    .prepare(),
  ).all({ ownerId: viewer.id, first, last });
}

export type MonthInstalment = ReturnType<typeof listInstalmentsForMonth>[number];
