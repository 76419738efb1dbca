import { getRequestConfig } from 'next-intl/server';
import { cookies } from 'next/headers';
import { asLocale, LOCALE_COOKIE } from './config';
import { loadMessages } from './messages';

export default getRequestConfig(async () => {
  const locale = asLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  return { locale, messages: await loadMessages(locale), timeZone: 'Asia/Shanghai' };
});
