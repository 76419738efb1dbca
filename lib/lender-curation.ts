import { createHash } from 'node:crypto';
import type { Lender } from '@/db/schema';

/**
 * The version of a public lender an admin's edit form was loaded with: a digest of every field
 * the form edits. The lenders table has no version column; two admins editing one lender is rare
 * enough that the row's own content serves: the save goes through only if the lender still reads
 * as it did when the form was loaded (db/lenders.ts updatePublicLender), else nothing is written.
 */
export function lenderFingerprint(lender: Pick<Lender, 'name' | 'kind' | 'products' | 'channels' | 'programs' | 'documents' | 'reviewWorkdays'>): string {
  const fields = [lender.name, lender.kind, lender.products, lender.channels, lender.programs, lender.documents, lender.reviewWorkdays];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 22);
}
