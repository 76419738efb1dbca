import { systemUnsubscribeWithToken } from '@/db/mailer';
import { DEFAULT_LOCALE, LOCALE_COOKIE } from '@/lib/i18n/config';
import { pageLocale } from '@/lib/unsubscribe';

export const dynamic = 'force-dynamic';

/** Larger than any one-click body: not read at all (a one-click POST is a few dozen bytes). */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * Whether the body is RFC 8058's one-click `List-Unsubscribe=One-Click`, in either encoding a form
 * may come in (the RFC's own example is multipart/form-data), or with no type said. An empty,
 * malformed or oversized body is not one: the request is then the page's button.
 */
async function isOneClick(request: Request): Promise<boolean> {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return false;
  const type = request.headers.get('content-type') ?? '';
  try {
    if (/^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
      return (await request.formData()).get('List-Unsubscribe') === 'One-Click';
    }
    const body = await request.text();
    return body.length <= MAX_BODY_BYTES && new URLSearchParams(body.trim()).get('List-Unsubscribe') === 'One-Click';
  } catch {
    return false;
  }
}

/** The request's locale cookie, as lib/i18n/request.ts reads it. */
function cookieLocale(request: Request): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === LOCALE_COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * Stops reminder mail for the account the link names, if its token is right (db/mailer.ts). Two
 * callers: a mail program's one-click unsubscribe (RFC 8058: a POST whose body says
 * `List-Unsubscribe=One-Click`), answered with a bare status; and the button on /mail/unsubscribe,
 * sent back there to say what happened (in the link's language, `l`, for a browser with none
 * chosen: lib/unsubscribe.ts pageLocale). A wrong or old link changes nothing: 404, or "invalid".
 */
export async function POST(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const userId = Number(url.searchParams.get('u'));
  const token = url.searchParams.get('t') ?? '';
  const oneClick = await isOneClick(request);
  const stopped = Number.isSafeInteger(userId) && systemUnsubscribeWithToken(userId, token);
  if (oneClick) {
    return new Response(stopped ? 'Unsubscribed\n' : 'Not found\n', {
      status: stopped ? 200 : 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  // The page's language goes along when it is not the one the page would speak anyway.
  const locale = pageLocale(cookieLocale(request), url.searchParams.get('l'), stopped);
  const query = stopped ? `done=1${locale && locale !== DEFAULT_LOCALE ? `&l=${locale}` : ''}` : 'invalid=1';
  // A relative address: the host this server sees may not be the one the browser used, and a form's
  // redirect to another origin is blocked by the page policy (form-action 'self').
  return new Response(null, { status: 303, headers: { Location: `/mail/unsubscribe?${query}`, 'Cache-Control': 'no-store' } });
}
