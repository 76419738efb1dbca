import { getRequestConfig } from 'next-intl/server';
import { cookies } from 'next/headers';
import { asLocale, LOCALE_COOKIE } from './config';
import { loadMessages } from './messages';

// The reader's language from their cookie; a locale asked for by name (`getTranslations({ locale })`:
// the data export's README and reminder sentences, in both languages) is that one.
export default getRequestConfig(async ({ locale: explicit }) => {
  const locale = asLocale(explicit ?? (await cookies()).get(LOCALE_COOKIE)?.value);
  return { locale, messages: await loadMessages(locale), timeZone: 'Asia/Shanghai' };
});
