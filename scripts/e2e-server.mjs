#!/usr/bin/env node
/**
 * The server Playwright tests against (playwright.config.ts → webServer): a production build,
 * served by scripts/server.mjs as `npm start` does, on 127.0.0.1:E2E_PORT (default 3100) with a fresh, migrated database in .test-data/e2e/
 * and one administrator (E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD).
 *
 * scripts/test.sh builds first; run directly (`npm run test:e2e`), this builds only when
 * .next is missing or older than the sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, SERVER, buildReason } from './start.mjs';
import { E2E_AUTH_SECRET } from './e2e-secret.mjs';

const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
const TSX_BIN = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

// E2E_DATA_DIR: a folder of one's own, when several runs share the machine (each wipes its folder).
const dataDir = path.resolve(ROOT, process.env.E2E_DATA_DIR || '.test-data/e2e');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const port = process.env.E2E_PORT || '3100';
const env = {
  ...process.env,
  NODE_ENV: 'production',
  DATA_DIR: dataDir,
  DATABASE_PATH: path.join(dataDir, 'respite.db'),
  UPLOAD_DIR: path.join(dataDir, 'uploads'),
  AUTH_SECRET: E2E_AUTH_SECRET,
  AUTH_TRUST_HOST: 'true',
  NEXT_TELEMETRY_DISABLED: '1',
  // Every test signs in from 127.0.0.1: the per-address limit would trip; the per-account one stays.
  LOGIN_LIMIT_PER_ADDRESS: process.env.LOGIN_LIMIT_PER_ADDRESS || '1000',
  // The same for sign-ups: every test makes its own accounts (e2e/signup-limit.spec.ts tests the limit).
  SIGNUP_LIMIT_PER_ADDRESS: process.env.SIGNUP_LIMIT_PER_ADDRESS || '100000',
  // A request may ask for a failure (lib/faults.ts; e2e/crash-page.spec.ts); nowhere else.
  RESPITE_FAULTS: '1',
  E2E_ADMIN_EMAIL: process.env.E2E_ADMIN_EMAIL || 'admin@e2e.test',
  E2E_ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD || 'e2e-admin-password',
};

function run(step, args) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[e2e-server] ${step} failed (${result.signal ?? `exit code ${result.status}`}).`);
    process.exit(result.status || 1);
  }
}

const reason = buildReason();
if (reason) {
  console.log(`[e2e-server] building first: ${reason}`);
  run('next build', [NEXT_BIN, 'build']);
}
run('migration', [TSX_BIN, 'scripts/migrate.ts']);
run('create-admin', [
  TSX_BIN,
  'scripts/create-admin.ts',
  '--email',
  env.E2E_ADMIN_EMAIL,
  '--password',
  env.E2E_ADMIN_PASSWORD,
  '--name',
  'E2E 管理员',
]);

console.log(`[e2e-server] starting on http://127.0.0.1:${port}/ with data in ${dataDir}`);
// The same server as `npm start` (scripts/server.mjs), so the tests see its body limit and gate too.
const child = spawn(process.execPath, [SERVER, '--hostname', '127.0.0.1', '--port', port], {
  cwd: ROOT,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
