import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { Money } from '@/components/ui/format';
import { AtRiskBadge } from '@/components/ui/at-risk-badge';
import { StatusBadge } from '@/components/ui/status-badge';
import { isOpenStatus, planAtRisk } from '@/lib/case-status';
import { daysBetween } from '@/lib/dates';
import { recordedDebtFen } from '@/lib/money';
import { firstOwedOn } from '@/lib/plan';
import type { CaseDetail } from '@/db/cases';
import type { CaseView } from '@/lib/folds';
import { DateIn } from './parts';

/** Who the debt is with, how much, since when, and where it stands. */
export async function CaseHeader({ detail, canWrite, today, view }: { detail: CaseDetail; canWrite: boolean; today: string; view: CaseView }) {
  const t = await getTranslations('case');
  const d = await getTranslations('domain');
  const ts = await getTranslations('sharing.caseView');
  const tc = await getTranslations('common');
  const locale = await getLocale();
  // An advisor's way back is to their dashboard; a borrower's, to their list.
  const back = detail.access.isOwner ? { href: '/cases', label: t('backToList') } : { href: '/dashboard', label: ts('backToDashboard') };
  const c = detail.case;
  const total = recordedDebtFen(c);
  const notGiven = tc('notGiven');
  // The day of the missed payment is not yet a day overdue: as lenders count, the next day is the first.
  const stillOverdue = !!c.overdueSince && c.overdueSince < today && isOpenStatus(c.status) && c.status !== 'approved' && c.status !== 'repaying';
  const owedSince = firstOwedOn(detail.instalments);
  return (
    <header className="grid gap-3" data-testid="case-header">
      <nav className="print:hidden">
        <Link href={back.href} className="inline-flex min-h-10 items-center text-sm text-teal-700 hover:underline">
          ← {back.label}
        </Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid min-w-0 gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold wrap-anywhere" data-testid="case-lender">
              {detail.lender.name}
            </h1>
            <StatusBadge status={c.status} />
            {owedSince && planAtRisk(c.status, owedSince, today) && <AtRiskBadge since={owedSince} />}
            {c.archived && (
              <span className="rounded-full bg-stone-200 px-2 py-0.5 text-xs text-stone-700" data-testid="archived-badge">
                {t('archived')}
              </span>
            )}
          </div>
          {(c.product || c.accountRef) && (
            <p className="text-sm text-stone-600" data-testid="case-product">
              {[c.product, c.accountRef ? t('accountRef', { ref: c.accountRef }) : ''].filter(Boolean).join(' · ')}
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2 print:hidden">
          <Link
            href={view.printHref}
            prefetch={false}
            title={t('printHint')}
            className="inline-flex min-h-10 items-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100"
            data-testid="print-case"
          >
            {t('print')}
          </Link>
          {canWrite && (
            <Link
              href={`/cases/${c.id}/edit`}
              className="inline-flex min-h-10 items-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100"
              data-testid="edit-case"
            >
              {t('edit')}
            </Link>
          )}
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-2 rounded-lg border border-stone-200 bg-white p-3 sm:grid-cols-4" aria-label={t('amounts.label')} data-testid="case-amounts">
        <div>
          <dt className="text-xs text-stone-500">{t('amounts.principal')}</dt>
          <dd><Money fen={c.principalFen} blank={notGiven} /></dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t('amounts.interest')}</dt>
          <dd><Money fen={c.interestFen} blank={notGiven} /></dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t('amounts.penalty')}</dt>
          <dd><Money fen={c.penaltyFen} blank={notGiven} /></dd>
        </div>
        <div>
          <dt className="text-xs text-stone-500">{t('amounts.total')}</dt>
          <dd className="font-semibold" data-testid="case-total"><Money fen={total} blank={notGiven} /></dd>
        </div>
      </dl>
      {(c.overdueSince || c.outcome || c.note) && (
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          {c.overdueSince && (
            <div className="flex gap-1">
              <dt className="text-stone-500">{t('overdueSince')}</dt>
              <dd data-testid="case-overdue-since">
                <DateIn date={c.overdueSince} locale={locale} />
                {/* How long, as lenders count it (from the day after the missed payment): while it is negotiated, not under a plan or closed. */}
                {stillOverdue && (
                  <>
                    {' '}
                    <span className="text-stone-600">{t('overdueDays', { days: daysBetween(c.overdueSince, today) })}</span>
                  </>
                )}
              </dd>
            </div>
          )}
          {c.status === 'closed' && c.outcome && (
            <div className="flex gap-1">
              <dt className="text-stone-500">{t('outcome')}</dt>
              <dd data-testid="case-outcome">{d(`outcome.${c.outcome}`)}</dd>
            </div>
          )}
          {c.note && (
            <div className="flex basis-full gap-1">
              <dt className="shrink-0 text-stone-500">{t('note')}</dt>
              <dd className="whitespace-pre-line wrap-anywhere">{c.note}</dd>
            </div>
          )}
        </dl>
      )}
    </header>
  );
}
