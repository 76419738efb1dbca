import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import { CheckboxField, TextField } from '@/components/form/fields';
import { systemPasswordResetAccount } from '@/db/users';
import { resetPasswordAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.reset'))('title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * 设置新密码: where the link in the mail leads (lib/password-reset.ts). A link that no longer works
 * says so before anything is typed, with the way to ask for a new one. An account with a calendar
 * feed may end its address with the reset (whoever was signed in could have copied it). Open without signing in
 * (lib/page-policy.mjs); the link's token is the key.
 */
export default async function ResetPasswordPage({ searchParams }: Props) {
  const query = await searchParams;
  const token = (Array.isArray(query.t) ? query.t[0] : query.t)?.slice(0, 200) ?? '';
  const t = await getTranslations('auth.reset');
  const account = token ? systemPasswordResetAccount(token) : null;
  return (
    <div className="mx-auto grid max-w-sm gap-6">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      {account ? (
        <>
          <p className="text-sm text-stone-600">{t('intro', { email: account.email })}</p>
          <ActionForm action={resetPasswordAction} hidden={{ token }} submitLabel={t('submit')} pendingLabel={t('pending')} testId="reset-form">
            <TextField name="next" type="password" label={t('next')} hint={(await getTranslations('auth'))('passwordHint')} autoComplete="new-password" required />
            <TextField name="confirm" type="password" label={t('confirm')} autoComplete="new-password" required />
            {account.calendarFeed && <CheckboxField name="endCalendarFeed" label={t('endCalendarFeed')} />}
          </ActionForm>
        </>
      ) : (
        <>
          <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="reset-invalid">
            {t('invalid')}
          </p>
          <Link href="/forgot-password" className="text-sm font-medium text-teal-700 underline">
            {t('askAgain')}
          </Link>
        </>
      )}
    </div>
  );
}
