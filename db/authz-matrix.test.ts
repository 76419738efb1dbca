/**
 * The authorisation matrix (tests/authz/matrix.ts) at the data layer, in-process: every cell's db
 * verbs, called as that role on the owner's data, give the cell's answer; every refusal leaves
 * the owner's rows and files exactly as they were. Each cell gets a world of its own, so no cell
 * depends on another's leftovers.
 *
 * Also: the matrix is complete (every object × operation pair is a row or n/a with a reason), it
 * names only verbs and actions that exist, every exported verb of db/ is in it (or listed below
 * as no verb, with the reason), and docs/authorization.md is its current rendering.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { emailConfirmationToken } from '@/lib/email-confirmation';
import { lenderFingerprint } from '@/lib/lender-curation';
import { passwordResetToken } from '@/lib/password-reset';
import { unsubscribeToken } from '@/lib/unsubscribe';
import { DOC_PATH, renderAuthorizationDoc } from '@/scripts/authz-matrix';
import { startSmtpServer, transportTo } from '@/tests/mail-helpers';
import {
  ANSWERS,
  MATRIX,
  OBJECTS,
  OPERATIONS,
  ROLES,
  expected,
  type Answer,
  type MatrixRow,
  type Role,
} from '@/tests/authz/matrix';
import {
  TEST_PASSWORD,
  advanceCase,
  approveInput,
  caseInput,
  caseRow,
  contactInput,
  escalateInput,
  fileOf,
  makeAdmin,
  makeAdvisor,
  makeBorrower,
  makeCase,
  materialsInput,
  pngBytes,
  publicLenderInput,
  rejectInput,
  snapshotCases,
  submitInput,
  versionOf,
  reminderStampOf,
} from '@/tests/factories';
import * as adminModule from './admin';
import * as advisorModule from './advisor';
import * as attemptsModule from './attempts';
import * as calendarModule from './calendar';
import * as casesModule from './cases';
import { getDb } from './client';
import * as contactsModule from './contacts';
import * as lenderSuggestionsModule from './lender-suggestions';
import * as documentsModule from './documents';
import { storedFilePath } from './files';
import * as lendersModule from './lenders';
import * as mailerModule from './mailer';
import * as notesModule from './notes';
import * as plansModule from './plans';
import * as remindersModule from './reminders';
import { accessLog, cases, formSubmissions, lenders, reminders, sessions, shares, users } from './schema';
import * as sharesModule from './shares';
import * as usersModule from './users';
import type { Viewer } from './viewer-type';

const ROOT = path.resolve(__dirname, '..');
const TODAY = '2025-06-02';

// --- the account export and deletion, being added by another change ---------------------------

type AccountModule = {
  exportAccountData?: (viewer: Viewer) => unknown;
  exportAccountArchive?: (viewer: Viewer, readme: string) => ReadableStream<Uint8Array>;
  accountDeletionSummary?: (viewer: Viewer) => { cases: number; reminders: number; activeSharesGiven: number };
  deleteAccount?: (viewer: Viewer, input: { password: string; confirmEmail: string }) => Promise<unknown>;
};
const ACCOUNT_FILE = path.join(ROOT, 'db/account.ts');
let accountModule: AccountModule | null = null;

beforeAll(async () => {
  if (existsSync(ACCOUNT_FILE)) accountModule = (await import(/* @vite-ignore */ ACCOUNT_FILE)) as AccountModule;
});

/** A planned row whose verbs do not exist yet: skipped, and said so. */
function plannedMissing(row: MatrixRow): string | null {
  if (!row.planned) return null;
  if (!accountModule && !existsSync(ACCOUNT_FILE)) return 'db/account.ts does not exist yet';
  const missing = row.verbs.filter((v) => v.startsWith('db/account.ts#') && typeof (accountModule as Record<string, unknown> | null)?.[v.split('#')[1]] !== 'function');
  return missing.length ? `not exported yet: ${missing.join(', ')}` : null;
}

/** An export of the caller's own account: the owner's has the owner's product; anyone else's none of the owner's words. */
function ownExport(viewer: Viewer, w: World, data: unknown): boolean {
  const product = caseRow(w.main).product;
  if (viewer.id === w.owner.id) return exportMentions(data, product) && exportMentions(data, w.owner.email);
  return !exportMentions(data, product) && !exportMentions(data, w.owner.email) && !exportMentions(data, '机密提醒');
}

/** Does an export (an object, text, or a zip's bytes) contain this text anywhere? */
function exportMentions(data: unknown, text: string): boolean {
  if (data instanceof Uint8Array || Buffer.isBuffer(data)) {
    const bytes = new Uint8Array(data);
    const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
    if (!isZip) return Buffer.from(bytes).toString('utf8').includes(text);
    return Object.values(unzipSync(bytes)).some((f) => Buffer.from(f).toString('utf8').includes(text));
  }
  if (data && typeof data === 'object' && 'bytes' in data) return exportMentions((data as { bytes: unknown }).bytes, text);
  return JSON.stringify(data ?? null).includes(text);
}

// --- the owner's world -------------------------------------------------------------------------

type World = {
  owner: Viewer;
  /** the owner's advisor, with an active share (no sensitive consent unless a row gives it) */
  advisor: Viewer;
  shareId: number;
  /** approved, with a plan, documents, contacts, reminders and a note */
  main: number;
  preparing: number;
  /** three cases under review: one each for request materials, approve, reject */
  reviewA: number;
  reviewB: number;
  reviewC: number;
  materialsRequested: number;
  rejected: number;
  escalated: number;
  approved: number;
  /** under review, then withdrawn: the withdrawal can be undone */
  withdrawn: number;
  /** escalated, then the mediation ended: its end can be undone */
  escalationClosed: number;
  privateLenderId: number;
  contactId: number;
  /** not sensitive, with a file */
  docPlain: number;
  /** medical proof, with a file: sensitive by its kind */
  docSensitive: number;
  /** "other", with a file, marked sensitive by the owner */
  docMarked: number;
  /** no file yet */
  docNeeded: number;
  instalmentId: number;
  paidInstalmentId: number;
  customReminderId: number;
  ruleReminderId: number;
  calendarToken: string;
  /** set by a row's prepare step */
  code?: string;
  staleToken?: string;
};

type Stage = 'preparing' | 'reviewA' | 'reviewB' | 'reviewC' | 'materialsRequested' | 'rejected' | 'escalated' | 'approved' | 'withdrawn' | 'escalationClosed';
/** The cases in a given status that a row's verbs need (every write is a few fsyncs: only what is used is made). */
const STAGES_NEEDED: Record<string, Stage[]> = {
  'case.transition': ['rejected', 'escalated', 'approved', 'withdrawn', 'escalationClosed'],
  'attempt.create': ['preparing'],
  'attempt.transition': ['reviewA', 'reviewB', 'reviewC', 'materialsRequested'],
  'attempt.update': ['materialsRequested', 'rejected'],
  'attempt.delete': ['escalated'],
  'plan.update': ['approved'],
};
const STAGE_OF: Record<Stage, Parameters<typeof advanceCase>[2]> = {
  preparing: 'preparing',
  reviewA: 'under_review',
  reviewB: 'under_review',
  reviewC: 'under_review',
  materialsRequested: 'materials_requested',
  rejected: 'rejected',
  escalated: 'escalated',
  approved: 'approved',
  // … then withdrawn (buildWorld).
  withdrawn: 'under_review',
  // … then the mediation ended (buildWorld).
  escalationClosed: 'escalated',
};

