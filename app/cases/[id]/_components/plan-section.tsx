import { getLocale, getTranslations } from 'next-intl/server';
import { Fragment, type ReactNode } from 'react';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import { CheckboxField, MoneyField, TextArea, TextField } from '@/components/form/fields';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Money } from '@/components/ui/format';
import type { CaseDetail } from '@/db/cases';
import { isOpenStatus } from '@/lib/case-status';
import { daysBetween, formatDate } from '@/lib/dates';
import { fenToYuanInput, formatFen, recordedDebtFen } from '@/lib/money';
import { droppedByPlanEnd, owedFen, planExcessOverDebt, planProgress, planStages, scheduleChangedSinceTerms } from '@/lib/plan';
import { changeInstalmentAction, correctInstalmentPaymentAction, correctPlanTermsAction, markInstalmentPaidAction, payOffPlanAction, undoPlanEndAction } from '../actions';
import type { CaseView } from '@/lib/folds';
import { LazyFold } from './lazy-fold';
import { Section } from './parts';
import { ShowAllLink } from './show-all-link';
import { stageText } from './plan-stages';

/** A plan this long shows the instalments that matter now, and a link to all of them. */
const PLAN_SHORT_FROM = 13;
/** Upcoming instalments shown in a shortened plan. */
const UPCOMING_SHOWN = 3;

/** `text` with `part` (a date) kept on one line: on a phone "2026年9月25日" must not break as "2026年9月 / 25日". */
function unbroken(text: string, part: string): ReactNode {
  const at = text.indexOf(part);
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <span className="whitespace-nowrap">{part}</span>
      {text.slice(at + part.length)}
    </>
  );
}

/**
 * The agreed schedule: what is paid, what remains, and a "mark paid" form per open instalment.
 * A long plan (a 36-period one) shows every missed instalment, the last one paid and the next few,
 * with a link to the whole schedule (`?all=plan`).
 */
