/**
 * Prints a link that sets a new password for an account (lib/password-reset.ts), for an
 * administrator to hand to a person who forgot theirs where this server sends no mail. The link
 * works for an hour, and once. Unlike the link 忘记密码 mails, it does not confirm the account's address
 * (it never went through that mailbox: the address may be mistyped, and reminder mail goes only to a
 * confirmed one). It uses the server's own secret (AUTH_SECRET, or DATA_DIR/auth-secret;
 * it makes none) and address (APP_URL, else this machine on PORT).
 *
 *   npm run reset-link -- --email someone@example.com
 */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { systemPasswordResetLink } from '../db/users';
import { RESET_VALID_MINUTES } from '../lib/password-reset';
import { readAuthSecret, ROOT } from './start.mjs';

const USAGE = 'Usage: npm run reset-link -- --email someone@example.com';

const { values } = parseArgs({ options: { email: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
if (values.help || !values.email) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
// The server's secret, as it signs with it: AUTH_SECRET where the server is given one, else the one it keeps in
// DATA_DIR. None of either is a server that never started here, or one given AUTH_SECRET that this run was not:
// a new secret would make a link the server refuses (and sign everyone out at its next start), so none is made.
const dataDir = path.resolve(ROOT, process.env.DATA_DIR || 'data');
const secret = process.env.AUTH_SECRET || readAuthSecret(dataDir);
if (!secret) {
  console.error(
    `No secret to sign the link with: ${path.join(dataDir, 'auth-secret')} does not exist and AUTH_SECRET is not set.\n` +
      'Run this with the DATA_DIR the server uses, or, if the server is given AUTH_SECRET, with the same AUTH_SECRET.',
  );
  process.exit(1);
}
process.env.AUTH_SECRET = secret;
const db = getDb();
await migrateDatabase(db);
// Handed over, not mailed: setting the password with it leaves the address as confirmed as it was.
const link = systemPasswordResetLink(values.email, new Date(), undefined, 'handed');
db.$client.close();
if (!link) {
  console.error(`No account that can sign in has the email ${values.email}.`);
  process.exit(1);
}
console.log(`A link that sets a new password for ${link.email}, working for ${RESET_VALID_MINUTES} minutes and once:\n\n${link.url}\n`);
console.log('If people reach this site at another address than the link shows, set APP_URL and run this again.');
console.log(
  `Setting a password with it does not confirm ${link.email} (it was not mailed there): reminder mail waits until ` +
    'its owner opens a confirmation link mailed to it (Settings), once mail is set up.',
);
