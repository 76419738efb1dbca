'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { flashSaved } from '@/app/_lib/flash';
import type { ActionState } from '@/components/form/state';
import { getCaseDetail, type CaseDetail } from '@/db/cases';
import type { Viewer } from '@/db/viewer';
import {
  approveAttempt,
  changeMaterialsDeadline,
  removeMaterialsRequest,
  closeEscalation,
  correctAttempt,
  decisionProblems,
  escalateCase,
  rejectAttempt,
  requestMaterials,
  sendMaterials,
  submitAttempt,
  undoAttempt,
  undoDecision,
  undoEscalationClose,
  undoWithdrawal,
  voidPlan,
  withdrawCase,
} from '@/db/attempts';
import { addContact, correctContact, deleteContact, recordPromiseOutcome } from '@/db/contacts';
import { addDocument, addSuggestedDocuments, attachDocumentFile, deleteDocument, setDocumentSensitive, setDocumentStatus } from '@/db/documents';
import { addCaseNote } from '@/db/notes';
import { changeInstalment, changeInstalmentAndLater, correctInstalmentPayment, correctPlanTerms, markInstalmentPaid, payOffPlan, undoPlanEnd } from '@/db/plans';
import { canTransition } from '@/lib/case-status';
import { isIsoDate } from '@/lib/dates';
import { APPLICATION_PROGRAMS } from '@/lib/domain';
import { DomainError } from '@/lib/errors';
import { formatFen, parseYuanToFen } from '@/lib/money';
import { owedBefore, paymentProblems } from '@/lib/plan';
import { outcomeBeforeContact, requestBeforeApplication } from '@/lib/record-order';
import {
  approveNewPlanSchema,
  approveSchema,
  changeInstalmentSchema,
  closeSchema,
  contactSchema,
  correctPaymentSchema,
  documentSchema,
  documentsChoiceSchema,
  documentStatusSchema,
  escalateSchema,
  formKey,
  idSchema,
  markPaidSchema,
  materialsDeadlineSchema,
  newContactSchema,
  payOffSchema,
  promiseOutcomeSchema,
  rejectSchema,
  requestMaterialsSchema,
  sendMaterialsSchema,
  submitAttemptSchema,
  versionSchema,
  voidPlanSchema,
} from '@/lib/validation';

/** Every form that changes the case's status carries the case and the version it was rendered from. */
const caseAndVersion = { caseId: idSchema, version: versionSchema };

async function saved(caseId: number, key: string, values?: Record<string, string | number>): Promise<ActionState> {
  revalidatePath(`/cases/${caseId}`);
  const t = await getTranslations('case.saved');
  const message = t(key, values);
  await flashSaved(message);
  return { status: 'ok', message, nonce: Date.now() };
}

/**
 * The case as its writer sees it, for the refusals said beside a form's own errors (formAction's
 * `alongside`); null when the form names no case. An advisor only reads a case, and the verb refuses
 * them anyway: their read would be logged as a visit to the client's case, for a form that changes nothing.
 */
function caseToCheck(viewer: Viewer, values: Record<string, string>): CaseDetail | null {
  const caseId = idSchema.safeParse(values.caseId);
  return caseId.success && viewer.role !== 'advisor' ? getCaseDetail(viewer, caseId.data) : null;
}

// --- attempts and the status machine --------------------------------------------------------

/** The first application, or a new round after a rejection: the verb picks the transition. */
export const submitAttemptAction = formAction(submitAttemptSchema.and(z.object(caseAndVersion)).and(documentsChoiceSchema), async (viewer, data) => {
  submitAttempt(viewer, data.caseId, data.version, data, data.documentIds);
  return saved(data.caseId, 'submitted');
});

/** What was recorded of the current application, corrected. */
export const correctAttemptAction = formAction(submitAttemptSchema.and(z.object(caseAndVersion)), async (viewer, data) => {
  correctAttempt(viewer, data.caseId, data.version, data);
  return saved(data.caseId, 'attemptCorrected');
});

/** A decision recorded by mistake, undone before anything followed it. */
export const undoDecisionAction = formAction(z.object(caseAndVersion), async (viewer, data) => {
  undoDecision(viewer, data.caseId, data.version);
  return saved(data.caseId, 'decisionUndone');
});

