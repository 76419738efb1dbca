#!/usr/bin/env node
/**
 * `npm start`: everything a newcomer needs after `npm install`, with nothing to configure.
 *
 *   1. keeps an auth secret in DATA_DIR/auth-secret (created on first start) unless AUTH_SECRET is set;
 *   2. runs `next build` when there is no build or the sources are newer than it (SKIP_BUILD=1 skips);
 *   3. applies the database migrations (scripts/migrate.ts);
 *   4. runs the server (scripts/server.mjs: Next behind a small front server that caps request bodies
 *      and limits how many requests Next renders at once) on HOST:PORT (default 127.0.0.1:3000),
 *      forwarding SIGINT and SIGTERM.
 *
 * Plain Node on purpose: it must run before anything is built.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What a build depends on. Directories are walked; test files are ignored. */
export const BUILD_INPUTS = [
  'app',
  'components',
  'lib',
  'db',
  'messages',
  'i18n',
  'public',
  'auth.ts',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
];

const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
/** The build folder: next.config.ts reads the same variable. */
export const DIST_DIR = process.env.NEXT_DIST_DIR || '.next';
const TSX_BIN = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
/** The production server: Next's request handler behind the front server. */
export const SERVER = path.join(ROOT, 'scripts/server.mjs');

/** The cap on V8's old space for the server when RESPITE_HEAP_MB is not set, in MB. */
export const DEFAULT_HEAP_MB = 1024;
/** With it, the young generation's semi-spaces, in MB. */
export const DEFAULT_SEMI_SPACE_MB = 8;

/**
 * The server's own Node flags (NODE_OPTIONS would apply to `next build` too).
 *
 * The heap: V8's old space capped at RESPITE_HEAP_MB; when that is unset and V8 would give itself
 * more than DEFAULT_HEAP_MB, capped there, with semi-spaces of DEFAULT_SEMI_SPACE_MB. Left alone,
 * V8 sizes the heap from the machine's memory, and where that is large lets the old space grow to
 * about four times what survives a full collection: 440–535 MB of RSS under the benchmark's load on
 * a machine with 23.5 GB. Capped, it stays under 300 MB for 5–20 % more CPU a request, and the
 * smaller young generation takes 15–20 MB more off at no CPU cost we could measure
 * (docs/performance.md). A machine with little memory already gets a smaller heap from V8
 * (`ownLimitMb`, V8's own limit for this machine), which the default leaves as it is.
 *
 * The collector: on one CPU (`cpus`, the CPUs this process may run on), `--single-threaded-gc`.
 * V8's concurrent marking and sweeping threads have no core of their own there: they take the one
 * core from the main thread, which waits for them at the collection's end, and each full collection
 * held up the request it fell in by 50–130 ms. Done on the main thread in small steps instead, the
 * home's p99 at 10 requests a second went from 74–99 to 47–48 ms (docs/performance.md, "The garbage
 * collector on one core"). With more CPUs the helpers have cores of their own and are left alone.
 */
export function serverNodeArgs(env, ownLimitMb = v8.getHeapStatistics().heap_size_limit / 2 ** 20, cpus = os.availableParallelism()) {
  const gc = cpus <= 1 ? ['--single-threaded-gc'] : [];
  const raw = env.RESPITE_HEAP_MB?.trim();
  if (!raw) return [...(ownLimitMb > DEFAULT_HEAP_MB ? [`--max-old-space-size=${DEFAULT_HEAP_MB}`, `--max-semi-space-size=${DEFAULT_SEMI_SPACE_MB}`] : []), ...gc];
  if (!/^\d+$/.test(raw) || Number(raw) < 128) {
    throw new Error(`RESPITE_HEAP_MB must be a whole number of megabytes, at least 128 (it is "${env.RESPITE_HEAP_MB}").`);
  }
  return [`--max-old-space-size=${Number(raw)}`, ...gc];
}

function log(message) {
  console.log(`[respite] ${message}`);
}

/**
 * The secret kept in DATA_DIR/auth-secret, or null when there is no such file. For a tool beside the
 * server (scripts/reset-link.ts), which must sign with the server's secret and never make another.
 */
export function readAuthSecret(dataDir) {
  const file = path.join(dataDir, 'auth-secret');
  if (!existsSync(file)) return null;
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length >= 32) return secret;
  throw new Error(`${file} holds no usable secret (fewer than 32 characters). Delete it to make a new one.`);
}

