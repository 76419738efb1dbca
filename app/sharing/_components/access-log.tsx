import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DateTimeText } from '@/components/ui/format';
import { ACCESS_LOG_PAGE, VISIT_MINUTES, type listAccessLog } from '@/db/shares';

type Row = ReturnType<typeof listAccessLog>[number];

/**
 * 访问记录: which advisor did what with which case, and when, newest first. A table from
 * sm: up; on a phone each entry is a small card with the same four facts. A page at a time:
 * `older` when this is not the first page, and a link to the next when this one is full.
 */
export async function AccessLog({ rows, older = false }: { rows: Row[]; older?: boolean }) {
  const t = await getTranslations('sharing.log');
  const d = await getTranslations('domain');

  const what = (r: Row) => {
    const action = t(`action.${r.action}`);
    // An export's detail is how many of the borrower's cases went into the CSV.
    if (r.action === 'export' && /^\d+$/.test(r.detail ?? '')) return t('exportedCases', { count: Number(r.detail) });
    if (!r.detail) return action;
    const detail = r.action === 'download_document' && d.has(`documentKind.${r.detail}`) ? d(`documentKind.${r.detail}`) : r.detail;
    return t('withDetail', { action, detail });
  };

  return (
    <section id="access-log" className="grid min-w-0 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6" aria-labelledby="log-h" data-testid="access-log">
      <h2 id="log-h" className="text-lg font-semibold">
        {t('title')}
      </h2>
      <p className="text-sm text-stone-600">{t('hint', { minutes: VISIT_MINUTES })}</p>
      {rows.length === 0 ? (
        <p className="text-sm text-stone-600" data-testid="access-log-empty">
          {t('empty')}
        </p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="hidden border-b border-stone-200 text-xs text-stone-500 sm:table-header-group">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">{t('when')}</th>
              <th scope="col" className="py-2 pr-3 font-medium">{t('advisor')}</th>
              <th scope="col" className="py-2 pr-3 font-medium">{t('what')}</th>
              <th scope="col" className="py-2 font-medium">{t('case')}</th>
            </tr>
          </thead>
          <tbody className="grid gap-2 sm:table-row-group">
            {rows.map((r) => (
              <tr
                key={r.id}
                className="grid gap-0.5 rounded-md border border-stone-200 p-2 sm:table-row sm:rounded-none sm:border-0 sm:border-b sm:p-0"
                data-testid="access-row"
                data-action={r.action}
                data-case-id={r.caseId ?? ''}
              >
                <td className="text-xs text-stone-500 sm:py-2 sm:pr-3 sm:text-sm sm:whitespace-nowrap sm:text-stone-700">
                  <DateTimeText instant={r.createdAt} />
                </td>
                <td className="font-medium wrap-anywhere sm:py-2 sm:pr-3 sm:font-normal" data-testid="access-advisor">
                  {r.advisorName}
                  {r.advisorDeleted ? <span className="ml-1 text-xs font-normal text-stone-500">{t('advisorDeleted')}</span> : null}
                </td>
                <td className="wrap-anywhere sm:py-2 sm:pr-3" data-testid="access-what">
                  {what(r)}
                </td>
                <td className="wrap-anywhere text-stone-600 sm:py-2" data-testid="access-case">
                  {r.caseId && r.lenderName ? (
                    <Link href={`/cases/${r.caseId}`} className="inline-flex min-h-10 items-center text-teal-700 underline sm:min-h-0">
                      {r.lenderName}
                    </Link>
                  ) : (
                    t('noCase')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(older || rows.length >= ACCESS_LOG_PAGE) && (
        <nav className="flex flex-wrap items-center gap-x-4 text-sm" aria-label={t('pages')} data-testid="access-log-pages">
          {older && (
            <Link href="/sharing#access-log" className="inline-flex min-h-10 items-center text-teal-800 underline underline-offset-2" data-testid="access-log-newest">
              {t('newest')}
            </Link>
          )}
          {rows.length >= ACCESS_LOG_PAGE && (
            <Link
              href={`/sharing?log=${rows[rows.length - 1].id}#access-log`}
              className="inline-flex min-h-10 items-center text-teal-800 underline underline-offset-2"
              data-testid="access-log-older"
            >
              {t('older')}
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}
