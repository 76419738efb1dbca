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

/** A case approved with a plan of `periods` instalments of `monthly` fen from `first`. */
function approvedCase(owner: Viewer, lenderId: number, first: string, periods: number, monthly: number): number {
  const id = makeCase(owner, { lenderId });
  submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-04-01' }));
  approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: '2025-04-10', agreedPeriods: periods, agreedMonthly: monthly, agreedFirstPaymentOn: first }));
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
    const settled = approvedCase(owner, lender.id, '2025-03-10', 2, 20_000);
    markInstalmentPaid(owner, settled, versionOf(settled), instalmentId(settled, 1), { paidOn: '2025-03-10', paid: 20_000 });
    markInstalmentPaid(owner, settled, versionOf(settled), instalmentId(settled, 2), { paidOn: '2025-04-09', paid: 20_000 });
    const withdrawn = approvedCase(owner, lender.id, '2025-03-15', 2, 30_000);
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
