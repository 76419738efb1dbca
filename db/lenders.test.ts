import { describe, expect, it } from 'vitest';
import { DomainError, NotFoundError } from '@/lib/errors';
import { lenderFingerprint } from '@/lib/lender-curation';
import type { LenderInput } from '@/lib/validation';
import { makeAdmin, makeAdvisor, makeBorrower, makeCase, publicLender } from '@/tests/factories';
import { getCaseDetail } from './cases';
import { createPrivateLender, getLender, updatePrivateLender } from './lenders';

const input = (overrides: Partial<LenderInput> = {}): LenderInput => ({
  name: '某小额贷款公司',
  kind: 'platform',
  products: ['消费贷'],
  hotline: '400-800-1234',
  appPath: '',
  reviewWorkdays: 5,
  ...overrides,
});

describe('updatePrivateLender: a borrower corrects their own lender', () => {
  it('changes what was typed; the cases on it read the new name', () => {
    const owner = makeBorrower();
    const lender = createPrivateLender(owner, input({ hotline: '400-800-12345' }));
    const caseId = makeCase(owner, { lenderId: lender.id });
    const saved = updatePrivateLender(owner, lender.id, lenderFingerprint(lender), input({ name: '某某小贷', hotline: '400-800-1234', reviewWorkdays: 7 }));
    expect(saved).toMatchObject({ id: lender.id, name: '某某小贷', ownerId: owner.id, reviewWorkdays: 7, channels: { hotline: '400-800-1234' } });
    expect(getLender(owner, lender.id).name).toBe('某某小贷');
    expect(getCaseDetail(owner, caseId).lender.name).toBe('某某小贷');
  });

  it('refuses a save from a stale tab, and changes nothing; the refusal carries the lender as it is now, and that save goes through', () => {
    const owner = makeBorrower();
    const lender = createPrivateLender(owner, input());
    const stale = lenderFingerprint(lender);
    updatePrivateLender(owner, lender.id, stale, input({ hotline: '95555' }));
    let refusal: unknown;
    try {
      updatePrivateLender(owner, lender.id, stale, input({ hotline: '12345' }));
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('private_lender_changed');
    expect(getLender(owner, lender.id).channels.hotline).toBe('95555');
    const now = (refusal as DomainError).detail.hidden?.fingerprint;
    expect(now).toBe(lenderFingerprint(getLender(owner, lender.id)));
    expect(now).not.toBe(stale);
    // Sent again from the same form, with what the refusal carried: saved.
    updatePrivateLender(owner, lender.id, now!, input({ hotline: '12345' }));
    expect(getLender(owner, lender.id).channels.hotline).toBe('12345');
  });

  it("is \"not found\" for anyone else's private lender, a public lender and one that does not exist; changes nothing", () => {
    const owner = makeBorrower();
    const lender = createPrivateLender(owner, input());
    const fingerprint = lenderFingerprint(lender);
    for (const someone of [makeBorrower(), makeAdvisor(), makeAdmin()]) {
      expect(() => updatePrivateLender(someone, lender.id, fingerprint, input({ name: '冒名' }))).toThrow(NotFoundError);
    }
    const directory = publicLender(owner);
    expect(() => updatePrivateLender(owner, directory.id, lenderFingerprint(directory), input({ name: '冒名' }))).toThrow(NotFoundError);
    expect(() => updatePrivateLender(owner, 987_654_321, fingerprint, input())).toThrow(NotFoundError);
    expect(getLender(owner, lender.id)).toEqual(lender);
    expect(getLender(owner, directory.id)).toEqual(directory);
  });
});
