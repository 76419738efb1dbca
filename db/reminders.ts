import { and, asc, desc, eq, inArray, isNotNull, like, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { todayInShanghai } from '@/lib/dates';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { instalmentMissed, snoozeLimit, STALE_AFTER_DAYS, staleCaseDueOn, type ReminderChange, type ReminderSpec } from '@/lib/reminder-rules';
import { assertCanReadCase } from './access';
import { getDb, type DB } from './client';
import { once } from './idempotency';
import { prepared } from './prepared';
import { logAdvisorAccess } from './shares';
import { cases, contacts, instalments, lenders, plans, reminders, users, type Reminder } from './schema';
import type { Viewer } from './viewer-type';

type Tx = Pick<DB, 'insert' | 'update' | 'select'>;

function closeCondition(pattern: string): SQL {
  return pattern.endsWith('*') ? like(reminders.ruleKey, `${pattern.slice(0, -1)}%`) : eq(reminders.ruleKey, pattern);
}

/**
 * Applies what a rule decided, inside the transaction of the event that caused it: opens the
 * new reminders (a rule key already there is left alone, so repeating an event makes no
 * second one) and closes the ones that no longer apply.
 */
export function applyReminderChange(tx: Tx, ownerId: number, caseId: number | null, change: ReminderChange): number {
  if (change.close.length > 0) {
    tx.update(reminders)
      .set({ status: 'done', autoClosed: true, closedAt: new Date(), updatedAt: new Date() })
      .where(
        and(
          eq(reminders.ownerId, ownerId),
          eq(reminders.status, 'open'),
          caseId === null ? undefined : eq(reminders.caseId, caseId),
          or(...change.close.map(closeCondition)),
        ),
      )
      .run();
  }
  if (change.open.length === 0) return 0;
  return tx
    .insert(reminders)
    .values(change.open.map((spec) => ruleRow(ownerId, caseId, spec)))
    .onConflictDoNothing({ target: [reminders.ownerId, reminders.ruleKey] })
    .returning({ id: reminders.id })
    .all().length;
}

function ruleRow(ownerId: number, caseId: number | null, spec: ReminderSpec) {
  return {
    ownerId,
    caseId,
    kind: spec.kind,
    ruleKey: spec.ruleKey,
    data: spec.data,
    dueOn: spec.dueOn,
    showOn: spec.dueOn,
    urgent: spec.urgent ?? false,
  };
}

/**
 * A rule reminder's mail stamp, as its rule sets a date on it: kept when the date stays (what went
 * out once is not sent again), cleared when the date moves, so that the new date is mailed (as a
 * snooze or an edit is; an urgent one as urgent again, db/mailer.ts keys its mail by the date).
 */
function mailStampFor(dueOn: string) {
  return sql<Date | null>`case when ${reminders.dueOn} = ${dueOn} then ${reminders.mailedAt} end`;
}

/**
 * Opens rule reminders again, or for the first time: a corrected payment (db/plans.ts) brings back
 * what the payment had closed, so a rule key already there is set open with the rule's date and
 * text, its snooze forgotten. Its mail stamp stays while its date does (mailStampFor). With
 * `keepClosedByHand`, one a person closed (done or dismissed, not by a rule) is left as it is.
 */
export function reopenRuleReminders(tx: Tx, ownerId: number, caseId: number, specs: ReminderSpec[], { keepClosedByHand = false } = {}): void {
  for (const spec of specs) {
    const row = ruleRow(ownerId, caseId, spec);
    tx.insert(reminders)
      .values(row)
      .onConflictDoUpdate({
        target: [reminders.ownerId, reminders.ruleKey],
        set: {
          caseId,
          kind: row.kind,
          data: row.data,
          dueOn: row.dueOn,
          showOn: row.showOn,
          urgent: row.urgent,
          status: 'open',
          autoClosed: false,
          snoozedUntil: null,
          closedAt: null,
          mailedAt: mailStampFor(row.dueOn),
          updatedAt: new Date(),
        },
        ...(keepClosedByHand ? { setWhere: openOrClosedByRule(true) } : {}),
      })
      .run();
  }
}

/**
 * A rule reminder still open, moved to the rule's new date and text (its snooze kept when later, its
 * mail stamp while its date stays: mailStampFor). Closed ones stay closed; with `closedByRuleToo`,
 * one a step closed is moved as well (closed still), so that undoing the step brings it back as
 * the rule now says (a corrected submission day, db/attempts.ts correctAttempt).
 */
export function moveOpenRuleReminder(tx: Tx, ownerId: number, spec: ReminderSpec, closedByRuleToo = false): void {
  tx.update(reminders)
    .set({
      dueOn: spec.dueOn,
      showOn: sql`max(${spec.dueOn}, coalesce(${reminders.snoozedUntil}, ''))`,
      data: spec.data,
      mailedAt: mailStampFor(spec.dueOn),
      updatedAt: new Date(),
    })
    .where(and(eq(reminders.ownerId, ownerId), eq(reminders.ruleKey, spec.ruleKey), openOrClosedByRule(closedByRuleToo)))
    .run();
}

/** Open reminders, and with `closedByRuleToo` those a step closed (done, not by a person). */
export function openOrClosedByRule(closedByRuleToo: boolean): SQL {
  return closedByRuleToo
    ? or(eq(reminders.status, 'open'), and(eq(reminders.status, 'done'), eq(reminders.autoClosed, true)))!
    : eq(reminders.status, 'open');
}

/**
 * A case that closed (withdrawn, settled, mediation ended) needs none of its rule reminders. Returns
 * those it closed: a withdrawal keeps them in its event, to open them again if it is undone.
 */
export function closeCaseRuleReminders(tx: Tx, caseId: number): { id: number; ruleKey: string }[] {
  return tx
    .update(reminders)
    .set({ status: 'done', autoClosed: true, closedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(reminders.caseId, caseId), eq(reminders.status, 'open'), isNotNull(reminders.ruleKey)))
    .returning({ id: reminders.id, ruleKey: sql<string>`${reminders.ruleKey}` })
    .all();
}

/**
 * Rule reminders of a case that a step closed, open again as they were (their dates, snooze and mail
 * stamp kept) when the step is undone: `ids` are those the step closed, as its event kept them. One
 * closed otherwise since (done or dismissed by hand) stays closed, and one deleted since stays gone;
 * so does the chase of a lender's promise that is no longer awaited: its outcome (kept, broken)
 * recorded, the promise corrected away, or the contact deleted, since the step closed it.
 */
export function reopenClosedRuleReminders(tx: Tx, ownerId: number, caseId: number, ids: number[]): void {
  if (ids.length === 0) return;
  tx.update(reminders)
    .set({ status: 'open', autoClosed: false, closedAt: null, updatedAt: new Date() })
    .where(
      and(
        inArray(reminders.id, ids),
        eq(reminders.caseId, caseId),
        eq(reminders.ownerId, ownerId),
        isNotNull(reminders.ruleKey),
        eq(reminders.status, 'done'),
        eq(reminders.autoClosed, true),
        sql`not (${reminders.ruleKey} like 'promise:%' and not exists (select 1 from ${contacts} where ${contacts.id} = cast(substr(${reminders.ruleKey}, 9) as integer) and ${contacts.promise} is not null and ${contacts.promiseOutcome} is null))`,
      ),
    )
    .run();
}

/**
 * Any activity on a case answers "no activity for 14 days". Every write runs it (through
 * recordEvent): prepared once per connection, on the process's one connection, which is the
 * caller's transaction's (see db/access.ts).
 */
export function closeStaleReminder(_tx: Tx, caseId: number): void {
  prepared(getDb(), 'reminders.closeStale', (d) =>
    d
      .update(reminders)
      // `now` in epoch ms, the columns' storage (a placeholder in SET is bound as given).
      .set({ status: 'done', autoClosed: true, closedAt: sql`${sql.placeholder('now')}`, updatedAt: sql`${sql.placeholder('now')}` })
      .where(and(eq(reminders.caseId, sql.placeholder('caseId')), eq(reminders.status, 'open'), like(reminders.ruleKey, 'stale:%')))
      .prepare(),
  ).run({ caseId, now: Date.now() });
}

// --- what people see ---------------------------------------------------------------------

/**
 * addedBy: who added it, when that is not its owner (an advisor's reminder for a client); else null.
 * caseAccountRef: the last digits of the case's account, which tell two cases with one lender apart; where
 * there are none, caseProduct does (白条 and 金条, both 京东).
 */
export type ReminderRow = Reminder & {
  lenderName: string | null;
  caseAccountRef: string | null;
  caseProduct: string | null;
  caseStatus: string | null;
  addedBy: string | null;
};

function reminderSelect() {
  return {
    reminder: reminders,
    lenderName: lenders.name,
    caseAccountRef: cases.accountRef,
    caseProduct: cases.product,
    caseStatus: cases.status,
    addedBy: users.displayName,
  };
}

/** A row of reminderSelect as people see it: an empty account or product is none. */
function reminderRow(r: { reminder: Reminder; lenderName: string | null; caseAccountRef: string | null; caseProduct: string | null; caseStatus: string | null; addedBy: string | null }): ReminderRow {
  return { ...r.reminder, lenderName: r.lenderName, caseAccountRef: r.caseAccountRef || null, caseProduct: r.caseProduct || null, caseStatus: r.caseStatus, addedBy: r.addedBy };
}

/** The one who added a reminder, joined only when it is not the reminder's owner. */
const addedByJoin = and(eq(users.id, reminders.createdBy), ne(reminders.createdBy, reminders.ownerId));

const openRemindersQuery = (db: DB, withCase: boolean) =>
  db
    .select(reminderSelect())
    .from(reminders)
    .leftJoin(cases, eq(cases.id, reminders.caseId))
    .leftJoin(lenders, eq(lenders.id, cases.lenderId))
    .leftJoin(users, addedByJoin)
    .where(
      and(
        eq(reminders.ownerId, sql.placeholder('ownerId')),
        eq(reminders.status, 'open'),
        withCase ? eq(reminders.caseId, sql.placeholder('caseId')) : undefined,
      ),
    )
    .orderBy(asc(reminders.showOn), asc(reminders.dueTime), asc(reminders.id))
    .limit(sql.placeholder('limit'))
    .prepare();

/**
 * The viewer's open reminders, soonest first (the inbox groups them into overdue, today, upcoming,
 * later); all of them unless `limit` says (SQLite's LIMIT -1): the inbox counts its groups from
 * these rows, and a borrower with a few long plans has hundreds (two a month for each 120-period plan).
 */
export function listOpenReminders(viewer: Viewer, options: { caseId?: number; limit?: number } = {}): ReminderRow[] {
  const db = getDb();
  const limit = options.limit ?? -1;
  const rows = options.caseId
    ? prepared(db, 'reminders.openOfCase', (d) => openRemindersQuery(d, true)).all({ ownerId: viewer.id, caseId: options.caseId, limit })
    : prepared(db, 'reminders.open', (d) => openRemindersQuery(d, false)).all({ ownerId: viewer.id, limit });
  return rows.map(reminderRow);
}

/** The reminders of one case the viewer may read, open ones first, then the recently closed. */
export function listCaseReminders(viewer: Viewer, caseId: number): ReminderRow[] {
  const db = getDb();
  assertCanReadCase(db, viewer, caseId);
  const rows = prepared(db, 'reminders.ofCase', (d) =>
    d
      .select(reminderSelect())
      .from(reminders)
      .leftJoin(cases, eq(cases.id, reminders.caseId))
      .leftJoin(lenders, eq(lenders.id, cases.lenderId))
      .leftJoin(users, addedByJoin)
      .where(eq(reminders.caseId, sql.placeholder('caseId')))
      // The open ones by when they show, within a day by the time set (as the inbox orders them: 08:00
      // before 23:30); then the closed ones, the latest closed first (the 200 kept are the recent ones).
      .orderBy(
        sql`${reminders.status} != 'open'`,
        sql`case when ${reminders.status} = 'open' then ${reminders.showOn} end`,
        sql`case when ${reminders.status} = 'open' then ${reminders.dueTime} end`,
        desc(reminders.closedAt),
        asc(reminders.id),
      )
      .limit(200)
      .prepare(),
  ).all({ caseId });
  return rows.map(reminderRow);
}

/**
 * The badge: open reminders due today or earlier. It runs up to three times a borrower page, so
 * the one number is read as a bare row (`values`), without drizzle mapping it into an object
 * (3.4 µs a call instead of 3.6; 2.8 on plain better-sqlite3).
 */
export function countDueReminders(viewer: Viewer, today = todayInShanghai()): number {
  const db = getDb();
  const [row] = prepared(db, 'reminders.countDue', (d) =>
    d
      .select({ n: sql<number>`count(*)` })
      .from(reminders)
      .where(and(eq(reminders.ownerId, sql.placeholder('ownerId')), eq(reminders.status, 'open'), lte(reminders.showOn, sql.placeholder('today'))))
      .prepare(),
  ).values({ ownerId: viewer.id, today });
  return Number(row?.[0] ?? 0);
}

// --- people's own reminders, and what anyone can do to a reminder -------------------------

export type ReminderInput = { title: string; dueOn: string; dueTime: string | null; note: string };

/**
 * A reminder on a case, for the case's borrower: their own, or one an advisor adds for a client
 * (it reaches the client like any reminder, and the access log says who added it).
 */
export function createReminder(viewer: Viewer, caseId: number, input: ReminderInput, formKey?: string): number {
  return getDb().transaction((tx) => {
    const c = assertCanReadCase(tx, viewer, caseId);
    return once(tx, viewer, formKey, () => {
      // Inside `once`: a resent form adds no second reminder, and no second line in the log.
      if (c.ownerId !== viewer.id) logAdvisorAccess(tx, viewer.id, c.ownerId, 'add_reminder', caseId, input.title);
      return tx
        .insert(reminders)
        .values({
          ownerId: c.ownerId,
          caseId,
          kind: 'custom',
          title: input.title,
          note: input.note,
          dueOn: input.dueOn,
          dueTime: input.dueTime,
          showOn: input.dueOn,
          createdBy: viewer.id,
        })
        .returning({ id: reminders.id })
        .get().id;
    }).id;
  });
}

function ownReminder(tx: Pick<DB, 'select'>, viewer: Viewer, reminderId: number): Reminder {
  const row = tx
    .select()
    .from(reminders)
    .where(and(eq(reminders.id, reminderId), eq(reminders.ownerId, viewer.id)))
    .get();
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * What an edit form was opened on: the fields it edits, as a short digest sent back with the form.
 * Reminders carry no version (a snooze, a mail sent or the sweep's urgency is not what an edit
 * would overwrite); these four fields are.
 */
export function reminderEditStamp(r: Pick<Reminder, 'title' | 'note' | 'dueOn' | 'dueTime'>): string {
  return createHash('sha256').update(JSON.stringify([r.title, r.note, r.dueOn, r.dueTime])).digest('base64url').slice(0, 22);
}

/**
 * Edits a person's own open reminder (rule reminders keep their text and date; snooze them instead);
 * one an advisor added becomes the person's own.
 * `stamp` is reminderEditStamp of the reminder the form showed: when it was edited since (another
 * tab, another device), the save is refused (reminder_changed) and nothing changes, so that one edit
 * never silently overwrites another; the form then carries the new stamp, and sent again, it saves. A reminder closed since is refused too (reminder_closed).
 */
export function updateReminder(viewer: Viewer, reminderId: number, input: ReminderInput, stamp: string): void {
  getDb().transaction((tx) => {
    const r = ownReminder(tx, viewer, reminderId);
    if (r.kind !== 'custom') throw new ForbiddenError();
    if (r.status !== 'open') throw new DomainError('reminder_closed');
    // Refused with the stamp as it is now: sent again, once the reader has decided, the form is saved.
    if (reminderEditStamp(r) !== stamp) throw new DomainError('reminder_changed', { hidden: { stamp: reminderEditStamp(r) } });
    tx.update(reminders)
      .set({
        title: input.title,
        note: input.note,
        dueOn: input.dueOn,
        dueTime: input.dueTime,
        // A new date is when the person wants it now (the appointment moved): the snooze goes.
        // The same date (the title or time edited), a snooze still to come keeps it hidden.
        ...(input.dueOn === r.dueOn ? {} : { snoozedUntil: null, showOn: input.dueOn }),
        mailedAt: null,
        // One an advisor added is the owner's words once the owner rewrites it: no longer shown, or mailed, as the advisor's.
        createdBy: viewer.id,
        updatedAt: new Date(),
      })
      .where(eq(reminders.id, reminderId))
      .run();
  });
}

/**
 * Closes (done, dismissed) an open reminder, or opens again one a person closed. Refused, unchanged,
 * when the page it was asked from is out of date: a reminder already closed — in another tab, or
 * by its rule when what it reminded of was done (an instalment paid) — is not closed again, and a
 * reminder its rule closed is not opened again (its page offers no such button).
 */
export function setReminderStatus(viewer: Viewer, reminderId: number, status: 'open' | 'done' | 'dismissed'): void {
  getDb().transaction((tx) => {
    const r = ownReminder(tx, viewer, reminderId);
    if (status !== 'open' && r.status !== 'open') throw new DomainError('reminder_closed');
    if (status === 'open' && r.autoClosed) throw new DomainError('reminder_closed_by_rule');
    tx.update(reminders)
      .set({ status, autoClosed: false, closedAt: status === 'open' ? null : new Date(), updatedAt: new Date() })
      .where(eq(reminders.id, reminderId))
      .run();
  });
}

/**
 * Hides the reminder until `until` (a date after today); it comes back then, and is mailed again.
 * Refused, with the date that stands in the way:
 * - past a deadline still to come (the lender's for materials, an instalment's due date), where
 *   the reminder would come back with the day lost;
 * - to a date before a reminder not yet due (and not snoozed) comes anyway: nothing would change;
 * - when it is no longer open (closed in another tab, or by its rule: an instalment paid), so that
 *   a page out of date never opens it again.
 */
export function snoozeReminder(viewer: Viewer, reminderId: number, until: string): void {
  getDb().transaction((tx) => {
    const r = ownReminder(tx, viewer, reminderId);
    if (r.status !== 'open') throw new DomainError('reminder_closed');
    const showOn = until > r.dueOn ? until : r.dueOn;
    const limit = snoozeLimit(r);
    if (limit && limit >= todayInShanghai() && until > limit) throw new DomainError('snooze_past_deadline', { field: 'until', values: { deadlineOn: limit } });
    if (until <= r.dueOn && r.showOn === r.dueOn) throw new DomainError('snooze_before_due', { field: 'until', values: { dueOn: r.dueOn } });
    tx.update(reminders)
      .set({ snoozedUntil: until, showOn, mailedAt: null, updatedAt: new Date() })
      .where(eq(reminders.id, reminderId))
      .run();
  });
}

// --- the sweep: rules that follow from the passing of time ----------------------------------

/**
 * Reminders one sweep call opens at most. The first sweep of a large database (30,000 cases) has
 * tens of thousands to open: one call, one transaction, would hold the write lock and the event
 * loop for seconds. The sweep is idempotent, so the rest follows in the next call (systemMailTick
 * calls again at once, yielding to the event loop in between).
 */
export const SWEEP_MAX_ROWS = 2_000;

/**
 * Has the "instalment missed" row `r` already told this miss, the one told on `missedOn` (the day
 * after the instalment's date)? One still open has. So has one the person closed themselves (done or
 * dismissed) when it was about this very date, or when they closed it on or after `missedOn`: they
 * knew then that the instalment was missed on that date or before (a date the lender corrected to
 * another past day is not news). It is theirs to open again, and a sweep never overrules them about
 * a miss they have seen.
 *
 * One its rule closed has not: a rule closes "missed" when the instalment is paid, or moved to a
 * date not yet past, and the sweep only looks at unpaid instalments past their date on a plan that
 * stands, so the reason it closed for no longer holds — the instalment was moved and missed again
 * (or moved back). Nor has one closed by hand before a later date passed unpaid: that is a new miss,
 * which they have not seen. Those are opened again (systemSweepReminders).
 */
function missTold(r: string, missedOn: string): string {
  // Never NULL (a closed row without its time counts as closed then: told), so that the sweep's query
  // and openMissedReminders agree on every row: one the query finds, the upsert opens.
  const closedOn = `date(${r}.closed_at / 1000, 'unixepoch', '+8 hours')`;
  return `(${r}.status = 'open' OR (${r}.auto_closed = 0 AND (${r}.due_on = ${missedOn} OR ${r}.closed_at IS NULL OR ${closedOn} >= ${missedOn})))`;
}

/**
 * Opens rule reminders through one prepared statement (drizzle's builder costs more per row
 * than SQLite does); a rule key already there is left alone. Inside the caller's transaction.
 */
function insertRuleReminders(rows: ReturnType<typeof ruleRow>[], db: DB = getDb()): number {
  if (rows.length === 0) return 0;
  const insert = db.$client.prepare(
    `INSERT INTO reminders (owner_id, case_id, kind, rule_key, data, due_on, show_on, urgent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner_id, rule_key) DO NOTHING`,
  );
  let opened = 0;
  for (const r of rows) {
    opened += insert.run(r.ownerId, r.caseId, r.kind, r.ruleKey, JSON.stringify(r.data), r.dueOn, r.showOn, r.urgent ? 1 : 0).changes;
  }
  return opened;
}

/**
 * Opens "instalment missed" as insertRuleReminders does, or opens again the instalment's row that has
 * not told this miss (missTold): the one row its key allows, never a second, with the new dates and
 * text, its snooze forgotten, and its mail stamp cleared when it is for another date (so that it is
 * mailed, as urgent, again: db/mailer.ts keys that mail by the date) — kept for the same date.
 */
function openMissedReminders(rows: ReturnType<typeof ruleRow>[], db: DB, now: Date): number {
  if (rows.length === 0) return 0;
  const upsert = db.$client.prepare(
    `INSERT INTO reminders (owner_id, case_id, kind, rule_key, data, due_on, show_on, urgent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (owner_id, rule_key) DO UPDATE SET
       case_id = excluded.case_id, kind = excluded.kind, data = excluded.data, urgent = excluded.urgent,
       due_on = excluded.due_on, show_on = excluded.show_on, snoozed_until = NULL,
       status = 'open', auto_closed = 0, closed_at = NULL,
       mailed_at = CASE WHEN reminders.due_on = excluded.due_on THEN reminders.mailed_at END,
       updated_at = ?
     WHERE NOT ${missTold('reminders', 'excluded.due_on')}`,
  );
  let opened = 0;
  for (const r of rows) {
    opened += upsert.run(r.ownerId, r.caseId, r.kind, r.ruleKey, JSON.stringify(r.data), r.dueOn, r.showOn, r.urgent ? 1 : 0, now.getTime()).changes;
  }
  return opened;
}

/**
 * System job (no viewer: it runs for everyone, from the scheduler). Opens "instalment missed"
 * for every unpaid instalment whose date has passed on an active plan (and makes "pay the rest" of
 * one paid short before its date urgent once the date has passed), and "stale case" for
 * every open case without activity for 14 days. Idempotent through the rule keys: an instalment has
 * one "missed", opened again when it is missed again on a new date (missTold). Opens at most
 * `maxRows` of each per call (`more` says some were left for the next call). `db`: the server's, or
 * another connection to the same kind of database (a test that has just written rows the scheduler
 * would sweep, sweeping them itself so that nothing changes under it later).
 */
export function systemSweepReminders(
  now = new Date(),
  maxRows = SWEEP_MAX_ROWS,
  db: DB = getDb(),
): { missed: number; stale: number; more: boolean } {
  const today = todayInShanghai(now);
  return db.transaction((tx) => {
    const overdue = tx
      .select({
        id: instalments.id,
        seq: instalments.seq,
        dueOn: instalments.dueOn,
        amountFen: instalments.amountFen,
        caseId: instalments.caseId,
        ownerId: cases.ownerId,
        periods: plans.periods,
        lender: lenders.name,
      })
      .from(instalments)
      .innerJoin(cases, eq(cases.id, instalments.caseId))
      .innerJoin(plans, eq(plans.id, instalments.planId))
      .innerJoin(lenders, eq(lenders.id, cases.lenderId))
      .where(
        and(
          sql`${instalments.paidOn} is null`,
          sql`${instalments.dueOn} < ${today}`,
          inArray(cases.status, ['approved', 'repaying']),
          sql`not exists (select 1 from ${reminders} r where r.owner_id = ${cases.ownerId} and r.rule_key = 'inst-missed:' || ${instalments.id} and ${sql.raw(missTold('r', `date("instalments"."due_on", '+1 day')`))})`,
        ),
      )
      .limit(maxRows + 1)
      .all();
    const opened = openMissedReminders(
      overdue.slice(0, maxRows).map((i) => ruleRow(i.ownerId, i.caseId, instalmentMissed(i))),
      db,
      now,
    );
    // The rest of a short payment made before the date, still owed once the date has passed: missed as
    // much as an unpaid one, so urgent — and mailed again, as urgent (the digest may have named it before).
    // Spelt in literals, as reminders_short_pending_idx is, so that SQLite reads that index.
    const shortMissed = tx
      .update(reminders)
      .set({ urgent: true, mailedAt: null, updatedAt: new Date() })
      .where(sql`${reminders.kind} = 'instalment_short' and ${reminders.status} = 'open' and ${reminders.urgent} = 0 and ${reminders.dueOn} < ${today}`)
      .run().changes;
    const missed = opened + shortMissed;

    const cutoff = now.getTime() - STALE_AFTER_DAYS * 86_400_000;
    // The last activity's date in Shanghai (UTC+8 all year), as the rule key spells it.
    const lastActivityOn = sql<string>`date(${cases.updatedAt} / 1000, 'unixepoch', '+8 hours')`;
    const stale = tx
      .select({ id: cases.id, ownerId: cases.ownerId, lastActivityOn, lender: lenders.name })
      .from(cases)
      .innerJoin(lenders, eq(lenders.id, cases.lenderId))
      .where(
        and(
          // Only a negotiation that has stalled: an agreed plan has its own instalment reminders,
          // and a month between two payments is no reason to worry anyone.
          inArray(cases.status, ['preparing', 'under_review', 'materials_requested', 'rejected', 'escalated']),
          eq(cases.archived, false),
          sql`${cases.updatedAt} < ${cutoff}`,
          sql`not exists (select 1 from ${reminders} r where r.owner_id = ${cases.ownerId} and r.rule_key = 'stale:' || ${cases.id} || ':' || ${lastActivityOn})`,
        ),
      )
      .limit(maxRows + 1)
      .all();
    const staleOpened = insertRuleReminders(
      stale.slice(0, maxRows).map((c) =>
        ruleRow(c.ownerId, c.id, {
          ruleKey: `stale:${c.id}:${c.lastActivityOn}`,
          kind: 'stale_case',
          dueOn: staleCaseDueOn(c.lastActivityOn),
          data: { lender: c.lender, since: c.lastActivityOn },
        }),
      ),
      db,
    );
    return { missed, stale: staleOpened, more: overdue.length > maxRows || stale.length > maxRows };
  });
}
