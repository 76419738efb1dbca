import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransitionError, type CaseStatus } from '@/lib/case-status';
import { todayInShanghai } from '@/lib/dates';
import { addWorkdays } from '@/lib/workdays';
import type { CaseOutcome } from '@/lib/domain';
import { ConflictError, DomainError, NotFoundError } from '@/lib/errors';
import {
  advanceCase,
  approveInput,
  caseInput,
  caseRow,
  contactInput,
  escalateInput,
  makeBorrower,
  makeCase,
  materialsInput,
  rejectInput,
  snapshotCases,
  submitInput,
  versionOf,
  type CaseStage,
} from '@/tests/factories';
import { thrown } from '@/tests/thrown';
import {
  approveAttempt,
  changeMaterialsDeadline,
  closeEscalation,
  correctAttempt,
  decisionProblems,
  escalateCase,
  rejectAttempt,
  removeMaterialsRequest,
  requestMaterials,
  sendMaterials,
  submitAttempt,
  undoDecision,
  voidPlan,
  withdrawCase,
} from './attempts';
import { getCaseDetail, listCasesForBorrower, updateCase } from './cases';
import { addContact, recordPromiseOutcome } from './contacts';
import { getDb } from './client';
import { addDocument, deleteDocument, setDocumentStatus } from './documents';
import { correctPlanTerms, markInstalmentPaid } from './plans';
import type { Viewer } from './viewer-type';

/**
 * The verbs' "today" (10:00 in Shanghai) for the rest of the test. A request for materials recorded
 * after its nudge's day makes no nudge (lib/reminder-rules.ts): a test that follows the nudge records
 * the request in time.
 */
