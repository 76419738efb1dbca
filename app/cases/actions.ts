'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction, refusal } from '@/app/_lib/action';
import { createCase, deleteCase, setCaseArchived, updateCase } from '@/db/cases';
import { ConflictError, DomainError } from '@/lib/errors';
import { caseSchema, formKey, idSchema, versionSchema } from '@/lib/validation';
import { caseConflict } from './_lib/conflict';

export const createCaseAction = formAction(caseSchema.extend({ formKey }), async (viewer, data, formData) => {
  const { formKey: key, ...input } = data;
  let id: number;
  try {
    id = createCase(viewer, input, key, { allowDuplicate: formData.get('allowDuplicate') === '1' });
  } catch (e) {
    if (!(e instanceof DomainError) || e.code !== 'case_duplicate') throw e;
    // The same account with the same lender is open already: a link to it, and the same button saves
    // this one anyway (the answer carries the confirmation as a hidden field).
    const t = await getTranslations('errors');
    const { lender, ref, caseId } = e.detail.values ?? {};
    return refusal(formData, {
      message: t('case_duplicate', { lender: String(lender), ref: String(ref) }),
      fieldErrors: { accountRef: t('case_duplicate_field') },
      hidden: { allowDuplicate: '1' },
      link: { href: `/cases/${caseId}`, label: t('case_duplicate_link') },
    });
  }
  revalidatePath('/cases');
  redirect(`/cases/${id}?saved=created`);
});

export const updateCaseAction = formAction(
  caseSchema.extend({ caseId: idSchema, version: versionSchema }),
  async (viewer, data, formData) => {
    const { caseId, version, ...input } = data;
    try {
      updateCase(viewer, caseId, version, input);
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      // `base`: the values the form was opened with, read only to tell, after a conflict, a field changed
      // here from one changed elsewhere (caseConflict ignores one that is not the form's own).
      const base = formData.get('base');
      const outcome = await caseConflict(viewer, caseId, input, formData, typeof base === 'string' ? base : undefined);
      if ('state' in outcome) return outcome.state;
      // Changed elsewhere in other fields only: both changes kept, saved now (a third save meanwhile
      // is a conflict again, reported as such).
      updateCase(viewer, caseId, outcome.version, outcome.merged);
    }
    revalidatePath('/cases');
    revalidatePath(`/cases/${caseId}`);
    redirect(`/cases/${caseId}?saved=updated`);
  },
);

export const setArchivedAction = formAction(
  z.object({ caseId: idSchema, version: versionSchema, archived: z.enum(['0', '1']) }),
  async (viewer, data) => {
    const archived = data.archived === '1';
    setCaseArchived(viewer, data.caseId, data.version, archived);
    revalidatePath('/cases');
    revalidatePath(`/cases/${data.caseId}`);
    // Archiving takes the case out of the list: say where it went. Unarchiving brings it back to its page.
    redirect(archived ? '/cases?done=archived' : `/cases/${data.caseId}`);
  },
);

export const deleteCaseAction = formAction(z.object({ caseId: idSchema, version: versionSchema }), async (viewer, data) => {
  deleteCase(viewer, data.caseId, data.version);
  revalidatePath('/cases');
  redirect('/cases?done=deleted');
});
