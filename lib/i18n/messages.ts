import { NAMESPACES, type AppLocale } from './config';

type Messages = Record<string, unknown>;

/**
 * Every namespace of a locale, as one message object for next-intl. The catalogue does not change
 * while a server runs, so each locale is read once per process: read per request, the 17 imports
 * were about a tenth of what a page allocated. In development the files are read every time, so
 * that an edited message shows on the next request.
 */
const loaded = new Map<AppLocale, Promise<Messages>>();

export function loadMessages(locale: AppLocale): Promise<Messages> {
  if (process.env.NODE_ENV === 'development') return readMessages(locale);
  let messages = loaded.get(locale);
  if (!messages) {
    messages = readMessages(locale);
    // A failed read is not kept: the next request tries again.
    messages.catch(() => loaded.delete(locale));
    loaded.set(locale, messages);
  }
  return messages;
}

async function readMessages(locale: AppLocale): Promise<Messages> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => [ns, (await import(`../../messages/${locale}/${ns}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}
