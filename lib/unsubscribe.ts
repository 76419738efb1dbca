/**
 * The link in every reminder mail that stops reminder mail without signing in (RFC 8058 one-click,
 * and a page for a person who follows it). It names the account and carries an HMAC of it under
 * the deployment's secret (AUTH_SECRET, kept by scripts/start.mjs): whoever holds the mail may stop
 * the mail, and nothing else. A new secret ends the old links. Without a secret there is no link.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { linkSecret } from './link-secret';

/** The token for an account: 43 URL-safe characters, or null without a secret. */
export function unsubscribeToken(userId: number, secret?: string): string | null {
  const key = linkSecret(secret);
  if (!key || !Number.isSafeInteger(userId) || userId < 1) return null;
  return createHmac('sha256', key).update(`respite:unsubscribe:v1:${userId}`).digest('base64url');
}

/** Whether `token` is the account's (in constant time). */
export function isUnsubscribeToken(userId: number, token: string, secret?: string): boolean {
  const expected = unsubscribeToken(userId, secret);
  if (!expected || typeof token !== 'string' || token.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(token), Buffer.from(expected));
}

/**
 * An account's two addresses, or null without a secret: `page`, where a person stops reminder mail
 * (a page that asks first); `oneClick`, where a mail program does it in one request (List-Unsubscribe,
 * with List-Unsubscribe-Post).
 */
export function unsubscribeUrls(appUrl: string, userId: number, secret?: string): { page: string; oneClick: string } | null {
  const token = unsubscribeToken(userId, secret);
  if (!token) return null;
  const query = `u=${userId}&t=${token}`;
  return { page: `${appUrl}/mail/unsubscribe?${query}`, oneClick: `${appUrl}/mail/unsubscribe/confirm?${query}` };
}
