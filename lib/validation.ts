/**
 * What every form may send, checked on the server with zod. Messages are keys in
 * messages/<locale>/errors.json, so the error next to a field is in the user's language.
 */
import { z } from 'zod';
import { addDaysIso, addMonthsIso, isIsoDate, parseShanghaiLocal, todayInShanghai } from './dates';
import {
  APPLICATION_PROGRAMS,
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  DOCUMENT_KINDS,
  REQUESTED_DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  ESCALATION_ROUTES,
  LENDER_APPLICATION_CHANNELS,
  LENDER_KINDS,
  PROGRAMS,
  PROMISE_OUTCOMES,
  REJECTION_REASONS,
  rejectionNeedsText,
} from './domain';
import { halfWidthDigits, MAX_FEN, parseYuanToFen } from './money';
import { normalizePhone } from './phone';

/** One of zod's issues, as far as the message beside the field needs it. */
type FieldIssue = { path: PropertyKey[]; message: string; code?: string; maximum?: unknown };

/** next-intl's translator for the errors namespace (getTranslations('errors') on the server). */
export type ErrorTranslator = { (key: string, values?: Record<string, string>): string; has(key: string): boolean };

/**
 * zod's issues as one translated error per field (the first), for the fields to show. A text
 * over its limit says the limit ("最多 500 个字"): zod's issue carries it as `maximum`.
 */
export function fieldErrorsOf(issues: readonly FieldIssue[], t: ErrorTranslator): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '_');
    if (issue.message === 'too_long') {
      // A string, so that 1000 reads the same everywhere: ICU would group a number ("1,000"), the precompiled catalogue not.
      fieldErrors[field] ??= typeof issue.maximum === 'number' ? t('too_long', { max: String(issue.maximum) }) : t('invalid');
    } else {
      fieldErrors[field] ??= t.has(issue.message) ? t(issue.message) : t('invalid');
    }
  }
  return fieldErrors;
}

/**
 * Line breaks as one character: a form sends a textarea's as CRLF, the field's counter counts one
 * (components/form/fields.tsx), and a note at its limit with line breaks must not be refused.
 */
const oneLineBreak = () => z.string().overwrite((v) => v.replace(/\r\n?/g, '\n'));
const text = (max: number) => oneLineBreak().trim().max(max, 'too_long');
const requiredText = (max: number) => text(max).min(1, 'required');
const optionalText = (max: number) =>
  oneLineBreak()
    .trim()
    .max(max, 'too_long')
    .optional()
    .transform((s) => s ?? '');

/**
 * A telephone number as people write it (95555, 400-820-5555, +86 10 6659 6688, 95555 转 2): full-width
 * digits and signs from a Chinese input method read as ASCII, so that the number dials. It must
 * hold at least three digits; the rest is kept as typed.
 */
const phone = (max: number) =>
  optionalText(max)
    .transform(normalizePhone)
    .refine((s) => s === '' || (s.match(/\d/g)?.length ?? 0) >= 3, 'phone_invalid');

/** A yuan amount typed by a person → fen, or NEVER with the issue added. `s` is trimmed and not empty. */
function fenOf(s: string, positive: boolean, ctx: z.RefinementCtx): number {
  // A minus as typed: ASCII, full width (－), the Unicode sign (−), after the yuan sign.
  if (/^[¥￥]?\s*[-－−]/.test(s)) {
    ctx.addIssue({ code: 'custom', message: 'amount_negative' });
    return z.NEVER;
  }
  const fen = parseYuanToFen(s);
  if (fen === null) {
    // Digits past what a yuan amount can hold are a number too large, not a malformed one.
    const tooManyDigits = /^\d{13,}(\.\d{0,2})?$/.test(halfWidthDigits(s).replace(/[,，\s¥￥]/g, ''));
    ctx.addIssue({ code: 'custom', message: tooManyDigits ? 'amount_too_large' : 'amount_invalid' });
    return z.NEVER;
  }
  if (fen > MAX_FEN) {
    ctx.addIssue({ code: 'custom', message: 'amount_too_large' });
    return z.NEVER;
  }
  if (positive && fen === 0) {
    ctx.addIssue({ code: 'custom', message: 'amount_positive' });
    return z.NEVER;
  }
  return fen;
}

