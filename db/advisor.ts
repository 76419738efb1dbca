/**
 * The advisor's dashboard: figures, what needs attention first, charts and the table of every
 * client's cases. Every query here is scoped to the cases whose owner is one of the viewer's
 * active clients (the same rule as caseReadableBy), in its WHERE clause, with the viewer's id as
 * a parameter: no count, sum, rate or median ever sees a row of anybody else's — not another
 * advisor's clients, not a client whose share was revoked, not a borrower who never shared.
 *
 * Archived cases (the borrower put them away) are left out of everything that describes the
 * cases as they stand — figures, attention, cases by status, the table — and kept in what
 * describes lenders' decisions (approval rates, review times, rejection reasons, approvals this
 * month): archiving tidies a list, it does not undo a decision.
 *
 * Issue 6: an advisor with 500 clients has ~1,500 cases, and every verb here used to work them
 * out again from `shares` (≈ 12 statements a page, each walking every case). Now a request reads
 * the advisor's cases once from case_facts (db/schema/case-facts.ts: one row per case, kept true
 * by SQLite triggers on every write, stored in client order) — what the dashboard needs of each
 * case, its unpaid due dates, unsent deadlines, its earliest open reminder, when its review began
 * (and by which route, for an escalation) and its lenders' decisions — with the clients' names and
 * the lenders read once beside it, plus one statement for overdue reminders and one for the client
 * count.
 * Only what depends on the day is worked out from them (`toFacts`); the verbs below derive the
 * figures, the attention list, the charts, the lender filter and the table (filtered, sorted,
 * paged) from those rows in JS. The rows, and what the verbs worked out of them, are kept from one
 * request to the next while the advisor's data version stays the same (`kept`: data_versions,
 * migration 0007, moved by triggers on every write the dashboard reads about the advisor's
 * clients): a request that finds them reads that version alone, and works out only its page of
 * the table.
 */
import { and, eq, isNotNull, lt, notInArray, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { CASE_STATUSES, nextForWhat, type CaseStatus, type NextFor } from '@/lib/case-status';
import { aliasMatches } from '@/lib/lender-aliases';
import { searchFold } from '@/lib/search-fold';
import { ATTENTION_KINDS, attentionSortKey, type AttentionKind } from '@/lib/attention';
import { addDaysIso, daysBetween, todayInShanghai } from '@/lib/dates';
import type { RejectionReason } from '@/lib/domain';
import { ForbiddenError } from '@/lib/errors';
import { DEFAULT_REVIEW_WORKDAYS, escalationFollowupOn, STALE_AFTER_DAYS, type ReminderKind } from '@/lib/reminder-rules';
import { addWorkdays, dayNumber, isoDay, runningWorkdays } from '@/lib/workdays';
import { activeClientIds } from './access';
import { getDb, type DB } from './client';
import { prepared } from './prepared';
import { listClientsForAdvisor, logAdvisorAccess } from './shares';
import { caseFacts, dataVersions, lenders, reminders, shares, users } from './schema';
import type { Viewer } from './viewer-type';

function requireAdvisor(viewer: Viewer): void {
  if (viewer.role !== 'advisor') throw new ForbiddenError();
}

/** Under an agreed plan: no longer negotiated, the instalments are what matters now. */
const UNDER_PLAN: readonly CaseStatus[] = ['approved', 'repaying'];
/** Waiting for a lender's (or a mediator's) decision. */
const UNDER_REVIEW: readonly CaseStatus[] = ['under_review', 'escalated'];
/** A negotiation that can stall: the statuses the "no activity for 14 days" sweep watches (db/reminders.ts). */
const NEGOTIATING: readonly CaseStatus[] = ['preparing', 'under_review', 'materials_requested', 'rejected', 'escalated'];

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
  // "Pay the rest" of an instalment paid short: once its date has passed, the missed instalment's line.
  'instalment_short',
  'materials_deadline',
  'materials_nudge',
  'review_followup',
  'stale_case',
];

// --- the advisor's cases, read once a request --------------------------------------------------

/** The parameters of the prepared statements: the viewer's id stays in every WHERE clause. */
const P = {
  viewerId: sql.placeholder('viewerId'),
  today: sql.placeholder('today'),
};

/** The borrowers whose cases the advisor may read now (db/access.ts). */
const activeClientsOfViewer = activeClientIds(P.viewerId);

/** The lender's review time as the reminder rules use it: its own, or the default. */
const reviewWorkdaysSql = sql<number>`(case when ${lenders.reviewWorkdays} > 0 then ${lenders.reviewWorkdays} else ${DEFAULT_REVIEW_WORKDAYS} end)`;

/**
 * Every case of the viewer's active clients, archived ones too (their decisions count in the
 * charts), as stored in case_facts (migration 0006, kept true by triggers on every write): each
 * client's cases are one range of its primary key, and nothing else is read per case. Read with
 * `.values()`: the rows become CaseFacts in one pass below, without drizzle's mapping into
 * objects first. The clients' names and the lenders are read once a request beside it (a
 * primary-key lookup into users and lenders for each of ≈ 1,500 rows cost ≈ 12 % of the read).
 */
