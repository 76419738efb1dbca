import fc from 'fast-check';
import { deleteAccount } from '@/db/account';
import { approveAttempt, closeEscalation, escalateCase, rejectAttempt, requestMaterials, sendMaterials, submitAttempt, undoAttempt, undoDecision, undoEscalationClose, undoWithdrawal, voidPlan, withdrawCase } from '@/db/attempts';
import { createCase, deleteCase, setCaseArchived, updateCase } from '@/db/cases';
import { getDb } from '@/db/client';
import { addContact, correctContact, deleteContact } from '@/db/contacts';
import { changeInstalment, correctInstalmentPayment, correctPlanTerms, markInstalmentPaid, payOffPlan } from '@/db/plans';
import type { Viewer } from '@/db/viewer-type';
import { TransitionError } from '@/lib/case-status';
import { addDaysIso } from '@/lib/dates';
import { ConflictError, DomainError, NotFoundError } from '@/lib/errors';
import { approveInput, caseInput, contactInput, escalateInput, materialsInput, rejectInput, submitInput, TEST_PASSWORD, versionOf } from './factories';

/**
 * Random sequences of the real write verbs on cases, attempts, materials requests, plans and
 * instalments, and contacts, plus a few raw SQL writes no verb guards (a script, a repair by
 * hand): what db/case-facts.test.ts and db/advisor-cache.test.ts run between their comparisons.
 */

const client = () => getDb().$client;

export const day = (n: number) => addDaysIso('2025-05-01', n);

/** One step: which verb, on which of the live cases (by index), with which day and choice. */
export type Step = { kind: (typeof KINDS)[number]; pick: number; n: number; flag: boolean };

export const KINDS = [
  'create',
  'update',
  'submit',
  'requestMaterials',
  'sendMaterials',
  'approve',
  'reject',
  'escalate',
  'closeEscalation',
  'undoCloseEscalation',
  'withdraw',
  'undoWithdraw',
  'pay',
  'correctPayment',
  'correctPlan',
  'changeInstalment',
  'voidPlan',
  'payOff',
  'undoDecision',
  'undoAttempt',
  'addContact',
  'deleteContact',
  'correctContact',
  'archive',
  'deleteCase',
  'deleteAccount',
  'rawDeleteAttempt',
  'rawMoveInstalment',
  'rawMoveContact',
  'rawMoveReminder',
] as const;

/**
 * How often each kind of step comes: the steps that move a case along (an application, a decision, a
 * payment) more often than those that end it (withdrawn, deleted, its account deleted), so that most
 * sequences reach a plan and its payments and corrections.
 */
const WEIGHTS: Partial<Record<(typeof KINDS)[number], number>> = {
  submit: 6,
  approve: 6,
  pay: 6,
  correctPayment: 3,
  correctPlan: 3,
  requestMaterials: 3,
  sendMaterials: 3,
  reject: 3,
  withdraw: 1,
  payOff: 1,
  archive: 1,
  deleteCase: 1,
  deleteAccount: 1,
};

export const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.oneof(...KINDS.map((k) => ({ arbitrary: fc.constant(k), weight: WEIGHTS[k] ?? 2 }))),
  pick: fc.nat({ max: 50 }),
  n: fc.nat({ max: 60 }),
  flag: fc.boolean(),
});

export type World = { owners: Viewer[]; lenders: number[] };

export function liveCases(world: World): { id: number; owner: Viewer; status: string }[] {
  const ids = world.owners.map((o) => o.id);
  if (ids.length === 0) return [];
  const rows = client().prepare(`SELECT id, owner_id AS ownerId, status FROM cases WHERE owner_id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`).all(...ids) as { id: number; ownerId: number; status: string }[];
  return rows.map((r) => ({ id: r.id, owner: world.owners.find((o) => o.id === r.ownerId)!, status: r.status }));
}

function rowOf<T>(sql: string, ...params: unknown[]): T | undefined {
  return client().prepare(sql).get(...params) as T | undefined;
}

/** The statuses a step can act on: it aims at such a case when there is one (else at any, to be refused). */
const AIMS: Partial<Record<(typeof KINDS)[number], string[]>> = {
  submit: ['preparing', 'rejected'],
  requestMaterials: ['under_review', 'materials_requested'],
  sendMaterials: ['materials_requested'],
  approve: ['under_review', 'materials_requested', 'escalated'],
  reject: ['under_review', 'materials_requested', 'escalated'],
  escalate: ['rejected'],
  closeEscalation: ['escalated'],
  pay: ['approved', 'repaying'],
  correctPayment: ['repaying', 'closed'],
  correctPlan: ['approved'],
  changeInstalment: ['approved', 'repaying'],
  voidPlan: ['approved', 'repaying'],
  payOff: ['approved', 'repaying'],
  undoDecision: ['approved', 'rejected'],
  undoAttempt: ['under_review', 'escalated'],
  undoWithdraw: ['closed'],
  undoCloseEscalation: ['closed'],
};

