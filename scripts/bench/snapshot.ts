/**
 * The ceilings' constants (app/bench/snapshots.ts): what each measured page shows the run's
 * subjects, read once through the page's own loader — the borrower's home, their repaying case,
 * their reminder inbox, and the 500-client advisor's dashboard (its first screen). The bench
 * writes them for each size before it starts the server with RESPITE_BENCH_SNAPSHOTS=<out>.
 *
 *   tsx scripts/bench/snapshot.ts --db <db> --subjects <json> --out <dir>
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1]!;
}
process.env.DATABASE_PATH = arg('db');
const subjects = JSON.parse(readFileSync(arg('subjects'), 'utf8')) as {
  today: string;
  borrower: { id: number };
  caseId: number;
  advisor: { id: number };
};

const { getDb } = await import('../../db/client');
const { loadHome } = await import('../../app/home/load');
const { loadCase } = await import('../../app/cases/[id]/load');
const { loadReminders } = await import('../../app/reminders/load');
const { loadDashboard } = await import('../../app/dashboard/load');
const { parseDashboardParams } = await import('../../app/dashboard/params');
const { monthOf } = await import('../../lib/month-calendar');

const db = getDb();
const viewerOf = (id: number) => ({
  ...(db.$client.prepare('SELECT id, email, display_name AS displayName, role, locale FROM users WHERE id = ?').get(id) as {
    id: number;
    email: string;
    displayName: string;
    role: 'borrower' | 'advisor';
    locale: 'zh-CN' | 'en';
  }),
  sessionId: 'snapshot',
});
const borrower = viewerOf(subjects.borrower.id);
const advisor = viewerOf(subjects.advisor.id);
const today = subjects.today;
const outDir = path.resolve(arg('out'));
mkdirSync(outDir, { recursive: true });

const snapshots = {
  home: loadHome(borrower, monthOf(today), today),
  case: loadCase(borrower, subjects.caseId, today),
  reminders: loadReminders(borrower, today),
  dashboard: loadDashboard(advisor, parseDashboardParams({}), today),
};
if (!snapshots.dashboard) throw new Error(`advisor ${advisor.email} has no client`);
for (const [name, model] of Object.entries(snapshots)) {
  const json = JSON.stringify(model);
  writeFileSync(path.join(outDir, `${name}.json`), json);
  console.log(`snapshot ${name}: ${(json.length / 1024).toFixed(1)} kB`);
}
db.$client.close();
