import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { ActionForm } from '@/components/form/action-form';
import { CheckboxList, MoneyField, RadioGroup, SelectField, TextArea, TextField } from '@/components/form/fields';
import { ConfirmButton, type Restated } from '@/components/ui/confirm-button';
import type { CaseDetail } from '@/db/cases';
import { allowedTransitions, escalationCloseUndo, requestAwaited, withdrawalUndo, type CaseTransition } from '@/lib/case-status';
import { formatDate } from '@/lib/dates';
import { CASE_OUTCOMES, ESCALATION_ROUTES, RECEIVED_DOCUMENT_KINDS, REJECTION_REASONS } from '@/lib/domain';
import { fenToYuanInput } from '@/lib/money';
import {
  approveAction,
  closeEscalationAction,
  escalateAction,
  rejectAction,
  requestMaterialsAction,
  sendMaterialsAction,
  submitAttemptAction,
  undoEscalationCloseAction,
  undoWithdrawalAction,
  voidPlanAction,
  withdrawAction,
} from '../actions';
import type { CaseView } from '@/lib/folds';
import { ApplicationFields } from './application-fields';
import { LazyFold } from './lazy-fold';
import { Section } from './parts';

/**
 * The forms for the steps the status machine allows now, and only those. Each carries the case
 * and the version it was rendered from: a form left open in another tab is refused, not applied.
 * A step's form is rendered only when its fold is open (`?open=act-<step>`, or the primary step).
 */
