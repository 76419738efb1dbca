/**
 * The advisor's dashboard: figures, what needs attention first, charts and the table of every
 * client's cases. Every query here is scoped to the cases whose owner is one of the viewer's
 * active clients (activeClientIds, the same rule as caseReadableBy), in its WHERE clause: no
 * count, sum, rate or median ever sees a row of anybody else's — not another advisor's
 * clients, not a client whose share was revoked, not a borrower who never shared.
 *
 * Archived cases (the borrower put them away) are left out of everything that describes the
 * cases as they stand — figures, attention, cases by status, the table — and kept in what
 * describes lenders' decisions (approval rates, review times, rejection reasons, approvals this
 * month): archiving tidies a list, it does not undo a decision.
 *
 * Each verb runs one SQL statement per list it returns (no query per row); everything a
 * per-row query would otherwise compute (workdays, medians) is done in JS over the results.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, lte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { CASE_STATUSES, type CaseStatus } from '@/lib/case-status';
import { addDaysIso, todayInShanghai } from '@/lib/dates';
import type { RejectionReason } from '@/lib/domain';
import { ForbiddenError } from '@/lib/errors';
import { DEFAULT_REVIEW_WORKDAYS, STALE_AFTER_DAYS, type ReminderKind } from '@/lib/reminder-rules';
import { addWorkdays, isWorkday } from '@/lib/workdays';
import { activeClientIds } from './access';
import { nextDateSql } from './cases';
import { getDb, type DB } from './client';
import { logAdvisorAccess } from './shares';
import { attempts, cases, instalments, lenders, materialRequests, reminders, shares, users } from './schema';
import type { Viewer } from './viewer-type';

type Db = Pick<DB, 'select' | 'selectDistinct'>;

function requireAdvisor(viewer: Viewer): void {
  if (viewer.role !== 'advisor') throw new ForbiddenError();
}

/** The case belongs to one of the viewer's active clients (uses shares_advisor_idx, then cases_owner_idx). */
function clientCase(viewer: Viewer): SQL {
  return sql`${cases.ownerId} in ${activeClientIds(viewer)}`;
}

/** Under an agreed plan: no longer negotiated, the instalments are what matters now. */
const UNDER_PLAN: CaseStatus[] = ['approved', 'repaying'];
/** Waiting for a lender's (or a mediator's) decision. */
const UNDER_REVIEW: CaseStatus[] = ['under_review', 'escalated'];
/** A negotiation that can stall: the statuses the "no activity for 14 days" sweep watches (db/reminders.ts). */
const NEGOTIATING: CaseStatus[] = ['preparing', 'under_review', 'materials_requested', 'rejected', 'escalated'];

/**
 * Rule reminders whose subject already has its own line in the attention list (an instalment,
 * a materials request, a review, a stale case): counting them again as "overdue reminders"
 * would show the same problem twice. What remains are the borrower's own reminders, the
 * advisors', "decide the next step" and "chase the lender's promise".
 */
const REMINDER_KINDS_SHOWN_ELSEWHERE: ReminderKind[] = [
  'instalment_upcoming',
  'instalment_due',
  'instalment_missed',
  'materials_deadline',
  'materials_nudge',
  'review_followup',
  'stale_case',
];

const totalFenSql = sql<number>`${cases.principalFen} + ${cases.interestFen} + ${cases.penaltyFen}`;

// --- figures ---------------------------------------------------------------------------------

export type AdvisorFigures = {
  /** Borrowers whose share with the advisor is active. */
  clients: number;
  /** Not closed, not archived. */
  openCases: number;
  /** Principal + interest + penalty of open cases still being negotiated (see below). */
  overdueUnderNegotiationFen: number;
  /** Attempts approved (decidedOn) in the current month in Shanghai. */
  approvedThisMonth: number;
};

