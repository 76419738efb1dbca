import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { cache } from 'react';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import { DateText } from '@/components/ui/format';
import type { FoldView } from '@/lib/folds';
import { reminderEditStamp, type ReminderRow } from '@/db/reminders';
import { addDaysIso, formatDate, formatWeekday } from '@/lib/dates';
import { reminderDetail, reminderTitle } from '@/lib/reminder-text';
import { instalmentOfRuleKey, snoozeLimit } from '@/lib/reminder-rules';
import { caseLabel } from '@/lib/case-label';
import { isDateCovered } from '@/lib/workdays';
import { reminderSnoozeAction, reminderUpdateAction } from '../actions';
import type { ReminderGroup } from '../group';
import { snoozePresetDates } from '../snooze';
import { CancelLink, CloseOnSave, ItemActions, type ActionLabels } from './item-actions';
import { panelName, type Panel } from './panels';
import { PresetButton } from './preset-button';
import { ReminderFields } from './reminder-fields';

/**
 * Kinds whose date is always counted in workdays. (A materials deadline or a promise may be a
 * date the lender gave: counted in workdays, its data says `byWorkdays: 1`; instalments and stale
 * cases are calendar dates.)
 */
const WORKDAY_KINDS = new Set(['review_followup', 'materials_nudge', 'next_step']);

/**
 * The buttons' words, one object a request: every item passes the same object to its client
 * component, so the page's payload carries it once and refers to it after.
 */
const actionLabels = cache(async (): Promise<ActionLabels> => {
  const t = await getTranslations('reminders.actions');
  return { done: t('done'), dismiss: t('dismiss'), pending: t('pending'), snooze: t('snooze'), edit: t('edit') };
});

/** The text of a reminder, for lists and for the case page. */
export async function reminderText(r: ReminderRow) {
  const t = await getTranslations('reminders');
  const locale = await getLocale();
  return { title: reminderTitle(t, r, locale), detail: reminderDetail(t, r, locale) };
}

/**
 * One open reminder: the sentence, its case and date (with a warning when the date had to be
 * estimated without the year's holiday calendar), and what can be done with it. Its snooze and
 * edit panels are folds of the page (`?open=snooze-<id>`, `edit-<id>`, see ItemActions): only an
 * open one is rendered, with its forms and the snooze dates.
 */
