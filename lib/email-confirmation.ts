/**
 * The link that confirms an account's email (确认邮箱): mailed at sign-up and after the email changes.
 * Its token (lib/signed-link.ts) is bound to the address, so a link:
 * - works for seven days (a person may read the mail days later; asked again in settings, it comes again);
 * - confirms only the address it was mailed to: after the email changes, links mailed before stop working;
 * - stops working when the secret changes.
 * Nothing is stored. Without a secret there is no link.
 */
import { isLinkToken, linkTokenUser, makeLinkToken, type LinkKind } from './signed-link';

/** How long a link works. */
export const CONFIRM_VALID_DAYS = 7;

const CONFIRM: LinkKind = { purpose: 'email-confirm:v1', validSeconds: CONFIRM_VALID_DAYS * 24 * 60 * 60 };

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

/** The page a link opens: it asks for one press of a button, so that a mail scanner opening the link confirms nothing. */
export function emailConfirmationUrl(appUrl: string, token: string): string {
  return `${appUrl}/confirm-email?t=${encodeURIComponent(token)}`;
}