/** The four figures at the top of the dashboard, in one statement. `today` is YYYY-MM-DD in Shanghai. */
export function advisorFigures(viewer: Viewer, today: string): AdvisorFigures {
  requireAdvisor(viewer);
  const monthStart = `${today.slice(0, 7)}-01`;
  const nextMonthStart = addDaysIso(monthStart, 32).slice(0, 7) + '-01';
  const row = getDb()
    .select({
      clients: sql<number>`(select count(*) from ${shares} where ${shares.advisorId} = ${viewer.id} and ${shares.status} = 'active')`,
      openCases: sql<number>`count(*)`,
      // "Under negotiation": open cases not yet under an agreed plan. Approved and repaying cases
      // are settled on terms (their debt is being repaid by instalments), so they are left out.
      overdueUnderNegotiationFen: sql<number>`coalesce(sum(case when ${cases.status} not in ('approved', 'repaying') then ${totalFenSql} else 0 end), 0)`,
      approvedThisMonth: sql<number>`(select count(*) from ${attempts} inner join ${cases} c2 on c2.id = ${attempts.caseId}
        where c2.owner_id in ${activeClientIds(viewer)} and ${attempts.decision} = 'approved'
          and ${attempts.decidedOn} >= ${monthStart} and ${attempts.decidedOn} < ${nextMonthStart})`,
    })
    .from(cases)
    .where(and(clientCase(viewer), eq(cases.archived, false), ne(cases.status, 'closed')))
    .get();
  return {
    clients: row?.clients ?? 0,
    openCases: row?.openCases ?? 0,
    overdueUnderNegotiationFen: row?.overdueUnderNegotiationFen ?? 0,
    approvedThisMonth: row?.approvedThisMonth ?? 0,
  };
}

// --- what needs attention ------------------------------------------------------------------

export const ATTENTION_KINDS = ['missed_instalment', 'materials_deadline', 'overdue_reminders', 'review_overdue', 'stale_case'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

/**
 * Urgency, most urgent first. A missed instalment can void an agreed plan (DESIGN.md §1): the
 * most to lose, and it has already happened. A materials deadline within two workdays is the
 * next hard date, set by the lender; missing it can sink the application. Overdue reminders are
 * the borrower's own commitments slipping. A review past the lender's typical time means
 * chasing the lender, but nothing is lost yet. A stale case is slow drift.
 */
const URGENCY: Record<AttentionKind, number> = {
  missed_instalment: 0,
  materials_deadline: 1,
  overdue_reminders: 2,
  review_overdue: 3,
  stale_case: 4,
};

export type AttentionItem = {
  kind: AttentionKind;
  caseId: number;
  clientId: number;
  clientName: string;
  lenderName: string;
  /**
   * The date that makes it urgent: the oldest unpaid due date; the earliest materials deadline;
   * the oldest overdue reminder's date; the date the lender's decision was expected by; the
   * date of the last activity.
   */
  date: string;
  /** Unpaid instalments, unsent requests or overdue reminders on the case; 1 for the others. */
  count: number;
  /** Orders the list: urgency, then the oldest date, then the case. */
  sortKey: string;
};

type AttentionContext = {
  today: string;
  /** Materials deadlines up to this date count: two workdays from today. */
  materialsCutoff: string;
  /** Cases whose last activity is before this instant are stale (14 days without activity). */
  staleBefore: number;
  /** Per case (via its lender): the date the current review must have started before to be past due. */
  reviewCutoff: SQL;
};

/** The lender's review time as the reminder rules use it: its own, or the default. */
const reviewWorkdaysSql = sql<number>`(case when ${lenders.reviewWorkdays} > 0 then ${lenders.reviewWorkdays} else ${DEFAULT_REVIEW_WORKDAYS} end)`;

/**
 * When the current review began (mediation and complaints are measured by the lender's review
 * time too: it is the only yardstick the directory has): the latest attempt's submission, or, when materials were sent
 * for it afterwards, the last sending (the review clock starts again then, as the reminder
 * rules say).
 */
const reviewSinceSql = sql<string | null>`(select max(${attempts.submittedOn}, coalesce((select max(${materialRequests.sentOn})
    from ${materialRequests} where ${materialRequests.attemptId} = ${attempts.id}), ''))
  from ${attempts} where ${attempts.caseId} = ${cases.id} order by ${attempts.round} desc limit 1)`;

/**
 * A review started on `since` is past the lender's typical time of `n` workdays when the n-th
 * workday after `since` is before today, that is, when there are n workdays strictly between
 * them: exactly when `since` is before the n-th workday before today. So one cutoff date per
 * distinct review time, worked out here with the Chinese calendar, and compared in SQL.
 */
function reviewCutoffSql(db: Db, viewer: Viewer, today: string): SQL {
  const values = db
    .selectDistinct({ n: reviewWorkdaysSql })
    .from(cases)
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(clientCase(viewer), eq(cases.archived, false), inArray(cases.status, UNDER_REVIEW)))
    .all()
    .map((r) => r.n);
  if (values.length === 0) return sql`null`;
  const branches = values.map((n) => sql`when ${n} then ${addWorkdays(today, -n)}`);
  return sql`(case ${reviewWorkdaysSql} ${sql.join(branches, sql` `)} end)`;
}