async function buildWorld(stages: Stage[] = []): Promise<World> {
  const owner = makeBorrower();
  const privateLender = lendersModule.createPrivateLender(owner, {
    name: `私人贷款方 ${owner.id}`,
    kind: 'platform',
    products: ['私人借款'],
    hotline: '',
    appPath: '',
    reviewWorkdays: 5,
  });
  const main = makeCase(owner, { product: `机密产品-${owner.id}`, accountRef: '8642' });
  const docPlain = documentsModule.addDocument(owner, main, { kind: 'income_proof', note: '' });
  await documentsModule.attachDocumentFile(owner, main, docPlain, fileOf(pngBytes(), 'income.png', 'image/png'));
  const contactId = contactsModule.addContact(owner, main, contactInput());
  attemptsModule.submitAttempt(owner, main, versionOf(main), submitInput());
  attemptsModule.approveAttempt(owner, main, versionOf(main), approveInput({ agreedPeriods: 3 }));
  const docSensitive = documentsModule.addDocument(owner, main, { kind: 'medical_proof', note: '诊断书' });
  await documentsModule.attachDocumentFile(owner, main, docSensitive, fileOf(pngBytes(), 'diagnosis.png', 'image/png'));
  const docMarked = documentsModule.addDocument(owner, main, { kind: 'other', note: '家里的情况' });
  await documentsModule.attachDocumentFile(owner, main, docMarked, fileOf(pngBytes(), 'family.png', 'image/png'));
  documentsModule.setDocumentSensitive(owner, main, docMarked, true);
  const docNeeded = documentsModule.addDocument(owner, main, { kind: 'payslip', note: '' });
  notesModule.addCaseNote(owner, main, '我自己的笔记');
  const instalmentId = casesModule.getCaseDetail(owner, main).instalments[0].id;
  // The second instalment paid (the case is being repaid): a payment to correct.
  const paidInstalment = casesModule.getCaseDetail(owner, main).instalments[1];
  plansModule.markInstalmentPaid(owner, main, versionOf(main), paidInstalment.id, { paidOn: '2025-05-31', paid: paidInstalment.amountFen });
  const paidInstalmentId = paidInstalment.id;
  const customReminderId = remindersModule.createReminder(owner, main, { title: '机密提醒', dueOn: '2025-06-01', dueTime: '09:00', note: '只有我看得到' });
  // A rule reminder to snooze: the promise's, which the decision answered (closed); open, as a
  // reminder must be to be snoozed (a closed one is refused to its owner as well).
  const ruleReminderId = getDb().select({ id: reminders.id }).from(reminders).where(eq(reminders.ruleKey, `promise:${contactId}`)).get()!.id;
  getDb().update(reminders).set({ status: 'open', autoClosed: false, closedAt: null }).where(eq(reminders.id, ruleReminderId)).run();
  const advisor = makeAdvisor();
  const { shareId, code } = sharesModule.createInvite(owner, '法律援助');
  sharesModule.acceptInvite(advisor, code);
  // The advisor's note, for the borrower's home (note.list.home).
  notesModule.addCaseNote(advisor, main, '顾问的建议');
  // The advisor has opened the case once (a line in the access log). Not a precondition: should
  // the advisor's access break, the advisor's cells are the ones that say so.
  try {
    casesModule.getCaseDetail(advisor, main);
  } catch {
    /* reported by the cells */
  }

  const at = (stage: Stage) => {
    if (!stages.includes(stage)) return 0;
    const id = makeCase(owner);
    advanceCase(owner, id, STAGE_OF[stage]);
    if (stage === 'withdrawn') attemptsModule.withdrawCase(owner, id, versionOf(id), '');
    if (stage === 'escalationClosed') attemptsModule.closeEscalation(owner, id, versionOf(id), 'other', '');
    return id;
  };
  return {
    owner,
    advisor,
    shareId,
    main,
    preparing: at('preparing'),
    reviewA: at('reviewA'),
    reviewB: at('reviewB'),
    reviewC: at('reviewC'),
    materialsRequested: at('materialsRequested'),
    rejected: at('rejected'),
    escalated: at('escalated'),
    approved: at('approved'),
    withdrawn: at('withdrawn'),
    escalationClosed: at('escalationClosed'),
    privateLenderId: privateLender.id,
    contactId,
    docPlain,
    docSensitive,
    docMarked,
    docNeeded,
    instalmentId,
    paidInstalmentId,
    customReminderId,
    ruleReminderId,
    calendarToken: calendarModule.getCalendarFeedUrlToken(owner),
  };
}

/** Everything of the owner's that a call could change, files by their bytes. */
function snapshotOwner(w: World) {
  const db = getDb();
  const id = w.owner.id;
  const caseIds = db.select({ id: cases.id }).from(cases).where(eq(cases.ownerId, id)).orderBy(asc(cases.id)).all().map((c) => c.id);
  const rows = snapshotCases(caseIds);
  const files = Object.fromEntries(
    rows.documents
      .filter((d) => d.storedName)
      .map((d) => {
        const file = storedFilePath(d.storedName!);
        return [d.storedName!, existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing'];
      }),
  );
  return {
    user: db.select().from(users).where(eq(users.id, id)).all(),
    sessions: db.select().from(sessions).where(eq(sessions.userId, id)).orderBy(asc(sessions.id)).all(),
    formKeys: db.select().from(formSubmissions).where(eq(formSubmissions.userId, id)).all(),
    caseIds,
    rows,
    reminders: db.select().from(reminders).where(eq(reminders.ownerId, id)).orderBy(asc(reminders.id)).all(),
    lenders: db.select().from(lenders).where(eq(lenders.ownerId, id)).orderBy(asc(lenders.id)).all(),
    shares: db.select().from(shares).where(eq(shares.borrowerId, id)).orderBy(asc(shares.id)).all(),
    accessLog: db.select().from(accessLog).where(eq(accessLog.borrowerId, id)).orderBy(asc(accessLog.id)).all(),
    files,
  };
}

/** The viewer of each role, for this world (anonymous: none). */
function viewerOf(role: Role, w: World): Viewer | null {
  switch (role) {
    case 'anonymous':
      return null;
    case 'owner':
      return w.owner;
    case 'otherBorrower':
      return makeBorrower();
    case 'advisorWithShare':
      return w.advisor;
    case 'advisorWithoutShare':
      return makeAdvisor();
    case 'admin':
      return makeAdmin();
  }
}

/** The case's materials request (the harness reads it; the verb under test is what the viewer calls). */
function requestIdOf(caseId: number): number {
  return (getDb().$client.prepare('select id from material_requests where case_id = ? order by id limit 1').get(caseId) as { id: number }).id;
}

// --- observing an answer -----------------------------------------------------------------------

/** What a call answered: one of the matrix's answers, or a description of anything else. */
type Observed = Answer | `unexpected: ${string}`;

async function observe<T>(call: () => T | Promise<T>, shows: (result: Awaited<T>) => boolean = () => true): Promise<Observed> {
  let result: Awaited<T>;
  try {
    result = await call();
  } catch (e) {
    // Exactly these classes: a subclass (a ConflictError is no refusal) does not count.
    if (e instanceof Error && e.constructor === NotFoundError) return 'not-found';
    if (e instanceof Error && e.constructor === ForbiddenError) return 'forbidden';
    return `unexpected: ${e instanceof Error ? `${e.constructor.name} ${e.message}` : String(e)}`;
  }
  // A list (or anything read) that does not show the owner's data is "not found" for the caller.
  return shows(result) ? 'allow' : 'not-found';
}

/** One call per target; all must agree. */
async function observeAll(calls: (() => Promise<Observed>)[]): Promise<Observed> {
  const seen = new Set<Observed>();
  for (const c of calls) seen.add(await c());
  return seen.size === 1 ? [...seen][0] : (`unexpected: mixed ${[...seen].join(' / ')}` as Observed);
}

let suggestionId: number | undefined;
/** One advisor's suggestion to the directory (nobody's case data), made once. */
function aSuggestion(): number {
  suggestionId ??= lenderSuggestionsModule.suggestLenderChange(makeAdvisor(), { lenderId: null, body: '请加上某某消费金融' });
  return suggestionId;
}

/** A reset link's token for the account as it is now (lib/password-reset.ts). */
const resetTokenOf = (userId: number, now = new Date()) => passwordResetToken(getDb().select().from(users).where(eq(users.id, userId)).get()!, now)!;
/** The owner's link, ended an hour ago; another account's id in it; its HMAC altered. */
function wrongResetTokens(w: World): string[] {
  const good = resetTokenOf(w.owner.id);
  return [resetTokenOf(w.owner.id, new Date(Date.now() - 2 * 60 * 60_000)), good.replace(/^\d+/, String(w.advisor.id)), `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`];
}
/** A confirmation link's token for the account's address as it is now (lib/email-confirmation.ts). */
const confirmTokenOf = (userId: number, now = new Date()) => emailConfirmationToken(getDb().select().from(users).where(eq(users.id, userId)).get()!, now)!;
/** The owner's link, ended eight days ago; another account's id in it; its HMAC altered. */
function wrongConfirmTokens(w: World): string[] {
  const good = confirmTokenOf(w.owner.id);
  return [confirmTokenOf(w.owner.id, new Date(Date.now() - 8 * 86_400_000)), good.replace(/^\d+/, String(w.advisor.id)), `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`];
}
/** A confirmation link that no longer works is this verb's "not found". */
async function confirmOrNotFound<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof DomainError && e.code === 'confirm_link_invalid') throw new NotFoundError();
    throw e;
  }
}
/** A link that no longer works is this verb's "not found". */
async function resetOrNotFound<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof DomainError && e.code === 'reset_link_invalid') throw new NotFoundError();
    throw e;
  }
}