function caseFactsStatement(db: DB) {
  return db
    .select({
      id: caseFacts.caseId,
      clientId: caseFacts.ownerId,
      lenderId: caseFacts.lenderId,
      product: caseFacts.product,
      accountRef: caseFacts.accountRef,
      status: caseFacts.status,
      totalFen: caseFacts.totalFen,
      updatedAt: caseFacts.updatedAt,
      archived: caseFacts.archived,
      unpaidDues: caseFacts.unpaidDues,
      unsentDeadlines: caseFacts.unsentDeadlines,
      nextReminder: caseFacts.nextReminder,
      reviewSince: caseFacts.reviewSince,
      decisions: caseFacts.decisions,
      reviewRoute: caseFacts.reviewRoute,
    })
    .from(caseFacts)
    .where(sql`${caseFacts.ownerId} in ${activeClientsOfViewer}`)
    .prepare();
}

/** A row of caseFactsStatement as `.values()` gives it: the columns in the order selected above. */
type StoredFacts = [
  id: number,
  clientId: number,
  lenderId: number,
  product: string,
  accountRef: string,
  status: CaseStatus,
  totalFen: number | null,
  updatedAt: number,
  archived: number,
  unpaidDues: string | null,
  unsentDeadlines: string | null,
  nextReminder: string | null,
  reviewSince: string | null,
  decisions: string | null,
  reviewRoute: 'complaint' | 'mediation' | null,
];

/** The names of the viewer's active clients. */
function clientNamesStatement(db: DB) {
  return db.select({ id: users.id, name: users.displayName }).from(users).where(sql`${users.id} in ${activeClientsOfViewer}`).prepare();
}

/** The lenders of the clients' cases (private lenders included), with the review time the reminder rules use. */
function caseLendersStatement(db: DB) {
  return db
    .select({ id: lenders.id, name: lenders.name, seedName: lenders.seedName, reviewWorkdays: reviewWorkdaysSql })
    .from(lenders)
    .where(sql`${lenders.id} in (select ${caseFacts.lenderId} from ${caseFacts} where ${caseFacts.ownerId} in ${activeClientsOfViewer})`)
    .prepare();
}

/**
 * Open reminders of the clients shown before today, per case (reminders_owner_open_idx): the oldest's
 * date, how many, and the latest's date (the nearest today, which places the line: lib/attention.ts).
 */
function overdueRemindersStatement(db: DB) {
  return db
    .select({
      caseId: reminders.caseId,
      ownerId: reminders.ownerId,
      date: sql<string>`min(${reminders.showOn})`,
      count: sql<number>`count(*)`,
      nearest: sql<string>`max(${reminders.showOn})`,
    })
    .from(reminders)
    .where(
      and(
        sql`${reminders.ownerId} in ${activeClientsOfViewer}`,
        eq(reminders.status, 'open'),
        lt(reminders.showOn, P.today),
        notInArray(reminders.kind, REMINDER_KINDS_SHOWN_ELSEWHERE),
        isNotNull(reminders.caseId),
      ),
    )
    .groupBy(reminders.caseId, reminders.ownerId)
    .prepare();
}

/** Borrowers whose share with the advisor is active. */
function clientCountStatement(db: DB) {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(shares)
    .where(and(eq(shares.advisorId, P.viewerId), eq(shares.status, 'active')))
    .prepare();
}

/**
 * Where the advisor's dashboard stands (data_versions, migration 0007): the largest version among
 * the advisor (their shares), row 0 (the lenders) and the advisor's active clients (their cases'
 * facts, reminders, names). Triggers move a user's row on every write the dashboard reads about
 * them, always to a version never used before: what was worked out at one value holds while it is
 * the same. A primary-key lookup a client.
 */
function dataVersionStatement(db: DB) {
  return db
    .select({ version: sql<number>`coalesce(max(${dataVersions.version}), 0)` })
    .from(dataVersions)
    .where(sql`${dataVersions.userId} in (select 0 union all select ${P.viewerId} union all select * from ${activeClientsOfViewer})`)
    .prepare();
}

/**
 * What changes when anything is written: this connection's count of changed rows, and SQLite's
 * data_version, which moves when another connection commits. Rows kept for a viewer are reused
 * only while it is unchanged, so a verb never answers from rows older than the last write.
 */
function writeStampStatement(db: DB) {
  return db.select({ stamp: sql<string>`total_changes() || ':' || (select data_version from pragma_data_version)` }).from(sql`(select 1)`).prepare();
}

/**
 * The earliest of some dates, how many of them count (fall due before today, or by the materials
 * cutoff), and of those the one nearest today: the line's wording says the first two, the last
 * places it in the attention list (lib/attention.ts), so a long-missed date does not bury a fresh one.
 */
type DateCount = { date: string; count: number; nearest: string };

/** A non-archived case as the dashboard sees it on one day. */
type CaseFact = {
  id: number;
  clientId: number;
  clientName: string;
  lenderId: number;
  lenderName: string;
  /** The seeded lender it is (lenders.seed_name), whose aliases the table's search also matches; null for others. */
  lenderSeedName: string | null;
  reviewWorkdays: number;
  product: string;
  accountRef: string;
  status: CaseStatus;
  /** null when none of the case's amounts was given. */
  totalFen: number | null;
  /** ms since the epoch. */
  updatedAt: number;
  /** The earliest unpaid instalment's due date, how many fell due before today, the latest of those; null when none, or closed. */
  unpaid: DateCount | null;
  /** The earliest unsent materials deadline, how many are due by the materials cutoff, the nearest today of those; null when none, or closed. */
  unsent: DateCount | null;
  /** When the earliest open reminder shows (past when overdue), and its kind; null when none, or closed. */
  reminder: { date: string; kind: string } | null;
  /** When the current review began, for a case under review or escalated; else null. */
  reviewSince: string | null;
  /** The escalation's route (case_facts.review_route, migration 0019), for an escalated case; else null. */
  reviewRoute: 'complaint' | 'mediation' | null;
};

