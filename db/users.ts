import { hash, verify } from '@node-rs/argon2';
import { and, eq, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import type { Transporter } from 'nodemailer';
import { DomainError, NotFoundError } from '@/lib/errors';
import { asLocale } from '@/lib/i18n/config';
import { loadMessages } from '@/lib/i18n/messages';
import { appUrl as appUrlFromEnv, createMailTransport, DEFAULT_FROM, mailConfig, mailConfigured } from '@/lib/mail-config';
import { isWeakPassword } from '@/lib/password-strength';
import {
  CONFIRM_VALID_DAYS,
  confirmationTokenUser,
  emailChangeToken,
  emailConfirmationToken,
  emailConfirmationUrl,
  isEmailChangeToken,
  isEmailConfirmationToken,
} from '@/lib/email-confirmation';
import { passwordResetToken, passwordResetTokenWay, passwordResetUrl, RESET_VALID_MINUTES, resetTokenUser, type ResetLinkWay } from '@/lib/password-reset';
import { renderEmailChangedMail, renderEmailConfirmationMail, renderPasswordResetMail } from '@/lib/reminder-mail';
import { getDb, type DB } from './client';
import { prepared } from './prepared';
import { sessions, users, type Locale, type Role, type User } from './schema';
import type { Viewer } from './viewer-type';

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * An address as it is stored and looked up: NFKC first (a Chinese IME in full-width mode types
 * ａ＠ｘ.com for a@x.com, and the full-width space), then trimmed and lower-cased.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
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
  if (await isWeakPassword(input.password, { email, displayName: input.displayName })) throw new DomainError('password_weak', { field: 'password' });
  const passwordHash = await hashPassword(input.password);
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (existing) throw new DomainError('email_taken');
  let user: User;
  try {
    user = db
      .insert(users)
      .values({ email, passwordHash, displayName: input.displayName.trim(), role: input.role, locale: input.locale ?? 'zh-CN' })
      .returning()
      .get();
  } catch (e) {
    // Two sign-ups racing for one address: the unique index decides.
    if (e instanceof Error && /UNIQUE/.test(e.message)) throw new DomainError('email_taken');
    throw e;
  }
  // Failed sign-ins counted under the address while it had no account were no guesses at this
  // password: a person who tried to sign in before realising they had no account signs in at once.
  forgetLimitKeys(db, [limiters().account.getKey(email)]);
  return user;
}

// --- sign-up, limited per network address ------------------------------------------------

/**
 * Sign-ups an address may try in an hour (SIGNUP_LIMIT_PER_ADDRESS). Whether an email already has
 * an account is something sign-up must say (the person needs to know to sign in instead); the
 * limit keeps anyone from asking it of a list of addresses — on a site for people in debt, an
 * account is itself something to hide — and from making accounts by the thousand. High enough for
 * a legal-aid centre signing up a morning's clients on its one connection.
 */
const SIGNUP_WINDOW_SECONDS = 60 * 60;
const globalForSignUp = globalThis as unknown as { respiteSignUpLimit?: RateLimiterSQLite };

function signUpLimiter(): RateLimiterSQLite {
  globalForSignUp.respiteSignUpLimit ??= new RateLimiterSQLite({
    storeClient: getDb().$client,
    storeType: 'better-sqlite3',
    tableName: LIMITS_TABLE,
    duration: SIGNUP_WINDOW_SECONDS,
    keyPrefix: 'signup',
    points: Number(process.env.SIGNUP_LIMIT_PER_ADDRESS ?? 30),
  });
  return globalForSignUp.respiteSignUpLimit;
}

/**
 * System: counts one sign-up tried from this network address, made or not (an email already
 * taken counts too); false, counting nothing, once the address has tried the hour's limit.
 */
