import { and, asc, eq, gte, inArray, lte, or, sql } from 'drizzle-orm';
import { ConflictError, DomainError, NotFoundError } from '@/lib/errors';
import { isMonth, monthBounds } from '@/lib/month-calendar';
import { assertCanWriteCase } from './access';
import { bumpVersion } from './cases';
import { prepared } from './prepared';
import { getDb } from './client';
import { todayInShanghai } from '@/lib/dates';
import { onInstalmentPaid } from '@/lib/reminder-rules';
import { recordEvent } from './events';
import { applyReminderChange, closeCaseRuleReminders } from './reminders';
import { attempts, cases, instalments, lenders, plans, type Case } from './schema';
import type { Viewer } from './viewer-type';

/**
 * Records a payment on an instalment. The first payment moves an approved case to repaying; the plan
 * is settled, and the case closed, once every instalment is paid in full. A payment short of the
 * amount leaves the rest owing on that instalment (a reminder to pay it, `onInstalmentPaid`), and
 * a later payment on it adds to what was paid, up to the amount. No payment is dated before the
 * lender agreed the plan, nor before an earlier payment on the same instalment. Guarded by the
 * case's version like every change to a case.
 */
export function markInstalmentPaid(
  viewer: Viewer,
  caseId: number,
  version: number,
  instalmentId: number,
  payment: { paidOn: string; paid: number },
): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    const row = tx
      .select({ instalment: instalments, periods: plans.periods, agreedOn: attempts.decidedOn, lender: lenders.name })
      .from(instalments)
      .innerJoin(plans, eq(plans.id, instalments.planId))
      .innerJoin(attempts, eq(attempts.id, plans.attemptId))
      .innerJoin(cases, eq(cases.id, instalments.caseId))
      .innerJoin(lenders, eq(lenders.id, cases.lenderId))
      .where(and(eq(instalments.id, instalmentId), eq(instalments.caseId, caseId)))
      .get();
    if (!row) throw new NotFoundError();
    const { instalment } = row;
    const before = instalment.paidOn ? (instalment.paidFen ?? 0) : 0;
    if (instalment.paidOn && before >= instalment.amountFen) throw new DomainError('already_paid');
    if (current.status !== 'approved' && current.status !== 'repaying') throw new DomainError('plan_not_active');
    if (row.agreedOn && payment.paidOn < row.agreedOn) throw new DomainError('paid_before_agreed');
    if (instalment.paidOn && payment.paidOn < instalment.paidOn) throw new DomainError('paid_before_earlier_payment');
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
    // Unpaid, or paid short: what keeps the plan from being settled.
    const owing = tx
      .select({ n: sql<number>`count(*)` })
      .from(instalments)
      .where(and(eq(instalments.planId, instalment.planId), sql`(${instalments.paidOn} is null or ${instalments.paidFen} < ${instalments.amountFen})`))
      .get()!.n;
    let status: Case['status'] = current.status;
    if (status === 'approved') {
      status = 'repaying';
      recordEvent(tx, caseId, viewer.id, 'repaying_started');
    }
    if (owing === 0) {
      status = 'closed';
      recordEvent(tx, caseId, viewer.id, 'plan_completed');
    }
    bumpVersion(tx, current, { status, outcome: status === 'closed' ? 'settled' : null });
    applyReminderChange(
      tx,
      current.ownerId,
      caseId,
      onInstalmentPaid({ ...instalment, periods: row.periods, lender: row.lender }, { paidOn: payment.paidOn, totalFen: total }, todayInShanghai()),
    );
    if (status === 'closed') closeCaseRuleReminders(tx, caseId);
  });
}

/**
 * The borrower's instalments due in one month (`YYYY-MM`), across all their lenders: for the
 * calendar on their home page. Only the viewer's own cases (an advisor has none of their own),
 * only a case's current plan, and only plans that still stand or were paid off: a case being
 * repaid or approved, or closed as settled. A withdrawn case's plan is no longer the borrower's
 * to keep, so its unpaid instalments are not shown as missed. Archived cases are included:
 * money due is due wherever the case is filed.
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
