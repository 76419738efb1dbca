import { and, count, desc, eq, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { DomainError, NotFoundError } from '@/lib/errors';
import { mailConfigured } from '@/lib/mail-config';
import { withoutAddresses } from '@/lib/mail-failure';
import { getDb, type DB } from './client';
import { failureOf, type FailedRow } from './mailer';
import { hashPassword, normaliseEmail } from './users';
import { cases, lenders, reminders, sessions, shares, users, type Role, type User } from './schema';
import type { Viewer } from './viewer-type';

/**
 * The admin's accounts console (DESIGN.md §2: "accounts: list, disable, change role"). Only an
 * admin reaches anything here; for anyone else every verb is "not found", like a page that does
 * not exist. Admins have no access to borrowers' data: these verbs read and write the users
 * table (and end sessions), and look at a borrower's cases and shares only to count whether
 * there are any, never what is in them; and count the reminder-mail outbox (getMailHealth), never
 * whom a mail was for. Nothing is written to a case's timeline.
 */

type Tx = Pick<DB, 'select'>;

/**
 * The viewer is an admin, as the database says now (not as the session said when it was read):
 * an admin demoted or disabled a moment ago cannot finish a request with the old role. Anyone
 * else: "not found". Also the guard of the lender directory's curation (db/lenders.ts).
 */
export function requireAdmin(tx: Tx, viewer: Viewer): void {
  const me = tx.select({ role: users.role, disabled: users.disabled }).from(users).where(eq(users.id, viewer.id)).get();
  if (viewer.role !== 'admin' || me?.role !== 'admin' || me.disabled) throw new NotFoundError();
}

/**
 * How many active admins there are besides this account. The rule "the last active admin stays"
 * (nobody could curate the lender directory or manage accounts otherwise) is shared by deleting
 * one's account (db/account.ts), disabling an account and changing its role. Called inside the
 * caller's transaction, after the caller's own check.
 */
export function countOtherActiveAdmins(tx: Tx, userId: number): number {
  return (
    tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, userId)))
      .get()?.n ?? 0
  );
}

/** One line of the accounts list: the account's own fields, nothing of what it holds. */
export type AccountRow = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
};

/** The columns of an AccountRow: the account's own fields, nothing of what it holds. */
const ACCOUNT_FIELDS = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  disabled: users.disabled,
  createdAt: users.createdAt,
};

export const ACCOUNTS_PAGE_SIZE = 50;

export type AccountFilters = { q?: string; role?: Role; page?: number };

/** `%`, `_` and `\` typed in the search box are searched for as themselves. */
function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Accounts, newest first, 50 a page, optionally only one role and only those whose e-mail or name
 * contains `q`. Paged in SQL: the order is the primary key's (a new account has a larger id), so
 * SQLite walks users' rowid index backwards and stops after the page, with no sort, whatever the
 * number of accounts; the total is one count over the same filter.
 */
export function listAccounts(
  viewer: Viewer,
  filters: AccountFilters = {},
): { rows: AccountRow[]; total: number; page: number; pages: number; pageSize: number } {
  const db = getDb();
  return db.transaction((tx) => {
    requireAdmin(tx, viewer);
    const where: SQL[] = [];
    const q = filters.q?.trim();
    if (q) {
      const pattern = likeContaining(q);
      // E-mail is stored as normaliseEmail has it (NFKC, lower-cased): so is what is typed for it
      // (zhang＠qq．com from a full-width IME). LIKE ignores the case of ASCII letters in names.
      where.push(
        or(sql`${users.email} like ${likeContaining(normaliseEmail(q))} escape '\\'`, sql`${users.displayName} like ${pattern} escape '\\'`)!,
      );
    }
    if (filters.role) where.push(eq(users.role, filters.role));
    const condition = where.length ? and(...where) : undefined;
    const total = tx.select({ n: count() }).from(users).where(condition).get()?.n ?? 0;
    const pages = Math.max(1, Math.ceil(total / ACCOUNTS_PAGE_SIZE));
    const page = Math.min(Math.max(1, Math.floor(filters.page ?? 1)), pages);
    const rows = tx
      .select(ACCOUNT_FIELDS)
      .from(users)
      .where(condition)
      .orderBy(desc(users.id))
      .limit(ACCOUNTS_PAGE_SIZE)
      .offset((page - 1) * ACCOUNTS_PAGE_SIZE)
      .all();
    return { rows, total, page, pages, pageSize: ACCOUNTS_PAGE_SIZE };
  });
}