export async function systemCountSignUpAttempt(address: string): Promise<boolean> {
  const limiter = signUpLimiter();
  if (await isBlocked(limiter, address)) return false;
  await recordFailure(limiter, address);
  return true;
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

/** Counts a failure; returns how many more the limiter allows before it blocks. */
async function recordFailure(limiter: RateLimiterSQLite, key: string): Promise<number> {
  const res = await limiter.penalty(key, 1);
  return Math.max(0, limiter.points - res.consumedPoints);
}

// Verified when the address is unknown, so that both paths take the same time.
let dummyHash: Promise<string> | undefined;

export type SignInResult =
  | { ok: true; user: User }
  /** `triesLeft`: the wrong passwords still allowed before sign-in waits out the window (the account's or the address's, the fewer). */
  | { ok: false; reason: 'invalid'; triesLeft: number }
  | { ok: false; reason: 'rate_limited' | 'disabled' };

/**
 * Checks an email and password. Says only "invalid" (never which part), with the tries left before
 * the limit, or "rate_limited". Failures count against the account and the address; success clears
 * the account's count.
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
    // Counted alike for an address with no account: how many tries are left says nothing of whether it has one.
    const leftForAccount = await recordFailure(account, email);
    const leftForAddress = await recordFailure(byAddress, address);
    return { ok: false, reason: 'invalid', triesLeft: Math.min(leftForAccount, leftForAddress) };
  }
  if (user.disabled) return { ok: false, reason: 'disabled' };
  await account.delete(email);
  return { ok: true, user };
}

/**
 * Asks for the password again before something grave (changing it, deleting the account). Wrong
 * answers are limited like sign-in's (per account, per 15 minutes), so a session left open or
 * stolen cannot be used to guess the password: past the limit the answer is
 * 'password_rate_limited', even for the right password, until the window has passed. A wrong one
 * is said at `field`, the form's field it was typed in, where the form names one.
 */
export async function verifyPasswordAgain(user: User, password: string, field?: string): Promise<void> {
  const { again } = limiters();
  if (await isBlocked(again, user.email)) throw new DomainError('password_rate_limited');
  if (!(await verify(user.passwordHash, password).catch(() => false))) {
    await recordFailure(again, user.email);
    throw new DomainError('wrong_password', field ? { field } : undefined);
  }
}

/**
 * Forgets the counts kept under an email (failed sign-ins, the password asked again wrongly, reset
 * links asked for), in the caller's transaction: deleting an account leaves its address nowhere, not
 * even here until the window ends. The counts by network address are nobody's account, and run their course.
 */
export function forgetLoginLimits(tx: Pick<DB, 'get' | 'run'>, email: string): void {
  const { account, again } = limiters();
  forgetLimitKeys(tx, [account.getKey(email), again.getKey(email), resetLimiters().email.getKey(email)]);
}

/** Deletes these rows of the limits' table, in the caller's transaction. */
function forgetLimitKeys(tx: Pick<DB, 'get' | 'run'>, keys: string[]): void {
  // The limiter makes its table when it is first built, a moment later (asynchronously): none yet, nothing kept.
  const table = tx.get<{ name: string } | undefined>(sql`select name from sqlite_master where type = 'table' and name = ${LIMITS_TABLE}`);
  if (!table) return;
  tx.run(sql`delete from ${sql.identifier(LIMITS_TABLE)} where key in ${keys}`);
}

// --- a forgotten password (lib/password-reset.ts) ---------------------------------------

/** The transport given (tests), else this server's where it sends mail, else null. */
function accountMailTransport(given?: Transporter): Transporter | null {
  return given ?? (mailConfigured() ? createMailTransport(mailConfig()!) : null);
}

/** A mail about the account itself (a reset link, a notice), marked as sent by a machine so that no auto-reply answers it. */
function sendAccountMail(transport: Transporter, to: string, mail: { subject: string; text: string; html: string }, from?: string) {
  return transport.sendMail({
    from: from ?? (process.env.SMTP_FROM?.trim() || DEFAULT_FROM),
    to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  });
}

/** Links asked for, per hour: per address asked about, and per network address asking. */
const RESET_WINDOW_SECONDS = 60 * 60;
const RESET_PER_EMAIL = 3;
const RESET_PER_ADDRESS = 20;
const globalForReset = globalThis as unknown as { respiteResetLimits?: { email: RateLimiterSQLite; address: RateLimiterSQLite } };

function resetLimiters() {
  if (!globalForReset.respiteResetLimits) {
    const opts = { storeClient: getDb().$client, storeType: 'better-sqlite3' as const, tableName: LIMITS_TABLE, duration: RESET_WINDOW_SECONDS };
    globalForReset.respiteResetLimits = {
      email: new RateLimiterSQLite({ ...opts, keyPrefix: 'reset', points: RESET_PER_EMAIL }),
      address: new RateLimiterSQLite({ ...opts, keyPrefix: 'resetaddr', points: RESET_PER_ADDRESS }),
    };
  }
  return globalForReset.respiteResetLimits;
}

export type PasswordResetLink = { email: string; displayName: string; locale: Locale; url: string };

/**
 * System (no viewer: the person cannot sign in). The link that sets a new password for the account
 * with this email, or null: no such account, a disabled one, or no secret to sign the link with.
 * For an administrator's `npm run reset-link` where no mail is set up (`way` 'handed', the default),
 * and for the mail below ('mailed'). Only a mailed link confirms the address once used
 * (lib/password-reset.ts): a link handed over says nothing of whether the address is its owner's.
 */
export function systemPasswordResetLink(
  emailInput: string,
  now: Date = new Date(),
  appUrl: string = appUrlFromEnv(),
  way: ResetLinkWay = 'handed',
): PasswordResetLink | null {
  const user = getDb().select().from(users).where(eq(users.email, normaliseEmail(emailInput))).get();
  if (!user || user.disabled) return null;
  const token = passwordResetToken(user, now, undefined, way);
  return token ? { email: user.email, displayName: user.displayName, locale: user.locale, url: passwordResetUrl(appUrl, token) } : null;
}

/**
 * System: a person who forgot their password asks for the link by mail, to the address of the
 * account. The answer is the same whether the address has an account or not, and the mail goes
 * out after it (its failure is logged), so that neither the words nor the time say which. Asked
 * too often for one address or from one network address: 'rate_limited', for every address alike.
 * 'no_mail' where this server sends no mail.
 */
export async function systemRequestPasswordReset(
  emailInput: string,
  address: string,
  /** `wait`: return once the mail is sent or has failed (tests read what the SMTP server received). */
  options: { transport?: Transporter; now?: Date; appUrl?: string; from?: string; wait?: boolean } = {},
): Promise<'ok' | 'rate_limited' | 'no_mail'> {
  const transport = accountMailTransport(options.transport);
  if (!transport) return 'no_mail';
  const email = normaliseEmail(emailInput);
  const limits = resetLimiters();
  if ((await isBlocked(limits.email, email)) || (await isBlocked(limits.address, address))) return 'rate_limited';
  // Every request counts, whether the address has an account or not.
  await recordFailure(limits.email, email);
  await recordFailure(limits.address, address);
  const link = systemPasswordResetLink(email, options.now, options.appUrl, 'mailed');
  if (!link) return 'ok';
  const sending = (async () => {
    const locale = asLocale(link.locale);
    const mail = renderPasswordResetMail({ locale, messages: await loadMessages(locale), displayName: link.displayName, resetUrl: link.url, validMinutes: RESET_VALID_MINUTES });
    await sendAccountMail(transport, link.email, mail, options.from);
  })().catch((e) => console.error('[password-reset] the mail was not sent:', e instanceof Error ? e.message : e));
  if (options.wait) await sending;
  return 'ok';
}

/**
 * System: the account a reset link is for, while the link works (bearer: whoever holds the link);
 * else null. The page shows its email before asking for the new password, and offers to end its
 * calendar feed where it has one.
 */
export function systemPasswordResetAccount(token: string, now: Date = new Date()): { email: string; calendarFeed: boolean } | null {
  const user = resetLink(getDb(), token, now)?.user;
  return user ? { email: user.email, calendarFeed: user.calendarToken !== null } : null;
}

/** System: the email of the account a reset link is for, while the link works; else null. */
export function systemPasswordResetEmail(token: string, now: Date = new Date()): string | null {
  return systemPasswordResetAccount(token, now)?.email ?? null;
}

/** The account a reset link is for, and how the link came, while it still works for it (else undefined). */
function resetLink(db: DB, token: string, now: Date): { user: User; way: ResetLinkWay } | undefined {
  const userId = resetTokenUser(token);
  const user = userId ? db.select().from(users).where(eq(users.id, userId)).get() : undefined;
  const way = user && !user.disabled ? passwordResetTokenWay(user, token, now) : null;
  return user && way ? { user, way } : undefined;
}

/**
 * System: sets a new password with a link's token (bearer: whoever holds the link). The link must
 * be for the account as it is now and not yet ended; the account not disabled. Every session of
 * the account ends (whoever knew the old password is signed out), and the failed sign-ins counted
 * against the account are forgotten, so that the owner signs in at once. With `endCalendarFeed`,
 * the private calendar address ends too (whoever was signed in could have copied it); a new one is
 * made in Settings. A change of the sign-in email still waiting for its link ends too (whoever knew
 * the old password could have asked it, for their own address: its link would hand them the account
 * after the owner took it back). A link mailed to the address confirms it, if it was not; one an
 * administrator handed over (`npm run reset-link`) does not, as it never went through that mailbox.
 * Else 'reset_link_invalid' and nothing changes. Returns the account's email, to sign in with.
 */
export async function systemResetPassword(
  token: string,
  next: string,
  now: Date = new Date(),
  options: { endCalendarFeed?: boolean } = {},
): Promise<string> {
  const db = getDb();
  const link = resetLink(db, token, now);
  if (!link) throw new DomainError('reset_link_invalid');
  const { user, way } = link;
  if (await isWeakPassword(next, user)) throw new DomainError('password_weak', { field: 'next' });
  const passwordHash = await hashPassword(next);
  db.transaction((tx) => {
    // The same link sent twice at once: only the first finds the hash it was made from.
    // A mailed link reached this address: it is confirmed, if it was not. A pending email change ends:
    // its link is bound to the pending address (lib/email-confirmation.ts), which is no more.
    const changed = tx
      .update(users)
      .set({
        passwordHash,
        updatedAt: now,
        pendingEmail: null,
        ...(way === 'mailed' && !user.emailConfirmedAt ? { emailConfirmedAt: now } : {}),
        ...(options.endCalendarFeed ? { calendarToken: null } : {}),
      })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)))
      .run().changes;
    if (changed === 0) throw new DomainError('reset_link_invalid');
    tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt))).run();
    forgetLoginLimits(tx, user.email);
  });
  return user.email;
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

