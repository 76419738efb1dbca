import 'server-only';
import { LRUCache } from 'lru-cache';
import { decode, getToken, type JWT } from 'next-auth/jwt';

/** What the session cookie holds once decrypted: the account and its server-side session (auth.ts's jwt callback). */
export type SessionToken = JWT & { uid?: number; sid?: string };

/**
 * Tokens already decrypted, by their whole text. A token's text is its ciphertext with its
 * authentication tag, so only a token Auth.js's own decode has accepted is ever found here, and
 * an entry goes when the token expires. What a token says never changes; whether its session is
 * still live is asked of the database on every request (db/users.ts viewerForSession).
 */
const decrypted = new LRUCache<string, SessionToken>({ max: 5000 });

async function decodeOnce(params: Parameters<typeof decode>[0]): Promise<SessionToken | null> {
  const token = params.token;
  if (!token) return null;
  const known = decrypted.get(token);
  if (known) return isLive(known) ? known : null;
  const payload: SessionToken | null = await decode(params);
  if (payload && isLive(payload)) decrypted.set(token, payload, { ttl: payload.exp! * 1000 - Date.now() });
  return payload;
}

function isLive(token: SessionToken): boolean {
  return typeof token.exp === 'number' && token.exp * 1000 > Date.now();
}

/**
 * The session token a request's cookies carry, read as Auth.js's `auth()` reads it for a server
 * component: the same cookie (its `__Secure-` name when the request came over HTTPS, joined
 * again if Auth.js cut it into chunks), the same salt and the same decryption. Nothing else of
 * the request is read (no `Authorization` header).
 *
 * `auth()` does more than this on every call: it builds a request for Auth.js's session
 * endpoint, decrypts the token, encrypts it again with a new expiry for a cookie that a server
 * component cannot set (and `auth()` drops), and answers in JSON. That was about a tenth of a
 * page's CPU time; reading the token is what a page needs.
 */
export async function readSessionToken(
  cookieHeader: string,
  secureCookie: boolean,
  secret: string | string[] | undefined,
): Promise<SessionToken | null> {
  if (!secret || !cookieHeader) return null;
  return (await getToken({ req: { headers: { cookie: cookieHeader } }, secret, secureCookie, decode: decodeOnce })) as SessionToken | null;
}

/**
 * Whether Auth.js names its cookies for HTTPS on this request: as it decides when it answers
 * (`useSecureCookies`: the protocol of AUTH_URL when set, otherwise of the x-forwarded-proto
 * header Next sets on every request, HTTPS when neither says).
 */
export function usesSecureCookies(forwardedProto: string | null, env: Record<string, string | undefined> = process.env): boolean {
  const configured = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).protocol === 'https:';
    } catch {
      // Auth.js would fail on such a URL too; fall through to the request's protocol.
    }
  }
  return (forwardedProto ?? 'https').replace(/:$/, '') === 'https';
}
