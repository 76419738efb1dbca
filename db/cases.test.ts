import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { planAtRisk } from '@/lib/case-status';
import { addDaysIso, todayInShanghai } from '@/lib/dates';
import { ConflictError, ForbiddenError } from '@/lib/errors';
import { lenderFingerprint } from '@/lib/lender-curation';
import { reminderTitle } from '@/lib/reminder-text';
import { addWorkdays } from '@/lib/workdays';
import { thrown } from '@/tests/thrown';
import {
  advanceCase,
  approveInput,
  caseInput,
  caseRow,
  contactInput,
  escalateInput,
  fileOf,
  makeBorrower,
  makeCase,
  makeUser,
  materialsInput,
  pngBytes,
  rejectInput,
  publicLender,
  snapshotCases,
  storedFiles,
  submitInput,
  versionOf,
} from '@/tests/factories';
import { approveAttempt, escalateCase, rejectAttempt, requestMaterials, sendMaterials, submitAttempt, withdrawCase } from './attempts';
import {
  borrowerTotals,
  createCase,
  deleteCase,
  getCase,
  getCaseDetail,
  listCasesForBorrower,
  setCaseArchived,
  updateCase,
} from './cases';
import { getDb } from './client';
import { addContact } from './contacts';
import { addDocument, attachDocumentFile } from './documents';
import { storedFilePath } from './files';
import { markInstalmentPaid } from './plans';
import { createPrivateLender, listLenders, updatePrivateLender } from './lenders';
import { createReminder, listCaseReminders, listOpenReminders, setReminderStatus, snoozeReminder } from './reminders';
import { reminders } from './schema';
import type { Viewer } from './viewer-type';

const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

describe('createCase', () => {
  it('stores the amounts as integer fen, owned by the viewer, and records the creation', () => {
    const owner = makeBorrower();
    const lender = publicLender(owner);
    const id = makeCase(owner, { lenderId: lender.id, principal: 1_234_567, interest: 89, penalty: 1, product: '借呗', accountRef: '0042' });
    expect(id).toBeGreaterThan(0);
    const row = caseRow(id);
    expect(row).toMatchObject({
      ownerId: owner.id,
      lenderId: lender.id,
      product: '借呗',
      accountRef: '0042',
      principalFen: 1_234_567,
      interestFen: 89,
      penaltyFen: 1,
      overdueSince: '2025-03-01',
      status: 'preparing',
      outcome: null,
      archived: false,
      version: 1,
    });
    expect(getCaseDetail(owner, id).events.map((e) => e.kind)).toEqual(['case_created']);
  });

  it('creates one case when the same form is submitted twice', () => {
    const owner = makeBorrower();
    const key = 'double-submit-key-0001';
    const first = makeCase(owner, {}, key);
    const second = makeCase(owner, { product: 'changed on the second click' }, key);
    expect(second).toBe(first);
    expect(ids(listCasesForBorrower(owner))).toEqual([first]);
    expect(caseRow(first).product).toBe('信用卡');
    // A different form (another key) is another case.
    const third = makeCase(owner, {}, 'another-form-key-0002');
    expect(third).not.toBe(first);
    expect(ids(listCasesForBorrower(owner))).toEqual([first, third].sort((a, b) => a - b));
  });

  it('asks before a second open case with the same lender and account: refused with a link to the first, saved when confirmed', () => {
    const owner = makeBorrower();
    const first = createCase(owner, caseInput(owner, { accountRef: '6618' }));
    const before = snapshotCases(ids(listCasesForBorrower(owner)));
    const e = (() => {
      try {
        createCase(owner, caseInput(owner, { accountRef: '6618', product: '第二张卡' }));
      } catch (error) {
        return error;
      }
    })();
    expect(e).toMatchObject({ code: 'case_duplicate', detail: { field: 'accountRef', values: { ref: '6618', caseId: first } } });
    expect(snapshotCases(ids(listCasesForBorrower(owner)))).toEqual(before);
    // Another account, no account, or confirmed: saved.
    createCase(owner, caseInput(owner, { accountRef: '3021' }));
    createCase(owner, caseInput(owner, { accountRef: '' }));
    createCase(owner, caseInput(owner, { accountRef: '' }));
    const second = createCase(owner, caseInput(owner, { accountRef: '6618' }), undefined, { allowDuplicate: true });
    expect(caseRow(second).accountRef).toBe('6618');
    // Another borrower's case with the same account is none of this one's business.
    const other = makeBorrower();
    createCase(other, caseInput(other, { accountRef: '6618' }));
  });

  it('does not ask when the case with that account is closed', () => {
    const owner = makeBorrower();
    const first = createCase(owner, caseInput(owner, { accountRef: '7777' }));
    withdrawCase(owner, first, versionOf(first), '');
    expect(caseRow(first).status).toBe('closed');
    expect(caseRow(createCase(owner, caseInput(owner, { accountRef: '7777' }))).accountRef).toBe('7777');
  });

  it('takes two refs ending in the same 4 digits for one account ("124471" and "4471"), either way round', () => {
    const owner = makeBorrower();
    const first = createCase(owner, caseInput(owner, { accountRef: '124471' }));
    expect(thrown(() => createCase(owner, caseInput(owner, { accountRef: '4471' })))).toMatchObject({
      code: 'case_duplicate',
      detail: { field: 'accountRef', values: { ref: '124471', caseId: first } },
    });
    const other = makeBorrower();
    const short = createCase(other, caseInput(other, { accountRef: '4471' }));
    expect(thrown(() => createCase(other, caseInput(other, { accountRef: '024471' })))).toMatchObject({ code: 'case_duplicate', detail: { values: { caseId: short } } });
    // Other last 4 digits are another account, however the rest reads.
    createCase(other, caseInput(other, { accountRef: '444710' }));
  });

  it('keeps form keys per user: the same key from another borrower is another case', () => {
    const a = makeBorrower();
    const b = makeBorrower();
    const key = 'shared-key-between-users-01';
    const first = makeCase(a, {}, key);
    const second = makeCase(b, {}, key);
    expect(second).not.toBe(first);
    expect(caseRow(second).ownerId).toBe(b.id);
  });

  it.each(['advisor', 'admin'] as const)('refuses a case of their own to an %s, and writes nothing', (role) => {
    const someone = makeUser({ role });
    expect(() => createCase(someone, caseInput(someone))).toThrow(ForbiddenError);
    expect(listCasesForBorrower(someone)).toEqual([]);
  });
});

