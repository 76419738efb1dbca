import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { caseInput, contactInput, fileOf, makeAdmin, makeAdvisor, makeBorrower, makeCase, pngBytes, snapshotCases, versionOf } from '@/tests/factories';
import { thrown } from '@/tests/thrown';
import { getCase, getCaseDetail, updateCase } from './cases';
import { getDb } from './client';
import { addContact } from './contacts';
import { addDocument, attachDocumentFile, deleteDocument, getDocumentFile, setDocumentSensitive } from './documents';
import { addCaseNote } from './notes';
import { createReminder, listCaseReminders, listOpenReminders, setReminderStatus } from './reminders';
import { accessLog, reminders, shares } from './schema';
import {
  acceptInvite,
  createInvite,
  ENDED_SHARE_DAYS,
  INVITE_DAYS,
  VISIT_MINUTES,
  listAccessLog,
  listClientsForAdvisor,
  listEndedSharesForAdvisor,
  listSharesForBorrower,
  logAdvisorAccess,
  previewInvite,
  revokeShare,
  setSensitiveConsent,
} from './shares';
import type { Viewer } from './viewer-type';

const DAY = 86_400_000;

/** A DomainError with this code, and nothing else. */
function expectDomain(run: () => unknown, code: string) {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    return;
  }
  throw new Error(`expected DomainError ${code}, nothing was thrown`);
}

function shareRow(id: number) {
  return getDb().select().from(shares).where(eq(shares.id, id)).get()!;
}

/** A borrower with a case, sharing it with a new advisor (active). */
function sharedPair() {
  const borrower = makeBorrower({ displayName: '王借款' });
  const advisor = makeAdvisor({ displayName: '李律师' });
  const caseId = makeCase(borrower);
  const invite = createInvite(borrower, '李律师');
  acceptInvite(advisor, invite.code);
  return { borrower, advisor, caseId, shareId: invite.shareId };
}

async function docWithFile(owner: Viewer, caseId: number, kind: Parameters<typeof addDocument>[2]['kind']) {
  const id = addDocument(owner, caseId, { kind, note: `${kind} 的备注` });
  await attachDocumentFile(owner, caseId, id, fileOf(pngBytes(), `${kind}.png`, 'image/png'));
  return id;
}

