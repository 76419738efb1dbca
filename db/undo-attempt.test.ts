import { describe, expect, it } from 'vitest';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import {
  advanceCase,
  caseRow,
  escalateInput,
  makeAdvisor,
  makeBorrower,
  makeCase,
  snapshotCases,
  submitInput,
  versionOf,
} from '@/tests/factories';
import { thrown } from '@/tests/thrown';
import { escalateCase, removeMaterialsRequest, sendMaterials, submitAttempt, undoAttempt, undoDecision, voidPlan } from './attempts';
import { getCaseDetail } from './cases';
import { getDb } from './client';
import { addDocument, setDocumentStatus } from './documents';
import { setReminderStatus } from './reminders';
import { acceptInvite, createInvite } from './shares';
import type { Viewer } from './viewer-type';

/** undoAttempt (db/attempts.ts): an application round recorded by mistake, taken back while unanswered. */

function remindersOf(caseId: number) {
  return getDb()
    .$client.prepare(`select id, rule_key as ruleKey, kind, status, auto_closed as autoClosed, due_on as dueOn from reminders where case_id = ? order by id`)
    .all(caseId) as { id: number; ruleKey: string | null; kind: string; status: string; autoClosed: number; dueOn: string }[];
}

/** Everything of the case a refused undo must leave exactly as it was. */
const stateOf = (caseId: number) => ({ rows: snapshotCases([caseId]), reminders: getDb().$client.prepare('select * from reminders where case_id = ? order by id').all(caseId) });

const lastEvent = (owner: Viewer, caseId: number) => getCaseDetail(owner, caseId).events.at(-1)!;

/** A document of the case, made ready to send. */
function readyDocument(owner: Viewer, caseId: number, kind: 'income_proof' | 'bank_statement' = 'income_proof'): number {
  const id = addDocument(owner, caseId, { kind, note: '' });
  setDocumentStatus(owner, caseId, id, 'ready');
  return id;
}

const documentsOf = (owner: Viewer, caseId: number) => getCaseDetail(owner, caseId).documents.map((d) => ({ id: d.id, status: d.status, attemptId: d.attemptId }));

describe('undoAttempt: an application round recorded by mistake', () => {
  it('a first application: the case is back to preparing, its documents ready, its review reminder gone', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const doc = readyDocument(owner, id);
    const before = { documents: documentsOf(owner, id), reminders: remindersOf(id) };
    submitAttempt(owner, id, versionOf(id), submitInput());
    const attemptId = getCaseDetail(owner, id).attempts[0]!.id;
    expect(documentsOf(owner, id)).toEqual([{ id: doc, status: 'submitted', attemptId }]);
    expect(remindersOf(id).map((r) => r.ruleKey)).toContain(`review:${attemptId}`);

    const version = versionOf(id);
    expect(undoAttempt(owner, id, version)).toBe('preparing');
    expect(caseRow(id)).toMatchObject({ status: 'preparing', outcome: null, version: version + 1 });
    const detail = getCaseDetail(owner, id);
    expect(detail.attempts).toEqual([]);
    expect(detail.documents.map((d) => ({ id: d.id, status: d.status, attemptId: d.attemptId }))).toEqual(before.documents);
    expect(remindersOf(id)).toEqual(before.reminders);
    // The timeline keeps the application and says it was undone.
    expect(detail.events.map((e) => e.kind).slice(-2)).toEqual(['attempt_submitted', 'attempt_undone']);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_undone', data: { round: 1, program: 'instalments', to: 'preparing', documentsReady: 1 } });

    // Applied again, properly: round 1 again, and its documents go with it.
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-03' }));
    const again = getCaseDetail(owner, id);
    expect(again.attempts.map((a) => [a.round, a.submittedOn])).toEqual([[1, '2025-04-03']]);
    expect(again.documents[0]).toMatchObject({ status: 'submitted', attemptId: again.attempts[0]!.id });
  });

  it('a new round after a rejection: back to rejected, the rejection\'s "decide the next step" open again as it was', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'rejected');
    const first = getCaseDetail(owner, id).attempts[0]!;
    const nextStep = () => remindersOf(id).find((r) => r.ruleKey === `next-step:${first.id}`)!;
    expect(nextStep()).toMatchObject({ status: 'open' });
    const before = remindersOf(id);
    const doc = readyDocument(owner, id, 'bank_statement');

    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-15', program: 'suspension' }));
    expect(nextStep()).toMatchObject({ status: 'done', autoClosed: 1 });
    expect(undoAttempt(owner, id, versionOf(id))).toBe('rejected');

    expect(caseRow(id)).toMatchObject({ status: 'rejected', outcome: null });
    const detail = getCaseDetail(owner, id);
    // Round 1 and its rejection stand as they were.
    expect(detail.attempts).toEqual([first]);
    expect(remindersOf(id)).toEqual(before);
    expect(detail.documents.find((d) => d.id === doc)).toMatchObject({ status: 'ready', attemptId: null });
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_undone', data: { round: 2, program: 'suspension', to: 'rejected' } });
  });

  it('an escalation: back to rejected, its follow-up gone', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'rejected');
    const before = remindersOf(id);
    escalateCase(owner, id, versionOf(id), escalateInput({ route: 'complaint' }));
    expect(caseRow(id).status).toBe('escalated');
    expect(undoAttempt(owner, id, versionOf(id))).toBe('rejected');
    expect(caseRow(id).status).toBe('rejected');
    expect(getCaseDetail(owner, id).attempts.map((a) => a.round)).toEqual([1]);
    expect(remindersOf(id)).toEqual(before);
    expect(lastEvent(owner, id)).toMatchObject({ kind: 'attempt_undone', data: { round: 2, program: 'complaint', to: 'rejected' } });
    // The way on is open again: a new round.
    escalateCase(owner, id, versionOf(id), escalateInput());
    expect(getCaseDetail(owner, id).attempts.map((a) => [a.round, a.program])).toEqual([
      [1, 'instalments'],
      [2, 'mediation'],
    ]);
  });

  it('a new round after the lender cancelled its plan: back to deciding the next step', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'approved');
    voidPlan(owner, id, versionOf(id), { voidedOn: '2025-07-20', note: '逾期一期，协议作废' });
    const before = remindersOf(id);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-07-25' }));
    undoAttempt(owner, id, versionOf(id));
    expect(caseRow(id).status).toBe('rejected');
    expect(remindersOf(id)).toEqual(before);
    expect(getCaseDetail(owner, id).plan).toMatchObject({ voidedOn: '2025-07-20' });
  });

  it('a "decide the next step" done by hand before the new round stays done; a document the lender judged keeps its status', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'rejected');
    const nextStep = remindersOf(id).find((r) => r.kind === 'next_step')!;
    setReminderStatus(owner, nextStep.id, 'done');
    const judged = readyDocument(owner, id);
    const sent = readyDocument(owner, id, 'bank_statement');
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-15' }));
    setDocumentStatus(owner, id, judged, 'accepted');
    undoAttempt(owner, id, versionOf(id));
    expect(remindersOf(id).find((r) => r.id === nextStep.id)).toMatchObject({ status: 'done', autoClosed: 0 });
    expect(documentsOf(owner, id).filter((d) => d.id === judged || d.id === sent)).toEqual([
      { id: judged, status: 'accepted', attemptId: null },
      { id: sent, status: 'ready', attemptId: null },
    ]);
    expect(lastEvent(owner, id).data).toMatchObject({ documentsReady: 1 });
  });

  it('after a request for materials recorded by mistake and removed, the round can be undone', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'materials_requested');
    removeMaterialsRequest(owner, id, versionOf(id), getCaseDetail(owner, id).materialRequests[0]!.id);
    undoAttempt(owner, id, versionOf(id));
    expect(caseRow(id).status).toBe('preparing');
    expect(remindersOf(id).filter((r) => r.ruleKey !== null && !r.ruleKey.startsWith('stale:'))).toEqual([]);
  });
});

