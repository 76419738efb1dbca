import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { inputClass } from '@/components/form/styles';
import { DateText, Money } from '@/components/ui/format';
import { AtRiskBadge } from '@/components/ui/at-risk-badge';
import { StatusBadge } from '@/components/ui/status-badge';
import { ADVISOR_SORTS, EXPORT_LIMIT, type AdvisorCaseRow, type AdvisorSort } from '@/db/advisor';
import { CASE_STATUSES, nextForMessage, planAtRisk } from '@/lib/case-status';
import { defaultDir, DEFAULT_SORT, FIRST_PAGE_SIZE, isFiltered, PAGE_SIZES, queryString, type DashboardParams } from '../params';

const labelClass = 'text-xs font-medium text-stone-600';
const pagerLink =
  'inline-flex min-h-10 items-center justify-center rounded-md border border-stone-300 bg-white px-3 text-sm font-medium text-stone-800 hover:bg-stone-100';

/**
 * Up to this many clients the client filter is a list to pick from; past it (an advisor with 500
 * clients: a 500-option list on every load, 60 kB) the search box finds a client by name, and a
 * client's name in the clients section or the table sets the filter, which shows here.
 */
export const CLIENT_SELECT_MAX = 50;

/** The table's column for each sort, in the order they are shown. */
const COLUMNS: AdvisorSort[] = ['client', 'lender', 'status', 'total', 'next', 'updated'];

type Props = {
  params: DashboardParams;
  table: { rows: AdvisorCaseRow[]; total: number; page: number; pageSize: number };
  today: string;
  clients: { id: number; name: string }[];
  lenders: { id: number; name: string }[];
};

/**
 * Every client's cases: a GET form of filters, headers that sort, a pager, the CSV export of
 * the same query. Phone: each row is a small card with labelled values; sm and up: a table.
 */
