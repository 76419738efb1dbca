import { readFileSync } from 'node:fs';
import { asc, eq } from 'drizzle-orm';
import { createTranslator } from 'next-intl';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatDate } from '@/lib/dates';
import { approveInput, makeAdvisor, makeBorrower, makeCase, materialsInput, submitInput, versionOf } from '@/tests/factories';
import { attentionItems } from './advisor';
import { approveAttempt, requestMaterials, submitAttempt } from './attempts';
import { getDb } from './client';
import { markInstalmentPaid } from './plans';
import { createReminder } from './reminders';
import { cases, instalments } from './schema';
import { acceptInvite, createInvite } from './shares';
import type { Viewer } from './viewer-type';

/**
 * A line of the attention list counts several dates (unpaid instalments, unsent requests, overdue
 * reminders): it is placed by the most urgent of them, not the oldest (lib/attention.ts). A case
 * with something long overdue and something fresh is still among the fresh lines, while its
 * wording keeps the oldest date and the count.
 *
 * "Today" is Thursday 19 June 2025 in Shanghai; the materials cutoff is Monday 23 June.
 */
const NOW = new Date('2025-06-19T02:00:00Z');
const TODAY = '2025-06-19';

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterAll(() => {
  vi.useRealTimers();
});

const f = {} as { advisor: Viewer; missed: number; materials: number; materialsPast: number; reminders: number; oldReminder: number; stale: number; staleToday: number };

function clientOf(advisor: Viewer, name: string): Viewer {
  const client = makeBorrower({ displayName: name });
  acceptInvite(advisor, createInvite(client, advisor.displayName).code);
  return client;
}

beforeAll(() => {
  const advisor = makeAdvisor({ displayName: '顾问（排序）' });
  const c1 = clientOf(advisor, '孙悦');
  const c2 = clientOf(advisor, '周宁');

  // A plan of 18 Apr, 18 May, 18 Jun: April's paid one fen short, May's in full, June's (yesterday) not at all.
  const missed = makeCase(c1, { principal: 300_000 });
  submitAttempt(c1, missed, versionOf(missed), submitInput({ submittedOn: '2025-03-01' }));
  approveAttempt(c1, missed, versionOf(missed), approveInput({ decidedOn: '2025-03-10', agreedFirstPaymentOn: '2025-04-18', agreedPeriods: 3, agreedMonthly: 100_000 }));
  const [april, may] = getDb().select().from(instalments).where(eq(instalments.caseId, missed)).orderBy(asc(instalments.seq)).all();
  markInstalmentPaid(c1, missed, versionOf(missed), april.id, { paidOn: '2025-04-18', paid: 99_999 });
  markInstalmentPaid(c1, missed, versionOf(missed), may.id, { paidOn: '2025-05-18', paid: 100_000 });

  // A request whose deadline passed in May, and one due tomorrow.
  const materials = makeCase(c1, { principal: 200_000 });
  submitAttempt(c1, materials, versionOf(materials), submitInput({ submittedOn: '2025-04-07' }));
  requestMaterials(c1, materials, versionOf(materials), materialsInput({ requestedOn: '2025-04-10', deadline: '2025-05-09' }));
  requestMaterials(c1, materials, versionOf(materials), materialsInput({ requestedOn: '2025-06-16', deadline: '2025-06-20' }));

  // A deadline missed yesterday, and one on the cutoff: yesterday's is the nearer.
  const materialsPast = makeCase(c1, { principal: 200_000 });
  submitAttempt(c1, materialsPast, versionOf(materialsPast), submitInput({ submittedOn: '2025-06-09' }));
  requestMaterials(c1, materialsPast, versionOf(materialsPast), materialsInput({ requestedOn: '2025-06-10', deadline: '2025-06-18' }));
  requestMaterials(c1, materialsPast, versionOf(materialsPast), materialsInput({ requestedOn: '2025-06-16', deadline: '2025-06-23' }));

  // Reminders due on 1 Apr and yesterday; on another case, one of 1 Apr alone.
  const reminders = makeCase(c2, { principal: 100_000 });
  createReminder(c2, reminders, { title: '很久以前的提醒', dueOn: '2025-04-01', dueTime: null, note: '' });
  createReminder(c2, reminders, { title: '昨天的提醒', dueOn: '2025-06-18', dueTime: null, note: '' });
  const oldReminder = makeCase(c2, { principal: 100_000 });
  createReminder(c2, oldReminder, { title: '只有旧的提醒', dueOn: '2025-04-01', dueTime: null, note: '' });

  // Merely stale: last activity 15 days ago; and 14 days ago, its first day on the list.
  const lastActive = (on: string) => {
    const id = makeCase(c2, { principal: 100_000 });
    getDb()
      .update(cases)
      .set({ updatedAt: new Date(`${on}T10:00:00+08:00`) })
      .where(eq(cases.id, id))
      .run();
    return id;
  };
  const stale = lastActive('2025-06-04');
  const staleToday = lastActive('2025-06-05');

  Object.assign(f, { advisor, missed, materials, materialsPast, reminders, oldReminder, stale, staleToday });
});

