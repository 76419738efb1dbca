import type { CaseStatus } from './case-status';
import { APPLICATION_PROGRAMS, type Program, type RejectionReason } from './domain';

/**
 * What the borrower should do next, as message keys in messages/<locale>/nextStep.json.
 * After a rejection the advice follows the reason, in the spirit of the guides our users read:
 * add the missing proof and re-apply, ask for another program, talk to customer service
 * honestly about the cause, or escalate to mediation.
 */
export function nextStepKey(status: CaseStatus): string {
  return `status.${status}`;
}

const BY_REASON: Record<RejectionReason, string[]> = {
  insufficient_proof: ['add_proof', 'reapply', 'explain_honestly'],
  overdue_too_short: ['wait_and_reapply', 'other_program', 'explain_honestly'],
  partial_payment_first: ['partial_payment', 'reapply', 'other_program'],
  product_not_eligible: ['other_program', 'customer_service', 'escalate'],
  capacity_insufficient: ['add_income_proof', 'longer_instalments', 'escalate'],
  credit_history: ['explain_honestly', 'customer_service', 'escalate'],
  other: ['customer_service', 'other_program', 'escalate'],
};

/** After the lender voided an agreed plan: explain and ask to restore it, apply again, or escalate. */
export const PLAN_VOIDED_SUGGESTIONS = ['suggest.explain_honestly', 'suggest.reapply', 'suggest.escalate'];

/** After the debt is paid off (the plan's last instalment, or the rest at once): the proof, and the credit report. */
export const SETTLED_SUGGESTIONS = ['settled.certificate', 'settled.credit', 'settled.records'];

/**
 * Programs "ask for another program" names in its place when it was the one just rejected. The names
 * are examples only, "among those the lender offers", where the directory lists no other program of
 * the lender's (otherProgramsOffered names those it lists).
 */
const OTHER_PROGRAM_AFTER: Partial<Record<Program, string>> = {
  instalments: 'other_program_after_instalments',
  extension: 'other_program_after_extension',
  penalty_waiver: 'other_program_after_penalty_waiver',
};

/**
 * The programs "ask for another program" can name for certain: those the lender lists in the
 * directory (its `programs`), but the one it just turned down, in the usual order. Empty where the
 * directory lists none but that one: the advice then names examples (OTHER_PROGRAM_AFTER).
 */
export function otherProgramsOffered(offered: readonly string[] | null | undefined, program?: Program): Program[] {
  return APPLICATION_PROGRAMS.filter((p) => p !== program && (offered ?? []).includes(p));
}

/**
 * The advice after a rejection for `reason`; "ask for another program" names programs other than
 * `program`, the one the lender just turned down.
 */
export function rejectionSuggestionKeys(reason: RejectionReason, program?: Program): string[] {
  return BY_REASON[reason].map((k) => `suggest.${(k === 'other_program' && program && OTHER_PROGRAM_AFTER[program]) || k}`);
}