describe('listCasesForBorrower', () => {
  it("returns only the viewer's own cases", () => {
    const a = makeBorrower();
    const b = makeBorrower();
    const a1 = makeCase(a);
    const a2 = makeCase(a);
    const b1 = makeCase(b);
    expect(ids(listCasesForBorrower(a))).toEqual([a1, a2]);
    expect(ids(listCasesForBorrower(b))).toEqual([b1]);
  });

  it('filters by status and by lender', () => {
    const owner = makeBorrower();
    const lenders = [publicLender(owner, 'bank'), publicLender(owner, 'platform')];
    const preparing = makeCase(owner, { lenderId: lenders[0].id });
    const reviewed = makeCase(owner, { lenderId: lenders[1].id });
    advanceCase(owner, reviewed, 'under_review');
    expect(ids(listCasesForBorrower(owner, { status: 'preparing' }))).toEqual([preparing]);
    expect(ids(listCasesForBorrower(owner, { status: 'under_review' }))).toEqual([reviewed]);
    expect(listCasesForBorrower(owner, { status: 'closed' })).toEqual([]);
    expect(ids(listCasesForBorrower(owner, { lenderId: lenders[0].id }))).toEqual([preparing]);
    expect(ids(listCasesForBorrower(owner, { lenderId: lenders[1].id, status: 'preparing' }))).toEqual([]);
  });

  it('searches the lender name, the product and the account reference', () => {
    const owner = makeBorrower();
    const bank = publicLender(owner, 'bank');
    const platform = publicLender(owner, 'platform');
    const byBank = makeCase(owner, { lenderId: bank.id, product: '信用卡', accountRef: '1111' });
    const byProduct = makeCase(owner, { lenderId: platform.id, product: '美团月付专用', accountRef: '2222' });
    const byRef = makeCase(owner, { lenderId: platform.id, product: '', accountRef: '987654' });
    const cases: [string, number[]][] = [
      [bank.name, [byBank]],
      ['月付专用', [byProduct]],
      ['8765', [byRef]],
      ['2222', [byProduct]],
      ['no such thing', []],
    ];
    for (const [q, expected] of cases) {
      expect(ids(listCasesForBorrower(owner, { q })), q).toEqual(expected);
    }
  });

  it('finds a seeded lender by the other names people know it by, an acronym only whole', () => {
    const owner = makeBorrower();
    const seeded = (seedName: string) =>
      (getDb().$client.prepare('SELECT id FROM lenders WHERE seed_name = ? AND owner_id IS NULL').get(seedName) as { id: number }).id;
    const cmb = makeCase(owner, { lenderId: seeded('招商银行信用卡'), product: '信用卡' });
    const cmbc = makeCase(owner, { lenderId: seeded('民生银行信用卡'), product: '信用卡' });
    const cases: [string, number[]][] = [
      ['招行', [cmb]],
      ['cmb', [cmb]],
      ['CMBC', [cmbc]],
      ['Minsheng', [cmbc]],
      // A part of an acronym is not the acronym: "CM" finds neither.
      ['CM', []],
    ];
    for (const [q, expected] of cases) {
      expect(ids(listCasesForBorrower(owner, { q })), q).toEqual(expected);
    }
  });

  it('finds a case by the reference the lender gave one of its applications', () => {
    const owner = makeBorrower();
    const referred = makeCase(owner, { product: '信用卡' });
    const other = makeCase(owner, { product: '信用卡' });
    submitAttempt(owner, referred, versionOf(referred), submitInput({ lenderRef: 'CMB20261203001' }));
    submitAttempt(owner, other, versionOf(other), submitInput({ lenderRef: 'JD-778899' }));
    expect(ids(listCasesForBorrower(owner, { q: '20261203' }))).toEqual([referred]);
    expect(ids(listCasesForBorrower(owner, { q: 'cmb2026' }))).toEqual([referred]);
    // Typed in full-width mode: the same.
    expect(ids(listCasesForBorrower(owner, { q: 'ＣＭＢ２０２６' }))).toEqual([referred]);
    // Another borrower's reference finds nothing of theirs, and nothing of this one's.
    expect(listCasesForBorrower(makeBorrower(), { q: 'CMB20261203001' })).toEqual([]);
  });

  it("treats '%', '_' and '\\' in the search as literal characters", () => {
    const owner = makeBorrower();
    const percent = makeCase(owner, { product: '减免50%罚息' });
    const underscore = makeCase(owner, { product: 'a_b' });
    const backslash = makeCase(owner, { product: 'x\\y' });
    makeCase(owner, { product: '减免50元罚息' });
    makeCase(owner, { product: 'axb' });
    makeCase(owner, { product: 'xy' });
    const cases: [string, number[]][] = [
      ['%', [percent]],
      ['50%', [percent]],
      ['_', [underscore]],
      ['a_b', [underscore]],
      ['\\', [backslash]],
      ['x\\y', [backslash]],
    ];
    for (const [q, expected] of cases) {
      expect(ids(listCasesForBorrower(owner, { q })), q).toEqual(expected);
    }
  });

  it('folds what was typed and what is stored alike: full-width punctuation and digits, either way round', () => {
    const owner = makeBorrower();
    const called = makeCase(owner, { note: '客服说：三个工作日内回电，工单（A12）' });
    const instalments = makeCase(owner, { product: '分期（12期）' });
    const ticket = makeCase(owner, { note: '工单号１２３４５' });
    makeCase(owner, { product: '信用卡', note: '工单号 54321' });
    const cases: [string, number[]][] = [
      ['回电，工单', [called]],
      ['（A12）', [called]],
      ['(a12)', [called]],
      ['客服说：', [called]],
      ['分期（12', [instalments]],
      ['分期(12', [instalments]],
      ['１２３４５', [ticket]],
      ['12345', [ticket]],
    ];
    for (const [q, expected] of cases) {
      expect(ids(listCasesForBorrower(owner, { q })), q).toEqual(expected);
    }
  });

  it('finds every word of the search, each in any of the case\'s texts or the lender\'s other names', () => {
    const owner = makeBorrower();
    const seeded = (seedName: string) =>
      (getDb().$client.prepare('SELECT id FROM lenders WHERE seed_name = ? AND owner_id IS NULL').get(seedName) as { id: number }).id;
    const huabei = seeded('花呗/借呗（重庆蚂蚁消费金融）');
    const mine = makeCase(owner, { lenderId: huabei, accountRef: '4471' });
    const otherAccount = makeCase(owner, { lenderId: huabei, accountRef: '9902' });
    const otherLender = makeCase(owner, { lenderId: seeded('招商银行信用卡'), accountRef: '4471' });
    submitAttempt(owner, mine, versionOf(mine), submitInput({ lenderRef: 'GD-2026-88' }));
    const cases: [string, number[]][] = [
      ['花呗', [mine, otherAccount]],
      ['4471', [mine, otherLender]],
      ['花呗 4471', [mine]],
      ['4471  花呗', [mine]],
      ['Alipay 4471', [mine]],
      ['花呗　ＧＤ－２０２６', [mine]],
      ['花呗 9999', []],
      ['  ', [mine, otherAccount, otherLender]],
    ];
    for (const [q, expected] of cases) {
      expect(ids(listCasesForBorrower(owner, { q })), q).toEqual(expected);
    }
  });

  it('searches only the tab, status and lender asked for, and only the viewer\'s own cases', () => {
    const owner = makeBorrower();
    const seeded = (seedName: string) =>
      (getDb().$client.prepare('SELECT id FROM lenders WHERE seed_name = ? AND owner_id IS NULL').get(seedName) as { id: number }).id;
    const current = makeCase(owner, { note: '工单（A12）', lenderId: seeded('招商银行信用卡') });
    const archived = makeCase(owner, { note: '工单（A12）', lenderId: seeded('招商银行信用卡') });
    setCaseArchived(owner, archived, versionOf(archived), true);
    const reviewed = makeCase(owner, { note: '工单（A12）', lenderId: seeded('京东 白条/金条') });
    advanceCase(owner, reviewed, 'under_review');
    makeCase(makeBorrower(), { note: '工单（A12）' });
    expect(ids(listCasesForBorrower(owner, { q: '(A12)' }))).toEqual([current, reviewed]);
    expect(ids(listCasesForBorrower(owner, { q: '(A12)', archived: true }))).toEqual([archived]);
    expect(ids(listCasesForBorrower(owner, { q: '(A12)', status: 'under_review' }))).toEqual([reviewed]);
    expect(ids(listCasesForBorrower(owner, { q: '(A12)', lenderId: seeded('招商银行信用卡') }))).toEqual([current]);
    // The rows are those of the list without a search: the same columns, nothing the search read.
    expect(listCasesForBorrower(owner, { q: '(A12)' })).toEqual(listCasesForBorrower(owner));
  });

  it('hides archived cases unless archived is asked for', () => {
    const owner = makeBorrower();
    const kept = makeCase(owner);
    const archived = makeCase(owner);
    setCaseArchived(owner, archived, versionOf(archived), true);
    expect(ids(listCasesForBorrower(owner))).toEqual([kept]);
    expect(ids(listCasesForBorrower(owner, { archived: false }))).toEqual([kept]);
    expect(ids(listCasesForBorrower(owner, { archived: true }))).toEqual([archived]);
  });

  it('lists the most recently changed case first', async () => {
    const owner = makeBorrower();
    const older = makeCase(owner);
    const newer = makeCase(owner);
    expect(listCasesForBorrower(owner).map((r) => r.id)).toEqual([newer, older]);
    await new Promise((resolve) => setTimeout(resolve, 5)); // timestamps have millisecond resolution
    updateCase(owner, older, versionOf(older), caseInput(owner, { product: 'touched' }));
    expect(listCasesForBorrower(owner).map((r) => r.id)).toEqual([older, newer]);
  });

  it('computes the total overdue and carries the lender name', () => {
    const owner = makeBorrower();
    const lender = publicLender(owner);
    const id = makeCase(owner, { lenderId: lender.id, principal: 100_00, interest: 2_50, penalty: 1 });
    const [row] = listCasesForBorrower(owner);
    expect(row).toMatchObject({ id, totalFen: 100_00 + 2_50 + 1, lenderName: lender.name, lenderId: lender.id, status: 'preparing' });
  });

  describe('nextDate', () => {
    const today = todayInShanghai();
    const inDays = (n: number) => addDaysIso(today, n);
    const nextDate = (owner: ReturnType<typeof makeBorrower>, id: number) =>
      listCasesForBorrower(owner).find((r) => r.id === id)!.nextDate;
    /** What the next date is for, as the home and the case list say it. */
    const nextFor = (owner: ReturnType<typeof makeBorrower>, id: number) =>
      listCasesForBorrower(owner).find((r) => r.id === id)!.nextFor;
    const openReminder = (owner: ReturnType<typeof makeBorrower>, id: number, kind: string) =>
      listCaseReminders(owner, id).find((r) => r.kind === kind && r.status === 'open');

    it('is null when nothing is pending', () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      expect(nextDate(owner, id)).toBeNull();
      expect(nextFor(owner, id)).toBeNull();
    });

    it("is the person's own reminder on the case, when it shows again after a snooze, and past when overdue", () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      const own = createReminder(owner, id, { title: '给客服打电话', note: '', dueOn: inDays(5), dueTime: null });
      expect(nextDate(owner, id)).toBe(inDays(5));
      expect(nextFor(owner, id)).toBe('own');
      snoozeReminder(owner, own, inDays(8));
      expect(nextDate(owner, id)).toBe(inDays(8));
      createReminder(owner, id, { title: '整理流水', note: '', dueOn: inDays(-2), dueTime: null });
      expect(nextDate(owner, id)).toBe(inDays(-2));
    });

    it('is a lender promise while its chase is open, even past; not once it is chased', () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      addContact(owner, id, contactInput({ occurredAt: new Date(), promiseDue: inDays(9) }));
      addContact(owner, id, contactInput({ occurredAt: new Date(), promiseDue: inDays(4) }));
      expect(nextDate(owner, id)).toBe(inDays(4));
      expect(nextFor(owner, id)).toBe('promise');
      addContact(owner, id, contactInput({ occurredAt: new Date(), promiseDue: inDays(-3) }));
      expect(nextDate(owner, id)).toBe(inDays(-3));
      const overdue = listCaseReminders(owner, id).find((r) => r.dueOn === inDays(-3))!;
      setReminderStatus(owner, overdue.id, 'done');
      expect(nextDate(owner, id)).toBe(inDays(4));
    });

    it("is the day to check a review's result; a decision answers the promises made during the review", () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: inDays(-1) }));
      const review = openReminder(owner, id, 'review_followup')!;
      expect(nextDate(owner, id)).toBe(review.dueOn);
      expect(nextFor(owner, id)).toBe('review');
      // "We'll tell you by tomorrow", said yesterday (the day it went in): earlier than the review's day.
      addContact(owner, id, contactInput({ occurredAt: new Date(Date.now() - 86_400_000), promiseDue: inDays(1) }));
      expect(nextDate(owner, id)).toBe(inDays(1));
      expect(nextFor(owner, id)).toBe('promise');
      rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: today }));
      // The promise is answered; what is left is deciding what to do next.
      const nextStep = openReminder(owner, id, 'next_step')!;
      expect(nextStep.dueOn > inDays(1)).toBe(true);
      expect(nextDate(owner, id)).toBe(nextStep.dueOn);
      expect(nextFor(owner, id)).toBe('decision');
    });

    it('is the materials deadline, not the notice the workday before it, until the materials are sent', () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      addContact(owner, id, contactInput({ occurredAt: new Date(), promiseDue: inDays(30) }));
      submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: today }));
      requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: today, deadline: inDays(7) }));
      expect(openReminder(owner, id, 'materials_nudge')!.dueOn < inDays(7)).toBe(true);
      expect(nextDate(owner, id)).toBe(inDays(7));
      expect(nextFor(owner, id)).toBe('materials');
      sendMaterials(owner, id, versionOf(id), today);
      // The review's clock starts again from the sending.
      expect(nextDate(owner, id)).toBe(openReminder(owner, id, 'review_followup')!.dueOn);
      expect(nextFor(owner, id)).toBe('review');
    });

    it('is the earliest unpaid instalment, even one already overdue, not the notice before it', () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: inDays(-100) }));
      approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: inDays(-90), agreedPeriods: 3, agreedFirstPaymentOn: inDays(-10) }));
      const [first, second] = getCaseDetail(owner, id).instalments;
      expect(nextDate(owner, id)).toBe(first.dueOn);
      expect(nextFor(owner, id)).toBe('instalment');
      markInstalmentPaid(owner, id, versionOf(id), first.id, { paidOn: inDays(-10), paid: first.amountFen });
      // Three days ahead of the second instalment, a notice: the instalment's own date is the next date.
      expect(openReminder(owner, id, 'instalment_upcoming')!.dueOn < second.dueOn).toBe(true);
      expect(nextDate(owner, id)).toBe(second.dueOn);
    });

    it('counts an instalment paid short as owed: its own date, and the plan at risk once it has passed', () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: inDays(-100) }));
      approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: inDays(-90), agreedPeriods: 3, agreedFirstPaymentOn: inDays(-10) }));
      const [first, second] = getCaseDetail(owner, id).instalments;
      const row = () => listCasesForBorrower(owner).find((r) => r.id === id)!;
      expect(row().firstOwedOn).toBe(first.dueOn);
      expect(planAtRisk(row().status, row().firstOwedOn, today)).toBe(true);
      markInstalmentPaid(owner, id, versionOf(id), first.id, { paidOn: inDays(-10), paid: first.amountFen - 1 });
      // One fen short: still owed, still at risk, still the next date.
      expect(row()).toMatchObject({ status: 'repaying', firstOwedOn: first.dueOn, nextDate: first.dueOn });
      expect(planAtRisk(row().status, row().firstOwedOn, today)).toBe(true);
      markInstalmentPaid(owner, id, versionOf(id), first.id, { paidOn: inDays(-9), paid: 1 });
      expect(row()).toMatchObject({ firstOwedOn: second.dueOn, nextDate: second.dueOn });
      expect(planAtRisk(row().status, row().firstOwedOn, today)).toBe(false);
      // Filtered lists read the same column.
      expect(listCasesForBorrower(owner, { status: 'repaying' }).find((r) => r.id === id)!.firstOwedOn).toBe(second.dueOn);
    });

    it('is null once the case is closed', () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      createReminder(owner, id, { title: '给客服打电话', note: '', dueOn: inDays(5), dueTime: null });
      addContact(owner, id, contactInput({ occurredAt: new Date(), promiseDue: inDays(6) }));
      submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: today }));
      requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: today, deadline: inDays(3) }));
      withdrawCase(owner, id, versionOf(id), 'paid in full');
      expect(nextDate(owner, id)).toBeNull();
      expect(nextFor(owner, id)).toBeNull();
    });

    it("on one day, says the lender's deadline before an instalment, and both before a reminder", () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      createReminder(owner, id, { title: '给客服打电话', note: '', dueOn: inDays(3), dueTime: null });
      expect(nextFor(owner, id)).toBe('own');
      submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: today }));
      requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: today, deadline: inDays(3) }));
      // The deadline's own reminder falls on the same day as the person's: the deadline is what it is for.
      expect(openReminder(owner, id, 'materials_deadline')!.dueOn).toBe(inDays(3));
      expect({ date: nextDate(owner, id), for: nextFor(owner, id) }).toEqual({ date: inDays(3), for: 'materials' });

      const paying = makeCase(owner);
      submitAttempt(owner, paying, versionOf(paying), submitInput({ submittedOn: inDays(-40) }));
      approveAttempt(owner, paying, versionOf(paying), approveInput({ decidedOn: inDays(-30), agreedPeriods: 3, agreedFirstPaymentOn: inDays(2) }));
      const [first] = getCaseDetail(owner, paying).instalments;
      createReminder(owner, paying, { title: '存钱', note: '', dueOn: first.dueOn, dueTime: null });
      expect({ date: nextDate(owner, paying), for: nextFor(owner, paying) }).toEqual({ date: first.dueOn, for: 'instalment' });
      // Filtered lists say the same.
      expect(listCasesForBorrower(owner, { status: 'approved' }).find((r) => r.id === paying)).toMatchObject({ nextDate: first.dueOn, nextFor: 'instalment' });
    });

    it("says an escalated case's follow-up is the mediation's, not the lender's review", () => {
      const owner = makeBorrower();
      const id = makeCase(owner);
      submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: inDays(-20) }));
      rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: inDays(-10) }));
      setReminderStatus(owner, openReminder(owner, id, 'next_step')!.id, 'done');
      escalateCase(owner, id, versionOf(id), escalateInput({ route: 'mediation', submittedOn: inDays(-1) }));
      expect(nextDate(owner, id)).toBe(openReminder(owner, id, 'review_followup')!.dueOn);
      expect(nextFor(owner, id)).toBe('escalation');
    });
  });
});

