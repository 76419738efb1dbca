import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { listLenders } from '@/db/lenders';
import { redirect } from 'next/navigation';
import { requireViewer } from '@/db/viewer';
import { newFormKey } from '@/lib/form-key';
import { createCaseAction } from '../actions';
import { CaseForm } from '../_components/case-form';
import { RestoreDraft } from '../_components/new-case-draft';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('cases'))('new.title') };
}

export default async function NewCasePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  if (viewer.role !== 'borrower') redirect('/cases');
  const t = await getTranslations('cases');
  const lenders = listLenders(viewer);
  // ?lender=<id> preselects a lender (from the directory, or right after adding a private one).
  const wanted = Number((await searchParams).lender);
  const preselected = lenders.find((l) => l.id === wanted)?.id ?? null;
  return (
    <div className="mx-auto grid max-w-3xl gap-4">
      <div className="grid gap-1">
        <Link href="/cases" className="inline-flex min-h-10 items-center self-start text-sm text-teal-700 hover:underline">
          ← {t('backToList')}
        </Link>
        <h1 className="text-2xl font-semibold">{t('new.title')}</h1>
        <p className="text-sm text-stone-600">{t('new.intro')}</p>
      </div>
      <section className="rounded-lg border border-stone-200 bg-white p-4 sm:p-6">
        <CaseForm
          action={createCaseAction}
          lenders={lenders}
          defaults={{ lenderId: preselected }}
          hidden={{ formKey: newFormKey() }}
          submitLabel={t('new.submit')}
          pendingLabel={t('new.pending')}
          testId="case-form"
          addLenderHref="/lenders?from=new-case#add-lender"
          keepDraft
        />
        <RestoreDraft formTestId="case-form" />
      </section>
    </div>
  );
}
