import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as schema from './schema';

/**
 * The one database connection of this process. Only db/ modules (and scripts) import it:
 * everything else goes through the verbs, which scope every query to the viewer.
 */

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** DATABASE_PATH, else respite.db in DATA_DIR (default data/), as `npm start` has it (scripts/start.mjs). */
export function databasePath(): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.DATABASE_PATH || path.join(process.env.DATA_DIR || 'data', 'respite.db'));
}

/** How long a write waits for another process's write to finish before it gives up. */
export const BUSY_TIMEOUT_MS = 5000;

// --- the "in use" lock --------------------------------------------------------------------------

/** The small file beside the database whose lock says that a process has the database open. */
export function lockFileFor(databaseFile: string): string {
  return `${databaseFile}-lock`;
}

/** How long opening the database waits for a restore in progress (which holds the lock exclusively). */
const RESTORE_WAIT_MS = 60_000;

/**
 * Every process that opens the database here (the server, `npm run mailer`, migrations) holds a
 * SHARED lock on <database>-lock for as long as its connection is open; `npm run restore` needs it
 * EXCLUSIVE (db/backup.ts), so it refuses while any of them runs, and a server that starts during
 * a restore waits for it rather than opening the file being replaced.
 *
 * The lock is SQLite's own (an fcntl lock, held by an open read transaction on an empty file of
 * its own): the kernel drops it when the process ends, however it ends (kill -9 included), so no
 * stale lock or pid file can ever block a restore, and no pid can be mistaken for another process.
 */
function holdInUseLock(databaseFile: string): Database.Database {
  const lock = new Database(lockFileFor(databaseFile));
  try {
    lock.pragma(`busy_timeout = ${RESTORE_WAIT_MS}`);
    lock.exec('BEGIN');
    lock.prepare('SELECT count(*) FROM sqlite_master').get(); // the SHARED lock is taken here, and kept
    return lock;
  } catch (error) {
    lock.close();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${databaseFile} is being restored (its lock is held exclusively): try again when the restore is done (${why})`);
  }
}

// --- the connection ---------------------------------------------------------------------------

/**
 * Transactions begin IMMEDIATE: a write transaction takes the write lock when it starts, not at
 * its first write. Inside one process it makes no difference (better-sqlite3 transactions are
 * synchronous, so they never interleave); between processes on one database (two servers, the
 * server and `npm run mailer`) a DEFERRED transaction that reads and then writes fails at once
 * with SQLITE_BUSY ("database is locked") when the other process committed in between: SQLite
 * cannot wait for that one, busy_timeout or not. An IMMEDIATE one waits (busy_timeout) instead.
 * Measured with two processes doing read-then-write in a loop for 3 s: deferred, 70,000
 * "database is locked" errors; immediate, none. A caller may still ask for
 * `{ behavior: 'deferred' }` (drizzle) or `.deferred()` (better-sqlite3) for a long read.
 */
function immediateByDefault(sqlite: Database.Database): void {
  const transaction = sqlite.transaction.bind(sqlite);
  // better-sqlite3's transaction functions carry .deferred/.immediate/.exclusive: hand back the
  // immediate one, so that calling the function plainly begins IMMEDIATE.
  sqlite.transaction = ((fn: Parameters<typeof transaction>[0]) => transaction(fn).immediate) as typeof sqlite.transaction;
}

export function openDatabase(file = databasePath()): DB {
  // Whichever script makes the data folder first (npm start, migrate, create-admin, the demo), it
  // and the database are the owner's alone: other accounts on the machine read nobody's debts.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const lock = holdInUseLock(file);
  const made = !existsSync(file);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file);
    // Made here: the owner's alone (SQLite gives its -wal and -shm files the database's own mode).
    // One that exists keeps the mode its administrator gave it.
    if (made && !sqlite.memory) chmodSync(file, 0o600);
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // What a write frees is zeroed, always: a row's old copy left in a page's free space by an update
    // (or a page freed before an account was deleted) would otherwise stay readable in the file after
    // the account is gone (db/account.ts deleteAccount).
    sqlite.pragma('secure_delete = ON');
  } catch (error) {
    lock.close();
    throw error;
  }
  // Closing the connection lets go of the lock too (a process that ends lets go of both anyway).
  const close = sqlite.close.bind(sqlite);
  sqlite.close = () => {
    close();
    if (lock.open) lock.close();
    return sqlite;
  };
  immediateByDefault(sqlite);
  const db = drizzle(sqlite, { schema, casing: 'snake_case' }) as DB;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn, config) => transaction(fn, { behavior: 'immediate', ...config })) as DB['transaction'];
  return db;
}

const globalForDb = globalThis as unknown as { respiteDb?: DB };

/** Opened lazily, so that `next build` never touches the database. */
export function getDb(): DB {
  globalForDb.respiteDb ??= openDatabase();
  return globalForDb.respiteDb;
}

export { schema };
