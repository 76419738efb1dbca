import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ActionForm } from '@/components/form/action-form';
import { RadioGroup, TextField } from '@/components/form/fields';
import { getViewer } from '@/db/viewer';
import { signUpAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('signUp') };
}

export default async function SignUpPage() {
  if (await getViewer()) redirect('/');
  const t = await getTranslations('auth');
  return (
    <div className="mx-auto grid max-w-md gap-6">
      <h1 className="text-2xl font-semibold">{t('signUp')}</h1>
      <ActionForm action={signUpAction} submitLabel={t('createAccount')} pendingLabel={t('creatingAccount')} testId="signup-form">
        <TextField name="displayName" label={t('displayName')} autoComplete="nickname" required maxLength={60} />
        <TextField name="email" type="email" label={t('email')} autoComplete="email" required />
        <TextField name="password" type="password" label={t('password')} hint={t('passwordHint')} autoComplete="new-password" required />
        <RadioGroup
          name="role"
          label={t('role')}
          defaultValue="borrower"
          options={[
            { value: 'borrower', label: t('roleBorrower'), hint: t('roleBorrowerHint') },
            { value: 'advisor', label: t('roleAdvisor'), hint: t('roleAdvisorHint') },
          ]}
        />
      </ActionForm>
      <p className="text-sm text-stone-600">
        {t('haveAccount')}{' '}
        <Link href="/signin" className="font-medium text-teal-700 underline">
          {t('signIn')}
        </Link>
      </p>
    </div>
  );
}
