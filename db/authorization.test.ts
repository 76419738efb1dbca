import { asc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { lenderFingerprint } from '@/lib/lender-curation';
import { recordedDebtFen } from '@/lib/money';
import {
  advanceCase,
  approveInput,
  caseInput,
  caseRow,
  contactInput,
  fileOf,
  makeAdmin,
  makeAdvisor,
  makeBorrower,
  makeCase,
  materialsInput,
  pngBytes,
  snapshotCases,
  storedFiles,
  submitInput,
  versionOf,
  rejectInput,
  escalateInput,
  publicLenderInput,
  reminderStampOf,
} from '@/tests/factories';
import * as accountModule from './account';
import * as adminModule from './admin';
import * as advisorModule from './advisor';
import * as attemptsModule from './attempts';
import * as casesModule from './cases';
import { getDb } from './client';
import * as contactsModule from './contacts';
import * as lenderSuggestionsModule from './lender-suggestions';
import { listLenderSuggestions, resolveLenderSuggestion, suggestLenderChange } from './lender-suggestions';
import * as documentsModule from './documents';
import * as lendersModule from './lenders';
import * as notesModule from './notes';
import * as plansModule from './plans';
import * as remindersModule from './reminders';
import { accessLog, cases, lenders, reminders, sessions, shares, users, type AccessAction } from './schema';
import * as sharesModule from './shares';
import type { Viewer } from './viewer-type';

const {
  approveAttempt,
  decisionProblems,
  changeMaterialsDeadline,
  removeMaterialsRequest,
  closeEscalation,
  correctAttempt,
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
} = attemptsModule;

/** A case's materials request (the harness reads it; the verb under test is what the viewer calls). */
function requestIdOf(caseId: number): number {
  return (getDb().$client.prepare('select id from material_requests where case_id = ? order by id limit 1').get(caseId) as { id: number }).id;
}
const { borrowerTotals, createCase, deleteCase, getCase, getCaseDetail, listCasesForBorrower, setCaseArchived, updateCase } = casesModule;
const { addContact, correctContact, deleteContact, recordPromiseOutcome } = contactsModule;
const {
  addDocument,
  addSuggestedDocuments,
  attachDocumentFile,
  deleteDocument,
  getDocumentFile,
  setDocumentSensitive,
  setDocumentStatus,
  suggestChecklist,
} = documentsModule;
const { addCaseNote, listRecentAdvisorNotes } = notesModule;
const { advisorCharts, advisorFigures, attentionItems, exportAdvisorCases, listAdvisorCases, listAdvisorClients, listAdvisorLenders } = advisorModule;
const { listInstalmentsForMonth } = plansModule;
const { createPrivateLender, createPublicLender, getLender, getPublicLender, listLenders, updatePrivateLender, updatePublicLender } = lendersModule;
const { getMailHealth, listAccounts, setAccountDisabled, setAccountRole } = adminModule;
const { changeInstalment, changeInstalmentAndLater, correctInstalmentPayment, correctPlanTerms, markInstalmentPaid, payOffPlan, undoPlanEnd } = plansModule;
const { countDueReminders, createReminder, listCaseReminders, listOpenReminders, setReminderStatus, snoozeReminder, updateReminder } =
  remindersModule;
const {
  acceptInvite,
  createInvite,
  listAccessLog,
  listClientsForAdvisor,
  listEndedSharesForAdvisor,
  listSharesForBorrower,
  previewInvite,
  revokeShare,
  setSensitiveConsent,
} = sharesModule;

/** A borrower shares with an advisor the way people do: an invitation, accepted. Returns the share's id. */
function share(borrower: Viewer, advisor: Viewer, label = ''): number {
  const { shareId, code } = createInvite(borrower, label);
  acceptInvite(advisor, code);
  return shareId;
}

/**
 * A borrower's whole world: a case with every kind of row recorded on it (attempt, material
 * request, documents with a stored file, contacts, a plan with instalments, events), and one case
 * in each status a verb needs, so that every verb below would succeed for the owner. The owner
 * has an advisor (an active share, without consent for sensitive documents) who has already
 * opened the main case once, so their shares and access log have rows to protect too.
 */
type World = {
  owner: Viewer;
  /** approved, with a plan; carries the documents, contacts and material request */
  main: number;
  preparing: number;
  underReview: number;
  materialsRequested: number;
  rejected: number;
  escalated: number;
  /** agreed, nothing paid: its terms can be corrected */
  approved: number;
  /** agreed, then cancelled by the lender: the cancellation can be undone */
  voided: number;
  /** under review, then withdrawn: the withdrawal can be undone */
  withdrawn: number;
  /** escalated, then the mediation ended: its end can be undone */
  escalationClosed: number;
  privateLenderId: number;
  contactId: number;
  /** medical proof with a file: sensitive by its kind */
  docWithFile: number;
  /** income proof with a file, sent with the application: not sensitive */
  docPlain: number;
  /** an "other" document with a file that the owner marked sensitive */
  docMarked: number;
  docNeeded: number;
  instalmentId: number;
  paidInstalmentId: number;
  /** the owner's own reminder on the main case */
  customReminderId: number;
  /** the chase of the main case's contact's promise (a rule reminder) */
  ruleReminderId: number;
  /** the owner's advisor, and their active share (no sensitive consent) */
  advisor: Viewer;
  shareId: number;
  caseIds: number[];
};

async function buildWorld(owner: Viewer): Promise<World> {
  const privateLender = createPrivateLender(owner, {
    name: `私人贷款方 ${owner.id}`,
    kind: 'platform',
    products: ['私人借款'],
    hotline: '',
    appPath: '',
    reviewWorkdays: 5,
  });
  const main = makeCase(owner, { product: `机密产品-${owner.id}`, accountRef: '8642' });
  const docWithFile = addDocument(owner, main, { kind: 'medical_proof', note: '诊断书' });
  const submittedDoc = addDocument(owner, main, { kind: 'income_proof', note: '' });
  await attachDocumentFile(owner, main, submittedDoc, fileOf(pngBytes(), 'income.png', 'image/png'));
  addContact(owner, main, contactInput({ channel: 'chat', promise: '', promiseDue: null }));
  submitAttempt(owner, main, versionOf(main), submitInput());
  requestMaterials(owner, main, versionOf(main), materialsInput());
  sendMaterials(owner, main, versionOf(main), '2025-04-06');
  approveAttempt(owner, main, versionOf(main), approveInput({ agreedPeriods: 3 }));
  // A promise after the decision (one made during the review is answered by it): its chase stays open.
  const contactId = addContact(owner, main, contactInput({ occurredAt: new Date('2025-04-11T02:00:00Z'), promise: '协议三天内寄出', promiseDue: '2025-04-14' }));
  // Its file added after the materials went, so that it has one and is not yet submitted (a file sent is kept).
  await attachDocumentFile(owner, main, docWithFile, fileOf(pngBytes(), 'diagnosis-2.png', 'image/png'));
  const docNeeded = addDocument(owner, main, { kind: 'payslip', note: '' });
  const docMarked = addDocument(owner, main, { kind: 'other', note: '家里的情况' });
  await attachDocumentFile(owner, main, docMarked, fileOf(pngBytes(), 'family.png', 'image/png'));
  setDocumentSensitive(owner, main, docMarked, true);
  const instalmentId = getCaseDetail(owner, main).instalments[0].id;
  // The second instalment paid (the case is being repaid): a payment to correct.
  const paidInstalment = getCaseDetail(owner, main).instalments[1];
  markInstalmentPaid(owner, main, versionOf(main), paidInstalment.id, { paidOn: '2025-05-31', paid: paidInstalment.amountFen });
  const paidInstalmentId = paidInstalment.id;
  const customReminderId = createReminder(owner, main, { title: '机密提醒', dueOn: '2025-06-01', dueTime: '09:00', note: '只有我看得到' });
  const ruleReminderId = getDb()
    .select({ id: reminders.id })
    .from(reminders)
    .where(eq(reminders.ruleKey, `promise:${contactId}`))
    .get()!.id;
  const advisor = makeAdvisor();
  const shareId = share(owner, advisor, '法律援助');
  getCaseDetail(advisor, main);
  // The advisor's note: the owner's home lists it (listRecentAdvisorNotes).
  addCaseNote(advisor, main, '顾问给你的建议');

  const at = (stage: Parameters<typeof advanceCase>[2], lenderId?: number) => {
    const id = makeCase(owner, lenderId ? { lenderId } : {});
    advanceCase(owner, id, stage);
    return id;
  };
  const world: World = {
    owner,
    main,
    preparing: at('preparing', privateLender.id),
    underReview: at('under_review'),
    materialsRequested: at('materials_requested'),
    rejected: at('rejected'),
    escalated: at('escalated'),
    approved: at('approved'),
    voided: at('approved'),
    withdrawn: at('under_review'),
    escalationClosed: at('escalated'),
    privateLenderId: privateLender.id,
    contactId,
    docWithFile,
    docPlain: submittedDoc,
    docMarked,
    docNeeded,
    instalmentId,
    paidInstalmentId,
    customReminderId,
    ruleReminderId,
    advisor,
    shareId,
    caseIds: [],
  };
  voidPlan(owner, world.voided, versionOf(world.voided), { voidedOn: '2025-06-30', note: '' });
  withdrawCase(owner, world.withdrawn, versionOf(world.withdrawn), '');
  closeEscalation(owner, world.escalationClosed, versionOf(world.escalationClosed), 'other', '');
  world.caseIds = [
    world.main,
    world.preparing,
    world.underReview,
    world.materialsRequested,
    world.rejected,
    world.escalated,
    world.approved,
    world.voided,
    world.withdrawn,
    world.escalationClosed,
  ];
  return world;
}

/**
 * Everything of the owner's that a verb could change: every row of their cases, their private
 * lender, their reminders, their shares, their access log (an outsider must not even leave a
 * line in it), the stored files.
 */
function snapshotWorld(w: World) {
  return {
    rows: snapshotCases(w.caseIds),
    reminders: getDb().select().from(reminders).where(eq(reminders.ownerId, w.owner.id)).orderBy(asc(reminders.id)).all(),
    privateLender: getDb().select().from(lenders).where(eq(lenders.id, w.privateLenderId)).all(),
    shares: getDb().select().from(shares).where(eq(shares.borrowerId, w.owner.id)).orderBy(asc(shares.id)).all(),
    accessLog: getDb().select().from(accessLog).where(eq(accessLog.borrowerId, w.owner.id)).orderBy(asc(accessLog.id)).all(),
    files: storedFiles(),
  };
}

type Snapshot = ReturnType<typeof snapshotWorld>;

/** The snapshot without the access log: what a read must leave exactly as it was. */
function withoutLog({ accessLog: _log, ...rest }: Snapshot) {
  return rest;
}

/** Rows of `after` whose id is not in `before`. */
function added<T extends { id: number }>(before: T[], after: T[]): T[] {
  const seen = new Set(before.map((r) => r.id));
  return after.filter((r) => !seen.has(r.id));
}

/**
 * What the owner's advisor (an active share) may do with each verb:
 * - `reads`: it succeeds, changes nothing, and logs exactly these lines in the owner's access log;
 * - `adds`: it succeeds and adds (a note, a reminder for the client), with one line in the log;
 * - `refused`: it throws exactly this class, and nothing changes, not even the log.
 */
type ForAdvisor = { reads: AccessAction[] } | { adds: AccessAction } | { refused: typeof ForbiddenError | typeof NotFoundError };

const READS_QUIETLY: ForAdvisor = { reads: [] };
/** The case is readable, the change is not theirs to make (assertCanWriteCase). */
const FORBIDDEN: ForAdvisor = { refused: ForbiddenError };
/**
 * Reminders are scoped to the person they remind (ownReminder): the client's reminder is not the
 * advisor's, so the advisor gets "not found", as any other viewer would.
 */
const NOT_THEIR_REMINDER: ForAdvisor = { refused: NotFoundError };

type Verb = { name: string; call: (viewer: Viewer, w: World) => unknown; advisor: ForAdvisor };

/**
 * Every exported verb that takes a case or document id, aimed at the owner's records, with the
 * current version (so that a stale version can never be the reason for a refusal).
 */
const VERBS: Verb[] = [
  { name: 'getCase', call: (v, w) => getCase(v, w.main), advisor: READS_QUIETLY },
  { name: 'getCaseDetail', call: (v, w) => getCaseDetail(v, w.main), advisor: { reads: ['view_case'] } },
  {
    name: 'updateCase',
    call: (v, w) => updateCase(v, w.main, versionOf(w.main), caseInput(w.owner, { product: 'changed', principal: 1, accountRef: '8642' })),
    advisor: FORBIDDEN,
  },
  { name: 'setCaseArchived', call: (v, w) => setCaseArchived(v, w.main, versionOf(w.main), true), advisor: FORBIDDEN },
  { name: 'deleteCase', call: (v, w) => deleteCase(v, w.main, versionOf(w.main)), advisor: FORBIDDEN },
  { name: 'submitAttempt', call: (v, w) => submitAttempt(v, w.preparing, versionOf(w.preparing), submitInput()), advisor: FORBIDDEN },
  {
    name: 'requestMaterials',
    call: (v, w) => requestMaterials(v, w.underReview, versionOf(w.underReview), materialsInput({ requestedOn: '2025-04-05' })),
    advisor: FORBIDDEN,
  },
  {
    name: 'sendMaterials',
    call: (v, w) => sendMaterials(v, w.materialsRequested, versionOf(w.materialsRequested), '2025-04-06'),
    advisor: FORBIDDEN,
  },
  {
    name: 'correctAttempt',
    call: (v, w) => correctAttempt(v, w.materialsRequested, versionOf(w.materialsRequested), submitInput({ channel: 'hotline' })),
    advisor: FORBIDDEN,
  },
  {
    name: 'changeMaterialsDeadline',
    call: (v, w) => changeMaterialsDeadline(v, w.materialsRequested, versionOf(w.materialsRequested), requestIdOf(w.materialsRequested), '2025-04-20'),
    advisor: FORBIDDEN,
  },
  {
    name: 'removeMaterialsRequest',
    call: (v, w) => removeMaterialsRequest(v, w.materialsRequested, versionOf(w.materialsRequested), requestIdOf(w.materialsRequested)),
    advisor: FORBIDDEN,
  },
  { name: 'undoDecision', call: (v, w) => undoDecision(v, w.rejected, versionOf(w.rejected)), advisor: FORBIDDEN },
  { name: 'undoAttempt', call: (v, w) => undoAttempt(v, w.escalated, versionOf(w.escalated)), advisor: FORBIDDEN },
  { name: 'decisionProblems', call: (v, w) => decisionProblems(v, w.underReview, { decidedOn: '2000-01-01', waivedFen: 1 }), advisor: FORBIDDEN },
  { name: 'approveAttempt', call: (v, w) => approveAttempt(v, w.underReview, versionOf(w.underReview), approveInput()), advisor: FORBIDDEN },
  { name: 'rejectAttempt', call: (v, w) => rejectAttempt(v, w.underReview, versionOf(w.underReview), rejectInput()), advisor: FORBIDDEN },
  { name: 'escalateCase', call: (v, w) => escalateCase(v, w.rejected, versionOf(w.rejected), escalateInput()), advisor: FORBIDDEN },
  { name: 'closeEscalation', call: (v, w) => closeEscalation(v, w.escalated, versionOf(w.escalated), 'other', ''), advisor: FORBIDDEN },
  { name: 'withdrawCase', call: (v, w) => withdrawCase(v, w.main, versionOf(w.main), ''), advisor: FORBIDDEN },
  { name: 'undoWithdrawal', call: (v, w) => undoWithdrawal(v, w.withdrawn, versionOf(w.withdrawn)), advisor: FORBIDDEN },
  { name: 'undoEscalationClose', call: (v, w) => undoEscalationClose(v, w.escalationClosed, versionOf(w.escalationClosed)), advisor: FORBIDDEN },
  { name: 'voidPlan', call: (v, w) => voidPlan(v, w.approved, versionOf(w.approved), { voidedOn: '2025-06-30', note: '' }), advisor: FORBIDDEN },
  {
    name: 'markInstalmentPaid',
    call: (v, w) => markInstalmentPaid(v, w.main, versionOf(w.main), w.instalmentId, { paidOn: '2025-05-31', paid: 33_333 }),
    advisor: FORBIDDEN,
  },
  {
    name: 'correctInstalmentPayment',
    call: (v, w) => correctInstalmentPayment(v, w.main, versionOf(w.main), w.paidInstalmentId, null),
    advisor: FORBIDDEN,
  },
  {
    name: 'correctPlanTerms',
    call: (v, w) => correctPlanTerms(v, w.approved, versionOf(w.approved), approveInput({ agreedPeriods: 7 })),
    advisor: FORBIDDEN,
  },
  {
    name: 'changeInstalment',
    call: (v, w) => changeInstalment(v, w.main, versionOf(w.main), w.instalmentId, { dueOn: dueOf(w.instalmentId), amountFen: 12_345 }),
    advisor: FORBIDDEN,
  },
  {
    // The first instalment's amount for it and every later unpaid one (the second is paid).
    name: 'changeInstalmentAndLater',
    call: (v, w) => changeInstalmentAndLater(v, w.main, versionOf(w.main), w.instalmentId, { dueOn: dueOf(w.instalmentId), amountFen: 12_345 }),
    advisor: FORBIDDEN,
  },
  {
    name: 'payOffPlan',
    call: (v, w) => payOffPlan(v, w.main, versionOf(w.main), { paidOn: '2025-06-30', paid: 100, note: '' }),
    advisor: FORBIDDEN,
  },
  { name: 'undoPlanEnd', call: (v, w) => undoPlanEnd(v, w.voided, versionOf(w.voided)), advisor: FORBIDDEN },
  { name: 'addContact', call: (v, w) => addContact(v, w.main, contactInput()), advisor: FORBIDDEN },
  {
    name: 'correctContact',
    call: (v, w) => correctContact(v, w.main, versionOf(w.main), w.contactId, contactInput({ summary: '改一下' })),
    advisor: FORBIDDEN,
  },
  {
    name: 'recordPromiseOutcome',
    call: (v, w) => recordPromiseOutcome(v, w.main, versionOf(w.main), w.contactId, { outcome: 'broken', on: '2025-06-30' }),
    advisor: FORBIDDEN,
  },
  { name: 'deleteContact', call: (v, w) => deleteContact(v, w.main, w.contactId), advisor: FORBIDDEN },
  { name: 'addDocument', call: (v, w) => addDocument(v, w.main, { kind: 'other', note: '' }), advisor: FORBIDDEN },
  { name: 'suggestChecklist', call: (v, w) => suggestChecklist(v, w.main), advisor: READS_QUIETLY },
  { name: 'addSuggestedDocuments', call: (v, w) => addSuggestedDocuments(v, w.main), advisor: FORBIDDEN },
  { name: 'setDocumentStatus', call: (v, w) => setDocumentStatus(v, w.main, w.docNeeded, 'ready'), advisor: FORBIDDEN },
  { name: 'setDocumentSensitive', call: (v, w) => setDocumentSensitive(v, w.main, w.docNeeded, true), advisor: FORBIDDEN },
  {
    name: 'attachDocumentFile',
    call: (v, w) => attachDocumentFile(v, w.main, w.docNeeded, fileOf(pngBytes(), 'x.png', 'image/png')),
    advisor: FORBIDDEN,
  },
  { name: 'deleteDocument', call: (v, w) => deleteDocument(v, w.main, w.docWithFile), advisor: FORBIDDEN },
  // A document that is not sensitive; the sensitive ones are tested on their own below.
  { name: 'getDocumentFile', call: (v, w) => getDocumentFile(v, w.docPlain), advisor: { reads: ['download_document'] } },
  {
    name: 'createReminder',
    call: (v, w) => createReminder(v, w.main, { title: '插入的提醒', dueOn: '2025-07-01', dueTime: null, note: '' }, 'outsider-reminder-0001'),
    advisor: { adds: 'add_reminder' },
  },
  {
    name: 'updateReminder',
    call: (v, w) => updateReminder(v, w.customReminderId, { title: '改了', dueOn: '2025-07-01', dueTime: null, note: '' }, reminderStampOf(w.customReminderId)),
    advisor: NOT_THEIR_REMINDER,
  },
  { name: 'setReminderStatus', call: (v, w) => setReminderStatus(v, w.ruleReminderId, 'done'), advisor: NOT_THEIR_REMINDER },
  { name: 'snoozeReminder', call: (v, w) => snoozeReminder(v, w.ruleReminderId, '2025-07-01'), advisor: NOT_THEIR_REMINDER },
  { name: 'listCaseReminders', call: (v, w) => listCaseReminders(v, w.main), advisor: READS_QUIETLY },
  { name: 'addCaseNote', call: (v, w) => addCaseNote(v, w.main, '我来看看', 'outsider-note-0001'), advisor: { adds: 'add_note' } },
];

/**
 * The same verbs, aimed at the outsider's OWN case but naming one of the owner's records by id:
 * the record must be looked up within the case, or this would reach across.
 */
type CrossVerb = { name: string; call: (viewer: Viewer, theirs: World, mine: World) => unknown };
/** An instalment's due date as it stands (a change of its amount alone keeps it). */
const dueOf = (instalmentId: number) => getDb().$client.prepare('select due_on from instalments where id = ?').pluck().get(instalmentId) as string;

const CROSS_VERBS: CrossVerb[] = [
  { name: 'deleteContact', call: (v, w, mine) => deleteContact(v, mine.main, w.contactId) },
  { name: 'correctContact', call: (v, w, mine) => correctContact(v, mine.main, versionOf(mine.main), w.contactId, contactInput({ summary: '改别人的' })) },
  { name: 'recordPromiseOutcome', call: (v, w, mine) => recordPromiseOutcome(v, mine.main, versionOf(mine.main), w.contactId, { outcome: 'kept', on: '2025-06-30' }) },
  { name: 'setDocumentStatus', call: (v, w, mine) => setDocumentStatus(v, mine.main, w.docNeeded, 'accepted') },
  {
    name: 'attachDocumentFile',
    call: (v, w, mine) => attachDocumentFile(v, mine.main, w.docNeeded, fileOf(pngBytes(), 'x.png', 'image/png')),
  },
  { name: 'deleteDocument', call: (v, w, mine) => deleteDocument(v, mine.main, w.docWithFile) },
  {
    name: 'markInstalmentPaid',
    call: (v, w, mine) => markInstalmentPaid(v, mine.main, versionOf(mine.main), w.instalmentId, { paidOn: '2025-05-31', paid: 1 }),
  },
  {
    // Another's materials request, through one's own case.
    name: 'changeMaterialsDeadline',
    call: (v, w, mine) => changeMaterialsDeadline(v, mine.materialsRequested, versionOf(mine.materialsRequested), requestIdOf(w.materialsRequested), '2025-04-20'),
  },
  {
    name: 'removeMaterialsRequest',
    call: (v, w, mine) => removeMaterialsRequest(v, mine.materialsRequested, versionOf(mine.materialsRequested), requestIdOf(w.materialsRequested)),
  },
  {
    name: 'correctInstalmentPayment',
    call: (v, w, mine) => correctInstalmentPayment(v, mine.main, versionOf(mine.main), w.paidInstalmentId, null),
  },
  {
    name: 'changeInstalment',
    call: (v, w, mine) => changeInstalment(v, mine.main, versionOf(mine.main), w.instalmentId, { dueOn: dueOf(w.instalmentId), amountFen: 1 }),
  },
  {
    name: 'changeInstalmentAndLater',
    call: (v, w, mine) => changeInstalmentAndLater(v, mine.main, versionOf(mine.main), w.instalmentId, { dueOn: dueOf(w.instalmentId), amountFen: 1 }),
  },
];

/** Exported functions of these modules that take no case or document id, or that are not verbs. */
const NOT_CASE_VERBS = [
  'bumpVersion',
  'transition',
  'agreedColumns',
  // Called inside voidPlan and payOffPlan's transactions, after their access checks.
  'dropOwedInstalments',
  // Called inside updateCase's and the lender edits' transactions (db/lenders.ts), after their access checks.
  'followLendersReview',
  // A pure digest of a reminder the viewer already read (the edit form's stamp).
  'reminderEditStamp',
  // A pure digest of a contact the viewer already read (the delete form's stamp).
  'contactStamp',
  'listCasesForBorrower',
  'borrowerTotals',
  'createCase',
  'getLender',
  'listLenders',
  'createPrivateLender',
  // The viewer's own private lender: anyone else's is "not found" (checked below, and db/lenders.test.ts).
  'updatePrivateLender',
  'lenderVisibleTo',
  // An advisor's own suggestions to the public directory: no id of anyone's but a public lender's;
  // ForbiddenError for every other role (db/lender-suggestions.test.ts, the matrix's rows).
  'suggestLenderChange',
  'listMyLenderSuggestions',
  // The viewer's own reminders, across cases: scoped by owner, so an outsider gets an empty
  // list and a count of their own, never a refusal (checked below).
  'listOpenReminders',
  'countDueReminders',
  // System and internal helpers of db/reminders.ts, not verbs: the rule wiring calls them inside
  // an authorised event's transaction (applyReminderChange, closeCaseRuleReminders,
  // reopenClosedRuleReminders, closeStaleReminder), and the scheduler runs the sweep for everyone (systemSweepReminders).
  // No page or action may call them with a viewer's ids.
  'applyReminderChange',
  'closeCaseRuleReminders',
  'reopenRuleReminders',
  'reopenClosedRuleReminders',
  'moveOpenRuleReminder',
  'closeStaleReminder',
  // A SQL condition of db/reminders.ts (open, or closed by a rule) for the helpers above: no viewer, no database.
  'openOrClosedByRule',
  'systemSweepReminders',
  // A pure rule of db/documents.ts (is this document sensitive?): no viewer, no database.
  'isSensitiveDocument',
  // A SQL fragment of db/cases.ts (a case row's next date) shared with db/advisor.ts: no viewer.
  'nextDateSql',
  // The viewer's OWN instalments in a month (db/plans.ts), scoped by owner like the reminders
  // above: an outsider, advisors included, gets none of the owner's (checked below).
  'listInstalmentsForMonth',
  // The advisors' notes on the viewer's OWN cases (db/notes.ts, the borrower's home), scoped by
  // owner like the instalments above: an outsider, the advisor who wrote them included, gets none
  // (checked below).
  'listRecentAdvisorNotes',
  // A pure date of db/notes.ts (where that look back starts): no viewer, no database.
  'advisorNotesSince',
  // Internal to db/shares.ts: the verbs that an advisor uses write the log inside their own,
  // authorised transaction. No page or action may call it.
  'logAdvisorAccess',
  // db/account.ts: the viewer's own account, scoped by the viewer's id alone; they take no id of
  // anyone's, so there is nothing of another user's to aim them at. What they return and remove
  // is checked against two borrowers and an advisor sharing the database in db/account.test.ts.
  'exportAccountData',
  'exportAccountArchive',
  'accountDeletionSummary',
  'deleteAccount',
  // Pure helpers of db/account.ts: a file name for the archive, the download's name.
  'archiveFileName',
  'exportFileName',
  // For tests, in db/advisor.ts: empty the kept dashboards, and count how often they were used.
  // No viewer and no data of anyone's.
  'forgetKeptDashboards',
  'keptDashboardCounts',
  // db/admin.ts: the last-admin rule, inside the calling verb's transaction after its own check.
  'countOtherActiveAdmins',
  // The admin check itself (db/admin.ts), which the admin verbs and the lender curation call first.
  'requireAdmin',
  // db/admin.ts: the command line's administrator (scripts/create-admin.ts), run by whoever runs the
  // server; no page or action calls it (db/admin.test.ts).
  'unsafeUpsertAdmin',
];

/**
 * The verbs of db/shares.ts take a share id, an invitation code or nothing, never a case id.
 * Each is for one role; `refusedFor` names who gets exactly ForbiddenError (checked before
 * anything is read), and `otherBorrower: true` means another borrower aiming it at the owner's
 * share gets NotFoundError (the share is looked up within their own).
 */
type ShareWorld = {
  borrower: Viewer;
  advisor: Viewer;
  /** an active share between them, which the advisor has already used */
  shareId: number;
  /** an invitation not yet accepted, and its code */
  inviteId: number;
  code: string;
  caseId: number;
};
type ShareRole = 'borrower' | 'advisor' | 'admin';
type ShareVerb = {
  name: string;
  rightful: 'borrower' | 'advisor';
  call: (viewer: Viewer, s: ShareWorld) => unknown;
  otherBorrower?: true;
};

const SHARE_VERBS: ShareVerb[] = [
  { name: 'createInvite', rightful: 'borrower', call: (v) => createInvite(v, '冒名的邀请') },
  { name: 'listSharesForBorrower', rightful: 'borrower', call: (v) => listSharesForBorrower(v) },
  { name: 'revokeShare', rightful: 'borrower', call: (v, s) => revokeShare(v, s.shareId), otherBorrower: true },
  { name: 'setSensitiveConsent', rightful: 'borrower', call: (v, s) => setSensitiveConsent(v, s.shareId, true), otherBorrower: true },
  { name: 'listAccessLog', rightful: 'borrower', call: (v) => listAccessLog(v) },
  { name: 'previewInvite', rightful: 'advisor', call: (v, s) => previewInvite(v, s.code) },
  { name: 'acceptInvite', rightful: 'advisor', call: (v, s) => acceptInvite(v, s.code) },
  { name: 'listClientsForAdvisor', rightful: 'advisor', call: (v) => listClientsForAdvisor(v) },
  { name: 'listEndedSharesForAdvisor', rightful: 'advisor', call: (v) => listEndedSharesForAdvisor(v) },
];

/**
 * The advisor's dashboard (db/advisor.ts) takes no case id: every verb is for advisors only
 * (ForbiddenError for anyone else, checked below) and is scoped to their active clients.
 */
const TODAY = '2025-06-02';
const ADVISOR_VERBS: { name: string; call: (viewer: Viewer) => unknown }[] = [
  { name: 'advisorFigures', call: (v) => advisorFigures(v, TODAY) },
  { name: 'attentionItems', call: (v) => attentionItems(v, TODAY) },
  { name: 'advisorCharts', call: (v) => advisorCharts(v, TODAY) },
  { name: 'listAdvisorCases', call: (v) => listAdvisorCases(v, {}, TODAY) },
  { name: 'exportAdvisorCases', call: (v) => exportAdvisorCases(v, {}, TODAY) },
  { name: 'listAdvisorLenders', call: (v) => listAdvisorLenders(v) },
  { name: 'listAdvisorClients', call: (v) => listAdvisorClients(v, TODAY) },
];

/**
 * The admin's verbs (db/admin.ts, and the directory's curation in db/lenders.ts) take an account
 * or a public lender, never a case: for anyone but an admin each is NotFoundError, checked below,
 * and nothing changes. Aimed at the owner's account and at the owner's private lender, since a
 * missing check would show there first.
 */
const ADMIN_VERBS: { name: string; call: (viewer: Viewer, w: World) => unknown }[] = [
  { name: 'listAccounts', call: (v, w) => listAccounts(v, { q: w.owner.email }) },
  { name: 'getMailHealth', call: (v) => getMailHealth(v) },
  { name: 'setAccountDisabled', call: (v, w) => setAccountDisabled(v, w.owner.id, true) },
  { name: 'setAccountRole', call: (v, w) => setAccountRole(v, w.owner.id, 'admin') },
  { name: 'createPublicLender', call: (v) => createPublicLender(v, publicLenderInput(`冒名的公共机构 ${v.id}`)) },
  { name: 'getPublicLender', call: (v, w) => getPublicLender(v, w.privateLenderId) },
  { name: 'updatePublicLender', call: (v, w) => updatePublicLender(v, w.privateLenderId, 'x'.repeat(22), publicLenderInput('改掉的名字')) },
  // An advisor's suggestions to the directory: listed and answered by admins only.
  { name: 'listLenderSuggestions', call: (v) => listLenderSuggestions(v) },
  { name: 'resolveLenderSuggestion', call: (v) => resolveLenderSuggestion(v, aSuggestion(), 'dismissed') },
];

let suggestionId: number | undefined;
/** One advisor's suggestion to the directory, made once. */
function aSuggestion(): number {
  suggestionId ??= suggestLenderChange(makeAdvisor(), { lenderId: null, body: '请加上某某消费金融' });
  return suggestionId;
}
// Made before any snapshot: its advisor is an account of its own.
beforeAll(() => {
  aSuggestion();
});

const MODULES = {
  'db/cases.ts': casesModule,
  'db/attempts.ts': attemptsModule,
  'db/plans.ts': plansModule,
  'db/contacts.ts': contactsModule,
  'db/documents.ts': documentsModule,
  'db/lenders.ts': lendersModule,
  'db/reminders.ts': remindersModule,
  'db/notes.ts': notesModule,
  'db/shares.ts': sharesModule,
  'db/advisor.ts': advisorModule,
  'db/account.ts': accountModule,
  'db/admin.ts': adminModule,
  'db/lender-suggestions.ts': lenderSuggestionsModule,
} as Record<string, Record<string, unknown>>;

/** What `fn` threw (or its promise rejected with); undefined when it succeeded. */
async function failureOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

function expectExactly(e: unknown, errorClass: typeof NotFoundError | typeof ForbiddenError) {
  expect(e).toBeInstanceOf(errorClass);
  expect((e as Error).constructor).toBe(errorClass);
}

function expectExactlyNotFound(e: unknown) {
  expectExactly(e, NotFoundError);
}

describe('the table of verbs', () => {
  const exported = Object.entries(MODULES).flatMap(([file, mod]) =>
    Object.entries(mod)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => ({ file, name })),
  );

  it('covers every exported function of the case modules (add a new verb to VERBS, SHARE_VERBS, ADVISOR_VERBS or ADMIN_VERBS, or to NOT_CASE_VERBS if it is no verb)', () => {
    const known = new Set([...VERBS, ...SHARE_VERBS, ...ADVISOR_VERBS, ...ADMIN_VERBS].map((v) => v.name).concat(NOT_CASE_VERBS));
    expect(exported.filter((e) => !known.has(e.name))).toEqual([]);
  });

  it('names only functions that exist', () => {
    const names = new Set(exported.map((e) => e.name));
    const listed = [...VERBS, ...CROSS_VERBS, ...SHARE_VERBS, ...ADVISOR_VERBS, ...ADMIN_VERBS].map((v) => v.name);
    expect([...listed, ...NOT_CASE_VERBS].filter((n) => !names.has(n))).toEqual([]);
    expect(new Set(VERBS.map((v) => v.name)).size).toBe(VERBS.length);
    expect(new Set(SHARE_VERBS.map((v) => v.name)).size).toBe(SHARE_VERBS.length);
    expect(new Set(ADVISOR_VERBS.map((v) => v.name)).size).toBe(ADVISOR_VERBS.length);
  });

  it('lists the share and dashboard verbs from their own modules, and the case verbs from the others', () => {
    const home = new Map(exported.map((e) => [e.name, e.file]));
    expect(SHARE_VERBS.filter((v) => home.get(v.name) !== 'db/shares.ts').map((v) => v.name)).toEqual([]);
    expect(ADVISOR_VERBS.filter((v) => home.get(v.name) !== 'db/advisor.ts').map((v) => v.name)).toEqual([]);
    expect(VERBS.filter((v) => ['db/shares.ts', 'db/advisor.ts'].includes(home.get(v.name)!)).map((v) => v.name)).toEqual([]);
  });
});

