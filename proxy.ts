import { NextResponse, type NextRequest } from 'next/server';
import { actionBodyProblem } from './lib/action-body';
import limits from './lib/limits.json';

/**
 * Two jobs, on every request that reaches the app:
 *
 * 1. Security headers that depend on the request. A Content-Security-Policy with a fresh nonce:
 *    Next reads the nonce from the request's CSP header and puts it on its own scripts (every page
 *    here is dynamic, so each render gets the nonce of its request). 'strict-dynamic' lets those
 *    scripts load the app's chunks; nothing else runs — no inline script without the nonce, no eval.
 *    HSTS only when the request came over HTTPS (a TLS proxy in front sets x-forwarded-proto).
 *    The static headers (nosniff, Referrer-Policy, X-Frame-Options, Permissions-Policy) are in
 *    next.config.ts; the document download keeps its stricter sandbox policy.
 *
 * 2. A convenience only: visitors without a session cookie go to the sign-in page instead of
 *    seeing an empty page. Every read and write is still checked in db/, cookie or not.
 *
 * 3. A server-action request (Next-Action header) whose body Next's decoder cannot read is answered
 *    400 here, before Next decodes it (lib/action-body.ts); Next's own answer would be a bare 500.
 */
// /calendar: the private iCalendar feed, fetched by calendar apps (no cookie; the token is the key).
// /share/accept: an invitation link opened while signed out says "sign in as an advisor, then open
// this link again" (the page does nothing else without a session).
const PUBLIC = ['/signin', '/signup', '/api/auth', '/calendar', '/share/accept'];

export function contentSecurityPolicy(nonce: string): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self'`,
    `frame-ancestors 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `object-src 'none'`,
  ].join('; ');
}

function isHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || request.nextUrl.protocol === 'https:';
}

// The document download answers with the file or an empty 404, under its own sandbox policy
// (app/documents/[id]/route.ts). A header set here would replace the route's, so it is the same one.
const DOWNLOAD_POLICY = "sandbox; default-src 'none'";

function withSecurityHeaders(response: NextResponse, csp: string, https: boolean, pathname: string): NextResponse {
  response.headers.set('Content-Security-Policy', pathname.startsWith('/documents/') ? DOWNLOAD_POLICY : csp);
  if (https) response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return response;
}

// The largest body the app takes (lib/limits.json; next.config.ts: serverActions.bodySizeLimit,
// proxyClientMaxBodySize).
const MAX_BODY_BYTES = limits.maxBodyBytes;

// Only a hand-made request can carry such a body: no form of the app produces one. So the answer is
// a short technical sentence in English, not a translated message.
const UNDECODABLE_ACTION = 'Bad request: this server action request cannot be decoded';

export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
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
  const isPublic = PUBLIC.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const hasSession = request.cookies.getAll().some((c) => c.name.includes('authjs.session-token'));
  if (!isPublic && !hasSession) {
    const url = request.nextUrl.clone();
    url.pathname = '/signin';
    url.search = '';
    // A redirect is not the route's own answer: it always gets the page policy.
    return withSecurityHeaders(NextResponse.redirect(url), csp, https, '/signin');
  }

  // The render reads the nonce from the request's CSP header (and x-nonce, for our own use).
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, https, pathname);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|webp)$).*)'],
};
