/**
 * scripts/generated-only.ts: `npm run generate` replaces only what it generated, never a real
 * database named by mistake.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { whyNotReplace } from '../scripts/generated-only';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function databaseWith(emails: string[] | null): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'respite-generated-'));
  dirs.push(dir);
  const file = path.join(dir, 'x.db');
  const db = new Database(file);
  if (emails) {
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)');
    for (const e of emails) db.prepare('INSERT INTO users (email) VALUES (?)').run(e);
  } else {
    db.exec('CREATE TABLE t (x)');
  }
  db.close();
  return file;
}

describe('whyNotReplace', () => {
  it('lets a missing file, or a database of generated accounts only, be replaced', () => {
    expect(whyNotReplace(path.join(os.tmpdir(), 'respite-nothing-here', 'bench.db'))).toBeNull();
    expect(whyNotReplace(databaseWith(['b1@bench.test', 'a1@bench.test']))).toBeNull();
    expect(whyNotReplace(databaseWith([]))).toBeNull();
  });

  it('refuses a database with one real account, another database, and a file that is no database', () => {
    expect(whyNotReplace(databaseWith(['b1@bench.test', 'boss@example.org']))).toMatch(/holds 1 account\(s\) that are not generated/);
    expect(whyNotReplace(databaseWith(null))).toMatch(/not a database this script generated/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'respite-generated-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'notes.txt'), '借款记录');
    expect(whyNotReplace(path.join(dir, 'notes.txt'))).toMatch(/not a database this script generated/);
  });
});
