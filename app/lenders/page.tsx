import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { listMyLenderSuggestions } from '@/db/lender-suggestions';
import { listLenders } from '@/db/lenders';
import { requireViewer } from '@/db/viewer';
import { lenderMatches } from '@/lib/lender-aliases';
import { AddLenderForm } from './_components/add-lender-form';
import { LenderCard } from './_components/lender-card';
import { SuggestLenderForm } from './_components/suggest-lender-form';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('lenders'))('title') };
}

export default async function LendersPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer();
  const t = await getTranslations('lenders');
  const c = await getTranslations('common');
  const sp = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const q = (first(sp.q) ?? '').trim().slice(0, 60);
  const fromNewCase = first(sp.from) === 'new-case';
  const isBorrower = viewer.role === 'borrower';

  const all = listLenders(viewer);
  const shown = q ? all.filter((l) => lenderMatches(l, q)) : all;
  const publicLenders = shown.filter((l) => l.ownerId === null);
  const privateLenders = shown.filter((l) => l.ownerId !== null);
  const hasPrivate = all.some((l) => l.ownerId !== null);

  return (
    <div className="grid gap-6">
      <div className="grid gap-2">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="max-w-prose text-sm text-stone-600">{t('intro')}</p>
        {isBorrower && (
          <p className="text-sm">
            <a href="#add-lender" className="font-medium text-teal-700 underline" data-testid="jump-add-lender">
              {t('jumpToAdd')}
            </a>
          </p>
        )}
      </div>

      <form method="get" action="/lenders" role="search" className="flex gap-2" data-testid="lender-search">
        {fromNewCase && <input type="hidden" name="from" value="new-case" />}
        <label htmlFor="lenders-q" className="sr-only">
          {t('searchLabel')}
        </label>
        <input
          id="lenders-q"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={60}
          placeholder={t('searchPlaceholder')}
          className="block min-h-10 w-full min-w-0 flex-1 rounded-md border border-stone-300 bg-white px-3 py-2 text-base shadow-sm focus:border-teal-600 focus:ring-2 focus:ring-teal-600/50 focus:outline-none sm:max-w-md sm:text-sm"
        />
        <button
          type="submit"
          className="inline-flex min-h-10 shrink-0 items-center rounded-md border border-teal-700 px-4 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50"
        >
          {c('search')}
        </button>
        {q && (
          <Link
            href={fromNewCase ? '/lenders?from=new-case' : '/lenders'}
            className="inline-flex min-h-10 shrink-0 items-center rounded-md px-3 py-2 text-sm text-stone-700 hover:bg-stone-100"
          >
            {c('clear')}
          </Link>
        )}
      </form>
      {q && (
        <p className="-mt-3 text-sm text-stone-600" aria-live="polite" data-testid="lender-search-result">
          {t('searchResult', { count: shown.length, q })}
        </p>
      )}

      <section className="grid gap-3" aria-labelledby="public-lenders-h" data-testid="public-lenders">
        <h2 id="public-lenders-h" className="text-lg font-medium">
          {t('publicTitle')}
        </h2>
        {publicLenders.length > 0 ? (
          <div className="grid gap-3 sm:grid-cols-2">
            {publicLenders.map((l) => (
              <LenderCard key={l.id} lender={l} canCreateCase={isBorrower} canEdit={viewer.role === 'admin'} />
            ))}
          </div>
        ) : (
          <p className="rounded-lg border border-dashed border-stone-300 bg-white p-4 text-sm text-stone-600">{t('noneFound')}</p>
        )}
        <p className="text-xs text-stone-500">{t('disclaimer')}</p>
      </section>

      {(isBorrower || hasPrivate) && (
        <section className="grid gap-3" aria-labelledby="private-lenders-h" data-testid="private-lenders">
          <h2 id="private-lenders-h" className="text-lg font-medium">
            {t('privateTitle')}
          </h2>
          <p className="text-sm text-stone-600">{t('privateIntro')}</p>
          {privateLenders.length > 0 ? (
            <div className="grid gap-3 sm:grid-cols-2">
              {privateLenders.map((l) => (
                <LenderCard key={l.id} lender={l} canCreateCase={isBorrower} canEdit={l.ownerId === viewer.id} />
              ))}
            </div>
          ) : (
            <p className="rounded-lg border border-dashed border-stone-300 bg-white p-4 text-sm text-stone-600">
              {q && hasPrivate ? t('noneFound') : t('privateNone')}
            </p>
          )}
        </section>
      )}

      {viewer.role === 'advisor' && (
        <section id="suggest-lender" className="grid scroll-mt-4 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6" aria-labelledby="suggest-lender-h">
          <h2 id="suggest-lender-h" className="text-lg font-medium">
            {t('suggest.title')}
          </h2>
          <p className="text-sm text-stone-600">{t('suggest.intro')}</p>
          <SuggestLenderForm lenders={all.filter((l) => l.ownerId === null)} mine={listMyLenderSuggestions(viewer)} />
        </section>
      )}

      {isBorrower && (
        <section
          id="add-lender"
          className="grid scroll-mt-4 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6"
          aria-labelledby="add-lender-h"
        >
          <h2 id="add-lender-h" className="text-lg font-medium">
            {t('add.title')}
          </h2>
          <p className="text-sm text-stone-600">{fromNewCase ? t('add.introFromCase') : t('add.intro')}</p>
          <AddLenderForm fromNewCase={fromNewCase} />
        </section>
      )}
    </div>
  );
}
