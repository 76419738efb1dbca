/**
 * Reminders by email, through an outbox (the email_deliveries table).
 *
 *  1. Enqueue: urgent reminders get a delivery each (`urgent:<reminder id>:<due date>`; a client's missed
 *     instalment one more for each of their advisors, `client:<reminder id>:<advisor id>:<due date>`:
 *     once for each date, so that a reminder its rule moves to a new date is mailed again), outside the
 *     night's quiet hours (22:00–08:00 Shanghai time: an instalment missed yesterday is told in the
 *     morning, not at midnight, when the day turns), and from 09:00 until the quiet hours
 *     Shanghai time every user with something due gets one digest a day
 *     (`digest:<user id>:<date>`). The dedupe key is unique, so two processes enqueueing at
 *     once make one row, and a restart never makes a second.
 *  2. Send (not in the quiet hours): a process claims one pending row at a time by moving its `locked_until` forward in
 *     a single UPDATE … RETURNING, so two processes never send the same row. After the SMTP
 *     server accepts the mail, the row becomes 'sent' and its reminders get `mailed_at`; a
 *     failure leaves it pending with `last_error` and a later `locked_until` (back-off), and
 *     after MAX_ATTEMPTS it becomes 'failed'.
 *
 * A delivery whose reminders were all closed (or mailed by another delivery) in the meantime,
 * or whose recipient turned mail off, is marked 'sent' with `sent_at` null: nothing was mailed
 * and nothing is left to do.
 *
 * The `system…` functions act for everyone, with no viewer: only the scheduler calls them.
 * Delivery is at least once: a crash between the SMTP server's "accepted" and the row's update
 * would send that one mail again after the lock expires; the mail's Message-ID is stable, which
 * lets most mail systems drop the repeat.
 */
import type { Transporter } from 'nodemailer';
import { LENDER_NOT_CALLED_SQL } from '@/lib/case-status';
import { todayInShanghai, toShanghaiLocalInput } from '@/lib/dates';
import { asLocale } from '@/lib/i18n/config';
import { loadMessages } from '@/lib/i18n/messages';
import { appUrl as appUrlFromEnv, createMailTransport, DEFAULT_FROM, mailConfig, mailConfigured, type MailConfig } from '@/lib/mail-config';
import { mailFailureReason, type MailFailureReason } from '@/lib/mail-failure';
import { renderClientAlertMail, renderReminderMail, type MailItem, type MailNote } from '@/lib/reminder-mail';
import { isUnsubscribeToken, unsubscribeUrls } from '@/lib/unsubscribe';
import type { DeliveryKind } from './schema';
import { getDb } from './client';
import { advisorNotesSince } from './notes';
import { systemSweepReminders } from './reminders';
import type { Viewer } from './viewer-type';

/** How long a claimed delivery is reserved for the process that claimed it. */
export const CLAIM_LOCK_MS = 2 * 60_000;
/** Minutes to wait after the 1st, 2nd, … failed attempt. */
export const RETRY_BACKOFF_MINUTES = [1, 5, 15, 60, 240] as const;
/** After this many failed attempts a delivery is given up ('failed'). */
export const MAX_ATTEMPTS = 6;
/** Digests go out from this hour (Asia/Shanghai). */
export const DIGEST_FROM = '09:00';
/** Urgent mail waits through the night (Asia/Shanghai): from QUIET_FROM until QUIET_UNTIL. */
export const QUIET_FROM = '22:00';
export const QUIET_UNTIL = '08:00';
/** Deliveries one tick sends at most; the rest wait for the next tick. */
export const SEND_PER_TICK = 25;

function client() {
  return getDb().$client;
}

/** The wait after the `attempts`-th failed attempt. */
export function retryDelayMs(attempts: number): number {
  const i = Math.min(Math.max(attempts, 1), RETRY_BACKOFF_MINUTES.length) - 1;
  return RETRY_BACKOFF_MINUTES[i] * 60_000;
}

// --- enqueue ------------------------------------------------------------------------------

