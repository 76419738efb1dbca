import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { getDb, type DB } from './client';
import { seedLenders } from './seed/lenders';

/**
 * Brings a database up to the committed schema, then seeds the reference data.
 * Used by scripts/migrate.ts (so by `npm start` and the e2e server) and by the tests' global setup.
 */

const MIGRATIONS_TABLE = '__drizzle_migrations';

export type MigrationResult = {
  /** Migrations applied by this call. */
  applied: number;
  /** Where the pre-migration copy went, when one was taken. */
  backup?: string;
};

function migrationsFolder(): string {
  return path.resolve(process.cwd(), 'db/migrations');
}

/** When the newest committed migration was made (its folderMillis): what this code's schema is. */
export function newestMigrationMillis(): number {
  return Math.max(0, ...readMigrationFiles({ migrationsFolder: migrationsFolder() }).map((m) => m.folderMillis));
}

/** When the newest migration applied to this database was made; undefined for one never migrated. */
export function lastAppliedMigrationMillis(client: Pick<DB['$client'], 'prepare'>): number | undefined {
  const hasTable = client
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(MIGRATIONS_TABLE);
  if (!hasTable) return undefined;
  const row = client
    .prepare(`SELECT created_at AS createdAt FROM "${MIGRATIONS_TABLE}" ORDER BY created_at DESC LIMIT 1`)
    .get() as { createdAt: number | string } | undefined;
  return row ? Number(row.createdAt) : undefined;
}

/** How many of the committed migrations this database lacks (the same test drizzle's migrator applies). */
function countPending(client: DB['$client'], folderMillis: number[]): number {
  const last = lastAppliedMigrationMillis(client);
  return folderMillis.filter((when) => last === undefined || last < when).length;
}

/** A date as a migration's time is told to whoever runs the script. */
function migrationDay(millis: number): string {
  return new Date(millis).toISOString().slice(0, 10);
}

function hasUserTables(client: DB['$client']): boolean {
  const row = client
    .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .get() as { n: number };
  return row.n > 0;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('.', '-'); // 20250101T120000-123Z
}

export async function migrateDatabase(db: DB = getDb()): Promise<MigrationResult> {
  const client = db.$client;
  const folder = migrationsFolder();
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  // A database a newer Respite migrated (the code rolled back, or a backup from a newer install
  // restored): this code does not know its schema, and would run on it as if it did.
  const newest = Math.max(0, ...migrations.map((m) => m.folderMillis));
  const last = lastAppliedMigrationMillis(client);
  if (last !== undefined && last > newest) {
    throw new Error(
      `This database was migrated by a newer Respite (its schema is of ${migrationDay(last)}; this code knows up to ${migrationDay(newest)}). ` +
        'Run the newer code, or restore a backup taken with this one. Nothing was changed.',
    );
  }
  const pending = countPending(
    client,
    migrations.map((m) => m.folderMillis),
  );

  // A database that already holds data gets an online copy before its schema changes,
  // next to itself in backups/ (data/backups/ for the default data/respite.db).
  let backup: string | undefined;
  if (pending > 0 && !client.memory && hasUserTables(client)) {
    const dir = path.join(path.dirname(path.resolve(client.name)), 'backups');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    backup = path.join(dir, `pre-migrate-${timestamp()}.db`);
    // In one step: a server writing meanwhile would restart a copy made in steps (db/backup.ts WHOLE_IN_ONE_STEP).
    await client.backup(backup, { progress: () => 0x7fffffff });
    chmodSync(backup, 0o600);
  }

  if (pending > 0) {
    // drizzle-kit rebuilds a table (create new, copy, DROP old, rename) to change a column.
    // With foreign keys on, that DROP would cascade-delete every child row, and the pragma
    // cannot change inside the migrator's transaction: so switch it off around the migrator,
    // as SQLite's own guide to schema changes says, and check the keys afterwards.
    const foreignKeysWereOn = client.pragma('foreign_keys', { simple: true }) === 1;
    client.pragma('foreign_keys = OFF');
    try {
      migrate(db, { migrationsFolder: folder });
    } finally {
      if (foreignKeysWereOn) client.pragma('foreign_keys = ON');
    }
    const violations = client.pragma('foreign_key_check') as unknown[];
    if (violations.length > 0) {
      throw new Error(
        `Migration left ${violations.length} foreign-key violation(s), e.g. ${JSON.stringify(violations.slice(0, 3))}.` +
          (backup ? ` The database before migrating is at ${backup}.` : ''),
      );
    }
  }

  seedLenders(db);
  return { applied: pending, backup };
}
