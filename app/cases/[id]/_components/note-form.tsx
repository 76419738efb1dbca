import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { TextArea } from '@/components/form/fields';
import { newFormKey } from '@/lib/form-key';
import { addCaseNoteAction } from '../actions';
import type { CaseView } from '@/lib/folds';
import { LazyFold } from './lazy-fold';

/**
 * A note on the timeline: the borrower's own, or their advisor's (marked as the advisor's, seen
 * by the borrower). Open by default for an advisor, for whom it is the main thing to do here;
 * the borrower opens it (`?open=note`).
 */
export async function NoteForm({ caseId, isOwner, view }: { caseId: number; isOwner: boolean; view: CaseView }) {
  const t = await getTranslations('sharing.notes');
  const open = !isOwner || view.isOpen('note');
  return (
    <LazyFold
      name="note"
      summary={t('title')}
      hint={open ? (isOwner ? t('hintOwner') : t('hintAdvisor')) : undefined}
      open={open}
      href={view.openHref('note')}
      testId="add-note"
    >
      {open && (
        <ActionForm
          action={addCaseNoteAction}
          hidden={{ caseId, formKey: newFormKey() }}
          submitLabel={t('submit')}
          pendingLabel={t('pending')}
          testId="note-form"
        >
          <TextArea name="text" label={t('label')} placeholder={t('placeholder')} rows={3} maxLength={2000} required />
        </ActionForm>
      )}
    </LazyFold>
  );
}