/**
 * Who may be mailed: mail on, address confirmed (db/schema/users.ts emailConfirmedAt: a mistyped address
 * would tell a stranger of somebody's debts), account not disabled.
 */
const RECIPIENT = 'u.email_reminders = 1 AND u.email_confirmed_at IS NOT NULL AND u.disabled = 0';

/** Is it the night (22:00–08:00 in Shanghai), when urgent mail waits for the morning? */
export function isQuietTime(now: Date): boolean {
  const time = toShanghaiLocalInput(now).slice(11);
  return time >= QUIET_FROM || time < QUIET_UNTIL;
}

/**
 * System job. One 'urgent' delivery for every open urgent reminder (materials due tomorrow,
 * an instalment missed) that is due by today and not yet mailed, for users with mail on; none
 * in the quiet hours (the reminders wait, and are queued from 08:00). Returns how many
 * deliveries were created.
 *
 * The borrower's own deliveries and their advisors' are queued in one transaction, holding the
 * write lock from the first: the advisors' are read where `mailed_at` is still empty, and another
 * process that sent the borrower's mail between the two statements would leave the advisors untold.
 */
export function systemEnqueueUrgent(now: Date = new Date()): number {
  if (isQuietTime(now)) return 0;
  return client()
    .transaction(() => enqueueOwnUrgent(now) + enqueueClientAlerts(now))
    .immediate();
}

function enqueueOwnUrgent(now: Date): number {
  return client()
    .prepare(
      `INSERT INTO email_deliveries (user_id, kind, dedupe_key, reminder_ids, status, attempts, locked_until, created_at)
       SELECT r.owner_id, 'urgent', 'urgent:' || r.id || ':' || r.due_on, json_array(r.id), 'pending', 0, 0, @now
         FROM reminders r JOIN users u ON u.id = r.owner_id
        WHERE r.status = 'open' AND r.urgent = 1 AND r.mailed_at IS NULL AND r.show_on <= @today AND ${RECIPIENT}
        ORDER BY r.id
       ON CONFLICT (dedupe_key) DO NOTHING`,
    )
    .run({ now: now.getTime(), today: todayInShanghai(now) }).changes;
}

/**
 * A client's missed instalment (unpaid, or paid short, past its date) goes to their advisors too (DESIGN §4: "to the borrower and any
 * advisor"): one 'client' delivery per advisor with an active share, mail on and an account not
 * disabled (`client:<reminder id>:<advisor id>:<due date>`). Only what was missed, or first recorded,
 * while the share was active: an advisor who accepts today is not mailed about last year. Missed is
 * when the instalment's date (`data.dueOn`) passed unpaid, at midnight in Shanghai: "pay the rest" of a
 * part payment made before an advisor's share began is missed later, when the sweep makes it urgent,
 * and so is an instalment missed again on a new date (the same reminder, opened again) — neither is
 * made then, so the reminder's own `created_at` would not say it. Recorded is the reminder's making
 * (a plan entered late, a payment recorded short after its date). Read where the borrower's own urgent
 * mail is (reminders_mail_idx: open and not yet mailed), in the same tick, so it costs one more
 * statement on the same rows.
 */
function enqueueClientAlerts(now: Date): number {
  return client()
    .prepare(
      `INSERT INTO email_deliveries (user_id, kind, dedupe_key, reminder_ids, status, attempts, locked_until, created_at)
       SELECT s.advisor_id, 'client', 'client:' || r.id || ':' || s.advisor_id || ':' || r.due_on, json_array(r.id), 'pending', 0, 0, @now
         FROM reminders r
         JOIN shares s ON s.borrower_id = r.owner_id AND s.status = 'active'
         JOIN users a ON a.id = s.advisor_id
        WHERE r.status = 'open' AND r.mailed_at IS NULL AND r.show_on <= @today AND r.urgent = 1 AND r.kind IN ('instalment_missed', 'instalment_short')
          AND (r.created_at >= s.accepted_at OR unixepoch(json_extract(r.data, '$.dueOn'), '+1 day', '-8 hours') * 1000 >= s.accepted_at)
          AND a.email_reminders = 1 AND a.email_confirmed_at IS NOT NULL AND a.disabled = 0
        ORDER BY r.id, s.advisor_id
       ON CONFLICT (dedupe_key) DO NOTHING`,
    )
    .run({ now: now.getTime(), today: todayInShanghai(now) }).changes;
}