/** Reads DATA_DIR/auth-secret, creating it (0600) on first use. Returns the secret. */
export function ensureAuthSecret(dataDir) {
  const file = path.join(dataDir, 'auth-secret');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // it will hold the database too
  const kept = readAuthSecret(dataDir);
  if (kept) return kept;
  const secret = randomBytes(32).toString('base64url');
  try {
    // 'wx': if two starts race, the second reads the first's secret instead of replacing it.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (error?.code === 'EEXIST') return ensureAuthSecret(dataDir);
    throw error;
  }
  log(`created a new auth secret in ${file}`);
  return secret;
}

/** The newest modification time among the build inputs under `root`, with the file that has it. */
export function newestInput(root = ROOT, inputs = BUILD_INPUTS) {
  let newest = { mtimeMs: 0, file: undefined };
  const visit = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return; // a listed input that does not exist (proxy.ts is optional)
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        visit(path.join(p, entry));
      }
    } else if (!/\.test\.[cm]?[jt]sx?$/.test(p) && st.mtimeMs > newest.mtimeMs) {
      newest = { mtimeMs: st.mtimeMs, file: p };
    }
  };
  for (const input of inputs) visit(path.join(root, input));
  return newest;
}

/** Why a build is needed, or null when <build folder>/BUILD_ID is newer than every input. */
export function buildReason(root = ROOT, inputs = BUILD_INPUTS) {
  const buildId = path.join(root, DIST_DIR, 'BUILD_ID');
  if (!existsSync(buildId)) return 'no build yet';
  const builtAt = statSync(buildId).mtimeMs;
  const newest = newestInput(root, inputs);
  if (newest.mtimeMs > builtAt) return `${path.relative(root, newest.file)} changed since the last build`;
  return null;
}

function loadDotEnv() {
  // Next reads .env files itself, but only in its own process; read them here too so that
  // PORT, HOST, DATA_DIR and AUTH_SECRET set there are honoured by this script.
  try {
    const require = createRequire(import.meta.url);
    require('@next/env').loadEnvConfig(ROOT, false, { info: () => {}, error: console.error });
  } catch {
    // @next/env comes with next; without it, the environment alone decides.
  }
}

function run(step, args, env) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[respite] ${step} failed${result.signal ? ` (${result.signal})` : ` with exit code ${result.status}`}.`);
    process.exit(result.status || 1);
  }
}

function main() {
  process.chdir(ROOT);
  loadDotEnv();

  const env = { ...process.env, NODE_ENV: 'production' };
  let nodeArgs;
  try {
    nodeArgs = serverNodeArgs(env);
  } catch (error) {
    console.error(`[respite] ${error.message}`);
    process.exit(1);
  }

  const dataDir = path.resolve(ROOT, env.DATA_DIR || 'data');
  env.DATABASE_PATH ||= path.join(dataDir, 'respite.db');
  if (!env.AUTH_SECRET) env.AUTH_SECRET = ensureAuthSecret(dataDir);
  env.AUTH_TRUST_HOST ||= 'true';
  env.NEXT_TELEMETRY_DISABLED ||= '1'; // the machines it runs on often have no way out

  if (!existsSync(NEXT_BIN)) {
    console.error('[respite] node_modules is missing or incomplete: run `npm install` first.');
    process.exit(1);
  }

  const reason = buildReason();
  if (reason && env.SKIP_BUILD === '1') {
    if (!existsSync(path.join(ROOT, DIST_DIR, 'BUILD_ID'))) {
      console.error('[respite] SKIP_BUILD=1 but there is no build: run `npm run build` first.');
      process.exit(1);
    }
    log(`SKIP_BUILD=1: not rebuilding although ${reason}`);
  } else if (reason) {
    log(`building (${reason}); the first build takes a minute or two`);
    run('next build', [NEXT_BIN, 'build'], env);
  }

  run('the database migration', [TSX_BIN, 'scripts/migrate.ts'], env);

  const host = env.HOST || '127.0.0.1';
  const port = env.PORT || '3000';
  const shownHost = host.includes(':') ? `[${host}]` : host;
  log(`starting on http://${shownHost}:${port}/`);
  const child = spawn(process.execPath, [...nodeArgs, SERVER, '--hostname', host, '--port', port], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  let stopping = false;
  const forward = (signal) => () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (error) => {
    console.error('[respite] could not start the server:', error.message);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (stopping ? 0 : 1));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main();
}