describe('invitations', () => {
  it('invite → preview → accept makes the share active, and the advisor reads the case', () => {
    const borrower = makeBorrower({ displayName: '王借款' });
    const advisor = makeAdvisor({ displayName: '李律师' });
    const caseId = makeCase(borrower);
    const now = new Date('2025-06-19T02:00:00Z');
    const invite = createInvite(borrower, '法律援助中心', now);

    expect(invite.code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(invite.expiresAt.getTime()).toBe(now.getTime() + INVITE_DAYS * DAY);
    // Only a hash is kept.
    expect(JSON.stringify(shareRow(invite.shareId))).not.toContain(invite.code.replace(/-/g, ''));
    expect(() => getCase(advisor, caseId)).toThrow(NotFoundError);

    const later = new Date(now.getTime() + DAY);
    expect(previewInvite(advisor, invite.code, later)).toEqual({ borrowerName: '王借款', expiresAt: invite.expiresAt, alreadyShared: null });
    // Read out over the phone: case and dashes do not matter.
    expect(previewInvite(advisor, invite.code.toLowerCase().replace(/-/g, ' '), later)?.borrowerName).toBe('王借款');
    // Typed on a Chinese keyboard: full-width letters and digits, the dash as the punctuation mode gives it (－ — –), a full-width space.
    const fullWidth = (code: string, dash: string) =>
      code.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/-/g, dash);
    for (const dash of ['－', '—', '–', '\u3000']) {
      expect(previewInvite(advisor, fullWidth(invite.code, dash), later)?.borrowerName, JSON.stringify(dash)).toBe('王借款');
    }
    expect(previewInvite(advisor, `\u3000${invite.code.replace(/-/g, '—')}\u3000`, later)?.borrowerName).toBe('王借款');

    expect(acceptInvite(advisor, fullWidth(invite.code, '－'), later)).toEqual({ borrowerId: borrower.id });
    const [row] = listSharesForBorrower(borrower);
    expect(row).toMatchObject({ id: invite.shareId, status: 'active', advisorId: advisor.id, advisorName: '李律师', advisorEmail: advisor.email, label: '法律援助中心' });
    expect(row.acceptedAt?.getTime()).toBe(later.getTime());
    expect(row.consentAt.getTime()).toBe(now.getTime());
    expect(row.sensitiveConsentAt).toBeNull();

    expect(listClientsForAdvisor(advisor)).toEqual([
      expect.objectContaining({ shareId: invite.shareId, borrowerId: borrower.id, name: '王借款', sensitiveConsent: false }),
    ]);
    expect(getCase(advisor, caseId).case.id).toBe(caseId);
    const detail = getCaseDetail(advisor, caseId);
    expect(detail.access).toEqual({ isOwner: false, sensitiveConsent: false, ownerName: '王借款' });
    expect(getCaseDetail(borrower, caseId).access).toEqual({ isOwner: true, sensitiveConsent: true, ownerName: '王借款' });
  });

  it('the same form sent twice makes one invitation, opened by the code the second answer gives', () => {
    const borrower = makeBorrower();
    const advisor = makeAdvisor();
    const key = 'invite-form-key-0123456789';
    const now = new Date('2025-06-19T02:00:00Z');
    const first = createInvite(borrower, '李律师', now, key);
    const second = createInvite(borrower, '李律师', now, key);
    expect(second.shareId).toBe(first.shareId);
    expect(second.code).not.toBe(first.code);
    expect(listSharesForBorrower(borrower).map((s) => s.id)).toEqual([first.shareId]);
    const later = new Date(now.getTime() + DAY);
    expect(previewInvite(advisor, first.code, later)).toBeNull();
    expect(acceptInvite(advisor, second.code, later)).toEqual({ borrowerId: borrower.id });
    // Sent once more after it was accepted: a new invitation, the accepted share as it was.
    const third = createInvite(borrower, '李律师', later, key);
    expect(third.shareId).not.toBe(first.shareId);
    expect(shareRow(first.shareId)).toMatchObject({ status: 'active', advisorId: advisor.id });
    expect(shareRow(third.shareId).status).toBe('invited');
    // Another form (another key): another invitation.
    expect(createInvite(borrower, '', later, 'another-form-key-0123456789').shareId).not.toBe(third.shareId);
  });

  it('an expired code is invalid: to the millisecond', () => {
    const borrower = makeBorrower();
    const now = new Date('2025-06-01T00:00:00Z');
    const expiry = new Date(now.getTime() + INVITE_DAYS * DAY);
    const a = createInvite(borrower, '', now);
    const b = createInvite(borrower, '', now);
    const advisor = makeAdvisor();
    expect(previewInvite(advisor, a.code, expiry)).toBeNull();
    expectDomain(() => acceptInvite(advisor, a.code, expiry), 'invite_invalid');
    expect(shareRow(a.shareId).status).toBe('invited');
    // One millisecond earlier it still works.
    acceptInvite(makeAdvisor(), b.code, new Date(expiry.getTime() - 1));
    expect(shareRow(b.shareId).status).toBe('active');
    // And with the real clock, a week-old code is long gone.
    const old = createInvite(borrower, '', new Date(Date.now() - (INVITE_DAYS + 1) * DAY));
    expectDomain(() => acceptInvite(makeAdvisor(), old.code), 'invite_invalid');
  });

  it('a code works once; an unknown, reused or cancelled code is "invite_invalid"; the advisor who used it is told they have access', () => {
    const borrower = makeBorrower();
    const first = makeAdvisor();
    const second = makeAdvisor();
    const invite = createInvite(borrower, '');
    acceptInvite(first, invite.code);
    expectDomain(() => acceptInvite(second, invite.code), 'invite_invalid');
    // The same advisor again (a second tab): not "invalid", they have access.
    expectDomain(() => acceptInvite(first, invite.code), 'already_shared');
    expect(shareRow(invite.shareId)).toMatchObject({ advisorId: first.id, status: 'active' });
    // Once revoked, the used code is nothing to them either.
    const used = createInvite(borrower, '');
    acceptInvite(second, used.code);
    revokeShare(borrower, used.shareId);
    expectDomain(() => acceptInvite(second, used.code), 'invite_invalid');

    const cancelled = createInvite(borrower, '');
    revokeShare(borrower, cancelled.shareId);
    expect(previewInvite(second, cancelled.code)).toBeNull();
    expectDomain(() => acceptInvite(second, cancelled.code), 'invite_invalid');
    expect(shareRow(cancelled.shareId)).toMatchObject({ status: 'revoked', advisorId: null });

    expectDomain(() => acceptInvite(second, 'AAAA-BBBB-CCCC'), 'invite_invalid');
    expectDomain(() => acceptInvite(second, ''), 'invite_invalid');
  });

  it('a second invitation to the same advisor is "already_shared", and stays unused', () => {
    const borrower = makeBorrower();
    const advisor = makeAdvisor();
    const one = createInvite(borrower, '');
    const two = createInvite(borrower, '');
    acceptInvite(advisor, one.code);
    // The page says so before anyone presses anything: they already have access, to this client's cases.
    expect(previewInvite(advisor, two.code)).toMatchObject({ alreadyShared: { clientId: borrower.id } });
    expect(previewInvite(makeAdvisor(), two.code)).toMatchObject({ alreadyShared: null });
    expectDomain(() => acceptInvite(advisor, two.code), 'already_shared');
    expect(shareRow(two.shareId)).toMatchObject({ status: 'invited', advisorId: null, acceptedAt: null });
    // Another advisor may still use it.
    acceptInvite(makeAdvisor(), two.code);
    expect(shareRow(two.shareId).status).toBe('active');
    // After a revocation the same advisor can be invited again.
    revokeShare(borrower, one.shareId);
    const three = createInvite(borrower, '');
    expect(previewInvite(advisor, three.code)).toMatchObject({ alreadyShared: null });
    acceptInvite(advisor, three.code);
    expect(listClientsForAdvisor(advisor).map((c) => c.shareId)).toEqual([three.shareId]);
  });

  it('an invitation the advisor already held when the borrower revoked them does not let them back in', () => {
    const borrower = makeBorrower();
    const advisor = makeAdvisor();
    const one = createInvite(borrower, '李律师');
    const two = createInvite(borrower, '李律师'); // sent again when the first got no answer
    acceptInvite(advisor, one.code);
    const later = new Date(Date.now() + 60_000);
    revokeShare(borrower, one.shareId, later);

    const dayAfter = new Date(later.getTime() + 86_400_000);
    expect(previewInvite(advisor, two.code, dayAfter)).toBeNull();
    expectDomain(() => acceptInvite(advisor, two.code, dayAfter), 'invite_invalid');
    expect(listClientsForAdvisor(advisor)).toEqual([]);
    expect(shareRow(two.shareId)).toMatchObject({ status: 'invited', advisorId: null });
    // Another advisor may still use it.
    expect(previewInvite(makeAdvisor(), two.code, dayAfter)).toMatchObject({ alreadyShared: null });
  });

  it("an advisor's share with another borrower is no access to this one's", () => {
    const { advisor } = sharedPair();
    const other = makeBorrower();
    const invite = createInvite(other, '');
    expect(previewInvite(advisor, invite.code)).toMatchObject({ alreadyShared: null });
    acceptInvite(advisor, invite.code);
    expect(shareRow(invite.shareId).status).toBe('active');
  });

  it("the borrower's list: who has access first, then the invitations still waiting, then what is over", () => {
    const borrower = makeBorrower();
    const now = new Date('2025-06-19T02:00:00Z');
    const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
    // Made oldest first, each kind twice, interleaved: newest first within each group.
    const activeOld = createInvite(borrower, 'active old', hours(-300));
    acceptInvite(makeAdvisor(), activeOld.code, hours(-299));
    const expired = createInvite(borrower, 'expired', hours(-200));
    const waitingOld = createInvite(borrower, 'waiting old', hours(-100));
    const revoked = createInvite(borrower, 'revoked', hours(-50));
    acceptInvite(makeAdvisor(), revoked.code, hours(-49));
    revokeShare(borrower, revoked.shareId, hours(-48));
    const activeNew = createInvite(borrower, 'active new', hours(-10));
    acceptInvite(makeAdvisor(), activeNew.code, hours(-9));
    const cancelled = createInvite(borrower, 'cancelled', hours(-5));
    revokeShare(borrower, cancelled.shareId, hours(-4));
    const waitingNew = createInvite(borrower, 'waiting new', hours(-1));
    // createdAt is the database's clock: set it to when each was made.
    const made: [number, Date][] = [
      [activeOld.shareId, hours(-300)], [expired.shareId, hours(-200)], [waitingOld.shareId, hours(-100)], [revoked.shareId, hours(-50)],
      [activeNew.shareId, hours(-10)], [cancelled.shareId, hours(-5)], [waitingNew.shareId, hours(-1)],
    ];
    for (const [id, at] of made) getDb().update(shares).set({ createdAt: at }).where(eq(shares.id, id)).run();

    expect(listSharesForBorrower(borrower, now).map((r) => r.label)).toEqual([
      'active new', 'active old', 'waiting new', 'waiting old', 'cancelled', 'revoked', 'expired',
    ]);
    // An invitation is waiting until the instant it expires; from then on it is over.
    expect(listSharesForBorrower(borrower, waitingOld.expiresAt).map((r) => r.label)).toEqual([
      'active new', 'active old', 'waiting new', 'cancelled', 'revoked', 'waiting old', 'expired',
    ]);
  });

  it('only a borrower invites, only an advisor accepts', () => {
    const borrower = makeBorrower();
    const advisor = makeAdvisor();
    const admin = makeAdmin();
    expect(() => createInvite(advisor, '')).toThrow(ForbiddenError);
    expect(() => createInvite(admin, '')).toThrow(ForbiddenError);
    const invite = createInvite(borrower, '');
    const otherBorrower = makeBorrower();
    expect(() => acceptInvite(otherBorrower, invite.code)).toThrow(ForbiddenError);
    expect(() => acceptInvite(borrower, invite.code)).toThrow(ForbiddenError);
    expect(() => acceptInvite(admin, invite.code)).toThrow(ForbiddenError);
    expect(() => previewInvite(borrower, invite.code)).toThrow(ForbiddenError);
    expect(shareRow(invite.shareId).status).toBe('invited');
    // The lists are the borrower's and the advisor's own.
    expect(() => listSharesForBorrower(advisor)).toThrow(ForbiddenError);
    expect(() => listAccessLog(advisor)).toThrow(ForbiddenError);
    expect(() => listClientsForAdvisor(borrower)).toThrow(ForbiddenError);
  });
});

