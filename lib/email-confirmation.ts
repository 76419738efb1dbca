/**
 * The links that confirm an address (确认邮箱), of two kinds, both opening the same page:
 * - the sign-in email's own, mailed at sign-up: it marks that address confirmed;
 * - an email change's, mailed to the new address asked for in settings (users.pending_email): it makes
 *   that address the sign-in email. Until it is opened nothing moves, so a mistyped address hands the
 *   account to nobody.
 * Each token (lib/signed-link.ts) is bound to the address it was mailed to, under a purpose of its own
 * (one kind never passes for the other), so a link:
 * - works for seven days (a person may read the mail days later; asked again in settings, it comes again);
 * - works only for the address it was mailed to: after the email changes, the sign-up links mailed to the
 *   old one stop working, and when a second change replaces a pending one, the first change's link does;
 * - stops working when the secret changes.
 * Nothing is stored. Without a secret there is no link.
 */
import { isLinkToken, linkTokenUser, makeLinkToken, type LinkKind } from './signed-link';

/** How long a link works. */
export const CONFIRM_VALID_DAYS = 7;

const CONFIRM: LinkKind = { purpose: 'email-confirm:v1', validSeconds: CONFIRM_VALID_DAYS * 24 * 60 * 60 };
const CHANGE: LinkKind = { purpose: 'email-change:v1', validSeconds: CONFIRM_VALID_DAYS * 24 * 60 * 60 };

type LinkAccount = { id: number; email: string };

/** A link's token for the account's address as it is now, or null without a secret. */
export function emailConfirmationToken(user: LinkAccount, now: Date, secret?: string): string | null {
  return makeLinkToken(CONFIRM, user.id, user.email, now, secret);
}

/** The account a token names, read from it (nothing is checked yet), or null for what is no token. */
export function confirmationTokenUser(token: string): number | null {
  return linkTokenUser(token);
}

/** Whether `token` is a link for the account's address as it is now, not yet ended. */
export function isEmailConfirmationToken(user: LinkAccount, token: string, now: Date, secret?: string): boolean {
  return isLinkToken(CONFIRM, user.id, user.email, token, now, secret);
}

/**
 * An email change's token: it makes `account.email`, the new address asked for (still pending), the
 * sign-in email of account `account.id`. Null without a secret.
 */
export function emailChangeToken(account: LinkAccount, now: Date, secret?: string): string | null {
  return makeLinkToken(CHANGE, account.id, account.email, now, secret);
}

/** Whether `token` is an email change's link for this account and that new address, not yet ended. */
export function isEmailChangeToken(account: LinkAccount, token: string, now: Date, secret?: string): boolean {
  return isLinkToken(CHANGE, account.id, account.email, token, now, secret);
}

/** The page a link opens: it asks for one press of a button, so that a mail scanner opening the link confirms nothing. */
export function emailConfirmationUrl(appUrl: string, token: string): string {
  return `${appUrl}/confirm-email?t=${encodeURIComponent(token)}`;
}
