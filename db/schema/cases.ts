import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { CaseStatus } from '@/lib/case-status';
import type {
  ApplicationChannel,
  CaseOutcome,
  ContactChannel,
  ContactDirection,
  DocumentKind,
  DocumentStatus,
  Program,
  PromiseOutcome,
  RejectionReason,
} from '@/lib/domain';
import { lenders } from './lenders';
import { createdAtColumn, users } from './users';

/** One debt with one lender. Amounts are integer fen; dates are YYYY-MM-DD in Asia/Shanghai. */
export const cases = sqliteTable(
  'cases',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    ownerId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lenderId: integer()
      .notNull()
      .references(() => lenders.id, { onDelete: 'restrict' }),
    product: text().notNull().default(''),
    /** Last digits of the account or card only. */
    accountRef: text().notNull().default(''),
    /**
     * What is owed, as the borrower recorded it; null when not given (migration 0024: blank was 0 before).
     * The column keeps its old DEFAULT 0, which SQLite cannot drop without rebuilding the table; every
     * writer gives the three amounts, so it is never used.
     */
    principalFen: integer().default(0),
    interestFen: integer().default(0),
    penaltyFen: integer().default(0),
    overdueSince: text(),
    status: text().$type<CaseStatus>().notNull().default('preparing'),
    outcome: text().$type<CaseOutcome>(),
    archived: integer({ mode: 'boolean' }).notNull().default(false),
    note: text().notNull().default(''),
    /** Optimistic concurrency: every write to the case bumps it; a stale form is refused. */
    version: integer().notNull().default(1),
    createdAt: createdAtColumn(),
    updatedAt: createdAtColumn(),
  },
  (t) => [
    index('cases_owner_idx').on(t.ownerId, t.archived, t.status),
    index('cases_lender_idx').on(t.lenderId),
    // The reminder sweep's "stale case": open statuses, not archived, no activity since a date.
    index('cases_status_idx').on(t.status, t.archived, t.updatedAt),
  ],
);

/** One round of negotiation (申请) inside a case. */
export const attempts = sqliteTable(
  'attempts',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    caseId: integer()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    round: integer().notNull(),
    program: text().$type<Program>().notNull(),
    proposedPeriods: integer(),
    proposedMonthlyFen: integer(),
    proposedFirstPaymentOn: text(),
    proposedWaivedFen: integer(),
    submittedOn: text().notNull(),
    channel: text().$type<ApplicationChannel>().notNull(),
    lenderRef: text().notNull().default(''),
    decision: text().$type<'approved' | 'rejected'>(),
    decidedOn: text(),
    rejectionReason: text().$type<RejectionReason>(),
    rejectionText: text(),
    agreedPeriods: integer(),
    agreedMonthlyFen: integer(),
    agreedFirstPaymentOn: text(),
    agreedWaivedFen: integer(),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex('attempts_case_round_unique').on(t.caseId, t.round)],
);

/** The lender asked for more material during an attempt's review (补充材料). */
export const materialRequests = sqliteTable(
  'material_requests',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    caseId: integer()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    attemptId: integer()
      .notNull()
      .references(() => attempts.id, { onDelete: 'cascade' }),
    what: text().notNull(),
    requestedOn: text().notNull(),
    deadline: text().notNull(),
    sentOn: text(),
    /** The day the lender decided while this was still unsent (approved or rejected without it): no longer awaited. */
    closedOn: text(),
    createdAt: createdAtColumn(),
  },
  (t) => [
    index('material_requests_case_idx').on(t.caseId),
    index('material_requests_attempt_idx').on(t.attemptId),
    // Partial: a case's earliest awaited deadline without reading the requests already sent or closed (materialsAwaited).
    index('material_requests_unsent_idx').on(t.caseId, t.deadline).where(sql`sent_on is null and closed_on is null`),
  ],
);

/** A request for materials still awaited: not sent, and not overtaken by the lender's decision (spelt as the index's condition). */
export const materialsAwaited = () => sql`(${materialRequests.sentOn} is null and ${materialRequests.closedOn} is null)`;

export const documents = sqliteTable(
  'documents',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    caseId: integer()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    attemptId: integer().references(() => attempts.id, { onDelete: 'set null' }),
    kind: text().$type<DocumentKind>().notNull(),
    status: text().$type<DocumentStatus>().notNull().default('needed'),
    note: text().notNull().default(''),
    /** Marked sensitive by the borrower; medical proof and bank statements always are (lib/domain.ts). */
    sensitive: integer({ mode: 'boolean' }).notNull().default(false),
    /** The file, when one was uploaded: stored under a generated name outside the web root. */
    fileName: text(),
    storedName: text(),
    mimeType: text(),
    sizeBytes: integer(),
    createdAt: createdAtColumn(),
    updatedAt: createdAtColumn(),
  },
  (t) => [index('documents_case_idx').on(t.caseId), index('documents_attempt_idx').on(t.attemptId)],
);

