'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import type { ActionState } from '@/components/form/state';
import { flashSaved } from '@/app/_lib/flash';
import { createReminder, setReminderStatus, snoozeReminder, updateReminder } from '@/db/reminders';
import { formatDate, todayInShanghai } from '@/lib/dates';
import { formKey, idSchema, newReminderSchema, reminderSchema, snoozeSchema } from '@/lib/validation';
import { getLocale } from 'next-intl/server';
import { presetSnoozeAnswer, SNOOZE_PRESETS, snoozePresetDates } from './snooze';

/** The badge lives in the root layout: every change to a reminder refreshes the whole tree. */
function refresh() {
  revalidatePath('/', 'layout');
}

async function ok(key: string, values?: Record<string, string>) {
  const t = await getTranslations('reminders.actions');
  const message = t(key, values);
  await flashSaved(message);
  return { status: 'ok' as const, message, nonce: Date.now() };
}

const reminderRef = z.object({ reminderId: idSchema });

export const reminderDoneAction = formAction(reminderRef, async (viewer, data) => {
  setReminderStatus(viewer, data.reminderId, 'done');
  refresh();
  return ok('doneOk');
});

export const reminderDismissAction = formAction(reminderRef, async (viewer, data) => {
  setReminderStatus(viewer, data.reminderId, 'dismissed');
  refresh();
  return ok('dismissedOk');
});

export const reminderReopenAction = formAction(reminderRef, async (viewer, data) => {
  setReminderStatus(viewer, data.reminderId, 'open');
  refresh();
  return ok('reopenedOk');
});

/** A quick button (preset, counted from today at the moment of the click) or a chosen date. */
const snoozeForm = z.preprocess(
  (raw) => {
    const values = { ...(raw as Record<string, string>) };
    const preset = SNOOZE_PRESETS.find((p) => p === values.preset);
    if (preset) values.until = snoozePresetDates(todayInShanghai())[preset];
    return values;
  },
  reminderRef.and(snoozeSchema),
);

const snoozeToDate = formAction(snoozeForm, async (viewer, data) => {
  snoozeReminder(viewer, data.reminderId, data.until);
  refresh();
  return ok('snoozedOk', { date: formatDate(data.until, await getLocale()) });
});

/** A chosen date, or a quick button's: the buttons' form has no date field, so its refusals are worded for it (presetSnoozeAnswer). */
export async function reminderSnoozeAction(prev: ActionState, formData: FormData): Promise<ActionState> {
  const answer = await snoozeToDate(prev, formData);
  const preset = formData instanceof FormData ? formData.get('preset') : null;
  // (A hand-made request may be no form at all: `preset` is then null, and the answer is as it is.)
  if (!SNOOZE_PRESETS.some((p) => p === preset) || formData.has('until')) return answer;
  const t = await getTranslations('reminders.actions');
  return presetSnoozeAnswer(answer, (reason) => t('snoozePresetRefused', { reason }));
}

export const reminderUpdateAction = formAction(reminderRef.extend({ stamp: z.string().max(64) }).and(reminderSchema), async (viewer, data) => {
  updateReminder(viewer, data.reminderId, data, data.stamp);
  refresh();
  return ok('savedOk');
});

export const reminderCreateAction = formAction(z.object({ caseId: idSchema, formKey }).and(newReminderSchema), async (viewer, data) => {
  createReminder(viewer, data.caseId, data, data.formKey);
  refresh();
  return ok('createdOk');
});
