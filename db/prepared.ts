import type { DB } from './client';

/**
 * Prepared statements for the hot reads (issue 6): drizzle builds a query's SQL and SQLite
 * compiles it on every call unless the query is prepared once, which costs 70–170 µs a call
 * (more than most of these queries take to run). Each statement is built the first time it is
 * used on a connection and kept with it; parameters (the viewer's id above all: the scoping stays
 * in the WHERE clause) are sql.placeholder()s filled in at each call.
 */
const cache = new WeakMap<DB, { prepare: unknown; statements: Map<string, unknown> }>();

export function prepared<T>(db: DB, key: string, build: (db: DB) => T): T {
  let entry = cache.get(db);
  // Kept per connection and per `prepare` function: a test (or the benchmark) that wraps the
  // connection's prepare to record the statements gets statements prepared through its wrapper.
  if (!entry || entry.prepare !== db.$client.prepare) cache.set(db, (entry = { prepare: db.$client.prepare, statements: new Map() }));
  let statement = entry.statements.get(key) as T | undefined;
  if (statement === undefined) entry.statements.set(key, (statement = build(db)));
  return statement;
}