describe('revocation', () => {
  it('takes effect at once: every read and every addition is "not found"', async () => {
    const { borrower, advisor, caseId, shareId } = sharedPair();
    const doc = await docWithFile(borrower, caseId, 'income_proof');
    expect(getDocumentFile(advisor, doc).fileName).toBe('income_proof.png');

    revokeShare(borrower, shareId);
    expect(shareRow(shareId).status).toBe('revoked');
    expect(shareRow(shareId).revokedAt).not.toBeNull();
    expect(() => getCase(advisor, caseId)).toThrow(NotFoundError);
    expect(() => getCaseDetail(advisor, caseId)).toThrow(NotFoundError);
    expect(() => getDocumentFile(advisor, doc)).toThrow(NotFoundError);
    const before = snapshotCases([caseId]);
    expect(() => addCaseNote(advisor, caseId, '还在吗')).toThrow(NotFoundError);
    expect(() => createReminder(advisor, caseId, { title: '打电话', dueOn: '2030-01-01', dueTime: null, note: '' })).toThrow(NotFoundError);
    expect(snapshotCases([caseId])).toEqual(before);
    expect(listClientsForAdvisor(advisor)).toEqual([]);
    // Revoking again changes nothing; the consent of a revoked share cannot be given.
    revokeShare(borrower, shareId);
    expectDomain(() => setSensitiveConsent(borrower, shareId, true), 'share_revoked');
  });

  it("keeps the advisor's open reminders unless told to dismiss them; then only theirs, only open ones", () => {
    const { borrower, advisor, caseId, shareId } = sharedPair();
    const other = makeAdvisor({ displayName: '张顾问' });
    acceptInvite(other, createInvite(borrower, '张顾问').code);
    const reminder = (by: Viewer, title: string) => createReminder(by, caseId, { title, dueOn: '2030-01-01', dueTime: null, note: '' });
    const theirs = [reminder(advisor, '周一给银行打电话'), reminder(advisor, '准备收入证明')];
    const done = reminder(advisor, '已经办完的');
    setReminderStatus(borrower, done, 'done');
    const own = reminder(borrower, '我自己的');
    const others = reminder(other, '另一位顾问的');
    const statusOf = (id: number) => getDb().select().from(reminders).where(eq(reminders.id, id)).get()!.status;

    const row = () => listSharesForBorrower(borrower).find((s) => s.id === shareId)!;
    expect(row().openAdvisorReminders).toBe(2);
    expect(listSharesForBorrower(borrower).find((s) => s.advisorId === other.id)!.openAdvisorReminders).toBe(1);

    expect(revokeShare(borrower, shareId, new Date(), { closeReminders: true })).toBe(2);
    expect(theirs.map(statusOf)).toEqual(['dismissed', 'dismissed']);
    expect([done, own, others].map(statusOf)).toEqual(['done', 'open', 'open']);
    expect(row().openAdvisorReminders).toBe(0);
    // Revoked already (a second tab): nothing more changes.
    expect(revokeShare(borrower, shareId, new Date(), { closeReminders: true })).toBe(0);

    // Without being told, the reminders stay open.
    const pair = sharedPair();
    const kept = createReminder(pair.advisor, pair.caseId, { title: '留着', dueOn: '2030-01-01', dueTime: null, note: '' });
    expect(revokeShare(pair.borrower, pair.shareId)).toBe(0);
    expect(statusOf(kept)).toBe('open');
  });

  it('an invitation accepted after the page showed it waiting: its cancel is refused, naming the advisor; nothing changes', () => {
    const borrower = makeBorrower();
    const advisor = makeAdvisor({ displayName: '赵律师' });
    const invite = createInvite(borrower, '');
    acceptInvite(advisor, invite.code);
    const before = shareRow(invite.shareId);
    expect(thrown(() => revokeShare(borrower, invite.shareId, new Date(), { pending: true }))).toMatchObject({ code: 'share_accepted_meanwhile', detail: { values: { name: '赵律师' } } });
    expect(shareRow(invite.shareId)).toEqual(before);
    // Still waiting: cancelled as asked.
    const waiting = createInvite(borrower, '');
    revokeShare(borrower, waiting.shareId, new Date(), { pending: true });
    expect(shareRow(waiting.shareId).status).toBe('revoked');
  });

  it('sensitive consent goes to an advisor who has accepted, not to an invitation whoever accepts it gets', () => {
    const borrower = makeBorrower();
    const invite = createInvite(borrower, '李律师');
    expectDomain(() => setSensitiveConsent(borrower, invite.shareId, true), 'share_not_active');
    expect(shareRow(invite.shareId).sensitiveConsentAt).toBeNull();
    acceptInvite(makeAdvisor(), invite.code);
    setSensitiveConsent(borrower, invite.shareId, true);
    expect(shareRow(invite.shareId).sensitiveConsentAt).not.toBeNull();
  });

  it('a borrower revokes only their own shares', () => {
    const { shareId } = sharedPair();
    const stranger = makeBorrower();
    expect(() => revokeShare(stranger, shareId)).toThrow(NotFoundError);
    expect(() => setSensitiveConsent(stranger, shareId, true)).toThrow(NotFoundError);
    expect(() => revokeShare(makeAdvisor(), shareId)).toThrow(ForbiddenError);
    expect(shareRow(shareId)).toMatchObject({ status: 'active', sensitiveConsentAt: null });
  });
});

