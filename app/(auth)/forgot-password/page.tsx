import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import { getViewer } from '@/db/viewer';
import { mailConfigured } from '@/lib/mail-config';
import { forgotPasswordAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.forgot'))('title') };
}

/**
 * 忘记密码: the address to mail the link to (lib/password-reset.ts). Where this server sends no
 * mail, it says to ask the administrator, who makes the link with `npm run reset-link`.
 */
export default async function ForgotPasswordPage() {
  if (await getViewer()) redirect('/');
  const t = await getTranslations('auth.forgot');
  const mail = mailConfigured();
  return (
    <div className="mx-auto grid max-w-sm gap-6">
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        {mail && <p className="mt-1 text-sm text-stone-600">{t('intro')}</p>}
      </div>
      {mail ? (
        <ActionForm action={forgotPasswordAction} submitLabel={t('submit')} pendingLabel={t('pending')} testId="forgot-form">
          <TextField name="email" type="email" label={(await getTranslations('auth'))('email')} autoComplete="email" required />
        </ActionForm>
      ) : (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="forgot-no-mail">
          {t('noMail')}
        </p>
      )}
      <Link href="/signin" className="inline-flex min-h-10 items-center text-sm font-medium text-teal-700 underline">
        {t('back')}
      </Link>
    </div>
  );
}
