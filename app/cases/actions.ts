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

/**
 * The same account with the same lender is open already (case_duplicate): a link to it, and the same
 * button saves this one anyway (the answer carries the confirmation as a hidden field). `again`: the
 * sentence that names the form's own button.
 */
async function duplicateRefusal(formData: FormData, e: DomainError, again: 'new' | 'edit') {
  const t = await getTranslations('errors');
  const { lender, ref, caseId } = e.detail.values ?? {};
  const values = { lender: String(lender), ref: String(ref) };
  return refusal(formData, {
    message: again === 'new' ? t('case_duplicate', values) : (await getTranslations('cases.edit'))('duplicate', values),
    fieldErrors: { accountRef: t('case_duplicate_field') },
    hidden: { allowDuplicate: '1' },
    link: { href: `/cases/${caseId}`, label: t('case_duplicate_link') },
  });
}

const isDuplicate = (e: unknown): e is DomainError => e instanceof DomainError && e.code === 'case_duplicate';

export const createCaseAction = formAction(caseSchema.extend({ formKey }), async (viewer, data, formData) => {
  const { formKey: key, ...input } = data;
  let id: number;
  try {
    id = createCase(viewer, input, key, { allowDuplicate: formData.get('allowDuplicate') === '1' });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    return duplicateRefusal(formData, e, 'new');
  }
  revalidatePath('/cases');
  redirect(`/cases/${id}?saved=created`);
});

export const updateCaseAction = formAction(
  caseSchema.extend({ caseId: idSchema, version: versionSchema }),
  async (viewer, data, formData) => {
    const { caseId, version, ...input } = data;
    // The account ref or lender now that of another open case: asked as a new case is (createCaseAction).
    const options = { allowDuplicate: formData.get('allowDuplicate') === '1' };
    try {
      try {
        updateCase(viewer, caseId, version, input, options);
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        // `base`: the values the form was opened with, read only to tell, after a conflict, a field changed
        // here from one changed elsewhere (caseConflict ignores one that is not the form's own).
        const base = formData.get('base');
        const outcome = await caseConflict(viewer, caseId, input, formData, typeof base === 'string' ? base : undefined);
        if ('state' in outcome) return outcome.state;
        // Changed elsewhere in other fields only: both changes kept, saved now (a third save meanwhile
        // is a conflict again, reported as such).
        updateCase(viewer, caseId, outcome.version, outcome.merged, options);
      }
    } catch (e) {
      if (!isDuplicate(e)) throw e;
      // Also after a merge: the form keeps the version it was opened with, so that saving anyway merges
      // again rather than write what this form shows over the other change.
      return duplicateRefusal(formData, e, 'edit');
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
