import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));

// One SQLite file (and one upload directory) per run, shared by every test file.
// The workers get the paths from `test.env`; tests/global-setup.ts migrates the same file
// before any test starts. The files therefore run one after another (fileParallelism: false).
const testData = path.join(root, '.test-data');
const databasePath = path.join(testData, `vitest-${process.pid}.db`);
const uploadDir = path.join(testData, `files-${process.pid}`);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: path.join(root, 'tests/stubs/server-only.ts') },
      { find: /^@\//, replacement: `${root}/` },
    ],
  },
  test: {
    include: ['lib/**/*.test.ts', 'db/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/global-setup.ts'],
    fileParallelism: false,
    env: {
      DATABASE_PATH: databasePath,
      UPLOAD_DIR: uploadDir,
      // The deployment's secret, as scripts/start.mjs keeps one: reminder mails' unsubscribe links are signed with it.
      AUTH_SECRET: 'vitest-only-secret-0123456789abcdef0123456789',
    },
  },
});
