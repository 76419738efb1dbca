import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listLenderSuggestions } from '@/db/lender-suggestions';
import { listLenders } from '@/db/lenders';
import { requireViewer } from '@/db/viewer';
import { AdminNav } from '../_components/admin-nav';
import { LenderCurationForm } from '../_components/lender-curation-form';
import { LenderSuggestions } from '../_components/lender-suggestions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin.lenders'))('title') };
}

/**
 * The public lender directory as an admin curates it: every public lender with a link to edit
 * it, and a form to add one. Private lenders are their owners' and never listed here. The
 * directory itself is public (listLenders); adding and editing are admins' only
 * (db/lenders.ts createPublicLender, updatePublicLender), and the page is "not found" for others.
 */
export default async function AdminLendersPage() {
  const viewer = await requireViewer();
  if (viewer.role !== 'admin') notFound();
  const t = await getTranslations('admin.lenders');
  const d = await getTranslations('domain');
  const directory = listLenders(viewer).filter((l) => l.ownerId === null);
  return (
    <div className="grid gap-6">
      <div className="grid gap-3">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <AdminNav current="lenders" />
        <p className="max-w-prose text-sm text-stone-600">{t('intro')}</p>
        <p className="text-sm">
          <a href="#add-public-lender" className="font-medium text-teal-700 underline">
            {t('jumpToAdd')}
          </a>
        </p>
      </div>
      <LenderSuggestions suggestions={listLenderSuggestions(viewer)} />
      <section aria-labelledby="directory-h" className="grid gap-3">
        <h2 id="directory-h" className="text-lg font-medium">
          {t('listTitle', { count: directory.length })}
        </h2>
        <ul className="grid gap-2 sm:grid-cols-2" data-testid="admin-lender-list">
          {directory.map((l) => (
            <li key={l.id} className="flex items-center justify-between gap-3 rounded-lg border border-stone-200 bg-white p-3" data-testid="admin-lender" data-lender-id={l.id}>
              <div className="min-w-0">
                <p className="font-medium wrap-anywhere">{l.name}</p>
                <p className="text-xs text-stone-500">
                  {d(`lenderKind.${l.kind}`)} · {t('reviewWorkdays', { count: l.reviewWorkdays })}
                </p>
              </div>
              <Link
                href={`/admin/lenders/${l.id}`}
                className="inline-flex min-h-10 shrink-0 items-center rounded-md border border-teal-700 px-3 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50"
                data-testid="edit-lender"
                aria-label={t('editNamed', { name: l.name })}
              >
                {t('edit')}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section id="add-public-lender" aria-labelledby="add-public-lender-h" className="grid scroll-mt-4 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6">
        <h2 id="add-public-lender-h" className="text-lg font-medium">
          {t('addTitle')}
        </h2>
        <p className="text-sm text-stone-600">{t('addIntro')}</p>
        <LenderCurationForm />
      </section>
    </div>
  );
}