describe('the owner', () => {
  // The control: each call below succeeds for the owner, so an outsider's NotFoundError is
  // the authorisation speaking, not a wrong status, version or id.
  it.each(VERBS.map((v) => [v.name, v] as const))('may %s', async (_name, verb) => {
    const owner = makeBorrower();
    const world = await buildWorld(owner);
    expect(await failureOf(() => verb.call(owner, world))).toBeUndefined();
  });
});

/**
 * An advisor who is somebody's advisor, just not the owner's: another borrower shared with them
 * (and has a case they can read), while the owner shares with a different advisor.
 */
function advisorOfAnotherBorrower(): Viewer {
  const advisor = makeAdvisor();
  const client = makeBorrower();
  const clientCase = makeCase(client);
  share(client, advisor);
  getCaseDetail(advisor, clientCase); // their access works: it is the owner's they must not reach
  return advisor;
}

/** An advisor the owner shared with, who used the share, and whose share the owner then revoked. */
function advisorAfterRevocation(w: World): Viewer {
  const advisor = makeAdvisor();
  const shareId = share(w.owner, advisor);
  getCaseDetail(advisor, w.main);
  revokeShare(w.owner, shareId);
  return advisor;
}

const OUTSIDERS: [string, (w: World) => Viewer][] = [
  ['another borrower', () => makeBorrower()],
  ['an advisor without a share', () => makeAdvisor()],
  ['an advisor whose share was revoked', advisorAfterRevocation],
  ['an advisor with an active share with a different borrower', advisorOfAnotherBorrower],
  ['an admin', () => makeAdmin()],
];

