import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, like, lt, not, notInArray, sql } from 'drizzle-orm';
import { assertTransition, CASE_CLOSING_EVENTS, escalationCloseUndo, isOpenStatus, withdrawalUndo, type CaseTransition } from '@/lib/case-status';
import { parseShanghaiLocal, todayInShanghai } from '@/lib/dates';
import { RECEIVED_DOCUMENT_KINDS, rejectionNeedsText, type CaseOutcome } from '@/lib/domain';
import { DomainError, ConflictError, NotFoundError } from '@/lib/errors';
import { assertWaiverWithinOwed, buildSchedule, type DroppedInstalment } from '@/lib/plan';
import { requestBeforeApplication } from '@/lib/record-order';
import { materialsDeadline, onDecided, onMaterialsPartlySent, onMaterialsRequested, onMaterialsSent, onNewRound, onPlanAgreed, onPlanDropped, onPlanVoided, onPromise, onSubmitted } from '@/lib/reminder-rules';
import type {
  ApproveInput,
  EscalateInput,
  RejectInput,
  RequestMaterialsInput,
  SubmitAttemptInput,
  VoidPlanInput,
} from '@/lib/validation';
import { assertCanWriteCase } from './access';
import { bumpVersion } from './cases';
import { getDb, type DB } from './client';
import { changedFields, recordEvent } from './events';
import { applyReminderChange, closeCaseRuleReminders, moveOpenRuleReminder, openOrClosedByRule, reopenClosedRuleReminders, reopenRuleReminders } from './reminders';
import { attempts, caseEvents, contacts, documents, instalmentOwed, instalments, lenders, materialRequests, materialsAwaited, plans, reminders, type Attempt, type Case } from './schema';
import type { Viewer } from './viewer-type';

export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0];

/**
 * Every status change goes through here: the viewer must be allowed to write the case, the
 * form's version must be current, and the status machine must allow the transition. Only then
 * does `apply` write, in the same transaction; any failure writes nothing.
 */
export function transition<T>(
  viewer: Viewer,
  caseId: number,
  version: number,
  pick: CaseTransition | ((c: Case) => CaseTransition),
  apply: (tx: Tx, current: Case, to: Case['status']) => T,
  caseSet: Partial<Case> = {},
): T {
  return getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    const t = typeof pick === 'function' ? pick(current) : pick;
    const to = assertTransition(current.status, t);
    const result = apply(tx, current, to);
    bumpVersion(tx, current, { status: to, outcome: null, ...caseSet });
    if (to === 'closed') closeCaseRuleReminders(tx, caseId);
    return result;
  });
}

/**
 * A decision is recorded on a round the lender has not decided yet. The status machine sees to that;
 * this holds when the rows were changed by hand (a later round deleted in the file), where a second
 * plan for the same round would otherwise fail on the database's constraint.
 */
function assertUndecided(attempt: Attempt): void {
  if (attempt.decision !== null) throw new DomainError('attempt_already_decided');
}

/**
 * A correction of what a closed case recorded is refused (the page offers none: a form drawn before
 * the case was withdrawn or ended, in another tab): it would open its reminders again, on a case
 * that waits for nothing.
 */
function assertOpen(current: Case): void {
  if (!isOpenStatus(current.status)) throw new DomainError('case_closed');
}

function currentAttempt(tx: Tx, caseId: number): Attempt {
  const row = tx.select().from(attempts).where(eq(attempts.caseId, caseId)).orderBy(desc(attempts.round)).get();
  if (!row) throw new DomainError('no_attempt');
  return row;
}

/**
 * What a new round (an application again, or an escalation) is not dated before: the previous round's
 * decision, or, when the plan agreed in it was voided since, the day it was voided; a round dated
 * within the plan's life would end it before it ended. The refusal at the round's day, said with
 * `rejection` or, after a voided plan, `voided` (with its day).
 */
function assertAfterPreviousRound(tx: Pick<DB, 'select'>, previous: { id: number; decidedOn: string | null }, submittedOn: string, rejection: string, voided: string): void {
  const voidedOn = tx.select({ on: plans.voidedOn }).from(plans).where(eq(plans.attemptId, previous.id)).get()?.on ?? null;
  if (voidedOn && submittedOn < voidedOn) throw new DomainError(voided, { field: 'submittedOn', values: { voidedOn } });
  if (previous.decidedOn && submittedOn < previous.decidedOn) throw new DomainError(rejection, { field: 'submittedOn' });
}

/** The day of the lender's latest request for materials still awaited: what answers it is not dated before it. */
function lastAwaitedRequestOn(tx: Tx, caseId: number): string | null {
  return (
    tx
      .select({ on: sql<string | null>`max(${materialRequests.requestedOn})` })
      .from(materialRequests)
      .where(and(eq(materialRequests.caseId, caseId), materialsAwaited()))
      .get()?.on ?? null
  );
}

/** What the reminder rules need to know of the case's lender. */
function lenderOf(tx: Tx, c: Case): { name: string; reviewWorkdays: number } {
  return tx.select({ name: lenders.name, reviewWorkdays: lenders.reviewWorkdays }).from(lenders).where(eq(lenders.id, c.lenderId)).get()!;
}

function nextRound(tx: Tx, caseId: number): number {
  const row = tx
    .select({ max: sql<number | null>`max(${attempts.round})` })
    .from(attempts)
    .where(eq(attempts.caseId, caseId))
    .get();
  return (row?.max ?? 0) + 1;
}

/** An application's own columns, as the form gives them (a new round, or its record corrected). */
function applicationColumns(input: SubmitAttemptInput) {
  return {
    program: input.program,
    channel: input.channel,
    submittedOn: input.submittedOn,
    lenderRef: input.lenderRef,
    proposedPeriods: input.proposedPeriods,
    proposedMonthlyFen: input.proposedMonthly || null,
    proposedFirstPaymentOn: input.proposedFirstPaymentOn,
    proposedWaivedFen: input.proposedWaived || null,
  };
}

/** The terms the lender agreed, as the attempt keeps them (the approval, or its terms corrected: db/plans.ts). */
export function agreedColumns(input: ApproveInput) {
  return {
    decidedOn: input.decidedOn,
    agreedPeriods: input.agreedPeriods!,
    agreedMonthlyFen: input.agreedMonthly,
    agreedFirstPaymentOn: input.agreedFirstPaymentOn,
    agreedWaivedFen: input.agreedWaived || null,
  };
}

/**
 * Submit an application: the first one (preparing → under review) or a new round after a rejection.
 * The case's ready documents go with it: all, or those of `documentIds` (each one of them, else "not
 * found" and nothing changes).
 */
