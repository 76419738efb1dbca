import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { emailConfirmed } from '@/db/users';
import { requireViewer } from '@/db/viewer';
import { todayInShanghai } from '@/lib/dates';
import { mailConfigured } from '@/lib/mail-config';
import { isMonth, monthOf } from '@/lib/month-calendar';
import { HomeView } from './_components/home-view';
import { loadHome } from './load';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('home'))('title') };
}

/**
 * The borrower's home: where every case stands, what to do today, and one calendar of
 * instalments across all lenders (DESIGN.md §5).
 */
export default async function HomePage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer();
  const t = await getTranslations('home');

  // Only a borrower has cases and instalments of their own.
  if (viewer.role !== 'borrower') {
    return (
      <div className="grid gap-2 rounded-lg border border-stone-200 bg-white p-6" data-testid="home-not-borrower">
        <h1 className="text-xl font-semibold">{t('notBorrower.title')}</h1>
        <p className="max-w-prose text-sm text-stone-600">{t('notBorrower.body')}</p>
      </div>
    );
  }

  const today = todayInShanghai();
  const raw = (await searchParams).month;
  const asked = Array.isArray(raw) ? raw[0] : raw;
  const month = asked && isMonth(asked) ? asked : monthOf(today);

  // Only where this server sends mail is there anything to wait for.
  const unconfirmed = mailConfigured() && !emailConfirmed(viewer);
  return <HomeView model={loadHome(viewer, month, today)} unconfirmedEmail={unconfirmed ? viewer.email : null} />;
}