describe('updateCase', () => {
  it('saves the facts, bumps the version and records which fields changed', () => {
    const owner = makeBorrower();
    const id = makeCase(owner, { product: '信用卡', principal: 500_00, accountRef: '1234' });
    const before = caseRow(id);
    updateCase(owner, id, before.version, caseInput(owner, { product: '分期乐', principal: 600_00, accountRef: '1234' }));
    const after = caseRow(id);
    expect(after).toMatchObject({ product: '分期乐', principalFen: 600_00, accountRef: '1234', version: before.version + 1 });
    const last = getCaseDetail(owner, id).events.at(-1)!;
    expect(last.kind).toBe('case_updated');
    expect(last.actorId).toBe(owner.id);
    expect(last.data).toEqual({ changes: { product: ['信用卡', '分期乐'], principalFen: [500_00, 600_00] } });
  });

  it('writes nothing when nothing changed', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const before = snapshotCases([id]);
    updateCase(owner, id, versionOf(id), caseInput(owner));
    expect(snapshotCases([id])).toEqual(before);
  });

  it('refuses a stale version with ConflictError and writes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const loaded = versionOf(id);
    updateCase(owner, id, loaded, caseInput(owner, { product: 'first tab' }));
    const before = snapshotCases([id]);
    expect(() => updateCase(owner, id, loaded, caseInput(owner, { product: 'second tab' }))).toThrow(ConflictError);
    expect(snapshotCases([id])).toEqual(before);
    expect(caseRow(id).product).toBe('first tab');
  });
});

