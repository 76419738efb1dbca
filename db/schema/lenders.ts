import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAtColumn, users } from './users';
import type { DocumentKind, LenderKind, Program } from '@/lib/domain';

type ChannelTexts = {
  /** Where in the lender's app the relief request lives, e.g. 支付宝 → 我的 → 花呗 → 账单 → 协商还款 */
  app?: string;
  branch?: string;
  complaint?: string;
};

export type LenderChannels = ChannelTexts & {
  hotline?: string;
  /** The directory's guidance in English, where it has it (a private lender's is in its owner's words). */
  en?: ChannelTexts;
};

export const lenders = sqliteTable(
  'lenders',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    name: text().notNull(),
    kind: text().$type<LenderKind>().notNull(),
    products: text({ mode: 'json' }).$type<string[]>().notNull().default([]),
    channels: text({ mode: 'json' }).$type<LenderChannels>().notNull().default({}),
    programs: text({ mode: 'json' }).$type<Program[]>().notNull().default([]),
    documents: text({ mode: 'json' }).$type<DocumentKind[]>().notNull().default([]),
    reviewWorkdays: integer().notNull().default(5),
    /**
     * The name the directory's seed (db/seed/lenders.ts) gave this lender, which the seed knows it
     * by: an admin may rename a seeded lender without the next start adding the old name again.
     * null for a lender an admin or a borrower added.
     */
    seedName: text(),
    /** null: in the public directory; otherwise a private lender only its owner sees. */
    ownerId: integer().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAtColumn(),
    /**
     * When a write last changed the lender: drizzle sets it on every update of the row. null for a
     * lender never changed since it was added. The calendar feed's events name their lender and its
     * hotline, so their revision follows this too (lib/calendar-feed.ts `revision`).
     */
    updatedAt: integer({ mode: 'timestamp_ms' }).$onUpdate(() => new Date()),
  },
  (t) => [index('lenders_owner_idx').on(t.ownerId), index('lenders_name_idx').on(t.name)],
);

export type Lender = typeof lenders.$inferSelect;
export type NewLender = typeof lenders.$inferInsert;

/**
 * An advisor's suggestion to the public directory (DESIGN §2: advisors "suggest", admins curate):
 * a correction to a public lender, or a lender the directory lacks (lenderId null). An admin acts on
 * it in the console and marks it done, or dismisses it. It goes with its author's account.
 */
export const lenderSuggestions = sqliteTable(
  'lender_suggestions',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    authorId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lenderId: integer().references(() => lenders.id, { onDelete: 'cascade' }),
    body: text().notNull(),
    status: text().$type<'open' | 'done' | 'dismissed'>().notNull().default('open'),
    resolvedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAtColumn(),
  },
  (t) => [index('lender_suggestions_status_idx').on(t.status, t.createdAt), index('lender_suggestions_author_idx').on(t.authorId, t.createdAt)],
);

export type LenderSuggestion = typeof lenderSuggestions.$inferSelect;
