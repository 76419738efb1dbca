'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { flashSaved } from '@/app/_lib/flash';
import { formAction } from '@/app/_lib/action';
import { signOut } from '@/auth';
import { deleteAccount } from '@/db/account';
import { regenerateCalendarToken } from '@/db/calendar';
import { setEmailReminders } from '@/db/mailer';
import { cancelEmailChange, changeEmail, changePassword, normaliseEmail, revokeOtherSessions, sendEmailConfirmation, updateProfile } from '@/db/users';
import { DomainError } from '@/lib/errors';
import { isWeakNewPassword } from '@/lib/password-strength';
import { changeEmailSchema, changePasswordSchema } from '@/lib/validation';

export const changePasswordAction = formAction(
  changePasswordSchema,
  async (viewer, data) => {
    await changePassword(viewer, data.current, data.next);
    const t = await getTranslations('settings');
    return { status: 'ok', message: t('passwordChanged'), nonce: Date.now() };
  },
  // A new password too easy to guess is said with a wrong current one or a confirmation that differs.
  {
    alongside: async (viewer, values) => ((await isWeakNewPassword(values.next, viewer)) ? [new DomainError('password_weak', { field: 'next' })] : []),
    secret: ['current', 'next', 'confirm'],
  },
);

/**
 * The sign-in email (and where mail goes): the new address twice and the password; the form empties
 * once it is done. Where mail goes out, the new address waits for the link mailed to it (db/users.ts changeEmail).
 */
export const changeEmailAction = formAction(
  changeEmailSchema,
  async (viewer, data) => {
    const { email, pending } = await changeEmail(viewer, { password: data.password, email: data.email });
    revalidatePath('/settings');
    const t = await getTranslations('settings');
    return { status: 'ok', message: pending ? t('emailChangePending', { email, current: viewer.email }) : t('emailChanged', { email }), nonce: Date.now() };
  },
  { secret: ['password'] },
);

/** The confirmation link mailed again (at most five a day): to the new address while a change waits for it, else to the sign-in email. */
export const sendEmailConfirmationAction = formAction(z.object({}), async (viewer) => {
  const email = await sendEmailConfirmation(viewer);
  const t = await getTranslations('settings');
  return { status: 'ok', message: t('confirmationSent', { email }), nonce: Date.now() };
});

/**
 * The change of sign-in email that waits for its link, cancelled: the link stops working. Nothing was
 * waiting (its link was opened in another tab, or it was cancelled or ended there): said as such, with
 * the sign-in email as it is now (the viewer is read afresh on every request), not as a cancellation.
 * Either way the page is drawn again without the waiting notice, and this form goes with it: the
 * page drawn next says the answer in short (the save flash), beside the sign-in email it shows.
 */
export const cancelEmailChangeAction = formAction(z.object({}), async (viewer) => {
  const cancelled = cancelEmailChange(viewer);
  const t = await getTranslations('settings');
  const message = t(cancelled ? 'emailChangeCancelled' : 'emailChangeNoneWaiting', { email: viewer.email });
  revalidatePath('/settings');
  // The flash names no address: the page drawn again shows the sign-in email as it is now.
  await flashSaved(t(cancelled ? 'emailChangeCancelledFlash' : 'emailChangeNoneWaitingFlash'));
  return { status: 'ok', message, nonce: Date.now() };
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

// --- the account itself -----------------------------------------------------------------------

const deleteAccountSchema = z.object({
  password: z.string().min(1, 'required').max(200, 'too_long'),
  confirm: z.string().trim().min(1, 'required').max(320, 'too_long'),
});

const DELETE_REFUSALS: Record<string, { field?: 'password' | 'confirm'; key: string }> = {
  wrong_password: { field: 'password', key: 'wrongPassword' },
  confirm_mismatch: { field: 'confirm', key: 'confirmMismatch' },
  last_admin: { key: 'lastAdmin' },
};

/**
 * Deletes the viewer's account (password and typed email first; a refusal changes nothing and
 * says so), then signs this browser out and lands on the sign-in page, which says it is done.
 * The account's other sessions ended with it: their rows are gone.
 */
export const deleteAccountAction = formAction(
  deleteAccountSchema,
  async (viewer, data) => {
    try {
      await deleteAccount(viewer, { password: data.password, confirmEmail: data.confirm });
    } catch (e) {
      const refusal = e instanceof DomainError ? DELETE_REFUSALS[e.code] : undefined;
      if (!refusal) throw e;
      const t = await getTranslations('account.danger');
      const message = t(refusal.key);
      // A refusal about one field is said under that field; the form says only what a validation
      // error says there (the same sentence twice read as two problems).
      const formMessage = refusal.field ? (await getTranslations('errors'))('check_fields') : message;
      const fieldErrors: Record<string, string> | undefined = refusal.field ? { [refusal.field]: message } : undefined;
      // The password is asked first and the verb stops there: a mistyped email is said with it, not on the next try.
      if (fieldErrors && e instanceof DomainError && e.code === 'wrong_password' && normaliseEmail(data.confirm) !== viewer.email) {
        fieldErrors.confirm = t('confirmMismatch');
      }
      return {
        status: 'error',
        message: formMessage,
        fieldErrors,
        // Never the password: only what the person typed as confirmation comes back.
        values: { confirm: data.confirm },
        nonce: Date.now(),
      };
    }
    await signOut({ redirectTo: '/signin?deleted=1' });
  },
  { secret: ['password'] },
);