/** A yuan amount typed by a person → fen. Empty is 0 unless `required`. */
function yuan({ required = false, positive = false } = {}) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const s = (raw ?? '').trim();
      if (s === '') {
        if (required) ctx.addIssue({ code: 'custom', message: 'required' });
        return required ? z.NEVER : 0;
      }
      return fenOf(s, positive, ctx);
    });
}

/** A yuan amount that may be left blank, where blank is not 0 but "not given" (null): what a case owes. */
function givenYuan() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const s = (raw ?? '').trim();
      return s === '' ? null : fenOf(s, false, ctx);
    });
}

type DateRules = {
  /** Something that has already happened. */
  notFuture?: boolean;
  /** A date a lender gives for days or weeks ahead (a deadline, a promise): past a year, the year was mistyped. */
  withinAYear?: boolean;
};

function checkDate(s: string, { notFuture = false, withinAYear = false }: DateRules, ctx: z.RefinementCtx): string {
  if (!isIsoDate(s)) {
    ctx.addIssue({ code: 'custom', message: 'date_invalid' });
    return z.NEVER;
  }
  // A real date, but not one of a debt negotiated now (a year typed wrongly): the range says so.
  if (s < '1990-01-01' || s > '2100-12-31') {
    ctx.addIssue({ code: 'custom', message: 'date_out_of_range' });
    return z.NEVER;
  }
  // A date in the future is refused, but stays a date: a check against another date (bothDates) can still say its part.
  if (notFuture && s > todayInShanghai()) ctx.addIssue({ code: 'custom', message: 'date_future' });
  if (withinAYear && s > addDaysIso(todayInShanghai(), 366)) ctx.addIssue({ code: 'custom', message: 'date_too_far' });
  return s;
}

/**
 * When a check across two dates runs: as soon as both are dates (one in the future included),
 * whatever else the form got wrong. By default zod skips an object's refinements once any field
 * is refused, and the form would show its errors one round at a time.
 */
function bothDates(a: string, b: string) {
  return (payload: { value: unknown }) => {
    const v = payload.value as Record<string, unknown>;
    return typeof v?.[a] === 'string' && isIsoDate(v[a]) && typeof v[b] === 'string' && isIsoDate(v[b]);
  };
}

/** A required YYYY-MM-DD date, within `rules`. */
function isoDate(rules: DateRules = {}) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      const s = (raw ?? '').trim();
      if (s === '') {
        ctx.addIssue({ code: 'custom', message: 'required' });
        return z.NEVER;
      }
      return checkDate(s, rules, ctx);
    });
}

/** An optional YYYY-MM-DD date: empty is null. */
function optionalIsoDate(rules: DateRules = {}) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string | null => {
      const s = (raw ?? '').trim();
      return s === '' ? null : checkDate(s, rules, ctx);
    });
}

function optionalInt(min: number, max: number, message = 'periods_invalid') {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const s = halfWidthDigits((raw ?? '').trim());
      if (s === '') return null;
      if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return Number(s);
    });
}

/** A checkbox: '1' when ticked, absent when not. */
const tick = z
  .literal('1', { error: 'invalid' })
  .optional()
  .transform((v) => v === '1');

const id = z.coerce.number({ error: 'required' }).int().positive('required');
const version = z.coerce.number().int().positive();
/** A random key per rendered create form: a double-clicked submit creates one record. */
export const formKey = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'form_expired');

// --- accounts ------------------------------------------------------------------------------

/** A password being set: long enough, and not absurdly long (too easy to guess is the verb's check, lib/password-strength.ts). */
export const newPassword = z.string().min(8, 'password_short').max(200, 'too_long');

/**
 * An email as typed: full-width characters read as the ASCII they stand for (NFKC: ａ＠ｘ.com, typed
 * with a Chinese IME in full-width mode, is a@x.com; db/users.ts normaliseEmail does the same).
 */
const typedEmail = () => z.string().overwrite((v) => v.normalize('NFKC')).trim();

export const signUpSchema = z.object({
  email: typedEmail().max(254, 'too_long').pipe(z.email('email_invalid')),
  displayName: requiredText(60),
  password: newPassword,
  role: z.enum(['borrower', 'advisor'], 'required'),
});

export const signInSchema = z.object({
  email: typedEmail().min(1, 'required').max(254, 'too_long'),
  password: z.string().min(1, 'required').max(200, 'too_long'),
});

