import { getLocale, getTranslations } from 'next-intl/server';
import type { CaseDetail } from '@/db/cases';
import type { suggestChecklist } from '@/db/documents';
import type { ReminderRow } from '@/db/reminders';
import { formatDate } from '@/lib/dates';
import type { CaseView } from '@/lib/folds';
import { ActionPanel } from './action-panel';
import { AttemptsHistory } from './attempts-history';
import { CaseHeader } from './case-header';
import { ContactsSection } from './contacts-section';
import { DocumentsSection } from './documents-section';
import { NextStepPanel } from './next-step';
import { NoteForm } from './note-form';
import { PlanSection } from './plan-section';
import { PrintOnOpen } from './print-on-open';
import { RemindersSection } from './reminders-section';
import { SavedNotice } from './saved-notice';
import { Timeline } from './timeline';

/** Everything the case page shows, read by app/cases/[id]/load.ts (or, for the benchmark's ceiling, from a snapshot). */
export type CaseModel = {
  id: number;
  viewerId: number;
  today: string;
  detail: CaseDetail;
  suggested: ReturnType<typeof suggestChecklist>;
  /** The case's reminders, open and closed. */
  reminders: ReminderRow[];
  /** The viewer's due reminders across their cases. */
  dueCount: number;
};

/** The case page's markup. */
export async function CaseScreen({ model, view, bench }: { model: CaseModel; view: CaseView; bench?: string }) {
  const { id, viewerId, today, detail, suggested, reminders, dueCount } = model;
  // Only the owner changes a case; anyone else who may read it (an advisor with an active share)
  // sees no forms but the note and the reminder, and the server refuses the rest anyway.
  const canWrite = detail.access.isOwner;
  const ts = await getTranslations('sharing.caseView');
  const tc = await getTranslations('case');
  const client = detail.access.ownerName;
  const locale = await getLocale();

  return (
    <div className="grid gap-4" data-testid="case-page" data-case-id={id} data-status={detail.case.status} data-version={detail.case.version} data-read-only={canWrite ? undefined : '1'} data-bench={bench}>
      {!canWrite && (
        <div role="note" className="grid gap-1 rounded-lg border border-violet-300 bg-violet-50 p-3 text-violet-950" data-testid="advisor-banner">
          <p className="font-medium wrap-anywhere">{ts('advisorBanner', { client })}</p>
          <p className="text-sm">{ts('advisorBannerHint', { client })}</p>
        </div>
      )}
      {canWrite && view.saved && <SavedNotice message={tc(view.saved === 'created' ? 'saved.caseCreated' : 'saved.caseUpdated')} />}
      <CaseHeader detail={detail} canWrite={canWrite} today={today} view={view} />
      <div className="grid gap-4 lg:grid-cols-3 lg:items-start">
        <div className="grid min-w-0 gap-4 lg:col-span-2">
          <NextStepPanel detail={detail} today={today} client={canWrite ? undefined : client} />
          {canWrite && <ActionPanel detail={detail} today={today} locale={locale} view={view} />}
          <PlanSection detail={detail} today={today} canWrite={canWrite} view={view} />
          <AttemptsHistory detail={detail} canWrite={canWrite} today={today} view={view} />
        </div>
        <div className="grid min-w-0 gap-4">
          <RemindersSection
            rows={reminders}
            dueCount={dueCount}
            viewerId={viewerId}
            caseId={id}
            canAdd
            addHint={canWrite ? undefined : ts('reminderHintAdvisor', { client })}
            client={canWrite ? undefined : client}
            today={today}
            view={view}
          />
          <DocumentsSection detail={detail} suggested={suggested} canWrite={canWrite} view={view} />
          <ContactsSection detail={detail} canWrite={canWrite} view={view} />
        </div>
      </div>
      <Timeline detail={detail} viewerId={viewerId} view={view}>
        <NoteForm caseId={id} isOwner={canWrite} view={view} />
      </Timeline>
      <p className="hidden text-xs text-stone-500 print:block" data-testid="printed-on">
        {tc('printedOn', { date: formatDate(today, locale) })}
      </p>
      {view.printing && <PrintOnOpen after={view.printedHref} />}
    </div>
  );
}
