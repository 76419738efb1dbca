/**
 * Creates an administrator, or promotes and resets the password of an existing account (its
 * sessions end; a borrower's or an advisor's account holding data of its own is refused).
 *
 *   npm run create-admin -- --email admin@example.com [--password '…'] [--name 管理员]
 *
 * ADMIN_EMAIL / ADMIN_PASSWORD / ADMIN_NAME may stand in for the flags. Without a password,
 * it asks on the terminal (without echo); with no terminal, it stops with an error.
 */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { databasePath, getDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { unsafeUpsertAdmin } from '../db/admin';
import { DomainError } from '../lib/errors';
import { isWeakPassword } from '../lib/password-strength';

const USAGE = "Usage: npm run create-admin -- --email a@b.c [--password '…'] [--name 管理员]";

const emailSchema = z.string().trim().max(254).pipe(z.email());
const passwordSchema = z.string().min(8).max(200);

class UsageError extends Error {}

/** Reads one line from a TTY with echo off. Ctrl-C cancels. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of Array.from(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new UsageError('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    process.stdout.write(question);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new UsageError('No password given and no terminal to ask on: pass --password or set ADMIN_PASSWORD.');
  }
  const first = await promptHidden('Password (at least 8 characters): ');
  const again = await promptHidden('Repeat the password: ');
  if (first !== again) throw new UsageError('The two passwords differ.');
  return first;
}

async function main(): Promise<void> {
  let values: { email?: string; password?: string; name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : error}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const emailInput = values.email ?? process.env.ADMIN_EMAIL;
  if (!emailInput) throw new UsageError(`--email is required.\n${USAGE}`);
  const email = emailSchema.safeParse(emailInput);
  if (!email.success) throw new UsageError(`Not an email address: ${emailInput}`);

  const passwordInput = values.password ?? process.env.ADMIN_PASSWORD ?? (await readPassword());
  if (!passwordSchema.safeParse(passwordInput).success) {
    throw new UsageError('The password must be 8 to 200 characters long.');
  }
  const name = (values.name ?? process.env.ADMIN_NAME ?? '管理员').trim() || '管理员';
  // The account that runs the console: held to the same rule as everyone's (lib/password-strength.ts).
  if (await isWeakPassword(passwordInput, { email: email.data, displayName: name })) {
    throw new UsageError('That password is too common or too easy to guess: choose a longer one, a few unrelated words, say.');
  }

  const db = getDb();
  await migrateDatabase(db);
  let user;
  try {
    user = await unsafeUpsertAdmin(email.data, passwordInput, name);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'role_has_data') {
      throw new UsageError(
        `${email.data} is a borrower's or an advisor's account with cases, reminders or shares of its own: it cannot become an administrator. Choose another address for the administrator.`,
      );
    }
    throw error;
  }
  db.$client.close();
  console.log(`Administrator ${user.email} (id ${user.id}) is ready in ${databasePath()}.`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof UsageError ? error.message : error);
  process.exitCode = 1;
}
