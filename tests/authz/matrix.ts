/**
 * The authorisation matrix: who may do what to a borrower's data, as data. The single source of
 * truth for three things:
 *
 * - docs/authorization.md, rendered from it by scripts/authz-matrix.ts (a vitest check in
 *   db/authz-matrix.test.ts fails when the committed page differs from the render);
 * - db/authz-matrix.test.ts, which runs the db verbs of every cell as that role on the owner's
 *   data, in-process;
 * - e2e/authz-matrix.spec.ts, which sends the real requests of every cell over HTTP to the
 *   production build, and fails if a server action of the build is in no row.
 *
 * A row is one (object, operation) pair, sometimes split in variants where the answer differs
 * (a sensitive file, the advisor's dashboard). Each role's cell is the expected answer; where the
 * data layer and the HTTP layer answer differently the cell gives both, with the reason.
 *
 * Plain data only: no imports, so that scripts, vitest and Playwright can all read it.
 */

export const ROLES = ['anonymous', 'owner', 'otherBorrower', 'advisorWithShare', 'advisorWithoutShare', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  anonymous: 'Anonymous',
  owner: 'Borrower (owner)',
  otherBorrower: 'Other borrower',
  advisorWithShare: 'Advisor, active share',
  advisorWithoutShare: 'Advisor, no share',
  admin: 'Admin',
};

export const OBJECTS = [
  'case',
  'attempt',
  'document',
  'contact',
  'plan',
  'reminder',
  'note',
  'share',
  'calendar',
  'export',
  'lender',
  'account',
] as const;
export type MatrixObject = (typeof OBJECTS)[number];

export const OBJECT_LABELS: Record<MatrixObject, string> = {
  case: 'Case',
  attempt: 'Attempt (application to the lender)',
  document: 'Document and its file',
  contact: 'Contact (a call or chat with the lender)',
  plan: 'Plan and instalments',
  reminder: 'Reminder',
  note: 'Note on the timeline',
  share: 'Share (invitation, consent, access log)',
  calendar: 'Calendar feed',
  export: 'Export',
  lender: 'Lender (private, and the public directory)',
  account: 'Account',
};

