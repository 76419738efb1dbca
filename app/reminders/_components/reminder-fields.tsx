import { getTranslations } from 'next-intl/server';
import { DayField, TextArea, TextField } from '@/components/form/fields';
import { addDaysIso, todayInShanghai } from '@/lib/dates';
import { offDaysBetween } from '@/lib/workdays';

/**
 * The fields of a person's own reminder: add on the case page, edit in place. An advisor adds one
 * for `client`, whose reminder it becomes: the question is asked of the client, not of "me".
 */
export async function ReminderFields({
  defaults,
  client,
}: {
  defaults: { title?: string | null; dueOn?: string; dueTime?: string | null; note?: string | null };
  client?: string;
}) {
  const t = await getTranslations('reminders.form');
  // The year ahead, and the one before when the day already set is in it: the field says when a day in them is off.
  const today = todayInShanghai();
  const yearAgo = addDaysIso(today, -366);
  const from = defaults.dueOn && defaults.dueOn < today ? (defaults.dueOn > yearAgo ? defaults.dueOn : yearAgo) : today;
  const offDays = offDaysBetween(from, addDaysIso(today, 366));
  return (
    <>
      <TextField name="title" label={client ? t('titleForClient', { client }) : t('title')} required maxLength={200} placeholder={t('titlePlaceholder')} defaultValue={defaults.title} autoComplete="off" />
      {/* Side by side where the form has room, not where the screen has: the case page puts this
          form in its narrow column, where a date field is wider than half of it. */}
      <div className="@container">
        <div className="grid gap-3 @sm:grid-cols-2">
          <DayField
            name="dueOn"
            label={t('dueOn')}
            required
            defaultValue={defaults.dueOn}
            offDays={offDays}
            offDayHints={{
              weekend: t('offDayWeekend'),
              holiday: t('offDayHoliday'),
              weekendEstimated: t('offDayEstimated', { hint: t('offDayWeekend') }),
              holidayEstimated: t('offDayEstimated', { hint: t('offDayHoliday') }),
            }}
          />
          <TextField name="dueTime" label={t('dueTime')} hint={t('dueTimeHint')} inputMode="numeric" placeholder="14:30" defaultValue={defaults.dueTime} autoComplete="off" />
        </div>
      </div>
      <TextArea name="note" label={t('note')} rows={2} maxLength={1000} defaultValue={defaults.note} />
    </>
  );
}
