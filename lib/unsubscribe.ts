/**
 * The link in every reminder mail that stops reminder mail without signing in (RFC 8058 one-click,
 * and a page for a person who follows it). It names the account and carries an HMAC of it under
 * the deployment's secret (AUTH_SECRET, kept by scripts/start.mjs): whoever holds the mail may stop
 * the mail, and nothing else. A new secret ends the old links. Without a secret there is no link.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LOCALES, type AppLocale } from './i18n/config';
import { linkSecret } from './link-secret';

/** The token for an account: 43 URL-safe characters, or null without a secret. */
export function unsubscribeToken(userId: number, secret?: string): string | null {
  const key = linkSecret(secret);
  if (!key || !Number.isSafeInteger(userId) || userId < 1) return null;
  return createHmac('sha256', key).update(`respite:unsubscribe:v1:${userId}`).digest('base64url');
}

/** What a token looks like: 43 URL-safe characters (base64url of 32 bytes). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Whether `token` is the account's (in constant time). Anything not of the token's shape is refused
 * first: timingSafeEqual compares bytes, and 43 characters of which one is not ASCII are more than 43
 * bytes (it would throw).
 */
export function isUnsubscribeToken(userId: number, token: string, secret?: string): boolean {
  const expected = unsubscribeToken(userId, secret);
  if (!expected || typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return false;
  const given = Buffer.from(token);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * An account's two addresses, or null without a secret: `page`, where a person stops reminder mail
 * (a page that asks first); `oneClick`, where a mail program does it in one request (List-Unsubscribe,
 * with List-Unsubscribe-Post). The page's names the account's language (`l`, beside the token, not
 * signed: it only picks the words), for a reader whose browser has no language chosen (pageLocale).
 */
export function unsubscribeUrls(
  appUrl: string,
  userId: number,
  { locale, secret }: { locale?: AppLocale; secret?: string } = {},
): { page: string; oneClick: string } | null {
  const token = unsubscribeToken(userId, secret);
  if (!token) return null;
  const query = `u=${userId}&t=${token}`;
  return { page: `${appUrl}/mail/unsubscribe?${query}${locale ? `&l=${locale}` : ''}`, oneClick: `${appUrl}/mail/unsubscribe/confirm?${query}` };
}

const isLocale = (v: unknown): v is AppLocale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

/**
 * The language the unsubscribe page speaks in place of the usual one (the locale cookie), or null
 * for the usual one. A link is often opened in a mail program's own browser, which has no cookie:
 * then the page speaks the language the link names (the account's, when it was mailed), once the
 * link is known to be right (`verified`: its token checked, or the stop done). A language chosen
 * on this device (the cookie) stays the reader's.
 */
export function pageLocale(cookie: string | undefined, named: string | null | undefined, verified: boolean): AppLocale | null {
  if (isLocale(cookie) || !verified) return null;
  return isLocale(named) ? named : null;
}
