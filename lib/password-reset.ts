/**
 * The link that sets a new password for a person who forgot their password (忘记密码). Its token
 * (lib/signed-link.ts) is bound to the account's address and current password hash. So a link:
 * - works for one hour;
 * - works once: the new password changes the hash, and every link made before it stops working
 *   (so does a password changed in settings);
 * - works for the address it was mailed to: when the account's email changes, links mailed to the
 *   old address stop working;
 * - stops working when the secret changes.
 * Nothing is stored. Without a secret there is no link.
 */
import { isLinkToken, linkTokenUser, makeLinkToken, type LinkKind } from './signed-link';

/** How long a link works. */
export const RESET_VALID_MINUTES = 60;

const RESET: LinkKind = { purpose: 'password-reset:v2', validSeconds: RESET_VALID_MINUTES * 60 };

/** The account as a link is made for: who, at which address, with which password. */
type LinkAccount = { id: number; email: string; passwordHash: string };

const bound = (user: LinkAccount) => `${user.email}:${user.passwordHash}`;

/** A link's token for the account as it is now: `<user id>.<ends, unix seconds>.<HMAC>`, or null without a secret. */
export function passwordResetToken(user: LinkAccount, now: Date, secret?: string): string | null {
  return makeLinkToken(RESET, user.id, bound(user), now, secret);
}

/** The account a token names, read from it (nothing is checked yet), or null for what is no token. */
export function resetTokenUser(token: string): number | null {
  return linkTokenUser(token);
}

/** Whether `token` is a link for this account as it is now, not yet ended. */
export function isPasswordResetToken(user: LinkAccount, token: string, now: Date, secret?: string): boolean {
  return isLinkToken(RESET, user.id, bound(user), token, now, secret);
}

/** The page a link opens. */
export function passwordResetUrl(appUrl: string, token: string): string {
  return `${appUrl}/reset-password?t=${encodeURIComponent(token)}`;
}
