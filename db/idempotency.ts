import { and, eq } from 'drizzle-orm';
import type { DB } from './client';
import { formSubmissions } from './schema';
import type { Viewer } from './viewer-type';

type Tx = Pick<DB, 'select' | 'insert'>;

/**
 * Runs `create` once per form key: a double-clicked submit (or a resent request) carries the
 * same key, and gets the id the first one created. Call inside the write's transaction.
 */
export function once(tx: Tx, viewer: Viewer, key: string | undefined, create: () => number): { id: number; created: boolean } {
  if (!key) return { id: create(), created: true };
  const seen = tx
    .select({ resultId: formSubmissions.resultId })
    .from(formSubmissions)
    .where(and(eq(formSubmissions.key, key), eq(formSubmissions.userId, viewer.id)))
    .get();
  if (seen) return { id: seen.resultId, created: false };
  const id = create();
  tx.insert(formSubmissions).values({ key, userId: viewer.id, resultId: id }).run();
  return { id, created: true };
}
