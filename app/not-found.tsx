import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

export default async function NotFound() {
  const t = await getTranslations('common.notFound');
  return (
    <div className="mx-auto grid max-w-md gap-3 py-12 text-center" data-testid="not-found">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-stone-600">{t('body')}</p>
      <Link href="/" className="text-teal-700 underline">
        {t('home')}
      </Link>
    </div>
  );
}
