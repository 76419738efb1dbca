/**
 * Where to go back to after signing in: a link from a reminder mail or an invitation, opened
 * signed out, lands on its page once the person has signed in. Only a path of this app is
 * accepted (never another site: "//evil.example", "/\evil.example", "https://…"), and never the
 * sign-in pages themselves.
 */
export const RETURN_PARAM = 'next';

/** The request header through which the page being asked for reaches `requireViewer` (set by lib/page-policy.mjs and proxy.ts). */
export const PATH_HEADER = 'x-respite-path';

const MAX_LENGTH = 2000;

export function safeReturnPath(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return null;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  // Control characters and backslashes have no place in our paths (browsers read "\" as "/").
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return null;
  const path = raw.split(/[?#]/, 1)[0]!;
  if (path === '/' || /^\/(signin|signup|api)(\/|$)/.test(path)) return null;
  return raw;
}

/** The sign-in page, coming back to `path` afterwards (when it is one to come back to). */
export function signInHref(path: string | null | undefined): string {
  const back = safeReturnPath(path);
  return back ? `/signin?${RETURN_PARAM}=${encodeURIComponent(back)}` : '/signin';
}
