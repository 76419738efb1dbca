/**
 * The advisor dashboard before and after case_facts, on a generated dataset (a copy: the
 * comparison reads only, but the migration to 0006 writes):
 *
 *   DATABASE_PATH=/tmp/everyday-copy.db npx tsx tests/compare-dashboard.ts --today 2026-11-29 [--advisors 10]
 *
 * `--today` is the day the dataset was generated for; the days compared are around it. The
 * advisors are a1@bench.test (500 clients) and the next ones by number. Exits 1 on any difference.
 */
import { getDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import type { Viewer } from '../db/viewer-type';
import { addDaysIso } from '../lib/dates';
import { compareDashboards } from './dashboard-equivalence';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const today = arg('today');
  const count = Number(arg('advisors', '10'));
  if (!today || !/^\d{4}-\d{2}-\d{2}$/.test(today) || !process.env.DATABASE_PATH) {
    console.error('usage: DATABASE_PATH=<copy of a generated db> npx tsx tests/compare-dashboard.ts --today YYYY-MM-DD [--advisors 10]');
    process.exit(2);
  }
  const db = getDb();
  await migrateDatabase(db);
  const find = db.$client.prepare('SELECT id, email, display_name AS displayName, role, locale FROM users WHERE email = ?');
  const advisors: Viewer[] = [];
  for (let i = 1; advisors.length < count && i <= count * 2; i++) {
    const row = find.get(`a${i}@bench.test`) as Omit<Viewer, 'sessionId'> | undefined;
    if (row) advisors.push({ ...row, sessionId: 'compare' });
  }
  const days = [-60, -14, -1, 0, 1, 7, 30].map((n) => addDaysIso(today, n));
  const started = Date.now();
  const { comparisons, mismatches } = compareDashboards(advisors, days);
  console.log(`${advisors.length} advisors × ${days.length} days (${days.join(', ')}): ${comparisons} comparisons, ${mismatches.length} different, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const m of mismatches.slice(0, 20)) console.log(`  different: ${m}`);
  process.exit(mismatches.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
