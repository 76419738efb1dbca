import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

/** The console's two parts: accounts and the lender directory. */
export async function AdminNav({ current }: { current: 'accounts' | 'lenders' }) {
  const t = await getTranslations('admin');
  const tab = (on: boolean) =>
    `inline-flex min-h-10 items-center rounded-md px-3 py-2 text-sm font-medium ${on ? 'bg-teal-700 text-white' : 'text-teal-800 hover:bg-teal-50'}`;
  return (
    <nav aria-label={t('nav.label')} className="flex flex-wrap gap-2" data-testid="admin-nav">
      <Link href="/admin" className={tab(current === 'accounts')} aria-current={current === 'accounts' ? 'page' : undefined}>
        {t('nav.accounts')}
      </Link>
      <Link href="/admin/lenders" className={tab(current === 'lenders')} aria-current={current === 'lenders' ? 'page' : undefined}>
        {t('nav.lenders')}
      </Link>
    </nav>
  );
}
