import { readFileSync } from 'node:fs';
import path from 'node:path';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';

/**
 * The benchmark's ceilings (issue 6, scripts/bench/run.mjs): each measured page's markup, drawn
 * by the page's own view component from a constant — a snapshot of what the page's loader read
 * for the run's subjects (scripts/bench/snapshot.ts writes them into RESPITE_BENCH_SNAPSHOTS
 * before the server starts) — instead of the database. Dynamic, like every page here, so each
 * measures what the framework costs a request for that page's markup. They exist only when the
 * server runs with RESPITE_BENCH=1; otherwise they are a 404.
 */
export type SnapshotName = 'home' | 'case' | 'reminders' | 'dashboard';

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * JSON keeps instants as strings; the rows the verbs return hold Dates. Revived inside JSON.parse,
 * so every object is built as JSON.parse builds it (rebuilding them afterwards, with
 * Object.fromEntries, gives objects V8 reads more slowly, and a ceiling slower than its page).
 */
function revive(_key: string, value: unknown): unknown {
  return typeof value === 'string' && INSTANT.test(value) ? new Date(value) : value;
}

/** Read once a process: the ceiling's requests measure rendering, not reading the file. */
const loaded = new Map<SnapshotName, unknown>();

export async function benchSnapshot<T>(name: SnapshotName): Promise<T> {
  await connection();
  const dir = process.env.RESPITE_BENCH_SNAPSHOTS;
  if (process.env.RESPITE_BENCH !== '1' || !dir) notFound();
  if (!loaded.has(name)) loaded.set(name, JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'), revive));
  return loaded.get(name) as T;
}
