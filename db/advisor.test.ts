import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { planAtRisk } from '@/lib/case-status';
import type { RejectionReason } from '@/lib/domain';
import { ForbiddenError } from '@/lib/errors';
import { workdaysBetween } from '@/lib/workdays';
import { attentionSortKey } from '@/lib/attention';
import {
  approveInput,
  caseRow,
  escalateInput,
  makeAdmin,
  makeAdvisor,
  makeBorrower,
  makeCase,
  materialsInput,
  rejectInput,
  submitInput,
  versionOf,
  contactInput,
} from '@/tests/factories';
import {
  advisorCharts,
  advisorFigures,
  attentionItems,
  exportAdvisorCases,
  forgetKeptDashboards,
  listAdvisorCases,
  listAdvisorClients,
  listAdvisorLenders,
  ADVISOR_SORTS,
  type AdvisorCaseQuery,
} from './advisor';
import { approveAttempt, escalateCase, rejectAttempt, requestMaterials, sendMaterials, submitAttempt, withdrawCase } from './attempts';
import { listCasesForBorrower, setCaseArchived } from './cases';
import { getDb } from './client';
import { addContact } from './contacts';
import { markInstalmentPaid } from './plans';
import { createReminder, setReminderStatus, snoozeReminder } from './reminders';
import { accessLog, cases, instalments, lenders, shares } from './schema';
import { acceptInvite, createInvite, revokeShare } from './shares';
import type { Viewer } from './viewer-type';

/**
 * The advisor's dashboard against a fixture with answers worked out by hand.
 *
 * "Today" is Thursday 19 June 2025 in Shanghai (the clock is frozen there). 2025 calendar facts
 * used: Qingming 4–6 Apr off; Labour Day 1–5 May off; Dragon Boat 31 May – 2 Jun off; no make-up
 * workdays in the ranges below.
 *   materials cutoff = 2 workdays after 19 Jun = Mon 23 Jun
 *   stale: last activity on or before 5 Jun (19 Jun − 14)
 *   review cutoffs: 5 workdays before today = 12 Jun; 10 → 5 Jun; 3 → 16 Jun
 *
 * Advisor A has three clients (王芳, 李强, 赵敏); a fourth (刘洋) revoked A's share; advisor B has
 * two clients (陈静, 杨磊); 黄丽 shared with nobody; 吴杰's invitation to A was never accepted.
 * Everyone but A's three clients has cases that would change every figure if they leaked.
 */
const NOW = new Date('2025-06-19T02:00:00Z');
const TODAY = '2025-06-19';

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterAll(() => {
  vi.useRealTimers();
});

// --- fixture helpers -------------------------------------------------------------------------

function makeLender(name: string, reviewWorkdays: number): number {
  return getDb()
    .insert(lenders)
    .values({ name, kind: 'bank', reviewWorkdays })
    .returning({ id: lenders.id })
    .get().id;
}

function share(borrower: Viewer, advisor: Viewer): number {
  const { shareId, code } = createInvite(borrower, advisor.displayName);
  acceptInvite(advisor, code);
  return shareId;
}

type Amount = { principal: number; interest?: number; penalty?: number };

function newCase(owner: Viewer, lenderId: number, amount: Amount, product = '信用卡'): number {
  return makeCase(owner, { lenderId, product, principal: amount.principal, interest: amount.interest ?? 0, penalty: amount.penalty ?? 0 });
}

const submit = (owner: Viewer, id: number, submittedOn: string) => submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn }));
const reject = (owner: Viewer, id: number, decidedOn: string, rejectionReason: RejectionReason) =>
  rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn, rejectionReason }));
const approve = (owner: Viewer, id: number, decidedOn: string, firstDue: string, periods: number) =>
  approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn, agreedFirstPaymentOn: firstDue, agreedPeriods: periods, agreedMonthly: 100_000 }));

/** Sets when the case last moved (Shanghai wall-clock time), after everything else was recorded. */
function setLastActivity(caseId: number, shanghai: string) {
  getDb()
    .update(cases)
    .set({ updatedAt: new Date(`${shanghai}+08:00`) })
    .where(eq(cases.id, caseId))
    .run();
}

function instalmentsOf(caseId: number) {
  return getDb().select().from(instalments).where(eq(instalments.caseId, caseId)).orderBy(asc(instalments.seq)).all();
}

// --- the fixture -----------------------------------------------------------------------------

const f = {} as {
  A: Viewer;
  B: Viewer;
  c1: Viewer;
  c2: Viewer;
  c3: Viewer;
  revoked: Viewer;
  b1: Viewer;
  b2: Viewer;
  unshared: Viewer;
  invitedOnly: Viewer;
  L1: number;
  L2: number;
  L3: number;
  k: Record<'K1' | 'K2' | 'K3' | 'K4' | 'K5' | 'K6' | 'K7' | 'K8' | 'K9' | 'K10', number>;
  outsiderCases: number[];
  outsiderNames: string[];
};

/** Everything that would make a figure wrong if anyone else's data leaked into it. */
function busyOutsider(owner: Viewer) {
  const ids: number[] = [];
  // Under review since long ago (past every lender's review time), with an overdue reminder.
  const a = newCase(owner, f.L1, { principal: 9_000_000 });
  submit(owner, a, '2025-05-06');
  createReminder(owner, a, { title: '外人的提醒', dueOn: '2025-06-02', dueTime: null, note: '' });
  ids.push(a);
  // Materials due tomorrow.
  const b = newCase(owner, f.L2, { principal: 8_000_000 });
  submit(owner, b, '2025-06-09');
  requestMaterials(owner, b, versionOf(b), materialsInput({ requestedOn: '2025-06-16', deadline: '2025-06-20' }));
  ids.push(b);
  // Approved this month, first instalment already missed.
  const c = newCase(owner, f.L3, { principal: 7_000_000 });
  submit(owner, c, '2025-06-03');
  approve(owner, c, '2025-06-05', '2025-06-10', 3);
  ids.push(c);
  // Rejected, and stale.
  const d = newCase(owner, f.L2, { principal: 6_000_000 });
  submit(owner, d, '2025-04-01');
  reject(owner, d, '2025-04-03', 'credit_history');
  setLastActivity(d, '2025-05-01T10:00:00');
  ids.push(d);
  return ids;
}

