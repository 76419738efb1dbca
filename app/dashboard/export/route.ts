import { getTranslations } from 'next-intl/server';
import { confirmFromAnotherSite, fromAnotherSite } from '@/app/_lib/another-site';
import { notFoundPage } from '@/app/_lib/refusal-page';
import { exportAdvisorCases } from '@/db/advisor';
import { getViewer } from '@/db/viewer';
import { nextForMessage, planAtRisk } from '@/lib/case-status';
import { csvYuan, neutraliseFormula, toCsv, UTF8_BOM } from '@/lib/csv';
import { todayInShanghai } from '@/lib/dates';
import { signInHref } from '@/lib/return-path';
import { parseDashboardParams, toFilters } from '../params';

export const dynamic = 'force-dynamic';

/**
 * The dashboard's table as CSV: the same query string as the page (filters, search, sort),
 * every matching row rather than one page (up to EXPORT_LIMIT), in the reader's language.
 *
 * UTF-8 with a byte order mark, or Excel shows the Chinese as mojibake. Amounts are plain
 * numbers in yuan (1234.56), not "¥1,234.56": Excel then treats them as numbers that sum and
 * sort; the heading says the currency. Dates are YYYY-MM-DD, which Excel and WPS read as dates.
 * Text people typed goes through neutraliseFormula (a name like "=HYPERLINK(…)" stays text).
 */
export async function GET(request: Request): Promise<Response> {
  const viewer = await getViewer();
  // Signed out (a session ended with its cookie still sent): to sign in, back to the page the link is on.
  // A relative address: the host this server sees may not be the one the browser used.
  if (!viewer) return new Response(null, { status: 303, headers: { Location: signInHref('/dashboard'), 'Cache-Control': 'no-store' } });
  // Not an advisor's page: the same answer as a page that does not exist (the app's not-found page, in the reader's language).
  if (viewer.role !== 'advisor') return notFoundPage('export-not-found');
  // Each client's access log records the export: not one another site's link set off.
  if (fromAnotherSite(request)) return confirmFromAnotherSite(request, 'export');

  const params = parseDashboardParams(new URL(request.url).searchParams);
  const today = todayInShanghai();
  const { rows, truncated } = exportAdvisorCases(viewer, toFilters(params), today);

  const t = await getTranslations('dashboard.csv');
  const d = await getTranslations('domain');
  const header = [t('client'), t('lender'), t('product'), t('accountRef'), t('status'), t('total'), t('nextDate'), t('nextFor'), t('lastActivity'), t('owedSince')];
  const records = rows.map((r) => [
    neutraliseFormula(r.clientName),
    neutraliseFormula(r.lenderName),
    neutraliseFormula(r.product),
    // As the table says it (尾号 0421): bare digits would lose their leading zeros in Excel.
    r.accountRef ? t('accountRefValue', { ref: r.accountRef }) : '',
    d(`status.${r.status}`),
    // Not given: an empty cell, which a spreadsheet's sum leaves out, where 0.00 would say none is owed.
    r.totalFen === null ? '' : csvYuan(r.totalFen),
    r.nextDate ?? '',
    r.nextFor ? d(nextForMessage(r.nextFor, 'advisor')) : '',
    r.lastActivityOn,
    r.firstOwedOn && planAtRisk(r.status, r.firstOwedOn, today) ? r.firstOwedOn : '',
  ]);

  return new Response(UTF8_BOM + toCsv([header, ...records]), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="respite-cases-${today}.csv"`,
      'Cache-Control': 'private, no-store',
      // More rows matched than one export holds (the page says so too).
      ...(truncated ? { 'X-Export-Truncated': '1' } : {}),
    },
  });
}
