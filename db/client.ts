import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as schema from './schema';

/**
 * The one database connection of this process. Only db/ modules (and scripts) import it:
 * everything else goes through the verbs, which scope every query to the viewer.
 */

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function databasePath(): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.DATABASE_PATH ?? 'data/respite.db');
}

export function openDatabase(file = databasePath()): DB {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return drizzle(sqlite, { schema, casing: 'snake_case' }) as DB;
}

const globalForDb = globalThis as unknown as { respiteDb?: DB };

/** Opened lazily, so that `next build` never touches the database. */
export function getDb(): DB {
  globalForDb.respiteDb ??= openDatabase();
  return globalForDb.respiteDb;
}

export { schema };
