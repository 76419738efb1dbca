import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import type { LenderInput } from '@/lib/validation';
import { getDb, type DB } from './client';
import { once } from './idempotency';
import { lenders, type Lender } from './schema';
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
 */
export function createPrivateLender(viewer: Viewer, input: LenderInput, formKey?: string): Lender {
  if (viewer.role !== 'borrower') throw new ForbiddenError();
  return getDb().transaction((tx) => {
    const { id } = once(tx, viewer, formKey, () =>
      tx
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
        .get().id,
    );
    return getLender(viewer, id, tx);
  });
}
