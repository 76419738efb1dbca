import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DueCountSync } from '@/app/_components/reminder-badge';
import { CaseGlance } from '@/app/home/_components/case-glance';
import { DueNow } from '@/app/home/_components/due-now';
import { HomeTotals } from '@/app/home/_components/home-totals';
import { MonthCalendar } from '@/app/home/_components/month-calendar';
import type { borrowerTotals, CaseListRow } from '@/db/cases';
import type { MonthInstalment } from '@/db/plans';
import type { ReminderRow } from '@/db/reminders';
import { formatDate } from '@/lib/dates';
import snapshotJson from './snapshot.json';

/**
 * The benchmark's ceiling (issue 6, scripts/bench/run.mjs): the borrower home's markup, with the
 * same components, from a constant snapshot of its data (scripts/bench/snapshot.ts) instead of
 * the database. Dynamic, like every page here, so it measures what the framework costs per
 * request. It exists only when the server runs with RESPITE_BENCH=1; otherwise it is a 404.
 */

type Snapshot = {
  displayName: string;
  today: string;
  month: string;
  cases: CaseListRow[];
  totals: ReturnType<typeof borrowerTotals>;
  dueCount: number;
  due: ReminderRow[];
  instalments: MonthInstalment[];
};

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
/** JSON keeps instants as strings; the rows the verbs return hold Dates. */
function revive<T>(value: T): T {
  if (typeof value === 'string' && INSTANT.test(value)) return new Date(value) as T;
  if (Array.isArray(value)) return value.map(revive) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)])) as T;
  return value;
}
const snapshot = revive(snapshotJson as unknown as Snapshot);

function benchEnabled(): boolean {
  return process.env.RESPITE_BENCH === '1';
}

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('home'))('title') };
}

export default async function BenchCeilingPage() {
  await connection();
  if (!benchEnabled()) notFound();
  const t = await getTranslations('home');
  const locale = await getLocale();
  const { today, month, cases, totals, due, dueCount, instalments } = snapshot;
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10))),
  );

  // The same markup as app/home/page.tsx for a borrower with cases.
  return (
    <div className="grid gap-6" data-testid="home-page" data-month={month} data-bench="ceiling">
      <DueCountSync count={dueCount} />
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold break-words">{t('greeting', { name: snapshot.displayName })}</h1>
        <p className="text-sm text-stone-600" data-testid="home-today">
          {t('today', { date: formatDate(today, locale), weekday })}
        </p>
      </div>
      <HomeTotals totals={totals} />
      <DueNow reminders={due} total={dueCount} today={today} />
      <CaseGlance cases={cases} today={today} />
      <MonthCalendar month={month} today={today} instalments={instalments} />
    </div>
  );
}