type Probe = (viewer: Viewer | null, w: World) => Promise<Observed>;
/** A probe that needs a viewer (all but the bearer rows'). */
const v = (fn: (viewer: Viewer, w: World) => Promise<Observed>): Probe => (viewer, w) => fn(viewer!, w);

const { getCase, getCaseDetail, listCasesForBorrower, borrowerTotals, createCase, updateCase, setCaseArchived, deleteCase } = casesModule;
const { submitAttempt, requestMaterials, sendMaterials, approveAttempt, rejectAttempt, withdrawCase, escalateCase, closeEscalation } = attemptsModule;
const { addDocument, addSuggestedDocuments, setDocumentStatus, setDocumentSensitive, attachDocumentFile, deleteDocument, getDocumentFile, suggestChecklist } =
  documentsModule;
const { listOpenReminders, countDueReminders, listCaseReminders, createReminder, updateReminder, snoozeReminder, setReminderStatus } = remindersModule;
const { listSharesForBorrower, listAccessLog, previewInvite, createInvite, setSensitiveConsent, revokeShare, acceptInvite, listClientsForAdvisor, listEndedSharesForAdvisor } =
  sharesModule;
const { listAdvisorCases, advisorFigures, attentionItems, advisorCharts, listAdvisorLenders, listAdvisorClients, exportAdvisorCases } = advisorModule;
const { getCalendarFeedUrlToken, regenerateCalendarToken, systemCalendarForToken } = calendarModule;

const readsDetail = (pick: (d: ReturnType<typeof getCaseDetail>, w: World) => boolean) =>
  v((viewer, w) => observe(() => getCaseDetail(viewer, w.main), (d) => pick(d, w)));

const files = (w: World) => [w.docSensitive, w.docMarked];

/**
 * Per row, per db verb: how to call it as the viewer on the owner's data, and what counts as the
 * owner's data being shown. Keyed by the matrix's row id and the verb's "<file>#<export>".
 */