/**
 * A new password for the viewer, given the current one; the viewer's other sessions end, and so does a
 * change of the sign-in email still waiting for its link (whoever knew the old password could have asked
 * it, for their own address; settings then shows none waiting, and the owner asks again if it was theirs).
 * Written only over the password that was checked: one changed meanwhile (another tab, a reset link used
 * while the hashes were worked out) is not overwritten, and the change is refused (password_changed_meanwhile).
 */
export async function changePassword(viewer: Viewer, current: string, next: string): Promise<void> {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, viewer.id)).get();
  if (!user) throw new NotFoundError();
  await verifyPasswordAgain(user, current, 'current');
  if (await isWeakPassword(next, user)) throw new DomainError('password_weak', { field: 'next' });
  const passwordHash = await hashPassword(next);
  db.transaction((tx) => {
    const changed = tx
      .update(users)
      .set({ passwordHash, pendingEmail: null, updatedAt: new Date() })
      .where(and(eq(users.id, viewer.id), eq(users.passwordHash, user.passwordHash)))
      .run().changes;
    if (changed === 0) throw new DomainError('password_changed_meanwhile');
    tx.update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.userId, viewer.id), ne(sessions.id, viewer.sessionId), isNull(sessions.revokedAt)))
      .run();
  });
}

const globalForDaily = globalThis as unknown as { respiteDailyLimits?: Map<string, RateLimiterSQLite> };

