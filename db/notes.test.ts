import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeAdvisor, makeBorrower, makeCase, TEST_PASSWORD, versionOf } from '@/tests/factories';
import { deleteAccount } from './account';
import { setCaseArchived } from './cases';
import { getDb } from './client';
import { addCaseNote, listRecentAdvisorNotes } from './notes';
import { caseEvents } from './schema';
import { acceptInvite, createInvite, revokeShare } from './shares';
import type { Viewer } from './viewer-type';

/** A borrower, an advisor with an active share, and two of the borrower's cases. */
function sharedBorrower() {
  const owner = makeBorrower({ displayName: '小周' });
  const advisor = makeAdvisor({ displayName: '陈顾问' });
  const { shareId, code } = createInvite(owner, '法律援助');
  acceptInvite(advisor, code);
  const first = makeCase(owner, { accountRef: '6618' });
  const second = makeCase(owner, { accountRef: '', product: '借呗' });
  return { owner, advisor, shareId, first, second };
}

/** Moves a note's time back, as if it had been written `days` ago. */
function ageNote(id: number, days: number) {
  const at = new Date(Date.now() - days * 24 * 60 * 60_000);
  getDb().update(caseEvents).set({ createdAt: at }).where(eq(caseEvents.id, id)).run();
}

const aWeekAgo = () => new Date(Date.now() - 7 * 24 * 60 * 60_000);
const textsFor = (viewer: Viewer, since = aWeekAgo(), limit?: number) => listRecentAdvisorNotes(viewer, since, limit).map((n) => n.text);

describe('listRecentAdvisorNotes', () => {
  it('lists the advisors’ notes on the borrower’s cases since a moment, newest first, with who wrote them and on which case', () => {
    const { owner, advisor, first, second } = sharedBorrower();
    const old = addCaseNote(advisor, first, '上个月的建议');
    ageNote(old, 30);
    addCaseNote(owner, first, '我自己记的');
    const a = addCaseNote(advisor, first, '先别签新的分期协议');
    ageNote(a, 2);
    addCaseNote(advisor, second, '周一给客服打电话，要工单号');

    const notes = listRecentAdvisorNotes(owner, aWeekAgo());
    expect(notes.map((n) => n.text)).toEqual(['周一给客服打电话，要工单号', '先别签新的分期协议']);
    expect(notes[0]).toMatchObject({ caseId: second, advisorName: '陈顾问', caseAccountRef: null, caseProduct: '借呗' });
    expect(notes[1]).toMatchObject({ caseId: first, advisorName: '陈顾问', caseAccountRef: '6618' });
    expect(notes[0].createdAt).toBeInstanceOf(Date);
    expect(notes[0].lenderName).toBeTruthy();
    // The limit keeps the newest; a wider window reaches the old one.
    expect(textsFor(owner, aWeekAgo(), 1)).toEqual(['周一给客服打电话，要工单号']);
    expect(textsFor(owner, new Date(Date.now() - 60 * 24 * 60 * 60_000), 5)).toEqual(['周一给客服打电话，要工单号', '先别签新的分期协议', '上个月的建议']);
  });

  it('leaves out archived cases, and keeps a note once the share has ended or the advisor’s account is gone, without a name', async () => {
    const { owner, advisor, shareId, first, second } = sharedBorrower();
    addCaseNote(advisor, first, '归档前的建议');
    addCaseNote(advisor, second, '注销前的建议');
    setCaseArchived(owner, first, versionOf(first), true);
    expect(textsFor(owner)).toEqual(['注销前的建议']);

    revokeShare(owner, shareId);
    expect(textsFor(owner)).toEqual(['注销前的建议']);
    await deleteAccount(advisor, { password: TEST_PASSWORD, confirmEmail: advisor.email });
    expect(listRecentAdvisorNotes(owner, aWeekAgo())).toMatchObject([{ text: '注销前的建议', advisorName: null }]);
  });

  it('shows nobody else the notes: not the advisor who wrote them, not another borrower', () => {
    const { advisor, first } = sharedBorrower();
    addCaseNote(advisor, first, '只给小周看的');
    expect(textsFor(advisor)).toEqual([]);
    expect(textsFor(makeBorrower())).toEqual([]);
    expect(textsFor(makeAdvisor())).toEqual([]);
  });
});
