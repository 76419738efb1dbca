import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import { systemEmailConfirmationState } from '@/db/users';
import { confirmEmailAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.confirm'))('title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * 确认邮箱: where the link in the confirmation mail leads (lib/email-confirmation.ts): a sign-up's, or an
 * email change's, whose press makes the address the sign-in email (the page says which). It names the
 * address and asks for one press: a mail scanner that opens every link confirms nothing. A link that no
 * longer works says so, and where to ask for a new one. Open without signing in (lib/page-policy.mjs):
 * the mail may be read on a phone where nobody is signed in; the link's token is the key.
 */
export default async function ConfirmEmailPage({ searchParams }: Props) {
  const query = await searchParams;
  const token = (Array.isArray(query.t) ? query.t[0] : query.t)?.slice(0, 200) ?? '';
  const t = await getTranslations('auth.confirm');
  const state = token ? systemEmailConfirmationState(token) : null;
  return (
    <div className="mx-auto grid max-w-sm gap-6">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      {!state ? (
        <>
          <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="confirm-invalid">
            {(await getTranslations('errors'))('confirm_link_invalid')}
          </p>
          <Link href="/settings" className="text-sm font-medium text-teal-700 underline">
            {t('toSettings')}
          </Link>
        </>
      ) : state.confirmed ? (
        <>
          <p role="status" className="rounded-md bg-teal-50 p-3 text-sm text-teal-900 wrap-anywhere" data-testid="confirm-done">
            {t(state.change ? 'changeDone' : 'done', { email: state.email })}
          </p>
          <Link href="/" className="text-sm font-medium text-teal-700 underline">
            {t('open')}
          </Link>
        </>
      ) : (
        <>
          <p className="text-sm text-stone-700 wrap-anywhere">{t(state.change ? 'changeIntro' : 'intro', { email: state.email })}</p>
          <ActionForm
            action={confirmEmailAction}
            hidden={{ token }}
            submitLabel={t(state.change ? 'changeSubmit' : 'submit')}
            pendingLabel={t('pending')}
            testId="confirm-form"
          />
        </>
      )}
    </div>
  );
}
