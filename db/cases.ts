import { and, asc, desc, eq, inArray, ne, notInArray, sql, type SQL } from 'drizzle-orm';
import { rmSync } from 'node:fs';
import { CASE_STATUSES, readNext, type CaseStatus } from '@/lib/case-status';
import { SENSITIVE_DOCUMENT_KINDS, type DocumentKind } from '@/lib/domain';
import { aliasMatches } from '@/lib/lender-aliases';
import { searchFold } from '@/lib/search-fold';
import { DEFAULT_REVIEW_WORKDAYS, NOTICE_KINDS, onSubmitted } from '@/lib/reminder-rules';
import { addWorkdays } from '@/lib/workdays';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import type { CaseInput } from '@/lib/validation';
import { activeShare, assertCanWriteCase, caseReadableBy, caseReadableByRole } from './access';
import { getDb, type DB } from './client';
import { storedFilePath } from './files';
import { changedFields, recordEvent, unsafeListEvents } from './events';
import { isSensitiveDocument } from './documents';
import { once } from './idempotency';
import { prepared } from './prepared';
import { logAdvisorAccess, VISIT_MINUTES } from './shares';
import { getLender } from './lenders';
import { openOrClosedByRule } from './reminders';
import {
  accessLog,
  attempts,
  cases,
  contacts,
  documents,
  instalmentOwed,
  instalmentOwedFen,
  instalments,
  lenders,
  materialRequests,
  materialsAwaited,
  plans,
  recordedDebt,
  reminders,
  users,
  type Case,
} from './schema';
import type { Viewer } from './viewer-type';

export type CaseFilters = {
  status?: CaseStatus;
  lenderId?: number;
  q?: string;
  archived?: boolean;
};

/**
 * The next date that matters on a case, and what it is for: the deadline of materials still awaited, an instalment still owed (unpaid or paid short; both even when past:
 * they are still owed), or the date of one of its open reminders (when it shows again, after a snooze; past
 * when it is overdue). The reminders carry the rest: the day to check a review's result, each lender promise
 * still to chase (a decision closes those it answered), a decision to make, the person's own. The notices ahead
 * of a deadline or an instalment do not count: the date itself does. A closed case has none: a withdrawn case
 * may keep an unsent request or unpaid instalments.
 * One text, 'YYYY-MM-DD|<rank><what>' (lib/case-status.ts readNext), so that the earliest of the three is one
 * `min` and its purpose comes with it; on one day a deadline comes before an instalment, and both before a reminder.
 * The advisor's table reads the same dates and reminder kinds from case_facts (db/advisor.ts nextOf; the view
 * of migration 0017), so both lists agree on the next date and what it is for.
 */
export function nextDateSql(): SQL<string | null> {
  return sql<string | null>`case when ${cases.status} = 'closed' then null else nullif(min(
    coalesce((select min(${materialRequests.deadline}) || '|0materials' from ${materialRequests}
              where ${materialRequests.caseId} = ${cases.id} and ${materialsAwaited()}), '9999-12-31'),
    coalesce((select min(${instalments.dueOn}) || '|1instalment' from ${instalments}
              where ${instalments.caseId} = ${cases.id} and ${instalmentOwed()}), '9999-12-31'),
    coalesce((select min(${reminders.showOn} || '|2' || ${reminders.kind}) from ${reminders}
              where ${reminders.caseId} = ${cases.id} and ${reminders.status} = 'open'
                and ${notInArray(reminders.kind, [...NOTICE_KINDS])}), '9999-12-31')
  ), '9999-12-31') end`;
}

const caseListColumns = () => ({
  id: cases.id,
  status: cases.status,
  /** A closed case's outcome: a settled one owes nothing any more. */
  outcome: cases.outcome,
  product: cases.product,
  accountRef: cases.accountRef,
  lenderId: cases.lenderId,
  lenderName: lenders.name,
  /** null when no amount was given. */
  totalFen: recordedDebt(),
  overdueSince: cases.overdueSince,
  archived: cases.archived,
  updatedAt: cases.updatedAt,
  next: nextDateSql(),
  /** The earliest instalment still owed (unpaid, or paid short): the plan is at risk once it is past (lib/case-status.ts planAtRisk). */
  firstOwedOn: sql<string | null>`(select min(${instalments.dueOn}) from ${instalments} where ${instalments.caseId} = ${cases.id} and ${instalmentOwed()})`,
});