export function submitAttempt(viewer: Viewer, caseId: number, version: number, input: SubmitAttemptInput, documentIds?: number[]): number {
  return transition(
    viewer,
    caseId,
    version,
    (c) => (c.status === 'rejected' ? 'reapply' : 'submit'),
    (tx, current) => {
      // The waiver asked for, as the one agreed: not more than the case records as owed.
      if (input.proposedWaived) assertWaiverWithinOwed(current, input.proposedWaived, 'proposedWaived');
      const previous = current.status === 'rejected' ? currentAttempt(tx, caseId) : null;
      if (previous) assertAfterPreviousRound(tx, previous, input.submittedOn, 'submitted_before_rejection', 'submitted_before_plan_voided');
      const round = nextRound(tx, caseId);
      const attempt = tx
        .insert(attempts)
        .values({ caseId, round, ...applicationColumns(input) })
        .returning({ id: attempts.id })
        .get();
      // Documents the borrower had ready go with this application (those ticked, when the form listed them).
      const sent = sendReadyDocuments(tx, caseId, attempt.id, documentIds);
      recordEvent(tx, caseId, viewer.id, current.status === 'rejected' ? 'attempt_resubmitted' : 'attempt_submitted', {
        round,
        program: input.program,
        channel: input.channel,
        submittedOn: input.submittedOn,
        documentsSent: sent,
      });
      const lender = lenderOf(tx, current);
      if (previous) applyReminderChange(tx, current.ownerId, caseId, onNewRound(previous.id));
      applyReminderChange(
        tx,
        current.ownerId,
        caseId,
        onSubmitted({ attemptId: attempt.id, round, submittedOn: input.submittedOn, reviewWorkdays: lender.reviewWorkdays, lender: lender.name }),
      );
      return attempt.id;
    },
  );
}

/** The lender asked for more material (补充材料), with a deadline. */
export function requestMaterials(viewer: Viewer, caseId: number, version: number, input: RequestMaterialsInput): void {
  transition(viewer, caseId, version, 'request_materials', (tx, current) => {
    const attempt = currentAttempt(tx, caseId);
    const early = requestBeforeApplication(input.requestedOn, attempt.submittedOn);
    if (early) throw early;
    const deadline = materialsDeadline(input.requestedOn, input.deadline);
    const request = tx
      .insert(materialRequests)
      .values({ caseId, attemptId: attempt.id, what: input.what, requestedOn: input.requestedOn, deadline })
      .returning({ id: materialRequests.id })
      .get();
    recordEvent(tx, caseId, viewer.id, 'materials_requested', { what: input.what, deadline });
    applyReminderChange(
      tx,
      current.ownerId,
      caseId,
      onMaterialsRequested(
        {
          attemptId: attempt.id,
          requestId: request.id,
          requestedOn: input.requestedOn,
          deadline,
          what: input.what,
          lender: lenderOf(tx, current).name,
          byWorkdays: !input.deadline,
        },
        todayInShanghai(),
      ),
    );
  });
}

/** What went in one sending of materials, when not everything: the requests it answers, the documents it carried. */
export type MaterialsChoice = { requestIds?: number[]; documentIds?: number[] };

/**
 * The requested material was sent. The documents the borrower had ready went with it (submitted,
 * with this application), as with an application. `choice` says what went, when not all: the
 * requests it answers (the others stay awaited, with their deadlines and reminders) and the ready
 * documents it carried (the others stay ready). Once no request is awaited any more the case waits
 * for the lender's decision again; until then it stays 待补充材料. A request or document named that is
 * not this case's, awaited or ready, is "not found" and nothing changes. Returns how many requests
 * are still awaited.
 */
export function sendMaterials(viewer: Viewer, caseId: number, version: number, sentOn: string, choice: MaterialsChoice = {}): { stillAwaited: number } {
  const chosen = choice.requestIds ? new Set(choice.requestIds) : null;
  let awaited: { id: number; requestedOn: string }[] = [];
  return transition(
    viewer,
    caseId,
    version,
    () => {
      awaited = awaitedRequests(getDb(), caseId);
      return !chosen || awaited.every((r) => chosen.has(r.id)) ? 'send_materials' : 'send_some_materials';
    },
    (tx, current, to) => {
      const attempt = currentAttempt(tx, caseId);
      if (chosen && chosen.size === 0) throw new DomainError('materials_choose_request', { field: 'requests' });
      if (chosen && [...chosen].some((id) => !awaited.some((r) => r.id === id))) throw new NotFoundError();
      const answering = awaited.filter((r) => !chosen || chosen.has(r.id));
      const lastAsked = answering.reduce<string | null>((last, r) => (last === null || r.requestedOn > last ? r.requestedOn : last), null);
      if (lastAsked && sentOn < lastAsked) throw new DomainError('sent_before_requested', { field: 'sentOn' });
      const sent = tx
        .update(materialRequests)
        .set({ sentOn })
        .where(and(eq(materialRequests.caseId, caseId), materialsAwaited(), inArray(materialRequests.id, answering.map((r) => r.id))))
        .returning({ id: materialRequests.id, what: materialRequests.what })
        .all();
      const documentsSent = sendReadyDocuments(tx, caseId, attempt.id, choice.documentIds);
      const partly = to === 'materials_requested';
      recordEvent(tx, caseId, viewer.id, 'materials_sent', {
        sentOn,
        documentsSent: documentsSent || undefined,
        // Said by name when the lender was waiting for more than one thing.
        answered: awaited.length > 1 ? sent.map((r) => r.what) : undefined,
        stillAwaited: partly ? awaited.length - sent.length : undefined,
      });
      const lender = lenderOf(tx, current);
      const requestIds = sent.map((r) => r.id);
      applyReminderChange(
        tx,
        current.ownerId,
        caseId,
        partly
          ? onMaterialsPartlySent(requestIds)
          : onMaterialsSent({ attemptId: attempt.id, round: attempt.round, submittedOn: attempt.submittedOn, requestIds, sentOn, reviewWorkdays: lender.reviewWorkdays, lender: lender.name }),
      );
      return { stillAwaited: awaited.length - sent.length };
    },
  );
}

/** The case's requests for materials still awaited, oldest first. */
function awaitedRequests(db: Pick<DB, 'select'>, caseId: number): { id: number; requestedOn: string }[] {
  return db
    .select({ id: materialRequests.id, requestedOn: materialRequests.requestedOn })
    .from(materialRequests)
    .where(and(eq(materialRequests.caseId, caseId), materialsAwaited()))
    .orderBy(asc(materialRequests.requestedOn), asc(materialRequests.id))
    .all();
}

/**
 * The case's ready documents go to the lender with the application `attemptId`: all of them, or
 * those named (each must be one of the case's ready documents). Another case's is "not found"; one
 * of this case's no longer ready, or gone, was set back or deleted since the form listed it (in
 * another tab: a document's change leaves the case's version as it was), and the form is told so at
 * its list (documents_changed). Returns how many.
 */
