import { hash, verify } from '@node-rs/argon2';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import { DomainError, NotFoundError } from '@/lib/errors';
import { getDb, type DB } from './client';
import { prepared } from './prepared';
import { sessions, users, type Locale, type Role, type User } from './schema';
import type { Viewer } from './viewer-type';

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(input: {
  email: string;
  password: string;
  displayName: string;
  role: Role;
  locale?: Locale;
}): Promise<User> {
  const db = getDb();
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (existing) throw new DomainError('email_taken');
  try {
    return db
      .insert(users)
      .values({ email, passwordHash, displayName: input.displayName.trim(), role: input.role, locale: input.locale ?? 'zh-CN' })
      .returning()
      .get();
  } catch (e) {
    // Two sign-ups racing for one address: the unique index decides.
    if (e instanceof Error && /UNIQUE/.test(e.message)) throw new DomainError('email_taken');
    throw e;
  }
}

// --- sign-in, limited per account and per address --------------------------------------

const WINDOW_SECONDS = 15 * 60;
/** rate-limiter-flexible's own table (it creates it), one row a key: 'acct:<email>', 'addr:<address>', 'again:<email>'. */
const LIMITS_TABLE = 'login_limits';
type Limiters = { account: RateLimiterSQLite; address: RateLimiterSQLite; again: RateLimiterSQLite };
const globalForLimits = globalThis as unknown as { respiteLoginLimits?: Limiters };

function limiters(): Limiters {
  if (!globalForLimits.respiteLoginLimits) {
    const storeClient = getDb().$client;
    const opts = { storeClient, storeType: 'better-sqlite3' as const, tableName: LIMITS_TABLE, duration: WINDOW_SECONDS };
    globalForLimits.respiteLoginLimits = {
      account: new RateLimiterSQLite({ ...opts, keyPrefix: 'acct', points: Number(process.env.LOGIN_LIMIT_PER_ACCOUNT ?? 5) }),
      address: new RateLimiterSQLite({ ...opts, keyPrefix: 'addr', points: Number(process.env.LOGIN_LIMIT_PER_ADDRESS ?? 30) }),
      // The password asked again inside the app: its own count, so guesses there never lock the owner out of signing in.
      again: new RateLimiterSQLite({ ...opts, keyPrefix: 'again', points: Number(process.env.LOGIN_LIMIT_PER_ACCOUNT ?? 5) }),
    };
  }
  return globalForLimits.respiteLoginLimits;
}

async function isBlocked(limiter: RateLimiterSQLite, key: string): Promise<boolean> {
  const res = await limiter.get(key);
  return res !== null && res.consumedPoints >= limiter.points;
}

async function recordFailure(limiter: RateLimiterSQLite, key: string): Promise<void> {
  await limiter.penalty(key, 1);
}

// Verified when the address is unknown, so that both paths take the same time.
let dummyHash: Promise<string> | undefined;

export type SignInResult = { ok: true; user: User } | { ok: false; reason: 'invalid' | 'rate_limited' | 'disabled' };

/**
 * Checks an email and password. Says only "invalid" (never which part) or "rate_limited".
 * Failures count against the account and the address; success clears the account's count.
 *
 * A disabled account with the right password is told so ("disabled"), so that its owner asks an
 * administrator instead of retrying into the limit. Only with the right password: anyone else
 * guessing learns nothing from it (a wrong password is "invalid" and counted, disabled or not).
 * The right password of a disabled account is no guess, so it is not counted either.
 */
export async function verifyCredentials(emailInput: string, password: string, address: string): Promise<SignInResult> {
  const email = normaliseEmail(emailInput);
  const { account, address: byAddress } = limiters();
  if ((await isBlocked(account, email)) || (await isBlocked(byAddress, address))) {
    return { ok: false, reason: 'rate_limited' };
  }
  const user = getDb().select().from(users).where(eq(users.email, email)).get();
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const valid = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
  if (!user || !valid) {
    await recordFailure(account, email);
    await recordFailure(byAddress, address);
    return { ok: false, reason: 'invalid' };
  }
  if (user.disabled) return { ok: false, reason: 'disabled' };
  await account.delete(email);
  return { ok: true, user };
}