export const changePasswordSchema = z
  .object({ current: z.string().min(1, 'required').max(200, 'too_long'), next: newPassword, confirm: z.string().max(200, 'too_long') })
  .refine((v) => v.next === v.confirm, { path: ['confirm'], message: 'password_mismatch' })
  // The same password again changes nothing (and signing the other devices out has its own button).
  .refine((v) => v.next !== v.current, { path: ['next'], message: 'password_unchanged' });

/** A new sign-in email, typed twice (a typo would send reminders and reset links nowhere), and the password. */
export const changeEmailSchema = z
  .object({
    email: typedEmail().max(254, 'too_long').pipe(z.email('email_invalid')),
    confirm: typedEmail().max(254, 'too_long'),
    password: z.string().min(1, 'required').max(200, 'too_long'),
  })
  .refine((v) => v.email.toLowerCase() === v.confirm.toLowerCase(), { path: ['confirm'], message: 'email_mismatch' });

/** 忘记密码: the address to send the link to. */
export const forgotPasswordSchema = z.object({ email: typedEmail().min(1, 'required').max(254, 'too_long').pipe(z.email('email_invalid')) });

/** A new password set with a link from the mail (lib/password-reset.ts): the link's token, the password twice, and whether the calendar feed ends too. */
export const resetPasswordSchema = z
  .object({ token: z.string().max(200, 'reset_link_invalid'), next: newPassword, confirm: z.string().max(200, 'too_long'), endCalendarFeed: tick })
  .refine((v) => v.next === v.confirm, { path: ['confirm'], message: 'password_mismatch' });

/** A link's token is checked by its verb; an empty one is a link that does not work. */
export const confirmEmailSchema = z.object({ token: z.string().max(200, 'confirm_link_invalid') });

export const localeSchema = z.enum(['zh-CN', 'en']);

// --- lenders -------------------------------------------------------------------------------

/** An advisor's suggestion to the public directory: about a listed lender, or (none) one it lacks. */
export const lenderSuggestionSchema = z.object({
  lenderId: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const v = (raw ?? '').trim();
      if (v === '' || v === 'new') return null;
      if (!/^[1-9][0-9]{0,11}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'not_found' });
        return z.NEVER;
      }
      return Number(v);
    }),
  body: requiredText(1000),
});
export type LenderSuggestionInput = z.infer<typeof lenderSuggestionSchema>;

export const lenderSchema = z.object({
  name: requiredText(60),
  kind: z.enum(LENDER_KINDS, 'required'),
  products: optionalText(200).transform((s) =>
    s
      .split(/[,，、\n]/)
      .map((p) => p.trim())
      .filter(Boolean),
  ),
  hotline: phone(40),
  appPath: optionalText(200),
  reviewWorkdays: z.coerce.number('workdays_invalid').int('workdays_invalid').min(1, 'workdays_invalid').max(60, 'workdays_invalid'),
});
export type LenderInput = z.infer<typeof lenderSchema>;

/**
 * A public lender as an admin curates it (DESIGN.md §2): what the directory shows, with the
 * guidance in Chinese and, optionally, English. Programs and documents are one checkbox each
 * (program_<key>, document_<key>), so that a refused form keeps every tick as it was.
 */
export const publicLenderSchema = lenderSchema
  .extend({
    branch: optionalText(200),
    complaint: optionalText(500),
    appPathEn: optionalText(200),
    branchEn: optionalText(200),
    complaintEn: optionalText(500),
    ...Object.fromEntries(PROGRAMS.map((p) => [`program_${p}`, tick])),
    ...Object.fromEntries(REQUESTED_DOCUMENT_KINDS.map((k) => [`document_${k}`, tick])),
  })
  .transform((v) => {
    const ticked = v as unknown as Record<string, boolean>;
    return {
      name: v.name,
      kind: v.kind,
      products: v.products,
      hotline: v.hotline,
      appPath: v.appPath,
      branch: v.branch,
      complaint: v.complaint,
      appPathEn: v.appPathEn,
      branchEn: v.branchEn,
      complaintEn: v.complaintEn,
      reviewWorkdays: v.reviewWorkdays,
      programs: PROGRAMS.filter((p) => ticked[`program_${p}`]),
      documents: REQUESTED_DOCUMENT_KINDS.filter((k) => ticked[`document_${k}`]),
    };
  });
