import { createTranslator } from 'next-intl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { addDaysIso, todayInShanghai } from './dates';
import { LOCALES, type AppLocale } from './i18n/config';
import { loadMessages } from './i18n/messages';
import {
  approveSchema,
  caseSchema,
  changeEmailSchema,
  changePasswordSchema,
  contactSchema,
  newContactSchema,
  documentSchema,
  documentsChoiceSchema,
  fieldErrorsOf,
  lenderSchema,
  materialsDeadlineSchema,
  promiseOutcomeSchema,
  publicLenderSchema,
  rejectSchema,
  reminderSchema,
  requestMaterialsSchema,
  forgotPasswordSchema,
  signInSchema,
  resetPasswordSchema,
  sendMaterialsSchema,
  signUpSchema,
  submitAttemptSchema,
  tickedIds,
  type ErrorTranslator,
} from './validation';

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
}

const tomorrow = addDaysIso(todayInShanghai(), 1);

describe('case form', () => {
  it('turns yuan into fen and empties into defaults; an amount left blank is not given (null), one typed as 0 is 0', () => {
    const r = caseSchema.safeParse({ lenderId: '3', principal: '12,000.50', interest: '', penalty: '35', accountRef: '1234', overdueSince: '2025-06-01' });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ lenderId: 3, principal: 1200050, interest: null, penalty: 3500, accountRef: '1234', overdueSince: '2025-06-01', product: '', note: '' });
    const bare = caseSchema.safeParse({ lenderId: '3', principal: '  ', interest: '0', penalty: '０' });
    expect(bare.data).toMatchObject({ principal: null, interest: 0, penalty: 0 });
  });

  it('says "negative" for a minus typed in full width, as the Unicode sign, or after the yuan sign', () => {
    for (const principal of ['-100', '－100', '−100', '¥-5', '￥ －5']) {
      expect(errorsOf(caseSchema.safeParse({ lenderId: '3', principal })), principal).toMatchObject({ principal: 'amount_negative' });
    }
  });

  it('counts a line break sent as CRLF as one character, as the field\'s counter does, and keeps it as LF', () => {
    const lines = `${'很'.repeat(999)}\r\n${'长'.repeat(1000)}`;
    const r = caseSchema.safeParse({ lenderId: '3', note: lines });
    expect(errorsOf(r)).toEqual({});
    expect(r.data?.note).toBe(`${'很'.repeat(999)}\n${'长'.repeat(1000)}`);
    expect(errorsOf(caseSchema.safeParse({ lenderId: '3', note: `${lines}多` }))).toMatchObject({ note: 'too_long' });
  });

  it('refuses negative, over-precise and absurd amounts, future dates and long account numbers', () => {
    const r = caseSchema.safeParse({
      lenderId: '',
      principal: '-5',
      interest: '1.234',
      penalty: '999999999999',
      accountRef: '6222021234567890',
      overdueSince: tomorrow,
    });
    expect(r.success).toBe(false);
    expect(errorsOf(r)).toEqual({
      lenderId: 'required',
      principal: 'amount_negative',
      interest: 'amount_invalid',
      penalty: 'amount_too_large',
      accountRef: 'account_ref_invalid',
      overdueSince: 'date_future',
    });
  });

  it('takes the last 4 to 6 digits of the account, or none, as its hint says', () => {
    for (const accountRef of ['', '0421', '12345', '987654', '  4471 ']) {
      expect(caseSchema.safeParse({ lenderId: '3', accountRef }).success, accountRef).toBe(true);
    }
    for (const accountRef of ['1', '12', '123', '1234567', '12a4']) {
      expect(errorsOf(caseSchema.safeParse({ lenderId: '3', accountRef })), accountRef).toEqual({ accountRef: 'account_ref_invalid' });
    }
  });

  it('calls an amount with more digits than a yuan amount holds too large, not malformed', () => {
    for (const principal of ['99999999999999', '99,999,999,999,999.50', '１２３４５６７８９０１２３']) {
      expect(errorsOf(caseSchema.safeParse({ lenderId: '3', principal })), principal).toEqual({ principal: 'amount_too_large' });
    }
    expect(errorsOf(caseSchema.safeParse({ lenderId: '3', principal: '99999999999999.123' }))).toEqual({ principal: 'amount_invalid' });
  });

  it('reads full-width digits (a Chinese input method in full-width mode) as digits, in every number', () => {
    const r = caseSchema.safeParse({ lenderId: '3', principal: '１２３４．５６', accountRef: '１２３４' });
    expect(r.data).toMatchObject({ principal: 123456, accountRef: '1234' });
    expect(submitAttemptSchema.safeParse({ program: 'instalments', channel: 'app', submittedOn: '2025-10-09', proposedPeriods: '２４' }).data).toMatchObject({ proposedPeriods: 24 });
  });
});