describe.each(OUTSIDERS)('%s', (_label, makeOutsider) => {
  let world: World;
  let outsider: Viewer;

  beforeAll(async () => {
    world = await buildWorld(makeBorrower());
    outsider = makeOutsider(world);
  });

  it('sees a world worth protecting', () => {
    const snap = snapshotWorld(world);
    for (const [table, rows] of Object.entries(snap.rows)) expect(rows.length, table).toBeGreaterThan(0);
    expect(snap.reminders.map((r) => r.kind)).toEqual(expect.arrayContaining(['custom', 'promise_chase', 'review_followup', 'next_step']));
    expect(snap.files.length).toBeGreaterThanOrEqual(2);
    expect(snap.shares.filter((s) => s.status === 'active').map((s) => s.advisorId)).toEqual([world.advisor.id]);
    expect(snap.accessLog.length).toBeGreaterThan(0);
  });

  it.each(VERBS.map((v) => [v.name, v] as const))("%s on the owner's records: NotFoundError, and nothing changes", async (_name, verb) => {
    const before = snapshotWorld(world);
    expectExactlyNotFound(await failureOf(() => verb.call(outsider, world)));
    expect(snapshotWorld(world)).toEqual(before);
  });

  it.each([
    ['an empty file', () => fileOf(Buffer.alloc(0), 'x.pdf')],
    ['a file of the wrong type', () => fileOf('<html></html>', 'x.pdf')],
  ])('attachDocumentFile with %s: still NotFoundError, checked before the upload is read', async (_label, file) => {
    const before = snapshotWorld(world);
    expectExactlyNotFound(await failureOf(() => attachDocumentFile(outsider, world.main, world.docNeeded, file())));
    expect(snapshotWorld(world)).toEqual(before);
  });

  it("getDocumentFile on every one of the owner's documents, sensitive or not, with a file or not: NotFoundError", async () => {
    const before = snapshotWorld(world);
    const docIds = before.rows.documents.map((d) => d.id);
    expect(docIds).toEqual(expect.arrayContaining([world.docWithFile, world.docPlain, world.docMarked, world.docNeeded]));
    for (const id of docIds) expectExactlyNotFound(await failureOf(() => getDocumentFile(outsider, id)));
    expect(snapshotWorld(world)).toEqual(before);
  });

  it('never lists the owner\'s cases, whatever the filter or search', () => {
    const a = caseRow(world.main);
    const lenderName = getCase(world.owner, world.main).lender.name;
    const filters = [
      {},
      { q: a.product },
      { q: a.accountRef },
      { q: lenderName },
      { q: '%' },
      { q: '_' },
      { status: 'approved' as const },
      { lenderId: a.lenderId },
      { lenderId: world.privateLenderId },
      { archived: true },
    ];
    for (const f of filters) {
      const ids = listCasesForBorrower(outsider, f).map((r) => r.id);
      for (const id of world.caseIds) expect(ids, JSON.stringify(f)).not.toContain(id);
    }
    expect(listCasesForBorrower(world.owner, { q: a.product }).map((r) => r.id)).toEqual([world.main]);
  });

  it("never lists or counts the owner's reminders", () => {
    const ownerIds = listOpenReminders(world.owner).map((r) => r.id);
    expect(ownerIds).toContain(world.customReminderId);
    expect(ownerIds).toContain(world.ruleReminderId);
    for (const options of [{}, { caseId: world.main }, ...world.caseIds.map((caseId) => ({ caseId }))]) {
      const seen = listOpenReminders(outsider, options).map((r) => r.id);
      for (const id of ownerIds) expect(seen, JSON.stringify(options)).not.toContain(id);
    }
    expect(countDueReminders(world.owner, '2099-12-31')).toBeGreaterThan(0);
    expect(countDueReminders(outsider, '2099-12-31')).toBe(0);
  });

  it("never gets the owner's instalments for the month calendar", () => {
    const owners = listInstalmentsForMonth(world.owner, '2025-05').map((i) => i.id);
    expect(owners).toContain(world.instalmentId);
    for (const month of ['2025-05', '2025-06', '2025-07']) {
      const seen = listInstalmentsForMonth(outsider, month).map((i) => i.caseId);
      for (const id of world.caseIds) expect(seen, month).not.toContain(id);
    }
  });

  it("never gets the advisors' notes on the owner's cases for the home page", () => {
    const since = new Date(0);
    expect(listRecentAdvisorNotes(world.owner, since).map((n) => n.caseId)).toContain(world.main);
    const seen = listRecentAdvisorNotes(outsider, since, 100).map((n) => n.caseId);
    for (const id of world.caseIds) expect(seen).not.toContain(id);
  });

  it("finds nothing of the owner's on the advisor's dashboard: refused to others, and no case, count or log line for an advisor", async () => {
    const before = snapshotWorld(world);
    if (outsider.role !== 'advisor') {
      for (const verb of ADVISOR_VERBS) expectExactly(await failureOf(() => verb.call(outsider)), ForbiddenError);
    } else {
      const a = caseRow(world.main);
      for (const q of [{}, { clientId: world.owner.id }, { q: a.product }, { q: a.accountRef }, { q: world.owner.displayName }, { attention: true }]) {
        const seen = listAdvisorCases(outsider, { ...q, pageSize: 100 }, TODAY).rows.map((r) => r.id);
        for (const id of world.caseIds) expect(seen, JSON.stringify(q)).not.toContain(id);
      }
      expect(listAdvisorCases(outsider, { clientId: world.owner.id }, TODAY).total).toBe(0);
      expect(exportAdvisorCases(outsider, { clientId: world.owner.id }, TODAY).rows).toEqual([]);
      expect(exportAdvisorCases(outsider, {}, TODAY).rows.map((r) => r.clientId)).not.toContain(world.owner.id);
      expect(attentionItems(outsider, TODAY).map((i) => i.clientId)).not.toContain(world.owner.id);
      expect(advisorCharts(outsider, TODAY).lenders.map((l) => l.lenderId)).not.toContain(world.privateLenderId);
      expect(listAdvisorLenders(outsider).map((l) => l.id)).not.toContain(world.privateLenderId);
    }
    expect(snapshotWorld(world)).toEqual(before);
  });

  it("does not see the owner's private lender", async () => {
    expect(listLenders(world.owner).map((l) => l.id)).toContain(world.privateLenderId);
    expect(listLenders(outsider).map((l) => l.id)).not.toContain(world.privateLenderId);
    expect(listLenders(outsider).every((l) => l.ownerId === null || l.ownerId === outsider.id)).toBe(true);
    expectExactlyNotFound(await failureOf(() => getLender(outsider, world.privateLenderId)));
    expect(getLender(world.owner, world.privateLenderId).id).toBe(world.privateLenderId);
  });
});

