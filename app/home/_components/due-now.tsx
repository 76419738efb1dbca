import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DateText } from '@/components/ui/format';
import type { ReminderRow } from '@/db/reminders';
import { caseLabel } from '@/lib/case-label';
import { reminderTitle } from '@/lib/reminder-text';

const link = 'inline-flex min-h-10 items-center text-sm font-medium text-teal-800 underline underline-offset-2 hover:text-teal-900';

/**
 * 今天要做的事: the open reminders due today or earlier, overdue first (they come sorted by the
 * date they show again), and the way to the inbox, where they are done, snoozed or dismissed.
 */
export async function DueNow({ reminders, total, today }: { reminders: ReminderRow[]; total: number; today: string }) {
  const t = await getTranslations('home.due');
  const tr = await getTranslations('reminders');
  const locale = await getLocale();
  const more = total - reminders.length;
  return (
    <section aria-labelledby="home-due-h" className="grid gap-3" data-testid="home-due" data-count={total}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h2 id="home-due-h" className="flex items-baseline gap-2 text-lg font-semibold">
          {t('title')}
          {total > 0 && <span className="text-sm font-normal text-stone-500 tabular-nums">{t('count', { count: total })}</span>}
        </h2>
        <Link href="/reminders" className={link} data-testid="home-due-all">
          {t('all')}
        </Link>
      </div>
      {reminders.length === 0 ? (
        <div className="rounded-lg border border-stone-200 bg-white p-4" data-testid="home-due-none">
          <p className="font-medium">{t('none')}</p>
          <p className="text-sm text-stone-600">{t('noneHint')}</p>
        </div>
      ) : (
        <ul className="grid gap-2">
          {reminders.map((r) => {
            const overdue = r.showOn < today;
            return (
              <li
                key={r.id}
                className={`grid gap-1 rounded-md border p-3 ${r.urgent || overdue ? 'border-red-200 bg-red-50/40' : 'border-stone-200 bg-white'}`}
                data-testid="home-due-item"
                data-id={r.id}
                data-kind={r.kind}
                data-group={overdue ? 'overdue' : 'today'}
              >
                <p className="text-base font-medium wrap-anywhere text-stone-900">
                  <span
                    className={`mr-2 inline-block rounded px-1.5 py-0.5 align-middle text-xs font-semibold ${overdue ? 'bg-red-700 text-white' : 'bg-teal-700 text-white'}`}
                  >
                    {overdue ? t('overdue') : t('today')}
                  </span>
                  {r.urgent && (
                    <span className="mr-2 inline-block rounded border border-red-700 px-1.5 py-0.5 align-middle text-xs font-semibold text-red-800">
                      {t('urgent')}
                    </span>
                  )}
                  <span data-testid="home-due-title">{reminderTitle(tr, r, locale, today)}</span>
                </p>
                <p className="flex flex-wrap items-center gap-x-3 text-sm text-stone-600">
                  <span className={overdue ? 'font-medium text-red-800' : ''}>
                    <DateText date={r.dueOn} />
                    {r.dueTime && <span className="ml-1 tabular-nums">{r.dueTime}</span>}
                  </span>
                  {r.caseId && (
                    <Link href={`/cases/${r.caseId}`} className="inline-flex min-h-10 items-center text-teal-800 underline underline-offset-2 hover:text-teal-900" data-testid="home-due-case">
                      {caseLabel(t, { lenderName: r.lenderName ?? tr('someLender'), caseAccountRef: r.caseAccountRef, caseProduct: r.caseProduct })}
                    </Link>
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      {more > 0 && (
        <Link href="/reminders" className={link} data-testid="home-due-more">
          {t('more', { count: more })}
        </Link>
      )}
    </section>
  );
}
