import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors';
import { CONFIRM_VALID_DAYS, emailChangeToken, emailConfirmationToken } from '@/lib/email-confirmation';
import { passwordResetToken, RESET_VALID_MINUTES } from '@/lib/password-reset';
import { makeBorrower, makeUser, TEST_PASSWORD, uniqueEmail } from '@/tests/factories';
import { startSmtpServer, transportTo, type TestSmtp } from '@/tests/mail-helpers';
import { getDb } from './client';
import { sessions, users } from './schema';
import type { Viewer } from './viewer-type';
import {
  cancelEmailChange,
  changeEmail,
  changePassword,
  createSession,
  createUser,
  emailConfirmed,
  hashPassword,
  normaliseEmail,
  pendingEmailChange,
  revokeOtherSessions,
  revokeSession,
  sendEmailConfirmation,
  systemConfirmEmail,
  systemCountSignUpAttempt,
  systemEmailConfirmationState,
  systemMailNewAccountConfirmation,
  systemPasswordResetAccount,
  systemPasswordResetEmail,
  systemPasswordResetLink,
  systemRequestPasswordReset,
  systemResetPassword,
  verifyCredentials,
  viewerForSession,
} from './users';

const PER_ACCOUNT = Number(process.env.LOGIN_LIMIT_PER_ACCOUNT ?? 5);
const PER_ADDRESS = Number(process.env.LOGIN_LIMIT_PER_ADDRESS ?? 30);
const SIGNUPS_PER_ADDRESS = Number(process.env.SIGNUP_LIMIT_PER_ADDRESS ?? 30);

let addressCounter = 0;
/** A client address no other test has used, so that tests never share an address's count. */
const freshAddress = () => `198.51.100.${++addressCounter}`;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
  throw new Error('expected the call to be refused');
}

const userRow = (id: number) => getDb().select().from(users).where(eq(users.id, id)).get()!;
const sessionRows = (userId: number) => getDb().select().from(sessions).where(eq(sessions.userId, userId)).all();

describe('createUser', () => {
  it('stores the address lower-cased and trimmed, with a hashed password', async () => {
    const local = uniqueEmail('Mixed.Case');
    const user = await createUser({ email: `  ${local.toUpperCase()} `, password: 'a long password', displayName: ' 小王 ', role: 'borrower' });
    expect(user).toMatchObject({ email: local.toLowerCase(), displayName: '小王', role: 'borrower', locale: 'zh-CN', disabled: false });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain('a long password');
  });

  it('forgets the failed sign-ins counted under the address before it had an account: the new account signs in at once', async () => {
    const email = uniqueEmail('tried-first');
    for (let i = 0; i < PER_ACCOUNT; i++) expect(await verifyCredentials(email, 'wrong', freshAddress())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await verifyCredentials(email, 'wrong', freshAddress())).toEqual({ ok: false, reason: 'rate_limited' });
    await createUser({ email, password: 'a sturdy first password', displayName: '周敏', role: 'borrower' });
    expect(await verifyCredentials(email, 'a sturdy first password', freshAddress())).toMatchObject({ ok: true });
  });

  it.each([
    ['the same address', (e: string) => e],
    ['upper case', (e: string) => e.toUpperCase()],
    ['mixed case with spaces', (e: string) => ` ${e[0].toUpperCase()}${e.slice(1)} `],
  ])('refuses a duplicate address in %s with email_taken', async (_label, variant) => {
    const email = uniqueEmail('dup');
    const first = await createUser({ email, password: 'first-password-1', displayName: 'First', role: 'borrower' });
    const code = await codeOf(createUser({ email: variant(email), password: 'second-password-2', displayName: 'Second', role: 'advisor' }));
    expect(code).toBe('email_taken');
    const rows = getDb().select().from(users).where(eq(users.email, email.toLowerCase())).all();
    expect(rows.map((r) => r.id)).toEqual([first.id]);
  });
});

describe('an address typed in full width (a Chinese IME in full-width mode)', () => {
  /** ASCII as a full-width IME types it: ａ＠ｘ.ｃｏｍ. */
  const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

  it('is the same address: it signs in without using up a try, signs up as ASCII, and is found for a reset link', async () => {
    expect(normaliseEmail(`\u3000${fullWidth('Wang@Example.CN')} `)).toBe('wang@example.cn');
    const user = makeBorrower();
    const typed = fullWidth(user.email);
    expect(typed).not.toBe(user.email);
    const address = freshAddress();
    expect(await verifyCredentials(typed, TEST_PASSWORD, address)).toMatchObject({ ok: true, user: { id: user.id } });
    expect(systemPasswordResetLink(typed)).toMatchObject({ email: user.email });
    const email = uniqueEmail('fullwidth');
    expect(await createUser({ email: fullWidth(email), password: 'a sturdy first password', displayName: '王', role: 'borrower' })).toMatchObject({ email });
    await expect(createUser({ email, password: 'a sturdy first password', displayName: '王', role: 'borrower' })).rejects.toMatchObject({ code: 'email_taken' });
  });
});

describe('sign-ups from one network address', () => {
  it(`are counted, made or not, and refused past ${SIGNUPS_PER_ADDRESS} an hour without counting more; another address is not held up`, async () => {
    const address = freshAddress();
    for (let i = 0; i < SIGNUPS_PER_ADDRESS; i++) expect(await systemCountSignUpAttempt(address)).toBe(true);
    expect(await systemCountSignUpAttempt(address)).toBe(false);
    expect(await systemCountSignUpAttempt(address)).toBe(false);
    const row = getDb().$client.prepare(`SELECT points FROM login_limits WHERE key = ?`).get(`signup:${address}`) as { points: number };
    expect(row.points).toBe(SIGNUPS_PER_ADDRESS);
    expect(await systemCountSignUpAttempt(freshAddress())).toBe(true);
  });
});