function sendReadyDocuments(tx: Tx, caseId: number, attemptId: number, documentIds?: number[]): number {
  // What the lender gave back (its agreement, the settlement certificate) is kept, never sent.
  const ready = and(eq(documents.caseId, caseId), eq(documents.status, 'ready'), notInArray(documents.kind, [...RECEIVED_DOCUMENT_KINDS]));
  const ids = documentIds ? [...new Set(documentIds)] : null;
  if (ids && ids.length > 0) {
    const found = tx.select({ caseId: documents.caseId, status: documents.status, kind: documents.kind }).from(documents).where(inArray(documents.id, ids)).all();
    if (found.some((d) => d.caseId !== caseId)) throw new NotFoundError();
    if (found.length !== ids.length || found.some((d) => d.status !== 'ready' || RECEIVED_DOCUMENT_KINDS.includes(d.kind))) {
      throw new DomainError('documents_changed', { field: 'documents' });
    }
  }
  if (ids && ids.length === 0) return 0;
  return tx
    .update(documents)
    .set({ status: 'submitted', attemptId, updatedAt: new Date() })
    .where(ids ? and(ready, inArray(documents.id, ids)) : ready)
    .run().changes;
}

/**
 * The case's contacts during the review (from the day the application went in to the day before the
 * decision, in Shanghai, as addContact has it) that recorded a lender's promise: while an application
 * is under review, what a lender promises is its answer, and the decision is that answer. A promise
 * made after the decision (one recorded late) is not answered by it.
 */
function promisesDuringReview(tx: Pick<DB, 'select'>, caseId: number, submittedOn: string, decidedOn: string): number[] {
  return tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.caseId, caseId),
        isNotNull(contacts.promise),
        gte(contacts.occurredAt, parseShanghaiLocal(`${submittedOn}T00:00`)!),
        lt(contacts.occurredAt, parseShanghaiLocal(`${decidedOn}T00:00`)!),
      ),
    )
    .all()
    .map((r) => r.id);
}

/**
 * A decision that came while materials were asked for (the case in materials_requested): the requests
 * still awaited are overtaken by it, closed on the decision's day, and their reminders close with the
 * review's (onDecided). A decision is not dated before the lender's last request. Returns their ids.
 */
function overtakeAwaitedMaterials(tx: Tx, current: Case, decidedOn: string): number[] {
  if (current.status !== 'materials_requested') return [];
  const lastAsked = lastAwaitedRequestOn(tx, current.id);
  if (lastAsked && decidedOn < lastAsked) throw new DomainError('decided_before_requested', { field: 'decidedOn' });
  return tx
    .update(materialRequests)
    .set({ closedOn: decidedOn })
    .where(and(eq(materialRequests.caseId, current.id), materialsAwaited()))
    .returning({ id: materialRequests.id })
    .all()
    .map((r) => r.id);
}

/**
 * What a decision's form would be refused for by the case as recorded: a decision dated before the
 * application went in, a waiver larger than the overdue total the case records. Checked beside the
 * form's own errors (app/_lib/action.ts `alongside`), so that a form wrong in both ways says all of
 * it at once; the verbs check the same again. Reads only, on the case as its writer may see it (not
 * found, or forbidden, as the verbs would answer). `decidedOn` and `waivedFen` as far as they were
 * read from the form (absent when they were not).
 */
export function decisionProblems(viewer: Viewer, caseId: number, input: { decidedOn?: string; waivedFen?: number }): DomainError[] {
  const db = getDb();
  const current = assertCanWriteCase(db, viewer, caseId);
  const problems: DomainError[] = [];
  const attempt = db.select({ submittedOn: attempts.submittedOn }).from(attempts).where(eq(attempts.caseId, caseId)).orderBy(desc(attempts.round)).get();
  if (attempt && input.decidedOn !== undefined && input.decidedOn < attempt.submittedOn) {
    problems.push(new DomainError('decided_before_submitted', { field: 'decidedOn', values: { submittedOn: attempt.submittedOn } }));
  }
  if (input.waivedFen !== undefined) {
    try {
      assertWaiverWithinOwed(current, input.waivedFen);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      problems.push(e);
    }
  }
  return problems;
}

/**
 * The lender approved: record the agreed terms and turn them into a plan of instalments. A plan
 * recorded after it began (`paidPeriods`): its first instalments, each due by today, are marked paid
 * on their dates and in full, so that none of them is taken for missed; the case is then being
 * repaid, or settled when that was all of them. One transaction.
 */
export function approveAttempt(viewer: Viewer, caseId: number, version: number, input: ApproveInput & { paidPeriods?: number | null }): number {
  const paidPeriods = input.paidPeriods ?? 0;
  return getDb().transaction((outer) => {
    const planId = approve(viewer, caseId, version, input, paidPeriods);
    if (paidPeriods > 0) {
      const current = assertCanWriteCase(outer, viewer, caseId);
      const settled = paidPeriods === input.agreedPeriods;
      let status = assertTransition(current.status, 'start_repaying');
      recordEvent(outer, caseId, viewer.id, 'repaying_started');
      if (settled) {
        status = assertTransition(status, 'complete');
        recordEvent(outer, caseId, viewer.id, 'plan_completed');
      }
      bumpVersion(outer, current, { status, outcome: settled ? 'settled' : null });
      if (settled) closeCaseRuleReminders(outer, caseId);
    }
    return planId;
  });
}

