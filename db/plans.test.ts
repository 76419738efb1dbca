import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  approveInput,
  caseRow,
  escalateInput,
  makeAdvisor,
  makeBorrower,
  makeCase,
  materialsInput,
  contactInput,
  publicLender,
  submitInput,
  versionOf,
} from '@/tests/factories';
import { thrown } from '@/tests/thrown';
import { approveNewPlanSchema, payOffSchema } from '@/lib/validation';
import { listLenders } from './lenders';
import { setReminderStatus, systemSweepReminders } from './reminders';
import { approveAttempt, closeEscalation, escalateCase, requestMaterials, submitAttempt, voidPlan, withdrawCase } from './attempts';
import { getDb } from './client';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { changeInstalment, changeInstalmentAndLater, correctInstalmentPayment, correctPlanTerms, listInstalmentsForMonth, markInstalmentPaid, payOffPlan, undoPlanEnd } from './plans';
import { acceptInvite, createInvite } from './shares';
import { addContact, recordPromiseOutcome } from './contacts';
import { borrowerTotals } from './cases';
import type { Viewer } from './viewer-type';

/** A refusal's code and the field it is said at; fails the test when nothing, or something else, is thrown. */
function refusalOf(fn: () => unknown): [string, string | undefined] {
  const e = thrown(fn);
  if (!(e instanceof DomainError)) throw e;
  return [e.code, e.detail.field];
}

/**
 * The home page's month calendar: a borrower's instalments in one month, across lenders, with
 * what is paid; nobody else's, and nothing outside the month.
 *
 * "Today" is Thursday 19 June 2025 in Shanghai (the clock, Date only, is frozen there).
 */
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-19T02:00:00Z') });
});
afterAll(() => {
  vi.useRealTimers();
});

function lenderNamed(viewer: Viewer, needle: string) {
  const lender = listLenders(viewer).find((l) => l.ownerId === null && l.name.includes(needle));
  if (!lender) throw new Error(`no lender ${needle}`);
  return lender;
}

/** A case approved on `decidedOn` with a plan of `periods` instalments of `monthly` fen from `first`. */
function approvedCase(owner: Viewer, lenderId: number, first: string, periods: number, monthly: number, decidedOn = '2025-04-10'): number {
  const id = makeCase(owner, { lenderId });
  submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: decidedOn < '2025-04-01' ? decidedOn : '2025-04-01' }));
  approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn, agreedPeriods: periods, agreedMonthly: monthly, agreedFirstPaymentOn: first }));
  return id;
}

function instalmentId(caseId: number, seq: number): number {
  const row = getDb().$client.prepare('select id from instalments where case_id = ? and seq = ?').get(caseId, seq) as { id: number };
  return row.id;
}

/** A case's instalments, in order, as stored (every column a payment touches). */
const instalmentRows = (caseId: number) =>
  getDb().$client
    .prepare('select seq, due_on as dueOn, amount_fen as amountFen, paid_on as paidOn, paid_fen as paidFen from instalments where case_id = ? order by seq')
    .all(caseId);
const statusOf = (caseId: number) =>
  getDb().$client.prepare('select status, outcome from cases where id = ?').get(caseId) as { status: string; outcome: string | null };
const lastEvent = (caseId: number) => {
  const e = getDb().$client.prepare('select kind, data from case_events where case_id = ? order by id desc limit 1').get(caseId) as { kind: string; data: string };
  return { kind: e.kind, data: JSON.parse(e.data) as Record<string, unknown> };
};

describe('listInstalmentsForMonth', () => {
  const me = makeBorrower();
  const huabei = lenderNamed(me, '花呗');
  const ccb = lenderNamed(me, '建设银行');
  // Three payments from 31 May (clamped to 30 June), and three from 1 June.
  const caseA = approvedCase(me, huabei.id, '2025-05-31', 3, 100_000);
  const caseB = approvedCase(me, ccb.id, '2025-06-01', 3, 55_555);
  markInstalmentPaid(me, caseB, versionOf(caseB), instalmentId(caseB, 1), { paidOn: '2025-06-01', paid: 55_555 });

  it('lists the month’s instalments across lenders, on their days, with what is paid', () => {
    const june = listInstalmentsForMonth(me, '2025-06');
    expect(june.map((i) => [i.dueOn, i.caseId, i.seq, i.periods, i.amountFen, i.paidOn, i.paidFen, i.lenderName])).toEqual([
      ['2025-06-01', caseB, 1, 3, 55_555, '2025-06-01', 55_555, ccb.name],
      ['2025-06-30', caseA, 2, 3, 100_000, null, null, huabei.name],
    ]);
    expect(june.find((i) => i.caseId === caseB)!.caseStatus).toBe('repaying');
    expect(june.find((i) => i.caseId === caseA)!.caseStatus).toBe('approved');
    expect(june.find((i) => i.caseId === caseA)!.lenderId).toBe(huabei.id);
  });

  it('keeps to the month’s first and last days', () => {
    expect(listInstalmentsForMonth(me, '2025-05').map((i) => [i.dueOn, i.caseId])).toEqual([['2025-05-31', caseA]]);
    expect(listInstalmentsForMonth(me, '2025-07').map((i) => [i.dueOn, i.caseId])).toEqual([
      ['2025-07-01', caseB],
      ['2025-07-31', caseA],
    ]);
    expect(listInstalmentsForMonth(me, '2025-08').map((i) => [i.dueOn, i.caseId])).toEqual([['2025-08-01', caseB]]);
    expect(listInstalmentsForMonth(me, '2025-09')).toEqual([]);
    expect(listInstalmentsForMonth(me, '2025-04')).toEqual([]);
  });

  it('shows a settled plan’s payments, but not a withdrawn case’s plan nor a case without one', () => {
    const owner = makeBorrower();
    const lender = publicLender(owner);
    const settled = approvedCase(owner, lender.id, '2025-03-10', 2, 20_000, '2025-03-01');
    markInstalmentPaid(owner, settled, versionOf(settled), instalmentId(settled, 1), { paidOn: '2025-03-10', paid: 20_000 });
    markInstalmentPaid(owner, settled, versionOf(settled), instalmentId(settled, 2), { paidOn: '2025-04-09', paid: 20_000 });
    const withdrawn = approvedCase(owner, lender.id, '2025-03-15', 2, 30_000, '2025-03-01');
    withdrawCase(owner, withdrawn, versionOf(withdrawn), '改为一次性结清');
    const underReview = makeCase(owner, { lenderId: lender.id });
    submitAttempt(owner, underReview, versionOf(underReview), submitInput({ submittedOn: '2025-03-01' }));

    const march = listInstalmentsForMonth(owner, '2025-03');
    expect(march.map((i) => [i.caseId, i.dueOn, i.paidOn, i.caseStatus])).toEqual([[settled, '2025-03-10', '2025-03-10', 'closed']]);
    expect(listInstalmentsForMonth(owner, '2025-04').map((i) => [i.caseId, i.paidFen])).toEqual([[settled, 20_000]]);
  });

  it('says which row is a payoff: the payment that paid the plan off at once, not an ordinary instalment', () => {
    const owner = makeBorrower();
    const lender = publicLender(owner);
    const id = approvedCase(owner, lender.id, '2025-05-10', 12, 50_000);
    markInstalmentPaid(owner, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    payOffPlan(owner, id, versionOf(id), { paidOn: '2025-06-10', paid: 400_000, note: '' });
    const rows = [...listInstalmentsForMonth(owner, '2025-05'), ...listInstalmentsForMonth(owner, '2025-06')];
    expect(rows.map((i) => [i.dueOn, i.seq, i.periods, i.amountFen, i.payoff])).toEqual([
      ['2025-05-10', 1, 12, 50_000, false],
      ['2025-06-10', 2, 12, 400_000, true],
    ]);
    // The payoff undone: the plan's instalments are ordinary again.
    undoPlanEnd(owner, id, versionOf(id));
    expect(listInstalmentsForMonth(owner, '2025-06').map((i) => [i.seq, i.payoff])).toEqual([[2, false]]);
  });

  it('is only the viewer’s own: not another borrower’s, and an advisor with an active share has none', () => {
    const other = makeBorrower();
    const theirs = approvedCase(other, huabei.id, '2025-06-15', 2, 77_700);
    expect(listInstalmentsForMonth(other, '2025-06').map((i) => i.caseId)).toEqual([theirs]);
    expect(listInstalmentsForMonth(me, '2025-06').map((i) => i.caseId)).not.toContain(theirs);

    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(me, 'family').code);
    expect(listInstalmentsForMonth(advisor, '2025-06')).toEqual([]);
  });

  it('refuses anything but a YYYY-MM month', () => {
    for (const bad of ['2025-13', '2025-6', '2025-06-01', "2025-06' or 1=1 --", '']) {
      expect(() => listInstalmentsForMonth(me, bad), bad).toThrow(RangeError);
    }
  });

  it('is one query, reading the month through the instalments (case, due date) index', () => {
    // Catch the SQL the verb runs, with its parameters, and ask SQLite how it would run it.
    const client = getDb().$client;
    const prepare = client.prepare.bind(client);
    const seen: { source: string; args: unknown[] }[] = [];
    const spy = vi.spyOn(client, 'prepare').mockImplementation(((source: string) => {
      const stmt = prepare(source);
      for (const method of ['all', 'get', 'run', 'iterate'] as const) {
        const original = (stmt[method] as (...a: unknown[]) => unknown).bind(stmt);
        (stmt as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          seen.push({ source, args });
          return original(...args);
        };
      }
      return stmt;
    }) as typeof client.prepare);
    try {
      listInstalmentsForMonth(me, '2025-06');
    } finally {
      spy.mockRestore();
    }
    expect(seen).toHaveLength(1);
    const plan = client.prepare(`explain query plan ${seen[0].source}`).all(...(seen[0].args as never[])) as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/instalments_case_due_idx/);
    expect(details).toMatch(/cases_owner_idx/);
    expect(details).not.toMatch(/SCAN (instalments|cases)\b/);
  });
});

