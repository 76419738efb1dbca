import { advisorCharts, advisorFigures, attentionItems, listAdvisorCases, listAdvisorClients, listAdvisorLenders } from '@/db/advisor';
import { listEndedSharesForAdvisor } from '@/db/shares';
import type { Viewer } from '@/db/viewer-type';
import type { DashboardModel } from './_components/dashboard-view';
import { pageSize, toFilters, type DashboardParams } from './params';

/**
 * What the dashboard shows an advisor on a day: the page reads it here, and so does the
 * benchmark's snapshot of it (scripts/bench/snapshot.ts). Null when the advisor has no client.
 */
export function loadDashboard(viewer: Viewer, params: DashboardParams, today: string): DashboardModel | null {
  // These read the advisor's cases once between them, and keep what they worked out until something
  // about the advisor's clients is written (db/advisor.ts): same viewer, same day.
  const clients = listAdvisorClients(viewer, today);
  if (clients.length === 0) return null;
  return {
    params,
    today,
    clients,
    figures: advisorFigures(viewer, today),
    items: attentionItems(viewer, today),
    charts: advisorCharts(viewer, today),
    lenders: listAdvisorLenders(viewer, today),
    table: listAdvisorCases(viewer, { ...toFilters(params), page: params.page, pageSize: pageSize(params) }, today),
    // Not kept with the rows above: it changes with the day (30 days), not only with a write; one small query.
    ended: listEndedSharesForAdvisor(viewer),
  };
}