function approve(viewer: Viewer, caseId: number, version: number, input: ApproveInput, paidPeriods: number): number {
  return transition(viewer, caseId, version, 'approve', (tx, current) => {
    const attempt = currentAttempt(tx, caseId);
    assertUndecided(attempt);
    if (input.decidedOn < attempt.submittedOn) throw new DomainError('decided_before_submitted', { field: 'decidedOn', values: { submittedOn: attempt.submittedOn } });
    assertWaiverWithinOwed(current, input.agreedWaived);
    const periods = input.agreedPeriods!;
    const overtakenRequests = overtakeAwaitedMaterials(tx, current, input.decidedOn);
    tx.update(attempts)
      .set({ decision: 'approved', ...agreedColumns(input) })
      .where(eq(attempts.id, attempt.id))
      .run();
    const schedule = buildSchedule(input.agreedFirstPaymentOn, periods, input.agreedMonthly);
    const today = todayInShanghai();
    if (paidPeriods > periods) throw new DomainError('paid_periods_over', { field: 'paidPeriods' });
    // Paid before it was recorded: only what has fallen due (a payment is dated on its instalment's date).
    if (paidPeriods > 0 && schedule[paidPeriods - 1]!.dueOn > today) throw new DomainError('paid_periods_not_due', { field: 'paidPeriods' });
    const plan = tx
      .insert(plans)
      .values({
        caseId,
        attemptId: attempt.id,
        periods,
        monthlyFen: input.agreedMonthly,
        firstDueOn: input.agreedFirstPaymentOn,
        totalFen: periods * input.agreedMonthly,
      })
      .returning({ id: plans.id })
      .get();
    const created = tx
      .insert(instalments)
      .values(schedule.map((s) => ({ ...s, planId: plan.id, caseId, ...(s.seq <= paidPeriods ? { paidOn: s.dueOn, paidFen: s.amountFen } : {}) })))
      .returning({ id: instalments.id, seq: instalments.seq, dueOn: instalments.dueOn, amountFen: instalments.amountFen })
      .all();
    const lender = lenderOf(tx, current).name;
    const answeredPromises = promisesDuringReview(tx, caseId, attempt.submittedOn, input.decidedOn);
    applyReminderChange(
      tx,
      current.ownerId,
      caseId,
      onDecided({ attemptId: attempt.id, round: attempt.round, decidedOn: input.decidedOn, decision: 'approved', lender, answeredPromises, overtakenRequests }),
    );
    const unpaid = created.filter((i) => i.seq > paidPeriods);
    applyReminderChange(tx, current.ownerId, caseId, onPlanAgreed({ instalments: unpaid, periods, lender }, today));
    recordEvent(tx, caseId, viewer.id, 'attempt_approved', {
      round: attempt.round,
      decidedOn: input.decidedOn,
      periods,
      monthlyFen: input.agreedMonthly,
      firstDueOn: input.agreedFirstPaymentOn,
      waivedFen: input.agreedWaived || undefined,
      paidPeriods: paidPeriods || undefined,
      materialsOvertaken: overtakenRequests.length || undefined,
    });
    return plan.id;
  });
}

/**
 * The lender said no: record why, in the fixed list and in the lender's own words. For "other" the
 * words are the reason, and are required.
 */
export function rejectAttempt(viewer: Viewer, caseId: number, version: number, input: RejectInput): void {
  transition(viewer, caseId, version, 'reject', (tx, current) => {
    const attempt = currentAttempt(tx, caseId);
    assertUndecided(attempt);
    if (rejectionNeedsText(input.rejectionReason, input.rejectionText)) throw new DomainError('rejection_text_needed', { field: 'rejectionText' });
    if (input.decidedOn < attempt.submittedOn) throw new DomainError('decided_before_submitted', { field: 'decidedOn', values: { submittedOn: attempt.submittedOn } });
    const overtakenRequests = overtakeAwaitedMaterials(tx, current, input.decidedOn);
    tx.update(attempts)
      .set({
        decision: 'rejected',
        decidedOn: input.decidedOn,
        rejectionReason: input.rejectionReason,
        rejectionText: input.rejectionText || null,
      })
      .where(eq(attempts.id, attempt.id))
      .run();
    recordEvent(tx, caseId, viewer.id, 'attempt_rejected', {
      round: attempt.round,
      decidedOn: input.decidedOn,
      reason: input.rejectionReason,
      materialsOvertaken: overtakenRequests.length || undefined,
    });
    const change = onDecided({
      attemptId: attempt.id,
      round: attempt.round,
      decidedOn: input.decidedOn,
      decision: 'rejected',
      reason: input.rejectionReason,
      lender: lenderOf(tx, current).name,
      answeredPromises: promisesDuringReview(tx, caseId, attempt.submittedOn, input.decidedOn),
      overtakenRequests,
    });
    applyReminderChange(tx, current.ownerId, caseId, { open: [], close: change.close });
    // Opened again, not only made: a rejection undone and recorded again has closed its "next step" before.
    reopenRuleReminders(tx, current.ownerId, caseId, change.open);
  });
}

/**
 * The lender voided the agreed plan (one missed payment can void it): the case decides its next step
 * again, as after a rejection — apply again, or escalate. What was paid stays on the plan, which is
 * marked voided; the instalments still owed go (the timeline keeps how many and how much), one paid
 * short keeps what was paid as its amount, and the instalments' reminders close. Not dated before the
 * plan was agreed, nor before a payment recorded on it.
 */
export function voidPlan(viewer: Viewer, caseId: number, version: number, input: VoidPlanInput): void {
  transition(viewer, caseId, version, 'void_plan', (tx, current) => {
    const attempt = currentAttempt(tx, caseId);
    const plan = tx.select().from(plans).where(eq(plans.caseId, caseId)).orderBy(desc(plans.id)).get();
    if (!plan) throw new DomainError('no_plan');
    if (attempt.decidedOn && input.voidedOn < attempt.decidedOn) throw new DomainError('voided_before_agreed', { field: 'voidedOn' });
    // Nor before a payment recorded on the plan: the lender took it while the plan stood (as a payoff, db/plans.ts).
    const lastPaidOn = tx.select({ last: sql<string | null>`max(${instalments.paidOn})` }).from(instalments).where(eq(instalments.planId, plan.id)).get()?.last;
    if (lastPaidOn && input.voidedOn < lastPaidOn) throw new DomainError('voided_before_last_payment', { field: 'voidedOn', values: { lastPaidOn } });
    const owed = dropOwedInstalments(tx, plan.id);
    tx.update(plans)
      .set({
        voidedOn: input.voidedOn,
        totalFen: sql`coalesce((select sum(${instalments.amountFen}) from ${instalments} where ${instalments.planId} = ${plan.id}), 0)`,
      })
      .where(eq(plans.id, plan.id))
      .run();
    recordEvent(tx, caseId, viewer.id, 'plan_voided', {
      voidedOn: input.voidedOn,
      note: input.note || undefined,
      unpaid: owed.count,
      unpaidFen: owed.fen,
      dropped: owed.rows,
    });
    const change = onPlanVoided({ attemptId: attempt.id, round: attempt.round, voidedOn: input.voidedOn, lender: lenderOf(tx, current).name });
    applyReminderChange(tx, current.ownerId, caseId, { open: [], close: change.close });
    // This round's "next step" may be there, closed: a rejection recorded, undone, then the approval.
    reopenRuleReminders(tx, current.ownerId, caseId, change.open);
  });
}

/**
 * A plan that ends before its schedule (the lender voided it, or the rest was paid at once) keeps only
 * what was paid: the instalments with nothing paid go, one paid short keeps what was paid as its
 * amount. Returns how many instalments were still owed, and how much, before they went, and those
 * instalments as they were, their ids too (the ending's event keeps them, so that undoing the ending
 * brings them back as the same instalments, with the reminders they had).
 */
