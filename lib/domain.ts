/**
 * The vocabulary of the domain (DESIGN.md §3). Codes are stored in the database and
 * translated for display through the message catalogue (messages/<locale>/domain.json).
 */

export const LENDER_KINDS = ['bank', 'consumer_finance', 'platform'] as const;
export type LenderKind = (typeof LENDER_KINDS)[number];

export const PROGRAMS = ['suspension', 'instalments', 'penalty_waiver', 'extension', 'mediation', 'complaint'] as const;
export type Program = (typeof PROGRAMS)[number];
/** Programs asked of the lender directly; the other two are escalation routes. */
export const APPLICATION_PROGRAMS = ['suspension', 'instalments', 'penalty_waiver', 'extension'] as const satisfies readonly Program[];
export const ESCALATION_ROUTES = ['mediation', 'complaint'] as const satisfies readonly Program[];
export type EscalationRoute = (typeof ESCALATION_ROUTES)[number];

export const APPLICATION_CHANNELS = ['app', 'hotline', 'branch', 'online', 'mediator', 'regulator', 'other'] as const;
export type ApplicationChannel = (typeof APPLICATION_CHANNELS)[number];
/**
 * The channels an application to the lender goes through: mediators and regulators are where an
 * escalation goes (db/attempts.ts escalateCase sets them), and a round on one of them is taken for
 * an escalation when it is undone.
 */
export const LENDER_APPLICATION_CHANNELS = ['app', 'hotline', 'branch', 'online', 'other'] as const satisfies readonly ApplicationChannel[];

export const CONTACT_CHANNELS = ['phone', 'chat', 'visit', 'email', 'letter', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/**
 * Who reached out: the borrower to the lender (a call to the hotline, a visit to a branch) or the
 * lender to the borrower (a callback with the review's result, a collection call, a letter).
 */
export const CONTACT_DIRECTIONS = ['outgoing', 'incoming'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

/** Whether a lender kept a promise made in a contact ("3个工作日内回电"): recorded by the person, for a complaint's evidence. */
export const PROMISE_OUTCOMES = ['kept', 'broken'] as const;
export type PromiseOutcome = (typeof PROMISE_OUTCOMES)[number];

/**
 * Kinds of document on a case's checklist: proof of hardship the lender asks for, and what the lender
 * gives back to keep (its agreement or notice of approval, the certificate that the debt is settled).
 */
export const DOCUMENT_KINDS = [
  'income_proof',
  'medical_proof',
  'bank_statement',
  'payslip',
  'unemployment_proof',
  'hardship_letter',
  'id_card',
  'agreement',
  'settlement_certificate',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
/** What the lender gives back, for the borrower to keep: never sent to it with an application or materials. */
export const RECEIVED_DOCUMENT_KINDS: readonly DocumentKind[] = ['agreement', 'settlement_certificate'];
/** What a lender asks a borrower for (its directory entry lists these): not what it gives back. */
export const REQUESTED_DOCUMENT_KINDS = DOCUMENT_KINDS.filter((k) => !RECEIVED_DOCUMENT_KINDS.includes(k));
/** Kinds that carry health or financial detail (PIPL art. 28): an advisor needs separate consent. */
export const SENSITIVE_DOCUMENT_KINDS: readonly DocumentKind[] = ['medical_proof', 'bank_statement'];

export const DOCUMENT_STATUSES = ['needed', 'ready', 'submitted', 'accepted', 'rejected'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
/** A document whose file went to the lender: that file is the record of what was sent, and stays (db/documents.ts attachDocumentFile). */
export const FILE_KEPT_STATUSES: ReadonlySet<DocumentStatus> = new Set(['submitted', 'accepted']);

export const REJECTION_REASONS = [
  'insufficient_proof',
  'overdue_too_short',
  'partial_payment_first',
  'product_not_eligible',
  'capacity_insufficient',
  'credit_history',
  'other',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * Whether a rejection lacks what it needs: for the reason "other" (其他), the lender's own words, which
 * are then the reason (lib/validation.ts rejectSchema; db/attempts.ts rejectAttempt). A rejection
 * recorded before this was asked keeps reading as it was.
 */
export function rejectionNeedsText(reason: unknown, text: unknown): boolean {
  return reason === 'other' && (typeof text !== 'string' || text.trim() === '');
}

export const CASE_OUTCOMES = ['settled', 'withdrawn', 'other'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** Upload limits: checked from the file's bytes, never its name. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const ALLOWED_UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;
