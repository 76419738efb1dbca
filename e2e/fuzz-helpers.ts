/**
 * The fuzzing suite's vocabulary: what each server action's fields are (from lib/validation.ts
 * and the actions), values each kind of field must refuse, hostile text, and the checks made on
 * every answer: no 5xx, no internals in the body, and not one byte written anywhere.
 *
 * Generated values are tokens (`@@nonexistent`, `@@huge:1000000:<unit>`, `@@version+3`…)
 * resolved only when the request is sent, so a counterexample fast-check prints stays readable.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { DB_PATH, UPLOAD_DIR, type Part } from './helpers';

// --- kinds of fields -------------------------------------------------------------------------------

export type Ref = 'case' | 'document' | 'contact' | 'instalment' | 'materialRequest' | 'reminder' | 'share' | 'lender' | 'user';

export type Kind =
  | { k: 'id'; ref: Ref }
  | { k: 'version' }
  | { k: 'formKey' }
  | { k: 'enum'; values: readonly string[]; optional?: boolean }
  | { k: 'date'; required: boolean; notFuture?: boolean; afterToday?: boolean; notPast?: boolean; withinAYear?: boolean }
  | { k: 'datetime' }
  | { k: 'amount'; required?: boolean; positive?: boolean }
  | { k: 'text'; max: number; required?: boolean }
  | { k: 'int'; min: number; max: number; required?: boolean }
  /** z.coerce.number().int().min().max(): "1e1" and " 5 " are numbers to it. */
  | { k: 'coerceInt'; min: number; max: number }
  | { k: 'digits6' }
  | { k: 'time' }
  | { k: 'email'; strict: boolean }
  | { k: 'password'; min: number; max: number }
  | { k: 'confirm' }
  | { k: 'inviteCode' }
  /** A mailed link's token (lib/signed-link.ts): at most 200 characters; anything else in that length is a link that does not work. */
  | { k: 'linkToken' }
  /** Anything goes (a `.catch()`, or a value only used when it is one of a few): only ever filled with noise. */
  | { k: 'free' };

export type ActionSpec = {
  fields: Record<string, Kind>;
  /** Which owner's session sends it: the borrower (default), the advisor, or nobody. */
  as?: 'borrower' | 'advisor' | 'visitor';
  /** Actions that accept any input (nothing can be invalid): fuzzed for "no 500, no internals" only. */
  noInput?: boolean;
  /** The refusal (a key of messages/errors) a noInput action answers on the tests' server, where it cannot do its work; else it answers ok. */
  refusal?: string;
  /**
   * Lists of checkboxes, each box named `<prefix><id>` (lib/validation.ts tickedIds): any value but
   * '1' is a box left unticked, so a box has no invalid value. Sent as the browser sent them; the
   * list's `…Listed` field is fuzzed.
   */
  ticks?: readonly string[];
};

const LENDER_KINDS = ['bank', 'consumer_finance', 'platform'];
const APPLICATION_PROGRAMS = ['suspension', 'instalments', 'penalty_waiver', 'extension'];
const APPLICATION_CHANNELS = ['app', 'hotline', 'branch', 'online', 'mediator', 'regulator', 'other'];
const CONTACT_CHANNELS = ['phone', 'chat', 'visit', 'email', 'letter', 'other'];
const DOCUMENT_KINDS = ['income_proof', 'medical_proof', 'bank_statement', 'payslip', 'unemployment_proof', 'hardship_letter', 'id_card', 'agreement', 'settlement_certificate', 'other'];
/** The kinds a lender's directory entry may ask for: not what it gives back (its agreement, the settlement certificate). */
const REQUESTED_DOCUMENT_KINDS = DOCUMENT_KINDS.filter((k) => k !== 'agreement' && k !== 'settlement_certificate');
const DOCUMENT_STATUSES = ['needed', 'ready', 'submitted', 'accepted', 'rejected'];
const REJECTION_REASONS = ['insufficient_proof', 'overdue_too_short', 'partial_payment_first', 'product_not_eligible', 'capacity_insufficient', 'credit_history', 'other'];
const ZERO_ONE = ['0', '1'];

const caseId: Kind = { k: 'id', ref: 'case' };
const version: Kind = { k: 'version' };

/** A contact's fields: recorded (addContactAction) or corrected (correctContactAction). */
const contactFields: Record<string, Kind> = {
  channel: { k: 'enum', values: CONTACT_CHANNELS },
  occurredAt: { k: 'datetime' },
  agentId: { k: 'text', max: 40 },
  theirNumber: { k: 'text', max: 40 },
  summary: { k: 'text', max: 2000, required: true },
  promise: { k: 'text', max: 500 },
  promiseDue: { k: 'date', required: false, withinAYear: true },
  promiseWorkdays: { k: 'int', min: 1, max: 60 },
};
/** Who reached out: asked of every new contact; a correction of one recorded before it was asked may leave it unsaid. */
const CONTACT_DIRECTIONS = ['outgoing', 'incoming'];

/** An application's fields: a new round's, and its record corrected. */

const applicationFields: Record<string, Kind> = {
  program: { k: 'enum', values: APPLICATION_PROGRAMS },
  channel: { k: 'enum', values: APPLICATION_CHANNELS },
  submittedOn: { k: 'date', required: true, notFuture: true },
  lenderRef: { k: 'text', max: 60 },
  proposedPeriods: { k: 'int', min: 1, max: 120 },
  proposedMonthly: { k: 'amount' },
  proposedFirstPaymentOn: { k: 'date', required: false },
  proposedWaived: { k: 'amount' },
};
/** The terms a lender agreed: the approval's, and its terms corrected. */
const agreedFields: Record<string, Kind> = {
  decidedOn: { k: 'date', required: true, notFuture: true },
  agreedPeriods: { k: 'int', min: 1, max: 120, required: true },
  agreedMonthly: { k: 'amount', required: true, positive: true },
  agreedFirstPaymentOn: { k: 'date', required: true },
  agreedWaived: { k: 'amount' },
};
const formKey: Kind = { k: 'formKey' };
const caseFields: Record<string, Kind> = {
  lenderId: { k: 'id', ref: 'lender' },
  product: { k: 'text', max: 60 },
  accountRef: { k: 'digits6' },
  principal: { k: 'amount' },
  interest: { k: 'amount' },
  penalty: { k: 'amount' },
  overdueSince: { k: 'date', required: false, notFuture: true },
  note: { k: 'text', max: 2000 },
};
const reminderFields: Record<string, Kind> = {
  title: { k: 'text', max: 200, required: true },
  dueOn: { k: 'date', required: true, withinAYear: true },
  dueTime: { k: 'time' },
  note: { k: 'text', max: 1000 },
};

