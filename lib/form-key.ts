import { randomBytes } from 'node:crypto';

/** A fresh key for a create form, rendered on the server into a hidden field (see db/idempotency.ts). */
export function newFormKey(): string {
  return randomBytes(18).toString('base64url');
}