/** Accounts and the directory: what an admin verb could change. */
function snapshotAccounts() {
  return {
    users: getDb().select().from(users).orderBy(asc(users.id)).all(),
    sessions: getDb().select().from(sessions).orderBy(asc(sessions.id)).all(),
    lenders: getDb().select().from(lenders).orderBy(asc(lenders.id)).all(),
  };
}

describe('the admin verbs, for anyone but an admin', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(makeBorrower());
  });

  const NON_ADMINS: [string, (w: World) => Viewer][] = [
    ['the owner herself', (w) => w.owner],
    ["the owner's advisor", (w) => w.advisor],
    ['another borrower', () => makeBorrower()],
    ['an advisor without a share', () => makeAdvisor()],
  ];

  describe.each(NON_ADMINS)('%s', (_label, who) => {
    it.each(ADMIN_VERBS.map((v) => [v.name, v] as const))('%s: NotFoundError, and no account, session or lender changes', async (_name, verb) => {
      const viewer = who(world);
      const before = [snapshotAccounts(), snapshotWorld(world)];
      expectExactlyNotFound(await failureOf(() => verb.call(viewer, world)));
      expect([snapshotAccounts(), snapshotWorld(world)]).toEqual(before);
    });
  });

  it("an admin reaches accounts but not the owner's private lender, and reads none of her cases", async () => {
    const admin = makeAdmin();
    const before = snapshotWorld(world);
    expect(listAccounts(admin, { q: world.owner.email }).rows.map((r) => r.id)).toEqual([world.owner.id]);
    expectExactlyNotFound(await failureOf(() => getPublicLender(admin, world.privateLenderId)));
    expectExactlyNotFound(await failureOf(() => updatePublicLender(admin, world.privateLenderId, 'x'.repeat(22), publicLenderInput('改掉的名字'))));
    expect(snapshotWorld(world)).toEqual(before);
  });
});