describe('attempt forms', () => {
  it('needs a program, a channel and a submission date that has passed', () => {
    const r = submitAttemptSchema.safeParse({ program: 'loan_forgiveness', channel: '', submittedOn: tomorrow });
    expect(errorsOf(r)).toEqual({ program: 'required', channel: 'required', submittedOn: 'date_future' });
    const ok = submitAttemptSchema.safeParse({ program: 'instalments', channel: 'app', submittedOn: '2025-10-09', proposedPeriods: '24', proposedMonthly: '800' });
    expect(ok.data).toMatchObject({ proposedPeriods: 24, proposedMonthly: 80000, proposedFirstPaymentOn: null });
  });

  it('refuses a mediator or a regulator as the channel of an application: they are where an escalation goes', () => {
    for (const channel of ['mediator', 'regulator']) {
      expect(errorsOf(submitAttemptSchema.safeParse({ program: 'instalments', channel, submittedOn: '2025-10-09' })), channel).toEqual({ channel: 'required' });
    }
    for (const channel of ['app', 'hotline', 'branch', 'online', 'other']) {
      expect(submitAttemptSchema.safeParse({ program: 'instalments', channel, submittedOn: '2025-10-09' }).success, channel).toBe(true);
    }
  });

  it('refuses a proposed first payment before the application, and a year out of range, each at its field', () => {
    const base = { program: 'instalments', channel: 'app', submittedOn: '2025-10-09' };
    expect(errorsOf(submitAttemptSchema.safeParse({ ...base, proposedFirstPaymentOn: '2025-10-08' }))).toEqual({ proposedFirstPaymentOn: 'proposed_first_before_submitted' });
    expect(submitAttemptSchema.safeParse({ ...base, proposedFirstPaymentOn: '2025-10-09' }).success).toBe(true);
    // Both wrong at once: both said, the check across the two dates included.
    expect(errorsOf(submitAttemptSchema.safeParse({ ...base, channel: '', proposedFirstPaymentOn: '2025-01-01' }))).toEqual({
      channel: 'required',
      proposedFirstPaymentOn: 'proposed_first_before_submitted',
    });
    expect(errorsOf(submitAttemptSchema.safeParse({ ...base, submittedOn: '1970-01-01' }))).toEqual({ submittedOn: 'date_out_of_range' });
    expect(errorsOf(submitAttemptSchema.safeParse({ ...base, submittedOn: '2025-02-30' }))).toEqual({ submittedOn: 'date_invalid' });
  });

  it('refuses a materials deadline before the request', () => {
    const r = requestMaterialsSchema.safeParse({ what: '收入证明', requestedOn: '2025-10-09', deadline: '2025-10-08' });
    expect(errorsOf(r)).toEqual({ deadline: 'deadline_before_request' });
  });

  it('refuses a lender\'s deadline or promise more than a year ahead: the year was mistyped', () => {
    const today = todayInShanghai();
    const inAYear = addDaysIso(today, 366);
    const tooFar = addDaysIso(today, 367);
    const request = (deadline: string) => requestMaterialsSchema.safeParse({ what: '收入证明', requestedOn: today, deadline });
    expect(request(inAYear).success).toBe(true);
    expect(errorsOf(request(tooFar))).toEqual({ deadline: 'date_too_far' });
    expect(errorsOf(request('2099-12-31'))).toEqual({ deadline: 'date_too_far' });
    expect(errorsOf(materialsDeadlineSchema.safeParse({ deadline: tooFar }))).toEqual({ deadline: 'date_too_far' });
    const promise = (promiseDue: string) =>
      contactSchema.safeParse({ channel: 'phone', occurredAt: `${today}T00:00`, summary: '回电', promise: '三天内回电', promiseDue });
    expect(promise(inAYear).success).toBe(true);
    expect(errorsOf(promise(tooFar))).toEqual({ promiseDue: 'date_too_far' });
  });

  it('refuses a first payment before the day the lender agreed', () => {
    const terms = { agreedPeriods: '12', agreedMonthly: '800' };
    const r = approveSchema.safeParse({ ...terms, decidedOn: '2025-10-09', agreedFirstPaymentOn: '2025-10-08' });
    expect(errorsOf(r)).toEqual({ agreedFirstPaymentOn: 'first_payment_before_decision' });
    const sameDay = approveSchema.safeParse({ ...terms, decidedOn: '2025-10-09', agreedFirstPaymentOn: '2025-10-09' });
    expect(sameDay.success).toBe(true);
  });

  it('refuses a first payment more than two years after the lender agreed (a slip of the year)', () => {
    const terms = { agreedPeriods: '12', agreedMonthly: '800', decidedOn: '2025-10-09' };
    expect(errorsOf(approveSchema.safeParse({ ...terms, agreedFirstPaymentOn: '2040-01-08' }))).toEqual({ agreedFirstPaymentOn: 'first_payment_too_far' });
    expect(errorsOf(approveSchema.safeParse({ ...terms, agreedFirstPaymentOn: '2027-10-10' }))).toEqual({ agreedFirstPaymentOn: 'first_payment_too_far' });
    expect(approveSchema.safeParse({ ...terms, agreedFirstPaymentOn: '2027-10-09' }).success).toBe(true);
  });

  it('reports both date errors of an approval at once: a decision date in the future and a first payment before it', () => {
    const terms = { agreedPeriods: '12', agreedMonthly: '800' };
    const past = addDaysIso(todayInShanghai(), -3);
    // As the action reads the form: the case and its version, and the terms.
    const form = z.object({ caseId: z.coerce.number(), version: z.coerce.number() }).and(approveSchema);
    const r = form.safeParse({ caseId: '1', version: '1', ...terms, decidedOn: tomorrow, agreedFirstPaymentOn: past });
    expect(errorsOf(r)).toEqual({ decidedOn: 'date_future', agreedFirstPaymentOn: 'first_payment_before_decision' });
    // And beside the other fields' errors.
    const all = approveSchema.safeParse({ decidedOn: tomorrow, agreedPeriods: '', agreedMonthly: 'abc', agreedFirstPaymentOn: past });
    expect(errorsOf(all)).toEqual({
      decidedOn: 'date_future',
      agreedPeriods: 'required',
      agreedMonthly: 'amount_invalid',
      agreedFirstPaymentOn: 'first_payment_before_decision',
    });
    // A date that is no date cannot be compared: it gets its own error, and nothing else is invented.
    expect(errorsOf(approveSchema.safeParse({ ...terms, decidedOn: '2025-02-30', agreedFirstPaymentOn: past }))).toEqual({ decidedOn: 'date_invalid' });
  });

  it('reports a materials deadline before a future request date together with that date', () => {
    const r = requestMaterialsSchema.safeParse({ what: '收入证明', requestedOn: tomorrow, deadline: '2025-10-08' });
    expect(errorsOf(r)).toEqual({ requestedOn: 'date_future', deadline: 'deadline_before_request' });
  });

  it('needs the lender\'s words for a rejection for "other", and only then', () => {
    const base = { decidedOn: '2025-10-09' };
    expect(errorsOf(rejectSchema.safeParse({ ...base, rejectionReason: 'other' }))).toEqual({ rejectionText: 'rejection_text_needed' });
    expect(errorsOf(rejectSchema.safeParse({ ...base, rejectionReason: 'other', rejectionText: ' \n　' }))).toEqual({ rejectionText: 'rejection_text_needed' });
    expect(rejectSchema.safeParse({ ...base, rejectionReason: 'other', rejectionText: ' 综合评分不足 ' }).data).toEqual({ ...base, rejectionReason: 'other', rejectionText: '综合评分不足' });
    // Any reason of the list says why by itself: the words stay optional.
    expect(rejectSchema.safeParse({ ...base, rejectionReason: 'credit_history' }).data).toEqual({ ...base, rejectionReason: 'credit_history', rejectionText: '' });
    // Said beside the other fields' errors, as the action reads the form (the case and its version too).
    const form = rejectSchema.extend({ caseId: z.coerce.number(), version: z.coerce.number() });
    expect(errorsOf(form.safeParse({ caseId: '1', version: '1', decidedOn: tomorrow, rejectionReason: 'other', rejectionText: '' }))).toEqual({
      decidedOn: 'date_future',
      rejectionText: 'rejection_text_needed',
    });
    // No reason chosen: only that is said.
    expect(errorsOf(rejectSchema.safeParse({ ...base, rejectionReason: '' }))).toEqual({ rejectionReason: 'required' });
  });

  it('needs complete agreed terms for an approval', () => {
    const r = approveSchema.safeParse({ decidedOn: '2025-10-09', agreedPeriods: '0', agreedMonthly: '0', agreedFirstPaymentOn: '' });
    expect(errorsOf(r)).toEqual({ agreedPeriods: 'periods_invalid', agreedMonthly: 'amount_positive', agreedFirstPaymentOn: 'required' });
  });
});

