import { getLocale, getTranslations } from 'next-intl/server';
import { LazyBarChart } from '@/components/charts/lazy-bar-chart';
import type { AdvisorCharts } from '@/db/advisor';

const card = 'grid min-w-0 content-start gap-3 rounded-lg border border-stone-200 bg-white p-4';
const th = 'py-1.5 pr-3 text-left font-medium';
const td = 'py-1.5 pr-3';

// On paper the charts are not drawn (recharts loads when a chart nears the screen, which a printout
// never does): the tables of the same numbers, otherwise for screen readers, are printed instead.
const printedTable = 'sr-only text-sm [&_caption]:sr-only print:not-sr-only print:w-full [&_td]:text-right [&_th]:py-1 [&_th]:text-left [&_th]:font-normal [&_thead_th]:font-medium [&_thead_th:last-child]:text-right';

const percent = (rate: number) => Math.round(rate * 100);

/**
 * 统计: cases by status, approval rate and review time by lender, rejection reasons. Each chart
 * is drawn for the eye (recharts, loaded when the charts come near the screen; hidden from screen readers) and given as a table of the same
 * numbers: visible for lenders (the median is only there), for screen readers and on paper for the others.
 */
export async function ChartsSection({ charts }: { charts: AdvisorCharts }) {
  const t = await getTranslations('dashboard.charts');
  const d = await getTranslations('domain');
  const locale = await getLocale();
  const workdays = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const totalCases = charts.byStatus.reduce((n, s) => n + s.count, 0);

  return (
    <section className="grid gap-3" aria-labelledby="charts-h" data-testid="charts">
      <div className="grid gap-1">
        <h2 id="charts-h" className="text-lg font-semibold">
          {t('title')}
        </h2>
        <p className="text-sm text-stone-600">{t('hint')}</p>
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        <div className={card} data-testid="chart-status">
          <h3 className="font-medium">{t('byStatus')}</h3>
          {totalCases === 0 ? (
            <p className="text-sm text-stone-600">{t('noCases')}</p>
          ) : (
            <>
              <LazyBarChart data={charts.byStatus.map((s) => ({ label: d(`status.${s.status}`), value: s.count }))} />
              <table className={printedTable}>
                <caption>{t('byStatus')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('status')}</th>
                    <th scope="col">{t('cases')}</th>
                  </tr>
                </thead>
                <tbody>
                  {charts.byStatus.map((s) => (
                    <tr key={s.status} data-testid="status-count" data-status={s.status} data-count={s.count}>
                      <th scope="row">{d(`status.${s.status}`)}</th>
                      <td>{s.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>

        <div className={card} data-testid="chart-rejections">
          <h3 className="font-medium">{t('rejections')}</h3>
          {charts.rejectionReasons.length === 0 ? (
            <p className="text-sm text-stone-600">{t('noRejections')}</p>
          ) : (
            <>
              <LazyBarChart
                data={charts.rejectionReasons.map((r) => ({ label: d(`rejectionReason.${r.reason}`), value: r.count }))}
                color="#b91c1c"
              />
              <table className={printedTable}>
                <caption>{t('rejections')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('reason')}</th>
                    <th scope="col">{t('times')}</th>
                  </tr>
                </thead>
                <tbody>
                  {charts.rejectionReasons.map((r) => (
                    <tr key={r.reason} data-testid="rejection-count" data-reason={r.reason} data-count={r.count}>
                      <th scope="row">{d(`rejectionReason.${r.reason}`)}</th>
                      <td>{r.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>

        <div className={`${card} md:col-span-2`} data-testid="chart-lenders">
          <h3 className="font-medium">{t('byLender')}</h3>
          <p className="text-xs text-stone-500">{t('byLenderHint')}</p>
          {charts.lenders.length === 0 ? (
            <p className="text-sm text-stone-600">{t('noDecisions')}</p>
          ) : (
            <>
              <LazyBarChart
                data={charts.lenders.map((l) => ({ label: l.lenderName, value: percent(l.approvalRate) }))}
                max={100}
                suffix="%"
                labelWidth={128}
              />
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <caption className="sr-only">{t('byLender')}</caption>
                  <thead className="border-b border-stone-200 text-xs text-stone-500">
                    <tr>
                      <th scope="col" className={th}>
                        {t('lender')}
                      </th>
                      <th scope="col" className={`${th} text-right`}>
                        {t('decided')}
                      </th>
                      <th scope="col" className={`${th} text-right`}>
                        {t('approvalRate')}
                      </th>
                      <th scope="col" className={`${th} pr-0 text-right`}>
                        {t('medianWorkdays')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {charts.lenders.map((l) => (
                      <tr
                        key={l.lenderId}
                        className="border-b border-stone-100 last:border-0"
                        data-testid="lender-stats"
                        data-lender-id={l.lenderId}
                        data-rate={percent(l.approvalRate)}
                        data-median={l.medianReviewWorkdays}
                      >
                        <th scope="row" className={`${td} text-left font-normal wrap-anywhere`}>
                          {l.lenderName}
                        </th>
                        <td className={`${td} text-right tabular-nums`}>{l.decided}</td>
                        <td className={`${td} text-right whitespace-nowrap tabular-nums`}>
                          {percent(l.approvalRate)}%<span className="text-xs text-stone-500"> ({l.approved}/{l.decided})</span>
                        </td>
                        <td className={`${td} pr-0 text-right tabular-nums`}>{workdays.format(l.medianReviewWorkdays)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