/** My cases: the borrower's own, with lender, total overdue and next date. */
export function listCasesForBorrower(viewer: Viewer, filters: CaseFilters = {}) {
  // The home page's and the case list's plain lists: prepared (the viewer's id is a parameter).
  if (!filters.status && !filters.lenderId && !filters.q) {
    const role = viewer.role === 'advisor' ? 'advisor' : 'borrower';
    return prepared(getDb(), `cases.list.${role}`, (db) =>
      db
        .select(caseListColumns())
        .from(cases)
        .innerJoin(lenders, eq(lenders.id, cases.lenderId))
        .where(and(caseReadableByRole(role, sql.placeholder('viewerId')), sql`${cases.archived} = ${sql.placeholder('archived')}`))
        .orderBy(desc(cases.updatedAt), desc(cases.id))
        .prepare(),
    )
      .all({ viewerId: viewer.id, archived: filters.archived ? 1 : 0 })
      .map(withNext);
  }
  const where: SQL[] = [caseReadableBy(viewer), eq(cases.archived, filters.archived ?? false)];
  if (filters.status && (CASE_STATUSES as readonly string[]).includes(filters.status)) where.push(eq(cases.status, filters.status));
  if (filters.lenderId) where.push(eq(cases.lenderId, filters.lenderId));
  const rows = getDb()
    .select({
      ...caseListColumns(),
      // What the search reads besides the columns listed: dropped from the rows it returns.
      seedName: lenders.seedName,
      note: cases.note,
      // The references the lender gave its applications (申请编号, 工单号): what a borrower has in hand after a call.
      lenderRefs: sql<string>`coalesce((select group_concat(${attempts.lenderRef}, char(10)) from ${attempts} where ${attempts.caseId} = ${cases.id}), '')`,
    })
    .from(cases)
    .innerJoin(lenders, eq(lenders.id, cases.lenderId))
    .where(and(...where))
    .orderBy(desc(cases.updatedAt), desc(cases.id))
    .all();
  const found = caseSearch(filters.q ?? '');
  return rows.filter(found).map(({ seedName: _seedName, note: _note, lenderRefs: _lenderRefs, ...row }) => withNext(row));
}

/**
 * The search of the borrower's case list, as the advisor's table searches (db/advisor.ts): words apart
 * ("花呗 4471") each found in some text of the case, both what was typed and what is stored folded
 * (lib/search-fold.ts: '（A12）' finds '(A12)' and the other way round; '１２３４５' finds '12345'). A
 * seeded lender is found by the other names people know it by too (招行, CMB: lib/lender-aliases.ts).
 * In JS: a borrower has a handful of cases, and SQLite's LIKE folds neither width nor punctuation.
 */
function caseSearch(q: string) {
  const words = q.split(/\s+/).filter(Boolean).map((word) => ({ word, needle: searchFold(word) }));
  return (c: { lenderName: string; seedName: string | null; product: string; accountRef: string; note: string; lenderRefs: string }) => {
    if (words.length === 0) return true;
    // One text: no word has a line break (split above), so none is found across two of them.
    const text = searchFold([c.lenderName, c.product, c.accountRef, c.note, c.lenderRefs].join('\n'));
    return words.every(({ word, needle }) => text.includes(needle) || aliasMatches(c.seedName, word));
  };
}

/** A listed case with its next date and what that date is for, read from the one text of nextDateSql. */
function withNext<R extends { next: string | null; status: CaseStatus }>({ next, ...row }: R) {
  return { ...row, ...readNext(next, row.status) };
}

export type CaseListRow = ReturnType<typeof listCasesForBorrower>[number];