describe('updateCase: the same account as another open case', () => {
  const refused = (f: () => void) => thrown(f) as { code?: string; detail?: { field?: string; values?: Record<string, unknown> } } | undefined;

  it('asks before an account ref filled in later makes the case another open one\'s twin: refused with a link to it, saved when confirmed', () => {
    const owner = makeBorrower();
    const first = createCase(owner, caseInput(owner, { accountRef: '4471' }));
    // Created with the ref left blank, to be filled in later.
    const second = createCase(owner, caseInput(owner, { accountRef: '', product: '第二张卡' }));
    const before = snapshotCases([first, second]);
    expect(refused(() => updateCase(owner, second, versionOf(second), caseInput(owner, { accountRef: '4471', product: '第二张卡' })))).toMatchObject({
      code: 'case_duplicate',
      detail: { field: 'accountRef', values: { ref: '4471', caseId: first } },
    });
    expect(snapshotCases([first, second])).toEqual(before);
    // At another length, the same last 4 digits: the same account.
    expect(refused(() => updateCase(owner, second, versionOf(second), caseInput(owner, { accountRef: '124471', product: '第二张卡' })))).toMatchObject({
      code: 'case_duplicate',
      detail: { values: { caseId: first } },
    });
    expect(snapshotCases([first, second])).toEqual(before);
    // Confirmed: another debt on an account ending the same.
    updateCase(owner, second, versionOf(second), caseInput(owner, { accountRef: '4471', product: '第二张卡' }), { allowDuplicate: true });
    expect(caseRow(second)).toMatchObject({ accountRef: '4471', version: before.cases[1]!.version + 1 });
  });

  it('asks when the lender is corrected to the other case\'s, the ref unchanged', () => {
    const owner = makeBorrower();
    const lender = publicLender(owner, 'bank');
    const other = publicLender(owner, 'platform').id;
    const first = createCase(owner, caseInput(owner, { lenderId: lender.id, accountRef: '6618' }));
    const second = createCase(owner, caseInput(owner, { lenderId: other, accountRef: '6618' }));
    expect(refused(() => updateCase(owner, second, versionOf(second), caseInput(owner, { lenderId: lender.id, accountRef: '6618' })))).toMatchObject({
      code: 'case_duplicate',
      detail: { values: { caseId: first } },
    });
    expect(caseRow(second).lenderId).toBe(other);
  });

  it('does not refuse an edit that leaves the lender and the account alone, though twins are there already', () => {
    const owner = makeBorrower();
    const first = makeCase(owner, { accountRef: '4471' });
    const twin = makeCase(owner, { accountRef: '4471' });
    updateCase(owner, twin, versionOf(twin), caseInput(owner, { accountRef: '4471', principal: 1, note: '金额改了' }));
    expect(caseRow(twin)).toMatchObject({ principalFen: 1, note: '金额改了' });
    updateCase(owner, first, versionOf(first), caseInput(owner, { accountRef: '4471', product: '分期' }));
    expect(caseRow(first).product).toBe('分期');
    // The ref typed in full: the same account as before, so not asked again.
    updateCase(owner, twin, versionOf(twin), caseInput(owner, { accountRef: '124471', principal: 1, note: '金额改了' }));
    expect(caseRow(twin).accountRef).toBe('124471');
  });

  it('is not its own twin: its ref typed at another length, or the same ref, saves', () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner, { accountRef: '4471' }));
    updateCase(owner, id, versionOf(id), caseInput(owner, { accountRef: '124471' }));
    expect(caseRow(id).accountRef).toBe('124471');
    updateCase(owner, id, versionOf(id), caseInput(owner, { accountRef: '124471', note: '再改一次' }));
    expect(caseRow(id).note).toBe('再改一次');
  });

  it('does not ask when the other case is closed, or the edited one is, or the ref is emptied, or it is another borrower\'s', () => {
    const owner = makeBorrower();
    const closed = createCase(owner, caseInput(owner, { accountRef: '7777' }));
    withdrawCase(owner, closed, versionOf(closed), '');
    const id = createCase(owner, caseInput(owner, { accountRef: '' }));
    updateCase(owner, id, versionOf(id), caseInput(owner, { accountRef: '7777' }));
    expect(caseRow(id).accountRef).toBe('7777');
    // Emptied, then another open case with its old ref: no ref, no question.
    updateCase(owner, id, versionOf(id), caseInput(owner, { accountRef: '' }));
    const open = createCase(owner, caseInput(owner, { accountRef: '7777' }));
    // A closed case's ref corrected to an open one's: it counts in no total.
    withdrawCase(owner, id, versionOf(id), '');
    updateCase(owner, id, versionOf(id), caseInput(owner, { accountRef: '7777' }));
    expect(caseRow(id).accountRef).toBe('7777');
    const other = makeBorrower();
    const theirs = createCase(other, caseInput(other, { accountRef: '' }));
    updateCase(other, theirs, versionOf(theirs), caseInput(other, { lenderId: caseRow(open).lenderId, accountRef: '7777' }));
    expect(caseRow(theirs).accountRef).toBe('7777');
  });
});

