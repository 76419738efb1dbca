import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, integrityCheck, restoreDatabase } from '@/db/backup';

/** On a database of its own (WAL mode, as the app opens it), not the shared test database. */

let dir: string;
let dbFile: string;
let uploads: string;

function open(): Database.Database {
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  return db;
}

function names(): string[] {
  const db = open();
  try {
    return (db.prepare('SELECT name FROM people ORDER BY id').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'respite-backup-'));
  dbFile = path.join(dir, 'respite.db');
  uploads = path.join(dir, 'files');
  mkdirSync(uploads);
  writeFileSync(path.join(uploads, 'a'.repeat(32)), 'original upload');
  const db = open();
  db.exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`);
  db.prepare('INSERT INTO people (name) VALUES (?), (?)').run('王芳', '李强');
  db.close();
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('backs up online, then restores the original data and files after changes', async () => {
    // A connection stays open and has written into the WAL, as a running server would.
    const live = open();
    live.prepare('INSERT INTO people (name) VALUES (?)').run('张伟');
    const { file, filesDir } = await backupDatabase({ databaseFile: dbFile, uploadDir: uploads });
    live.close();

    expect(path.dirname(file)).toBe(path.join(dir, 'backups'));
    expect(path.basename(file)).toMatch(/^respite-\d{8}T\d{6}-\d{3}Z\.db$/);
    expect(integrityCheck(file)).toBe('ok');
    // One self-contained file: nothing of it lives in a -wal beside it.
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(filesDir && existsSync(path.join(filesDir, 'a'.repeat(32)))).toBe(true);

    // Changes after the backup: rows deleted and added, an upload replaced, one added.
    const db = open();
    db.exec(`DELETE FROM people WHERE name = '王芳'`);
    db.prepare('INSERT INTO people (name) VALUES (?)').run('later');
    db.close();
    writeFileSync(path.join(uploads, 'a'.repeat(32)), 'changed');
    writeFileSync(path.join(uploads, 'b'.repeat(32)), 'new');
    expect(names()).toEqual(['李强', '张伟', 'later']);

    const result = await restoreDatabase({ backupFile: file, databaseFile: dbFile, uploadDir: uploads });
    expect(names()).toEqual(['王芳', '李强', '张伟']);
    expect(readFileSync(path.join(uploads, 'a'.repeat(32)), 'utf8')).toBe('original upload');
    expect(existsSync(path.join(uploads, 'b'.repeat(32)))).toBe(false);

    // What was there before the restore is kept aside, not lost.
    expect(result.previous).toMatch(/respite\.before-restore-.*\.db$/);
    const before = new Database(result.previous!, { readonly: true });
    expect(before.prepare('SELECT count(*) AS n FROM people WHERE name = ?').get('later')).toEqual({ n: 1 });
    before.close();
    expect(result.restoredFiles).toBe(true);
    expect(readFileSync(path.join(result.previousFiles!, 'b'.repeat(32)), 'utf8')).toBe('new');
    // No temporary file left behind.
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('writes to --out when given', async () => {
    const out = path.join(dir, 'elsewhere', 'copy.db');
    const { file } = await backupDatabase({ databaseFile: dbFile, out });
    expect(file).toBe(out);
    expect(integrityCheck(out)).toBe('ok');
  });

  it('refuses a corrupted backup and leaves the database untouched', async () => {
    const { file } = await backupDatabase({ databaseFile: dbFile });
    // Overwrite the middle of the file (the table's pages) with garbage.
    const bytes = readFileSync(file);
    bytes.fill(0xab, 100, bytes.length);
    writeFileSync(file, bytes);
    expect(integrityCheck(file)).not.toBe('ok');

    const db = open();
    db.prepare('INSERT INTO people (name) VALUES (?)').run('after');
    db.close();
    const original = readFileSync(dbFile);

    await expect(restoreDatabase({ backupFile: file, databaseFile: dbFile, uploadDir: uploads })).rejects.toThrow(/integrity/);
    expect(readFileSync(dbFile).equals(original)).toBe(true);
    expect(names()).toEqual(['王芳', '李强', 'after']);
    expect(readdirSync(dir).some((f) => f.includes('before-restore'))).toBe(false);
  });

  it('refuses a file that is not a database at all', async () => {
    const junk = path.join(dir, 'junk.db');
    writeFileSync(junk, 'not a database, just text '.repeat(200));
    await expect(restoreDatabase({ backupFile: junk, databaseFile: dbFile })).rejects.toThrow(/refusing/);
    expect(names()).toEqual(['王芳', '李强']);
  });
});
