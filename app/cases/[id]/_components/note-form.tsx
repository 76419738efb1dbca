import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { TextArea } from '@/components/form/fields';
import { newFormKey } from '@/lib/form-key';
import { addCaseNoteAction } from '../actions';
import { Fold } from './parts';

/**
 * A note on the timeline: the borrower's own, or their advisor's (marked as the advisor's, seen
 * by the borrower). Open by default for an advisor, for whom it is the main thing to do here.
 */
export async function NoteForm({ caseId, isOwner }: { caseId: number; isOwner: boolean }) {
  const t = await getTranslations('sharing.notes');
  return (
    <Fold summary={t('title')} hint={isOwner ? t('hintOwner') : t('hintAdvisor')} open={!isOwner} testId="add-note">
      <ActionForm
        action={addCaseNoteAction}
        hidden={{ caseId, formKey: newFormKey() }}
        submitLabel={t('submit')}
        pendingLabel={t('pending')}
        testId="note-form"
      >
        <TextArea name="text" label={t('label')} placeholder={t('placeholder')} rows={3} maxLength={2000} required />
      </ActionForm>
    </Fold>
  );
}
