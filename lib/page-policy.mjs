/**
 * The per-request rules every page answer follows: a Content-Security-Policy with a fresh nonce,
 * HSTS behind a TLS proxy, and which paths a visitor without a session may open. Two places apply
 * them, and both take them from here:
 *
 *   - scripts/server.mjs (`npm start`, the tests, the benchmark), for an ordinary page request
 *     (GET or HEAD) of a visitor with a session, or of a public path: `applyPagePolicy`;
 *   - proxy.ts, for every other request, and for every request when Next runs without that
 *     server (`next dev`, `next start`). The proxy skips a request the server has marked with
 *     FRONT_HEADER (its matcher's `missing` condition), which saves Next's proxy machinery on
 *     most requests.
 *
 * Plain JavaScript: scripts/server.mjs runs before anything is built.
 */
import { randomUUID } from 'node:crypto';

// /calendar: the private iCalendar feed, fetched by calendar apps (no cookie; the token is the key).
// /share/accept: an invitation link opened while signed out says "sign in as an advisor, then open
// this link again" (the page does nothing else without a session).
// /forgot-password, /reset-password: a person who forgot the password (the reset link's token is the key).
// /confirm-email: the link in the mail that confirms an address, opened on any device (its token is the key).
// /mail/unsubscribe: the link at the foot of a reminder mail, and a mail program's one-click
// unsubscribe (no cookie; the link's token is the key, lib/unsubscribe.ts).
export const PUBLIC_PATHS = ['/signin', '/signup', '/forgot-password', '/reset-password', '/confirm-email', '/api/auth', '/calendar', '/share/accept', '/mail/unsubscribe'];

/** Whether a visitor without a session may open this path (the others are sent to sign in). */
export function isPublicPath(pathname) {
  return PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** Auth.js's session cookie, whatever its prefix (`__Secure-` over HTTPS) or chunk suffix. */
export function isSessionCookieName(name) {
  return name.includes('authjs.session-token');
}

/** A fresh nonce for one answer. */
export function newNonce() {
  return Buffer.from(randomUUID()).toString('base64');
}

/**
 * The page policy. Next reads the nonce from the request's own Content-Security-Policy header and
 * puts it on its scripts (every page here is dynamic, so each render gets the nonce of its
 * request). 'strict-dynamic' lets those scripts load the app's chunks; nothing else runs: no
 * inline script without the nonce, no eval.
 */
export function contentSecurityPolicy(nonce) {
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

// The document download answers with the file, or a short page saying it is not found (or, to an
// advisor, that the borrower has not consented), under its own sandbox policy: no script, no request
// of any kind; the refusal pages' inline styles only (app/documents/[id]/route.ts).
export const DOWNLOAD_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

export const HSTS = 'max-age=31536000; includeSubDomains';

/** Whether the request came over HTTPS, as the TLS proxy in front says (x-forwarded-proto). */
export function forwardedHttps(forwardedProto) {
  return String(forwardedProto ?? '').split(',')[0].trim().toLowerCase() === 'https';
}

/**
 * The request header that says scripts/server.mjs has applied the page policy (proxy.ts's matcher
 * names it as a literal, which lib/page-policy.test.ts compares with this).
 */
export const FRONT_HEADER = 'x-respite-front';

/**
 * The page asked for, for requireViewer to come back to after signing in (lib/return-path.ts
 * PATH_HEADER; a literal here, as this file is plain JavaScript). Never the client's own.
 */
export const PATH_HEADER = 'x-respite-path';

/**
 * What scripts/server.mjs does before Next sees a request (a Node `IncomingMessage` and its
 * `ServerResponse`). A FRONT_HEADER the client sent is always removed. Then, for a GET or HEAD of
 * a page that would be served as it is (a visitor with a session, or a public path; a path that
 * decodes; not a document download, whose route sets its own policy), it does what proxy.ts would
 * have done: a nonce and its policy on the request (for Next) and on the answer, HSTS over HTTPS,
 * and marks the request so that the proxy is skipped. Anything else is left to the proxy.
 * Returns whether the request was marked.
 */
export function applyPagePolicy(req, res) {
  delete req.headers[FRONT_HEADER];
  delete req.headers[PATH_HEADER];
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const pathname = query < 0 ? url : url.slice(0, query);
  if (!pathname.startsWith('/') || pathname.startsWith('/documents/')) return false;
  try {
    decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (!isPublicPath(pathname) && !hasSessionCookie(req.headers.cookie)) return false;

  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce);
  req.headers['content-security-policy'] = csp;
  req.headers['x-nonce'] = nonce;
  req.headers[FRONT_HEADER] = '1';
  req.headers[PATH_HEADER] = url;
  res.setHeader('Content-Security-Policy', csp);
  if (forwardedHttps(req.headers['x-forwarded-proto'])) res.setHeader('Strict-Transport-Security', HSTS);
  return true;
}

function hasSessionCookie(cookieHeader) {
  if (!cookieHeader) return false;
  return cookieHeader.split(';').some((pair) => {
    const eq = pair.indexOf('=');
    return eq > 0 && isSessionCookieName(pair.slice(0, eq).trim());
  });
}