/**
 * Is it digest time (from 09:00 until the night's quiet hours, Shanghai time)? A day's digest is
 * queued at the first tick after 09:00; one that would first be due later in the evening (an
 * advisor's note at 23:00, nothing due that morning) waits for the next morning's, which has it.
 */
export function isDigestTime(now: Date): boolean {
  const time = toShanghaiLocalInput(now).slice(11);
  return time >= DIGEST_FROM && time < QUIET_FROM;
}

/**
 * An advisor's note the digest tells its case's owner of: a note on a case not archived, by
 * anyone but the owner (an advisor with a share, or a deleted advisor's; as the home's
 * 顾问的留言, db/notes.ts). `e` is the note's event, `c` its case.
 */
const ADVISOR_NOTE = `e.kind = 'note' AND (e.actor_id IS NULL OR e.actor_id <> c.owner_id) AND c.archived = 0`;

/**
 * System job. From 09:00 Shanghai time, one 'digest' delivery a day for every user with mail
 * on who has open reminders due by today that were never mailed, or an advisor's note on one of
 * their cases written since their previous digest was queued (one given up on does not count;
 * in the last ADVISOR_NOTES_DAYS days). Urgent reminders whose own mail is still waiting to go are left to it. Returns how many
 * deliveries were created.
 */
export function systemEnqueueDigests(now: Date = new Date()): number {
  if (!isDigestTime(now)) return 0;
  const today = todayInShanghai(now);
  const db = client();
  const due = db
    .prepare(
      `SELECT r.owner_id AS userId, r.id AS id
         FROM reminders r JOIN users u ON u.id = r.owner_id
        WHERE r.status = 'open' AND r.mailed_at IS NULL AND r.show_on <= @today AND ${RECIPIENT}
          AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.dedupe_key = 'urgent:' || r.id || ':' || r.due_on AND d.status = 'pending')
          AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.dedupe_key = 'digest:' || r.owner_id || ':' || @today)
        ORDER BY r.owner_id, r.show_on, r.due_time, r.id`,
    )
    .all({ today }) as { userId: number; id: number }[];
  // Read from the notes' own index (case_events_note_idx): the last days' notes, not every event.
  const noted = db
    .prepare(
      `SELECT DISTINCT c.owner_id AS userId
         FROM case_events e JOIN cases c ON c.id = e.case_id JOIN users u ON u.id = c.owner_id
        WHERE e.kind = 'note' AND e.created_at > @since AND e.created_at <= @now AND ${ADVISOR_NOTE} AND ${RECIPIENT}
          AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.dedupe_key = 'digest:' || c.owner_id || ':' || @today)
          AND e.created_at > coalesce((SELECT max(d.created_at) FROM email_deliveries d WHERE d.user_id = c.owner_id AND d.kind = 'digest' AND d.sent_at IS NOT NULL), 0)`,
    )
    .all({ today, now: now.getTime(), since: advisorNotesSince(now).getTime() }) as { userId: number }[];
  const byUser = new Map<number, number[]>();
  for (const row of due) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.id]);
  for (const row of noted) if (!byUser.has(row.userId)) byUser.set(row.userId, []);
  const insert = db.prepare(
    `INSERT INTO email_deliveries (user_id, kind, dedupe_key, reminder_ids, status, attempts, locked_until, created_at)
     VALUES (@userId, 'digest', @key, @ids, 'pending', 0, 0, @now)
     ON CONFLICT (dedupe_key) DO NOTHING`,
  );
  return db.transaction(() => {
    let created = 0;
    for (const [userId, ids] of byUser) {
      created += insert.run({ userId, key: `digest:${userId}:${today}`, ids: JSON.stringify(ids), now: now.getTime() }).changes;
    }
    return created;
  })();
}

