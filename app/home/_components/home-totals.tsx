import { getTranslations } from 'next-intl/server';
import { Money } from '@/components/ui/format';
import type { borrowerTotals } from '@/db/cases';

// Phone: one compact line per total; wider screens: three cards side by side.
const card = 'flex items-baseline justify-between gap-3 rounded-lg border border-stone-200 bg-white px-4 py-3 sm:block sm:p-4';
const value = 'text-lg font-semibold sm:mt-1 sm:text-2xl';

/** Open cases, the total overdue on them, and how much of it is under an agreed plan. */
export async function HomeTotals({ totals }: { totals: ReturnType<typeof borrowerTotals> }) {
  const t = await getTranslations('home.totals');
  const percent = totals.overdueFen > 0 ? Math.round((totals.underPlanFen / totals.overdueFen) * 100) : 0;
  return (
    <section aria-label={t('label')}>
      <dl className="grid gap-2 sm:grid-cols-3" data-testid="home-totals">
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('openCases')}</dt>
          <dd className={`${value} tabular-nums`} data-testid="home-open-cases">
            {totals.openCases}
          </dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('overdue')}</dt>
          <dd className={value} data-testid="home-overdue">
            <Money fen={totals.overdueFen} />
          </dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('underPlan')}</dt>
          <dd className="text-right sm:text-left">
            <span className={`${value} block text-teal-800`} data-testid="home-under-plan">
              <Money fen={totals.underPlanFen} />
            </span>
            {totals.underPlanFen > 0 && (
              <span className="block text-xs text-stone-500" data-testid="home-under-plan-share">
                {t('underPlanHint', { percent })}
              </span>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
