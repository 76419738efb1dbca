import { and, asc, eq, isNull, ne, or, type SQL } from 'drizzle-orm';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { duplicateLender } from '@/lib/lender-aliases';
import { lenderFingerprint } from '@/lib/lender-curation';
import type { LenderInput, PublicLenderInput } from '@/lib/validation';
import { requireAdmin } from './admin';
import { followLendersReview } from './cases';
import { getDb, type DB } from './client';
import { once } from './idempotency';
import { cases, lenders, type LenderChannels, type Lender } from './schema';
import type { Viewer } from './viewer-type';

/** The public directory, plus the viewer's own private lenders. */
export function lenderVisibleTo(viewer: Viewer) {
  return or(isNull(lenders.ownerId), eq(lenders.ownerId, viewer.id));
}

export function listLenders(viewer: Viewer): Lender[] {
  return getDb()
    .select()
    .from(lenders)
    .where(lenderVisibleTo(viewer))
    .orderBy(asc(lenders.ownerId), asc(lenders.id))
    .all();
}

export function getLender(viewer: Viewer, lenderId: number, tx: Pick<DB, 'select'> = getDb()): Lender {
  const row = tx
    .select()
    .from(lenders)
    .where(and(eq(lenders.id, lenderId), lenderVisibleTo(viewer)))
    .get();
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * A borrower's private lender: only they see it. Advisors suggest and admins curate the public
 * directory, so only a borrower adds one. `formKey` makes a double-clicked submit add one lender.
 * Not one named like another of theirs (assertPrivateNameFree).
 */
export function createPrivateLender(viewer: Viewer, input: LenderInput, formKey?: string): Lender {
  if (viewer.role !== 'borrower') throw new ForbiddenError();
  return getDb().transaction((tx) => {
    const { id } = once(tx, viewer, formKey, () => {
      assertPrivateNameFree(tx, viewer.id, input.name);
      return tx
        .insert(lenders)
        .values({
          name: input.name,
          kind: input.kind,
          products: input.products,
          channels: { hotline: input.hotline || undefined, app: input.appPath || undefined },
          programs: [],
          documents: [],
          reviewWorkdays: input.reviewWorkdays,
          ownerId: viewer.id,
        })
        .returning({ id: lenders.id })
        .get().id;
    });
    return getLender(viewer, id, tx);
  });
}

/**
 * A borrower corrects their private lender (a hotline mistyped, a name): only theirs; anyone else's,
 * a public lender or none is "not found". `fingerprint` is the lender as the form was loaded
 * (lib/lender-curation.ts): a save from a stale tab writes nothing ('private_lender_changed', with
 * the fingerprint as it is now, so that the same form sent again is saved). Cases on it read the
 * new name, and so do their reminders (lib/reminder-text.ts). A new review time moves "check the
 * review result" of its open cases (followNewReviewTime); their other reminders keep their dates.
 */
export function updatePrivateLender(viewer: Viewer, lenderId: number, fingerprint: string, input: LenderInput): Lender {
  return getDb().transaction((tx) => {
    const own = and(eq(lenders.id, lenderId), eq(lenders.ownerId, viewer.id));
    const row = tx.select().from(lenders).where(own).get();
    if (!row) throw new NotFoundError();
    // The refusal carries the lender as it is now: the form, sent again, replaces it with what was typed.
    if (lenderFingerprint(row) !== fingerprint) throw new DomainError('private_lender_changed', { hidden: { fingerprint: lenderFingerprint(row) } });
    // Only a new name is checked: one of two alike from before stays editable (its hotline mended) as it is named.
    if (input.name !== row.name) assertPrivateNameFree(tx, viewer.id, input.name, lenderId);
    tx.update(lenders)
      .set({
        name: input.name,
        kind: input.kind,
        products: input.products,
        channels: { ...row.channels, hotline: input.hotline || undefined, app: input.appPath || undefined },
        reviewWorkdays: input.reviewWorkdays,
      })
      .where(own)
      .run();
    followNewReviewTime(tx, row, input, eq(cases.ownerId, viewer.id));
    return tx.select().from(lenders).where(own).get()!;
  });
}

// --- the public directory, curated by admins (DESIGN.md §2) ----------------------------------

/** The directory's guidance as stored: empty fields left out, English only where some is given. */
function channelsOf(input: PublicLenderInput): LenderChannels {
  const some = (s: string) => s || undefined;
  const en = { app: some(input.appPathEn), branch: some(input.branchEn), complaint: some(input.complaintEn) };
  return JSON.parse(
    JSON.stringify({
      hotline: some(input.hotline),
      app: some(input.appPath),
      branch: some(input.branch),
      complaint: some(input.complaint),
      en: en.app || en.branch || en.complaint ? en : undefined,
    }),
  ) as LenderChannels;
}

/**
 * Two public lenders of one name would be one lender twice for whoever picks from the directory, and
 * nothing removes a public lender once added. So a name is refused when it reads as an existing one's
 * (spaces, dots, width and case aside: '建设银行快贷' beside '建设银行 快贷') or is a known alias of one
 * ('招行', lib/lender-aliases.ts), naming that lender. The directory is a few hundred rows at most:
 * their names are read and compared here.
 */
function assertNameFree(tx: Pick<DB, 'select'>, name: string, exceptId?: number): void {
  const others = tx
    .select({ id: lenders.id, name: lenders.name, seedName: lenders.seedName })
    .from(lenders)
    .where(isNull(lenders.ownerId))
    .all()
    .filter((r) => r.id !== exceptId);
  const clash = duplicateLender(name, others);
  if (clash) throw new DomainError(clash.alias ? 'lender_name_alias' : 'lender_name_taken', { field: 'name', values: { existing: clash.lender.name } });
}

/**
 * A borrower's private lenders are checked against their own only: two of theirs that read alike
 * would be one lender twice in their picker. Not against the public directory: a lender of theirs
 * named like a public one is theirs to keep (their own hotline, their branch's review time, a
 * directory entry they did not find), and an admin adding a public lender later cannot see it.
 */
function assertPrivateNameFree(tx: Pick<DB, 'select'>, ownerId: number, name: string, exceptId?: number): void {
  const others = tx
    .select({ id: lenders.id, name: lenders.name })
    .from(lenders)
    .where(eq(lenders.ownerId, ownerId))
    .all()
    .filter((r) => r.id !== exceptId);
  const clash = duplicateLender(name, others);
  if (clash) throw new DomainError('private_lender_name_taken', { field: 'name', values: { existing: clash.lender.name } });
}

function curatedFields(input: PublicLenderInput) {
  return {
    name: input.name,
    kind: input.kind,
    products: input.products,
    channels: channelsOf(input),
    programs: input.programs,
    documents: input.documents,
    reviewWorkdays: input.reviewWorkdays,
  };
}

/** A public lender, for an admin's edit form; a private lender (anyone's) is "not found", as is everything for anyone else. */
export function getPublicLender(viewer: Viewer, lenderId: number): Lender {
  const db = getDb();
  requireAdmin(db, viewer);
  return publicLenderRow(db, lenderId);
}

/** A public lender's row; a private lender, or none, is "not found". */
function publicLenderRow(tx: Pick<DB, 'select'>, lenderId: number): Lender {
  const row = tx
    .select()
    .from(lenders)
    .where(and(eq(lenders.id, lenderId), isNull(lenders.ownerId)))
    .get();
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Adds a lender to the public directory, seen by everyone. `formKey` makes a double-clicked submit add one.
 * Not one already there under another spelling or one of its aliases (assertNameFree).
 */
export function createPublicLender(viewer: Viewer, input: PublicLenderInput, formKey?: string): Lender {
  return getDb().transaction((tx) => {
    requireAdmin(tx, viewer);
    const { id } = once(tx, viewer, formKey, () => {
      assertNameFree(tx, input.name);
      return tx
        .insert(lenders)
        .values({ ...curatedFields(input), ownerId: null })
        .returning({ id: lenders.id })
        .get().id;
    });
    // The lender this form key made: public, as this verb makes them (publicLenderRow, not a row by id alone).
    return publicLenderRow(tx, id);
  });
}

/**
 * Changes what the directory shows of a public lender. `fingerprint` is the lender as the form
 * was loaded (lib/lender-curation.ts): if another admin saved in between, nothing is written
 * ('lender_changed', with the fingerprint as it is now, as for a private lender). A private lender
 * stays its owner's: "not found", like a lender that does not exist. Cases on the lender keep
 * pointing at it and read its new name; no case's timeline changes. A new review time moves "check
 * the review result" of every open case on it (followNewReviewTime).
 */
export function updatePublicLender(viewer: Viewer, lenderId: number, fingerprint: string, input: PublicLenderInput): Lender {
  return getDb().transaction((tx) => {
    requireAdmin(tx, viewer);
    const row = publicLenderRow(tx, lenderId);
    if (lenderFingerprint(row) !== fingerprint) throw new DomainError('lender_changed', { hidden: { fingerprint: lenderFingerprint(row) } });
    // Only a new name is checked: a near-duplicate added before this check stays editable under its name.
    if (input.name !== row.name) assertNameFree(tx, input.name, lenderId);
    tx.update(lenders).set(curatedFields(input)).where(and(eq(lenders.id, lenderId), isNull(lenders.ownerId))).run();
    followNewReviewTime(tx, row, input);
    return tx.select().from(lenders).where(eq(lenders.id, lenderId)).get()!;
  });
}

/**
 * The case page's next step and the advisor's dashboard read a lender's review time as it is now: so
 * do the reminders to check a review's result, of every case on the lender still open (a closed one's
 * stay as they were), lest one application show two dates. Nothing moves when the time stays.
 * `owner`: a private lender's cases are its owner's.
 */
function followNewReviewTime(tx: Pick<DB, 'select' | 'update'>, before: Lender, input: { name: string; reviewWorkdays: number }, owner?: SQL): void {
  if (input.reviewWorkdays === before.reviewWorkdays) return;
  followLendersReview(tx, and(eq(cases.lenderId, before.id), ne(cases.status, 'closed'), owner)!, input);
}
