import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { listEndedSharesForAdvisor } from '@/db/shares';
import { emailConfirmed } from '@/db/users';
import { requireViewer } from '@/db/viewer';
import { EmailUnconfirmedNotice } from '@/app/_components/email-unconfirmed-notice';
import { todayInShanghai } from '@/lib/dates';
import { mailConfigured } from '@/lib/mail-config';
import { DashboardView } from './_components/dashboard-view';
import { EndedShares } from './_components/ended-shares';
import { loadDashboard } from './load';
import { parseDashboardParams } from './params';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard'))('title') };
}

/**
 * 顾问看板: what needs attention first, the figures, the charts, the clients and every client's
 * cases in one table (filtered, sorted and paged on the server through the URL). Advisors only:
 * anyone else goes to their own start page.
 */
export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer();
  if (viewer.role !== 'advisor') redirect('/');
  const t = await getTranslations('dashboard');
  const today = todayInShanghai();
  const query = await searchParams;
  const model = loadDashboard(viewer, parseDashboardParams(query), today);
  // Just accepted an invitation (app/share/accept/actions.ts): the new client's cases are in the table.
  const accepted = query.accepted === '1';
  // An advisor's alerts about their clients wait for a confirmed address, where this server sends mail.
  const unconfirmed = mailConfigured() && !emailConfirmed(viewer) ? <EmailUnconfirmedNotice email={viewer.email} testId="dashboard-email-unconfirmed" /> : null;

  if (!model) {
    // Someone stopped sharing lately: "no clients yet" would contradict the notice above it.
    const ended = listEndedSharesForAdvisor(viewer);
    return (
      <div className="grid gap-5">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        {unconfirmed}
        <EndedShares ended={ended} />
        <div className="grid justify-items-start gap-3 rounded-lg border border-dashed border-stone-300 bg-white p-6" data-testid="dashboard-empty">
          <h2 className="text-lg font-medium">{t(ended.length > 0 ? 'empty.titleNow' : 'empty.title')}</h2>
          <p className="max-w-prose text-stone-700">{t('empty.body')}</p>
          <p className="max-w-prose text-stone-700">{t('empty.how')}</p>
          <Link
            href="/share/accept"
            className="inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800"
            data-testid="dashboard-accept-link"
          >
            {t('empty.cta')}
          </Link>
        </div>
      </div>
    );
  }

  return <DashboardView model={model} accepted={accepted} notice={unconfirmed} />;
}
