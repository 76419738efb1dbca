'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { getLocale, getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { translateIssues } from '@/app/_lib/action';
import { signIn } from '@/auth';
import type { ActionState } from '@/components/form/state';
import {
  createUser,
  systemConfirmEmail,
  systemCountSignUpAttempt,
  systemEmailConfirmationState,
  systemMailNewAccountConfirmation,
  systemPasswordResetEmail,
  systemRequestPasswordReset,
  systemResetPassword,
} from '@/db/users';
import { clientAddress } from '@/lib/client-address';
import { DomainError } from '@/lib/errors';
import { asLocale } from '@/lib/i18n/config';
import { isWeakNewPassword } from '@/lib/password-strength';
import { RETURN_PARAM, safeReturnPath } from '@/lib/return-path';
import { confirmEmailSchema, forgotPasswordSchema, resetPasswordSchema, signInSchema, signUpSchema } from '@/lib/validation';

function values(formData: FormData, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, String(formData.get(n) ?? '')]));
}

let nonce = 0;

/** Signs in; a successful signIn() throws a redirect, so only AuthError is caught. */
async function signInWith(email: string, password: string, kept: Record<string, string>, back: string | null = null): Promise<ActionState> {
  const t = await getTranslations('auth');
  try {
    // Back to the page asked for (lib/return-path.ts), or everyone's own start page: app/page.tsx
    // sends each role where it belongs (an admin to /admin).
    await signIn('credentials', { email, password, redirectTo: back ?? '/' });
    return { status: 'ok' };
  } catch (e) {
    if (e instanceof AuthError) {
      const code = e instanceof CredentialsSignin ? e.code : '';
      const key = code === 'rate_limited' ? 'rateLimited' : code === 'account_disabled' ? 'accountDisabled' : 'invalidCredentials';
      // A wrong password with few tries left (auth.ts FewTriesLeft): how many, before the wait.
      const left = /^tries_left_(\d+)$/.exec(code);
      const message = left ? t('invalidTriesLeft', { count: Number(left[1]) }) : t(key);
      return { status: 'error', message, values: kept, nonce: ++nonce };
    }
    throw e;
  }
}

/** A hand-made request can encode any arguments: only a form is read. */
async function notAForm(): Promise<ActionState> {
  const t = await getTranslations('errors');
  return { status: 'error', message: t('check_fields'), nonce: ++nonce };
}

export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAForm();
  const kept = values(formData, 'email');
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const t = await getTranslations('errors');
    return { status: 'error', message: t('check_fields'), fieldErrors: await translateIssues(parsed.error.issues), values: kept, nonce: ++nonce };
  }
  return signInWith(parsed.data.email, parsed.data.password, kept, safeReturnPath(formData.get(RETURN_PARAM)));
}

export async function signUpAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAForm();
  const kept = values(formData, 'email', 'displayName', 'role');
  const t = await getTranslations('errors');
  const parsed = signUpSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fieldErrors = await translateIssues(parsed.error.issues);
    // createUser refuses a password too easy to guess: said now, with the rest, not once the rest is right.
    if (!fieldErrors.password && (await isWeakNewPassword(formData.get('password'), kept))) fieldErrors.password = t('password_weak');
    return { status: 'error', message: t('check_fields'), fieldErrors, values: kept, nonce: ++nonce };
  }
  // Every sign-up tried counts, made or not: an email already taken is an answer too (db/users.ts).
  if (!(await systemCountSignUpAttempt(clientAddress(await headers())))) {
    return { status: 'error', message: t('signup_rate_limited'), values: kept, nonce: ++nonce };
  }
  let userId: number;
  try {
    userId = (await createUser({ ...parsed.data, locale: asLocale(await getLocale()) })).id;
  } catch (e) {
    if (e instanceof DomainError && (e.code === 'email_taken' || e.code === 'password_weak')) {
      const field = e.code === 'email_taken' ? 'email' : 'password';
      return { status: 'error', message: t('check_fields'), fieldErrors: { [field]: t(e.code) }, values: kept, nonce: ++nonce };
    }
    console.error('sign-up failed', e);
    return { status: 'error', message: t('unexpected'), values: kept, nonce: ++nonce };
  }
  // The link that confirms the address, where this server sends mail (sent after this answer): reminder mail waits for it.
  await systemMailNewAccountConfirmation(userId);
  return signInWith(parsed.data.email, parsed.data.password, kept);
}