describe('updateCase: the lender changed or renamed, and the reminders already made', () => {
  const zh = createTranslator({ locale: 'zh-CN', messages: { reminders: JSON.parse(readFileSync(path.join('messages', 'zh-CN', 'reminders.json'), 'utf8')) }, namespace: 'reminders' });
  const rt = (key: string, values?: Record<string, string | number>) => zh(key as never, values as never) as string;
  /** The case's open reminders as the inbox reads and says them. */
  const inbox = (owner: Viewer, caseId: number) => listOpenReminders(owner, { caseId }).map((r) => ({ ...r, text: reminderTitle(rt, r, 'zh-CN', '2025-06-20') }));
  const ruleRow = (owner: Viewer, ruleKey: string) => listCaseReminders(owner, caseIdOf(owner, ruleKey)).find((r) => r.ruleKey === ruleKey)!;
  const caseIdOf = (owner: Viewer, ruleKey: string) =>
    getDb().select({ caseId: reminders.caseId }).from(reminders).where(and(eq(reminders.ownerId, owner.id), eq(reminders.ruleKey, ruleKey))).get()!.caseId!;
  const huabei = (owner: Viewer) => listLenders(owner).find((l) => l.seedName === '花呗/借呗（重庆蚂蚁消费金融）')!;
  const slowLender = (owner: Viewer) => createPrivateLender(owner, { name: '某消费金融（审核 20 个工作日）', kind: 'consumer_finance', products: [], hotline: '', appPath: '', reviewWorkdays: 20 });

  it('names the new lender in every open reminder, and moves "check the review result" to its review time', () => {
    const owner = makeBorrower();
    expect(huabei(owner).reviewWorkdays).toBe(5);
    const id = makeCase(owner, { lenderId: huabei(owner).id });
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-06-16' }));
    addContact(owner, id, contactInput({ occurredAt: new Date('2025-06-17T02:00:00Z'), promise: '三个工作日内回电', promiseDue: '2025-06-20' }));
    const [attempt] = getCaseDetail(owner, id).attempts;
    expect(ruleRow(owner, `review:${attempt!.id}`).dueOn).toBe('2025-06-23');
    expect(inbox(owner, id).map((r) => r.text).join('\n')).toContain('花呗');

    const slow = slowLender(owner);
    updateCase(owner, id, versionOf(id), caseInput(owner, { lenderId: slow.id }));
    const texts = inbox(owner, id);
    expect(texts.map((r) => r.kind).sort()).toEqual(['promise_chase', 'review_followup']);
    for (const r of texts) {
      expect(r.text, r.kind).toContain(slow.name);
      expect(r.text, r.kind).not.toContain('花呗');
    }
    // Submitted Monday 16 June: 20 workdays on (no holiday between) is Monday 14 July.
    expect(addWorkdays('2025-06-16', 20)).toBe('2025-07-14');
    expect(ruleRow(owner, `review:${attempt!.id}`)).toMatchObject({ status: 'open', dueOn: '2025-07-14', showOn: '2025-07-14', data: { lender: slow.name, submittedOn: '2025-06-16', round: 1 } });
    // The promise's chase keeps its day: the promise was the lender's, not its review time.
    expect(texts.find((r) => r.kind === 'promise_chase')!.dueOn).toBe('2025-06-20');

    // The lender's name corrected later: the reminders say it as it is now.
    updatePrivateLender(owner, slow.id, lenderFingerprint(slow), { name: '某某消费金融', kind: 'consumer_finance', products: [], hotline: '', appPath: '', reviewWorkdays: 20 });
    for (const r of inbox(owner, id)) expect(r.text, r.kind).toContain('某某消费金融');
  });

  it('moves the follow-up after materials from the day they were sent, and the first one a request closed, closed still', () => {
    const owner = makeBorrower();
    const id = makeCase(owner, { lenderId: huabei(owner).id });
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: '2025-06-16' }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: '2025-06-18', deadline: '2025-06-25' }));
    sendMaterials(owner, id, versionOf(id), '2025-06-20');
    const [attempt] = getCaseDetail(owner, id).attempts;
    const followup = listCaseReminders(owner, id).find((r) => r.ruleKey?.startsWith(`review:${attempt!.id}:`))!;
    expect(followup).toMatchObject({ status: 'open', dueOn: addWorkdays('2025-06-20', 5) });

    const slow = slowLender(owner);
    updateCase(owner, id, versionOf(id), caseInput(owner, { lenderId: slow.id }));
    expect(ruleRow(owner, followup.ruleKey!)).toMatchObject({ status: 'open', dueOn: addWorkdays('2025-06-20', 20), data: { sentOn: '2025-06-20', submittedOn: '2025-06-16', lender: slow.name } });
    expect(ruleRow(owner, `review:${attempt!.id}`)).toMatchObject({ status: 'done', autoClosed: true, dueOn: '2025-07-14' });
  });

  it("leaves a mediation's follow-up on its own day, and a case with no application as it was", () => {
    const owner = makeBorrower();
    const id = makeCase(owner, { lenderId: huabei(owner).id });
    advanceCase(owner, id, 'escalated');
    const before = listCaseReminders(owner, id).find((r) => r.kind === 'review_followup' && r.status === 'open')!;
    expect(before.data.route).toBe('mediation');
    const slow = slowLender(owner);
    updateCase(owner, id, versionOf(id), caseInput(owner, { lenderId: slow.id }));
    const after = listCaseReminders(owner, id).find((r) => r.id === before.id)!;
    expect(after).toMatchObject({ status: 'open', dueOn: before.dueOn, data: before.data });
    expect(reminderTitle(rt, after, 'zh-CN')).toContain(slow.name);

    // Another account (the same one moved to the same lender would be asked about: case_duplicate).
    const quiet = makeCase(owner, { lenderId: huabei(owner).id, accountRef: '5678' });
    updateCase(owner, quiet, versionOf(quiet), caseInput(owner, { lenderId: slow.id, accountRef: '5678' }));
    expect(caseRow(quiet).lenderId).toBe(slow.id);
  });
});

