import 'server-only';
import { getLocale, getTranslations } from 'next-intl/server';
import { refusal } from '@/app/_lib/action';
import type { ActionState } from '@/components/form/state';
import { getCase } from '@/db/cases';
import type { Case } from '@/db/schema';
import type { Viewer } from '@/db/viewer';
import { formatDate } from '@/lib/dates';
import { formatFen, givenFenToYuanInput } from '@/lib/money';
import { caseSchema, type CaseInput } from '@/lib/validation';

/** How much of a long note the field's hint quotes. */
const NOTE_QUOTED = 60;

/** The edit form's fields as the form's inputs hold them (the `base` the form was rendered with). */
export function caseFormValues(c: Pick<Case, 'lenderId' | 'product' | 'accountRef' | 'principalFen' | 'interestFen' | 'penaltyFen' | 'overdueSince' | 'note'>) {
  return {
    lenderId: String(c.lenderId),
    product: c.product,
    accountRef: c.accountRef,
    principal: givenFenToYuanInput(c.principalFen),
    interest: givenFenToYuanInput(c.interestFen),
    penalty: givenFenToYuanInput(c.penaltyFen),
    overdueSince: c.overdueSince ?? '',
    note: c.note,
  };
}

type Field = keyof ReturnType<typeof caseFormValues>;

/** Each field's value as saved, in the terms of the parsed form (CaseInput). */
function savedValues(c: Case): Record<Field, unknown> {
  return {
    lenderId: c.lenderId,
    product: c.product,
    accountRef: c.accountRef,
    principal: c.principalFen,
    interest: c.interestFen,
    penalty: c.penaltyFen,
    overdueSince: c.overdueSince ?? null,
    note: c.note,
  };
}

/** The values the form was rendered with, parsed as the form is; null when absent or not the form's. */
function parseBase(base: string | undefined): Record<Field, unknown> | null {
  if (!base || base.length > 20_000) return null;
  try {
    const parsed = caseSchema.safeParse(JSON.parse(base));
    return parsed.success ? (parsed.data as CaseInput as unknown as Record<Field, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The case was saved elsewhere while this form was open (ConflictError: nothing was written). Field by
 * field, against the values the form was opened with (`base`):
 * - a field changed only here is left as typed;
 * - a field changed only elsewhere takes the saved value (saving again must not put the old one back);
 * - a field changed in both keeps what was typed here, marked with the saved value.
 * With no field changed in both, the two saves do not touch each other: the merged values are
 * returned to be saved at once, on the current version. Otherwise the form comes back with the merged
 * values, the marks and the current version, so that saving again is a choice made with both in view.
 * Without a base (an old page), every field whose saved value differs from what was typed counts as
 * changed in both. Never a silent overwrite either way. A case deleted meanwhile throws NotFoundError.
 */
export async function caseConflict(
  viewer: Viewer,
  caseId: number,
  typed: CaseInput,
  formData: FormData,
  base?: string,
): Promise<{ merged: CaseInput; version: number } | { state: ActionState }> {
  const { case: now, lender } = getCase(viewer, caseId);
  const t = await getTranslations('cases.conflict');
  const tc = await getTranslations('common');
  const locale = await getLocale();
  const text = (value: string) => (value === '' ? t('empty') : value.length > NOTE_QUOTED ? `${value.slice(0, NOTE_QUOTED)}…` : value);
  const shown: Record<Field, string> = {
    lenderId: lender.name,
    product: text(now.product),
    accountRef: text(now.accountRef),
    principal: now.principalFen === null ? tc('notGiven') : formatFen(now.principalFen),
    interest: now.interestFen === null ? tc('notGiven') : formatFen(now.interestFen),
    penalty: now.penaltyFen === null ? tc('notGiven') : formatFen(now.penaltyFen),
    overdueSince: now.overdueSince ? formatDate(now.overdueSince, locale) : t('empty'),
    note: text(now.note),
  };
  const saved = savedValues(now);
  const opened = parseBase(base);
  const typedValues = typed as unknown as Record<Field, unknown>;
  const nowInputs = caseFormValues(now);
  const fieldErrors: Record<string, string> = {};
  const takenValues: Record<string, string> = {};
  const merged: Record<string, unknown> = { ...typed };
  let bothChanged = 0;
  for (const field of Object.keys(shown) as Field[]) {
    if (saved[field] === typedValues[field]) continue;
    if (opened && opened[field] === typedValues[field]) {
      // Not touched here, changed there: the other change stands.
      merged[field] = saved[field];
      takenValues[field] = nowInputs[field];
      fieldErrors[field] = t('takenNow', { value: shown[field] });
    } else if (!opened || opened[field] !== saved[field]) {
      bothChanged += 1;
      fieldErrors[field] = t('savedNow', { value: shown[field] });
    }
  }
  if (bothChanged === 0) return { merged: merged as CaseInput, version: now.version };
  const state = refusal(formData, {
    message: t('message'),
    fieldErrors,
    hidden: { version: String(now.version), base: JSON.stringify(nowInputs) },
  });
  return { state: { ...state, values: { ...state.values, ...takenValues } } };
}