describe("an advisor is told who stopped sharing", () => {
  it(`names the client and the day for ${ENDED_SHARE_DAYS} days, to that advisor only, and not once they share again`, () => {
    const { borrower, advisor, shareId } = sharedPair();
    const other = makeAdvisor();
    const revokedAt = new Date('2026-11-20T10:00:00Z');
    expect(listEndedSharesForAdvisor(advisor, revokedAt)).toEqual([]);
    revokeShare(borrower, shareId, revokedAt);

    expect(listEndedSharesForAdvisor(advisor, new Date('2026-11-21T00:00:00Z'))).toEqual([{ shareId, name: '王借款', endedAt: revokedAt }]);
    // Another advisor, who never had the share, learns nothing.
    expect(listEndedSharesForAdvisor(other, new Date('2026-11-21T00:00:00Z'))).toEqual([]);
    // To the millisecond: shown until 30 days have passed, then not.
    expect(listEndedSharesForAdvisor(advisor, new Date(revokedAt.getTime() + ENDED_SHARE_DAYS * DAY - 1))).toHaveLength(1);
    expect(listEndedSharesForAdvisor(advisor, new Date(revokedAt.getTime() + ENDED_SHARE_DAYS * DAY))).toEqual([]);

    // Shared again: no longer "stopped". Revoked again later: one line, the latest day.
    const again = createInvite(borrower, '李律师');
    acceptInvite(advisor, again.code);
    expect(listEndedSharesForAdvisor(advisor, new Date('2026-11-22T00:00:00Z'))).toEqual([]);
    const later = new Date('2026-11-25T08:00:00Z');
    revokeShare(borrower, again.shareId, later);
    expect(listEndedSharesForAdvisor(advisor, new Date('2026-11-26T00:00:00Z'))).toEqual([{ shareId: again.shareId, name: '王借款', endedAt: later }]);
  });

  it('lists the latest first, leaves out an invitation cancelled before anyone accepted it, and is for advisors only', () => {
    const first = sharedPair();
    const second = sharedPair();
    const advisor = first.advisor;
    // The second borrower shares with the first advisor too.
    acceptInvite(advisor, createInvite(second.borrower, '李律师').code);
    const secondShare = listClientsForAdvisor(advisor).find((c) => c.borrowerId === second.borrower.id)!.shareId;
    revokeShare(first.borrower, first.shareId, new Date('2026-11-10T00:00:00Z'));
    revokeShare(second.borrower, secondShare, new Date('2026-11-12T00:00:00Z'));
    // An invitation addressed to nobody yet, cancelled: no advisor had it.
    const cancelled = createInvite(first.borrower, '没发出的邀请');
    revokeShare(first.borrower, cancelled.shareId, new Date('2026-11-13T00:00:00Z'));

    expect(listEndedSharesForAdvisor(advisor, new Date('2026-11-14T00:00:00Z')).map((e) => e.shareId)).toEqual([secondShare, first.shareId]);
    expect(() => listEndedSharesForAdvisor(first.borrower)).toThrow(ForbiddenError);
    expect(() => listEndedSharesForAdvisor(makeAdmin())).toThrow(ForbiddenError);
  });
});