describe('setCaseArchived', () => {
  it('archives and restores, each time bumping the version and recording it', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    setCaseArchived(owner, id, 1, true);
    expect(caseRow(id)).toMatchObject({ archived: true, version: 2 });
    setCaseArchived(owner, id, 2, false);
    expect(caseRow(id)).toMatchObject({ archived: false, version: 3 });
    expect(getCaseDetail(owner, id).events.map((e) => e.kind)).toEqual(['case_created', 'case_archived', 'case_unarchived']);
  });

  it('refuses a stale version and writes nothing', () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    setCaseArchived(owner, id, 1, true);
    const before = snapshotCases([id]);
    expect(() => setCaseArchived(owner, id, 1, false)).toThrow(ConflictError);
    expect(snapshotCases([id])).toEqual(before);
  });
});

describe('deleteCase', () => {
  it('removes the case, every row recorded on it, and its stored files', async () => {
    const owner = makeBorrower();
    const id = makeCase(owner);
    const other = makeCase(owner);
    const docId = addDocument(owner, id, { kind: 'income_proof', note: '' });
    await attachDocumentFile(owner, id, docId, fileOf(pngBytes(), 'proof.png', 'image/png'));
    const otherDoc = addDocument(owner, other, { kind: 'id_card', note: '' });
    await attachDocumentFile(owner, other, otherDoc, fileOf(pngBytes(), 'id.png', 'image/png'));
    addContact(owner, id, contactInput());
    submitAttempt(owner, id, versionOf(id), submitInput());
    requestMaterials(owner, id, versionOf(id), materialsInput());
    sendMaterials(owner, id, versionOf(id), '2025-04-05');
    approveAttempt(owner, id, versionOf(id), approveInput());

    const before = snapshotCases([id]);
    for (const table of Object.values(before)) expect(table.length).toBeGreaterThan(0);
    const storedName = before.documents[0].storedName!;
    expect(existsSync(storedFilePath(storedName))).toBe(true);
    const otherBefore = snapshotCases([other]);

    // From a page opened before the case changed: refused, and nothing goes.
    const stale = thrown(() => deleteCase(owner, id, versionOf(id) - 1));
    expect(stale).toMatchObject({ code: 'case_changed', detail: { hidden: { version: String(versionOf(id)) } } });
    expect(snapshotCases([id])).toEqual(before);
    expect(existsSync(storedFilePath(storedName))).toBe(true);

    deleteCase(owner, id, versionOf(id));

    expect(snapshotCases([id])).toEqual({
      cases: [],
      attempts: [],
      materialRequests: [],
      documents: [],
      contacts: [],
      plans: [],
      instalments: [],
      caseEvents: [],
    });
    expect(existsSync(storedFilePath(storedName))).toBe(false);
    expect(storedFiles()).not.toContain(storedName);
    // The owner's other case is untouched.
    expect(snapshotCases([other])).toEqual(otherBefore);
    expect(existsSync(storedFilePath(otherBefore.documents[0].storedName!))).toBe(true);
    expect(() => getCase(owner, id)).toThrow();
  });
});