export function dropOwedInstalments(tx: Tx, planId: number): { count: number; fen: number; rows: DroppedInstalment[] } {
  const rows = tx
    .select({ id: instalments.id, seq: instalments.seq, dueOn: instalments.dueOn, amountFen: instalments.amountFen, paidOn: instalments.paidOn, paidFen: instalments.paidFen })
    .from(instalments)
    .where(and(eq(instalments.planId, planId), instalmentOwed()))
    .orderBy(asc(instalments.seq))
    .all();
  tx.delete(instalments).where(and(eq(instalments.planId, planId), isNull(instalments.paidOn))).run();
  tx.update(instalments)
    .set({ amountFen: sql`${instalments.paidFen}` })
    .where(and(eq(instalments.planId, planId), sql`${instalments.paidFen} < ${instalments.amountFen}`))
    .run();
  return { count: rows.length, fen: rows.reduce((sum, r) => sum + r.amountFen - (r.paidFen ?? 0), 0), rows };
}

/**
 * After a rejection: take it to mediation or a complaint. This opens a new round. The case's ready
 * documents go with it, as with an application: all, or those of `documentIds` (sendReadyDocuments).
 */
export function escalateCase(viewer: Viewer, caseId: number, version: number, input: EscalateInput, documentIds?: number[]): void {
  transition(viewer, caseId, version, 'escalate', (tx, current) => {
    const previous = currentAttempt(tx, caseId);
    assertAfterPreviousRound(tx, previous, input.submittedOn, 'escalated_before_rejection', 'escalated_before_plan_voided');
    const round = nextRound(tx, caseId);
    const attempt = tx
      .insert(attempts)
      .values({
        caseId,
        round,
        program: input.route,
        channel: input.route === 'mediation' ? 'mediator' : 'regulator',
        submittedOn: input.submittedOn,
        lenderRef: input.lenderRef,
      })
      .returning({ id: attempts.id })
      .get();
    // The proof of hardship the lender did not accept goes to the mediator or regulator (lib/checklist.ts).
    const sent = sendReadyDocuments(tx, caseId, attempt.id, documentIds);
    recordEvent(tx, caseId, viewer.id, 'escalated', { round, route: input.route, submittedOn: input.submittedOn, documentsSent: sent || undefined });
    applyReminderChange(tx, current.ownerId, caseId, onNewRound(previous.id));
    // Not the lender's review: a mediator or regulator is asked after weeks, not the lender's review time.
    applyReminderChange(
      tx,
      current.ownerId,
      caseId,
      onSubmitted({ attemptId: attempt.id, round, submittedOn: input.submittedOn, reviewWorkdays: null, lender: lenderOf(tx, current).name, route: input.route }),
    );
  });
}

/**
 * Mediation or the complaint ended without an agreement to record as an approval. The event keeps the
 * rule reminders it closed (as a withdrawal's does), for undoEscalationClose.
 */
export function closeEscalation(viewer: Viewer, caseId: number, version: number, outcome: CaseOutcome, note: string): void {
  transition(
    viewer,
    caseId,
    version,
    'close_escalation',
    (tx) => {
      tx.update(attempts)
        .set({ decidedOn: todayInShanghai() })
        .where(and(eq(attempts.id, currentAttempt(tx, caseId).id), isNull(attempts.decidedOn)))
        .run();
      recordEvent(tx, caseId, viewer.id, 'escalation_closed', { outcome, note, closedReminders: closedForUndo(tx, caseId) });
    },
    { outcome },
  );
}

/**
 * A step that closes the case closes its rule reminders, and its event keeps which (sorted ids), to open
 * them again if the step is undone. The stale-case one is left out: any activity answers it (recordEvent
 * closes it), an undo included.
 */
function closedForUndo(tx: Tx, caseId: number): number[] {
  return closeCaseRuleReminders(tx, caseId)
    .filter((r) => !r.ruleKey.startsWith('stale:'))
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

/**
 * The borrower stops negotiating this debt, from any open status. The event keeps what an undo puts
 * back (undoWithdrawal): the status the case had, and the rule reminders the withdrawal closed — here,
 * not after (`transition`), so that the event can name them.
 */
export function withdrawCase(viewer: Viewer, caseId: number, version: number, note: string): void {
  transition(
    viewer,
    caseId,
    version,
    'withdraw',
    (tx, current) => {
      recordEvent(tx, caseId, viewer.id, 'withdrawn', { from: current.status, note, closedReminders: closedForUndo(tx, caseId) });
    },
    { outcome: 'withdrawn' },
  );
}

/**
 * A withdrawal recorded by mistake (撤回 pressed on the wrong case), undone while nothing has followed
 * it: the case is still closed as withdrawn, by that withdrawal (not closed since by other means). It
 * goes back to the status it had, as the withdrawal's event recorded it ('undo_withdraw'), and the rule
 * reminders the withdrawal closed open again as they were; one the borrower closed by hand since stays
 * closed, as do the borrower's own reminders (a withdrawal never closed those). Nothing else needs
 * putting back: a withdrawal changes only the status and the reminders. The timeline keeps the
 * withdrawal and says it was undone. A withdrawal recorded before its event kept the reminders it
 * closed cannot be undone (withdrawal_not_undoable). Guarded by the case's version.
 */
export function undoWithdrawal(viewer: Viewer, caseId: number, version: number): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    if (current.status !== 'closed' || current.outcome !== 'withdrawn') throw new DomainError('not_withdrawn');
    const undo = withdrawalUndo(current, latestClosingEvent(tx, caseId));
    if (!undo) throw new DomainError('withdrawal_not_undoable');
    const status = assertTransition(current.status, 'undo_withdraw', undo.from);
    reopenClosedRuleReminders(tx, current.ownerId, caseId, undo.reminders);
    recordEvent(tx, caseId, viewer.id, 'withdraw_undone', { to: status });
    bumpVersion(tx, current, { status, outcome: null });
  });
}

/** The latest of the case's events that closed it or undid a closing (CASE_CLOSING_EVENTS), as a list of none or one. */
function latestClosingEvent(tx: Tx, caseId: number): { kind: string; data: unknown }[] {
  return tx
    .select({ kind: caseEvents.kind, data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.kind, [...CASE_CLOSING_EVENTS])))
    .orderBy(desc(caseEvents.createdAt), desc(caseEvents.id))
    .limit(1)
    .all();
}

/**
 * The end of a mediation or complaint recorded by mistake, undone while the case is still closed by it:
 * the case waits for the mediator or regulator again, the round is undecided again, and the rule
 * reminders the end closed open again as they were (one closed by hand since stays closed). The timeline
 * keeps the end and says it was undone. Guarded by the case's version.
 */
