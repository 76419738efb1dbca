import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { AttentionItem, AttentionKind } from '@/db/advisor';
import { formatDate } from '@/lib/dates';

/** How many lines the dashboard shows; the table's "needs attention" filter has the rest. */
const SHOWN = 10;

const KIND_COLOURS: Record<AttentionKind | 'materials_deadline_passed', string> = {
  missed_instalment: 'bg-red-50 text-red-800 ring-red-300',
  materials_deadline: 'bg-amber-50 text-amber-900 ring-amber-400',
  materials_deadline_passed: 'bg-red-50 text-red-800 ring-red-300',
  overdue_reminders: 'bg-orange-50 text-orange-900 ring-orange-300',
  review_overdue: 'bg-sky-50 text-sky-800 ring-sky-300',
  stale_case: 'bg-stone-100 text-stone-700 ring-stone-300',
};

/** 需要优先处理: one line per case and problem, the most urgent first (db/advisor.ts says why in that order). */
export async function AttentionList({ items, today }: { items: AttentionItem[]; today: string }) {
  const t = await getTranslations('dashboard.attention');
  const locale = await getLocale();
  const shown = items.slice(0, SHOWN);
  return (
    <section className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4" aria-labelledby="attention-h" data-testid="attention">
      <h2 id="attention-h" className="text-lg font-semibold">
        {t('title')}
      </h2>
      {items.length === 0 ? (
        <p className="text-sm text-stone-600" data-testid="attention-none">
          {t('none')}
        </p>
      ) : (
        <>
          <ol className="grid gap-2" data-testid="attention-list">
            {shown.map((item) => {
              // A materials deadline already gone by is not "due soon": it says so, in red.
              const label = item.kind === 'materials_deadline' && item.date < today ? 'materials_deadline_passed' : item.kind;
              return (
                <li key={`${item.kind}:${item.caseId}`} data-testid="attention-item" data-kind={item.kind} data-label={label} data-case-id={item.caseId}>
                  <Link
                    href={`/cases/${item.caseId}`}
                    className="grid min-h-10 gap-1 rounded-md border border-stone-200 px-3 py-2 hover:border-teal-600 focus-visible:outline-2 focus-visible:outline-teal-600 sm:grid-cols-[11rem_1fr] sm:items-center sm:gap-3"
                  >
                    <span>
                      <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${KIND_COLOURS[label]}`} data-testid="attention-kind">
                        {t(`kind.${label}`)}
                      </span>
                    </span>
                    <span className="min-w-0">
                      <span className="font-medium break-words text-stone-900">{item.clientName}</span>
                      <span className="text-stone-500"> · </span>
                      <span className="break-words text-stone-700" data-testid="attention-lender">
                        {item.accountRef ? t('lenderWithRef', { lender: item.lenderName, ref: item.accountRef }) : item.lenderName}
                      </span>
                      <span className={`block text-sm ${item.date < today ? 'text-red-700' : 'text-stone-600'}`}>
                        {t(`detail.${label}`, { count: item.count, date: formatDate(item.date, locale) })}
                      </span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ol>
          {items.length > SHOWN && (
            <p className="text-sm text-stone-600">
              {t('more', { count: items.length - SHOWN })}{' '}
              <Link href="/dashboard?attention=1#cases" className="font-medium text-teal-700 underline" data-testid="attention-see-all">
                {t('seeAll')}
              </Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
