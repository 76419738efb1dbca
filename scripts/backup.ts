/**
 * `npm run backup [-- --out path] [-- --keep N]`: an online copy of the database (safe while the
 * server runs) into DATA_DIR/backups/respite-<timestamp>.db (beside DATABASE_PATH), checked with
 * `PRAGMA integrity_check`, plus a copy of the uploaded files in respite-<timestamp>-files/.
 * With --keep N (a nightly cron job), only the newest N such backups in that folder stay; older
 * ones go, once the new one has passed its check. Exits 1 when the copy fails its check.
 */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import path from 'node:path';
import { databasePath } from '../db/client';
import { backupDatabase, pruneBackups } from '../db/backup';
import { uploadDir } from '../db/files';

const USAGE = 'Usage: npm run backup [-- --out path/to/backup.db] [-- --keep N]';
const args = process.argv.slice(2);
/** The value after `flag`, undefined without the flag; exits with the usage when the flag has no value. */
function option(flag: string): string | undefined {
  const index = args.indexOf(flag);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (!value || value.startsWith('--')) {
    console.error(USAGE);
    process.exit(2);
  }
  return value;
}
const out = option('--out');
const keepText = option('--keep');
const keep = keepText === undefined ? undefined : Number(keepText);
if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) {
  console.error(`--keep wants a whole number of backups to keep, at least 1 (got "${keepText}").\n${USAGE}`);
  process.exit(2);
}

try {
  const { file, filesDir } = await backupDatabase({ databaseFile: databasePath(), out, uploadDir: uploadDir() });
  console.log(`Backup of ${databasePath()} written to ${file} (integrity check: ok).`);
  if (filesDir) console.log(`Uploaded files copied to ${filesDir}.`);
  if (keep !== undefined) {
    const removed = pruneBackups(path.dirname(file), keep);
    console.log(removed.length ? `Removed ${removed.length} older backup(s), keeping the newest ${keep}:\n  ${removed.join('\n  ')}` : `No older backups to remove (keeping the newest ${keep}).`);
  }
} catch (error) {
  console.error('Backup failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