export function undoEscalationClose(viewer: Viewer, caseId: number, version: number): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    if (current.status !== 'closed') throw new DomainError('escalation_not_closed');
    const undo = escalationCloseUndo(current, latestClosingEvent(tx, caseId));
    const attempt = currentAttempt(tx, caseId);
    if (!undo || (attempt.channel !== 'mediator' && attempt.channel !== 'regulator') || attempt.decision) {
      throw new DomainError('escalation_not_closed');
    }
    const status = assertTransition(current.status, 'undo_close_escalation');
    tx.update(attempts).set({ decidedOn: null }).where(eq(attempts.id, attempt.id)).run();
    reopenClosedRuleReminders(tx, current.ownerId, caseId, undo.reminders);
    recordEvent(tx, caseId, viewer.id, 'escalation_close_undone', { round: attempt.round });
    bumpVersion(tx, current, { status, outcome: null });
  });
}

// --- corrections: what was recorded wrongly, made right --------------------------------------

/**
 * Corrects what was recorded of the current application (not an escalation's round): the programme,
 * the channel, the day it went in, the lender's reference, the terms proposed. Its day keeps its
 * order with the rest of the story: not before the rejection that came before it, not after the
 * lender's first request for materials nor its decision. A corrected day moves "check the review
 * result" while that is still open, and the follow-ups after materials name the corrected day. The
 * timeline says what changed. Guarded by the case's version.
 */
export function correctAttempt(viewer: Viewer, caseId: number, version: number, input: SubmitAttemptInput): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    assertOpen(current);
    const attempt = currentAttempt(tx, caseId);
    if (attempt.channel === 'mediator' || attempt.channel === 'regulator') throw new DomainError('attempt_is_escalation');
    const previous = tx
      .select({ id: attempts.id, decidedOn: attempts.decidedOn })
      .from(attempts)
      .where(and(eq(attempts.caseId, caseId), eq(attempts.round, attempt.round - 1)))
      .get();
    if (previous) assertAfterPreviousRound(tx, previous, input.submittedOn, 'submitted_before_rejection', 'submitted_before_plan_voided');
    if (attempt.decidedOn && attempt.decidedOn < input.submittedOn) throw new DomainError('submitted_after_decided', { field: 'submittedOn', values: { decidedOn: attempt.decidedOn } });
    const firstAsked = tx
      .select({ on: sql<string | null>`min(${materialRequests.requestedOn})` })
      .from(materialRequests)
      .where(eq(materialRequests.attemptId, attempt.id))
      .get()?.on;
    if (firstAsked && firstAsked < input.submittedOn) throw new DomainError('requested_before_submitted', { field: 'submittedOn' });
    const after = applicationColumns(input);
    const before = {
      program: attempt.program,
      channel: attempt.channel,
      submittedOn: attempt.submittedOn,
      lenderRef: attempt.lenderRef,
      proposedPeriods: attempt.proposedPeriods,
      proposedMonthlyFen: attempt.proposedMonthlyFen,
      proposedFirstPaymentOn: attempt.proposedFirstPaymentOn,
      proposedWaivedFen: attempt.proposedWaivedFen,
    };
    const changes = changedFields<Record<string, unknown>>(before, after);
    if (Object.keys(changes).length === 0) throw new DomainError('correction_unchanged');
    // A waiver asked for that is corrected is held to what the case records as owed; one left as it was is not asked about again.
    if (changes.proposedWaivedFen && input.proposedWaived) assertWaiverWithinOwed(current, input.proposedWaived, 'proposedWaived');
    tx.update(attempts).set(after).where(eq(attempts.id, attempt.id)).run();
    if (changes.submittedOn) {
      const lender = lenderOf(tx, current);
      const [review] = onSubmitted({ attemptId: attempt.id, round: attempt.round, submittedOn: input.submittedOn, reviewWorkdays: lender.reviewWorkdays, lender: lender.name }).open;
      // Those a step closed too (a decision, a request for materials): undone, it reopens them as they are.
      moveOpenRuleReminder(tx, current.ownerId, review!, true);
      tx.update(reminders)
        .set({ data: sql`json_set(${reminders.data}, '$.submittedOn', ${input.submittedOn})`, updatedAt: new Date() })
        .where(and(eq(reminders.ownerId, current.ownerId), openOrClosedByRule(true), like(reminders.ruleKey, `review:${attempt.id}:%`)))
        .run();
    }
    recordEvent(tx, caseId, viewer.id, 'attempt_corrected', { round: attempt.round, changes });
    bumpVersion(tx, current);
  });
}

/**
 * The lender gave more time (or less) to send what it asked for: the request's deadline changes,
 * and its reminders with it — the deadline, and the nudge a workday before — open again at the new
 * dates, a snooze forgotten, and are mailed again where their date moved (reopenRuleReminders). Only
 * a request not yet answered; never before the day it was made.
 */
export function changeMaterialsDeadline(viewer: Viewer, caseId: number, version: number, requestId: number, deadline: string): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    assertOpen(current);
    const request = caseRequest(tx, caseId, requestId);
    if (request.sentOn) throw new DomainError('materials_already_sent');
    if (request.closedOn) throw new DomainError('materials_overtaken');
    if (deadline < request.requestedOn) throw new DomainError('deadline_before_request', { field: 'deadline' });
    if (deadline === request.deadline) throw new DomainError('correction_unchanged');
    tx.update(materialRequests).set({ deadline }).where(eq(materialRequests.id, requestId)).run();
    const change = onMaterialsRequested(
      {
        attemptId: request.attemptId,
        requestId,
        requestedOn: request.requestedOn,
        deadline,
        what: request.what,
        lender: lenderOf(tx, current).name,
      },
      todayInShanghai(),
    );
    // A nudge that no longer fits (the deadline is the day of the request, or the nudge's day has passed) goes.
    if (!change.open.some((r) => r.kind === 'materials_nudge')) applyReminderChange(tx, current.ownerId, caseId, { open: [], close: [`materials-nudge:${requestId}`] });
    reopenRuleReminders(tx, current.ownerId, caseId, change.open);
    recordEvent(tx, caseId, viewer.id, 'materials_deadline_changed', { what: request.what, from: request.deadline, to: deadline });
    bumpVersion(tx, current);
  });
}

/**
 * A request for materials recorded by mistake (the lender asked for nothing, or the case was the
 * wrong one), removed while it is still awaited: the request goes, with its reminders (the deadline
 * and the nudge before it). When no other request is awaited, the case waits for the lender's
 * decision again (materials_requested → under_review), and the "check the review result" the
 * request had closed opens again, as it was; or, when some of what was asked had been sent
 * meanwhile (the rest awaited until now), the follow-up a full send would have opened, from the
 * day of the last of those sends (onMaterialsSent). The timeline keeps the request and says it was
 * removed. A request already answered, or overtaken by a decision, stays: it is the record of what
 * happened. Guarded by the case's version.
 */