describe('sensitive documents', () => {
  it('open for an advisor only while the borrower consents', async () => {
    const { borrower, advisor, caseId, shareId } = sharedPair();
    const medical = await docWithFile(borrower, caseId, 'medical_proof');
    const bank = await docWithFile(borrower, caseId, 'bank_statement');
    const income = await docWithFile(borrower, caseId, 'income_proof');

    expect(() => getDocumentFile(advisor, medical)).toThrow(ForbiddenError);
    expect(() => getDocumentFile(advisor, bank)).toThrow(ForbiddenError);
    expect(getDocumentFile(advisor, income).fileName).toBe('income_proof.png');
    // The owner always opens their own.
    expect(getDocumentFile(borrower, medical).fileName).toBe('medical_proof.png');

    setSensitiveConsent(borrower, shareId, true);
    expect(shareRow(shareId).sensitiveConsentAt).not.toBeNull();
    expect(getCaseDetail(advisor, caseId).access.sensitiveConsent).toBe(true);
    expect(getDocumentFile(advisor, medical).fileName).toBe('medical_proof.png');

    setSensitiveConsent(borrower, shareId, false);
    expect(shareRow(shareId).sensitiveConsentAt).toBeNull();
    expect(getCaseDetail(advisor, caseId).access.sensitiveConsent).toBe(false);
    expect(() => getDocumentFile(advisor, medical)).toThrow(ForbiddenError);

    // A document the borrower marks is sensitive too; only the borrower marks.
    expect(() => setDocumentSensitive(advisor, caseId, income, true)).toThrow(ForbiddenError);
    expect(getDocumentFile(advisor, income).fileName).toBe('income_proof.png');
    setDocumentSensitive(borrower, caseId, income, true);
    expect(() => getDocumentFile(advisor, income)).toThrow(ForbiddenError);
    expect(getCaseDetail(borrower, caseId).events.at(-1)).toMatchObject({ kind: 'document_sensitive', data: { kind: 'income_proof', sensitive: true } });
    setDocumentSensitive(borrower, caseId, income, false);
    expect(getDocumentFile(advisor, income).fileName).toBe('income_proof.png');
  });

  it("the case's story names no sensitive file for an advisor without consent: uploads and deletions alike", async () => {
    const { borrower, advisor, caseId, shareId } = sharedPair();
    await docWithFile(borrower, caseId, 'medical_proof');
    const marked = await docWithFile(borrower, caseId, 'payslip');
    setDocumentSensitive(borrower, caseId, marked, true);
    const gone = addDocument(borrower, caseId, { kind: 'bank_statement', note: '2026年流水' });
    deleteDocument(borrower, caseId, gone);
    const income = await docWithFile(borrower, caseId, 'income_proof');
    const named = (v: Viewer) =>
      getCaseDetail(v, caseId)
        .events.filter((e) => e.kind === 'document_uploaded' || e.kind === 'document_deleted')
        .map((e) => [e.data?.kind, e.data?.fileName ?? e.data?.note ?? null]);

    expect(named(borrower)).toEqual([
      ['medical_proof', 'medical_proof.png'],
      ['payslip', 'payslip.png'],
      ['bank_statement', '2026年流水'],
      ['income_proof', 'income_proof.png'],
    ]);
    expect(named(advisor)).toEqual([
      ['medical_proof', null],
      ['payslip', null],
      ['bank_statement', null],
      ['income_proof', 'income_proof.png'],
    ]);
    expect(getDocumentFile(advisor, income).fileName).toBe('income_proof.png');
    setSensitiveConsent(borrower, shareId, true);
    expect(named(advisor)).toEqual(named(borrower));
  });

  it('each consent given or withdrawn is in the borrower\'s access log, naming the advisor; given again, it keeps its first time', () => {
    const { borrower, shareId } = sharedPair();
    setSensitiveConsent(borrower, shareId, true);
    const given = shareRow(shareId).sensitiveConsentAt;
    setSensitiveConsent(borrower, shareId, true); // a second click
    expect(shareRow(shareId).sensitiveConsentAt).toEqual(given);
    setSensitiveConsent(borrower, shareId, false);
    setSensitiveConsent(borrower, shareId, false);
    expect(listAccessLog(borrower).map((l) => [l.action, l.advisorName, l.caseId])).toEqual([
      ['sensitive_consent_withdrawn', '李律师', null],
      ['sensitive_consent_given', '李律师', null],
    ]);
  });

  it('consent is per share: another advisor of the same borrower needs their own', async () => {
    const { borrower, advisor, caseId, shareId } = sharedPair();
    const second = makeAdvisor();
    acceptInvite(second, createInvite(borrower, '').code);
    const medical = await docWithFile(borrower, caseId, 'medical_proof');
    setSensitiveConsent(borrower, shareId, true);
    expect(getDocumentFile(advisor, medical).fileName).toBe('medical_proof.png');
    expect(() => getDocumentFile(second, medical)).toThrow(ForbiddenError);
  });
});

