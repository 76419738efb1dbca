/**
 * `npm run restore -- <backup.db>`: replaces DATABASE_PATH with a backup. Refuses (exit 1, nothing
 * changed) while the database is open in a running server or script: stop the server first.
 * The backup must pass `PRAGMA integrity_check`; the current database is kept aside as
 * respite.before-restore-<timestamp>.db; the swap is atomic (temp file, fsync, rename) and the old
 * -wal/-shm files are removed. When the backup has its uploads copy (<backup>-files/), the upload
 * directory is replaced too (the current one is kept aside as <dir>.before-restore-<timestamp>).
 */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import { databasePath } from '../db/client';
import { restoreDatabase } from '../db/backup';
import { uploadDir } from '../db/files';

const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!file) {
  console.error('Usage: npm run restore -- path/to/backup.db   (stop the server first: a restore refuses while it runs)');
  process.exit(2);
}

try {
  const { previous, previousFiles, restoredFiles } = await restoreDatabase({
    backupFile: file,
    databaseFile: databasePath(),
    uploadDir: uploadDir(),
  });
  console.log(`Restored ${databasePath()} from ${file}.`);
  if (previous) console.log(`The database as it was is kept at ${previous}.`);
  if (restoredFiles) console.log(`Uploaded files restored${previousFiles ? `; the previous ones are at ${previousFiles}` : ''}.`);
  console.log('Start the server again; run `npm run db:migrate` if the backup is older than the code.');
} catch (error) {
  console.error('Restore failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
