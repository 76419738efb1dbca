import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { advisorCharts, advisorFigures, attentionItems, exportAdvisorCases, forgetKeptDashboards, listAdvisorCases, listAdvisorLenders, type AdvisorSort } from './advisor';
import { systemCalendarForToken, getCalendarFeedUrlToken } from './calendar';
import { borrowerTotals, getCaseDetail, listCasesForBorrower } from './cases';
import { getDb } from './client';
import { suggestChecklist } from './documents';
import { generateInto } from './generate';
import { systemDigestNotes, systemEnqueueDigests, systemEnqueueUrgent } from './mailer';
import { listRecentAdvisorNotes } from './notes';
import { listInstalmentsForMonth } from './plans';
import { countDueReminders, listCaseReminders, listOpenReminders, systemSweepReminders } from './reminders';
import { listEndedSharesForAdvisor, listSharesForBorrower, previewInvite } from './shares';
import type { Viewer } from './viewer-type';

/**
 * Issue 6: every hot query uses an index and scans no big table. A small generated dataset goes
 * into the test database; each verb runs with better-sqlite3's prepare wrapped to record the
 * statements it runs and their parameters; each is then EXPLAIN QUERY PLAN'd with the same ones.
 */

const BIG_TABLES = new Set([
  'cases', 'attempts', 'instalments', 'reminders', 'documents', 'contacts', 'case_events', 'shares',
  'material_requests', 'access_log', 'email_deliveries', 'plans', 'users', 'sessions', 'case_facts',
]);

/**
 * Aliases the hand-written SQL gives big tables (EXPLAIN QUERY PLAN names the alias).
 * The allow-list is what is NOT in BIG_TABLES: lenders (a directory of a few dozen rows, plus a
 * borrower's own) may be scanned, and so may a subquery's result (`SCAN (subquery-N)`).
 * A covering-index scan reads a narrow index, not the table, and is allowed too.
 */
const ALIASES: Record<string, string> = {
  r: 'reminders', d: 'email_deliveries', p: 'plans', i: 'instalments', c: 'cases', c2: 'cases', s: 'shares', u: 'users',
  existing: 'shares', again: 'shares',
};

type Recorded = { sql: string; params: unknown[] };

function record<T>(fn: () => T): { result: T; statements: Recorded[] } {
  const client = getDb().$client;
  const statements: Recorded[] = [];
  const original = client.prepare;
  client.prepare = function (this: typeof client, source: string) {
    const stmt = original.call(this, source);
    for (const method of ['all', 'get', 'run', 'iterate'] as const) {
      const inner = (stmt as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!;
      (stmt as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        statements.push({ sql: source, params });
        return inner.apply(stmt, params);
      };
    }
    return stmt;
  } as typeof client.prepare;
  try {
    return { result: fn(), statements };
  } finally {
    client.prepare = original;
  }
}

/** The big tables a statement scans (a covering-index scan reads the index only and is allowed). */
function scans(statement: Recorded): string[] {
  const client = getDb().$client;
  const plan = client.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params) as { detail: string }[];
  if (process.env.QP_DUMP) appendFileSync(process.env.QP_DUMP, `${statement.sql}\n  ${plan.map((r) => r.detail).join('\n  ')}\n\n`);
  const details = plan.map((row) => row.detail);
  // A scan in disguise: every lender as the outer loop, then all of each lender's cases.
  const throughLenders = details.some((d) => /^SCAN lenders/.test(d)) && details.some((d) => /cases_lender_idx/.test(d));
  return [...(throughLenders ? ['SCAN lenders, then cases by cases_lender_idx'] : []), ...details
    .filter((detail) => {
      const m = /^SCAN (\w+)/.exec(detail);
      if (!m) return false;
      if (/USING COVERING INDEX/.test(detail)) return false;
      const table = ALIASES[m[1]!] ?? m[1]!;
      return BIG_TABLES.has(table);
    })];
}

function plannable(s: Recorded): boolean {
  return /^\s*(select|update|delete|with|insert[\s\S]*\bselect\b)/i.test(s.sql) && !/^\s*(begin|commit|rollback|savepoint|release)/i.test(s.sql);
}

function expectIndexed(name: string, fn: () => unknown) {
  const { statements } = record(fn);
  const planned = statements.filter(plannable);
  expect(planned.length, `${name} ran no query`).toBeGreaterThan(0);
  const failures = planned
    .map((s) => ({ sql: s.sql, scans: scans(s) }))
    .filter((f) => f.scans.length > 0);
  expect(failures, `${name} scans a table`).toEqual([]);
}