type OverdueReminders = ReturnType<ReturnType<typeof overdueRemindersStatement>['all']>[number];
/** A row of overdueRemindersStatement as `.values()` gives it. */
type StoredReminders = [caseId: OverdueReminders['caseId'], ownerId: number, date: string, count: number, nearest: string];

/** An attempt with a decision, on any of the clients' cases (archived ones included). */
type DecidedAttempt = {
  lenderId: number;
  lenderName: string;
  decision: 'approved' | 'rejected';
  submittedOn: string;
  decidedOn: string;
  reason: RejectionReason | null;
  /** Reached through mediation or a complaint (migration 0013's ",x"): not the lender's own review. */
  escalated: boolean;
};

/**
 * A sorted comma-separated list of dates (case_facts): its first entry, how many entries are
 * before `bound` (or, `inclusive`, not after it), and of those the one nearest `today` (the first
 * entry when none counts). Entries are walked from the front and the walk stops at the first that
 * does not count: a plan's unpaid instalments are mostly still to come.
 */
function firstAndCount(list: string | null, bound: string, inclusive: boolean, today: string): DateCount | null {
  if (list === null) return null;
  let comma = list.indexOf(',');
  const date = comma < 0 ? list : list.slice(0, comma);
  let count = 0;
  // The nearest today is the last counted entry before it or the first on or after it.
  let before: string | null = null;
  let after: string | null = null;
  for (let start = 0, item = date; ; ) {
    if (inclusive ? item > bound : item >= bound) break;
    count += 1;
    if (item < today) before = item;
    else after ??= item;
    if (comma < 0) break;
    start = comma + 1;
    comma = list.indexOf(',', start);
    item = comma < 0 ? list.slice(start) : list.slice(start, comma);
  }
  const nearest = before === null ? (after ?? date) : after === null || daysBetween(before, today) < daysBetween(today, after) ? before : after;
  return { date, count, nearest };
}

/**
 * The stored rows, made into the day's CaseFacts (non-archived cases: what describes the cases
 * as they stand) and DecidedAttempts (every case: what describes lenders' decisions). Only the
 * parts that depend on the day are worked out here: which unpaid instalments fell due before
 * today, which unsent deadlines fall by the materials cutoff.
 */
function toFacts(
  stored: StoredFacts[],
  clientNames: Map<number, string>,
  caseLenders: Map<number, { name: string; seedName: string | null; reviewWorkdays: number }>,
  today: string,
): { facts: CaseFact[]; decided: DecidedAttempt[] } {
  const cutoff = materialsCutoff(today);
  const facts: CaseFact[] = [];
  const decided: DecidedAttempt[] = [];
  for (const r of stored) {
    // Indexed rather than destructured: array destructuring walks an iterator, ≈ 1,500 rows a request.
    const clientId = r[1];
    const lenderId = r[2];
    const clientName = clientNames.get(clientId);
    const lender = caseLenders.get(lenderId);
    // Both always there (foreign keys; the same client list): a row without them is left out, as a join would.
    if (clientName === undefined || lender === undefined) continue;
    const lenderName = lender.name;
    const decisions = r[13];
    if (decisions !== null) {
      for (const entry of decisions.split(';')) {
        const [decision, submittedOn, decidedOn, reason, mark] = entry.split(',') as [DecidedAttempt['decision'], string, string, string, string | undefined];
        decided.push({ lenderId, lenderName, decision, submittedOn, decidedOn, reason: reason === '' ? null : (reason as RejectionReason), escalated: mark === 'x' });
      }
    }
    if (r[8]) continue; // archived
    const status = r[5];
    const open = status !== 'closed';
    facts.push({
      id: r[0],
      clientId,
      clientName,
      lenderId,
      lenderName,
      lenderSeedName: lender.seedName,
      reviewWorkdays: lender.reviewWorkdays,
      product: r[3],
      accountRef: r[4],
      status,
      totalFen: r[6],
      updatedAt: r[7],
      unpaid: open ? firstAndCount(r[9], today, false, today) : null,
      unsent: open ? firstAndCount(r[10], cutoff, true, today) : null,
      reminder: open ? readReminder(r[11]) : null,
      reviewSince: UNDER_REVIEW.includes(status) ? r[12] : null,
      reviewRoute: status === 'escalated' ? r[14] : null,
    });
  }
  return { facts, decided };
}

/** case_facts' next_reminder, 'YYYY-MM-DD|kind' (migration 0017): the date and the kind of the case's earliest open reminder. */
function readReminder(stored: string | null): CaseFact['reminder'] {
  return stored === null ? null : { date: stored.slice(0, 10), kind: stored.slice(11) };
}

