/**
 * `npm run backup [-- --out path]`: an online copy of the database (safe while the server runs)
 * into DATA_DIR/backups/respite-<timestamp>.db (beside DATABASE_PATH), checked with
 * `PRAGMA integrity_check`, plus a copy of the uploaded files in respite-<timestamp>-files/.
 * Exits 1 when the copy fails its check.
 */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import { databasePath } from '../db/client';
import { backupDatabase } from '../db/backup';
import { uploadDir } from '../db/files';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
if (outIndex >= 0 && !out) {
  console.error('Usage: npm run backup [-- --out path/to/backup.db]');
  process.exit(2);
}

try {
  const { file, filesDir } = await backupDatabase({ databaseFile: databasePath(), out, uploadDir: uploadDir() });
  console.log(`Backup of ${databasePath()} written to ${file} (integrity check: ok).`);
  if (filesDir) console.log(`Uploaded files copied to ${filesDir}.`);
} catch (error) {
  console.error('Backup failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
