'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { regenerateCalendarToken } from '@/db/calendar';
import { setEmailReminders } from '@/db/mailer';
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

// --- the private calendar feed ---------------------------------------------------------------

/** A new feed address; the old one stops working at once. */
export const regenerateCalendarTokenAction = formAction(z.object({}), async (viewer) => {
  regenerateCalendarToken(viewer);
  revalidatePath('/settings');
  const t = await getTranslations('calendar');
  return { status: 'ok', message: t('regenerated'), nonce: Date.now() };
});

/** Reminder mails on or off ('1' / '0' from the settings page's hidden field). */
export const setEmailRemindersAction = formAction(z.object({ on: z.enum(['0', '1']) }), async (viewer, data) => {
  const on = data.on === '1';
  setEmailReminders(viewer, on);
  revalidatePath('/settings');
  const t = await getTranslations('mail.settings');
  return { status: 'ok', message: t(on ? 'turnedOn' : 'turnedOff'), nonce: Date.now() };
});