const PROGRAMS = ['suspension', 'instalments', 'penalty_waiver', 'extension', 'mediation', 'complaint'];
const TICK: Kind = { k: 'enum', values: ['1'], optional: true };
/** lib/validation.ts lenderSchema: a borrower's private lender, added or corrected. */
const privateLenderFields: Record<string, Kind> = {
  name: { k: 'text', max: 60, required: true },
  kind: { k: 'enum', values: LENDER_KINDS },
  products: { k: 'text', max: 200 },
  hotline: { k: 'text', max: 40 },
  appPath: { k: 'text', max: 200 },
  reviewWorkdays: { k: 'coerceInt', min: 1, max: 60 },
};
/** lib/validation.ts publicLenderSchema: the directory's fields, one checkbox per program and document. */
const publicLenderFields: Record<string, Kind> = {
  ...privateLenderFields,
  branch: { k: 'text', max: 200 },
  complaint: { k: 'text', max: 500 },
  appPathEn: { k: 'text', max: 200 },
  branchEn: { k: 'text', max: 200 },
  complaintEn: { k: 'text', max: 500 },
  ...Object.fromEntries(PROGRAMS.map((p) => [`program_${p}`, TICK])),
  ...Object.fromEntries(REQUESTED_DOCUMENT_KINDS.map((d) => [`document_${d}`, TICK])),
};

