import { NAMESPACES, type AppLocale } from './config';

/** Loads every namespace of a locale into one message object for next-intl. */
export async function loadMessages(locale: AppLocale): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, (await import(`../../messages/${locale}/${ns}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}