export type PublicLenderInput = z.output<typeof publicLenderSchema>;

// --- cases ---------------------------------------------------------------------------------

export const caseSchema = z.object({
  lenderId: id,
  product: optionalText(60),
  accountRef: z
    .string()
    .trim()
    .optional()
    .transform((s) => halfWidthDigits(s ?? ''))
    // The last 4 to 6 digits, or none: fewer would not tell two accounts apart, more is the number itself.
    .pipe(z.string().regex(/^(\d{4,6})?$/, 'account_ref_invalid')),
  principal: givenYuan(),
  interest: givenYuan(),
  penalty: givenYuan(),
  overdueSince: optionalIsoDate({ notFuture: true }),
  note: optionalText(2000),
});
export type CaseInput = z.infer<typeof caseSchema>;

export const caseFiltersSchema = z.object({
  status: z.string().optional(),
  lender: z.coerce.number().int().positive().optional().catch(undefined),
  q: z.string().trim().max(60).optional().catch(undefined),
  archived: z.enum(['1']).optional().catch(undefined),
});

// --- attempts and the status machine --------------------------------------------------------

const submitAttemptFields = z.object({
  program: z.enum(APPLICATION_PROGRAMS, 'required'),
  channel: z.enum(LENDER_APPLICATION_CHANNELS, 'required'),
  submittedOn: isoDate({ notFuture: true }),
  lenderRef: optionalText(60),
  proposedPeriods: optionalInt(1, 120),
  proposedMonthly: yuan(),
  proposedFirstPaymentOn: optionalIsoDate(),
  proposedWaived: yuan(),
});

/** A first payment proposed for before the application went in is a slip of the date. */
export const submitAttemptSchema = submitAttemptFields.refine((v) => !v.proposedFirstPaymentOn || v.proposedFirstPaymentOn >= v.submittedOn, {
  path: ['proposedFirstPaymentOn'],
  message: 'proposed_first_before_submitted',
  when: bothDates('submittedOn', 'proposedFirstPaymentOn'),
});
export type SubmitAttemptInput = z.infer<typeof submitAttemptSchema>;

/** Without a deadline from the lender, the default is three workdays (lib/reminder-rules.ts). */
export const requestMaterialsSchema = z
  .object({
    what: requiredText(500),
    requestedOn: isoDate({ notFuture: true }),
    deadline: optionalIsoDate({ withinAYear: true }),
  })
  .refine((v) => !v.deadline || v.deadline >= v.requestedOn, {
    path: ['deadline'],
    message: 'deadline_before_request',
    when: bothDates('requestedOn', 'deadline'),
  });
export type RequestMaterialsInput = z.infer<typeof requestMaterialsSchema>;

/**
 * The ids ticked in a list of checkboxes, each named `<prefix><id>` and sending '1' when ticked
 * (components/form/fields.tsx CheckboxList).
 */
export function tickedIds(values: Record<string, unknown>, prefix: string): number[] {
  const ids: number[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value !== '1' || !key.startsWith(prefix)) continue;
    const id = key.slice(prefix.length);
    if (/^[1-9]\d{0,14}$/.test(id)) ids.push(Number(id));
  }
  return ids.sort((a, b) => a - b);
}

/**
 * Which of the case's ready documents went with an application, when the form listed them
 * (`documentsListed`: the checkboxes `document-<id>`); else undefined, meaning all of them.
 */
export const documentsChoiceSchema = z
  .object({ documentsListed: z.literal('1').optional() })
  .catchall(z.string())
  .transform((v) => ({ documentIds: v.documentsListed ? tickedIds(v, 'document-') : undefined }));

/**
 * Materials sent: the day, and what went when the form listed a choice (`requestsListed`,
 * `documentsListed`: the checkboxes `request-<id>`, `document-<id>`). A list left out means all:
 * every request awaited, every ready document. Of listed requests, at least one is ticked.
 */
export const sendMaterialsSchema = z
  .object({
    caseId: id,
    version,
    sentOn: isoDate({ notFuture: true }),
    requestsListed: z.literal('1').optional(),
    documentsListed: z.literal('1').optional(),
  })
  .catchall(z.string())
  .superRefine((v, ctx) => {
    if (v.requestsListed && tickedIds(v, 'request-').length === 0) ctx.addIssue({ code: 'custom', path: ['requests'], message: 'materials_choose_request' });
  })
  .transform((v) => ({
    caseId: v.caseId,
    version: v.version,
    sentOn: v.sentOn,
    requestIds: v.requestsListed ? tickedIds(v, 'request-') : undefined,
    documentIds: v.documentsListed ? tickedIds(v, 'document-') : undefined,
  }));

