import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { CaseTotals } from '@/app/_components/case-totals';
import { EmailUnconfirmedNotice } from '@/app/_components/email-unconfirmed-notice';
import { DueCountSync } from '@/app/_components/reminder-badge';
import type { borrowerTotals, CaseListRow } from '@/db/cases';
import type { AdvisorNote } from '@/db/notes';
import type { MonthInstalment } from '@/db/plans';
import type { ReminderRow } from '@/db/reminders';
import { formatDate, formatWeekday } from '@/lib/dates';
import { AdvisorNotes } from './advisor-notes';
import { CaseGlance } from './case-glance';
import { DueNow } from './due-now';
import { MonthCalendar } from './month-calendar';

/** Everything a borrower's home shows, read by app/home/load.ts (or, for the benchmark's ceiling, from a snapshot). */
export type HomeModel = {
  displayName: string;
  today: string;
  month: string;
  dueCount: number;
  /** The due reminders listed (the first few). */
  due: ReminderRow[];
  /** Null until the borrower has recorded a case (archived ones count). */
  recorded: {
    cases: CaseListRow[];
    totals: ReturnType<typeof borrowerTotals>;
    instalments: MonthInstalment[];
    /** The advisors' latest notes on the borrower's cases (the last ADVISOR_NOTES_DAYS days, db/notes.ts). */
    advisorNotes: AdvisorNote[];
    /** Whether the same days hold more notes than those listed. */
    moreAdvisorNotes: boolean;
  } | null;
};

/** The borrower's home: the totals, what is due, what an advisor wrote lately, every case at a glance and the month's instalments. */
export async function HomeView({ model, bench, unconfirmedEmail }: { model: HomeModel; bench?: string; unconfirmedEmail?: string | null }) {
  const t = await getTranslations('home');
  const locale = await getLocale();
  const { displayName, today, month, dueCount, due } = model;
  const weekday = formatWeekday(today, locale);

  return (
    <div className="grid gap-6" data-testid="home-page" data-month={month} data-bench={bench}>
      <DueCountSync count={dueCount} />
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold wrap-anywhere">{t('greeting', { name: displayName })}</h1>
        <p className="text-sm text-stone-600" data-testid="home-today">
          {t('today', { date: formatDate(today, locale), weekday })}
        </p>
      </div>

      {unconfirmedEmail && <EmailUnconfirmedNotice email={unconfirmedEmail} testId="home-email-unconfirmed" />}

      {!model.recorded ? (
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
          <CaseTotals totals={model.recorded.totals} page="home" />
          <DueNow reminders={due} total={dueCount} today={today} />
          <AdvisorNotes notes={model.recorded.advisorNotes} more={model.recorded.moreAdvisorNotes} />
          <CaseGlance cases={model.recorded.cases} today={today} />
          <MonthCalendar month={month} today={today} instalments={model.recorded.instalments} />
        </>
      )}
    </div>
  );
}