export const OPERATIONS = ['list', 'read', 'create', 'update', 'delete', 'transition', 'download', 'export'] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * - allow: it works (for a list: the owner's rows are in it);
 * - not-found: "no such thing": the not-found page, a bare 404, the "not found" message of an
 *   action, or a list without the owner's rows. Indistinguishable from an id that does not exist;
 * - forbidden: the caller may see the thing but not do this (an advisor's read-only share, a
 *   sensitive file without consent), or the operation is for another role (a page that says it
 *   is not for this role, a redirect to one's own start page, the "not allowed" message);
 * - sign-in: sent to /signin before anything runs (anonymous over HTTP);
 * - n/a: cannot be tried (the reason is given).
 */
export const ANSWERS = ['allow', 'not-found', 'forbidden', 'sign-in', 'n/a'] as const;
export type Answer = (typeof ANSWERS)[number];

/** One answer for both layers, or one per layer with the reason they differ. */
export type Cell = Answer | { db: Answer; http: Answer; why: string };

export type MatrixRow = {
  /** Unique, stable: "<object>.<operation>[.<variant key>]"; the tests key their probes by it. */
  id: string;
  object: MatrixObject;
  operation: Operation;
  /** What distinguishes this row from others with the same pair. */
  variant?: string;
  /**
   * owner: aimed at the owner's data (ids of the owner's records).
   * self: takes no id and acts on the caller's own account; the cell says what a caller of that
   * role gets for themselves, and the owner's data must be unchanged whatever the answer.
   * bearer: authorised by a secret in the request (calendar token, invitation code).
   */
  scope: 'owner' | 'self' | 'bearer';
  /** Set when the pair makes no sense: why (no cells then). */
  na?: string;
  cells?: Record<Role, Cell>;
  /** db verbs, "db/<file>.ts#<export>". */
  verbs: string[];
  /** Server actions, "app/<path>/actions.ts#<export>", as the build's manifest names them. */
  actions: string[];
  /** Pages and route handlers, "GET <path>". */
  routes: string[];
  /** Added by a change landing alongside (the account's data export and deletion): the tests skip it, annotated, while its verbs or actions do not exist. */
  planned?: boolean;
  note?: string;
};

const A = 'allow' as const;
const N = 'not-found' as const;
const F = 'forbidden' as const;
const S = 'sign-in' as const;

/** The cells in ROLES order after anonymous (who, unless said otherwise, is sent to sign in). */
function cells(owner: Cell, otherBorrower: Cell, advisorWithShare: Cell, advisorWithoutShare: Cell, admin: Cell, anonymous: Cell = S): Record<Role, Cell> {
  return { anonymous, owner, otherBorrower, advisorWithShare, advisorWithoutShare, admin };
}

/** Read by the owner and by the advisor the owner shares with; nobody else. */
const READ_SHARED = cells(A, N, A, N, N);
/** Changed by the owner only; the owner's advisor is refused (read-only share); nobody else knows it exists. */
const OWNER_WRITES = cells(A, N, F, N, N);
/** The owner's own, not even the advisor's (reminders are scoped to the person they remind). */
const OWNER_ONLY = cells(A, N, N, N, N);

function na(object: MatrixObject, operation: Operation, why: string): MatrixRow {
  return { id: `${object}.${operation}`, object, operation, scope: 'owner', na: why, verbs: [], actions: [], routes: [] };
}

const CASE_PAGE = 'GET /cases/[id]';

export const MATRIX: MatrixRow[] = [
  // --- case ---------------------------------------------------------------------------------
  {
    id: 'case.list.borrower',
    object: 'case',
    operation: 'list',
    variant: "the borrower's list and home",
    scope: 'owner',
    cells: cells(A, N, { db: A, http: F, why: "listCasesForBorrower includes an active client's cases, but /cases and /home are borrowers' pages: an advisor is shown a 'for borrowers' page and lists clients on /dashboard" }, { db: N, http: F, why: "no client's cases in the list; the pages are for borrowers" }, { db: N, http: F, why: 'an admin has no cases; the pages are for borrowers' }),
    verbs: ['db/cases.ts#listCasesForBorrower', 'db/cases.ts#borrowerTotals'],
    actions: [],
    routes: ['GET /cases', 'GET /home'],
  },
  {
    id: 'case.list.dashboard',
    object: 'case',
    operation: 'list',
    variant: "the advisor's dashboard",
    scope: 'owner',
    cells: cells(F, F, A, N, F),
    verbs: [
      'db/advisor.ts#listAdvisorCases',
      'db/advisor.ts#advisorFigures',
      'db/advisor.ts#attentionItems',
      'db/advisor.ts#advisorCharts',
      'db/advisor.ts#listAdvisorLenders',
      'db/advisor.ts#listAdvisorClients',
      'db/shares.ts#listClientsForAdvisor',
    ],
    actions: [],
    routes: ['GET /dashboard'],
    note: 'Advisors only (ForbiddenError in db/, a redirect to one\'s own start page over HTTP), scoped to the borrowers whose share is active now.',
  },
  {
    id: 'case.read',
    object: 'case',
    operation: 'read',
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/cases.ts#getCase', 'db/cases.ts#getCaseDetail'],
    actions: [],
    routes: [CASE_PAGE],
    note: "An advisor's visit is written to the owner's access log: one line a visit (reads of one case within 30 minutes, as when a fold is opened, are one); the page's title, which a prefetched link asks for, is read with getCase and is no visit.",
  },
  {
    id: 'case.create',
    object: 'case',
    operation: 'create',
    variant: "on the owner's private lender",
    scope: 'owner',
    cells: cells(A, N, F, F, F),
    verbs: ['db/cases.ts#createCase'],
    actions: ['app/cases/actions.ts#createCaseAction'],
    routes: [],
    note: "A new case is the caller's own; what it can reach of the owner's is the private lender (by id). Only borrowers have cases (ForbiddenError for the other roles, before the lender is looked up).",
  },
  {
    id: 'case.update',
    object: 'case',
    operation: 'update',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/cases.ts#updateCase', 'db/cases.ts#setCaseArchived'],
    actions: ['app/cases/actions.ts#updateCaseAction', 'app/cases/actions.ts#setArchivedAction'],
    routes: [],
  },
  {
    id: 'case.update.form',
    object: 'case',
    operation: 'update',
    variant: 'the edit page',
    scope: 'owner',
    cells: cells(
      { db: 'n/a', http: A, why: 'the edit page reads through getCase (row case.read)' },
      { db: 'n/a', http: N, why: 'getCase: not found' },
      { db: 'n/a', http: N, why: 'getCase lets the advisor read; the page shows only the owner the form, everyone else the not-found page' },
      { db: 'n/a', http: N, why: 'getCase: not found' },
      { db: 'n/a', http: N, why: 'getCase: not found' },
    ),
    verbs: [],
    actions: [],
    routes: ['GET /cases/[id]/edit'],
  },
  {
    id: 'case.delete',
    object: 'case',
    operation: 'delete',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/cases.ts#deleteCase'],
    actions: ['app/cases/actions.ts#deleteCaseAction'],
    routes: [],
  },
  {
    id: 'case.transition',
    object: 'case',
    operation: 'transition',
    variant: 'withdraw (and undo a withdrawal), escalate, close the escalation (and undo that), record the plan voided by the lender',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/attempts.ts#withdrawCase', 'db/attempts.ts#undoWithdrawal', 'db/attempts.ts#escalateCase', 'db/attempts.ts#closeEscalation', 'db/attempts.ts#undoEscalationClose', 'db/attempts.ts#voidPlan'],
    actions: [
      'app/cases/[id]/actions.ts#withdrawAction',
      'app/cases/[id]/actions.ts#undoWithdrawalAction',
      'app/cases/[id]/actions.ts#escalateAction',
      'app/cases/[id]/actions.ts#closeEscalationAction',
      'app/cases/[id]/actions.ts#undoEscalationCloseAction',
      'app/cases/[id]/actions.ts#voidPlanAction',
    ],
    routes: [],
  },
  na('case', 'download', "a case has no file of its own: its documents' files are document/download"),
  na('case', 'export', 'see the export rows (the advisor\'s CSV, the borrower\'s own data)'),

  // --- attempt ------------------------------------------------------------------------------
  {
    id: 'attempt.list',
    object: 'attempt',
    operation: 'list',
    variant: "the case page's history",
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/cases.ts#getCaseDetail'],
    actions: [],
    routes: [CASE_PAGE],
  },
  na('attempt', 'read', "no page of its own: each attempt is read in the case page's history (attempt/list)"),
  {
    id: 'attempt.create',
    object: 'attempt',
    operation: 'create',
    variant: 'submit an application (first or again)',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/attempts.ts#submitAttempt'],
    actions: ['app/cases/[id]/actions.ts#submitAttemptAction'],
    routes: [],
  },
  {
    id: 'attempt.update',
    object: 'attempt',
    operation: 'update',
    variant: "the latest application's record corrected; a materials deadline moved; a request for materials removed; a decision undone",
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/attempts.ts#correctAttempt', 'db/attempts.ts#changeMaterialsDeadline', 'db/attempts.ts#removeMaterialsRequest', 'db/attempts.ts#undoDecision'],
    actions: [
      'app/cases/[id]/actions.ts#correctAttemptAction',
      'app/cases/[id]/actions.ts#changeMaterialsDeadlineAction',
      'app/cases/[id]/actions.ts#removeMaterialsRequestAction',
      'app/cases/[id]/actions.ts#undoDecisionAction',
    ],
    routes: [],
  },
  {
    id: 'attempt.delete',
    object: 'attempt',
    operation: 'delete',
    variant: "the latest round, recorded by mistake, taken back while still unanswered (the rest are the case's history: they go only with the case)",
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/attempts.ts#undoAttempt'],
    actions: ['app/cases/[id]/actions.ts#undoAttemptAction'],
    routes: [],
  },
  {
    id: 'attempt.transition',
    object: 'attempt',
    operation: 'transition',
    variant: "materials requested and sent, approved, rejected (and what the case would refuse in a decision's form, said beside the form's own errors)",
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: [
      'db/attempts.ts#requestMaterials',
      'db/attempts.ts#sendMaterials',
      'db/attempts.ts#decisionProblems',
      'db/attempts.ts#approveAttempt',
      'db/attempts.ts#rejectAttempt',
    ],
    actions: [
      'app/cases/[id]/actions.ts#requestMaterialsAction',
      'app/cases/[id]/actions.ts#sendMaterialsAction',
      'app/cases/[id]/actions.ts#approveAction',
      'app/cases/[id]/actions.ts#rejectAction',
    ],
    routes: [],
  },
  na('attempt', 'download', 'an attempt has no file'),
  na('attempt', 'export', 'see the export rows'),

  // --- document -----------------------------------------------------------------------------
  {
    id: 'document.list',
    object: 'document',
    operation: 'list',
    variant: "the case page's checklist",
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/cases.ts#getCaseDetail', 'db/documents.ts#suggestChecklist'],
    actions: [],
    routes: [CASE_PAGE],
    note: "Without the separate consent an advisor sees that a sensitive document exists, not its file name or note.",
  },
  na('document', 'read', "no page of its own: read in the case page's checklist (document/list); the file is document/download"),
  {
    id: 'document.create',
    object: 'document',
    operation: 'create',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/documents.ts#addDocument', 'db/documents.ts#addSuggestedDocuments'],
    actions: ['app/cases/[id]/actions.ts#addDocumentAction', 'app/cases/[id]/actions.ts#addSuggestedDocumentsAction'],
    routes: [],
  },
  {
    id: 'document.update',
    object: 'document',
    operation: 'update',
    variant: 'status, sensitive mark, upload a file',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/documents.ts#setDocumentStatus', 'db/documents.ts#setDocumentSensitive', 'db/documents.ts#attachDocumentFile'],
    actions: [
      'app/cases/[id]/actions.ts#setDocumentStatusAction',
      'app/cases/[id]/actions.ts#setDocumentSensitiveAction',
      'app/cases/[id]/actions.ts#uploadDocumentFileAction',
    ],
    routes: [],
    note: 'An upload is refused before its bytes are read.',
  },
  {
    id: 'document.delete',
    object: 'document',
    operation: 'delete',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/documents.ts#deleteDocument'],
    actions: ['app/cases/[id]/actions.ts#deleteDocumentAction'],
    routes: [],
  },
  na('document', 'transition', "a document's status is set freely (document/update), not by a status machine"),
  {
    id: 'document.download.plain',
    object: 'document',
    operation: 'download',
    variant: 'a file that is not sensitive',
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/documents.ts#getDocumentFile'],
    actions: [],
    routes: ['GET /documents/[id]'],
    note: "An advisor's download is written to the owner's access log. Refused downloads are the same short not-found page (404) whatever the reason, and never the file (a 403 page that says why, for a missing consent).",
  },
  {
    id: 'document.download.sensitive',
    object: 'document',
    operation: 'download',
    variant: 'a sensitive file, no consent',
    scope: 'owner',
    cells: cells(A, N, F, N, N),
    verbs: ['db/documents.ts#getDocumentFile'],
    actions: [],
    routes: ['GET /documents/[id]'],
    note: 'Sensitive by its kind (medical proof, bank statements) or marked by the owner. Without the separate consent: ForbiddenError, a 403 page that says why (never the file), nothing logged.',
  },
  {
    id: 'document.download.consented',
    object: 'document',
    operation: 'download',
    variant: 'a sensitive file, with consent',
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/documents.ts#getDocumentFile'],
    actions: [],
    routes: ['GET /documents/[id]'],
    note: "The consent is per share: it lets this advisor open the owner's sensitive files, nobody else.",
  },
  na('document', 'export', 'see the export rows'),

  // --- contact ------------------------------------------------------------------------------
  {
    id: 'contact.list',
    object: 'contact',
    operation: 'list',
    variant: 'the case page',
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/cases.ts#getCaseDetail'],
    actions: [],
    routes: [CASE_PAGE],
  },
  na('contact', 'read', "no page of its own: read in the case page's list (contact/list)"),
  {
    id: 'contact.create',
    object: 'contact',
    operation: 'create',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/contacts.ts#addContact'],
    actions: ['app/cases/[id]/actions.ts#addContactAction'],
    routes: [],
  },
  {
    id: 'contact.update',
    object: 'contact',
    operation: 'update',
    variant: 'what was recorded corrected; its promise chased as corrected',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/contacts.ts#correctContact'],
    actions: ['app/cases/[id]/actions.ts#correctContactAction'],
    routes: [],
  },
  {
    id: 'contact.outcome',
    object: 'contact',
    operation: 'update',
    variant: 'whether the lender kept its promise (or back to awaited); its chase closes or opens again',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/contacts.ts#recordPromiseOutcome'],
    actions: ['app/cases/[id]/actions.ts#recordPromiseOutcomeAction'],
    routes: [],
  },
  {
    id: 'contact.delete',
    object: 'contact',
    operation: 'delete',
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: ['db/contacts.ts#deleteContact'],
    actions: ['app/cases/[id]/actions.ts#deleteContactAction'],
    routes: [],
  },
  na('contact', 'transition', 'a contact has no status'),
  na('contact', 'download', 'a contact has no file'),
  na('contact', 'export', 'see the export rows'),

  // --- plan ---------------------------------------------------------------------------------
  {
    id: 'plan.list',
    object: 'plan',
    operation: 'list',
    variant: "the borrower's month calendar",
    scope: 'owner',
    cells: cells(
      A,
      N,
      { db: N, http: F, why: "listInstalmentsForMonth is the viewer's own instalments; /home is a borrowers' page" },
      { db: N, http: F, why: "the viewer's own instalments only; /home is a borrowers' page" },
      { db: N, http: F, why: "the viewer's own instalments only; /home is a borrowers' page" },
    ),
    verbs: ['db/plans.ts#listInstalmentsForMonth'],
    actions: [],
    routes: ['GET /home'],
  },
  {
    id: 'plan.read',
    object: 'plan',
    operation: 'read',
    variant: 'the case page',
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/cases.ts#getCaseDetail'],
    actions: [],
    routes: [CASE_PAGE],
  },
  na('plan', 'create', 'a plan is made by the approve transition (attempt/transition)'),
  {
    id: 'plan.update',
    object: 'plan',
    operation: 'update',
    variant: "an instalment paid, its payment corrected, its date or amount changed to the lender's schedule (alone, or its amount for every later unpaid one too), the agreed terms corrected, the rest paid off at once, or a payoff or a cancellation recorded by mistake undone",
    scope: 'owner',
    cells: OWNER_WRITES,
    verbs: [
      'db/plans.ts#markInstalmentPaid',
      'db/plans.ts#correctInstalmentPayment',
      'db/plans.ts#changeInstalment',
      'db/plans.ts#changeInstalmentAndLater',
      'db/plans.ts#correctPlanTerms',
      'db/plans.ts#payOffPlan',
      'db/plans.ts#undoPlanEnd',
    ],
    actions: [
      'app/cases/[id]/actions.ts#markInstalmentPaidAction',
      'app/cases/[id]/actions.ts#changeInstalmentAction',
      'app/cases/[id]/actions.ts#correctInstalmentPaymentAction',
      'app/cases/[id]/actions.ts#correctPlanTermsAction',
      'app/cases/[id]/actions.ts#payOffPlanAction',
      'app/cases/[id]/actions.ts#undoPlanEndAction',
    ],
    routes: [],
  },
  na('plan', 'delete', 'a plan goes only with its case (case/delete)'),
  na('plan', 'transition', 'the plan follows the case: paying the last instalment, or the rest at once, settles the case inside plan/update'),
  na('plan', 'download', 'a plan has no file; its dates are in the calendar feed'),
  na('plan', 'export', 'see the export rows'),

  // --- reminder -----------------------------------------------------------------------------
  {
    id: 'reminder.list.inbox',
    object: 'reminder',
    operation: 'list',
    variant: 'the inbox and the badge',
    scope: 'owner',
    cells: OWNER_ONLY,
    verbs: ['db/reminders.ts#listOpenReminders', 'db/reminders.ts#countDueReminders'],
    actions: [],
    routes: ['GET /reminders', 'GET /reminders/count'],
    note: "Scoped to the person reminded: the owner's advisor does not get the client's reminders in their own inbox.",
  },
  {
    id: 'reminder.list.case',
    object: 'reminder',
    operation: 'list',
    variant: 'the case page',
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/reminders.ts#listCaseReminders'],
    actions: [],
    routes: [CASE_PAGE],
  },
  na('reminder', 'read', 'no page of its own: read in the inbox and on the case page (reminder/list)'),
  {
    id: 'reminder.create',
    object: 'reminder',
    operation: 'create',
    variant: 'on a case',
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/reminders.ts#createReminder'],
    actions: ['app/reminders/actions.ts#reminderCreateAction'],
    routes: [],
    note: "The owner's advisor may add a reminder for the client (the owner's, marked as made by the advisor, in the access log).",
  },
  {
    id: 'reminder.update',
    object: 'reminder',
    operation: 'update',
    variant: 'edit, snooze',
    scope: 'owner',
    cells: OWNER_ONLY,
    verbs: ['db/reminders.ts#updateReminder', 'db/reminders.ts#snoozeReminder'],
    actions: ['app/reminders/actions.ts#reminderUpdateAction', 'app/reminders/actions.ts#reminderSnoozeAction'],
    routes: [],
  },
  na('reminder', 'delete', 'reminders are done or dismissed (reminder/transition), never deleted; they go with their case'),
  {
    id: 'reminder.transition',
    object: 'reminder',
    operation: 'transition',
    variant: 'done, dismissed, reopened',
    scope: 'owner',
    cells: OWNER_ONLY,
    verbs: ['db/reminders.ts#setReminderStatus'],
    actions: ['app/reminders/actions.ts#reminderDoneAction', 'app/reminders/actions.ts#reminderDismissAction', 'app/reminders/actions.ts#reminderReopenAction'],
    routes: [],
  },
  na('reminder', 'download', 'reminders reach calendar apps through the calendar feed (calendar/download)'),
  na('reminder', 'export', 'see the export rows'),

  // --- note ---------------------------------------------------------------------------------
  {
    id: 'note.list',
    object: 'note',
    operation: 'list',
    variant: "the case page's timeline",
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/cases.ts#getCaseDetail'],
    actions: [],
    routes: [CASE_PAGE],
  },
  {
    id: 'note.list.home',
    object: 'note',
    operation: 'list',
    variant: "the borrower's home: what advisors wrote lately",
    scope: 'owner',
    cells: cells(
      A,
      N,
      { db: N, http: F, why: "listRecentAdvisorNotes lists the notes on the viewer's own cases: the advisor who wrote them has none; /home is a borrowers' page" },
      { db: N, http: F, why: "the notes on the viewer's own cases only; /home is a borrowers' page" },
      { db: N, http: F, why: "the notes on the viewer's own cases only; /home is a borrowers' page" },
    ),
    verbs: ['db/notes.ts#listRecentAdvisorNotes'],
    actions: [],
    routes: ['GET /home'],
  },
  na('note', 'read', 'read in the timeline (note/list)'),
  {
    id: 'note.create',
    object: 'note',
    operation: 'create',
    scope: 'owner',
    cells: READ_SHARED,
    verbs: ['db/notes.ts#addCaseNote'],
    actions: ['app/cases/[id]/actions.ts#addCaseNoteAction'],
    routes: [],
    note: "The owner's advisor may add a note (marked as theirs, in the access log); it changes none of the case's facts.",
  },
  na('note', 'update', 'a note is part of the timeline: never edited'),
  na('note', 'delete', 'a note is part of the timeline: never deleted (it goes with its case)'),
  na('note', 'transition', 'a note has no status'),
  na('note', 'download', 'a note has no file'),
  na('note', 'export', 'see the export rows'),

  // --- share --------------------------------------------------------------------------------
  {
    id: 'share.list',
    object: 'share',
    operation: 'list',
    variant: "the borrower's shares",
    scope: 'owner',
    cells: cells(A, N, F, F, F),
    verbs: ['db/shares.ts#listSharesForBorrower'],
    actions: [],
    routes: ['GET /sharing'],
    note: "Borrowers only (ForbiddenError for the other roles; /sharing shows them a 'for borrowers' page).",
  },
  {
    id: 'share.list.log',
    object: 'share',
    operation: 'list',
    variant: 'the access log',
    scope: 'owner',
    cells: cells(A, N, F, F, F),
    verbs: ['db/shares.ts#listAccessLog'],
    actions: [],
    routes: ['GET /sharing'],
  },
  {
    id: 'share.list.ended',
    object: 'share',
    operation: 'list',
    variant: "clients who stopped sharing, on the advisor's dashboard",
    scope: 'self',
    cells: cells(F, F, A, A, F),
    verbs: ['db/shares.ts#listEndedSharesForAdvisor'],
    actions: [],
    routes: ['GET /dashboard'],
    note: "Advisors only, and only the shares each held: a client's name and the day they stopped sharing (30 days), nothing of their cases. An advisor who never held the owner's share is never told of it (db/shares.test.ts).",
  },
  {
    id: 'share.read',
    object: 'share',
    operation: 'read',
    variant: "an invitation, holding its code",
    scope: 'bearer',
    cells: cells(F, F, A, A, F),
    verbs: ['db/shares.ts#previewInvite'],
    actions: [],
    routes: ['GET /share/accept'],
    note: "The code is a bearer secret (stored hashed, shown once to the borrower, valid 7 days). Anonymous: the page asks to sign in as an advisor.",
  },
  {
    id: 'share.create',
    object: 'share',
    operation: 'create',
    variant: 'an invitation',
    scope: 'self',
    cells: cells(A, A, F, F, F),
    verbs: ['db/shares.ts#createInvite'],
    actions: ['app/sharing/actions.ts#createInviteAction'],
    routes: [],
    note: "From the caller's own account: another borrower makes their own invitation, never one of the owner's.",
  },
  {
    id: 'share.update',
    object: 'share',
    operation: 'update',
    variant: 'the sensitive-document consent',
    scope: 'owner',
    cells: cells(A, N, F, F, F),
    verbs: ['db/shares.ts#setSensitiveConsent'],
    actions: ['app/sharing/actions.ts#setSensitiveConsentAction'],
    routes: [],
  },
  {
    id: 'share.delete',
    object: 'share',
    operation: 'delete',
    variant: 'revoke, cancel an invitation',
    scope: 'owner',
    cells: cells(A, N, F, F, F),
    verbs: ['db/shares.ts#revokeShare'],
    actions: ['app/sharing/actions.ts#revokeShareAction'],
    routes: [],
    note: "Revocation holds from the advisor's next request (caseReadableBy checks the share on every query).",
  },
  {
    id: 'share.transition',
    object: 'share',
    operation: 'transition',
    variant: 'accept an invitation, holding its code',
    scope: 'bearer',
    cells: cells(
      F,
      F,
      { db: 'n/a', http: 'n/a', why: "already the owner's advisor: a second invitation is refused as 'already shared' (sharing.spec.ts)" },
      A,
      F,
    ),
    verbs: ['db/shares.ts#acceptInvite'],
    actions: ['app/share/accept/actions.ts#acceptInviteAction'],
    routes: [],
    note: 'Advisors only; the code, not an id, says which invitation.',
  },
  na('share', 'download', 'a share has no file'),
  na('share', 'export', 'see the export rows'),

  // --- calendar feed ------------------------------------------------------------------------
  na('calendar', 'list', 'one feed per account (calendar/read)'),
  {
    id: 'calendar.read',
    object: 'calendar',
    operation: 'read',
    variant: "the feed's address",
    scope: 'owner',
    cells: OWNER_ONLY,
    verbs: ['db/calendar.ts#getCalendarFeedUrlToken'],
    actions: [],
    routes: ['GET /settings'],
    note: "Each caller is given their own feed's address, never the owner's.",
  },
  na('calendar', 'create', 'the address is made on first use (calendar/read)'),
  {
    id: 'calendar.update',
    object: 'calendar',
    operation: 'update',
    variant: 'a new address',
    scope: 'self',
    cells: cells(A, A, A, A, A),
    verbs: ['db/calendar.ts#regenerateCalendarToken'],
    actions: ['app/settings/actions.ts#regenerateCalendarTokenAction'],
    routes: [],
    note: "The caller's own address; the old one stops working at once.",
  },
  na('calendar', 'delete', 'a feed is replaced (calendar/update), not deleted'),
  na('calendar', 'transition', 'a feed has no status'),
  {
    id: 'calendar.download.token',
    object: 'calendar',
    operation: 'download',
    variant: "with the owner's current token",
    scope: 'bearer',
    cells: cells(A, A, A, A, A, A),
    verbs: ['db/calendar.ts#systemCalendarForToken'],
    actions: [],
    routes: ['GET /calendar/[token].ics'],
    note: 'Calendar apps send no cookie: the token (32 random bytes) is the only key, so whoever holds it reads the feed, signed in or not. Only the owner is ever shown it (calendar/read).',
  },
  {
    id: 'calendar.download.stale',
    object: 'calendar',
    operation: 'download',
    variant: 'with a token regenerated away, or guessed',
    scope: 'bearer',
    cells: cells(N, N, N, N, N, N),
    verbs: ['db/calendar.ts#systemCalendarForToken'],
    actions: [],
    routes: ['GET /calendar/[token].ics'],
    note: 'An unknown, malformed or replaced token: the same bare 404.',
  },
  na('calendar', 'export', 'the feed is itself an export (calendar/download)'),

  // --- export -------------------------------------------------------------------------------
  na('export', 'list', 'an export is made on request, never stored'),
  na('export', 'read', 'an export is made on request, never stored'),
  na('export', 'create', 'an export is made on request (export/export)'),
  na('export', 'update', 'an export is made on request, never stored'),
  na('export', 'delete', 'an export is made on request, never stored'),
  na('export', 'transition', 'an export has no status'),
  na('export', 'download', 'the downloads are export/export'),
  {
    id: 'export.export.dashboard',
    object: 'export',
    operation: 'export',
    variant: "the advisor's CSV of clients' cases",
    scope: 'owner',
    cells: cells(
      { db: F, http: N, why: 'exportAdvisorCases is for advisors (ForbiddenError); the route answers anyone else like a page that does not exist' },
      { db: F, http: N, why: 'for advisors only' },
      A,
      N,
      { db: F, http: N, why: 'for advisors only' },
    ),
    verbs: ['db/advisor.ts#exportAdvisorCases'],
    actions: [],
    routes: ['GET /dashboard/export'],
    note: "Each client whose cases are in the file finds an 'export' line in their access log.",
  },
  {
    id: 'export.export.account',
    object: 'export',
    operation: 'export',
    variant: "the borrower's own data (zip)",
    scope: 'self',
    cells: cells(A, A, A, A, A),
    verbs: ['db/account.ts#exportAccountData', 'db/account.ts#exportAccountArchive'],
    actions: [],
    routes: ['GET /settings/export'],
    planned: true,
    note: "The caller's own account only: nobody can name another account.",
  },

  // --- private lender -----------------------------------------------------------------------
  {
    id: 'lender.list',
    object: 'lender',
    operation: 'list',
    variant: 'the directory',
    scope: 'owner',
    cells: OWNER_ONLY,
    verbs: ['db/lenders.ts#listLenders'],
    actions: [],
    routes: ['GET /lenders'],
    note: 'Everyone sees the public directory; a private lender only its borrower.',
  },
  {
    id: 'lender.read',
    object: 'lender',
    operation: 'read',
    variant: "chosen by id in the new-case form",
    scope: 'owner',
    cells: cells(
      A,
      N,
      { db: N, http: F, why: "getLender: not the advisor's; /cases/new is for borrowers (a redirect)" },
      { db: N, http: F, why: "getLender: not theirs; /cases/new is for borrowers" },
      { db: N, http: F, why: "getLender: not theirs; /cases/new is for borrowers" },
    ),
    verbs: ['db/lenders.ts#getLender'],
    actions: [],
    routes: ['GET /cases/new'],
  },
  {
    id: 'lender.create',
    object: 'lender',
    operation: 'create',
    variant: 'a private lender',
    scope: 'self',
    cells: cells(A, A, F, F, F),
    verbs: ['db/lenders.ts#createPrivateLender'],
    actions: ['app/lenders/actions.ts#createPrivateLenderAction'],
    routes: [],
    note: "Owned by the caller; advisors suggest and admins curate the public directory, so only borrowers add one.",
  },
  {
    id: 'lender.create.suggestion',
    object: 'lender',
    operation: 'create',
    variant: "a suggestion to the public directory (advisor), and the advisor's own listed",
    scope: 'self',
    cells: cells(F, F, A, A, F),
    verbs: ['db/lender-suggestions.ts#suggestLenderChange', 'db/lender-suggestions.ts#listMyLenderSuggestions'],
    actions: ['app/lenders/actions.ts#suggestLenderChangeAction'],
    routes: [],
    note: 'DESIGN §2: advisors suggest, admins curate. About a public lender or one the directory lacks; a private lender, anyone\'s, is "not found". Borrowers add a private lender instead.',
  },
  {
    id: 'lender.create.public',
    object: 'lender',
    operation: 'create',
    variant: 'a public lender (admin)',
    scope: 'self',
    cells: cells(N, N, N, N, A),
    verbs: ['db/lenders.ts#createPublicLender'],
    actions: ['app/admin/lenders/actions.ts#createPublicLenderAction'],
    routes: [],
    note: "Admins curate the public directory, which is nobody's data: nothing of the owner's changes. For anyone else the action is \"not found\", like the console's pages.",
  },
  {
    id: 'lender.update.own',
    object: 'lender',
    operation: 'update',
    variant: "the owner's private lender, corrected by its owner",
    scope: 'owner',
    cells: cells(A, N, N, N, N),
    verbs: ['db/lenders.ts#updatePrivateLender'],
    actions: ['app/lenders/actions.ts#updatePrivateLenderAction'],
    routes: [],
    note: 'The owner corrects a name, hotline or review time typed wrong; the form carries the lender as loaded, and a stale tab writes nothing.',
  },
  {
    id: 'lender.update',
    object: 'lender',
    operation: 'update',
    variant: "the owner's private lender, through the directory's curation",
    scope: 'owner',
    cells: cells(N, N, N, N, N),
    verbs: ['db/lenders.ts#getPublicLender', 'db/lenders.ts#updatePublicLender'],
    actions: ['app/admin/lenders/actions.ts#updatePublicLenderAction'],
    routes: ['GET /admin/lenders/[id]'],
    note: "Only its owner changes a private lender (the row above). Admins edit only public lenders (db/lenders.ts scopes the edit form and the save to owner_id is null), so for an admin too the owner's lender is \"not found\", as for everyone else, to whom the curation is \"not found\" altogether.",
  },
  na('lender', 'delete', 'a private lender is never deleted (cases point at it)'),
  {
    id: 'lender.transition',
    object: 'lender',
    operation: 'transition',
    variant: "the advisors' suggestions to the directory, listed and answered (admin)",
    scope: 'self',
    cells: cells(N, N, N, N, A),
    verbs: ['db/lender-suggestions.ts#listLenderSuggestions', 'db/lender-suggestions.ts#resolveLenderSuggestion'],
    actions: ['app/admin/lenders/actions.ts#resolveLenderSuggestionAction'],
    routes: [],
    note: "A lender has no status; a suggestion about one has (open, done, dismissed). Nobody's case data: an admin answers, and the console is \"not found\" for anyone else.",
  },
  na('lender', 'download', 'a lender has no file'),
  na('lender', 'export', 'see the export rows'),

  // --- account ------------------------------------------------------------------------------
  {
    id: 'account.list',
    object: 'account',
    operation: 'list',
    variant: 'the accounts console (admin), with its mail figures',
    scope: 'owner',
    cells: cells(N, N, N, N, A),
    verbs: ['db/admin.ts#listAccounts', 'db/admin.ts#getMailHealth'],
    actions: [],
    routes: ['GET /admin'],
    note: "Admins list accounts: e-mail, name, role, disabled, created; nothing an account holds; and the outbox's counts and newest failure, nothing of whom mail was for. For anyone else listAccounts and getMailHealth are NotFoundError and /admin the not-found page.",
  },
  {
    id: 'account.read',
    object: 'account',
    operation: 'read',
    variant: 'settings: mail status, whether the email is confirmed, a new one waiting for its link, what deleting would remove',
    scope: 'self',
    cells: cells(A, A, A, A, A),
    verbs: ['db/mailer.ts#getMailStatus', 'db/users.ts#emailConfirmed', 'db/users.ts#pendingEmailChange', 'db/account.ts#accountDeletionSummary'],
    actions: [],
    routes: ['GET /settings'],
    planned: true,
    note: "The viewer's own account: read by viewer.id, no id to aim elsewhere.",
  },
  na('account', 'create', 'sign-up is public and makes a new account (outside the matrix)'),
  {
    id: 'account.update',
    object: 'account',
    operation: 'update',
    variant: 'profile, sign-in email (a change waiting for its link cancelled too), password, sessions, e-mail reminders',
    scope: 'self',
    cells: cells(A, A, A, A, A),
    verbs: [
      'db/users.ts#updateProfile',
      'db/users.ts#changeEmail',
      'db/users.ts#cancelEmailChange',
      'db/users.ts#changePassword',
      'db/users.ts#revokeOtherSessions',
      'db/mailer.ts#setEmailReminders',
    ],
    actions: [
      'app/settings/actions.ts#updateProfileAction',
      'app/settings/actions.ts#changeEmailAction',
      'app/settings/actions.ts#cancelEmailChangeAction',
      'app/settings/actions.ts#changePasswordAction',
      'app/settings/actions.ts#signOutEverywhereAction',
      'app/settings/actions.ts#setEmailRemindersAction',
    ],
    routes: [],
    note: "The viewer's own row and sessions: no form names an account.",
  },
  {
    id: 'account.update.confirmation-mail',
    object: 'account',
    operation: 'update',
    variant: 'the link that confirms the sign-in email, or a new one waiting for it, mailed again (settings)',
    scope: 'self',
    cells: (() => {
      const mailed = {
        db: A,
        http: 'n/a' as const,
        why: "the e2e server sends no mail (no SMTP), so the action answers 'no_mail' for everyone; db/ mails it through a real SMTP server on loopback, and db/users.test.ts reads it",
      };
      return cells(mailed, mailed, mailed, mailed, mailed);
    })(),
    verbs: ['db/users.ts#sendEmailConfirmation'],
    actions: ['app/settings/actions.ts#sendEmailConfirmationAction'],
    routes: [],
    note: "The viewer's own address only, at most five a day: no form names an account or an address.",
  },
  {
    id: 'account.update.email-confirm',
    object: 'account',
    operation: 'update',
    variant: "the sign-in email confirmed, or a new one made the sign-in email, with the link mailed to it (确认邮箱)",
    scope: 'bearer',
    cells: cells(A, A, A, A, A, A),
    verbs: ['db/users.ts#systemEmailConfirmationState', 'db/users.ts#systemConfirmEmail'],
    actions: [],
    routes: ['GET /confirm-email'],
    note: "The mail may be read where nobody is signed in: the link's token, an HMAC of the account, the address it was mailed to and the day the link ends under the server's secret, is the only key. A sign-up's link works for the account's current address, and marks it confirmed (reminder mail then goes to it); an email change's, a purpose of its own, works for the new address the account waits for, and makes it the sign-in email (a second change or a cancelled one ends it). It is mailed only to that address. The page asks for one press, so that a mail scanner opening the link confirms nothing.",
  },
  {
    id: 'account.update.email-confirm.wrong',
    object: 'account',
    operation: 'update',
    variant: 'the same link ended, altered, or aimed at another account',
    scope: 'bearer',
    cells: cells(N, N, N, N, N, N),
    verbs: ['db/users.ts#systemEmailConfirmationState', 'db/users.ts#systemConfirmEmail'],
    actions: [],
    routes: ['GET /confirm-email'],
    note: 'The page says the link no longer works, and nothing changes.',
  },
  {
    id: 'account.update.unsubscribe',
    object: 'account',
    operation: 'update',
    variant: "reminder mail stopped by the link in a reminder mail, with the owner's token",
    scope: 'bearer',
    cells: cells(A, A, A, A, A, A),
    verbs: ['db/mailer.ts#systemUnsubscribeWithToken'],
    actions: [],
    routes: ['POST /mail/unsubscribe/confirm'],
    note: "Mail programs send no cookie (RFC 8058 one-click): the token, an HMAC of the account under the server's secret, is the only key, and all it does is turn reminder mail off. Only the mail's recipient is ever sent it.",
  },
  {
    id: 'account.update.unsubscribe.wrong',
    object: 'account',
    operation: 'update',
    variant: "the same link with a wrong token, or another account's",
    scope: 'bearer',
    cells: cells(N, N, N, N, N, N),
    verbs: ['db/mailer.ts#systemUnsubscribeWithToken'],
    actions: [],
    routes: ['POST /mail/unsubscribe/confirm'],
    note: 'The same bare 404, and nothing changes.',
  },
  {
    id: 'account.update.password-reset',
    object: 'account',
    operation: 'update',
    variant: 'a new password set with the link mailed to the account\'s address (忘记密码)',
    scope: 'bearer',
    cells: cells(A, A, A, A, A, A),
    verbs: ['db/users.ts#systemPasswordResetAccount', 'db/users.ts#systemPasswordResetEmail', 'db/users.ts#systemResetPassword'],
    actions: [],
    routes: ['GET /reset-password'],
    note: "The person cannot sign in: the link's token, an HMAC of the account, its current address and password hash and the hour the link ends under the server's secret, is the only key. It is mailed only to the account's own address (or handed over by an administrator with `npm run reset-link`, which then confirms no address); it works once, for an hour, and every session of the account ends (and the calendar feed's address, where the page's box is ticked).",
  },
  {
    id: 'account.update.password-reset.wrong',
    object: 'account',
    operation: 'update',
    variant: "the same link ended, altered, or aimed at another account",
    scope: 'bearer',
    cells: cells(N, N, N, N, N, N),
    verbs: ['db/users.ts#systemPasswordResetAccount', 'db/users.ts#systemPasswordResetEmail', 'db/users.ts#systemResetPassword'],
    actions: [],
    routes: ['GET /reset-password'],
    note: 'The page says the link no longer works, and nothing changes.',
  },
  {
    id: 'account.delete',
    object: 'account',
    operation: 'delete',
    scope: 'self',
    cells: cells(A, A, A, A, {
      db: A,
      http: 'n/a',
      why: "the last admin cannot delete their account ('last_admin'), and the e2e server has one admin; db/account.test.ts covers it",
    }),
    verbs: ['db/account.ts#deleteAccount'],
    actions: ['app/settings/actions.ts#deleteAccountAction'],
    routes: [],
    planned: true,
    note: "The caller's own account only, after its password and typed e-mail. An advisor deleting theirs ends the shares they held (revoked, kept for the borrower's record).",
  },
  {
    id: 'account.update.role',
    object: 'account',
    operation: 'update',
    variant: "the owner's role (admin)",
    scope: 'owner',
    cells: cells(N, N, N, N, {
      db: F,
      http: F,
      why: "the owner holds cases and a share, which another role would strand, so setAccountRole refuses ('role_has_data', with its own message) and nothing changes; db/admin.test.ts changes the role of accounts that hold nothing",
    }),
    verbs: ['db/admin.ts#setAccountRole'],
    actions: ['app/admin/actions.ts#setAccountRoleAction'],
    routes: [],
    note: 'Admins only; an admin cannot remove their own admin role, nor demote the last active admin.',
  },
  {
    id: 'account.transition',
    object: 'account',
    operation: 'transition',
    variant: "disable and enable the owner's account (admin)",
    scope: 'owner',
    cells: cells(N, N, N, N, A),
    verbs: ['db/admin.ts#setAccountDisabled'],
    actions: ['app/admin/actions.ts#setAccountDisabledAction'],
    routes: [],
    note: "Admins only. Disabling ends every session of the account at once and stops it signing in; its data stays as it is. An admin cannot disable themself, nor the last active admin.",
  },
  na('account', 'download', 'see export/export (the borrower\'s own data)'),
  na('account', 'export', 'see export/export (the borrower\'s own data)'),
];

/**
 * Server actions outside the matrix, with the reason: they are public by design or touch only the
 * caller's session. Every other action of the build must be in a row.
 */
export const OUTSIDE_THE_MATRIX: Record<string, string> = {
  'app/(auth)/actions.ts#signInAction': 'public by design: takes an e-mail and a password, touches no existing data (rate-limited; auth.spec.ts)',
  'app/(auth)/actions.ts#signUpAction': 'public by design: makes a new account',
  'app/(auth)/actions.ts#forgotPasswordAction': "public by design: mails a reset link to the account's own address only, and answers the same for every address (rate-limited)",
  'app/(auth)/actions.ts#resetPasswordAction': "bearer: the link's token is the key; its verb is the row account.update.password-reset's",
  'app/(auth)/actions.ts#confirmEmailAction': "bearer: the link's token is the key; its verb is the row account.update.email-confirm's",
  'app/actions.ts#setLocaleAction': "public by design: sets the language cookie, and the caller's own account language",
  'app/actions.ts#signOutAction': "ends the caller's own session",
};

/** The expected answer of one role in one row, at one layer. Anonymous callers never reach db/ (requireViewer, formAction). */
export function expected(row: MatrixRow, role: Role, layer: 'db' | 'http'): Answer {
  if (!row.cells) return 'n/a';
  const cell = row.cells[role];
  if (typeof cell !== 'string') return cell[layer];
  if (layer === 'db' && cell === 'sign-in') return 'n/a';
  return cell;
}

/** Why a cell differs between the layers, if it does. */
export function cellWhy(row: MatrixRow, role: Role): string | undefined {
  const cell = row.cells?.[role];
  if (!cell || typeof cell === 'string') return undefined;
  return cell.why;
}

/** Every action the matrix names, with its row. */
export function actionRows(): Map<string, MatrixRow[]> {
  const out = new Map<string, MatrixRow[]>();
  for (const row of MATRIX) for (const a of row.actions) out.set(a, [...(out.get(a) ?? []), row]);
  return out;
}
