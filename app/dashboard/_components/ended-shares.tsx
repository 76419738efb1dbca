import { getLocale, getTranslations } from 'next-intl/server';
import type { listEndedSharesForAdvisor } from '@/db/shares';
import { ENDED_SHARE_DAYS } from '@/db/shares';
import { formatDate, todayInShanghai } from '@/lib/dates';

type Ended = ReturnType<typeof listEndedSharesForAdvisor>[number];

/**
 * Clients who stopped sharing in the last 30 days: without this, a client the advisor was helping
 * is simply gone from the dashboard, and the advisor is left to wonder why. Name and day only.
 */
export async function EndedShares({ ended }: { ended: Ended[] }) {
  if (ended.length === 0) return null;
  const t = await getTranslations('dashboard.ended');
  const locale = await getLocale();
  return (
    <section className="grid gap-1 rounded-md border border-stone-300 bg-stone-50 px-4 py-3 text-sm text-stone-800" aria-labelledby="ended-h" data-testid="dashboard-ended">
      <h2 id="ended-h" className="font-medium">
        {t('title', { days: ENDED_SHARE_DAYS })}
      </h2>
      <ul className="grid gap-0.5">
        {ended.map((e) => (
          <li key={e.shareId} data-testid="ended-share">
            {t('item', { name: e.name, date: formatDate(todayInShanghai(e.endedAt), locale) })}
          </li>
        ))}
      </ul>
      <p className="text-stone-600">{t('hint')}</p>
    </section>
  );
}
