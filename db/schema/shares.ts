import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { cases } from './cases';
import { createdAtColumn, users } from './users';

export const SHARE_STATUSES = ['invited', 'active', 'revoked'] as const;
export type ShareStatus = (typeof SHARE_STATUSES)[number];

/**
 * A borrower's consent for one advisor to see their cases (DESIGN.md §2). Made as an invitation
 * (a code that expires), accepted by the advisor, revoked by the borrower at any moment: every
 * read checks for an active share, so revocation holds from the advisor's very next request.
 */
export const shares = sqliteTable(
  'shares',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    borrowerId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    advisorId: integer().references(() => users.id, { onDelete: 'cascade' }),
    status: text().$type<ShareStatus>().notNull().default('invited'),
    /** SHA-256 of the invitation code; the code itself is shown once, to the borrower. */
    inviteCodeHash: text().notNull(),
    inviteExpiresAt: integer({ mode: 'timestamp_ms' }).notNull(),
    /** A label the borrower gives the invitation ("李律师，法律援助中心"). */
    label: text().notNull().default(''),
    /** When the borrower consented to sharing (the invitation), and to sharing sensitive documents. */
    consentAt: integer({ mode: 'timestamp_ms' }).notNull(),
    sensitiveConsentAt: integer({ mode: 'timestamp_ms' }),
    acceptedAt: integer({ mode: 'timestamp_ms' }),
    revokedAt: integer({ mode: 'timestamp_ms' }),
    createdAt: createdAtColumn(),
  },
  (t) => [
    uniqueIndex('shares_invite_code_unique').on(t.inviteCodeHash),
    index('shares_borrower_idx').on(t.borrowerId, t.status),
    index('shares_advisor_idx').on(t.advisorId, t.status, t.borrowerId),
    // One live share per borrower and advisor.
    uniqueIndex('shares_active_pair_unique')
      .on(t.borrowerId, t.advisorId)
      .where(sql`status = 'active'`),
  ],
);

// The last two are the borrower's own, about that advisor: when they let them open sensitive
// documents, and when they took it back (PIPL art. 28/29: a record of the separate consent).
export const ACCESS_ACTIONS = ['view_case', 'download_document', 'export', 'add_note', 'add_reminder', 'sensitive_consent_given', 'sensitive_consent_withdrawn'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** What an advisor looked at or did, for the borrower to see. */
export const accessLog = sqliteTable(
  'access_log',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    borrowerId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // Null once the advisor deleted their account: the borrower's record of what they did stays.
    advisorId: integer().references(() => users.id, { onDelete: 'set null' }),
    /** The advisor's name when it happened, shown after their account is gone. */
    advisorName: text().notNull().default(''),
    caseId: integer().references(() => cases.id, { onDelete: 'set null' }),
    action: text().$type<AccessAction>().notNull(),
    detail: text().notNull().default(''),
    createdAt: createdAtColumn(),
  },
  (t) => [index('access_log_borrower_idx').on(t.borrowerId, t.createdAt), index('access_log_advisor_idx').on(t.advisorId)],
);

export type Share = typeof shares.$inferSelect;
export type AccessLogEntry = typeof accessLog.$inferSelect;