/** An application round recorded by mistake, taken back while it is still unanswered: the case is back where it was. */
export const undoAttemptAction = formAction(z.object(caseAndVersion), async (viewer, data) => {
  const status = undoAttempt(viewer, data.caseId, data.version);
  const d = await getTranslations('domain');
  return saved(data.caseId, 'attemptUndone', { status: d(`status.${status}`) });
});

/** The lender gave another deadline for the materials it asked for. */
export const changeMaterialsDeadlineAction = formAction(materialsDeadlineSchema.extend({ ...caseAndVersion, requestId: idSchema }), async (viewer, data) => {
  changeMaterialsDeadline(viewer, data.caseId, data.version, data.requestId, data.deadline);
  return saved(data.caseId, 'deadlineChanged');
});

/** A request for materials recorded by mistake, removed while still awaited. */
export const removeMaterialsRequestAction = formAction(z.object({ ...caseAndVersion, requestId: idSchema }), async (viewer, data) => {
  removeMaterialsRequest(viewer, data.caseId, data.version, data.requestId);
  return saved(data.caseId, 'requestRemoved');
});

/** A request for materials dated before the application went in (requestMaterials refuses it). */
function requestMaterialsAlongside(viewer: Viewer, values: Record<string, string>): DomainError[] {
  const detail = caseToCheck(viewer, values);
  const requestedOn = requestMaterialsSchema.shape.requestedOn.safeParse(values.requestedOn);
  if (!detail?.currentAttempt || !canTransition(detail.case.status, 'request_materials') || !requestedOn.success) return [];
  return [requestBeforeApplication(requestedOn.data, detail.currentAttempt.submittedOn)].filter((e) => e !== null);
}

export const requestMaterialsAction = formAction(
  z.object(caseAndVersion).and(requestMaterialsSchema),
  async (viewer, data) => {
    requestMaterials(viewer, data.caseId, data.version, data);
    return saved(data.caseId, 'materialsRequested');
  },
  { alongside: requestMaterialsAlongside },
);

export const sendMaterialsAction = formAction(sendMaterialsSchema, async (viewer, data) => {
  const { stillAwaited } = sendMaterials(viewer, data.caseId, data.version, data.sentOn, { requestIds: data.requestIds, documentIds: data.documentIds });
  return stillAwaited > 0 ? saved(data.caseId, 'materialsSentPartly', { count: stillAwaited }) : saved(data.caseId, 'materialsSent');
});

/**
 * What the case would refuse in a decision's form (a day before the application, a waiver over the
 * debt), read from the form as far as it can be: said with the form's own errors (formAction).
 */
function decisionAlongside(viewer: Viewer, values: Record<string, string>): DomainError[] {
  const caseId = idSchema.safeParse(values.caseId);
  if (!caseId.success) return [];
  const decidedOn = (values.decidedOn ?? '').trim();
  const waivedFen = values.agreedWaived ? parseYuanToFen(values.agreedWaived) : null;
  return decisionProblems(viewer, caseId.data, { decidedOn: isIsoDate(decidedOn) ? decidedOn : undefined, waivedFen: waivedFen ?? undefined });
}

export const approveAction = formAction(
  z.object(caseAndVersion).and(approveNewPlanSchema),
  async (viewer, data) => {
    approveAttempt(viewer, data.caseId, data.version, data);
    return saved(data.caseId, 'approved');
  },
  { alongside: decisionAlongside },
);

export const voidPlanAction = formAction(voidPlanSchema.extend(caseAndVersion), async (viewer, data) => {
  voidPlan(viewer, data.caseId, data.version, { voidedOn: data.voidedOn, note: data.note });
  return saved(data.caseId, 'planVoided');
});

export const rejectAction = formAction(
  rejectSchema.extend(caseAndVersion),
  async (viewer, data) => {
    rejectAttempt(viewer, data.caseId, data.version, data);
    return saved(data.caseId, 'rejected');
  },
  { alongside: decisionAlongside },
);

