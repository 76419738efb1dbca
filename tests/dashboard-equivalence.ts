import { isDeepStrictEqual } from 'node:util';
import * as after from '@/db/advisor';
import type { AdvisorCaseQuery } from '@/db/advisor';
import type { Viewer } from '@/db/viewer-type';
import { CASE_STATUSES } from '@/lib/case-status';
import * as before from './advisor-before';

/**
 * The advisor dashboard's answers from db/advisor.ts (case_facts) against the implementation
 * before it (tests/advisor-before.ts, correlated subqueries), for each advisor and day given:
 * the figures, the attention list, the charts, the lender filter, and the table under every sort
 * in both directions, each status, a lender, a client, a search, the attention filter and a later
 * page. Every answer is compared whole (deep equality). Both read the database getDb() opens.
 */

type Verbs = Pick<typeof after, 'advisorFigures' | 'attentionItems' | 'advisorCharts' | 'listAdvisorLenders' | 'listAdvisorCases'>;

export type Comparison = { comparisons: number; mismatches: string[] };

function tableQueries(verbs: Verbs, viewer: Viewer, today: string): AdvisorCaseQuery[] {
  const queries: AdvisorCaseQuery[] = [{}, { page: 2, pageSize: 10 }, { attention: true }, { attention: true, sort: 'client', pageSize: 100 }];
  for (const sort of after.ADVISOR_SORTS) for (const dir of ['asc', 'desc'] as const) queries.push({ sort, dir, pageSize: 50 });
  for (const status of CASE_STATUSES) queries.push({ status, pageSize: 100 });
  const lenders = verbs.listAdvisorLenders({ ...viewer }, today);
  if (lenders.length > 0) queries.push({ lenderId: lenders[0]!.id, sort: 'updated', dir: 'desc' });
  if (lenders.length > 1) queries.push({ lenderId: lenders[lenders.length - 1]!.id, attention: true });
  const first = verbs.listAdvisorCases({ ...viewer }, { pageSize: 1 }, today).rows[0];
  if (first) queries.push({ clientId: first.clientId, pageSize: 100 }, { q: first.clientName.slice(0, 1) }, { q: first.accountRef });
  queries.push({ q: '花呗', sort: 'total', dir: 'desc' });
  return queries;
}

export function compareDashboards(advisors: Viewer[], days: string[]): Comparison {
  let comparisons = 0;
  const mismatches: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    comparisons += 1;
    if (!isDeepStrictEqual(a, b)) mismatches.push(what);
  };
  for (const advisor of advisors) {
    for (const today of days) {
      // A fresh viewer object for each implementation: each keeps the rows it read with the viewer.
      const oldViewer = { ...advisor };
      const newViewer = { ...advisor };
      const at = `advisor ${advisor.id} on ${today}`;
      same(`${at}: figures`, after.advisorFigures(newViewer, today), before.advisorFigures(oldViewer, today));
      same(`${at}: attention`, after.attentionItems(newViewer, today), before.attentionItems(oldViewer, today));
      same(`${at}: charts`, after.advisorCharts(newViewer, today), before.advisorCharts(oldViewer, today));
      same(`${at}: lenders`, after.listAdvisorLenders(newViewer, today), before.listAdvisorLenders(oldViewer, today));
      for (const query of tableQueries(after, advisor, today)) {
        same(`${at}: table ${JSON.stringify(query)}`, after.listAdvisorCases(newViewer, query, today), before.listAdvisorCases(oldViewer, query, today));
      }
    }
  }
  return { comparisons, mismatches };
}
