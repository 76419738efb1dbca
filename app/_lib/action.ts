import 'server-only';
import { getLocale, getTranslations } from 'next-intl/server';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { ActionState } from '@/components/form/state';
import { getCase } from '@/db/cases';
import { getViewer, type Viewer } from '@/db/viewer';
import { TransitionError } from '@/lib/case-status';
import { formatDate } from '@/lib/dates';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { formatFen } from '@/lib/money';
import { fieldErrorsOf } from '@/lib/validation';

/** Form fields as strings (files are handled by the action itself, never echoed back). */
function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === 'string' && !key.startsWith('$ACTION')) values[key] = value;
  }
  return values;
}

let nonce = 0;

/** See formAction: the field refusals a form's verb would add, from what the form holds. */
type Alongside = (viewer: Viewer, values: Record<string, string>) => DomainError[] | Promise<DomainError[]>;

/** The field refusals `alongside` finds, translated; none when it cannot tell (see formAction). */
async function alongsideErrors(
  alongside: Alongside,
  viewer: Viewer,
  values: Record<string, string>,
): Promise<Record<string, string>> {
  let problems: DomainError[];
  try {
    problems = await alongside(viewer, values);
  } catch (e) {
    if (e instanceof DomainError || e instanceof NotFoundError || e instanceof ForbiddenError) return {};
    throw e;
  }
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const message = problem.detail.field ? await messageForError(problem) : null;
    if (message && !(problem.detail.field! in errors)) errors[problem.detail.field!] = message;
  }
  return errors;
}

/** zod's issues as one translated error per field (the first), for the fields to show (lib/validation.ts). */
export async function translateIssues(issues: Parameters<typeof fieldErrorsOf>[0]): Promise<Record<string, string>> {
  return fieldErrorsOf(issues, await getTranslations('errors'));
}

/**
 * The sentence for an error the data layer threw on purpose; null for anything else. An advisor's
 * "not found" adds the likely reason, which is theirs to know without any lookup: the client deleted
 * the case or stopped sharing (the dashboard names who stopped). Nothing about the case is read.
 */
export async function messageForError(e: unknown, viewer?: Viewer): Promise<string | null> {
  const t = await getTranslations('errors');
  if (e instanceof NotFoundError) return t(viewer?.role === 'advisor' ? 'not_found_advisor' : 'not_found');
  if (e instanceof ForbiddenError) return t('forbidden');
  if (e instanceof ConflictError) return t('conflict');
  if (e instanceof TransitionError) return t('transition', { from: e.from, transition: e.transition });
  if (e instanceof DomainError) return t.has(e.code) ? t(e.code, await messageValues(e.detail.values)) : t('unexpected');
  return null;
}

/** A refusal's placeholders as the reader reads them: `…Fen` an amount, `…On` a day. */
async function messageValues(values: Record<string, string | number> = {}): Promise<Record<string, string | number>> {
  const locale = await getLocale();
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      key.endsWith('Fen') && typeof value === 'number' ? formatFen(value) : key.endsWith('On') && typeof value === 'string' ? formatDate(value, locale) : value,
    ]),
  );
}

/**
 * After a conflict, the form carries the case's version as it is now: once the reader has looked at
 * the case (the message links to it) and sends the form again, it is their decision, and it is
 * saved, as the message promises. A form without a version (nothing to compare) gets nothing; a
 * case the viewer can no longer read gets nothing either, and says "not found" when sent again.
 */
function versionNow(viewer: Viewer, caseId: number, values: Record<string, string>): Pick<ActionState, 'hidden'> {
  if (!('version' in values)) return {};
  try {
    return { hidden: { version: String(getCase(viewer, caseId).case.version) } };
  } catch (e) {
    if (e instanceof NotFoundError) return {};
    throw e;
  }
}

/** A refusal the handler words itself (a conflict shown field by field): what the user typed comes back too. */
export function refusal(formData: FormData, state: Omit<ActionState, 'status' | 'values' | 'nonce'>): ActionState {
  return { status: 'error', ...state, values: formValues(formData), nonce: ++nonce };
}

/**
 * A file chosen in the form cannot come back with a refusal (a file input is never refilled): said
 * at its field, so that the person knows to choose it again rather than find out at the next press,
 * after what may have been a long upload on a phone.
 */