/** Every server action's form, as its zod schema reads it. Keyed "<file>#<export>" like the manifest. */
export const ACTION_SPECS: Record<string, ActionSpec> = {
  'app/(auth)/actions.ts#signUpAction': {
    as: 'visitor',
    fields: {
      email: { k: 'email', strict: true },
      displayName: { k: 'text', max: 60, required: true },
      password: { k: 'password', min: 8, max: 200 },
      role: { k: 'enum', values: ['borrower', 'advisor'] },
    },
  },
  'app/(auth)/actions.ts#signInAction': {
    as: 'visitor',
    fields: { email: { k: 'email', strict: false }, password: { k: 'password', min: 1, max: 200 } },
  },
  'app/(auth)/actions.ts#forgotPasswordAction': { as: 'visitor', fields: { email: { k: 'email', strict: true } } },
  // Captured with the two passwords apart: no replay can set one. The link's token is only ever noise.
  'app/(auth)/actions.ts#resetPasswordAction': {
    as: 'visitor',
    fields: { token: { k: 'free' }, next: { k: 'password', min: 8, max: 200 }, confirm: { k: 'confirm' }, endCalendarFeed: TICK },
  },
  'app/(auth)/actions.ts#confirmEmailAction': { as: 'visitor', fields: { token: { k: 'linkToken' } } },
  'app/actions.ts#setLocaleAction': { fields: { locale: { k: 'enum', values: ['zh-CN', 'en'] } } },
  'app/cases/actions.ts#createCaseAction': { fields: { ...caseFields, formKey } },
  // `base`: what the form opened with, read only to merge after a conflict (anything, or nothing, is accepted).
  'app/cases/actions.ts#updateCaseAction': { fields: { ...caseFields, caseId, version, base: { k: 'free' } } },
  'app/cases/actions.ts#setArchivedAction': { fields: { caseId, version, archived: { k: 'enum', values: ZERO_ONE } } },
  'app/cases/actions.ts#deleteCaseAction': { fields: { caseId, version } },
  'app/cases/[id]/actions.ts#submitAttemptAction': {
    fields: { caseId, version, ...applicationFields, documentsListed: { k: 'enum', values: ['1'], optional: true } },
    ticks: ['document-'],
  },
  'app/cases/[id]/actions.ts#requestMaterialsAction': {
    fields: {
      caseId,
      version,
      what: { k: 'text', max: 500, required: true },
      requestedOn: { k: 'date', required: true, notFuture: true },
      deadline: { k: 'date', required: false, withinAYear: true },
    },
  },
  'app/cases/[id]/actions.ts#sendMaterialsAction': {
    fields: {
      caseId,
      version,
      sentOn: { k: 'date', required: true, notFuture: true },
      requestsListed: { k: 'enum', values: ['1'], optional: true },
      documentsListed: { k: 'enum', values: ['1'], optional: true },
    },
    ticks: ['request-', 'document-'],
  },
  'app/cases/[id]/actions.ts#approveAction': {
    fields: { caseId, version, ...agreedFields, paidPeriods: { k: 'int', min: 0, max: 120 } },
  },
  'app/cases/[id]/actions.ts#correctAttemptAction': {
    fields: { caseId, version, ...applicationFields },
  },
  'app/cases/[id]/actions.ts#undoDecisionAction': { fields: { caseId, version } },
  'app/cases/[id]/actions.ts#undoAttemptAction': { fields: { caseId, version } },
  'app/cases/[id]/actions.ts#changeMaterialsDeadlineAction': {
    fields: { caseId, version, requestId: { k: 'id', ref: 'materialRequest' }, deadline: { k: 'date', required: true, withinAYear: true } },
  },
  'app/cases/[id]/actions.ts#removeMaterialsRequestAction': { fields: { caseId, version, requestId: { k: 'id', ref: 'materialRequest' } } },
  'app/cases/[id]/actions.ts#correctPlanTermsAction': {
    fields: { caseId, version, ...agreedFields },
  },
  'app/cases/[id]/actions.ts#rejectAction': {
    fields: {
      caseId,
      version,
      decidedOn: { k: 'date', required: true, notFuture: true },
      rejectionReason: { k: 'enum', values: REJECTION_REASONS },
      rejectionText: { k: 'text', max: 1000 },
    },
  },
  'app/cases/[id]/actions.ts#escalateAction': {
    fields: {
      caseId,
      version,
      route: { k: 'enum', values: ['mediation', 'complaint'] },
      submittedOn: { k: 'date', required: true, notFuture: true },
      lenderRef: { k: 'text', max: 60 },
      documentsListed: { k: 'enum', values: ['1'], optional: true },
    },
    ticks: ['document-'],
  },
  'app/cases/[id]/actions.ts#closeEscalationAction': {
    fields: { caseId, version, outcome: { k: 'enum', values: ['settled', 'withdrawn', 'other'] }, note: { k: 'text', max: 1000 } },
  },
  'app/cases/[id]/actions.ts#withdrawAction': { fields: { caseId, version, note: { k: 'text', max: 1000 } } },
  'app/cases/[id]/actions.ts#undoWithdrawalAction': { fields: { caseId, version } },
  'app/cases/[id]/actions.ts#undoEscalationCloseAction': { fields: { caseId, version } },
  'app/cases/[id]/actions.ts#voidPlanAction': { fields: { caseId, version, voidedOn: { k: 'date', required: true, notFuture: true }, note: { k: 'text', max: 1000 } } },
  'app/cases/[id]/actions.ts#markInstalmentPaidAction': {
    fields: {
      caseId,
      version,
      instalmentId: { k: 'id', ref: 'instalment' },
      paidOn: { k: 'date', required: true, notFuture: true },
      paid: { k: 'amount', required: true, positive: true },
    },
  },
  'app/cases/[id]/actions.ts#payOffPlanAction': {
    fields: {
      caseId,
      version,
      paidOn: { k: 'date', required: true, notFuture: true },
      paid: { k: 'amount', required: true, positive: true },
      note: { k: 'text', max: 1000 },
    },
  },
  'app/cases/[id]/actions.ts#undoPlanEndAction': { fields: { caseId, version } },
  'app/cases/[id]/actions.ts#changeInstalmentAction': {
    fields: {
      caseId,
      version,
      instalmentId: { k: 'id', ref: 'instalment' },
      dueOn: { k: 'date', required: true },
      amount: { k: 'amount', required: true, positive: true },
      // The amount for every later unpaid instalment too.
      laterToo: TICK,
    },
  },
  'app/cases/[id]/actions.ts#correctInstalmentPaymentAction': {
    fields: {
      caseId,
      version,
      instalmentId: { k: 'id', ref: 'instalment' },
      paidOn: { k: 'date', required: false, notFuture: true },
      paid: { k: 'amount', required: true },
    },
  },
  'app/cases/[id]/actions.ts#addSuggestedDocumentsAction': { fields: { caseId, program: { k: 'enum', values: APPLICATION_PROGRAMS, optional: true } } },
  'app/cases/[id]/actions.ts#addDocumentAction': {
    fields: { caseId, formKey, kind: { k: 'enum', values: DOCUMENT_KINDS }, note: { k: 'text', max: 500 } },
  },
  'app/cases/[id]/actions.ts#setDocumentStatusAction': {
    fields: { caseId, documentId: { k: 'id', ref: 'document' }, status: { k: 'enum', values: DOCUMENT_STATUSES }, from: { k: 'enum', values: DOCUMENT_STATUSES } },
  },
  // The file part is fuzzed on its own (the upload tests); here, the ids beside it.
  // `shownFile`: the file the form was drawn with, compared only (anything, or nothing, is accepted).
  'app/cases/[id]/actions.ts#uploadDocumentFileAction': {
    fields: { caseId, documentId: { k: 'id', ref: 'document' }, file: { k: 'free' }, shownFile: { k: 'free' } },
  },
  'app/cases/[id]/actions.ts#deleteDocumentAction': { fields: { caseId, documentId: { k: 'id', ref: 'document' }, shownFile: { k: 'free' } } },
  'app/cases/[id]/actions.ts#addContactAction': { fields: { caseId, formKey, direction: { k: 'enum', values: CONTACT_DIRECTIONS }, ...contactFields } },
  'app/cases/[id]/actions.ts#correctContactAction': {
    fields: { caseId, version, contactId: { k: 'id', ref: 'contact' }, direction: { k: 'enum', values: CONTACT_DIRECTIONS, optional: true }, ...contactFields },
  },
  'app/cases/[id]/actions.ts#recordPromiseOutcomeAction': {
    // The story records "broken": a day is required then (none is for "awaited").
    fields: { caseId, version, contactId: { k: 'id', ref: 'contact' }, outcome: { k: 'enum', values: ['kept', 'broken', 'awaited'] }, on: { k: 'date', required: true, notFuture: true } },
  },
  // `stamp`: the contact as the page showed it, compared only (anything, or nothing, is accepted).
  'app/cases/[id]/actions.ts#deleteContactAction': { fields: { caseId, contactId: { k: 'id', ref: 'contact' }, stamp: { k: 'free' } } },
  'app/cases/[id]/actions.ts#addCaseNoteAction': { fields: { caseId, formKey, text: { k: 'text', max: 2000, required: true } } },
  'app/cases/[id]/actions.ts#setDocumentSensitiveAction': {
    fields: { caseId, documentId: { k: 'id', ref: 'document' }, sensitive: { k: 'enum', values: ZERO_ONE } },
  },
  'app/lenders/actions.ts#suggestLenderChangeAction': {
    as: 'advisor',
    fields: { formKey, lenderId: { k: 'free' }, body: { k: 'text', max: 1000, required: true } },
  },
  'app/admin/lenders/actions.ts#resolveLenderSuggestionAction': {
    fields: { suggestionId: { k: 'id', ref: 'user' }, status: { k: 'enum', values: ['done', 'dismissed'] } },
  },
  'app/reminders/actions.ts#reminderDoneAction': { fields: { reminderId: { k: 'id', ref: 'reminder' } } },
  'app/reminders/actions.ts#reminderDismissAction': { fields: { reminderId: { k: 'id', ref: 'reminder' } } },
  'app/reminders/actions.ts#reminderReopenAction': { fields: { reminderId: { k: 'id', ref: 'reminder' } } },
  // A known preset replaces `until`: the preset field only ever gets noise (never a real preset).
  'app/reminders/actions.ts#reminderSnoozeAction': {
    fields: { reminderId: { k: 'id', ref: 'reminder' }, until: { k: 'date', required: true, afterToday: true, withinAYear: true }, preset: { k: 'free' } },
  },
  // The stamp is checked against the row (db/reminders.ts reminderEditStamp): only noise.
  'app/reminders/actions.ts#reminderUpdateAction': { fields: { reminderId: { k: 'id', ref: 'reminder' }, ...reminderFields, stamp: { k: 'free' } } },
  'app/reminders/actions.ts#reminderCreateAction': { fields: { caseId, formKey, ...reminderFields, dueOn: { k: 'date', required: true, notPast: true, withinAYear: true } } },
  'app/lenders/actions.ts#createPrivateLenderAction': { fields: { ...privateLenderFields, formKey, from: { k: 'free' } } },
  // The fingerprint is checked by its shape ('form_expired'), then against the row: only noise.
  'app/lenders/actions.ts#updatePrivateLenderAction': { fields: { ...privateLenderFields, lenderId: { k: 'id', ref: 'lender' }, fingerprint: { k: 'free' } } },
  'app/settings/actions.ts#updateProfileAction': { fields: { displayName: { k: 'text', max: 60, required: true } } },
  'app/settings/actions.ts#changePasswordAction': {
    fields: { current: { k: 'password', min: 1, max: 200 }, next: { k: 'password', min: 8, max: 200 }, confirm: { k: 'confirm' } },
  },
  // Captured before the password changed: every replay's password is wrong (a right one would move the owner's sign-in).
  'app/settings/actions.ts#changeEmailAction': {
    fields: { email: { k: 'email', strict: true }, confirm: { k: 'confirm' }, password: { k: 'password', min: 1, max: 200 } },
  },
  'app/settings/actions.ts#setEmailRemindersAction': { fields: { on: { k: 'enum', values: ZERO_ONE } } },
  // Captured with a wrong password: every replay is refused (a schema-valid one would delete the owner).
  'app/settings/actions.ts#deleteAccountAction': {
    fields: { password: { k: 'password', min: 1, max: 200 }, confirm: { k: 'text', max: 320, required: true } },
  },
  'app/settings/actions.ts#signOutEverywhereAction': { fields: {}, noInput: true },
  'app/settings/actions.ts#regenerateCalendarTokenAction': { fields: {}, noInput: true },
  // The tests' server sends no mail: every request, whatever it carries, is told so.
  'app/settings/actions.ts#sendEmailConfirmationAction': { fields: {}, noInput: true, refusal: 'errors.no_mail' },
  // Nothing waits on the tests' server (no mail, so a change is made at once): it answers ok, says none was waiting, and writes nothing.
  'app/settings/actions.ts#cancelEmailChangeAction': { fields: {}, noInput: true },
  'app/sharing/actions.ts#createInviteAction': { fields: { label: { k: 'text', max: 100 }, formKey } },
  'app/sharing/actions.ts#revokeShareAction': {
    fields: { shareId: { k: 'id', ref: 'share' }, accepted: { k: 'enum', values: ZERO_ONE, optional: true }, closeReminders: TICK },
  },
  'app/sharing/actions.ts#setSensitiveConsentAction': { fields: { shareId: { k: 'id', ref: 'share' }, consent: { k: 'enum', values: ZERO_ONE } } },
  'app/share/accept/actions.ts#acceptInviteAction': { as: 'advisor', fields: { code: { k: 'inviteCode' } } },
  // The admin console's actions, sent by the borrower: whatever the fields, an invalid one is
  // "check the marked fields" and a valid-looking one "not found"; nothing is ever written.
  'app/admin/actions.ts#setAccountDisabledAction': { fields: { userId: { k: 'id', ref: 'user' }, disabled: { k: 'enum', values: ZERO_ONE } } },
  'app/admin/actions.ts#setAccountRoleAction': { fields: { userId: { k: 'id', ref: 'user' }, role: { k: 'enum', values: ['borrower', 'advisor', 'admin'] } } },
  'app/admin/lenders/actions.ts#createPublicLenderAction': { fields: { ...publicLenderFields, formKey } },
  'app/admin/lenders/actions.ts#updatePublicLenderAction': {
    // The fingerprint is checked by its shape ('form_expired'), then against the row: only noise.
    fields: { ...publicLenderFields, lenderId: { k: 'id', ref: 'lender' }, fingerprint: { k: 'free' } },
  },
};

