'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { resolveLenderSuggestion } from '@/db/lender-suggestions';
import { createPublicLender, updatePublicLender } from '@/db/lenders';
import { lenderFingerprint } from '@/lib/lender-curation';
import { formKey, idSchema, publicLenderSchema } from '@/lib/validation';

/**
 * The lender directory's curation (app/admin/lenders): admins add public lenders and change what
 * the directory shows of them (db/lenders.ts; anyone else: "not found"). Private lenders stay
 * their owners'. Every page that shows lenders reads them afresh.
 */

function revalidateDirectory() {
  revalidatePath('/admin/lenders');
  revalidatePath('/lenders');
}

export const createPublicLenderAction = formAction(
  z.object({ formKey }).and(publicLenderSchema),
  async (viewer, data) => {
    const { formKey: key, ...input } = data;
    const lender = createPublicLender(viewer, input, key);
    revalidateDirectory();
    const t = await getTranslations('admin.lenders');
    return { status: 'ok', message: t('created', { name: lender.name }), nonce: Date.now() };
  },
);

export const updatePublicLenderAction = formAction(
  z.object({ lenderId: idSchema, fingerprint: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'form_expired') }).and(publicLenderSchema),
  async (viewer, data) => {
    const { lenderId, fingerprint, ...input } = data;
    const lender = updatePublicLender(viewer, lenderId, fingerprint, input);
    revalidateDirectory();
    revalidatePath(`/admin/lenders/${lenderId}`);
    const t = await getTranslations('admin.lenders');
    // The form goes on from the saved lender: saving again is not a conflict with oneself.
    return { status: 'ok', message: t('saved', { name: lender.name }), hidden: { fingerprint: lenderFingerprint(lender) }, nonce: Date.now() };
  },
);

/** An advisor's suggestion marked done (the directory was changed through its edit form) or dismissed. */
export const resolveLenderSuggestionAction = formAction(
  z.object({ suggestionId: idSchema, status: z.enum(['done', 'dismissed'], 'required') }),
  async (viewer, data) => {
    resolveLenderSuggestion(viewer, data.suggestionId, data.status);
    revalidatePath('/admin/lenders');
    const t = await getTranslations('admin.lenders.suggestions');
    return { status: 'ok', message: t(data.status === 'done' ? 'markedDone' : 'markedDismissed'), nonce: Date.now() };
  },
);
