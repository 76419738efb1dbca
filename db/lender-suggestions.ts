import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import type { LenderSuggestionInput } from '@/lib/validation';
import { requireAdmin } from './admin';
import { getDb } from './client';
import { once } from './idempotency';
import { lenderSuggestions, lenders, users } from './schema';
import type { Viewer } from './viewer-type';

/**
 * DESIGN §2: advisors suggest, admins curate the public directory. An advisor's suggestion is about
 * a public lender (a hotline changed, a review that takes longer, a program it now offers) or about a
 * lender the directory lacks (no lenderId). Only advisors suggest (ForbiddenError for anyone else: a
 * borrower adds a private lender instead); a private lender, anyone's, is "not found".
 */
export function suggestLenderChange(viewer: Viewer, input: LenderSuggestionInput, formKey?: string): number {
  if (viewer.role !== 'advisor') throw new ForbiddenError();
  const db = getDb();
  return db.transaction((tx) => {
    if (input.lenderId !== null) {
      const listed = tx
        .select({ id: lenders.id })
        .from(lenders)
        .where(and(eq(lenders.id, input.lenderId), isNull(lenders.ownerId)))
        .get();
      if (!listed) throw new NotFoundError();
    }
    return once(tx, viewer, formKey, () =>
      tx.insert(lenderSuggestions).values({ authorId: viewer.id, lenderId: input.lenderId, body: input.body }).returning({ id: lenderSuggestions.id }).get().id,
    ).id;
  });
}

const suggestionColumns = {
  id: lenderSuggestions.id,
  lenderId: lenderSuggestions.lenderId,
  lenderName: lenders.name,
  body: lenderSuggestions.body,
  status: lenderSuggestions.status,
  createdAt: lenderSuggestions.createdAt,
  resolvedAt: lenderSuggestions.resolvedAt,
};

/** The advisor's own suggestions, newest first, with what became of each. For anyone else: ForbiddenError. */
export function listMyLenderSuggestions(viewer: Viewer) {
  if (viewer.role !== 'advisor') throw new ForbiddenError();
  return getDb()
    .select(suggestionColumns)
    .from(lenderSuggestions)
    .leftJoin(lenders, eq(lenders.id, lenderSuggestions.lenderId))
    .where(eq(lenderSuggestions.authorId, viewer.id))
    .orderBy(desc(lenderSuggestions.createdAt), desc(lenderSuggestions.id))
    .limit(50)
    .all();
}

/** Every advisor's suggestions for an admin: the open ones, oldest first, then the latest resolved. "Not found" for anyone else. */
export function listLenderSuggestions(viewer: Viewer) {
  const db = getDb();
  requireAdmin(db, viewer);
  const withAuthor = () =>
    db
      .select({ ...suggestionColumns, authorName: users.displayName, authorEmail: users.email })
      .from(lenderSuggestions)
      .innerJoin(users, eq(users.id, lenderSuggestions.authorId))
      .leftJoin(lenders, eq(lenders.id, lenderSuggestions.lenderId));
  return {
    open: withAuthor().where(eq(lenderSuggestions.status, 'open')).orderBy(lenderSuggestions.createdAt, lenderSuggestions.id).limit(200).all(),
    resolved: withAuthor().where(ne(lenderSuggestions.status, 'open')).orderBy(desc(lenderSuggestions.resolvedAt), desc(lenderSuggestions.id)).limit(20).all(),
  };
}

/**
 * An admin marks a suggestion done (the directory was changed, by its edit form) or dismissed. Sending the
 * same answer again changes nothing; another answer to one answered meanwhile (a second admin's page
 * out of date) is refused, the first answer kept (suggestion_answered): the advisor was told it
 * already. A suggestion that does not exist, and everything for anyone else, is "not found".
 */
export function resolveLenderSuggestion(viewer: Viewer, suggestionId: number, status: 'done' | 'dismissed'): void {
  const db = getDb();
  db.transaction((tx) => {
    requireAdmin(tx, viewer);
    const row = tx.select({ status: lenderSuggestions.status }).from(lenderSuggestions).where(eq(lenderSuggestions.id, suggestionId)).get();
    if (!row) throw new NotFoundError();
    if (row.status === status) return;
    if (row.status !== 'open') throw new DomainError('suggestion_answered', { values: { status: row.status } });
    tx.update(lenderSuggestions).set({ status, resolvedAt: new Date() }).where(eq(lenderSuggestions.id, suggestionId)).run();
  });
}
