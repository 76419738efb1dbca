import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backupDatabase } from './backup';
import { databasePath, openDatabase } from './client';

describe('databasePath', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is DATABASE_PATH when it is set', () => {
    vi.stubEnv('DATA_DIR', '/srv/respite');
    vi.stubEnv('DATABASE_PATH', '/var/lib/other.db');
    expect(databasePath()).toBe('/var/lib/other.db');
  });

  it('is respite.db in DATA_DIR otherwise, as npm start has it, so that every script finds the same file', () => {
    vi.stubEnv('DATABASE_PATH', '');
    vi.stubEnv('DATA_DIR', '/srv/respite');
    expect(databasePath()).toBe('/srv/respite/respite.db');
    vi.stubEnv('DATA_DIR', '');
    expect(databasePath()).toBe(path.resolve('data/respite.db'));
  });
});

describe('the data folder and the database, made by whichever script comes first', () => {
  it('are the owner\'s alone (0700, 0600), and so is a backup', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'respite-modes-'));
    try {
      const file = path.join(root, '数据 目录', 'respite.db');
      const db = openDatabase(file);
      db.$client.exec('CREATE TABLE t (x)');
      db.$client.close();
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { file: copy } = await backupDatabase({ databaseFile: file });
      expect(statSync(path.dirname(copy)).mode & 0o777).toBe(0o700);
      expect(statSync(copy).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