describe('a password too easy to guess', () => {
  it.each(['12345678', 'password', 'woaini1314', 'qq123456', '        '])('is refused at sign-up (%j), and no account is made', async (weak) => {
    const email = uniqueEmail('weak');
    await expect(createUser({ email, password: weak, displayName: '王芳', role: 'borrower' })).rejects.toMatchObject({ code: 'password_weak', detail: { field: 'password' } });
    expect(getDb().select().from(users).where(eq(users.email, email)).all()).toEqual([]);
  });

  it('is refused when it is the account\'s own email or name', async () => {
    const email = uniqueEmail('zhangxiuying');
    expect(await codeOf(createUser({ email, password: email, displayName: '张秀英', role: 'borrower' }))).toBe('password_weak');
    expect(await codeOf(createUser({ email, password: `${email.split('@')[0]}1`, displayName: '张秀英', role: 'borrower' }))).toBe('password_weak');
  });

  it('is refused as a new password in settings and through a reset link, and nothing changes', async () => {
    const user = makeBorrower();
    const elsewhere = createSession(user.id);
    const before = userRow(user.id);
    await expect(changePassword(user, TEST_PASSWORD, 'abcd1234')).rejects.toMatchObject({ code: 'password_weak', detail: { field: 'next' } });
    const token = passwordResetToken(before, new Date())!;
    await expect(systemResetPassword(token, '11111111')).rejects.toMatchObject({ code: 'password_weak', detail: { field: 'next' } });
    expect(userRow(user.id)).toEqual(before);
    expect(viewerForSession(elsewhere)).not.toBeNull();
    // The link still works for a password that is not weak.
    expect(await systemResetPassword(token, 'three unrelated words')).toBe(user.email);
  });
});

describe('verifyCredentials', () => {
  it('accepts the right password, whatever the case of the address', async () => {
    const user = makeBorrower();
    const result = await verifyCredentials(` ${user.email.toUpperCase()} `, TEST_PASSWORD, freshAddress());
    expect(result.ok).toBe(true);
    expect(result.ok && result.user.id).toBe(user.id);
  });

  it('says only "invalid" for a wrong password and for an unknown address, in the same shape', async () => {
    const user = makeBorrower();
    const wrongPassword = await verifyCredentials(user.email, 'not-the-password', freshAddress());
    const unknownEmail = await verifyCredentials(uniqueEmail('nobody'), TEST_PASSWORD, freshAddress());
    expect(wrongPassword).toMatchObject({ ok: false, reason: 'invalid' });
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it('says "disabled" for a disabled account only with the right password; a wrong one is "invalid" and counted', async () => {
    const user = makeBorrower({ disabled: true });
    expect(await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).toEqual({ ok: false, reason: 'disabled' });
    // A guesser learns nothing: the same answer as for any account with a wrong password.
    expect(await verifyCredentials(user.email, 'not-the-password', freshAddress())).toMatchObject({ ok: false, reason: 'invalid' });
    // The owner retrying with the right password is not counted towards the limit.
    for (let i = 0; i < PER_ACCOUNT + 1; i++) {
      expect(await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).toEqual({ ok: false, reason: 'disabled' });
    }
  });

  it(`blocks an account after ${PER_ACCOUNT} failures, even with the right password and from another address`, async () => {
    const user = makeBorrower();
    const bystander = makeBorrower();
    const attacker = freshAddress();
    for (let i = 0; i < PER_ACCOUNT; i++) {
      // Each wrong password says how many are left before the limit: 4, 3, 2, 1, 0.
      expect(await verifyCredentials(user.email, `guess-${i}`, attacker)).toEqual({ ok: false, reason: 'invalid', triesLeft: PER_ACCOUNT - 1 - i });
    }
    expect(await verifyCredentials(user.email, TEST_PASSWORD, attacker)).toEqual({ ok: false, reason: 'rate_limited' });
    expect(await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).toEqual({ ok: false, reason: 'rate_limited' });
    expect(await verifyCredentials(user.email.toUpperCase(), TEST_PASSWORD, freshAddress())).toEqual({ ok: false, reason: 'rate_limited' });
    // Another account is not affected, even from the attacker's address.
    expect((await verifyCredentials(bystander.email, TEST_PASSWORD, attacker)).ok).toBe(true);
  });

  it(`one failure short of ${PER_ACCOUNT} still lets the right password in`, async () => {
    const user = makeBorrower();
    const address = freshAddress();
    for (let i = 0; i < PER_ACCOUNT - 1; i++) await verifyCredentials(user.email, `guess-${i}`, address);
    expect((await verifyCredentials(user.email, TEST_PASSWORD, address)).ok).toBe(true);
  });

  it("a success clears the account's count", async () => {
    const user = makeBorrower();
    const address = freshAddress();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < PER_ACCOUNT - 1; i++) {
        expect(await verifyCredentials(user.email, `guess-${round}-${i}`, address)).toMatchObject({ ok: false, reason: 'invalid' });
      }
      expect((await verifyCredentials(user.email, TEST_PASSWORD, address)).ok).toBe(true);
    }
  });

  it(`blocks an address after ${PER_ADDRESS} failures across many accounts`, async () => {
    const user = makeBorrower();
    const sprayer = freshAddress();
    // Fewer failures per account than the account limit, so only the address count can block.
    const perAccount = Math.max(1, PER_ACCOUNT - 2);
    for (let i = 0; i < PER_ADDRESS; i++) {
      const target = `spray-${Math.floor(i / perAccount)}-${sprayer}@example.test`;
      // The address's count when it is the nearer limit; an address with no account is counted as one with.
      const result = await verifyCredentials(target, 'wrong', sprayer);
      expect(result).toMatchObject({ ok: false, reason: 'invalid' });
      if (!result.ok && result.reason === 'invalid') expect(result.triesLeft).toBe(Math.min(PER_ADDRESS - 1 - i, PER_ACCOUNT - 1 - (i % perAccount)));
    }
    expect(await verifyCredentials(user.email, TEST_PASSWORD, sprayer)).toEqual({ ok: false, reason: 'rate_limited' });
    // The same account from another address is fine: the address was blocked, not the account.
    expect((await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).ok).toBe(true);
  }, 60_000);
});

