import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { getViewer } from '@/db/viewer';

export default async function NotFound() {
  const t = await getTranslations('common.notFound');
  // An advisor most often lands here from a client's case they could open before: the client deleted
  // it or stopped sharing. That is said without reading anything of the case; the dashboard names
  // who stopped sharing recently.
  const advisor = (await getViewer())?.role === 'advisor';
  return (
    <div className="mx-auto grid max-w-md gap-3 py-12 text-center" data-testid="not-found">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-stone-600">{t('body')}</p>
      {advisor && (
        <p className="text-stone-600" data-testid="not-found-advisor">
          {t('advisorBody')}
        </p>
      )}
      <Link href={advisor ? '/dashboard' : '/'} className="inline-flex min-h-10 items-center text-teal-700 underline">
        {advisor ? t('dashboard') : t('home')}
      </Link>
    </div>
  );
}