/** The case and its lender if the viewer may read it (prepared per role; the viewer's id is a parameter). */
function readableCaseRow(db: DB, viewer: Viewer, caseId: number) {
  const role = viewer.role === 'advisor' ? 'advisor' : 'borrower';
  return prepared(db, `cases.readable.${role}`, (d) =>
    d
      .select({ case: cases, lender: lenders })
      .from(cases)
      .innerJoin(lenders, eq(lenders.id, cases.lenderId))
      .where(and(eq(cases.id, sql.placeholder('caseId')), caseReadableByRole(role, sql.placeholder('viewerId'))))
      .prepare(),
  ).get({ caseId, viewerId: viewer.id });
}

/** One case with its lender, if the viewer may see it. */
export function getCase(viewer: Viewer, caseId: number) {
  const row = readableCaseRow(getDb(), viewer, caseId);
  if (!row) throw new NotFoundError();
  return row;
}

/** The case page's lists, one prepared statement each, by case id (read after the case's own check). */
function caseParts(db: DB) {
  const id = sql.placeholder('caseId');
  return prepared(db, 'cases.parts', (d) => ({
    attempts: d.select().from(attempts).where(eq(attempts.caseId, id)).orderBy(asc(attempts.round)).prepare(),
    requests: d.select().from(materialRequests).where(eq(materialRequests.caseId, id)).orderBy(asc(materialRequests.id)).prepare(),
    documents: d.select().from(documents).where(eq(documents.caseId, id)).orderBy(asc(documents.id)).prepare(),
    contacts: d.select().from(contacts).where(eq(contacts.caseId, id)).orderBy(desc(contacts.occurredAt), desc(contacts.id)).prepare(),
    plan: d.select().from(plans).where(eq(plans.caseId, id)).orderBy(desc(plans.id)).limit(1).prepare(),
    instalments: d.select().from(instalments).where(eq(instalments.planId, sql.placeholder('planId'))).orderBy(asc(instalments.seq)).prepare(),
    ownerName: d.select({ name: users.displayName }).from(users).where(eq(users.id, sql.placeholder('ownerId'))).prepare(),
  }));
}

/**
 * One transaction function per connection for the case page's read: drizzle's `transaction()`
 * wraps its callback anew on every call (≈ 20 µs, more than the page's statements take), and the
 * statements here are all prepared on the connection anyway, so they need no drizzle transaction.
 */
type ReadTransaction = { deferred: <T>(read: () => T) => T; immediate: <T>(read: () => T) => T };
function readTransaction(db: DB): ReadTransaction {
  return prepared(db, 'cases.readTransaction', (d) => d.$client.transaction((read: () => unknown) => read()) as unknown as ReadTransaction);
}

/**
 * Records that the advisor read the case, unless their last view of it is less than
 * VISIT_MINUTES old and under the same share (the first look after the borrower shared again is
 * a visit of its own). Called inside the verb that read it.
 */
function logCaseVisit(tx: DB, advisorId: number, borrowerId: number, caseId: number, sharedSince: Date): void {
  const recent = prepared(tx, 'cases.recentVisit', (d) =>
    d
      .select({ id: accessLog.id })
      .from(accessLog)
      .where(
        and(
          eq(accessLog.borrowerId, sql.placeholder('borrowerId')),
          sql`${accessLog.createdAt} > unixepoch('subsec') * 1000 - ${VISIT_MINUTES * 60_000}`,
          eq(accessLog.advisorId, sql.placeholder('advisorId')),
          eq(accessLog.caseId, sql.placeholder('caseId')),
          eq(accessLog.action, 'view_case'),
          sql`${accessLog.createdAt} >= ${sql.placeholder('sharedSince')}`,
        ),
      )
      .limit(1)
      .prepare(),
  ).get({ borrowerId, advisorId, caseId, sharedSince: sharedSince.getTime() });
  if (!recent) logAdvisorAccess(tx, advisorId, borrowerId, 'view_case', caseId);
}