const PROBES: Record<string, Record<string, Probe>> = {
  'case.list.borrower': {
    'db/cases.ts#listCasesForBorrower': v((viewer, w) => observe(() => listCasesForBorrower(viewer), (r) => r.some((c) => c.id === w.main))),
    // The fresh callers have no cases: a non-zero count is the owner's.
    'db/cases.ts#borrowerTotals': v((viewer) => observe(() => borrowerTotals(viewer), (t) => t.openCases > 0)),
  },
  'case.list.dashboard': {
    'db/advisor.ts#listAdvisorCases': v((viewer, w) => observe(() => listAdvisorCases(viewer, {}, TODAY), (r) => r.rows.some((c) => c.clientId === w.owner.id))),
    'db/advisor.ts#advisorFigures': v((viewer) => observe(() => advisorFigures(viewer, TODAY), (f) => f.clients > 0 && f.openCases > 0)),
    // The main case's first instalment fell due on 2025-05-31, unpaid: it needs attention on TODAY.
    'db/advisor.ts#attentionItems': v((viewer, w) => observe(() => attentionItems(viewer, TODAY), (items) => items.some((i) => i.clientId === w.owner.id))),
    'db/advisor.ts#advisorCharts': v((viewer) => observe(() => advisorCharts(viewer, TODAY), (c) => c.byStatus.some((s) => s.count > 0))),
    'db/advisor.ts#listAdvisorLenders': v((viewer, w) => observe(() => listAdvisorLenders(viewer), (l) => l.some((x) => x.id === caseRow(w.main).lenderId))),
    'db/shares.ts#listClientsForAdvisor': v((viewer, w) => observe(() => listClientsForAdvisor(viewer), (c) => c.some((x) => x.borrowerId === w.owner.id))),
    'db/advisor.ts#listAdvisorClients': v((viewer, w) => observe(() => listAdvisorClients(viewer, TODAY), (c) => c.some((x) => x.borrowerId === w.owner.id))),
  },
  'case.read': {
    'db/cases.ts#getCase': v((viewer, w) => observe(() => getCase(viewer, w.main), (r) => r.case.id === w.main)),
    'db/cases.ts#getCaseDetail': readsDetail((d, w) => d.case.id === w.main),
  },
  'case.create': {
    'db/cases.ts#createCase': v((viewer, w) => observe(() => createCase(viewer, caseInput(w.owner, { lenderId: w.privateLenderId }), `matrix-${viewer.id}-case`))),
  },
  'case.update': {
    'db/cases.ts#updateCase': v((viewer, w) => observe(() => updateCase(viewer, w.main, versionOf(w.main), caseInput(w.owner, { product: '改过的产品', principal: 1 })))),
    'db/cases.ts#setCaseArchived': v((viewer, w) => observe(() => setCaseArchived(viewer, w.main, versionOf(w.main), true))),
  },
  'case.delete': {
    'db/cases.ts#deleteCase': v((viewer, w) => observe(() => deleteCase(viewer, w.main, versionOf(w.main)))),
  },
  'case.transition': {
    'db/attempts.ts#withdrawCase': v((viewer, w) => observe(() => withdrawCase(viewer, w.main, versionOf(w.main), ''))),
    'db/attempts.ts#undoWithdrawal': v((viewer, w) => observe(() => attemptsModule.undoWithdrawal(viewer, w.withdrawn, versionOf(w.withdrawn)))),
    'db/attempts.ts#undoEscalationClose': v((viewer, w) =>
      observe(() => attemptsModule.undoEscalationClose(viewer, w.escalationClosed, versionOf(w.escalationClosed))),
    ),
    'db/attempts.ts#escalateCase': v((viewer, w) => observe(() => escalateCase(viewer, w.rejected, versionOf(w.rejected), escalateInput()))),
    'db/attempts.ts#closeEscalation': v((viewer, w) => observe(() => closeEscalation(viewer, w.escalated, versionOf(w.escalated), 'other', ''))),
    'db/attempts.ts#voidPlan': v((viewer, w) => observe(() => attemptsModule.voidPlan(viewer, w.approved, versionOf(w.approved), { voidedOn: '2025-06-30', note: '' }))),
  },
  'attempt.list': {
    'db/cases.ts#getCaseDetail': readsDetail((d) => d.attempts.length > 0),
  },
  'attempt.create': {
    'db/attempts.ts#submitAttempt': v((viewer, w) => observe(() => submitAttempt(viewer, w.preparing, versionOf(w.preparing), submitInput()))),
  },
  'attempt.update': {
    'db/attempts.ts#correctAttempt': v((viewer, w) =>
      observe(() => attemptsModule.correctAttempt(viewer, w.materialsRequested, versionOf(w.materialsRequested), submitInput({ channel: 'hotline' }))),
    ),
    'db/attempts.ts#changeMaterialsDeadline': v((viewer, w) =>
      observe(() =>
        attemptsModule.changeMaterialsDeadline(viewer, w.materialsRequested, versionOf(w.materialsRequested), requestIdOf(w.materialsRequested), '2025-04-20'),
      ),
    ),
    'db/attempts.ts#removeMaterialsRequest': v((viewer, w) =>
      observe(() => attemptsModule.removeMaterialsRequest(viewer, w.materialsRequested, versionOf(w.materialsRequested), requestIdOf(w.materialsRequested))),
    ),
    'db/attempts.ts#undoDecision': v((viewer, w) => observe(() => attemptsModule.undoDecision(viewer, w.rejected, versionOf(w.rejected)))),
  },
  'attempt.delete': {
    'db/attempts.ts#undoAttempt': v((viewer, w) => observe(() => attemptsModule.undoAttempt(viewer, w.escalated, versionOf(w.escalated)))),
  },
  'attempt.transition': {
    'db/attempts.ts#requestMaterials': v((viewer, w) =>
      observe(() => requestMaterials(viewer, w.reviewA, versionOf(w.reviewA), materialsInput({ requestedOn: '2025-04-05' }))),
    ),
    'db/attempts.ts#sendMaterials': v((viewer, w) => observe(() => sendMaterials(viewer, w.materialsRequested, versionOf(w.materialsRequested), '2025-04-06'))),
    // A decision dated before the application: the owner is told so, anyone else is refused.
    'db/attempts.ts#decisionProblems': v((viewer, w) =>
      observe(
        () => attemptsModule.decisionProblems(viewer, w.reviewB, { decidedOn: '2000-01-01' }),
        (problems) => problems.some((p) => p.code === 'decided_before_submitted'),
      ),
    ),
    'db/attempts.ts#approveAttempt': v((viewer, w) => observe(() => approveAttempt(viewer, w.reviewB, versionOf(w.reviewB), approveInput()))),
    'db/attempts.ts#rejectAttempt': v((viewer, w) => observe(() => rejectAttempt(viewer, w.reviewC, versionOf(w.reviewC), rejectInput()))),
  },
  'document.list': {
    'db/cases.ts#getCaseDetail': readsDetail((d, w) => d.documents.some((doc) => doc.id === w.docPlain)),
    'db/documents.ts#suggestChecklist': v((viewer, w) => observe(() => suggestChecklist(viewer, w.main))),
  },
  'document.create': {
    'db/documents.ts#addDocument': v((viewer, w) => observe(() => addDocument(viewer, w.main, { kind: 'other', note: '' }))),
    'db/documents.ts#addSuggestedDocuments': v((viewer, w) => observe(() => addSuggestedDocuments(viewer, w.main))),
  },
  'document.update': {
    'db/documents.ts#setDocumentStatus': v((viewer, w) => observe(() => setDocumentStatus(viewer, w.main, w.docNeeded, 'ready'))),
    'db/documents.ts#setDocumentSensitive': v((viewer, w) => observe(() => setDocumentSensitive(viewer, w.main, w.docNeeded, true))),
    'db/documents.ts#attachDocumentFile': v((viewer, w) => observe(() => attachDocumentFile(viewer, w.main, w.docNeeded, fileOf(pngBytes(), 'x.png', 'image/png')))),
  },
  'document.delete': {
    'db/documents.ts#deleteDocument': v((viewer, w) => observe(() => deleteDocument(viewer, w.main, w.docPlain))),
  },
  'document.download.plain': {
    'db/documents.ts#getDocumentFile': v((viewer, w) => observe(() => getDocumentFile(viewer, w.docPlain), (f) => existsSync(f.path))),
  },
  'document.download.sensitive': {
    'db/documents.ts#getDocumentFile': v((viewer, w) => observeAll(files(w).map((id) => () => observe(() => getDocumentFile(viewer, id), (f) => existsSync(f.path))))),
  },
  'document.download.consented': {
    'db/documents.ts#getDocumentFile': v((viewer, w) => observeAll(files(w).map((id) => () => observe(() => getDocumentFile(viewer, id), (f) => existsSync(f.path))))),
  },
  'contact.list': {
    'db/cases.ts#getCaseDetail': readsDetail((d, w) => d.contacts.some((c) => c.id === w.contactId)),
  },
  'contact.create': {
    'db/contacts.ts#addContact': v((viewer, w) => observe(() => contactsModule.addContact(viewer, w.main, contactInput()))),
  },
  'contact.update': {
    'db/contacts.ts#correctContact': v((viewer, w) => observe(() => contactsModule.correctContact(viewer, w.main, versionOf(w.main), w.contactId, contactInput({ summary: '更正' })))),
  },
  'contact.outcome': {
    'db/contacts.ts#recordPromiseOutcome': v((viewer, w) =>
      observe(() => contactsModule.recordPromiseOutcome(viewer, w.main, versionOf(w.main), w.contactId, { outcome: 'broken', on: '2025-06-30' })),
    ),
  },
  'contact.delete': {
    'db/contacts.ts#deleteContact': v((viewer, w) => observe(() => contactsModule.deleteContact(viewer, w.main, w.contactId))),
  },
  'plan.list': {
    'db/plans.ts#listInstalmentsForMonth': v((viewer, w) => observe(() => plansModule.listInstalmentsForMonth(viewer, '2025-05'), (r) => r.some((i) => i.caseId === w.main))),
  },
  'plan.read': {
    'db/cases.ts#getCaseDetail': readsDetail((d, w) => d.instalments.some((i) => i.id === w.instalmentId)),
  },
  'plan.update': {
    'db/plans.ts#markInstalmentPaid': v((viewer, w) =>
      observe(() => plansModule.markInstalmentPaid(viewer, w.main, versionOf(w.main), w.instalmentId, { paidOn: '2025-05-31', paid: 33_333 })),
    ),
    'db/plans.ts#correctInstalmentPayment': v((viewer, w) =>
      observe(() => plansModule.correctInstalmentPayment(viewer, w.main, versionOf(w.main), w.paidInstalmentId, null)),
    ),
    // The plan's last instalment: the probes above pay and correct the first ones.
    'db/plans.ts#changeInstalment': v((viewer, w) => {
      const last = getDb().$client.prepare('select id, due_on as dueOn from instalments where case_id = ? order by seq desc limit 1').get(w.main) as { id: number; dueOn: string };
      return observe(() => plansModule.changeInstalment(viewer, w.main, versionOf(w.main), last.id, { dueOn: last.dueOn, amountFen: 12_345 }));
    }),
    // The second to last and the last unpaid after it: the probe above changed the last one alone.
    'db/plans.ts#changeInstalmentAndLater': v((viewer, w) => {
      const unpaid = getDb().$client.prepare('select id, due_on as dueOn from instalments where case_id = ? and paid_on is null order by seq desc limit 2').all(w.main) as { id: number; dueOn: string }[];
      const chosen = unpaid.at(-1)!;
      return observe(() => plansModule.changeInstalmentAndLater(viewer, w.main, versionOf(w.main), chosen.id, { dueOn: chosen.dueOn, amountFen: 23_456 }));
    }),
    'db/plans.ts#correctPlanTerms': v((viewer, w) =>
      observe(() => plansModule.correctPlanTerms(viewer, w.approved, versionOf(w.approved), approveInput({ agreedPeriods: 7 }))),
    ),
    // Last: it settles the plan the probes above write to.
    'db/plans.ts#payOffPlan': v((viewer, w) =>
      observe(() => plansModule.payOffPlan(viewer, w.main, versionOf(w.main), { paidOn: '2025-06-30', paid: 100, note: '' })),
    ),
    // After the payoff above: undone, the plan stands again.
    'db/plans.ts#undoPlanEnd': v((viewer, w) => observe(() => plansModule.undoPlanEnd(viewer, w.main, versionOf(w.main)))),
  },
  'reminder.list.inbox': {
    'db/reminders.ts#listOpenReminders': v((viewer, w) => observe(() => listOpenReminders(viewer), (r) => r.some((x) => x.id === w.customReminderId))),
    // The fresh callers have no reminders of their own: a non-zero count is the owner's.
    'db/reminders.ts#countDueReminders': v((viewer) => observe(() => countDueReminders(viewer, '2025-12-31'), (n) => n > 0)),
  },
  'reminder.list.case': {
    'db/reminders.ts#listCaseReminders': v((viewer, w) => observe(() => listCaseReminders(viewer, w.main), (r) => r.some((x) => x.id === w.customReminderId))),
  },
  'reminder.create': {
    'db/reminders.ts#createReminder': v((viewer, w) =>
      observe(() => createReminder(viewer, w.main, { title: '加一个提醒', dueOn: '2025-07-01', dueTime: null, note: '' }, `matrix-${viewer.id}-reminder`)),
    ),
  },
  'reminder.update': {
    'db/reminders.ts#updateReminder': v((viewer, w) =>
      observe(() => updateReminder(viewer, w.customReminderId, { title: '改了', dueOn: '2025-07-01', dueTime: null, note: '' }, reminderStampOf(w.customReminderId))),
    ),
    'db/reminders.ts#snoozeReminder': v((viewer, w) => observe(() => snoozeReminder(viewer, w.ruleReminderId, '2025-07-01'))),
  },
  'reminder.transition': {
    'db/reminders.ts#setReminderStatus': v((viewer, w) => observe(() => setReminderStatus(viewer, w.customReminderId, 'done'))),
  },
  'note.list': {
    'db/cases.ts#getCaseDetail': readsDetail((d) => d.events.some((e) => e.kind === 'note')),
  },
  'note.list.home': {
    'db/notes.ts#listRecentAdvisorNotes': v((viewer, w) => observe(() => notesModule.listRecentAdvisorNotes(viewer, new Date(0)), (r) => r.some((n) => n.caseId === w.main))),
  },
  'note.create': {
    'db/notes.ts#addCaseNote': v((viewer, w) => observe(() => notesModule.addCaseNote(viewer, w.main, '我来看看', `matrix-${viewer.id}-note`))),
  },
  'share.list': {
    'db/shares.ts#listSharesForBorrower': v((viewer, w) => observe(() => listSharesForBorrower(viewer), (r) => r.some((s) => s.id === w.shareId))),
  },
  'share.list.log': {
    'db/shares.ts#listAccessLog': v((viewer, w) => observe(() => listAccessLog(viewer), (r) => r.some((l) => l.caseId === w.main))),
  },
  'share.read': {
    'db/shares.ts#previewInvite': v((viewer, w) => observe(() => previewInvite(viewer, w.code!), (p) => p?.borrowerName === w.owner.displayName)),
  },
  // The caller's own list: an advisor's call answers (the shares they held), anyone else's is refused.
  'share.list.ended': {
    'db/shares.ts#listEndedSharesForAdvisor': v((viewer) => observe(() => listEndedSharesForAdvisor(viewer))),
  },
  'share.create': {
    'db/shares.ts#createInvite': v((viewer) => observe(() => createInvite(viewer, '自己的邀请'))),
  },
  'share.update': {
    'db/shares.ts#setSensitiveConsent': v((viewer, w) => observe(() => setSensitiveConsent(viewer, w.shareId, true))),
  },
  'share.delete': {
    'db/shares.ts#revokeShare': v((viewer, w) => observe(() => revokeShare(viewer, w.shareId))),
  },
  'share.transition': {
    'db/shares.ts#acceptInvite': v((viewer, w) => observe(() => acceptInvite(viewer, w.code!))),
  },
  'calendar.read': {
    // Each caller is given a token: the owner's only to the owner.
    'db/calendar.ts#getCalendarFeedUrlToken': v((viewer, w) => observe(() => getCalendarFeedUrlToken(viewer), (t) => t === w.calendarToken)),
  },
  'calendar.update': {
    'db/calendar.ts#regenerateCalendarToken': v((viewer) => observe(() => regenerateCalendarToken(viewer))),
  },
  'calendar.download.token': {
    'db/calendar.ts#systemCalendarForToken': (_viewer, w) =>
      observe(() => systemCalendarForToken(w.calendarToken), (d) => !!d && d.reminders.some((r) => r.id === w.customReminderId)),
  },
  'calendar.download.stale': {
    'db/calendar.ts#systemCalendarForToken': (_viewer, w) =>
      observeAll([
        () => observe(() => systemCalendarForToken(w.staleToken!), (d) => !!d),
        () => observe(() => systemCalendarForToken('A'.repeat(43)), (d) => !!d),
        () => observe(() => systemCalendarForToken(`${w.calendarToken}x`), (d) => !!d),
      ]),
  },
  'export.export.dashboard': {
    'db/advisor.ts#exportAdvisorCases': v((viewer, w) => observe(() => exportAdvisorCases(viewer, {}, TODAY), (r) => r.rows.some((c) => c.clientId === w.owner.id))),
  },
  'export.export.account': {
    // The caller's own data: the owner's holds the owner's case; anyone else's none of the owner's words.
    'db/account.ts#exportAccountData': v((viewer, w) => observe(() => accountModule!.exportAccountData!(viewer), (data) => ownExport(viewer, w, data))),
    'db/account.ts#exportAccountArchive': v((viewer, w) =>
      observe(async () => new Uint8Array(await new Response(accountModule!.exportAccountArchive!(viewer, 'README')).arrayBuffer()), (zip) => ownExport(viewer, w, zip)),
    ),
  },
  'lender.list': {
    'db/lenders.ts#listLenders': v((viewer, w) => observe(() => lendersModule.listLenders(viewer), (r) => r.some((l) => l.id === w.privateLenderId))),
  },
  'lender.read': {
    'db/lenders.ts#getLender': v((viewer, w) => observe(() => lendersModule.getLender(viewer, w.privateLenderId), (l) => l.id === w.privateLenderId)),
  },
  'lender.create': {
    'db/lenders.ts#createPrivateLender': v((viewer) =>
      observe(() =>
        lendersModule.createPrivateLender(viewer, { name: `自己的贷款方 ${viewer.id}`, kind: 'platform', products: [], hotline: '', appPath: '', reviewWorkdays: 5 }),
      ),
    ),
  },
  'lender.create.suggestion': {
    'db/lender-suggestions.ts#suggestLenderChange': v((viewer) => observe(() => lenderSuggestionsModule.suggestLenderChange(viewer, { lenderId: null, body: `建议 ${viewer.id}` }))),
    'db/lender-suggestions.ts#listMyLenderSuggestions': v((viewer) => observe(() => lenderSuggestionsModule.listMyLenderSuggestions(viewer))),
  },
  'lender.transition': {
    'db/lender-suggestions.ts#listLenderSuggestions': v((viewer) => observe(() => lenderSuggestionsModule.listLenderSuggestions(viewer))),
    'db/lender-suggestions.ts#resolveLenderSuggestion': v((viewer) => observe(() => lenderSuggestionsModule.resolveLenderSuggestion(viewer, aSuggestion(), 'done'))),
  },
  'lender.create.public': {
    'db/lenders.ts#createPublicLender': v((viewer) => observe(() => lendersModule.createPublicLender(viewer, publicLenderInput(`公共机构 ${viewer.id}`)))),
  },
  'lender.update.own': {
    'db/lenders.ts#updatePrivateLender': v((viewer, w) =>
      observe(() =>
        lendersModule.updatePrivateLender(viewer, w.privateLenderId, lenderFingerprint(getDb().select().from(lenders).where(eq(lenders.id, w.privateLenderId)).get()!), {
          name: `改过的机构 ${viewer.id}`,
          kind: 'platform',
          products: [],
          hotline: '',
          appPath: '',
          reviewWorkdays: 5,
        }),
      ),
    ),
  },
  'lender.update': {
    'db/lenders.ts#getPublicLender': v((viewer, w) => observe(() => lendersModule.getPublicLender(viewer, w.privateLenderId), (l) => l.id === w.privateLenderId)),
    'db/lenders.ts#updatePublicLender': v((viewer, w) =>
      observe(() => lendersModule.updatePublicLender(viewer, w.privateLenderId, lenderFingerprint(getDb().select().from(lenders).where(eq(lenders.id, w.privateLenderId)).get()!), publicLenderInput('改掉的名字'))),
    ),
  },
  'account.list': {
    'db/admin.ts#listAccounts': v((viewer, w) => observe(() => adminModule.listAccounts(viewer, { q: w.owner.email }), (r) => r.rows.some((a) => a.id === w.owner.id))),
    'db/admin.ts#getMailHealth': v((viewer) => observe(() => adminModule.getMailHealth(viewer), (h) => typeof h.waiting === 'number')),
  },
  'account.update.role': {
    // The owner holds cases and a share: the refusal of a role change that would strand them is
    // the "forbidden" of this cell (a DomainError with its own message; see the matrix's reason).
    'db/admin.ts#setAccountRole': v((viewer, w) =>
      observe(() => {
        try {
          return adminModule.setAccountRole(viewer, w.owner.id, 'advisor');
        } catch (e) {
          if (e instanceof DomainError && e.code === 'role_has_data') throw new ForbiddenError();
          throw e;
        }
      }),
    ),
  },
  'account.transition': {
    'db/admin.ts#setAccountDisabled': v((viewer, w) => observe(() => adminModule.setAccountDisabled(viewer, w.owner.id, true))),
  },
  'account.update': {
    'db/users.ts#updateProfile': v((viewer) => observe(() => usersModule.updateProfile(viewer, { displayName: `改名 ${viewer.id}` }))),
    'db/users.ts#changePassword': v((viewer) => observe(() => usersModule.changePassword(viewer, TEST_PASSWORD, 'another-password-9'))),
    'db/users.ts#revokeOtherSessions': v((viewer) => observe(() => usersModule.revokeOtherSessions(viewer))),
    'db/users.ts#changeEmail': v((viewer) => observe(() => usersModule.changeEmail(viewer, { password: TEST_PASSWORD, email: `moved-${viewer.id}@example.cn` }))),
    // The caller's own change waiting for its link (set here: the tests send no mail), cancelled.
    'db/users.ts#cancelEmailChange': v((viewer) => {
      getDb().update(users).set({ pendingEmail: `pending-${viewer.id}@example.cn` }).where(eq(users.id, viewer.id)).run();
      return observe(() => usersModule.cancelEmailChange(viewer), (cancelled) => cancelled);
    }),
    'db/mailer.ts#setEmailReminders': v((viewer) => observe(() => mailerModule.setEmailReminders(viewer, false))),
  },
  'account.read': {
    'db/mailer.ts#getMailStatus': v((viewer) => observe(() => mailerModule.getMailStatus(viewer))),
    'db/users.ts#emailConfirmed': v((viewer) => observe(() => usersModule.emailConfirmed(viewer))),
    'db/users.ts#pendingEmailChange': v((viewer) => observe(() => usersModule.pendingEmailChange(viewer))),
    // The owner's summary counts the owner's cases; anyone else's is their own (fresh: no cases).
    'db/account.ts#accountDeletionSummary': v((viewer, w) =>
      observe(() => accountModule!.accountDeletionSummary!(viewer), (sum) => (viewer.id === w.owner.id ? sum.cases > 0 : sum.cases === 0)),
    ),
  },
  // The caller's own address, made unconfirmed first, mailed through a real SMTP server on loopback.
  'account.update.confirmation-mail': {
    'db/users.ts#sendEmailConfirmation': v(async (viewer) => {
      getDb().update(users).set({ emailConfirmedAt: null }).where(eq(users.id, viewer.id)).run();
      const smtp = await startSmtpServer();
      try {
        return await observe(() => usersModule.sendEmailConfirmation(viewer, { transport: transportTo(smtp.port), wait: true }), () => smtp.received.some((m) => m.to.includes(viewer.email)));
      } finally {
        await smtp.close();
      }
    }),
  },
  // Bearer rows: the confirmation link's token (lib/email-confirmation.ts), made for the owner's address as it is now.
  'account.update.email-confirm': {
    'db/users.ts#systemEmailConfirmationState': (_viewer, w) =>
      observe(() => usersModule.systemEmailConfirmationState(confirmTokenOf(w.owner.id)), (state) => state?.email === w.owner.email),
    'db/users.ts#systemConfirmEmail': (_viewer, w) =>
      observe(() => confirmOrNotFound(() => usersModule.systemConfirmEmail(confirmTokenOf(w.owner.id))), (email) => email === w.owner.email),
  },
  'account.update.email-confirm.wrong': {
    'db/users.ts#systemEmailConfirmationState': (_viewer, w) =>
      observeAll(wrongConfirmTokens(w).map((token) => () => observe(() => usersModule.systemEmailConfirmationState(token), (state) => state !== null))),
    'db/users.ts#systemConfirmEmail': (_viewer, w) =>
      observeAll(wrongConfirmTokens(w).map((token) => () => observe(() => confirmOrNotFound(() => usersModule.systemConfirmEmail(token))))),
  },
  // Bearer rows: the caller's session plays no part, only the link's token (lib/unsubscribe.ts).
  'account.update.unsubscribe': {
    'db/mailer.ts#systemUnsubscribeWithToken': (_viewer, w) =>
      observe(() => mailerModule.systemUnsubscribeWithToken(w.owner.id, unsubscribeToken(w.owner.id)!), (stopped) => stopped),
  },
  'account.update.unsubscribe.wrong': {
    'db/mailer.ts#systemUnsubscribeWithToken': (_viewer, w) =>
      observeAll([
        () => observe(() => mailerModule.systemUnsubscribeWithToken(w.owner.id, 'A'.repeat(43)), (stopped) => stopped),
        () => observe(() => mailerModule.systemUnsubscribeWithToken(w.owner.id, `${unsubscribeToken(w.owner.id)!}x`), (stopped) => stopped),
        () => observe(() => mailerModule.systemUnsubscribeWithToken(w.owner.id + 1, unsubscribeToken(w.owner.id)!), (stopped) => stopped),
      ]),
  },
  // Bearer rows: the reset link's token (lib/password-reset.ts), made for the owner as they are now.
  'account.update.password-reset': {
    'db/users.ts#systemPasswordResetAccount': (_viewer, w) =>
      observe(() => usersModule.systemPasswordResetAccount(resetTokenOf(w.owner.id)), (account) => account?.email === w.owner.email),
    'db/users.ts#systemPasswordResetEmail': (_viewer, w) => observe(() => usersModule.systemPasswordResetEmail(resetTokenOf(w.owner.id)), (email) => email === w.owner.email),
    'db/users.ts#systemResetPassword': (_viewer, w) =>
      observe(() => resetOrNotFound(() => usersModule.systemResetPassword(resetTokenOf(w.owner.id), 'reset-password-9')), (email) => email === w.owner.email),
  },
  'account.update.password-reset.wrong': {
    'db/users.ts#systemPasswordResetAccount': (_viewer, w) =>
      observeAll(wrongResetTokens(w).map((token) => () => observe(() => usersModule.systemPasswordResetAccount(token), (account) => account !== null))),
    'db/users.ts#systemPasswordResetEmail': (_viewer, w) =>
      observeAll(wrongResetTokens(w).map((token) => () => observe(() => usersModule.systemPasswordResetEmail(token), (email) => email !== null))),
    'db/users.ts#systemResetPassword': (_viewer, w) =>
      observeAll(wrongResetTokens(w).map((token) => () => observe(() => resetOrNotFound(() => usersModule.systemResetPassword(token, 'reset-password-9'))))),
  },
  'account.delete': {
    'db/account.ts#deleteAccount': v((viewer) => observe(() => accountModule!.deleteAccount!(viewer, { password: TEST_PASSWORD, confirmEmail: viewer.email }))),
  },
};