/**
 * 忘记密码: mails the link that sets a new password. The answer is the same whether the address has
 * an account or not (db/users.ts systemRequestPasswordReset): it says where the mail went if there is one.
 */
export async function forgotPasswordAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAForm();
  const kept = values(formData, 'email');
  const te = await getTranslations('errors');
  const parsed = forgotPasswordSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return { status: 'error', message: te('check_fields'), fieldErrors: await translateIssues(parsed.error.issues), values: kept, nonce: ++nonce };
  }
  const t = await getTranslations('auth.forgot');
  const result = await systemRequestPasswordReset(parsed.data.email, clientAddress(await headers()));
  if (result === 'rate_limited') return { status: 'error', message: t('rateLimited'), values: kept, nonce: ++nonce };
  if (result === 'no_mail') return { status: 'error', message: t('noMail'), values: kept, nonce: ++nonce };
  return { status: 'ok', message: t('sent', { email: parsed.data.email }), nonce: ++nonce };
}

/**
 * Sets the new password with the link's token (and ends the calendar feed where asked), then goes to
 * signing in, which says so. A refusal keeps nothing typed but the feed's tick: the token is the form's hidden field and the other two are passwords, never
 * sent back. Its `values`, empty, still tell the emptied fields to say "type it again"
 * (components/form/fields.tsx), as sign-in and sign-up do; not when the link no longer works, when
 * typing again would not help.
 */
export async function resetPasswordAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAForm();
  const te = await getTranslations('errors');
  // The tick to end the calendar feed survives a refusal; the passwords do not.
  const kept: Record<string, string> = formData.get('endCalendarFeed') === '1' ? { endCalendarFeed: '1' } : {};
  const parsed = resetPasswordSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fieldErrors = await translateIssues(parsed.error.issues);
    // The verb's "too easy to guess", said with a confirmation that differs: only for a link that works
    // (one that does not is said on its own), against its account's email as the verb does.
    const token = formData.get('token');
    const email = typeof token === 'string' && !fieldErrors.token ? systemPasswordResetEmail(token) : null;
    if (email && !fieldErrors.next && (await isWeakNewPassword(formData.get('next'), { email }))) fieldErrors.next = te('password_weak');
    return { status: 'error', message: te('check_fields'), fieldErrors, values: kept, nonce: ++nonce };
  }
  try {
    await systemResetPassword(parsed.data.token, parsed.data.next, new Date(), { endCalendarFeed: parsed.data.endCalendarFeed });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'reset_link_invalid') return { status: 'error', message: te('reset_link_invalid'), nonce: ++nonce };
    if (e instanceof DomainError && e.code === 'password_weak') {
      return { status: 'error', message: te('check_fields'), fieldErrors: { next: te('password_weak') }, values: kept, nonce: ++nonce };
    }
    console.error('password reset failed', e);
    return { status: 'error', message: te('unexpected'), values: kept, nonce: ++nonce };
  }
  redirect('/signin?reset=1');
}

/**
 * Confirms the address with the link's token (one press on the page the link opens, so that a mail
 * scanner that opens links confirms nothing): a sign-up's link confirms the sign-in email, an email
 * change's makes the new address the sign-in email. The page then says it is done.
 */
export async function confirmEmailAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!(formData instanceof FormData)) return notAForm();
  const te = await getTranslations('errors');
  const parsed = confirmEmailSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    return { status: 'error', message: te('check_fields'), fieldErrors: await translateIssues(parsed.error.issues), nonce: ++nonce };
  }
  const t = await getTranslations('auth.confirm');
  // Read before the press: what it does (a change's link no longer is one once it is made).
  const change = systemEmailConfirmationState(parsed.data.token)?.change ?? false;
  try {
    const email = await systemConfirmEmail(parsed.data.token);
    revalidatePath('/confirm-email');
    return { status: 'ok', message: t(change ? 'changeDone' : 'done', { email }), nonce: ++nonce };
  } catch (e) {
    if (e instanceof DomainError && e.code === 'confirm_link_invalid') return { status: 'error', message: te('confirm_link_invalid'), nonce: ++nonce };
    if (e instanceof DomainError && e.code === 'email_change_taken') return { status: 'error', message: t('taken', { email: String(e.detail.values?.email ?? '') }), nonce: ++nonce };
    throw e;
  }
}