/** Everything the case page shows, in one read, scoped to the viewer. */
export function getCaseDetail(viewer: Viewer, caseId: number) {
  const db = getDb();
  const parts = caseParts(db);
  const transaction = readTransaction(db);
  // Prepared statements run on the transaction's connection (better-sqlite3 has one): one snapshot.
  // A borrower's read writes nothing: a deferred transaction, which takes no write lock. An
  // advisor's writes the access log, so it begins IMMEDIATE like every write (db/client.ts).
  return (viewer.role === 'advisor' ? transaction.immediate : transaction.deferred)(() => {
    const row = readableCaseRow(db, viewer, caseId);
    if (!row) throw new NotFoundError();
    const caseAttempts = parts.attempts.all({ caseId });
    const requests = parts.requests.all({ caseId });
    const docs = parts.documents.all({ caseId });
    const caseContacts = parts.contacts.all({ caseId });
    const plan = parts.plan.get({ caseId }) ?? null;
    const planInstalments = plan ? parts.instalments.all({ planId: plan.id }) : [];
    const events = unsafeListEvents(db, caseId);
    const isOwner = row.case.ownerId === viewer.id;
    // An advisor reads through an active share: the borrower sees each visit in the access log.
    const share = isOwner ? null : activeShare(db, viewer.id, row.case.ownerId);
    if (share) logCaseVisit(db, viewer.id, row.case.ownerId, caseId, share.acceptedAt ?? new Date(0));
    // Whose case an advisor is reading, for the page to say so.
    const ownerName = isOwner
      ? viewer.displayName
      : (parts.ownerName.get({ ownerId: row.case.ownerId })?.name ?? '');
    const sensitiveConsent = isOwner || !!share?.sensitiveConsentAt;
    // Without consent an advisor learns that a sensitive document exists, not what it says:
    // even a file name ("抑郁症诊断书.pdf") is content.
    const hideSensitive = (kind: DocumentKind, sensitive: boolean) => !sensitiveConsent && isSensitiveDocument({ kind, sensitive });
    // In the timeline, by kind: the sensitive kinds, the kind of a document marked sensitive here, and
    // of one deleted while sensitive (its upload named it). Their uploads and deletions lose file name and note.
    const hiddenFileKinds = new Set<string>(
      sensitiveConsent
        ? []
        : [
            ...SENSITIVE_DOCUMENT_KINDS,
            ...docs.filter((d) => isSensitiveDocument(d)).map((d) => d.kind),
            ...events.flatMap((e) => (e.kind === 'document_deleted' && e.data?.sensitive === true && typeof e.data.kind === 'string' ? [e.data.kind] : [])),
          ],
    );
    return {
      ...row,
      access: { isOwner, sensitiveConsent, ownerName },
      attempts: caseAttempts,
      currentAttempt: caseAttempts.at(-1) ?? null,
      materialRequests: requests,
      documents: docs.map((d) => (hideSensitive(d.kind, d.sensitive) ? { ...d, fileName: null, note: '' } : d)),
      contacts: caseContacts,
      plan,
      instalments: planInstalments,
      events: events.map((e) =>
        (e.kind === 'document_uploaded' || e.kind === 'document_deleted') && hiddenFileKinds.has(String(e.data?.kind))
          ? { ...e, data: { ...e.data, fileName: undefined, note: undefined } }
          : e,
      ),
    };
  });
}

export type CaseDetail = ReturnType<typeof getCaseDetail>;

function caseValues(input: CaseInput) {
  return {
    lenderId: input.lenderId,
    product: input.product,
    accountRef: input.accountRef,
    principalFen: input.principal,
    interestFen: input.interest,
    penaltyFen: input.penalty,
    overdueSince: input.overdueSince,
    note: input.note,
  };
}

/** What names the account in a ref of its last 4 to 6 digits ('' for none). */
const lastDigits = (accountRef: string) => accountRef.slice(-4);