/** 沟通记录: a call, chat or visit, and any promise the lender made. */
export const contacts = sqliteTable(
  'contacts',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    caseId: integer()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    channel: text().$type<ContactChannel>().notNull(),
    /** Who reached out; null on contacts recorded before it was asked (migration 0020). */
    direction: text().$type<ContactDirection>(),
    occurredAt: integer({ mode: 'timestamp_ms' }).notNull(),
    agentId: text().notNull().default(''),
    /** The lender's number or address as the person noted it: the number that called, the hotline dialled. */
    theirNumber: text().notNull().default(''),
    summary: text().notNull(),
    promise: text(),
    promiseDue: text(),
    /** Whether the lender kept its promise, as the person recorded it (db/contacts.ts recordPromiseOutcome); null while awaited. */
    promiseOutcome: text().$type<PromiseOutcome>(),
    /** The day it was kept, or the day it was found broken. */
    promiseOutcomeOn: text(),
    createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAtColumn(),
  },
  (t) => [
    index('contacts_case_idx').on(t.caseId, t.occurredAt),
  ],
);

/** The agreed repayment plan of an approved attempt. */
export const plans = sqliteTable(
  'plans',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    caseId: integer()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    attemptId: integer()
      .notNull()
      .references(() => attempts.id, { onDelete: 'cascade' }),
    periods: integer().notNull(),
    monthlyFen: integer().notNull(),
    firstDueOn: text().notNull(),
    totalFen: integer().notNull(),
    /** The day the lender voided the plan (db/attempts.ts voidPlan); what was paid on it stays. */
    voidedOn: text(),
    /**
     * The day the rest was paid at once (提前结清, db/plans.ts payOffPlan): the plan's last instalment is
     * that payment, the instalments it settled are gone, and what they owed then is kept beside it.
     */
    paidOffOn: text(),
    paidOffOwedFen: integer(),
    createdAt: createdAtColumn(),
  },
  (t) => [index('plans_case_idx').on(t.caseId), uniqueIndex('plans_attempt_unique').on(t.attemptId)],
);

export const instalments = sqliteTable(
  'instalments',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    planId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    caseId: integer()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    dueOn: text().notNull(),
    amountFen: integer().notNull(),
    paidOn: text(),
    paidFen: integer(),
  },
  (t) => [
    uniqueIndex('instalments_plan_seq_unique').on(t.planId, t.seq),
    index('instalments_case_due_idx').on(t.caseId, t.dueOn),
    // Partial: a case's earliest instalment still owed (not paid, or paid short) without reading the paid ones.
    // Every "still owed" in SQL spells this condition (instalmentOwed below) so that SQLite uses the index.
    index('instalments_unpaid_idx').on(t.caseId, t.dueOn).where(sql`paid_on is null or paid_fen < amount_fen`),
  ],
);

/** An instalment still owed: not paid, or paid short. The same condition as instalments_unpaid_idx, so that SQLite reads that index. */
export const instalmentOwed = () => sql`(${instalments.paidOn} is null or ${instalments.paidFen} < ${instalments.amountFen})`;

/** What an instalment of `alias` (a table alias in a subquery) still owes, fen: lib/plan.ts owedFen in SQL. */
export const instalmentOwedFen = (alias: 'e' | 'i') =>
  sql.raw(`(case when ${alias}.paid_on is null then ${alias}.amount_fen else max(0, ${alias}.amount_fen - ${alias}.paid_fen) end)`);

/**
 * What a case owes by the amounts given: their sum, the blank ones left out; null when none was given
 * (lib/money.ts recordedDebtFen in JS, the view case_facts_source's total_fen of migration 0024).
 */
export const recordedDebt = () =>
  sql<number | null>`(case when coalesce(${cases.principalFen}, ${cases.interestFen}, ${cases.penaltyFen}) is not null
    then coalesce(${cases.principalFen}, 0) + coalesce(${cases.interestFen}, 0) + coalesce(${cases.penaltyFen}, 0) end)`;

/** The timeline: every change to a case, who made it and what changed. */
export const caseEvents = sqliteTable(
  'case_events',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    caseId: integer()
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    actorId: integer().references(() => users.id, { onDelete: 'set null' }),
    kind: text().notNull(),
    data: text({ mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAtColumn(),
  },
  (t) => [
    index('case_events_case_idx').on(t.caseId, t.createdAt),
    // Notes by date, for the daily mail's "from your advisor" (db/mailer.ts): a few rows a day out of every event.
    index('case_events_note_idx').on(t.createdAt).where(sql`kind = 'note'`),
  ],
);

export type Case = typeof cases.$inferSelect;
export type NewCase = typeof cases.$inferInsert;
export type Attempt = typeof attempts.$inferSelect;
export type MaterialRequest = typeof materialRequests.$inferSelect;
export type CaseDocument = typeof documents.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type Plan = typeof plans.$inferSelect;
export type Instalment = typeof instalments.$inferSelect;
export type CaseEvent = typeof caseEvents.$inferSelect;