/** Actions not fuzzed field by field, with the reason. */
export const NOT_FUZZED: Record<string, string> = {
  'app/actions.ts#signOutAction': 'takes no input at all (next-auth signOut ends the calling session whatever is sent); its request shape is fuzzed by the raw-protocol test',
};

/** The fields a schema cannot do without: missing any of them is invalid. */
export function requiredFields(spec: ActionSpec): string[] {
  return Object.entries(spec.fields)
    .filter(([, kind]) => isRequired(kind))
    .map(([name]) => name);
}

function isRequired(kind: Kind): boolean {
  switch (kind.k) {
    case 'id':
    case 'version':
    case 'formKey':
    case 'datetime':
    case 'coerceInt':
    case 'email':
    case 'password':
    case 'inviteCode':
    case 'linkToken':
      return true;
    case 'enum':
      return !kind.optional;
    case 'date':
    case 'text':
    case 'amount':
    case 'int':
      return !!kind.required;
    default:
      return false;
  }
}

// --- hostile values --------------------------------------------------------------------------------

/** Text that must be stored as text, shown as text and never executed: any field may receive it. */
export const HOSTILE_TEXT = [
  "' OR '1'='1",
  "1; DROP TABLE cases; --",
  '" UNION SELECT password_hash FROM users --',
  "'); DELETE FROM users WHERE ('1'='1",
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '$K1',
  '$@1',
  '$F1',
  '$h0',
  '$ACTION_ID_0123456789abcdef',
  '__proto__',
  'constructor',
  '{"__proto__":{"polluted":true}}',
  '{"$gt":""}',
  '[1,2,3]',
  'null',
  'undefined',
  'true',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00%2e%2e%2f',
  '%s%s%s%n',
  'a\u0000b',
  '\u0000',
  '\u202Eevil.exe\u202Cfdp.png',
  '\u200F\u200E\u200B\u2060\uFEFF',
  '\uD800',
  'x\uDFFFy',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  '债务协商记录：停息挂账',
  '𠀋𡈽𡌛',
  'e\u0301\u0301\u0301',
  '１２３',
  '٣٤٥',
  '\u3000',
  '\r\n\t',
  ' ',
  '',
  'NaN',
  'Infinity',
  '-0',
  '1e999',
  '-1',
  '99999999999999999999',
  '0x10',
];

