import { describe, expect, it } from 'vitest';
import { reminderGroup } from '@/app/reminders/group';
import { snoozePresetDates } from '@/app/reminders/snooze';
import { addDaysIso, todayInShanghai } from './dates';
import { newReminderSchema, reminderSchema, snoozeSchema } from './validation';

function errors(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
}

describe('a person’s own reminder', () => {
  it('needs a title and a date; time and note are optional', () => {
    const ahead = addDaysIso(todayInShanghai(), 200);
    expect(reminderSchema.parse({ title: ' 回电话 ', dueOn: ahead })).toEqual({ title: '回电话', dueOn: ahead, dueTime: null, note: '' });
    expect(errors(reminderSchema.safeParse({ title: '', dueOn: '' }))).toEqual({ title: 'required', dueOn: 'required' });
    expect(errors(reminderSchema.safeParse({ title: 'x'.repeat(201), dueOn: '2025-02-30' }))).toEqual({ title: 'too_long', dueOn: 'date_invalid' });
    expect(errors(reminderSchema.safeParse({ title: 'x', dueOn: '1989-12-31' }))).toEqual({ dueOn: 'date_out_of_range' });
    expect(errors(reminderSchema.safeParse({ title: 'x', dueOn: '2025-10-09', note: 'n'.repeat(1001) }))).toEqual({ note: 'too_long' });
  });

  it('is made for today or later; an edit keeps a date already past', () => {
    const today = todayInShanghai();
    const reminder = (dueOn: string) => ({ title: '回电话', dueOn });
    expect(newReminderSchema.safeParse(reminder(today)).success).toBe(true);
    expect(newReminderSchema.safeParse(reminder(addDaysIso(today, 1))).success).toBe(true);
    expect(errors(newReminderSchema.safeParse(reminder(addDaysIso(today, -1))))).toEqual({ dueOn: 'reminder_past' });
    // Beside another field's error, both are named.
    expect(errors(newReminderSchema.safeParse({ title: '', dueOn: '2025-10-09' }))).toEqual({ title: 'required', dueOn: 'reminder_past' });
    expect(reminderSchema.safeParse(reminder(addDaysIso(today, -1))).success).toBe(true);
  });

  it('is within a year: a year typed wrong is said at the date, made or edited', () => {
    const today = todayInShanghai();
    for (const schema of [newReminderSchema, reminderSchema]) {
      expect(schema.safeParse({ title: '回电话', dueOn: addDaysIso(today, 365) }).success).toBe(true);
      expect(errors(schema.safeParse({ title: '回电话', dueOn: '2099-06-01' }))).toEqual({ dueOn: 'date_too_far' });
    }
  });

  it('reads a time as HH:MM, 24-hour', () => {
    const time = (dueTime: string) => reminderSchema.safeParse({ title: 'x', dueOn: '2025-10-09', dueTime });
    expect(time('9:30').data?.dueTime).toBe('09:30');
    expect(time('23:59').data?.dueTime).toBe('23:59');
    expect(time(' ').data?.dueTime).toBeNull();
    for (const bad of ['24:00', '12:60', '12:3', '12', '12345', '2460', 'noon', '14点61']) expect(errors(time(bad)), bad).toEqual({ dueTime: 'time_invalid' });
  });

  it('reads a time as a phone keyboard types it', () => {
    const time = (dueTime: string) => reminderSchema.safeParse({ title: 'x', dueOn: '2025-10-09', dueTime }).data?.dueTime;
    // A Chinese keyboard's full-width colon and digits; the number pad, which has no colon.
    expect(time('14：30')).toBe('14:30');
    expect(time('１４：３０')).toBe('14:30');
    expect(time('1430')).toBe('14:30');
    expect(time('930')).toBe('09:30');
    expect(time('14.30')).toBe('14:30');
    expect(time('14点30')).toBe('14:30');
    expect(time('9点05分')).toBe('09:05');
    expect(time('14点')).toBe('14:00');
    expect(time(' 9 : 30 ')).toBe('09:30');
  });
});

describe('snooze', () => {
  it('only to a date after today', () => {
    const today = todayInShanghai();
    expect(snoozeSchema.safeParse({ until: addDaysIso(today, 1) }).success).toBe(true);
    expect(errors(snoozeSchema.safeParse({ until: today }))).toEqual({ until: 'snooze_past' });
    expect(errors(snoozeSchema.safeParse({ until: '' }))).toEqual({ until: 'required' });
    expect(errors(snoozeSchema.safeParse({ until: '2099-06-01' }))).toEqual({ until: 'date_too_far' });
  });

  it('offers tomorrow, the next workday and three days on', () => {
    // Tuesday 30 Sep 2025, before National Day: the next workday is Thursday 9 Oct.
    expect(snoozePresetDates('2025-09-30')).toEqual({ tomorrow: '2025-10-01', next_workday: '2025-10-09', plus3: '2025-10-03' });
    expect(snoozePresetDates('2025-03-07')).toEqual({ tomorrow: '2025-03-08', next_workday: '2025-03-10', plus3: '2025-03-10' });
  });
});

describe('inbox groups', () => {
  it.each([
    ['2025-10-08', 'overdue'],
    ['2025-10-09', 'today'],
    ['2025-10-10', 'upcoming'],
    ['2025-11-08', 'upcoming'],
    ['2025-11-09', 'later'],
  ])('%s is %s on 9 Oct 2025', (showOn, group) => {
    expect(reminderGroup(showOn, '2025-10-09')).toBe(group);
  });
});
