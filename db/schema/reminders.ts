import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ReminderKind } from '@/lib/reminder-rules';
import { cases } from './cases';
import { createdAtColumn, users } from './users';

export const REMINDER_STATUSES = ['open', 'done', 'dismissed'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/**
 * Something a borrower must not miss. Rule reminders (DESIGN.md §4) carry a rule key, unique
 * per owner, so recording the same event twice never makes two; their text is rendered from
 * `kind` and `data` in the reader's language. People's own reminders carry a title.
 */
export const reminders = sqliteTable(
  'reminders',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** The borrower the reminder is for (an advisor's reminder on a client's case goes to the client). */
    ownerId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    caseId: integer().references(() => cases.id, { onDelete: 'cascade' }),
    kind: text().$type<ReminderKind>().notNull(),
    ruleKey: text(),
    title: text(),
    note: text().notNull().default(''),
    data: text({ mode: 'json' }).$type<Record<string, string | number | null>>().notNull().default({}),
    dueOn: text().notNull(),
    /** HH:MM in Shanghai, for people's own reminders; rule reminders are all-day. */
    dueTime: text(),
    urgent: integer({ mode: 'boolean' }).notNull().default(false),
    status: text().$type<ReminderStatus>().notNull().default('open'),
    /** Closed by a rule because the case moved on, rather than by a person. */
    autoClosed: integer({ mode: 'boolean' }).notNull().default(false),
    snoozedUntil: text(),
    /** Shown again from this date: dueOn, or the snooze date when later. Kept for the inbox's index. */
    showOn: text().notNull(),
    createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
    /** When it went out by email (urgent mail or a digest): each reminder is mailed once. */
    mailedAt: integer({ mode: 'timestamp_ms' }),
    closedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAtColumn(),
    updatedAt: createdAtColumn(),
  },
  (t) => [
    uniqueIndex('reminders_owner_rule_unique').on(t.ownerId, t.ruleKey),
    index('reminders_owner_open_idx').on(t.ownerId, t.status, t.showOn),
    // A case's open reminders in date order, with their kinds: its next date is the first one not a notice (db/cases.ts).
    index('reminders_case_idx').on(t.caseId, t.status, t.showOn, t.kind),
    index('reminders_mail_idx').on(t.status, t.mailedAt, t.showOn),
    // The sweep's "the rest of a short payment, now past its date" (db/reminders.ts): few rows, read by date.
    index('reminders_short_pending_idx').on(t.status, t.dueOn).where(sql`kind = 'instalment_short' and urgent = 0`),
  ],
);

/** 'client': to an advisor, about an active client's missed instalment (db/mailer.ts). */
export const DELIVERY_KINDS = ['urgent', 'digest', 'client'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The outbox. A row per mail to send, unique by `dedupeKey` (urgent:<reminder id>:<due date>,
 * client:<reminder id>:<advisor id>:<due date>, digest:<user id>:<date>; rows queued before the due
 * date joined the key have none), so two server processes never both create one; a process claims a
 * row by moving `lockedUntil` forward in one UPDATE, so they never both send it.
 */
export const emailDeliveries = sqliteTable(
  'email_deliveries',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text().$type<DeliveryKind>().notNull(),
    dedupeKey: text().notNull(),
    reminderIds: text({ mode: 'json' }).$type<number[]>().notNull().default([]),
    status: text().$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** Not before: a claimed row, or one waiting to be retried. */
    lockedUntil: integer({ mode: 'timestamp_ms' })
      .notNull()
      .default(sql`0`),
    sentAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAtColumn(),
  },
  (t) => [
    uniqueIndex('email_deliveries_dedupe_unique').on(t.dedupeKey),
    index('email_deliveries_pending_idx').on(t.status, t.lockedUntil),
    index('email_deliveries_user_idx').on(t.userId, t.createdAt),
    // The admin console's figures: the last days' rows (db/admin.ts getMailHealth).
    index('email_deliveries_created_idx').on(t.createdAt, t.status),
  ],
);

export type Reminder = typeof reminders.$inferSelect;
export type NewReminder = typeof reminders.$inferInsert;
export type EmailDelivery = typeof emailDeliveries.$inferSelect;