describe('another borrower, with cases of their own', () => {
  let theirs: World;
  let mine: World;
  let outsider: Viewer;

  beforeAll(async () => {
    theirs = await buildWorld(makeBorrower());
    outsider = makeBorrower();
    mine = await buildWorld(outsider);
  });

  it.each(CROSS_VERBS.map((v) => [v.name, v] as const))(
    "%s on their own case with the owner's record id: NotFoundError, and nothing changes on either side",
    async (_name, verb) => {
      const before = [snapshotWorld(theirs), snapshotWorld(mine)];
      expectExactlyNotFound(await failureOf(() => verb.call(outsider, theirs, mine)));
      expect([snapshotWorld(theirs), snapshotWorld(mine)]).toEqual(before);
    },
  );

  it("cannot create a case with the owner's private lender", async () => {
    const before = [snapshotWorld(theirs), listCasesForBorrower(outsider, {}), listCasesForBorrower(outsider, { archived: true })];
    const byLender = () => getDb().select().from(cases).where(eq(cases.lenderId, theirs.privateLenderId)).all();
    const rowsBefore = byLender();
    expectExactlyNotFound(await failureOf(() => createCase(outsider, caseInput(outsider, { lenderId: theirs.privateLenderId }))));
    expectExactlyNotFound(
      await failureOf(() => createCase(outsider, caseInput(outsider, { lenderId: theirs.privateLenderId }), 'private-lender-form-0001')),
    );
    expect(byLender()).toEqual(rowsBefore);
    expect([snapshotWorld(theirs), listCasesForBorrower(outsider, {}), listCasesForBorrower(outsider, { archived: true })]).toEqual(before);
  });

  it("cannot move their own case to the owner's private lender", async () => {
    const before = snapshotCases(mine.caseIds);
    expectExactlyNotFound(
      await failureOf(() => updateCase(outsider, mine.main, versionOf(mine.main), caseInput(outsider, { lenderId: theirs.privateLenderId }))),
    );
    expect(snapshotCases(mine.caseIds)).toEqual(before);
  });

  it("cannot change the owner's private lender, nor can her advisor or an admin", async () => {
    const row = () => getDb().select().from(lenders).where(eq(lenders.id, theirs.privateLenderId)).get()!;
    const before = [row(), snapshotWorld(theirs)];
    for (const someone of [outsider, theirs.advisor, makeAdmin()]) {
      expectExactlyNotFound(
        await failureOf(() =>
          updatePrivateLender(someone, theirs.privateLenderId, lenderFingerprint(row()), { name: '冒名', kind: 'bank', products: [], hotline: '', appPath: '', reviewWorkdays: 5 }),
        ),
      );
    }
    expect([row(), snapshotWorld(theirs)]).toEqual(before);
  });

  it("keeps private lenders apart both ways", () => {
    const own = createPrivateLender(outsider, { name: '我的贷款方', kind: 'bank', products: [], hotline: '', appPath: '', reviewWorkdays: 5 });
    expect(own.ownerId).toBe(outsider.id);
    expect(listLenders(theirs.owner).map((l) => l.id)).not.toContain(own.id);
    expect(listLenders(outsider).map((l) => l.id)).not.toContain(theirs.privateLenderId);
  });
});

