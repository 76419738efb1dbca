import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/form/action-form';
import { getCase } from '@/db/cases';
import { listLenders } from '@/db/lenders';
import { requireViewer } from '@/db/viewer';
import { NotFoundError } from '@/lib/errors';
import { givenFenToYuanInput } from '@/lib/money';
import { deleteCaseAction, setArchivedAction, updateCaseAction } from '../../actions';
import { CaseForm } from '../../_components/case-form';
import { DeleteCaseForm } from '../../_components/delete-case-form';
import { caseFormValues } from '../../_lib/conflict';

type Props = { params: Promise<{ id: string }> };

async function load(params: Props['params']) {
  const viewer = await requireViewer();
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  try {
    const row = getCase(viewer, id);
    // Only the owner edits: an advisor reading a client's case has nothing to do here.
    if (row.case.ownerId !== viewer.id) notFound();
    return { viewer, row };
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await getTranslations('cases');
  const { row } = await load(params);
  return { title: t('edit.title', { lender: row.lender.name }) };
}

export default async function EditCasePage({ params }: Props) {
  const { viewer, row } = await load(params);
  const t = await getTranslations('cases');
  const c = await getTranslations('common');
  const kase = row.case;
  const section = 'grid gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6';
  return (
    <div className="mx-auto grid max-w-3xl gap-6">
      <div className="grid gap-1">
        <Link href={`/cases/${kase.id}`} className="inline-flex min-h-10 items-center self-start text-sm text-teal-700 hover:underline">
          ← {t('edit.backToCase')}
        </Link>
        <h1 className="text-2xl font-semibold">{t('edit.title', { lender: row.lender.name })}</h1>
        {kase.archived && (
          <p className="rounded-md bg-stone-100 px-3 py-2 text-sm text-stone-700" data-testid="archived-notice">
            {t('edit.archivedNotice')}
          </p>
        )}
      </div>

      <section className={section} aria-label={t('edit.title', { lender: row.lender.name })}>
        <CaseForm
          action={updateCaseAction}
          lenders={listLenders(viewer)}
          defaults={{
            lenderId: kase.lenderId,
            product: kase.product,
            accountRef: kase.accountRef,
            principal: givenFenToYuanInput(kase.principalFen),
            interest: givenFenToYuanInput(kase.interestFen),
            penalty: givenFenToYuanInput(kase.penaltyFen),
            overdueSince: kase.overdueSince,
            note: kase.note,
          }}
          // What the form opened with: a save refused because the case changed meanwhile keeps the other
          // change in the fields not touched here (app/cases/_lib/conflict.ts).
          hidden={{ caseId: kase.id, version: kase.version, base: JSON.stringify(caseFormValues(kase)) }}
          submitLabel={c('save')}
          pendingLabel={c('saving')}
          testId="case-edit-form"
          addLenderHref="/lenders#add-lender"
        />
      </section>

      <section className={section} aria-labelledby="archive-h">
        <h2 id="archive-h" className="text-lg font-medium">
          {kase.archived ? t('archive.unarchiveTitle') : t('archive.title')}
        </h2>
        <p className="text-sm text-stone-600">{kase.archived ? t('archive.unarchiveHint') : t('archive.hint')}</p>
        <ActionForm
          action={setArchivedAction}
          hidden={{ caseId: kase.id, version: kase.version, archived: kase.archived ? '0' : '1' }}
          submitLabel={kase.archived ? t('archive.unarchive') : t('archive.archive')}
          pendingLabel={c('saving')}
          testId="archive-form"
          submitClassName="inline-flex min-h-10 items-center rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100 disabled:opacity-60"
        />
      </section>

      <section className="grid gap-3 rounded-lg border border-red-200 bg-white p-4 sm:p-6" aria-labelledby="delete-h">
        <h2 id="delete-h" className="text-lg font-medium text-red-900">
          {t('delete.title')}
        </h2>
        <p className="text-sm text-stone-600">{t('delete.hint')}</p>
        <DeleteCaseForm
          action={deleteCaseAction}
          caseId={kase.id}
          version={kase.version}
          labels={{
            label: t('delete.button'),
            question: t('delete.question'),
            confirmLabel: t('delete.confirm'),
            cancelLabel: c('cancel'),
            pendingLabel: c('deleting'),
          }}
        />
      </section>
    </div>
  );
}
