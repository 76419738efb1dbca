import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import { DueCountSync } from '@/app/_components/reminder-badge';
import type { ReminderRow } from '@/db/reminders';
import { newFormKey } from '@/lib/form-key';
import { reminderCreateAction, reminderReopenAction } from '@/app/reminders/actions';
import { ReminderFields } from '@/app/reminders/_components/reminder-fields';
import { ReminderItem, reminderText } from '@/app/reminders/_components/reminder-item';
import { reminderGroup } from '@/app/reminders/group';
import type { CaseView } from '@/lib/folds';
import { LazyFold } from './lazy-fold';
import { DateTimeIn, Section } from './parts';
import { ShowAllLink } from './show-all-link';

/**
 * Open reminders shown before "show all": a plan makes two per instalment, so a case can have dozens;
 * the soonest are what the page is for.
 */
const REMINDERS_SHOWN = 5;

/**
 * The case's own reminders: the open ones with the same actions as the inbox, the closed ones
 * folded (saying when a rule closed one because the case moved on), and a form to add one: the
 * borrower's own, or an advisor's for their client (it reaches the client like any reminder).
 */
export async function RemindersSection({
  rows,
  dueCount,
  viewerId,
  caseId,
  canAdd,
  addHint,
  client,
  today,
  view,
}: {
  /** The case's reminders (listCaseReminders), open and closed. */
  rows: ReminderRow[];
  /** The viewer's due reminders across their cases (countDueReminders), for the header's badge. */
  dueCount: number;
  viewerId: number;
  caseId: number;
  canAdd: boolean;
  /** Replaces the usual hint (an advisor's reminder goes to the client). */
  addHint?: string;
  /** An advisor's view: the client's name (their reminders are in the client's inbox, not the advisor's). */
  client?: string;
  today: string;
  view: CaseView;
}) {
  const t = await getTranslations('reminders');
  const locale = await getLocale();
  const tc = await getTranslations('case.reminders');
  const open = rows.filter((r) => r.status === 'open');
  const all = view.showsAll('reminders');
  const shown = all ? open : open.slice(0, REMINDERS_SHOWN);
  const closed = rows.filter((r) => r.status !== 'open');
  // The closed ones and the form are rendered when their fold is opened.
  const closedOpen = view.isOpen('closed-reminders');
  const formOpen = view.isOpen('reminder');
  const closedTexts = closedOpen ? await Promise.all(closed.map((r) => reminderText(r))) : [];

  return (
    <Section
      title={t('section.title')}
      id="reminders"
      testId="case-reminders"
      action={
        client ? undefined : (
          <Link href="/reminders" className="inline-flex min-h-10 items-center text-sm text-teal-800 underline underline-offset-2 print:hidden">
            {t('section.allLink')}
          </Link>
        )
      }
    >
      <DueCountSync count={dueCount} />
      {open.length === 0 ? (
        <p className="text-sm text-stone-600" data-testid="case-reminders-empty">
          {t('section.empty')}
        </p>
      ) : (
        <ul className="grid gap-2">
          {shown.map((r) => (
            <ReminderItem key={r.id} r={r} group={reminderGroup(r.showOn, today)} today={today} showCase={false} canAct={r.ownerId === viewerId} view={view} />
          ))}
        </ul>
      )}
      {open.length > REMINDERS_SHOWN && (
        <ShowAllLink href={view.allHref('reminders', !all)} shorten={all} testId="case-reminders-show-all" from={REMINDERS_SHOWN}>
          {all ? tc('showSoonest', { count: REMINDERS_SHOWN }) : tc('showAll', { count: open.length })}
        </ShowAllLink>
      )}
      {closed.length > 0 && (
        <LazyFold
          name="closed-reminders"
          summary={t('section.closed', { count: closed.length })}
          tone="quiet"
          testId="case-reminders-closed"
          open={closedOpen}
          href={view.openHref('closed-reminders')}
        >
          {closedOpen && (
            <ul className="grid gap-2">
              {closed.map((r, i) => (
                <li
                  key={r.id}
                  className="grid gap-1 rounded-md border border-stone-200 bg-white p-3 text-sm"
                  data-testid="reminder-closed"
                  data-id={r.id}
                  data-kind={r.kind}
                  data-status={r.status}
                  data-auto-closed={r.autoClosed ? '1' : undefined}
                >
                  <p className="wrap-anywhere text-stone-700 line-through decoration-stone-400">{closedTexts[i].title}</p>
                  <p className="flex flex-wrap items-center gap-x-2 text-xs text-stone-600">
                    <span className="rounded bg-stone-100 px-1.5 py-0.5 font-medium text-stone-700" data-testid="reminder-closed-status">
                      {r.autoClosed ? t('section.autoClosed') : r.status === 'done' ? t('section.statusDone') : t('section.statusDismissed')}
                    </span>
                    {r.closedAt && <DateTimeIn instant={r.closedAt} locale={locale} />}
                  </p>
                  {r.ownerId === viewerId && !r.autoClosed && (
                    <ActionForm
                      action={reminderReopenAction}
                      hidden={{ reminderId: r.id }}
                      submitLabel={t('actions.reopen')}
                      pendingLabel={t('actions.pending')}
                      className="contents"
                      testId="reminder-reopen"
                      submitClassName="inline-flex min-h-10 items-center justify-self-start rounded-md px-2 py-1 text-sm text-teal-800 hover:bg-stone-100"
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
        </LazyFold>
      )}
      {canAdd && (
        <LazyFold
          name="reminder"
          summary={t('section.add')}
          hint={formOpen ? (addHint ?? t('section.addHint')) : undefined}
          testId="add-reminder"
          open={formOpen}
          href={view.openHref('reminder')}
        >
          {formOpen && (
            <ActionForm
              action={reminderCreateAction}
              hidden={{ caseId, formKey: newFormKey() }}
              submitLabel={t('section.add')}
              pendingLabel={t('actions.pending')}
              testId="reminder-form"
            >
              <ReminderFields defaults={{ dueOn: today }} client={client} />
            </ActionForm>
          )}
        </LazyFold>
      )}
    </Section>
  );
}
