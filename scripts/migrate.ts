/** `npm run db:migrate`: applies the committed migrations to DATABASE_PATH (default data/respite.db). */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import { databasePath, getDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';

try {
  const { applied, backup } = await migrateDatabase(getDb());
  const what = applied === 0 ? 'up to date' : `${applied} migration(s) applied`;
  console.log(`Database ${databasePath()}: ${what}${backup ? `; backup taken at ${backup}` : ''}.`);
} catch (error) {
  console.error(`Migration of ${databasePath()} failed:`, error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  getDb().$client.close();
}
