/**
 * The key of the links a mail carries (lib/unsubscribe.ts, lib/password-reset.ts): the given
 * secret, else the deployment's AUTH_SECRET (kept by scripts/start.mjs); null when there is none
 * of at least 16 characters, and then no such link is made.
 */
export function linkSecret(secret?: string): string | null {
  const s = secret ?? process.env.AUTH_SECRET;
  return s && s.length >= 16 ? s : null;
}