/** A new deadline the lender gave for materials it asked for (it may lie in the past: recorded late). */
export const materialsDeadlineSchema = z.object({ deadline: isoDate({ withinAYear: true }) });

const FIRST_PAYMENT_WITHIN_MONTHS = 24;

/**
 * A plan's first payment falls on or after the day the lender agreed to it, and within two years of
 * it: outside that, it is a slip of the date.
 */
export const approveSchema = z
  .object({
    decidedOn: isoDate({ notFuture: true }),
    agreedPeriods: optionalInt(1, 120).refine((n) => n !== null, 'required'),
    agreedMonthly: yuan({ required: true, positive: true }),
    agreedFirstPaymentOn: isoDate(),
    agreedWaived: yuan(),
  })
  .refine((v) => v.agreedFirstPaymentOn >= v.decidedOn, {
    path: ['agreedFirstPaymentOn'],
    message: 'first_payment_before_decision',
    when: bothDates('decidedOn', 'agreedFirstPaymentOn'),
  })
  // Lenders defer a first payment by months, not years: two years on is a slip of the year.
  .refine((v) => v.agreedFirstPaymentOn <= addMonthsIso(v.decidedOn, FIRST_PAYMENT_WITHIN_MONTHS), {
    path: ['agreedFirstPaymentOn'],
    message: 'first_payment_too_far',
    when: bothDates('decidedOn', 'agreedFirstPaymentOn'),
  });
export type ApproveInput = z.infer<typeof approveSchema>;

/**
 * An approval as recorded: the agreed terms, and — for a plan that began before it was recorded —
 * how many of its first instalments are already paid (on their dates, in full; db/attempts.ts).
 */
export const approveNewPlanSchema = approveSchema
  .and(z.object({ paidPeriods: optionalInt(0, 120, 'paid_periods_invalid') }))
  .refine((v) => v.paidPeriods === null || v.paidPeriods <= v.agreedPeriods!, { path: ['paidPeriods'], message: 'paid_periods_over' });
export type ApproveNewPlanInput = z.infer<typeof approveNewPlanSchema>;

/**
 * A rejection: the day, the reason in the fixed list, and the lender's words. For "other" (其他) the
 * words are the reason: without them the rejection tells the borrower, the advisor and the chart of
 * reasons nothing, and the next step depends on them (db/attempts.ts rejectAttempt refuses it too).
 */
