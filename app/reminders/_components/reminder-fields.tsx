import { getTranslations } from 'next-intl/server';
import { TextArea, TextField } from '@/components/form/fields';

/** The fields of a person's own reminder: add on the case page, edit in place. */
export async function ReminderFields({ defaults }: { defaults: { title?: string | null; dueOn?: string; dueTime?: string | null; note?: string | null } }) {
  const t = await getTranslations('reminders.form');
  return (
    <>
      <TextField name="title" label={t('title')} required maxLength={200} placeholder={t('titlePlaceholder')} defaultValue={defaults.title} autoComplete="off" />
      {/* Side by side where the form has room, not where the screen has: the case page puts this
          form in its narrow column, where a date field is wider than half of it. */}
      <div className="@container">
        <div className="grid gap-3 @sm:grid-cols-2">
          <TextField name="dueOn" type="date" label={t('dueOn')} required defaultValue={defaults.dueOn} />
          <TextField name="dueTime" label={t('dueTime')} hint={t('dueTimeHint')} inputMode="numeric" placeholder="14:30" maxLength={5} defaultValue={defaults.dueTime} autoComplete="off" />
        </div>
      </div>
      <TextArea name="note" label={t('note')} rows={2} maxLength={1000} defaultValue={defaults.note} />
    </>
  );
}
