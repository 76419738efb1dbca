import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { getCase, getCaseDetail, type CaseDetail } from '@/db/cases';
import { suggestChecklist } from '@/db/documents';
import { getViewer, requireViewer } from '@/db/viewer';
import { todayInShanghai } from '@/lib/dates';
import { NotFoundError } from '@/lib/errors';
import { ActionPanel } from './_components/action-panel';
import { AttemptsHistory } from './_components/attempts-history';
import { CaseHeader } from './_components/case-header';
import { ContactsSection } from './_components/contacts-section';
import { DocumentsSection } from './_components/documents-section';
import { caseView } from '@/lib/folds';
import { NextStepPanel } from './_components/next-step';
import { NoteForm } from './_components/note-form';
import { PlanSection } from './_components/plan-section';
import { RemindersSection } from './_components/reminders-section';
import { Timeline } from './_components/timeline';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A case id from the URL, or null for anything that is not a plain positive integer. */
function parseId(raw: string): number | null {
  if (!/^[1-9]\d{0,14}$/.test(raw)) return null;
  return Number(raw);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await getTranslations('case');
  const id = parseId((await params).id);
  const viewer = await getViewer();
  if (!id || !viewer) return { title: t('title') };
  try {
    const { case: c, lender } = getCase(viewer, id);
    return { title: c.product ? `${lender.name} · ${c.product}` : lender.name };
  } catch {
    return { title: t('title') };
  }
}

export default async function CasePage({ params, searchParams }: Props) {
  const viewer = await requireViewer();
  const id = parseId((await params).id);
  if (!id) notFound();
  let detail: CaseDetail;
  try {
    detail = getCaseDetail(viewer, id);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
  // Only the owner changes a case; anyone else who may read it (an advisor with an active share)
  // sees no forms but the note and the reminder, and the server refuses the rest anyway.
  const canWrite = detail.access.isOwner;
  const ts = await getTranslations('sharing.caseView');
  const client = detail.access.ownerName;
  // Suggestions help while the case is open; a closed case needs no more paperwork.
  const suggested = canWrite && detail.case.status !== 'closed' ? suggestChecklist(viewer, id) : [];
  const today = todayInShanghai();
  const locale = await getLocale();
  // The forms and the long lists beyond the first screen are rendered when the URL asks for them.
  const view = caseView(id, await searchParams);

  return (
    <div className="grid gap-4" data-testid="case-page" data-case-id={id} data-status={detail.case.status} data-version={detail.case.version} data-read-only={canWrite ? undefined : '1'}>
      {!canWrite && (
        <div role="note" className="grid gap-1 rounded-lg border border-violet-300 bg-violet-50 p-3 text-violet-950" data-testid="advisor-banner">
          <p className="font-medium break-words">{ts('advisorBanner', { client })}</p>
          <p className="text-sm">{ts('advisorBannerHint', { client })}</p>
        </div>
      )}
      <CaseHeader detail={detail} canWrite={canWrite} />
      <div className="grid gap-4 lg:grid-cols-3 lg:items-start">
        <div className="grid min-w-0 gap-4 lg:col-span-2">
          <NextStepPanel detail={detail} today={today} />
          {canWrite && <ActionPanel detail={detail} today={today} locale={locale} view={view} />}
          <PlanSection detail={detail} today={today} canWrite={canWrite} view={view} />
          <AttemptsHistory detail={detail} />
        </div>
        <div className="grid min-w-0 gap-4">
          <RemindersSection
            viewer={viewer}
            caseId={id}
            canAdd
            addHint={canWrite ? undefined : ts('reminderHintAdvisor', { client })}
            today={today}
            view={view}
          />
          <DocumentsSection detail={detail} suggested={suggested} canWrite={canWrite} view={view} />
          <ContactsSection detail={detail} canWrite={canWrite} view={view} />
        </div>
      </div>
      <Timeline detail={detail} viewer={viewer} view={view}>
        <NoteForm caseId={id} isOwner={canWrite} view={view} />
      </Timeline>
    </div>
  );
}