beforeAll(() => {
  f.L1 = makeLender('甲银行（测试）', 5);
  f.L2 = makeLender('乙消费金融（测试）', 10);
  f.L3 = makeLender('丙平台（测试）', 3);

  f.A = makeAdvisor({ displayName: '顾问甲' });
  f.B = makeAdvisor({ displayName: '顾问乙' });
  f.c1 = makeBorrower({ displayName: '王芳' });
  f.c2 = makeBorrower({ displayName: '李强' });
  f.c3 = makeBorrower({ displayName: '赵敏' });
  f.revoked = makeBorrower({ displayName: '刘洋' });
  f.b1 = makeBorrower({ displayName: '陈静' });
  f.b2 = makeBorrower({ displayName: '杨磊' });
  f.unshared = makeBorrower({ displayName: '黄丽' });
  f.invitedOnly = makeBorrower({ displayName: '吴杰' });

  share(f.c1, f.A);
  share(f.c2, f.A);
  share(f.c3, f.A);
  revokeShare(f.revoked, share(f.revoked, f.A));
  share(f.b1, f.B);
  share(f.b2, f.B);
  // An invitation that names A but was never accepted: not a client.
  getDb()
    .insert(shares)
    .values({ borrowerId: f.invitedOnly.id, advisorId: f.A.id, status: 'invited', inviteCodeHash: `test-${Math.random()}`, inviteExpiresAt: new Date(NOW.getTime() + 86_400_000), consentAt: NOW })
    .run();

  const { c1, c2, c3 } = f;
  const k = {} as typeof f.k;

  // 王芳
  k.K1 = newCase(c1, f.L1, { principal: 1_000_000, interest: 50_000, penalty: 10_000 }, '信用卡');
  submit(c1, k.K1, '2025-06-03'); // 5 workdays → expected by 10 Jun: past due
  createReminder(f.A, k.K1, { title: '顾问：请补充收入证明', dueOn: '2025-06-10', dueTime: null, note: '' });
  createReminder(c1, k.K1, { title: '打客服电话', dueOn: '2025-06-12', dueTime: null, note: '' });
  createReminder(c1, k.K1, { title: '以后再说', dueOn: '2025-06-25', dueTime: null, note: '' }); // not yet due
  const done = createReminder(c1, k.K1, { title: '已完成', dueOn: '2025-06-01', dueTime: null, note: '' });
  setReminderStatus(c1, done, 'done');
  const snoozed = createReminder(c1, k.K1, { title: '推迟了', dueOn: '2025-06-05', dueTime: null, note: '' });
  snoozeReminder(c1, snoozed, '2025-06-25');

  k.K2 = newCase(c1, f.L2, { principal: 2_000_000 }, '分期贷');
  submit(c1, k.K2, '2025-03-03');
  approve(c1, k.K2, '2025-03-17', '2025-05-15', 3); // 10 workdays; due 15 May, 15 Jun, 15 Jul
  const [first] = instalmentsOf(k.K2);
  markInstalmentPaid(c1, k.K2, versionOf(k.K2), first.id, { paidOn: '2025-05-15', paid: 100_000 }); // → repaying; 15 Jun missed

  k.K3 = newCase(c1, f.L3, { principal: 300_000 }, '月付');

  // 李强
  k.K4 = newCase(c2, f.L1, { principal: 500_000, interest: 20_000, penalty: 5_000 }, '快贷');
  submit(c2, k.K4, '2025-06-09');
  requestMaterials(c2, k.K4, versionOf(k.K4), materialsInput({ requestedOn: '2025-06-16', deadline: '2025-06-20' }));

  k.K5 = newCase(c2, f.L1, { principal: 800_000 }, '信用卡分期');
  submit(c2, k.K5, '2025-06-04');
  approve(c2, k.K5, '2025-06-11', '2025-07-10', 2); // 5 workdays; approved this month

  k.K6 = newCase(c2, f.L2, { principal: 600_000, interest: 30_000 }, '消费贷');
  submit(c2, k.K6, '2025-04-01');
  reject(c2, k.K6, '2025-04-15', 'insufficient_proof'); // 9 workdays; "next step" reminder due 17 Apr
  addContact(c2, k.K6, contactInput({ occurredAt: new Date('2025-06-18T02:00:00Z'), promise: '下周回电', promiseDue: '2025-06-25' }));

  // 赵敏
  k.K7 = newCase(c3, f.L3, { principal: 700_000, penalty: 7_000 }, '借条');
  submit(c3, k.K7, '2025-05-06');
  reject(c3, k.K7, '2025-05-09', 'partial_payment_first'); // 3 workdays
  escalateCase(c3, k.K7, versionOf(k.K7), escalateInput({ submittedOn: '2025-06-16' })); // mediation: 15 workdays → 7 Jul, not the lender's 3

  k.K8 = newCase(c3, f.L1, { principal: 100_000 }, '信用卡');
  submit(c3, k.K8, '2025-05-12');
  reject(c3, k.K8, '2025-05-20', 'capacity_insufficient'); // 6 workdays
  withdrawCase(c3, k.K8, versionOf(k.K8), '');
  setCaseArchived(c3, k.K8, versionOf(k.K8), true);

  k.K9 = newCase(c3, f.L2, { principal: 400_000, interest: 40_000, penalty: 4_000 }, '现金贷');
  submit(c3, k.K9, '2025-04-07');
  reject(c3, k.K9, '2025-04-10', 'insufficient_proof'); // 3 workdays
  submit(c3, k.K9, '2025-05-19');
  requestMaterials(c3, k.K9, versionOf(k.K9), materialsInput({ requestedOn: '2025-05-21', deadline: '2025-05-26' }));
  sendMaterials(c3, k.K9, versionOf(k.K9), '2025-06-09'); // the review clock restarts: 10 workdays from 9 Jun

  k.K10 = newCase(c3, f.L1, { principal: 999_900 }, '旧案');
  setCaseArchived(c3, k.K10, versionOf(k.K10), true);

  // Last activity, set after everything else: K3 on the last stale day, K6 on the first fresh one.
  setLastActivity(k.K3, '2025-06-05T23:59:00');
  setLastActivity(k.K6, '2025-06-06T00:00:00');
  setLastActivity(k.K10, '2025-01-01T09:00:00');
  f.k = k;

  f.outsiderCases = [f.revoked, f.b1, f.b2, f.unshared, f.invitedOnly].flatMap(busyOutsider);
  f.outsiderNames = [f.revoked, f.b1, f.b2, f.unshared, f.invitedOnly].map((v) => v.displayName);
});

const table = (query: AdvisorCaseQuery = {}) => listAdvisorCases(f.A, query, TODAY);
const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

// --- the tests -------------------------------------------------------------------------------

describe('the fixture itself', () => {
  it('uses the workday counts the expectations are built on', () => {
    expect(workdaysBetween('2025-03-03', '2025-03-17')).toBe(10);
    expect(workdaysBetween('2025-06-04', '2025-06-11')).toBe(5);
    expect(workdaysBetween('2025-04-01', '2025-04-15')).toBe(9);
    expect(workdaysBetween('2025-05-06', '2025-05-09')).toBe(3);
    expect(workdaysBetween('2025-05-12', '2025-05-20')).toBe(6);
    expect(workdaysBetween('2025-04-07', '2025-04-10')).toBe(3);
  });
});