/**
 * A count per account and day, in the sign-in limits' table under its own prefix: 'email' (changes of
 * the sign-in email), 'confirm' (confirmation links asked for again). Each mails an address nobody has confirmed.
 */
function dailyLimiter(keyPrefix: 'email' | 'confirm', points: number): RateLimiterSQLite {
  const limits = (globalForDaily.respiteDailyLimits ??= new Map());
  let limiter = limits.get(keyPrefix);
  if (!limiter) {
    limiter = new RateLimiterSQLite({ storeClient: getDb().$client, storeType: 'better-sqlite3', tableName: LIMITS_TABLE, duration: 24 * 60 * 60, keyPrefix, points });
    limits.set(keyPrefix, limiter);
  }
  return limiter;
}

/** Changes of the sign-in email asked for, per account and day: each mails an address nobody has confirmed. */
const EMAIL_CHANGES_PER_DAY = 5;

/** The account's pending email as it was read: in a WHERE clause, so that a change made meanwhile is not written over. */
function pendingEmailIs(pending: string | null) {
  return pending === null ? isNull(users.pendingEmail) : eq(users.pendingEmail, pending);
}

/** A change of the sign-in email: the new address, and whether it waits for the link mailed to it. */
export type EmailChange = { email: string; pending: boolean };

/**
 * Changes the viewer's sign-in email, which is also where reminder mails and reset links go. The
 * password is asked again (limited as everywhere), and the new address must be no other account's
 * sign-in email: else nothing changes. At most five changes a day per account
 * ('email_change_rate_limited'): each mails an address nobody has confirmed.
 *
 * Where this server can mail the link (it sends mail, and has the secret to sign links with), nothing
 * moves yet: the new address is kept as pending (`pending: true`) and mailed the link that makes it the
 * sign-in email (systemConfirmEmail). Until the link is opened the account signs in, and gets reminder
 * mail and reset links, at the old address as before: a mistyped new address hands the account to
 * nobody, since its owner can ask no reset link for it. A second change replaces the pending one, and
 * the first one's link stops working; settings mails the link again (sendEmailConfirmation) or cancels
 * the change (cancelEmailChange). The mail goes out after the answer (`wait`: before it); its failure
 * is logged, and the change waits for a link asked again.
 *
 * Where no link can be mailed, none could ever be opened, and no reset link can be mailed to a mistyped
 * address either: the change is made at once (`pending: false`), not confirmed (reminder mail waits for
 * that, db/mailer.ts); where mail goes out at all, the old address gets the notice. Other sessions stay
 * signed in (the account is the same); reset links made for the old address stop working (they carry
 * the address), and the failed sign-ins counted under it are forgotten, as it is no longer this account's.
 */