/** The instant (ms) at which the Shanghai date `date` begins. */
function shanghaiMidnight(date: string): number {
  return new Date(`${date}T00:00:00+08:00`).getTime();
}

function attentionContext(db: Db, viewer: Viewer, today: string): AttentionContext {
  return {
    today,
    materialsCutoff: addWorkdays(today, 2),
    // Last activity on day D is stale once D + 14 ≤ today: before the start of day today − 13.
    staleBefore: shanghaiMidnight(addDaysIso(today, -(STALE_AFTER_DAYS - 1))),
    reviewCutoff: reviewCutoffSql(db, viewer, today),
  };
}

/**
 * The attention conditions on one case row (`cases` joined with its `lenders`), as SQL: the
 * table's "needs attention" flag and filter are exactly the cases that attentionItems lists.
 */
function attentionConditions(ctx: AttentionContext): Record<AttentionKind, SQL> {
  return {
    missed_instalment: sql`(${cases.status} in ('approved', 'repaying') and exists (select 1 from ${instalments}
      where ${instalments.caseId} = ${cases.id} and ${instalments.paidOn} is null and ${instalments.dueOn} < ${ctx.today}))`,
    materials_deadline: sql`(${cases.status} != 'closed' and exists (select 1 from ${materialRequests}
      where ${materialRequests.caseId} = ${cases.id} and ${materialRequests.sentOn} is null and ${materialRequests.deadline} <= ${ctx.materialsCutoff}))`,
    overdue_reminders: sql`exists (select 1 from ${reminders} where ${reminders.caseId} = ${cases.id} and ${reminders.status} = 'open'
      and ${reminders.showOn} < ${ctx.today} and ${reminders.kind} not in ${REMINDER_KINDS_SHOWN_ELSEWHERE})`,
    review_overdue: sql`(${cases.status} in ('under_review', 'escalated') and ${reviewSinceSql} < ${ctx.reviewCutoff})`,
    stale_case: sql`(${cases.status} in ${NEGOTIATING} and ${cases.updatedAt} < ${ctx.staleBefore})`,
  };
}

function needsAttentionSql(ctx: AttentionContext): SQL {
  return sql`(${sql.join(Object.values(attentionConditions(ctx)), sql` or `)})`;
}

function sortKey(kind: AttentionKind, date: string, caseId: number): string {
  return `${URGENCY[kind]}|${date}|${String(caseId).padStart(12, '0')}`;
}

/**
 * What needs the advisor first, ordered by urgency (see URGENCY), one line per case and kind:
 * missed instalments, materials deadlines within two workdays (or already past), overdue
 * reminders, reviews past the lender's typical review time, cases without activity for 14 days.
 * Only open, non-archived cases of active clients.
 */