describe('markInstalmentPaid: a short payment, the rest, and the order of dates', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');
  const openReminders = (caseId: number) =>
    getDb().$client
      .prepare(`select rule_key as ruleKey, kind, due_on as dueOn, urgent, data from reminders where case_id = ? and status = 'open' order by id`)
      .all(caseId) as { ruleKey: string; kind: string; dueOn: string; urgent: number; data: string }[];
  const statusOf = (caseId: number) =>
    (getDb().$client.prepare('select status, outcome from cases where id = ?').get(caseId) as { status: string; outcome: string | null });
  const paidOf = (caseId: number, seq: number) =>
    getDb().$client.prepare('select paid_on as paidOn, paid_fen as paidFen from instalments where case_id = ? and seq = ?').get(caseId, seq);

  it('a short payment leaves the rest owing, with a reminder to pay it; the rest settles the instalment and the plan', () => {
    // Two payments of ¥500 from 10 June; today is 19 June, so the first is past its date.
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    expect(markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-12', paid: 30_000 })).toEqual({ shortFen: 20_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-12', paidFen: 30_000 });
    const short = openReminders(id).filter((r) => r.kind === 'instalment_short');
    expect(short).toEqual([{ ruleKey: `inst-short:${instalmentId(id, 1)}:30000`, kind: 'instalment_short', dueOn: '2025-06-12', urgent: 1, data: expect.any(String) }]);
    expect(JSON.parse(short[0]!.data)).toMatchObject({ seq: 1, periods: 2, amountFen: 20_000, dueOn: '2025-06-10' });

    // The second instalment paid in full does not settle the plan: the first is still short.
    expect(markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-19', paid: 50_000 })).toEqual({ shortFen: 0 });
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });

    // Part of the rest: the reminder now asks for what is left.
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-15', paid: 15_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-15', paidFen: 45_000 });
    const again = openReminders(id).filter((r) => r.kind === 'instalment_short');
    expect(again.map((r) => [r.ruleKey, JSON.parse(r.data).amountFen])).toEqual([[`inst-short:${instalmentId(id, 1)}:45000`, 5_000]]);
    expect(statusOf(id).status).toBe('repaying');

    // The rest, dated before the last payment on it: refused, nothing changes.
    const version = versionOf(id);
    expect(refusalOf(() => markInstalmentPaid(me, id, version, instalmentId(id, 1), { paidOn: '2025-06-14', paid: 5_000 }))).toEqual(['paid_before_earlier_payment', 'paidOn']);
    expect(versionOf(id)).toBe(version);
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-15', paidFen: 45_000 });

    // The rest: the instalment is paid in full, its reminder closes, and the plan is settled.
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-18', paid: 5_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-18', paidFen: 50_000 });
    expect(openReminders(id).filter((r) => r.kind === 'instalment_short')).toEqual([]);
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    const events = getDb().$client
      .prepare(`select data from case_events where case_id = ? and kind = 'instalment_paid' order by id`)
      .all(id)
      .map((e) => JSON.parse((e as { data: string }).data));
    expect(events.map((e) => [e.seq, e.paidFen, e.totalFen ?? null, e.shortFen ?? null])).toEqual([
      [1, 30_000, null, 20_000],
      [2, 50_000, null, null],
      [1, 15_000, 45_000, 5_000],
      [1, 5_000, 50_000, null],
    ]);
  });

  it('a short payment before the date asks for the rest by the date, not urgently, with a notice three days ahead as before; the rest paid closes both', () => {
    const id = approvedCase(me, ccb.id, '2025-06-25', 1, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-19', paid: 49_000 });
    expect(openReminders(id).map((r) => [r.kind, r.dueOn, r.urgent])).toEqual([
      ['instalment_upcoming', '2025-06-22', 0],
      ['instalment_short', '2025-06-25', 0],
    ]);
    expect(statusOf(id).status).toBe('repaying');
    // A second part payment: both say the new rest.
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-19', paid: 900 });
    expect(openReminders(id).map((r) => [r.kind, (JSON.parse(r.data) as { amountFen: number }).amountFen])).toEqual([
      ['instalment_upcoming', 100],
      ['instalment_short', 100],
    ]);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-20', paid: 100 });
    expect(openReminders(id)).toEqual([]);
  });

  it('refuses more than the instalment still owes, and changes nothing; the rest is recorded on the next one', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    const version = versionOf(id);
    // Said at the amount field, where the form shows it.
    expect(refusalOf(() => markInstalmentPaid(me, id, version, instalmentId(id, 1), { paidOn: '2025-06-10', paid: 100_000 }))).toEqual(['paid_over_amount', 'paid']);
    expect(versionOf(id)).toBe(version);
    expect(paidOf(id, 1)).toEqual({ paidOn: null, paidFen: null });
    markInstalmentPaid(me, id, version, instalmentId(id, 1), { paidOn: '2025-06-10', paid: 30_000 });
    expect(() => markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-11', paid: 20_001 })).toThrow('paid_over_amount');
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-11', paid: 20_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-11', paidFen: 50_000 });
    // A correction cannot make it more than the amount either.
    expect(refusalOf(() => correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-11', paidFen: 50_001 }))).toEqual(['paid_over_amount', 'paid']);
    // The last instalment may take more, up to twice its amount: the lender's rounding of a plan of
    // equal instalments falls there. An extra zero is refused, with the most it takes.
    const before = versionOf(id);
    const overLast = thrown(() => markInstalmentPaid(me, id, before, instalmentId(id, 2), { paidOn: '2025-06-19', paid: 500_000 }));
    expect(overLast).toBeInstanceOf(DomainError);
    expect((overLast as DomainError).code).toBe('paid_over_last');
    expect((overLast as DomainError).detail).toMatchObject({ field: 'paid', values: { limitFen: 100_000 } });
    expect(versionOf(id)).toBe(before);
    expect(paidOf(id, 2)).toEqual({ paidOn: null, paidFen: null });
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-19', paid: 50_004 });
    expect(paidOf(id, 2)).toEqual({ paidOn: '2025-06-19', paidFen: 50_004 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    // Nor can a correction take it past twice its amount; up to it, it can.
    expect(refusalOf(() => correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-19', paidFen: 100_001 }))).toEqual(['paid_over_last', 'paid']);
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-19', paidFen: 100_000 });
    expect(paidOf(id, 2)).toEqual({ paidOn: '2025-06-19', paidFen: 100_000 });
  });

  it('lets the last take more only once the earlier ones are paid in full; what the plan has left is what each still owes', () => {
    const owner = makeBorrower();
    const id = approvedCase(owner, ccb.id, '2025-05-10', 2, 100_000);
    // Both days passed, No. 1 missed: ¥2,000 on No. 2 would leave nothing to pay while No. 1 owes ¥1,000.
    const version = versionOf(id);
    const refused = thrown(() => markInstalmentPaid(owner, id, version, instalmentId(id, 2), { paidOn: '2025-06-18', paid: 200_000 }));
    expect(refused).toBeInstanceOf(DomainError);
    expect([(refused as DomainError).code, (refused as DomainError).detail]).toEqual(['paid_over_last_earlier_owed', { field: 'paid', values: { owedFen: 100_000 } }]);
    expect(versionOf(id)).toBe(version);
    expect(paidOf(id, 2)).toEqual({ paidOn: null, paidFen: null });
    // Its own amount it takes; nor does a correction take it past that while No. 1 owes.
    markInstalmentPaid(owner, id, version, instalmentId(id, 2), { paidOn: '2025-06-18', paid: 100_000 });
    expect(refusalOf(() => correctInstalmentPayment(owner, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-18', paidFen: 100_001 }))).toEqual([
      'paid_over_last_earlier_owed',
      'paid',
    ]);
    // No. 1 paid: the last may take the lender's rounding again.
    markInstalmentPaid(owner, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-18', paid: 100_000 });
    correctInstalmentPayment(owner, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-18', paidFen: 150_000 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    // No. 1's payment corrected away after that: it owes all of it again, whatever No. 2 took.
    correctInstalmentPayment(owner, id, versionOf(id), instalmentId(id, 1), null);
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });
    expect(borrowerTotals(owner)).toMatchObject({ planPaidFen: 150_000, planLeftFen: 100_000 });
  });

  it('a part payment corrected away and recorded again asks for the rest again', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    const first = instalmentId(id, 1);
    markInstalmentPaid(me, id, versionOf(id), first, { paidOn: '2025-06-12', paid: 30_000 });
    // Not paid after all: missed again. Then paid, the same ¥300: the rest is asked for as the first time.
    correctInstalmentPayment(me, id, versionOf(id), first, null);
    expect(openReminders(id).map((r) => r.kind)).toContain('instalment_missed');
    markInstalmentPaid(me, id, versionOf(id), first, { paidOn: '2025-06-13', paid: 30_000 });
    const rest = openReminders(id).filter((r) => r.ruleKey.startsWith(`inst-short:${first}:`) || r.ruleKey === `inst-missed:${first}`);
    expect(rest.map((r) => [r.ruleKey, r.dueOn, r.urgent])).toEqual([[`inst-short:${first}:30000`, '2025-06-13', 1]]);
    expect(JSON.parse(rest[0]!.data)).toMatchObject({ amountFen: 20_000 });

    // A typo corrected down (¥300 → ¥200), then ¥100 more: ¥300 paid again, ¥200 still to pay.
    correctInstalmentPayment(me, id, versionOf(id), first, { paidOn: '2025-06-13', paidFen: 20_000 });
    markInstalmentPaid(me, id, versionOf(id), first, { paidOn: '2025-06-14', paid: 10_000 });
    const again = openReminders(id).filter((r) => r.ruleKey.startsWith(`inst-short:${first}:`));
    expect(again.map((r) => [r.ruleKey, r.dueOn, JSON.parse(r.data).amountFen])).toEqual([[`inst-short:${first}:30000`, '2025-06-14', 20_000]]);
    // One row a rule, opened again, not a second one.
    const rows = getDb().$client.prepare('select count(*) as n from reminders where rule_key = ?').get(`inst-short:${first}:30000`) as { n: number };
    expect(rows.n).toBe(1);
  });

  it('an instalment paid in full takes no further payment', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paid: 50_000 });
    expect(() => markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-11', paid: 1 })).toThrow('already_paid');
  });

  it('refuses a payment dated before the lender agreed the plan, and changes nothing', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000); // agreed on 10 April
    const version = versionOf(id);
    // Said at the date field.
    expect(refusalOf(() => markInstalmentPaid(me, id, version, instalmentId(id, 1), { paidOn: '2025-04-09', paid: 50_000 }))).toEqual(['paid_before_agreed', 'paidOn']);
    expect(versionOf(id)).toBe(version);
    expect(paidOf(id, 1)).toEqual({ paidOn: null, paidFen: null });
    // The day itself is allowed.
    markInstalmentPaid(me, id, version, instalmentId(id, 1), { paidOn: '2025-04-10', paid: 50_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-04-10', paidFen: 50_000 });
  });
});

describe('approveAttempt: a plan recorded after it began', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');
  const rows = (caseId: number) =>
    getDb().$client.prepare('select seq, due_on as dueOn, paid_on as paidOn, paid_fen as paidFen from instalments where case_id = ? order by seq').all(caseId);
  const openKinds = (caseId: number) =>
    getDb().$client
      .prepare(`select kind, json_extract(data, '$.seq') as seq from reminders where case_id = ? and status = 'open' and kind like 'instalment%' order by due_on, id`)
      .all(caseId) as { kind: string; seq: number }[];
  const eventKinds = (caseId: number) =>
    (getDb().$client.prepare('select kind, data from case_events where case_id = ? order by id').all(caseId) as { kind: string; data: string }[]).map((e) => ({
      kind: e.kind,
      data: JSON.parse(e.data) as Record<string, unknown>,
    }));
  /** A case under review since 1 March, approved on 5 March with `periods` instalments of ¥500 from 10 March. */
  function recorded(periods: number, paidPeriods: number | null) {
    const id = makeCase(me, { lenderId: ccb.id });
    submitAttempt(me, id, versionOf(id), submitInput({ submittedOn: '2025-03-01' }));
    const version = versionOf(id);
    const approve = () =>
      approveAttempt(me, id, version, {
        ...approveInput({ decidedOn: '2025-03-05', agreedPeriods: periods, agreedMonthly: 50_000, agreedFirstPaymentOn: '2025-03-10' }),
        paidPeriods,
      });
    return { id, version, approve };
  }

  it('marks the first instalments paid on their dates, in full; the case is being repaid and only the rest is reminded', () => {
    // Due 10 Mar, 10 Apr, 10 May, 10 Jun, 10 Jul, 10 Aug; today is 19 June. Three paid: 10 June is not.
    const { id, version, approve } = recorded(6, 3);
    approve();
    expect(rows(id)).toEqual([
      { seq: 1, dueOn: '2025-03-10', paidOn: '2025-03-10', paidFen: 50_000 },
      { seq: 2, dueOn: '2025-04-10', paidOn: '2025-04-10', paidFen: 50_000 },
      { seq: 3, dueOn: '2025-05-10', paidOn: '2025-05-10', paidFen: 50_000 },
      { seq: 4, dueOn: '2025-06-10', paidOn: null, paidFen: null },
      { seq: 5, dueOn: '2025-07-10', paidOn: null, paidFen: null },
      { seq: 6, dueOn: '2025-08-10', paidOn: null, paidFen: null },
    ]);
    expect(caseRow(id)).toMatchObject({ status: 'repaying', outcome: null });
    expect(versionOf(id)).toBeGreaterThan(version);
    // No reminder for what is paid; the 4th, past and unpaid, is the sweep's to call missed.
    expect(openKinds(id)).toEqual([
      { kind: 'instalment_upcoming', seq: 5 },
      { kind: 'instalment_due', seq: 5 },
      { kind: 'instalment_upcoming', seq: 6 },
      { kind: 'instalment_due', seq: 6 },
    ]);
    systemSweepReminders(new Date());
    expect(openKinds(id).filter((r) => r.kind === 'instalment_missed')).toEqual([{ kind: 'instalment_missed', seq: 4 }]);
    // The timeline: the approval says how many were paid already, then the repayment began.
    const events = eventKinds(id).slice(-2);
    expect(events.map((e) => e.kind)).toEqual(['attempt_approved', 'repaying_started']);
    expect(events[0]!.data).toMatchObject({ periods: 6, paidPeriods: 3 });
  });

  it('opens no reminder for an instalment paid on its day, today', () => {
    const id = makeCase(me, { lenderId: ccb.id });
    submitAttempt(me, id, versionOf(id), submitInput({ submittedOn: '2025-06-01' }));
    approveAttempt(me, id, versionOf(id), {
      ...approveInput({ decidedOn: '2025-06-05', agreedPeriods: 2, agreedMonthly: 50_000, agreedFirstPaymentOn: '2025-06-19' }),
      paidPeriods: 1,
    });
    expect(openKinds(id)).toEqual([
      { kind: 'instalment_upcoming', seq: 2 },
      { kind: 'instalment_due', seq: 2 },
    ]);
  });

  it('settles the case when every instalment was paid before it was recorded', () => {
    const { id, approve } = recorded(3, 3);
    approve();
    expect(rows(id).every((r) => (r as { paidFen: number }).paidFen === 50_000)).toBe(true);
    expect(caseRow(id)).toMatchObject({ status: 'closed', outcome: 'settled' });
    expect(eventKinds(id).slice(-3).map((e) => e.kind)).toEqual(['attempt_approved', 'repaying_started', 'plan_completed']);
    expect(openKinds(id)).toEqual([]);
  });

  it('with none paid (empty or 0) is the plain approval', () => {
    for (const paid of [null, 0]) {
      const { id, approve } = recorded(2, paid);
      approve();
      expect(caseRow(id).status).toBe('approved');
      expect(rows(id).every((r) => (r as { paidOn: string | null }).paidOn === null)).toBe(true);
      expect(eventKinds(id).at(-1)!.data).not.toHaveProperty('paidPeriods');
    }
  });

  it('refuses instalments not yet due, or more than the plan has, and writes nothing', () => {
    for (const [periods, paid, code] of [
      [6, 4, 'paid_periods_not_due'], // the 4th is due 10 June, today is 19 June: 4 is fine, 5 is not
      [6, 5, 'paid_periods_not_due'],
      [3, 4, 'paid_periods_over'],
    ] as const) {
      const { id, version, approve } = recorded(periods, paid);
      if (paid === 4 && periods === 6) {
        approve();
        expect(caseRow(id).status).toBe('repaying');
        continue;
      }
      expect(approve).toThrow(code);
      expect(caseRow(id)).toMatchObject({ status: 'under_review', version });
      expect(rows(id)).toEqual([]);
    }
  });

  it('is checked in the form: a whole number, no more than the agreed periods', () => {
    const form = { decidedOn: '2025-03-05', agreedPeriods: '6', agreedMonthly: '500', agreedFirstPaymentOn: '2025-03-10' };
    const issue = (paidPeriods: string) => {
      const r = approveNewPlanSchema.safeParse({ ...form, paidPeriods });
      return r.success ? null : r.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    expect(issue('')).toBeNull();
    expect(issue('6')).toBeNull();
    expect(approveNewPlanSchema.parse({ ...form, paidPeriods: '2' }).paidPeriods).toBe(2);
    expect(issue('7')).toEqual([['paidPeriods', 'paid_periods_over']]);
    expect(issue('-1')).toEqual([['paidPeriods', 'paid_periods_invalid']]);
    expect(issue('1.5')).toEqual([['paidPeriods', 'paid_periods_invalid']]);
  });
});

describe('changeInstalment: one instalment as the lender scheduled it', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');
  const rows = (caseId: number) =>
    getDb().$client.prepare('select seq, due_on as dueOn, amount_fen as amountFen from instalments where case_id = ? order by seq').all(caseId);
  const reminder = (key: string) =>
    getDb().$client.prepare(`select status, due_on as dueOn, json_extract(data, '$.amountFen') as amountFen from reminders where rule_key = ?`).get(key) as
      | { status: string; dueOn: string; amountFen: number }
      | undefined;
  const total = (caseId: number) => (getDb().$client.prepare('select total_fen as t from plans where case_id = ?').get(caseId) as { t: number }).t;

  it('changes its date and amount; the plan total, its reminders and the timeline follow', () => {
    // ¥500 on 10 July, August and September; today is 19 June.
    const id = approvedCase(me, ccb.id, '2025-07-10', 3, 50_000);
    const last = instalmentId(id, 3);
    const version = versionOf(id);
    changeInstalment(me, id, version, last, { dueOn: '2025-09-15', amountFen: 50_004 });
    expect(rows(id)).toEqual([
      { seq: 1, dueOn: '2025-07-10', amountFen: 50_000 },
      { seq: 2, dueOn: '2025-08-10', amountFen: 50_000 },
      { seq: 3, dueOn: '2025-09-15', amountFen: 50_004 },
    ]);
    expect(total(id)).toBe(150_004);
    expect(versionOf(id)).toBe(version + 1);
    expect(reminder(`inst-due:${last}`)).toEqual({ status: 'open', dueOn: '2025-09-15', amountFen: 50_004 });
    expect(reminder(`inst-pre:${last}`)).toMatchObject({ status: 'open', dueOn: '2025-09-12' });
    const event = getDb().$client.prepare(`select data from case_events where case_id = ? and kind = 'instalment_changed'`).get(id) as { data: string };
    expect(JSON.parse(event.data)).toEqual({ seq: 3, changes: { dueOn: ['2025-09-10', '2025-09-15'], amountFen: [50_000, 50_004] } });
  });

  it('an instalment missed, moved to a later date the lender gave: no longer missed, reminded again', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    const first = instalmentId(id, 1);
    systemSweepReminders(new Date());
    expect(reminder(`inst-missed:${first}`)?.status).toBe('open');
    changeInstalment(me, id, versionOf(id), first, { dueOn: '2025-06-25', amountFen: 50_000 });
    expect(reminder(`inst-missed:${first}`)?.status).toBe('done');
    expect(reminder(`inst-due:${first}`)).toMatchObject({ status: 'open', dueOn: '2025-06-25' });
    expect(reminder(`inst-pre:${first}`)).toMatchObject({ status: 'open', dueOn: '2025-06-22' });
  });

  it('an instalment missed, moved to a later date, and missed again: "missed" comes back the morning after the new date, to be mailed again; once', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    const first = instalmentId(id, 1);
    const key = `inst-missed:${first}`;
    const row = () => getDb().$client.prepare('select * from reminders where rule_key = ?').all(key) as Record<string, unknown>[];
    systemSweepReminders(new Date());
    getDb().$client.prepare('update reminders set mailed_at = ? where rule_key = ?').run(Date.parse('2025-06-11T00:00:00Z'), key);
    changeInstalment(me, id, versionOf(id), first, { dueOn: '2025-06-25', amountFen: 50_000 });
    expect(row()).toMatchObject([{ status: 'done', auto_closed: 1 }]);
    // 25 June, 23:59 in Shanghai: not missed yet.
    systemSweepReminders(new Date('2025-06-25T15:59:00Z'));
    expect(row()).toMatchObject([{ status: 'done' }]);
    // 26 June, 00:30 in Shanghai: missed again, urgent, not yet mailed for this date.
    systemSweepReminders(new Date('2025-06-25T16:30:00Z'));
    expect(row()).toMatchObject([{ status: 'open', auto_closed: 0, closed_at: null, due_on: '2025-06-26', show_on: '2025-06-26', urgent: 1, mailed_at: null }]);
    expect(JSON.parse(row()[0]!.data as string)).toMatchObject({ dueOn: '2025-06-25', seq: 1 });
    // Mailed that morning; later sweeps leave it as it is.
    getDb().$client.prepare('update reminders set mailed_at = ? where rule_key = ?').run(Date.parse('2025-06-26T00:00:00Z'), key);
    systemSweepReminders(new Date('2025-06-26T02:00:00Z'));
    systemSweepReminders(new Date('2025-06-27T02:00:00Z'));
    expect(row()).toMatchObject([{ status: 'open', due_on: '2025-06-26', mailed_at: Date.parse('2025-06-26T00:00:00Z') }]);
  });

  it('"missed" closed by hand stays closed for the miss it was about; a miss after a new date, later than that, opens it again', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    const first = instalmentId(id, 1);
    const key = `inst-missed:${first}`;
    const row = () => getDb().$client.prepare('select status, auto_closed as autoClosed, due_on as dueOn from reminders where rule_key = ?').all(key);
    systemSweepReminders(new Date());
    const { id: reminderId } = getDb().$client.prepare('select id from reminders where rule_key = ?').get(key) as { id: number };
    // Dismissed today, 19 June: the borrower knows (they have talked to the lender, say).
    setReminderStatus(me, reminderId, 'dismissed');
    systemSweepReminders(new Date());
    expect(row()).toEqual([{ status: 'dismissed', autoClosed: 0, dueOn: '2025-06-11' }]);
    // The lender's records say 12 June: missed before it was dismissed, so nothing new.
    changeInstalment(me, id, versionOf(id), first, { dueOn: '2025-06-12', amountFen: 50_000 });
    systemSweepReminders(new Date());
    expect(row()).toEqual([{ status: 'dismissed', autoClosed: 0, dueOn: '2025-06-11' }]);
    // Moved to 25 June and missed again: a new miss, told again.
    changeInstalment(me, id, versionOf(id), first, { dueOn: '2025-06-25', amountFen: 50_000 });
    expect(row()).toEqual([{ status: 'dismissed', autoClosed: 0, dueOn: '2025-06-11' }]);
    systemSweepReminders(new Date('2025-06-26T01:00:00Z'));
    expect(row()).toEqual([{ status: 'open', autoClosed: 0, dueOn: '2025-06-26' }]);
  });

  it('a new date is mailed again: the moved reminders lose their mail stamp; a change of amount alone keeps it', () => {
    const mailed = new Date('2025-06-18T01:00:00Z');
    const stamp = (key: string) => getDb().$client.prepare('update reminders set mailed_at = ? where rule_key = ?').run(mailed.getTime(), key);
    const mailedAt = (key: string) => (getDb().$client.prepare('select mailed_at as m from reminders where rule_key = ?').get(key) as { m: number | null }).m;

    const id = approvedCase(me, ccb.id, '2025-06-22', 2, 50_000);
    const first = instalmentId(id, 1);
    for (const key of [`inst-pre:${first}`, `inst-due:${first}`]) stamp(key);
    // The amount alone: the same days, already mailed.
    changeInstalment(me, id, versionOf(id), first, { dueOn: '2025-06-22', amountFen: 50_004 });
    expect(mailedAt(`inst-pre:${first}`)).toBe(mailed.getTime());
    expect(mailedAt(`inst-due:${first}`)).toBe(mailed.getTime());
    // A new date: its notice and its day are mailed again.
    changeInstalment(me, id, versionOf(id), first, { dueOn: '2025-06-24', amountFen: 50_004 });
    expect(reminder(`inst-due:${first}`)).toMatchObject({ status: 'open', dueOn: '2025-06-24' });
    expect(mailedAt(`inst-pre:${first}`)).toBeNull();
    expect(mailedAt(`inst-due:${first}`)).toBeNull();

    // Missed on 10 June, and moved to another past day (the lender's records say 12 June): "missed" moves, and is mailed again.
    const late = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    const missed = instalmentId(late, 1);
    systemSweepReminders(new Date());
    stamp(`inst-missed:${missed}`);
    changeInstalment(me, late, versionOf(late), missed, { dueOn: '2025-06-12', amountFen: 50_000 });
    expect(reminder(`inst-missed:${missed}`)).toMatchObject({ status: 'open', dueOn: '2025-06-13' });
    expect(mailedAt(`inst-missed:${missed}`)).toBeNull();
  });

  it('refuses a paid instalment, a date out of the plan\'s order or before its agreement, nothing changed, a stale version; changes nothing', () => {
    const id = approvedCase(me, ccb.id, '2025-07-10', 3, 50_000); // agreed on 10 April
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-19', paid: 50_000 });
    const version = versionOf(id);
    const before = rows(id);
    const second = instalmentId(id, 2);
    expect(() => changeInstalment(me, id, version, instalmentId(id, 1), { dueOn: '2025-07-11', amountFen: 50_000 })).toThrow('instalment_has_payment');
    expect(() => changeInstalment(me, id, version, second, { dueOn: '2025-07-10', amountFen: 50_000 })).toThrow('due_out_of_order');
    expect(() => changeInstalment(me, id, version, second, { dueOn: '2025-09-10', amountFen: 50_000 })).toThrow('due_out_of_order');
    expect(() => changeInstalment(me, id, version, second, { dueOn: '2025-08-10', amountFen: 50_000 })).toThrow('correction_unchanged');
    expect(() => changeInstalment(me, id, version - 1, second, { dueOn: '2025-08-11', amountFen: 50_000 })).toThrow(ConflictError);
    const early = approvedCase(me, ccb.id, '2025-06-10', 1, 50_000);
    expect(() => changeInstalment(me, early, versionOf(early), instalmentId(early, 1), { dueOn: '2025-04-09', amountFen: 50_000 })).toThrow('due_before_agreed');
    // Another case's instalment is not found through this case.
    expect(() => changeInstalment(me, early, versionOf(early), second, { dueOn: '2025-08-11', amountFen: 50_000 })).toThrow(NotFoundError);
    expect(rows(id)).toEqual(before);
    expect(versionOf(id)).toBe(version);
    // A withdrawn case's plan no longer stands.
    withdrawCase(me, early, versionOf(early), '');
    expect(() => changeInstalment(me, early, versionOf(early), instalmentId(early, 1), { dueOn: '2025-06-12', amountFen: 50_000 })).toThrow('plan_not_active');
  });
});