/**
 * The same account with the same lender, still open (not closed; archived or not): most likely the case
 * typed in twice, or one edited into the other. Refused with the other case's id, for the form to link to
 * it and to save anyway when the borrower confirms it is another debt. Refs are 4 to 6 last digits
 * (lib/validation.ts): '124471' and '4471' are the same account, typed at two lengths. No ref, no question.
 * `exceptCaseId`: the case being edited is not its own duplicate.
 */
function refuseSameAccount(tx: Pick<DB, 'select'>, ownerId: number, lender: { id: number; name: string }, accountRef: string, exceptCaseId?: number): void {
  if (!accountRef) return;
  const same = tx
    .select({ id: cases.id, accountRef: cases.accountRef })
    .from(cases)
    .where(
      and(
        eq(cases.ownerId, ownerId),
        eq(cases.lenderId, lender.id),
        ne(cases.accountRef, ''),
        sql`substr(${cases.accountRef}, -4) = ${lastDigits(accountRef)}`,
        ne(cases.status, 'closed'),
        exceptCaseId === undefined ? undefined : ne(cases.id, exceptCaseId),
      ),
    )
    .orderBy(asc(cases.id))
    .limit(1)
    .get();
  if (same) throw new DomainError('case_duplicate', { field: 'accountRef', values: { lender: lender.name, ref: same.accountRef, caseId: same.id } });
}

/** Only a borrower has cases of their own (DESIGN.md §2); advisors and admins get ForbiddenError. */
export function createCase(viewer: Viewer, input: CaseInput, formKey?: string, options: { allowDuplicate?: boolean } = {}): number {
  if (viewer.role !== 'borrower') throw new ForbiddenError();
  const db = getDb();
  return db.transaction((tx) => {
    const lender = getLender(viewer, input.lenderId, tx);
    return once(tx, viewer, formKey, () => {
      if (!options.allowDuplicate) refuseSameAccount(tx, viewer.id, lender, input.accountRef);
      const row = tx
        .insert(cases)
        .values({ ...caseValues(input), ownerId: viewer.id })
        .returning({ id: cases.id })
        .get();
      recordEvent(tx, row.id, viewer.id, 'case_created', {});
      return row.id;
    }).id;
  });
}

const EDITABLE_FIELDS = ['lenderId', 'product', 'accountRef', 'principalFen', 'interestFen', 'penaltyFen', 'overdueSince', 'note'] as const;

/**
 * Saves the case's facts if nobody changed the case since `version` was read; otherwise
 * ConflictError and nothing is written. The timeline records which fields changed. A lender
 * changed (recorded wrongly) moves "check the review result" of the current application to the new
 * lender's review time (followLendersReview); every reminder names the case's lender as it is now.
 * An open case whose lender or account ref changes to match another open case's is refused with
 * case_duplicate (refuseSameAccount) unless `allowDuplicate`, the borrower's "save anyway".
 */
export function updateCase(viewer: Viewer, caseId: number, version: number, input: CaseInput, options: { allowDuplicate?: boolean } = {}): void {
  const db = getDb();
  db.transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    const lender = getLender(viewer, input.lenderId, tx);
    const next = caseValues(input);
    const changes = changedFields(current, { ...current, ...next }, EDITABLE_FIELDS);
    if (Object.keys(changes).length === 0) return;
    // An account ref filled in later (or the lender corrected) may make this case another open one's
    // twin: asked as createCase asks. An edit that names the same account as before (the lender and the
    // ref's last 4 digits unchanged) is never refused for twins already there, confirmed when made.
    const sameAccount = current.lenderId === next.lenderId && lastDigits(current.accountRef) === lastDigits(next.accountRef);
    if (!sameAccount && current.status !== 'closed' && !options.allowDuplicate) {
      refuseSameAccount(tx, current.ownerId, lender, next.accountRef, caseId);
    }
    bumpVersion(tx, current, next);
    if (changes.lenderId) followLendersReview(tx, eq(cases.id, caseId), lender);
    recordEvent(tx, caseId, viewer.id, 'case_updated', { changes });
  });
}