function accountRow(tx: Tx, userId: number): AccountRow {
  const row = tx
    .select(ACCOUNT_FIELDS)
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Disables an account (it cannot sign in, and every session it has ends now: the next request of
 * each is signed out, since every request checks its session row, db/users.ts viewerForSession),
 * or enables it again (it signs in anew; the ended sessions stay ended). Its data is untouched:
 * a borrower's cases, an advisor's shares (a disabled advisor reads nothing, since they cannot
 * sign in, and has it back once enabled; the borrower can revoke meanwhile). Disabled accounts
 * get no reminder mail (db/mailer.ts).
 *
 * Refused, changing nothing: disabling oneself ('admin_self_disable') and the last active admin
 * ('last_admin').
 */
export function setAccountDisabled(viewer: Viewer, userId: number, disabled: boolean, now = new Date()): AccountRow {
  return getDb().transaction((tx) => {
    requireAdmin(tx, viewer);
    const target = accountRow(tx, userId);
    if (disabled) {
      if (target.id === viewer.id) throw new DomainError('admin_self_disable');
      if (target.role === 'admin' && !target.disabled && countOtherActiveAdmins(tx, target.id) === 0) throw new DomainError('last_admin');
    }
    if (target.disabled !== disabled) {
      tx.update(users).set({ disabled, updatedAt: now }).where(eq(users.id, userId)).run();
    }
    if (disabled) {
      tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))).run();
    }
    return accountRow(tx, userId);
  });
}

/**
 * Changes an account's role among borrower, advisor and admin.
 *
 * Only an account that holds nothing of a role's is changed: no case, no private lender, no
 * reminder of its own, and no share on either side, whatever the share's status. Otherwise the
 * change is refused ('role_has_data') and nothing changes. Why refuse rather than convert: each
 * role's data means something only in that role. A borrower made advisor would keep cases that
 * no page of theirs shows and that every share gives away; an advisor made borrower would keep
 * the clients' shares (and their notes on the clients' timelines would read as a borrower's);
 * anyone made admin would keep access through an active share that an admin must never have.
 * Revoking shares or moving cases on somebody's behalf is not the admin's to decide (and would
 * write to a borrower's records): the person does it themself, or signs up again in the other
 * role. A fresh account (someone who signed up in the wrong role) and admins, who hold none of
 * these, change freely.
 *
 * Also refused: removing one's own admin role ('admin_self_demote'), and demoting the last active
 * admin ('last_admin'). The change holds from the account's next request (its role is read
 * with its session on every request); its sessions are kept.
 */
export function setAccountRole(viewer: Viewer, userId: number, role: Role, now = new Date()): AccountRow {
  return getDb().transaction((tx) => {
    requireAdmin(tx, viewer);
    const target = accountRow(tx, userId);
    if (target.role === role) return target;
    if (target.id === viewer.id) throw new DomainError('admin_self_demote');
    if (target.role === 'admin' && !target.disabled && countOtherActiveAdmins(tx, target.id) === 0) throw new DomainError('last_admin');
    if (holdsRoleData(tx, userId)) throw new DomainError('role_has_data');
    tx.update(users).set({ role, updatedAt: now }).where(eq(users.id, userId)).run();
    return accountRow(tx, userId);
  });
}

/** Whether the account holds anything of a borrower's or an advisor's (see setAccountRole). Counts, never reads, those rows. */
function holdsRoleData(tx: Tx, userId: number): boolean {
  const any = (q: { get: () => unknown }) => q.get() !== undefined;
  return (
    any(tx.select({ one: sql`1` }).from(cases).where(eq(cases.ownerId, userId)).limit(1)) ||
    any(tx.select({ one: sql`1` }).from(lenders).where(eq(lenders.ownerId, userId)).limit(1)) ||
    any(tx.select({ one: sql`1` }).from(reminders).where(eq(reminders.ownerId, userId)).limit(1)) ||
    any(tx.select({ one: sql`1` }).from(shares).where(or(eq(shares.borrowerId, userId), eq(shares.advisorId, userId))).limit(1))
  );
}

