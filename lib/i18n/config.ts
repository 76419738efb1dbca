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
] as const;

export function asLocale(value: string | undefined | null): AppLocale {
  return value === 'en' ? 'en' : DEFAULT_LOCALE;
}
