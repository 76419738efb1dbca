import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { Lender } from '@/db/schema';
import { channelsIn } from '@/lib/lender-guidance';
import { telHref } from '@/lib/phone';
import { EditLenderForm } from './add-lender-form';

const chip = 'inline-flex items-center rounded-full bg-stone-100 px-2 py-0.5 text-xs text-stone-800';

/** One lender in the directory: how to reach it, what it is known to offer and ask for. */
export async function LenderCard({ lender, canCreateCase, canEdit = false }: { lender: Lender; canCreateCase: boolean; canEdit?: boolean }) {
  // canEdit: an admin's link to the curation form for a public lender; for a private lender (only
  // ever its owner's card), the owner's own edit form.
  const t = await getTranslations('lenders.card');
  const d = await getTranslations('domain');
  const channels = channelsIn(lender.channels, await getLocale());
  const hotlineHref = channels.hotline ? telHref(channels.hotline) : null;
  const isPrivate = lender.ownerId !== null;
  return (
    <article
      className="flex flex-col gap-3 rounded-lg border border-stone-200 bg-white p-4"
      data-testid="lender-card"
      data-lender-id={lender.id}
      aria-labelledby={`lender-${lender.id}`}
    >
      <header className="grid gap-1">
        <h3 id={`lender-${lender.id}`} className="text-base font-semibold wrap-anywhere text-stone-900">
          {lender.name}
        </h3>
        <p className="flex flex-wrap gap-1.5 text-xs">
          <span className="rounded-full bg-teal-50 px-2 py-0.5 text-teal-800 ring-1 ring-teal-200 ring-inset">{d(`lenderKind.${lender.kind}`)}</span>
          {isPrivate && (
            <span className="rounded-full bg-amber-50 px-2 py-0.5 text-amber-900 ring-1 ring-amber-200 ring-inset">{t('private')}</span>
          )}
        </p>
      </header>

      <dl className="grid gap-2.5 text-sm">
        {lender.products.length > 0 && (
          <div>
            <dt className="text-xs text-stone-500">{t('products')}</dt>
            <dd className="mt-1 flex flex-wrap gap-1">
              {lender.products.map((p) => (
                <span key={p} className={chip}>
                  {p}
                </span>
              ))}
            </dd>
          </div>
        )}
        {channels.hotline && (
          <div>
            <dt className="text-xs text-stone-500">{t('hotline')}</dt>
            <dd>
              {hotlineHref ? (
                <a href={hotlineHref} className="inline-flex min-h-10 items-center font-medium text-teal-700 tabular-nums underline" data-testid="lender-hotline">
                  {channels.hotline}
                </a>
              ) : (
                <span className="wrap-anywhere text-stone-800 tabular-nums" data-testid="lender-hotline">
                  {channels.hotline}
                </span>
              )}
            </dd>
          </div>
        )}
        {channels.app && (
          <div>
            <dt className="text-xs text-stone-500">{t('app')}</dt>
            <dd className="wrap-anywhere text-stone-800">{channels.app}</dd>
          </div>
        )}
        {channels.branch && (
          <div>
            <dt className="text-xs text-stone-500">{t('branch')}</dt>
            <dd className="wrap-anywhere text-stone-800">{channels.branch}</dd>
          </div>
        )}
        <div>
          <dt className="text-xs text-stone-500">{t('reviewTime')}</dt>
          <dd className="text-stone-800">{t('reviewWorkdays', { count: lender.reviewWorkdays })}</dd>
        </div>
        {lender.programs.length > 0 && (
          <div>
            <dt className="text-xs text-stone-500">{t('programs')}</dt>
            <dd className="mt-1 flex flex-wrap gap-1">
              {lender.programs.map((p) => (
                <span key={p} className="inline-flex items-center rounded-full bg-sky-50 px-2 py-0.5 text-xs text-sky-900">
                  {d(`program.${p}`)}
                </span>
              ))}
            </dd>
          </div>
        )}
        {lender.documents.length > 0 && (
          <div>
            <dt className="text-xs text-stone-500">{t('documents')}</dt>
            <dd className="mt-1 flex flex-wrap gap-1">
              {lender.documents.map((k) => (
                <span key={k} className={chip}>
                  {d(`documentKind.${k}`)}
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>

      {channels.complaint && (
        <details className="group rounded-md bg-stone-50 text-sm">
          <summary className="flex min-h-10 cursor-pointer list-none items-center gap-2 px-3 font-medium text-stone-800 [&::-webkit-details-marker]:hidden">
            <span aria-hidden className="text-stone-500 transition-transform group-open:rotate-90">
              ▸
            </span>
            {t('complaint')}
          </summary>
          <p className="px-3 pb-3 wrap-anywhere text-stone-700">{channels.complaint}</p>
        </details>
      )}

      {canEdit && !isPrivate && (
        <div className="mt-auto pt-1">
          <Link
            href={`/admin/lenders/${lender.id}`}
            className="inline-flex min-h-10 items-center rounded-md border border-teal-700 px-3 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50"
            data-testid="lender-edit"
          >
            {t('edit')}
          </Link>
        </div>
      )}

      {canEdit && isPrivate && <EditLenderForm lender={lender} />}

      {canCreateCase && (
        <div className="mt-auto pt-1">
          <Link
            href={`/cases/new?lender=${lender.id}`}
            className="inline-flex min-h-10 items-center rounded-md border border-teal-700 px-3 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50"
            data-testid="lender-new-case"
          >
            {t('newCase')}
          </Link>
        </div>
      )}
    </article>
  );
}
