import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { getDb, type DB } from './client';
import { prepared } from './prepared';
import { cases, shares, type Case, type Share } from './schema';
import type { Viewer } from './viewer-type';

/**
 * Who may see and change a case, in one place. Every verb puts these conditions in its WHERE
 * clause, so a case the viewer may not see is never read: "not yours" is "not found".
 *
 * A borrower sees their own cases; an advisor sees the cases of the borrowers whose share with
 * them is active right now (checked on every read, so a revocation holds at once); nobody else.
 */
export function caseReadableBy(viewer: Viewer): SQL {
  return caseReadableByRole(viewer.role, viewer.id);
}

/** The same rule, for a prepared statement: the viewer's id may be a sql.placeholder(). */
export function caseReadableByRole(role: Viewer['role'], viewerId: number | SQLWrapper): SQL {
  if (role === 'advisor') {
    return sql`exists (select 1 from ${shares} where ${shares.borrowerId} = ${cases.ownerId}
      and ${shares.advisorId} = ${viewerId} and ${shares.status} = 'active')`;
  }
  return sql`${cases.ownerId} = ${viewerId}`;
}

/**
 * The borrowers whose cases the advisor may read now (shares_advisor_idx): the same rule as
 * caseReadableBy. The advisor's id may be a sql.placeholder(), for a prepared statement.
 */
export function activeClientIds(advisorId: number | SQLWrapper): SQL {
  return sql`(select ${shares.borrowerId} from ${shares} where ${shares.advisorId} = ${advisorId} and ${shares.status} = 'active')`;
}

/*
 * The checks below run on every case page and every write (issue 6), so their statements are
 * prepared once per connection (db/prepared.ts), the viewer's id a parameter of the WHERE clause.
 * They take the caller's transaction for the signature's sake but run on the process's one
 * connection, which is the one every transaction of db/ runs on (better-sqlite3 is synchronous):
 * inside `getDb().transaction(...)` they read inside that transaction.
 */

/** The advisor's active share with a borrower, or null: what an advisor's access rests on. */
export function activeShare(_tx: Pick<DB, 'select'>, advisorId: number, borrowerId: number): Share | null {
  return (
    prepared(getDb(), 'access.activeShare', (db) =>
      db
        .select()
        .from(shares)
        .where(
          and(
            eq(shares.advisorId, sql.placeholder('advisorId')),
            eq(shares.borrowerId, sql.placeholder('borrowerId')),
            eq(shares.status, 'active'),
          ),
        )
        .prepare(),
    ).get({ advisorId, borrowerId }) ?? null
  );
}

/** Only the borrower who owns a case changes its facts, status, documents and plan. */
export function caseWritableBy(viewer: Viewer): SQL {
  return caseWritableById(viewer.id);
}

/** The same rule, for a prepared statement: the viewer's id may be a sql.placeholder(). */
function caseWritableById(viewerId: number | SQLWrapper): SQL {
  return sql`${cases.ownerId} = ${viewerId}`;
}

type Tx = Pick<DB, 'select'>;

/** The case, if the viewer may read it; else NotFoundError. */
export function assertCanReadCase(_tx: Tx, viewer: Viewer, caseId: number): Case {
  const role = viewer.role === 'advisor' ? 'advisor' : 'borrower';
  const row = prepared(getDb(), `access.read.${role}`, (db) =>
    db
      .select()
      .from(cases)
      .where(and(eq(cases.id, sql.placeholder('caseId')), caseReadableByRole(role, sql.placeholder('viewerId'))))
      .prepare(),
  ).get({ caseId, viewerId: viewer.id });
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * The case, if the viewer may change it. A viewer who may read but not write (an advisor)
 * gets ForbiddenError; one who may not read gets NotFoundError.
 */
export function assertCanWriteCase(tx: Tx, viewer: Viewer, caseId: number): Case {
  const row = prepared(getDb(), 'access.write', (db) =>
    db
      .select()
      .from(cases)
      .where(and(eq(cases.id, sql.placeholder('caseId')), caseWritableById(sql.placeholder('viewerId'))))
      .prepare(),
  ).get({ caseId, viewerId: viewer.id });
  if (row) return row;
  assertCanReadCase(tx, viewer, caseId);
  throw new ForbiddenError();
}