export async function CasesTable({ params, table, today, clients, lenders }: Props) {
  const t = await getTranslations('dashboard.table');
  const tc = await getTranslations('common');
  const d = await getTranslations('domain');
  const sort = params.sort ?? DEFAULT_SORT;
  const dir = params.dir ?? defaultDir(sort);
  const { rows, total, page, pageSize } = table;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filtered = isFiltered(params);
  const current = { ...params, page };
  const href = (changes: Parameters<typeof queryString>[1]) => `/dashboard${queryString(current, changes)}#cases`;
  const col = (c: AdvisorSort) => t(`columns.${c}`);
  const chosenClient = params.client ? clients.find((c) => c.id === params.client) : undefined;

  const header = (c: AdvisorSort, align = '') => {
    const active = sort === c;
    const nextDir = active ? (dir === 'asc' ? 'desc' : 'asc') : defaultDir(c);
    return (
      <th scope="col" className={`px-2 py-2 font-medium ${align}`} aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        <Link
          href={href({ sort: c, dir: nextDir, page: undefined })}
          className={`inline-flex min-h-10 items-center gap-1 hover:text-teal-700 ${active ? 'text-teal-800' : ''}`}
          aria-label={t('sortBy', { column: col(c) })}
          data-testid={`sort-${c}`}
        >
          {col(c)}
          <span aria-hidden="true" className="text-xs">
            {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </Link>
      </th>
    );
  };

  return (
    <section id="cases" className="grid min-w-0 scroll-mt-4 gap-3" aria-labelledby="cases-h" data-testid="cases-section">
      <h2 id="cases-h" className="text-lg font-semibold">
        {t('title')}
      </h2>

      {/* Keyed by the query: after a client-side navigation ("clear", a client's name) the
          uncontrolled fields must show the new URL's values, not keep what was typed. */}
      <form
        key={queryString(params)}
        method="get"
        action="/dashboard#cases"
        role="search"
        className="grid grid-cols-2 items-end gap-2 rounded-lg border border-stone-200 bg-white p-3 sm:grid-cols-4"
        data-testid="case-filters"
      >
        {/* What the form has no field for but should keep: the page size, the clients shown. */}
        {params.per && params.per !== FIRST_PAGE_SIZE && <input type="hidden" name="per" value={params.per} />}
        {params.clients && <input type="hidden" name="clients" value={params.clients} />}
        <div className="col-span-2 grid gap-1">
          <label htmlFor="dash-q" className={labelClass}>
            {t('search')}
          </label>
          <input
            id="dash-q"
            name="q"
            type="search"
            defaultValue={params.q ?? ''}
            placeholder={t('searchPlaceholder')}
            maxLength={60}
            className={inputClass}
            data-testid="filter-q"
          />
        </div>
        <div className="grid gap-1">
          <label htmlFor="dash-status" className={labelClass}>
            {t('status')}
          </label>
          <select id="dash-status" name="status" defaultValue={params.status ?? ''} className={inputClass} data-testid="filter-status">
            <option value="">{t('allStatuses')}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {d(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1">
          <label htmlFor="dash-lender" className={labelClass}>
            {t('lender')}
          </label>
          <select id="dash-lender" name="lender" defaultValue={params.lender ? String(params.lender) : ''} className={inputClass} data-testid="filter-lender">
            <option value="">{t('allLenders')}</option>
            {lenders.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1">
          {clients.length <= CLIENT_SELECT_MAX ? (
            <>
              <label htmlFor="dash-client" className={labelClass}>
                {t('client')}
              </label>
              <select id="dash-client" name="client" defaultValue={params.client ? String(params.client) : ''} className={inputClass} data-testid="filter-client">
                <option value="">{t('allClients')}</option>
                {clients.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <>
              <span className={labelClass}>{t('client')}</span>
              {chosenClient ? (
                <span className="flex min-h-10 flex-wrap items-center gap-x-2 text-sm" data-testid="filter-client-chosen">
                  <input type="hidden" name="client" value={chosenClient.id} />
                  <span className="font-medium wrap-anywhere text-stone-900">{chosenClient.name}</span>
                  <Link
                    href={`/dashboard${queryString(params, { client: undefined, page: undefined })}#cases`}
                    className="inline-flex min-h-10 items-center text-teal-700 underline"
                    data-testid="filter-client-remove"
                  >
                    {t('allClients')}
                  </Link>
                </span>
              ) : (
                <span className="flex min-h-10 items-center text-xs text-stone-500" data-testid="filter-client-hint">
                  {t('clientHint')}
                </span>
              )}
            </>
          )}
        </div>
        {/* Sorting where the table is cards, without headers (below md: a phone, a zoomed page); from md up the headers sort. */}
        <div className="grid gap-1 md:hidden">
          <label htmlFor="dash-sort" className={labelClass}>
            {t('sort')}
          </label>
          <select id="dash-sort" name="sort" defaultValue={sort} className={inputClass} data-testid="filter-sort">
            {ADVISOR_SORTS.map((s) => (
              <option key={s} value={s}>
                {col(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1 md:hidden">
          <label htmlFor="dash-dir" className={labelClass}>
            {t('order')}
          </label>
          <select id="dash-dir" name="dir" defaultValue={dir} className={inputClass} data-testid="filter-dir">
            <option value="asc">{t('asc')}</option>
            <option value="desc">{t('desc')}</option>
          </select>
        </div>
        <label className="col-span-2 flex min-h-10 items-center gap-2 text-sm text-stone-800 sm:col-span-2">
          <input
            type="checkbox"
            name="attention"
            value="1"
            defaultChecked={params.attention === '1'}
            className="size-5 accent-teal-700"
            data-testid="filter-attention"
          />
          {t('attentionOnly')}
        </label>
        <div className="col-span-2 flex gap-2">
          <button
            type="submit"
            className="inline-flex min-h-10 flex-1 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800 sm:flex-none"
            data-testid="filter-submit"
          >
            {t('apply')}
          </button>
          {filtered && (
            <Link
              href="/dashboard#cases"
              className="inline-flex min-h-10 items-center justify-center rounded-md px-3 py-2 text-sm text-stone-700 hover:bg-stone-100"
              data-testid="filter-clear"
            >
              {t('clear')}
            </Link>
          )}
        </div>
      </form>

      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-stone-600" aria-live="polite" data-testid="cases-count" data-total={total}>
          {total <= pageSize
            ? t('count', { count: total })
            : rows.length === 1
              ? t('rangeOne', { from: (page - 1) * pageSize + 1, count: total })
              : t('range', { from: (page - 1) * pageSize + 1, to: (page - 1) * pageSize + rows.length, count: total })}
        </p>
        {total > 0 && (
          // A plain link, not next/link: the answer is a file to download, not a page.
          <a
            href={`/dashboard/export${queryString(params, { page: undefined, per: undefined, clients: undefined })}`}
            className="inline-flex min-h-10 items-center justify-center rounded-md border border-teal-700 px-4 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50"
            data-testid="export-csv"
          >
            {t('export')}
          </a>
        )}
      </div>
      {total > 0 && (
        <p className="-mt-1 text-xs text-stone-500">
          {t('exportHint')} {total > EXPORT_LIMIT && t('exportTooMany', { limit: EXPORT_LIMIT })}
        </p>
      )}

      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-sm text-stone-600" data-testid="cases-none">
          {filtered ? t('none') : t('noneAtAll')}
        </div>
      ) : (
        <table className="w-full text-left text-sm" data-testid="cases-table">
          <caption className="sr-only">{t('title')}</caption>
          <thead className="hidden border-b border-stone-300 text-xs text-stone-600 md:table-header-group">
            <tr>
              {header(COLUMNS[0])}
              {header(COLUMNS[1])}
              <th scope="col" className="px-2 py-2 font-medium">
                {t('columns.product')}
              </th>
              {header(COLUMNS[2])}
              {header(COLUMNS[3], 'text-right')}
              {header(COLUMNS[4])}
              {header(COLUMNS[5])}
            </tr>
          </thead>
          <tbody className="grid gap-2 md:table-row-group">
            {rows.map((r) => {
              const past = !!r.nextDate && r.nextDate < today;
              return (
                <tr
                  key={r.id}
                  className="grid grid-cols-2 gap-x-3 gap-y-1 rounded-lg border border-stone-200 bg-white p-3 md:table-row md:rounded-none md:border-0 md:border-b md:bg-transparent md:p-0 md:hover:bg-white"
                  data-testid="case-row"
                  data-case-id={r.id}
                  data-attention={r.needsAttention ? '1' : '0'}
                >
                  <td className="col-span-2 min-w-0 md:px-2 md:py-2">
                    <Link href={`/dashboard?client=${r.clientId}#cases`} className="inline-flex min-h-10 items-center font-medium wrap-anywhere text-stone-900 hover:text-teal-700 md:min-h-0" data-testid="cell-client">
                      {r.clientName}
                    </Link>
                    {r.needsAttention && (
                      <span className="ml-2 inline-flex rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800 ring-1 ring-red-300 ring-inset" data-testid="row-attention">
                        {t('needsAttention')}
                      </span>
                    )}
                  </td>
                  <td className="col-span-2 min-w-0 md:px-2 md:py-2">
                    <Link
                      href={`/cases/${r.id}`}
                      className="inline-flex min-h-10 items-center wrap-anywhere text-teal-800 underline decoration-teal-300 underline-offset-2 hover:decoration-teal-700 md:min-h-0"
                      data-testid="cell-lender"
                    >
                      {r.lenderName}
                    </Link>
                  </td>
                  <td className="min-w-0 md:px-2 md:py-2">
                    <span className="block text-xs text-stone-500 md:hidden">{t('columns.product')}</span>
                    <span className="wrap-anywhere text-stone-700" data-testid="cell-product">
                      {r.product}
                    </span>
                    {/* Two cases with one lender (two cards) are told apart by the account's last digits. */}
                    {r.accountRef && (
                      <span className="block text-xs whitespace-nowrap text-stone-500" data-testid="cell-account" data-ref={r.accountRef}>
                        {t('accountRef', { ref: r.accountRef })}
                      </span>
                    )}
                  </td>
                  <td className="md:px-2 md:py-2">
                    <span className="block text-xs text-stone-500 md:hidden">{t('columns.status')}</span>
                    <span data-testid="cell-status">
                      <StatusBadge status={r.status} />
                    </span>
                    {r.firstOwedOn && planAtRisk(r.status, r.firstOwedOn, today) && (
                      <span className="mt-1 block">
                        <AtRiskBadge since={r.firstOwedOn} />
                      </span>
                    )}
                  </td>
                  <td className="md:px-2 md:py-2 md:text-right">
                    <span className="block text-xs text-stone-500 md:hidden">{t('columns.total')}</span>
                    <span className="font-medium whitespace-nowrap text-stone-900" data-testid="cell-total" data-fen={r.totalFen ?? ''}>
                      <Money fen={r.totalFen} blank={tc('notGiven')} />
                    </span>
                  </td>
                  <td className="md:px-2 md:py-2">
                    <span className="block text-xs text-stone-500 md:hidden">{t('columns.next')}</span>
                    <span className={`whitespace-nowrap ${past ? 'font-medium text-red-700' : 'text-stone-900'}`} data-testid="cell-next" data-date={r.nextDate ?? ''}>
                      {r.nextDate ? <DateText date={r.nextDate} /> : '—'}
                      {/* Said in words too, not by the red alone. */}
                      {past && <span className="text-xs"> {t('past')}</span>}
                    </span>
                    {/* What the date is for, as the client's own lists say it. */}
                    {r.nextFor && (
                      <span className="block text-sm text-stone-600" data-testid="cell-next-for" data-for={r.nextFor}>
                        {d(nextForMessage(r.nextFor, 'advisor'))}
                      </span>
                    )}
                  </td>
                  <td className="col-span-2 md:col-span-1 md:px-2 md:py-2">
                    <span className="text-xs text-stone-500 md:hidden">{t('updatedPrefix')}</span>
                    <span className="whitespace-nowrap text-stone-600" data-testid="cell-updated" data-date={r.lastActivityOn}>
                      <DateText date={r.lastActivityOn} />
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      {pages > 1 && (
        <nav aria-label={t('pager')} className="flex items-center justify-between gap-2" data-testid="pager">
          {page > 1 ? (
            <Link href={href({ page: page - 1 })} className={pagerLink} rel="prev" data-testid="pager-prev">
              {t('prev')}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-stone-600 tabular-nums" data-testid="pager-page">
            {t('page', { page, pages })}
          </span>
          {page < pages ? (
            <Link href={href({ page: page + 1 })} className={pagerLink} rel="next" data-testid="pager-next">
              {t('next')}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
      {total > FIRST_PAGE_SIZE && (
        <nav aria-label={t('perPageLabel')} className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-600" data-testid="page-sizes">
          <span>{t('perPage')}</span>
          {PAGE_SIZES.map((n) =>
            n === pageSize ? (
              <span key={n} aria-current="true" className="inline-flex min-h-10 items-center font-semibold text-stone-900 tabular-nums" data-testid="page-size-current">
                {n}
              </span>
            ) : (
              <Link key={n} href={href({ per: n, page: undefined })} className="inline-flex min-h-10 items-center text-teal-700 underline tabular-nums" data-testid={`page-size-${n}`}>
                {n}
              </Link>
            ),
          )}
        </nav>
      )}
    </section>
  );
}