export async function changeEmail(
  viewer: Viewer,
  input: { password: string; email: string },
  /** `wait`: return once the mail is sent or has failed (tests read what the SMTP server received). */
  options: { transport?: Transporter; now?: Date; appUrl?: string; from?: string; wait?: boolean } = {},
): Promise<EmailChange> {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, viewer.id)).get();
  if (!user) throw new NotFoundError();
  const email = normaliseEmail(input.email);
  if (email === user.email) throw new DomainError('email_unchanged', { field: 'email' });
  await verifyPasswordAgain(user, input.password, 'password');
  const changes = dailyLimiter('email', EMAIL_CHANGES_PER_DAY);
  if (await isBlocked(changes, String(user.id))) throw new DomainError('email_change_rate_limited');
  const now = options.now ?? new Date();
  const transport = accountMailTransport(options.transport);
  const pending = transport !== null && emailChangeToken({ id: user.id, email }, now) !== null;
  try {
    db.transaction((tx) => {
      if (tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) throw new DomainError('email_taken', { field: 'email' });
      // Changed meanwhile in another tab: the addresses this answer was checked against are gone. The
      // password too: a reset (or a change) while this one was checked ends pending changes, and must
      // not be followed by one asked with the old password.
      const changed = tx
        .update(users)
        .set(pending ? { pendingEmail: email, updatedAt: now } : { email, emailConfirmedAt: null, pendingEmail: null, updatedAt: now })
        .where(and(eq(users.id, user.id), eq(users.email, user.email), pendingEmailIs(user.pendingEmail), eq(users.passwordHash, user.passwordHash)))
        .run().changes;
      if (changed === 0) {
        const row = tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id)).get();
        throw new DomainError(row && row.passwordHash !== user.passwordHash ? 'password_changed_meanwhile' : 'email_changed_meanwhile');
      }
      if (!pending) forgetLoginLimits(tx, user.email);
    });
  } catch (e) {
    // Another account took the address between the check and the write: the unique index decides.
    if (e instanceof Error && /UNIQUE/.test(e.message)) throw new DomainError('email_taken', { field: 'email' });
    throw e;
  }
  await recordFailure(changes, String(user.id));
  if (transport) {
    const sending = (pending ? mailConfirmation(transport, { ...user, email }, { ...options, now }, 'change') : mailEmailChanged(transport, user, email, now, options.from)).catch(
      (e) => console.error('[email-change] the mail was not sent:', e instanceof Error ? e.message : e),
    );
    if (options.wait) await sending;
  }
  return { email, pending };
}

