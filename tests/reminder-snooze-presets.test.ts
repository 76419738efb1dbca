/**
 * The quick snooze buttons (app/reminders/_components/reminder-item.tsx): their form has no date
 * field, so a date the server refuses at `until` (past a deadline, before the due date: a page left
 * open since another day) is said as the form's message, with the reason, and not as "check the
 * marked fields" with nothing marked.
 *
 * "Today" is Thursday 19 June 2025, 10:00 in Shanghai (the clock, Date only, is frozen there).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { idleState, type ActionState } from '@/components/form/state';
import { requestMaterials, submitAttempt } from '@/db/attempts';
import { getDb } from '@/db/client';
import { reminders } from '@/db/schema';
import type { Viewer } from '@/db/viewer-type';
import { formatDate } from '@/lib/dates';
import { makeBorrower, makeCase, materialsInput, submitInput, versionOf } from './factories';

const LOCALE = vi.hoisted(() => ({ current: 'zh-CN' as 'zh-CN' | 'en' }));
const VIEWER = vi.hoisted(() => ({ current: null as Viewer | null }));

// The action's request context, stood in for: the reader's language, who is signed in, the page to refresh.
vi.mock('next-intl/server', async () => (await import('./action-context')).nextIntlServerIn(() => LOCALE.current));
vi.mock('@/db/viewer', () => ({ getViewer: async () => VIEWER.current }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));
vi.mock('@/app/_lib/flash', () => ({ flashSaved: async () => undefined }));

const { reminderSnoozeAction } = await import('@/app/reminders/actions');

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-19T02:00:00Z') });
});
afterAll(() => {
  vi.useRealTimers();
});

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

/** What the preset form shows after a click on `preset`: the snooze action's answer to a form with no date field. */
async function clickPreset(reminderId: number, preset: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<ActionState> {
  LOCALE.current = locale;
  return reminderSnoozeAction(idleState, form({ reminderId: String(reminderId), preset }));
}

describe('the quick snooze buttons, refused', () => {
  // Materials asked for today, due tomorrow (Friday 20 June): the nudge is today, and 20 June is the latest it may be snoozed to.
  let nudge: typeof reminders.$inferSelect;
  beforeAll(() => {
    const owner = makeBorrower();
    VIEWER.current = owner;
    const caseId = makeCase(owner);
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-06-16' }));
    requestMaterials(owner, caseId, versionOf(caseId), materialsInput({ requestedOn: '2025-06-19', deadline: '2025-06-20' }));
    nudge = getDb().select().from(reminders).where(and(eq(reminders.caseId, caseId), eq(reminders.kind, 'materials_nudge'))).get()!;
  });

  it('say why, as the form\'s message, when the date is past the deadline (a page drawn on another day offered "in 3 days")', async () => {
    const state = await clickPreset(nudge.id, 'plus3');
    expect(state.status).toBe('error');
    expect(state.message).toBe(`没有推迟。最后期限是 ${formatDate('2025-06-20', 'zh-CN')}：推迟到那天以后，提醒再出现时就已经错过了。请选这天或更早的日期。`);
    // Nothing is left to say at a field the form does not have.
    expect(state.fieldErrors?.until).toBeUndefined();
    const en = await clickPreset(nudge.id, 'plus3', 'en');
    expect(en.message).toBe(`Not snoozed. The deadline is ${formatDate('2025-06-20', 'en')}: snoozed past it, the reminder would come back too late. Choose that date or an earlier one.`);
    expect(getDb().select().from(reminders).where(eq(reminders.id, nudge.id)).get()).toMatchObject({ snoozedUntil: null, showOn: '2025-06-19' });
  });

  it('leave other answers as they are: a snooze saved, or a refusal with no field', async () => {
    const saved = await clickPreset(nudge.id, 'tomorrow');
    expect(saved).toMatchObject({ status: 'ok', message: `已推迟到${formatDate('2025-06-20', 'zh-CN')}。` });
    expect(saved.fieldErrors).toBeUndefined();
    const other = await clickPreset(nudge.id + 1_000_000, 'tomorrow');
    expect(other.status).toBe('error');
    expect(other.message).not.toMatch(/^没有推迟/);
  });
});