// --- the owner's advisor: reads what the share allows, adds notes and reminders, changes nothing else

/** The line an advisor's action leaves in the owner's access log. */
function logLine(w: World, action: AccessAction, extra: { detail?: string } = {}) {
  return expect.objectContaining({ borrowerId: w.owner.id, advisorId: w.advisor.id, caseId: w.main, action, ...extra });
}

describe("the owner's advisor, with an active share", () => {
  let world: World;

  beforeAll(async () => {
    world = await buildWorld(makeBorrower());
  });

  it('reads the case as an advisor: not the owner, without consent for sensitive documents', () => {
    const detail = getCaseDetail(world.advisor, world.main);
    expect(detail.case.id).toBe(world.main);
    expect(detail.access).toEqual(expect.objectContaining({ isOwner: false, sensitiveConsent: false }));
    expect(getCaseDetail(world.owner, world.main).access).toEqual(expect.objectContaining({ isOwner: true, sensitiveConsent: true }));
  });

  const byExpectation = (kind: 'reads' | 'adds' | 'refused') =>
    VERBS.filter((v) => kind in v.advisor).map((v) => [v.name, v] as const);

  it.each(byExpectation('reads'))('may %s: it succeeds, changes nothing, and the access log says so', async (_name, verb) => {
    const { reads } = verb.advisor as { reads: AccessAction[] };
    // The advisor read the case in the set-up and the tests before: their visits are made older
    // than one visit lasts (VISIT_MINUTES), so that this read is a visit of its own.
    getDb()
      .update(accessLog)
      .set({ createdAt: sql`${accessLog.createdAt} - 3600000` })
      .where(eq(accessLog.borrowerId, world.owner.id))
      .run();
    const before = snapshotWorld(world);
    expect(await failureOf(() => verb.call(world.advisor, world))).toBeUndefined();
    const after = snapshotWorld(world);
    expect(withoutLog(after)).toEqual(withoutLog(before));
    expect(added(before.accessLog, after.accessLog)).toEqual(reads.map((action) => logLine(world, action)));
  });

  it.each(byExpectation('refused'))('%s: refused with the exact class, and nothing changes, not even the log', async (_name, verb) => {
    const { refused } = verb.advisor as { refused: typeof ForbiddenError | typeof NotFoundError };
    const before = snapshotWorld(world);
    expectExactly(await failureOf(() => verb.call(world.advisor, world)), refused);
    expect(snapshotWorld(world)).toEqual(before);
  });

  it("sees the owner's cases on the dashboard, and an export is a line in the owner's access log", () => {
    const before = snapshotWorld(world);
    const listed = listAdvisorCases(world.advisor, { clientId: world.owner.id, pageSize: 100 }, TODAY);
    expect(listed.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...world.caseIds].sort((a, b) => a - b));
    // The client's private lender is the lender of one of their cases: their advisor sees it.
    expect(listAdvisorLenders(world.advisor).map((l) => l.id)).toContain(world.privateLenderId);
    expect(snapshotWorld(world)).toEqual(before);
    const exported = exportAdvisorCases(world.advisor, { clientId: world.owner.id }, TODAY);
    expect(exported.rows.length).toBe(world.caseIds.length);
    const after = snapshotWorld(world);
    expect(withoutLog(after)).toEqual(withoutLog(before));
    expect(added(before.accessLog, after.accessLog)).toEqual([
      expect.objectContaining({ borrowerId: world.owner.id, advisorId: world.advisor.id, caseId: null, action: 'export', detail: String(world.caseIds.length) }),
    ]);
  });

  it('attachDocumentFile with an empty file: still ForbiddenError, checked before the upload is read', async () => {
    const before = snapshotWorld(world);
    expectExactly(await failureOf(() => attachDocumentFile(world.advisor, world.main, world.docNeeded, fileOf(Buffer.alloc(0), 'x.pdf'))), ForbiddenError);
    expect(snapshotWorld(world)).toEqual(before);
  });

  it('addSuggestedDocuments: ForbiddenError even when there is nothing left to suggest', async () => {
    addSuggestedDocuments(world.owner, world.main);
    expect(suggestChecklist(world.owner, world.main)).toEqual([]);
    const before = snapshotWorld(world);
    expectExactly(await failureOf(() => addSuggestedDocuments(world.advisor, world.main)), ForbiddenError);
    expect(snapshotWorld(world)).toEqual(before);
  });

  it('cannot change their own note or reminder on the client\'s case either: the timeline and the reminder are the client\'s', async () => {
    const reminderId = createReminder(world.advisor, world.main, { title: '记得打电话', dueOn: '2025-07-02', dueTime: null, note: '' });
    const before = snapshotWorld(world);
    for (const call of [
      () => updateReminder(world.advisor, reminderId, { title: '改了', dueOn: '2025-07-03', dueTime: null, note: '' }, reminderStampOf(reminderId)),
      () => setReminderStatus(world.advisor, reminderId, 'dismissed'),
      () => snoozeReminder(world.advisor, reminderId, '2025-07-10'),
    ]) {
      expectExactlyNotFound(await failureOf(call));
    }
    expect(snapshotWorld(world)).toEqual(before);
  });
});

