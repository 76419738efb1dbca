import { NextResponse, type NextRequest } from 'next/server';

/**
 * A convenience only: visitors without a session cookie go to the sign-in page instead of
 * seeing an empty page. Every read and write is still checked in db/, cookie or not.
 */
// /calendar: the private iCalendar feed, fetched by calendar apps (no cookie; the token is the key).
// /share/accept: an invitation link opened while signed out says "sign in as an advisor, then open
// this link again" (the page does nothing else without a session).
const PUBLIC = ['/signin', '/signup', '/api/auth', '/calendar', '/share/accept'];

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (PUBLIC.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return NextResponse.next();
  const hasSession = request.cookies.getAll().some((c) => c.name.includes('authjs.session-token'));
  if (hasSession) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = '/signin';
  url.search = '';
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|webp)$).*)'],
};