describe('advisorFigures', () => {
  it('counts only the active clients and their open cases', () => {
    expect(advisorFigures(f.A, TODAY)).toEqual({
      clients: 3,
      // K1–K7 and K9: K8 is closed (and archived), K10 archived.
      openCases: 8,
      // Open and not under a plan: K1 1,060,000 + K3 300,000 + K4 525,000 + K6 630,000 + K7 707,000 + K9 444,000.
      overdueUnderNegotiationFen: 3_666_000,
      underNegotiationNotGiven: 0,
      // K5 on 11 Jun; K2 was approved in March.
      approvedThisMonth: 1,
    });
  });

  it('gives advisor B only B’s own clients', () => {
    const b = advisorFigures(f.B, TODAY);
    expect(b.clients).toBe(2);
    expect(b.openCases).toBe(8); // four each
    expect(b.approvedThisMonth).toBe(2);
    expect(b.overdueUnderNegotiationFen).toBe(2 * (9_000_000 + 8_000_000 + 6_000_000));
  });

  it('counts approvals by the Shanghai month of `today`', () => {
    expect(advisorFigures(f.A, '2025-03-31').approvedThisMonth).toBe(1); // K2, 17 Mar
    expect(advisorFigures(f.A, '2025-07-01').approvedThisMonth).toBe(0);
  });
});

describe('attentionItems', () => {
  it('lists each problem once per case, most urgent first', () => {
    const { k, c1, c2 } = f;
    const all = attentionItems(f.A, TODAY);
    // Each line carries its case's account digits.
    for (const i of all) expect(i.accountRef).toBe(caseRow(i.caseId).accountRef);
    const items = all.map(({ sortKey: _s, accountRef: _a, ...i }) => i);
    expect(items).toEqual([
      { kind: 'missed_instalment', caseId: k.K2, clientId: c1.id, clientName: '王芳', lenderName: '乙消费金融（测试）', date: '2025-06-15', count: 1 },
      { kind: 'materials_deadline', caseId: k.K4, clientId: c2.id, clientName: '李强', lenderName: '甲银行（测试）', date: '2025-06-20', count: 1 },
      // The advisor's (10 Jun) and the borrower's (12 Jun); not the done, snoozed or future ones,
      // nor the review follow-up, which is the next line.
      { kind: 'overdue_reminders', caseId: k.K1, clientId: c1.id, clientName: '王芳', lenderName: '甲银行（测试）', date: '2025-06-10', count: 2 },
      { kind: 'review_overdue', caseId: k.K1, clientId: c1.id, clientName: '王芳', lenderName: '甲银行（测试）', date: '2025-06-10', count: 1 },
      { kind: 'stale_case', caseId: k.K3, clientId: c1.id, clientName: '王芳', lenderName: '丙平台（测试）', date: '2025-06-05', count: 1 },
      // The rejection's "decide the next step" of 17 Apr: more than FRESH_DAYS old, after every fresh line.
      { kind: 'overdue_reminders', caseId: k.K6, clientId: c2.id, clientName: '李强', lenderName: '乙消费金融（测试）', date: '2025-04-17', count: 1 },
    ]);
  });

  it('puts what can still be saved first: fresh lines by urgency, each kind nearest today first, then the old ones', () => {
    const order = (items: { kind: string; date: string }[]) => items.map((i) => `${i.kind} ${i.date}`);
    // Sort keys as attentionItems makes them, for lines the fixture lacks.
    const lines = [
      { kind: 'missed_instalment', date: '2024-12-10' }, // a plan missed six months ago
      { kind: 'stale_case', date: '2025-06-01' },
      { kind: 'materials_deadline', date: '2025-06-20' }, // tomorrow
      { kind: 'missed_instalment', date: '2025-05-25' },
      { kind: 'missed_instalment', date: '2025-06-16' }, // three days ago
      { kind: 'materials_deadline', date: '2025-05-01' }, // long gone
    ] as const;
    const keyed = lines.map((l, i) => ({ ...l, key: attentionSortKey(l.kind, l.date, i + 1, TODAY) }));
    expect(order([...keyed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)))).toEqual([
      'missed_instalment 2025-06-16',
      'missed_instalment 2025-05-25',
      'materials_deadline 2025-06-20',
      'stale_case 2025-06-01',
      'missed_instalment 2024-12-10',
      'materials_deadline 2025-05-01',
    ]);
  });

  it('is ordered by its sort keys', () => {
    const keys = attentionItems(f.A, TODAY).map((i) => i.sortKey);
    expect(keys).toEqual([...keys].sort());
  });

  it('moves with the clock: a day later K6 is due too; K7’s mediation once 15 workdays have passed, not the lender’s 3', () => {
    const kinds = attentionItems(f.A, '2025-06-20').map((i) => `${i.kind}:${i.caseId}`);
    // 20 Jun: K6's last activity (6 Jun) is 14 days old. K7's mediation began on 16 Jun: the lender's 3 workdays
    // ended on 19 Jun, but a mediator is not the lender's review.
    expect(kinds).toContain(`stale_case:${f.k.K6}`);
    expect(kinds).not.toContain(`review_overdue:${f.k.K7}`);
    const mediation = (today: string) => attentionItems(f.A, today).find((i) => i.kind === 'review_overdue' && i.caseId === f.k.K7);
    expect(mediation('2025-07-07')).toBeUndefined();
    expect(mediation('2025-07-08')).toMatchObject({ date: '2025-07-07', escalated: true });
    // A lender's own review late is not a mediation.
    expect(attentionItems(f.A, TODAY).filter((i) => i.kind === 'review_overdue' && i.caseId !== f.k.K7).every((i) => !i.escalated)).toBe(true);
    // K9's review restarted on 9 Jun when materials were sent: 10 workdays end on 23 Jun.
    expect(kinds).not.toContain(`review_overdue:${f.k.K9}`);
    expect(attentionItems(f.A, '2025-06-24').map((i) => `${i.kind}:${i.caseId}`)).toContain(`review_overdue:${f.k.K9}`);
  });

  it('shows advisor B nothing of A’s clients, and A nothing of anyone else', () => {
    const mine = new Set(Object.values(f.k));
    expect(attentionItems(f.A, TODAY).every((i) => mine.has(i.caseId))).toBe(true);
    const theirs = attentionItems(f.B, TODAY);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.some((i) => mine.has(i.caseId))).toBe(false);
    expect(new Set(theirs.map((i) => i.clientName))).toEqual(new Set(['陈静', '杨磊']));
  });
});

