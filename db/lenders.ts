import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { NotFoundError } from '@/lib/errors';
import type { LenderInput } from '@/lib/validation';
import { getDb, type DB } from './client';
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

/** A borrower's private lender: only they see it. */
export function createPrivateLender(viewer: Viewer, input: LenderInput): Lender {
  return getDb()
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
    .returning()
    .get();
}