export const rejectSchema = z
  .object({
    decidedOn: isoDate({ notFuture: true }),
    rejectionReason: z.enum(REJECTION_REASONS, 'required'),
    rejectionText: optionalText(1000),
  })
  .refine((v) => !rejectionNeedsText(v.rejectionReason, v.rejectionText), {
    path: ['rejectionText'],
    message: 'rejection_text_needed',
    // Beside other refusals too (a decision dated tomorrow, say): "other" chosen, the words are wanted whatever else is wrong.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });
export type RejectInput = z.infer<typeof rejectSchema>;

export const escalateSchema = z.object({
  route: z.enum(ESCALATION_ROUTES, 'required'),
  submittedOn: isoDate({ notFuture: true }),
  lenderRef: optionalText(60),
});
export type EscalateInput = z.infer<typeof escalateSchema>;

/** The lender voided the agreed plan: on which day, and what it said. */
export const voidPlanSchema = z.object({
  voidedOn: isoDate({ notFuture: true }),
  note: optionalText(1000),
});
export type VoidPlanInput = z.infer<typeof voidPlanSchema>;

/** The rest of the plan paid at once (db/plans.ts payOffPlan): on which day, how much, and the lender's words. */
export const payOffSchema = z.object({
  paidOn: isoDate({ notFuture: true }),
  paid: yuan({ required: true, positive: true }),
  note: optionalText(1000),
});
export type PayOffInput = z.infer<typeof payOffSchema>;

export const closeSchema = z.object({
  outcome: z.enum(['settled', 'withdrawn', 'other'], 'required'),
  note: optionalText(1000),
});

// --- documents, contacts, plan --------------------------------------------------------------

export const documentSchema = z.object({
  kind: z.enum(DOCUMENT_KINDS, 'required'),
  note: optionalText(500),
});

export const documentStatusSchema = z.object({
  status: z.enum(DOCUMENT_STATUSES, 'required'),
});

export const contactSchema = z
  .object({
    channel: z.enum(CONTACT_CHANNELS, 'required'),
    // Asked of every new contact (newContactSchema); a correction of one recorded before it was asked may leave it unsaid.
    direction: z.enum(CONTACT_DIRECTIONS, 'required').optional(),
    occurredAt: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const value = (raw ?? '').trim();
        const d = parseShanghaiLocal(value);
        // The same range as every other date (checkDate): year 1 or 1000 is a typo, not a call.
        if (!d) {
          ctx.addIssue({ code: 'custom', message: raw ? 'date_invalid' : 'required' });
          return z.NEVER;
        }
        if (value < '1990-01-01') {
          ctx.addIssue({ code: 'custom', message: 'date_out_of_range' });
          return z.NEVER;
        }
        // Later today is a slip of the time, not of the date: say which. Refused, it stays a time (as
        // checkDate keeps a future date), so that the promise's date is still checked against its day.
        if (d.getTime() > Date.now() + 5 * 60_000) ctx.addIssue({ code: 'custom', message: value.slice(0, 10) > todayInShanghai() ? 'date_future' : 'time_future' });
        return d;
      }),
    // "工号 A1023" as people type it: the page writes 工号 (agent) before the number itself.
    agentId: optionalText(40).transform((s) => s.replace(/^(?:客服)?工号\s*[:：#＃]?\s*|^agent(?:\s*id)?(?:\s*[:：#＃]\s*|\s+)/i, '')),
    /** The number that called, the hotline dialled, the address written to: as the person noted it. */
    theirNumber: optionalText(40),
    summary: requiredText(2000),
    promise: optionalText(500),
    promiseDue: optionalIsoDate({ withinAYear: true }),
    /** "3个工作日内回电": the number of workdays the lender promised, when it gave no date. */
    promiseWorkdays: optionalInt(1, 60, 'workdays_invalid'),
  })
  .refine((v) => !(v.promiseDue || v.promiseWorkdays) || v.promise, {
    path: ['promise'],
    message: 'promise_needs_text',
    // Beside other refusals too (a time in the future, say): a promise date or workdays typed, even refused, want the promise.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })
  // A promise is of something to come: not dated before the day it was made. Not the date a correction's
  // form shows when workdays are typed beside it: those count again from the (corrected) day, in its place.
  .refine((v) => !promiseDueBeforeContact(v), {
    path: ['promiseDue'],
    message: 'promise_before_contact',
    when: (payload) => promiseDueReadable(payload.value) && (payload.value as Record<string, unknown>).promiseWorkdays == null,
  });
export type ContactInput = z.infer<typeof contactSchema>;

/** A promised date before the day of the contact (in Shanghai). */
function promiseDueBeforeContact(v: { promiseDue: string | null; occurredAt: Date }): boolean {
  return !!v.promiseDue && v.promiseDue < todayInShanghai(v.occurredAt);
}

/** The contact's time and the promised date both read (whatever else the form got wrong). */
function promiseDueReadable(value: unknown): boolean {
  const v = value as Record<string, unknown> | null;
  return v?.occurredAt instanceof Date && typeof v.promiseDue === 'string' && isIsoDate(v.promiseDue);
}

/**
 * A contact recorded: its promise has a date or a number of workdays, not both (which one would
 * count?). A correction may carry both: its form shows the date a "within N workdays" came to, and
 * workdays typed again count from the corrected day (db/contacts.ts).
 */
export const newContactSchema = contactSchema
  .refine((v) => !(v.promiseDue && v.promiseWorkdays), {
    path: ['promiseWorkdays'],
    message: 'promise_date_or_workdays',
    // Beside other refusals too: both typed, even one refused (only a field left empty is null), is one too many.
    when: (payload) => {
      const v = payload.value as Record<string, unknown> | null;
      return v?.promiseDue != null && v.promiseWorkdays != null;
    },
  })
  // Both typed on a new contact: one of them goes, and the date may be the one kept, so a date before the
  // contact is said now too (contactSchema skips it beside workdays, which a correction counts instead).
  .refine((v) => !promiseDueBeforeContact(v), {
    path: ['promiseDue'],
    message: 'promise_before_contact',
    when: (payload) => promiseDueReadable(payload.value) && (payload.value as Record<string, unknown>).promiseWorkdays != null,
  })
  // Who reached out is part of every new record (the form offers "I contacted them" already chosen).
  .refine((v) => v.direction !== undefined, {
    path: ['direction'],
    message: 'required',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null && (payload.value as Record<string, unknown>).direction === undefined,
  });

/**
 * Whether the lender kept a contact's promise (db/contacts.ts recordPromiseOutcome): kept or broken, on
 * a day not after today; or back to awaited, which needs no day.
 */
export const promiseOutcomeSchema = z
  .object({
    outcome: z.enum([...PROMISE_OUTCOMES, 'awaited'], 'required'),
    on: optionalIsoDate({ notFuture: true }),
  })
  .refine((v) => v.outcome === 'awaited' || v.on !== null, {
    path: ['on'],
    message: 'required',
    // Beside a missing answer too: only "back to awaited" goes without a day, and no answer is not that.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });
export type PromiseOutcomeFormInput = z.infer<typeof promiseOutcomeSchema>;

export const markPaidSchema = z.object({
  paidOn: isoDate({ notFuture: true }),
  paid: yuan({ required: true, positive: true }),
});

/**
 * A payment corrected: what was paid on the instalment in all, and the day of the last payment;
 * 0 for "not paid after all", when the date is not asked for.
 */
export const correctPaymentSchema = z
  .object({
    paidOn: optionalIsoDate({ notFuture: true }),
    paid: yuan({ required: true }),
  })
  .refine((v) => v.paid === 0 || v.paidOn !== null, { path: ['paidOn'], message: 'required' });

/**
 * One unpaid instalment changed as the lender scheduled it (db/plans.ts changeInstalment): its date and
 * amount; `laterToo` ticked gives the amount to every later unpaid one too (changeInstalmentAndLater).
 */
export const changeInstalmentSchema = z.object({
  dueOn: isoDate(),
  amount: yuan({ required: true, positive: true }),
  laterToo: tick,
});

export { id as idSchema, version as versionSchema, PROGRAMS };

// --- reminders ------------------------------------------------------------------------------

/**
 * A time of day as people type it on a phone, after NFKC (a Chinese keyboard's full-width
 * "１４：３０" becomes "14:30"): "14:30", "14.30", "14点30(分)"; the number pad's "1430" or "930"
 * (it has no colon); "14点" for the full hour.
 */
const TIME_FORMS = [/^(\d{1,2})[:.点时](\d{2})分?$/, /^(\d{1,2})(\d{2})$/, /^(\d{1,2})[点时]整?$/];

/** A person's own reminder on a case: any date from 1990 on (usually a future one), an optional HH:MM. */
export const reminderSchema = z.object({
  title: requiredText(200),
  // Within a year, as every date a person types ahead: 2099 for 2026 is a slip, not a plan.
  dueOn: isoDate({ withinAYear: true }),
  dueTime: z
    .string()
    .optional()
    .transform((raw, ctx): string | null => {
      const s = (raw ?? '').normalize('NFKC').replace(/\s+/g, '');
      if (s === '') return null;
      const m = TIME_FORMS.map((form) => form.exec(s)).find(Boolean);
      const [hours, minutes = '00'] = m ? m.slice(1) : [];
      if (!m || Number(hours) > 23 || Number(minutes) > 59) {
        ctx.addIssue({ code: 'custom', message: 'time_invalid' });
        return z.NEVER;
      }
      return `${hours.padStart(2, '0')}:${minutes}`;
    }),
  note: optionalText(1000),
});
export type ReminderFormInput = z.infer<typeof reminderSchema>;

/**
 * A new reminder: today or later. One dated in the past would be overdue the moment it is made, a
 * mistyped year most often. (An edit keeps any date: an overdue reminder's title may be corrected.)
 */
export const newReminderSchema = reminderSchema.extend({ dueOn: isoDate({ withinAYear: true }).refine((d) => d >= todayInShanghai(), 'reminder_past') });

/** Snooze until a date after today, within a year. */
export const snoozeSchema = z.object({
  until: isoDate({ withinAYear: true }).refine((d) => d > todayInShanghai(), 'snooze_past'),
});
