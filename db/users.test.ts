import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors';
import { makeBorrower, makeUser, TEST_PASSWORD, uniqueEmail } from '@/tests/factories';
import { getDb } from './client';
import { sessions, users } from './schema';
import {
  changePassword,
  createSession,
  createUser,
  revokeOtherSessions,
  revokeSession,
  verifyCredentials,
  viewerForSession,
} from './users';

const PER_ACCOUNT = Number(process.env.LOGIN_LIMIT_PER_ACCOUNT ?? 5);
const PER_ADDRESS = Number(process.env.LOGIN_LIMIT_PER_ADDRESS ?? 30);

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

  it.each([
    ['the same address', (e: string) => e],
    ['upper case', (e: string) => e.toUpperCase()],
    ['mixed case with spaces', (e: string) => ` ${e[0].toUpperCase()}${e.slice(1)} `],
  ])('refuses a duplicate address in %s with email_taken', async (_label, variant) => {
    const email = uniqueEmail('dup');
    const first = await createUser({ email, password: 'password-1', displayName: 'First', role: 'borrower' });
    const code = await codeOf(createUser({ email: variant(email), password: 'password-2', displayName: 'Second', role: 'advisor' }));
    expect(code).toBe('email_taken');
    const rows = getDb().select().from(users).where(eq(users.email, email.toLowerCase())).all();
    expect(rows.map((r) => r.id)).toEqual([first.id]);
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
    expect(wrongPassword).toEqual({ ok: false, reason: 'invalid' });
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it('says "disabled" for a disabled account only with the right password; a wrong one is "invalid" and counted', async () => {
    const user = makeBorrower({ disabled: true });
    expect(await verifyCredentials(user.email, TEST_PASSWORD, freshAddress())).toEqual({ ok: false, reason: 'disabled' });
    // A guesser learns nothing: the same answer as for any account with a wrong password.
    expect(await verifyCredentials(user.email, 'not-the-password', freshAddress())).toEqual({ ok: false, reason: 'invalid' });
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
      expect(await verifyCredentials(user.email, `guess-${i}`, attacker)).toEqual({ ok: false, reason: 'invalid' });
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
        expect(await verifyCredentials(user.email, `guess-${round}-${i}`, address)).toEqual({ ok: false, reason: 'invalid' });
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
      expect(await verifyCredentials(target, 'wrong', sprayer)).toEqual({ ok: false, reason: 'invalid' });
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
    expect(await verifyCredentials(user.email, TEST_PASSWORD, address)).toEqual({ ok: false, reason: 'invalid' });
  });
});