describe('contact form', () => {
  it('takes the agent\'s number without the 工号 the page writes before it', () => {
    const agent = (agentId: string) => contactSchema.safeParse({ channel: 'phone', occurredAt: '2025-10-09T10:00', summary: '回电', agentId }).data?.agentId;
    for (const typed of ['工号 A1023', '工号：A1023', '客服工号A1023', 'agent A1023', 'Agent ID: A1023', 'A1023']) expect(agent(typed), typed).toBe('A1023');
    expect(agent('Agnes 8801')).toBe('Agnes 8801');
    expect(agent('agents8801')).toBe('agents8801');
  });

  it('reads the time in Shanghai and needs a promise text with a promise date', () => {
    const r = contactSchema.safeParse({ channel: 'phone', occurredAt: '2025-10-09T10:00', summary: '客服说3个工作日内回电', promiseDue: '2025-10-14' });
    expect(errorsOf(r)).toEqual({ promise: 'promise_needs_text' });
    const ok = contactSchema.safeParse({ channel: 'phone', occurredAt: '2025-10-09T10:00', summary: '回电', promise: '回电', promiseDue: '2025-10-14', agentId: '8801' });
    expect(ok.data?.occurredAt.toISOString()).toBe('2025-10-09T02:00:00.000Z');
  });

  it('refuses a promised date before the day of the contact; the same day is fine', () => {
    const base = { channel: 'phone', occurredAt: '2025-10-09T23:30', summary: '回电', promise: '回电' };
    expect(errorsOf(contactSchema.safeParse({ ...base, promiseDue: '2025-10-08' }))).toEqual({ promiseDue: 'promise_before_contact' });
    // 23:30 in Shanghai is still the 9th there (15:30 UTC).
    expect(contactSchema.safeParse({ ...base, promiseDue: '2025-10-09' }).success).toBe(true);
  });

  it('a correction with workdays typed again does not hold the date its form shows to the corrected day', () => {
    // Called Wednesday 2 April, "within 3 workdays" came to 8 April; the call was on the 10th after all.
    const corrected = { channel: 'phone', direction: 'outgoing', occurredAt: '2025-04-10T10:30', summary: '回电', promise: '三个工作日内回电', promiseDue: '2025-04-08' };
    const r = contactSchema.safeParse({ ...corrected, promiseWorkdays: '3' });
    expect(errorsOf(r)).toEqual({});
    expect(r.data).toMatchObject({ promiseDue: '2025-04-08', promiseWorkdays: 3 });
    // Without the workdays, the date is what counts, and it is before the call.
    expect(errorsOf(contactSchema.safeParse(corrected))).toEqual({ promiseDue: 'promise_before_contact' });
    // A new contact counts one of the two: both typed, the date before the call is said beside "one of the two".
    expect(errorsOf(newContactSchema.safeParse({ ...corrected, promiseWorkdays: '3' }))).toEqual({
      promiseDue: 'promise_before_contact',
      promiseWorkdays: 'promise_date_or_workdays',
    });
  });

  it('takes a promised date or workdays when recorded, not both; a correction may carry both', () => {
    const base = { channel: 'phone', direction: 'outgoing', occurredAt: '2025-10-09T10:00', summary: '回电', promise: '三个工作日内回电' };
    expect(errorsOf(newContactSchema.safeParse({ ...base, promiseDue: '2025-10-14', promiseWorkdays: '3' }))).toEqual({ promiseWorkdays: 'promise_date_or_workdays' });
    expect(newContactSchema.safeParse({ ...base, promiseWorkdays: '3' }).success).toBe(true);
    expect(contactSchema.safeParse({ ...base, promiseDue: '2025-10-14', promiseWorkdays: '3' }).success).toBe(true);
  });

  it('knows who reached out, and keeps their number as typed', () => {
    const base = { channel: 'phone', occurredAt: '2025-10-09T10:00', summary: '催收来电，说要上门' };
    const r = newContactSchema.safeParse({ ...base, direction: 'incoming', theirNumber: ' 021-6888 1234 ' });
    expect(r.data?.direction).toBe('incoming');
    expect(r.data?.theirNumber).toBe('021-6888 1234');
    expect(errorsOf(newContactSchema.safeParse(base))).toEqual({ direction: 'required' });
    expect(errorsOf(newContactSchema.safeParse({ ...base, direction: 'sideways' }))).toEqual({ direction: 'required' });
    expect(errorsOf(newContactSchema.safeParse({ ...base, direction: 'outgoing', theirNumber: '9'.repeat(41) }))).toEqual({ theirNumber: 'too_long' });
    // A correction of a contact recorded before the question was asked may leave it unsaid.
    expect(contactSchema.safeParse(base).data?.direction).toBeUndefined();
  });

  it('asks for the promise text beside the other errors, not after them', () => {
    const r = contactSchema.safeParse({ channel: 'phone', occurredAt: '', summary: '回电', promiseDue: '2025-10-14' });
    expect(errorsOf(r)).toEqual({ occurredAt: 'required', promise: 'promise_needs_text' });
  });

  describe('a contact in the future', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('is refused for its time when it is later today, for its date when it is on a later day', () => {
      // 09:00 on 9 Oct 2025 in Shanghai.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2025-10-09T01:00:00.000Z'));
      const at = (occurredAt: string) => errorsOf(contactSchema.safeParse({ channel: 'phone', occurredAt, summary: '回电' }));
      expect(at('2025-10-09T18:30')).toEqual({ occurredAt: 'time_future' });
      expect(at('2025-10-10T08:00')).toEqual({ occurredAt: 'date_future' });
      // Five minutes of clock drift are allowed; earlier today is fine.
      expect(at('2025-10-09T09:04')).toEqual({});
      expect(at('2025-10-09T07:00')).toEqual({});
      // A year typed wrongly gets the range, as every other date does; a date that does not exist is invalid.
      expect(at('1980-01-01T10:00')).toEqual({ occurredAt: 'date_out_of_range' });
      expect(at('2025-02-30T10:00')).toEqual({ occurredAt: 'date_invalid' });
    });
  });
});

