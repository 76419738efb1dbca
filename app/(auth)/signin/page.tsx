import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import { getViewer } from '@/db/viewer';
import { RETURN_PARAM, safeReturnPath } from '@/lib/return-path';
import { signInAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('signIn') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  // The page a signed-out visitor asked for (proxy.ts, requireViewer): signing in goes back there.
  const back = safeReturnPath(Array.isArray(sp[RETURN_PARAM]) ? sp[RETURN_PARAM][0] : sp[RETURN_PARAM]);
  if (await getViewer()) redirect(back ?? '/');
  const t = await getTranslations('auth');
  const c = await getTranslations('common');
  // Where deleting an account lands (app/settings/actions.ts deleteAccountAction).
  const deleted = sp.deleted === '1';
  // Where a new password set with a mailed link lands (app/(auth)/actions.ts resetPasswordAction).
  const reset = sp.reset === '1';
  const a = await getTranslations('account');
  return (
    <div className="mx-auto grid max-w-sm gap-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('signIn')}</h1>
        <p className="mt-1 text-sm text-stone-600">{c('tagline')}</p>
      </div>
      {deleted && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="account-deleted">
          {a('signedOutDeleted')}
        </p>
      )}
      {reset && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="password-reset-done">
          {t('resetDone')}
        </p>
      )}
      <ActionForm
        action={signInAction}
        hidden={back ? { [RETURN_PARAM]: back } : undefined}
        submitLabel={t('signIn')}
        pendingLabel={t('signingIn')}
        testId="signin-form"
      >
        <TextField name="email" type="email" label={t('email')} autoComplete="email" required />
        <TextField name="password" type="password" label={t('password')} autoComplete="current-password" required />
      </ActionForm>
      <Link href="/forgot-password" className="-mt-3 inline-flex min-h-10 items-center self-start text-sm text-teal-700 underline" data-testid="forgot-link">
        {t('forgotLink')}
      </Link>
      <p className="text-sm text-stone-600">
        {t('noAccount')}{' '}
        <Link href="/signup" className="font-medium text-teal-700 underline">
          {t('signUp')}
        </Link>
      </p>
      <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">{c('selfHelpNotice')}</p>
    </div>
  );
}
