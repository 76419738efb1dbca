import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

/**
 * Where this server sends mail, reminder mail (and an advisor's alerts) waits for the sign-in address
 * to be confirmed (db/mailer.ts): said on the page a person starts from, with the way to settings.
 */
export async function EmailUnconfirmedNotice({ email, testId }: { email: string; testId: string }) {
  const t = await getTranslations('common');
  return (
    <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 wrap-anywhere" role="status" data-testid={testId}>
      {t('emailUnconfirmed', { email })}{' '}
      <Link href="/settings#signin-email-h" className="font-medium underline">
        {t('emailUnconfirmedLink')}
      </Link>
    </p>
  );
}