describe('sessions', () => {
  it('a live session gives its viewer; a revoked one or a disabled account gives null', () => {
    const user = makeUser({ role: 'advisor', locale: 'en' });
    expect(viewerForSession(user.sessionId)).toEqual(user);
    const second = createSession(user.id);
    expect(viewerForSession(second)).toEqual({ ...user, sessionId: second });
    revokeSession(second);
    expect(viewerForSession(second)).toBeNull();
    expect(viewerForSession(user.sessionId)).toEqual(user);
    expect(viewerForSession('no-such-session')).toBeNull();

    getDb().update(users).set({ disabled: true }).where(eq(users.id, user.id)).run();
    expect(viewerForSession(user.sessionId)).toBeNull();
  });

  it("revokeOtherSessions keeps the current session and ends the viewer's others only", () => {
    const user = makeBorrower();
    const other = makeBorrower();
    const phone = createSession(user.id);
    const laptop = createSession(user.id);
    expect(revokeOtherSessions(user)).toBe(2);
    expect(viewerForSession(user.sessionId)).toEqual(user);
    expect(viewerForSession(phone)).toBeNull();
    expect(viewerForSession(laptop)).toBeNull();
    expect(viewerForSession(other.sessionId)).toEqual(other);
    expect(revokeOtherSessions(user)).toBe(0);
  });
});