describe('changeInstalmentAndLater: a lender\'s staged plan, its amount from one instalment on', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');
  const rows = (caseId: number) =>
    getDb().$client.prepare('select seq, due_on as dueOn, amount_fen as amountFen, paid_on as paidOn from instalments where case_id = ? order by seq').all(caseId) as {
      seq: number;
      dueOn: string;
      amountFen: number;
      paidOn: string | null;
    }[];
  const amounts = (caseId: number) => rows(caseId).map((r) => r.amountFen);
  const dueOf = (caseId: number, seq: number) => rows(caseId).find((r) => r.seq === seq)!.dueOn;
  const reminder = (key: string) =>
    getDb().$client.prepare(`select status, due_on as dueOn, json_extract(data, '$.amountFen') as amountFen from reminders where rule_key = ?`).get(key) as
      | { status: string; dueOn: string; amountFen: number }
      | undefined;
  const events = (caseId: number) =>
    (getDb().$client.prepare('select kind, data from case_events where case_id = ? order by id').all(caseId) as { kind: string; data: string | null }[]).map((e) => ({
      kind: e.kind,
      data: e.data ? JSON.parse(e.data) : null,
    }));
  const total = (caseId: number) => (getDb().$client.prepare('select total_fen as t from plans where case_id = ?').get(caseId) as { t: number }).t;
  /** Everything of the case the verb could write: its instalments, plan, events, reminders and version. */
  const state = (caseId: number) => ({
    rows: rows(caseId),
    total: total(caseId),
    events: events(caseId),
    reminders: getDb().$client.prepare('select rule_key, status, due_on, data from reminders where case_id = ? order by id').all(caseId),
    version: versionOf(caseId),
  });
  it('12 × ¥500, then 47 × ¥856.26 and the last ¥856.08: two saves, one event each, the reminders follow', () => {
    // 60 × ¥500 from 10 July (today is 19 June).
    const id = approvedCase(me, ccb.id, '2025-07-10', 60, 50_000);
    const version = versionOf(id);
    const eventsBefore = events(id).length;
    const thirteenth = instalmentId(id, 13);
    const due13 = dueOf(id, 13);
    const dates = rows(id).map((r) => r.dueOn);
    changeInstalmentAndLater(me, id, version, thirteenth, { dueOn: due13, amountFen: 85_626 });
    expect(amounts(id)).toEqual([...Array(12).fill(50_000), ...Array(48).fill(85_626)]);
    // Dates as they were.
    expect(rows(id).map((r) => r.dueOn)).toEqual(dates);
    expect(total(id)).toBe(12 * 50_000 + 48 * 85_626);
    expect(versionOf(id)).toBe(version + 1);
    // One event, saying the range and what it had.
    const added = events(id).slice(eventsBefore);
    expect(added).toEqual([
      { kind: 'instalments_changed', data: { fromSeq: 13, toSeq: 60, amountFen: 85_626, before: [{ fromSeq: 13, toSeq: 60, amountFen: 50_000 }], keptPaid: [] } },
    ]);
    // Every changed instalment's reminders say the new amount, on their dates; the ones before keep theirs.
    for (const seq of [13, 30, 60]) {
      const iid = instalmentId(id, seq);
      expect(reminder(`inst-due:${iid}`)).toEqual({ status: 'open', dueOn: dueOf(id, seq), amountFen: 85_626 });
      expect(reminder(`inst-pre:${iid}`)).toMatchObject({ status: 'open', amountFen: 85_626 });
    }
    expect(reminder(`inst-due:${instalmentId(id, 12)}`)).toEqual({ status: 'open', dueOn: dueOf(id, 12), amountFen: 50_000 });
    // No reminder twice.
    const open = getDb().$client.prepare(`select count(*) as n from reminders where case_id = ? and rule_key like 'inst-due:%' and status = 'open'`).get(id) as { n: number };
    expect(open.n).toBe(60);

    // The lender's rounding: the last one alone, afterwards.
    changeInstalment(me, id, versionOf(id), instalmentId(id, 60), { dueOn: dueOf(id, 60), amountFen: 85_608 });
    expect(amounts(id).slice(11)).toEqual([50_000, ...Array(47).fill(85_626), 85_608]);
    expect(total(id)).toBe(12 * 50_000 + 47 * 85_626 + 85_608);
    expect(reminder(`inst-due:${instalmentId(id, 60)}`)).toMatchObject({ amountFen: 85_608 });
    expect(events(id).slice(eventsBefore).map((e) => e.kind)).toEqual(['instalments_changed', 'instalment_changed']);
    expect(versionOf(id)).toBe(version + 2);
  });

  it('changes only the later instalments not paid: a paid one keeps its amount, the chosen one alone takes the new date', () => {
    // ¥500 on the 10th from May: No. 1 paid, No. 2 missed (10 June), No. 3 paid early, Nos. 4 and 5 to come.
    const id = approvedCase(me, ccb.id, '2025-05-10', 5, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 3), { paidOn: '2025-06-19', paid: 50_000 });
    systemSweepReminders(new Date());
    const second = instalmentId(id, 2);
    expect(reminder(`inst-missed:${second}`)).toMatchObject({ status: 'open', amountFen: 50_000 });
    const eventsBefore = events(id).length;
    changeInstalmentAndLater(me, id, versionOf(id), second, { dueOn: '2025-06-12', amountFen: 60_000 });
    expect(rows(id).map((r) => [r.seq, r.dueOn, r.amountFen])).toEqual([
      [1, '2025-05-10', 50_000],
      [2, '2025-06-12', 60_000],
      [3, '2025-07-10', 50_000],
      [4, '2025-08-10', 60_000],
      [5, '2025-09-10', 60_000],
    ]);
    expect(total(id)).toBe(280_000);
    expect(events(id).slice(eventsBefore)).toEqual([
      {
        kind: 'instalments_changed',
        data: {
          fromSeq: 2,
          toSeq: 5,
          amountFen: 60_000,
          before: [
            { fromSeq: 2, toSeq: 2, amountFen: 50_000 },
            { fromSeq: 4, toSeq: 5, amountFen: 50_000 },
          ],
          keptPaid: [3],
          changes: { dueOn: ['2025-06-10', '2025-06-12'] },
        },
      },
    ]);
    // Still past: still missed, on its new date, for its new amount.
    expect(reminder(`inst-missed:${second}`)).toEqual({ status: 'open', dueOn: '2025-06-13', amountFen: 60_000 });
    expect(reminder(`inst-due:${instalmentId(id, 4)}`)).toEqual({ status: 'open', dueOn: '2025-08-10', amountFen: 60_000 });
    // The paid one's reminders stay closed.
    expect(reminder(`inst-due:${instalmentId(id, 3)}`)?.status).toBe('done');
  });

  it('a missed instalment moved to a later date the lender gave, with the later ones: no longer missed, reminded again', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 3, 50_000);
    const first = instalmentId(id, 1);
    systemSweepReminders(new Date());
    expect(reminder(`inst-missed:${first}`)?.status).toBe('open');
    changeInstalmentAndLater(me, id, versionOf(id), first, { dueOn: '2025-06-25', amountFen: 40_000 });
    expect(reminder(`inst-missed:${first}`)?.status).toBe('done');
    expect(reminder(`inst-due:${first}`)).toEqual({ status: 'open', dueOn: '2025-06-25', amountFen: 40_000 });
    expect(amounts(id)).toEqual([40_000, 40_000, 40_000]);
  });

  it('a missed instalment moved with the later ones, and missed again on its new date: "missed" comes back', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 3, 50_000);
    const first = instalmentId(id, 1);
    systemSweepReminders(new Date());
    changeInstalmentAndLater(me, id, versionOf(id), first, { dueOn: '2025-06-25', amountFen: 40_000 });
    expect(reminder(`inst-missed:${first}`)?.status).toBe('done');
    systemSweepReminders(new Date('2025-06-26T01:00:00Z'));
    expect(reminder(`inst-missed:${first}`)).toEqual({ status: 'open', dueOn: '2025-06-26', amountFen: 40_000 });
  });

  it('refuses as changeInstalment does, at the date when the date is wrong; with no later instalment unpaid, or nothing to change; changes nothing', () => {
    const id = approvedCase(me, ccb.id, '2025-07-10', 4, 50_000); // agreed on 10 April
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-19', paid: 50_000 });
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 4), { paidOn: '2025-06-19', paid: 50_000 });
    const version = versionOf(id);
    const before = state(id);
    const second = instalmentId(id, 2);
    const third = instalmentId(id, 3);
    const refused = (instalment: number, change: { dueOn: string; amountFen: number }, v = version) => thrown(() => changeInstalmentAndLater(me, id, v, instalment, change));

    expect(refused(instalmentId(id, 1), { dueOn: '2025-07-10', amountFen: 60_000 })).toMatchObject({ code: 'instalment_has_payment' });
    for (const dueOn of ['2025-07-10', '2025-09-10']) {
      const e = refused(second, { dueOn, amountFen: 60_000 });
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ code: 'due_out_of_order', detail: { field: 'dueOn' } });
    }
    // No. 4 is paid: after No. 3 nothing is left to change but No. 3 itself.
    expect(refused(third, { dueOn: '2025-09-10', amountFen: 60_000 })).toMatchObject({ code: 'no_later_unpaid', detail: { field: 'laterToo' } });
    // The same date, and every one from No. 2 already at that amount.
    expect(refused(second, { dueOn: '2025-08-10', amountFen: 50_000 })).toMatchObject({ code: 'correction_unchanged' });
    expect(refused(second, { dueOn: '2025-08-11', amountFen: 60_000 }, version - 1)).toBeInstanceOf(ConflictError);
    const early = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    expect(thrown(() => changeInstalmentAndLater(me, early, versionOf(early), instalmentId(early, 1), { dueOn: '2025-04-09', amountFen: 60_000 }))).toMatchObject({
      code: 'due_before_agreed',
      detail: { field: 'dueOn' },
    });
    // Another case's instalment is not found through this case.
    expect(thrown(() => changeInstalmentAndLater(me, early, versionOf(early), second, { dueOn: '2025-08-11', amountFen: 60_000 }))).toBeInstanceOf(NotFoundError);
    expect(state(id)).toEqual(before);
    // A withdrawn case's plan no longer stands.
    withdrawCase(me, early, versionOf(early), '');
    expect(thrown(() => changeInstalmentAndLater(me, early, versionOf(early), instalmentId(early, 1), { dueOn: '2025-06-12', amountFen: 60_000 }))).toMatchObject({
      code: 'plan_not_active',
    });
    // The chosen one as it was is no refusal when a later one changes: No. 3 back to No. 2's amount.
    changeInstalment(me, id, version, third, { dueOn: '2025-09-10', amountFen: 55_000 });
    changeInstalmentAndLater(me, id, versionOf(id), second, { dueOn: '2025-08-10', amountFen: 50_000 });
    expect(amounts(id)).toEqual([50_000, 50_000, 50_000, 50_000]);
    expect(events(id).at(-1)).toEqual({
      kind: 'instalments_changed',
      data: { fromSeq: 2, toSeq: 3, amountFen: 50_000, before: [{ fromSeq: 2, toSeq: 2, amountFen: 50_000 }, { fromSeq: 3, toSeq: 3, amountFen: 55_000 }], keptPaid: [] },
    });
  });

  it('another borrower gets "not found", the owner\'s advisor "forbidden"; nothing of the case changes', () => {
    const id = approvedCase(me, ccb.id, '2025-07-10', 6, 50_000);
    const before = state(id);
    const other = makeBorrower();
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(me, 'family').code);
    const change = { dueOn: dueOf(id, 2), amountFen: 1 };
    expect(thrown(() => changeInstalmentAndLater(other, id, versionOf(id), instalmentId(id, 2), change))).toBeInstanceOf(NotFoundError);
    expect(thrown(() => changeInstalmentAndLater(advisor, id, versionOf(id), instalmentId(id, 2), change))).toBeInstanceOf(ForbiddenError);
    // Through their own case, the owner's instalment is not found either.
    const theirs = approvedCase(other, ccb.id, '2025-07-10', 6, 50_000);
    expect(thrown(() => changeInstalmentAndLater(other, theirs, versionOf(theirs), instalmentId(id, 2), change))).toBeInstanceOf(NotFoundError);
    expect(state(id)).toEqual(before);
  });
});

