import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DueCountSync } from '@/app/_components/reminder-badge';
import { borrowerTotals, listCasesForBorrower } from '@/db/cases';
import { listInstalmentsForMonth } from '@/db/plans';
import { countDueReminders, listOpenReminders } from '@/db/reminders';
import { requireViewer } from '@/db/viewer';
import { formatDate, todayInShanghai } from '@/lib/dates';
import { isMonth, monthOf } from '@/lib/month-calendar';
import { CaseGlance } from './_components/case-glance';
import { DueNow } from './_components/due-now';
import { HomeTotals } from './_components/home-totals';
import { MonthCalendar } from './_components/month-calendar';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('home'))('title') };
}

/** How many due reminders the home page lists before sending the borrower to the inbox. */
const DUE_SHOWN = 5;

/**
 * The borrower's home: where every case stands, what to do today, and one calendar of
 * instalments across all lenders (DESIGN.md §5).
 */
export default async function HomePage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer();
  const t = await getTranslations('home');
  const locale = await getLocale();

  // Only a borrower has cases and instalments of their own.
  if (viewer.role !== 'borrower') {
    return (
      <div className="grid gap-2 rounded-lg border border-stone-200 bg-white p-6" data-testid="home-not-borrower">
        <h1 className="text-xl font-semibold">{t('notBorrower.title')}</h1>
        <p className="max-w-prose text-sm text-stone-600">{t('notBorrower.body')}</p>
      </div>
    );
  }

  const today = todayInShanghai();
  const raw = (await searchParams).month;
  const asked = Array.isArray(raw) ? raw[0] : raw;
  const month = asked && isMonth(asked) ? asked : monthOf(today);

  const cases = listCasesForBorrower(viewer);
  const everRecorded = cases.length > 0 || listCasesForBorrower(viewer, { archived: true }).length > 0;
  const dueCount = countDueReminders(viewer, today);
  // Open reminders come soonest first, so the due ones (shown on or before today) lead.
  const due = dueCount > 0 ? listOpenReminders(viewer, { limit: DUE_SHOWN }).filter((r) => r.showOn <= today) : [];
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10))),
  );

  return (
    <div className="grid gap-6" data-testid="home-page" data-month={month}>
      <DueCountSync count={dueCount} />
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold break-words">{t('greeting', { name: viewer.displayName })}</h1>
        <p className="text-sm text-stone-600" data-testid="home-today">
          {t('today', { date: formatDate(today, locale), weekday })}
        </p>
      </div>

      {!everRecorded ? (
        <>
          <div className="grid justify-items-start gap-3 rounded-lg border border-dashed border-stone-300 bg-white p-6" data-testid="home-empty">
            <h2 className="text-lg font-medium">{t('empty.title')}</h2>
            <p className="max-w-prose text-sm text-stone-600">{t('empty.body')}</p>
            <Link
              href="/cases/new"
              className="inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800"
              data-testid="home-new-case"
            >
              {t('empty.cta')}
            </Link>
          </div>
          {dueCount > 0 && <DueNow reminders={due} total={dueCount} today={today} />}
        </>
      ) : (
        <>
          <HomeTotals totals={borrowerTotals(viewer)} />
          <DueNow reminders={due} total={dueCount} today={today} />
          <CaseGlance cases={cases} today={today} />
          <MonthCalendar month={month} today={today} instalments={listInstalmentsForMonth(viewer, month)} />
        </>
      )}
    </div>
  );
}
