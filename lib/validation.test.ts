import { afterEach, describe, expect, it, vi } from 'vitest';
import { addDaysIso, todayInShanghai } from './dates';
import {
  approveSchema,
  caseSchema,
  changePasswordSchema,
  contactSchema,
  requestMaterialsSchema,
  signUpSchema,
  submitAttemptSchema,
} from './validation';

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
}

const tomorrow = addDaysIso(todayInShanghai(), 1);

describe('case form', () => {
  it('turns yuan into fen and empties into defaults', () => {
    const r = caseSchema.safeParse({ lenderId: '3', principal: '12,000.50', interest: '', penalty: '35', accountRef: '1234', overdueSince: '2025-06-01' });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ lenderId: 3, principal: 1200050, interest: 0, penalty: 3500, accountRef: '1234', overdueSince: '2025-06-01', product: '', note: '' });
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
});

describe('attempt forms', () => {
  it('needs a program, a channel and a submission date that has passed', () => {
    const r = submitAttemptSchema.safeParse({ program: 'loan_forgiveness', channel: '', submittedOn: tomorrow });
    expect(errorsOf(r)).toEqual({ program: 'required', channel: 'required', submittedOn: 'date_future' });
    const ok = submitAttemptSchema.safeParse({ program: 'instalments', channel: 'app', submittedOn: '2025-10-09', proposedPeriods: '24', proposedMonthly: '800' });
    expect(ok.data).toMatchObject({ proposedPeriods: 24, proposedMonthly: 80000, proposedFirstPaymentOn: null });
  });

  it('refuses a materials deadline before the request', () => {
    const r = requestMaterialsSchema.safeParse({ what: '收入证明', requestedOn: '2025-10-09', deadline: '2025-10-08' });
    expect(errorsOf(r)).toEqual({ deadline: 'deadline_before_request' });
  });

  it('refuses a first payment before the day the lender agreed', () => {
    const terms = { agreedPeriods: '12', agreedMonthly: '800' };
    const r = approveSchema.safeParse({ ...terms, decidedOn: '2025-10-09', agreedFirstPaymentOn: '2025-10-08' });
    expect(errorsOf(r)).toEqual({ agreedFirstPaymentOn: 'first_payment_before_decision' });
    const sameDay = approveSchema.safeParse({ ...terms, decidedOn: '2025-10-09', agreedFirstPaymentOn: '2025-10-09' });
    expect(sameDay.success).toBe(true);
  });

  it('needs complete agreed terms for an approval', () => {
    const r = approveSchema.safeParse({ decidedOn: '2025-10-09', agreedPeriods: '0', agreedMonthly: '0', agreedFirstPaymentOn: '' });
    expect(errorsOf(r)).toEqual({ agreedPeriods: 'periods_invalid', agreedMonthly: 'amount_positive', agreedFirstPaymentOn: 'required' });
  });
});

describe('contact form', () => {
  it('reads the time in Shanghai and needs a promise text with a promise date', () => {
    const r = contactSchema.safeParse({ channel: 'phone', occurredAt: '2025-10-09T10:00', summary: '客服说3个工作日内回电', promiseDue: '2025-10-14' });
    expect(errorsOf(r)).toEqual({ promise: 'promise_needs_text' });
    const ok = contactSchema.safeParse({ channel: 'phone', occurredAt: '2025-10-09T10:00', summary: '回电', promise: '回电', promiseDue: '2025-10-14', agentId: '8801' });
    expect(ok.data?.occurredAt.toISOString()).toBe('2025-10-09T02:00:00.000Z');
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
    });
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
  });
});