/**
 * The lender's review time now applies to the cases `which` selects (a case's lender changed, recorded
 * wrongly; a lender's typical review time edited, db/lenders.ts): "check the review result" of each one's
 * current application comes when that review time says, as if the application had been recorded under it —
 * the first (`review:<id>`, from the day it went in) and each after materials were sent (from the day they
 * were). Those a step closed too (a decision, a request for materials), so that undoing the step brings them
 * back as the rule now says (as db/attempts.ts correctAttempt moves them); one a person closed stays as it is.
 * A mediation or complaint keeps its own day, which is not the lender's review time (lib/reminder-rules.ts
 * escalationFollowupOn). Moved as db/reminders.ts moveOpenRuleReminder moves one: the snooze kept when
 * later, the mail stamp while the date stays. One statement reads the reminders of every case selected
 * and one moves them: a public lender may have tens of thousands of cases.
 */
export function followLendersReview(tx: Pick<DB, 'select' | 'update'>, which: SQL, lender: { name: string; reviewWorkdays: number }): void {
  const rows = tx
    .select({
      id: reminders.id,
      ruleKey: sql<string>`${reminders.ruleKey}`,
      data: reminders.data,
      attemptId: attempts.id,
      round: attempts.round,
      submittedOn: attempts.submittedOn,
    })
    .from(cases)
    // The case's current application: its last round.
    .innerJoin(attempts, and(eq(attempts.caseId, cases.id), sql`${attempts.round} = (select max(a.round) from ${attempts} a where a.case_id = ${cases.id})`))
    .innerJoin(reminders, and(eq(reminders.caseId, cases.id), eq(reminders.ownerId, cases.ownerId)))
    .where(
      and(
        which,
        notInArray(attempts.channel, ['mediator', 'regulator']),
        // `review:<id>` and `review:<id>:…`; the range first, read from reminders_owner_rule_unique (it holds `review:<id>0…` too).
        sql`${reminders.ruleKey} >= 'review:' || ${attempts.id} and ${reminders.ruleKey} < 'review:' || ${attempts.id} || ';'`,
        sql`(${reminders.ruleKey} = 'review:' || ${attempts.id} or ${reminders.ruleKey} like 'review:' || ${attempts.id} || ':%')`,
        openOrClosedByRule(true),
      ),
    )
    .all();
  const moves: { id: number; dueOn: string; data: Record<string, string | number | null> }[] = [];
  for (const r of rows) {
    if (r.ruleKey === `review:${r.attemptId}`) {
      const [review] = onSubmitted({ attemptId: r.attemptId, round: r.round, submittedOn: r.submittedOn, reviewWorkdays: lender.reviewWorkdays, lender: lender.name }).open;
      moves.push({ id: r.id, dueOn: review!.dueOn, data: review!.data });
      continue;
    }
    const sentOn = r.data.sentOn;
    if (typeof sentOn !== 'string') continue;
    // lib/reminder-rules.ts onMaterialsSent's day, for the reminder it opened.
    moves.push({ id: r.id, dueOn: addWorkdays(sentOn, lender.reviewWorkdays || DEFAULT_REVIEW_WORKDAYS), data: { ...r.data, lender: lender.name } });
  }
  if (moves.length === 0) return;
  // One statement for them all, the new dates a JSON list beside it: the case_facts triggers cost less
  // so than for one statement a reminder (≈ 1 s for 27,000, against ≈ 3).
  const dueOn = sql`moved.value ->> 'dueOn'`;
  tx.update(reminders)
    .set({
      dueOn,
      showOn: sql`max(${dueOn}, coalesce(${reminders.snoozedUntil}, ''))`,
      data: sql`moved.value ->> 'data'`,
      // db/reminders.ts mailStampFor: kept while the date stays, cleared when it moves.
      mailedAt: sql`case when ${reminders.dueOn} = ${dueOn} then ${reminders.mailedAt} end`,
      updatedAt: new Date(),
    })
    .from(sql`json_each(${JSON.stringify(moves)}) as moved`)
    .where(sql`${reminders.id} = moved.value ->> 'id'`)
    .run();
}