describe('correctInstalmentPayment: what was recorded wrongly, made right', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');
  const reminderRows = (caseId: number) =>
    getDb().$client
      .prepare(`select rule_key as ruleKey, kind, due_on as dueOn, urgent, status from reminders where case_id = ? and rule_key is not null order by due_on, rule_key`)
      .all(caseId) as { ruleKey: string; kind: string; dueOn: string; urgent: number; status: string }[];
  const openKinds = (caseId: number) => reminderRows(caseId).filter((r) => r.status === 'open').map((r) => [r.kind, r.dueOn, r.urgent]);
  const statusOf = (caseId: number) =>
    getDb().$client.prepare('select status, outcome from cases where id = ?').get(caseId) as { status: string; outcome: string | null };
  const paidOf = (caseId: number, seq: number) =>
    getDb().$client.prepare('select paid_on as paidOn, paid_fen as paidFen from instalments where case_id = ? and seq = ?').get(caseId, seq);
  const eventsOf = (caseId: number) =>
    (getDb().$client.prepare('select kind, data from case_events where case_id = ? order by id').all(caseId) as { kind: string; data: string }[]).map(
      (e) => ({ kind: e.kind, data: JSON.parse(e.data) as Record<string, unknown> }),
    );

  it('a full payment typed for a part one: the settled case is repaid again, with the rest to pay', () => {
    // Two payments of ¥500 from 10 June; today is 19 June.
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paid: 50_000 });
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-18', paid: 50_000 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });

    // Only ¥300 of the first went out, on 11 June.
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-11', paidFen: 30_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-11', paidFen: 30_000 });
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });
    expect(openKinds(id)).toEqual([['instalment_short', '2025-06-11', 1]]);
    expect(eventsOf(id).slice(-2)).toEqual([
      { kind: 'payment_corrected', data: { seq: 1, dueOn: '2025-06-10', fromOn: '2025-06-10', fromFen: 50_000, toOn: '2025-06-11', toFen: 30_000 } },
      { kind: 'plan_reopened', data: {} },
    ]);

    // The rest paid, as a further payment: settled again, nothing left open.
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-19', paid: 20_000 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    expect(openKinds(id)).toEqual([]);
  });

  it('the payment that settled the plan corrected away: the chases of the lender’s promises its settling closed open again', () => {
    const id = approvedCase(me, ccb.id, '2025-05-10', 2, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    const awaited = addContact(me, id, contactInput({ occurredAt: new Date('2025-06-12T02:00:00Z'), promise: '减免罚息的书面确认', promiseDue: '2025-06-25' }));
    const kept = addContact(me, id, contactInput({ occurredAt: new Date('2025-06-13T02:00:00Z'), promise: '三天内回电', promiseDue: '2025-06-16' }));
    recordPromiseOutcome(me, id, versionOf(id), kept, { outcome: 'kept', on: '2025-06-15' });
    const chases = () =>
      getDb().$client.prepare(`select rule_key as ruleKey, status from reminders where case_id = ? and rule_key like 'promise:%' order by rule_key`).all(id) as { ruleKey: string; status: string }[];
    const before = chases();
    expect(before).toEqual([
      { ruleKey: `promise:${awaited}`, status: 'open' },
      { ruleKey: `promise:${kept}`, status: 'done' },
    ]);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-18', paid: 50_000 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    expect(chases().map((r) => r.status)).toEqual(['done', 'done']);
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 2), null);
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });
    expect(chases()).toEqual(before);
    // Settled again by a correction, and that corrected away: the same again.
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paidFen: 30_000 });
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-18', paid: 50_000 });
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paidFen: 50_000 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    expect(chases().map((r) => r.status)).toEqual(['done', 'done']);
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paidFen: 30_000 });
    expect(chases()).toEqual(before);
  });

  it('a payment marked that never went out: a past instalment is missed again, and the case is only agreed', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paid: 50_000 });
    expect(statusOf(id).status).toBe('repaying');

    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), null);
    expect(paidOf(id, 1)).toEqual({ paidOn: null, paidFen: null });
    expect(statusOf(id)).toEqual({ status: 'approved', outcome: null });
    // 10 June has passed: missed, urgent, from the next morning; the second instalment's notice and day stay.
    expect(openKinds(id)).toEqual([
      ['instalment_missed', '2025-06-11', 1],
      ['instalment_upcoming', '2025-07-07', 0],
      ['instalment_due', '2025-07-10', 0],
    ]);
    expect(eventsOf(id).slice(-2).map((e) => e.kind)).toEqual(['payment_corrected', 'repaying_undone']);
    expect(eventsOf(id).at(-2)!.data).toMatchObject({ seq: 1, fromFen: 50_000, toOn: null, toFen: 0 });

    // Paying it now works as the first payment did.
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-19', paid: 50_000 });
    expect(statusOf(id).status).toBe('repaying');
    expect(openKinds(id).map(([kind]) => kind)).toEqual(['instalment_upcoming', 'instalment_due']);
  });

  it('a payment marked on the wrong instalment: the later one gets its notice and its day back', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paid: 50_000 });
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-19', paid: 50_000 });
    expect(statusOf(id).status).toBe('closed');
    // Snoozed before it was paid: the snooze is forgotten when it comes back.
    getDb().$client.prepare(`update reminders set snoozed_until = '2025-07-09', show_on = '2025-07-09' where rule_key = ?`).run(`inst-pre:${instalmentId(id, 2)}`);

    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 2), null);
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });
    expect(openKinds(id)).toEqual([
      ['instalment_upcoming', '2025-07-07', 0],
      ['instalment_due', '2025-07-10', 0],
    ]);
    const pre = getDb().$client.prepare('select snoozed_until as s, show_on as showOn, auto_closed as a from reminders where rule_key = ?').get(`inst-pre:${instalmentId(id, 2)}`);
    expect(pre).toEqual({ s: null, showOn: '2025-07-07', a: 0 });
    // No second row for the same rule.
    expect(reminderRows(id).filter((r) => r.ruleKey === `inst-due:${instalmentId(id, 2)}`)).toHaveLength(1);
  });

  it('a date corrected leaves the case as it was; a part payment corrected to the full amount settles the plan', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 1, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paid: 40_000 });
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-09', paidFen: 40_000 });
    expect(statusOf(id).status).toBe('repaying');
    expect(openKinds(id)).toEqual([['instalment_short', '2025-06-10', 1]]);
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-09', paidFen: 50_000 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    expect(openKinds(id)).toEqual([]);
    expect(eventsOf(id).at(-1)!.kind).toBe('plan_completed');
  });

  it('refuses what cannot be corrected, and changes nothing', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000); // agreed on 10 April
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paid: 50_000 });
    const version = versionOf(id);
    const events = eventsOf(id).length;
    const unchanged = () => {
      expect(versionOf(id)).toBe(version);
      expect(eventsOf(id)).toHaveLength(events);
      expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-10', paidFen: 50_000 });
      expect(paidOf(id, 2)).toEqual({ paidOn: null, paidFen: null });
    };
    expect(() => correctInstalmentPayment(me, id, version, instalmentId(id, 2), { paidOn: '2025-06-10', paidFen: 1 })).toThrow('not_paid');
    expect(() => correctInstalmentPayment(me, id, version, instalmentId(id, 1), { paidOn: '2025-04-09', paidFen: 50_000 })).toThrow('paid_before_agreed');
    expect(() => correctInstalmentPayment(me, id, version, instalmentId(id, 1), { paidOn: '2025-06-10', paidFen: 50_000 })).toThrow('correction_unchanged');
    expect(() => correctInstalmentPayment(me, id, version - 1, instalmentId(id, 1), null)).toThrow(ConflictError);
    // Another case's instalment, named through this case: not found.
    const other = approvedCase(me, ccb.id, '2025-06-10', 1, 50_000);
    expect(() => correctInstalmentPayment(me, id, version, instalmentId(other, 1), null)).toThrow(NotFoundError);
    unchanged();

    // A withdrawn case's plan is no longer the borrower's to keep.
    withdrawCase(me, id, version, '');
    expect(() => correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), null)).toThrow('plan_not_active');
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-10', paidFen: 50_000 });
  });

  it('a plan the lender voided is not corrected: not after a mediation settled the case, nor once a new plan runs', () => {
    const caseState = (caseId: number) => ({ version: versionOf(caseId), status: statusOf(caseId), rows: instalmentRows(caseId), events: eventsOf(caseId).length, reminders: reminderRows(caseId) });
    // Paid once, voided, escalated to mediation, and the mediation ends as settled.
    const id = approvedCase(me, ccb.id, '2025-06-10', 3, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paid: 50_000 });
    voidPlan(me, id, versionOf(id), { voidedOn: '2025-06-15', note: '' });
    escalateCase(me, id, versionOf(id), escalateInput({ submittedOn: '2025-06-16' }));
    closeEscalation(me, id, versionOf(id), 'settled', '');
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    const settled = caseState(id);
    expect(refusalOf(() => correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paidFen: 100 }))).toEqual(['instalment_plan_voided', undefined]);
    expect(refusalOf(() => correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), null))).toEqual(['instalment_plan_voided', undefined]);
    expect(caseState(id)).toEqual(settled);

    // Voided, applied for again, agreed anew: the first plan's instalments stay as they were.
    const other = approvedCase(me, ccb.id, '2025-06-10', 3, 50_000);
    const oldFirst = instalmentId(other, 1);
    markInstalmentPaid(me, other, versionOf(other), oldFirst, { paidOn: '2025-06-10', paid: 50_000 });
    voidPlan(me, other, versionOf(other), { voidedOn: '2025-06-15', note: '' });
    submitAttempt(me, other, versionOf(other), submitInput({ submittedOn: '2025-06-16' }));
    approveAttempt(me, other, versionOf(other), approveInput({ decidedOn: '2025-06-18', agreedPeriods: 2, agreedMonthly: 60_000, agreedFirstPaymentOn: '2025-07-10' }));
    const newFirst = (getDb().$client.prepare('select i.id from instalments i join plans p on p.id = i.plan_id where i.case_id = ? order by p.id desc, i.seq limit 1').get(other) as { id: number }).id;
    markInstalmentPaid(me, other, versionOf(other), newFirst, { paidOn: '2025-06-19', paid: 60_000 });
    const repaying = caseState(other);
    expect(repaying.status).toEqual({ status: 'repaying', outcome: null });
    // Its payment not paid after all (which would have put the case back to agreed), nor more of it.
    expect(refusalOf(() => correctInstalmentPayment(me, other, versionOf(other), oldFirst, null))).toEqual(['instalment_plan_voided', undefined]);
    expect(refusalOf(() => correctInstalmentPayment(me, other, versionOf(other), oldFirst, { paidOn: '2025-06-10', paidFen: 100 }))).toEqual(['instalment_plan_voided', undefined]);
    expect(caseState(other)).toEqual(repaying);
  });
});

