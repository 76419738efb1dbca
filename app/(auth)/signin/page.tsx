import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import { getViewer } from '@/db/viewer';
import { signInAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('signIn') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await getViewer()) redirect('/');
  const t = await getTranslations('auth');
  const c = await getTranslations('common');
  // Where deleting an account lands (app/settings/actions.ts deleteAccountAction).
  const deleted = (await searchParams).deleted === '1';
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
      <ActionForm action={signInAction} submitLabel={t('signIn')} pendingLabel={t('signingIn')} testId="signin-form">
        <TextField name="email" type="email" label={t('email')} autoComplete="email" required />
        <TextField name="password" type="password" label={t('password')} autoComplete="current-password" required />
      </ActionForm>
      <p className="text-sm text-stone-600">
        {t('noAccount')}{' '}
        <Link href="/signup" className="font-medium text-teal-700 underline">
          {t('signUp')}
        </Link>
      </p>
      <p className="rounded-md bg-amber-50 p-3 text-xs text-amber-900">{c('selfHelpNotice')}</p>
    </div>
  );
}