describe('promiseOutcomeSchema: whether the lender kept its promise', () => {
  it('wants a day not after today for kept or broken, and none for back to awaited', () => {
    const parse = (v: Record<string, string>) => promiseOutcomeSchema.safeParse(v);
    expect(parse({ outcome: 'kept', on: '2025-04-07' }).data).toEqual({ outcome: 'kept', on: '2025-04-07' });
    expect(parse({ outcome: 'awaited', on: '' }).data).toEqual({ outcome: 'awaited', on: null });
    expect(errorsOf(parse({ outcome: 'broken', on: '' }))).toEqual({ on: 'required' });
    expect(errorsOf(parse({ outcome: 'kept', on: tomorrow }))).toEqual({ on: 'date_future' });
    expect(errorsOf(parse({ outcome: 'kept', on: '2025-02-30' }))).toEqual({ on: 'date_invalid' });
    expect(errorsOf(parse({ outcome: 'maybe', on: '2025-04-07' }))).toEqual({ outcome: 'required' });
    expect(errorsOf(parse({ on: '2025-04-07' }))).toEqual({ outcome: 'required' });
  });
});

describe('accounts', () => {
  it('checks email, password length and role', () => {
    expect(errorsOf(signUpSchema.safeParse({ email: 'not-an-email', displayName: ' ', password: 'short', role: 'admin' }))).toEqual({
      email: 'email_invalid',
      displayName: 'required',
      password: 'password_short',
      role: 'required',
    });
  });

  it('needs the new password twice', () => {
    expect(errorsOf(changePasswordSchema.safeParse({ current: 'x', next: 'long enough', confirm: 'different!' }))).toEqual({ confirm: 'password_mismatch' });
    expect(errorsOf(changePasswordSchema.safeParse({ current: 'long enough', next: 'long enough', confirm: 'long enough' }))).toEqual({ next: 'password_unchanged' });
    expect(changePasswordSchema.safeParse({ current: 'long enough', next: 'longer enough', confirm: 'longer enough' }).success).toBe(true);
  });

  it('says every slip of a password form in one round', () => {
    // The first issue at a field is the one shown (app/_lib/action.ts).
    const first = (r: ReturnType<typeof changePasswordSchema.safeParse>) =>
      Object.fromEntries([...(r.error?.issues ?? [])].reverse().map((i) => [String(i.path[0]), i.message]));
    expect(first(changePasswordSchema.safeParse({ current: '', next: 'short', confirm: 'shorter' }))).toEqual({
      current: 'required',
      next: 'password_short',
      confirm: 'password_mismatch',
    });
    expect(first(changePasswordSchema.safeParse({ current: 'same', next: 'same', confirm: 'same' }))).toEqual({ next: 'password_short' });
    expect(errorsOf(resetPasswordSchema.safeParse({ token: 'x'.repeat(201), next: 'short', confirm: '' }))).toEqual({
      token: 'reset_link_invalid',
      next: 'password_short',
      confirm: 'password_mismatch',
    });
    expect(errorsOf(changeEmailSchema.safeParse({ email: 'wang@', confirm: 'wang@example.cn', password: '' }))).toEqual({
      email: 'email_invalid',
      confirm: 'email_mismatch',
      password: 'required',
    });
  });

  it('needs a new sign-in email twice (in any case) and the password', () => {
    expect(errorsOf(changeEmailSchema.safeParse({ email: 'wang@example.cn', confirm: 'wang@example.com', password: 'x' }))).toEqual({ confirm: 'email_mismatch' });
    expect(errorsOf(changeEmailSchema.safeParse({ email: 'wang@', confirm: 'wang@', password: '' }))).toEqual({ email: 'email_invalid', password: 'required' });
    expect(errorsOf(changeEmailSchema.safeParse({ email: `${'a'.repeat(250)}@e.cn`, confirm: 'x', password: 'x' }))).toMatchObject({ email: 'too_long' });
    expect(changeEmailSchema.safeParse({ email: ' Wang@Example.cn ', confirm: 'wang@example.CN', password: 'x' }).success).toBe(true);
  });
});

