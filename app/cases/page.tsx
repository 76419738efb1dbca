import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { CaseTotals } from '@/app/_components/case-totals';
import { inputClass } from '@/components/form/styles';
import { DateText, Money } from '@/components/ui/format';
import { AtRiskBadge } from '@/components/ui/at-risk-badge';
import { StatusBadge } from '@/components/ui/status-badge';
import { borrowerTotals, listCasesForBorrower, type CaseFilters } from '@/db/cases';
import { requireViewer } from '@/db/viewer';
import { byUrgency, CASE_STATUSES, planAtRisk, type CaseStatus } from '@/lib/case-status';
import { todayInShanghai } from '@/lib/dates';
import { caseFiltersSchema } from '@/lib/validation';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('cases'))('title') };
}

const DONE_NOTICES = ['archived', 'deleted'] as const;

const buttonPrimary =
  'inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800';

export default async function CasesPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer();
  const t = await getTranslations('cases');
  const d = await getTranslations('domain');
  const c = await getTranslations('common');

  // Only borrowers have cases of their own; an advisor sees clients' cases once they share them.
  if (viewer.role !== 'borrower') {
    return (
      <div className="grid gap-2 rounded-lg border border-stone-200 bg-white p-6" data-testid="not-a-borrower">
        <h1 className="text-xl font-semibold">{t('notBorrower.title')}</h1>
        <p className="max-w-prose text-sm text-stone-600">{t('notBorrower.body')}</p>
      </div>
    );
  }

  const sp = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = caseFiltersSchema.safeParse({
    status: first(sp.status),
    lender: first(sp.lender),
    q: first(sp.q),
    archived: first(sp.archived),
  });
  const raw = parsed.success ? parsed.data : {};
  const status = CASE_STATUSES.find((s) => s === raw.status) as CaseStatus | undefined;
  const archived = raw.archived === '1';
  const filters: CaseFilters = { status, lenderId: raw.lender, q: raw.q || undefined, archived };
  const filtering = !!(filters.status || filters.lenderId || filters.q);

  // Listed as on the home page: open cases by their next date, closed ones last.
  const rows = listCasesForBorrower(viewer, filters).sort(byUrgency);
  // The lender filter offers the lenders the borrower actually has cases with.
  const unfiltered = filtering ? listCasesForBorrower(viewer, { archived }) : rows;
  const lenderOptions = [...new Map(unfiltered.map((r) => [r.lenderId, r.lenderName])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1], 'zh-CN'),
  );
  const totals = borrowerTotals(viewer);
  const today = todayInShanghai();
  const done = DONE_NOTICES.find((n) => n === first(sp.done));
  // Nothing recorded yet (not even in the archive): invite the first case instead of showing filters.
  const firstTime =
    !archived && !filtering && rows.length === 0 && listCasesForBorrower(viewer, { archived: true }).length === 0;
  const base = archived ? '/cases?archived=1' : '/cases';

  return (
    <div className="grid gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <Link href="/cases/new" className={buttonPrimary} data-testid="new-case-link">
          {t('newCase')}
        </Link>
      </div>

      {done && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="cases-notice">
          {t(`done.${done}`)}
          {done === 'archived' && (
            <>
              {' '}
              <Link href="/cases?archived=1" className="font-medium underline">
                {t('done.seeArchive')}
              </Link>
            </>
          )}
        </p>
      )}

      {!firstTime && <CaseTotals totals={totals} page="cases" />}

      {firstTime ? (
        <div className="grid justify-items-start gap-3 rounded-lg border border-dashed border-stone-300 bg-white p-6" data-testid="cases-empty">
          <h2 className="text-lg font-medium">{t('empty.title')}</h2>
          <p className="max-w-prose text-sm text-stone-600">{t('empty.body')}</p>
          <Link href="/cases/new" className={buttonPrimary} data-testid="new-case-empty-link">
            {t('empty.cta')}
          </Link>
          <p className="text-sm text-stone-600">{c('selfHelpNotice')}</p>
        </div>
      ) : (
        <>
          <nav aria-label={t('tabs.label')} className="flex gap-1 border-b border-stone-200" data-testid="archive-toggle">
            <Link
              href="/cases"
              aria-current={archived ? undefined : 'page'}
              className={`-mb-px inline-flex min-h-10 items-center border-b-2 px-3 text-sm font-medium ${archived ? 'border-transparent text-stone-600 hover:text-stone-900' : 'border-teal-700 text-teal-800'}`}
            >
              {t('tabs.current')}
            </Link>
            <Link
              href="/cases?archived=1"
              aria-current={archived ? 'page' : undefined}
              className={`-mb-px inline-flex min-h-10 items-center border-b-2 px-3 text-sm font-medium ${archived ? 'border-teal-700 text-teal-800' : 'border-transparent text-stone-600 hover:text-stone-900'}`}
              data-testid="archive-tab"
            >
              {t('tabs.archived')}
            </Link>
          </nav>

          {unfiltered.length > 0 && (
            <form
              method="get"
              action="/cases"
              role="search"
              className="grid grid-cols-2 items-end gap-2 sm:grid-cols-[2fr_1fr_1fr_auto]"
              data-testid="case-filters"
            >
              {archived && <input type="hidden" name="archived" value="1" />}
              <div className="col-span-2 grid gap-1 sm:col-span-1">
                <label htmlFor="cases-q" className="text-xs font-medium text-stone-600">
                  {c('search')}
                </label>
                <input
                  id="cases-q"
                  name="q"
                  type="search"
                  defaultValue={filters.q ?? ''}
                  placeholder={t('filters.searchPlaceholder')}
                  maxLength={60}
                  className={inputClass}
                />
              </div>
              <div className="grid gap-1">
                <label htmlFor="cases-status" className="text-xs font-medium text-stone-600">
                  {t('filters.status')}
                </label>
                <select id="cases-status" name="status" defaultValue={filters.status ?? ''} className={inputClass}>
                  <option value="">{t('filters.allStatuses')}</option>
                  {CASE_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {d(`status.${s}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="grid gap-1">
                <label htmlFor="cases-lender" className="text-xs font-medium text-stone-600">
                  {t('filters.lender')}
                </label>
                <select id="cases-lender" name="lender" defaultValue={filters.lenderId ? String(filters.lenderId) : ''} className={inputClass}>
                  <option value="">{t('filters.allLenders')}</option>
                  {lenderOptions.map(([id, name]) => (
                    <option key={id} value={id}>
                      {name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="col-span-2 flex gap-2 sm:col-span-1">
                <button
                  type="submit"
                  className="inline-flex min-h-10 flex-1 items-center justify-center rounded-md border border-teal-700 px-4 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50 sm:flex-none"
                >
                  {c('filter')}
                </button>
                {filtering && (
                  <Link
                    href={base}
                    className="inline-flex min-h-10 items-center justify-center rounded-md px-3 py-2 text-sm text-stone-700 hover:bg-stone-100"
                    data-testid="clear-filters"
                  >
                    {c('clear')}
                  </Link>
                )}
              </div>
            </form>
          )}

          {rows.length === 0 ? (
            <div className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-sm text-stone-600" data-testid="cases-none">
              {filtering ? t('none.filtered') : archived ? t('none.archived') : t('none.current')}
            </div>
          ) : (
            <>
              <p className="text-sm text-stone-600" aria-live="polite" data-testid="cases-count">
                {t('count', { count: rows.length })}
              </p>
              <ul className="grid gap-3 sm:grid-cols-2" data-testid="case-list">
                {rows.map((r) => {
                  const past = !!r.nextDate && r.nextDate < today;
                  const settled = r.status === 'closed' && r.outcome === 'settled';
                  return (
                    <li key={r.id} data-testid="case-row" data-case-id={r.id}>
                      <Link
                        href={`/cases/${r.id}`}
                        className="grid h-full gap-3 rounded-lg border border-stone-200 bg-white p-4 hover:border-teal-600 focus-visible:outline-2 focus-visible:outline-teal-600"
                      >
                        <div className="flex items-start justify-between gap-2">
                          <div className="min-w-0">
                            <p className="font-medium wrap-anywhere text-stone-900">{r.lenderName}</p>
                            {(r.product || r.accountRef) && (
                              <p className="text-sm wrap-anywhere text-stone-600">
                                {[r.product, r.accountRef && t('row.accountRef', { ref: r.accountRef })].filter(Boolean).join(' · ')}
                              </p>
                            )}
                          </div>
                          <span className="shrink-0">
                            <StatusBadge status={r.status} />
                          </span>
                        </div>
                        {r.firstOwedOn && planAtRisk(r.status, r.firstOwedOn, today) && (
                          <p>
                            <AtRiskBadge since={r.firstOwedOn} />
                          </p>
                        )}
                        <dl className="grid grid-cols-2 gap-2 text-sm">
                          <div>
                            {/* Paid off: the debt recorded is no longer owed. */}
                            <dt className="text-xs text-stone-500">{settled ? t('row.outcome') : t('row.totalOverdue')}</dt>
                            {settled ? (
                              <dd className="font-semibold text-emerald-800" data-testid="case-settled">
                                {d('outcome.settled')}
                              </dd>
                            ) : (
                              <dd className="font-semibold text-stone-900">
                                <Money fen={r.totalFen} blank={c('notGiven')} />
                              </dd>
                            )}
                          </div>
                          <div>
                            <dt className="text-xs text-stone-500">{t('row.nextDate')}</dt>
                            <dd className={past ? 'font-medium text-red-700' : 'text-stone-900'} data-testid="case-next-date">
                              {r.nextDate ? (
                                <>
                                  <DateText date={r.nextDate} />
                                  {past && <>{' '}<span className="text-xs whitespace-nowrap">{t('row.past')}</span></>}
                                </>
                              ) : (
                                <span className="text-stone-500">{t('row.noNextDate')}</span>
                              )}
                            </dd>
                            {r.nextFor && (
                              <dd className="text-stone-600" data-testid="case-next-for" data-for={r.nextFor}>
                                {d(`nextFor.${r.nextFor}`)}
                              </dd>
                            )}
                          </div>
                        </dl>
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