export async function PlanSection({ detail, today, canWrite, view }: { detail: CaseDetail; today: string; canWrite: boolean; view: CaseView }) {
  const { plan, instalments } = detail;
  if (!plan) return null;
  const t = await getTranslations('case.plan');
  const ta = await getTranslations('case.actions');
  const tc = await getTranslations('case');
  const tcommon = await getTranslations('common');
  // The approval the plan was made from: its terms are what a correction starts from.
  const agreed = detail.attempts.find((a) => a.id === plan.attemptId);
  const locale = await getLocale();
  const progress = planProgress(instalments);
  // What each instalment is, as stages: one amount for equal instalments, or the lender's stages
  // (12 × ¥500, then ¥856.26) once instalments were changed to its schedule. The agreed terms say
  // what was agreed at first; after such a change they are marked as that.
  const stages = planStages(instalments);
  const staged = stages.length > 1;
  const termsChanged = scheduleChangedSinceTerms(detail.events);
  const c = detail.case;
  const payable = canWrite && (c.status === 'approved' || c.status === 'repaying');
  // A payment recorded wrongly can be corrected while the plan stands, and after it was settled; not
  // on a plan the lender voided (a mediation settled after it closes the case as settled too).
  const correctable = payable || (canWrite && c.status === 'closed' && c.outcome === 'settled' && plan.voidedOn === null);
  // A closed case (withdrawn, or ended after an escalation) ended its plan too, as did the lender voiding
  // it: nothing left is urgent.
  const ended = !isOpenStatus(c.status) || plan.voidedOn !== null;
  const missed = ended ? 0 : instalments.filter((i) => !i.paidOn && i.dueOn < today).length;
  // What a payment left owing on an instalment: a part payment is not a paid instalment.
  const shortOf = (i: (typeof instalments)[number]) => (i.paidOn ? Math.max(0, i.amountFen - (i.paidFen ?? 0)) : 0);
  // The warning is for a rest still owed after its date: paid in part ahead of the date, the rest simply waits for it.
  const shortCount = ended ? 0 : instalments.filter((i) => shortOf(i) > 0 && i.dueOn < today).length;
  // More to repay than the debt recorded: worth a second look (a slip of the amount or the periods), never a refusal.
  const agreedWaivedFen = agreed?.agreedWaivedFen ?? 0;
  const excess = ended ? 0 : planExcessOverDebt(progress.totalFen, c, agreedWaivedFen);
  const pct = progress.totalFen > 0 ? Math.min(100, Math.round((progress.paidFen / progress.totalFen) * 100)) : 0;
  // The form goes where a payment is due: every missed instalment and the next one to come.
  // Later ones get theirs when their turn comes, which keeps a 36-period plan readable.
  const nextUpcoming = instalments.find((i) => !i.paidOn && i.dueOn >= today);
  // An instalment paid short takes a further payment, for the rest; a later one, when its form is
  // asked for (a reminder's "record this payment" link opens it).
  const canMark = (i: (typeof instalments)[number]) =>
    payable && (shortOf(i) > 0 || (!i.paidOn && (i.dueOn < today || i.id === nextUpcoming?.id || view.isOpen(`pay-${i.id}`))));
  // The first instalment still owed (unpaid, or paid short: its form for the rest stays open, with
  // what the payment left) is open once it is due; any other when asked for.
  const firstOwed = instalments.find((i) => !i.paidOn || shortOf(i) > 0);
  const payOpen = (i: (typeof instalments)[number]) => (i.id === firstOwed?.id && i.dueOn <= today) || view.isOpen(`pay-${i.id}`);
  // A plan paid off at once: its last instalment is the payoff, and the rest of what was owed was waived.
  const payoff = plan.paidOffOn ? instalments.at(-1) : undefined;
  const waivedFen = Math.max(0, (plan.paidOffOwedFen ?? 0) - (payoff?.paidFen ?? 0));
  // An early end recorded by mistake can be undone while nothing followed it (db/plans.ts undoPlanEnd):
  // the case still settled by the payoff, or still deciding after the void, and the end's event kept
  // the instalments it dropped.
  // What the plan's early end dropped, as its event kept it: the instalments still owed, as they were.
  const dropped = plan.paidOffOn !== null || plan.voidedOn !== null ? droppedByPlanEnd(detail.events) : null;
  const endUndoable =
    canWrite &&
    ((plan.paidOffOn !== null && c.status === 'closed' && c.outcome === 'settled') ||
      (plan.voidedOn !== null && c.status === 'rejected' && detail.currentAttempt?.id === plan.attemptId)) &&
    dropped !== null;
  // The end keeps what was paid as a short instalment's amount (db/attempts.ts dropOwedInstalments); the row
  // still says what was due, and what was missing when the plan ended: the borrower's record of it.
  const shortAtEnd = (i: (typeof instalments)[number]) => dropped?.find((r) => r.seq === i.seq && r.paidOn !== null && (r.paidFen ?? 0) < r.amountFen);
  const all = view.showsAll('plan');
  const shortened = !all && instalments.length >= PLAN_SHORT_FROM;
  const lastPaid = instalments.findLast((i) => i.paidOn);
  const upcoming = new Set(instalments.filter((i) => !i.paidOn && i.dueOn >= today).slice(0, UPCOMING_SHOWN).map((i) => i.id));
  const inShortPlan = (i: (typeof instalments)[number]) =>
    (!i.paidOn && i.dueOn < today) || shortOf(i) > 0 || upcoming.has(i.id) || i.id === lastPaid?.id || view.isOpen(`pay-${i.id}`);
  const rows = shortened ? instalments.filter(inShortPlan) : instalments;
  // In full: the first row the shortened plan leaves out, where the focus goes after "show all".
  const firstLeftOut = instalments.findIndex((i) => !inShortPlan(i));

  return (
    <Section title={t('title')} id="plan" testId="plan">
      {plan.paidOffOn && (
        <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="plan-paid-off" data-date={plan.paidOffOn}>
          {t(waivedFen > 0 ? 'paidOffWaived' : 'paidOff', {
            date: formatDate(plan.paidOffOn, locale),
            paid: formatFen(payoff?.paidFen ?? 0),
            owed: formatFen(plan.paidOffOwedFen ?? 0),
            waived: formatFen(waivedFen),
          })}
        </p>
      )}
      {plan.voidedOn && (
        <p className="rounded-md bg-stone-100 px-3 py-2 text-sm text-stone-800" data-testid="plan-voided" data-date={plan.voidedOn}>
          {t('voided', { date: formatDate(plan.voidedOn, locale) })}
          {dropped && dropped.length > 0 && (
            <>
              {' '}
              <span data-testid="plan-voided-owed">
                {t('voidedOwed', {
                  count: dropped.length,
                  range: dropped.length === 1 ? String(dropped[0]!.seq) : `${dropped[0]!.seq}–${dropped.at(-1)!.seq}`,
                  amount: formatFen(dropped.reduce((sum, r) => sum + r.amountFen - (r.paidFen ?? 0), 0)),
                })}
              </span>
            </>
          )}
        </p>
      )}
      {endUndoable && (
        <LazyFold name="undo-plan-end" summary={t(plan.paidOffOn ? 'undoPayOff' : 'undoVoid')} open={view.isOpen('undo-plan-end')} href={view.openHref('undo-plan-end')} testId="undo-plan-end" tone="danger">
          {view.isOpen('undo-plan-end') && (
            <ActionForm
              action={undoPlanEndAction}
              hidden={{ caseId: c.id, version: c.version }}
              submitLabel={t(plan.paidOffOn ? 'undoPayOff' : 'undoVoid')}
              pendingLabel={ta('pending')}
              testId="undo-plan-end-form"
              submit={
                <ConfirmButton
                  label={t(plan.paidOffOn ? 'undoPayOff' : 'undoVoid')}
                  question={t(plan.paidOffOn ? 'undoPayOffQuestion' : 'undoVoidQuestion')}
                  confirmLabel={t('undoPlanEndConfirm')}
                  cancelLabel={tc('confirm.cancel')}
                  pendingLabel={ta('pending')}
                />
              }
            >
              <p className="text-sm text-stone-600">{t(plan.paidOffOn ? 'undoPayOffHint' : 'undoVoidHint')}</p>
            </ActionForm>
          )}
        </LazyFold>
      )}
      {plan.paidOffOn ? (
        // Paid off at once: the terms agreed, what was paid in all, and what the lender waived.
        <dl className="grid grid-cols-3 gap-2 text-sm" data-testid="plan-paid-off-summary">
          <div>
            <dt className="text-xs text-stone-500">{t('agreedTerms')}</dt>
            <dd>{t('agreedTermsValue', { periods: plan.periods, monthly: formatFen(plan.monthlyFen) })}</dd>
            {termsChanged && (
              <dd className="text-xs text-stone-500" data-testid="plan-terms-changed">
                {t('agreedTermsChanged')}
              </dd>
            )}
          </div>
          <div>
            <dt className="text-xs text-stone-500">{t('paidInAll')}</dt>
            <dd className="font-medium text-emerald-800" data-testid="plan-paid"><Money fen={progress.paidFen} /></dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500">{t('waived')}</dt>
            <dd className="font-medium" data-testid="plan-waived"><Money fen={waivedFen} /></dd>
          </div>
        </dl>
      ) : (
        <dl className="grid grid-cols-3 gap-2 text-sm">
          <div>
            <dt className="text-xs text-stone-500">{t('periods')}</dt>
            <dd data-testid="plan-periods">{plan.periods}</dd>
          </div>
          {staged ? (
            // The lender's stages: too long for a third of the row.
            <div className="col-span-2">
              <dt className="text-xs text-stone-500">{t('amounts')}</dt>
              <dd data-testid="plan-stages" data-stages={stages.length}>
                {stages.map((stage, k) => (
                  <Fragment key={stage.fromSeq}>
                    {k > 0 && ' · '}
                    <span className="whitespace-nowrap">{stageText(stage, tcommon)}</span>
                  </Fragment>
                ))}
              </dd>
            </div>
          ) : (
            <div>
              <dt className="text-xs text-stone-500">{t('monthly')}</dt>
              <dd data-testid="plan-monthly"><Money fen={stages[0]?.amountFen ?? plan.monthlyFen} /></dd>
            </div>
          )}
          <div>
            <dt className="text-xs text-stone-500">{t('total')}</dt>
            <dd><Money fen={progress.totalFen} /></dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500">{t('paid')}</dt>
            <dd className="font-medium text-emerald-800" data-testid="plan-paid"><Money fen={progress.paidFen} /></dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500">{t('remaining')}</dt>
            <dd className="font-medium" data-testid="plan-remaining"><Money fen={progress.remainingFen} /></dd>
          </div>
          <div className={staged ? 'col-span-3' : undefined}>
            <dt className="text-xs text-stone-500">{t('progress', { paid: progress.paidCount, total: instalments.length })}</dt>
            <dd className="pt-1.5">
              <div className="h-2 overflow-hidden rounded-full bg-stone-200" role="presentation">
                <div className="h-full rounded-full bg-teal-600" style={{ width: `${pct}%` }} />
              </div>
            </dd>
          </div>
        </dl>
      )}
      {ended && progress.remainingCount > 0 && (
        <p className="rounded-md bg-stone-100 px-3 py-2 text-sm text-stone-700" data-testid="plan-ended">
          {t('endedWithCase')}
        </p>
      )}
      {missed > 0 && (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm font-medium text-red-800" data-testid="plan-missed">
          {t('missedWarning', { count: missed })}
        </p>
      )}
      {shortCount > 0 && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900" data-testid="plan-short">
          {t('shortWarning', { count: shortCount })}
        </p>
      )}
      {excess > 0 && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="plan-over-debt">
          {t(agreedWaivedFen > 0 ? 'overDebtWaivedWarning' : 'overDebtWarning', {
            plan: formatFen(progress.totalFen),
            debt: formatFen(recordedDebtFen(c) ?? 0),
            waived: formatFen(agreedWaivedFen),
            excess: formatFen(excess),
          })}
        </p>
      )}
      {canWrite && c.status === 'approved' && agreed && (
        <LazyFold
          name="fix-plan"
          summary={t('correctTerms')}
          open={view.isOpen('fix-plan')}
          href={view.openHref('fix-plan')}
          testId="correct-plan"
          tone="quiet"
        >
          {view.isOpen('fix-plan') && (
            <ActionForm
              action={correctPlanTermsAction}
              hidden={{ caseId: c.id, version: c.version }}
              submitLabel={t('correctTermsSubmit')}
              pendingLabel={ta('pending')}
              testId="correct-plan-form"
            >
              <p className="text-sm text-stone-600">{t('correctTermsHint')}</p>
              {termsChanged && (
                // The instalments were changed to the lender's own schedule since: remade from the terms, those changes go.
                <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="correct-terms-remakes">
                  {t('correctTermsRemakes')}
                </p>
              )}
              <div className="grid gap-3 sm:grid-cols-2">
                <TextField name="decidedOn" type="date" label={ta('decidedOn')} required defaultValue={agreed.decidedOn ?? today} />
                <TextField name="agreedPeriods" label={ta('agreedPeriods')} required inputMode="numeric" defaultValue={agreed.agreedPeriods ?? plan.periods} />
                <MoneyField name="agreedMonthly" label={ta('agreedMonthly')} required defaultValue={fenToYuanInput(agreed.agreedMonthlyFen ?? plan.monthlyFen)} />
                <TextField name="agreedFirstPaymentOn" type="date" label={ta('agreedFirstPaymentOn')} required defaultValue={agreed.agreedFirstPaymentOn ?? plan.firstDueOn} />
                <MoneyField name="agreedWaived" label={tc('optionalLabel', { label: ta('agreedWaived') })} defaultValue={fenToYuanInput(agreed.agreedWaivedFen)} />
              </div>
            </ActionForm>
          )}
        </LazyFold>
      )}
      {payable && progress.remainingFen > 0 && (
        <LazyFold name="pay-off" summary={t('payOff')} open={view.isOpen('pay-off')} href={view.openHref('pay-off')} testId="pay-off">
          {view.isOpen('pay-off') && (
            <ActionForm
              action={payOffPlanAction}
              hidden={{ caseId: c.id, version: c.version }}
              submitLabel={t('payOff')}
              pendingLabel={ta('pending')}
              testId="pay-off-form"
              submit={
                <ConfirmButton
                  label={t('payOff')}
                  question={t('payOffQuestion')}
                  confirmLabel={t('payOffConfirm')}
                  cancelLabel={tc('confirm.cancel')}
                  pendingLabel={ta('pending')}
                  tone="calm"
                  restate={[
                    { name: 'paidOn', label: t('payOffOn'), kind: 'date' },
                    { name: 'paid', label: t('payOffAmount'), kind: 'money' },
                  ]}
                />
              }
            >
              <p className="text-sm text-stone-600">{t('payOffHint')}</p>
              <div className="grid gap-3 sm:grid-cols-2">
                <TextField name="paidOn" type="date" label={t('payOffOn')} required defaultValue={today} />
                <MoneyField
                  name="paid"
                  label={t('payOffAmount')}
                  required
                  hint={t('payOffAmountHint', { amount: formatFen(progress.remainingFen) })}
                  defaultValue={fenToYuanInput(progress.remainingFen)}
                />
              </div>
              <TextArea name="note" label={tc('optionalLabel', { label: t('payOffNote') })} hint={t('payOffNoteHint')} rows={2} maxLength={1000} />
            </ActionForm>
          )}
        </LazyFold>
      )}
      <ol className="grid gap-2" data-testid="instalments">
        {rows.map((i, n) => {
          // The rows a shortened plan leaves out before one it lists are paid in full: it says so where they are.
          const after = n > 0 ? rows[n - 1]!.seq : 0;
          const gap = i.seq > after + 1 ? instalments.filter((g) => g.seq > after && g.seq < i.seq) : [];
          const state = i.paidOn ? 'paid' : ended ? 'unpaid' : i.dueOn < today ? 'overdue' : i.dueOn === today ? 'today' : 'upcoming';
          const dueDate = formatDate(i.dueOn, locale);
          const paidDate = i.paidOn ? formatDate(i.paidOn, locale) : '';
          // What a payment left owing, and how late it came.
          const shortFen = shortOf(i);
          const atEnd = shortAtEnd(i);
          const lateDays = i.paidOn ? daysBetween(i.dueOn, i.paidOn) : 0;
          // Lenders put money towards the oldest instalment owed: a payment meant to make one up
          // belongs there, and this one's form says so.
          const earlier = payOpen(i) ? instalments.find((e) => e.seq < i.seq && owedFen(e) > 0) : undefined;
          return (
            <Fragment key={i.id}>
              {gap.length > 0 && (
                <li className="px-3 text-sm text-stone-600" data-testid="plan-gap" data-count={gap.length}>
                  {t('gap', {
                    range: gap.length === 1 ? String(gap[0]!.seq) : `${gap[0]!.seq}–${gap.at(-1)!.seq}`,
                    count: gap.length,
                    late: gap.filter((g) => g.paidOn !== null && g.paidOn > g.dueOn).length,
                  })}
                </li>
              )}
              <li
                className={`grid gap-2 rounded-md border p-3 ${state === 'overdue' ? 'border-red-300 bg-red-50/40' : shortFen > 0 ? 'border-amber-300' : 'border-stone-200'}`}
                data-testid="instalment"
                data-instalment-id={i.id}
                data-seq={i.seq}
                data-state={state}
                data-due={i.dueOn}
                data-short={shortFen > 0 ? shortFen : undefined}
              >
                <div className="flex items-start justify-between gap-3">
                  <div className="min-w-0" id={`instalment-${i.id}-name`}>
                    <span className="font-medium">{i.id === payoff?.id ? t('payoffSeq') : t('seq', { seq: i.seq })}</span>
                    <span className="block text-sm text-stone-700">{unbroken(t('due', { date: dueDate }), dueDate)}</span>
                  </div>
                  <div className="min-w-0 text-right">
                    <Money fen={i.amountFen} className="font-medium" />
                    {!i.paidOn && (
                      <span
                        className={`block text-sm ${state === 'overdue' ? 'font-medium text-red-800' : state === 'today' ? 'font-medium text-amber-800' : 'text-stone-600'}`}
                      >
                        {t(state === 'overdue' ? 'overdue' : state === 'today' ? 'dueToday' : state === 'unpaid' ? 'notPaid' : 'upcoming')}
                      </span>
                    )}
                  </div>
                </div>
                {/* What was paid, on a line of its own: read at 14 px without breaking into a narrow column. */}
                {i.paidOn && (
                  <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-sm">
                    {/* Paid short is not done: no green tick, the rest owed said beside it. */}
                    <span className={shortFen > 0 ? 'text-amber-800' : 'text-emerald-800'} data-testid="instalment-paid">
                      <span aria-hidden>{shortFen > 0 ? '◐' : '✓'}</span> {unbroken(t('paidOn', { date: paidDate, amount: formatFen(i.paidFen ?? 0) }), paidDate)}
                    </span>
                    {shortFen > 0 &&
                      (i.dueOn >= today && !ended ? (
                        // Paid in part before its date: nothing is late yet, the rest is owed by the date.
                        <span className="font-medium text-stone-700" data-testid="instalment-short" data-early="true">
                          {t('restByDue', { amount: formatFen(shortFen) })}
                        </span>
                      ) : (
                        <span className="font-medium text-amber-800" data-testid="instalment-short">
                          {t('short', { amount: formatFen(shortFen) })}
                        </span>
                      ))}
                    {lateDays > 0 && (
                      <span className="font-medium text-amber-800" data-testid="instalment-late">
                        {t('paidLate', { days: lateDays })}
                      </span>
                    )}
                    {atEnd && (
                      <span className="font-medium text-amber-800" data-testid="instalment-short-at-end">
                        {t('shortAtEnd', { short: formatFen(atEnd.amountFen - (atEnd.paidFen ?? 0)), amount: formatFen(atEnd.amountFen) })}
                      </span>
                    )}
                  </p>
                )}
                {canMark(i) && (
                  <LazyFold
                    name={`pay-${i.id}`}
                    summary={shortFen > 0 ? t('topUp') : t('markPaid')}
                    open={payOpen(i)}
                    href={view.openHref(`pay-${i.id}`)}
                    testId="mark-paid"
                    describedBy={`instalment-${i.id}-name`}
                  >
                    {payOpen(i) && (
                      <ActionForm
                        action={markInstalmentPaidAction}
                        hidden={{ caseId: c.id, version: c.version, instalmentId: i.id }}
                        submitLabel={shortFen > 0 ? t('topUp') : t('markPaid')}
                        pendingLabel={ta('pending')}
                        testId="mark-paid-form"
                      >
                        {earlier && (
                          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="earlier-owed">
                            {t('earlierOwed', { seq: earlier.seq, amount: formatFen(owedFen(earlier)) })}{' '}
                            {/* Its own payment form, opened (in place of this one, unless this one is open by default). */}
                            <Link href={view.openHref(`pay-${earlier.id}`, [`pay-${i.id}`])} className="font-medium underline" data-testid="earlier-owed-link">
                              {t('earlierOwedLink', { seq: earlier.seq })}
                            </Link>
                          </p>
                        )}
                        <div className="grid gap-3 sm:grid-cols-2">
                          <TextField name="paidOn" type="date" label={t('paidOnLabel')} required defaultValue={today} />
                          <MoneyField name="paid" label={t('paidAmount')} required defaultValue={fenToYuanInput(shortFen > 0 ? shortFen : i.amountFen)} />
                        </div>
                      </ActionForm>
                    )}
                  </LazyFold>
                )}
                {payable && !i.paidOn && (
                  <LazyFold
                    name={`change-${i.id}`}
                    summary={t('change')}
                    open={view.isOpen(`change-${i.id}`)}
                    href={view.openHref(`change-${i.id}`)}
                    testId="change-instalment"
                    tone="quiet"
                    describedBy={`instalment-${i.id}-name`}
                  >
                    {view.isOpen(`change-${i.id}`) && (
                      <ActionForm
                        action={changeInstalmentAction}
                        hidden={{ caseId: c.id, version: c.version, instalmentId: i.id }}
                        submitLabel={t('changeSubmit')}
                        pendingLabel={ta('pending')}
                        testId="change-instalment-form"
                      >
                        <p className="text-sm text-stone-600">{t('changeHint')}</p>
                        <div className="grid gap-3 sm:grid-cols-2">
                          <TextField name="dueOn" type="date" label={t('changeDue')} required defaultValue={i.dueOn} />
                          <MoneyField name="amount" label={t('changeAmount')} required defaultValue={fenToYuanInput(i.amountFen)} />
                        </div>
                        {/* A staged plan in one save: the amount from this instalment on. Not for the last one unpaid. */}
                        {instalments.some((j) => j.seq > i.seq && !j.paidOn) && (
                          <div className="grid gap-1">
                            <CheckboxField name="laterToo" label={t('laterToo')} />
                            <p className="text-sm text-stone-600">{t('laterTooHint')}</p>
                          </div>
                        )}
                      </ActionForm>
                    )}
                  </LazyFold>
                )}
                {correctable && i.paidOn && (!payoff || i.id === payoff.id) && (
                  <LazyFold
                    name={`fix-${i.id}`}
                    summary={t('correct')}
                    open={view.isOpen(`fix-${i.id}`)}
                    href={view.openHref(`fix-${i.id}`)}
                    testId="correct-payment"
                    tone="quiet"
                    describedBy={`instalment-${i.id}-name`}
                  >
                    {view.isOpen(`fix-${i.id}`) && (
                      <ActionForm
                        action={correctInstalmentPaymentAction}
                        hidden={{ caseId: c.id, version: c.version, instalmentId: i.id }}
                        submitLabel={t('correctSubmit')}
                        pendingLabel={ta('pending')}
                        testId="correct-payment-form"
                      >
                        <p className="text-sm text-stone-600">{t(i.id === payoff?.id ? 'correctPayoffHint' : 'correctHint')}</p>
                        <div className="grid gap-3 sm:grid-cols-2">
                          <MoneyField name="paid" label={t('correctAmount')} required defaultValue={fenToYuanInput(i.paidFen ?? 0)} />
                          <TextField name="paidOn" type="date" label={t('correctDate')} defaultValue={i.paidOn} />
                        </div>
                      </ActionForm>
                    )}
                  </LazyFold>
                )}
              </li>
            </Fragment>
          );
        })}
      </ol>
      {instalments.length >= PLAN_SHORT_FROM && (
        <ShowAllLink href={view.allHref('plan', !all)} shorten={all} testId="plan-show-all" from={firstLeftOut}>
          {all ? t('showCurrent') : t('showAll', { count: instalments.length })}
        </ShowAllLink>
      )}
    </Section>
  );
}