export const escalateAction = formAction(escalateSchema.extend(caseAndVersion).and(documentsChoiceSchema), async (viewer, data) => {
  escalateCase(viewer, data.caseId, data.version, data, data.documentIds);
  return saved(data.caseId, 'escalated');
});

export const closeEscalationAction = formAction(closeSchema.extend(caseAndVersion), async (viewer, data) => {
  closeEscalation(viewer, data.caseId, data.version, data.outcome, data.note);
  return saved(data.caseId, 'escalationClosed');
});

export const withdrawAction = formAction(
  z.object({ ...caseAndVersion, note: z.string().trim().max(1000, 'too_long').optional().transform((s) => s ?? '') }),
  async (viewer, data) => {
    withdrawCase(viewer, data.caseId, data.version, data.note);
    return saved(data.caseId, 'withdrawn');
  },
);

/** A withdrawal recorded by mistake, undone before anything followed it: the case is back where it was. */
export const undoWithdrawalAction = formAction(z.object(caseAndVersion), async (viewer, data) => {
  undoWithdrawal(viewer, data.caseId, data.version);
  return saved(data.caseId, 'withdrawalUndone');
});

/** The end of a mediation or complaint recorded by mistake, undone: the mediator or regulator is waited for again. */
export const undoEscalationCloseAction = formAction(z.object(caseAndVersion), async (viewer, data) => {
  undoEscalationClose(viewer, data.caseId, data.version);
  return saved(data.caseId, 'escalationCloseUndone');
});

// --- plan -----------------------------------------------------------------------------------

/**
 * What markInstalmentPaid would refuse at the payment's fields (lib/plan.ts paymentProblems), all of
 * them. Nothing for an instalment the verb refuses outright (paid, or the plan not running).
 */
function markPaidAlongside(viewer: Viewer, values: Record<string, string>): DomainError[] {
  const detail = caseToCheck(viewer, values);
  const instalmentId = idSchema.safeParse(values.instalmentId);
  const instalment = instalmentId.success ? detail?.instalments.find((i) => i.id === instalmentId.data) : undefined;
  const plan = detail?.plan;
  if (!detail || !plan || !instalment || (detail.case.status !== 'approved' && detail.case.status !== 'repaying')) return [];
  if (instalment.paidOn && (instalment.paidFen ?? 0) >= instalment.amountFen) return [];
  const paidOn = markPaidSchema.shape.paidOn.safeParse(values.paidOn);
  const paid = markPaidSchema.shape.paid.safeParse(values.paid);
  const agreedOn = detail.attempts.find((a) => a.id === plan.attemptId)?.decidedOn ?? null;
  const owedBeforeFen = owedBefore(detail.instalments, instalment.seq);
  return paymentProblems(instalment, { agreedOn, periods: plan.periods, owedBeforeFen }, { paidOn: paidOn.data, paid: paid.data });
}

export const markInstalmentPaidAction = formAction(
  markPaidSchema.extend({ ...caseAndVersion, instalmentId: idSchema }),
  async (viewer, data) => {
    const { shortFen } = markInstalmentPaid(viewer, data.caseId, data.version, data.instalmentId, { paidOn: data.paidOn, paid: data.paid });
    // A part payment is no paid instalment: the message says what it still owes.
    return shortFen > 0 ? saved(data.caseId, 'instalmentPaidShort', { amount: formatFen(shortFen) }) : saved(data.caseId, 'instalmentPaid');
  },
  { alongside: markPaidAlongside },
);

/** One instalment to the lender's schedule; with "later too", its amount for every later unpaid instalment as well. */
export const changeInstalmentAction = formAction(changeInstalmentSchema.extend({ ...caseAndVersion, instalmentId: idSchema }), async (viewer, data) => {
  const change = { dueOn: data.dueOn, amountFen: data.amount };
  if (data.laterToo) {
    changeInstalmentAndLater(viewer, data.caseId, data.version, data.instalmentId, change);
    return saved(data.caseId, 'instalmentsChanged');
  }
  changeInstalment(viewer, data.caseId, data.version, data.instalmentId, change);
  return saved(data.caseId, 'instalmentChanged');
});