describe('error messages', () => {
  async function errorsIn(locale: AppLocale) {
    const t = createTranslator({ locale, messages: await loadMessages(locale), namespace: 'errors' });
    return (result: { error?: { issues: Parameters<typeof fieldErrorsOf>[0] } }) => fieldErrorsOf(result.error?.issues ?? [], t as unknown as ErrorTranslator);
  }

  it('say the limit of a text that is too long', async () => {
    const zh = await errorsIn('zh-CN');
    const en = await errorsIn('en');
    const note = documentSchema.safeParse({ kind: 'other', note: '字'.repeat(501) });
    expect(zh(note)).toEqual({ note: '内容过长，最多 500 个字。' });
    expect(en(note)).toEqual({ note: 'Too long: at most 500 characters.' });
    // Each field its own limit, the first error of a field only.
    const reminder = reminderSchema.safeParse({ title: 'x'.repeat(201), dueOn: '2025-10-09', note: 'n'.repeat(1001) });
    expect(zh(reminder)).toEqual({ title: '内容过长，最多 200 个字。', note: '内容过长，最多 1000 个字。' });
    expect(en(lenderSchema.safeParse({ name: 'n'.repeat(61), kind: 'bank', reviewWorkdays: '5', hotline: '1'.repeat(41) }))).toEqual({
      name: 'Too long: at most 60 characters.',
      hotline: 'Too long: at most 40 characters.',
    });
  });

  it('read a hotline typed with full-width digits as one that dials, and refuse one without a number', async () => {
    const lender = (hotline: string) => lenderSchema.safeParse({ name: '某银行', kind: 'bank', reviewWorkdays: '5', hotline });
    expect(lender('４００－８８８－１２３４').data?.hotline).toBe('400-888-1234');
    expect(lender('＋８６　１０ ６６５９ ６６８８').data?.hotline).toBe('+86 10 6659 6688');
    expect(lender('95555 转 2').data?.hotline).toBe('95555 转 2');
    expect(lender('').data?.hotline).toBe('');
    const zh = await errorsIn('zh-CN');
    const en = await errorsIn('en');
    expect(zh(lender('客服热线'))).toEqual({ hotline: '请输入电话号码，如 95555 或 400-820-5555。' });
    expect(en(lender('１２'))).toEqual({ hotline: 'Enter a phone number, such as 95555 or 400-820-5555.' });
  });

  it('say at the words\' field that a rejection for "other" needs them', async () => {
    const other = rejectSchema.safeParse({ decidedOn: '2025-10-09', rejectionReason: 'other', rejectionText: '' });
    expect((await errorsIn('zh-CN'))(other)).toEqual({ rejectionText: '拒绝原因选了“其他”，请写下对方的原话，说明对方为什么拒绝。' });
    expect((await errorsIn('en'))(other)).toEqual({ rejectionText: 'You chose “Other” as the reason: write down what the lender said, so that the rejection says why.' });
  });

  it('translate every other code, and an unknown one as "not valid"', async () => {
    for (const locale of LOCALES) {
      const errors = await errorsIn(locale);
      const messages = (await loadMessages(locale)).errors as Record<string, string>;
      expect(errors(requestMaterialsSchema.safeParse({ what: '', requestedOn: '2025-10-09' }))).toEqual({ what: messages.required });
      expect(errors({ error: { issues: [{ path: ['x'], message: 'no_such_code' }] } })).toEqual({ x: messages.invalid });
    }
  });
});

