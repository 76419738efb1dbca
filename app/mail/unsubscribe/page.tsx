import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { LOCALE_COOKIE } from '@/lib/i18n/config';
import { isUnsubscribeToken, pageLocale } from '@/lib/unsubscribe';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
type Query = Awaited<Props['searchParams']>;

const card = 'grid min-w-0 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6';
const primary = 'inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/**
 * The page's words: in the language the link names (the account's) when the browser has none
 * chosen and the link is right (its token, or the stop the confirm route made and sent back here
 * with `l`); otherwise as every page (the cookie). Only this page's: the rest of the frame is as usual.
 */
async function pageTranslations(query: Query) {
  const u = one(query.u);
  const verified = one(query.done) === '1' || (/^[1-9]\d{0,15}$/.test(u) && isUnsubscribeToken(Number(u), one(query.t)));
  const locale = pageLocale((await cookies()).get(LOCALE_COOKIE)?.value, one(query.l), verified);
  const namespace = 'mail.unsubscribePage';
  return { t: await (locale ? getTranslations({ locale, namespace }) : getTranslations(namespace)), locale };
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  return { title: (await pageTranslations(await searchParams)).t('title') };
}

/**
 * 停止提醒邮件: where the link at the foot of every reminder mail leads (lib/unsubscribe.ts). It
 * asks first (a link opened by a mail scanner changes nothing): the button posts to
 * /mail/unsubscribe/confirm, which a mail program's one-click unsubscribe posts to as well, and
 * comes back here saying what happened. Open without signing in (proxy.ts).
 */
export default async function UnsubscribePage({ searchParams }: Props) {
  const query = await searchParams;
  const { t, locale } = await pageTranslations(query);
  const done = one(query.done) === '1';
  const invalid = one(query.invalid) === '1';
  // The link's account and token, passed on as they came: the confirming request checks them.
  const u = one(query.u).slice(0, 20);
  const token = one(query.t).slice(0, 100);
  const confirm = `/mail/unsubscribe/confirm?${new URLSearchParams({ u, t: token, ...(locale ? { l: locale } : {}) })}`;
  return (
    <div className="mx-auto grid max-w-xl gap-4" data-testid="unsubscribe-page" lang={locale ?? undefined}>
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <div className={card}>
        {done ? (
          <>
            <p className="text-stone-800" role="status" data-testid="unsubscribe-done">
              {t('done')}
            </p>
            <p className="text-sm text-stone-600">{t('again')}</p>
            <Link href="/settings" className="text-sm font-medium text-teal-700 underline">
              {t('settings')}
            </Link>
          </>
        ) : invalid || !u || !token ? (
          <>
            <p className="text-stone-800" role="alert" data-testid="unsubscribe-invalid">
              {t('invalid')}
            </p>
            <Link href="/settings" className="text-sm font-medium text-teal-700 underline">
              {t('settings')}
            </Link>
          </>
        ) : (
          <>
            <p className="text-stone-800">{t('body')}</p>
            <p className="text-sm text-stone-600">{t('unaffected')}</p>
            <form method="post" action={confirm} data-testid="unsubscribe-form">
              <button type="submit" className={primary}>
                {t('button')}
              </button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