describe('advisorCharts', () => {
  it('counts cases by status, in the status machine’s order, without archived cases', () => {
    expect(advisorCharts(f.A, TODAY).byStatus).toEqual([
      { status: 'preparing', count: 1 },
      { status: 'under_review', count: 2 },
      { status: 'materials_requested', count: 1 },
      { status: 'approved', count: 1 },
      { status: 'rejected', count: 1 },
      { status: 'escalated', count: 1 },
      { status: 'repaying', count: 1 },
      { status: 'closed', count: 0 },
    ]);
  });

  it('gives approval rates and median review workdays per lender, archived decisions included', () => {
    expect(advisorCharts(f.A, TODAY).lenders).toEqual([
      // K2 approved (10), K6 rejected (9), K9 round 1 rejected (3).
      { lenderId: f.L2, lenderName: '乙消费金融（测试）', decided: 3, approved: 1, approvalRate: 1 / 3, medianReviewWorkdays: 9 },
      // K5 approved (5), K8 rejected (6; the case is archived).
      { lenderId: f.L1, lenderName: '甲银行（测试）', decided: 2, approved: 1, approvalRate: 0.5, medianReviewWorkdays: 5.5 },
      // K7 round 1 rejected (3); its mediation is undecided.
      { lenderId: f.L3, lenderName: '丙平台（测试）', decided: 1, approved: 0, approvalRate: 0, medianReviewWorkdays: 3 },
    ]);
  });

  it('counts rejection reasons', () => {
    expect(advisorCharts(f.A, TODAY).rejectionReasons).toEqual([
      { reason: 'insufficient_proof', count: 2 },
      { reason: 'capacity_insufficient', count: 1 },
      { reason: 'partial_payment_first', count: 1 },
    ]);
  });

  it('gives advisor B B’s clients’ numbers only', () => {
    const b = advisorCharts(f.B, TODAY);
    expect(b.byStatus.reduce((n, s) => n + s.count, 0)).toBe(8);
    expect(b.rejectionReasons).toEqual([{ reason: 'credit_history', count: 2 }]);
    // Two lenders with two decisions each (their order between them is by name).
    expect(b.lenders.map((l) => [l.lenderId, l.decided, l.approved, l.approvalRate]).sort((x, y) => x[0] - y[0])).toEqual(
      [
        [f.L2, 2, 0, 0],
        [f.L3, 2, 2, 1],
      ].sort((x, y) => x[0] - y[0]),
    );
  });
});

describe('advisorCharts: the lenders\' own reviews', () => {
  it('leaves an outcome of mediation out of the lender\'s approval rate and review time, not out of the reasons or the month\'s approvals', () => {
    const advisor = makeAdvisor();
    const client = makeBorrower({ displayName: '吴九' });
    share(client, advisor);
    const id = newCase(client, f.L3, { principal: 300_000 });
    submit(client, id, '2025-06-02');
    reject(client, id, '2025-06-04', 'capacity_insufficient');
    escalateCase(client, id, versionOf(id), escalateInput({ route: 'mediation', submittedOn: '2025-06-05' }));
    approve(client, id, '2025-06-18', '2025-07-01', 6);
    const charts = advisorCharts({ ...advisor }, TODAY);
    // One decision of the lender's own (the rejection, in 2 workdays); the mediated approval is not its.
    expect(charts.lenders).toEqual([{ lenderId: f.L3, lenderName: '丙平台（测试）', decided: 1, approved: 0, approvalRate: 0, medianReviewWorkdays: 2 }]);
    expect(charts.rejectionReasons).toEqual([{ reason: 'capacity_insufficient', count: 1 }]);
    // An approval all the same, this month.
    expect(advisorFigures({ ...advisor }, TODAY).approvedThisMonth).toBe(1);
  });
});

describe('attentionItems: an escalation gone quiet follows its route, as the borrower\'s follow-up does', () => {
  /**
   * The advisor's line comes once the borrower's follow-up day (lib/reminder-rules.ts escalationFollowupOn)
   * has passed, dated that day, as K7's mediation above (asked on 7 Jul, on the list from 8 Jul).
   *
   * Worked out by hand with the 2025 calendar:
   * - A complaint filed Fri 13 Jun: + 15 calendar days (the day filed not counted) = Sat 28 Jun, a day off, so
   *   the lender's period ends on Mon 30 Jun; the borrower asks on the workday after, Tue 1 Jul; the advisor's
   *   line is there from Wed 2 Jul, dated 1 Jul. (By 15 workdays it would have been Fri 4 Jul, on the list 5 Jul.)
   * - A complaint filed Tue 16 Sep: + 15 = Wed 1 Oct, National Day (1–8 Oct off), so the period ends on Thu 9 Oct;
   *   the borrower asks on Fri 10 Oct; the line is there from Sat 11 Oct (a make-up workday, 调休), dated 10 Oct.
   *   (15 workdays, counting the make-up Sunday 28 Sep: Mon 13 Oct, on the list 14 Oct.)
   * - A mediation filed Fri 13 Jun keeps 15 workdays: 16–20, 23–27 Jun, 30 Jun – 4 Jul → Fri 4 Jul; the line is
   *   there from Sat 5 Jul, dated 4 Jul.
   */
  it('lists a complaint the day after its follow-up day, the workday after its 15 calendar days, and a mediation after 15 workdays', () => {
    const advisor = makeAdvisor();
    const client = makeBorrower({ displayName: '郑十' });
    share(client, advisor);
    const escalated = (route: 'complaint' | 'mediation', appliedOn: string, rejectedOn: string, escalatedOn: string) => {
      const id = newCase(client, f.L3, { principal: 300_000 });
      submit(client, id, appliedOn);
      reject(client, id, rejectedOn, 'capacity_insufficient');
      escalateCase(client, id, versionOf(id), escalateInput({ route, submittedOn: escalatedOn }));
      // Not stale on any day below: this line alone is what these cases could be on the list for.
      setLastActivity(id, '2025-10-31T10:00:00');
      return id;
    };
    const juneComplaint = escalated('complaint', '2025-06-03', '2025-06-10', '2025-06-13');
    const octoberComplaint = escalated('complaint', '2025-09-01', '2025-09-10', '2025-09-16');
    const mediation = escalated('mediation', '2025-06-03', '2025-06-10', '2025-06-13');
    const quiet = (id: number, today: string) => attentionItems({ ...advisor }, today).find((i) => i.kind === 'review_overdue' && i.caseId === id);
    const flagged = (id: number, today: string) => listAdvisorCases({ ...advisor }, { attention: true }, today).rows.some((r) => r.id === id);

    // The borrower's reminder is on the day the advisor's line is dated.
    const reminderOn = (id: number) =>
      (getDb().$client.prepare("SELECT due_on FROM reminders WHERE case_id = ? AND kind = 'review_followup' AND status = 'open'").get(id) as { due_on: string }).due_on;
    expect([reminderOn(juneComplaint), reminderOn(octoberComplaint), reminderOn(mediation)]).toEqual(['2025-07-01', '2025-10-10', '2025-07-04']);

    for (const today of ['2025-06-30', '2025-07-01']) {
      expect(quiet(juneComplaint, today), today).toBeUndefined();
      expect(flagged(juneComplaint, today), today).toBe(false);
    }
    expect(quiet(juneComplaint, '2025-07-02')).toMatchObject({ date: '2025-07-01', escalated: true });
    expect(flagged(juneComplaint, '2025-07-02')).toBe(true);

    for (const today of ['2025-10-09', '2025-10-10']) expect(quiet(octoberComplaint, today), today).toBeUndefined();
    expect(quiet(octoberComplaint, '2025-10-11')).toMatchObject({ date: '2025-10-10', escalated: true });
    expect(flagged(octoberComplaint, '2025-10-11')).toBe(true);

    for (const today of ['2025-07-02', '2025-07-04']) {
      expect(quiet(mediation, today), today).toBeUndefined();
      expect(flagged(mediation, today), today).toBe(false);
    }
    expect(quiet(mediation, '2025-07-05')).toMatchObject({ date: '2025-07-04', escalated: true });
    expect(flagged(mediation, '2025-07-05')).toBe(true);

    // The CSV export flags the same cases as the table.
    expect(exportAdvisorCases({ ...advisor }, { attention: true }, '2025-07-02').rows.map((r) => r.id)).toEqual([juneComplaint]);
  });
});