// --- send ---------------------------------------------------------------------------------

type DeliveryRow = {
  id: number;
  user_id: number;
  kind: DeliveryKind;
  dedupe_key: string;
  reminder_ids: string;
  attempts: number;
  created_at: number;
};

/**
 * Until when a claim made at `at` holds: CLAIM_LOCK_MS from then, and never less than that from the
 * real clock. The lock keeps another process off the row while this one works on it, and that work
 * takes real time, whatever instant the caller's tick is for.
 */
function lockUntil(at: Date): number {
  return Math.max(at.getTime(), Date.now()) + CLAIM_LOCK_MS;
}

/**
 * Claims the oldest pending delivery that is not locked at `at`, in one statement: the sub-select
 * and the guard in the WHERE clause run under SQLite's write lock, so of two processes only
 * one gets a given row.
 */
function claimNext(at: Date): DeliveryRow | undefined {
  return client()
    .prepare(
      `UPDATE email_deliveries SET locked_until = @until, attempts = attempts + 1
        WHERE id = (SELECT id FROM email_deliveries WHERE status = 'pending' AND locked_until <= @now ORDER BY id LIMIT 1)
          AND status = 'pending' AND locked_until <= @now
       RETURNING id, user_id, kind, dedupe_key, reminder_ids, attempts, created_at`,
    )
    .get({ now: at.getTime(), until: lockUntil(at) }) as DeliveryRow | undefined;
}

/**
 * Renews the claim on `row` from `at`, just before its mail goes, if it is still this process's:
 * pending, and claimed by nobody since (a claim counts an attempt). False when the lock ran out and
 * another process claimed the row: that one sends it.
 */
function renewClaim(row: DeliveryRow, at: Date): boolean {
  return (
    client()
      .prepare(`UPDATE email_deliveries SET locked_until = @until WHERE id = @id AND status = 'pending' AND attempts = @attempts`)
      .run({ id: row.id, attempts: row.attempts, until: lockUntil(at) }).changes > 0
  );
}

type Recipient = { email: string; displayName: string; locale: string; emailReminders: number; confirmed: number; disabled: number };

function recipientOf(userId: number): Recipient | undefined {
  return client()
    .prepare(
      `SELECT email, display_name AS displayName, locale, email_reminders AS emailReminders, email_confirmed_at IS NOT NULL AS confirmed, disabled FROM users WHERE id = ?`,
    )
    .get(userId) as Recipient | undefined;
}

/**
 * The delivery's reminders that still need mailing, with their time and who added one for the
 * owner (an advisor; as the inbox shows them): open, not mailed by another delivery, and not
 * snoozed past `today` since it was queued (a delivery retried after a snooze): the day it shows
 * again, that day's digest has it.
 */
function stillDue(ids: number[], today: string): MailItem[] {
  if (ids.length === 0) return [];
  const rows = client()
    .prepare(
      `SELECT r.id, r.kind, r.title, r.note, r.data, r.due_on AS dueOn, r.due_time AS dueTime, a.display_name AS addedBy, l.name AS lenderName,
              CASE WHEN c.status IN (${LENDER_NOT_CALLED_SQL}) THEN NULL ELSE json_extract(l.channels, '$.hotline') END AS lenderHotline
         FROM reminders r
         LEFT JOIN users a ON a.id = r.created_by AND r.created_by <> r.owner_id
         LEFT JOIN cases c ON c.id = r.case_id
         LEFT JOIN lenders l ON l.id = c.lender_id
        WHERE r.id IN (SELECT value FROM json_each(?)) AND r.status = 'open' AND r.mailed_at IS NULL AND r.show_on <= ?
        ORDER BY r.show_on, r.due_time, r.id`,
    )
    .all(JSON.stringify(ids), today) as (Omit<MailItem, 'data'> & { data: string })[];
  return rows.map((r) => ({ ...r, data: safeJson(r.data) }));
}

