/**
 * The scripts read the .env the server reads (scripts/load-env.ts): `npm run create-admin` with
 * DATA_DIR in .env makes the administrator in the server's database, not in a new one beside it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProjectEnv, PROJECT_ROOT } from '../scripts/load-env';

const TSX_LOADER = pathToFileURL(path.join(PROJECT_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

describe('loadProjectEnv', () => {
  it('reads the project\'s .env, and leaves a variable already set in the environment as it is', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'respite-env-'));
    try {
      writeFileSync(path.join(root, '.env'), 'RESPITE_LOAD_ENV_TEST=/srv/数据\nRESPITE_LOAD_ENV_KEPT=from-file\n');
      // A process of its own, as a script is: the environment it began with is what a .env cannot override.
      const code = `const { loadProjectEnv } = await import(${JSON.stringify(pathToFileURL(path.join(PROJECT_ROOT, 'scripts/load-env.ts')).href)});
        loadProjectEnv(${JSON.stringify(root)});
        console.log(JSON.stringify([process.env.RESPITE_LOAD_ENV_TEST, process.env.RESPITE_LOAD_ENV_KEPT]));`;
      const out = execFileSync(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', code], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, RESPITE_LOAD_ENV_KEPT: 'from-environment' },
        encoding: 'utf8',
      });
      expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual(['/srv/数据', 'from-environment']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is what every script that opens the database or mails imports first', () => {
    const scripts = readdirSync(path.join(PROJECT_ROOT, 'scripts')).filter((f) => f.endsWith('.ts') && f !== 'load-env.ts');
    const needing = scripts.filter((f) => /from '\.\.\/(db|lib)\//.test(readFileSync(path.join(PROJECT_ROOT, 'scripts', f), 'utf8')));
    expect(needing.length).toBeGreaterThanOrEqual(8);
    for (const f of needing) {
      const firstImport = readFileSync(path.join(PROJECT_ROOT, 'scripts', f), 'utf8').split('\n').find((line) => line.startsWith('import '));
      expect(firstImport, f).toMatch(/^import '\.\/load-env';/);
    }
  });
});