export async function ReminderItem({
  r,
  group,
  today,
  showCase,
  canAct,
  view,
}: {
  r: ReminderRow;
  group: ReminderGroup;
  today: string;
  showCase: boolean;
  canAct: boolean;
  /** The page's open folds, and its links to open or close one. */
  view: FoldView;
}) {
  const t = await getTranslations('reminders');
  const locale = await getLocale();
  const title = reminderTitle(t, r, locale, today);
  const detail = reminderDetail(t, r, locale);
  const snoozed = r.snoozedUntil && r.showOn > r.dueOn;
  const estimated = r.ruleKey !== null && (WORKDAY_KINDS.has(r.kind) || r.data.byWorkdays === 1) && !isDateCovered(r.dueOn);
  const canEdit = r.kind === 'custom';
  const record = recordLink(r);
  const snoozeName = panelName('snooze', r.id);
  const editName = panelName('edit', r.id);
  // One panel at a time: snooze wins over edit in a hand-made URL that asks for both.
  const open: Panel | null = !canAct ? null : view.isOpen(snoozeName) ? 'snooze' : canEdit && view.isOpen(editName) ? 'edit' : null;
  const anchor = `reminder-${r.id}`;
  const closeHref = view.closeHref(open === 'edit' ? editName : snoozeName, anchor);

  return (
    <li
      id={anchor}
      className={`grid gap-2 rounded-md border p-3 ${r.urgent ? 'border-red-200 bg-red-50/40' : 'border-stone-200 bg-white'}`}
      data-testid="reminder"
      data-id={r.id}
      data-kind={r.kind}
      data-due={r.dueOn}
      data-show-on={r.showOn}
      data-group={group}
      data-urgent={r.urgent ? '1' : undefined}
    >
      <p id={`${anchor}-title`} className="text-base font-medium wrap-anywhere text-stone-900" data-testid="reminder-title">
        {r.urgent && (
          <span className="mr-2 inline-block rounded bg-red-700 px-1.5 py-0.5 align-middle text-xs font-semibold text-white" data-testid="reminder-urgent">
            {t('item.urgent')}
          </span>
        )}
        {title}
      </p>
      {detail && <p className="text-sm wrap-anywhere whitespace-pre-line text-stone-600">{detail}</p>}
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-stone-700">
        <span className={group === 'overdue' ? 'font-medium text-red-800' : group === 'today' ? 'font-medium text-teal-800' : undefined} data-testid="reminder-date">
          <DateText date={r.dueOn} />
          {/* A space, not a margin: read aloud or copied, the day and the time stay two words. */}
          {r.dueTime && (
            <>
              {' '}
              <span className="tabular-nums">{t('item.time', { time: r.dueTime })}</span>
            </>
          )}
        </span>
        {snoozed && (
          <span className="text-stone-600" data-testid="reminder-snoozed">
            {t('item.snoozedUntil', { date: formatDate(r.showOn, locale) })}
          </span>
        )}
        {r.addedBy && (
          <span className="text-stone-600" data-testid="reminder-added-by">
            {t('item.addedBy', { name: r.addedBy })}
          </span>
        )}
        {showCase && r.caseId && (
          <Link href={`/cases/${r.caseId}`} className="inline-flex min-h-10 items-center text-teal-800 underline underline-offset-2 hover:text-teal-900 sm:min-h-0" data-testid="reminder-case">
            {caseLabel((key, values) => t(`item.${key}`, values), {
              lenderName: r.lenderName ?? t('someLender'),
              caseAccountRef: r.caseAccountRef,
              caseProduct: r.caseProduct,
            })}
          </Link>
        )}
      </p>
      {canAct && record && (
        <Link href={record.href} className="inline-flex min-h-10 items-center justify-self-start text-sm font-medium text-teal-800 underline underline-offset-2 hover:text-teal-900 sm:min-h-0 print:hidden" data-testid="reminder-record">
          {t(record.label)}
        </Link>
      )}
      {estimated && (
        <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="reminder-estimated">
          {t('item.estimated')}
        </p>
      )}
      {canAct && (
        <ItemActions
          reminderId={r.id}
          titleId={`${anchor}-title`}
          canEdit={canEdit}
          open={open}
          hrefs={{
            snooze: view.openHref(snoozeName, [editName]),
            edit: canEdit ? view.openHref(editName, [snoozeName]) : undefined,
            close: closeHref,
          }}
          labels={await actionLabels()}
        >
          {open && <OpenPanel r={r} panel={open} today={today} closeHref={closeHref} />}
        </ItemActions>
      )}
    </li>
  );
}

/**
 * Where what a reminder asks for is recorded: an instalment's payment, the materials sent. "Done"
 * only closes the reminder; this link opens the case's own form, whose record closes it too.
 */
function recordLink(r: ReminderRow): { href: string; label: 'item.recordPayment' | 'item.recordMaterialsSent' } | null {
  if (!r.caseId) return null;
  const instalment = instalmentOfRuleKey(r.ruleKey);
  if (instalment !== null && (r.caseStatus === 'approved' || r.caseStatus === 'repaying')) {
    return { href: `/cases/${r.caseId}?open=pay-${instalment}#fold-pay-${instalment}`, label: 'item.recordPayment' };
  }
  if ((r.kind === 'materials_deadline' || r.kind === 'materials_nudge') && r.caseStatus === 'materials_requested') {
    return { href: `/cases/${r.caseId}?open=act-send-materials#fold-act-send-materials`, label: 'item.recordMaterialsSent' };
  }
  return null;
}

/** What may change when a panel's form is saved: a different stamp after sending it means saved. */
function reminderStamp(r: ReminderRow): string {
  return JSON.stringify([r.showOn, r.snoozedUntil, r.dueOn, r.dueTime, r.title, r.note]);
}

