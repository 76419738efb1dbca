/**
 * The link that sets a new password for a person who forgot theirs (忘记密码). It names the
 * account and when the link ends, and carries an HMAC of both and of the account's current
 * password hash under the deployment's secret (AUTH_SECRET, kept by scripts/start.mjs). So a link:
 * - works for one hour;
 * - works once: the new password changes the hash, and every link made before it stops working
 *   (so does a password changed in settings);
 * - works for the address it was mailed to: when the account's email changes, links mailed to the
 *   old address stop working;
 * - stops working when the secret changes.
 * Nothing is stored. Without a secret there is no link.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { linkSecret } from './link-secret';

/** How long a link works. */
export const RESET_VALID_MINUTES = 60;

/** The account as a link is made for: who, at which address, with which password. */
type LinkAccount = { id: number; email: string; passwordHash: string };

function mac(key: string, user: LinkAccount, expires: number): string {
  return createHmac('sha256', key).update(`respite:password-reset:v2:${user.id}:${expires}:${user.email}:${user.passwordHash}`).digest('base64url');
}

/** A link's token for the account as it is now: `<user id>.<ends, unix seconds>.<HMAC>`, or null without a secret. */
export function passwordResetToken(user: LinkAccount, now: Date, secret?: string): string | null {
  const key = linkSecret(secret);
  if (!key) return null;
  const expires = Math.floor(now.getTime() / 1000) + RESET_VALID_MINUTES * 60;
  return `${user.id}.${expires}.${mac(key, user, expires)}`;
}

const TOKEN = /^([1-9]\d{0,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function parse(token: unknown): { userId: number; expires: number; mac: string } | null {
  const m = TOKEN.exec(typeof token === 'string' ? token : '');
  return m && Number.isSafeInteger(Number(m[1])) ? { userId: Number(m[1]), expires: Number(m[2]), mac: m[3] } : null;
}

/** The account a token names, read from it (nothing is checked yet), or null for what is no token. */
export function resetTokenUser(token: string): number | null {
  return parse(token)?.userId ?? null;
}

/** Whether `token` is a link for this account as it is now, not yet ended (the HMAC compared in constant time). */
export function isPasswordResetToken(user: LinkAccount, token: string, now: Date, secret?: string): boolean {
  const key = linkSecret(secret);
  const t = parse(token);
  if (!key || !t || t.userId !== user.id || t.expires * 1000 <= now.getTime()) return false;
  return timingSafeEqual(Buffer.from(t.mac), Buffer.from(mac(key, user, t.expires)));
}

/** The page a link opens. */
export function passwordResetUrl(appUrl: string, token: string): string {
  return `${appUrl}/reset-password?t=${encodeURIComponent(token)}`;
}