describe('the attention list’s order', () => {
  it('puts a line whose most urgent date is fresh among the fresh lines, however old its oldest date', () => {
    const lines = attentionItems(f.advisor, TODAY).map((i) => ({ kind: i.kind, caseId: i.caseId, date: i.date, count: i.count, fresh: i.sortKey.startsWith('0|') }));
    expect(lines).toEqual([
      // The wording keeps the oldest date and the count: two instalments owed, the first due on 18 Apr.
      { kind: 'missed_instalment', caseId: f.missed, date: '2025-04-18', count: 2, fresh: true },
      { kind: 'materials_deadline', caseId: f.materials, date: '2025-05-09', count: 2, fresh: true },
      { kind: 'materials_deadline', caseId: f.materialsPast, date: '2025-06-18', count: 2, fresh: true },
      { kind: 'overdue_reminders', caseId: f.reminders, date: '2025-04-01', count: 2, fresh: true },
      { kind: 'stale_case', caseId: f.staleToday, date: '2025-06-05', count: 1, fresh: true },
      { kind: 'stale_case', caseId: f.stale, date: '2025-06-04', count: 1, fresh: true },
      // Nothing fresh on this one: still listed, after every fresh line.
      { kind: 'overdue_reminders', caseId: f.oldReminder, date: '2025-04-01', count: 1, fresh: false },
    ]);
  });

  it('places each line by how near its most urgent date is to today', () => {
    const keys = new Map(attentionItems(f.advisor, TODAY).map((i) => [`${i.kind}:${i.caseId}`, i.sortKey.split('|').slice(0, 3).join('|')]));
    expect(keys.get(`missed_instalment:${f.missed}`)).toBe('0|0|000001'); // 18 Jun, yesterday
    expect(keys.get(`materials_deadline:${f.materials}`)).toBe('0|1|000001'); // 20 Jun, tomorrow
    expect(keys.get(`materials_deadline:${f.materialsPast}`)).toBe('0|1|000001'); // 18 Jun, not the cutoff's 23 Jun
    expect(keys.get(`overdue_reminders:${f.reminders}`)).toBe('0|2|000001'); // 18 Jun
    expect(keys.get(`overdue_reminders:${f.oldReminder}`)).toBe('1|2|000079'); // 1 Apr
  });
});

describe('the materials line’s wording', () => {
  it('says the next deadline still to come beside the oldest, passed one: "due 9 May: passed" alone hides tomorrow', () => {
    const items = attentionItems(f.advisor, TODAY);
    const both = items.find((i) => i.kind === 'materials_deadline' && i.caseId === f.materials)!;
    expect([both.date, both.next]).toEqual(['2025-05-09', '2025-06-20']);
    // Yesterday's missed deadline is the nearest: nothing still to come is nearer, so nothing more is said.
    expect(items.find((i) => i.kind === 'materials_deadline' && i.caseId === f.materialsPast)!.next).toBeUndefined();
    const messages = { dashboard: JSON.parse(readFileSync('messages/zh-CN/dashboard.json', 'utf8')) };
    const t = createTranslator({ locale: 'zh-CN', messages, namespace: 'dashboard.attention' }) as unknown as (k: string, v: object) => string;
    // As app/dashboard/_components/attention-list.tsx says it.
    expect(t('detail.materials_deadline_passed', { count: 2, date: formatDate(both.date, 'zh-CN') }) + t('detail.materialsNext', { date: formatDate(both.next!, 'zh-CN') })).toBe(
      '2 项材料未提交，截止日 2025年5月9日 已过；下一项 2025年6月20日 截止',
    );
  });
});

describe('the stale line’s wording', () => {
  // Listed once the last activity is 14 days old (on or before today − 14): on that first day it is not "more than 14".
  it.each([
    ['en', 'Last activity on {date}, 14 or more days ago'],
    ['zh-CN', '最近一次更新在 {date}，已有 14 天或更久没有更新'],
  ])('%s: says 14 or more days on the 14th day', (locale, expected) => {
    const line = attentionItems(f.advisor, TODAY).find((i) => i.kind === 'stale_case' && i.caseId === f.staleToday)!;
    expect(line.date).toBe('2025-06-05');
    const messages = { dashboard: JSON.parse(readFileSync(`messages/${locale}/dashboard.json`, 'utf8')) };
    const t = createTranslator({ locale, messages, namespace: 'dashboard.attention' }) as unknown as (k: string, v: object) => string;
    const date = formatDate(line.date, locale);
    // As app/dashboard/_components/attention-list.tsx says it.
    expect(t('detail.stale_case', { count: line.count, date })).toBe(expected.replace('{date}', date));
  });
});
