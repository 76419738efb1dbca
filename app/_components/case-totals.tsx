import { getTranslations } from 'next-intl/server';
import { Money } from '@/components/ui/format';
import type { borrowerTotals } from '@/db/cases';
import { formatFen, sharePercent } from '@/lib/money';

// Phone: one compact line per total; wider screens: three cards side by side.
const card = 'flex items-baseline justify-between gap-3 rounded-lg border border-stone-200 bg-white px-4 py-3 sm:block sm:p-4';
const value = 'text-lg font-semibold sm:mt-1 sm:text-2xl';
const hint = 'block text-xs text-stone-500';

/**
 * Open cases, the total overdue on them (of the amounts given; how many cases gave none is said),
 * how much of it is under an agreed plan, and what those plans come to (after waivers), have had
 * repaid and have left (the three add up). On the home page and above the case list (`page` names
 * the test ids: `home-…`, `cases-…`).
 */
export async function CaseTotals({ totals, page }: { totals: ReturnType<typeof borrowerTotals>; page: 'home' | 'cases' }) {
  const t = await getTranslations('home.totals');
  const percent = sharePercent(totals.underPlanFen, totals.overdueFen);
  const planned = totals.planPaidFen + totals.planLeftFen > 0;
  return (
    <section aria-label={t('label')}>
      <dl className="grid gap-2 sm:grid-cols-3" data-testid={`${page}-totals`}>
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('openCases')}</dt>
          <dd className={`${value} tabular-nums`} data-testid={`${page}-open-cases`}>
            {totals.openCases}
          </dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('overdue')}</dt>
          <dd className="text-right sm:text-left">
            <span className={`${value} block`} data-testid={`${page}-overdue`}>
              <Money fen={totals.overdueFen} />
            </span>
            {/* A sum of the amounts given: the cases that gave none are said, not taken as ¥0.00. */}
            {totals.amountsNotGiven > 0 && (
              <span className={hint} data-testid={`${page}-overdue-not-given`}>
                {t('overdueNotGiven', { count: totals.amountsNotGiven })}
              </span>
            )}
          </dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('underPlan')}</dt>
          <dd className="text-right sm:text-left">
            <span className={`${value} block text-teal-800`} data-testid={`${page}-under-plan`}>
              <Money fen={totals.underPlanFen} />
            </span>
            {totals.underPlanFen > 0 && (
              <span className={hint} data-testid={`${page}-under-plan-share`}>
                {t('underPlanHint', { percent })}
              </span>
            )}
            {planned && (
              <>
                {/* What the plans themselves add up to (after what the lenders waived): paid + left. */}
                <span className={`${hint} tabular-nums`} data-testid={`${page}-plan-total`}>
                  {t('planTotal', { amount: formatFen(totals.planPaidFen + totals.planLeftFen) })}
                </span>
                <span className={`${hint} tabular-nums`} data-testid={`${page}-plan-paid`}>
                  {t('planPaid', { amount: formatFen(totals.planPaidFen) })}
                </span>
                <span className={`${hint} tabular-nums`} data-testid={`${page}-plan-left`}>
                  {t('planLeft', { amount: formatFen(totals.planLeftFen) })}
                </span>
              </>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