export const payOffPlanAction = formAction(payOffSchema.extend(caseAndVersion), async (viewer, data) => {
  payOffPlan(viewer, data.caseId, data.version, { paidOn: data.paidOn, paid: data.paid, note: data.note });
  return saved(data.caseId, 'planPaidOff');
});

/** A plan's early end (voided by the lender, or paid off at once) recorded by mistake, undone. */
export const undoPlanEndAction = formAction(z.object(caseAndVersion), async (viewer, data) => {
  undoPlanEnd(viewer, data.caseId, data.version);
  return saved(data.caseId, 'planEndUndone');
});

export const correctInstalmentPaymentAction = formAction(
  correctPaymentSchema.and(z.object({ ...caseAndVersion, instalmentId: idSchema })),
  async (viewer, data) => {
    const paid = data.paid > 0 && data.paidOn ? { paidOn: data.paidOn, paidFen: data.paid } : null;
    correctInstalmentPayment(viewer, data.caseId, data.version, data.instalmentId, paid);
    return saved(data.caseId, paid ? 'paymentCorrected' : 'paymentUndone');
  },
);

/** The agreed terms corrected, before the first payment: the plan is made again from them. */
export const correctPlanTermsAction = formAction(
  z.object(caseAndVersion).and(approveSchema),
  async (viewer, data) => {
    correctPlanTerms(viewer, data.caseId, data.version, data);
    return saved(data.caseId, 'planCorrected');
  },
  { alongside: decisionAlongside },
);

// --- documents ------------------------------------------------------------------------------

/** The suggested documents; with `program`, those of a program the borrower means to apply for (before any application). */
export const addSuggestedDocumentsAction = formAction(z.object({ caseId: idSchema, program: z.enum(APPLICATION_PROGRAMS).optional() }), async (viewer, data) => {
  const n = addSuggestedDocuments(viewer, data.caseId, data.program);
  return saved(data.caseId, 'checklistAdded', { count: n });
});

export const addDocumentAction = formAction(documentSchema.extend({ caseId: idSchema, formKey }), async (viewer, data) => {
  addDocument(viewer, data.caseId, { kind: data.kind, note: data.note }, data.formKey);
  return saved(data.caseId, 'documentAdded');
});

export const setDocumentStatusAction = formAction(
  documentStatusSchema.extend({ caseId: idSchema, documentId: idSchema, from: documentStatusSchema.shape.status }),
  async (viewer, data) => {
    setDocumentStatus(viewer, data.caseId, data.documentId, data.status, data.from);
    return saved(data.caseId, 'documentStatus');
  },
);

/** The file a document's form was drawn with (its stored name, '' for none): see db/documents.ts. */
const shownFileSchema = z.string().max(64).optional();

/**
 * The file arrives in the form data; its type and size are checked from its bytes by the verb.
 * Problems with the file are shown next to the file field, and only there: the form's message
 * says what it says for any field in error (the same sentence twice read as two problems).
 */
export const uploadDocumentFileAction = formAction(
  z.object({ caseId: idSchema, documentId: idSchema, shownFile: shownFileSchema }),
  async (viewer, data, formData) => {
    const t = await getTranslations('errors');
    const file = formData.get('file');
    // A file input left empty still sends a part with no bytes and no file name (which the
    // multipart parser turns into the name "undefined").
    if (!(file instanceof File) || (file.size === 0 && (!file.name || file.name === 'undefined'))) {
      // The browser took out a file over the limit as it was chosen (FileSizeGuard), and says so.
      const why = formData.get('fileTooLarge') === '1' ? 'file_too_large' : 'file_required';
      return { status: 'error', message: t('check_fields'), fieldErrors: { file: t(why) }, nonce: Date.now() };
    }
    try {
      await attachDocumentFile(viewer, data.caseId, data.documentId, file, data.shownFile);
    } catch (e) {
      if (e instanceof DomainError && e.code.startsWith('file_') && t.has(e.code)) {
        return { status: 'error', message: t('check_fields'), fieldErrors: { file: t(e.code) }, nonce: Date.now() };
      }
      throw e;
    }
    return saved(data.caseId, 'documentUploaded');
  },
);