/**
 * The viewer cancels the change of sign-in email that waits for its link (settings): the link mailed
 * stops working, and the account stays as it is. Whether a change was waiting.
 */
export function cancelEmailChange(viewer: Viewer): boolean {
  return (
    getDb()
      .update(users)
      .set({ pendingEmail: null, updatedAt: new Date() })
      .where(and(eq(users.id, viewer.id), isNotNull(users.pendingEmail)))
      .run().changes > 0
  );
}

/** The new sign-in email that waits for the link mailed to it (settings says so), or null. */
export function pendingEmailChange(viewer: Viewer): string | null {
  return getDb().select({ pending: users.pendingEmail }).from(users).where(eq(users.id, viewer.id)).get()?.pending ?? null;
}

/** The notice to the old address once the sign-in email changed: its owner learns of a change they did not make. */
async function mailEmailChanged(transport: Transporter, user: Pick<User, 'email' | 'displayName' | 'locale'>, newEmail: string, at: Date, from?: string): Promise<void> {
  const locale = asLocale(user.locale);
  const mail = renderEmailChangedMail({ locale, messages: await loadMessages(locale), displayName: user.displayName, oldEmail: user.email, newEmail, at });
  await sendAccountMail(transport, user.email, mail, from);
}

// --- the email confirmed (lib/email-confirmation.ts) ------------------------------------

/** Confirmation links asked for again, per account and day. */
const CONFIRM_MAILS_PER_DAY = 5;

type MailOptions = { now?: Date; appUrl?: string; from?: string };

/** Where a confirmation link goes: the account, and the address it is mailed to. */
type LinkRecipient = { id: number; email: string; displayName: string; locale: string };

/**
 * Mails a confirmation link to `to.email`: the sign-in email's own ('confirm': after sign-up, or asked
 * for again), or an email change's, to the new address ('change'). Nothing without a secret to sign it with.
 */
async function mailConfirmation(transport: Transporter, to: LinkRecipient, options: MailOptions, kind: 'confirm' | 'change' = 'confirm'): Promise<void> {
  const now = options.now ?? new Date();
  const token = kind === 'change' ? emailChangeToken(to, now) : emailConfirmationToken(to, now);
  if (!token) return;
  const locale = asLocale(to.locale);
  const mail = renderEmailConfirmationMail({
    locale,
    messages: await loadMessages(locale),
    displayName: to.displayName,
    email: to.email,
    confirmUrl: emailConfirmationUrl(options.appUrl ?? appUrlFromEnv(), token),
    validDays: CONFIRM_VALID_DAYS,
    change: kind === 'change',
  });
  await sendAccountMail(transport, to.email, mail, options.from);
}