describe('correctPlanTerms: the lender’s terms recorded wrongly, before the first payment', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');
  const schedule = (caseId: number) =>
    getDb().$client.prepare('select seq, due_on as dueOn, amount_fen as amountFen from instalments where case_id = ? order by seq').all(caseId);
  const openRules = (caseId: number) =>
    (getDb().$client
      .prepare(`select rule_key as ruleKey, kind, due_on as dueOn from reminders where case_id = ? and status = 'open' and rule_key like 'inst-%' order by due_on, kind`)
      .all(caseId) as { ruleKey: string; kind: string; dueOn: string }[]).map((r) => [r.kind, r.dueOn]);
  const lastEvent = (caseId: number) => {
    const e = getDb().$client.prepare('select kind, data from case_events where case_id = ? order by id desc limit 1').get(caseId) as { kind: string; data: string };
    return { kind: e.kind, data: JSON.parse(e.data) };
  };

  it('makes the plan again from the corrected terms, with its reminders, and says what changed', () => {
    // Agreed on 10 April: 2 × ¥500 from 25 June (today is 19 June).
    const id = approvedCase(me, ccb.id, '2025-06-25', 2, 50_000);
    expect(openRules(id)).toEqual([
      ['instalment_upcoming', '2025-06-22'],
      ['instalment_due', '2025-06-25'],
      ['instalment_upcoming', '2025-07-22'],
      ['instalment_due', '2025-07-25'],
    ]);
    const version = versionOf(id);
    // It was 3 × ¥450 from 1 July, ¥300 waived.
    correctPlanTerms(me, id, version, approveInput({ decidedOn: '2025-04-10', agreedPeriods: 3, agreedMonthly: 45_000, agreedFirstPaymentOn: '2025-07-01', agreedWaived: 30_000 }));
    expect(versionOf(id)).toBe(version + 1);
    expect(schedule(id)).toEqual([
      { seq: 1, dueOn: '2025-07-01', amountFen: 45_000 },
      { seq: 2, dueOn: '2025-08-01', amountFen: 45_000 },
      { seq: 3, dueOn: '2025-09-01', amountFen: 45_000 },
    ]);
    const plan = getDb().$client.prepare('select periods, monthly_fen as m, first_due_on as f, total_fen as t from plans where case_id = ?').get(id);
    expect(plan).toEqual({ periods: 3, m: 45_000, f: '2025-07-01', t: 135_000 });
    // The old instalments' reminders are closed, the new ones' open.
    expect(openRules(id)).toEqual([
      ['instalment_upcoming', '2025-06-28'],
      ['instalment_due', '2025-07-01'],
      ['instalment_upcoming', '2025-07-29'],
      ['instalment_due', '2025-08-01'],
      ['instalment_upcoming', '2025-08-29'],
      ['instalment_due', '2025-09-01'],
    ]);
    expect(lastEvent(id)).toEqual({
      kind: 'plan_terms_corrected',
      data: {
        round: 1,
        changes: { periods: [2, 3], monthlyFen: [50_000, 45_000], firstDueOn: ['2025-06-25', '2025-07-01'], waivedFen: [0, 30_000] },
      },
    });
    const attempt = getDb().$client.prepare('select agreed_periods as p, agreed_monthly_fen as m, agreed_waived_fen as w from attempts where case_id = ?').get(id);
    expect(attempt).toEqual({ p: 3, m: 45_000, w: 30_000 });
    expect(statusOf(id)).toBe('approved');
  });

  it('refuses once a payment is recorded, when nothing changes, and on a stale version; changes nothing', () => {
    const id = approvedCase(me, ccb.id, '2025-06-25', 2, 50_000);
    const terms = { decidedOn: '2025-04-10', agreedPeriods: 2, agreedMonthly: 50_000, agreedFirstPaymentOn: '2025-06-25', agreedWaived: 0 };
    expect(() => correctPlanTerms(me, id, versionOf(id), approveInput(terms))).toThrow('correction_unchanged');
    expect(() => correctPlanTerms(me, id, versionOf(id) - 1, approveInput({ ...terms, agreedPeriods: 4 }))).toThrow(ConflictError);
    // Decided before the application went in (1 April).
    expect(() => correctPlanTerms(me, id, versionOf(id), approveInput({ ...terms, decidedOn: '2025-03-31' }))).toThrow('decided_before_submitted');
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-19', paid: 50_000 });
    const before = schedule(id);
    const version = versionOf(id);
    expect(() => correctPlanTerms(me, id, version, approveInput({ ...terms, agreedPeriods: 4 }))).toThrow('plan_has_payments');
    expect(schedule(id)).toEqual(before);
    expect(versionOf(id)).toBe(version);
    // The payment undone (a mistake), the terms can be corrected again.
    correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), null);
    correctPlanTerms(me, id, versionOf(id), approveInput({ ...terms, agreedPeriods: 4 }));
    expect(schedule(id)).toHaveLength(4);
    // A case with no plan: nothing to correct.
    const fresh = makeCase(me, { lenderId: ccb.id });
    expect(() => correctPlanTerms(me, fresh, versionOf(fresh), approveInput(terms))).toThrow('plan_not_active');
  });

  it('keeps the decision on or after a request for materials it overtook; the request is overtaken on the corrected day', () => {
    // Applied 1 April, materials asked for on 3 April, the approval on 10 April came instead.
    const id = makeCase(me, { lenderId: ccb.id });
    submitAttempt(me, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
    requestMaterials(me, id, versionOf(id), materialsInput({ requestedOn: '2025-04-03', deadline: '2025-04-08' }));
    const terms = { decidedOn: '2025-04-10', agreedPeriods: 2, agreedMonthly: 50_000, agreedFirstPaymentOn: '2025-06-25', agreedWaived: 0 };
    approveAttempt(me, id, versionOf(id), approveInput(terms));
    const closedOn = () => (getDb().$client.prepare('select closed_on as closedOn from material_requests where case_id = ?').get(id) as { closedOn: string }).closedOn;
    expect(closedOn()).toBe('2025-04-10');
    const version = versionOf(id);
    expect(refusalOf(() => correctPlanTerms(me, id, version, approveInput({ ...terms, decidedOn: '2025-04-02' })))).toEqual(['decided_before_requested', 'decidedOn']);
    expect(versionOf(id)).toBe(version);
    expect(closedOn()).toBe('2025-04-10');
    correctPlanTerms(me, id, version, approveInput({ ...terms, decidedOn: '2025-04-03' }));
    expect(closedOn()).toBe('2025-04-03');
  });

  const statusOf = (caseId: number) => (getDb().$client.prepare('select status from cases where id = ?').get(caseId) as { status: string }).status;
});

