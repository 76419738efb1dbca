import { and, eq, isNull, sql } from 'drizzle-orm';
import { ConflictError, DomainError, NotFoundError } from '@/lib/errors';
import { assertCanWriteCase } from './access';
import { bumpVersion } from './cases';
import { getDb } from './client';
import { onInstalmentPaid } from '@/lib/reminder-rules';
import { recordEvent } from './events';
import { applyReminderChange, closeCaseRuleReminders } from './reminders';
import { instalments, type Case } from './schema';
import type { Viewer } from './viewer-type';

/**
 * Marks an instalment paid. The first payment moves an approved case to repaying; the last one
 * closes it as settled. Guarded by the case's version like every change to a case.
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
    const instalment = tx
      .select()
      .from(instalments)
      .where(and(eq(instalments.id, instalmentId), eq(instalments.caseId, caseId)))
      .get();
    if (!instalment) throw new NotFoundError();
    if (instalment.paidOn) throw new DomainError('already_paid');
    if (current.status !== 'approved' && current.status !== 'repaying') throw new DomainError('plan_not_active');
    tx.update(instalments)
      .set({ paidOn: payment.paidOn, paidFen: payment.paid })
      .where(eq(instalments.id, instalmentId))
      .run();
    recordEvent(tx, caseId, viewer.id, 'instalment_paid', {
      seq: instalment.seq,
      dueOn: instalment.dueOn,
      paidOn: payment.paidOn,
      paidFen: payment.paid,
    });
    const unpaid = tx
      .select({ n: sql<number>`count(*)` })
      .from(instalments)
      .where(and(eq(instalments.planId, instalment.planId), isNull(instalments.paidOn)))
      .get()!.n;
    let status: Case['status'] = current.status;
    if (status === 'approved') {
      status = 'repaying';
      recordEvent(tx, caseId, viewer.id, 'repaying_started');
    }
    if (unpaid === 0) {
      status = 'closed';
      recordEvent(tx, caseId, viewer.id, 'plan_completed');
    }
    bumpVersion(tx, current, { status, outcome: status === 'closed' ? 'settled' : null });
    applyReminderChange(tx, current.ownerId, caseId, onInstalmentPaid(instalmentId));
    if (status === 'closed') closeCaseRuleReminders(tx, caseId);
  });
}