export const hostileText = fc.constantFrom(...HOSTILE_TEXT);

/** Names of extra fields nobody asked for. */
export const extraFieldName = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'ownerId',
  'role',
  'userId',
  'id',
  'status',
  'isAdmin',
  '$ACTION_ID_0123',
  '$ACTION_REF_1',
  '1',
  '',
  'ä字段',
  'a'.repeat(300),
);

/** A huge value (code points), made only when the request is sent. */
const huge = (units: string[]) =>
  fc.tuple(fc.constantFrom(3_000, 65_537, 1_000_000), fc.constantFrom(...units)).map(([n, unit]) => `@@huge:${n}:${unit}`);

export type Bad = { value: string; semantic: boolean };

const schemaBad = (arb: fc.Arbitrary<string>): fc.Arbitrary<Bad> => arb.map((value) => ({ value, semantic: false }));
const semanticBad = (arb: fc.Arbitrary<string>): fc.Arbitrary<Bad> => arb.map((value) => ({ value, semantic: true }));

const BAD_NUMBERS = [
  '',
  ' ',
  '0',
  '-0',
  '-1',
  '-9007199254740991',
  '1.5',
  '0.0000001',
  'abc',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1e999',
  '99999999999999999999',
  '9007199254740993',
  '[1]',
  '{"id":1}',
  'null',
  'true',
  '1 OR 1=1',
  '1; DROP TABLE cases',
  '٣',
  '１',
  '\u0000',
  '1\u00001',
  '@@missing',
];

const BAD_DATES = [
  '2025-02-30',
  '2023-02-29',
  '2025-13-01',
  '2025-00-10',
  '2025-04-31',
  '1989-12-31',
  '1900-01-01',
  '0000-01-01',
  '0001-01-01',
  '2101-01-01',
  '9999-12-31',
  '+002025-01-01',
  '2025/01/01',
  '20250101',
  '2025-1-1',
  '01/02/2025',
  'tomorrow',
  '2025-01-01T00:00:00Z',
  '٢٠٢٥-٠١-٠١',
  '2025-01-01; DROP TABLE cases',
  '<script>alert(1)</script>',
  'NaN',
];

