import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Runs once, in vitest's main process, before any test file: gives the run a fresh,
 * migrated database at the path vitest.config.ts hands the workers in `test.env`.
 */

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal', '-lock']) rmSync(file + suffix, { force: true });
}

export default async function setup(project: TestProject) {
  const env = project.config.env ?? {};
  const databasePath = env.DATABASE_PATH;
  const uploadDir = env.UPLOAD_DIR;
  if (!databasePath || !uploadDir) throw new Error('vitest.config.ts must set DATABASE_PATH and UPLOAD_DIR in test.env');

  removeDatabase(databasePath);
  rmSync(uploadDir, { recursive: true, force: true });
  mkdirSync(path.dirname(databasePath), { recursive: true });
  mkdirSync(uploadDir, { recursive: true });

  // Imported only now, and with the path given explicitly: getDb() must not open data/respite.db.
  const { openDatabase } = await import('../db/client');
  const { migrateDatabase } = await import('../db/migrate');
  const db = openDatabase(databasePath);
  try {
    await migrateDatabase(db);
  } finally {
    db.$client.close();
  }

  return () => {
    if (process.env.KEEP_TEST_DATA === '1') return;
    removeDatabase(databasePath);
    rmSync(uploadDir, { recursive: true, force: true });
  };
}
