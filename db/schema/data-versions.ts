import { index, integer, sqliteTable } from 'drizzle-orm/sqlite-core';

/**
 * When each user's part of the advisor dashboard last changed (issue 6): a user's row moves on
 * every write to what the dashboard reads about them — their cases' stored facts (case_facts),
 * their reminders, their shares, their name — and the advisor's row on every change to their
 * shares. Row 0 moves when a lender is renamed or changed. db/advisor.ts keeps an advisor's rows,
 * worked out once, until the largest version among the advisor, row 0 and the advisor's clients
 * moves; reading that is a primary-key lookup per client instead of reading ≈ 1,500 cases again.
 *
 * Nothing in the app writes this table: SQLite triggers (migration 0007) do, on every write,
 * whoever writes. Every bump sets the row to one more than the largest version in the table, so
 * a version never comes back, whatever happens to the row (even a REPLACE of the user's row).
 * A user without a row is at version 0, as is a fresh database.
 */
export const dataVersions = sqliteTable(
  'data_versions',
  {
    userId: integer().primaryKey(),
    version: integer().notNull(),
  },
  (t) => [index('data_versions_version_idx').on(t.version)],
);