/** Values the field's schema must refuse (semantic: well-formed, refused by the data layer instead). */
export function invalidFor(kind: Kind): fc.Arbitrary<Bad> {
  const missing = isRequired(kind) ? ['@@missing'] : [];
  switch (kind.k) {
    case 'id':
      return fc.oneof(
        { weight: 4, arbitrary: schemaBad(fc.constantFrom(...BAD_NUMBERS)) },
        { weight: 1, arbitrary: schemaBad(huge(['9', '1', 'x'])) },
        { weight: 2, arbitrary: semanticBad(fc.constantFrom('@@nonexistent', `@@other:${kind.ref}`)) },
      );
    case 'version':
      return fc.oneof(
        { weight: 3, arbitrary: schemaBad(fc.constantFrom(...BAD_NUMBERS)) },
        { weight: 2, arbitrary: semanticBad(fc.integer({ min: 1, max: 1000 }).chain((n) => fc.constantFrom(`@@version+${n}`, `@@version-${n}`))) },
      );
    case 'formKey':
      return schemaBad(
        fc.oneof(
          fc.constantFrom(
            '',
            'short',
            'a'.repeat(15),
            'a'.repeat(65),
            'has spaces in it aaaaaaaa',
            '中文中文中文中文中文中文中文中文',
            '<script>alert(1)</script>',
            "' OR 1=1 --aaaaaaaaaaaa",
            '../../../../etc/passwd',
            'aaaaaaaa\u0000aaaaaaaaaa',
            'aaaaaaaaaaaaaaaa\n',
            '@@missing',
          ),
          huge(['a', 'Z9']),
        ),
      );
    case 'enum': {
      const v = kind.values[0];
      return schemaBad(
        fc.oneof(
          fc.constantFrom(
            ...(kind.optional ? [] : ['', '@@missing']),
            'x',
            v.toUpperCase() === v ? `${v}x` : v.toUpperCase(),
            ` ${v}`,
            `${v}\u0000`,
            `["${v}"]`,
            `${v}' OR '1'='1`,
            '__proto__',
            'constructor',
            'toString',
            '2',
            '-1',
          ),
          huge(['a', v]),
        ),
      );
    }
    case 'date': {
      const extra: string[] = [...missing];
      if (kind.required) extra.push('', ' ');
      if (kind.notFuture) extra.push('2099-06-01', '@@tomorrow');
      if (kind.afterToday) extra.push('@@today', '@@yesterday', '2000-01-01');
      if (kind.notPast) extra.push('@@yesterday', '2000-01-01');
      if (kind.withinAYear) extra.push('2099-06-01');
      return schemaBad(fc.oneof(fc.constantFrom(...BAD_DATES, ...extra), huge(['2025-01-01', '9'])));
    }
    case 'datetime':
      return schemaBad(
        fc.oneof(
          fc.constantFrom(
            '',
            '@@missing',
            '2025-02-30T10:00',
            '2025-01-01T24:00',
            '2025-01-01T10:60',
            '2025-01-01 10:00',
            '2025-01-01',
            '0001-01-01T00:00',
            '1000-01-01T00:00',
            '1989-12-31T23:59',
            '2099-01-01T00:00',
            '9999-12-31T23:59',
            '@@tomorrow-datetime',
            'garbage',
          ),
          huge(['2025-01-01T10:00']),
        ),
      );
    case 'amount': {
      const extra: string[] = [...missing];
      if (kind.required) extra.push('', ' ');
      if (kind.positive) extra.push('0', '0.00', '¥0');
      return schemaBad(
        fc.oneof(
          fc.constantFrom(
            ...extra,
            '-1',
            '-0.01',
            '¥-5',
            'abc',
            '1.234',
            '1.2.3',
            'NaN',
            'Infinity',
            '1e999',
            '1e5',
            '100000000.01',
            '9999999999999',
            '0x10',
            // Full-width digits are read as digits (lib/money.ts); a comma that groups nothing is not.
            '1,5',
            '٣',
            '12 OR 1=1',
          ),
          huge(['9', '1.', 'x']),
        ),
      );
    }
    case 'text': {
      const over = kind.max + 1;
      const required = kind.required ? ['', ' ', '\t\r\n', '\u3000\u3000', '\u00a0', '@@missing'] : [];
      return schemaBad(
        fc.oneof(
          // zod counts code points: an emoji is one, so `over` of them is one too many.
          fc.constantFrom(...required, 'x'.repeat(over), '字'.repeat(over), '😀'.repeat(over), `  ${'<script>'.repeat(Math.ceil(over / 8))}  `),
          huge(['x', '字', '<script>alert(1)</script>', "' OR '1'='1", '\u202E', '\u0000']),
        ),
      );
    }
    case 'int':
      return schemaBad(
        fc.oneof(
          fc.constantFrom(
            ...(kind.required ? ['', '@@missing'] : []),
            String(kind.min - 1),
            String(kind.max + 1),
            '-1',
            '1.5',
            '1e2',
            'abc',
            '٣',
            // Full-width digits are digits (a Chinese input method's full-width mode); not a fraction in them.
            '１.５',
            'NaN',
            '1e999',
            '1 2',
            '0x1',
          ),
          huge(['9']),
        ),
      );
    case 'coerceInt':
      return schemaBad(
        fc.oneof(fc.constantFrom('', ' ', '@@missing', String(kind.min - 1), String(kind.max + 1), '-1', '1.5', 'abc', 'NaN', 'Infinity', '1e999', '[5]'), huge(['9'])),
      );
    case 'digits6':
      return schemaBad(fc.oneof(fc.constantFrom('1234567', '123', 'abc', '12a', '１２３４５６７', '٣', '-1', '12 34', '1.5', "1' OR '1'='1"), huge(['1'])));
    case 'time':
      return schemaBad(fc.constantFrom('24:00', '12:60', '2400', '1260', 'noon', '12:5', '-1:00', '١٢:٠٠', '99:99', '12:00:00', '12:00; DROP TABLE reminders'));
    case 'email':
      return schemaBad(
        fc.oneof(
          fc.constantFrom(...(kind.strict ? ['not-an-email', 'a@', '@b.c', 'a b@c.d', '<script>@x', 'a@b@c.d'] : []), '', ' ', '@@missing', `${'a'.repeat(250)}@e.test`),
          huge(['a', '@']),
        ),
      );
    case 'password':
      return schemaBad(
        fc.oneof(
          fc.constantFrom(...(kind.min > 1 ? ['short', 'x'.repeat(kind.min - 1)] : []), '', '@@missing', 'x'.repeat(kind.max + 1)),
          huge(['x', '密']),
        ),
      );
    case 'confirm':
      return schemaBad(fc.constantFrom('@@mismatch', '@@missing'));
    case 'inviteCode':
      return fc.oneof(
        schemaBad(fc.oneof(fc.constantFrom('', ' ', '\t', '@@missing', 'A'.repeat(41)), huge(['A', '<']))),
        semanticBad(fc.constantFrom('AAAA-BBBB', 'ZZZZ-ZZZZ-ZZZZ', "' OR '1'='1", '<script>alert(1)</script>', '../../etc/passwd', '\u202E1234')),
      );
    case 'linkToken':
      return fc.oneof(
        schemaBad(fc.oneof(fc.constantFrom('@@missing', 'A'.repeat(201)), huge(['A', '<']))),
        semanticBad(fc.constantFrom('', `1.1.${'A'.repeat(43)}`, "' OR '1'='1", '<script>alert(1)</script>', '../../etc/passwd', '\u202E1234')),
      );
    case 'free':
      throw new Error('a free field has no invalid value');
  }
}

// --- one generated request -------------------------------------------------------------------------

export type FuzzCase = {
  /** The fields made invalid, each with the value(s) sent (repeated names: the last one is the bad one). */
  bad: Record<string, { values: string[]; semantic: boolean }>;
  /** Other fields filled with hostile text (possibly valid: one bad field is enough to refuse the form). */
  noise: Record<string, string>;
  extra: [string, string][];
};

export function fuzzCaseArb(spec: ActionSpec): fc.Arbitrary<FuzzCase> {
  const names = Object.keys(spec.fields);
  const corruptible = names.filter((n) => spec.fields[n].k !== 'free');
  const free = names.filter((n) => spec.fields[n].k === 'free');
  const extraArb = fc.array(fc.tuple(extraFieldName, hostileText), { maxLength: 2 });
  if (corruptible.length === 0) {
    return fc.record({ bad: fc.constant({}), noise: fc.record(Object.fromEntries(free.map((n) => [n, hostileText]))), extra: extraArb });
  }
  return fc.subarray(corruptible, { minLength: 1, maxLength: Math.min(3, corruptible.length) }).chain((chosen) => {
    const badArb = fc.record(
      Object.fromEntries(
        chosen.map((n) => [
          n,
          fc.tuple(invalidFor(spec.fields[n]), fc.option(hostileText, { freq: 5 })).map(([b, before]) => ({
            // A repeated field name: the form's last value wins, so the bad one goes last.
            values: before !== null && b.value !== '@@missing' ? [before, b.value] : [b.value],
            semantic: b.semantic,
          })),
        ]),
      ),
    );
    const others = names.filter((n) => !chosen.includes(n));
    const noiseArb = fc.record(
      Object.fromEntries(others.map((n) => [n, spec.fields[n].k === 'free' ? hostileText : fc.option(hostileText, { freq: 3, nil: undefined })])),
      { requiredKeys: [] },
    ) as fc.Arbitrary<Record<string, string>>;
    return fc.record({ bad: badArb, noise: noiseArb, extra: extraArb });
  });
}

