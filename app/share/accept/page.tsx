import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import { DateTimeText } from '@/components/ui/format';
import { previewInvite } from '@/db/shares';
import { getViewer } from '@/db/viewer';
import { codeFrom } from '@/lib/invite-code';
import { signInHref } from '@/lib/return-path';
import { acceptInviteAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('sharing.accept'))('title') };
}

type Props = { searchParams: Promise<{ code?: string | string[] }> };

const card = 'grid min-w-0 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6';
const primary = 'inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800';
const secondary =
  'inline-flex min-h-10 items-center justify-center rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100';

/**
 * 接受邀请: an advisor opens the borrower's link (or types the code), sees who invited them and
 * what accepting means, and accepts. Open to visitors who are not signed in (proxy.ts), only to
 * tell them to sign in as an advisor and open the link again.
 */
export default async function AcceptInvitePage({ searchParams }: Props) {
  const t = await getTranslations('sharing.accept');
  const viewer = await getViewer();
  const sent = (await searchParams).code;
  const asked = codeFrom(sent);
  const code = asked ?? '';

  if (!viewer) {
    return (
      <div className="mx-auto grid max-w-xl gap-4" data-testid="accept-signed-out">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <div className={card}>
          <h2 className="text-lg font-medium">{t('signedOutTitle')}</h2>
          <p className="text-stone-700">{t('signedOut')}</p>
          {code && (
            <p className="text-sm text-stone-700">
              {t('yourCode')} <span className="font-mono text-lg font-semibold tracking-wider select-all">{code}</span>
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <Link href={signInHref(code ? `/share/accept?code=${encodeURIComponent(code)}` : '/share/accept')} className={primary}>
              {t('signIn')}
            </Link>
            <Link href="/signup" className={secondary}>
              {t('signUp')}
            </Link>
          </div>
        </div>
      </div>
    );
  }

  if (viewer.role !== 'advisor') {
    return (
      <div className="mx-auto grid max-w-xl gap-4" data-testid="accept-not-advisor">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <div className={card}>
          <p className="font-medium text-stone-900">{t('notAdvisor')}</p>
          {viewer.role === 'borrower' && (
            <>
              <p className="text-stone-700">{t('notAdvisorBorrower')}</p>
              <div>
                <Link href="/sharing" className={secondary}>
                  {t('goSharing')}
                </Link>
              </div>
            </>
          )}
        </div>
      </div>
    );
  }

  const preview = code ? previewInvite(viewer, code) : null;
  const invalid = asked === null || (!!code && !preview);
  return (
    <div className="mx-auto grid max-w-xl gap-4" data-testid="accept-page">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-stone-700">{t('intro')}</p>

      <form method="get" action="/share/accept" className={card} data-testid="accept-lookup-form">
        <div className="grid gap-1">
          <label htmlFor="invite-code-input" className="text-sm font-medium text-stone-700">
            {t('code')}
          </label>
          <input
            id="invite-code-input"
            name="code"
            // What cannot be a code stays in the box, to be corrected.
            defaultValue={asked ?? String((Array.isArray(sent) ? sent[0] : sent) ?? '').slice(0, 500)}
            placeholder={t('codePlaceholder')}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            // A code refused: the box is marked, says why, and has the focus, to be corrected (the page came back whole).
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? 'invite-invalid' : undefined}
            autoFocus={invalid}
            className="block min-h-10 w-full rounded-md border border-stone-300 bg-white px-3 py-2 font-mono text-lg tracking-wider text-stone-900 shadow-sm focus:border-teal-600 focus:ring-2 focus:ring-teal-600/50 focus:outline-none aria-[invalid=true]:border-red-500 aria-[invalid=true]:focus:ring-red-600/50"
          />
        </div>
        <div>
          <button type="submit" className={preview ? secondary : primary}>
            {t('check')}
          </button>
        </div>
      </form>

      {invalid && (
        <p id="invite-invalid" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="invite-invalid">
          {t('invalid')}
        </p>
      )}

      {preview?.alreadyShared && (
        // Nothing to accept: this borrower's cases are already theirs to read (acceptInvite would say 'already_shared').
        <section className={`${card} border-emerald-300`} aria-labelledby="preview-h" data-testid="invite-already-shared">
          <h2 id="preview-h" className="text-lg font-semibold wrap-anywhere" data-testid="invite-from">
            {t('invitedBy', { name: preview.borrowerName })}
          </h2>
          <p className="text-stone-700">{t('alreadyShared', { name: preview.borrowerName })}</p>
          <div>
            <Link href={`/dashboard?client=${preview.alreadyShared.clientId}#cases`} className={primary} data-testid="invite-client-link">
              {t('goClient', { name: preview.borrowerName })}
            </Link>
          </div>
        </section>
      )}

      {preview && !preview.alreadyShared && (
        <section className={`${card} border-teal-300`} aria-labelledby="preview-h" data-testid="invite-preview">
          <h2 id="preview-h" className="text-lg font-semibold wrap-anywhere" data-testid="invite-from">
            {t('invitedBy', { name: preview.borrowerName })}
          </h2>
          <p className="text-sm text-stone-600">
            {t('expires')} <DateTimeText instant={preview.expiresAt} />
          </p>
          <p className="text-sm text-stone-700">{t('whatYouGet')}</p>
          <ActionForm action={acceptInviteAction} hidden={{ code }} submitLabel={t('submit')} pendingLabel={t('pending')} testId="accept-form" />
        </section>
      )}
    </div>
  );
}