/** The forms of an open snooze or edit panel, and the link that closes it without saving. */
async function OpenPanel({ r, panel, today, closeHref }: { r: ReminderRow; panel: Panel; today: string; closeHref: string }) {
  const t = await getTranslations('reminders.actions');
  const locale = await getLocale();
  const hidden = { reminderId: r.id };
  const name = panelName(panel, r.id);
  const closer = <CloseOnSave name={name} href={closeHref} stamp={reminderStamp(r)} />;
  const cancel = <CancelLink name={name} href={closeHref} label={t('cancel')} />;
  if (panel === 'edit') {
    return (
      <>
        <ActionForm action={reminderUpdateAction} hidden={{ ...hidden, stamp: reminderEditStamp(r) }} submitLabel={t('saveEdit')} pendingLabel={t('pending')} testId="reminder-edit-form">
          <ReminderFields defaults={{ title: r.title, dueOn: r.dueOn, dueTime: r.dueTime, note: r.note }} />
          {closer}
        </ActionForm>
        {cancel}
      </>
    );
  }
  const presets = snoozePresetDates(today);
  // Only the dates that move the reminder without losing a day are offered (db/reminders.ts
  // snoozeReminder refuses the rest): a reminder not yet due (and not snoozed) shows on its due
  // date at the earliest, so only a later date moves it; a deadline still to come is the latest.
  const notYetDue = r.showOn === r.dueOn && r.dueOn > today;
  const deadline = snoozeLimit(r);
  const limit = deadline && deadline >= today ? deadline : null;
  const movable = (day: string) => (!notYetDue || day > r.dueOn) && (!limit || day <= limit);
  // The deadline is the day it comes (or today): no date moves it.
  if (limit && limit <= (notYetDue ? r.dueOn : today)) {
    return (
      <>
        <p className="text-sm text-stone-700" data-testid="reminder-snooze-none">
          {t('snoozeNone', { date: formatDate(limit, locale) })}
        </p>
        {cancel}
      </>
    );
  }
  const presetOrder = (['tomorrow', 'next_workday', 'plus3'] as const)
    .filter((p, i, all) => i === 0 || presets[p] !== presets[all[i - 1]])
    .filter((p) => movable(presets[p]));
  const presetLabel = { tomorrow: 'snoozeTomorrow', next_workday: 'snoozeNextWorkday', plus3: 'snoozePlus3' } as const;
  const defaultUntil = [presets.plus3, addDaysIso(r.dueOn, 1), limit].find((day) => day && movable(day)) ?? '';
  return (
    <>
      {notYetDue && (
        <p className="text-sm text-stone-700" data-testid="reminder-snooze-not-due">
          {t('snoozeNotDue', { date: formatDate(r.dueOn, locale) })}
        </p>
      )}
      {limit && (
        <p className="text-sm text-stone-700" data-testid="reminder-snooze-limit">
          {t('snoozeLimit', { date: formatDate(limit, locale) })}
        </p>
      )}
      {presetOrder.length > 0 && (
        <ActionForm
          action={reminderSnoozeAction}
          hidden={hidden}
          submitLabel=""
          pendingLabel=""
          testId="reminder-snooze-presets"
          className="grid gap-2"
          submit={
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-sm text-stone-700">{t('snoozeTitle')}</span>
              {presetOrder.map((p) => (
                <PresetButton key={p} name="preset" value={p} label={t(presetLabel[p], { date: formatDate(presets[p], locale), weekday: formatWeekday(presets[p], locale, 'short') })} testId={`snooze-${p}`} />
              ))}
            </div>
          }
        >
          {closer}
        </ActionForm>
      )}
      <ActionForm
        action={reminderSnoozeAction}
        hidden={hidden}
        submitLabel={t('snoozeToDate')}
        pendingLabel={t('pending')}
        testId="reminder-snooze-date"
        className="grid gap-2 @md:grid-cols-[minmax(0,16rem)_auto] @md:items-end"
      >
        <TextField name="until" type="date" label={t('snoozeUntil')} defaultValue={defaultUntil} />
        {closer}
      </ActionForm>
      {cancel}
    </>
  );
}