/** The confirmation mail, sent after the answer (or before it, `wait`); its failure is logged. */
async function mailConfirmationInBackground(
  transport: Transporter,
  to: LinkRecipient,
  options: MailOptions & { wait?: boolean },
  kind: 'confirm' | 'change' = 'confirm',
): Promise<void> {
  const sending = mailConfirmation(transport, to, options, kind).catch((e) =>
    console.error('[email-confirm] the mail was not sent:', e instanceof Error ? e.message : e),
  );
  if (options.wait) await sending;
}

/**
 * System: the link that confirms a new account's address, mailed once it is made (sign-up), where this
 * server sends mail. Its failure is logged: the account stands, and settings can ask for the link again.
 */
export async function systemMailNewAccountConfirmation(
  userId: number,
  options: MailOptions & { transport?: Transporter; wait?: boolean } = {},
): Promise<void> {
  const transport = accountMailTransport(options.transport);
  const user = getDb().select().from(users).where(eq(users.id, userId)).get();
  if (!transport || !user || user.emailConfirmedAt) return;
  await mailConfirmationInBackground(transport, user, options);
}

/**
 * The viewer asks for the confirmation link again (settings): to the new address while a change of the
 * sign-in email waits for it, else to the sign-in email while it is not confirmed. Returns the address
 * mailed. Refused with 'email_already_confirmed' (nothing waits for a link), 'no_mail' where this server
 * sends no mail, 'email_confirm_rate_limited' past five a day.
 */
export async function sendEmailConfirmation(viewer: Viewer, options: MailOptions & { transport?: Transporter; wait?: boolean } = {}): Promise<string> {
  const user = getDb().select().from(users).where(eq(users.id, viewer.id)).get();
  if (!user) throw new NotFoundError();
  if (!user.pendingEmail && user.emailConfirmedAt) throw new DomainError('email_already_confirmed');
  const transport = accountMailTransport(options.transport);
  if (!transport) throw new DomainError('no_mail');
  const limiter = dailyLimiter('confirm', CONFIRM_MAILS_PER_DAY);
  if (await isBlocked(limiter, String(user.id))) throw new DomainError('email_confirm_rate_limited');
  await recordFailure(limiter, String(user.id));
  if (user.pendingEmail) {
    await mailConfirmationInBackground(transport, { ...user, email: user.pendingEmail }, options, 'change');
    return user.pendingEmail;
  }
  await mailConfirmationInBackground(transport, user, options);
  return user.email;
}

/**
 * What a confirmation link is for, while it works for its account as it is now (else undefined): the
 * address; whether it is an email change's link (`change`); whether that change still waits for it
 * (`pending`: the address is the account's pending email). Else the address is the sign-in email: a
 * sign-up's link, or a change's once the change is made, opened again.
 */
function confirmationLink(token: string, now: Date): { user: User; email: string; change: boolean; pending: boolean } | undefined {
  const userId = confirmationTokenUser(token);
  const user = userId ? getDb().select().from(users).where(eq(users.id, userId)).get() : undefined;
  if (!user || user.disabled) return undefined;
  if (isEmailConfirmationToken(user, token, now)) return { user, email: user.email, change: false, pending: false };
  if (isEmailChangeToken(user, token, now)) return { user, email: user.email, change: true, pending: false };
  if (user.pendingEmail && isEmailChangeToken({ id: user.id, email: user.pendingEmail }, token, now)) {
    return { user, email: user.pendingEmail, change: true, pending: true };
  }
  return undefined;
}

