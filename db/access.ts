import { and, eq, type SQL } from 'drizzle-orm';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import type { DB } from './client';
import { cases, type Case } from './schema';
import type { Viewer } from './viewer-type';

/**
 * Who may see and change a case, in one place. Every verb puts these conditions in its WHERE
 * clause, so a case the viewer may not see is never read: "not yours" is "not found".
 *
 * Today a case is visible to its owner only; sharing with an advisor adds a branch here.
 */
export function caseReadableBy(viewer: Viewer): SQL {
  return eq(cases.ownerId, viewer.id);
}

/** Only the borrower who owns a case changes its facts, status, documents and plan. */
export function caseWritableBy(viewer: Viewer): SQL {
  return eq(cases.ownerId, viewer.id);
}

type Tx = Pick<DB, 'select'>;

/** The case, if the viewer may read it; else NotFoundError. */
export function assertCanReadCase(tx: Tx, viewer: Viewer, caseId: number): Case {
  const row = tx
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), caseReadableBy(viewer)))
    .get();
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * The case, if the viewer may change it. A viewer who may read but not write (an advisor)
 * gets ForbiddenError; one who may not read gets NotFoundError.
 */
export function assertCanWriteCase(tx: Tx, viewer: Viewer, caseId: number): Case {
  const row = tx
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), caseWritableBy(viewer)))
    .get();
  if (row) return row;
  assertCanReadCase(tx, viewer, caseId);
  throw new ForbiddenError();
}
