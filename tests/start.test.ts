import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_MB, DEFAULT_SEMI_SPACE_MB, ensureAuthSecret, readAuthSecret, serverNodeArgs } from '../scripts/start.mjs';

describe('npm start: the server’s Node flags', () => {
  const defaults = [`--max-old-space-size=${DEFAULT_HEAP_MB}`, `--max-semi-space-size=${DEFAULT_SEMI_SPACE_MB}`];

  it('caps the old space at DEFAULT_HEAP_MB, with smaller semi-spaces, when RESPITE_HEAP_MB is unset and V8 would take more', () => {
    expect(serverNodeArgs({}, 4144, 2)).toEqual(defaults);
    expect(serverNodeArgs({ RESPITE_HEAP_MB: ' ' }, 4144, 2)).toEqual(defaults);
    // A machine with little memory: V8's own, smaller limit stays.
    expect(serverNodeArgs({}, 512, 2)).toEqual([]);
    expect(serverNodeArgs({}, DEFAULT_HEAP_MB, 2)).toEqual([]);
    // This machine, as npm start sees it.
    const own = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
    const oneCpu = os.availableParallelism() <= 1 ? ['--single-threaded-gc'] : [];
    expect(serverNodeArgs({})).toEqual([...(own > DEFAULT_HEAP_MB ? defaults : []), ...oneCpu]);
  });

  it('takes RESPITE_HEAP_MB over the default, above or below it', () => {
    expect(serverNodeArgs({ RESPITE_HEAP_MB: '4096' }, 4144, 2)).toEqual(['--max-old-space-size=4096']);
    expect(serverNodeArgs({ RESPITE_HEAP_MB: '256' }, 512, 2)).toEqual(['--max-old-space-size=256']);
  });

  it('collects garbage on the main thread when the server has one CPU, and only then', () => {
    expect(serverNodeArgs({}, 4144, 1)).toEqual([...defaults, '--single-threaded-gc']);
    expect(serverNodeArgs({}, 512, 1)).toEqual(['--single-threaded-gc']);
    expect(serverNodeArgs({ RESPITE_HEAP_MB: '256' }, 4144, 1)).toEqual(['--max-old-space-size=256', '--single-threaded-gc']);
    for (const cpus of [2, 4, 64]) expect(serverNodeArgs({}, 4144, cpus)).not.toContain('--single-threaded-gc');
    // Node takes the flag (an unknown one stops it with "bad option").
    expect(execFileSync(process.execPath, ['--single-threaded-gc', '-p', '6 * 7'], { encoding: 'utf8' }).trim()).toBe('42');
  });

  it('caps the heap of the process it starts', () => {
    const args = serverNodeArgs({ RESPITE_HEAP_MB: '256' }, undefined, 2);
    expect(args).toEqual(['--max-old-space-size=256']);
    const limit = Number(execFileSync(process.execPath, [...args, '-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], { encoding: 'utf8' }));
    const unset = Number(execFileSync(process.execPath, ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], { encoding: 'utf8' }));
    // The old space capped at 256 MB, plus the young generation V8 adds to the limit.
    expect(limit).toBeGreaterThanOrEqual(256 * 2 ** 20);
    expect(limit).toBeLessThan(400 * 2 ** 20);
    expect(unset).toBeGreaterThan(limit);
  });

  it.each(['abc', '64', '1.5', '-256', '256MB'])('refuses RESPITE_HEAP_MB=%s, saying what it wants', (value) => {
    expect(() => serverNodeArgs({ RESPITE_HEAP_MB: value }, undefined, 1)).toThrow(/whole number of megabytes, at least 128/);
  });
});

describe('the server’s secret, for the tools beside it', () => {
  const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'respite-secret-'));

  it('readAuthSecret reads the kept secret and makes none; ensureAuthSecret makes it once', () => {
    const dir = tmp();
    expect(readAuthSecret(dir)).toBeNull();
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
    const made = ensureAuthSecret(dir);
    expect(made.length).toBeGreaterThanOrEqual(32);
    expect(readAuthSecret(dir)).toBe(made);
    expect(ensureAuthSecret(dir)).toBe(made);
    writeFileSync(path.join(dir, 'auth-secret'), 'short\n');
    expect(() => readAuthSecret(dir)).toThrow(/no usable secret/);
  });

  it('npm run reset-link refuses to sign with a secret of its own, and makes no file; with the server’s, it goes on', { timeout: 30_000 }, () => {
    const dir = tmp();
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/reset-link.ts', '--email', 'nobody@example.org'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATA_DIR: dir, ...env },
      });
    const refused = run({});
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('No secret to sign the link with');
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
    // Given the server's AUTH_SECRET, it reaches the account, which here does not exist.
    const given = run({ AUTH_SECRET: 'x'.repeat(40) });
    expect(given.stderr).toContain('No account that can sign in has the email nobody@example.org');
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
  });
});

describe('npm run create-admin', () => {
  const run = (dir: string, password: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/create-admin.ts', '--email', 'ops@example.org', '--password', password], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATA_DIR: dir },
    });

  // Two runs of a script through tsx, migrating a new database each: seconds, not milliseconds.
  it('refuses a password too easy to guess, making no account, and takes a good one', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'respite-admin-'));
    const refused = run(dir, 'admin123456');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('too common or too easy to guess');
    expect(refused.stdout).not.toContain('is ready');
    const made = run(dir, 'three unrelated words');
    expect(made.stderr).toBe('');
    expect(made.stdout).toContain('Administrator ops@example.org');
  });
});
