/**
 * Issue 6: the JavaScript the advisor dashboard sends to the browser stays within 150 kB gzipped.
 * A small generated dataset goes into the test database (its busiest advisor follows every one
 * of its 200 borrowers), the advisor opens /dashboard, and every script the page loads is
 * gzipped here with zlib and summed. A size, not a time: nothing here depends on the machine.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { expect, test, type Response } from '@playwright/test';
import { openDatabase } from '../db/client';
import { generateInto } from '../db/generate';
import { DB_PATH, submitSignIn } from './helpers';

const LIMIT_KB = 150;

test('the advisor dashboard loads at most 150 kB of gzipped JavaScript', async ({ page }) => {
  test.setTimeout(120_000);
  const domain = `bundle-${randomBytes(4).toString('hex')}.test`;
  const db = openDatabase(DB_PATH);
  let advisorEmail: string;
  try {
    advisorEmail = generateInto(db, { seed: 11, size: 'small', emailDomain: domain }).busiestAdvisorEmail;
  } finally {
    db.$client.close();
  }

  await page.goto('/signin');
  await submitSignIn(page, advisorEmail, 'test-password-1');
  await expect(page).toHaveURL(/\/dashboard/);

  // From here on, every script of a fresh load of the dashboard.
  const scripts = new Map<string, Response>();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.set(r.url(), r);
  });
  await page.goto('/dashboard', { waitUntil: 'networkidle' });
  await expect(page.getByTestId('dashboard-page')).toBeVisible();
  // The charts and the table are there: the page is the full dashboard, not its empty state.
  await expect(page.getByTestId('cases-table')).toBeVisible();

  let raw = 0;
  let gzipped = 0;
  for (const r of scripts.values()) {
    const body = await r.body();
    raw += body.length;
    gzipped += gzipSync(body).length;
    console.log(`  ${(gzipSync(body).length / 1024).toFixed(1)} kB gzipped  ${new URL(r.url()).pathname}`);
  }
  const kb = gzipped / 1024;
  test.info().annotations.push({ type: 'dashboard-js', description: `${scripts.size} scripts, ${(raw / 1024).toFixed(1)} kB, ${kb.toFixed(1)} kB gzipped` });
  console.log(`advisor dashboard: ${scripts.size} scripts, ${(raw / 1024).toFixed(1)} kB raw, ${kb.toFixed(1)} kB gzipped`);
  expect(scripts.size, 'the page loaded no script at all').toBeGreaterThan(0);
  expect(kb).toBeLessThanOrEqual(LIMIT_KB);

  // The chart library comes when the charts come into view, and draws them (recharts' SVG).
  const before = new Set(scripts.keys());
  await page.getByTestId('chart-status').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('chart-status').locator('svg.recharts-surface')).toBeVisible();
  // Decorative beside its table: no Tab stop inside the charts (a screen reader could not name one).
  await expect(page.locator('[data-testid^="chart-"] [tabindex]:not([tabindex="-1"])')).toHaveCount(0);
  let chartsKb = 0;
  for (const [url, r] of scripts) if (!before.has(url)) chartsKb += gzipSync(await r.body()).length / 1024;
  expect(chartsKb, 'the charts loaded no script of their own').toBeGreaterThan(0);
  console.log(`the charts, on scrolling to them: ${chartsKb.toFixed(1)} kB gzipped more`);
});
