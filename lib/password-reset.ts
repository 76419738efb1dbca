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
 *
 * A link comes one of two ways, each under a purpose of its own (one never passes for the other), and
 * the page takes both alike: mailed to the account's address (忘记密码), or handed over by an
 * administrator (`npm run reset-link`, where no mail is set up). Only a mailed link shows that the
 * address reaches its owner, so only setting a password with one confirms the address: a person who
 * signed up with a mistyped address and got a link from the administrator has a stranger's mailbox as
 * the account's, and reminder mail about their debts must not go there.
 */
import { isLinkToken, linkTokenUser, makeLinkToken, type LinkKind } from './signed-link';

/** How long a link works. */
export const RESET_VALID_MINUTES = 60;

/** How a link reached the person holding it: mailed to the account's address, or handed over by an administrator. */
export type ResetLinkWay = 'mailed' | 'handed';

const KINDS: Record<ResetLinkWay, LinkKind> = {
  mailed: { purpose: 'password-reset:v2', validSeconds: RESET_VALID_MINUTES * 60 },
  handed: { purpose: 'password-reset-handed:v1', validSeconds: RESET_VALID_MINUTES * 60 },
};

/** The account as a link is made for: who, at which address, with which password. */
type LinkAccount = { id: number; email: string; passwordHash: string };

const bound = (user: LinkAccount) => `${user.email}:${user.passwordHash}`;

/** A link's token for the account as it is now: `<user id>.<ends, unix seconds>.<HMAC>`, or null without a secret. */
export function passwordResetToken(user: LinkAccount, now: Date, secret?: string, way: ResetLinkWay = 'mailed'): string | null {
  return makeLinkToken(KINDS[way], user.id, bound(user), now, secret);
}

/** The account a token names, read from it (nothing is checked yet), or null for what is no token. */
export function resetTokenUser(token: string): number | null {
  return linkTokenUser(token);
}

/** How `token` came, while it is a link for this account as it is now, not yet ended; else null. */
export function passwordResetTokenWay(user: LinkAccount, token: string, now: Date, secret?: string): ResetLinkWay | null {
  if (isLinkToken(KINDS.mailed, user.id, bound(user), token, now, secret)) return 'mailed';
  if (isLinkToken(KINDS.handed, user.id, bound(user), token, now, secret)) return 'handed';
  return null;
}

/** Whether `token` is a link for this account as it is now (mailed or handed over), not yet ended. */
export function isPasswordResetToken(user: LinkAccount, token: string, now: Date, secret?: string): boolean {
  return passwordResetTokenWay(user, token, now, secret) !== null;
}

/** The page a link opens. */
export function passwordResetUrl(appUrl: string, token: string): string {
  return `${appUrl}/reset-password?t=${encodeURIComponent(token)}`;
}