describe("the owner's advisor adds a note and a reminder for the client", () => {
  let world: World;

  beforeAll(async () => {
    world = await buildWorld(makeBorrower());
  });

  it('every verb that adds is one of these two', () => {
    expect(VERBS.filter((v) => 'adds' in v.advisor).map((v) => v.name).sort()).toEqual(['addCaseNote', 'createReminder']);
  });

  it("addCaseNote: a note on the timeline, the advisor's, seen by the borrower; one line in the log; nothing else changes", () => {
    const before = snapshotWorld(world);
    const eventId = addCaseNote(world.advisor, world.main, '下周一我陪你去银行', 'advisor-note-0001');
    const after = snapshotWorld(world);
    expect(added(before.rows.caseEvents, after.rows.caseEvents)).toEqual([
      expect.objectContaining({ id: eventId, caseId: world.main, actorId: world.advisor.id, kind: 'note', data: { text: '下周一我陪你去银行' } }),
    ]);
    expect(added(before.accessLog, after.accessLog)).toEqual([logLine(world, 'add_note')]);
    // A note is activity on the case: its updatedAt moves (not its version); nothing else does.
    const settle = (s: Snapshot) => ({
      ...withoutLog(s),
      rows: {
        ...s.rows,
        caseEvents: s.rows.caseEvents.filter((e) => e.id !== eventId),
        cases: s.rows.cases.map((c) => (c.id === world.main ? { ...c, updatedAt: null } : c)),
      },
    });
    expect(settle(after)).toEqual(settle(before));
    expect(caseRow(world.main).version).toBe(before.rows.cases.find((c) => c.id === world.main)!.version);

    const seen = getCaseDetail(world.owner, world.main).events.find((e) => e.id === eventId);
    expect(seen).toEqual(expect.objectContaining({ kind: 'note', actorId: world.advisor.id, actorRole: 'advisor', data: { text: '下周一我陪你去银行' } }));
    expect(listAccessLog(world.owner)[0]).toEqual(expect.objectContaining({ action: 'add_note', caseId: world.main }));
  });

  it('addCaseNote sent twice with the same form key: one note, one line in the log', () => {
    const before = snapshotWorld(world);
    const first = addCaseNote(world.advisor, world.main, '重复提交', 'advisor-note-0002');
    expect(addCaseNote(world.advisor, world.main, '重复提交', 'advisor-note-0002')).toBe(first);
    const after = snapshotWorld(world);
    expect(added(before.rows.caseEvents, after.rows.caseEvents).map((e) => e.id)).toEqual([first]);
    expect(added(before.accessLog, after.accessLog)).toEqual([logLine(world, 'add_note')]);
  });

  it("createReminder: the client's reminder (owner = borrower, made by the advisor), one line in the log, nothing else changes", () => {
    const before = snapshotWorld(world);
    const id = createReminder(world.advisor, world.main, { title: '周五前交流水', dueOn: '2025-07-04', dueTime: '10:00', note: '顾问提醒' }, 'advisor-reminder-0001');
    const after = snapshotWorld(world);
    expect(added(before.reminders, after.reminders)).toEqual([
      expect.objectContaining({ id, ownerId: world.owner.id, createdBy: world.advisor.id, caseId: world.main, kind: 'custom', status: 'open', title: '周五前交流水' }),
    ]);
    expect(added(before.accessLog, after.accessLog)).toEqual([logLine(world, 'add_reminder')]);
    const settle = (s: Snapshot) => ({ ...withoutLog(s), reminders: s.reminders.filter((r) => r.id !== id) });
    expect(settle(after)).toEqual(settle(before));
    // It reaches the client like any reminder, and is not the advisor's.
    expect(listOpenReminders(world.owner).map((r) => r.id)).toContain(id);
    expect(listOpenReminders(world.advisor).map((r) => r.id)).not.toContain(id);
  });

  it('createReminder sent twice with the same form key: one reminder, one line in the log', () => {
    const before = snapshotWorld(world);
    const input = { title: '重复提交的提醒', dueOn: '2025-07-05', dueTime: null, note: '' };
    const first = createReminder(world.advisor, world.main, input, 'advisor-reminder-0002');
    expect(createReminder(world.advisor, world.main, input, 'advisor-reminder-0002')).toBe(first);
    const after = snapshotWorld(world);
    expect(added(before.reminders, after.reminders).map((r) => r.id)).toEqual([first]);
    expect(added(before.accessLog, after.accessLog)).toEqual([logLine(world, 'add_reminder')]);
  });
});

describe('sensitive documents and the separate consent', () => {
  let world: World;
  let otherAdvisor: Viewer;

  beforeAll(async () => {
    world = await buildWorld(makeBorrower());
    otherAdvisor = makeAdvisor();
    share(world.owner, otherAdvisor);
  });

  const sensitive = (w: World) => [
    ['medical proof (sensitive by its kind)', w.docWithFile],
    ['a document the owner marked sensitive', w.docMarked],
  ] as const;

  it('the documents are what they say', () => {
    const docs = new Map(snapshotWorld(world).rows.documents.map((d) => [d.id, d]));
    expect(documentsModule.isSensitiveDocument(docs.get(world.docWithFile)!)).toBe(true);
    expect(docs.get(world.docWithFile)!.sensitive).toBe(false);
    expect(documentsModule.isSensitiveDocument(docs.get(world.docMarked)!)).toBe(true);
    expect(docs.get(world.docMarked)!.sensitive).toBe(true);
    expect(documentsModule.isSensitiveDocument(docs.get(world.docPlain)!)).toBe(false);
    for (const id of [world.docWithFile, world.docMarked, world.docPlain]) expect(docs.get(id)!.storedName).toBeTruthy();
  });

  it('without consent the case page data says a sensitive document exists, not its file name or note', () => {
    const docs = new Map(getCaseDetail(world.advisor, world.main).documents.map((d) => [d.id, d]));
    for (const [label, id] of sensitive(world)) {
      expect(docs.get(id), label).toBeDefined();
      expect(docs.get(id)!.fileName, label).toBeNull();
      expect(docs.get(id)!.note, label).toBe('');
    }
    expect(docs.get(world.docPlain)!.fileName).toBeTruthy();
    const ownerDocs = new Map(getCaseDetail(world.owner, world.main).documents.map((d) => [d.id, d]));
    for (const [, id] of sensitive(world)) expect(ownerDocs.get(id)!.fileName).toBeTruthy();
  });

  it('without consent: ForbiddenError for each sensitive file, and nothing is logged', async () => {
    const before = snapshotWorld(world);
    for (const [label, id] of sensitive(world)) {
      const e = await failureOf(() => getDocumentFile(world.advisor, id));
      expect(e, label).toBeInstanceOf(ForbiddenError);
      expectExactly(e, ForbiddenError);
    }
    expect(snapshotWorld(world)).toEqual(before);
    // The owner opens them as always.
    for (const [, id] of sensitive(world)) expect(getDocumentFile(world.owner, id).path).toBeTruthy();
  });

  it("with consent: the advisor opens them, each opening in the log; another advisor's share is not consented by it", async () => {
    setSensitiveConsent(world.owner, world.shareId, true);
    expect(getCaseDetail(world.owner, world.main).access.sensitiveConsent).toBe(true);
    for (const [label, id] of sensitive(world)) {
      const before = snapshotWorld(world);
      const file = getDocumentFile(world.advisor, id);
      expect(file.path, label).toBeTruthy();
      const after = snapshotWorld(world);
      expect(withoutLog(after)).toEqual(withoutLog(before));
      const kind = before.rows.documents.find((d) => d.id === id)!.kind;
      expect(added(before.accessLog, after.accessLog)).toEqual([logLine(world, 'download_document', { detail: kind })]);
    }
    const before = snapshotWorld(world);
    for (const [, id] of sensitive(world)) expectExactly(await failureOf(() => getDocumentFile(otherAdvisor, id)), ForbiddenError);
    expect(snapshotWorld(world)).toEqual(before);
  });

  it('consent withdrawn: ForbiddenError again at once, and nothing is logged', async () => {
    setSensitiveConsent(world.owner, world.shareId, false);
    const before = snapshotWorld(world);
    for (const [, id] of sensitive(world)) expectExactly(await failureOf(() => getDocumentFile(world.advisor, id)), ForbiddenError);
    expect(snapshotWorld(world)).toEqual(before);
  });

  it('a document no longer marked sensitive opens without consent', () => {
    setDocumentSensitive(world.owner, world.main, world.docMarked, false);
    expect(getDocumentFile(world.advisor, world.docMarked).path).toBeTruthy();
  });
});

