import 'server-only';
import { getLocale, getTranslations } from 'next-intl/server';
import { refusal } from '@/app/_lib/action';
import type { ActionState } from '@/components/form/state';
import { getCase } from '@/db/cases';
import type { Viewer } from '@/db/viewer';
import { formatDate } from '@/lib/dates';
import { formatFen } from '@/lib/money';
import type { CaseInput } from '@/lib/validation';

/** How much of a long note the field's hint quotes. */
const NOTE_QUOTED = 60;

/**
 * The case was saved elsewhere while this form was open (ConflictError: nothing was written). The form
 * comes back with everything typed, each field whose saved value now differs from it marked with that
 * value, and the case's current version: saving again is a choice made with both in view, never a
 * silent overwrite. A case deleted meanwhile throws NotFoundError, which the form reports.
 */
export async function caseConflict(viewer: Viewer, caseId: number, typed: CaseInput, formData: FormData): Promise<ActionState> {
  const { case: now, lender } = getCase(viewer, caseId);
  const t = await getTranslations('cases.conflict');
  const locale = await getLocale();
  const text = (value: string) => (value === '' ? t('empty') : value.length > NOTE_QUOTED ? `${value.slice(0, NOTE_QUOTED)}…` : value);
  const saved: Record<string, string | null> = {
    lenderId: now.lenderId !== typed.lenderId ? lender.name : null,
    product: now.product !== typed.product ? text(now.product) : null,
    accountRef: now.accountRef !== typed.accountRef ? text(now.accountRef) : null,
    principal: now.principalFen !== typed.principal ? formatFen(now.principalFen) : null,
    interest: now.interestFen !== typed.interest ? formatFen(now.interestFen) : null,
    penalty: now.penaltyFen !== typed.penalty ? formatFen(now.penaltyFen) : null,
    overdueSince: (now.overdueSince ?? null) !== (typed.overdueSince ?? null) ? (now.overdueSince ? formatDate(now.overdueSince, locale) : t('empty')) : null,
    note: now.note !== typed.note ? text(now.note) : null,
  };
  const fieldErrors: Record<string, string> = {};
  for (const [field, value] of Object.entries(saved)) if (value !== null) fieldErrors[field] = t('savedNow', { value });
  return refusal(formData, { message: t('message'), fieldErrors, hidden: { version: String(now.version) } });
}
