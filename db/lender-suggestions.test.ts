import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { makeAdmin, makeAdvisor, makeBorrower, publicLender } from '@/tests/factories';
import { deleteAccount } from './account';
import { getDb } from './client';
import { listLenderSuggestions, listMyLenderSuggestions, resolveLenderSuggestion, suggestLenderChange } from './lender-suggestions';
import { createPrivateLender } from './lenders';
import { lenderSuggestions } from './schema';
import { TEST_PASSWORD } from '@/tests/factories';

const rows = () => getDb().select().from(lenderSuggestions).all();

describe('lender suggestions: advisors suggest, admins curate', () => {
  it('an advisor suggests a change to a public lender and one the directory lacks; an admin sees them and answers; the advisor sees the answer', () => {
    const advisor = makeAdvisor({ displayName: '李顾问' });
    const admin = makeAdmin();
    const lender = publicLender(advisor);
    const change = suggestLenderChange(advisor, { lenderId: lender.id, body: '客服电话改为 95555-1' });
    const missing = suggestLenderChange(advisor, { lenderId: null, body: '请加上 某某消费金融，客服 400-000' }, 'suggest-key-0000001');
    // The same form sent twice: one suggestion.
    expect(suggestLenderChange(advisor, { lenderId: null, body: '请加上 某某消费金融，客服 400-000' }, 'suggest-key-0000001')).toBe(missing);

    const queue = listLenderSuggestions(admin);
    expect(queue.open.filter((s) => s.id === change || s.id === missing).map((s) => [s.id, s.lenderName, s.authorName, s.status])).toEqual([
      [change, lender.name, '李顾问', 'open'],
      [missing, null, '李顾问', 'open'],
    ]);
    resolveLenderSuggestion(admin, change, 'done');
    resolveLenderSuggestion(admin, change, 'done'); // again: nothing changes
    resolveLenderSuggestion(admin, missing, 'dismissed');
    const after = listLenderSuggestions(admin);
    expect(after.open.some((s) => s.id === change || s.id === missing)).toBe(false);
    expect(after.resolved.filter((s) => s.id === change || s.id === missing).map((s) => s.status).sort()).toEqual(['dismissed', 'done']);
    expect(listMyLenderSuggestions(advisor).map((s) => [s.id, s.status])).toEqual([
      [missing, 'dismissed'],
      [change, 'done'],
    ]);
  });

  it("a second admin's answer from a page out of date is refused, and the first answer stands", () => {
    const advisor = makeAdvisor();
    const [first, second] = [makeAdmin(), makeAdmin()];
    const id = suggestLenderChange(advisor, { lenderId: null, body: '请加上 某某小贷' });
    resolveLenderSuggestion(first, id, 'done');
    const before = rows();
    expect(() => resolveLenderSuggestion(second, id, 'dismissed')).toThrow(
      expect.objectContaining({ code: 'suggestion_answered', detail: { values: { status: 'done' } } }),
    );
    expect(rows()).toEqual(before);
    expect(listMyLenderSuggestions(advisor).find((s) => s.id === id)!.status).toBe('done');
  });

  it('only advisors suggest, only about public lenders; only admins list and answer; nothing changes when refused', async () => {
    const advisor = makeAdvisor();
    const borrower = makeBorrower();
    const admin = makeAdmin();
    const other = makeAdvisor();
    const lender = publicLender(advisor);
    const privateLender = createPrivateLender(borrower, { name: '私人机构', kind: 'platform', products: [], hotline: '', appPath: '', reviewWorkdays: 5 });
    const id = suggestLenderChange(advisor, { lenderId: lender.id, body: '审核一般要 10 个工作日' });
    const before = rows();
    expect(() => suggestLenderChange(borrower, { lenderId: lender.id, body: 'x' })).toThrow(ForbiddenError);
    expect(() => suggestLenderChange(admin, { lenderId: lender.id, body: 'x' })).toThrow(ForbiddenError);
    expect(() => suggestLenderChange(advisor, { lenderId: privateLender.id, body: 'x' })).toThrow(NotFoundError);
    expect(() => suggestLenderChange(advisor, { lenderId: 999_999_999, body: 'x' })).toThrow(NotFoundError);
    expect(() => listMyLenderSuggestions(borrower)).toThrow(ForbiddenError);
    for (const viewer of [advisor, other, borrower]) {
      expect(() => listLenderSuggestions(viewer)).toThrow(NotFoundError);
      expect(() => resolveLenderSuggestion(viewer, id, 'done')).toThrow(NotFoundError);
    }
    expect(() => resolveLenderSuggestion(admin, 999_999_999, 'done')).toThrow(NotFoundError);
    expect(rows()).toEqual(before);
    // Another advisor does not see it among theirs.
    expect(listMyLenderSuggestions(other).some((s) => s.id === id)).toBe(false);

    // It goes with its author's account.
    await deleteAccount(advisor, { password: TEST_PASSWORD, confirmEmail: advisor.email });
    expect(getDb().select().from(lenderSuggestions).where(eq(lenderSuggestions.id, id)).get()).toBeUndefined();
  });
});