/**
 * A 'client' delivery's reminders that still need telling: open, and their owner still a client
 * of the advisor (an active share now, not only when it was queued), with the client's name.
 */
function stillDueForAdvisor(ids: number[], advisorId: number): (MailItem & { caseId: number | null; clientName: string })[] {
  if (ids.length === 0) return [];
  const rows = client()
    .prepare(
      `SELECT r.id, r.kind, r.title, r.note, r.data, r.due_on AS dueOn, r.case_id AS caseId, l.name AS lenderName, o.display_name AS clientName
         FROM reminders r
         JOIN users o ON o.id = r.owner_id
         JOIN shares s ON s.borrower_id = r.owner_id AND s.advisor_id = @advisorId AND s.status = 'active'
         LEFT JOIN cases c ON c.id = r.case_id
         LEFT JOIN lenders l ON l.id = c.lender_id
        WHERE r.id IN (SELECT value FROM json_each(@ids)) AND r.status = 'open'
        ORDER BY r.id`,
    )
    .all({ ids: JSON.stringify(ids), advisorId }) as (Omit<MailItem, 'data'> & { data: string; caseId: number | null; clientName: string })[];
  return rows.map((r) => ({ ...r, data: safeJson(r.data) }));
}

/**
 * A digest's notes from advisors (ADVISOR_NOTE), newest first: those written after the user's
 * previous mailed digest was queued and until this one was, in the last ADVISOR_NOTES_DAYS days.
 * So each note is in one digest, even when no reminder was due that day; a note written after the
 * day's digest waits for the next day's. A digest that mailed nothing (given up on after the SMTP
 * server refused it to the last attempt, or dropped as a past day's, see systemSendPending) does
 * not count: its notes go in the next one, like its reminders.
 */
export function systemDigestNotes(userId: number, delivery: { id: number; createdAt: number }): MailNote[] {
  const db = client();
  const previous = db
    .prepare(`SELECT max(created_at) AS at FROM email_deliveries WHERE user_id = ? AND kind = 'digest' AND id < ? AND sent_at IS NOT NULL`)
    .get(userId, delivery.id) as { at: number | null };
  const since = Math.max(previous.at ?? 0, advisorNotesSince(new Date(delivery.createdAt)).getTime());
  const rows = db
    .prepare(
      `SELECT e.id, e.case_id AS caseId, json_extract(e.data, '$.text') AS text, e.created_at AS createdAt, a.display_name AS advisorName,
              l.name AS lenderName, c.account_ref AS caseAccountRef, c.product AS caseProduct
         FROM cases c
         JOIN case_events e ON e.case_id = c.id
         JOIN lenders l ON l.id = c.lender_id
         LEFT JOIN users a ON a.id = e.actor_id
        WHERE c.owner_id = @userId AND e.created_at > @since AND e.created_at <= @until AND ${ADVISOR_NOTE}
        ORDER BY e.created_at DESC, e.id DESC`,
    )
    .all({ userId, since, until: delivery.createdAt }) as (Omit<MailNote, 'createdAt'> & { createdAt: number; text: string | null })[];
  return rows.map((r) => ({
    ...r,
    text: r.text ?? '',
    createdAt: new Date(r.createdAt),
    caseAccountRef: r.caseAccountRef || null,
    caseProduct: r.caseProduct || null,
  }));
}