/** Rows that need the world in a particular state first. */
const PREPARE: Record<string, (w: World) => void> = {
  'document.download.consented': (w) => setSensitiveConsent(w.owner, w.shareId, true),
  // A fresh invitation from the owner, for whoever holds its code.
  'share.read': (w) => {
    w.code = createInvite(w.owner, '新的邀请').code;
  },
  'share.transition': (w) => {
    w.code = createInvite(w.owner, '新的邀请').code;
  },
  'calendar.download.stale': (w) => {
    w.staleToken = w.calendarToken;
    w.calendarToken = regenerateCalendarToken(w.owner);
  },
};

const WRITES = new Set(['create', 'update', 'delete', 'transition']);

async function preparedWorld(row: MatrixRow): Promise<World> {
  const w = await buildWorld(STAGES_NEEDED[row.id]);
  PREPARE[row.id]?.(w);
  return w;
}

const shared = new Map<string, Promise<World>>();
function sharedWorld(row: MatrixRow): Promise<World> {
  if (!shared.has(row.id)) shared.set(row.id, preparedWorld(row));
  return shared.get(row.id)!;
}

type Snapshot = ReturnType<typeof snapshotOwner>;
/**
 * Where someone acting on their own account rightly changes the owner's data: an advisor who
 * deletes their account ends the share they held (revoked, detached, kept for the owner's
 * record), the access-log lines of their visits stay, detached from the account, and so do
 * their notes on the owner's timeline, marked as an advisor's (db/account.ts).
 */