describe('what an advisor does on a client\'s case', () => {
  it('adds notes and reminders (the reminder is the client\'s), and changes no fact', () => {
    const { borrower, advisor, caseId } = sharedPair();
    addCaseNote(advisor, caseId, '建议先补充收入证明');
    const event = getCaseDetail(borrower, caseId).events.at(-1)!;
    expect(event).toMatchObject({ kind: 'note', actorId: advisor.id, actorName: '李律师', actorRole: 'advisor', data: { text: '建议先补充收入证明' } });

    createReminder(advisor, caseId, { title: '周一打客服电话', dueOn: '2030-01-07', dueTime: null, note: '' });
    createReminder(borrower, caseId, { title: '自己的提醒', dueOn: '2030-01-08', dueTime: null, note: '' });
    // The client sees who added it, in the inbox and on the case; their own and the rules' name nobody.
    const addedBy = (rows: { title: string | null; addedBy: string | null }[]) => rows.filter((r) => r.title).map((r) => [r.title, r.addedBy]);
    expect(addedBy(listOpenReminders(borrower))).toEqual([
      ['周一打客服电话', '李律师'],
      ['自己的提醒', null],
    ]);
    expect(addedBy(listCaseReminders(borrower, caseId))).toEqual(addedBy(listOpenReminders(borrower, { caseId })));
    addContact(borrower, caseId, contactInput({ occurredAt: new Date(), promise: '月底前回电', promiseDue: '2030-01-09' }));
    expect(listOpenReminders(borrower).filter((r) => r.ruleKey).map((r) => [r.kind, r.addedBy])).toEqual([['promise_chase', null]]);
    const before = snapshotCases([caseId]);
    expect(() => updateCase(advisor, caseId, versionOf(caseId), caseInput(borrower, { product: '改了' }))).toThrow(ForbiddenError);
    expect(snapshotCases([caseId])).toEqual(before);
  });
});