export async function ActionPanel({ detail, today, locale, view }: { detail: CaseDetail; today: string; locale: string; view: CaseView }) {
  const t = await getTranslations('case.actions');
  const tc = await getTranslations('case');
  const d = await getTranslations('domain');
  const c = detail.case;
  const attempt = detail.currentAttempt;
  // A closed case offers no step, but a withdrawal or the end of a mediation recorded by mistake can be
  // undone while the case is still closed by it (db/attempts.ts undoWithdrawal, undoEscalationClose):
  // offered here, where it was recorded.
  const undoWithdrawal = withdrawalUndo(c, detail.events);
  const undoClose = escalationCloseUndo(c, detail.events) !== null;
  const transitions: CaseTransition[] = [
    ...allowedTransitions(c.status),
    ...(undoWithdrawal ? (['undo_withdraw'] as const) : []),
    ...(undoClose ? (['undo_close_escalation'] as const) : []),
  ];
  if (transitions.length === 0) return null;
  // Where the undo takes the case back to, said before it is confirmed.
  const backTo = undoWithdrawal ? { status: d(`status.${undoWithdrawal.from}`) } : { status: '' };

  const hidden = { caseId: c.id, version: c.version };
  const optional = (label: string) => tc('optionalLabel', { label });
  const choose = tc('choose');
  const opts = (codes: readonly string[], ns: string) => codes.map((v) => ({ value: v, label: d(`${ns}.${v}` as string) }));
  const grid = 'grid gap-3 sm:grid-cols-2';
  const awaited = detail.materialRequests.filter(requestAwaited);
  // The step the borrower most likely came to record is unfolded.
  // While materials are asked for, the lender may ask for more, or decide without them.
  const waiting = c.status === 'materials_requested';
  const primary: CaseTransition | null = c.status === 'preparing' ? 'submit' : waiting ? 'send_materials' : null;

  // Built only for the folds that are open: a closed fold sends none of its form.
  const forms: Partial<Record<CaseTransition, () => ReactNode>> = {};
  // The ready documents on the checklist go with an application or with materials: the form lists
  // them, all ticked, so that one kept back can be left out. What the lender gave back is kept, not sent.
  const ready = detail.documents.filter((doc) => doc.status === 'ready' && !RECEIVED_DOCUMENT_KINDS.includes(doc.kind));
  const readyDocuments = (label: string) =>
    ready.length > 0 && (
      <CheckboxList
        name="documents"
        prefix="document-"
        listed="documentsListed"
        label={label}
        hint={t('sentDocumentsHint')}
        options={ready.map((doc) => ({ value: doc.id, label: documentLabel(d(`documentKind.${doc.kind}`), doc.note) }))}
      />
    );
  const submitForm = (reapply: boolean) => (
    <ActionForm action={submitAttemptAction} hidden={hidden} submitLabel={t(reapply ? 'reapply' : 'submit')} pendingLabel={t('pending')} testId="form-submit">
      <ApplicationFields today={today} program={reapply ? undefined : (attempt?.program ?? undefined)} />
      {readyDocuments(t('submittedDocuments'))}
    </ActionForm>
  );

  forms.submit = () => submitForm(false);
  forms.reapply = () => submitForm(true);

  forms.request_materials = () => (
    <ActionForm action={requestMaterialsAction} hidden={hidden} submitLabel={t('requestMaterials')} pendingLabel={t('pending')} testId="form-request-materials">
      {/* Asked again: what is recorded already, so that this blank form reads as a further request, not a lost one. */}
      {waiting && awaited.length > 0 && (
        <ul className="grid gap-1 rounded-md bg-stone-100 px-3 py-2 text-sm text-stone-800" data-testid="requests-recorded">
          <li className="text-xs text-stone-600">{t('requestsRecorded')}</li>
          {awaited.map((r) => (
            <li key={r.id}>{t('openRequest', { what: r.what, date: formatDate(r.deadline, locale) })}</li>
          ))}
        </ul>
      )}
      <TextArea name="what" label={t('what')} required rows={2} maxLength={500} placeholder={t('whatPlaceholder')} />
      <div className={grid}>
        <TextField name="requestedOn" type="date" label={t('requestedOn')} required defaultValue={today} />
        <TextField name="deadline" type="date" label={optional(t('deadline'))} hint={t('deadlineHint')} />
      </div>
    </ActionForm>
  );

  // Several requests awaited, or documents ready: the form asks which went (all, unless unticked).
  forms.send_materials = () => (
    <ActionForm action={sendMaterialsAction} hidden={hidden} submitLabel={t('sendMaterials')} pendingLabel={t('pending')} testId="form-send-materials">
      {awaited.length === 1 && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t('openRequest', { what: awaited[0]!.what, date: formatDate(awaited[0]!.deadline, locale) })}
        </p>
      )}
      {awaited.length > 1 && (
        <CheckboxList
          name="requests"
          prefix="request-"
          listed="requestsListed"
          label={t('sentRequests')}
          hint={t('sentRequestsHint')}
          options={awaited.map((r) => ({ value: r.id, label: t('openRequest', { what: r.what, date: formatDate(r.deadline, locale) }) }))}
        />
      )}
      {readyDocuments(t('sentDocuments'))}
      <TextField name="sentOn" type="date" label={t('sentOn')} required defaultValue={today} className="grid gap-1 sm:max-w-xs" />
    </ActionForm>
  );

  forms.approve = () => (
    <ActionForm action={approveAction} hidden={hidden} submitLabel={t('approve')} pendingLabel={t('pending')} testId="form-approve">
      <div className={grid}>
        <TextField name="decidedOn" type="date" label={t('decidedOn')} required defaultValue={today} />
        <TextField name="agreedPeriods" label={t('agreedPeriods')} required inputMode="numeric" defaultValue={attempt?.proposedPeriods} />
        <MoneyField name="agreedMonthly" label={t('agreedMonthly')} required defaultValue={fenToYuanInput(attempt?.proposedMonthlyFen)} />
        <TextField name="agreedFirstPaymentOn" type="date" label={t('agreedFirstPaymentOn')} required defaultValue={attempt?.proposedFirstPaymentOn} />
        <MoneyField name="agreedWaived" label={optional(t('agreedWaived'))} defaultValue={fenToYuanInput(attempt?.proposedWaivedFen)} />
        <TextField name="paidPeriods" label={optional(t('paidPeriods'))} hint={t('paidPeriodsHint')} inputMode="numeric" />
      </div>
    </ActionForm>
  );

  forms.reject = () => (
    <ActionForm action={rejectAction} hidden={hidden} submitLabel={t('reject')} pendingLabel={t('pending')} testId="form-reject">
      <div className={grid}>
        <TextField name="decidedOn" type="date" label={t('decidedOn')} required defaultValue={today} />
        <SelectField name="rejectionReason" label={t('rejectionReason')} required placeholder={choose} options={opts(REJECTION_REASONS, 'rejectionReason')} />
      </div>
      {/* Optional, except for "other": then the lender's words are the reason (lib/validation.ts rejectSchema), as the label says. */}
      <TextArea name="rejectionText" label={t('rejectionText')} hint={t('rejectionTextHint')} rows={3} maxLength={1000} />
    </ActionForm>
  );

  forms.escalate = () => (
    <ActionForm action={escalateAction} hidden={hidden} submitLabel={t('escalate')} pendingLabel={t('pending')} testId="form-escalate">
      <RadioGroup
        name="route"
        label={t('route')}
        required
        options={ESCALATION_ROUTES.map((r) => ({
          value: r,
          label: d(`program.${r}`),
          hint: t(r === 'mediation' ? 'routeMediationHint' : 'routeComplaintHint'),
        }))}
      />
      <div className={grid}>
        <TextField name="submittedOn" type="date" label={t('escalatedOn')} required defaultValue={today} />
        <TextField name="lenderRef" label={optional(t('escalationRef'))} maxLength={60} autoComplete="off" />
      </div>
      {readyDocuments(t('escalationDocuments'))}
    </ActionForm>
  );

  forms.close_escalation = () => (
    <ActionForm action={closeEscalationAction} hidden={hidden} submitLabel={t('closeEscalation')} pendingLabel={t('pending')} testId="form-close-escalation">
      <p className="text-sm text-stone-600">{t('closeAdvice')}</p>
      <SelectField name="outcome" label={t('closeOutcome')} required placeholder={choose} options={opts(CASE_OUTCOMES, 'outcome')} className="grid gap-1 sm:max-w-xs" />
      <TextArea name="note" label={optional(t('closeNote'))} rows={2} maxLength={1000} />
    </ActionForm>
  );

  // A step that cannot be taken back asks once more before it is sent.
  const confirmed = (label: string, question: string, confirmLabel: string, restate?: Restated[]) => (
    <ConfirmButton label={label} question={question} confirmLabel={confirmLabel} cancelLabel={tc('confirm.cancel')} pendingLabel={t('pending')} restate={restate} />
  );

  forms.void_plan = () => (
    <ActionForm
      action={voidPlanAction}
      hidden={hidden}
      submitLabel={t('voidPlan')}
      pendingLabel={t('pending')}
      testId="form-void-plan"
      submit={confirmed(t('voidPlan'), t('voidPlanQuestion'), t('voidPlanConfirm'), [{ name: 'voidedOn', label: t('voidedOn'), kind: 'date' }])}
    >
      <TextField name="voidedOn" type="date" label={t('voidedOn')} required defaultValue={today} className="grid gap-1 sm:max-w-xs" />
      <TextArea name="note" label={optional(t('voidNote'))} hint={t('voidNoteHint')} rows={2} maxLength={1000} />
    </ActionForm>
  );

  forms.withdraw = () => (
    <ActionForm
      action={withdrawAction}
      hidden={hidden}
      submitLabel={t('withdraw')}
      pendingLabel={t('pending')}
      testId="form-withdraw"
      submit={confirmed(t('withdraw'), t('withdrawQuestion'), t('withdrawConfirm'))}
    >
      <TextArea name="note" label={optional(t('withdrawNote'))} rows={2} maxLength={1000} />
    </ActionForm>
  );

  // Undoing what closed the case: a form of nothing but the question it asks first.
  const undoForm = (action: typeof undoWithdrawalAction, testId: string, label: string, question: string, confirmLabel: string) => (
    <ActionForm action={action} hidden={hidden} submitLabel={label} pendingLabel={t('pending')} testId={testId} submit={confirmed(label, question, confirmLabel)} />
  );
  forms.undo_withdraw = () =>
    undoForm(undoWithdrawalAction, 'form-undo-withdraw', t('undoWithdraw'), t('undoWithdrawQuestion', backTo), t('undoWithdrawConfirm'));
  forms.undo_close_escalation = () =>
    undoForm(undoEscalationCloseAction, 'form-undo-close-escalation', t('undoCloseEscalation'), t('undoCloseEscalationQuestion'), t('undoCloseEscalationConfirm'));

  const hints: Partial<Record<CaseTransition, string>> = {
    submit: t('submitHint'),
    reapply: t('reapplyHint'),
    request_materials: t(waiting ? 'requestMoreMaterialsHint' : 'requestMaterialsHint'),
    send_materials: t('sendMaterialsHint'),
    approve: waiting ? `${t('approveHint')} ${t('decidedWithoutMaterialsHint')}` : t('approveHint'),
    reject: waiting ? `${t('rejectHint')} ${t('decidedWithoutMaterialsHint')}` : t('rejectHint'),
    escalate: t('escalateHint'),
    close_escalation: t('closeEscalationHint'),
    void_plan: t('voidPlanHint'),
    withdraw: t('withdrawHint'),
    undo_withdraw: t('undoWithdrawHint', backTo),
    undo_close_escalation: t('undoCloseEscalationHint'),
  };

  return (
    <Section title={t('title')} id="actions" testId="action-panel" className="print:hidden">
      <p className="text-sm text-stone-600">{t('hint')}</p>
      <div className="grid gap-2">
        {(primary ? [primary, ...transitions.filter((tr) => tr !== primary)] : transitions).map((tr) => {
          const name = `act-${tr.replace(/_/g, '-')}`;
          const open = tr === primary || view.isOpen(name);
          return (
            <LazyFold
              // A new status, new forms: the step that moved the case does not leave its "saved" in the
              // next step's form at the same place (materials asked for, then "the lender asks for more").
              // What it said shows as the page's saved flash instead (lib/flash.ts).
              key={`${c.status}:${tr}`}
              name={name}
              summary={waiting && tr === 'request_materials' ? t('requestMoreMaterials') : d(`transition.${tr}`)}
              hint={open ? hints[tr] : undefined}
              open={open}
              href={view.openHref(name)}
              testId={`action-${tr}`}
              tone={tr === 'withdraw' ? 'quiet' : tr === 'undo_withdraw' || tr === 'undo_close_escalation' ? 'danger' : 'default'}
            >
              {open ? forms[tr]?.() : undefined}
            </LazyFold>
          );
        })}
      </div>
    </Section>
  );
}

/** A checklist document as the send form lists it: its kind, and the start of the borrower's note on it. */
function documentLabel(kind: string, note: string): string {
  const line = note.trim().split('\n')[0]!;
  if (!line) return kind;
  return `${kind} · ${line.length > 40 ? `${line.slice(0, 40)}…` : line}`;
}
