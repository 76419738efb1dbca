import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const ROLES = ['borrower', 'advisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const createdAt = () =>
  integer({ mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable(
  'users',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** Stored lower-cased: email is unique case-insensitively. */
    email: text().notNull(),
    displayName: text().notNull(),
    role: text({ enum: ROLES }).notNull().default('borrower'),
    locale: text({ enum: LOCALES }).notNull().default('zh-CN'),
    passwordHash: text().notNull(),
    disabled: integer({ mode: 'boolean' }).notNull().default(false),
    /** Reminders by email (where SMTP is configured). */
    emailReminders: integer({ mode: 'boolean' }).notNull().default(true),
    /**
     * When the owner of `email` opened the link mailed to it (lib/email-confirmation.ts); null until then,
     * and again after the email changes. Reminder mail goes only to a confirmed address (db/mailer.ts):
     * a mistyped one would tell a stranger of somebody's debts. Accounts older than migration 0018 count as
     * confirmed (their mail had been going out), as do those the command line makes.
     */
    emailConfirmedAt: integer({ mode: 'timestamp_ms' }),
    /**
     * A new sign-in email asked for in settings and not yet confirmed: until its owner opens the link
     * mailed to it, `email` stays the sign-in address (and where reminder mail and reset links go), so
     * that a mistyped address hands the account to nobody. Null when no change waits. Lower-cased;
     * not unique (two accounts may each wait for the same address: the first confirmed takes it).
     */
    pendingEmail: text(),
    /** The secret in the private calendar-feed URL; regenerating it kills the old URL. */
    calendarToken: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), uniqueIndex('users_calendar_token_unique').on(t.calendarToken)],
);

/**
 * One row per signed-in browser. The JWT carries the row's id; every request checks
 * that the row is still live, so "sign out everywhere" and a password change end the
 * other sessions on their very next request.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    revokedAt: integer({ mode: 'timestamp_ms' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Idempotency keys for create forms: a double-clicked submit carries the same key twice,
 * and the second finds the first's result instead of creating another record.
 */
export const formSubmissions = sqliteTable(
  'form_submissions',
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    resultId: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

export { createdAt as createdAtColumn };
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
