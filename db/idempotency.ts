import { and, eq, sql } from 'drizzle-orm';
import { getDb, type DB } from './client';
import { prepared } from './prepared';
import { formSubmissions } from './schema';
import type { Viewer } from './viewer-type';

type Tx = Pick<DB, 'select' | 'insert'>;

/**
 * Every form that creates something goes through here (issue 6: prepared once per connection).
 * Run on the process's one connection, which is the transaction's (see db/access.ts).
 */
function statements(db: DB) {
  return prepared(db, 'idempotency', (d) => ({
    seen: d
      .select({ resultId: formSubmissions.resultId })
      .from(formSubmissions)
      .where(and(eq(formSubmissions.key, sql.placeholder('key')), eq(formSubmissions.userId, sql.placeholder('userId'))))
      .prepare(),
    remember: d
      .insert(formSubmissions)
      .values({ key: sql.placeholder('key'), userId: sql.placeholder('userId'), resultId: sql.placeholder('resultId') })
      .prepare(),
  }));
}

/**
 * Runs `create` once per form key: a double-clicked submit (or a resent request) carries the
 * same key, and gets the id the first one created. Call inside the write's transaction.
 */
export function once(_tx: Tx, viewer: Viewer, key: string | undefined, create: () => number): { id: number; created: boolean } {
  if (!key) return { id: create(), created: true };
  const s = statements(getDb());
  const seen = s.seen.get({ key, userId: viewer.id });
  if (seen) return { id: seen.resultId, created: false };
  const id = create();
  s.remember.run({ key, userId: viewer.id, resultId: id });
  return { id, created: true };
}