describe('listAdvisorCases', () => {
  it('lists every open and closed, non-archived case of the clients, next date first', () => {
    const { k } = f;
    const { rows, total, page, pageSize } = table();
    expect(total).toBe(8);
    expect([page, pageSize]).toEqual([1, 25]);
    // 17 Apr (K6's "decide the next step", overdue: before its promise of 25 Jun), 10 Jun (K1's review result,
    // and the advisor's reminder), 15 Jun (K2's unpaid instalment), 20 Jun (K4's materials deadline, not the
    // notice of the 19th), 23 Jun (K9's review after the materials), 7 Jul (K7's mediation, 15 workdays on), 10 Jul
    // (K5's first instalment, not the notice of the 7th); then K3, without a date.
    expect(ids(rows)).toEqual([k.K6, k.K1, k.K2, k.K4, k.K9, k.K7, k.K5, k.K3]);
    expect(rows.map((r) => r.nextDate)).toEqual(['2025-04-17', '2025-06-10', '2025-06-15', '2025-06-20', '2025-06-23', '2025-07-07', '2025-07-10', null]);
    // What each date is for, as the client's own lists say it; on one day, K1's own reminder (the advisor's) is named first.
    expect(rows.map((r) => r.nextFor)).toEqual(['decision', 'own', 'instalment', 'materials', 'review', 'escalation', 'instalment', null]);
    const k4 = rows.find((r) => r.id === k.K4)!;
    expect(k4).toMatchObject({
      clientId: f.c2.id,
      clientName: '李强',
      lenderId: f.L1,
      lenderName: '甲银行（测试）',
      product: '快贷',
      status: 'materials_requested',
      totalFen: 525_000,
      lastActivityOn: TODAY,
      needsAttention: true,
    });
    expect(rows.find((r) => r.id === k.K3)!.lastActivityOn).toBe('2025-06-05');
  });

  it("names each plan's earliest instalment still owed, which puts the plan at risk once past", () => {
    const { k } = f;
    const owed = new Map(table().rows.map((r) => [r.id, r.firstOwedOn]));
    // K2's instalment of 15 Jun is unpaid (the attention list's missed instalment); K5's first is in July.
    const withDates = new Map([...owed].filter(([, date]) => date !== null));
    expect(withDates).toEqual(
      new Map([
        [k.K2, '2025-06-15'],
        [k.K5, '2025-07-10'],
      ]),
    );
    const atRisk = table().rows.filter((r) => planAtRisk(r.status, r.firstOwedOn, TODAY));
    expect(ids(atRisk)).toEqual([k.K2]);
  });

  it("agrees with each client's own list on every case's next date and what it is for", () => {
    const advisors = new Map(table().rows.map((r) => [r.id, [r.nextDate, r.nextFor]]));
    const own = new Map([f.c1, f.c2, f.c3].flatMap((c) => listCasesForBorrower(c)).map((r) => [r.id, [r.nextDate, r.nextFor]]));
    expect(advisors.size).toBe(8);
    expect(advisors).toEqual(own);
  });

  it('flags exactly the cases in the attention list', () => {
    const { k } = f;
    const flagged = table().rows.filter((r) => r.needsAttention);
    expect(ids(flagged).sort((a, b) => a - b)).toEqual([k.K1, k.K2, k.K3, k.K4, k.K6].sort((a, b) => a - b));
    const listed = new Set(attentionItems(f.A, TODAY).map((i) => i.caseId));
    expect(new Set(ids(flagged))).toEqual(listed);
    const only = table({ attention: true, sort: 'updated', dir: 'asc' });
    expect(only.total).toBe(5);
    expect(new Set(ids(only.rows))).toEqual(listed);
  });

  it('filters by status, lender, client and search', () => {
    const { k } = f;
    expect(ids(table({ status: 'under_review' }).rows)).toEqual([k.K1, k.K9]);
    expect(ids(table({ lenderId: f.L2 }).rows)).toEqual([k.K6, k.K2, k.K9]);
    expect(ids(table({ clientId: f.c3.id }).rows)).toEqual([k.K9, k.K7]);
    expect(ids(table({ q: '李强' }).rows)).toEqual([k.K6, k.K4, k.K5]);
    expect(ids(table({ q: '分期' }).rows)).toEqual([k.K2, k.K5]);
    expect(ids(table({ q: '丙平台' }).rows)).toEqual([k.K7, k.K3]);
    // Words apart are each found, in any of the row's texts: a name typed with a space, a client and a lender.
    expect(ids(table({ q: '李 强' }).rows)).toEqual([k.K6, k.K4, k.K5]);
    expect(ids(table({ q: ' 李强  分期 ' }).rows)).toEqual([k.K5]);
    expect(table({ q: '李强 丙平台' }).total).toBe(0);
    expect(table({ q: '%' }).total).toBe(0);
    expect(table({ clientId: f.c3.id, status: 'escalated' }).total).toBe(1);
    // Somebody else's client, or a lender none of the cases has: nothing, not an error.
    expect(table({ clientId: f.b1.id })).toMatchObject({ rows: [], total: 0 });
    expect(table({ clientId: f.revoked.id }).total).toBe(0);
  });

  it('sorts by each column, both ways', () => {
    const { k } = f;
    expect(ids(table({ sort: 'total', dir: 'desc' }).rows)).toEqual([k.K2, k.K1, k.K5, k.K7, k.K6, k.K4, k.K9, k.K3]);
    expect(ids(table({ sort: 'total', dir: 'asc' }).rows)).toEqual([k.K3, k.K9, k.K4, k.K6, k.K7, k.K5, k.K1, k.K2]);
    // By pinyin: 李 < 王 < 赵; a client's cases by id.
    expect(ids(table({ sort: 'client' }).rows)).toEqual([k.K4, k.K5, k.K6, k.K1, k.K2, k.K3, k.K7, k.K9]);
    expect(ids(table({ sort: 'status' }).rows)).toEqual([k.K3, k.K1, k.K9, k.K4, k.K5, k.K6, k.K7, k.K2]);
    expect(ids(table({ sort: 'updated', dir: 'asc' }).rows).slice(0, 2)).toEqual([k.K3, k.K6]);
    // By pinyin: 丙 (bǐng) < 甲 (jiǎ) < 乙 (yǐ), where code points put 丙 < 乙 < 甲.
    const byLender = table({ sort: 'lender' }).rows.map((r) => r.lenderName);
    expect([...new Set(byLender)]).toEqual(['丙平台（测试）', '甲银行（测试）', '乙消费金融（测试）']);
    // Without a date last, whichever the direction.
    expect(table({ sort: 'next', dir: 'desc' }).rows.map((r) => r.nextDate)).toEqual([
      '2025-07-10',
      '2025-07-07',
      '2025-06-23',
      '2025-06-20',
      '2025-06-15',
      '2025-06-10',
      '2025-04-17',
      null,
    ]);
  });

  it('pages on the server', () => {
    const { k } = f;
    const p2 = table({ sort: 'total', dir: 'desc', page: 2, pageSize: 3 });
    expect(ids(p2.rows)).toEqual([k.K7, k.K6, k.K4]);
    expect([p2.total, p2.page]).toEqual([8, 2]);
    // Past the end: the last page.
    const last = table({ sort: 'total', dir: 'desc', page: 99, pageSize: 3 });
    expect(ids(last.rows)).toEqual([k.K9, k.K3]);
    expect([last.total, last.page]).toEqual([8, 3]);
    // Page sizes are kept between 1 and 100.
    expect(table({ pageSize: 1000 }).pageSize).toBe(100);
    expect(table({ pageSize: 0 }).pageSize).toBe(25);
    expect(table({ q: 'nobody', page: 3 })).toEqual({ rows: [], total: 0, page: 1, pageSize: 25 });
  });

  it('never shows anybody else’s case', () => {
    const { k } = f;
    const all = table({ pageSize: 100 }).rows;
    expect(all.some((r) => f.outsiderCases.includes(r.id))).toBe(false);
    expect(all.some((r) => f.outsiderNames.includes(r.clientName))).toBe(false);
    const b = listAdvisorCases(f.B, { pageSize: 100 }, TODAY);
    expect(b.total).toBe(8);
    expect(new Set(b.rows.map((r) => r.clientName))).toEqual(new Set(['陈静', '杨磊']));
  });
});