describe('borrowerTotals', () => {
  it('sums the open, unarchived cases of the viewer and what is under an agreed plan', () => {
    const owner = makeBorrower();
    expect(borrowerTotals(owner)).toEqual({ openCases: 0, overdueFen: 0, underPlanFen: 0, amountsNotGiven: 0, planPaidFen: 0, planLeftFen: 0 });

    makeCase(owner, { principal: 1_000_00, interest: 0, penalty: 0 });
    const approved = makeCase(owner, { principal: 2_000_00, interest: 10_00, penalty: 5 });
    advanceCase(owner, approved, 'approved');
    const repaying = makeCase(owner, { principal: 300_00, interest: 0, penalty: 0 });
    advanceCase(owner, repaying, 'approved');
    const [first] = getCaseDetail(owner, repaying).instalments;
    markInstalmentPaid(owner, repaying, versionOf(repaying), first.id, { paidOn: '2025-05-31', paid: first.amountFen });
    expect(caseRow(repaying).status).toBe('repaying');
    // A short payment counts what was paid; what it left owing stays to pay.
    const approvedPlan = getCaseDetail(owner, approved).instalments;
    markInstalmentPaid(owner, approved, versionOf(approved), approvedPlan[0].id, { paidOn: '2025-06-01', paid: approvedPlan[0].amountFen - 1_00 });
    const repayingPlan = getCaseDetail(owner, repaying).instalments;
    const scheduled = [...approvedPlan, ...repayingPlan].reduce((a, i) => a + i.amountFen, 0);
    const paid = first.amountFen + approvedPlan[0].amountFen - 1_00;
    // Not counted: archived, closed, and anybody else's.
    const archived = makeCase(owner, { principal: 7_000_00 });
    setCaseArchived(owner, archived, versionOf(archived), true);
    const closed = makeCase(owner, { principal: 9_000_00 });
    withdrawCase(owner, closed, versionOf(closed), '');
    makeCase(makeBorrower(), { principal: 50_000_00 });

    expect(borrowerTotals(owner)).toEqual({
      openCases: 3,
      overdueFen: 1_000_00 + (2_000_00 + 10_00 + 5) + 300_00,
      underPlanFen: 2_000_00 + 10_00 + 5 + 300_00,
      amountsNotGiven: 0,
      planPaidFen: paid,
      planLeftFen: scheduled - paid,
    });
    expect(paid).toBeGreaterThan(0);
    expect(scheduled - paid).toBeGreaterThan(0);
  });
});