describe('revocation holds from the next request', () => {
  let world: World;

  beforeAll(async () => {
    world = await buildWorld(makeBorrower());
    setSensitiveConsent(world.owner, world.shareId, true);
  });

  it('every verb, which worked a moment ago, is NotFoundError right after revokeShare, and nothing changes', async () => {
    // Warm: the advisor reads everything they may, sensitive files included.
    expect(getCaseDetail(world.advisor, world.main).access.isOwner).toBe(false);
    for (const id of [world.docPlain, world.docWithFile, world.docMarked]) expect(getDocumentFile(world.advisor, id).path).toBeTruthy();
    expect(listCasesForBorrower(world.advisor).map((c) => c.id)).toContain(world.main);

    revokeShare(world.owner, world.shareId);
    const before = snapshotWorld(world);
    expect(before.shares.find((s) => s.id === world.shareId)!.status).toBe('revoked');
    const failures: Record<string, unknown> = {};
    for (const verb of VERBS) failures[verb.name] = (await failureOf(() => verb.call(world.advisor, world)))?.constructor;
    for (const id of [world.docPlain, world.docWithFile, world.docMarked]) {
      failures[`getDocumentFile ${id}`] = (await failureOf(() => getDocumentFile(world.advisor, id)))?.constructor;
    }
    expect(failures).toEqual(Object.fromEntries(Object.keys(failures).map((k) => [k, NotFoundError])));
    expect(snapshotWorld(world)).toEqual(before);
    expect(listCasesForBorrower(world.advisor)).toEqual([]);
    expect(listClientsForAdvisor(world.advisor)).toEqual([]);
  });
});

// --- what the borrower's list and totals give an advisor -------------------------------------

describe("listCasesForBorrower and borrowerTotals for an advisor: their active clients' cases, nobody else's", () => {
  /** What borrowerTotals should say of these cases, computed from their rows. */
  function totalsOf(caseIds: number[]) {
    const open = caseIds.map(caseRow).filter((c) => !c.archived && c.status !== 'closed');
    const total = (c: (typeof open)[number]) => recordedDebtFen(c) ?? 0;
    return {
      openCases: open.length,
      overdueFen: open.reduce((s, c) => s + total(c), 0),
      underPlanFen: open.filter((c) => c.status === 'approved' || c.status === 'repaying').reduce((s, c) => s + total(c), 0),
      amountsNotGiven: open.filter((c) => recordedDebtFen(c) === null).length,
      ...planFigures(open.filter((c) => c.status === 'approved' || c.status === 'repaying').map((c) => c.id)),
    };
  }
  /** What the current plans of these cases have had paid and have left, from their instalment rows. */
  function planFigures(caseIds: number[]) {
    let planPaidFen = 0;
    let planLeftFen = 0;
    for (const id of caseIds) {
      const rows = getDb().$client
        .prepare('SELECT amount_fen AS amount, paid_on AS paidOn, paid_fen AS paid FROM instalments WHERE plan_id = (SELECT max(id) FROM plans WHERE case_id = ?)')
        .all(id) as { amount: number; paidOn: string | null; paid: number | null }[];
      const paid = rows.reduce((s, r) => s + (r.paidOn ? (r.paid ?? 0) : 0), 0);
      planPaidFen += paid;
      planLeftFen += Math.max(0, rows.reduce((s, r) => s + r.amount, 0) - paid);
    }
    return { planPaidFen, planLeftFen };
  }

  it('counts the clients with an active share, not a revoked one, a pending one, or another advisor\'s', async () => {
    const world = await buildWorld(makeBorrower());
    const advisor = world.advisor;
    // A second client of the same advisor.
    const client = makeBorrower();
    const clientCases = [makeCase(client), makeCase(client)];
    advanceCase(client, clientCases[1], 'approved');
    share(client, advisor);
    // A former client (revoked), a borrower who only invited (not accepted), another advisor's client.
    const former = makeBorrower();
    const formerCase = makeCase(former);
    revokeShare(former, share(former, advisor));
    const pending = makeBorrower();
    makeCase(pending);
    createInvite(pending, '');
    const stranger = makeBorrower();
    makeCase(stranger);
    share(stranger, makeAdvisor());

    const expected = [...world.caseIds, ...clientCases].sort((a, b) => a - b);
    expect(listCasesForBorrower(advisor).map((c) => c.id).sort((a, b) => a - b)).toEqual(expected);
    expect(listCasesForBorrower(advisor, { q: caseRow(formerCase).product }).map((c) => c.id)).not.toContain(formerCase);
    expect(borrowerTotals(advisor)).toEqual(totalsOf(expected));
    expect(listClientsForAdvisor(advisor).map((c) => c.borrowerId).sort((a, b) => a - b)).toEqual(
      [world.owner.id, client.id].sort((a, b) => a - b),
    );
    // A listing is not a visit: nothing in anyone's access log.
    const logBefore = snapshotWorld(world).accessLog;
    listCasesForBorrower(advisor);
    borrowerTotals(advisor);
    expect(snapshotWorld(world).accessLog).toEqual(logBefore);

    revokeShare(world.owner, world.shareId);
    expect(listCasesForBorrower(advisor).map((c) => c.id).sort((a, b) => a - b)).toEqual(clientCases);
    expect(borrowerTotals(advisor)).toEqual(totalsOf(clientCases));
  });

  it('is empty for an advisor without clients, and for an admin', () => {
    for (const viewer of [makeAdvisor(), makeAdmin()]) {
      expect(listCasesForBorrower(viewer)).toEqual([]);
      expect(listCasesForBorrower(viewer, { archived: true })).toEqual([]);
      expect(borrowerTotals(viewer)).toEqual({ openCases: 0, overdueFen: 0, underPlanFen: 0, amountsNotGiven: 0, planPaidFen: 0, planLeftFen: 0 });
    }
  });
});

// --- the share verbs -------------------------------------------------------------------------

/** A borrower with a case, an advisor with an active share who has opened it, and a pending invitation. */
function buildShareWorld(): ShareWorld {
  const borrower = makeBorrower();
  const advisor = makeAdvisor();
  const caseId = makeCase(borrower);
  const shareId = share(borrower, advisor, '家人');
  getCaseDetail(advisor, caseId);
  const { shareId: inviteId, code } = createInvite(borrower, '还没接受');
  return { borrower, advisor, shareId, inviteId, code, caseId };
}

/** Every share of the borrower and every line of their access log. */
function snapshotShares(s: ShareWorld) {
  return {
    shares: getDb().select().from(shares).where(eq(shares.borrowerId, s.borrower.id)).orderBy(asc(shares.id)).all(),
    accessLog: getDb().select().from(accessLog).where(eq(accessLog.borrowerId, s.borrower.id)).orderBy(asc(accessLog.id)).all(),
  };
}

describe('the share verbs', () => {
  it.each(SHARE_VERBS.map((v) => [v.name, v] as const))('the rightful user may %s', async (_name, verb) => {
    const s = buildShareWorld();
    const viewer = verb.rightful === 'borrower' ? s.borrower : makeAdvisor();
    expect(await failureOf(() => verb.call(viewer, s))).toBeUndefined();
  });

  const WRONG_ROLES: [string, ShareRole, (s: ShareWorld) => Viewer][] = [
    ['another borrower', 'borrower', () => makeBorrower()],
    // The borrower of the share, with the advisors' verbs (accepting their own invitation, say).
    ['the borrower herself', 'borrower', (s) => s.borrower],
    ["the share's own advisor", 'advisor', (s) => s.advisor],
    ['another advisor', 'advisor', () => makeAdvisor()],
    ['an admin', 'admin', () => makeAdmin()],
  ];
  const refusals = WRONG_ROLES.flatMap(([label, role, make]) =>
    SHARE_VERBS.filter((v) => v.rightful !== role).map((v) => [label, v.name, make, v] as const),
  );

  it.each(refusals)('%s, %s: ForbiddenError, and no share or log line changes', async (_label, _name, make, verb) => {
    const s = buildShareWorld();
    const viewer = make(s);
    const before = snapshotShares(s);
    expectExactly(await failureOf(() => verb.call(viewer, s)), ForbiddenError);
    expect(snapshotShares(s)).toEqual(before);
  });

  it.each(SHARE_VERBS.filter((v) => v.otherBorrower).map((v) => [v.name, v] as const))(
    "another borrower, %s on the owner's share or invitation: NotFoundError, and the share is unchanged",
    async (_name, verb) => {
      const s = buildShareWorld();
      const other = makeBorrower();
      const before = snapshotShares(s);
      expectExactlyNotFound(await failureOf(() => verb.call(other, s)));
      expectExactlyNotFound(await failureOf(() => verb.call(other, { ...s, shareId: s.inviteId })));
      expect(snapshotShares(s)).toEqual(before);
      // The advisor still reads: the share was not touched.
      expect(getCase(s.advisor, s.caseId).case.id).toBe(s.caseId);
    },
  );

  it("another borrower lists none of the owner's shares or access log", () => {
    const s = buildShareWorld();
    const other = makeBorrower();
    expect(listSharesForBorrower(s.borrower).map((r) => r.id).sort()).toEqual([s.shareId, s.inviteId].sort());
    expect(listAccessLog(s.borrower).length).toBeGreaterThan(0);
    expect(listSharesForBorrower(other)).toEqual([]);
    expect(listAccessLog(other)).toEqual([]);
  });

  it("another advisor's clients are not listed", () => {
    const s = buildShareWorld();
    expect(listClientsForAdvisor(s.advisor).map((c) => c.borrowerId)).toEqual([s.borrower.id]);
    expect(listClientsForAdvisor(makeAdvisor())).toEqual([]);
  });
});