/**
 * System: what a confirmation link is for while it works (bearer: whoever holds the link), else null:
 * the address; whether it is the sign-in email, confirmed already (nothing left to press); whether it
 * is an email change's link (`change`: pressing makes the address the sign-in email). The page shows
 * it before the button.
 */
export function systemEmailConfirmationState(token: string, now: Date = new Date()): { email: string; confirmed: boolean; change: boolean } | null {
  const link = confirmationLink(token, now);
  if (!link) return null;
  return { email: link.email, confirmed: !link.pending && link.user.emailConfirmedAt !== null, change: link.change };
}

/**
 * System: confirms an address with a link's token (bearer: whoever holds the link, which only that
 * address received). The link must work for the account as it is now and not have ended, the account
 * not be disabled; else 'confirm_link_invalid' and nothing changes. Returns the address confirmed.
 *
 * A sign-up's link marks the sign-in email confirmed; a second press changes nothing and says the same.
 * An email change's link makes the pending address the sign-in email, confirmed: unless another account
 * signs in with that address by now (it signed up meanwhile: 'email_change_taken', nothing changes, and
 * settings still shows the change, to cancel). Reset links mailed to the old address stop working, the
 * failed sign-ins counted under it are forgotten, and the old address gets the notice that the sign-in
 * email changed (after the answer, or before it with `wait`; a failure is logged). Every session stays
 * signed in, as the account is the same. Opened again, the link says the address is confirmed.
 */
export async function systemConfirmEmail(
  token: string,
  now: Date = new Date(),
  options: { transport?: Transporter; from?: string; wait?: boolean } = {},
): Promise<string> {
  const link = confirmationLink(token, now);
  if (!link) throw new DomainError('confirm_link_invalid');
  const { user, email } = link;
  const db = getDb();
  if (!link.pending) {
    // The address this link was checked against, still the account's (not changed meanwhile).
    db.update(users)
      .set({ emailConfirmedAt: now, updatedAt: now })
      .where(and(eq(users.id, user.id), eq(users.email, user.email), isNull(users.emailConfirmedAt)))
      .run();
    return email;
  }
  const taken = new DomainError('email_change_taken', { values: { email } });
  try {
    db.transaction((tx) => {
      if (tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) throw taken;
      // The account as the link was checked against: not changed, cancelled or replaced meanwhile.
      const changed = tx
        .update(users)
        .set({ email, emailConfirmedAt: now, pendingEmail: null, updatedAt: now })
        .where(and(eq(users.id, user.id), eq(users.email, user.email), eq(users.pendingEmail, email)))
        .run().changes;
      if (changed === 0) throw new DomainError('confirm_link_invalid');
      forgetLoginLimits(tx, user.email);
    });
  } catch (e) {
    // Another account took the address between the check and the write: the unique index decides.
    if (e instanceof Error && /UNIQUE/.test(e.message)) throw taken;
    throw e;
  }
  const transport = accountMailTransport(options.transport);
  if (transport) {
    const sending = mailEmailChanged(transport, user, email, now, options.from).catch((e) =>
      console.error('[email-change] the notice to the old address was not sent:', e instanceof Error ? e.message : e),
    );
    if (options.wait) await sending;
  }
  return email;
}

/** Whether the viewer's address is confirmed (reminder mail goes only to one that is). */
export function emailConfirmed(viewer: Viewer): boolean {
  const statement = prepared(getDb(), 'users.emailConfirmed', (db) =>
    db.select({ at: users.emailConfirmedAt }).from(users).where(eq(users.id, sql.placeholder('viewerId'))).prepare(),
  );
  return !!statement.get({ viewerId: viewer.id })?.at;
}

export function updateProfile(viewer: Viewer, input: { displayName?: string; locale?: Locale }): void {
  const set: Partial<User> = { updatedAt: new Date() };
  if (input.displayName !== undefined) set.displayName = input.displayName.trim();
  if (input.locale !== undefined) set.locale = input.locale;
  getDb().update(users).set(set).where(eq(users.id, viewer.id)).run();
}