const SIDE_EFFECTS: Record<string, (before: Snapshot, after: Snapshot, w: World) => void> = {
  'account.delete advisorWithShare': (before, after, w) => {
    const { shares: sharesBefore, accessLog: logBefore, rows: rowsBefore, ...restBefore } = before;
    const { shares: sharesAfter, accessLog: logAfter, rows: rowsAfter, ...restAfter } = after;
    expect(restAfter).toEqual(restBefore);
    const { caseEvents: eventsBefore, ...caseRowsBefore } = rowsBefore;
    const { caseEvents: eventsAfter, ...caseRowsAfter } = rowsAfter;
    expect(caseRowsAfter).toEqual(caseRowsBefore);
    expect(eventsBefore.some((e) => e.actorId === w.advisor.id)).toBe(true);
    expect(eventsAfter).toEqual(
      eventsBefore.map((e) => (e.actorId === w.advisor.id ? { ...e, actorId: null, data: { ...e.data, deletedActorRole: 'advisor' } } : e)),
    );
    expect(sharesAfter.find((s) => s.id === w.shareId)).toEqual(
      expect.objectContaining({ status: 'revoked', advisorId: null, borrowerId: w.owner.id }),
    );
    expect(sharesAfter.length).toBe(sharesBefore.length);
    // The owner's record of what the advisor did stays, the account detached.
    const detached = (log: typeof logBefore) => log.map((l) => (l.advisorId === w.advisor.id ? { ...l, advisorId: null } : l));
    expect(logAfter).toEqual(detached(logBefore));
  },
};