describe('undoAttempt refuses, and changes nothing', () => {
  function refused(owner: Viewer, id: number, version: number, code: string) {
    const before = stateOf(id);
    const e = thrown(() => undoAttempt(owner, id, version));
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    expect(stateOf(id)).toEqual(before);
  }

  it('no round waiting for an answer: preparing, decided, or closed', () => {
    const owner = makeBorrower();
    const preparing = makeCase(owner);
    refused(owner, preparing, versionOf(preparing), 'attempt_not_undoable');
    for (const stage of ['approved', 'rejected'] as const) {
      const id = makeCase(owner);
      advanceCase(owner, id, stage);
      refused(owner, id, versionOf(id), 'attempt_not_undoable');
    }
    // A decision undone: the round waits again, and may then be undone.
    const undone = makeCase(owner);
    advanceCase(owner, undone, 'rejected');
    undoDecision(owner, undone, versionOf(undone));
    undoAttempt(owner, undone, versionOf(undone));
    expect(caseRow(undone).status).toBe('preparing');
  });

  it('a round the lender asked materials for: awaited, or sent and back under review', () => {
    const owner = makeBorrower();
    const awaited = makeCase(owner);
    advanceCase(owner, awaited, 'materials_requested');
    refused(owner, awaited, versionOf(awaited), 'attempt_not_undoable');
    const answered = makeCase(owner);
    advanceCase(owner, answered, 'materials_requested');
    sendMaterials(owner, answered, versionOf(answered), '2025-04-05');
    expect(caseRow(answered).status).toBe('under_review');
    refused(owner, answered, versionOf(answered), 'attempt_has_materials');
  });

  it('a round decided by hand in the rows (no status change): still refused', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'under_review');
    getDb().$client.prepare(`update attempts set decided_on = '2025-04-09' where case_id = ?`).run(id);
    refused(owner, id, versionOf(id), 'attempt_not_undoable');
  });

  it('a stale version: ConflictError', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'under_review');
    const before = stateOf(id);
    expect(() => undoAttempt(owner, id, versionOf(id) - 1)).toThrow(ConflictError);
    expect(stateOf(id)).toEqual(before);
  });

  it("the owner's advisor may read the case but not undo: ForbiddenError; anyone else: NotFoundError", () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    advanceCase(owner, id, 'rejected');
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-15' }));
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(owner, '法律援助').code);
    getCaseDetail(advisor, id);
    const before = stateOf(id);
    expect((thrown(() => undoAttempt(advisor, id, versionOf(id))) as Error).constructor).toBe(ForbiddenError);
    for (const outsider of [makeBorrower(), makeAdvisor()]) {
      expect((thrown(() => undoAttempt(outsider, id, versionOf(id))) as Error).constructor).toBe(NotFoundError);
    }
    expect(stateOf(id)).toEqual(before);
    expect(caseRow(id).status).toBe('under_review');
  });
});