describe('changePassword', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const user = makeBorrower();
    const elsewhere = createSession(user.id);
    const before = userRow(user.id);
    const sessionsBefore = sessionRows(user.id);
    expect(await codeOf(changePassword(user, 'not-my-password', 'a brand new password'))).toBe('wrong_password');
    await expect(changePassword(user, 'not-my-password-2', 'a brand new password')).rejects.toMatchObject({ code: 'wrong_password', detail: { field: 'current' } });
    expect(userRow(user.id)).toEqual(before);
    expect(sessionRows(user.id)).toEqual(sessionsBefore);
    expect(viewerForSession(elsewhere)).not.toBeNull();
  });

  it('limits wrong passwords per account: past the limit even the right one is refused, and nothing changes', async () => {
    const user = makeBorrower();
    const before = userRow(user.id);
    for (let i = 0; i < 5; i++) {
      expect(await codeOf(changePassword(user, `guess-${i}`, 'a brand new password'))).toBe('wrong_password');
    }
    expect(await codeOf(changePassword(user, TEST_PASSWORD, 'a brand new password'))).toBe('password_rate_limited');
    expect(userRow(user.id)).toEqual(before);
    // A count of its own: the owner can still sign in.
    expect(await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).toMatchObject({ ok: true });
  });

  it('on success ends the other sessions, keeps this one, and the new password is the one that works', async () => {
    const user = makeBorrower();
    const elsewhere = createSession(user.id);
    await changePassword(user, TEST_PASSWORD, 'a brand new password');
    expect(viewerForSession(user.sessionId)).toEqual(user);
    expect(viewerForSession(elsewhere)).toBeNull();
    const address = freshAddress();
    expect((await verifyCredentials(user.email, 'a brand new password', address)).ok).toBe(true);
    expect(await verifyCredentials(user.email, TEST_PASSWORD, address)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('two changes at once from the same password: one is made, the other refused, not written over it', async () => {
    const user = makeBorrower();
    // Both read the account before either writes: each checks the password while the other hashes.
    // Which one writes first is the hashing threads' race; the other is refused.
    const passwords = ['the first new password', 'the second new password'];
    const results = await Promise.allSettled(passwords.map((p) => changePassword(user, TEST_PASSWORD, p)));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const made = results.findIndex((r) => r.status === 'fulfilled');
    expect((results[1 - made] as PromiseRejectedResult).reason).toMatchObject({ code: 'password_changed_meanwhile' });
    const address = freshAddress();
    expect((await verifyCredentials(user.email, passwords[made]!, address)).ok).toBe(true);
    expect(await verifyCredentials(user.email, passwords[1 - made]!, address)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('changeEmail', () => {
  const APP_URL = 'https://respite.example';
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  const mail = (now?: Date) => ({ transport: transportTo(smtp.port), appUrl: APP_URL, wait: true, ...(now ? { now } : {}) });
  const linkIn = (text: string) => decodeURIComponent(/https:\/\/respite\.example\/confirm-email\?t=(\S+)/.exec(text)?.[1] ?? '');
  /** The link in the one mail that reached `email`. */
  const onlyLinkTo = (email: string) => {
    const mails = mailsTo(email);
    expect(mails).toHaveLength(1);
    return linkIn(mails[0]!.text);
  };

  it('without mail, moves the sign-in to the new address (typed in any case) at once, keeps every session, and sends nothing', async () => {
    const user = makeBorrower();
    const elsewhere = createSession(user.id);
    const moved = uniqueEmail('moved');
    expect(await changeEmail(user, { password: TEST_PASSWORD, email: `  ${moved.toUpperCase()} ` })).toEqual({ email: moved, pending: false });
    expect(userRow(user.id)).toMatchObject({ email: moved, pendingEmail: null, emailConfirmedAt: null });
    expect(viewerForSession(user.sessionId)).toMatchObject({ id: user.id, email: moved });
    expect(viewerForSession(elsewhere)).toMatchObject({ email: moved });
    const address = freshAddress();
    expect((await verifyCredentials(moved, TEST_PASSWORD, address)).ok).toBe(true);
    expect(await verifyCredentials(user.email, TEST_PASSWORD, address)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('a mistyped new address takes nothing: it waits for its link, and signing in, reminder mail and reset links stay with the old address', async () => {
    const user = makeUser({ role: 'borrower', locale: 'en' });
    const resetBefore = passwordResetToken(userRow(user.id), new Date())!;
    // zhangwei@… typed for zhangwei1@…: the typo is somebody else's mailbox.
    const typo = uniqueEmail('zhangwei');
    expect(await changeEmail(user, { password: TEST_PASSWORD, email: typo.toUpperCase() }, mail())).toEqual({ email: typo, pending: true });
    expect(userRow(user.id)).toMatchObject({ email: user.email, pendingEmail: typo });
    expect(userRow(user.id).emailConfirmedAt).not.toBeNull();
    expect(emailConfirmed(user)).toBe(true);
    expect(pendingEmailChange(user)).toBe(typo);

    // The typo's owner gets the link, and nothing that says whose account it is.
    const [toTypo] = mailsTo(typo);
    expect(toTypo.subject).toBe('[Respite] Confirm your new sign-in email');
    expect(toTypo.text).toContain('only then does the change happen');
    expect(toTypo.text).not.toContain(user.email);
    expect(toTypo.headers['auto-submitted']).toBe('auto-generated');
    expect(mailsTo(user.email)).toHaveLength(0);

    // The typo's owner cannot sign in with it, nor ask a reset link for it.
    expect(systemPasswordResetLink(typo)).toBeNull();
    const offered = smtp.offered;
    expect(await systemRequestPasswordReset(typo, freshAddress(), mail())).toBe('ok');
    expect(smtp.offered).toBe(offered);
    expect(await verifyCredentials(typo, TEST_PASSWORD, freshAddress())).toMatchObject({ ok: false, reason: 'invalid' });

    // The owner still signs in with the old address, and gets reset links there; the earlier one still works.
    expect(await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).toMatchObject({ ok: true });
    expect(systemPasswordResetLink(user.email)).toMatchObject({ email: user.email });
    expect(systemPasswordResetEmail(resetBefore)).toBe(user.email);
    expect(await systemRequestPasswordReset(user.email, freshAddress(), mail())).toBe('ok');
    expect(mailsTo(user.email).map((m) => m.subject)).toEqual(['[Respite] Set a new password']);
    // Setting a new password keeps the old address, and ends the change waiting: its link confirms nothing now.
    const changeLink = linkIn(toTypo.text);
    await systemResetPassword(resetBefore, 'a brand new password');
    expect(userRow(user.id)).toMatchObject({ email: user.email, pendingEmail: null });
    expect(systemEmailConfirmationState(changeLink)).toBeNull();
    await expect(systemConfirmEmail(changeLink)).rejects.toMatchObject({ code: 'confirm_link_invalid' });
  });

  // Someone who knew the password asks to move the sign-in to their own address; the owner takes the
  // account back with a new password (the reset page promises every device is signed out). The link
  // already in the other person's mailbox must not hand them the account a week later.
  it.each([
    ['a reset link mailed to the owner', async (user: Viewer) => {
      await systemResetPassword(passwordResetToken(userRow(user.id), new Date())!, 'taken back with this one');
    }],
    ['a reset link the administrator handed over', async (user: Viewer) => {
      const url = systemPasswordResetLink(user.email, new Date(), APP_URL)!.url;
      await systemResetPassword(decodeURIComponent(url.split('?t=')[1]!), 'taken back with this one');
    }],
    ['the password changed in settings', async (user: Viewer) => {
      await changePassword(user, TEST_PASSWORD, 'taken back with this one');
    }],
  ])('a change asked by whoever knew the password ends with %s: its link no longer moves the sign-in', async (_, takeBack) => {
    const user = makeUser({ role: 'borrower', locale: 'en' });
    const intruder = uniqueEmail('intruder');
    await changeEmail(user, { password: TEST_PASSWORD, email: intruder }, mail());
    const link = onlyLinkTo(intruder);
    expect(pendingEmailChange(user)).toBe(intruder);

    await takeBack(user);
    expect(pendingEmailChange(user)).toBeNull();
    expect(systemEmailConfirmationState(link)).toBeNull();
    const later = new Date(Date.now() + 3 * 24 * 3_600_000);
    await expect(systemConfirmEmail(link, later, mail())).rejects.toMatchObject({ code: 'confirm_link_invalid' });
    expect(userRow(user.id)).toMatchObject({ email: user.email, pendingEmail: null });
    expect(await verifyCredentials(intruder, 'taken back with this one', freshAddress())).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await verifyCredentials(user.email, 'taken back with this one', freshAddress())).toMatchObject({ ok: true });
    // Nobody's address changed, so nobody is told of a change.
    expect(mailsTo(user.email)).toHaveLength(0);
  });

  it('a change asked with the old password while a new one was being set is refused, and mails nothing', async () => {
    const user = makeUser({ role: 'borrower', locale: 'en' });
    const intruder = uniqueEmail('intruder');
    const newHash = await hashPassword('taken back with this one');
    // The change reads the account at once, then checks the password off the thread: what a reset
    // writes (db/users.ts systemResetPassword) lands meanwhile.
    const asking = changeEmail(user, { password: TEST_PASSWORD, email: intruder }, mail());
    getDb().update(users).set({ passwordHash: newHash, pendingEmail: null }).where(eq(users.id, user.id)).run();
    expect(await codeOf(asking)).toBe('password_changed_meanwhile');
    expect(userRow(user.id)).toMatchObject({ email: user.email, pendingEmail: null });
    expect(mailsTo(intruder)).toHaveLength(0);
  });

  it('opening the link mailed to the new address switches: signed in with it, confirmed, the old address told and its reset links ended, sessions kept', async () => {
    const user = makeUser({ role: 'borrower', locale: 'en' });
    const elsewhere = createSession(user.id);
    const resetBefore = passwordResetToken(userRow(user.id), new Date())!;
    const moved = uniqueEmail('moved');
    await changeEmail(user, { password: TEST_PASSWORD, email: moved }, mail());
    const link = onlyLinkTo(moved);
    expect(systemEmailConfirmationState(link)).toEqual({ email: moved, confirmed: false, change: true });

    const at = new Date('2026-12-01T02:30:00Z');
    expect(await systemConfirmEmail(link, at, mail())).toBe(moved);
    expect(userRow(user.id)).toMatchObject({ email: moved, pendingEmail: null, emailConfirmedAt: at });
    expect(viewerForSession(user.sessionId)).toMatchObject({ id: user.id, email: moved });
    expect(viewerForSession(elsewhere)).toMatchObject({ email: moved });
    const address = freshAddress();
    expect(await verifyCredentials(moved, TEST_PASSWORD, address)).toMatchObject({ ok: true });
    expect(await verifyCredentials(user.email, TEST_PASSWORD, address)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(systemPasswordResetLink(user.email)).toBeNull();
    expect(systemPasswordResetEmail(resetBefore)).toBeNull();
    expect(await codeOf(systemResetPassword(resetBefore, 'a brand new password'))).toBe('reset_link_invalid');
    expect(systemPasswordResetEmail(passwordResetToken(userRow(user.id), new Date())!)).toBe(moved);

    // The old address is told, once the change is made.
    const [toOld] = mailsTo(user.email);
    expect(toOld.subject).toBe('[Respite] Your sign-in email has changed');
    // One "at", a 24-hour clock, and whose time it is: the notice may be read abroad.
    expect(toOld.text).toContain(`changed from ${user.email} to ${moved} on Dec 1, 2026, 10:30 (China time).`);
    expect(toOld.text).toContain('If you did not change it, contact this site’s administrator at once');

    // Opened again: the address is confirmed, and a press changes nothing.
    expect(systemEmailConfirmationState(link)).toEqual({ email: moved, confirmed: true, change: true });
    expect(await systemConfirmEmail(link, new Date(at.getTime() + 60_000), mail())).toBe(moved);
    expect(userRow(user.id).emailConfirmedAt).toEqual(at);
    expect(mailsTo(user.email)).toHaveLength(1);
  });

  it('ends the calendar feed with the reset where asked, and only then', async () => {
    const keeps = makeBorrower();
    const ends = makeBorrower();
    for (const user of [keeps, ends]) getDb().update(users).set({ calendarToken: `feed-${user.id}-${'x'.repeat(30)}` }).where(eq(users.id, user.id)).run();
    const token = (user: { id: number }) => passwordResetToken(userRow(user.id), new Date())!;
    expect(systemPasswordResetAccount(token(keeps))).toEqual({ email: keeps.email, calendarFeed: true });
    await systemResetPassword(token(keeps), 'my new password 7');
    expect(userRow(keeps.id).calendarToken).toBe(`feed-${keeps.id}-${'x'.repeat(30)}`);
    await systemResetPassword(token(ends), 'my new password 8', new Date(), { endCalendarFeed: true });
    expect(userRow(ends.id).calendarToken).toBeNull();
    expect(systemPasswordResetAccount(token(ends))).toEqual({ email: ends.email, calendarFeed: false });
  });

  it('in Chinese for a Chinese account', async () => {
    const user = makeBorrower();
    const moved = uniqueEmail('moved');
    await changeEmail(user, { password: TEST_PASSWORD, email: moved }, mail());
    const [toNew] = mailsTo(moved);
    expect(toNew.subject).toBe('【协商记】确认新的登录邮箱');
    expect(toNew.text).toContain('确认之后才会改过来');
    await systemConfirmEmail(linkIn(toNew.text), new Date('2026-12-01T02:30:00Z'), mail());
    const [toOld] = mailsTo(user.email);
    expect(toOld.subject).toBe('【协商记】登录邮箱已更改');
    expect(toOld.text).toContain(`从 ${user.email} 改为 ${moved}`);
    expect(toOld.text).toContain('2026年12月1日 10:30（北京时间）');
  });

  it('a second change replaces the pending one: the first link stops working and changes nothing', async () => {
    const user = makeBorrower();
    const [typo, meant] = [uniqueEmail('typo'), uniqueEmail('meant')];
    await changeEmail(user, { password: TEST_PASSWORD, email: typo }, mail());
    const first = onlyLinkTo(typo);
    await changeEmail(user, { password: TEST_PASSWORD, email: meant }, mail());
    expect(userRow(user.id)).toMatchObject({ email: user.email, pendingEmail: meant });
    const before = userRow(user.id);
    expect(systemEmailConfirmationState(first)).toBeNull();
    expect(await codeOf(systemConfirmEmail(first, new Date(), mail()))).toBe('confirm_link_invalid');
    expect(userRow(user.id)).toEqual(before);
    expect(mailsTo(user.email)).toHaveLength(0);
    expect(await systemConfirmEmail(onlyLinkTo(meant), new Date(), mail())).toBe(meant);
    expect(userRow(user.id)).toMatchObject({ email: meant, pendingEmail: null });
  });

  it('a change cancelled: its link stops working, and the account stays as it was', async () => {
    const user = makeBorrower();
    const moved = uniqueEmail('moved');
    await changeEmail(user, { password: TEST_PASSWORD, email: moved }, mail());
    const link = onlyLinkTo(moved);
    expect(cancelEmailChange(user)).toBe(true);
    expect(cancelEmailChange(user)).toBe(false);
    expect(pendingEmailChange(user)).toBeNull();
    expect(systemEmailConfirmationState(link)).toBeNull();
    expect(await codeOf(systemConfirmEmail(link, new Date(), mail()))).toBe('confirm_link_invalid');
    expect(userRow(user.id)).toMatchObject({ email: user.email, pendingEmail: null });
  });

  it('the link mailed again goes to the new address while the change waits, and works', async () => {
    const user = makeBorrower();
    const moved = uniqueEmail('moved');
    await changeEmail(user, { password: TEST_PASSWORD, email: moved }, mail());
    // The sign-in email is confirmed, but a change waits: the link is mailed to the new address.
    expect(await sendEmailConfirmation(user, mail())).toBe(moved);
    expect(mailsTo(user.email)).toHaveLength(0);
    const again = mailsTo(moved);
    expect(again).toHaveLength(2);
    expect(again[1]!.subject).toBe('【协商记】确认新的登录邮箱');
    expect(await systemConfirmEmail(linkIn(again[1]!.text), new Date(), mail())).toBe(moved);
    expect(await codeOf(sendEmailConfirmation(user, mail()))).toBe('email_already_confirmed');
  });

  it('an address taken by a sign-up while the change waited: opening its link is refused, and nothing changes', async () => {
    const user = makeBorrower();
    const moved = uniqueEmail('moved');
    await changeEmail(user, { password: TEST_PASSWORD, email: moved }, mail());
    const link = onlyLinkTo(moved);
    const other = await createUser({ email: moved.toUpperCase(), password: 'the other person 1', displayName: '别人', role: 'borrower' });
    const before = userRow(user.id);
    await expect(systemConfirmEmail(link, new Date(), mail())).rejects.toMatchObject({ code: 'email_change_taken', detail: { values: { email: moved } } });
    expect(userRow(user.id)).toEqual(before);
    expect(userRow(other.id).email).toBe(moved);
    expect(mailsTo(user.email)).toHaveLength(0);
    // Settings still shows it, to cancel.
    expect(pendingEmailChange(user)).toBe(moved);
  });

  it('refuses a wrong password, the same address, another account\'s address, and past the limit the right password: nothing changes, nothing is mailed', async () => {
    const user = makeBorrower();
    const other = makeBorrower();
    const before = userRow(user.id);
    const offered = smtp.offered;
    const attempt = (password: string, email: string) => changeEmail(user, { password, email }, { transport: transportTo(smtp.port), wait: true });
    await expect(attempt('not-my-password', uniqueEmail('moved'))).rejects.toMatchObject({ code: 'wrong_password', detail: { field: 'password' } });
    await expect(attempt(TEST_PASSWORD, ` ${user.email.toUpperCase()}`)).rejects.toMatchObject({ code: 'email_unchanged', detail: { field: 'email' } });
    // Only with the right password does anyone learn that an address is taken.
    await expect(attempt(TEST_PASSWORD, other.email)).rejects.toMatchObject({ code: 'email_taken', detail: { field: 'email' } });
    for (let i = 0; i < PER_ACCOUNT - 1; i++) expect(await codeOf(attempt(`guess-${i}`, uniqueEmail('moved')))).toBe('wrong_password');
    expect(await codeOf(attempt(TEST_PASSWORD, uniqueEmail('moved')))).toBe('password_rate_limited');
    expect(userRow(user.id)).toEqual(before);
    expect(userRow(other.id).email).toBe(other.email);
    expect(smtp.offered).toBe(offered);
  });

  it('two changes at once (two tabs): one lands, the other is refused and changes nothing', async () => {
    const user = makeBorrower();
    const [a, b] = [uniqueEmail('tab-a'), uniqueEmail('tab-b')];
    const results = await Promise.allSettled([
      changeEmail(user, { password: TEST_PASSWORD, email: a }),
      changeEmail(user, { password: TEST_PASSWORD, email: b }),
    ]);
    // Whichever password check ends first lands (argon2 runs off the main thread).
    const landed = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results[1 - landed] as PromiseRejectedResult).reason).toMatchObject({ code: 'email_changed_meanwhile' });
    expect(userRow(user.id).email).toBe([a, b][landed]);
  });

  it('two changes at once waiting for their links: one is kept, the other is refused and mails nothing', async () => {
    const user = makeBorrower();
    const [a, b] = [uniqueEmail('tab-a'), uniqueEmail('tab-b')];
    const results = await Promise.allSettled([a, b].map((email) => changeEmail(user, { password: TEST_PASSWORD, email }, mail())));
    const kept = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results[1 - kept] as PromiseRejectedResult).reason).toMatchObject({ code: 'email_changed_meanwhile' });
    expect(userRow(user.id)).toMatchObject({ email: user.email, pendingEmail: [a, b][kept] });
    expect(mailsTo([a, b][1 - kept]!)).toHaveLength(0);
  });

  it('is limited to five changes a day per account (each mails an address nobody confirmed); past it nothing changes', async () => {
    const user = makeBorrower();
    for (let i = 0; i < 5; i++) await changeEmail(user, { password: TEST_PASSWORD, email: uniqueEmail(`hop-${i}`) });
    const before = userRow(user.id);
    await expect(changeEmail(user, { password: TEST_PASSWORD, email: uniqueEmail('hop-6') })).rejects.toMatchObject({ code: 'email_change_rate_limited' });
    expect(userRow(user.id)).toEqual(before);
    // The count is the account's: another account's change goes through.
    expect(await changeEmail(makeBorrower(), { password: TEST_PASSWORD, email: uniqueEmail('other') })).toMatchObject({ pending: false });
  });

  it.each([
    ['at once (no mail)', false],
    ['once its link is opened', true],
  ])('forgets the counts kept under the old address when the change is made %s, and not before', async (_label, mailed) => {
    const user = makeBorrower();
    for (let i = 0; i < PER_ACCOUNT; i++) await verifyCredentials(user.email, `guess-${i}`, freshAddress());
    expect(await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).toEqual({ ok: false, reason: 'rate_limited' });
    const keys = () => getDb().$client.prepare(`SELECT key FROM login_limits WHERE key = ?`).all(`acct:${user.email}`);
    const moved = uniqueEmail('moved');
    await changeEmail(user, { password: TEST_PASSWORD, email: moved }, mailed ? mail() : {});
    if (mailed) {
      // Still the account's address: still its count.
      expect(keys()).toHaveLength(1);
      await systemConfirmEmail(onlyLinkTo(moved), new Date(), mail());
    }
    expect(keys()).toHaveLength(0);
  });
});

describe('a forgotten password', () => {
  const APP_URL = 'https://respite.example';
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  const ask = (email: string, address = freshAddress(), now = new Date()) =>
    systemRequestPasswordReset(email, address, { transport: transportTo(smtp.port), appUrl: APP_URL, now, wait: true });
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  const linkIn = (text: string) => /https:\/\/respite\.example\/reset-password\?t=(\S+)/.exec(text)?.[1];

  it('mails the account\'s own address a link, in its language, that sets a new password once and signs every device out', async () => {
    const user = makeUser({ role: 'borrower', locale: 'en' });
    const session = createSession(user.id);
    expect(await ask(`  ${user.email.toUpperCase()} `)).toBe('ok');
    const [mail] = mailsTo(user.email);
    expect(mail.subject).toBe('[Respite] Set a new password');
    expect(mail.text).toContain(`It works for ${RESET_VALID_MINUTES} minutes, and once`);
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    const token = decodeURIComponent(linkIn(mail.text)!);
    expect(mail.html).toContain(`reset-password?t=${encodeURIComponent(token)}`);
    expect(systemPasswordResetEmail(token)).toBe(user.email);

    expect(await systemResetPassword(token, 'my new password 1')).toBe(user.email);
    expect(viewerForSession(session)).toBeNull();
    const address = freshAddress();
    expect((await verifyCredentials(user.email, 'my new password 1', address)).ok).toBe(true);
    expect(await verifyCredentials(user.email, TEST_PASSWORD, address)).toMatchObject({ ok: false, reason: 'invalid' });
    // Once: the new password ended the link.
    const before = userRow(user.id);
    expect(systemPasswordResetEmail(token)).toBeNull();
    expect(await codeOf(systemResetPassword(token, 'yet another password'))).toBe('reset_link_invalid');
    expect(userRow(user.id)).toEqual(before);
  });

  it('in Chinese for a Chinese account', async () => {
    const user = makeBorrower();
    await ask(user.email);
    const [mail] = mailsTo(user.email);
    expect(mail.subject).toBe('【协商记】重设密码');
    expect(mail.text).toContain('链接 60 分钟内有效，只能用一次');
  });

  it('answers the same for an address with no account, and a disabled account, and mails neither', async () => {
    const disabled = makeBorrower();
    getDb().update(users).set({ disabled: true }).where(eq(users.id, disabled.id)).run();
    const offered = smtp.offered;
    expect(await ask(uniqueEmail('nobody'))).toBe('ok');
    expect(await ask(disabled.email)).toBe('ok');
    expect(smtp.offered).toBe(offered);
    expect(systemPasswordResetLink(disabled.email)).toBeNull();
  });

  it('is limited per address asked about and per network address, alike for every address', async () => {
    const user = makeBorrower();
    const nobody = uniqueEmail('nobody');
    for (let i = 0; i < 3; i++) {
      expect(await ask(user.email)).toBe('ok');
      expect(await ask(nobody)).toBe('ok');
    }
    expect(await ask(user.email)).toBe('rate_limited');
    expect(await ask(nobody)).toBe('rate_limited');
    expect(mailsTo(user.email)).toHaveLength(3);
    const address = freshAddress();
    for (let i = 0; i < 20; i++) expect(await ask(uniqueEmail('many'), address)).toBe('ok');
    expect(await ask(makeBorrower().email, address)).toBe('rate_limited');
  });

  it('says where this server sends no mail, and sends nothing', async () => {
    expect(await systemRequestPasswordReset(makeBorrower().email, freshAddress())).toBe('no_mail');
  });

  it('refuses a link that ended, was altered, is another account\'s, or whose account was disabled since, and changes nothing', async () => {
    const user = makeBorrower();
    const other = makeBorrower();
    const row = userRow(user.id);
    const now = new Date();
    const late = new Date(now.getTime() - (RESET_VALID_MINUTES + 1) * 60_000);
    const good = passwordResetToken(row, now)!;
    const refused = [
      passwordResetToken(row, late)!,
      good.replace(/^\d+/, String(other.id)),
      `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`,
      'not a token',
    ];
    const before = [userRow(user.id), userRow(other.id)];
    for (const token of refused) {
      expect(systemPasswordResetEmail(token), token).toBeNull();
      expect(await codeOf(systemResetPassword(token, 'a brand new password')), token).toBe('reset_link_invalid');
    }
    getDb().update(users).set({ disabled: true }).where(eq(users.id, user.id)).run();
    expect(await codeOf(systemResetPassword(good, 'a brand new password'))).toBe('reset_link_invalid');
    expect([userRow(user.id).passwordHash, userRow(other.id)]).toEqual([before[0].passwordHash, before[1]]);
  });

  it('forgets the failed sign-ins counted against the account: its owner signs in at once', async () => {
    const user = makeBorrower();
    for (let i = 0; i < PER_ACCOUNT; i++) await verifyCredentials(user.email, `guess-${i}`, freshAddress());
    expect(await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).toEqual({ ok: false, reason: 'rate_limited' });
    await systemResetPassword(passwordResetToken(userRow(user.id), new Date())!, 'my new password 2');
    expect((await verifyCredentials(user.email, 'my new password 2', freshAddress())).ok).toBe(true);
  });

  it('makes a link for the command line (npm run reset-link) at the server\'s address', async () => {
    const user = makeBorrower();
    const link = systemPasswordResetLink(user.email, new Date(), APP_URL)!;
    expect(link).toMatchObject({ email: user.email, locale: 'zh-CN' });
    const token = decodeURIComponent(linkIn(link.url)!);
    expect(systemPasswordResetEmail(token)).toBe(user.email);
    expect(systemPasswordResetAccount(token)).toEqual({ email: user.email, calendarFeed: false });
    // The page takes it as it takes a mailed one: the password is set, every device signed out, once.
    const session = createSession(user.id);
    expect(await systemResetPassword(token, 'my new password 4')).toBe(user.email);
    expect(viewerForSession(session)).toBeNull();
    expect((await verifyCredentials(user.email, 'my new password 4', freshAddress())).ok).toBe(true);
    expect(await codeOf(systemResetPassword(token, 'yet another password'))).toBe('reset_link_invalid');
  });
});

describe('the email confirmed', () => {
  const APP_URL = 'https://respite.example';
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  const mail = () => ({ transport: transportTo(smtp.port), appUrl: APP_URL, wait: true });
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  const linkIn = (text: string) => decodeURIComponent(/https:\/\/respite\.example\/confirm-email\?t=(\S+)/.exec(text)?.[1] ?? '');

  it('a new account is not confirmed; the mail after sign-up carries the link that confirms it, once pressed, in its language', async () => {
    const email = uniqueEmail('new');
    const user = await createUser({ email, password: 'a sturdy first password', displayName: 'Wang', role: 'borrower', locale: 'en' });
    expect(user.emailConfirmedAt).toBeNull();
    await systemMailNewAccountConfirmation(user.id, mail());
    const [sent] = mailsTo(email);
    expect(sent.subject).toBe('[Respite] Please confirm your email');
    expect(sent.text).toContain(`You signed up to Respite with ${email}.`);
    expect(sent.text).toContain(`works for ${CONFIRM_VALID_DAYS} days`);
    expect(sent.headers['auto-submitted']).toBe('auto-generated');
    const token = linkIn(sent.text);
    expect(sent.html).toContain(`confirm-email?t=${encodeURIComponent(token)}`);
    // Opening the link shows the address; only the press confirms it.
    expect(systemEmailConfirmationState(token)).toEqual({ email, confirmed: false, change: false });
    expect(userRow(user.id).emailConfirmedAt).toBeNull();
    const at = new Date();
    expect(await systemConfirmEmail(token, at)).toBe(email);
    expect(userRow(user.id).emailConfirmedAt).toEqual(at);
    expect(systemEmailConfirmationState(token)).toEqual({ email, confirmed: true, change: false });
    // A second press changes nothing and says the same.
    expect(await systemConfirmEmail(token, new Date(at.getTime() + 60_000))).toBe(email);
    expect(userRow(user.id).emailConfirmedAt).toEqual(at);
    // Confirmed: no second mail, even if asked.
    const offered = smtp.offered;
    await systemMailNewAccountConfirmation(user.id, mail());
    expect(smtp.offered).toBe(offered);
  });

  it('in Chinese for a Chinese account', async () => {
    const user = makeUser({ role: 'borrower', confirmed: false });
    await systemMailNewAccountConfirmation(user.id, mail());
    const [sent] = mailsTo(user.email);
    expect(sent.subject).toBe('【协商记】请确认你的邮箱');
    expect(sent.text).toContain('确认之后提醒邮件才会发到这里');
  });

  it('a sign-up link for the old address works while a change waits, and stops working once the change is made', async () => {
    const user = makeUser({ role: 'borrower', locale: 'en', confirmed: false });
    const oldLink = emailConfirmationToken(userRow(user.id), new Date())!;
    const moved = uniqueEmail('moved');
    await changeEmail(user, { password: TEST_PASSWORD, email: moved }, mail());
    expect(systemEmailConfirmationState(oldLink)).toEqual({ email: user.email, confirmed: false, change: false });
    const [toNew] = mailsTo(moved);
    expect(systemEmailConfirmationState(linkIn(toNew.text))).toEqual({ email: moved, confirmed: false, change: true });
    // A sign-up link is no change's link, even made for the new address.
    expect(systemEmailConfirmationState(emailConfirmationToken({ id: user.id, email: moved }, new Date())!)).toBeNull();
    expect(await systemConfirmEmail(linkIn(toNew.text))).toBe(moved);
    expect(userRow(user.id).emailConfirmedAt).not.toBeNull();
    expect(systemEmailConfirmationState(oldLink)).toBeNull();
    await expect(systemConfirmEmail(oldLink)).rejects.toMatchObject({ code: 'confirm_link_invalid' });
  });

  it("a change's link made by hand for an address not pending confirms nothing", async () => {
    const user = makeBorrower();
    const forged = emailChangeToken({ id: user.id, email: uniqueEmail('never-asked') }, new Date())!;
    const before = userRow(user.id);
    expect(systemEmailConfirmationState(forged)).toBeNull();
    await expect(systemConfirmEmail(forged)).rejects.toMatchObject({ code: 'confirm_link_invalid' });
    expect(userRow(user.id)).toEqual(before);
  });

  it('is mailed again when asked, up to five times a day; refused once confirmed, and where no mail is sent', async () => {
    const user = makeUser({ role: 'borrower', confirmed: false });
    for (let i = 0; i < 5; i++) await sendEmailConfirmation(user, mail());
    expect(mailsTo(user.email)).toHaveLength(5);
    expect(await codeOf(sendEmailConfirmation(user, mail()))).toBe('email_confirm_rate_limited');
    expect(mailsTo(user.email)).toHaveLength(5);
    expect(await codeOf(sendEmailConfirmation(makeUser({ role: 'borrower', confirmed: false })))).toBe('no_mail');
    const confirmed = makeBorrower();
    expect(await codeOf(sendEmailConfirmation(confirmed, mail()))).toBe('email_already_confirmed');
    expect(mailsTo(confirmed.email)).toHaveLength(0);
  });

  it('refuses a link that ended, was altered, is another account\'s, or whose account was disabled since, and changes nothing', async () => {
    const user = makeUser({ role: 'borrower', confirmed: false });
    const other = makeUser({ role: 'borrower', confirmed: false });
    const now = new Date();
    const good = emailConfirmationToken(userRow(user.id), now)!;
    const refused = [
      emailConfirmationToken(userRow(user.id), new Date(now.getTime() - (CONFIRM_VALID_DAYS * 24 + 1) * 3_600_000))!,
      good.replace(/^\d+/, String(other.id)),
      `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`,
      // A reset link is no confirmation link.
      passwordResetToken(userRow(user.id), now)!,
      'not a token',
    ];
    for (const token of refused) {
      expect(systemEmailConfirmationState(token), token).toBeNull();
      await expect(systemConfirmEmail(token), token).rejects.toMatchObject({ code: 'confirm_link_invalid' });
    }
    getDb().update(users).set({ disabled: true }).where(eq(users.id, user.id)).run();
    await expect(systemConfirmEmail(good)).rejects.toMatchObject({ code: 'confirm_link_invalid' });
    expect([userRow(user.id).emailConfirmedAt, userRow(other.id).emailConfirmedAt]).toEqual([null, null]);
  });

  it('is confirmed by a password reset link mailed to it (忘记密码): it reached the address', async () => {
    const user = makeUser({ role: 'borrower', confirmed: false });
    expect(await systemRequestPasswordReset(user.email, freshAddress(), mail())).toBe('ok');
    const [sent] = mailsTo(user.email);
    const token = decodeURIComponent(/https:\/\/respite\.example\/reset-password\?t=(\S+)/.exec(sent.text)![1]!);
    await systemResetPassword(token, 'my new password 3');
    expect(userRow(user.id).emailConfirmedAt).not.toBeNull();
    expect(emailConfirmed(user)).toBe(true);
  });

  // Signed up with a mistyped address, the person got a link from the administrator (no mail is set up):
  // the address is still a stranger's mailbox, and reminder mail about their debts must not go there.
  it('is not confirmed by a reset link an administrator handed over (npm run reset-link): it never went through the mailbox', async () => {
    const user = makeUser({ role: 'borrower', confirmed: false });
    const url = systemPasswordResetLink(user.email, new Date(), APP_URL)!.url;
    expect(await systemResetPassword(decodeURIComponent(url.split('?t=')[1]!), 'my new password 5')).toBe(user.email);
    expect(userRow(user.id).emailConfirmedAt).toBeNull();
    expect(emailConfirmed(user)).toBe(false);
    // Confirmed already, it stays so.
    const confirmed = makeBorrower();
    const at = userRow(confirmed.id).emailConfirmedAt;
    expect(at).not.toBeNull();
    await systemResetPassword(decodeURIComponent(systemPasswordResetLink(confirmed.email, new Date(), APP_URL)!.url.split('?t=')[1]!), 'my new password 6');
    expect(userRow(confirmed.id).emailConfirmedAt).toEqual(at);
  });
});