// --- the tests --------------------------------------------------------------------------------

const tally = { tested: 0, skippedPlanned: 0, notAtThisLayer: 0, byAnswer: Object.fromEntries(ANSWERS.map((a) => [a, 0])) as Record<Answer, number> };

afterAll(() => {
  const total = MATRIX.filter((r) => r.cells).length * ROLES.length;
  console.log(
    `[authz-matrix db] ${total} cells in ${MATRIX.filter((r) => r.cells).length} rows: ${tally.tested} tested in-process ` +
      `(${ANSWERS.filter((a) => a !== 'n/a').map((a) => `${tally.byAnswer[a]} ${a}`).join(', ')}), ` +
      `${tally.notAtThisLayer} n/a at this layer (anonymous: stopped before db/ by requireViewer/formAction; or page-only rows), ` +
      `${tally.skippedPlanned} skipped (planned, not built yet)`,
  );
});

describe('the matrix itself', () => {
  it('has a row for every object × operation, n/a ones with a reason, and a cell for every role', () => {
    const pairs = new Set(MATRIX.map((r) => `${r.object}.${r.operation}`));
    const missing = OBJECTS.flatMap((o) => OPERATIONS.map((op) => `${o}.${op}`)).filter((p) => !pairs.has(p));
    expect(missing).toEqual([]);
    expect(new Set(MATRIX.map((r) => r.id)).size).toBe(MATRIX.length);
    for (const row of MATRIX) {
      if (row.na) {
        expect(row.cells, row.id).toBeUndefined();
        expect(row.na.length, row.id).toBeGreaterThan(10);
        // A pair is either n/a or has rows, not both.
        expect(MATRIX.filter((r) => r.object === row.object && r.operation === row.operation).length, row.id).toBe(1);
      } else {
        expect(Object.keys(row.cells ?? {}).sort(), row.id).toEqual([...ROLES].sort());
        expect(row.verbs.length + row.actions.length + row.routes.length, `${row.id} names nothing that implements it`).toBeGreaterThan(0);
      }
    }
  });

  it('sends an anonymous caller to sign in everywhere but the calendar feed, the unsubscribe, reset and confirmation links, whose tokens are the key', () => {
    for (const row of MATRIX.filter((r) => r.cells)) {
      const anon = expected(row, 'anonymous', 'http');
      const bearer = ['calendar.download.', 'account.update.unsubscribe', 'account.update.password-reset', 'account.update.email-confirm'].some((p) => row.id.startsWith(p));
      if (bearer) expect(['allow', 'not-found'], row.id).toContain(anon);
      else expect(anon, row.id).toBe('sign-in');
    }
  });

  it('names only db verbs that exist (planned ones once they are built)', () => {
    const missing: string[] = [];
    for (const row of MATRIX) {
      for (const verb of row.verbs) {
        const [file, name] = verb.split('#');
        if (row.planned && plannedMissing(row)) continue;
        const source = existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file), 'utf8') : '';
        if (!new RegExp(`export (async )?function ${name}\\b|export const ${name}\\b`).test(source)) missing.push(verb);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names only server actions that exist in app/ (planned ones once they are built)', () => {
    const missing: string[] = [];
    for (const row of MATRIX) {
      for (const action of row.actions) {
        const [file, name] = action.split('#');
        const source = existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file), 'utf8') : '';
        const found = new RegExp(`export (async )?function ${name}\\b|export const ${name}\\b`).test(source);
        if (!found && !row.planned) missing.push(action);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a probe for every verb of every row, and none for verbs it does not list', () => {
    for (const row of MATRIX.filter((r) => r.cells)) {
      expect(Object.keys(PROBES[row.id] ?? {}).sort(), row.id).toEqual([...row.verbs].sort());
    }
    expect(Object.keys(PROBES).filter((id) => !MATRIX.some((r) => r.id === id))).toEqual([]);
  });

  /**
   * Exported functions of db/ that are not verbs a page or action calls with a viewer: internal
   * helpers, the system's own jobs, and the sign-in machinery (outside the matrix, public).
   */
  const NOT_VERBS: Record<string, string> = {
    'db/cases.ts#nextDateSql': 'a SQL fragment, no viewer',
    'db/mailer.ts#failureOf': 'words a failed outbox row the caller has read (getMailStatus, getMailHealth), no viewer',
    'db/cases.ts#bumpVersion': 'inside an authorised transaction',
    'db/cases.ts#followLendersReview': 'a step inside updateCase, updatePublicLender and updatePrivateLender, on their transaction, after their access checks',
    'db/attempts.ts#transition': 'the guard every transition verb goes through (assertCanWriteCase first)',
    'db/attempts.ts#agreedColumns': 'a pure mapping of the approval form to the attempt\'s columns',
    'db/attempts.ts#dropOwedInstalments': 'a step inside voidPlan and payOffPlan, on their transaction, after their access checks',
    'db/contacts.ts#contactStamp': 'a pure digest of a contact the viewer already read',
    'db/documents.ts#isSensitiveDocument': 'a pure rule',
    'db/lenders.ts#lenderVisibleTo': 'a SQL fragment used by listLenders/getLender',
    'db/reminders.ts#applyReminderChange': 'inside an authorised transaction (the rules)',
    'db/reminders.ts#closeCaseRuleReminders': 'inside an authorised transaction',
    'db/reminders.ts#reminderEditStamp': 'a pure digest of a reminder the viewer already read',
    'db/reminders.ts#reopenRuleReminders': 'inside an authorised transaction (a corrected payment)',
    'db/reminders.ts#reopenClosedRuleReminders': 'inside an authorised transaction (a withdrawal undone)',
    'db/reminders.ts#moveOpenRuleReminder': 'inside an authorised transaction (a corrected application or contact)',
    'db/reminders.ts#closeStaleReminder': 'inside an authorised transaction',
    'db/reminders.ts#openOrClosedByRule': 'a SQL condition for the helpers above; no viewer, no database',
    'db/reminders.ts#systemSweepReminders': "the scheduler's sweep, for everyone; no viewer",
    'db/shares.ts#logAdvisorAccess': 'inside the authorised verb that logs',
    'db/calendar.ts#isCalendarTokenShape': 'a pure check',
    'db/users.ts#hashPassword': 'a pure function',
    'db/users.ts#normaliseEmail': 'a pure function',
    'db/users.ts#createUser': 'sign-up (public, outside the matrix)',
    'db/users.ts#systemCountSignUpAttempt': 'sign-up (public, outside the matrix): counts the attempts of a network address, reads no account',
    'db/users.ts#systemMailNewAccountConfirmation': "sign-up (public, outside the matrix): mails the new account's own address the link that confirms it",
    'db/users.ts#verifyCredentials': 'sign-in (public, outside the matrix)',
    'db/users.ts#forgetLoginLimits': "inside deleteAccount's transaction, for the deleted account's own email",
    'db/users.ts#verifyPasswordAgain': 'inside changePassword and deleteAccount, on the row of the caller they already read',
    'db/users.ts#createSession': 'sign-in',
    'db/users.ts#viewerForSession': 'establishes the viewer (getViewer)',
    'db/users.ts#revokeSession': "sign-out: the caller's own session",
    'db/admin.ts#unsafeUpsertAdmin': 'the command line only (scripts/create-admin.ts)',
    'db/users.ts#systemPasswordResetLink': "makes the reset link for the account an address names: mailed to that address only (systemRequestPasswordReset), or printed for an administrator (scripts/reset-link.ts)",
    'db/users.ts#systemRequestPasswordReset': "forgot password (public, outside the matrix): mails the link to the account's own address only, the same answer for every address",
    'db/mailer.ts#retryDelayMs': 'a pure function',
    'db/mailer.ts#systemEnqueueUrgent': "the scheduler's, no viewer",
    'db/mailer.ts#isDigestTime': 'a pure function',
    'db/mailer.ts#isQuietTime': 'a pure function',
    'db/mailer.ts#systemEnqueueDigests': "the scheduler's, no viewer",
    'db/mailer.ts#shortError': 'a pure function',
    'db/mailer.ts#systemSendPending': "the scheduler's, no viewer",
    'db/mailer.ts#systemDigestNotes': "the scheduler's (a digest's notes, for the user it is queued for), no viewer",
    'db/notes.ts#advisorNotesSince': 'a pure date: where the look back for advisors\' notes starts',
    'db/mailer.ts#systemMailTick': "the scheduler's, no viewer",
    'db/account.ts#archiveFileName': 'a pure function',
    'db/account.ts#exportFileName': 'a pure function',
    'db/advisor.ts#forgetKeptDashboards': 'for tests: empties the process-wide kept dashboards, reads nothing',
    'db/advisor.ts#keptDashboardCounts': 'for tests: two counters, no data',
    'db/admin.ts#countOtherActiveAdmins': "the last-admin rule, inside the calling verb's transaction after its own check",
    'db/admin.ts#requireAdmin': 'the admin check the admin verbs and the lender curation run first',
  };
  const MODULES: Record<string, Record<string, unknown>> = {
    'db/cases.ts': casesModule,
    'db/attempts.ts': attemptsModule,
    'db/documents.ts': documentsModule,
    'db/contacts.ts': contactsModule,
    'db/plans.ts': plansModule,
    'db/reminders.ts': remindersModule,
    'db/notes.ts': notesModule,
    'db/shares.ts': sharesModule,
    'db/advisor.ts': advisorModule,
    'db/lenders.ts': lendersModule,
    'db/calendar.ts': calendarModule,
    'db/users.ts': usersModule,
    'db/mailer.ts': mailerModule,
    'db/admin.ts': adminModule,
    'db/lender-suggestions.ts': lenderSuggestionsModule,
  };

  it('has every exported verb of db/ in a row (or above, with the reason it is no verb)', () => {
    const modules = { ...MODULES, ...(accountModule ? { 'db/account.ts': accountModule as Record<string, unknown> } : {}) };
    const inMatrix = new Set(MATRIX.flatMap((r) => r.verbs));
    const exported = Object.entries(modules).flatMap(([file, mod]) =>
      Object.entries(mod)
        .filter(([, value]) => typeof value === 'function')
        .map(([name]) => `${file}#${name}`),
    );
    expect(exported.filter((e) => !inMatrix.has(e) && !(e in NOT_VERBS))).toEqual([]);
    expect(Object.keys(NOT_VERBS).filter((e) => !exported.includes(e))).toEqual([]);
  });

  it('docs/authorization.md is the rendering of the matrix (npx tsx scripts/authz-matrix.ts)', () => {
    expect(readFileSync(DOC_PATH, 'utf8')).toBe(renderAuthorizationDoc());
  });
});

