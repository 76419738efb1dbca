import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getPublicLender } from '@/db/lenders';
import type { Lender } from '@/db/schema';
import { requireViewer } from '@/db/viewer';
import { NotFoundError } from '@/lib/errors';
import { AdminNav } from '../../_components/admin-nav';
import { LenderCurationForm } from '../../_components/lender-curation-form';

type Params = Promise<{ id: string }>;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin.lenders'))('editTitle') };
}

/** One public lender's edit form. Not an admin, a private lender, no such lender: "not found" alike. */
export default async function EditPublicLenderPage({ params }: { params: Params }) {
  const viewer = await requireViewer();
  const { id } = await params;
  const lenderId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  if (!lenderId) notFound();
  let lender: Lender;
  try {
    lender = getPublicLender(viewer, lenderId);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
  const t = await getTranslations('admin.lenders');
  return (
    <div className="grid gap-6">
      <div className="grid gap-3">
        <p className="text-sm">
          <Link href="/admin/lenders" className="text-teal-700 underline">
            {t('back')}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold wrap-anywhere">{t('editHeading', { name: lender.name })}</h1>
        <AdminNav current="lenders" />
        <p className="max-w-prose text-sm text-stone-600">{t('editIntro')}</p>
      </div>
      <section className="rounded-lg border border-stone-200 bg-white p-4 sm:p-6" aria-label={t('editTitle')}>
        <LenderCurationForm lender={lender} />
      </section>
    </div>
  );
}
