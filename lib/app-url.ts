/**
 * The address people reach this app at, for links that leave the page (the calendar feed's
 * URL, links inside calendar events). APP_URL wins when set (behind a proxy that rewrites the
 * host, set it); otherwise the address of the request itself.
 */

type HeaderReader = { get(name: string): string | null };

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export function appOrigin(headers: HeaderReader | null, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.APP_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  const host = (headers?.get('x-forwarded-host') ?? headers?.get('host') ?? '').split(',')[0].trim();
  const proto = (headers?.get('x-forwarded-proto') ?? '').split(',')[0].trim().toLowerCase();
  if (host && HOST.test(host)) return `${proto === 'https' ? 'https' : 'http'}://${host}`;
  return `http://127.0.0.1:${env.PORT?.trim() || '3000'}`;
}

/** The same address for a calendar app's subscription: webcal:// (https feeds stay secure). */
export function webcalUrl(httpUrl: string): string {
  return httpUrl.replace(/^https?:\/\//i, 'webcal://');
}
