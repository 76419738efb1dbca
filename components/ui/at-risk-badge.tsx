import { getTranslations } from 'next-intl/server';

/** A plan with an instalment past its date and still owed (lib/case-status.ts planAtRisk): one missed payment can void it. */
export async function AtRiskBadge({ since }: { since: string }) {
  const t = await getTranslations('common');
  return (
    <span
      className="inline-flex items-center rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800 ring-1 ring-red-300 ring-inset"
      data-testid="at-risk"
      data-since={since}
    >
      {t('planAtRisk')}
    </span>
  );
}
