import { execFileSync } from 'node:child_process';
import os from 'node:os';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_MB, DEFAULT_SEMI_SPACE_MB, serverNodeArgs } from '../scripts/start.mjs';

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
