import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError, backupDatabase, integrityCheck, restoreDatabase } from '@/db/backup';
import { lockFileFor, openDatabase } from '@/db/client';
import { migrateDatabase, newestMigrationMillis } from '@/db/migrate';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// tsx's loader inside the node process itself (not tsx's CLI, which runs the script in a child
// of its own): the pid spawned is the process that holds the database, as kill -9 needs.
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

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
  respiteShaped(db);
  db.close();
});

/** What restore looks for to take a file as Respite's (db/backup.ts notRespiteDatabase): its tables, and migrations this code knows. */
function respiteShaped(db: Database.Database, migratedAt = newestMigrationMillis()): void {
  db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY); CREATE TABLE cases (id INTEGER PRIMARY KEY);
           CREATE TABLE "__drizzle_migrations" (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC)`);
  db.prepare(`INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES ('h', ?)`).run(migratedAt);
}

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A TypeScript script of the test's own, run with tsx in a process of its own (as the server or
 * `npm run mailer` would be), with the database file as its argument. Resolves with the process
 * once it printed `readyWhen`; `output` collects what it prints.
 */
function startProcess(source: string, readyWhen = 'ready'): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const script = path.join(dir, `child-${children.length}.ts`);
  writeFileSync(script, source);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script, dbFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(readyWhen)) resolve({ child, output: () => out, exited });
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the child process ended (${code}) before it was ready: ${out}`)));
  });
}

const clientModule = JSON.stringify(path.join(ROOT, 'db/client.ts'));