function safeJson(s: string): Record<string, string | number | null> {
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/** Nothing to mail after all: done, with no mail and no error. */
function finishWithoutMail(id: number): void {
  client().prepare(`UPDATE email_deliveries SET status = 'sent', sent_at = NULL, last_error = NULL WHERE id = ? AND status = 'pending'`).run(id);
}

/**
 * Sent, at `now` (when the SMTP server accepted it). The reminders are marked mailed when the mail
 * went to their owner; an advisor's copy leaves them as they are, so that the borrower's own mail still goes.
 */
function finishSent(id: number, reminderIds: number[], now: Date, { toOwner }: { toOwner: boolean }): void {
  const db = client();
  db.transaction(() => {
    db.prepare(
      `UPDATE email_deliveries SET status = 'sent', sent_at = @now, last_error = NULL, reminder_ids = @ids WHERE id = @id AND status = 'pending'`,
    ).run({ id, now: now.getTime(), ids: JSON.stringify(reminderIds) });
    if (!toOwner) return;
    db.prepare(`UPDATE reminders SET mailed_at = @now WHERE id IN (SELECT value FROM json_each(@ids)) AND mailed_at IS NULL`).run({
      now: now.getTime(),
      ids: JSON.stringify(reminderIds),
    });
  })();
}

/** A failure at `now`: retried after the back-off, or given up after MAX_ATTEMPTS (then locked_until records when). */
function finishFailed(row: DeliveryRow, error: unknown, now: Date): 'retrying' | 'failed' {
  const gaveUp = row.attempts >= MAX_ATTEMPTS;
  client()
    .prepare(`UPDATE email_deliveries SET status = @status, last_error = @error, locked_until = @until WHERE id = @id AND status = 'pending'`)
    .run({
      id: row.id,
      status: gaveUp ? 'failed' : 'pending',
      error: shortError(error),
      until: gaveUp ? now.getTime() : now.getTime() + retryDelayMs(row.attempts),
    });
  return gaveUp ? 'failed' : 'retrying';
}

/**
 * One line, for whoever runs the server (kept in the outbox and in the account's export, shown in
 * settings only as technical detail; the reader is told lib/mail-failure.ts's reason); never the
 * mail's content.
 */
export function shortError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ` : '';
  const line = `${code}${message}`.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line || 'unknown error';
}

/** A stable Message-ID per delivery: a mail sent again after a crash carries the same one. */
function messageIdFor(row: DeliveryRow, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'respite.invalid';
  return `<respite.${row.dedupe_key.replace(/[^A-Za-z0-9-]/g, '.')}.${row.id}@${domain}>`;
}

export type SendOptions = {
  /** The sender address and link base; by default from the environment (SMTP_FROM, APP_URL). */
  from?: string;
  appUrl?: string;
  /** Deliveries to handle at most (default SEND_PER_TICK). */
  limit?: number;
};

export type SendResult = { sent: number; skipped: number; retrying: number; failed: number };

/**
 * System job. Sends pending deliveries, one claimed row at a time, until none is left or
 * `limit` were handled. Safe to run in several processes at once.
 *
 * `now` is the tick's instant; the run's own clock starts there and moves on with the real time
 * the run takes (up to `limit` mails, each of which may wait on a slow SMTP server): each claim is
 * made, and each mail stamped sent or failed, at the time it happens, not at the tick's start. A
 * claim made minutes into the run with the tick's time would be a lock already run out, and another
 * process would send the same mail.
 */
export async function systemSendPending(transport: Transporter, now: Date = new Date(), options: SendOptions = {}): Promise<SendResult> {
  const from = options.from ?? (process.env.SMTP_FROM?.trim() || DEFAULT_FROM);
  const appUrl = options.appUrl ?? appUrlFromEnv();
  const result: SendResult = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
  const limit = options.limit ?? SEND_PER_TICK;
  const started = Date.now();
  const clock = () => new Date(now.getTime() + Math.max(0, Date.now() - started));
  for (let handled = 0; handled < limit; handled++) {
    const row = claimNext(clock());
    if (!row) break;
    // A past day's digest still waiting (its retries ran into the night, or the server was down):
    // today's has its reminders and notes, so it is dropped rather than sent as a second mail that
    // calls yesterday's list today's.
    if (row.kind === 'digest' && todayInShanghai(new Date(row.created_at)) < todayInShanghai(now)) {
      finishWithoutMail(row.id);
      result.skipped++;
      continue;
    }
    const user = recipientOf(row.user_id);
    // Queued while it was, and since turned off, changed to an address not yet confirmed, or disabled: dropped.
    const mailable = !!user && !!user.emailReminders && !!user.confirmed && !user.disabled;
    const ids = safeIds(row.reminder_ids);
    // An advisor's alert about a client, or the owner's own reminders.
    const alert = mailable && row.kind === 'client' ? (stillDueForAdvisor(ids, row.user_id)[0] ?? null) : null;
    const items = !mailable ? [] : alert ? [alert] : row.kind === 'client' ? [] : stillDue(ids, todayInShanghai(now));
    const notes = mailable && row.kind === 'digest' ? systemDigestNotes(row.user_id, { id: row.id, createdAt: row.created_at }) : [];
    if (!user || (items.length === 0 && notes.length === 0)) {
      finishWithoutMail(row.id);
      result.skipped++;
      continue;
    }
    try {
      const locale = asLocale(user.locale);
      const messages = await loadMessages(locale);
      const today = todayInShanghai(now);
      // Stopping this mail without signing in: a page in the footer, one click for the mail program.
      const unsubscribe = unsubscribeUrls(appUrl, row.user_id, { locale });
      const unsubscribeUrl = unsubscribe?.page;
      const mail = alert
        ? renderClientAlertMail({ locale, messages, displayName: user.displayName, item: alert, today, appUrl, unsubscribeUrl })
        : renderReminderMail({ kind: row.kind === 'digest' ? 'digest' : 'urgent', locale, messages, displayName: user.displayName, items, notes, today, appUrl, unsubscribeUrl });
      // The lock runs from now, when the mail goes; a row another process claimed meanwhile is its to send.
      if (!renewClaim(row, clock())) continue;
      await transport.sendMail({
        from,
        to: user.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: messageIdFor(row, from),
        headers: {
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
          ...(unsubscribe ? { 'List-Unsubscribe': `<${unsubscribe.oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
        },
      });
    } catch (error) {
      result[finishFailed(row, error, clock())]++;
      continue;
    }
    finishSent(
      row.id,
      items.map((i) => i.id),
      clock(),
      { toOwner: !alert },
    );
    result.sent++;
  }
  return result;
}

