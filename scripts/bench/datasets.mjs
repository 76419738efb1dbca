/**
 * The benchmark's generated databases, kept under data/bench/ (git-ignored) and reused while the
 * seed, the size, the day and the generator (db/generate.ts, scripts/generate.ts, the migrations)
 * are the same. A run works on a copy: the write benchmark adds rows.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH_DATA = path.join(ROOT, 'data/bench');
const TSX_BIN = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

/** A fingerprint of everything that decides what the generator writes. */
export function generatorVersion() {
  const hash = createHash('sha256');
  const migrations = path.join(ROOT, 'db/migrations');
  const files = [
    'db/generate.ts',
    'scripts/generate.ts',
    ...readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort().map((f) => `db/migrations/${f}`),
  ];
  for (const f of files) hash.update(f).update('\0').update(readFileSync(path.join(ROOT, f))).update('\0');
  return hash.digest('hex').slice(0, 10);
}

export function todayInShanghai() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function datasetFile({ size, seed, today }) {
  return path.join(BENCH_DATA, `${size}-seed${seed}-${today}-${generatorVersion()}.db`);
}

/** The generated database for these options: reused when present, else generated (minutes for large). */
export function ensureDataset({ size, seed, today, log = console.log }) {
  mkdirSync(BENCH_DATA, { recursive: true });
  const file = datasetFile({ size, seed, today });
  if (existsSync(file)) {
    log(`dataset ${size}: reusing ${path.relative(ROOT, file)}`);
    return { file, generatedMs: 0, reused: true };
  }
  // Older generations of the same size go: they are up to a gigabyte each.
  for (const f of readdirSync(BENCH_DATA)) if (f.startsWith(`${size}-seed`)) rmSync(path.join(BENCH_DATA, f), { force: true });
  const partial = `${file}.partial`;
  log(`dataset ${size}: generating (seed ${seed}, today ${today}) …`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [TSX_BIN, 'scripts/generate.ts', '--seed', String(seed), '--size', size, '--today', today, '--out', partial, '--overwrite'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' },
  });
  if (result.status !== 0) throw new Error(`generating ${size} failed (${result.signal ?? result.status})`);
  for (const suffix of ['-wal', '-shm', '-lock']) rmSync(partial + suffix, { force: true });
  renameSync(partial, file);
  return { file, generatedMs: Date.now() - started, reused: false };
}

// `node scripts/bench/datasets.mjs everyday large`: make them ahead of a run.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const size of process.argv.slice(2)) ensureDataset({ size, seed: 42, today: todayInShanghai() });
}
