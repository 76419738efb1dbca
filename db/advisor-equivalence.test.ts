import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDaysIso } from '@/lib/dates';
import { compareDashboards } from '@/tests/dashboard-equivalence';
import { attentionItems, listAdvisorCases } from './advisor';
import { getDb } from './client';
import { generateInto } from './generate';
import type { Viewer } from './viewer-type';

/**
 * Issue 6: the dashboard reads case_facts (migration 0006) instead of working each case out with
 * correlated subqueries; it must answer exactly as before. A small generated dataset (the
 * generator fills case_facts the way `npm run generate` does), its advisors, days around the
 * dataset's day, and every answer of the page compared whole with the implementation before
 * (tests/advisor-before.ts). `tests/compare-dashboard.ts` does the same on the everyday dataset.
 */

const today = '2026-03-10';
let advisors: Viewer[] = [];

describe('the dashboard before and after case_facts', () => {
  beforeAll(() => {
    const db = getDb();
    const domain = `eq-${randomBytes(4).toString('hex')}.test`;
    generateInto(db, { seed: 11, size: 'small', today, emailDomain: domain });
    advisors = (
      db.$client.prepare(`SELECT id, email, display_name AS displayName, role, locale FROM users WHERE role = 'advisor' AND email LIKE ? ORDER BY id`).all(`%@${domain}`) as Omit<Viewer, 'sessionId'>[]
    ).map((u) => ({ ...u, sessionId: 'none' }));
  }, 60_000);

  it('gives the same figures, attention list, charts, lenders and table pages', () => {
    expect(advisors.length).toBeGreaterThanOrEqual(3);
    const days = [-30, -1, 0, 1, 14].map((n) => addDaysIso(today, n));
    // The dataset is not trivial: there are cases, and things needing attention, to compare.
    expect(listAdvisorCases({ ...advisors[0]! }, {}, today).total).toBeGreaterThan(50);
    const kinds = new Set(attentionItems({ ...advisors[0]! }, today).map((i) => i.kind));
    for (const kind of ['missed_instalment', 'materials_deadline', 'review_overdue', 'stale_case']) expect(kinds).toContain(kind);
    const { comparisons, mismatches } = compareDashboards(advisors, days);
    expect(mismatches).toEqual([]);
    expect(comparisons).toBeGreaterThan(advisors.length * days.length * 30);
  }, 60_000);
});
