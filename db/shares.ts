import { and, asc, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { createHash, randomInt } from 'node:crypto';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { normaliseInviteInput } from '@/lib/invite-code';
import { getDb, type DB } from './client';
import { once } from './idempotency';
import { prepared } from './prepared';
import { accessLog, cases, lenders, reminders, shares, users, type AccessAction, type Share } from './schema';
import type { Viewer } from './viewer-type';

/** Invitations last a week (issue 4). */
export const INVITE_DAYS = 7;
// No 0/O, 1/I/L: the code may be read out over the phone.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

// As typed on any keyboard: ＡＢＣ１２ is ABC12 (lib/invite-code.ts); dashes and spaces do not count.
function normaliseCode(code: string): string {
  return normaliseInviteInput(code).toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function hashCode(code: string): string {
  return createHash('sha256').update(normaliseCode(code)).digest('hex');
}

function newCode(): string {
  const chars = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

function requireRole(viewer: Viewer, role: 'borrower' | 'advisor') {
  if (viewer.role !== role) throw new ForbiddenError();
}

/**
 * A borrower invites an advisor: the code is returned once (to show and to put in a link) and
 * only its hash is kept. Creating the invitation is the borrower's consent to share. The same form
 * sent twice (`formKey`: a double click, a request sent again) makes one invitation: as only the
 * code's hash is kept, the second answer gives it a new code, the one shown; the first answer's
 * code, never shown, no longer opens it. (Accepted or cancelled meanwhile, it is left as it is,
 * and this is a new invitation.)
 */
export function createInvite(viewer: Viewer, label: string, now = new Date(), formKey?: string): { shareId: number; code: string; expiresAt: Date } {
  requireRole(viewer, 'borrower');
  const code = newCode();
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 86_400_000);
  const values = { borrowerId: viewer.id, status: 'invited' as const, inviteCodeHash: hashCode(code), inviteExpiresAt: expiresAt, label, consentAt: now };
  return getDb().transaction((tx) => {
    const insert = () => tx.insert(shares).values(values).returning({ id: shares.id }).get().id;
    const { id, created } = once(tx, viewer, formKey, insert);
    if (created) return { shareId: id, code, expiresAt };
    const renewed = tx
      .update(shares)
      .set({ inviteCodeHash: values.inviteCodeHash, inviteExpiresAt: expiresAt, label, consentAt: now })
      .where(and(eq(shares.id, id), eq(shares.borrowerId, viewer.id), eq(shares.status, 'invited')))
      .run().changes;
    return { shareId: renewed === 1 ? id : insert(), code, expiresAt };
  });
}

/**
 * What an advisor sees before accepting: who invited them, and whether they already have access
 * (an active share from the same borrower: then there is nothing to accept, and `clientId` is the
 * borrower's id, for a link to their cases on the dashboard). Null for a code that is unknown,
 * used, revoked or expired, or that this advisor held when the borrower revoked them.
 */
export function previewInvite(
  viewer: Viewer,
  code: string,
  now = new Date(),
): { borrowerName: string; expiresAt: Date; alreadyShared: { clientId: number } | null } | null {
  requireRole(viewer, 'advisor');
  const existing = alias(shares, 'existing');
  const row = getDb()
    .select({ borrowerName: users.displayName, expiresAt: shares.inviteExpiresAt, clientId: existing.borrowerId, borrowerId: shares.borrowerId, createdAt: shares.createdAt })
    .from(shares)
    .innerJoin(users, eq(users.id, shares.borrowerId))
    // The same test acceptInvite makes (shares_active_pair_unique: at most one such row).
    .leftJoin(existing, and(eq(existing.borrowerId, shares.borrowerId), eq(existing.advisorId, viewer.id), eq(existing.status, 'active')))
    .where(and(eq(shares.inviteCodeHash, hashCode(code)), eq(shares.status, 'invited'), gt(shares.inviteExpiresAt, now)))
    .get();
  if (!row || revokedSince(getDb(), row.borrowerId, viewer.id, row.createdAt)) return null;
  return { borrowerName: row.borrowerName, expiresAt: row.expiresAt, alreadyShared: row.clientId === null ? null : { clientId: row.clientId } };
}

/**
 * Did the borrower end this advisor's access after the invitation was made? Then it is not theirs
 * to use: an invitation an advisor already held when the borrower revoked them (a second one, sent
 * when the first got no answer) would otherwise let them back in, and the borrower only revoked.
 */
function revokedSince(tx: Pick<DB, 'select'>, borrowerId: number, advisorId: number, since: Date): boolean {
  return !!tx
    .select({ id: shares.id })
    .from(shares)
    .where(and(eq(shares.borrowerId, borrowerId), eq(shares.advisorId, advisorId), eq(shares.status, 'revoked'), gt(shares.revokedAt, since)))
    .get();
}

/** The advisor accepts: the share becomes active. Every failure says the same thing (revokedSince's too). */
export function acceptInvite(viewer: Viewer, code: string, now = new Date()): { borrowerId: number } {
  requireRole(viewer, 'advisor');
  return getDb().transaction((tx) => {
    const invite = tx
      .select()
      .from(shares)
      .where(and(eq(shares.inviteCodeHash, hashCode(code)), eq(shares.status, 'invited'), gt(shares.inviteExpiresAt, now)))
      .get();
    if (!invite) {
      // Accepted already, by this advisor (a second tab, a second click): they have access, and are told so.
      const accepted = tx
        .select({ id: shares.id })
        .from(shares)
        .where(and(eq(shares.inviteCodeHash, hashCode(code)), eq(shares.status, 'active'), eq(shares.advisorId, viewer.id)))
        .get();
      throw new DomainError(accepted ? 'already_shared' : 'invite_invalid');
    }
    const existing = tx
      .select({ id: shares.id })
      .from(shares)
      .where(and(eq(shares.borrowerId, invite.borrowerId), eq(shares.advisorId, viewer.id), eq(shares.status, 'active')))
      .get();
    if (existing) throw new DomainError('already_shared');
    if (revokedSince(tx, invite.borrowerId, viewer.id, invite.createdAt)) throw new DomainError('invite_invalid');
    tx.update(shares).set({ status: 'active', advisorId: viewer.id, acceptedAt: now }).where(eq(shares.id, invite.id)).run();
    return { borrowerId: invite.borrowerId };
  });
}

export type ShareRow = Share & {
  advisorName: string | null;
  advisorEmail: string | null;
  /** Reminders the advisor added to the borrower's cases, still open: what revoking may close too. */
  openAdvisorReminders: number;
};

/**
 * The borrower's invitations and shares: who has access, since when. Those with access first,
 * then invitations still waiting, then what is over (expired, cancelled, revoked); newest first
 * within each. An invitation nobody accepted in time still says 'invited': `now` decides.
 */
export function listSharesForBorrower(viewer: Viewer, now = new Date()): ShareRow[] {
  requireRole(viewer, 'borrower');
  const group = sql`case
    when ${shares.status} = 'active' then 0
    when ${shares.status} = 'invited' and ${shares.inviteExpiresAt} > ${now.getTime()} then 1
    else 2 end`;
  const openAdvisorReminders = sql<number>`(select count(*) from ${reminders}
    where ${reminders.ownerId} = ${viewer.id} and ${reminders.createdBy} = ${shares.advisorId} and ${reminders.status} = 'open')`;
  return getDb()
    .select({ share: shares, advisorName: users.displayName, advisorEmail: users.email, openAdvisorReminders })
    .from(shares)
    .leftJoin(users, eq(users.id, shares.advisorId))
    .where(eq(shares.borrowerId, viewer.id))
    .orderBy(asc(group), desc(shares.createdAt), desc(shares.id))
    .all()
    .map((r) => ({ ...r.share, advisorName: r.advisorName, advisorEmail: r.advisorEmail, openAdvisorReminders: r.openAdvisorReminders }));
}

function ownShare(tx: Pick<DB, 'select'>, viewer: Viewer, shareId: number): Share {
  requireRole(viewer, 'borrower');
  const row = tx
    .select()
    .from(shares)
    .where(and(eq(shares.id, shareId), eq(shares.borrowerId, viewer.id)))
    .get();
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Ends a share (or cancels an invitation) at once: the advisor's next request finds nothing. With
 * `closeReminders`, the reminders the advisor added that are still open are dismissed with it (the
 * borrower may as well keep them: "call the bank on Monday" is still worth doing). Returns how many
 * were dismissed. Revoked already (another tab), nothing changes. `pending`: the page showed an
 * invitation nobody had accepted; accepted since, it is an advisor's access now, which the borrower
 * has not seen (nor their reminders): refused (share_accepted_meanwhile), nothing changes, and the
 * page drawn again shows the advisor, to revoke knowingly.
 */
export function revokeShare(viewer: Viewer, shareId: number, now = new Date(), { closeReminders = false, pending = false } = {}): number {
  return getDb().transaction((tx) => {
    const share = ownShare(tx, viewer, shareId);
    if (share.status === 'revoked') return 0;
    if (pending && share.status === 'active') {
      const advisor = share.advisorId === null ? undefined : tx.select({ name: users.displayName }).from(users).where(eq(users.id, share.advisorId)).get();
      throw new DomainError('share_accepted_meanwhile', { values: { name: advisor?.name ?? '' } });
    }
    tx.update(shares).set({ status: 'revoked', revokedAt: now }).where(eq(shares.id, shareId)).run();
    if (!closeReminders || share.advisorId === null) return 0;
    return tx
      .update(reminders)
      .set({ status: 'dismissed', autoClosed: false, closedAt: now, updatedAt: now })
      .where(and(eq(reminders.ownerId, viewer.id), eq(reminders.createdBy, share.advisorId), eq(reminders.status, 'open')))
      .run().changes;
  });
}

/** The separate consent to let this advisor open sensitive documents (PIPL art. 28/29), each change in the borrower's access log. */
export function setSensitiveConsent(viewer: Viewer, shareId: number, consent: boolean, now = new Date()): void {
  getDb().transaction((tx) => {
    const share = ownShare(tx, viewer, shareId);
    if (share.status === 'revoked') throw new DomainError('share_revoked');
    // Given to an advisor who has accepted, whom the borrower can name: not to whoever accepts an invitation.
    if (share.status !== 'active') throw new DomainError('share_not_active');
    if (consent === !!share.sensitiveConsentAt) return;
    tx.update(shares)
      .set({ sensitiveConsentAt: consent ? now : null })
      .where(eq(shares.id, shareId))
      .run();
    // The share keeps only whether consent stands now: the log keeps when it was given and taken back.
    logAdvisorAccess(tx, share.advisorId!, viewer.id, consent ? 'sensitive_consent_given' : 'sensitive_consent_withdrawn');
  });
}

/** The advisor's clients: borrowers whose share with them is active. */
export function listClientsForAdvisor(viewer: Viewer) {
  requireRole(viewer, 'advisor');
  // On every load of the dashboard: prepared once per connection, the viewer's id a parameter.
  return prepared(getDb(), 'shares.clientsForAdvisor', (db) =>
    db
      .select({
        shareId: shares.id,
        borrowerId: shares.borrowerId,
        name: users.displayName,
        email: users.email,
        since: shares.acceptedAt,
        sensitiveConsent: sql<boolean>`${shares.sensitiveConsentAt} is not null`.mapWith(Boolean),
      })
      .from(shares)
      .innerJoin(users, eq(users.id, shares.borrowerId))
      .where(and(eq(shares.advisorId, sql.placeholder('advisorId')), eq(shares.status, 'active')))
      .orderBy(users.displayName)
      .prepare(),
  ).all({ advisorId: viewer.id });
}

/** How long the dashboard tells an advisor that a client stopped sharing with them. */
export const ENDED_SHARE_DAYS = 30;

/**
 * Clients who stopped sharing with the advisor in the last ENDED_SHARE_DAYS days and do not share
 * with them again: the dashboard says so, so that a client who is gone from it is no mystery. Their
 * name and the day only, nothing of their cases; latest first. A client who deleted their account
 * took their shares with it and is not listed.
 */
export function listEndedSharesForAdvisor(viewer: Viewer, now = new Date()): { shareId: number; name: string; endedAt: Date }[] {
  requireRole(viewer, 'advisor');
  // On every load of the dashboard: prepared once per connection.
  return prepared(getDb(), 'shares.endedForAdvisor', (db) => {
    const again = alias(shares, 'again');
    return db
      .select({ shareId: sql<number>`max(${shares.id})`, name: users.displayName, endedAt: sql<number>`max(${shares.revokedAt})` })
      .from(shares)
      .innerJoin(users, eq(users.id, shares.borrowerId))
      .leftJoin(again, and(eq(again.borrowerId, shares.borrowerId), eq(again.advisorId, sql.placeholder('advisorId')), eq(again.status, 'active')))
      .where(and(eq(shares.advisorId, sql.placeholder('advisorId')), eq(shares.status, 'revoked'), gt(shares.revokedAt, sql.placeholder('since')), isNull(again.id)))
      .groupBy(shares.borrowerId)
      .orderBy(desc(sql`max(${shares.revokedAt})`), desc(sql`max(${shares.id})`))
      .prepare();
  })
    .all({ advisorId: viewer.id, since: now.getTime() - ENDED_SHARE_DAYS * 86_400_000 })
    .map((r) => ({ shareId: r.shareId, name: r.name, endedAt: new Date(r.endedAt) }));
}

// --- the access log ------------------------------------------------------------------------

/** Records what an advisor did with a client's data. Called inside the verb that did it. */
export function logAdvisorAccess(
  tx: Pick<DB, 'insert'>,
  advisorId: number,
  borrowerId: number,
  action: AccessAction,
  caseId: number | null = null,
  detail = '',
): void {
  // The advisor's name as it is now: the borrower's log keeps it after the advisor's account is gone.
  const advisorName = sql<string>`coalesce((select ${users.displayName} from ${users} where ${users.id} = ${advisorId}), '')`;
  tx.insert(accessLog).values({ advisorId, advisorName, borrowerId, caseId, action, detail }).run();
}

/**
 * How long an advisor's reading of one case counts as one visit. Opening a fold of the case page,
 * or going back to it, loads the page again: a line each time would bury what the borrower needs
 * to see (who looked, at what, when) under repeats.
 */
export const VISIT_MINUTES = 30;

/** Entries of the access log shown on one page of it. */
export const ACCESS_LOG_PAGE = 200;

/**
 * The borrower's access log: which advisor viewed or exported what, and when. Newest first, a page
 * at a time: `before` is the id of the last entry of the page before (the older ones follow it).
 */
export function listAccessLog(viewer: Viewer, { limit = ACCESS_LOG_PAGE, before }: { limit?: number; before?: number } = {}) {
  requireRole(viewer, 'borrower');
  const db = getDb();
  // The entry the page starts after, the borrower's own (another's id starts from nothing).
  const after = before
    ? db
        .select({ createdAt: accessLog.createdAt, id: accessLog.id })
        .from(accessLog)
        .where(and(eq(accessLog.id, before), eq(accessLog.borrowerId, viewer.id)))
        .get()
    : undefined;
  if (before && !after) return [];
  return db
    .select({
      id: accessLog.id,
      action: accessLog.action,
      detail: accessLog.detail,
      createdAt: accessLog.createdAt,
      caseId: accessLog.caseId,
      lenderName: lenders.name,
      advisorName: sql<string>`coalesce(${users.displayName}, ${accessLog.advisorName})`,
      /** The advisor has since deleted their account. */
      advisorDeleted: sql<boolean>`${accessLog.advisorId} is null`.mapWith(Boolean),
    })
    .from(accessLog)
    .leftJoin(users, eq(users.id, accessLog.advisorId))
    .leftJoin(cases, eq(cases.id, accessLog.caseId))
    .leftJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(
      and(
        eq(accessLog.borrowerId, viewer.id),
        after ? or(lt(accessLog.createdAt, after.createdAt), and(eq(accessLog.createdAt, after.createdAt), lt(accessLog.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(accessLog.createdAt), desc(accessLog.id))
    .limit(limit)
    .all();
}
