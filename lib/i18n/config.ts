export const LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'zh-CN';
/** The cookie that remembers the language choice; signed-in users also keep it on their account. */
export const LOCALE_COOKIE = 'locale';

/** Message namespaces: one JSON file per namespace per locale, under messages/<locale>/. */
export const NAMESPACES = [
  'common',
  'auth',
  'cases',
  'case',
  'domain',
  'errors',
  'nextStep',
  'timeline',
  'lenders',
  'settings',
  'reminders',
  'mail',
  'calendar',
  'sharing',
  'home',
  'dashboard',
  'account',
  'admin',
  // Read only by app/global-error.tsx, which imports both files itself: it has no next-intl.
  'crash',
] as const;

export function asLocale(value: string | undefined | null): AppLocale {
  return value === 'en' ? 'en' : DEFAULT_LOCALE;
}

/**
 * The messages client components read with useTranslations: only these go to the browser
 * (every message of every namespace was about 100 kB of every page's HTML and RSC payload).
 * A client component that reads another namespace adds it here (tests/client-messages.test.ts
 * fails otherwise).
 */
export const CLIENT_MESSAGES = [
  ['cases', 'form'],
  ['common', 'error'],
  ['reminders', 'nav'],
] as const;

export function clientMessages(all: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const picked: Record<string, Record<string, unknown>> = {};
  for (const [ns, key] of CLIENT_MESSAGES) {
    const value = (all[ns] as Record<string, unknown> | undefined)?.[key];
    if (value !== undefined) (picked[ns] ??= {})[key] = value;
  }
  return picked;
}