/**
 * Asks for the password again before something grave (changing it, deleting the account). Wrong
 * answers are limited like sign-in's (per account, per 15 minutes), so a session left open or
 * stolen cannot be used to guess the password: past the limit the answer is
 * 'password_rate_limited', even for the right password, until the window has passed.
 */
export async function verifyPasswordAgain(user: User, password: string): Promise<void> {
  const { again } = limiters();
  if (await isBlocked(again, user.email)) throw new DomainError('password_rate_limited');
  if (!(await verify(user.passwordHash, password).catch(() => false))) {
    await recordFailure(again, user.email);
    throw new DomainError('wrong_password');
  }
}

/**
 * Forgets the counts kept under an email (failed sign-ins, the password asked again wrongly), in
 * the caller's transaction: deleting an account leaves its address nowhere, not even here until
 * the window ends. The counts by network address are nobody's account, and run their course.
 */
export function forgetLoginLimits(tx: Pick<DB, 'get' | 'run'>, email: string): void {
  const { account, again } = limiters();
  // The limiter makes its table when it is first built, a moment later (asynchronously): none yet, nothing kept.
  const table = tx.get<{ name: string } | undefined>(sql`select name from sqlite_master where type = 'table' and name = ${LIMITS_TABLE}`);
  if (!table) return;
  tx.run(sql`delete from ${sql.identifier(LIMITS_TABLE)} where key in (${account.getKey(email)}, ${again.getKey(email)})`);
}

// --- sessions ------------------------------------------------------------------------

export function createSession(userId: number): string {
  const id = randomBytes(24).toString('base64url');
  getDb().insert(sessions).values({ id, userId }).run();
  return id;
}

/** The viewer behind a session id, or null when the session was revoked or the account disabled. */
export function viewerForSession(sessionId: string): Viewer | null {
  // On every request: prepared once (db/prepared.ts).
  const statement = prepared(getDb(), 'users.viewerForSession', (db) =>
    db
      .select({
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        role: users.role,
        locale: users.locale,
        sessionId: sessions.id,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, sql.placeholder('sessionId')), isNull(sessions.revokedAt), eq(users.disabled, false)))
      .prepare(),
  );
  return statement.get({ sessionId }) ?? null;
}

export function revokeSession(sessionId: string): void {
  getDb().update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId)).run();
}

/** "Sign out everywhere": every session of the viewer's but this one ends on its next request. */
export function revokeOtherSessions(viewer: Viewer): number {
  return getDb()
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, viewer.id), ne(sessions.id, viewer.sessionId), isNull(sessions.revokedAt)))
    .run().changes;
}

export async function changePassword(viewer: Viewer, current: string, next: string): Promise<void> {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, viewer.id)).get();
  if (!user) throw new NotFoundError();
  await verifyPasswordAgain(user, current);
  const passwordHash = await hashPassword(next);
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, viewer.id)).run();
    tx.update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.userId, viewer.id), ne(sessions.id, viewer.sessionId), isNull(sessions.revokedAt)))
      .run();
  });
}

export function updateProfile(viewer: Viewer, input: { displayName?: string; locale?: Locale }): void {
  const set: Partial<User> = { updatedAt: new Date() };
  if (input.displayName !== undefined) set.displayName = input.displayName.trim();
  if (input.locale !== undefined) set.locale = input.locale;
  getDb().update(users).set(set).where(eq(users.id, viewer.id)).run();
}

/** Only for the command line: scripts/create-admin.ts. Named unsafe because it checks no viewer. */
export async function unsafeUpsertAdmin(email: string, password: string, displayName: string): Promise<User> {
  const db = getDb();
  const normalised = normaliseEmail(email);
  const passwordHash = await hashPassword(password);
  const existing = db.select().from(users).where(eq(users.email, normalised)).get();
  if (existing) {
    return db
      .update(users)
      .set({ role: 'admin', passwordHash, disabled: false, updatedAt: new Date() })
      .where(eq(users.id, existing.id))
      .returning()
      .get();
  }
  return db.insert(users).values({ email: normalised, passwordHash, displayName, role: 'admin' }).returning().get();
}
