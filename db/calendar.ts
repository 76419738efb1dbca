import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { LENDER_NOT_CALLED_SQL } from '@/lib/case-status';
import { NotFoundError } from '@/lib/errors';
import type { ReminderKind } from '@/lib/reminder-rules';
import { getDb, type DB } from './client';
import { prepared } from './prepared';
import { cases, instalments, lenders, plans, reminders, users, type Locale } from './schema';
import type { Viewer } from './viewer-type';

/**
 * The private calendar feed (iCalendar): a secret token per user in the feed's URL. Calendar
 * apps fetch the URL without a cookie, so the token is the only key: 32 random bytes, stored
 * as base64url (43 characters); regenerating it kills the old URL at once.
 */

const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Does the string look like a token at all? Anything else is refused without a query. */
export function isCalendarTokenShape(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/** The viewer's feed token, made on first use. */
export function getCalendarFeedUrlToken(viewer: Viewer): string {
  const db = getDb();
  const current = db.select({ token: users.calendarToken }).from(users).where(eq(users.id, viewer.id)).get();
  if (!current) throw new NotFoundError();
  if (current.token) return current.token;
  // Only where there is none yet: two first visits at once keep the one that landed first.
  db.update(users)
    .set({ calendarToken: newToken() })
    .where(and(eq(users.id, viewer.id), isNull(users.calendarToken)))
    .run();
  const made = db.select({ token: users.calendarToken }).from(users).where(eq(users.id, viewer.id)).get();
  if (!made?.token) throw new NotFoundError();
  return made.token;
}

/** A new token for the viewer; the old URL stops working with this call. */
export function regenerateCalendarToken(viewer: Viewer): string {
  const token = newToken();
  const changed = getDb()
    .update(users)
    .set({ calendarToken: token, updatedAt: new Date() })
    .where(eq(users.id, viewer.id))
    .run().changes;
  if (changed !== 1) throw new NotFoundError();
  return token;
}

export type CalendarReminder = {
  id: number;
  caseId: number | null;
  kind: ReminderKind;
  title: string | null;
  note: string;
  data: Record<string, string | number | null>;
  dueOn: string;
  dueTime: string | null;
  /** dueOn, or the snooze date when later: the day the reminder is shown again. */
  showOn: string;
  urgent: boolean;
  lenderName: string | null;
  /** The lender's hotline as the directory has it, while the lender is who to call (see `hotlineSql`). */
  lenderHotline: string | null;
  /** Set by every write to the reminder (an edit, a snooze, its rule moving its date). */
  updatedAt: Date;
  /**
   * When its case and its lender last changed (null without a case, or for a lender never changed):
   * the event names the lender and, depending on the case's status, the lender's hotline.
   */
  caseUpdatedAt: Date | null;
  lenderUpdatedAt: Date | null;
};

export type CalendarInstalment = {
  id: number;
  caseId: number;
  seq: number;
  periods: number;
  amountFen: number;
  dueOn: string;
  lenderName: string;
  lenderHotline: string | null;
  /**
   * When the case last changed. Instalments keep no time of their own, but every change to a plan
   * or its instalments stamps the case (db/cases.ts bumpVersion), so nothing in the instalment is newer.
   */
  caseUpdatedAt: Date;
  /** When the lender last changed (its name, its hotline), or null if it never has. */
  lenderUpdatedAt: Date | null;
};

export type CalendarFeedData = {
  user: { id: number; locale: Locale; displayName: string };
  reminders: CalendarReminder[];
  instalments: CalendarInstalment[];
};

/**
 * The lender's hotline (one string out of the directory's JSON, not the whole of it for every
 * event), but not while the lender is not who to call (`lenderIsWhoToCall` in lib/case-status.ts).
 */
const hotlineSql = sql<string | null>`case when ${cases.status} in (${sql.raw(LENDER_NOT_CALLED_SQL)}) then null else json_extract(${lenders.channels}, '$.hotline') end`;

/** The feed's three reads, prepared once (the user's id from the token is a parameter). */
function feedStatements(db: DB) {
  const userId = sql.placeholder('userId');
  return prepared(db, 'calendar.feed', (d) => ({
    user: d
      .select({ id: users.id, locale: users.locale, displayName: users.displayName })
      .from(users)
      .where(and(eq(users.calendarToken, sql.placeholder('token')), eq(users.disabled, false)))
      .prepare(),
    reminders: d
      .select({
        id: reminders.id,
        caseId: reminders.caseId,
        kind: reminders.kind,
        title: reminders.title,
        note: reminders.note,
        data: reminders.data,
        dueOn: reminders.dueOn,
        dueTime: reminders.dueTime,
        showOn: reminders.showOn,
        urgent: reminders.urgent,
        lenderName: lenders.name,
        lenderHotline: hotlineSql,
        updatedAt: reminders.updatedAt,
        caseUpdatedAt: cases.updatedAt,
        lenderUpdatedAt: lenders.updatedAt,
      })
      .from(reminders)
      .leftJoin(cases, and(eq(cases.id, reminders.caseId), eq(cases.ownerId, userId)))
      .leftJoin(lenders, eq(lenders.id, cases.lenderId))
      .where(and(eq(reminders.ownerId, userId), eq(reminders.status, 'open')))
      .orderBy(asc(reminders.showOn), asc(reminders.id))
      .limit(2000)
      .prepare(),
    instalments: d
      .select({
        id: instalments.id,
        caseId: instalments.caseId,
        seq: instalments.seq,
        periods: plans.periods,
        amountFen: instalments.amountFen,
        dueOn: instalments.dueOn,
        lenderName: lenders.name,
        lenderHotline: hotlineSql,
        caseUpdatedAt: cases.updatedAt,
        lenderUpdatedAt: lenders.updatedAt,
      })
      .from(instalments)
      .innerJoin(cases, eq(cases.id, instalments.caseId))
      .innerJoin(plans, eq(plans.id, instalments.planId))
      .innerJoin(lenders, eq(lenders.id, cases.lenderId))
      .where(and(eq(cases.ownerId, userId), inArray(cases.status, ['approved', 'repaying']), isNull(instalments.paidOn)))
      .orderBy(asc(instalments.dueOn), asc(instalments.id))
      .limit(2000)
      .prepare(),
  }));
}

/**
 * System lookup for the feed's route (no viewer: calendar apps send no cookie; the token is
 * the credential). Everything it reads is scoped by the token's user: their open reminders
 * (all of them, not only the due ones) and the unpaid instalments of their active plans.
 * Null for a token of the wrong shape (no query at all), an unknown one, or a disabled account.
 */
export function systemCalendarForToken(token: string): CalendarFeedData | null {
  if (!isCalendarTokenShape(token)) return null;
  const feed = feedStatements(getDb());
  const user = feed.user.get({ token });
  if (!user) return null;
  const reminderRows = feed.reminders.all({ userId: user.id });
  const instalmentRows = feed.instalments.all({ userId: user.id });
  return { user, reminders: reminderRows, instalments: instalmentRows };
}