type CaseSet = {
  version: number;
  today: string;
  cases?: { facts: CaseFact[]; decided: DecidedAttempt[] };
  reminders?: Map<number, OverdueReminders>;
  clients?: number;
  /** What the verbs worked out of the rows (figures, attention, charts, lenders, the table's rows), by name. */
  worked: Map<string, unknown>;
};

/**
 * An advisor's rows, and what the verbs worked out of them, kept from one request to the next
 * while the advisor's data version (dataVersionStatement) and the day stay the same: an advisor
 * paging, sorting and filtering the table, or coming back to the dashboard, is answered without
 * reading ≈ 1,500 cases again as long as nothing about their clients has been written. At most
 * this many advisors are kept (≈ 1–2 MB each at 500 clients), the least recently asked dropped.
 * What is kept is shared by the requests that use it: nothing here or in the pages changes it.
 */
const kept = new LRUCache<number, CaseSet>({ max: 32 });
const counts = { hits: 0, misses: 0 };

/**
 * A request's set, with the stamp it was checked at: the page's five verbs check the version once
 * between them, and again only when something has been written since (the stamp).
 */
const checked = new WeakMap<Viewer, { stamp: string; set: CaseSet }>();

/** For tests: forget every advisor's kept rows (the next request reads afresh). */
export function forgetKeptDashboards(): void {
  kept.clear();
}

/** For tests: how often a request found its rows kept, and how often it read them afresh. */
export function keptDashboardCounts(): { hits: number; misses: number } {
  return { ...counts };
}

/** The rows of one advisor and day, each read at most once while their data version stays the same. */
type AdvisorRows = {
  facts(): CaseFact[];
  reminders(): Map<number, OverdueReminders>;
  decided(): DecidedAttempt[];
  clients(): number;
  /** What `work` gives, worked out once for these rows. */
  keep<T>(name: string, work: () => T): T;
};

function caseSet(viewer: Viewer, today: string): CaseSet {
  const db = getDb();
  const stamp = prepared(db, 'advisor.stamp', writeStampStatement).get()!.stamp;
  const mine = checked.get(viewer);
  if (mine && mine.stamp === stamp && mine.set.today === today) return mine.set;
  const version = prepared(db, 'advisor.version', dataVersionStatement).get({ viewerId: viewer.id })!.version;
  let set = kept.get(viewer.id);
  if (set && set.version === version && set.today === today) counts.hits += 1;
  else {
    counts.misses += 1;
    kept.set(viewer.id, (set = { version, today, worked: new Map() }));
  }
  checked.set(viewer, { stamp, set });
  return set;
}

function advisorRows(viewer: Viewer, today: string): AdvisorRows {
  const db = getDb();
  const set = caseSet(viewer, today);
  const viewerId = viewer.id;
  const cases = () =>
    (set.cases ??= toFacts(
      prepared(db, 'advisor.facts', caseFactsStatement).values({ viewerId }) as StoredFacts[],
      // `.values()` rows are [id, name] pairs already: no object per row on the way to the Map.
      new Map(prepared(db, 'advisor.clientNames', clientNamesStatement).values({ viewerId }) as [number, string][]),
      new Map(prepared(db, 'advisor.caseLenders', caseLendersStatement).all({ viewerId }).map((l) => [l.id, l])),
      today,
    ));
  const rows: AdvisorRows = {
    facts: () => cases().facts,
    reminders: () => {
      if (!set.reminders) {
        const owners = new Map<number, number>();
        for (const c of rows.facts()) owners.set(c.id, c.clientId);
        const byCase = new Map<number, OverdueReminders>();
        // The reminder is the case's owner's (as on the case page), on a case the list shows.
        const found = prepared(db, 'advisor.overdueReminders', overdueRemindersStatement).values({ viewerId, today }) as StoredReminders[];
        for (const [caseId, ownerId, date, count, nearest] of found) {
          if (caseId !== null && owners.get(caseId) === ownerId) byCase.set(caseId, { caseId, ownerId, date, count, nearest });
        }
        set.reminders = byCase;
      }
      return set.reminders;
    },
    decided: () => cases().decided,
    clients: () => (set.clients ??= prepared(db, 'advisor.clientCount', clientCountStatement).get({ viewerId })?.n ?? 0),
    keep: <T>(name: string, work: () => T): T => {
      if (!set.worked.has(name)) set.worked.set(name, work());
      return set.worked.get(name) as T;
    },
  };
  return rows;
}

const NO_DATE = '9999-12-31';

/**
 * The case's next date and what it is for (db/cases.ts nextDateSql): the earliest unsent deadline, unpaid
 * instalment or open reminder; on one day a deadline comes before an instalment, and both before a reminder.
 */
function nextOf(c: CaseFact): { nextDate: string | null; nextFor: NextFor | null } {
  if (c.status === 'closed') return { nextDate: null, nextFor: null };
  let next = NO_DATE;
  let what = '';
  if (c.unsent !== null && c.unsent.date < next) [next, what] = [c.unsent.date, 'materials'];
  if (c.unpaid !== null && c.unpaid.date < next) [next, what] = [c.unpaid.date, 'instalment'];
  if (c.reminder !== null && c.reminder.date < next) [next, what] = [c.reminder.date, c.reminder.kind];
  return next === NO_DATE ? { nextDate: null, nextFor: null } : { nextDate: next, nextFor: nextForWhat(what, c.status) };
}