/**
 * Only for the command line: scripts/create-admin.ts. Named unsafe because it checks no viewer.
 * Makes an administrator, or makes an existing account one with a new password. That account's
 * sessions end (the operator may be taking back an account someone else got into), and a
 * borrower's or an advisor's account holding their data is refused as the console refuses it
 * (setAccountRole, role_has_data): its cases, or a client's shared ones, would stay beside the role.
 */
export async function unsafeUpsertAdmin(email: string, password: string, displayName: string): Promise<User> {
  const normalised = normaliseEmail(email);
  const passwordHash = await hashPassword(password);
  return getDb().transaction((tx) => {
    const existing = tx.select().from(users).where(eq(users.email, normalised)).get();
    if (!existing) {
      // The operator typed the address on the server: confirmed.
      return tx.insert(users).values({ email: normalised, passwordHash, displayName, role: 'admin', emailConfirmedAt: new Date() }).returning().get();
    }
    if (existing.role !== 'admin' && holdsRoleData(tx, existing.id)) throw new DomainError('role_has_data');
    const now = new Date();
    tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, existing.id), isNull(sessions.revokedAt))).run();
    return tx
      .update(users)
      .set({ role: 'admin', passwordHash, disabled: false, emailConfirmedAt: existing.emailConfirmedAt ?? now, updatedAt: now })
      .where(eq(users.id, existing.id))
      .returning()
      .get();
  });
}

/** How far back the console's mail figures look, in days. */
export const MAIL_HEALTH_DAYS = 7;

/** The outbox as the admin console shows it (getMailHealth). */
export type MailHealth = {
  configured: boolean;
  /** Mails queued in the last MAIL_HEALTH_DAYS days that went out, and that were given up after every retry. */
  sent: number;
  gaveUp: number;
  /** Mails waiting now, whenever queued; of which `retrying` have failed at least once. */
  waiting: number;
  retrying: number;
  /** The newest failure in those days, given up or still retried; null if none. */
  lastFailure: ReturnType<typeof failureOf> | null;
};

/**
 * For the admin console: whether reminder mail is going out. A server whose SMTP settings are wrong
 * (or whose mail server went away) mails nobody, and only each borrower's Settings would say so.
 * Counts and the newest failure's stored line, nothing of whom mail was for. Anyone but an admin:
 * "not found". Read through email_deliveries_created_idx: the last days' rows, not the whole outbox.
 */
export function getMailHealth(viewer: Viewer, now: Date = new Date()): MailHealth {
  return getDb().transaction((tx) => {
    requireAdmin(tx, viewer);
    const db = getDb().$client;
    const since = now.getTime() - MAIL_HEALTH_DAYS * 24 * 60 * 60_000;
    const counts = db
      .prepare(
        `SELECT count(*) FILTER (WHERE status = 'sent' AND sent_at IS NOT NULL) AS sent, count(*) FILTER (WHERE status = 'failed') AS gaveUp
           FROM email_deliveries WHERE created_at >= ?`,
      )
      .get(since) as { sent: number; gaveUp: number };
    const waiting = db
      .prepare(`SELECT count(*) AS waiting, count(last_error) AS retrying FROM email_deliveries WHERE status = 'pending'`)
      .get() as { waiting: number; retrying: number };
    const failure = db
      .prepare(
        `SELECT status, last_error AS error, attempts, locked_until AS lockedUntil FROM email_deliveries
          WHERE created_at >= ? AND status IN ('pending', 'failed') AND last_error IS NOT NULL
          ORDER BY created_at DESC, id DESC LIMIT 1`,
      )
      .get(since) as FailedRow | undefined;
    // Its reason read from the line as stored; the line shown without the addresses in it.
    const lastFailure = failure ? failureOf(failure) : null;
    return { configured: mailConfigured(), ...counts, ...waiting, lastFailure: lastFailure && { ...lastFailure, error: withoutAddresses(lastFailure.error) } };
  });
}
