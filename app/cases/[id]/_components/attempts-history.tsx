import { getLocale, getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import type { CaseDetail } from '@/db/cases';
import { isOpenStatus, requestAwaited } from '@/lib/case-status';
import { formatDate } from '@/lib/dates';
import type { CaseView } from '@/lib/folds';
import { formatFen } from '@/lib/money';
import { scheduleChangedSinceTerms } from '@/lib/plan';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { changeMaterialsDeadlineAction, correctAttemptAction, removeMaterialsRequestAction, undoAttemptAction, undoDecisionAction } from '../actions';
import { ApplicationFields } from './application-fields';
import { LazyFold } from './lazy-fold';
import { DateIn, Fact, Section } from './parts';

type Terms = { periods: number | null; monthlyFen: number | null; firstOn: string | null; waivedFen: number | null };

/** "6 期 · 每期 ¥1,000.00 · 首期 2025年11月1日 · 减免 ¥200.00", or null when nothing was given. */
async function termsText(terms: Terms): Promise<string | null> {
  const t = await getTranslations('case.attempts.terms');
  const locale = await getLocale();
  const parts: string[] = [];
  if (terms.periods) parts.push(t('periods', { count: terms.periods }));
  if (terms.monthlyFen) parts.push(t('monthly', { amount: formatFen(terms.monthlyFen) }));
  if (terms.firstOn) parts.push(t('first', { date: formatDate(terms.firstOn, locale) }));
  if (terms.waivedFen) parts.push(t('waived', { amount: formatFen(terms.waivedFen) }));
  return parts.length ? parts.join(' · ') : null;
}

/** A round before a mediator or the regulator, not the lender (db/attempts.ts escalateCase). */
const escalation = (a: { channel: string }) => a.channel === 'mediator' || a.channel === 'regulator';

const DECISION_TONE = {
  approved: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  rejected: 'bg-red-50 text-red-800 ring-red-300',
  pending: 'bg-sky-50 text-sky-800 ring-sky-300',
  ended: 'bg-stone-100 text-stone-600 ring-stone-300',
  withdrawn: 'bg-stone-100 text-stone-600 ring-stone-300',
} as const;

/**
 * Every round of the negotiation, the newest first: what was asked, what the lender said. The owner
 * of an open case can correct the record of the latest application, undo it while it is unanswered,
 * and move the deadline of materials still to send.
 */
export async function AttemptsHistory({ detail, canWrite, today, view }: { detail: CaseDetail; canWrite: boolean; today: string; view: CaseView }) {
  const t = await getTranslations('case.attempts');
  const ta = await getTranslations('case.actions');
  const tc = await getTranslations('case');
  const c = detail.case;
  const editable = canWrite && isOpenStatus(c.status);
  const hidden = { caseId: c.id, version: c.version };
  const latest = detail.attempts.at(-1);
  const d = await getTranslations('domain');
  const locale = await getLocale();
  const formatDateSync = (date: string) => formatDate(date, locale);
  const rounds = [...detail.attempts].reverse();
  // The current plan's instalments changed to the lender's schedule after it was made: its round's
  // agreed terms are what was agreed at first, no longer what the plan is.
  const changedPlanAttempt = detail.plan && scheduleChangedSinceTerms(detail.events) ? detail.plan.attemptId : null;
  return (
    <Section title={t('title')} id="attempts" testId="attempts">
      {rounds.length === 0 ? (
        <p className="text-sm text-stone-600">{t('empty')}</p>
      ) : (
        <ol className="grid gap-3">
          {await Promise.all(
            rounds.map(async (a) => {
              // A round still unanswered when the case was withdrawn (or closed otherwise) waits for nothing any more.
              const closedUnanswered = c.status === 'closed' && a.id === latest?.id;
              const decision = a.decision ?? (a.decidedOn ? 'ended' : closedUnanswered ? (c.outcome === 'withdrawn' ? 'withdrawn' : 'ended') : 'pending');
              const proposed = await termsText({
                periods: a.proposedPeriods,
                monthlyFen: a.proposedMonthlyFen,
                firstOn: a.proposedFirstPaymentOn,
                waivedFen: a.proposedWaivedFen,
              });
              const agreed = await termsText({
                periods: a.agreedPeriods,
                monthlyFen: a.agreedMonthlyFen,
                firstOn: a.agreedFirstPaymentOn,
                waivedFen: a.agreedWaivedFen,
              });
              const requests = detail.materialRequests.filter((m) => m.attemptId === a.id);
              return (
                <li key={a.id} className="grid gap-2 rounded-md border border-stone-200 p-3" data-testid="attempt" data-round={a.round}>
                  <div className="flex flex-wrap items-center gap-2">
                    <h3 className="font-medium">
                      {t('round', { round: a.round })} · {d(`program.${a.program}`)}
                    </h3>
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${DECISION_TONE[decision]}`}
                      data-testid="attempt-decision"
                      data-decision={decision}
                    >
                      {t(`decision.${decision}`)}
                    </span>
                  </div>
                  <dl className="grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3">
                    <Fact label={t('channel')}>{d(`channel.${a.channel}`)}</Fact>
                    <Fact label={t('submittedOn')}>
                      <DateIn date={a.submittedOn} locale={locale} />
                    </Fact>
                    {a.lenderRef && <Fact label={t('lenderRef')}><span className="break-all">{a.lenderRef}</span></Fact>}
                    {a.decidedOn && (
                      <Fact label={t('decidedOn')}>
                        <DateIn date={a.decidedOn} locale={locale} />
                      </Fact>
                    )}
                    {proposed && <Fact label={t('proposed')} className="col-span-2 sm:col-span-3">{proposed}</Fact>}
                    {agreed && (
                      <Fact label={t('agreed')} className="col-span-2 sm:col-span-3">
                        <span data-testid="attempt-agreed">{agreed}</span>
                        {a.id === changedPlanAttempt && (
                          <span className="block text-xs text-stone-500" data-testid="attempt-agreed-changed">
                            {t('agreedChanged')}
                          </span>
                        )}
                      </Fact>
                    )}
                    {a.rejectionReason && (
                      <Fact label={t('reason')} className="col-span-2 sm:col-span-3">
                        <span data-testid="attempt-reason">{d(`rejectionReason.${a.rejectionReason}`)}</span>
                      </Fact>
                    )}
                    {a.rejectionText && (
                      <Fact label={t('lenderWords')} className="col-span-2 sm:col-span-3">
                        <blockquote className="border-l-4 border-stone-300 pl-3 whitespace-pre-line wrap-anywhere">{a.rejectionText}</blockquote>
                      </Fact>
                    )}
                  </dl>
                  {editable && a.id === latest?.id && !escalation(a) && (
                    <LazyFold name="fix-attempt" summary={t('correct')} open={view.isOpen('fix-attempt')} href={view.openHref('fix-attempt')} testId="correct-attempt" tone="quiet">
                      {view.isOpen('fix-attempt') && (
                        <ActionForm action={correctAttemptAction} hidden={hidden} submitLabel={t('correctSubmit')} pendingLabel={ta('pending')} testId="correct-attempt-form">
                          <p className="text-sm text-stone-600">{t('correctHint')}</p>
                          <ApplicationFields today={today} recorded={a} />
                        </ActionForm>
                      )}
                    </LazyFold>
                  )}
                  {canWrite && a.id === latest?.id && a.decision && (c.status === 'approved' || c.status === 'rejected') && !(detail.plan?.attemptId === a.id && detail.plan.voidedOn) && (
                    <LazyFold name="undo-decision" summary={t('undoDecision')} open={view.isOpen('undo-decision')} href={view.openHref('undo-decision')} testId="undo-decision" tone="danger">
                      {view.isOpen('undo-decision') && (
                        <ActionForm
                          action={undoDecisionAction}
                          hidden={hidden}
                          submitLabel={t('undoDecision')}
                          pendingLabel={ta('pending')}
                          testId="undo-decision-form"
                          submit={
                            <ConfirmButton
                              label={t('undoDecision')}
                              question={t('undoDecisionConfirm')}
                              confirmLabel={t('undoDecisionYes')}
                              cancelLabel={tc('confirm.cancel')}
                              pendingLabel={ta('pending')}
                            />
                          }
                        >
                          <p className="text-sm text-stone-600">{t('undoDecisionHint')}</p>
                        </ActionForm>
                      )}
                    </LazyFold>
                  )}
                  {canWrite && a.id === latest?.id && !a.decision && !a.decidedOn && (c.status === 'under_review' || c.status === 'escalated') && requests.length === 0 && (
                    // Named by the round: the fold left open in the URL does not open on the round applied for next.
                    <LazyFold
                      name={`undo-attempt-${a.id}`}
                      summary={t(escalation(a) ? 'undoEscalation' : 'undoAttempt')}
                      open={view.isOpen(`undo-attempt-${a.id}`)}
                      href={view.openHref(`undo-attempt-${a.id}`)}
                      testId="undo-attempt"
                      tone="danger"
                    >
                      {view.isOpen(`undo-attempt-${a.id}`) && (
                        <ActionForm
                          action={undoAttemptAction}
                          hidden={hidden}
                          submitLabel={t(escalation(a) ? 'undoEscalation' : 'undoAttempt')}
                          pendingLabel={ta('pending')}
                          testId="undo-attempt-form"
                          submit={
                            <ConfirmButton
                              label={t(escalation(a) ? 'undoEscalation' : 'undoAttempt')}
                              question={t('undoAttemptConfirm', { round: a.round })}
                              confirmLabel={t('undoAttemptYes')}
                              cancelLabel={tc('confirm.cancel')}
                              pendingLabel={ta('pending')}
                            />
                          }
                        >
                          {/* Back to the rejection it followed, or to preparing for a first application (db/attempts.ts undoAttempt). */}
                          <p className="text-sm text-stone-600">
                            {t(escalation(a) ? 'undoEscalationHint' : 'undoAttemptHint', { round: a.round, status: d(`status.${a.round > 1 ? 'rejected' : 'preparing'}`) })}
                          </p>
                        </ActionForm>
                      )}
                    </LazyFold>
                  )}
                  {requests.length > 0 && (
                    <div className="grid gap-1">
                      <h4 className="text-xs text-stone-500">{t('materials')}</h4>
                      <ul className="grid gap-1">
                        {requests.map((m) => (
                          <li key={m.id} className="rounded-md bg-stone-50 px-2 py-1 text-sm" data-testid="material-request">
                            <span className="wrap-anywhere">{m.what}</span>
                            <span className="block text-xs text-stone-600">
                              {t('requestedOn', { date: formatDateSync(m.requestedOn) })} · {t('deadline', { date: formatDateSync(m.deadline) })} ·{' '}
                              {m.sentOn ? (
                                <span className="text-emerald-700">{t('sentOn', { date: formatDateSync(m.sentOn) })}</span>
                              ) : m.closedOn ? (
                                <span className="text-stone-600" data-testid="material-overtaken">
                                  {t('overtaken', { date: formatDateSync(m.closedOn) })}
                                </span>
                              ) : (
                                <span className="text-amber-800">{t('notSent')}</span>
                              )}
                            </span>
                            {editable && requestAwaited(m) && (
                              <LazyFold
                                name={`deadline-${m.id}`}
                                summary={t('changeDeadline')}
                                open={view.isOpen(`deadline-${m.id}`)}
                                href={view.openHref(`deadline-${m.id}`)}
                                testId="change-deadline"
                                tone="quiet"
                              >
                                {view.isOpen(`deadline-${m.id}`) && (
                                  <ActionForm
                                    action={changeMaterialsDeadlineAction}
                                    hidden={{ ...hidden, requestId: m.id }}
                                    submitLabel={t('changeDeadlineSubmit')}
                                    pendingLabel={ta('pending')}
                                    testId="change-deadline-form"
                                  >
                                    <TextField name="deadline" type="date" label={t('newDeadline')} hint={t('changeDeadlineHint')} required defaultValue={m.deadline} className="grid gap-1 sm:max-w-xs" />
                                  </ActionForm>
                                )}
                              </LazyFold>
                            )}
                            {editable && requestAwaited(m) && (
                              <LazyFold
                                name={`remove-request-${m.id}`}
                                summary={t('removeRequest')}
                                open={view.isOpen(`remove-request-${m.id}`)}
                                href={view.openHref(`remove-request-${m.id}`)}
                                testId="remove-request"
                                tone="danger"
                              >
                                {view.isOpen(`remove-request-${m.id}`) && (
                                  <ActionForm
                                    action={removeMaterialsRequestAction}
                                    hidden={{ ...hidden, requestId: m.id }}
                                    submitLabel={t('removeRequest')}
                                    pendingLabel={ta('pending')}
                                    testId="remove-request-form"
                                    submit={
                                      <ConfirmButton
                                        label={t('removeRequest')}
                                        question={t('removeRequestConfirm')}
                                        confirmLabel={t('removeRequestYes')}
                                        cancelLabel={tc('confirm.cancel')}
                                        pendingLabel={ta('pending')}
                                      />
                                    }
                                  >
                                    <p className="text-sm text-stone-600">{t('removeRequestHint')}</p>
                                  </ActionForm>
                                )}
                              </LazyFold>
                            )}
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                </li>
              );
            }),
          )}
        </ol>
      )}
    </Section>
  );
}