/**
 * The Shanghai date of an instant given in ms (SQLite's date(ms / 1000, 'unixepoch', '+8 hours')):
 * the UTC day of the instant 8 hours later, as a day number, its string made once a day (lib/workdays).
 */
function shanghaiDate(ms: number): string {
  return isoDay(Math.floor((Math.floor(ms / 1000) * 1000 + 8 * 3_600_000) / 86_400_000));
}

// --- figures ---------------------------------------------------------------------------------

export type AdvisorFigures = {
  /** Borrowers whose share with the advisor is active. */
  clients: number;
  /** Not closed, not archived. */
  openCases: number;
  /** Principal + interest + penalty, of those given, of open cases still being negotiated (see below). */
  overdueUnderNegotiationFen: number;
  /** How many of those cases gave no amount, so are not in the sum. */
  underNegotiationNotGiven: number;
  /** Attempts approved (decidedOn) in the current month in Shanghai. */
  approvedThisMonth: number;
};

/** The four figures at the top of the dashboard. `today` is YYYY-MM-DD in Shanghai. */
export function advisorFigures(viewer: Viewer, today: string): AdvisorFigures {
  requireAdvisor(viewer);
  const rows = advisorRows(viewer, today);
  return rows.keep('figures', () => {
    const monthStart = `${today.slice(0, 7)}-01`;
    const nextMonthStart = addDaysIso(monthStart, 32).slice(0, 7) + '-01';
    let openCases = 0;
    let overdueUnderNegotiationFen = 0;
    let underNegotiationNotGiven = 0;
    for (const c of rows.facts()) {
      if (c.status === 'closed') continue;
      openCases += 1;
      // "Under negotiation": open cases not yet under an agreed plan. Approved and repaying cases
      // are settled on terms (their debt is being repaid by instalments), so they are left out.
      if (UNDER_PLAN.includes(c.status)) continue;
      if (c.totalFen === null) underNegotiationNotGiven += 1;
      else overdueUnderNegotiationFen += c.totalFen;
    }
    const approvedThisMonth = rows.decided().filter(
      (a) => a.decision === 'approved' && a.decidedOn >= monthStart && a.decidedOn < nextMonthStart,
    ).length;
    return { clients: rows.clients(), openCases, overdueUnderNegotiationFen, underNegotiationNotGiven, approvedThisMonth };
  });
}

// --- what needs attention ------------------------------------------------------------------

export { ATTENTION_KINDS, type AttentionKind };

export type AttentionItem = {
  kind: AttentionKind;
  caseId: number;
  clientId: number;
  clientName: string;
  lenderName: string;
  /** The account's last digits ('' when not recorded): two cases with one lender told apart. */
  accountRef: string;
  /**
   * The date that makes it urgent: the oldest unpaid due date; the earliest materials deadline;
   * the oldest overdue reminder's date; the date the lender's decision was expected by; the
   * date of the last activity. (The line is placed by the date of those it counts nearest today.)
   */
  date: string;
  /** Unpaid instalments, unsent requests or overdue reminders on the case; 1 for the others. */
  count: number;
  /** A review_overdue line about a mediation or complaint, not the lender's own review. */
  escalated?: true;
  /** A materials line whose oldest deadline has passed: the next one still to come, when one is counted (said beside it). */
  next?: string;
  /**
   * Orders the list (lib/attention.ts): fresh or not, urgency, the distance from today, then the case; by
   * the most urgent date the line counts (the latest missed instalment, the unsent deadline nearest today,
   * the latest overdue reminder), not the oldest: a plan missed in April and again yesterday is fresh.
   */
  sortKey: string;
};

/** Materials deadlines up to this date count: two workdays from today. */
function materialsCutoff(today: string): string {
  return addWorkdays(today, 2);
}

/** The instant (ms) at which the Shanghai date `date` begins. */
function shanghaiMidnight(date: string): number {
  return new Date(`${date}T00:00:00+08:00`).getTime();
}

/**
 * The attention rules for one day, over a case's facts: the attention list has a line per case
 * and rule that holds, and the table's "needs attention" flag and filter are exactly the cases
 * with at least one.
 */