describe('the access log', () => {
  it('logs the first look after the borrower shared again, though the last was minutes before, under the share revoked', () => {
    const borrower = makeBorrower();
    const advisor = makeAdvisor();
    const caseId = makeCase(borrower);
    const first = createInvite(borrower, '');
    acceptInvite(advisor, first.code);
    getCaseDetail(advisor, caseId);
    getCaseDetail(advisor, caseId);
    expect(listAccessLog(borrower).map((l) => l.action)).toEqual(['view_case']);
    revokeShare(borrower, first.shareId);
    // The visit of a minute ago is before the new share began.
    getDb()
      .update(accessLog)
      .set({ createdAt: sql`${accessLog.createdAt} - 60000` })
      .where(eq(accessLog.borrowerId, borrower.id))
      .run();
    acceptInvite(advisor, createInvite(borrower, '').code);
    getCaseDetail(advisor, caseId);
    getCaseDetail(advisor, caseId);
    expect(listAccessLog(borrower).map((l) => l.action)).toEqual(['view_case', 'view_case']);
  });

  it('comes a page at a time, newest first, every entry once, those of one instant too; another borrower\'s entry starts nothing', () => {
    const advisor = makeAdvisor();
    const borrower = makeBorrower();
    acceptInvite(advisor, createInvite(borrower, '').code);
    for (let i = 0; i < 7; i++) logAdvisorAccess(getDb(), advisor.id, borrower.id, 'export', null, String(i));
    // Entries 2–4 at one instant, the others a minute apart.
    const ids = listAccessLog(borrower).map((l) => l.id).reverse();
    ids.forEach((id, i) => {
      const minute = i >= 2 && i <= 4 ? 2 : i;
      getDb().update(accessLog).set({ createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)) }).where(eq(accessLog.id, id)).run();
    });

    const pages: string[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = listAccessLog(borrower, { limit: 2, before });
      if (page.length === 0) break;
      pages.push(page.map((l) => l.detail ?? ''));
      before = page.at(-1)!.id;
    }
    expect(pages).toEqual([['6', '5'], ['4', '3'], ['2', '1'], ['0']]);

    const other = makeBorrower();
    acceptInvite(advisor, createInvite(other, '').code);
    logAdvisorAccess(getDb(), advisor.id, other.id, 'export', null, 'x');
    const theirs = listAccessLog(other)[0].id;
    expect(listAccessLog(borrower, { before: theirs })).toEqual([]);
    expect(listAccessLog(borrower).map((l) => l.detail)).toEqual(['6', '5', '4', '3', '2', '1', '0']);
  });

  it('is the borrower\'s own: each sees only what advisors did with their cases', async () => {
    const advisor = makeAdvisor({ displayName: '共同的顾问' });
    const a = makeBorrower();
    const b = makeBorrower();
    const caseA = makeCase(a);
    const caseB = makeCase(b);
    const shareA = createInvite(a, '');
    acceptInvite(advisor, shareA.code);
    acceptInvite(advisor, createInvite(b, '').code);
    const doc = await docWithFile(a, caseA, 'income_proof');

    getCaseDetail(advisor, caseA);
    getDocumentFile(advisor, doc);
    addCaseNote(advisor, caseA, '备注');
    createReminder(advisor, caseA, { title: '提醒标题', dueOn: '2030-01-01', dueTime: null, note: '' });
    getCaseDetail(advisor, caseB);
    // The borrower's own reads are not logged.
    getCaseDetail(a, caseA);
    getDocumentFile(a, doc);

    const logA = listAccessLog(a);
    expect(logA.map((r) => r.action).sort()).toEqual(['add_note', 'add_reminder', 'download_document', 'view_case']);
    expect(logA.every((r) => r.caseId === caseA && r.advisorName === '共同的顾问')).toBe(true);
    expect(logA.find((r) => r.action === 'download_document')?.detail).toBe('income_proof');
    expect(logA.find((r) => r.action === 'add_reminder')?.detail).toBe('提醒标题');
    expect(logA[0].lenderName).toBeTruthy();

    const logB = listAccessLog(b);
    expect(logB.map((r) => [r.action, r.caseId])).toEqual([['view_case', caseB]]);
    expect(listAccessLog(makeBorrower())).toEqual([]);

    // The log stays after the share ends.
    revokeShare(a, shareA.shareId);
    expect(listAccessLog(a)).toHaveLength(4);
  });

  it(`counts an advisor's reads of one case within ${VISIT_MINUTES} minutes as one visit`, () => {
    const advisor = makeAdvisor({ displayName: '顾问甲' });
    const other = makeAdvisor({ displayName: '顾问乙' });
    const a = makeBorrower();
    const first = makeCase(a);
    const second = makeCase(a);
    acceptInvite(advisor, createInvite(a, '').code);
    acceptInvite(other, createInvite(a, '').code);
    const visits = () => listAccessLog(a).map((r) => [r.action, r.caseId, r.advisorName]);
    /** Makes every line of the log, and the shares it was written under, older by `minutes`, as if that time had passed since. */
    const age = (minutes: number) => {
      getDb()
        .update(accessLog)
        .set({ createdAt: sql`${accessLog.createdAt} - ${minutes * 60_000}` })
        .where(eq(accessLog.borrowerId, a.id))
        .run();
      getDb()
        .update(shares)
        .set({ acceptedAt: sql`${shares.acceptedAt} - ${minutes * 60_000}` })
        .where(eq(shares.borrowerId, a.id))
        .run();
    };

    // A fold opened, the page reloaded: the same visit.
    getCaseDetail(advisor, first);
    getCaseDetail(advisor, first);
    expect(visits()).toEqual([['view_case', first, '顾问甲']]);
    // Another case, another advisor: visits of their own.
    getCaseDetail(advisor, second);
    getCaseDetail(other, first);
    expect(visits()).toHaveLength(3);

    age(VISIT_MINUTES - 1);
    getCaseDetail(advisor, first);
    expect(visits()).toHaveLength(3);
    age(2);
    getCaseDetail(advisor, first);
    expect(visits()).toHaveLength(4);
    expect(visits()[0]).toEqual(['view_case', first, '顾问甲']);

    // Reading the title (getCase, as the page's title and a prefetched link do) is no visit.
    age(VISIT_MINUTES + 1);
    getCase(advisor, second);
    expect(visits()).toHaveLength(4);
  });
});
