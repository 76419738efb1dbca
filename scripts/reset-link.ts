/**
 * Prints a link that sets a new password for an account (lib/password-reset.ts), for an
 * administrator to hand to a person who forgot theirs where this server sends no mail. The link
 * works for an hour, and once. It uses the server's own secret (DATA_DIR/auth-secret, or
 * AUTH_SECRET) and address (APP_URL, else this machine on PORT).
 *
 *   npm run reset-link -- --email someone@example.com
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { systemPasswordResetLink } from '../db/users';
import { RESET_VALID_MINUTES } from '../lib/password-reset';
import { ensureAuthSecret, ROOT } from './start.mjs';

const USAGE = 'Usage: npm run reset-link -- --email someone@example.com';

const { values } = parseArgs({ options: { email: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
if (values.help || !values.email) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
process.env.AUTH_SECRET ||= ensureAuthSecret(path.resolve(ROOT, process.env.DATA_DIR || 'data'));
const db = getDb();
await migrateDatabase(db);
const link = systemPasswordResetLink(values.email);
db.$client.close();
if (!link) {
  console.error(`No account that can sign in has the email ${values.email}.`);
  process.exit(1);
}
console.log(`A link that sets a new password for ${link.email}, working for ${RESET_VALID_MINUTES} minutes and once:\n\n${link.url}\n`);
console.log('If people reach this site at another address than the link shows, set APP_URL and run this again.');