export function removeMaterialsRequest(viewer: Viewer, caseId: number, version: number, requestId: number): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    assertOpen(current);
    const request = caseRequest(tx, caseId, requestId);
    if (request.sentOn) throw new DomainError('request_sent_stays');
    if (request.closedOn) throw new DomainError('request_overtaken_stays');
    tx.delete(materialRequests).where(eq(materialRequests.id, requestId)).run();
    tx.delete(reminders)
      .where(and(eq(reminders.ownerId, current.ownerId), inArray(reminders.ruleKey, [`materials:${requestId}`, `materials-nudge:${requestId}`])))
      .run();
    const othersAwaited = awaitedRequests(tx, caseId).length > 0;
    let status = current.status;
    if (!othersAwaited) {
      status = assertTransition(current.status, 'remove_materials_request');
      const sentSince = sendsWithoutFollowup(tx, current.ownerId, request.attemptId);
      if (sentSince.length > 0) {
        // What was sent waited for this request; with it gone, the review's clock runs from the last send.
        const attempt = currentAttempt(tx, caseId);
        const lender = lenderOf(tx, current);
        const sentOn = sentSince.reduce((last, r) => (r.sentOn > last ? r.sentOn : last), sentSince[0]!.sentOn);
        const change = onMaterialsSent({
          attemptId: request.attemptId,
          round: attempt.round,
          submittedOn: attempt.submittedOn,
          requestIds: sentSince.map((r) => r.id),
          sentOn,
          reviewWorkdays: lender.reviewWorkdays,
          lender: lender.name,
        });
        reopenRuleReminders(tx, current.ownerId, caseId, change.open);
      } else {
        // The review's chase the request had closed (onMaterialsRequested) opens again, as it was.
        const review = latestReviewChase(tx, current.ownerId, request.attemptId);
        if (review) reopenClosedRuleReminders(tx, current.ownerId, caseId, [review.id]);
      }
    }
    recordEvent(tx, caseId, viewer.id, 'materials_request_removed', { what: request.what, requestedOn: request.requestedOn, deadline: request.deadline });
    bumpVersion(tx, current, { status });
  });
}

/**
 * The application's requests for materials sent while others were still awaited, and not followed
 * by a full send since: sent after the latest follow-up after materials (onMaterialsSent, which
 * names the requests its send answered, not those an earlier partial send did), and not named by one.
 */
function sendsWithoutFollowup(tx: Pick<DB, 'select'>, ownerId: number, attemptId: number): { id: number; sentOn: string }[] {
  const sent = tx
    .select({ id: materialRequests.id, sentOn: materialRequests.sentOn })
    .from(materialRequests)
    .where(and(eq(materialRequests.attemptId, attemptId), isNotNull(materialRequests.sentOn)))
    .all() as { id: number; sentOn: string }[];
  if (sent.length === 0) return [];
  const followups = tx
    .select({ ruleKey: reminders.ruleKey, sentOn: sql<string | null>`json_extract(${reminders.data}, '$.sentOn')` })
    .from(reminders)
    .where(and(eq(reminders.ownerId, ownerId), like(reminders.ruleKey, `review:${attemptId}:%`)))
    .all();
  const prefix = `review:${attemptId}:requests:`;
  const named = new Set(followups.flatMap((f) => (f.ruleKey!.startsWith(prefix) ? f.ruleKey!.slice(prefix.length).split(',').map(Number) : [])));
  const lastFollowedOn = followups.reduce<string>((last, f) => (f.sentOn && f.sentOn > last ? f.sentOn : last), '');
  return sent.filter((r) => !named.has(r.id) && r.sentOn > lastFollowedOn);
}

/** A request for materials of this case (else "not found": another case's, or none). */
function caseRequest(tx: Pick<DB, 'select'>, caseId: number, requestId: number) {
  const request = tx
    .select()
    .from(materialRequests)
    .where(and(eq(materialRequests.id, requestId), eq(materialRequests.caseId, caseId)))
    .get();
  if (!request) throw new NotFoundError();
  return request;
}

/** An application's "check the review result" reminders: the first (`review:<id>`) and each follow-up after materials were sent (`review:<id>:…`). */
function reviewChases(ownerId: number, attemptId: number) {
  return and(eq(reminders.ownerId, ownerId), sql`(${reminders.ruleKey} = ${`review:${attemptId}`} or ${reminders.ruleKey} like ${`review:${attemptId}:%`})`);
}

/** The latest "check the review result" of an application (the first, or a follow-up after materials were sent). */
function latestReviewChase(tx: Pick<DB, 'select'>, ownerId: number, attemptId: number): { id: number } | undefined {
  return tx.select({ id: reminders.id }).from(reminders).where(reviewChases(ownerId, attemptId)).orderBy(desc(reminders.id)).get();
}

/**
 * A decision recorded by mistake ("approved" pressed for a rejection, or the other way round), undone
 * while nothing has followed it: a rejected case not yet applied again or escalated, an approved one
 * with no payment recorded, its plan not voided. The case waits for the lender again (or for the
 * mediator or regulator, after an escalation; or for the materials, when the decision had overtaken a
 * request for them). The decision's terms or reason are cleared, an approval's plan goes with its
 * reminders, a rejection's "decide the next step" closes, and what the decision had answered comes
 * back: the latest "check the review result" (not while materials are awaited), the requests it
 * overtook with their reminders, and the chases of the lender's promises made during the review (one
 * recorded after the decision, never chased, is chased now). The timeline keeps the decision and says
 * it was undone. Guarded by the case's version.
 */