export async function run(world: World, step: Step): Promise<void> {
  const all = liveCases(world);
  const aims = AIMS[step.kind];
  const aimed = aims ? all.filter((c) => aims.includes(c.status)) : [];
  const cases = aimed.length > 0 ? aimed : all;
  const target = cases.length > 0 ? cases[step.pick % cases.length]! : undefined;
  const on = day(step.n);
  if (step.kind === 'create' || !target) {
    const owner = world.owners[step.pick % world.owners.length];
    if (owner) createCase(owner, caseInput(owner, { lenderId: world.lenders[step.n % world.lenders.length]!, principal: 100_000 + step.n * 1_000, ...(step.flag ? { interest: null, penalty: null } : {}) }), undefined, { allowDuplicate: true });
    return;
  }
  const { id, owner } = target;
  const v = () => versionOf(id);
  // The steps that must follow the case's story in time (a decision after its application, a payment after the
  // plan) take a day after its latest recorded one, so that they are mostly accepted and the plan's steps run.
  const after = () => {
    const latest = rowOf<{ d: string | null }>(
      `SELECT max(d) AS d FROM (SELECT max(submitted_on) AS d FROM attempts WHERE case_id = @id UNION ALL SELECT max(decided_on) FROM attempts WHERE case_id = @id
        UNION ALL SELECT max(requested_on) FROM material_requests WHERE case_id = @id UNION ALL SELECT max(sent_on) FROM material_requests WHERE case_id = @id
        UNION ALL SELECT max(paid_on) FROM instalments WHERE case_id = @id)`,
      { id },
    )?.d;
    return latest ? addDaysIso(latest, step.n % 7) : on;
  };
  switch (step.kind) {
    case 'update':
      return updateCase(owner, id, v(), caseInput(owner, { lenderId: world.lenders[step.n % world.lenders.length]!, product: step.flag ? '分期' : '借款', ...(step.n % 3 === 0 ? { principal: null, interest: null, penalty: null } : { principal: 50_000 + step.n * 7 }), accountRef: String(1000 + step.n) }));
    case 'submit':
      return void submitAttempt(owner, id, v(), submitInput({ submittedOn: on }));
    case 'requestMaterials':
      return requestMaterials(owner, id, v(), materialsInput({ requestedOn: after(), deadline: addDaysIso(after(), step.flag ? 2 : 9) }));
    case 'sendMaterials': {
      // Flagged: only the oldest request awaited (the case stays 待补充材料 while another one is).
      const oldest = step.flag
        ? rowOf<{ id: number }>('SELECT id FROM material_requests WHERE case_id = @id AND sent_on IS NULL AND closed_on IS NULL ORDER BY requested_on, id LIMIT 1', { id })?.id
        : undefined;
      return void sendMaterials(owner, id, v(), after(), oldest === undefined ? {} : { requestIds: [oldest] });
    }
    case 'approve':
      return void approveAttempt(owner, id, v(), approveInput({ decidedOn: after(), agreedFirstPaymentOn: addDaysIso(after(), 10), agreedPeriods: 1 + (step.n % 4) }));
    case 'reject':
      return rejectAttempt(owner, id, v(), rejectInput({ decidedOn: after(), rejectionReason: step.flag ? 'other' : 'credit_history' }));
    case 'escalate':
      return escalateCase(owner, id, v(), escalateInput({ submittedOn: on, route: step.flag ? 'mediation' : 'complaint' }));
    case 'closeEscalation':
      return closeEscalation(owner, id, v(), step.flag ? 'other' : 'withdrawn', '');
    case 'withdraw':
      return withdrawCase(owner, id, v(), '');
    case 'undoWithdraw':
      return undoWithdrawal(owner, id, v());
    case 'undoCloseEscalation':
      return undoEscalationClose(owner, id, v());
    case 'pay': {
      const unpaid = rowOf<{ id: number; amountFen: number }>('SELECT id, amount_fen AS amountFen FROM instalments WHERE case_id = ? AND paid_on IS NULL ORDER BY seq LIMIT 1 OFFSET ?', id, step.flag ? 0 : 1);
      // In full, or short (the rest then owed).
      if (unpaid) markInstalmentPaid(owner, id, v(), unpaid.id, { paidOn: after(), paid: step.n % 2 === 0 ? unpaid.amountFen : 100 });
      return;
    }
    case 'correctPayment': {
      // Marked by mistake (nothing paid), or another amount on the step's day.
      const paid = rowOf<{ id: number }>('SELECT id FROM instalments WHERE case_id = ? AND paid_on IS NOT NULL ORDER BY seq LIMIT 1', id);
      if (paid) correctInstalmentPayment(owner, id, v(), paid.id, step.flag ? null : { paidOn: after(), paidFen: 50 + step.n });
      return;
    }
    case 'correctPlan':
      return correctPlanTerms(owner, id, v(), approveInput({ decidedOn: on, agreedFirstPaymentOn: day(step.n + (step.flag ? 3 : 20)), agreedPeriods: 1 + ((step.n + 1) % 5) }));
    case 'changeInstalment': {
      // The last instalment not yet paid (none after it): a few days later, a few fen more.
      const last = rowOf<{ id: number; dueOn: string; amountFen: number }>(
        'SELECT id, due_on AS dueOn, amount_fen AS amountFen FROM instalments WHERE case_id = ? AND paid_on IS NULL ORDER BY seq DESC LIMIT 1',
        id,
      );
      if (last) changeInstalment(owner, id, v(), last.id, { dueOn: addDaysIso(last.dueOn, step.n % 5), amountFen: last.amountFen + (step.flag ? 1 : 0) });
      return;
    }
    case 'voidPlan':
      return voidPlan(owner, id, v(), { voidedOn: after(), note: step.flag ? '逾期一期，协议作废' : '' });
    case 'payOff':
      // The rest at once, for a little (the lender waiving most of it).
      return payOffPlan(owner, id, v(), { paidOn: after(), paid: 100 + step.n, note: step.flag ? '一次性结清' : '' });
    case 'undoDecision':
      return undoDecision(owner, id, v());
    case 'undoAttempt':
      return void undoAttempt(owner, id, v());
    case 'addContact':
      return void addContact(owner, id, contactInput({ promise: step.flag ? '三个工作日内回电' : '', promiseDue: step.flag ? on : null }));
    case 'deleteContact': {
      const contact = rowOf<{ id: number }>('SELECT id FROM contacts WHERE case_id = ? ORDER BY id LIMIT 1', id);
      if (contact) deleteContact(owner, id, contact.id);
      return;
    }
    case 'correctContact': {
      // The promise and its date corrected, or taken out: the stored promised dates and the chase follow.
      const contact = rowOf<{ id: number }>('SELECT id FROM contacts WHERE case_id = ? ORDER BY id DESC LIMIT 1', id);
      if (contact) correctContact(owner, id, v(), contact.id, contactInput({ summary: `更正 ${step.n}`, promise: step.flag ? '改期回电' : '', promiseDue: step.flag ? on : null }));
      return;
    }
    case 'archive':
      return setCaseArchived(owner, id, v(), step.flag);
    case 'deleteCase':
      return deleteCase(owner, id, versionOf(id));
    case 'deleteAccount':
      await deleteAccount(owner, { password: TEST_PASSWORD, confirmEmail: owner.email });
      world.owners = world.owners.filter((o) => o.id !== owner.id);
      return;
    // Writers no verb guards (a script, a repair by hand): the triggers keep up with them too.
    case 'rawDeleteAttempt': {
      // Cascades to its materials requests and its plan's instalments.
      client().prepare('DELETE FROM attempts WHERE id = (SELECT max(id) FROM attempts WHERE case_id = ?)').run(id);
      return;
    }
    case 'rawMoveInstalment':
      client().prepare('UPDATE instalments SET due_on = ? WHERE id = (SELECT min(id) FROM instalments WHERE case_id = ?)').run(on, id);
      return;
    case 'rawMoveContact': {
      // To another live case (of any owner here): both cases' promise lists change.
      const other = cases[(step.pick + 1) % cases.length]!;
      client().prepare('UPDATE contacts SET case_id = ? WHERE id = (SELECT min(id) FROM contacts WHERE case_id = ?)').run(other.id, id);
      return;
    }
    case 'rawMoveReminder':
      // A case's first reminder put off (or brought forward) to the step's day, or closed: its next date changes.
      client()
        .prepare(`UPDATE reminders SET ${step.flag ? "show_on = ?" : "status = 'dismissed', show_on = ?"} WHERE id = (SELECT min(id) FROM reminders WHERE case_id = ?)`)
        .run(on, id);
      return;
  }
}

/** The verbs refuse what the status machine, the version or the data does not allow: that is part of the sequence. */
export function expectedRefusal(error: unknown): boolean {
  return error instanceof TransitionError || error instanceof DomainError || error instanceof ConflictError || error instanceof NotFoundError;
}
