import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serverNodeArgs } from '../scripts/start.mjs';

describe('npm start: the server’s Node flags', () => {
  it('passes none unless RESPITE_HEAP_MB is set', () => {
    expect(serverNodeArgs({})).toEqual([]);
    expect(serverNodeArgs({ RESPITE_HEAP_MB: ' ' })).toEqual([]);
  });

  it('caps the heap of the process it starts', () => {
    const args = serverNodeArgs({ RESPITE_HEAP_MB: '256' });
    expect(args).toEqual(['--max-old-space-size=256']);
    const limit = Number(execFileSync(process.execPath, [...args, '-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], { encoding: 'utf8' }));
    const unset = Number(execFileSync(process.execPath, ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], { encoding: 'utf8' }));
    // The old space capped at 256 MB, plus the young generation V8 adds to the limit.
    expect(limit).toBeGreaterThanOrEqual(256 * 2 ** 20);
    expect(limit).toBeLessThan(400 * 2 ** 20);
    expect(unset).toBeGreaterThan(limit);
  });

  it.each(['abc', '64', '1.5', '-256', '256MB'])('refuses RESPITE_HEAP_MB=%s, saying what it wants', (value) => {
    expect(() => serverNodeArgs({ RESPITE_HEAP_MB: value })).toThrow(/whole number of megabytes, at least 128/);
  });
});