function chooseFilesAgain(formData: FormData, t: (key: string) => string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of formData.entries()) if (value instanceof File && value.size > 0) fields[name] = t('file_again');
  return fields;
}

/** The answer's field errors when a file is to be chosen again; none otherwise. */
function atFiles(fileAgain: Record<string, string>): Pick<ActionState, 'fieldErrors'> {
  return Object.keys(fileAgain).length > 0 ? { fieldErrors: fileAgain } : {};
}

/**
 * The one way to write a server action: establish who is asking, validate the form with zod,
 * then run the handler (which calls one db/ verb). Field errors and refusals come back
 * translated, with what the user typed; unexpected errors are logged and never shown.
 * A handler may `redirect()`: that is passed through.
 *
 * `alongside`: the refusals its db/ verb would add at fields, from what the form holds as far as
 * it can be read (a decision dated before the application, say). They are said together with the
 * schema's errors when the schema refuses the form, so that nothing waits for a second try; a
 * field the schema already refused keeps the schema's error. The verb checks them again when the
 * form is valid, and when it refuses one at a field, the others are said with it. Whatever else
 * `alongside` throws (the case not found) is left for the verb to say.
 *
 * `secret`: fields never sent back with a refusal (passwords). The form empties them and asks for
 * them again (components/form/fields.tsx); they must not travel in the answer either.
 */
export function formAction<S extends z.ZodType>(
  schema: S,
  handler: (viewer: Viewer, data: z.output<S>, formData: FormData) => Promise<ActionState | void> | ActionState | void,
  { alongside, secret = [] }: { alongside?: Alongside; secret?: readonly string[] } = {},
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const t = await getTranslations('errors');
    // A hand-made request can encode any arguments (a string, an array, nothing): only a form is read.
    if (!(formData instanceof FormData)) return { status: 'error', message: t('check_fields'), nonce: ++nonce };
    const values = formValues(formData);
    // What comes back with a refusal: what was typed, less the secrets.
    const typed = Object.fromEntries(Object.entries(values).filter(([key]) => !secret.includes(key)));
    const fileAgain = chooseFilesAgain(formData, t);
    const viewer = await getViewer();
    // Signed out meanwhile (elsewhere, or the session ended): what was typed stays on this page,
    // and signing in again happens beside it, in a new tab, so that it can be sent again.
    if (!viewer) {
      return { status: 'error', message: t('signed_out'), ...atFiles(fileAgain), values: typed, link: { href: '/signin', label: t('signed_out_sign_in') }, nonce: ++nonce };
    }
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const fieldErrors = { ...fileAgain, ...(alongside ? await alongsideErrors(alongside, viewer, values) : {}), ...(await translateIssues(parsed.error.issues)) };
      return { status: 'error', message: t('check_fields'), fieldErrors, values: typed, nonce: ++nonce };
    }
    try {
      const result = await handler(viewer, parsed.data, formData);
      return result ?? { status: 'ok', nonce: ++nonce };
    } catch (e) {
      unstable_rethrow(e);
      const message = await messageForError(e, viewer);
      if (!message) console.error('server action failed', e);
      // A refusal about one field: said at that field, as a field the schema refused would be. The verb
      // stops at its first refusal; the others `alongside` finds are said with it, not after it is mended.
      if (message && e instanceof DomainError && e.detail.field) {
        const fieldErrors = { ...fileAgain, ...(alongside ? await alongsideErrors(alongside, viewer, values) : {}), [e.detail.field]: message };
        return { status: 'error', message: t('check_fields'), fieldErrors, values: typed, nonce: ++nonce };
      }
      // Changed elsewhere: the case as it is now, in a new tab, beside what was typed here.
      const caseId = Number(values.caseId);
      const conflict = e instanceof ConflictError && Number.isSafeInteger(caseId) && caseId > 0;
      const link = conflict ? { href: `/cases/${caseId}`, label: t('conflict_open_latest') } : undefined;
      const hidden = conflict ? versionNow(viewer, caseId, values) : e instanceof DomainError && e.detail.hidden ? { hidden: e.detail.hidden } : {};
      return { status: 'error', message: message ?? t('unexpected'), ...atFiles(fileAgain), values: typed, ...(link ? { link } : {}), ...hidden, nonce: ++nonce };
    }
  };
}
