import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { listClientsForAdvisor } from '@/db/shares';
import { formatDate, todayInShanghai } from '@/lib/dates';
import { queryString, type DashboardParams } from '../params';

type Client = ReturnType<typeof listClientsForAdvisor>[number];

/**
 * Shown at once; the rest only when asked for (`?clients=all`, a link: no script needed), so
 * that hundreds of clients neither push the table down nor weigh on every load of the page
 * (500 clients were 400 kB of its HTML and RSC payload).
 */
export const FIRST_CLIENTS = 12;

/** The advisor's clients: each name sets the table's client filter. */
export async function ClientsList({ clients, params }: { clients: Client[]; params: DashboardParams }) {
  const t = await getTranslations('dashboard.clients');
  const locale = await getLocale();
  const active = params.client;
  const all = params.clients === 'all';
  const shown = all ? clients : clients.slice(0, FIRST_CLIENTS);
  const item = (c: Client) => (
    <li key={c.borrowerId}>
      <Link
        href={`/dashboard?client=${c.borrowerId}#cases`}
        aria-current={active === c.borrowerId ? 'true' : undefined}
        className={`grid min-h-10 content-center rounded-md border px-3 py-1.5 hover:border-teal-600 ${active === c.borrowerId ? 'border-teal-700 bg-teal-50' : 'border-stone-200'}`}
        data-testid="client-link"
        data-client-id={c.borrowerId}
      >
        <span className="font-medium wrap-anywhere text-stone-900">{c.name}</span>
        {c.since && <span className="text-xs text-stone-500">{t('since', { date: formatDate(todayInShanghai(c.since), locale) })}</span>}
      </Link>
    </li>
  );
  const toggle = 'inline-flex min-h-10 items-center text-sm font-medium text-teal-700 underline';
  return (
    <section id="clients" className="grid scroll-mt-4 gap-3 rounded-lg border border-stone-200 bg-white p-4" aria-labelledby="clients-h" data-testid="clients">
      <div className="grid gap-1">
        <h2 id="clients-h" className="text-lg font-semibold">
          {t('title')} <span className="text-base font-normal text-stone-500 tabular-nums">({clients.length})</span>
        </h2>
        <p className="text-sm text-stone-600">{t('filterHint')}</p>
      </div>
      <ul className="grid grid-cols-2 gap-2 md:grid-cols-3 lg:grid-cols-4" data-testid="client-list">
        {shown.map(item)}
      </ul>
      {clients.length > FIRST_CLIENTS && (
        <p>
          {all ? (
            <Link href={`/dashboard${queryString(params, { clients: undefined })}#clients`} className={toggle} data-testid="clients-fewer">
              {t('showFewer', { count: FIRST_CLIENTS })}
            </Link>
          ) : (
            <Link href={`/dashboard${queryString(params, { clients: 'all' })}#clients`} className={toggle} data-testid="clients-all">
              {t('showAll', { count: clients.length })}
            </Link>
          )}
        </p>
      )}
    </section>
  );
}
