import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * Journeys and the authorisation suite, against `next build` + `scripts/server.mjs` (scripts/e2e-server.mjs)
 * with a fresh database. One worker: the machines have two cores and the server needs one.
 */

const port = Number(process.env.E2E_PORT || 3100);
const baseURL = `http://127.0.0.1:${port}`;
// Debian's chromium (scripts/ensure-browser.sh installs it); without it, Playwright's own download.
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Known to the server (scripts/e2e-server.mjs creates this administrator) and to the tests,
// which read them from process.env: the config runs before the workers start.
process.env.E2E_ADMIN_EMAIL ||= 'admin@e2e.test';
process.env.E2E_ADMIN_PASSWORD ||= 'e2e-admin-password';

export default defineConfig({
  testDir: 'e2e',
  // Not the default test-results/: Playwright empties its outputDir, and vitest.json lives beside it.
  outputDir: 'test-results/playwright-artifacts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: existsSync(chromiumPath) ? chromiumPath : undefined,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-dev-shm-usage',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'node scripts/e2e-server.mjs',
    url: `${baseURL}/`,
    reuseExistingServer: false,
    // Generous: run on its own, the server script builds first when the build is stale.
    timeout: 300_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      E2E_PORT: String(port),
      E2E_ADMIN_EMAIL: process.env.E2E_ADMIN_EMAIL,
      E2E_ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
    },
  },
});