/**
 * Writes to the case row guarded by the version the caller read, and moves the version on.
 * Every change to a case goes through here, so two tabs never overwrite each other.
 */
export function bumpVersion(tx: Pick<DB, 'update'>, current: Case, set: Partial<Case> = {}): void {
  const res = tx
    .update(cases)
    .set({ ...set, version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(cases.id, current.id), eq(cases.version, current.version)))
    .run();
  if (res.changes !== 1) throw new ConflictError();
}

export function setCaseArchived(viewer: Viewer, caseId: number, version: number, archived: boolean): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new ConflictError();
    if (current.archived === archived) return;
    bumpVersion(tx, current, { archived });
    recordEvent(tx, caseId, viewer.id, archived ? 'case_archived' : 'case_unarchived');
  });
}

/**
 * Deletes the case, everything recorded on it, and its files. Guarded by the case's version: a page
 * opened before the case changed (in another tab, on another device) deletes nothing
 * (case_changed), so that nobody deletes what they have not seen; the form then carries the
 * version now, and sent again, it deletes.
 */
export function deleteCase(viewer: Viewer, caseId: number, version: number): void {
  const db = getDb();
  const stored = db.transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    if (current.version !== version) throw new DomainError('case_changed', { hidden: { version: String(current.version) } });
    const files = tx
      .select({ storedName: documents.storedName })
      .from(documents)
      .where(eq(documents.caseId, caseId))
      .all()
      .map((d) => d.storedName)
      .filter((n): n is string => !!n);
    tx.delete(cases).where(eq(cases.id, caseId)).run();
    return files;
  });
  for (const name of stored) rmSync(storedFilePath(name), { force: true });
}

/**
 * Totals for the borrower's home and case list: overdue across open cases (of the amounts given, and
 * how many cases gave none), how much of it is under an agreed plan, and what those plans say is
 * repaid and left to pay. A plan's figures are the case page's (`planProgress`): its current plan,
 * what was paid on the instalments marked paid, and what each instalment still owes.
 */
export function borrowerTotals(viewer: Viewer) {
  const role = viewer.role === 'advisor' ? 'advisor' : 'borrower';
  const underPlan = sql`${cases.status} in ('approved', 'repaying')`;
  // The case's current plan, through instalments_case_due_idx and plans_case_idx.
  const currentPlan = sql`i.case_id = ${cases.id} and i.plan_id = (select max(p.id) from ${plans} p where p.case_id = ${cases.id})`;
  const paid = sql`coalesce(sum(case when i.paid_on is not null then i.paid_fen end), 0)`;
  const row = prepared(getDb(), `cases.totals.${role}`, (db) =>
    db
    .select({
      openCases: sql<number>`count(*)`,
      overdueFen: sql<number>`coalesce(sum(${recordedDebt()}), 0)`,
      underPlanFen: sql<number>`coalesce(sum(case when ${underPlan} then ${recordedDebt()} end), 0)`,
      /** Open cases with no amount given: not in the sums above, which say so. */
      amountsNotGiven: sql<number>`count(*) filter (where ${recordedDebt()} is null)`,
      planPaidFen: sql<number>`coalesce(sum(case when ${underPlan}
        then (select ${paid} from ${instalments} i where ${currentPlan}) end), 0)`,
      planLeftFen: sql<number>`coalesce(sum(case when ${underPlan}
        then (select coalesce(sum(${instalmentOwedFen('i')}), 0) from ${instalments} i where ${currentPlan}) end), 0)`,
    })
    .from(cases)
    .where(and(caseReadableByRole(role, sql.placeholder('viewerId')), eq(cases.archived, false), inArray(cases.status, CASE_STATUSES.filter((s) => s !== 'closed'))))
    .prepare(),
  ).get({ viewerId: viewer.id });
  return row ?? { openCases: 0, overdueFen: 0, underPlanFen: 0, amountsNotGiven: 0, planPaidFen: 0, planLeftFen: 0 };
}