function attentionRules(rows: AdvisorRows, today: string) {
  // Last activity on day D is stale once D + 14 ≤ today: before the start of day today − 13.
  const staleBefore = shanghaiMidnight(addDaysIso(today, -(STALE_AFTER_DAYS - 1)));
  const reminders = rows.reminders();
  /**
   * A review started on `since` is past the lender's typical time of `n` workdays when the n-th
   * workday after `since` is before today, that is, when there are n workdays strictly between
   * them: exactly when `since` is before the n-th workday before today. One cutoff per review
   * time, worked out with the Chinese calendar.
   */
  const reviewCutoffs = new Map<number, string>();
  const reviewCutoff = (n: number) => {
    let cutoff = reviewCutoffs.get(n);
    if (cutoff === undefined) reviewCutoffs.set(n, (cutoff = addWorkdays(today, -n)));
    return cutoff;
  };
  /**
   * An escalation has gone quiet once the day the borrower is to ask after it (escalationFollowupOn) is
   * before today: the lender's review time has nothing to do with it, and neither has a cutoff per number
   * of workdays (a complaint's 15 days are calendar days).
   */
  const followups = new Map<string, string>();
  const escalationFollowup = (c: CaseFact) => {
    const since = c.reviewSince!;
    const key = `${c.reviewRoute === 'complaint' ? 'complaint' : 'mediation'}:${since}`;
    let on = followups.get(key);
    if (on === undefined) followups.set(key, (on = escalationDueOn(since, c.reviewRoute)));
    return on;
  };
  return {
    missed: (c: CaseFact) => UNDER_PLAN.includes(c.status) && c.unpaid !== null && c.unpaid.date < today,
    materials: (c: CaseFact) => c.status !== 'closed' && c.unsent !== null && c.unsent.count > 0,
    // An open case's: a withdrawn or settled case keeps the borrower's own reminders open (a
    // withdrawal never closed those), but nothing about it needs the advisor.
    reminders: (c: CaseFact) => (c.status === 'closed' ? undefined : reminders.get(c.id)),
    // An escalation too: its follow-up reminder is a review follow-up (not an "overdue reminder"), so this is
    // the line that tells the advisor a mediation or complaint has gone quiet: once the borrower's follow-up
    // day has passed (escalationFollowup), not after the lender's review time.
    review: (c: CaseFact) =>
      UNDER_REVIEW.includes(c.status) &&
      c.reviewSince !== null &&
      (c.status === 'escalated' ? escalationFollowup(c) < today : c.reviewSince < reviewCutoff(c.reviewWorkdays)),
    /** The date a review was expected by (the lender's review time on), or an escalation's follow-up day. */
    reviewDueOn: (c: CaseFact) => (c.status === 'escalated' ? escalationFollowup(c) : addWorkdays(c.reviewSince!, c.reviewWorkdays)),
    stale: (c: CaseFact) => NEGOTIATING.includes(c.status) && c.updatedAt < staleBefore,
  };
}

/**
 * The day the borrower is reminded to ask after an escalation that began on `since`: the same rule as
 * their reminder (lib/reminder-rules.ts escalationFollowupOn, opened by db/attempts.ts escalateCase) — a
 * complaint's 15 calendar days and the next workday, a mediation's 15 workdays. A round not recorded as
 * an escalation (no route: an escalated status written by hand) counts as a mediation.
 */
function escalationDueOn(since: string, route: CaseFact['reviewRoute']): string {
  return escalationFollowupOn(since, route ?? 'mediation');
}

function needsAttention(rules: ReturnType<typeof attentionRules>, c: CaseFact): boolean {
  return rules.missed(c) || rules.materials(c) || rules.reminders(c) !== undefined || rules.review(c) || rules.stale(c);
}

/**
 * What needs the advisor first, what can still be saved first (lib/attention.ts), one line per case and kind:
 * missed instalments, materials deadlines within two workdays (or already past), overdue
 * reminders, reviews past the lender's typical review time, cases without activity for 14 days.
 * Only open, non-archived cases of active clients.
 */