const clockAt = (day: string) => vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${day}T10:00:00+08:00`) });
afterEach(() => {
  vi.useRealTimers();
});

const detail = (owner: Viewer, id: number) => getCaseDetail(owner, id);
const lastEvent = (owner: Viewer, id: number) => detail(owner, id).events.at(-1)!;

describe('a plan the lender voided', () => {
  const rules = (id: number) =>
    (getDb().$client
      .prepare(`select rule_key as ruleKey, status from reminders where case_id = ? and rule_key is not null order by id`)
      .all(id) as { ruleKey: string; status: string }[]).map((r) => `${r.ruleKey.replace(/:\d+/g, ':#')} ${r.status}`);

  it('keeps what was paid, drops what was owed, and sends the case back to deciding its next step', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    // Four instalments of ¥250 from 31 May.
    approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-04-10', agreedPeriods: 4, agreedMonthly: 250_00, agreedFirstPaymentOn: '2025-05-31' }));
    const [i1, i2] = detail(owner, id).instalments;
    markInstalmentPaid(owner, id, versionOf(id), i1!.id, { paidOn: '2025-05-31', paid: 250_00 });
    markInstalmentPaid(owner, id, versionOf(id), i2!.id, { paidOn: '2025-06-30', paid: 100_00 });
    expect(() => voidPlan(owner, id, versionOf(id), { voidedOn: '2025-04-09', note: '' })).toThrow('voided_before_agreed');
    voidPlan(owner, id, versionOf(id), { voidedOn: '2025-07-20', note: '逾期一期，协议作废' });

    expect(caseRow(id).status).toBe('rejected');
    const d = detail(owner, id);
    expect(d.plan).toMatchObject({ voidedOn: '2025-07-20', totalFen: 350_00 });
    // The paid one as it was; the one paid short keeps what was paid as its amount; the two unpaid are gone.
    expect(d.instalments.map((i) => [i.seq, i.amountFen, i.paidFen])).toEqual([
      [1, 250_00, 250_00],
      [2, 100_00, 100_00],
    ]);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'plan_voided', data: { voidedOn: '2025-07-20', note: '逾期一期，协议作废', unpaid: 3, unpaidFen: 650_00 } });
    expect(rules(id).filter((r) => r.startsWith('inst-') && r.endsWith(' open'))).toEqual([]);
    expect(rules(id)).toContain('next-step:# open');
    // Nothing is owed any more: no next date from the plan, nothing under a plan.
    const row = listCasesForBorrower(owner).find((r) => r.id === id)!;
    expect(row.firstOwedOn).toBeNull();
    expect(row.nextDate).not.toBe('2025-07-31');
    // The decision can no longer be undone; a new round answers the next step and makes a new plan.
    expect(() => undoDecision(owner, id, versionOf(id))).toThrow('plan_voided');
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-07-22' }));
    expect(rules(id)).toContain('next-step:# done');
    approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-07-30', agreedPeriods: 6, agreedFirstPaymentOn: '2025-08-31' }));
    expect(caseRow(id).status).toBe('approved');
    expect(detail(owner, id).plan).toMatchObject({ periods: 6, voidedOn: null });
  });
});

describe('a new round after a plan the lender voided', () => {
  const voidedCase = (owner: Viewer) => {
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-04-10', agreedPeriods: 3, agreedFirstPaymentOn: '2025-05-31' }));
    voidPlan(owner, id, versionOf(id), { voidedOn: '2025-07-15', note: '' });
    return id;
  };

  it('is not dated within the plan’s life: an application, an escalation or a correction before the day it was voided is refused at its day; nothing changes', () => {
    const owner = makeBorrower();
    const id = voidedCase(owner);
    const before = snapshotCases([id]);
    const refused = (code: string) => ({ code, detail: { field: 'submittedOn', values: { voidedOn: '2025-07-15' } } });
    expect(thrown(() => submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-20' })))).toMatchObject(refused('submitted_before_plan_voided'));
    expect(thrown(() => escalateCase(owner, id, versionOf(id), escalateInput({ submittedOn: '2025-04-12' })))).toMatchObject(refused('escalated_before_plan_voided'));
    expect(snapshotCases([id])).toEqual(before);

    // On the day it was voided, or after: accepted. A correction back into the plan's life is refused.
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-07-15' }));
    expect(caseRow(id).status).toBe('under_review');
    expect(thrown(() => correctAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-06-01' })))).toMatchObject(refused('submitted_before_plan_voided'));

    const escalated = voidedCase(owner);
    escalateCase(owner, escalated, versionOf(escalated), escalateInput({ submittedOn: '2025-07-16' }));
    expect(caseRow(escalated).status).toBe('escalated');
  });
});

describe('rows changed by hand', () => {
  it('a decision on a round already decided (its later round deleted in the file) is refused, not a constraint error; nothing changes', () => {
    // The random write sequences found it: approved, voided, applied again, that round deleted by SQL.
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-04-10', agreedFirstPaymentOn: '2025-05-31' }));
    voidPlan(owner, id, versionOf(id), { voidedOn: '2025-06-20', note: '' });
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-06-22' }));
    getDb().$client.prepare('delete from attempts where id = (select max(id) from attempts where case_id = ?)').run(id);
    const before = snapshotCases([id]);
    expect(() => approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-06-25', agreedFirstPaymentOn: '2025-07-31' }))).toThrow('attempt_already_decided');
    expect(() => rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-06-25' }))).toThrow('attempt_already_decided');
    expect(snapshotCases([id])).toEqual(before);
  });
});

describe('a lender that asks for more, or decides, before the materials are sent', () => {
  const rules = (id: number) =>
    (getDb().$client
      .prepare(`select rule_key as ruleKey, status from reminders where case_id = ? and rule_key is not null order by id`)
      .all(id) as { ruleKey: string; status: string }[]).map((r) => `${r.ruleKey.replace(/:\d+/g, ':#')} ${r.status}`);
  const requests = (owner: Viewer, id: number) => detail(owner, id).materialRequests.map((m) => ({ what: m.what, sentOn: m.sentOn, closedOn: m.closedOn }));

  it('a rejection before the materials went: the request is overtaken, its reminders close, and it is no longer a date to keep', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    clockAt('2025-04-03'); // recorded when the lender asked: its nudge is made
    advanceCase(owner, id, 'materials_requested'); // asked on 3 April, by 8 April
    expect(listCasesForBorrower(owner).find((r) => r.id === id)!.nextDate).toBe('2025-04-08');
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-10', rejectionReason: 'insufficient_proof' }));
    expect(caseRow(id).status).toBe('rejected');
    expect(requests(owner, id)).toEqual([{ what: '近三个月银行流水', sentOn: null, closedOn: '2025-04-10' }]);
    expect(rules(id)).toEqual(expect.arrayContaining(['materials:# done', 'materials-nudge:# done', 'next-step:# open']));
    expect(rules(id).filter((r) => r.startsWith('materials') && r.endsWith(' open'))).toEqual([]);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_rejected', data: { materialsOvertaken: 1 } });
    // The next date is the decision's next step, not the old deadline.
    expect(listCasesForBorrower(owner).find((r) => r.id === id)!.nextDate).not.toBe('2025-04-08');
    // Its deadline can no longer be changed.
    const request = detail(owner, id).materialRequests[0]!;
    expect(() => changeMaterialsDeadline(owner, id, versionOf(id), request.id, '2025-04-20')).toThrow('materials_overtaken');

    // A new round asks for materials again; sending them marks only the new request sent.
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-12' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ what: '收入证明', requestedOn: '2025-04-14', deadline: '2025-04-18' }));
    sendMaterials(owner, id, versionOf(id), '2025-04-16');
    expect(requests(owner, id)).toEqual([
      { what: '近三个月银行流水', sentOn: null, closedOn: '2025-04-10' },
      { what: '收入证明', sentOn: '2025-04-16', closedOn: null },
    ]);
  });

  it('an approval before the materials went makes the plan, and overtakes the request', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-04-05' }));
    expect(caseRow(id).status).toBe('approved');
    expect(requests(owner, id)[0]).toMatchObject({ sentOn: null, closedOn: '2025-04-05' });
    expect(detail(owner, id).instalments.length).toBeGreaterThan(0);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_approved', data: { materialsOvertaken: 1 } });
  });

  it('materials sent take the ready documents with them, to this application', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    const ready = addDocument(owner, id, { kind: 'bank_statement', note: '' });
    setDocumentStatus(owner, id, ready, 'ready');
    const needed = addDocument(owner, id, { kind: 'medical_proof', note: '' });
    sendMaterials(owner, id, versionOf(id), '2025-04-07');
    const docs = detail(owner, id).documents;
    const attemptId = detail(owner, id).currentAttempt!.id;
    expect(docs.find((d) => d.id === ready)).toMatchObject({ status: 'submitted', attemptId });
    expect(docs.find((d) => d.id === needed)).toMatchObject({ status: 'needed', attemptId: null });
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'materials_sent', data: { sentOn: '2025-04-07', documentsSent: 1 } });
  });

  it('a second request while the first is awaited: both are reminded, and sent together', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    requestMaterials(owner, id, versionOf(id), materialsInput({ what: '医疗证明', requestedOn: '2025-04-05', deadline: '2025-04-15' }));
    expect(caseRow(id).status).toBe('materials_requested');
    expect(rules(id).filter((r) => r === 'materials:# open')).toHaveLength(2);
    sendMaterials(owner, id, versionOf(id), '2025-04-07');
    expect(requests(owner, id).map((r) => r.sentOn)).toEqual(['2025-04-07', '2025-04-07']);
    expect(rules(id).filter((r) => r.startsWith('materials') && r.endsWith(' open'))).toEqual([]);
  });

  it('two requests awaited, one sent: only it is answered; the other keeps its deadline, and the review waits for it', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested'); // 近三个月银行流水, asked on 3 April, by 8 April
    requestMaterials(owner, id, versionOf(id), materialsInput({ what: '医疗证明', requestedOn: '2025-04-05', deadline: '2025-04-15' }));
    const [first, second] = detail(owner, id).materialRequests;
    // Sent on 4 April: before the second request was made, which is not what this sending answers.
    const result = sendMaterials(owner, id, versionOf(id), '2025-04-04', { requestIds: [first!.id] });
    expect(result).toEqual({ stillAwaited: 1 });
    expect(caseRow(id).status).toBe('materials_requested');
    expect(requests(owner, id)).toEqual([
      { what: '近三个月银行流水', sentOn: '2025-04-04', closedOn: null },
      { what: '医疗证明', sentOn: null, closedOn: null },
    ]);
    const open = (ruleKey: string) => getDb().$client.prepare(`select status from reminders where rule_key = ?`).get(ruleKey) as { status: string } | undefined;
    expect(open(`materials:${first!.id}`)?.status).toBe('done');
    expect(open(`materials:${second!.id}`)?.status).toBe('open');
    expect(rules(id).filter((r) => r.startsWith('review:') && r.endsWith(' open'))).toEqual([]);
    expect(listCasesForBorrower(owner).find((r) => r.id === id)!.nextDate).toBe('2025-04-15');
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'materials_sent', data: { sentOn: '2025-04-04', answered: ['近三个月银行流水'], stillAwaited: 1 } });

    // The rest, later: now the case waits for the lender, and the review clock starts from that day.
    expect(sendMaterials(owner, id, versionOf(id), '2025-04-09')).toEqual({ stillAwaited: 0 });
    expect(caseRow(id).status).toBe('under_review');
    expect(requests(owner, id)[1]).toMatchObject({ sentOn: '2025-04-09' });
    expect(open(`materials:${second!.id}`)?.status).toBe('done');
    expect(rules(id).filter((r) => r.startsWith('review:') && r.endsWith(' open'))).toHaveLength(1);
  });

  it('both requests ticked: the same as sending everything, with the requests named in the timeline', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    requestMaterials(owner, id, versionOf(id), materialsInput({ what: '医疗证明', requestedOn: '2025-04-05', deadline: '2025-04-15' }));
    const ids = detail(owner, id).materialRequests.map((m) => m.id);
    expect(sendMaterials(owner, id, versionOf(id), '2025-04-07', { requestIds: [...ids].reverse() })).toEqual({ stillAwaited: 0 });
    expect(caseRow(id).status).toBe('under_review');
    expect(lastEvent(owner, id).data).toMatchObject({ answered: ['近三个月银行流水', '医疗证明'] });
    expect(lastEvent(owner, id).data).not.toHaveProperty('stillAwaited');
  });

  it('only the ticked ready documents go with the materials; the others stay ready', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    const statement = addDocument(owner, id, { kind: 'bank_statement', note: '' });
    const income = addDocument(owner, id, { kind: 'income_proof', note: '' });
    for (const doc of [statement, income]) setDocumentStatus(owner, id, doc, 'ready');
    sendMaterials(owner, id, versionOf(id), '2025-04-07', { documentIds: [statement] });
    const docs = detail(owner, id).documents;
    expect(docs.find((d) => d.id === statement)).toMatchObject({ status: 'submitted', attemptId: detail(owner, id).currentAttempt!.id });
    expect(docs.find((d) => d.id === income)).toMatchObject({ status: 'ready', attemptId: null });
    expect(lastEvent(owner, id).data).toMatchObject({ documentsSent: 1 });

    // None ticked: the materials went without any of the checklist's documents.
    const other = makeCase(owner);
    advanceCase(owner, other, 'materials_requested');
    const kept = addDocument(owner, other, { kind: 'income_proof', note: '' });
    setDocumentStatus(owner, other, kept, 'ready');
    sendMaterials(owner, other, versionOf(other), '2025-04-07', { documentIds: [] });
    expect(detail(owner, other).documents[0]).toMatchObject({ status: 'ready' });
    expect(caseRow(other).status).toBe('under_review');
  });

  it('what the lender gave back (its agreement, the settlement certificate) is kept: never sent with an application, even named', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const [statement, agreement] = (['bank_statement', 'agreement'] as const).map((kind) => addDocument(owner, id, { kind, note: '' }));
    for (const doc of [statement!, agreement!]) setDocumentStatus(owner, id, doc, 'ready');
    expect(thrown(() => submitAttempt(owner, id, versionOf(id), submitInput(), [agreement!]))).toMatchObject({ code: 'documents_changed' });
    submitAttempt(owner, id, versionOf(id), submitInput());
    const docs = detail(owner, id).documents;
    expect(docs.find((d) => d.id === statement)).toMatchObject({ status: 'submitted' });
    expect(docs.find((d) => d.id === agreement)).toMatchObject({ status: 'ready', attemptId: null });
  });

  it('an application takes the ticked ready documents only; another case\'s is "not found", one no longer ready or gone is "changed", at the list; nothing changes', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const [statement, income, needed] = (['bank_statement', 'income_proof', 'medical_proof'] as const).map((kind) => addDocument(owner, id, { kind, note: '' }));
    for (const doc of [statement!, income!]) setDocumentStatus(owner, id, doc, 'ready');
    const other = makeCase(owner);
    const othersReady = addDocument(owner, other, { kind: 'payslip', note: '' });
    setDocumentStatus(owner, other, othersReady, 'ready');
    const before = snapshotCases([id, other]);
    for (const documentIds of [[othersReady], [statement!, othersReady]]) {
      expect(thrown(() => submitAttempt(owner, id, versionOf(id), submitInput(), documentIds))).toBeInstanceOf(NotFoundError);
    }
    // Set back to "needed", or deleted, in another tab since the form listed it (the case's version is as it was).
    for (const documentIds of [[needed!], [statement!, 999_999]]) {
      expect(thrown(() => submitAttempt(owner, id, versionOf(id), submitInput(), documentIds))).toMatchObject({ code: 'documents_changed', detail: { field: 'documents' } });
    }
    expect(snapshotCases([id, other])).toEqual(before);

    const attemptId = submitAttempt(owner, id, versionOf(id), submitInput(), [income!]);
    const docs = detail(owner, id).documents;
    expect(docs.find((d) => d.id === income)).toMatchObject({ status: 'submitted', attemptId });
    expect(docs.find((d) => d.id === statement)).toMatchObject({ status: 'ready', attemptId: null });
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_submitted', data: { documentsSent: 1 } });
  });

  it('a ticked document set back or deleted in another tab: the materials are refused at the documents list, as changed; nothing changes', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    const [kept, setBack, deleted] = (['bank_statement', 'income_proof', 'payslip'] as const).map((kind) => addDocument(owner, id, { kind, note: '' }));
    for (const doc of [kept!, setBack!, deleted!]) setDocumentStatus(owner, id, doc, 'ready');
    const version = versionOf(id);
    setDocumentStatus(owner, id, setBack!, 'needed');
    deleteDocument(owner, id, deleted!);
    expect(versionOf(id)).toBe(version);
    const before = snapshotCases([id]);
    for (const documentIds of [[kept!, setBack!], [kept!, deleted!]]) {
      const e = thrown(() => sendMaterials(owner, id, version, '2025-04-07', { documentIds }));
      expect(e).toMatchObject({ code: 'documents_changed', detail: { field: 'documents' } });
    }
    expect(snapshotCases([id])).toEqual(before);
    sendMaterials(owner, id, version, '2025-04-07', { documentIds: [kept!] });
    expect(caseRow(id).status).toBe('under_review');
  });

  it('refuses a choice of nothing, or of what is not this case\'s awaited request or ready document (one of its documents no longer ready: "changed"), and changes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    requestMaterials(owner, id, versionOf(id), materialsInput({ what: '医疗证明', requestedOn: '2025-04-05', deadline: '2025-04-15' }));
    const [first, second] = detail(owner, id).materialRequests;
    const submitted = addDocument(owner, id, { kind: 'income_proof', note: '' });
    setDocumentStatus(owner, id, submitted, 'submitted');
    const other = makeCase(owner);
    advanceCase(owner, other, 'materials_requested');
    const othersRequest = detail(owner, other).materialRequests[0]!;
    const othersDocument = addDocument(owner, other, { kind: 'bank_statement', note: '' });
    setDocumentStatus(owner, other, othersDocument, 'ready');
    sendMaterials(owner, id, versionOf(id), '2025-04-06', { requestIds: [first!.id] });

    const before = { cases: snapshotCases([id, other]), rules: rules(id) };
    const version = versionOf(id);
    expect(thrown(() => sendMaterials(owner, id, version, '2025-04-07', { requestIds: [] }))).toMatchObject({ code: 'materials_choose_request', detail: { field: 'requests' } });
    for (const requestIds of [[othersRequest.id], [first!.id], [second!.id, 999_999]]) {
      expect(thrown(() => sendMaterials(owner, id, version, '2025-04-07', { requestIds }))).toBeInstanceOf(NotFoundError);
    }
    expect(thrown(() => sendMaterials(owner, id, version, '2025-04-07', { documentIds: [othersDocument] }))).toBeInstanceOf(NotFoundError);
    for (const documentIds of [[submitted], [999_999]]) {
      expect(thrown(() => sendMaterials(owner, id, version, '2025-04-07', { documentIds }))).toMatchObject({ code: 'documents_changed', detail: { field: 'documents' } });
    }
    // Not before the day the request it answers was made.
    expect(thrown(() => sendMaterials(owner, id, version, '2025-04-04', { requestIds: [second!.id] }))).toMatchObject({ code: 'sent_before_requested' });
    expect({ cases: snapshotCases([id, other]), rules: rules(id) }).toEqual(before);
  });

  it('refuses a decision dated before the lender asked for the materials, and changes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested'); // asked on 3 April
    const snapshot = snapshotCases([id]);
    expect(() => rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-02' }))).toThrow('decided_before_requested');
    expect(() => approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-04-02', agreedFirstPaymentOn: '2025-05-01' }))).toThrow('decided_before_requested');
    expect(snapshotCases([id])).toEqual(snapshot);
  });
});

describe('a case from first application to the last instalment', () => {
  it('goes through every step, recording each on the case, its attempts and its timeline', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const ready = addDocument(owner, id, { kind: 'income_proof', note: '' });
    const stillNeeded = addDocument(owner, id, { kind: 'bank_statement', note: '' });
    setDocumentStatus(owner, id, ready, 'ready');
    expect(caseRow(id)).toMatchObject({ status: 'preparing', version: 1 });

    // 1. Submit: preparing → under review; the ready document goes with the application.
    const firstAttempt = submitAttempt(owner, id, 1, submitInput({ program: 'suspension', channel: 'hotline', submittedOn: '2025-04-01' }));
    expect(caseRow(id)).toMatchObject({ status: 'under_review', version: 2 });
    let d = detail(owner, id);
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts[0]).toMatchObject({
      id: firstAttempt,
      round: 1,
      program: 'suspension',
      channel: 'hotline',
      submittedOn: '2025-04-01',
      proposedPeriods: 24,
      proposedMonthlyFen: 50_000,
      decision: null,
    });
    expect(d.documents.find((x) => x.id === ready)).toMatchObject({ status: 'submitted', attemptId: firstAttempt });
    expect(d.documents.find((x) => x.id === stillNeeded)).toMatchObject({ status: 'needed', attemptId: null });
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_submitted', actorId: owner.id, data: { round: 1, documentsSent: 1 } });

    // 2. The lender asks for more material, with a deadline.
    requestMaterials(owner, id, 2, materialsInput({ what: '工资流水', requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    expect(caseRow(id)).toMatchObject({ status: 'materials_requested', version: 3 });
    d = detail(owner, id);
    expect(d.materialRequests).toEqual([
      expect.objectContaining({ attemptId: firstAttempt, what: '工资流水', requestedOn: '2025-04-03', deadline: '2025-04-08', sentOn: null }),
    ]);
    expect(lastEvent(owner, id).kind).toBe('materials_requested');

    // 3. Sent: back to under review.
    sendMaterials(owner, id, 3, '2025-04-06');
    expect(caseRow(id)).toMatchObject({ status: 'under_review', version: 4 });
    expect(detail(owner, id).materialRequests[0].sentOn).toBe('2025-04-06');
    expect(lastEvent(owner, id).kind).toBe('materials_sent');

    // 4. Rejected, with the reason and the lender's words.
    rejectAttempt(owner, id, 4, rejectInput({ decidedOn: '2025-04-15', rejectionReason: 'capacity_insufficient', rejectionText: '还款能力评估不通过' }));
    expect(caseRow(id)).toMatchObject({ status: 'rejected', version: 5 });
    expect(detail(owner, id).attempts[0]).toMatchObject({
      decision: 'rejected',
      decidedOn: '2025-04-15',
      rejectionReason: 'capacity_insufficient',
      rejectionText: '还款能力评估不通过',
    });
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_rejected', data: { round: 1, reason: 'capacity_insufficient' } });

    // 5. Re-apply: a second round.
    const secondAttempt = submitAttempt(owner, id, 5, submitInput({ program: 'instalments', submittedOn: '2025-04-20' }));
    expect(caseRow(id)).toMatchObject({ status: 'under_review', version: 6 });
    d = detail(owner, id);
    expect(d.attempts.map((a) => [a.round, a.program])).toEqual([
      [1, 'suspension'],
      [2, 'instalments'],
    ]);
    expect(d.currentAttempt?.id).toBe(secondAttempt);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_resubmitted', data: { round: 2 } });

    // 6. Approved: the agreed terms become a plan of instalments, on the same day each month.
    const planId = approveAttempt(
      owner,
      id,
      6,
      approveInput({ decidedOn: '2025-04-28', agreedPeriods: 4, agreedMonthly: 250_00, agreedFirstPaymentOn: '2025-05-31', agreedWaived: 80_00 }),
    );
    expect(caseRow(id)).toMatchObject({ status: 'approved', version: 7 });
    d = detail(owner, id);
    expect(d.attempts[1]).toMatchObject({
      decision: 'approved',
      decidedOn: '2025-04-28',
      agreedPeriods: 4,
      agreedMonthlyFen: 250_00,
      agreedFirstPaymentOn: '2025-05-31',
      agreedWaivedFen: 80_00,
    });
    expect(d.plan).toMatchObject({ id: planId, attemptId: secondAttempt, periods: 4, monthlyFen: 250_00, firstDueOn: '2025-05-31', totalFen: 1_000_00 });
    expect(d.instalments.map((i) => [i.seq, i.dueOn, i.amountFen, i.paidOn])).toEqual([
      [1, '2025-05-31', 250_00, null],
      [2, '2025-06-30', 250_00, null],
      [3, '2025-07-31', 250_00, null],
      [4, '2025-08-31', 250_00, null],
    ]);

    // 7. The first payment starts repaying; the last one closes the case as settled.
    const [i1, i2, i3, i4] = d.instalments;
    markInstalmentPaid(owner, id, 7, i1.id, { paidOn: '2025-05-30', paid: 250_00 });
    expect(caseRow(id)).toMatchObject({ status: 'repaying', outcome: null, version: 8 });
    expect(detail(owner, id).events.slice(-2).map((e) => e.kind)).toEqual(['instalment_paid', 'repaying_started']);
    markInstalmentPaid(owner, id, 8, i3.id, { paidOn: '2025-07-31', paid: 250_00 });
    markInstalmentPaid(owner, id, 9, i2.id, { paidOn: '2025-07-31', paid: 250_00 });
    expect(caseRow(id)).toMatchObject({ status: 'repaying', version: 10 });
    markInstalmentPaid(owner, id, 10, i4.id, { paidOn: '2025-08-31', paid: 260_00 });
    expect(caseRow(id)).toMatchObject({ status: 'closed', outcome: 'settled', version: 11 });
    d = detail(owner, id);
    expect(d.instalments.map((i) => [i.paidOn, i.paidFen])).toEqual([
      ['2025-05-30', 250_00],
      ['2025-07-31', 250_00],
      ['2025-07-31', 250_00],
      ['2025-08-31', 260_00],
    ]);
    expect(d.events.at(-1)!.kind).toBe('plan_completed');
    expect(d.events.map((e) => e.kind)).toEqual([
      'case_created',
      'document_added',
      'document_added',
      'document_status',
      'attempt_submitted',
      'materials_requested',
      'materials_sent',
      'attempt_rejected',
      'attempt_resubmitted',
      'attempt_approved',
      'instalment_paid',
      'repaying_started',
      'instalment_paid',
      'instalment_paid',
      'instalment_paid',
      'plan_completed',
    ]);
  });

  it('records what the lender waived with the approval, and nothing when it waived nothing', () => {
    const owner = makeBorrower();
    const waived = makeCase(owner);
    advanceCase(owner, waived, 'under_review');
    approveAttempt(owner, waived, versionOf(waived), approveInput({ agreedWaived: 1_020_50 }));
    expect(detail(owner, waived).events.find((e) => e.kind === 'attempt_approved')!.data).toMatchObject({ waivedFen: 1_020_50 });
    const none = makeCase(owner);
    advanceCase(owner, none, 'under_review');
    approveAttempt(owner, none, versionOf(none), approveInput({ agreedWaived: 0 }));
    expect(detail(owner, none).events.find((e) => e.kind === 'attempt_approved')!.data).not.toHaveProperty('waivedFen');
  });

  it('closes a one-payment plan as settled with that one payment', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'under_review');
    approveAttempt(owner, id, versionOf(id), approveInput({ agreedPeriods: 1, agreedMonthly: 999_00 }));
    const [only] = detail(owner, id).instalments;
    markInstalmentPaid(owner, id, versionOf(id), only.id, { paidOn: '2025-05-31', paid: 999_00 });
    expect(caseRow(id)).toMatchObject({ status: 'closed', outcome: 'settled' });
  });

  it('refuses to mark an instalment paid twice, and writes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'approved');
    const [first] = detail(owner, id).instalments;
    markInstalmentPaid(owner, id, versionOf(id), first.id, { paidOn: '2025-05-31', paid: first.amountFen });
    const before = snapshotCases([id]);
    const e = thrown(() => markInstalmentPaid(owner, id, versionOf(id), first.id, { paidOn: '2025-06-01', paid: 1 }));
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('already_paid');
    expect(snapshotCases([id])).toEqual(before);
  });
});

describe('escalation', () => {
  it('opens a new round with the mediator or regulator as channel', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'rejected');
    escalateCase(owner, id, versionOf(id), escalateInput({ route: 'complaint', submittedOn: '2025-04-12', lenderRef: '12378-001' }));
    expect(caseRow(id).status).toBe('escalated');
    const d = detail(owner, id);
    expect(d.attempts.map((a) => [a.round, a.program, a.channel, a.lenderRef])).toEqual([
      [1, 'instalments', 'app', 'REF-1'],
      [2, 'complaint', 'regulator', '12378-001'],
    ]);
    expect(d.events.at(-1)).toMatchObject({ kind: 'escalated', data: { round: 2, route: 'complaint' } });
  });

  it('takes the ready documents with it, as an application does: those ticked, or all; the timeline counts them', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'rejected');
    const [proof, statement] = (['medical_proof', 'bank_statement'] as const).map((kind) => addDocument(owner, id, { kind, note: '' }));
    for (const doc of [proof!, statement!]) setDocumentStatus(owner, id, doc, 'ready');
    escalateCase(owner, id, versionOf(id), escalateInput(), [proof!]);
    const round = detail(owner, id).attempts.at(-1)!;
    expect(detail(owner, id).documents.map((d) => [d.id, d.status, d.attemptId])).toEqual(
      expect.arrayContaining([
        [proof, 'submitted', round.id],
        [statement, 'ready', null],
      ]),
    );
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'escalated', data: { documentsSent: 1 } });

    const all = makeCase(owner);
    advanceCase(owner, all, 'rejected');
    const ready = addDocument(owner, all, { kind: 'income_proof', note: '' });
    setDocumentStatus(owner, all, ready, 'ready');
    escalateCase(owner, all, versionOf(all), escalateInput());
    expect(detail(owner, all).documents[0]).toMatchObject({ status: 'submitted' });
    // One set back in another tab since the form listed it: said at the list; nothing changes.
    const changed = makeCase(owner);
    advanceCase(owner, changed, 'rejected');
    const doc = addDocument(owner, changed, { kind: 'payslip', note: '' });
    const before = snapshotCases([changed]);
    expect(thrown(() => escalateCase(owner, changed, versionOf(changed), escalateInput(), [doc]))).toMatchObject({ code: 'documents_changed', detail: { field: 'documents' } });
    expect(snapshotCases([changed])).toEqual(before);
  });

  it('ends in an approval with a plan', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'escalated');
    approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-05-01', agreedPeriods: 2, agreedFirstPaymentOn: '2025-06-10' }));
    expect(caseRow(id).status).toBe('approved');
    const d = detail(owner, id);
    expect(d.currentAttempt).toMatchObject({ round: 2, program: 'mediation', decision: 'approved', decidedOn: '2025-05-01' });
    expect(d.plan?.attemptId).toBe(d.currentAttempt?.id);
    expect(d.instalments.map((i) => i.dueOn)).toEqual(['2025-06-10', '2025-07-10']);
  });

  it('ends in a rejection, after which the borrower may re-apply', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'escalated');
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-05-01', rejectionReason: 'other', rejectionText: '调解未成功' }));
    expect(caseRow(id).status).toBe('rejected');
    expect(detail(owner, id).currentAttempt).toMatchObject({ round: 2, decision: 'rejected', rejectionReason: 'other' });
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-05-10' }));
    expect(caseRow(id).status).toBe('under_review');
    expect(detail(owner, id).currentAttempt?.round).toBe(3);
  });

  it.each<CaseOutcome>(['settled', 'withdrawn', 'other'])('is closed with outcome %s', (outcome) => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'escalated');
    closeEscalation(owner, id, versionOf(id), outcome, '调解结束');
    expect(caseRow(id)).toMatchObject({ status: 'closed', outcome });
    const d = detail(owner, id);
    expect(d.currentAttempt?.decidedOn).toBe(todayInShanghai());
    expect(d.events.at(-1)).toMatchObject({ kind: 'escalation_closed', data: { outcome, note: '调解结束' } });
  });
});

// --- every status, through the verbs ----------------------------------------------------------

type Stage = CaseStage | 'repaying' | 'closed';
type VerbName = 'submit' | 'requestMaterials' | 'sendMaterials' | 'approve' | 'reject' | 'escalate' | 'closeEscalation' | 'voidPlan' | 'withdraw';

/** Each transition verb, called the way its form calls it, with the version the form carries. */
const VERBS: Record<VerbName, (owner: Viewer, id: number, version: number) => unknown> = {
  submit: (o, id, v) => submitAttempt(o, id, v, submitInput({ submittedOn: '2025-04-20' })),
  requestMaterials: (o, id, v) => requestMaterials(o, id, v, materialsInput({ requestedOn: '2025-04-21', deadline: '2025-04-25' })),
  sendMaterials: (o, id, v) => sendMaterials(o, id, v, '2025-04-22'),
  approve: (o, id, v) => approveAttempt(o, id, v, approveInput({ decidedOn: '2025-04-30' })),
  reject: (o, id, v) => rejectAttempt(o, id, v, rejectInput({ decidedOn: '2025-04-30' })),
  escalate: (o, id, v) => escalateCase(o, id, v, escalateInput({ submittedOn: '2025-04-30' })),
  closeEscalation: (o, id, v) => closeEscalation(o, id, v, 'other', ''),
  voidPlan: (o, id, v) => voidPlan(o, id, v, { voidedOn: '2025-06-30', note: '' }),
  withdraw: (o, id, v) => withdrawCase(o, id, v, 'no longer needed'),
};

/** DESIGN.md §3, written out by hand: which verbs each status allows, and where they lead. */
const ALLOWED: Record<Stage, Partial<Record<VerbName, CaseStatus>>> = {
  preparing: { submit: 'under_review', withdraw: 'closed' },
  under_review: { requestMaterials: 'materials_requested', approve: 'approved', reject: 'rejected', withdraw: 'closed' },
  // Beyond DESIGN's diagram: the lender may ask again, or decide, before the materials went.
  materials_requested: {
    requestMaterials: 'materials_requested',
    sendMaterials: 'under_review',
    approve: 'approved',
    reject: 'rejected',
    withdraw: 'closed',
  },
  rejected: { submit: 'under_review', escalate: 'escalated', withdraw: 'closed' },
  escalated: { approve: 'approved', reject: 'rejected', closeEscalation: 'closed', withdraw: 'closed' },
  approved: { voidPlan: 'rejected', withdraw: 'closed' },
  repaying: { voidPlan: 'rejected', withdraw: 'closed' },
  closed: {},
};

/** A fresh case of `owner`'s in `stage`, reached through the verbs. */
function caseAt(owner: Viewer, stage: Stage): number {
  const id = makeCase(owner);
  if (stage === 'closed') {
    withdrawCase(owner, id, versionOf(id), '');
  } else if (stage === 'repaying') {
    advanceCase(owner, id, 'approved');
    const [first] = detail(owner, id).instalments;
    markInstalmentPaid(owner, id, versionOf(id), first.id, { paidOn: '2025-05-31', paid: first.amountFen });
  } else {
    advanceCase(owner, id, stage);
  }
  expect(caseRow(id).status).toBe(stage);
  return id;
}

const STAGES = Object.keys(ALLOWED) as Stage[];
const allowedRows = STAGES.flatMap((stage) =>
  (Object.entries(ALLOWED[stage]) as [VerbName, CaseStatus][]).map(([verb, to]) => [stage, verb, to] as const),
);
const forbiddenRows = STAGES.flatMap((stage) =>
  (Object.keys(VERBS) as VerbName[]).filter((verb) => !(verb in ALLOWED[stage])).map((verb) => [stage, verb] as const),
);

describe('allowed transitions through the verbs', () => {
  it.each(allowedRows)('%s --%s--> %s', (stage, verb, to) => {
    const owner = makeBorrower();
    const id = caseAt(owner, stage);
    const version = versionOf(id);
    VERBS[verb](owner, id, version);
    expect(caseRow(id)).toMatchObject({ status: to, version: version + 1 });
  });
});

describe('forbidden transitions through the verbs', () => {
  it('covers every status, including everything on a closed case', () => {
    expect(new Set(forbiddenRows.map(([stage]) => stage))).toEqual(new Set(STAGES));
    expect(forbiddenRows.filter(([stage]) => stage === 'closed').map(([, verb]) => verb)).toEqual(Object.keys(VERBS));
  });

  it.each(forbiddenRows)('%s: %s throws TransitionError and changes nothing', (stage, verb) => {
    const owner = makeBorrower();
    const id = caseAt(owner, stage);
    const before = snapshotCases([id]);
    const e = thrown(() => VERBS[verb](owner, id, versionOf(id)));
    expect(e).toBeInstanceOf(TransitionError);
    expect((e as TransitionError).from).toBe(stage);
    expect(snapshotCases([id])).toEqual(before);
  });

  it('marking an instalment paid after the case was withdrawn is refused and changes nothing', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'approved');
    withdrawCase(owner, id, versionOf(id), '');
    const [first] = detail(owner, id).instalments;
    const before = snapshotCases([id]);
    const e = thrown(() => markInstalmentPaid(owner, id, versionOf(id), first.id, { paidOn: '2025-05-31', paid: first.amountFen }));
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('plan_not_active');
    expect(snapshotCases([id])).toEqual(before);
  });
});

describe('withdrawCase', () => {
  it.each<Stage>(['preparing', 'under_review', 'materials_requested', 'rejected', 'escalated', 'approved', 'repaying'])(
    'from %s closes the case with outcome withdrawn',
    (stage) => {
      const owner = makeBorrower();
      const id = caseAt(owner, stage);
      withdrawCase(owner, id, versionOf(id), '已全额还清');
      expect(caseRow(id)).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
      expect(lastEvent(owner, id)).toMatchObject({ kind: 'withdrawn', data: { from: stage, note: '已全额还清' } });
    },
  );
});

// --- versions, dates, two tabs ---------------------------------------------------------------

describe('a stale version', () => {
  it.each(allowedRows.filter(([, verb]) => verb !== 'withdraw'))(
    '%s: %s with an old version throws ConflictError and changes nothing',
    (stage, verb) => {
      const owner = makeBorrower();
      const id = caseAt(owner, stage);
      // Someone else saved the case since this form was loaded.
      updateCase(owner, id, versionOf(id), caseInput(owner, { note: 'edited in another tab' }));
      const current = versionOf(id);
      expect(current).toBeGreaterThan(1);
      const before = snapshotCases([id]);
      expect(() => VERBS[verb](owner, id, current - 1)).toThrow(ConflictError);
      expect(() => VERBS[verb](owner, id, current + 1)).toThrow(ConflictError);
      expect(snapshotCases([id])).toEqual(before);
    },
  );

  it('on withdraw and on marking an instalment paid is refused too', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'approved');
    const before = snapshotCases([id]);
    const [first] = detail(owner, id).instalments;
    expect(() => withdrawCase(owner, id, 1, '')).toThrow(ConflictError);
    expect(() => markInstalmentPaid(owner, id, 1, first.id, { paidOn: '2025-05-31', paid: 1 })).toThrow(ConflictError);
    expect(snapshotCases([id])).toEqual(before);
  });
});

describe('a waiver larger than everything the case records as overdue', () => {
  // The factory's case: ¥10,000 + ¥500 + ¥123.45 overdue.
  const owed = 1_000_000 + 50_000 + 12_345;

  it('is refused on approval, at the field, with the recorded total, and nothing changes', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    const before = snapshotCases([id]);
    const e = thrown(() => approveAttempt(owner, id, versionOf(id), approveInput({ agreedWaived: owed + 1 })));
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'waived_over_owed', detail: { field: 'agreedWaived', values: { owedFen: owed } } });
    expect(snapshotCases([id])).toEqual(before);
    // All of it may be waived.
    approveAttempt(owner, id, versionOf(id), approveInput({ agreedWaived: owed }));
    expect(caseRow(id).status).toBe('approved');
  });

  it('is refused when it is the waiver asked for in an application, new or corrected, at its field; one left as it was is not asked about again', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const before = snapshotCases([id]);
    const e = thrown(() => submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01', proposedWaived: owed + 1 })));
    expect(e).toMatchObject({ code: 'waived_over_owed', detail: { field: 'proposedWaived', values: { owedFen: owed } } });
    expect(snapshotCases([id])).toEqual(before);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01', proposedWaived: owed }));
    expect(caseRow(id).status).toBe('under_review');
    const applied = snapshotCases([id]);
    expect(thrown(() => correctAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01', proposedWaived: owed * 10 })))).toMatchObject({
      code: 'waived_over_owed',
      detail: { field: 'proposedWaived' },
    });
    expect(snapshotCases([id])).toEqual(applied);
    // The debt recorded lower since: correcting another field leaves the waiver asked for as it was.
    getDb().$client.prepare('update cases set principal_fen = 100 where id = ?').run(id);
    correctAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-02', proposedWaived: owed }));
  });

  it('is refused when the terms are corrected too', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    approveAttempt(owner, id, versionOf(id), approveInput({ agreedWaived: 10_000 }));
    const before = snapshotCases([id]);
    expect(() => correctPlanTerms(owner, id, versionOf(id), approveInput({ agreedWaived: owed * 10 }))).toThrow('waived_over_owed');
    expect(snapshotCases([id])).toEqual(before);
  });

  it('is not checked on a case that records no amount yet', () => {
    const owner = makeBorrower();
    const id = makeCase(owner, { principal: 0, interest: 0, penalty: 0 });
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    approveAttempt(owner, id, versionOf(id), approveInput({ agreedWaived: 500_000 }));
    expect(caseRow(id).status).toBe('approved');
  });
});

describe('a decision dated before the submission', () => {
  it.each([
    ['approve', (o: Viewer, id: number) => approveAttempt(o, id, versionOf(id), approveInput({ decidedOn: '2025-03-31' }))],
    ['reject', (o: Viewer, id: number) => rejectAttempt(o, id, versionOf(id), rejectInput({ decidedOn: '2025-03-31' }))],
  ] as const)('is refused by %s, and nothing changes', (_name, decide) => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    const before = snapshotCases([id]);
    const e = thrown(() => decide(owner, id));
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'decided_before_submitted', detail: { field: 'decidedOn', values: { submittedOn: '2025-04-01' } } });
    expect(snapshotCases([id])).toEqual(before);
  });

  it('on the same day as the submission is accepted', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-01' }));
    expect(caseRow(id).status).toBe('rejected');
  });
});

describe('a rejection for the reason "other"', () => {
  it.each([
    ['without the lender\'s words', ''],
    ['with only spaces', '  \n '],
  ])('is refused %s, at the words\' field, and nothing changes', (_name, rejectionText) => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    const before = snapshotCases([id]);
    const e = thrown(() => rejectAttempt(owner, id, versionOf(id), rejectInput({ rejectionReason: 'other', rejectionText })));
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'rejection_text_needed', detail: { field: 'rejectionText' } });
    expect(snapshotCases([id])).toEqual(before);
  });

  it('is recorded with the lender\'s words; any other reason may go without them', () => {
    const owner = makeBorrower();
    const other = makeCase(owner);
    submitAttempt(owner, other, versionOf(other), submitInput({ submittedOn: '2025-04-01' }));
    rejectAttempt(owner, other, versionOf(other), rejectInput({ rejectionReason: 'other', rejectionText: '系统综合评估未通过' }));
    expect(detail(owner, other).currentAttempt).toMatchObject({ decision: 'rejected', rejectionReason: 'other', rejectionText: '系统综合评估未通过' });
    const listed = makeCase(owner);
    submitAttempt(owner, listed, versionOf(listed), submitInput({ submittedOn: '2025-04-01' }));
    rejectAttempt(owner, listed, versionOf(listed), rejectInput({ rejectionReason: 'credit_history', rejectionText: '' }));
    expect(detail(owner, listed).currentAttempt).toMatchObject({ decision: 'rejected', rejectionReason: 'credit_history', rejectionText: null });
  });

  it('recorded without words before they were asked for still reads, and can be undone', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ rejectionReason: 'credit_history' }));
    // As an older row holds it: "other", and no words.
    getDb().$client.prepare("update attempts set rejection_reason = 'other', rejection_text = null where case_id = ?").run(id);
    expect(detail(owner, id).currentAttempt).toMatchObject({ decision: 'rejected', rejectionReason: 'other', rejectionText: null });
    undoDecision(owner, id, versionOf(id));
    expect(caseRow(id).status).toBe('under_review');
  });
});

describe('decisionProblems: what the case would refuse, said beside the form\'s own errors', () => {
  const owed = 1_000_000 + 50_000 + 12_345;

  it('names both refusals at their fields, as the verbs word them, and writes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    const before = snapshotCases([id]);
    const problems = decisionProblems(owner, id, { decidedOn: '2025-03-31', waivedFen: owed + 1 });
    expect(problems.map((p) => [p.code, p.detail.field, p.detail.values])).toEqual([
      ['decided_before_submitted', 'decidedOn', { submittedOn: '2025-04-01' }],
      ['waived_over_owed', 'agreedWaived', { owedFen: owed }],
    ]);
    expect(snapshotCases([id])).toEqual(before);
    // The verb refuses the first of them the same way.
    expect(thrown(() => approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-03-31', agreedWaived: owed + 1 })))).toMatchObject({
      code: problems[0].code,
      detail: problems[0].detail,
    });
  });

  it('finds nothing in a decision the case allows, or in what the form did not hold', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    expect(decisionProblems(owner, id, { decidedOn: '2025-04-01', waivedFen: owed })).toEqual([]);
    expect(decisionProblems(owner, id, {})).toEqual([]);
    // Before any application there is no day to compare with.
    expect(decisionProblems(owner, makeCase(owner), { decidedOn: '2000-01-01' })).toEqual([]);
  });
});

describe('two tabs on one case', () => {
  it('the second action with the version both tabs read is refused', () => {
    const owner = makeBorrower();
    const id = caseAt(owner, 'under_review');
    const seenByBothTabs = versionOf(id);
    rejectAttempt(owner, id, seenByBothTabs, rejectInput());
    const afterFirst = snapshotCases([id]);
    expect(() => approveAttempt(owner, id, seenByBothTabs, approveInput())).toThrow(ConflictError);
    expect(() => rejectAttempt(owner, id, seenByBothTabs, rejectInput())).toThrow(ConflictError);
    expect(snapshotCases([id])).toEqual(afterFirst);
    expect(afterFirst.plans).toEqual([]);
    // Reloaded, the second tab sees the rejection and can act on it.
    escalateCase(owner, id, versionOf(id), escalateInput());
    expect(caseRow(id).status).toBe('escalated');
  });

describe('dates out of order on the way to a decision', () => {
  // Submitted 1 April, rejected 10 April (the factories' dates); the lender asked on 3 April.
  it.each([
    ['a materials request before the submission', 'under_review', 'requested_before_submitted',
      (o: Viewer, id: number) => requestMaterials(o, id, versionOf(id), materialsInput({ requestedOn: '2025-03-31', deadline: '2025-04-08' }))],
    ['materials sent before they were asked for', 'materials_requested', 'sent_before_requested',
      (o: Viewer, id: number) => sendMaterials(o, id, versionOf(id), '2025-04-02')],
    ['a new application before the rejection', 'rejected', 'submitted_before_rejection',
      (o: Viewer, id: number) => submitAttempt(o, id, versionOf(id), submitInput({ submittedOn: '2025-04-09' }))],
    ['mediation before the rejection', 'rejected', 'escalated_before_rejection',
      (o: Viewer, id: number) => escalateCase(o, id, versionOf(id), escalateInput({ submittedOn: '2025-04-09' }))],
  ] as const)('%s is refused, and nothing changes', (_name, stage, code, act) => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, stage);
    const before = snapshotCases([id]);
    const e = thrown(() => act(owner, id));
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    expect(snapshotCases([id])).toEqual(before);
  });

  it.each([
    ['a materials request on the day of the submission', 'under_review', (o: Viewer, id: number) => requestMaterials(o, id, versionOf(id), materialsInput({ requestedOn: '2025-04-01' }))],
    ['materials sent the day they were asked for', 'materials_requested', (o: Viewer, id: number) => sendMaterials(o, id, versionOf(id), '2025-04-03')],
    ['a new application the day of the rejection', 'rejected', (o: Viewer, id: number) => submitAttempt(o, id, versionOf(id), submitInput({ submittedOn: '2025-04-10' }))],
    ['mediation the day of the rejection', 'rejected', (o: Viewer, id: number) => escalateCase(o, id, versionOf(id), escalateInput({ submittedOn: '2025-04-10' }))],
  ] as const)('%s is accepted', (_name, stage, act) => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, stage);
    const version = versionOf(id);
    act(owner, id);
    expect(versionOf(id)).toBe(version + 1);
  });
});

  it('the same submit sent twice creates one attempt', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const version = versionOf(id);
    submitAttempt(owner, id, version, submitInput());
    expect(() => submitAttempt(owner, id, version, submitInput())).toThrow(ConflictError);
    expect(detail(owner, id).attempts).toHaveLength(1);
  });
});

describe('correctAttempt: the record of the latest application, made right', () => {
  const rules = (id: number) =>
    getDb().$client
      .prepare(`select rule_key as ruleKey, status, due_on as dueOn, show_on as showOn, data from reminders where case_id = ? and rule_key is not null order by id`)
      .all(id) as { ruleKey: string; status: string; dueOn: string; showOn: string; data: string }[];

  it('moves "check the review result" with the corrected day, and says what changed', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const attemptId = submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    const before = rules(id).find((r) => r.ruleKey === `review:${attemptId}`)!;
    expect(before.dueOn).toBe('2025-04-09'); // five workdays, past Qingming (4–6 April)
    const version = versionOf(id);
    correctAttempt(owner, id, version, submitInput({ submittedOn: '2025-03-28', channel: 'hotline', lenderRef: '' }));
    expect(versionOf(id)).toBe(version + 1);
    const after = rules(id).find((r) => r.ruleKey === `review:${attemptId}`)!;
    expect(after).toMatchObject({ status: 'open', dueOn: '2025-04-07', showOn: '2025-04-07' });
    expect(JSON.parse(after.data)).toMatchObject({ submittedOn: '2025-03-28' });
    expect(detail(owner, id).attempts[0]).toMatchObject({ submittedOn: '2025-03-28', channel: 'hotline', lenderRef: '' });
    expect(lastEvent(owner, id)).toMatchObject({
      kind: 'attempt_corrected',
      data: { round: 1, changes: { submittedOn: ['2025-04-01', '2025-03-28'], channel: ['app', 'hotline'], lenderRef: ['REF-1', ''] } },
    });
  });

  it('keeps a snooze later than the new day, and leaves a closed follow-up closed (at the new day); the follow-up after materials names the new day', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const attemptId = submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    sendMaterials(owner, id, versionOf(id), '2025-04-07');
    correctAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-02' }));
    const all = rules(id);
    // Closed by the request for materials, and moved: were the request removed, it would come back at the right day.
    expect(all.find((r) => r.ruleKey === `review:${attemptId}`)).toMatchObject({ status: 'done', dueOn: '2025-04-10' });
    const followUp = all.find((r) => r.ruleKey.startsWith(`review:${attemptId}:`))!;
    expect(followUp.status).toBe('open');
    expect(JSON.parse(followUp.data)).toMatchObject({ submittedOn: '2025-04-02', sentOn: '2025-04-07' });

    const other = makeCase(owner);
    const second = submitAttempt(owner, other, versionOf(other), submitInput({ submittedOn: '2025-04-01' }));
    getDb().$client.prepare(`update reminders set snoozed_until = '2025-04-20', show_on = '2025-04-20' where rule_key = ?`).run(`review:${second}`);
    correctAttempt(owner, other, versionOf(other), submitInput({ submittedOn: '2025-03-31' }));
    expect(rules(other).find((r) => r.ruleKey === `review:${second}`)).toMatchObject({ dueOn: '2025-04-08', showOn: '2025-04-20' });
  });

  it('a day corrected after the decision: the decision undone, "check the review result" comes back at the corrected day', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const attemptId = submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-10' }));
    correctAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-08' }));
    expect(rules(id).find((r) => r.ruleKey === `review:${attemptId}`)).toMatchObject({ status: 'done', dueOn: '2025-04-15' });
    undoDecision(owner, id, versionOf(id));
    const review = rules(id).find((r) => r.ruleKey === `review:${attemptId}`)!;
    expect(review).toMatchObject({ status: 'open', dueOn: '2025-04-15', showOn: '2025-04-15' });
    expect(JSON.parse(review.data)).toMatchObject({ submittedOn: '2025-04-08' });
  });

  it('refuses a day out of order with the story, nothing changed, a stale version, and an escalation; changes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    const snapshot = snapshotCases([id]);
    const v = versionOf(id);
    expect(() => correctAttempt(owner, id, v, submitInput({ submittedOn: '2025-04-04' }))).toThrow('requested_before_submitted');
    expect(() => correctAttempt(owner, id, v, submitInput())).toThrow('correction_unchanged');
    expect(() => correctAttempt(owner, id, v - 1, submitInput({ submittedOn: '2025-03-30' }))).toThrow(ConflictError);
    expect(snapshotCases([id])).toEqual(snapshot);

    const rejected = makeCase(owner);
    advanceCase(owner, rejected, 'rejected'); // submitted 1 April, rejected 10 April
    expect(() => correctAttempt(owner, rejected, versionOf(rejected), submitInput({ submittedOn: '2025-04-11' }))).toThrow('submitted_after_decided');
    submitAttempt(owner, rejected, versionOf(rejected), submitInput({ submittedOn: '2025-04-12' }));
    expect(() => correctAttempt(owner, rejected, versionOf(rejected), submitInput({ submittedOn: '2025-04-09' }))).toThrow('submitted_before_rejection');

    const escalated = makeCase(owner);
    advanceCase(owner, escalated, 'escalated');
    expect(() => correctAttempt(owner, escalated, versionOf(escalated), submitInput())).toThrow('attempt_is_escalation');
    const none = makeCase(owner);
    expect(() => correctAttempt(owner, none, versionOf(none), submitInput())).toThrow('no_attempt');
  });
});

describe('changeMaterialsDeadline: the lender gave more time', () => {
  const rules = (id: number) =>
    (getDb().$client
      .prepare(`select rule_key as ruleKey, kind, status, due_on as dueOn from reminders where case_id = ? and kind like 'materials%' order by kind`)
      .all(id) as { ruleKey: string; kind: string; status: string; dueOn: string }[]).map((r) => [r.kind, r.status, r.dueOn]);
  const requestOf = (owner: Viewer, id: number) => detail(owner, id).materialRequests[0]!;

  it('moves the deadline and its nudge, opening again what was dismissed, and says so on the timeline', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    clockAt('2025-04-03'); // recorded when the lender asked: its nudge is made
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    expect(rules(id)).toEqual([
      ['materials_deadline', 'open', '2025-04-08'],
      ['materials_nudge', 'open', '2025-04-07'],
    ]);
    getDb().$client.prepare(`update reminders set status = 'dismissed' where case_id = ? and kind = 'materials_nudge'`).run(id);
    const request = requestOf(owner, id);
    changeMaterialsDeadline(owner, id, versionOf(id), request.id, '2025-04-15');
    expect(requestOf(owner, id).deadline).toBe('2025-04-15');
    expect(rules(id)).toEqual([
      ['materials_deadline', 'open', '2025-04-15'],
      ['materials_nudge', 'open', '2025-04-14'],
    ]);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'materials_deadline_changed', data: { what: '近三个月银行流水', from: '2025-04-08', to: '2025-04-15' } });

    // Moved to the day of the request: no day before it for a nudge.
    changeMaterialsDeadline(owner, id, versionOf(id), request.id, '2025-04-03');
    expect(rules(id)).toEqual([
      ['materials_deadline', 'open', '2025-04-03'],
      ['materials_nudge', 'done', '2025-04-14'],
    ]);
  });

  it('makes no urgent nudge already past: a request recorded late has none, and a deadline moved to today closes it', () => {
    const owner = makeBorrower();
    const today = todayInShanghai();
    const late = makeCase(owner);
    advanceCase(owner, late, 'under_review');
    // Asked four workdays ago, by yesterday: recorded only now.
    requestMaterials(owner, late, versionOf(late), materialsInput({ requestedOn: addWorkdays(today, -4), deadline: addWorkdays(today, -1) }));
    expect(rules(late)).toEqual([['materials_deadline', 'open', addWorkdays(today, -1)]]);

    const moved = makeCase(owner);
    advanceCase(owner, moved, 'under_review');
    requestMaterials(owner, moved, versionOf(moved), materialsInput({ requestedOn: addWorkdays(today, -4), deadline: addWorkdays(today, 3) }));
    expect(rules(moved)).toEqual([
      ['materials_deadline', 'open', addWorkdays(today, 3)],
      ['materials_nudge', 'open', addWorkdays(today, 2)],
    ]);
    // The lender wants them today: the workday before is gone, and so is the nudge.
    changeMaterialsDeadline(owner, moved, versionOf(moved), requestOf(owner, moved).id, today);
    expect(rules(moved)).toEqual([
      ['materials_deadline', 'open', today],
      ['materials_nudge', 'done', addWorkdays(today, 2)],
    ]);
  });

  it('refuses a deadline before the request, one already answered, an unchanged one, another case’s request; changes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    const request = requestOf(owner, id);
    const snapshot = snapshotCases([id]);
    expect(() => changeMaterialsDeadline(owner, id, versionOf(id), request.id, '2025-04-02')).toThrow('deadline_before_request');
    expect(() => changeMaterialsDeadline(owner, id, versionOf(id), request.id, '2025-04-08')).toThrow('correction_unchanged');
    const other = makeCase(owner);
    expect(() => changeMaterialsDeadline(owner, other, versionOf(other), request.id, '2025-04-20')).toThrow(NotFoundError);
    expect(snapshotCases([id])).toEqual(snapshot);
    sendMaterials(owner, id, versionOf(id), '2025-04-07');
    expect(() => changeMaterialsDeadline(owner, id, versionOf(id), request.id, '2025-04-20')).toThrow('materials_already_sent');
  });
});

describe('a correction sent from a form drawn before the case was closed (another tab)', () => {
  const openRules = (id: number) =>
    getDb().$client.prepare(`select rule_key from reminders where case_id = ? and status = 'open' and rule_key not like 'stale:%'`).pluck().all(id);

  it('is refused on a withdrawn case, for the deadline, the request and the application alike; nothing changes, no reminder opens', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    const [request] = detail(owner, id).materialRequests;
    withdrawCase(owner, id, versionOf(id), '');
    expect(openRules(id)).toEqual([]);
    const before = snapshotCases([id]);
    expect(() => changeMaterialsDeadline(owner, id, versionOf(id), request!.id, '2025-04-20')).toThrow('case_closed');
    expect(() => removeMaterialsRequest(owner, id, versionOf(id), request!.id)).toThrow('case_closed');
    expect(() => correctAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-02' }))).toThrow('case_closed');
    expect(snapshotCases([id])).toEqual(before);
    expect(openRules(id)).toEqual([]);
  });
});

describe('removeMaterialsRequest: a request recorded by mistake', () => {
  const rules = (id: number) =>
    (getDb().$client
      .prepare(`select rule_key as ruleKey, status from reminders where case_id = ? and (kind like 'materials%' or kind like 'review%') order by id`)
      .all(id) as { ruleKey: string; status: string }[]).map((r) => [r.ruleKey.replace(/\d+/g, '#'), r.status]);
  const requests = (owner: Viewer, id: number) => detail(owner, id).materialRequests.map((m) => m.what);
  /** The case's "check the review result" reminders, first to last. */
  const reviewChases = (id: number) =>
    getDb().$client.prepare(`select rule_key as ruleKey, status, due_on as dueOn from reminders where case_id = ? and kind = 'review_followup' order by id`).all(id);

  it('the only request: gone with its reminders, the case waits for the review again, its chase open again, and the timeline says so', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    clockAt('2025-04-03'); // recorded when the lender asked: its nudge is made
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    expect(rules(id)).toEqual([
      ['review:#', 'done'],
      ['materials:#', 'open'],
      ['materials-nudge:#', 'open'],
    ]);
    const [request] = detail(owner, id).materialRequests;
    removeMaterialsRequest(owner, id, versionOf(id), request.id);
    expect(caseRow(id).status).toBe('under_review');
    expect(requests(owner, id)).toEqual([]);
    expect(rules(id)).toEqual([['review:#', 'open']]);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'materials_request_removed', data: { what: '近三个月银行流水', requestedOn: '2025-04-03', deadline: '2025-04-08' } });
  });

  it('one of two: the other keeps its reminders and the case still waits for materials; a follow-up after materials sent opens again', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    clockAt('2025-04-03'); // recorded when the lender asked: its nudge is made
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08', what: '收入证明' }));
    sendMaterials(owner, id, versionOf(id), '2025-04-05');
    // Asked again after the follow-up opened: twice, one of them by mistake.
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-09', deadline: '2025-04-16', what: '身份证复印件' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-09', deadline: '2025-04-16', what: '记错了的要求' }));
    const mistaken = detail(owner, id).materialRequests.find((m) => m.what === '记错了的要求')!;
    removeMaterialsRequest(owner, id, versionOf(id), mistaken.id);
    expect(caseRow(id).status).toBe('materials_requested');
    expect(requests(owner, id).sort()).toEqual(['收入证明', '身份证复印件'].sort());
    expect(rules(id)).toEqual([
      ['review:#', 'done'],
      ['materials:#', 'done'],
      ['materials-nudge:#', 'done'],
      ['review:#:requests:#', 'done'],
      ['materials:#', 'open'],
      ['materials-nudge:#', 'open'],
    ]);
    // The last one awaited removed too: the follow-up after the first materials is the chase again, not the first review's.
    const other = detail(owner, id).materialRequests.find((m) => m.what === '身份证复印件')!;
    removeMaterialsRequest(owner, id, versionOf(id), other.id);
    expect(caseRow(id).status).toBe('under_review');
    expect(rules(id)).toEqual([
      ['review:#', 'done'],
      ['materials:#', 'done'],
      ['materials-nudge:#', 'done'],
      ['review:#:requests:#', 'open'],
    ]);
  });

  it('the last one awaited removed after the others were sent: the review is chased from the last send, as a full send would have it', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const attemptId = submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-25', what: '收入证明' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-25', what: '记错了的要求' }));
    const [sent, mistaken] = ['收入证明', '记错了的要求'].map((what) => detail(owner, id).materialRequests.find((m) => m.what === what)!);
    sendMaterials(owner, id, versionOf(id), '2025-04-18', { requestIds: [sent!.id] });
    expect(caseRow(id).status).toBe('materials_requested');
    removeMaterialsRequest(owner, id, versionOf(id), mistaken!.id);
    expect(caseRow(id).status).toBe('under_review');
    // The first review (due 9 April) stays closed: five workdays from 18 April is 25 April.
    expect(reviewChases(id)).toEqual([
      { ruleKey: `review:${attemptId}`, status: 'done', dueOn: '2025-04-09' },
      { ruleKey: `review:${attemptId}:requests:${sent!.id}`, status: 'open', dueOn: '2025-04-25' },
    ]);
  });

  it('a partial send followed by a full one is answered by the full one\'s follow-up: a later request removed brings that back', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const attemptId = submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-25', what: '收入证明' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-25', what: '银行流水' }));
    const [first, second] = ['收入证明', '银行流水'].map((what) => detail(owner, id).materialRequests.find((m) => m.what === what)!);
    sendMaterials(owner, id, versionOf(id), '2025-04-10', { requestIds: [first!.id] });
    sendMaterials(owner, id, versionOf(id), '2025-04-14');
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-16', deadline: '2025-04-25', what: '记错了的要求' }));
    const mistaken = detail(owner, id).materialRequests.find((m) => m.what === '记错了的要求')!;
    removeMaterialsRequest(owner, id, versionOf(id), mistaken.id);
    expect(reviewChases(id)).toEqual([
      { ruleKey: `review:${attemptId}`, status: 'done', dueOn: '2025-04-09' },
      { ruleKey: `review:${attemptId}:requests:${second!.id}`, status: 'open', dueOn: '2025-04-21' },
    ]);
  });

  it('a review chase the person closed stays closed', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    getDb().$client.prepare(`update reminders set status = 'dismissed' where case_id = ? and kind like 'review%'`).run(id);
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    removeMaterialsRequest(owner, id, versionOf(id), detail(owner, id).materialRequests[0].id);
    expect(rules(id)).toEqual([['review:#', 'dismissed']]);
  });

  it('refuses a request answered, one overtaken by a decision, another case\'s, a stale version; changes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    const [request] = detail(owner, id).materialRequests;
    const other = makeCase(owner);
    let snapshot = snapshotCases([id, other]);
    expect(() => removeMaterialsRequest(owner, other, versionOf(other), request.id)).toThrow(NotFoundError);
    expect(() => removeMaterialsRequest(owner, id, versionOf(id) - 1, request.id)).toThrow(ConflictError);
    expect(() => removeMaterialsRequest(owner, id, versionOf(id), request.id + 1000)).toThrow(NotFoundError);
    expect(snapshotCases([id, other])).toEqual(snapshot);
    sendMaterials(owner, id, versionOf(id), '2025-04-07');
    snapshot = snapshotCases([id]);
    expect(() => removeMaterialsRequest(owner, id, versionOf(id), request.id)).toThrow('request_sent_stays');
    expect(snapshotCases([id])).toEqual(snapshot);
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-04-09', deadline: '2025-04-16' }));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-20' }));
    const overtaken = detail(owner, id).materialRequests.find((m) => m.closedOn)!;
    snapshot = snapshotCases([id]);
    expect(() => removeMaterialsRequest(owner, id, versionOf(id), overtaken.id)).toThrow('request_overtaken_stays');
    expect(snapshotCases([id])).toEqual(snapshot);
  });
});

describe('a promise the lender made after its decision (the decision recorded late)', () => {
  const promiseStatus = (contactId: number) =>
    (getDb().$client.prepare('select status from reminders where rule_key = ?').get(`promise:${contactId}`) as { status: string }).status;

  it('is not answered by the decision: its chase stays open, as when the decision was recorded first; undone, it stays open', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'under_review');
    // 11 April, 10:00 in Shanghai: the day after the rejection of 10 April.
    const after = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-11T02:00:00Z'), promise: '三个工作日内回电复核', promiseDue: '2025-04-16' }));
    // The evening before the decision's day, in Shanghai: during the review, answered by it.
    const during = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-09T15:30:00Z'), promise: '明天短信通知结果', promiseDue: '2025-04-10' }));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-10' }));
    expect([promiseStatus(after), promiseStatus(during)]).toEqual(['open', 'done']);
    undoDecision(owner, id, versionOf(id));
    expect([promiseStatus(after), promiseStatus(during)]).toEqual(['open', 'open']);

    const approved = makeCase(owner);
    advanceCase(owner, approved, 'under_review');
    const later = addContact(owner, approved, contactInput({ occurredAt: new Date('2025-04-10T02:00:00Z'), promise: '当天寄出协议', promiseDue: '2025-04-14' }));
    approveAttempt(owner, approved, versionOf(approved), approveInput({ decidedOn: '2025-04-10' }));
    expect(promiseStatus(later)).toBe('open');
  });

  it('after an escalation: the mediator’s decision answers only what was promised before it', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'escalated');
    const during = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-14T02:00:00Z'), promise: '调解员下周回复', promiseDue: '2025-04-21' }));
    const after = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-23T02:00:00Z'), promise: '再核实一次', promiseDue: '2025-04-28' }));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-22' }));
    expect([promiseStatus(during), promiseStatus(after)]).toEqual(['done', 'open']);
  });
});

describe('undoDecision: a decision recorded by mistake', () => {
  const rules = (id: number) =>
    (getDb().$client
      .prepare(`select rule_key as ruleKey, status from reminders where case_id = ? and rule_key is not null order by id`)
      .all(id) as { ruleKey: string; status: string }[]).map((r) => `${r.ruleKey.replace(/:\d+/g, ':#')} ${r.status}`);
  const counts = (id: number) =>
    getDb().$client.prepare('select (select count(*) from plans where case_id = ?) as plans, (select count(*) from instalments where case_id = ?) as instalments').get(id, id);

  it('an approval undone: the plan and its reminders go, the review and the promises made during it come back', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    // A promise made during the review ("结果三个工作日内短信通知"): the decision answers it.
    addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-02T02:00:00Z'), promise: '三个工作日内短信通知', promiseDue: '2025-04-07' }));
    approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-04-10', agreedPeriods: 2 }));
    expect(counts(id)).toEqual({ plans: 1, instalments: 2 });
    const version = versionOf(id);
    undoDecision(owner, id, version);
    expect(caseRow(id)).toMatchObject({ status: 'under_review', outcome: null, version: version + 1 });
    expect(counts(id)).toEqual({ plans: 0, instalments: 0 });
    expect(detail(owner, id).attempts[0]).toMatchObject({ decision: null, decidedOn: null, agreedPeriods: null, agreedMonthlyFen: null });
    const after = rules(id);
    expect(after).toContain('review:# open');
    expect(after).toContain('promise:# open');
    expect(after.filter((r) => r.startsWith('inst-') && r.endsWith(' open'))).toEqual([]);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'decision_undone', data: { round: 1, decision: 'approved' } });
    // The right decision, recorded now.
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-10' }));
    expect(caseRow(id).status).toBe('rejected');
  });

  it('a decision undone leaves closed the chase of a promise whose outcome was recorded; the one still awaited comes back', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    const kept = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-02T02:00:00Z'), promise: '明天回电', promiseDue: '2025-04-03' }));
    const awaited = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-03T02:00:00Z'), promise: '三个工作日内短信通知', promiseDue: '2025-04-08' }));
    recordPromiseOutcome(owner, id, versionOf(id), kept, { outcome: 'kept', on: '2025-04-03' });
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-10' }));
    undoDecision(owner, id, versionOf(id));
    const status = (contactId: number) =>
      (getDb().$client.prepare('select status from reminders where rule_key = ?').get(`promise:${contactId}`) as { status: string }).status;
    expect([status(kept), status(awaited)]).toEqual(['done', 'open']);
  });

  it('a decision undone chases a promise of the review recorded after it (never chased), as it does one recorded before', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    const inTime = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-02T02:00:00Z'), promise: '三个工作日内短信通知', promiseDue: '2025-04-07' }));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-10' }));
    // Calls of the review recorded after the decision: answered by it, nothing chased.
    const late = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-03T02:00:00Z'), promise: '周一前回电', promiseDue: '2025-04-07' }));
    const lateKept = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-04T02:00:00Z'), promise: '明天寄出材料清单', promiseDue: '2025-04-05' }));
    const lateUndated = addContact(owner, id, contactInput({ occurredAt: new Date('2025-04-08T02:00:00Z'), promise: '会尽快处理', promiseDue: null }));
    recordPromiseOutcome(owner, id, versionOf(id), lateKept, { outcome: 'kept', on: '2025-04-05' });
    const chaseOf = (contactId: number) =>
      getDb().$client.prepare('select status, due_on as dueOn, kind from reminders where rule_key = ?').get(`promise:${contactId}`) as
        | { status: string; dueOn: string; kind: string }
        | undefined;
    expect([chaseOf(late), chaseOf(lateKept), chaseOf(lateUndated)]).toEqual([undefined, undefined, undefined]);
    undoDecision(owner, id, versionOf(id));
    expect(caseRow(id).status).toBe('under_review');
    expect(chaseOf(inTime)).toMatchObject({ status: 'open', dueOn: '2025-04-07' });
    expect(chaseOf(late)).toEqual({ status: 'open', dueOn: '2025-04-07', kind: 'promise_chase' });
    // Kept already, or with no day to chase: nothing.
    expect([chaseOf(lateKept), chaseOf(lateUndated)]).toEqual([undefined, undefined]);
    // The decision recorded again answers it, as it does the one recorded in time.
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-10' }));
    expect([chaseOf(inTime)!.status, chaseOf(late)!.status]).toEqual(['done', 'done']);
  });

  it('a rejection undone and recorded again opens "decide the next step" again, for the new date', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'rejected');
    undoDecision(owner, id, versionOf(id));
    expect(rules(id)).toContain('next-step:# done');
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-16' }));
    expect(rules(id)).toContain('next-step:# open');
    const due = getDb().$client.prepare("select due_on from reminders where case_id = ? and kind = 'next_step'").pluck().get(id);
    expect(due).toBe('2025-04-18');
  });

  it('a rejection undone: "decide the next step" closes; after an escalation, back to the mediator', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'rejected');
    expect(rules(id)).toContain('next-step:# open');
    undoDecision(owner, id, versionOf(id));
    expect(caseRow(id).status).toBe('under_review');
    expect(rules(id)).toContain('next-step:# done');
    expect(rules(id)).toContain('review:# open');
    expect(detail(owner, id).attempts[0]).toMatchObject({ decision: null, rejectionReason: null, rejectionText: null });

    const mediated = makeCase(owner);
    advanceCase(owner, mediated, 'escalated');
    rejectAttempt(owner, mediated, versionOf(mediated), rejectInput({ decidedOn: '2025-04-20' }));
    undoDecision(owner, mediated, versionOf(mediated));
    expect(caseRow(mediated).status).toBe('escalated');
  });

  it('a decision that overtook a request for materials, undone: the request is awaited again, with its reminders; the review stays closed', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    clockAt('2025-04-03'); // recorded when the lender asked: its nudge is made
    advanceCase(owner, id, 'materials_requested');
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-10' }));
    expect(rules(id)).toEqual(expect.arrayContaining(['materials:# done', 'materials-nudge:# done', 'next-step:# open']));
    undoDecision(owner, id, versionOf(id));
    expect(caseRow(id).status).toBe('materials_requested');
    expect(detail(owner, id).materialRequests.map((m) => [m.sentOn, m.closedOn])).toEqual([[null, null]]);
    const after = rules(id);
    expect(after).toEqual(expect.arrayContaining(['materials:# open', 'materials-nudge:# open', 'next-step:# done']));
    expect(after.filter((r) => r.startsWith('review:') && r.endsWith(' open'))).toEqual([]);
    // Then sent, as it really was: the review starts again.
    sendMaterials(owner, id, versionOf(id), '2025-04-07');
    expect(caseRow(id).status).toBe('under_review');
  });

  it('a decision that overtook a request, undone after the nudge\'s day: the deadline is awaited again, the past nudge stays closed', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    clockAt('2025-04-03');
    advanceCase(owner, id, 'materials_requested');
    const nudgeDay = getDb().$client.prepare(`select due_on from reminders where case_id = ? and kind = 'materials_nudge'`).pluck().get(id) as string;
    const deadline = getDb().$client.prepare(`select due_on from reminders where case_id = ? and kind = 'materials_deadline'`).pluck().get(id) as string;
    expect(nudgeDay < deadline).toBe(true);
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: '2025-04-04' }));
    clockAt(deadline); // the nudge's day has passed; the deadline is today
    undoDecision(owner, id, versionOf(id));
    expect(rules(id)).toEqual(expect.arrayContaining(['materials:# open', 'materials-nudge:# done']));
  });

  it('refuses once something followed the decision, without one, and on a stale version; changes nothing', () => {
    const owner = makeBorrower();
    const repaying = makeCase(owner);
    advanceCase(owner, repaying, 'approved');
    const first = detail(owner, repaying).instalments[0]!;
    markInstalmentPaid(owner, repaying, versionOf(repaying), first.id, { paidOn: '2025-05-31', paid: first.amountFen });
    const snapshot = snapshotCases([repaying]);
    expect(() => undoDecision(owner, repaying, versionOf(repaying))).toThrow('plan_has_payments');
    expect(snapshotCases([repaying])).toEqual(snapshot);

    const reapplied = makeCase(owner);
    advanceCase(owner, reapplied, 'rejected');
    submitAttempt(owner, reapplied, versionOf(reapplied), submitInput({ submittedOn: '2025-04-12' }));
    expect(() => undoDecision(owner, reapplied, versionOf(reapplied))).toThrow('no_decision');
    const fresh = makeCase(owner);
    expect(() => undoDecision(owner, fresh, versionOf(fresh))).toThrow('no_decision');
    const rejected = makeCase(owner);
    advanceCase(owner, rejected, 'rejected');
    expect(() => undoDecision(owner, rejected, versionOf(rejected) - 1)).toThrow(ConflictError);
    expect(caseRow(rejected).status).toBe('rejected');
  });
});