/** Resolves the run-time tokens. */
export type Resolver = {
  nonexistent: () => string;
  other: (ref: Ref) => string | undefined;
  currentVersion: () => number;
  today: string;
};

function addDaysIso(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function resolveToken(token: string, r: Resolver, fieldsNow: Record<string, string>): string | null {
  if (!token.startsWith('@@')) return token;
  if (token === '@@missing') return null;
  if (token === '@@nonexistent') return r.nonexistent();
  if (token.startsWith('@@other:')) return r.other(token.slice(8) as Ref) ?? r.nonexistent();
  if (token === '@@today') return r.today;
  if (token === '@@yesterday') return addDaysIso(r.today, -1);
  if (token === '@@tomorrow') return addDaysIso(r.today, 1);
  if (token === '@@tomorrow-datetime') return `${addDaysIso(r.today, 2)}T09:00`;
  if (token === '@@mismatch') return `${fieldsNow.next ?? ''}-not-the-same`;
  let m = /^@@version([+-])(\d+)$/.exec(token);
  if (m) {
    const current = r.currentVersion();
    const n = Number(m[2]);
    const wrong = m[1] === '+' || current - n < 1 ? current + n : current - n;
    return String(wrong);
  }
  m = /^@@huge:(\d+):([\s\S]*)$/.exec(token);
  if (m) {
    const n = Number(m[1]);
    const unit = m[2] || 'x';
    return unit.repeat(Math.ceil(n / [...unit].length));
  }
  throw new Error(`unknown token ${token}`);
}

/** The captured request's parts with the case applied: bad values, noise, repeats and extras. */
export function applyCase(parts: Part[], fc_: FuzzCase, r: Resolver): { parts: Part[]; sent: string[] } {
  const prefix = /^(_\d+_)/.exec(parts.find((p) => /^_\d+_/.test(p.name))?.name ?? '')?.[1] ?? '_1_';
  const fieldOf = (p: Part) => (p.name === '0' || p.name.includes('$ACTION') ? null : p.name.replace(/^_\d+_/, ''));
  // The values the form would send as text, for tokens that depend on another field (confirm ← next).
  const current: Record<string, string> = {};
  for (const p of parts) {
    const f = fieldOf(p);
    if (f !== null && p.fileName === undefined) current[f] = p.value.toString('utf8');
  }
  const noise = Object.entries(fc_.noise).filter(([, v]) => typeof v === 'string');
  for (const [f, v] of noise) current[f] = v;

  const replacement = new Map<string, string[]>();
  const sent: string[] = [];
  for (const [f, v] of noise) replacement.set(f, [v]);
  for (const [f, b] of Object.entries(fc_.bad)) {
    const vals = b.values.map((t) => resolveToken(t, r, current)).filter((v): v is string => v !== null);
    replacement.set(f, vals);
  }
  const out: Part[] = [];
  const done = new Set<string>();
  const root = parts.filter((p) => p.name === '0');
  for (const p of parts) {
    if (p.name === '0') continue;
    const f = fieldOf(p);
    if (f === null || !replacement.has(f)) {
      out.push(p);
      continue;
    }
    if (done.has(f)) continue; // every part of a replaced field goes, once
    done.add(f);
    for (const v of replacement.get(f)!) out.push({ name: p.name, value: Buffer.from(v) });
  }
  // Fields the captured form did not send (optional ones left out): added.
  for (const [f, vals] of replacement) {
    if (done.has(f)) continue;
    for (const v of vals) out.push({ name: `${prefix}${f}`, value: Buffer.from(v) });
  }
  for (const [name, v] of fc_.extra) out.push({ name: `${prefix}${name}`, value: Buffer.from(v) });
  for (const vals of replacement.values()) sent.push(...vals);
  for (const [, v] of fc_.extra) sent.push(v);
  return { parts: [...out, ...root], sent };
}

/** A short description of a case for failure messages (huge values shortened). */
export function describe(c: FuzzCase): string {
  return JSON.stringify(c, (_k, v) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v));
}

// --- what must never show, and what must never change ------------------------------------------------

