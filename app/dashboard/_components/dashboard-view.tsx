import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import type { AdvisorCaseRow, AdvisorCharts, AdvisorFigures, AttentionItem } from '@/db/advisor';
import type { listAdvisorClients } from '@/db/advisor';
import type { listEndedSharesForAdvisor } from '@/db/shares';
import type { DashboardParams } from '../params';
import { AttentionList } from './attention-list';
import { CasesTable } from './cases-table';
import { ChartsSection } from './charts-section';
import { ClientsList } from './clients-list';
import { EndedShares } from './ended-shares';
import { Figures } from './figures';

/** Everything the dashboard shows, read by app/dashboard/load.ts (or, for the benchmark's ceiling, from a snapshot). */
export type DashboardModel = {
  params: DashboardParams;
  today: string;
  clients: ReturnType<typeof listAdvisorClients>;
  figures: AdvisorFigures;
  items: AttentionItem[];
  charts: AdvisorCharts;
  lenders: { id: number; name: string }[];
  table: { rows: AdvisorCaseRow[]; total: number; page: number; pageSize: number };
  /** Clients who stopped sharing lately (db/shares.ts#listEndedSharesForAdvisor). */
  ended: ReturnType<typeof listEndedSharesForAdvisor>;
};

/** The dashboard of an advisor with clients: what needs attention first, the figures, the clients, the table, the charts. */
export async function DashboardView({
  model,
  bench,
  accepted = false,
  notice = null,
}: {
  model: DashboardModel;
  bench?: string;
  accepted?: boolean;
  /** Shown under the title: that the advisor's address waits for confirmation (app/dashboard/page.tsx). */
  notice?: ReactNode;
}) {
  const t = await getTranslations('dashboard');
  const { params, today, clients, figures, items, charts, lenders, table, ended } = model;
  return (
    <div className="grid gap-6" data-testid="dashboard-page" data-bench={bench}>
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="max-w-3xl text-sm text-stone-600">{t('intro')}</p>
      </div>
      {notice}
      {accepted && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="dashboard-accepted">
          {t('accepted')}
        </p>
      )}
      <EndedShares ended={ended} />
      <Figures figures={figures} />
      <AttentionList items={items} today={today} params={params} />
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
