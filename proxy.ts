import { NextResponse, type NextRequest } from 'next/server';
import { actionBodyProblem } from './lib/action-body';
import limits from './lib/limits.json';
import { PATH_HEADER, RETURN_PARAM, safeReturnPath } from './lib/return-path';
import {
  DOWNLOAD_POLICY,
  HSTS,
  contentSecurityPolicy,
  forwardedHttps,
  isPublicPath,
  isSessionCookieName,
  newNonce,
} from './lib/page-policy.mjs';

/**
 * Three jobs, on every request that reaches the app and that scripts/server.mjs has not already
 * taken care of (lib/page-policy.mjs: that server applies the same page policy to an ordinary
 * page request itself and marks it, and the matcher below skips a marked request):
 *
 * 1. Security headers that depend on the request: the Content-Security-Policy with a fresh nonce
 *    (lib/page-policy.mjs), HSTS only when the request came over HTTPS (a TLS proxy in front sets
 *    x-forwarded-proto). The static headers (nosniff, Referrer-Policy, X-Frame-Options,
 *    Permissions-Policy) are in next.config.ts; the document download keeps its stricter sandbox
 *    policy.
 *
 * 2. A convenience only: visitors without a session cookie go to the sign-in page instead of
 *    seeing an empty page (a server action is left to say so itself). Every read and write is
 *    still checked in db/, cookie or not.
 *
 * 3. A server-action request (Next-Action header) whose body Next's decoder cannot read is answered
 *    400 here, before Next decodes it (lib/action-body.ts); Next's own answer would be a bare 500.
 */
function isHttps(request: NextRequest): boolean {
  return forwardedHttps(request.headers.get('x-forwarded-proto')) || request.nextUrl.protocol === 'https:';
}

function withSecurityHeaders(response: NextResponse, csp: string, https: boolean, pathname: string): NextResponse {
  // The document download's route sets its own policy; a header set here would replace it, so it is the same one.
  response.headers.set('Content-Security-Policy', pathname.startsWith('/documents/') ? DOWNLOAD_POLICY : csp);
  if (https) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

// The largest body the app takes (lib/limits.json; next.config.ts: serverActions.bodySizeLimit,
// proxyClientMaxBodySize).
const MAX_BODY_BYTES = limits.maxBodyBytes;

// Only a hand-made request can carry such a body: no form of the app produces one. So the answer is
// a short technical sentence in English, not a translated message.
const UNDECODABLE_ACTION = 'Bad request: this server action request cannot be decoded';

export async function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce);
  const https = isHttps(request);

  const { pathname } = request.nextUrl;
  // A body declared larger than the limit is refused with 413. The server in front
  // (scripts/server.mjs) already refuses such a body before it is read, so this is only a second
  // line for Next started some other way (`next dev`, `next start`): Next has read the body by then,
  // and without it would keep the first 11 MB and fail on the cut-off form with a 500.
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return withSecurityHeaders(new NextResponse(null, { status: 413, headers: { Connection: 'close' } }), csp, https, pathname);
  }
  // The body this function sees is Next's copy for it (proxyClientMaxBodySize): reading it here
  // leaves the action's own copy whole, and no clone is needed (a clone would keep a third copy of
  // an upload). Only a POST is an action call (Next's own test).
  if (request.method === 'POST' && request.headers.has('next-action')) {
    const problem = await actionBodyProblem(request);
    if (problem) {
      const response = new NextResponse(`${UNDECODABLE_ACTION}: ${problem}.\n`, {
        status: 400,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      });
      return withSecurityHeaders(response, csp, https, pathname);
    }
  }
  // A path that is not valid UTF-8 once decoded (/cases/%FF) names nothing here; left to Next, the
  // route's parameters fail to decode with a bare 500.
  try {
    decodeURIComponent(pathname);
  } catch {
    return withSecurityHeaders(new NextResponse(null, { status: 404 }), csp, https, pathname);
  }
  const hasSession = request.cookies.getAll().some((c) => isSessionCookieName(c.name));
  // A form sent after the session ended (its cookie expired, or cleared) is answered by its action,
  // which finds no viewer and says so, with what was typed kept on the page (app/_lib/action.ts).
  // Sent here to /signin instead, the page would fail on the answer and lose the form.
  const isAction = request.method === 'POST' && request.headers.has('next-action');
  if (!isPublicPath(pathname) && !hasSession && !isAction) {
    const url = request.nextUrl.clone();
    url.pathname = '/signin';
    url.search = '';
    // A page asked for (a link from a mail, say) is where signing in comes back to.
    const back = request.method === 'GET' ? safeReturnPath(`${pathname}${request.nextUrl.search}`) : null;
    if (back) url.searchParams.set(RETURN_PARAM, back);
    // A redirect is not the route's own answer: it always gets the page policy.
    return withSecurityHeaders(NextResponse.redirect(url), csp, https, '/signin');
  }

  // The render reads the nonce from the request's CSP header (and x-nonce, for our own use),
  // and requireViewer the page asked for (a session that has expired comes back to it).
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  if (request.method === 'GET') requestHeaders.set(PATH_HEADER, `${pathname}${request.nextUrl.search}`);
  else requestHeaders.delete(PATH_HEADER);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, https, pathname);
}

export const config = {
  matcher: [
    {
      // Only the real static files step aside: any other path ending in .png or .svg (/cases/%FF.png, a
      // server action posted to /x.png) is the app's, with its checks and headers.
      source: '/((?!_next/static|_next/image|favicon\\.ico$|icon\\.svg$).*)',
      // Marked by scripts/server.mjs, which has applied the page policy itself (FRONT_HEADER in
      // lib/page-policy.mjs; a literal here, as Next reads this object without running the file).
      missing: [{ type: 'header', key: 'x-respite-front' }],
    },
  ],
};
