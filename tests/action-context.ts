/**
 * A server action's request context, stood in for in a test that calls the action itself: the
 * reader's language for next-intl's server functions, read from the message catalogues as the app
 * reads them. Used inside `vi.mock('next-intl/server', …)`, with the test's own language holder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';

export type TestLocale = 'zh-CN' | 'en';

/** next-intl/server's getLocale and getTranslations, in the language `locale()` says at each call. */
export function nextIntlServerIn(locale: () => TestLocale) {
  return {
    getLocale: async () => locale(),
    getTranslations: async (namespace: string) => {
      const ns = namespace.split('.')[0]!;
      const messages = { [ns]: JSON.parse(readFileSync(path.join('messages', locale(), `${ns}.json`), 'utf8')) };
      return createTranslator({ locale: locale(), messages, namespace: namespace as never });
    },
  };
}
