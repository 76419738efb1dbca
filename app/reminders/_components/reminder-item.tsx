import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import { DateText } from '@/components/ui/format';
import type { ReminderRow } from '@/db/reminders';
import { formatDate } from '@/lib/dates';
import { reminderDetail, reminderTitle } from '@/lib/reminder-text';
import { isDateCovered } from '@/lib/workdays';
import { reminderDismissAction, reminderDoneAction, reminderSnoozeAction, reminderUpdateAction } from '../actions';
import type { ReminderGroup } from '../group';
import { snoozePresetDates } from '../snooze';
import { ItemActions } from './item-actions';
import { PresetButton } from './preset-button';
import { ReminderFields } from './reminder-fields';

/**
 * Kinds whose date is always counted in workdays. (A materials deadline or a promise may be a
 * date the lender gave; instalments and stale cases are calendar dates.)
 */
const WORKDAY_KINDS = new Set(['review_followup', 'materials_nudge', 'next_step']);

const doneClass =
  'inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-3 py-2 text-sm font-medium text-white hover:bg-teal-800 disabled:cursor-wait disabled:opacity-60';
const quietClass =
  'inline-flex min-h-10 items-center justify-center rounded-md px-3 py-2 text-sm text-stone-600 hover:bg-stone-100 hover:text-stone-900 disabled:cursor-wait disabled:opacity-60';

/** The text of a reminder, for lists and for the case page. */
export async function reminderText(r: ReminderRow) {
  const t = await getTranslations('reminders');
  const locale = await getLocale();
  return { title: reminderTitle(t, r, locale), detail: reminderDetail(t, r, locale) };
}

/**
 * One open reminder: the sentence, its case and date (with a warning when the date had to be
 * estimated without the year's holiday calendar), and what can be done with it.
 */
export async function ReminderItem({
  r,
  group,
  today,
  showCase,
  canAct,
}: {
  r: ReminderRow;
  group: ReminderGroup;
  today: string;
  showCase: boolean;
  canAct: boolean;
}) {
  const t = await getTranslations('reminders');
  const locale = await getLocale();
  const { title, detail } = await reminderText(r);
  const snoozed = r.snoozedUntil && r.showOn > r.dueOn;
  const estimated = r.ruleKey !== null && WORKDAY_KINDS.has(r.kind) && !isDateCovered(r.dueOn);
  const presets = snoozePresetDates(today);
  const presetOrder = (['tomorrow', 'next_workday', 'plus3'] as const).filter(
    (p, i, all) => i === 0 || presets[p] !== presets[all[i - 1]],
  );
  const presetLabel = { tomorrow: 'snoozeTomorrow', next_workday: 'snoozeNextWorkday', plus3: 'snoozePlus3' } as const;
  const hidden = { reminderId: r.id };

  return (
    <li
      className={`grid gap-2 rounded-md border p-3 ${r.urgent ? 'border-red-200 bg-red-50/40' : 'border-stone-200 bg-white'}`}
      data-testid="reminder"
      data-id={r.id}
      data-kind={r.kind}
      data-due={r.dueOn}
      data-show-on={r.showOn}
      data-group={group}
      data-urgent={r.urgent ? '1' : undefined}
    >
      <p className="text-base font-medium break-words text-stone-900" data-testid="reminder-title">
        {r.urgent && (
          <span className="mr-2 inline-block rounded bg-red-700 px-1.5 py-0.5 align-middle text-xs font-semibold text-white" data-testid="reminder-urgent">
            {t('item.urgent')}
          </span>
        )}
        {title}
      </p>
      {detail && <p className="text-sm break-words whitespace-pre-line text-stone-600">{detail}</p>}
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-700">
        <span className={group === 'overdue' ? 'font-medium text-red-800' : group === 'today' ? 'font-medium text-teal-800' : ''} data-testid="reminder-date">
          <DateText date={r.dueOn} />
          {r.dueTime && <span className="ml-1 tabular-nums">{t('item.time', { time: r.dueTime })}</span>}
        </span>
        {snoozed && (
          <span className="text-stone-600" data-testid="reminder-snoozed">
            {t('item.snoozedUntil', { date: formatDate(r.showOn, locale) })}
          </span>
        )}
        {showCase && r.caseId && (
          <Link href={`/cases/${r.caseId}`} className="inline-flex min-h-10 items-center text-teal-800 underline underline-offset-2 hover:text-teal-900 sm:min-h-0" data-testid="reminder-case">
            {t('item.case', { lender: r.lenderName ?? t('someLender') })}
          </Link>
        )}
      </p>
      {estimated && (
        <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="reminder-estimated">
          {t('item.estimated')}
        </p>
      )}
      {canAct && (
        <ItemActions
          labels={{ snooze: t('actions.snooze'), edit: t('actions.edit') }}
          done={
            <ActionForm action={reminderDoneAction} hidden={hidden} submitLabel={t('actions.done')} pendingLabel={t('actions.pending')} submitClassName={doneClass} className="contents" testId="reminder-done" />
          }
          dismiss={
            <ActionForm action={reminderDismissAction} hidden={hidden} submitLabel={t('actions.dismiss')} pendingLabel={t('actions.pending')} submitClassName={quietClass} className="contents" testId="reminder-dismiss" />
          }
          snooze={
            <div className="grid gap-3">
              <ActionForm
                action={reminderSnoozeAction}
                hidden={hidden}
                submitLabel=""
                pendingLabel=""
                testId="reminder-snooze-presets"
                className="grid gap-2"
                submit={
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="text-sm text-stone-700">{t('actions.snoozeTitle')}</span>
                    {presetOrder.map((p) => (
                      <PresetButton key={p} name="preset" value={p} label={t(`actions.${presetLabel[p]}`, { date: formatDate(presets[p], locale) })} testId={`snooze-${p}`} />
                    ))}
                  </div>
                }
              />
              <ActionForm
                action={reminderSnoozeAction}
                hidden={hidden}
                submitLabel={t('actions.snoozeToDate')}
                pendingLabel={t('actions.pending')}
                testId="reminder-snooze-date"
                className="grid gap-2 sm:grid-cols-[minmax(0,16rem)_auto] sm:items-end"
              >
                <TextField name="until" type="date" label={t('actions.snoozeUntil')} defaultValue={presets.plus3} />
              </ActionForm>
            </div>
          }
          edit={
            r.kind === 'custom' ? (
              <ActionForm action={reminderUpdateAction} hidden={hidden} submitLabel={t('actions.saveEdit')} pendingLabel={t('actions.pending')} testId="reminder-edit-form">
                <ReminderFields defaults={{ title: r.title, dueOn: r.dueOn, dueTime: r.dueTime, note: r.note }} />
              </ActionForm>
            ) : undefined
          }
        />
      )}
    </li>
  );
}