type CellCase = [string, Role, Answer, MatrixRow];
const CELLS: CellCase[] = MATRIX.filter((r) => r.cells).flatMap((row) => ROLES.map((role) => [row.id, role, expected(row, role, 'db'), row] as CellCase));

describe('every cell, in-process', () => {
  it.each(CELLS)('%s as %s: %s', async (_id, role, answer, row) => {
    if (answer === 'n/a') {
      tally.notAtThisLayer += 1;
      return;
    }
    const missing = plannedMissing(row);
    if (missing) {
      tally.skippedPlanned += 1;
      console.log(`[authz-matrix db] skipped ${row.id} as ${role}: planned, ${missing}`);
      return;
    }
    const denied = answer === 'not-found' || answer === 'forbidden';
    // A refusal changes nothing (asserted below), so the row's refusals share one world; whatever may
    // change something gets a world of its own.
    const w = denied ? await sharedWorld(row) : await preparedWorld(row);
    const viewer = viewerOf(role, w);
    const before = snapshotOwner(w);
    const observed: Record<string, Observed> = {};
    for (const verb of row.verbs) observed[verb] = await PROBES[row.id][verb](viewer, w);
    expect(observed).toEqual(Object.fromEntries(row.verbs.map((verb) => [verb, answer])));

    const after = snapshotOwner(w);
    const sideEffect = SIDE_EFFECTS[`${row.id} ${role}`];
    if (sideEffect) {
      sideEffect(before, after, w);
    } else if (denied || (row.scope === 'self' && role !== 'owner')) {
      // A refusal, or someone else acting on their own account: the owner's world is exactly as it was.
      expect(after).toEqual(before);
    } else if (answer === 'allow' && row.scope !== 'bearer' && WRITES.has(row.operation)) {
      // The control: an allowed write did change the owner's data (so a refusal above is the check speaking).
      expect(after).not.toEqual(before);
    }
    tally.tested += 1;
    tally.byAnswer[answer] += 1;
  });
});

// Make sure the planned rows' verbs are not forgotten once they land.
describe('planned rows', () => {
  it.each(MATRIX.filter((r) => r.planned).map((r) => [r.id, r] as const))('%s: tested above once built', (_id, row) => {
    const missing = plannedMissing(row);
    if (missing) {
      console.log(`[authz-matrix db] ${row.id} is planned and ${missing}: its cells were skipped`);
      return;
    }
    expect(Object.keys(PROBES[row.id])).toEqual(row.verbs);
  });
});

