'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { suggestLenderChange } from '@/db/lender-suggestions';
import { createPrivateLender, updatePrivateLender } from '@/db/lenders';
import { formKey, idSchema, lenderSchema, lenderSuggestionSchema } from '@/lib/validation';

export const createPrivateLenderAction = formAction(
  lenderSchema.extend({ formKey, from: z.enum(['new-case']).optional().catch(undefined) }),
  async (viewer, data) => {
    const { formKey: key, from, ...input } = data;
    const lender = createPrivateLender(viewer, input, key);
    revalidatePath('/lenders');
    // Came here from "new case" because the lender was missing: go back with it chosen.
    if (from === 'new-case') redirect(`/cases/new?lender=${lender.id}`);
    const t = await getTranslations('lenders');
    return { status: 'ok', message: t('add.added', { name: lender.name }), nonce: Date.now() };
  },
);

/** A borrower corrects their own private lender. */
export const updatePrivateLenderAction = formAction(lenderSchema.extend({ lenderId: idSchema, fingerprint: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'form_expired') }), async (viewer, data) => {
  const { lenderId, fingerprint, ...input } = data;
  const lender = updatePrivateLender(viewer, lenderId, fingerprint, input);
  revalidatePath('/lenders');
  const t = await getTranslations('lenders.edit');
  return { status: 'ok', message: t('saved', { name: lender.name }), nonce: Date.now() };
});

/** An advisor's suggestion to the public directory, for an admin to act on. */
export const suggestLenderChangeAction = formAction(lenderSuggestionSchema.extend({ formKey }), async (viewer, data) => {
  suggestLenderChange(viewer, { lenderId: data.lenderId, body: data.body }, data.formKey);
  revalidatePath('/lenders');
  const t = await getTranslations('lenders.suggest');
  return { status: 'ok', message: t('sent'), nonce: Date.now() };
});
