import { getLocale, getTranslations } from 'next-intl/server';
import type { listEndedSharesForAdvisor } from '@/db/shares';
import { ENDED_SHARE_DAYS } from '@/db/shares';
import { formatDate, todayInShanghai } from '@/lib/dates';

type Ended = ReturnType<typeof listEndedSharesForAdvisor>[number];

/** Named at once; the rest behind one line (a programme that ended can take many clients in a month). */
const FIRST_ENDED = 5;

/**
 * Clients who stopped sharing in the last 30 days: without this, a client the advisor was helping
 * is simply gone from the dashboard, and the advisor is left to wonder why. Name and day only.
 */
export async function EndedShares({ ended }: { ended: Ended[] }) {
  if (ended.length === 0) return null;
  const t = await getTranslations('dashboard.ended');
  const locale = await getLocale();
  const item = (e: Ended) => (
    <li key={e.shareId} data-testid="ended-share">
      {t('item', { name: e.name, date: formatDate(todayInShanghai(e.endedAt), locale) })}
    </li>
  );
  return (
    <section className="grid gap-1 rounded-md border border-stone-300 bg-stone-50 px-4 py-3 text-sm text-stone-800" aria-labelledby="ended-h" data-testid="dashboard-ended">
      <h2 id="ended-h" className="font-medium">
        {t('title', { days: ENDED_SHARE_DAYS })}
      </h2>
      <ul className="grid gap-0.5">{ended.slice(0, FIRST_ENDED).map(item)}</ul>
      {ended.length > FIRST_ENDED && (
        <details>
          <summary className="cursor-pointer py-1 text-teal-800 underline">{t('more', { count: ended.length - FIRST_ENDED })}</summary>
          <ul className="mt-1 grid gap-0.5">{ended.slice(FIRST_ENDED).map(item)}</ul>
        </details>
      )}
      <p className="text-stone-600">{t('hint')}</p>
    </section>
  );
}