function safeIds(s: string): number[] {
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.filter((n): n is number => Number.isInteger(n)) : [];
  } catch {
    return [];
  }
}

// --- the tick -----------------------------------------------------------------------------

const globalForMail = globalThis as unknown as { respiteMailTransport?: { key: string; transport: Transporter } };

/** The process's transport for the configuration, made once (and again if the settings change). */
function transportFor(config: MailConfig): Transporter {
  const key = JSON.stringify(config);
  if (globalForMail.respiteMailTransport?.key !== key) {
    globalForMail.respiteMailTransport = { key, transport: createMailTransport(config) };
  }
  return globalForMail.respiteMailTransport.transport;
}

export type TickResult = {
  swept: { missed: number; stale: number };
  mail: null | { urgent: number; digests: number } & SendResult;
};

/**
 * System job: what the scheduler runs every minute. Opens the reminders that follow from the
 * passing of time, then, where mail is configured (or a transport is given, as in tests),
 * enqueues and sends (not in the night's quiet hours: what is queued waits for the morning).
 */
export async function systemMailTick(
  now: Date = new Date(),
  options: SendOptions & { transport?: Transporter } = {},
): Promise<TickResult> {
  // The sweep works in bounded chunks (a short transaction each); between two, the event loop
  // and the write lock are free, so a first sweep of a large database blocks no request for long.
  const swept = { missed: 0, stale: 0 };
  for (let more = true; more; ) {
    const chunk = systemSweepReminders(now);
    swept.missed += chunk.missed;
    swept.stale += chunk.stale;
    more = chunk.more;
    if (more) await new Promise((resolve) => setImmediate(resolve));
  }
  const config = mailConfigured() ? mailConfig() : null;
  const transport = options.transport ?? (config ? transportFor(config) : null);
  if (!transport) return { swept, mail: null };
  const urgent = systemEnqueueUrgent(now);
  const digests = systemEnqueueDigests(now);
  // Nothing is mailed at night: a delivery whose retry falls in the quiet hours waits for the morning.
  const sent = isQuietTime(now) ? { sent: 0, skipped: 0, retrying: 0, failed: 0 } : await systemSendPending(transport, now, options);
  return { swept, mail: { urgent, digests, ...sent } };
}

