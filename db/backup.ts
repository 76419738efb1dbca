import Database from 'better-sqlite3';
import { chmodSync, closeSync, cpSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { lockFileFor } from './client';
import { lastAppliedMigrationMillis, newestMigrationMillis } from './migrate';

/**
 * Backups and restores of the database file (and of the uploaded files beside it).
 * Used by scripts/backup.ts and scripts/restore.ts; tests/backup.test.ts drives these functions.
 *
 * - A backup is taken online with SQLite's backup API (safe while the server runs and writes),
 *   then the copy must pass `PRAGMA integrity_check` or it counts as failed.
 * - A restore refuses while the database is open anywhere (a running server keeps its connection
 *   to the old file, and would go on writing into a file nobody reads): see lockForRestore. Then it
 *   checks the backup, keeps the current database aside, and swaps the file atomically (temp file
 *   in the same directory, fsync, rename).
 */

export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace('.', '-'); // 20250101T120000-123Z
}

/** `PRAGMA integrity_check` on a database file: 'ok', or what is wrong (also when it isn't SQLite at all). */
export function integrityCheck(file: string): string {
  if (!existsSync(file)) return 'missing file';
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const result = rows.map((r) => r.integrity_check).join('; ');
    // A file that isn't a database at all may only fail once a page is read.
    db.prepare(`SELECT count(*) FROM sqlite_master`).get();
    return result;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

/**
 * A copy made with the backup API keeps the source's WAL mode (and would grow -wal/-shm files
 * beside it on first open): make it one self-contained file.
 */
function makeStandalone(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/** The uploads copy that belongs to a backup file: respite-<ts>.db → respite-<ts>-files/. */
export function filesDirFor(backupFile: string): string {
  return backupFile.replace(/\.db$/, '') + '-files';
}

export type BackupOptions = {
  databaseFile: string;
  /** Where the copy goes; default <db dir>/backups/respite-<timestamp>.db. */
  out?: string;
  /** When given and present, copied to filesDirFor(out). */
  uploadDir?: string;
};

export type BackupResult = { file: string; filesDir?: string };

/** Copies these files of `from` into `to`, times kept; one gone meanwhile (deleted since it was listed) is skipped. */
function copyFilesPresent(from: string, to: string, names: string[]): void {
  for (const name of names) {
    try {
      cpSync(path.join(from, name), path.join(to, name), { recursive: true, preserveTimestamps: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** The stored file names a database's documents hold (none for a database without documents). */
function storedNamesIn(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'`).get();
    if (!table) return [];
    return (db.prepare(`SELECT stored_name AS name FROM documents WHERE stored_name IS NOT NULL`).all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

/**
 * better-sqlite3's backup copies 100 pages a step, and a write from another connection between two
 * steps starts the copy again: under a server writing every second or so, a large database's backup
 * would never end. The whole copy in one step, in one read transaction, is a snapshot writers do not restart.
 */
export const WHOLE_IN_ONE_STEP = { progress: () => 0x7fffffff };

export async function backupDatabase({ databaseFile, out, uploadDir }: BackupOptions): Promise<BackupResult> {
  if (!existsSync(databaseFile)) throw new Error(`no database at ${databaseFile}`);
  const file = path.resolve(out ?? path.join(path.dirname(databaseFile), 'backups', `respite-${timestamp()}.db`));
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // The uploads are copied before the snapshot and topped up after it, from the names it holds: a
  // document uploaded (or a file replaced) meanwhile has its file in the copy, and one deleted
  // meanwhile is not missed. Copied after the snapshot only, a file deleted in between would be
  // a row of the backup without its file.
  const filesDir = uploadDir && existsSync(uploadDir) ? filesDirFor(file) : undefined;
  if (filesDir) {
    rmSync(filesDir, { recursive: true, force: true });
    mkdirSync(filesDir, { recursive: true, mode: 0o700 });
    copyFilesPresent(uploadDir!, filesDir, readdirSync(uploadDir!));
  }
  const source = new Database(databaseFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(file, WHOLE_IN_ONE_STEP);
  } finally {
    source.close();
  }
  makeStandalone(file);
  chmodSync(file, 0o600); // as the database itself (db/client.ts)
  const check = integrityCheck(file);
  if (check !== 'ok') throw new Error(`the backup at ${file} failed its integrity check: ${check}`);
  if (filesDir) copyFilesPresent(uploadDir!, filesDir, storedNamesIn(file).filter((name) => !existsSync(path.join(filesDir, name))));
  return { file, filesDir };
}

/** A backup's name as backupDatabase makes it by default: respite-<timestamp>.db, newest last in name order. */
const BACKUP_NAME = /^respite-\d{8}T\d{6}-\d{3}Z\.db$/;

/**
 * `npm run backup -- --keep N`, for a nightly cron job: in the folder of the backup just made, the
 * newest N backups Respite named stay (that one among them), each older one goes with its uploads
 * copy. Files named otherwise (a backup made with --out, the copies a migration or a restore keeps
 * aside) are never touched. Returns the backups removed.
 */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new Error('keep must be a whole number of at least 1');
  const names = readdirSync(dir).filter((name) => BACKUP_NAME.test(name)).sort();
  const old = names.slice(0, Math.max(0, names.length - keep)).map((name) => path.join(dir, name));
  for (const file of old) {
    rmSync(filesDirFor(file), { recursive: true, force: true });
    rmSync(file, { force: true });
  }
  return old;
}

export type RestoreOptions = {
  backupFile: string;
  databaseFile: string;
  /** When given and the backup has a files copy, the upload directory is replaced by it. */
  uploadDir?: string;
};

export type RestoreResult = { previous?: string; previousFiles?: string; restoredFiles: boolean };

function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The database is open in another process: the restore was refused and nothing changed. */
export class DatabaseInUseError extends Error {
  constructor(databaseFile: string, how: string) {
    super(
      `refusing to restore: ${databaseFile} is open in another process (${how}). ` +
        'Stop the server (and `npm run mailer`, if it runs) first, then restore again.',
    );
    this.name = 'DatabaseInUseError';
  }
}

function isBusy(error: unknown): boolean {
  return typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('SQLITE_BUSY');
}

/**
 * Makes sure nothing has the database open, and that nothing opens it until `release()`; throws
 * DatabaseInUseError otherwise. Two checks:
 *
 * 1. The "in use" lock (db/client.ts): every process that opened the database through
 *    openDatabase (the server from its start, `npm run mailer`, a migration) holds it shared; here
 *    it is taken exclusively, without waiting, and held for the whole restore (a server starting
 *    meanwhile waits for it). The kernel drops a dead process's lock, kill -9 included, so a
 *    crashed server never blocks a restore, and there is no pid to mistake for another process.
 * 2. SQLite's own lock on the database: any connection in WAL mode (a server built before the
 *    lock existed, the sqlite3 shell) keeps a shared lock on the file while it is open, which
 *    an exclusive-mode read cannot get past.
 */
export function lockForRestore(databaseFile: string): { release: () => void } {
  const target = path.resolve(databaseFile);
  const lock = new Database(lockFileFor(target));
  try {
    lock.pragma('busy_timeout = 0');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (isBusy(error)) throw new DatabaseInUseError(target, `a server or script holds ${path.basename(lockFileFor(target))}`);
    throw error;
  }
  if (existsSync(target)) {
    const probe = new Database(target, { fileMustExist: true });
    try {
      probe.pragma('busy_timeout = 0');
      probe.pragma('locking_mode = EXCLUSIVE');
      probe.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      lock.close();
      if (isBusy(error)) throw new DatabaseInUseError(target, 'a connection to it is open');
      throw error;
    } finally {
      probe.close();
    }
  }
  return { release: () => lock.close() };
}

/**
 * Why `file` is not a Respite database this code can run on; null when it is. SQLite's integrity
 * check passes an empty file (a download cut short) and any other program's database: restored,
 * the first would look like a fresh install with every account gone. One a newer Respite migrated
 * has a schema this code does not know.
 */
export function notRespiteDatabase(file: string): string | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    if (!tables.has('users') || !tables.has('cases')) return 'it is not a Respite database (it has no accounts or cases)';
    const last = lastAppliedMigrationMillis(db);
    if (last === undefined) return 'it is not a Respite database (it records no migrations)';
    if (last > newestMigrationMillis()) return 'a newer Respite made it: its schema is newer than this code knows (run the newer code to restore it)';
    return null;
  } catch (error) {
    return `it cannot be read as a database (${(error as Error).message})`;
  } finally {
    db?.close();
  }
}

export async function restoreDatabase({ backupFile, databaseFile, uploadDir }: RestoreOptions): Promise<RestoreResult> {
  const source = path.resolve(backupFile);
  const check = integrityCheck(source);
  if (check !== 'ok') throw new Error(`refusing to restore ${source}: integrity check says: ${check}`);
  const foreign = notRespiteDatabase(source);
  if (foreign) throw new Error(`refusing to restore ${source}: ${foreign}`);

  const target = path.resolve(databaseFile);
  const dir = path.dirname(target);
  mkdirSync(dir, { recursive: true });
  const { release } = lockForRestore(target);
  try {
    return await restoreLocked(source, target, uploadDir);
  } finally {
    release();
  }
}

async function restoreLocked(source: string, target: string, uploadDir: string | undefined): Promise<RestoreResult> {
  const dir = path.dirname(target);
  const ts = timestamp();

  // The current database (with whatever its WAL holds) goes aside first.
  let previous: string | undefined;
  if (existsSync(target)) {
    previous = path.join(dir, `${path.basename(target, '.db')}.before-restore-${ts}.db`);
    const current = new Database(target, { fileMustExist: true });
    try {
      current.pragma('busy_timeout = 5000');
      await current.backup(previous, WHOLE_IN_ONE_STEP);
      current.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      current.close();
    }
    makeStandalone(previous);
    chmodSync(previous, 0o600);
  }

  // Atomic swap: a complete, synced copy in the same directory, then one rename.
  const temp = path.join(dir, `.${path.basename(target)}.restore-${ts}.tmp`);
  try {
    // Through the backup API rather than a file copy: a backup that has its own -wal is read whole.
    const from = new Database(source, { readonly: true, fileMustExist: true });
    try {
      await from.backup(temp, WHOLE_IN_ONE_STEP);
    } finally {
      from.close();
    }
    makeStandalone(temp);
    chmodSync(temp, 0o600);
    fsyncPath(temp);
    // A WAL left by the old file must not be replayed into the restored one.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(target + suffix, { force: true });
    renameSync(temp, target);
    fsyncPath(dir);
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(temp + suffix, { force: true });
  }

  // Uploaded files: the backup's copy replaces the directory; the current one is kept aside.
  let previousFiles: string | undefined;
  let restoredFiles = false;
  const filesCopy = filesDirFor(source);
  if (uploadDir && existsSync(filesCopy)) {
    const uploads = path.resolve(uploadDir);
    mkdirSync(path.dirname(uploads), { recursive: true });
    const incoming = `${uploads}.restore-${ts}.tmp`;
    cpSync(filesCopy, incoming, { recursive: true, preserveTimestamps: true });
    if (existsSync(uploads)) {
      previousFiles = `${uploads}.before-restore-${ts}`;
      renameSync(uploads, previousFiles);
    }
    renameSync(incoming, uploads);
    restoredFiles = true;
  }
  return { previous, previousFiles, restoredFiles };
}