const INTERNALS: [string, RegExp][] = [
  ['a stack frame', /\bat [\w$.<>\[\] ]+ \((?:\/|file:|node:)/],
  ['a stack frame', /\n\s+at (?:async )?[\w$.<>]+ /],
  ['a server path', /\/work\/|\/home\/|\/usr\/lib\/|node_modules|\.next-[\w]+\/server|\/server\/chunks\//],
  ['an SQL error', /SqliteError|SQLITE_[A-Z]+|no such (?:table|column)|syntax error near|constraint failed|UNIQUE constraint/i],
  ['a JS error', /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|ZodError|DrizzleError|AggregateError)\b/],
  ['an error message', /\bError: /],
  ['an error digest', /"digest":"/],
  ['the production error page', /a server-side exception has occurred|Internal Server Error/i],
];

/** The body with every value the caller sent removed (the form echoes what was typed), then searched. */
export function internalsIn(body: string, sent: string[] = []): string[] {
  let clean = body;
  const forms = new Set<string>();
  for (const v of sent) {
    if (!v) continue;
    const decoded = Buffer.from(v).toString('utf8');
    forms.add(decoded);
    forms.add(JSON.stringify(decoded).slice(1, -1));
    forms.add(`$${decoded}`);
  }
  for (const f of [...forms].sort((a, b) => b.length - a.length)) if (f.length > 0) clean = clean.split(f).join('');
  return INTERNALS.filter(([, re]) => re.test(clean)).map(([what, re]) => `${what}: ${re.exec(clean)![0].slice(0, 120)}`);
}

/**
 * The ActionState in a server action's RSC answer: row 0 is `{"a":"$@<row>", …}`, and that row
 * holds the action's return value as JSON (the re-rendered page, if any, is in other rows).
 */
export function actionState(body: string): { status?: string; message?: string; fieldErrors?: Record<string, string> } {
  // (Hint rows such as `:HL[…]` for style sheets may come first.)
  const ref = /^0:\{"a":"\$@([0-9a-f]+)"/m.exec(body)?.[1];
  if (!ref) return {};
  // A long string is sent as a text row (`<id>:T<length>,<text>`) with no newline after it, so the
  // state's row may begin in the middle of a line: try every place it could start.
  const marker = `${ref}:{`;
  for (let at = body.indexOf(marker); at !== -1; at = body.indexOf(marker, at + 1)) {
    const end = body.indexOf('\n', at);
    try {
      const state = JSON.parse(body.slice(at + ref.length + 1, end === -1 ? undefined : end)) as { status?: string; message?: string; fieldErrors?: Record<string, string> };
      if (typeof state === 'object' && state && 'status' in state) return { status: state.status, message: state.message, fieldErrors: state.fieldErrors };
    } catch {
      // not this one
    }
  }
  return {};
}

/**
 * Tables left out of "nothing written": the mail outbox, which a background job writes on its own,
 * and data_versions and case_facts, which only SQLite triggers write (migrations 0006, 0007), on a
 * write to another table. A request's write shows in that other table; the sweep's own rows (below)
 * move them too (a missed instalment opened, or opened again, is the case's next reminder), so a
 * sweep between two fingerprints would read as a write by the request.
 */
const BACKGROUND_TABLES = new Set(['email_deliveries', 'data_versions', 'case_facts']);
/**
 * Rows the server's per-minute sweep (systemSweepReminders) inserts on its own, for everybody's
 * missed instalments and stalled cases: left out too, or a sweep landing between two fingerprints
 * reads as a write by the request. Every other reminder row, rule reminders included, still counts.
 */
const BACKGROUND_ROWS: Record<string, string> = {
  reminders: "coalesce(rule_key, '') not like 'inst-missed:%' and coalesce(rule_key, '') not like 'stale:%'",
};

/**
 * Every row of every table (hashed per table) and every stored file's name: equal fingerprints
 * before and after a request mean the request wrote nothing, anywhere.
 *
 * Hashing the whole database takes a few hundred milliseconds once the other specs have filled it,
 * and the suite takes thousands of fingerprints; so the tables' hashes are kept, with one read-only
 * connection held open, until SQLite's `data_version` says another connection (the server) has
 * committed since. Only then are they hashed again. The files are listed every time.
 */
let held: { db: Database.Database; ino: number; dataVersion: number; tables: Record<string, string> } | undefined;

export function fingerprint(): Record<string, string> {
  const ino = statSync(DB_PATH).ino;
  if (held && held.ino !== ino) {
    held.db.close();
    held = undefined;
  }
  if (!held) {
    const db = new Database(DB_PATH, { readonly: true, fileMustExist: true });
    held = { db, ino, dataVersion: -1, tables: {} };
  }
  const dataVersion = held.db.pragma('data_version', { simple: true }) as number;
  if (dataVersion !== held.dataVersion) {
    held.tables = hashTables(held.db);
    held.dataVersion = dataVersion;
  }
  return { ...held.tables, files: existsSync(UPLOAD_DIR) ? readdirSync(UPLOAD_DIR).sort().join(',') : '' };
}

function hashTables(db: Database.Database): Record<string, string> {
  const out: Record<string, string> = {};
  // `wr`: a WITHOUT ROWID table (case_facts), whose rows a plain select gives in primary-key order.
  const tables = db.prepare("select name, wr from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name").all() as {
    name: string;
    wr: number;
  }[];
  // One read transaction: every table as of the same commit.
  db.transaction(() => {
    for (const { name, wr } of tables) {
      if (BACKGROUND_TABLES.has(name)) continue;
      const where = BACKGROUND_ROWS[name] ? ` where ${BACKGROUND_ROWS[name]}` : '';
      const rows = db.prepare(`select * from "${name}"${where}${wr ? '' : ' order by rowid'}`).raw().all();
      out[name] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('hex') : v))).digest('hex').slice(0, 16)}`;
    }
  })();
  return out;
}

/** Table by table, what differs between two fingerprints. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
}

/** Reads one value from the test database. */
export function dbGet<T>(sql: string, ...args: unknown[]): T | undefined {
  const db = new Database(DB_PATH, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get(...args) as T | undefined;
  } finally {
    db.close();
  }
}

export function dbAll<T>(sql: string, ...args: unknown[]): T[] {
  const db = new Database(DB_PATH, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** A Chinese message from any namespace (e2e/helpers.ts's `zh` loads only some). */
export function zhAny(key: string): string {
  const [ns, ...rest] = key.split('.');
  let node: unknown = JSON.parse(readFileSync(new URL(`../messages/zh-CN/${ns}.json`, import.meta.url), 'utf8'));
  for (const part of rest) node = (node as Record<string, unknown>)?.[part];
  if (typeof node !== 'string') throw new Error(`no message zh-CN:${key}`);
  return node;
}

// --- URLs and raw requests -----------------------------------------------------------------------------

/** Percent-encodes the UTF-8 bytes of a value (a lone surrogate becomes U+FFFD, as a browser sends it). */
export function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** Query and path values: hostile text (percent-encoded), raw broken escapes, numbers, huge. */
export const urlValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileText.map(pct) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(pct) },
  { weight: 2, arbitrary: fc.constantFrom('%', '%E4%B8', '%ZZ', '%00', '%FF%FE', '..%2F..%2F', '%2e%2e', '%C0%AE%C0%AE') },
  { weight: 2, arbitrary: fc.constantFrom('1', '0', '-1', '1.5', '1e3', '1e999', '99999999999999999999', '9007199254740993', '0x10', 'NaN', 'Infinity', '') },
  { weight: 1, arbitrary: fc.constantFrom(2_000, 8_000).map((n) => 'A'.repeat(n)) },
);

/** A query string of the given keys (some repeated, some unknown), each value from `urlValue`. */
export function queryArb(keys: string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'x', 'q[]', 'a[b]') }), urlValue), {
      minLength: 1,
      maxLength: 5,
    })
    .map((pairs) => pairs.map(([k, v]) => `${pct(k)}=${v}`).join('&'));
}