describe('sendMaterialsSchema: what went, when the form listed a choice', () => {
  const base = { caseId: '7', version: '3', sentOn: '2025-04-07' };

  it('a form without lists means everything: every request awaited, every ready document', () => {
    expect(sendMaterialsSchema.parse(base)).toEqual({ caseId: 7, version: 3, sentOn: '2025-04-07', requestIds: undefined, documentIds: undefined });
  });

  it('reads the ticked boxes of each listed choice, and nothing else', () => {
    const parsed = sendMaterialsSchema.parse({
      ...base,
      requestsListed: '1',
      'request-12': '1',
      'request-9': '1',
      'request-13': '', // not ticked
      documentsListed: '1',
      'document-4': '1',
      'request-x': '1',
      'request-0': '1',
      'request-1e3': '1',
      note: 'anything else',
    });
    expect(parsed).toMatchObject({ requestIds: [9, 12], documentIds: [4] });
  });

  it('a listed document choice may be empty (none went); a listed request choice may not', () => {
    expect(sendMaterialsSchema.parse({ ...base, requestsListed: '1', 'request-5': '1', documentsListed: '1' })).toMatchObject({ requestIds: [5], documentIds: [] });
    const refused = sendMaterialsSchema.safeParse({ ...base, requestsListed: '1', documentsListed: '1', 'document-4': '1' });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['requests', 'materials_choose_request']]);
  });

  it('still refuses a day in the future, and a missing case', () => {
    const refused = sendMaterialsSchema.safeParse({ version: '3', sentOn: addDaysIso(todayInShanghai(), 1) });
    expect(refused.error!.issues.map((i) => i.path[0]).sort()).toEqual(['caseId', 'sentOn']);
  });

  it('tickedIds: only `<prefix><positive integer>` sent as 1, sorted', () => {
    expect(tickedIds({ 'doc-3': '1', 'doc-1': '1', 'doc-2': 'on', 'doc-007': '1', docs: '1' }, 'doc-')).toEqual([1, 3]);
  });
});

