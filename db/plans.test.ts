import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  approveInput,
  makeAdvisor,
  makeBorrower,
  makeCase,
  publicLender,
  submitInput,
  versionOf,
} from '@/tests/factories';
import { listLenders } from './lenders';
import { approveAttempt, submitAttempt, withdrawCase } from './attempts';
import { getDb } from './client';
import { listInstalmentsForMonth, markInstalmentPaid } from './plans';
import { acceptInvite, createInvite } from './shares';
import type { Viewer } from './viewer-type';

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
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-12', paid: 30_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-12', paidFen: 30_000 });
    const short = openReminders(id).filter((r) => r.kind === 'instalment_short');
    expect(short).toEqual([{ ruleKey: `inst-short:${instalmentId(id, 1)}:30000`, kind: 'instalment_short', dueOn: '2025-06-12', urgent: 1, data: expect.any(String) }]);
    expect(JSON.parse(short[0]!.data)).toMatchObject({ seq: 1, periods: 2, amountFen: 20_000, dueOn: '2025-06-10' });

    // The second instalment paid in full does not settle the plan: the first is still short.
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 2), { paidOn: '2025-06-19', paid: 50_000 });
    expect(statusOf(id)).toEqual({ status: 'repaying', outcome: null });

    // Part of the rest: the reminder now asks for what is left.
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-15', paid: 15_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-06-15', paidFen: 45_000 });
    const again = openReminders(id).filter((r) => r.kind === 'instalment_short');
    expect(again.map((r) => [r.ruleKey, JSON.parse(r.data).amountFen])).toEqual([[`inst-short:${instalmentId(id, 1)}:45000`, 5_000]]);
    expect(statusOf(id).status).toBe('repaying');

    // The rest, dated before the last payment on it: refused, nothing changes.
    const version = versionOf(id);
    expect(() => markInstalmentPaid(me, id, version, instalmentId(id, 1), { paidOn: '2025-06-14', paid: 5_000 })).toThrow('paid_before_earlier_payment');
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

  it('a short payment before the date asks for the rest by the date, not urgently', () => {
    const id = approvedCase(me, ccb.id, '2025-06-25', 1, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-19', paid: 49_999 });
    expect(openReminders(id).map((r) => [r.kind, r.dueOn, r.urgent])).toEqual([['instalment_short', '2025-06-25', 0]]);
    expect(statusOf(id).status).toBe('repaying');
  });

  it('an instalment paid in full takes no further payment', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000);
    markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-10', paid: 50_000 });
    expect(() => markInstalmentPaid(me, id, versionOf(id), instalmentId(id, 1), { paidOn: '2025-06-11', paid: 1 })).toThrow('already_paid');
  });

  it('refuses a payment dated before the lender agreed the plan, and changes nothing', () => {
    const id = approvedCase(me, ccb.id, '2025-06-10', 2, 50_000); // agreed on 10 April
    const version = versionOf(id);
    expect(() => markInstalmentPaid(me, id, version, instalmentId(id, 1), { paidOn: '2025-04-09', paid: 50_000 })).toThrow('paid_before_agreed');
    expect(versionOf(id)).toBe(version);
    expect(paidOf(id, 1)).toEqual({ paidOn: null, paidFen: null });
    // The day itself is allowed.
    markInstalmentPaid(me, id, version, instalmentId(id, 1), { paidOn: '2025-04-10', paid: 50_000 });
    expect(paidOf(id, 1)).toEqual({ paidOn: '2025-04-10', paidFen: 50_000 });
  });
});
