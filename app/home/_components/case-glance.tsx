import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DateText, Money } from '@/components/ui/format';
import { AtRiskBadge } from '@/components/ui/at-risk-badge';
import { StatusBadge } from '@/components/ui/status-badge';
import { byUrgency, planAtRisk } from '@/lib/case-status';
import type { CaseListRow } from '@/db/cases';

/** More than this and the home page sends the borrower on to the full list. */
const SHOWN = 12;

/** Every current case at a glance: lender, status, next date, total overdue. */
export async function CaseGlance({ cases, today }: { cases: CaseListRow[]; today: string }) {
  const t = await getTranslations('home.cases');
  const d = await getTranslations('domain');
  const tc = await getTranslations('common');
  const rows = [...cases].sort(byUrgency);
  const shown = rows.slice(0, SHOWN);
  return (
    <section aria-labelledby="home-cases-h" className="grid gap-3" data-testid="home-cases">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h2 id="home-cases-h" className="text-lg font-semibold">
          {t('title')}
        </h2>
        <Link href="/cases" className="inline-flex min-h-10 items-center text-sm font-medium text-teal-800 underline underline-offset-2 hover:text-teal-900" data-testid="home-cases-all">
          {t('all')}
        </Link>
      </div>
      {shown.length === 0 && (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-4 text-sm text-stone-600" data-testid="home-cases-none">
          {t('none')}
        </p>
      )}
      <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {shown.map((r) => {
          const past = !!r.nextDate && r.nextDate < today;
          const settled = r.status === 'closed' && r.outcome === 'settled';
          return (
            <li key={r.id} data-testid="glance-case" data-case-id={r.id} data-status={r.status}>
              <Link
                href={`/cases/${r.id}`}
                className={`grid h-full gap-2 rounded-lg border border-stone-200 p-3 hover:border-teal-600 focus-visible:outline-2 focus-visible:outline-teal-600 ${r.status === 'closed' ? 'bg-stone-50' : 'bg-white'}`}
              >
                <div className="flex items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="font-medium wrap-anywhere text-stone-900" data-testid="glance-lender">
                      {r.lenderName}
                    </p>
                    {(r.product || r.accountRef) && (
                      <p className="text-xs wrap-anywhere text-stone-500">
                        {[r.product, r.accountRef && t('accountRef', { ref: r.accountRef })].filter(Boolean).join(' · ')}
                      </p>
                    )}
                  </div>
                  <span className="shrink-0">
                    <StatusBadge status={r.status} />
                  </span>
                </div>
                {r.firstOwedOn && planAtRisk(r.status, r.firstOwedOn, today) && (
                  <p>
                    <AtRiskBadge since={r.firstOwedOn} />
                  </p>
                )}
                <dl className="grid grid-cols-2 gap-2 text-sm">
                  <div>
                    <dt className="text-xs text-stone-500">{t('nextDate')}</dt>
                    <dd className={past ? 'font-medium text-red-700' : 'text-stone-900'} data-testid="glance-next-date" data-date={r.nextDate ?? ''}>
                      {r.nextDate ? (
                        <>
                          <DateText date={r.nextDate} />
                          {past && <>{' '}<span className="text-xs whitespace-nowrap">{t('past')}</span></>}
                        </>
                      ) : (
                        <span className="text-stone-500">{t('noNextDate')}</span>
                      )}
                    </dd>
                    {r.nextFor && (
                      <dd className="text-stone-600" data-testid="glance-next-for" data-for={r.nextFor}>
                        {d(`nextFor.${r.nextFor}`)}
                      </dd>
                    )}
                  </div>
                  <div>
                    {/* Paid off: the debt recorded is no longer owed. */}
                    <dt className="text-xs text-stone-500">{settled ? t('outcome') : t('total')}</dt>
                    {settled ? (
                      <dd className="font-semibold text-emerald-800" data-testid="glance-settled">
                        {d('outcome.settled')}
                      </dd>
                    ) : (
                      <dd className="font-semibold text-stone-900" data-testid="glance-total">
                        <Money fen={r.totalFen} blank={tc('notGiven')} />
                      </dd>
                    )}
                  </div>
                </dl>
              </Link>
            </li>
          );
        })}
      </ul>
      {rows.length > SHOWN && (
        <Link href="/cases" className="inline-flex min-h-10 items-center text-sm font-medium text-teal-800 underline underline-offset-2" data-testid="home-cases-more">
          {t('more', { count: rows.length - SHOWN })}
        </Link>
      )}
    </section>
  );
}
