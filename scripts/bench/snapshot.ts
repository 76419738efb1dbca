/**
 * The ceiling page's constant (app/bench/snapshot.json): what the borrower home shows for the
 * benchmark's borrower, read once through the same verbs the home page calls.
 *
 *   tsx scripts/bench/snapshot.ts --db <generated everyday db> --subjects <json>
 *
 * Regenerate it only when the home page's data changes shape.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1]!;
}
process.env.DATABASE_PATH = arg('db');
const subjects = JSON.parse(readFileSync(arg('subjects'), 'utf8')) as { today: string; borrower: { id: number } };

const { getDb } = await import('../../db/client');
const { borrowerTotals, listCasesForBorrower } = await import('../../db/cases');
const { listInstalmentsForMonth } = await import('../../db/plans');
const { countDueReminders, listOpenReminders } = await import('../../db/reminders');

const db = getDb();
const u = db.$client
  .prepare('SELECT id, email, display_name AS displayName, role, locale FROM users WHERE id = ?')
  .get(subjects.borrower.id) as { id: number; email: string; displayName: string; role: 'borrower'; locale: 'zh-CN' | 'en' };
const viewer = { ...u, sessionId: 'snapshot' };
const today = subjects.today;
const month = today.slice(0, 7);
const dueCount = countDueReminders(viewer, today);
const snapshot = {
  displayName: u.displayName,
  today,
  month,
  cases: listCasesForBorrower(viewer),
  totals: borrowerTotals(viewer),
  dueCount,
  due: dueCount > 0 ? listOpenReminders(viewer, { limit: 5 }).filter((r) => r.showOn <= today) : [],
  instalments: listInstalmentsForMonth(viewer, month),
};
const out = path.resolve('app/bench/snapshot.json');
writeFileSync(out, `${JSON.stringify(snapshot, null, 1)}\n`);
console.log(`wrote ${out}: ${snapshot.cases.length} cases, ${snapshot.due.length} due, ${snapshot.instalments.length} instalments`);
db.$client.close();
