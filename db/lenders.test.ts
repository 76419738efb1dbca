import { and, eq, isNull, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DomainError, NotFoundError } from '@/lib/errors';
import { lenderFingerprint } from '@/lib/lender-curation';
import type { LenderInput } from '@/lib/validation';
import { addWorkdays } from '@/lib/workdays';
import { makeAdmin, makeAdvisor, makeBorrower, makeCase, materialsInput, publicLender, publicLenderInput, submitInput, versionOf } from '@/tests/factories';
import { requestMaterials, sendMaterials, submitAttempt, withdrawCase } from './attempts';
import { getCaseDetail } from './cases';
import { getDb } from './client';
import { createPrivateLender, createPublicLender, getLender, listLenders, updatePrivateLender, updatePublicLender } from './lenders';
import { setReminderStatus, snoozeReminder } from './reminders';
import { lenders, reminders } from './schema';

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

/** What a verb threw, for its code and the values its message names. */
function refusalOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('not refused');
}

const publicNames = () => getDb().select({ id: lenders.id, name: lenders.name }).from(lenders).where(isNull(lenders.ownerId)).all();
const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;

describe('a lender twice: names that read the same, and known aliases, are refused', () => {
  it('an admin cannot add a public lender spelt like one in the directory, or named by one\'s alias; the refusal names it', () => {
    const admin = makeAdmin();
    const before = publicNames();
    const cases: [string, string, string][] = [
      ['建设银行快贷', 'lender_name_taken', '建设银行 快贷'],
      ['招商银行 信用卡', 'lender_name_taken', '招商银行信用卡'],
      ['招商银行．信用卡', 'lender_name_taken', '招商银行信用卡'],
      ['３６０借条', 'lender_name_taken', '360借条'],
      ['招行', 'lender_name_alias', '招商银行信用卡'],
      ['cmb', 'lender_name_alias', '招商银行信用卡'],
      ['Home Credit', 'lender_name_alias', '捷信消费金融'],
    ];
    for (const [name, code, existing] of cases) {
      const refusal = refusalOf(() => createPublicLender(admin, publicLenderInput(name)));
      expect(refusal.code, name).toBe(code);
      expect(refusal.detail, name).toMatchObject({ field: 'name', values: { existing } });
    }
    expect(publicNames()).toEqual(before);
    // Another lender whose name contains one (平安普惠 beside 平安银行信用卡's alias 平安) is not one twice.
    const added = createPublicLender(admin, publicLenderInput(`平安消费金融 ${unique()}`));
    expect(added.ownerId).toBeNull();
  });

  it('a rename is held to the others, not to the lender itself; a near-duplicate from before stays editable under its name', () => {
    const admin = makeAdmin();
    const name = `某城商行 ${unique()}`;
    const lender = createPublicLender(admin, publicLenderInput(name));
    // Its own name spelt otherwise: still itself.
    const respelt = updatePublicLender(admin, lender.id, lenderFingerprint(lender), publicLenderInput(name.replace(' ', '')));
    expect(respelt.name).toBe(name.replace(' ', ''));
    const refusal = refusalOf(() => updatePublicLender(admin, lender.id, lenderFingerprint(respelt), publicLenderInput('工商银行 信用卡')));
    expect(refusal).toMatchObject({ code: 'lender_name_taken', detail: { field: 'name', values: { existing: '工商银行信用卡' } } });
    expect(refusalOf(() => updatePublicLender(admin, lender.id, lenderFingerprint(respelt), publicLenderInput('建行'))).code).toBe('lender_name_alias');
    expect(getDb().select().from(lenders).where(eq(lenders.id, lender.id)).get()!.name).toBe(respelt.name);

    // One added before names were compared, beside the seeded 建设银行 快贷: its hotline can be mended, its name kept.
    const earlier = getDb().insert(lenders).values({ name: '建设银行快贷', kind: 'bank', ownerId: null }).returning().get();
    try {
      const mended = updatePublicLender(admin, earlier.id, lenderFingerprint(earlier), { ...publicLenderInput('建设银行快贷'), hotline: '95533' });
      expect(mended.channels.hotline).toBe('95533');
      expect(refusalOf(() => updatePublicLender(admin, earlier.id, lenderFingerprint(mended), publicLenderInput('建设银行-快贷'))).code).toBe('lender_name_taken');
    } finally {
      getDb().delete(lenders).where(eq(lenders.id, earlier.id)).run();
    }
  });

  it('a borrower\'s private lender is held to their own private lenders, not to the directory nor to anyone else\'s', () => {
    const owner = makeBorrower();
    const first = createPrivateLender(owner, input({ name: '某小额贷款公司' }));
    const refusal = refusalOf(() => createPrivateLender(owner, input({ name: '某小额 贷款公司' })));
    expect(refusal).toMatchObject({ code: 'private_lender_name_taken', detail: { field: 'name', values: { existing: '某小额贷款公司' } } });
    expect(listLenders(owner).filter((l) => l.ownerId === owner.id)).toEqual([first]);

    // Someone else's of the same name, and names like the directory's, are theirs to have.
    expect(createPrivateLender(makeBorrower(), input({ name: '某小额贷款公司' })).name).toBe('某小额贷款公司');
    const second = createPrivateLender(owner, input({ name: '招商银行信用卡' }));
    expect(createPrivateLender(owner, input({ name: '招行' })).ownerId).toBe(owner.id);

    // Renamed like another of theirs: refused; saved under its own name (respelt), it is itself.
    expect(refusalOf(() => updatePrivateLender(owner, second.id, lenderFingerprint(second), input({ name: '某小额贷款公司．' }))).code).toBe('private_lender_name_taken');
    expect(updatePrivateLender(owner, second.id, lenderFingerprint(second), input({ name: '招商银行 信用卡' })).name).toBe('招商银行 信用卡');
  });
});