// --- what a user sees and sets --------------------------------------------------------------

export type MailStatus = {
  /** Does this server send mail at all (SMTP_HOST set)? */
  configured: boolean;
  /** Has the viewer left reminder mails on? */
  enabled: boolean;
  /** Is the viewer's address confirmed? Until it is, no reminder mail goes to it. */
  confirmed: boolean;
  /**
   * The viewer's latest unresolved failure: still being retried, or given up with nothing sent since.
   * `reason` is what to tell the reader; `error` the stored technical line (shortError), for an administrator.
   */
  lastFailure: { at: Date; reason: MailFailureReason; error: string; willRetry: boolean } | null;
  lastSentAt: Date | null;
};

export function getMailStatus(viewer: Viewer): MailStatus {
  const db = client();
  const user = db.prepare(`SELECT email_reminders AS enabled, email_confirmed_at IS NOT NULL AS confirmed FROM users WHERE id = ?`).get(viewer.id) as
    | { enabled: number; confirmed: number }
    | undefined;
  const sent = db
    .prepare(`SELECT max(sent_at) AS at FROM email_deliveries WHERE user_id = ? AND status = 'sent' AND sent_at IS NOT NULL`)
    .get(viewer.id) as { at: number | null };
  const failure = db
    .prepare(
      `SELECT status, last_error AS error, attempts, locked_until AS lockedUntil FROM email_deliveries
        WHERE user_id = ? AND status IN ('pending', 'failed') AND last_error IS NOT NULL
        ORDER BY id DESC LIMIT 1`,
    )
    .get(viewer.id) as FailedRow | undefined;
  let lastFailure: MailStatus['lastFailure'] = null;
  if (failure) {
    const found = failureOf(failure);
    if (found.willRetry || !sent.at || sent.at < found.at.getTime()) lastFailure = found;
  }
  return {
    configured: mailConfigured(),
    enabled: Boolean(user?.enabled),
    confirmed: Boolean(user?.confirmed),
    lastFailure,
    lastSentAt: sent.at ? new Date(sent.at) : null,
  };
}

/** An outbox row whose last attempt failed: retried later ('pending') or given up ('failed'). */
export type FailedRow = { status: 'pending' | 'failed'; error: string; attempts: number; lockedUntil: number };

/** A failed attempt as it is told (Settings, the admin console): when, why (lib/mail-failure.ts), the stored line, and whether it is tried again. */
export function failureOf(row: FailedRow): { at: Date; reason: MailFailureReason; error: string; willRetry: boolean } {
  const willRetry = row.status === 'pending';
  // A retrying row's lock is the failure time plus its back-off; a given-up row's is the failure time.
  const at = new Date(willRetry ? row.lockedUntil - retryDelayMs(row.attempts) : row.lockedUntil);
  return { at, reason: mailFailureReason(row.error), error: row.error, willRetry };
}

/** Turns the viewer's reminder mails on or off (mail already waiting is dropped when sent, if off). */
export function setEmailReminders(viewer: Viewer, on: boolean): void {
  client().prepare(`UPDATE users SET email_reminders = ?, updated_at = ? WHERE id = ?`).run(on ? 1 : 0, Date.now(), viewer.id);
}

/**
 * Bearer verb: turns reminder mail off for the account the unsubscribe link names, when its token
 * is that account's (lib/unsubscribe.ts). No viewer: the link is followed from the mail, by a mail
 * program or a person who may not be signed in. False, and nothing changed, for a wrong token or
 * an account that is gone. Mail already waiting is dropped when it comes to be sent.
 */
export function systemUnsubscribeWithToken(userId: number, token: string): boolean {
  if (!isUnsubscribeToken(userId, token)) return false;
  return client().prepare(`UPDATE users SET email_reminders = 0, updated_at = ? WHERE id = ?`).run(Date.now(), userId).changes > 0;
}