describe('documentsChoiceSchema: the ready documents that went with an application', () => {
  it('all of them unless the form listed them; then the ticked ones, possibly none', () => {
    expect(documentsChoiceSchema.parse({ sentOn: '2025-04-07' })).toEqual({ documentIds: undefined });
    expect(documentsChoiceSchema.parse({ documentsListed: '1', 'document-8': '1', 'document-3': '1', 'document-5': 'on' })).toEqual({ documentIds: [3, 8] });
    expect(documentsChoiceSchema.parse({ documentsListed: '1' })).toEqual({ documentIds: [] });
    expect(documentsChoiceSchema.safeParse({ documentsListed: 'yes' }).success).toBe(false);
  });
});

describe('an email typed in full width (a Chinese IME in full-width mode)', () => {
  it('is read as the ASCII address it stands for, at sign-up, sign-in, a reset and an email change', () => {
    const typed = '\u3000ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ ';
    expect(signUpSchema.parse({ email: typed, displayName: '王', password: 'long enough pass', role: 'borrower' }).email).toBe('wang@example.com');
    expect(signInSchema.parse({ email: typed, password: 'x' }).email).toBe('wang@example.com');
    expect(forgotPasswordSchema.parse({ email: typed }).email).toBe('wang@example.com');
    expect(changeEmailSchema.parse({ email: typed, confirm: 'wang@example.com', password: 'x' }).email).toBe('wang@example.com');
  });
});

describe('publicLenderSchema: what a lender asks borrowers for', () => {
  it('lists the documents it asks for, never what it gives back (its agreement, the settlement certificate)', () => {
    const form = { name: '某银行', kind: 'bank', reviewWorkdays: '5', document_payslip: '1', document_agreement: '1', document_settlement_certificate: '1' };
    const parsed = publicLenderSchema.safeParse(form);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.documents).toEqual(['payslip']);
  });
});