export function attentionItems(viewer: Viewer, today: string): AttentionItem[] {
  requireAdvisor(viewer);
  const rows = advisorRows(viewer, today);
  return rows.keep('attention', () => {
    const rules = attentionRules(rows, today);
    const items: AttentionItem[] = [];
    const push = (kind: AttentionKind, c: CaseFact, { date, count, nearest }: DateCount, escalated = false) =>
      items.push({
        kind,
        caseId: c.id,
        clientId: c.clientId,
        clientName: c.clientName,
        lenderName: c.lenderName,
        accountRef: c.accountRef,
        date,
        count,
        ...(escalated ? { escalated } : {}),
        sortKey: attentionSortKey(kind, nearest, c.id, today),
      });
    /** A line about one date. */
    const one = (date: string): DateCount => ({ date, count: 1, nearest: date });
    const facts = rows.facts();
    for (const c of facts) {
      if (rules.missed(c)) {
        // The oldest unpaid instalment is past due; the count is of those due before today.
        push('missed_instalment', c, c.unpaid!);
      }
      if (rules.materials(c)) {
        push('materials_deadline', c, c.unsent!);
        // "Due 9 May: passed" alone would hide tomorrow's deadline on the same case.
        const { date, nearest } = c.unsent!;
        if (date < today && nearest >= today) items[items.length - 1]!.next = nearest;
      }
      const overdue = rules.reminders(c);
      if (overdue) push('overdue_reminders', c, overdue);
      // The date the decision was expected by: the lender's typical review time after the review began
      // (for an escalation, the borrower's follow-up day: the line then says the mediation or complaint has
      // gone quiet).
      if (rules.review(c)) push('review_overdue', c, one(rules.reviewDueOn(c)), c.status === 'escalated');
      if (rules.stale(c)) push('stale_case', c, one(shanghaiDate(c.updatedAt)));
    }
    return items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  });
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

/**
 * Names as a Chinese reader orders them: by pinyin (安, 丁, 李, 王, 张), not by code point. What
 * `a.localeCompare(b, 'zh-CN')` does (it makes this collator each call). Charts, the table, its
 * lender filter and the client list use it alike.
 */
const zhCollator = new Intl.Collator('zh-CN');

function median(values: number[]): number {
  // A typed array sorts numbers in their order without a comparator call for each pair.
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Cases by status; approval rate and median review workdays by lender; rejection reasons. */
export function advisorCharts(viewer: Viewer, today: string): AdvisorCharts {
  requireAdvisor(viewer);
  const rows = advisorRows(viewer, today);
  return rows.keep('charts', () => {
    const counts = new Map<CaseStatus, number>();
    for (const c of rows.facts()) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const byStatus = CASE_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 }));
    const decided = rows.decided();

    // Review times: workdaysBetween(submittedOn, decidedOn) (lib/workdays: the workdays after the
    // one up to and including the other) for every attempt at once, from one pass over the calendar
    // between the earliest and the latest date (runningWorkdays), instead of walking every pair's days.
    const submittedDays = new Float64Array(decided.length);
    const decidedDays = new Float64Array(decided.length);
    let first = Infinity;
    let last = -Infinity;
    for (let i = 0; i < decided.length; i++) {
      const from = (submittedDays[i] = dayNumber(decided[i]!.submittedOn));
      const to = (decidedDays[i] = dayNumber(decided[i]!.decidedOn));
      if (from < first) first = from;
      if (to < first) first = to;
      if (from > last) last = from;
      if (to > last) last = to;
    }
    const running = runningWorkdays(first, last);
    const byLender = new Map<number, { lenderName: string; approved: number; days: number[] }>();
    const reasons = new Map<RejectionReason, number>();
    for (let i = 0; i < decided.length; i++) {
      const a = decided[i]!;
      if (a.decision === 'rejected') {
        const reason = a.reason ?? 'other';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      // The lender's own reviews: an outcome of mediation or a complaint is not its approval rate nor its review time.
      if (a.escalated) continue;
      let entry = byLender.get(a.lenderId);
      if (entry === undefined) byLender.set(a.lenderId, (entry = { lenderName: a.lenderName, approved: 0, days: [] }));
      if (a.decision === 'approved') entry.approved += 1;
      entry.days.push(a.decidedOn <= a.submittedOn ? 0 : running[decidedDays[i]! - first]! - running[submittedDays[i]! - first]!);
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
      .sort((a, b) => b.decided - a.decided || zhCollator.compare(a.lenderName, b.lenderName) || a.lenderId - b.lenderId);
    const rejectionReasons = [...reasons.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    return { byStatus, lenders: lenderStats, rejectionReasons };
  });
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
  totalFen: number | null;
  nextDate: string | null;
  /** What the next date is for (lib/case-status.ts NEXT_FOR); null when there is none, or its reminder's kind is unknown. */
  nextFor: NextFor | null;
  updatedAt: Date;
  /** Shanghai date of the last activity (updatedAt). */
  lastActivityOn: string;
  needsAttention: boolean;
  /** The earliest instalment still owed (unpaid, or paid short); null when none, or closed (lib/case-status.ts planAtRisk). */
  firstOwedOn: string | null;
};

const STATUS_ORDER = new Map(CASE_STATUSES.map((s, i) => [s, i]));

type TableRow = { fact: CaseFact; nextDate: string | null; nextFor: NextFor | null; needsAttention: boolean };

/**
 * The table's rows, filtered and searched, and the order they are shown in: names as a Chinese
 * reader orders them (pinyin, zhCollator), the case id in the same direction last, so that no two
 * rows tie. `today` sets the next dates and the flags.
 */
function tableRows(
  viewer: Viewer,
  today: string,
  filters: AdvisorCaseFilters,
): { rows: TableRow[]; compare: (a: TableRow, b: TableRow) => number } {
  const read = advisorRows(viewer, today);
  // Every case's next date and flag, worked out once for the rows (the same for any filter).
  const all = read.keep('table', () => {
    const rules = attentionRules(read, today);
    return read.facts().map((c): TableRow => ({ fact: c, ...nextOf(c), needsAttention: needsAttention(rules, c) }));
  });
  const status = filters.status && (CASE_STATUSES as readonly string[]).includes(filters.status) ? filters.status : undefined;
  // Words apart ("严 欣鹏", "花呗 4471") each have to be found, in any of the row's texts.
  const terms = (filters.q ?? '').split(/\s+/).filter(Boolean);
  // A lender's other names count too ("Meituan", "CMB": lib/lender-aliases.ts), worked out once a seeded lender and word.
  const aliasHit = new Map<string, boolean>();
  const byAlias = (seedName: string | null, term: string) => {
    if (!seedName) return false;
    const key = `${seedName}\u0000${term}`;
    let hit = aliasHit.get(key);
    if (hit === undefined) aliasHit.set(key, (hit = aliasMatches(seedName, term)));
    return hit;
  };
  const needles = terms.map((term) => ({ term, needle: searchFold(term) }));
  const found = (c: CaseFact) => {
    const texts = [c.clientName, c.lenderName, c.product, c.accountRef].map(searchFold);
    return needles.every(({ term, needle }) => texts.some((text) => text.includes(needle)) || byAlias(c.lenderSeedName, term));
  };
  const rows: TableRow[] = [];
  for (const row of all) {
    const c = row.fact;
    if (status && c.status !== status) continue;
    if (filters.lenderId && c.lenderId !== filters.lenderId) continue;
    if (filters.clientId && c.clientId !== filters.clientId) continue;
    if (needles.length > 0 && !found(c)) continue;
    if (filters.attention && !row.needsAttention) continue;
    rows.push(row);
  }
  const sign = filters.dir === 'desc' ? -1 : 1;
  const byColumn: Record<AdvisorSort, (a: TableRow, b: TableRow) => number> = {
    client: (a, b) => sign * zhCollator.compare(a.fact.clientName, b.fact.clientName),
    lender: (a, b) => sign * zhCollator.compare(a.fact.lenderName, b.fact.lenderName),
    status: (a, b) => sign * (STATUS_ORDER.get(a.fact.status)! - STATUS_ORDER.get(b.fact.status)!),
    // Cases without an amount go last either way, as those without a next date do.
    total: (a, b) =>
      a.fact.totalFen === b.fact.totalFen ? 0 : a.fact.totalFen === null ? 1 : b.fact.totalFen === null ? -1 : sign * (a.fact.totalFen - b.fact.totalFen),
    // Cases without a next date go last either way.
    next: (a, b) =>
      a.nextDate === b.nextDate ? 0 : a.nextDate === null ? 1 : b.nextDate === null ? -1 : sign * (a.nextDate < b.nextDate ? -1 : 1),
    updated: (a, b) => sign * (a.fact.updatedAt - b.fact.updatedAt),
  };
  const byValue = byColumn[filters.sort ?? 'next'];
  return { rows, compare: (a, b) => byValue(a, b) || sign * (a.fact.id - b.fact.id) };
}

/**
 * The first `k` of `rows` in the order of `compare`, a total order (no two rows tie): what
 * sorting them all and keeping the first k gives. Near the top of a long table (the dashboard's
 * first page: 10 or 25 rows of ≈ 1,500) most rows fail to enter a sorted buffer of k rows after
 * one comparison, instead of the ~n·log n comparisons of the whole sort; further down, the sort.
 */
function firstInOrder<T>(rows: T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k * 8 >= rows.length) return rows.sort(compare).slice(0, k);
  const best: T[] = [];
  for (const row of rows) {
    if (best.length === k && compare(row, best[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(best[mid]!, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, row);
    if (best.length > k) best.pop();
  }
  return best;
}

function toRow({ fact: c, nextDate, nextFor, needsAttention }: TableRow): AdvisorCaseRow {
  return {
    id: c.id,
    clientId: c.clientId,
    clientName: c.clientName,
    lenderId: c.lenderId,
    lenderName: c.lenderName,
    product: c.product,
    accountRef: c.accountRef,
    status: c.status,
    totalFen: c.totalFen,
    nextDate,
    nextFor,
    updatedAt: new Date(c.updatedAt),
    lastActivityOn: shanghaiDate(c.updatedAt),
    needsAttention,
    firstOwedOn: c.unpaid?.date ?? null,
  };
}

/**
 * Every client's cases, filtered, searched, sorted and paged. A page past the end gives the
 * last page (the returned `page` says which).
 */
export function listAdvisorCases(
  viewer: Viewer,
  query: AdvisorCaseQuery = {},
  today: string = todayInShanghai(),
): { rows: AdvisorCaseRow[]; total: number; page: number; pageSize: number } {
  requireAdvisor(viewer);
  const pageSize = Math.min(Math.max(Math.trunc(query.pageSize ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  let page = Math.max(Math.trunc(query.page ?? 1) || 1, 1);
  const { rows, compare } = tableRows(viewer, today, query);
  const total = rows.length;
  if (total === 0) return { rows: [], total: 0, page: 1, pageSize };
  if ((page - 1) * pageSize >= total) page = Math.ceil(total / pageSize);
  const upToPage = firstInOrder(rows, Math.min(page * pageSize, total), compare);
  return { rows: upToPage.slice((page - 1) * pageSize).map(toRow), total, page, pageSize };
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
    const { rows: unsorted, compare } = tableRows(viewer, today, filters);
    const found = unsorted.sort(compare);
    const rows = found.slice(0, EXPORT_LIMIT).map(toRow);
    const perClient = new Map<number, number>();
    for (const r of rows) perClient.set(r.clientId, (perClient.get(r.clientId) ?? 0) + 1);
    for (const [clientId, n] of perClient) logAdvisorAccess(tx, viewer.id, clientId, 'export', null, String(n));
    return { rows, truncated: found.length > EXPORT_LIMIT };
  });
}

/** The lenders of the clients' (non-archived) cases, by name in pinyin order: the table's lender filter offers these. */
export function listAdvisorLenders(viewer: Viewer, today: string = todayInShanghai()): { id: number; name: string }[] {
  requireAdvisor(viewer);
  const rows = advisorRows(viewer, today);
  return rows.keep('lenders', () => {
    const byId = new Map<number, string>();
    for (const c of rows.facts()) byId.set(c.lenderId, c.lenderName);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => zhCollator.compare(a.name, b.name) || a.id - b.id);
  });
}

/**
 * The advisor's clients (listClientsForAdvisor: active shares), by name in pinyin order, kept with
 * the advisor's rows: their shares and names move the same data version.
 */
export function listAdvisorClients(viewer: Viewer, today: string = todayInShanghai()): ReturnType<typeof listClientsForAdvisor> {
  requireAdvisor(viewer);
  return advisorRows(viewer, today).keep('clients', () => listClientsForAdvisor(viewer).sort((a, b) => zhCollator.compare(a.name, b.name) || a.shareId - b.shareId));
}
