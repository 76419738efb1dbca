import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { advisorCharts, advisorFigures, attentionItems, listAdvisorCases, listAdvisorLenders } from '@/db/advisor';
import { listClientsForAdvisor } from '@/db/shares';
import { requireViewer } from '@/db/viewer';
import { todayInShanghai } from '@/lib/dates';
import { AttentionList } from './_components/attention-list';
import { CasesTable } from './_components/cases-table';
import { ChartsSection } from './_components/charts-section';
import { ClientsList } from './_components/clients-list';
import { Figures } from './_components/figures';
import { pageSize, parseDashboardParams, toFilters } from './params';

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
  const clients = listClientsForAdvisor(viewer);

  if (clients.length === 0) {
    return (
      <div className="grid gap-5">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <div className="grid justify-items-start gap-3 rounded-lg border border-dashed border-stone-300 bg-white p-6" data-testid="dashboard-empty">
          <h2 className="text-lg font-medium">{t('empty.title')}</h2>
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

  const params = parseDashboardParams(await searchParams);
  // These five read the advisor's cases once between them (db/advisor.ts): same viewer, same day.
  const figures = advisorFigures(viewer, today);
  const items = attentionItems(viewer, today);
  const charts = advisorCharts(viewer, today);
  const lenders = listAdvisorLenders(viewer, today);
  const table = listAdvisorCases(viewer, { ...toFilters(params), page: params.page, pageSize: pageSize(params) }, today);

  return (
    <div className="grid gap-6" data-testid="dashboard-page">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="max-w-3xl text-sm text-stone-600">{t('intro')}</p>
      </div>
      <Figures figures={figures} />
      <AttentionList items={items} today={today} />
      <ClientsList clients={clients} params={params} />
      <CasesTable
        params={params}
        table={table}
        today={today}
        clients={clients.map((c) => ({ id: c.borrowerId, name: c.name }))}
        lenders={lenders}
      />
      <ChartsSection charts={charts} />
    </div>
  );
}
