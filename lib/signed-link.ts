/**
 * The tokens of the links an account mail carries (lib/password-reset.ts, lib/email-confirmation.ts):
 * `<user id>.<ends, unix seconds>.<HMAC>`. The HMAC, under the deployment's secret (lib/link-secret.ts),
 * covers what the link is for, the account, when it ends and what it is bound to (the address it was
 * mailed to, a password hash): when any of these changes, the link stops working. Nothing is stored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { linkSecret } from './link-secret';

/** What a link is for and how long it works; `purpose` carries its version. */
export type LinkKind = { purpose: string; validSeconds: number };

function mac(key: string, kind: LinkKind, userId: number, expires: number, bound: string): string {
  return createHmac('sha256', key).update(`respite:${kind.purpose}:${userId}:${expires}:${bound}`).digest('base64url');
}

/** A token for this account as it is now (`bound`), or null without a secret. */
export function makeLinkToken(kind: LinkKind, userId: number, bound: string, now: Date, secret?: string): string | null {
  const key = linkSecret(secret);
  if (!key) return null;
  const expires = Math.floor(now.getTime() / 1000) + kind.validSeconds;
  return `${userId}.${expires}.${mac(key, kind, userId, expires, bound)}`;
}

const TOKEN = /^([1-9]\d{0,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function parse(token: unknown): { userId: number; expires: number; mac: string } | null {
  const m = TOKEN.exec(typeof token === 'string' ? token : '');
  return m && Number.isSafeInteger(Number(m[1])) ? { userId: Number(m[1]), expires: Number(m[2]), mac: m[3]! } : null;
}

/** The account a token names, read from it (nothing is checked yet), or null for what is no token. */
export function linkTokenUser(token: string): number | null {
  return parse(token)?.userId ?? null;
}

/** Whether `token` is a link of this kind for this account as it is now, not yet ended (the HMAC compared in constant time). */
export function isLinkToken(kind: LinkKind, userId: number, bound: string, token: string, now: Date, secret?: string): boolean {
  const key = linkSecret(secret);
  const t = parse(token);
  if (!key || !t || t.userId !== userId || t.expires * 1000 <= now.getTime()) return false;
  return timingSafeEqual(Buffer.from(t.mac), Buffer.from(mac(key, kind, userId, t.expires, bound)));
}
