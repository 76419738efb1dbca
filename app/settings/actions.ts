'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { changePassword, revokeOtherSessions, updateProfile } from '@/db/users';
import { changePasswordSchema } from '@/lib/validation';

export const changePasswordAction = formAction(changePasswordSchema, async (viewer, data) => {
  await changePassword(viewer, data.current, data.next);
  const t = await getTranslations('settings');
  return { status: 'ok', message: t('passwordChanged'), nonce: Date.now() };
});

export const signOutEverywhereAction = formAction(z.object({}), async (viewer) => {
  const n = revokeOtherSessions(viewer);
  const t = await getTranslations('settings');
  return { status: 'ok', message: t('signedOutOthers', { count: n }), nonce: Date.now() };
});

export const updateProfileAction = formAction(
  z.object({ displayName: z.string().trim().min(1, 'required').max(60, 'too_long') }),
  async (viewer, data) => {
    updateProfile(viewer, { displayName: data.displayName });
    revalidatePath('/', 'layout');
    const t = await getTranslations('settings');
    return { status: 'ok', message: t('profileSaved'), nonce: Date.now() };
  },
);