/** Opens the database as the server does (openDatabase, as instrumentation.ts does at start), writes, and stays. */
const SERVER_LIKE = `
import { openDatabase } from ${clientModule};
const db = openDatabase(process.argv[2]);
db.$client.prepare("INSERT INTO people (name) VALUES ('child')").run();
console.log('ready');
setInterval(() => {}, 1000);
`;

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

  it('finishes while another connection writes between its steps (a busy server), with a consistent copy', async () => {
    const db = open();
    // ≈ 4 MB: a copy of a hundred pages a step would take a thousand steps.
    db.prepare('INSERT INTO people (name) SELECT hex(randomblob(1000)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) SELECT i FROM n)').run();
    let writing = true;
    let writes = 0;
    const write = () => {
      if (!writing) return;
      db.prepare('INSERT INTO people (name) VALUES (?)').run(`写入 ${++writes}`);
      setImmediate(write);
    };
    setImmediate(write);
    try {
      const { file } = await backupDatabase({ databaseFile: dbFile, out: path.join(dir, 'busy.db') });
      const copy = new Database(file, { readonly: true });
      const count = (copy.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n;
      copy.close();
      expect(integrityCheck(file)).toBe('ok');
      expect(count).toBeGreaterThanOrEqual(4002);
      expect(count).toBeLessThanOrEqual(4002 + writes);
    } finally {
      writing = false;
      db.close();
    }
  }, 20_000);

  it('holds the file of every document its database holds, one uploaded while the backup began included', async () => {
    const db = open();
    db.exec('CREATE TABLE documents (id INTEGER PRIMARY KEY, stored_name TEXT)');
    db.prepare('INSERT INTO documents (stored_name) VALUES (?)').run('a'.repeat(32));
    const backup = backupDatabase({ databaseFile: dbFile, uploadDir: uploads });
    // Uploaded as the backup starts: after its files were first copied, before its snapshot.
    writeFileSync(path.join(uploads, 'b'.repeat(32)), 'uploaded meanwhile');
    db.prepare('INSERT INTO documents (stored_name) VALUES (?)').run('b'.repeat(32));
    db.close();
    const { file, filesDir } = await backup;
    const copy = new Database(file, { readonly: true });
    const named = (copy.prepare('SELECT stored_name AS n FROM documents').all() as { n: string }[]).map((r) => r.n);
    copy.close();
    expect(named).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
    for (const name of named) expect(existsSync(path.join(filesDir!, name)), name).toBe(true);
    expect(readFileSync(path.join(filesDir!, 'b'.repeat(32)), 'utf8')).toBe('uploaded meanwhile');
  });

  it('writes to --out when given', async () => {
    const out = path.join(dir, 'elsewhere', 'copy.db');
    const { file } = await backupDatabase({ databaseFile: dbFile, out });
    expect(file).toBe(out);
    expect(integrityCheck(out)).toBe('ok');
  });

  it('with --keep N keeps the newest N backups it named and their uploads, and touches nothing else', async () => {
    const backups = path.join(dir, 'backups');
    mkdirSync(backups);
    // Three older backups with their uploads, and what a migration, a restore and --out leave beside them.
    const older = ['respite-20261201T010000-000Z', 'respite-20261202T010000-000Z', 'respite-20261203T010000-000Z'];
    for (const name of older) {
      writeFileSync(path.join(backups, `${name}.db`), 'old');
      mkdirSync(path.join(backups, `${name}-files`));
    }
    const others = ['pre-migrate-20261201T010000-000Z.db', 'my-copy.db', 'respite-notes.txt'];
    for (const name of others) writeFileSync(path.join(backups, name), 'keep me');

    const run = spawnSync(process.execPath, ['--import', TSX_LOADER, 'scripts/backup.ts', '--keep', '2'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: dbFile, DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const made = readdirSync(backups).filter((n) => /^respite-.*Z\.db$/.test(n) && !older.includes(n.replace(/\.db$/, '')));
    expect(made).toHaveLength(1);
    expect(readdirSync(backups).sort()).toEqual(
      [...others, `${older[2]}.db`, `${older[2]}-files`, made[0], made[0].replace(/\.db$/, '-files')].sort(),
    );
    expect(integrityCheck(path.join(backups, made[0]))).toBe('ok');
    expect(run.stdout).toContain('Removed 2 older backup(s)');

    // A number that is not one is refused before anything is written.
    const refused = spawnSync(process.execPath, ['--import', TSX_LOADER, 'scripts/backup.ts', '--keep', '0'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: dbFile, DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--keep wants a whole number');
    expect(readdirSync(backups).filter((n) => n.startsWith('respite-') && n.endsWith('.db'))).toHaveLength(2);
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

  it.each([
    ['an empty file (a download cut short)', (file: string) => writeFileSync(file, '')],
    ['another program\'s database', (file: string) => new Database(file).exec('CREATE TABLE t (x)').close()],
    ['one a newer Respite migrated', (file: string) => {
      const db = new Database(file);
      respiteShaped(db, newestMigrationMillis() + 86_400_000);
      db.close();
    }],
  ])('refuses %s, and leaves the database untouched', async (_, make) => {
    const file = path.join(dir, 'other.db');
    make(file);
    const before = names();
    await expect(restoreDatabase({ backupFile: file, databaseFile: dbFile })).rejects.toThrow(/refusing to restore/);
    expect(names()).toEqual(before);
  });

  it('refuses a file that is not a database at all', async () => {
    const junk = path.join(dir, 'junk.db');
    writeFileSync(junk, 'not a database, just text '.repeat(200));
    await expect(restoreDatabase({ backupFile: junk, databaseFile: dbFile })).rejects.toThrow(/refusing/);
    expect(names()).toEqual(['王芳', '李强']);
  });
});

describe('restore refuses while the database is in use', () => {
  it('refuses while another process has it open as the server does, and goes ahead once that process is killed (-9)', async () => {
    const { file } = await backupDatabase({ databaseFile: dbFile });
    const server = await startProcess(SERVER_LIKE);
    expect(names()).toEqual(['王芳', '李强', 'child']);
    const before = readFileSync(dbFile);

    const refused = restoreDatabase({ backupFile: file, databaseFile: dbFile, uploadDir: uploads });
    await expect(refused).rejects.toBeInstanceOf(DatabaseInUseError);
    await expect(refused).rejects.toThrow(/refusing to restore.*Stop the server/s);
    // Nothing changed: the database, the uploads, no copy set aside.
    expect(readFileSync(dbFile).equals(before)).toBe(true);
    expect(names()).toEqual(['王芳', '李强', 'child']);
    expect(readdirSync(dir).filter((f) => f.includes('before-restore') || f.includes('.tmp'))).toEqual([]);
    expect(readFileSync(path.join(uploads, 'a'.repeat(32)), 'utf8')).toBe('original upload');

    // A crash leaves no stale lock: the kernel drops it with the process.
    server.child.kill('SIGKILL');
    await server.exited;
    expect(existsSync(lockFileFor(dbFile))).toBe(true);
    const result = await restoreDatabase({ backupFile: file, databaseFile: dbFile, uploadDir: uploads });
    expect(names()).toEqual(['王芳', '李强']);
    // The crashed process's last write (in its WAL) is in the copy kept aside.
    const aside = new Database(result.previous!, { readonly: true });
    expect(aside.prepare('SELECT count(*) AS n FROM people WHERE name = ?').get('child')).toEqual({ n: 1 });
    aside.close();
  }, 20_000);

  it('refuses while this process has it open through openDatabase, and not once it is closed', async () => {
    const { file } = await backupDatabase({ databaseFile: dbFile });
    const db = openDatabase(dbFile);
    await expect(restoreDatabase({ backupFile: file, databaseFile: dbFile })).rejects.toThrow(/holds respite\.db-lock/);
    db.$client.close();
    await expect(restoreDatabase({ backupFile: file, databaseFile: dbFile })).resolves.toMatchObject({ restoredFiles: false });
  });

  it('refuses while any connection has it open in WAL mode, even one that knows nothing of the lock file', async () => {
    const { file } = await backupDatabase({ databaseFile: dbFile });
    const shell = open(); // as the sqlite3 shell, or a server built before the lock, would hold it
    shell.prepare('SELECT count(*) FROM people').get();
    await expect(restoreDatabase({ backupFile: file, databaseFile: dbFile })).rejects.toThrow(/a connection to it is open/);
    shell.close();
    await restoreDatabase({ backupFile: file, databaseFile: dbFile });
    expect(names()).toEqual(['王芳', '李强']);
  });

  it('a server that starts during a restore waits for it, then opens the restored file (not the one replaced)', async () => {
    const { file } = await backupDatabase({ databaseFile: dbFile });
    const db = open();
    db.prepare('INSERT INTO people (name) VALUES (?)').run('after the backup');
    db.close();
    // The restore's exclusive lock, taken here by hand so that a server can start in the middle.
    const lock = new Database(lockFileFor(dbFile));
    lock.exec('BEGIN EXCLUSIVE');
    const server = await startProcess(
      `
import { openDatabase } from ${clientModule};
console.log('opening');
const db = openDatabase(process.argv[2]);
console.log('opened ' + JSON.stringify(db.$client.prepare('SELECT name FROM people ORDER BY id').all().map((r: any) => r.name)));
`,
      'opening',
    );
    // While the lock is held it cannot get past openDatabase...
    await new Promise((r) => setTimeout(r, 1000));
    expect(server.output()).not.toContain('opened');
    // ...so the file can be swapped under it, as restoreLocked does (rename over the database).
    const swapped = path.join(dir, 'swap.db');
    await new Database(file, { readonly: true }).backup(swapped);
    for (const suffix of ['-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
    renameSync(swapped, dbFile);
    lock.close();
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('opened ["王芳","李强"]');
  }, 20_000);
});

describe('the database under writers in several processes', () => {
  it('read-then-write transactions from two processes at once never fail with "database is locked", and every acknowledged write is kept', async () => {
    // Each process writes for the same second (both wait for the go file, whatever their start-up
    // time), through drizzle's transaction and better-sqlite3's, as the verbs and the mailer do.
    const go = path.join(dir, 'go');
    const writer = (tag: string) => `
import { existsSync } from 'node:fs';
import { openDatabase } from ${clientModule};
const db = openDatabase(process.argv[2]);
const count = db.$client.prepare('SELECT count(*) AS n FROM people');
const insert = db.$client.prepare('INSERT INTO people (name) VALUES (?)');
const raw = db.$client.transaction((name: string) => { count.get(); insert.run(name); });
const acknowledged: string[] = [];
const errors: string[] = [];
console.log('ready');
while (!existsSync(${JSON.stringify(go)})) {}
const end = Date.now() + 1000;
for (let i = 0; Date.now() < end; i++) {
  const name = '${tag}-' + i;
  try {
    if (i % 2) raw(name);
    else db.transaction(() => { count.get(); insert.run(name); });
    acknowledged.push(name);
  } catch (error) {
    errors.push(String((error as Error).message));
  }
}
console.log('RESULT ' + JSON.stringify({ acknowledged, errors: errors.slice(0, 3), errorCount: errors.length }));
db.$client.close();
`;
    const procs = await Promise.all([startProcess(writer('p1')), startProcess(writer('p2'))]);
    writeFileSync(go, '');
    await Promise.all(procs.map((p) => p.exited));
    const results = procs.map((p) => JSON.parse(/RESULT (.*)/.exec(p.output())![1]) as { acknowledged: string[]; errors: string[]; errorCount: number });
    for (const r of results) {
      expect(r.errors).toEqual([]);
      expect(r.acknowledged.length).toBeGreaterThan(0);
    }
    const stored = new Set(names());
    const missing = results.flatMap((r) => r.acknowledged).filter((name) => !stored.has(name));
    expect(missing).toEqual([]);
    expect(stored.size).toBe(2 + results[0].acknowledged.length + results[1].acknowledged.length);
    expect(integrityCheck(dbFile)).toBe('ok');
  }, 30_000);
});

describe('migrating a database a newer Respite migrated', () => {
  it('is refused, saying so, and changes nothing (the code rolled back)', async () => {
    // The file beforeEach made, as a newer Respite would have left it.
    const db = open();
    db.prepare(`UPDATE "__drizzle_migrations" SET created_at = ?`).run(newestMigrationMillis() + 86_400_000);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = readFileSync(dbFile);
    const conn = openDatabase(dbFile);
    try {
      await expect(migrateDatabase(conn)).rejects.toThrow(/migrated by a newer Respite.*Nothing was changed/);
    } finally {
      conn.$client.close();
    }
    expect(names()).toEqual(['王芳', '李强']);
    expect(existsSync(path.join(dir, 'backups'))).toBe(false);
    expect(readFileSync(dbFile).length).toBe(before.length);
  });
});
