import type { DocumentKind, Program } from './domain';

/**
 * What a program usually needs, beyond what the lender itself is known to ask for. For interest
 * suspension and instalments the income is proved by bank statements and payslips (银行流水、工资单),
 * as the guides our users read ask.
 */
const BY_PROGRAM: Record<Program, DocumentKind[]> = {
  suspension: ['hardship_letter', 'income_proof', 'bank_statement', 'payslip'],
  instalments: ['hardship_letter', 'income_proof', 'bank_statement', 'payslip'],
  penalty_waiver: ['hardship_letter'],
  extension: ['hardship_letter', 'income_proof'],
  mediation: ['id_card', 'hardship_letter'],
  complaint: ['id_card'],
};

/** What a program usually needs beyond the lender's own list (the checklist's "by program" suggestions). */
export function programDocuments(program: Program): readonly DocumentKind[] {
  return BY_PROGRAM[program];
}

/** The documents to suggest for a case: the lender's list first, then the program's, without repeats. */
export function suggestedDocuments(lenderDocuments: readonly DocumentKind[], program: Program | null): DocumentKind[] {
  return [...new Set<DocumentKind>([...lenderDocuments, ...(program ? BY_PROGRAM[program] : [])])];
}