let advisor: Viewer;
let borrower: Viewer;
let borrowerCaseId: number;
let borrowerLenderId: number;
const today = '2026-06-15';

describe('query plans on a generated dataset', () => {
  beforeAll(() => {
    const db = getDb();
    const domain = `qp-${randomBytes(4).toString('hex')}.test`;
    const result = generateInto(db, { seed: 7, size: 'small', today, emailDomain: domain });
    // No ANALYZE: the app never runs it, so these are the plans a real database gets.
    if (process.env.QP_ANALYZE === '1') db.$client.exec('ANALYZE');
    const asViewer = (email: string): Viewer => {
      const u = db.$client.prepare('SELECT id, email, display_name AS displayName, role, locale FROM users WHERE email = ?').get(email) as Omit<Viewer, 'sessionId'>;
      return { ...u, sessionId: 'none' };
    };
    advisor = asViewer(result.busiestAdvisorEmail);
    const busiest = db.$client
      .prepare(`SELECT u.email AS email FROM users u JOIN cases c ON c.owner_id = u.id WHERE u.email LIKE ? GROUP BY u.id ORDER BY count(*) DESC LIMIT 1`)
      .get(`%@${domain}`) as { email: string };
    borrower = asViewer(busiest.email);
    const c = db.$client
      .prepare(`SELECT id, lender_id AS lenderId FROM cases WHERE owner_id = ? AND status = 'repaying' ORDER BY id LIMIT 1`)
      .get(borrower.id) as { id: number; lenderId: number } | undefined;
    const any = c ?? (db.$client.prepare(`SELECT id, lender_id AS lenderId FROM cases WHERE owner_id = ? LIMIT 1`).get(borrower.id) as { id: number; lenderId: number });
    borrowerCaseId = any.id;
    borrowerLenderId = any.lenderId;
  });

  it('the borrower\'s case list, with and without filters', () => {
    expectIndexed('listCasesForBorrower', () => listCasesForBorrower(borrower));
    expectIndexed('listCasesForBorrower status', () => listCasesForBorrower(borrower, { status: 'repaying' }));
    expectIndexed('listCasesForBorrower lender', () => listCasesForBorrower(borrower, { lenderId: borrowerLenderId }));
    expectIndexed('listCasesForBorrower q', () => listCasesForBorrower(borrower, { q: '花呗' }));
    expectIndexed('listCasesForBorrower archived', () => listCasesForBorrower(borrower, { archived: true }));
    expectIndexed('borrowerTotals', () => borrowerTotals(borrower));
  });

  it('the case page, as its borrower and as an advisor', () => {
    expectIndexed('getCaseDetail', () => getCaseDetail(borrower, borrowerCaseId));
    const shared = getDb().$client
      .prepare(`SELECT c.id AS id FROM cases c JOIN shares s ON s.borrower_id = c.owner_id WHERE s.advisor_id = ? AND s.status = 'active' LIMIT 1`)
      .get(advisor.id) as { id: number };
    expectIndexed('getCaseDetail (advisor)', () => getCaseDetail(advisor, shared.id));
    expectIndexed('suggestChecklist', () => suggestChecklist(borrower, borrowerCaseId));
    expectIndexed('suggestChecklist (advisor)', () => suggestChecklist(advisor, shared.id));
    expectIndexed('listCaseReminders (advisor)', () => listCaseReminders(advisor, shared.id));
  });

  it('reminders and the instalment calendar', () => {
    expectIndexed('listOpenReminders', () => listOpenReminders(borrower));
    expectIndexed('listOpenReminders case', () => listOpenReminders(borrower, { caseId: borrowerCaseId }));
    expectIndexed('countDueReminders', () => countDueReminders(borrower, today));
    expectIndexed('listCaseReminders', () => listCaseReminders(borrower, borrowerCaseId));
    expectIndexed('listInstalmentsForMonth', () => listInstalmentsForMonth(borrower, today.slice(0, 7)));
  });

  it('the advisors\' notes on the borrower\'s home', () => {
    expectIndexed('listRecentAdvisorNotes', () => listRecentAdvisorNotes(borrower, new Date('2026-06-01T00:00:00+08:00')));
  });

  it('the advisor dashboard, table and export', () => {
    // A fresh viewer object for each: db/advisor.ts keeps the rows it read with the viewer object
    // (one request's), and a verb that reuses them runs only the write-stamp check.
    const fresh = (): Viewer => ({ ...advisor });
    expectIndexed('advisorFigures', () => advisorFigures(fresh(), today));
    expectIndexed('attentionItems', () => attentionItems(fresh(), today));
    expectIndexed('advisorCharts', () => advisorCharts(fresh(), today));
    expectIndexed('listAdvisorLenders', () => listAdvisorLenders(fresh(), today));
    expectIndexed('listAdvisorCases', () => listAdvisorCases(fresh(), {}, today));
    for (const sort of ['client', 'lender', 'status', 'total', 'next', 'updated'] as AdvisorSort[]) {
      expectIndexed(`listAdvisorCases sort ${sort}`, () => listAdvisorCases(fresh(), { sort, dir: 'desc', page: 2 }, today));
    }
    expectIndexed('listAdvisorCases filters', () =>
      listAdvisorCases(fresh(), { status: 'under_review', lenderId: borrowerLenderId, q: '王', attention: true }, today),
    );
    expectIndexed('listAdvisorCases client', () => listAdvisorCases(fresh(), { clientId: borrower.id }, today));
    expectIndexed('exportAdvisorCases', () => exportAdvisorCases(fresh(), { status: 'repaying' }, today));
    // Advisors whose clients stopped sharing lately, as the generator makes them (the busiest has every
    // borrower of the small size as a client): the list is read through the advisor index.
    const noon = new Date(`${today}T12:00:00+08:00`);
    const endedWith = getDb().$client
      .prepare(`SELECT u.id AS id, u.email AS email, u.display_name AS displayName, u.role AS role, u.locale AS locale FROM shares s JOIN users u ON u.id = s.advisor_id WHERE s.status = 'revoked' AND s.revoked_at > ? LIMIT 1`)
      .get(noon.getTime() - 30 * 86_400_000) as Omit<Viewer, 'sessionId'>;
    const endedAdvisor: Viewer = { ...endedWith, sessionId: 'none' };
    expect(listEndedSharesForAdvisor(endedAdvisor, noon).length).toBeGreaterThan(0);
    expectIndexed('listEndedSharesForAdvisor', () => listEndedSharesForAdvisor(endedAdvisor, noon));
    // The page's five verbs on one viewer, nothing kept from before: the advisor's data version,
    // then the case set, read once, each statement once.
    forgetKeptDashboards();
    const { statements } = record(() => {
      const v = fresh();
      advisorFigures(v, today);
      attentionItems(v, today);
      advisorCharts(v, today);
      listAdvisorLenders(v, today);
      listAdvisorCases(v, {}, today);
    });
    const reads = statements.filter((s) => !/total_changes\(\)/.test(s.sql));
    expect(reads.length).toBe(new Set(reads.map((s) => s.sql)).size);
    expect(reads.length).toBe(6);
    for (const s of reads) expect(scans(s), s.sql).toEqual([]);
    // The version: a primary-key lookup in data_versions for the advisor, row 0 and each active client.
    const versionRead = reads.find((s) => /from "data_versions"/.test(s.sql));
    expect(versionRead, 'the version statement').toBeDefined();
    const versionPlan = (getDb().$client.prepare(`EXPLAIN QUERY PLAN ${versionRead!.sql}`).all(...versionRead!.params) as { detail: string }[]).map((r) => r.detail);
    expect(versionPlan).toContain('SEARCH data_versions USING INTEGER PRIMARY KEY (rowid=?)');
    expect(versionPlan).toContain('SEARCH shares USING COVERING INDEX shares_advisor_idx (advisor_id=? AND status=?)');
    // The next request finds the rows kept (nothing written): it reads the version alone.
    const again = record(() => listAdvisorCases(fresh(), {}, today)).statements.filter((s) => !/total_changes\(\)/.test(s.sql));
    expect(again.map((s) => s.sql)).toEqual(reads.filter((s) => /from "data_versions"/.test(s.sql)).map((s) => s.sql));
    // The case set comes from case_facts alone (migration 0006), one primary-key range per client,
    // driven by the client list (shares_advisor_idx); the clients' names and the lenders are read
    // once beside it, not looked up per row. No base table of the facts is read.
    const facts = reads.find((s) => /from "case_facts"/.test(s.sql));
    expect(facts, 'the case-set statement').toBeDefined();
    const plan = (getDb().$client.prepare(`EXPLAIN QUERY PLAN ${facts!.sql}`).all(...facts!.params) as { detail: string }[]).map((r) => r.detail);
    expect(plan[0]).toBe('SEARCH case_facts USING PRIMARY KEY (owner_id=?)');
    expect(plan).toContain('SEARCH shares USING COVERING INDEX shares_advisor_idx (advisor_id=? AND status=?)');
    expect(plan.filter((d) => /\b(users|lenders|cases|instalments|material_requests|contacts|attempts)\b/.test(d))).toEqual([]);
    const planOfRead = (re: RegExp) => {
      const read = reads.find((s) => re.test(s.sql));
      expect(read, String(re)).toBeDefined();
      return (getDb().$client.prepare(`EXPLAIN QUERY PLAN ${read!.sql}`).all(...read!.params) as { detail: string }[]).map((r) => r.detail);
    };
    expect(planOfRead(/from "users"/)).toContain('SEARCH users USING INTEGER PRIMARY KEY (rowid=?)');
    const lenderPlan = planOfRead(/from "lenders"/);
    expect(lenderPlan).toContain('SEARCH lenders USING INTEGER PRIMARY KEY (rowid=?)');
    expect(lenderPlan).toContain('SEARCH case_facts USING PRIMARY KEY (owner_id=?)');
  });

  it("the sharing page's list, and an invitation's preview", () => {
    expectIndexed('listSharesForBorrower', () => listSharesForBorrower(borrower));
    const { statements } = record(() => previewInvite(advisor, 'AAAA-BBBB-CCCC'));
    expect(statements).toHaveLength(1);
    expect(scans(statements[0]!)).toEqual([]);
    // One query: the invitation by its code, and the advisor's active share with its borrower by the pair's index.
    const plan = (getDb().$client.prepare(`EXPLAIN QUERY PLAN ${statements[0]!.sql}`).all(...statements[0]!.params) as { detail: string }[]).map((r) => r.detail);
    expect(plan.some((d) => /^SEARCH shares USING INDEX shares_invite_code_unique/.test(d)), plan.join('\n')).toBe(true);
    expect(plan.some((d) => /^SEARCH existing USING (COVERING )?INDEX/.test(d)), plan.join('\n')).toBe(true);
  });

  it("case_facts' triggers refresh one case by its keys", () => {
    // The two statements every trigger of migrations 0006 and 0008 runs for the case(s) a write touched.
    const client = getDb().$client;
    const planOf = (source: string) => (client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(borrowerCaseId, borrowerCaseId) as { detail: string }[]).map((r) => r.detail);
    const remove = planOf('DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (?, ?))');
    expect(remove).toContain('SEARCH case_facts USING PRIMARY KEY (owner_id=? AND case_id=?)');
    const refill = planOf('INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (?, ?)');
    expect(refill[0]).toMatch(/^SEARCH c USING INTEGER PRIMARY KEY/);
    for (const index of ['instalments_unpaid_idx', 'material_requests_unsent_idx', 'reminders_case_idx', 'attempts_case_round_unique']) {
      expect(refill.join('\n')).toContain(index);
    }
    for (const detail of [...remove, ...refill]) expect(detail).not.toMatch(/^SCAN (?!.*COVERING INDEX)/);
  });

  it('the system jobs: the sweep, the mail queue and the calendar feed', () => {
    expectIndexed('systemSweepReminders', () => systemSweepReminders(new Date(`${today}T04:00:00Z`)));
    // "Pay the rest" of a short payment, past its date: read from its own partial index, not from every open reminder.
    const short = record(() => systemSweepReminders(new Date(`${today}T04:00:00Z`))).statements.find((st) => st.sql.includes("'instalment_short'"))!;
    const shortPlan = getDb().$client.prepare(`EXPLAIN QUERY PLAN ${short.sql}`).all(...short.params) as { detail: string }[];
    expect(shortPlan.map((r) => r.detail).join('\n')).toContain('reminders_short_pending_idx');
    expectIndexed('systemEnqueueUrgent', () => systemEnqueueUrgent(new Date(`${today}T04:00:00Z`)));
    expectIndexed('systemEnqueueDigests', () => systemEnqueueDigests(new Date(`${today}T04:00:00Z`)));
    // The digest's "from your advisor": the notes since the last digest, from the notes' own index, not from every event.
    const notes = record(() => systemEnqueueDigests(new Date(`${today}T05:00:00Z`))).statements.find((st) => st.sql.includes("e.kind = 'note'"))!;
    const notesPlan = getDb().$client.prepare(`EXPLAIN QUERY PLAN ${notes.sql}`).all(...notes.params) as { detail: string }[];
    expect(notesPlan.map((r) => r.detail).join('\n')).toContain('case_events_note_idx');
    expectIndexed('systemDigestNotes', () => systemDigestNotes(borrower.id, { id: Number.MAX_SAFE_INTEGER, createdAt: new Date(`${today}T04:00:00Z`).getTime() }));
    const token = getCalendarFeedUrlToken(borrower);
    expectIndexed('systemCalendarForToken', () => systemCalendarForToken(token));
  });
});
