import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { CaseStatus } from '@/lib/case-status';

/**
 * What the advisor dashboard needs of each case (issue 6), stored so that a request reads an
 * advisor's ≈ 1,500 cases as one range per client instead of working them out again from
 * instalments, materials requests, contacts and attempts. One row per case, archived ones too.
 *
 * Nothing in the app writes this table: SQLite triggers on cases, instalments, material_requests,
 * contacts and attempts (migration 0006, after drizzle-kit's CREATE TABLE) copy a case's row out
 * of the view `case_facts_source` — the one definition of these columns — whenever something it
 * reads changes, so every writer (the verbs, the generator, a restore, a test's raw SQL) keeps it
 * true. What depends on the day (which instalments are missed, which promise is next) is not
 * stored: the sorted date lists below let db/advisor.ts work it out per request.
 *
 * WITHOUT ROWID (added to drizzle-kit's CREATE TABLE by hand: drizzle cannot declare it,
 * drizzle-orm#408), so the rows are stored in primary-key order: one client's cases are one
 * contiguous range, whatever the size of the file. A later migration that rebuilds this table
 * must keep WITHOUT ROWID and the column order of the view (the triggers `SELECT *` from it); a column
 * added (ADD COLUMN, which keeps both) goes last in the table and in the view, as review_route did (0019).
 */
export const caseFacts = sqliteTable(
  'case_facts',
  {
    ownerId: integer().notNull(),
    caseId: integer().notNull(),
    lenderId: integer().notNull(),
    product: text().notNull(),
    accountRef: text().notNull(),
    status: text().$type<CaseStatus>().notNull(),
    /** principal + interest + penalty, fen, of those given; null when none is (migration 0024). */
    totalFen: integer(),
    /** cases.updated_at: ms since the epoch. */
    updatedAt: integer().notNull(),
    /** 0 or 1. */
    archived: integer().notNull(),
    /** The due dates of the unpaid instalments, sorted, comma-separated; null when there is none. */
    unpaidDues: text(),
    /** The deadlines of the materials requests not yet sent, sorted, comma-separated; null when none. */
    unsentDeadlines: text(),
    /**
     * When the case's earliest open reminder shows (its date, or its snooze's), and its kind:
     * 'YYYY-MM-DD|kind'; null when none (migrations 0008 and 0017).
     */
    nextReminder: text(),
    /** When the latest attempt's review began: its submission or the last sending of materials for it. */
    reviewSince: text(),
    /**
     * The decided attempts, by round: `decision,submitted_on,decided_on,rejection_reason` joined
     * by `;` (the reason empty when there is none); null when none.
     */
    decisions: text(),
    /**
     * The route of the latest round when it is an escalation — 'complaint' (channel 'regulator') or
     * 'mediation' (channel 'mediator') — else null (migration 0019): when an escalated case has gone
     * quiet follows the route, as the borrower's follow-up does (lib/reminder-rules.ts escalationFollowupOn).
     */
    reviewRoute: text().$type<'complaint' | 'mediation'>(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.caseId] })],
);
