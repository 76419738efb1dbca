import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { AttentionItem, AttentionKind } from '@/db/advisor';
import { formatDate } from '@/lib/dates';
import { queryString, type DashboardParams } from '../params';

/** Lines a page: the first screen shows the first of them; a pager has the rest, in the same order. */
const SHOWN = 10;

const KIND_COLOURS: Record<AttentionKind | 'materials_deadline_passed' | 'escalation_quiet', string> = {
  missed_instalment: 'bg-red-50 text-red-800 ring-red-300',
  materials_deadline: 'bg-amber-50 text-amber-900 ring-amber-400',
  materials_deadline_passed: 'bg-red-50 text-red-800 ring-red-300',
  overdue_reminders: 'bg-orange-50 text-orange-900 ring-orange-300',
  review_overdue: 'bg-sky-50 text-sky-800 ring-sky-300',
  escalation_quiet: 'bg-sky-50 text-sky-800 ring-sky-300',
  stale_case: 'bg-stone-100 text-stone-700 ring-stone-300',
};

/**
 * 需要优先处理: one line per case and problem, what can still be saved first (lib/attention.ts says
 * why in that order), ten a page with a pager of its own; the table's "needs attention" filter
 * shows the same cases, one row each.
 */
export async function AttentionList({ items, today, params }: { items: AttentionItem[]; today: string; params: DashboardParams }) {
  const t = await getTranslations('dashboard.attention');
  const locale = await getLocale();
  const pages = Math.max(1, Math.ceil(items.length / SHOWN));
  const page = Math.min(params.ap ?? 1, pages);
  const from = (page - 1) * SHOWN;
  const shown = items.slice(from, from + SHOWN);
  const cases = new Set(items.map((i) => i.caseId)).size;
  const pageHref = (ap: number) => `/dashboard${queryString(params, { ap })}#attention`;
  return (
    <section id="attention" className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4" aria-labelledby="attention-h" data-testid="attention">
      <h2 id="attention-h" className="text-lg font-semibold">
        {t('title')}
      </h2>
      {items.length === 0 ? (
        <p className="text-sm text-stone-600" data-testid="attention-none">
          {t('none')}
        </p>
      ) : (
        <>
          <ol start={from + 1} className="grid gap-2" data-testid="attention-list">
            {shown.map((item) => {
              // A materials deadline already gone by is not "due soon": it says so, in red. A mediation or
              // complaint gone quiet is not the lender's review running late.
              const label =
                item.kind === 'materials_deadline' && item.date < today ? 'materials_deadline_passed' : item.escalated ? 'escalation_quiet' : item.kind;
              const past = item.date < today;
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
                      <span className="font-medium wrap-anywhere text-stone-900">{item.clientName}</span>
                      <span className="text-stone-500"> · </span>
                      <span className="wrap-anywhere text-stone-700" data-testid="attention-lender">
                        {item.accountRef ? t('lenderWithRef', { lender: item.lenderName, ref: item.accountRef }) : item.lenderName}
                      </span>
                      <span className={`block text-sm ${past ? 'text-red-700' : item.kind === 'materials_deadline' ? 'font-medium text-amber-800' : 'text-stone-600'}`}>
                        {t(`detail.${label}`, { count: item.count, date: formatDate(item.date, locale) })}
                        {item.next && <span data-testid="attention-next-deadline">{t('detail.materialsNext', { date: formatDate(item.next, locale) })}</span>}
                      </span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ol>
          {pages > 1 && (
            <nav aria-label={t('pager')} className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-stone-600" data-testid="attention-pager">
              <span data-testid="attention-range" data-total={items.length}>{t('range', { from: from + 1, to: from + shown.length, total: items.length })}</span>
              {page > 1 && (
                <Link href={pageHref(page - 1)} className="font-medium text-teal-700 underline" data-testid="attention-prev">
                  {t('prev')}
                </Link>
              )}
              {page < pages && (
                <Link href={pageHref(page + 1)} className="font-medium text-teal-700 underline" data-testid="attention-next">
                  {t('next')}
                </Link>
              )}
            </nav>
          )}
          {pages > 1 && (
            <p className="text-sm">
              <Link href="/dashboard?attention=1#cases" className="font-medium text-teal-700 underline" data-testid="attention-see-all" data-cases={cases}>
                {t('seeAll', { cases })}
              </Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
