import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { listClientsForAdvisor } from '@/db/shares';
import { formatDate, todayInShanghai } from '@/lib/dates';

type Client = ReturnType<typeof listClientsForAdvisor>[number];

/** Shown at once; the rest fold away, so that hundreds of clients do not push the table down. */
const FIRST = 12;

/** The advisor's clients: each name sets the table's client filter. */
export async function ClientsList({ clients, active }: { clients: Client[]; active?: number }) {
  const t = await getTranslations('dashboard.clients');
  const locale = await getLocale();
  const item = (c: Client) => (
    <li key={c.borrowerId}>
      <Link
        href={`/dashboard?client=${c.borrowerId}#cases`}
        aria-current={active === c.borrowerId ? 'true' : undefined}
        className={`grid min-h-10 content-center rounded-md border px-3 py-1.5 hover:border-teal-600 ${active === c.borrowerId ? 'border-teal-700 bg-teal-50' : 'border-stone-200'}`}
        data-testid="client-link"
        data-client-id={c.borrowerId}
      >
        <span className="font-medium break-words text-stone-900">{c.name}</span>
        {c.since && <span className="text-xs text-stone-500">{t('since', { date: formatDate(todayInShanghai(c.since), locale) })}</span>}
      </Link>
    </li>
  );
  const list = 'grid grid-cols-2 gap-2 md:grid-cols-3 lg:grid-cols-4';
  return (
    <section className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4" aria-labelledby="clients-h" data-testid="clients">
      <div className="grid gap-1">
        <h2 id="clients-h" className="text-lg font-semibold">
          {t('title')} <span className="text-base font-normal text-stone-500 tabular-nums">({clients.length})</span>
        </h2>
        <p className="text-sm text-stone-600">{t('filterHint')}</p>
      </div>
      <ul className={list} data-testid="client-list">
        {clients.slice(0, FIRST).map(item)}
      </ul>
      {clients.length > FIRST && (
        <details className="grid gap-2">
          <summary className="inline-flex min-h-10 cursor-pointer items-center text-sm font-medium text-teal-700">
            {t('showAll', { count: clients.length })}
          </summary>
          <ul className={`${list} mt-2`}>{clients.slice(FIRST).map(item)}</ul>
        </details>
      )}
    </section>
  );
}