describe('exportAdvisorCases', () => {
  it('returns the filtered rows unpaged, in the table’s order, and logs one export per client', () => {
    const before = getDb().select().from(accessLog).where(eq(accessLog.advisorId, f.A.id)).all().length;
    const { rows, truncated } = exportAdvisorCases(f.A, { attention: true, sort: 'total', dir: 'desc' }, TODAY);
    expect(truncated).toBe(false);
    expect(ids(rows)).toEqual([f.k.K2, f.k.K1, f.k.K6, f.k.K4, f.k.K3]);
    expect(ids(rows)).toEqual(ids(table({ attention: true, sort: 'total', dir: 'desc', pageSize: 100 }).rows));
    const log = getDb()
      .select()
      .from(accessLog)
      .where(and(eq(accessLog.advisorId, f.A.id), eq(accessLog.action, 'export')))
      .orderBy(asc(accessLog.borrowerId))
      .all();
    expect(log.map((l) => [l.borrowerId, l.caseId, l.detail])).toEqual(
      [
        [f.c1.id, null, '3'],
        [f.c2.id, null, '2'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect(getDb().select().from(accessLog).where(eq(accessLog.advisorId, f.A.id)).all().length).toBe(before + 2);
  });

  it('logs nothing for an export with no rows', () => {
    const count = () => getDb().select().from(accessLog).where(inArray(accessLog.borrowerId, [f.c1.id, f.c2.id, f.c3.id])).all().length;
    const before = count();
    expect(exportAdvisorCases(f.A, { q: 'nobody' }, TODAY).rows).toEqual([]);
    expect(count()).toBe(before);
  });
});

describe('who may ask', () => {
  it('refuses borrowers and admins every verb', () => {
    for (const viewer of [f.c1, makeAdmin()]) {
      expect(() => advisorFigures(viewer, TODAY)).toThrow(ForbiddenError);
      expect(() => attentionItems(viewer, TODAY)).toThrow(ForbiddenError);
      expect(() => advisorCharts(viewer, TODAY)).toThrow(ForbiddenError);
      expect(() => listAdvisorCases(viewer, {}, TODAY)).toThrow(ForbiddenError);
      expect(() => exportAdvisorCases(viewer, {}, TODAY)).toThrow(ForbiddenError);
    }
  });

  it('gives an advisor without clients zeros and empty lists', () => {
    const lonely = makeAdvisor();
    expect(advisorFigures(lonely, TODAY)).toEqual({ clients: 0, openCases: 0, overdueUnderNegotiationFen: 0, underNegotiationNotGiven: 0, approvedThisMonth: 0 });
    expect(attentionItems(lonely, TODAY)).toEqual([]);
    const charts = advisorCharts(lonely, TODAY);
    expect(charts.byStatus.every((s) => s.count === 0)).toBe(true);
    expect([charts.lenders, charts.rejectionReasons]).toEqual([[], []]);
    expect(listAdvisorCases(lonely, {}, TODAY)).toEqual({ rows: [], total: 0, page: 1, pageSize: 25 });
  });

  it('stops counting a client the moment the share is revoked', () => {
    const advisor = makeAdvisor();
    const borrower = makeBorrower({ displayName: '临时客户' });
    const shareId = share(borrower, advisor);
    newCase(borrower, f.L1, { principal: 123_400 });
    expect(advisorFigures(advisor, TODAY)).toMatchObject({ clients: 1, openCases: 1, overdueUnderNegotiationFen: 123_400 });
    revokeShare(borrower, shareId);
    expect(advisorFigures(advisor, TODAY)).toMatchObject({ clients: 0, openCases: 0, overdueUnderNegotiationFen: 0 });
    expect(listAdvisorCases(advisor, {}, TODAY).total).toBe(0);
    expect(advisorCharts(advisor, TODAY).byStatus.every((s) => s.count === 0)).toBe(true);
  });
});

describe('names in the order a Chinese reader expects', () => {
  it('sorts clients and lenders by pinyin, not by code point, in the table, its filter and the client list', () => {
    const advisor = makeAdvisor();
    // By code point: 万 丁 严 付 安 张 李 王 … ; by pinyin: 安 丁 付 李 万 王 严 张.
    const names = ['张伟', '万二', '王芳', '丁一', '李强', '严三', '安然', '付五'];
    for (const name of names) {
      const b = makeBorrower({ displayName: name });
      share(b, advisor);
      newCase(b, f.L1, { principal: 100_000 });
    }
    const pinyin = ['安然', '丁一', '付五', '李强', '万二', '王芳', '严三', '张伟'];
    const fresh = () => ({ ...advisor });
    expect(listAdvisorCases(fresh(), { sort: 'client' }, TODAY).rows.map((r) => r.clientName)).toEqual(pinyin);
    expect(listAdvisorCases(fresh(), { sort: 'client', dir: 'desc' }, TODAY).rows.map((r) => r.clientName)).toEqual([...pinyin].reverse());
    expect(listAdvisorClients(fresh(), TODAY).map((c) => c.name)).toEqual(pinyin);
    // LIKE: case-insensitive for ASCII only.
    const latin = makeAdvisor();
    for (const name of ['Zhang', 'an']) {
      const b = makeBorrower({ displayName: name });
      share(b, latin);
      newCase(b, f.L1, { principal: 100_000 });
    }
    expect(listAdvisorCases({ ...latin }, { q: 'ZHANG' }, TODAY).rows.map((r) => r.clientName)).toEqual(['Zhang']);
    expect(listAdvisorCases({ ...latin }, { q: 'AN' }, TODAY).rows.map((r) => r.clientName).sort()).toEqual(['Zhang', 'an']);
  });
});

describe('a case whose amounts were not given', () => {
  it('has no total, adds nothing to the figures, sorts last both ways, and has none in the export rows', () => {
    const advisor = makeAdvisor();
    const b = makeBorrower({ displayName: '金额未填' });
    share(b, advisor);
    const small = newCase(b, f.L1, { principal: 100_000 });
    const large = newCase(b, f.L1, { principal: 900_000, interest: 5_000 });
    const blank = makeCase(b, { lenderId: f.L1, principal: null, interest: null, penalty: null });
    const partly = makeCase(b, { lenderId: f.L1, principal: null, interest: 3_000, penalty: null });
    const fresh = () => ({ ...advisor });
    const totals = Object.fromEntries(listAdvisorCases(fresh(), {}, TODAY).rows.map((r) => [r.id, r.totalFen]));
    expect(totals).toEqual({ [small]: 100_000, [large]: 905_000, [blank]: null, [partly]: 3_000 });
    expect(ids(listAdvisorCases(fresh(), { sort: 'total', dir: 'desc' }, TODAY).rows)).toEqual([large, small, partly, blank]);
    expect(ids(listAdvisorCases(fresh(), { sort: 'total', dir: 'asc' }, TODAY).rows)).toEqual([partly, small, large, blank]);
    expect(advisorFigures(fresh(), TODAY)).toMatchObject({ openCases: 4, overdueUnderNegotiationFen: 100_000 + 905_000 + 3_000, underNegotiationNotGiven: 1 });
    expect(exportAdvisorCases(fresh(), { sort: 'total' }, TODAY).rows.find((r) => r.id === blank)?.totalFen).toBeNull();
  });
});

describe('the rows a request reads once', () => {
  it('are shared by the verbs of one viewer object, and read again after any write', () => {
    const advisor = makeAdvisor();
    const borrower = makeBorrower({ displayName: '缓存测试' });
    share(borrower, advisor);
    const first = newCase(borrower, f.L1, { principal: 100_000 });
    const v = { ...advisor };
    const client = getDb().$client;
    const count = (fn: () => void) => {
      let n = 0;
      const original = client.prepare;
      client.prepare = function (this: typeof client, source: string) {
        const stmt = original.call(this, source);
        for (const m of ['all', 'get'] as const) {
          const inner = stmt[m].bind(stmt) as (...a: unknown[]) => unknown;
          (stmt as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
            if (!/total_changes\(\)/.test(source)) n += 1;
            return inner(...a);
          };
        }
        return stmt;
      } as typeof client.prepare;
      try {
        fn();
      } finally {
        client.prepare = original;
      }
      return n;
    };
    // The page's five verbs: the advisor's data version (data_versions), then the cases (with their decided
    // attempts: case_facts) with the clients' names and their lenders, the overdue reminders, the client count.
    forgetKeptDashboards();
    expect(count(() => {
      advisorFigures(v, TODAY);
      attentionItems(v, TODAY);
      advisorCharts(v, TODAY);
      listAdvisorLenders(v, TODAY);
      listAdvisorCases(v, {}, TODAY);
    })).toBe(6);
    expect(count(() => listAdvisorCases(v, {}, TODAY))).toBe(0);
    // The next request (a viewer object of its own) finds them kept: only the version is read.
    expect(count(() => listAdvisorCases({ ...v }, {}, TODAY))).toBe(1);
    expect(listAdvisorCases(v, {}, TODAY).total).toBe(1);
    // A write in between: the same viewer object sees it at once.
    newCase(borrower, f.L2, { principal: 200_000 });
    expect(listAdvisorCases(v, {}, TODAY).total).toBe(2);
    expect(advisorFigures(v, TODAY).openCases).toBe(2);
    // Another day: read again (the version, the cases with names and lenders, and the overdue reminders for the flags).
    expect(count(() => listAdvisorCases(v, {}, '2025-06-20'))).toBe(5);
    expect(listAdvisorCases(v, {}, '2025-06-20').rows.map((r) => r.id)).toContain(first);
  });
});

describe("the table's search", () => {
  const seeded = (seedName: string) =>
    (getDb().$client.prepare('SELECT id FROM lenders WHERE seed_name = ? AND owner_id IS NULL').get(seedName) as { id: number }).id;

  it("finds a seeded lender by the other names people know it by, an acronym only whole", () => {
    const advisor = makeAdvisor();
    const client = makeBorrower({ displayName: '周八' });
    share(client, advisor);
    const meituan = newCase(client, seeded('美团 月付/借钱'), { principal: 100_000 });
    const cmbc = newCase(client, seeded('民生银行信用卡'), { principal: 100_000 });
    const found = (q: string) => ids(listAdvisorCases({ ...advisor }, { q }, TODAY).rows).sort((a, b) => a - b);
    expect(found('Meituan')).toEqual([meituan]);
    expect(found('meituan')).toEqual([meituan]);
    expect(found('Minsheng')).toEqual([cmbc]);
    expect(found('CMBC')).toEqual([cmbc]);
    // CMB is 招商银行's, and only a part of CMBC: not 民生.
    expect(found('CMB')).toEqual([]);
    expect(found('周八')).toEqual([meituan, cmbc]);
  });

  it('reads full-width letters and digits, as a Chinese input method in full-width mode types them, as the ASCII ones', () => {
    const advisor = makeAdvisor();
    const client = makeBorrower({ displayName: '吴九' });
    share(client, advisor);
    const id = makeCase(client, { lenderId: f.L1, product: 'ABC卡', accountRef: '4471', principal: 100_000 });
    const found = (q: string) => ids(listAdvisorCases({ ...advisor }, { q }, TODAY).rows);
    for (const q of ['4471', '４４７１', 'abc', 'ａｂｃ', 'ＡＢＣ', 'ＡＢＣ卡 ４４７１']) expect(found(q), q).toEqual([id]);
    expect(exportAdvisorCases({ ...advisor }, { q: '４４７１' }, TODAY).rows.map((r) => r.id)).toEqual([id]);
    expect(found('４４７２')).toEqual([]);
    // A lender's other names too (美团's "Meituan").
    const other = makeCase(client, { lenderId: seeded('美团 月付/借钱'), principal: 100_000 });
    expect(found('ＭＥＩＴＵＡＮ')).toEqual([other]);
  });
});

describe('a closed case', () => {
  it('needs no attention for the borrower\'s own reminders a withdrawal left open', () => {
    const advisor = makeAdvisor();
    const owner = makeBorrower({ displayName: '郑十' });
    share(owner, advisor);
    const id = newCase(owner, f.L1, { principal: 100_000 });
    createReminder(owner, id, { title: '把结清证明寄给律师', dueOn: '2025-06-10', dueTime: null, note: '' });
    const lines = () => attentionItems({ ...advisor }, TODAY).filter((i) => i.caseId === id);
    expect(lines().map((i) => i.kind)).toEqual(['overdue_reminders']);
    withdrawCase(owner, id, versionOf(id), '');
    expect(lines()).toEqual([]);
    const row = listAdvisorCases({ ...advisor }, { pageSize: 100 }, TODAY).rows.find((r) => r.id === id)!;
    expect(row.needsAttention).toBe(false);
    expect(ids(listAdvisorCases({ ...advisor }, { attention: true, pageSize: 100 }, TODAY).rows)).not.toContain(id);
  });
});

describe('a page near the top of a long table', () => {
  it('is that page of the whole sorted table, for every column and direction', () => {
    // 24 cases: the first pages (1–2 rows of 24) are picked without sorting them all
    // (firstInOrder); 100 rows a page sorts the lot. Many ties (two clients, three lenders, four
    // amounts, one status, no next dates, a few activity times): the case id must settle them.
    const advisor = makeAdvisor();
    const owners = [makeBorrower({ displayName: '周一' }), makeBorrower({ displayName: '吴二' })];
    for (const owner of owners) share(owner, advisor);
    for (let i = 0; i < 24; i++) {
      const id = newCase(owners[i % 2]!, [f.L1, f.L2, f.L3][i % 3]!, { principal: 100_000 * (1 + ((i * 7) % 4)) });
      if (i % 5 === 0) setLastActivity(id, `2025-06-${String(10 + ((i * 3) % 7)).padStart(2, '0')}T09:00:00`);
    }
    const v = { ...advisor };
    const ids = (query: AdvisorCaseQuery) => listAdvisorCases(v, query, TODAY).rows.map((r) => r.id);
    for (const sort of ADVISOR_SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const all = ids({ sort, dir, pageSize: 100 });
        expect(all).toHaveLength(24);
        const onePerPage = [1, 2, 3].flatMap((page) => ids({ sort, dir, page, pageSize: 1 }));
        expect(onePerPage, `${sort} ${dir}`).toEqual(all.slice(0, 3));
        expect(ids({ sort, dir, pageSize: 2 }), `${sort} ${dir}`).toEqual(all.slice(0, 2));
        expect(ids({ sort, dir, page: 12, pageSize: 2 }), `${sort} ${dir}`).toEqual(all.slice(22));
      }
    }
    // The columns give different orders (status and next date tie throughout: the ids' order), so
    // a page taken in the wrong order would show.
    const orders = new Set(ADVISOR_SORTS.map((sort) => ids({ sort, pageSize: 100 }).join()));
    expect(orders.size).toBe(5);
  });
});

describe('an instalment paid short', () => {
  it('is still owed: missed once its date has passed, and the next date of the case until then', () => {
    const advisor = makeAdvisor();
    const owner = makeBorrower({ displayName: '钱七' });
    share(owner, advisor);
    const id = newCase(owner, f.L1, { principal: 500_000 });
    submit(owner, id, '2025-06-03');
    approve(owner, id, '2025-06-10', '2025-06-25', 2); // due 25 Jun and 25 Jul, ¥1,000.00 each
    const [first] = instalmentsOf(id);
    markInstalmentPaid(owner, id, versionOf(id), first!.id, { paidOn: '2025-06-18', paid: 40_000 });
    const row = (today: string) => listAdvisorCases({ ...advisor }, { pageSize: 100 }, today).rows.find((r) => r.id === id)!;
    const missed = (today: string) => attentionItems({ ...advisor }, today).filter((i) => i.kind === 'missed_instalment' && i.caseId === id);
    expect(missed(TODAY)).toEqual([]);
    expect(row(TODAY).nextDate).toBe('2025-06-25');
    // The first instalment, paid short, is still the one owed; the plan is at risk once its date has passed.
    expect(row(TODAY).firstOwedOn).toBe('2025-06-25');
    expect(planAtRisk(row(TODAY).status, row(TODAY).firstOwedOn, TODAY)).toBe(false);
    expect(planAtRisk(row('2025-06-26').status, row('2025-06-26').firstOwedOn, '2025-06-26')).toBe(true);
    expect(listCasesForBorrower(owner).find((r) => r.id === id)!.nextDate).toBe('2025-06-25');
    expect(missed('2025-06-26')).toEqual([expect.objectContaining({ kind: 'missed_instalment', date: '2025-06-25', count: 1 })]);
    // Its "pay the rest" reminder, overdue too, is that line, not a second one.
    expect(attentionItems({ ...advisor }, '2025-06-26').filter((i) => i.caseId === id).map((i) => i.kind)).toEqual(['missed_instalment']);

    // The rest paid: nothing owed on it; the second instalment is the next date.
    markInstalmentPaid(owner, id, versionOf(id), first!.id, { paidOn: '2025-06-19', paid: 60_000 });
    expect(missed('2025-06-26')).toEqual([]);
    expect(row(TODAY).nextDate).toBe('2025-07-25');
    expect(row('2025-06-26').firstOwedOn).toBe('2025-07-25');
  });
});