describe('payOffPlan: the rest paid at once, often for less', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');
  const planOf = (caseId: number) =>
    getDb().$client.prepare('select paid_off_on as paidOffOn, paid_off_owed_fen as owedFen, total_fen as totalFen from plans where case_id = ?').get(caseId);
  const openReminders = (caseId: number) =>
    getDb().$client.prepare(`select rule_key as ruleKey from reminders where case_id = ? and status = 'open' and rule_key is not null`).all(caseId);

  it('settles what was owed with one payment: the rest go, a short one keeps what it had, the case is closed as settled', () => {
    // ¥500 on 10 May, June, July and August, agreed 10 April; today is 19 June.
    const id = approvedCase(me, ccb.id, '2025-05-10', 4, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-10', paid: 20_000 });
    expect(openReminders(id).length).toBeGreaterThan(0);
    const version = versionOf(id);
    const [second, third, fourth] = [2, 3, 4].map((seq) => instalmentId(id, seq));
    // Owed: ¥300 of the second, and the third and fourth: ¥1,300. The lender takes ¥1,000.20.
    payOffPlan(me, id, version, { paidOn: '2025-06-18', paid: 100_020, note: '一次性还清，剩余息费减免' });
    expect(instalmentRows(id)).toEqual([
      { seq: 1, dueOn: '2025-05-10', amountFen: 50_000, paidOn: '2025-05-10', paidFen: 50_000 },
      { seq: 2, dueOn: '2025-06-10', amountFen: 20_000, paidOn: '2025-06-10', paidFen: 20_000 },
      { seq: 3, dueOn: '2025-06-18', amountFen: 100_020, paidOn: '2025-06-18', paidFen: 100_020 },
    ]);
    expect(planOf(id)).toEqual({ paidOffOn: '2025-06-18', owedFen: 130_000, totalFen: 170_020 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    expect(versionOf(id)).toBe(version + 1);
    expect(openReminders(id)).toEqual([]);
    expect(lastEvent(id)).toEqual({
      kind: 'plan_paid_off',
      data: {
        paidOn: '2025-06-18',
        paidFen: 100_020,
        owedFen: 130_000,
        unpaid: 3,
        note: '一次性还清，剩余息费减免',
        // What it settled, as it was: what undoing the payoff puts back.
        dropped: [
          { id: second, seq: 2, dueOn: '2025-06-10', amountFen: 50_000, paidOn: '2025-06-10', paidFen: 20_000 },
          { id: third, seq: 3, dueOn: '2025-07-10', amountFen: 50_000, paidOn: null, paidFen: null },
          { id: fourth, seq: 4, dueOn: '2025-08-10', amountFen: 50_000, paidOn: null, paidFen: null },
        ],
      },
    });
    // Nothing is owed, so nothing is missed, and no payment may follow.
    expect(() => markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 3), { paidOn: '2025-06-19', paid: 1 })).toThrow('already_paid');
  });

  it('from an approved plan with nothing paid yet, for the whole amount', () => {
    const id = approvedCase(me, ccb.id, '2025-07-10', 3, 50_000);
    payOffPlan(me, id, versionOf(id), { paidOn: '2025-06-19', paid: 150_000, note: '' });
    expect(instalmentRows(id)).toEqual([{ seq: 1, dueOn: '2025-06-19', amountFen: 150_000, paidOn: '2025-06-19', paidFen: 150_000 }]);
    expect(planOf(id)).toEqual({ paidOffOn: '2025-06-19', owedFen: 150_000, totalFen: 150_000 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    expect(lastEvent(id).data).toMatchObject({ paidOn: '2025-06-19', paidFen: 150_000, owedFen: 150_000, unpaid: 3 });
  });

  it('refuses more than was owed, a day before the agreement or an earlier payment, a stale version, a plan no longer standing; changes nothing', () => {
    const id = approvedCase(me, ccb.id, '2025-05-10', 3, 50_000); // agreed 10 April
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-12', paid: 50_000 });
    const version = versionOf(id);
    const before = [instalmentRows(id), planOf(id), statusOf(id)];
    expect(() => payOffPlan(me, id, version, { paidOn: '2025-06-19', paid: 100_001, note: '' })).toThrow('paid_off_over_owed');
    expect(() => payOffPlan(me, id, version, { paidOn: '2025-05-11', paid: 90_000, note: '' })).toThrow('payoff_before_last_payment');
    expect(() => payOffPlan(me, id, version - 1, { paidOn: '2025-06-19', paid: 90_000, note: '' })).toThrow(ConflictError);
    expect([instalmentRows(id), planOf(id), statusOf(id)]).toEqual(before);
    expect(versionOf(id)).toBe(version);
    const early = approvedCase(me, ccb.id, '2025-05-10', 2, 50_000);
    expect(() => payOffPlan(me, early, versionOf(early), { paidOn: '2025-04-09', paid: 90_000, note: '' })).toThrow('payoff_before_agreed');
    withdrawCase(me, early, versionOf(early), '');
    expect(() => payOffPlan(me, early, versionOf(early), { paidOn: '2025-06-19', paid: 90_000, note: '' })).toThrow('plan_not_active');
    // Another borrower's case is not found, and not changed.
    const other = makeBorrower();
    expect(() => payOffPlan(other, id, version, { paidOn: '2025-06-19', paid: 90_000, note: '' })).toThrow(NotFoundError);
    expect([instalmentRows(id), planOf(id), statusOf(id)]).toEqual(before);
  });

  it('its payoff is corrected as a payment in full: amount and date, never "not paid"; the instalments it settled are not corrected', () => {
    const id = approvedCase(me, ccb.id, '2025-05-10', 3, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    payOffPlan(me, id, versionOf(id), { paidOn: '2025-06-18', paid: 80_000, note: '' });
    const payoff = instalmentId(id, 2);
    expect(() => correctInstalmentPayment(me, id, versionOf(id), payoff, null)).toThrow('payoff_needs_payment');
    expect(() => correctInstalmentPayment(me, id, versionOf(id), payoff, { paidOn: '2025-06-18', paidFen: 100_001 })).toThrow('paid_off_over_owed');
    expect(() => correctInstalmentPayment(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paidFen: 40_000 })).toThrow('plan_paid_off');
    // Not dated before the payment recorded before it.
    expect(() => correctInstalmentPayment(me, id, versionOf(id), payoff, { paidOn: '2025-05-09', paidFen: 80_000 })).toThrow('payoff_before_last_payment');
    correctInstalmentPayment(me, id, versionOf(id), payoff, { paidOn: '2025-06-17', paidFen: 85_000 });
    expect(instalmentRows(id)).toEqual([
      { seq: 1, dueOn: '2025-05-10', amountFen: 50_000, paidOn: '2025-05-10', paidFen: 50_000 },
      { seq: 2, dueOn: '2025-06-17', amountFen: 85_000, paidOn: '2025-06-17', paidFen: 85_000 },
    ]);
    expect(planOf(id)).toEqual({ paidOffOn: '2025-06-17', owedFen: 100_000, totalFen: 135_000 });
    expect(statusOf(id)).toEqual({ status: 'closed', outcome: 'settled' });
    expect(openReminders(id)).toEqual([]);
  });

  it('is checked in the form: a date not in the future, a positive amount in yuan', () => {
    expect(payOffSchema.safeParse({ paidOn: '2025-06-19', paid: '1000.20', note: '' })).toMatchObject({ success: true, data: { paid: 100_020 } });
    expect(payOffSchema.safeParse({ paidOn: '2025-06-20', paid: '1000', note: '' }).success).toBe(false);
    expect(payOffSchema.safeParse({ paidOn: '2025-06-19', paid: '0', note: '' }).success).toBe(false);
    expect(payOffSchema.safeParse({ paidOn: '2025-06-19', paid: '1.234', note: '' }).success).toBe(false);
  });
});

describe('undoPlanEnd: a payoff or a cancelled plan recorded by mistake', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');
  const planOf = (caseId: number) =>
    getDb().$client
      .prepare('select paid_off_on as paidOffOn, paid_off_owed_fen as owedFen, voided_on as voidedOn, total_fen as totalFen from plans where case_id = ?')
      .get(caseId);
  /** The case's open rule reminders, with the instalment's seq in place of its id. */
  const openRules = (caseId: number) =>
    (
      getDb().$client
        .prepare(
          `select r.rule_key as ruleKey, r.due_on as dueOn, i.seq from reminders r
           left join instalments i on i.id = cast(substr(r.rule_key, instr(r.rule_key, ':') + 1) as integer) and r.rule_key like 'inst-%'
           where r.case_id = ? and r.status = 'open' and r.rule_key is not null order by r.rule_key`,
        )
        .all(caseId) as { ruleKey: string; dueOn: string; seq: number | null }[]
    ).map((r) => `${r.ruleKey.replace(/:\d+(:\d+)?$/, r.seq ? `:#${r.seq}` : ':#')} ${r.dueOn}`);
  it('a payoff undone: its payment goes, what it settled comes back as it was, the plan is repaid again with its reminders', () => {
    // ¥500 on 10 May, June, July and August; the first paid, ¥200 of the second. Today is 19 June.
    const id = approvedCase(me, ccb.id, '2025-05-10', 4, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-10', paid: 20_000 });
    const before = { rows: instalmentRows(id), plan: planOf(id), status: statusOf(id), rules: openRules(id) };
    payOffPlan(me, id, versionOf(id), { paidOn: '2025-06-18', paid: 100_020, note: '' });
    const version = versionOf(id);
    undoPlanEnd(me, id, version);
    expect(instalmentRows(id)).toEqual(before.rows);
    expect(planOf(id)).toEqual(before.plan);
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });
    expect(versionOf(id)).toBe(version + 1);
    // The rest of the second instalment is owed again; the third's notice and day, the fourth's.
    expect(openRules(id)).toEqual([
      'inst-due:#3 2025-07-10',
      'inst-due:#4 2025-08-10',
      'inst-pre:#3 2025-07-07',
      'inst-pre:#4 2025-08-07',
      'inst-short:#2 2025-06-10',
    ]);
    expect(openRules(id)).toEqual(before.rules.map((r) => r).sort());
    expect(lastEvent(id)).toEqual({ kind: 'plan_end_undone', data: { ended: 'paid_off', endedOn: '2025-06-18', restored: 3, restoredFen: 130_000 } });
    // Nothing left to undo; the plan takes payments again.
    expect(() => undoPlanEnd(me, id, versionOf(id))).toThrow('plan_not_ended');
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-19', paid: 30_000 });
    expect(statusOf(id).status).toBe('repaying');
  });

  it('a payoff undone: the chase of a promise still awaited opens again; one whose outcome was recorded stays closed', () => {
    const id = approvedCase(me, ccb.id, '2025-05-10', 4, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    const awaited = addContact(me, id, contactInput({ occurredAt: new Date('2025-05-12T02:00:00Z'), promise: '减免罚息的书面确认', promiseDue: '2025-05-20' }));
    const kept = addContact(me, id, contactInput({ occurredAt: new Date('2025-05-13T02:00:00Z'), promise: '三天内回电', promiseDue: '2025-05-16' }));
    recordPromiseOutcome(me, id, versionOf(id), kept, { outcome: 'kept', on: '2025-05-15' });
    const chases = () =>
      getDb().$client.prepare(`select rule_key as ruleKey, status from reminders where case_id = ? and rule_key like 'promise:%' order by rule_key`).all(id) as { ruleKey: string; status: string }[];
    const before = chases();
    expect(before).toEqual([
      { ruleKey: `promise:${awaited}`, status: 'open' },
      { ruleKey: `promise:${kept}`, status: 'done' },
    ]);
    payOffPlan(me, id, versionOf(id), { paidOn: '2025-06-18', paid: 140_000, note: '' });
    expect(chases().map((r) => r.status)).toEqual(['done', 'done']);
    undoPlanEnd(me, id, versionOf(id));
    expect(chases()).toEqual(before);
  });

  it('a payoff of a plan with nothing else paid goes back to agreed; an instalment whose day passed meanwhile is missed at once', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    payOffPlan(me, id, versionOf(id), { paidOn: '2025-06-11', paid: 90_000, note: '' });
    undoPlanEnd(me, id, versionOf(id));
    expect(statusOf(id)).toEqual({ status: 'approved', outcome: null });
    expect(instalmentRows(id)).toEqual([
      { seq: 1, dueOn: '2025-06-10', amountFen: 50_000, paidOn: null, paidFen: null },
      { seq: 2, dueOn: '2025-07-10', amountFen: 50_000, paidOn: null, paidFen: null },
    ]);
    expect(planOf(id)).toEqual({ paidOffOn: null, owedFen: null, voidedOn: null, totalFen: 100_000 });
    expect(openRules(id)).toEqual(['inst-due:#2 2025-07-10', 'inst-missed:#1 2025-06-11', 'inst-pre:#2 2025-07-07']);
  });

  it('a cancelled plan undone: the same instalments come back, with their reminders; those the borrower had closed stay closed', () => {
    const id = approvedCase(me, ccb.id, '2025-05-10', 4, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    systemSweepReminders(new Date('2025-06-19T02:00:00Z'));
    const ids = [2, 3, 4].map((seq) => instalmentId(id, seq));
    const rowOf = (key: string) => getDb().$client.prepare('select id, status, auto_closed as autoClosed from reminders where rule_key = ?').get(key) as { id: number; status: string; autoClosed: number };
    // The second's "missed" seen and dismissed; the fourth's notice dismissed; the third's left open.
    setReminderStatus(me, rowOf(`inst-missed:${ids[0]}`).id, 'dismissed');
    setReminderStatus(me, rowOf(`inst-pre:${ids[2]}`).id, 'dismissed');
    const keptKeys = [`inst-pre:${ids[1]}`, `inst-due:${ids[1]}`, `inst-due:${ids[2]}`];
    const kept = keptKeys.map((key) => rowOf(key));
    voidPlan(me, id, versionOf(id), { voidedOn: '2025-06-15', note: '' });
    undoPlanEnd(me, id, versionOf(id));
    expect([2, 3, 4].map((seq) => instalmentId(id, seq))).toEqual(ids);
    expect(rowOf(`inst-missed:${ids[0]}`).status).toBe('dismissed');
    expect(rowOf(`inst-pre:${ids[2]}`).status).toBe('dismissed');
    // The rest open again, the same rows.
    expect(keptKeys.map((key) => rowOf(key))).toEqual(kept.map((r) => ({ id: r.id, status: 'open', autoClosed: 0 })));
    // No second row for any of them: every instalment reminder of the case is one of the same instalments'.
    const keys = (getDb().$client.prepare("select rule_key as k from reminders where case_id = ? and rule_key like 'inst-%'").all(id) as { k: string }[]).map((r) => r.k);
    expect(new Set(keys).size).toBe(keys.length);
    const instalmentIds = new Set([instalmentId(id, 1), ...ids]);
    expect(keys.filter((k) => !instalmentIds.has(Number(k.split(':')[1])))).toEqual([]);
  });

  it('a cancelled plan undone: the dropped instalments come back, the plan stands again, "decide the next step" closes', () => {
    const id = approvedCase(me, ccb.id, '2025-05-10', 4, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-10', paid: 50_000 });
    const before = { rows: instalmentRows(id), plan: planOf(id) };
    voidPlan(me, id, versionOf(id), { voidedOn: '2025-06-15', note: '逾期一期' });
    expect(statusOf(id).status).toBe('rejected');
    expect(openRules(id).some((r) => r.startsWith('next-step:'))).toBe(true);
    undoPlanEnd(me, id, versionOf(id));
    expect(instalmentRows(id)).toEqual(before.rows);
    expect(planOf(id)).toEqual(before.plan);
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });
    // The second instalment's day passed unpaid: missed; the third and fourth as before.
    expect(openRules(id)).toEqual(['inst-due:#3 2025-07-10', 'inst-due:#4 2025-08-10', 'inst-missed:#2 2025-06-11', 'inst-pre:#3 2025-07-07', 'inst-pre:#4 2025-08-07']);
    expect(lastEvent(id)).toEqual({ kind: 'plan_end_undone', data: { ended: 'voided', endedOn: '2025-06-15', restored: 3, restoredFen: 150_000 } });
    // With nothing paid, a cancelled plan undone is agreed again.
    const unpaid = approvedCase(me, ccb.id, '2025-07-10', 2, 50_000);
    voidPlan(me, unpaid, versionOf(unpaid), { voidedOn: '2025-06-15', note: '' });
    undoPlanEnd(me, unpaid, versionOf(unpaid));
    expect(statusOf(unpaid)).toEqual({ status: 'approved', outcome: null });
  });

  it('refuses once something followed the end, an end kept without its instalments, a stale version, an outsider, an advisor; changes nothing', () => {
    const snapshot = (id: number) => [instalmentRows(id), planOf(id), statusOf(id), versionOf(id), openRules(id)];
    // A new round after the cancellation: the old plan's end stands.
    const reapplied = approvedCase(me, ccb.id, '2025-05-10', 3, 50_000);
    voidPlan(me, reapplied, versionOf(reapplied), { voidedOn: '2025-06-15', note: '' });
    submitAttempt(me, reapplied, versionOf(reapplied), submitInput({ submittedOn: '2025-06-16' }));
    let before = snapshot(reapplied);
    expect(() => undoPlanEnd(me, reapplied, versionOf(reapplied))).toThrow('plan_not_ended');
    expect(snapshot(reapplied)).toEqual(before);
    // A plan that stands, and one never ended: nothing to undo.
    const standing = approvedCase(me, ccb.id, '2025-07-10', 2, 50_000);
    expect(() => undoPlanEnd(me, standing, versionOf(standing))).toThrow('plan_not_ended');
    // An end recorded before endings kept their instalments.
    const old = approvedCase(me, ccb.id, '2025-07-10', 2, 50_000);
    payOffPlan(me, old, versionOf(old), { paidOn: '2025-06-19', paid: 90_000, note: '' });
    getDb().$client.prepare(`update case_events set data = json_remove(data, '$.dropped') where case_id = ? and kind = 'plan_paid_off'`).run(old);
    before = snapshot(old);
    expect(() => undoPlanEnd(me, old, versionOf(old))).toThrow('plan_end_not_undoable');
    expect(snapshot(old)).toEqual(before);
    // A stale version, another borrower, the advisor the case is shared with.
    const id = approvedCase(me, ccb.id, '2025-07-10', 2, 50_000);
    payOffPlan(me, id, versionOf(id), { paidOn: '2025-06-19', paid: 90_000, note: '' });
    before = snapshot(id);
    expect(() => undoPlanEnd(me, id, versionOf(id) - 1)).toThrow(ConflictError);
    expect(() => undoPlanEnd(makeBorrower(), id, versionOf(id))).toThrow(NotFoundError);
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(me, 'family').code);
    expect(() => undoPlanEnd(advisor, id, versionOf(id))).toThrow(ForbiddenError);
    expect(snapshot(id)).toEqual(before);
  });
});

describe('voidPlan: the day the lender cancelled the plan', () => {
  const me = makeBorrower();
  const ccb = lenderNamed(me, '建设银行');

  it('is not before a payment recorded on the plan (the lender took it while the plan stood); the day of that payment is', () => {
    // Agreed on 10 April; ¥500 paid on 31 May.
    const id = approvedCase(me, ccb.id, '2025-05-10', 3, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-05-31', paid: 50_000 });
    const version = versionOf(id);
    const refused = thrown(() => voidPlan(me, id, version, { voidedOn: '2025-04-20', note: '' }));
    expect(refused).toBeInstanceOf(DomainError);
    expect([(refused as DomainError).code, (refused as DomainError).detail]).toEqual(['voided_before_last_payment', { field: 'voidedOn', values: { lastPaidOn: '2025-05-31' } }]);
    expect(versionOf(id)).toBe(version);
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });
    voidPlan(me, id, version, { voidedOn: '2025-05-31', note: '' });
    expect(statusOf(id)).toEqual({ status: 'rejected', outcome: null });
  });
});