export const deleteDocumentAction = formAction(z.object({ caseId: idSchema, documentId: idSchema, shownFile: shownFileSchema }), async (viewer, data) => {
  deleteDocument(viewer, data.caseId, data.documentId, data.shownFile);
  return saved(data.caseId, 'documentDeleted');
});

// --- contacts -------------------------------------------------------------------------------

export const addContactAction = formAction(z.object({ caseId: idSchema, formKey }).and(newContactSchema), async (viewer, data) => {
  addContact(viewer, data.caseId, data, data.formKey);
  return saved(data.caseId, 'contactAdded');
});

/** What was recorded of a contact, corrected; its promise's chase follows. */
export const correctContactAction = formAction(z.object({ ...caseAndVersion, contactId: idSchema }).and(contactSchema), async (viewer, data) => {
  correctContact(viewer, data.caseId, data.version, data.contactId, data);
  return saved(data.caseId, 'contactCorrected');
});

/**
 * An outcome dated before the contact whose promise it answers (recordPromiseOutcome refuses it), also
 * while no outcome is chosen: only "back to awaited" takes no day.
 */
function promiseOutcomeAlongside(viewer: Viewer, values: Record<string, string>): DomainError[] {
  const detail = caseToCheck(viewer, values);
  const contactId = idSchema.safeParse(values.contactId);
  const contact = contactId.success ? detail?.contacts.find((c) => c.id === contactId.data) : undefined;
  const on = promiseOutcomeSchema.shape.on.safeParse(values.on);
  // Back to awaited takes no day; an outcome as recorded already, on its day, is refused before its day is looked at
  // (the same outcome on another day is a correction of its day, checked as a new one is).
  if (!contact?.promise || values.outcome === 'awaited' || !on.success || on.data === null) return [];
  if (values.outcome === contact.promiseOutcome && on.data === contact.promiseOutcomeOn) return [];
  return [outcomeBeforeContact(on.data, contact.occurredAt)].filter((e) => e !== null);
}

/** Whether the lender kept a contact's promise (or back to awaited); its chase closes, or opens again. */
export const recordPromiseOutcomeAction = formAction(
  z.object({ ...caseAndVersion, contactId: idSchema }).and(promiseOutcomeSchema),
  async (viewer, data) => {
    recordPromiseOutcome(viewer, data.caseId, data.version, data.contactId, data);
    return saved(data.caseId, `promise_${data.outcome}`);
  },
  { alongside: promiseOutcomeAlongside },
);

/** `stamp`: db/contacts.ts contactStamp of the contact as the page showed it (a correction made since is not deleted unseen). */
export const deleteContactAction = formAction(z.object({ caseId: idSchema, contactId: idSchema, stamp: z.string().max(64).optional() }), async (viewer, data) => {
  deleteContact(viewer, data.caseId, data.contactId, data.stamp);
  return saved(data.caseId, 'contactDeleted');
});

// --- notes and sensitive documents (sharing) ----------------------------------------------

/** A note on the timeline, by the borrower or by their advisor (whose note the borrower sees, marked as such). */
export const addCaseNoteAction = formAction(
  z.object({ caseId: idSchema, formKey, text: z.string().trim().min(1, 'required').max(2000, 'too_long') }),
  async (viewer, data) => {
    addCaseNote(viewer, data.caseId, data.text, data.formKey);
    revalidatePath(`/cases/${data.caseId}`);
    const message = (await getTranslations('sharing.notes'))('saved');
    await flashSaved(message);
    return { status: 'ok', message, nonce: Date.now() };
  },
);

/** The borrower marks a document sensitive ('1') or not ('0'): an advisor then needs separate consent to open it. */
export const setDocumentSensitiveAction = formAction(
  z.object({ caseId: idSchema, documentId: idSchema, sensitive: z.enum(['0', '1']) }),
  async (viewer, data) => {
    const on = data.sensitive === '1';
    setDocumentSensitive(viewer, data.caseId, data.documentId, on);
    revalidatePath(`/cases/${data.caseId}`);
    const message = (await getTranslations('sharing.caseView'))(on ? 'markedSensitive' : 'unmarkedSensitive');
    await flashSaved(message);
    return { status: 'ok', message, nonce: Date.now() };
  },
);
