'use client';

import { useTranslations } from 'next-intl';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations('common.error');
  return (
    <div className="mx-auto grid max-w-md gap-3 py-12 text-center" role="alert">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-stone-600">{t('body')}</p>
      <button type="button" onClick={reset} className="mx-auto rounded-md bg-teal-700 px-4 py-2 text-white">
        {t('retry')}
      </button>
    </div>
  );
}
