import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databasePath } from './client';

describe('databasePath', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is DATABASE_PATH when it is set', () => {
    vi.stubEnv('DATA_DIR', '/srv/respite');
    vi.stubEnv('DATABASE_PATH', '/var/lib/other.db');
    expect(databasePath()).toBe('/var/lib/other.db');
  });

  it('is respite.db in DATA_DIR otherwise, as npm start has it, so that every script finds the same file', () => {
    vi.stubEnv('DATABASE_PATH', '');
    vi.stubEnv('DATA_DIR', '/srv/respite');
    expect(databasePath()).toBe('/srv/respite/respite.db');
    vi.stubEnv('DATA_DIR', '');
    expect(databasePath()).toBe(path.resolve('data/respite.db'));
  });
});
