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

/** JSON keeps instants as strings; the rows the verbs return hold Dates. */
function revive(value: unknown): unknown {
  if (typeof value === 'string' && INSTANT.test(value)) return new Date(value);
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}

/** Read once a process: the ceiling's requests measure rendering, not reading the file. */
const loaded = new Map<SnapshotName, unknown>();

export async function benchSnapshot<T>(name: SnapshotName): Promise<T> {
  await connection();
  const dir = process.env.RESPITE_BENCH_SNAPSHOTS;
  if (process.env.RESPITE_BENCH !== '1' || !dir) notFound();
  if (!loaded.has(name)) loaded.set(name, revive(JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'))));
  return loaded.get(name) as T;
}
