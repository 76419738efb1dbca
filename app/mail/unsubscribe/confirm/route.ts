import { systemUnsubscribeWithToken } from '@/db/mailer';

export const dynamic = 'force-dynamic';

/**
 * Stops reminder mail for the account the link names, if its token is right (db/mailer.ts). Two
 * callers: a mail program's one-click unsubscribe (RFC 8058: a POST whose body says
 * `List-Unsubscribe=One-Click`), answered with a bare status; and the button on /mail/unsubscribe,
 * sent back there to say what happened. A wrong or old link changes nothing: 404, or "invalid".
 */
export async function POST(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const userId = Number(url.searchParams.get('u'));
  const token = url.searchParams.get('t') ?? '';
  const body = await request.text().catch(() => '');
  const oneClick = new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
  const stopped = Number.isSafeInteger(userId) && systemUnsubscribeWithToken(userId, token);
  if (oneClick) {
    return new Response(stopped ? 'Unsubscribed\n' : 'Not found\n', {
      status: stopped ? 200 : 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  // A relative address: the host this server sees may not be the one the browser used, and a form's
  // redirect to another origin is blocked by the page policy (form-action 'self').
  return new Response(null, { status: 303, headers: { Location: `/mail/unsubscribe?${stopped ? 'done=1' : 'invalid=1'}`, 'Cache-Control': 'no-store' } });
}