describe('createCase input', () => {
  it('keeps an amount left blank as not given: no total when none is, the sum of those given otherwise', () => {
    const owner = makeBorrower();
    const blank = createCase(owner, caseInput(owner, { principal: null, interest: null, penalty: null }));
    const partly = createCase(owner, caseInput(owner, { principal: 500_00, interest: null, penalty: 0 }), undefined, { allowDuplicate: true });
    expect(caseRow(blank)).toMatchObject({ principalFen: null, interestFen: null, penaltyFen: null });
    expect(caseRow(partly)).toMatchObject({ principalFen: 500_00, interestFen: null, penaltyFen: 0 });
    const totals = Object.fromEntries(listCasesForBorrower(owner).map((r) => [r.id, r.totalFen]));
    expect(totals).toEqual({ [blank]: null, [partly]: 500_00 });
    expect(borrowerTotals(owner)).toMatchObject({ openCases: 2, overdueFen: 500_00, amountsNotGiven: 1 });
    // Given later, then blanked again: each change is on the timeline, from and to null.
    updateCase(owner, blank, versionOf(blank), caseInput(owner, { principal: 1_000_00, interest: null, penalty: null }));
    updateCase(owner, blank, versionOf(blank), caseInput(owner, { principal: null, interest: null, penalty: null }));
    const changes = getCaseDetail(owner, blank).events.filter((e) => e.kind === 'case_updated').map((e) => (e.data as { changes: Record<string, unknown> }).changes.principalFen);
    expect(changes).toEqual(expect.arrayContaining([[null, 1_000_00], [1_000_00, null]]));
  });

  it('keeps a null overdue date and zero amounts', () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner, { overdueSince: null, principal: 0, interest: 0, penalty: 0 }));
    expect(caseRow(id)).toMatchObject({ overdueSince: null, principalFen: 0, interestFen: 0, penaltyFen: 0 });
    expect(listCasesForBorrower(owner)[0].totalFen).toBe(0);
  });
});