describe("a lender's review time edited: the reminders to check a review's result follow it", () => {
  /** The case's reminders to check a review's result: `review:<attempt>` and those after materials were sent. */
  const reviewReminders = (caseId: number) =>
    getDb().select().from(reminders).where(and(eq(reminders.caseId, caseId), like(reminders.ruleKey, 'review:%'))).orderBy(reminders.id).all();
  /** A case on the lender, its application in on Monday 16 June 2025: checked 5 workdays on, Monday 23 June. */
  const submitted = (owner: ReturnType<typeof makeBorrower>, lenderId: number) => {
    const id = makeCase(owner, { lenderId });
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-06-16' }));
    expect(reviewReminders(id).map((r) => [r.status, r.dueOn])).toEqual([['open', '2025-06-23']]);
    return id;
  };

  it('an admin\'s new time for a public lender moves them on every open case on it; a closed case\'s, and one closed by hand, stay', () => {
    const admin = makeAdmin();
    const lender = createPublicLender(admin, { ...publicLenderInput(`某消费金融 ${unique()}`), reviewWorkdays: 5 });
    const owner = makeBorrower();
    const open = submitted(owner, lender.id);
    const snoozed = submitted(owner, lender.id);
    snoozeReminder(owner, reviewReminders(snoozed)[0]!.id, '2025-07-31');
    const afterMaterials = submitted(owner, lender.id);
    requestMaterials(owner, afterMaterials, versionOf(afterMaterials), materialsInput({ requestedOn: '2025-06-18', deadline: '2025-06-25' }));
    sendMaterials(owner, afterMaterials, versionOf(afterMaterials), '2025-06-20');
    const withdrawn = submitted(owner, lender.id);
    withdrawCase(owner, withdrawn, versionOf(withdrawn), '');
    const byHand = submitted(owner, lender.id);
    setReminderStatus(owner, reviewReminders(byHand)[0]!.id, 'done');
    const elsewhere = submitted(owner, publicLender(owner).id);
    const untouched = [withdrawn, byHand, elsewhere].map(reviewReminders);
    expect(untouched[0]![0]).toMatchObject({ status: 'done', autoClosed: true, dueOn: '2025-06-23' });

    updatePublicLender(admin, lender.id, lenderFingerprint(lender), { ...publicLenderInput(lender.name), reviewWorkdays: 20 });
    // 20 workdays from Monday 16 June (no holiday between): Monday 14 July, as the case page and the advisor's dashboard now say.
    expect(addWorkdays('2025-06-16', 20)).toBe('2025-07-14');
    expect(reviewReminders(open)).toMatchObject([{ status: 'open', dueOn: '2025-07-14', showOn: '2025-07-14', data: { submittedOn: '2025-06-16', round: 1 } }]);
    // A later snooze still holds.
    expect(reviewReminders(snoozed)).toMatchObject([{ status: 'open', dueOn: '2025-07-14', showOn: '2025-07-31' }]);
    // After materials: from the day they were sent; the first one, which the request closed, moved and closed still.
    expect(reviewReminders(afterMaterials)).toMatchObject([
      { status: 'done', autoClosed: true, dueOn: '2025-07-14' },
      { status: 'open', dueOn: addWorkdays('2025-06-20', 20), data: { sentOn: '2025-06-20' } },
    ]);
    expect([withdrawn, byHand, elsewhere].map(reviewReminders)).toEqual(untouched);
  });

  it('nothing moves when the review time stays, whatever else changed', () => {
    const admin = makeAdmin();
    const lender = createPublicLender(admin, { ...publicLenderInput(`某城商行 ${unique()}`), reviewWorkdays: 5 });
    const id = submitted(makeBorrower(), lender.id);
    const before = reviewReminders(id);
    updatePublicLender(admin, lender.id, lenderFingerprint(lender), { ...publicLenderInput(`${lender.name}（改名）`), hotline: '95555', reviewWorkdays: 5 });
    expect(reviewReminders(id)).toEqual(before);
  });

  it("a borrower's new time for their private lender moves them on their open cases on it", () => {
    const owner = makeBorrower();
    const lender = createPrivateLender(owner, input({ reviewWorkdays: 5 }));
    const id = submitted(owner, lender.id);
    updatePrivateLender(owner, lender.id, lenderFingerprint(lender), input({ reviewWorkdays: 20 }));
    expect(reviewReminders(id)).toMatchObject([{ status: 'open', dueOn: '2025-07-14', data: { lender: lender.name } }]);
    // Back to 5: back to Monday 23 June.
    updatePrivateLender(owner, lender.id, lenderFingerprint(getLender(owner, lender.id)), input({ reviewWorkdays: 5 }));
    expect(reviewReminders(id)).toMatchObject([{ status: 'open', dueOn: '2025-06-23' }]);
  });
});