export function undoDecision(viewer: Viewer, caseId: number, version: number): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    if (current.status === 'repaying') throw new DomainError('plan_has_payments');
    if (current.status !== 'approved' && current.status !== 'rejected') throw new DomainError('no_decision');
    const attempt = currentAttempt(tx, caseId);
    if (!attempt.decision) throw new DomainError('no_decision');
    // A plan the lender voided: its instalments still owed are gone; a new round is the way on.
    if (tx.select({ id: plans.id }).from(plans).where(and(eq(plans.attemptId, attempt.id), isNotNull(plans.voidedOn))).get()) {
      throw new DomainError('plan_voided');
    }
    const escalation = attempt.channel === 'mediator' || attempt.channel === 'regulator';
    // The requests for materials the decision overtook are awaited again, and the case waits for them.
    const overtaken = tx
      .update(materialRequests)
      .set({ closedOn: null })
      .where(and(eq(materialRequests.attemptId, attempt.id), isNotNull(materialRequests.closedOn)))
      .returning({ id: materialRequests.id })
      .all()
      .map((r) => r.id);
    const status = assertTransition(
      current.status,
      escalation ? 'undo_escalation_decision' : overtaken.length > 0 ? 'undo_overtaking_decision' : 'undo_decision',
    );
    tx.update(attempts)
      .set({
        decision: null,
        decidedOn: null,
        agreedPeriods: null,
        agreedMonthlyFen: null,
        agreedFirstPaymentOn: null,
        agreedWaivedFen: null,
        rejectionReason: null,
        rejectionText: null,
      })
      .where(eq(attempts.id, attempt.id))
      .run();
    const closing = attempt.decision === 'approved' ? onPlanDropped() : { open: [], close: [`next-step:${attempt.id}`] };
    // An approval's plan goes, with its instalments.
    if (attempt.decision === 'approved') {
      const plan = tx.select({ id: plans.id }).from(plans).where(eq(plans.attemptId, attempt.id)).get();
      if (plan) {
        tx.delete(instalments).where(eq(instalments.planId, plan.id)).run();
        tx.delete(plans).where(eq(plans.id, plan.id)).run();
      }
    }
    applyReminderChange(tx, current.ownerId, caseId, closing);
    // What the decision answered: the latest review follow-up of this round, and the promises made during the review.
    // The review waits while materials are awaited: its follow-up stays closed after an overtaking decision.
    const review = overtaken.length > 0 ? undefined : latestReviewChase(tx, current.ownerId, attempt.id);
    const duringReview = attempt.decidedOn ? promisesDuringReview(tx, caseId, attempt.submittedOn, attempt.decidedOn) : [];
    // An overtaken request's nudge whose day has passed stays closed (as one recorded late is never made).
    const today = todayInShanghai();
    const answered = [
      ...(review ? [review.id] : []),
      ...tx
        .select({ id: reminders.id })
        .from(reminders)
        .where(
          and(
            eq(reminders.ownerId, current.ownerId),
            inArray(reminders.ruleKey, [
              ...duringReview.map((id) => `promise:${id}`),
              ...overtaken.flatMap((id) => [`materials:${id}`, `materials-nudge:${id}`]),
            ]),
            not(and(like(reminders.ruleKey, 'materials-nudge:%'), lt(reminders.dueOn, today))!),
          ),
        )
        .all()
        .map((r) => r.id),
    ];
    reopenClosedRuleReminders(tx, current.ownerId, caseId, answered);
    // A promise of the review recorded after the decision was never chased (addContact: the decision had
    // answered it). Unanswered again, it is chased now, as addContact would have on its promised date
    // (the contact keeps the date, not whether it was counted in workdays). One with an outcome is answered.
    if (duringReview.length > 0) {
      const unchased = tx
        .select({ id: contacts.id, promise: contacts.promise, promiseDue: contacts.promiseDue })
        .from(contacts)
        .where(
          and(
            inArray(contacts.id, duringReview),
            isNotNull(contacts.promiseDue),
            isNull(contacts.promiseOutcome),
            sql`not exists (select 1 from ${reminders} where ${reminders.ownerId} = ${current.ownerId} and ${reminders.ruleKey} = 'promise:' || ${contacts.id})`,
          ),
        )
        .all();
      if (unchased.length > 0) {
        const lender = tx.select({ name: lenders.name }).from(lenders).where(eq(lenders.id, current.lenderId)).get()!.name;
        for (const p of unchased) applyReminderChange(tx, current.ownerId, caseId, onPromise({ contactId: p.id, dueOn: p.promiseDue!, promise: p.promise!, lender }));
      }
    }
    recordEvent(tx, caseId, viewer.id, 'decision_undone', { round: attempt.round, decision: attempt.decision });
    bumpVersion(tx, current, { status, outcome: null });
  });
}

/**
 * An application round recorded by mistake (提交 pressed on the wrong case; a new round or an escalation
 * that never went), taken back while nothing has followed it: the latest round, still unanswered (the
 * case under review, or escalated), with no request for materials recorded on it. The round goes, and
 * the case is back where it was before it: 准备中 for a first application ('undo_submit'), 被拒绝 for a
 * later round or an escalation ('undo_reapply', 'undo_escalate'). What the round changed is put back: the
 * documents sent with it are ready again (one the lender has judged since keeps its status), its "check
 * the review result" goes, and the "decide the next step" it had answered opens again as it was (one
 * closed by hand stays closed). The timeline keeps the submission and says it was undone. Guarded by the
 * case's version. Returns the status the case is back to.
 */
export function undoAttempt(viewer: Viewer, caseId: number, version: number): Case['status'] {
  return getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    if (current.status !== 'under_review' && current.status !== 'escalated') throw new DomainError('attempt_not_undoable');
    const attempt = currentAttempt(tx, caseId);
    if (attempt.decision || attempt.decidedOn) throw new DomainError('attempt_not_undoable');
    if (tx.select({ id: materialRequests.id }).from(materialRequests).where(eq(materialRequests.attemptId, attempt.id)).get()) {
      throw new DomainError('attempt_has_materials');
    }
    const previous = tx
      .select({ id: attempts.id })
      .from(attempts)
      .where(and(eq(attempts.caseId, caseId), eq(attempts.round, attempt.round - 1)))
      .get();
    const escalation = attempt.channel === 'mediator' || attempt.channel === 'regulator';
    const status = assertTransition(current.status, escalation ? 'undo_escalate' : previous ? 'undo_reapply' : 'undo_submit');
    // The documents that went with it are ready to send again; one the lender has judged since keeps its status.
    const documentsReady = tx
      .update(documents)
      .set({ status: 'ready', updatedAt: new Date() })
      .where(and(eq(documents.attemptId, attempt.id), eq(documents.status, 'submitted')))
      .run().changes;
    // Deleting the round unlinks its documents (set null) and takes its plan and requests (none here).
    tx.delete(attempts).where(eq(attempts.id, attempt.id)).run();
    tx.delete(reminders).where(reviewChases(current.ownerId, attempt.id)).run();
    // The rejection's (or the cancelled plan's) "decide the next step", which the new round had answered (onNewRound).
    if (previous) {
      const answered = tx
        .select({ id: reminders.id })
        .from(reminders)
        .where(and(eq(reminders.ownerId, current.ownerId), inArray(reminders.ruleKey, onNewRound(previous.id).close)))
        .all()
        .map((r) => r.id);
      reopenClosedRuleReminders(tx, current.ownerId, caseId, answered);
    }
    recordEvent(tx, caseId, viewer.id, 'attempt_undone', {
      round: attempt.round,
      program: attempt.program,
      to: status,
      documentsReady: documentsReady || undefined,
    });
    bumpVersion(tx, current, { status, outcome: null });
    return status;
  });
}
