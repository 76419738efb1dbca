/**
 * The benchmark's ceiling pages (app/bench, issue 6) draw the home, a case, the inbox and the
 * dashboard from snapshots of real data. They exist only in a server started for `npm run bench`
 * (RESPITE_BENCH=1 and RESPITE_BENCH_SNAPSHOTS); in a server as `npm start` runs it — like this
 * one — each is a 404 to anyone, signed in or not.
 */
import { expect, test } from '@playwright/test';
import { signUp } from './helpers';

const CEILINGS = ['/bench', '/bench/case', '/bench/dashboard', '/bench/reminders'];

test('the ceiling pages are a 404 outside the benchmark, signed in or not', async ({ page, request }) => {
  for (const path of CEILINGS) {
    const anonymous = await request.get(path, { maxRedirects: 0 });
    // Signed out, proxy.ts sends every page but the public ones to sign in first.
    expect([307, 404], `${path} signed out`).toContain(anonymous.status());
  }
  for (const role of ['borrower', 'advisor'] as const) {
    await signUp(page, { role });
    for (const path of CEILINGS) {
      const answer = await page.request.get(path, { maxRedirects: 0 });
      expect(answer.status(), `${path} as ${role}`).toBe(404);
      expect(await answer.text()).not.toContain('data-bench=');
    }
    await page.context().clearCookies();
  }
});