export function attentionItems(viewer: Viewer, today: string): AttentionItem[] {
  requireAdvisor(viewer);
  const db = getDb();
  const ctx = attentionContext(db, viewer, today);
  const base = and(clientCase(viewer), eq(cases.archived, false));
  const who = { caseId: cases.id, clientId: cases.ownerId, clientName: users.displayName, lenderName: lenders.name };

  const missed = db
    .select({ ...who, date: sql<string>`min(${instalments.dueOn})`, count: sql<number>`count(*)` })
    .from(instalments)
    .innerJoin(cases, eq(cases.id, instalments.caseId))
    .innerJoin(users, eq(users.id, cases.ownerId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(base, inArray(cases.status, UNDER_PLAN), isNull(instalments.paidOn), lt(instalments.dueOn, today)))
    .groupBy(cases.id)
    .all();

  const materials = db
    .select({ ...who, date: sql<string>`min(${materialRequests.deadline})`, count: sql<number>`count(*)` })
    .from(materialRequests)
    .innerJoin(cases, eq(cases.id, materialRequests.caseId))
    .innerJoin(users, eq(users.id, cases.ownerId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(base, ne(cases.status, 'closed'), isNull(materialRequests.sentOn), lte(materialRequests.deadline, ctx.materialsCutoff)))
    .groupBy(cases.id)
    .all();

  const overdueReminders = db
    .select({ ...who, date: sql<string>`min(${reminders.showOn})`, count: sql<number>`count(*)` })
    .from(reminders)
    .innerJoin(cases, eq(cases.id, reminders.caseId))
    .innerJoin(users, eq(users.id, cases.ownerId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(
      and(
        base,
        // The reminder is the client's (reminders_owner_open_idx: owner, status, showOn).
        sql`${reminders.ownerId} in ${activeClientIds(viewer)}`,
        eq(reminders.ownerId, cases.ownerId),
        eq(reminders.status, 'open'),
        lt(reminders.showOn, today),
        notInArray(reminders.kind, REMINDER_KINDS_SHOWN_ELSEWHERE),
      ),
    )
    .groupBy(cases.id)
    .all();

  const reviews = db
    .select({ ...who, since: sql<string>`${reviewSinceSql}`, workdays: reviewWorkdaysSql })
    .from(cases)
    .innerJoin(users, eq(users.id, cases.ownerId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(base, inArray(cases.status, UNDER_REVIEW), sql`${reviewSinceSql} < ${ctx.reviewCutoff}`))
    .all();

  const stale = db
    .select({ ...who, date: sql<string>`date(${cases.updatedAt} / 1000, 'unixepoch', '+8 hours')` })
    .from(cases)
    .innerJoin(users, eq(users.id, cases.ownerId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    // `+status`: without it SQLite (no ANALYZE) walks cases_status_idx through every stale case
    // of every borrower (a third of all cases) and filters by client; from the advisor's clients
    // (cases_owner_idx) it reads only theirs.
    .where(and(base, inArray(sql`+${cases.status}`, NEGOTIATING), lt(cases.updatedAt, new Date(ctx.staleBefore))))
    .all();

  const items: AttentionItem[] = [];
  const push = (kind: AttentionKind, r: { caseId: number; clientId: number; clientName: string; lenderName: string }, date: string, count: number) =>
    items.push({ kind, ...r, date, count, sortKey: sortKey(kind, date, r.caseId) });
  for (const { date, count, ...r } of missed) push('missed_instalment', r, date, count);
  for (const { date, count, ...r } of materials) push('materials_deadline', r, date, count);
  for (const { date, count, ...r } of overdueReminders) push('overdue_reminders', r, date, count);
  // The date the decision was expected by: the lender's typical review time after the review
  // began. Many reviews share a start date and a review time: each pair is worked out once.
  const expectedBy = new Map<string, string>();
  for (const { since, workdays, ...r } of reviews) {
    const key = `${since}+${workdays}`;
    if (!expectedBy.has(key)) expectedBy.set(key, addWorkdays(since, workdays));
    push('review_overdue', r, expectedBy.get(key)!, 1);
  }
  for (const { date, ...r } of stale) push('stale_case', r, date, 1);
  return items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}

// --- charts ----------------------------------------------------------------------------------

export type LenderStats = {
  lenderId: number;
  lenderName: string;
  /** Attempts with a decision (approved or rejected). */
  decided: number;
  approved: number;
  /** approved / decided, 0..1. */
  approvalRate: number;
  /** The median of workdaysBetween(submittedOn, decidedOn) over the decided attempts. */
  medianReviewWorkdays: number;
};

export type AdvisorCharts = {
  /** Every status, in the status machine's order, with its count (zeros included). */
  byStatus: { status: CaseStatus; count: number }[];
  /** Lenders with at least one decided attempt, most decisions first. */
  lenders: LenderStats[];
  /** Rejection reasons given at least once, most frequent first. */
  rejectionReasons: { reason: RejectionReason; count: number }[];
};

/** The next calendar day, by UTC arithmetic: date-fns' parse/format costs ~50 µs a call, this ~1 µs. */
function nextIsoDay(date: string): string {
  return new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + 1)).toISOString().slice(0, 10);
}

/**
 * workdaysBetween (lib/workdays: workdays in (from, to]) for many pairs at once: one pass over
 * the calendar between the earliest and the latest date gives each day its running count of
 * workdays, instead of walking every pair's days.
 */
function workdayCounter(dates: string[]): (from: string, to: string) => number {
  const cumulative = new Map<string, number>();
  if (dates.length > 0) {
    const first = dates.reduce((a, b) => (a < b ? a : b));
    const last = dates.reduce((a, b) => (a > b ? a : b));
    let n = 0;
    for (let d = first; d <= last; d = nextIsoDay(d)) {
      if (d !== first && isWorkday(d)) n += 1;
      cumulative.set(d, n);
    }
  }
  return (from, to) => (to <= from ? 0 : cumulative.get(to)! - cumulative.get(from)!);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Cases by status; approval rate and median review workdays by lender; rejection reasons. */
export function advisorCharts(viewer: Viewer, today: string): AdvisorCharts {
  requireAdvisor(viewer);
  void today; // The charts describe what has been recorded; kept for a uniform signature.
  const db = getDb();
  const counts = db
    .select({ status: cases.status, count: sql<number>`count(*)` })
    .from(cases)
    .where(and(clientCase(viewer), eq(cases.archived, false)))
    .groupBy(cases.status)
    .all();
  const byStatus = CASE_STATUSES.map((status) => ({ status, count: counts.find((c) => c.status === status)?.count ?? 0 }));

  const decided = db
    .select({
      lenderId: lenders.id,
      lenderName: lenders.name,
      decision: attempts.decision,
      submittedOn: attempts.submittedOn,
      decidedOn: attempts.decidedOn,
      reason: attempts.rejectionReason,
    })
    .from(attempts)
    .innerJoin(cases, eq(cases.id, attempts.caseId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(clientCase(viewer), isNotNull(attempts.decision), isNotNull(attempts.decidedOn)))
    .all();

  const between = workdayCounter(decided.flatMap((a) => [a.submittedOn, a.decidedOn!]));
  const byLender = new Map<number, { lenderName: string; approved: number; days: number[] }>();
  const reasons = new Map<RejectionReason, number>();
  for (const a of decided) {
    const entry = byLender.get(a.lenderId) ?? { lenderName: a.lenderName, approved: 0, days: [] };
    if (a.decision === 'approved') entry.approved += 1;
    entry.days.push(between(a.submittedOn, a.decidedOn!));
    byLender.set(a.lenderId, entry);
    if (a.decision === 'rejected') {
      const reason = a.reason ?? 'other';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const lenderStats = [...byLender.entries()]
    .map(([lenderId, e]) => ({
      lenderId,
      lenderName: e.lenderName,
      decided: e.days.length,
      approved: e.approved,
      approvalRate: e.approved / e.days.length,
      medianReviewWorkdays: median(e.days),
    }))
    .sort((a, b) => b.decided - a.decided || a.lenderName.localeCompare(b.lenderName, 'zh-CN') || a.lenderId - b.lenderId);
  const rejectionReasons = [...reasons.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return { byStatus, lenders: lenderStats, rejectionReasons };
}

// --- the table -------------------------------------------------------------------------------

export const ADVISOR_SORTS = ['client', 'lender', 'status', 'total', 'next', 'updated'] as const;
export type AdvisorSort = (typeof ADVISOR_SORTS)[number];
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
/** An export is one spreadsheet, not a backup: past this many rows, narrow the filters. */
export const EXPORT_LIMIT = 10_000;

export type AdvisorCaseFilters = {
  status?: CaseStatus;
  lenderId?: number;
  clientId?: number;
  /** Only cases that appear in attentionItems. */
  attention?: boolean;
  /** Searches the client's name, the lender, the product and the account digits. */
  q?: string;
  sort?: AdvisorSort;
  dir?: 'asc' | 'desc';
};

export type AdvisorCaseQuery = AdvisorCaseFilters & { page?: number; pageSize?: number };

export type AdvisorCaseRow = {
  id: number;
  clientId: number;
  clientName: string;
  lenderId: number;
  lenderName: string;
  product: string;
  accountRef: string;
  status: CaseStatus;
  totalFen: number;
  nextDate: string | null;
  updatedAt: Date;
  /** Shanghai date of the last activity (updatedAt). */
  lastActivityOn: string;
  needsAttention: boolean;
};

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const statusOrderSql = sql<number>`(case ${cases.status} ${sql.join(
  CASE_STATUSES.map((s, i) => sql`when ${s} then ${i}`),
  sql` `,
)} end)`;

/** One statement: the page of rows, each with the total count of matching rows (a window). */
function queryCases(db: Db, viewer: Viewer, today: string, filters: AdvisorCaseFilters, limit: number, offset: number) {
  const ctx = attentionContext(db, viewer, today);
  const needsAttention = needsAttentionSql(ctx);
  const where: (SQL | undefined)[] = [clientCase(viewer), eq(cases.archived, false)];
  if (filters.status && (CASE_STATUSES as readonly string[]).includes(filters.status)) where.push(eq(cases.status, filters.status));
  if (filters.lenderId) where.push(eq(cases.lenderId, filters.lenderId));
  if (filters.clientId) where.push(eq(cases.ownerId, filters.clientId));
  if (filters.attention) where.push(needsAttention);
  const q = filters.q?.trim();
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    where.push(
      or(
        sql`${users.displayName} like ${pattern} escape '\\'`,
        sql`${lenders.name} like ${pattern} escape '\\'`,
        sql`${cases.product} like ${pattern} escape '\\'`,
        sql`${cases.accountRef} like ${pattern} escape '\\'`,
      ),
    );
  }
  const dir = filters.dir === 'desc' ? desc : asc;
  const sort = filters.sort ?? 'next';
  const order: SQL[] = {
    client: [dir(users.displayName)],
    lender: [dir(lenders.name)],
    status: [dir(statusOrderSql)],
    total: [dir(totalFenSql)],
    // Cases without a next date go last either way.
    next: [sql`"next_date" is null`, dir(sql`"next_date"`)],
    updated: [dir(cases.updatedAt)],
  }[sort];
  return db
    .select({
      id: cases.id,
      clientId: cases.ownerId,
      clientName: users.displayName,
      lenderId: cases.lenderId,
      lenderName: lenders.name,
      product: cases.product,
      accountRef: cases.accountRef,
      status: cases.status,
      totalFen: totalFenSql,
      nextDate: nextDateSql(today).as('next_date'),
      updatedAt: cases.updatedAt,
      lastActivityOn: sql<string>`date(${cases.updatedAt} / 1000, 'unixepoch', '+8 hours')`,
      needsAttention: sql<number>`${needsAttention}`,
      total: sql<number>`count(*) over ()`,
    })
    .from(cases)
    .innerJoin(users, eq(users.id, cases.ownerId))
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(...where))
    .orderBy(...order, dir(cases.id))
    .limit(limit)
    .offset(offset)
    .all();
}

function toRow({ total: _total, needsAttention, ...r }: ReturnType<typeof queryCases>[number]): AdvisorCaseRow {
  return { ...r, needsAttention: !!needsAttention };
}

/**
 * Every client's cases, filtered, searched, sorted and paged in SQL. A page past the end gives
 * the last page (the returned `page` says which).
 */
export function listAdvisorCases(
  viewer: Viewer,
  query: AdvisorCaseQuery = {},
  today: string = todayInShanghai(),
): { rows: AdvisorCaseRow[]; total: number; page: number; pageSize: number } {
  requireAdvisor(viewer);
  const db = getDb();
  const pageSize = Math.min(Math.max(Math.trunc(query.pageSize ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  let page = Math.max(Math.trunc(query.page ?? 1) || 1, 1);
  let rows = queryCases(db, viewer, today, query, pageSize, (page - 1) * pageSize);
  if (rows.length === 0 && page > 1) {
    const all = queryCases(db, viewer, today, query, 1, 0);
    const total = all[0]?.total ?? 0;
    if (total === 0) return { rows: [], total: 0, page: 1, pageSize };
    page = Math.ceil(total / pageSize);
    rows = queryCases(db, viewer, today, query, pageSize, (page - 1) * pageSize);
  }
  return { rows: rows.map(toRow), total: rows[0]?.total ?? 0, page, pageSize };
}

/**
 * The filtered table without paging (at most EXPORT_LIMIT rows, in the table's order), for the
 * CSV. Each client whose cases are in it finds an 'export' line in their access log, with the
 * number of their cases exported.
 */
export function exportAdvisorCases(
  viewer: Viewer,
  filters: AdvisorCaseFilters = {},
  today: string = todayInShanghai(),
): { rows: AdvisorCaseRow[]; truncated: boolean } {
  requireAdvisor(viewer);
  return getDb().transaction((tx) => {
    const found = queryCases(tx, viewer, today, filters, EXPORT_LIMIT + 1, 0);
    const rows = found.slice(0, EXPORT_LIMIT).map(toRow);
    const perClient = new Map<number, number>();
    for (const r of rows) perClient.set(r.clientId, (perClient.get(r.clientId) ?? 0) + 1);
    for (const [clientId, n] of perClient) logAdvisorAccess(tx, viewer.id, clientId, 'export', null, String(n));
    return { rows, truncated: found.length > EXPORT_LIMIT };
  });
}

/** The lenders of the clients' (non-archived) cases, by name: the table's lender filter offers these. */
export function listAdvisorLenders(viewer: Viewer): { id: number; name: string }[] {
  requireAdvisor(viewer);
  return getDb()
    .selectDistinct({ id: lenders.id, name: lenders.name })
    .from(cases)
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(clientCase(viewer), eq(cases.archived, false)))
    .orderBy(asc(lenders.name), asc(lenders.id))
    .all();
}
