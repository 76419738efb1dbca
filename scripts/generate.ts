/**
 * A benchmark database (issue 6): `npm run generate -- --seed 42 --size everyday --out data/bench.db`.
 * Same seed (and --today) → same database. Sizes: small (CI), everyday, large. Replaces only a
 * database it generated before (scripts/generated-only.ts), unless --overwrite.
 */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/client';
import { generateInto, SIZES, type GenerateSize } from '../db/generate';
import { migrateDatabase } from '../db/migrate';
import { whyNotReplace } from './generated-only';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const seed = Number(arg('seed', '42'));
  const size = arg('size', 'everyday') as GenerateSize;
  const out = path.resolve(arg('out', 'data/bench.db')!);
  const today = arg('today');
  if (!Number.isInteger(seed) || !(size in SIZES)) {
    console.error('usage: npm run generate -- --seed 42 --size small|everyday|large --out data/bench.db [--today YYYY-MM-DD] [--overwrite]');
    process.exit(2);
  }
  const refused = process.argv.includes('--overwrite') ? null : whyNotReplace(out);
  if (refused) {
    console.error(`${refused}\nNothing was changed. Choose another --out, or add --overwrite to replace it.`);
    process.exit(1);
  }
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(out + suffix)) rmSync(out + suffix);
  const started = Date.now();
  const db = openDatabase(out);
  db.$client.pragma('synchronous = OFF');
  await migrateDatabase(db);
  const result = generateInto(db, { seed, size, today });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  console.log(`Generated ${size} (seed ${seed}, today ${result.today}) into ${out}`);
  for (const [table, n] of Object.entries(result.counts)) console.log(`  ${table.padEnd(18)} ${n}`);
  console.log(`Advisor with ${result.busiestAdvisorClients} clients: ${result.busiestAdvisorEmail} (password test-password-1)`);
  console.log(`Took ${((Date.now() - started) / 1000).toFixed(1)} s (generation ${(result.ms / 1000).toFixed(1)} s)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
