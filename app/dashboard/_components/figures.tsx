import { getTranslations } from 'next-intl/server';
import { Money } from '@/components/ui/format';
import type { AdvisorFigures } from '@/db/advisor';

// Phone: one compact line per figure; wider screens: four cards side by side.
const card = 'flex items-baseline justify-between gap-3 rounded-lg border border-stone-200 bg-white px-4 py-3 sm:block sm:p-4';
// The value keeps its width on a phone (the label beside it wraps instead).
const value = 'shrink-0 text-lg font-semibold tabular-nums sm:mt-1 sm:text-2xl';

export async function Figures({ figures }: { figures: AdvisorFigures }) {
  const t = await getTranslations('dashboard.figures');
  return (
    <section aria-label={t('label')}>
      <dl className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4" data-testid="dashboard-figures">
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('clients')}</dt>
          <dd className={value} data-testid="figure-clients">
            {figures.clients}
          </dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('openCases')}</dt>
          <dd className={value} data-testid="figure-open-cases">
            {figures.openCases}
          </dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-stone-600">
            {t('underNegotiation')}
            <span className="block text-xs text-stone-500">{t('underNegotiationHint')}</span>
          </dt>
          <dd className="shrink-0 text-right sm:text-left">
            <span className={`${value} block`} data-testid="figure-under-negotiation">
              <Money fen={figures.overdueUnderNegotiationFen} />
            </span>
            {figures.underNegotiationNotGiven > 0 && (
              <span className="block text-xs text-stone-500" data-testid="figure-under-negotiation-not-given">
                {t('underNegotiationNotGiven', { count: figures.underNegotiationNotGiven })}
              </span>
            )}
          </dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-stone-600">{t('approvedThisMonth')}</dt>
          <dd className={value} data-testid="figure-approved-month">
            {figures.approvedThisMonth}
          </dd>
        </div>
      </dl>
    </section>
  );
}
