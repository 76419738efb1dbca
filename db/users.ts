import { hash, verify } from '@node-rs/argon2';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { RateLimiterSQLite } from 'rate-limiter-flexible';
import type { Transporter } from 'nodemailer';
import { DomainError, NotFoundError } from '@/lib/errors';
import { asLocale } from '@/lib/i18n/config';
import { loadMessages } from '@/lib/i18n/messages';
import { appUrl as appUrlFromEnv, createMailTransport, DEFAULT_FROM, mailConfig, mailConfigured } from '@/lib/mail-config';
import { isWeakPassword } from '@/lib/password-strength';
import { CONFIRM_VALID_DAYS, confirmationTokenUser, emailConfirmationToken, emailConfirmationUrl, isEmailConfirmationToken } from '@/lib/email-confirmation';
import { isPasswordResetToken, passwordResetToken, passwordResetUrl, RESET_VALID_MINUTES, resetTokenUser } from '@/lib/password-reset';
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
 * For the mail below, and for an administrator's `npm run reset-link` where no mail is set up.
 */
export function systemPasswordResetLink(emailInput: string, now: Date = new Date(), appUrl: string = appUrlFromEnv()): PasswordResetLink | null {
  const user = getDb().select().from(users).where(eq(users.email, normaliseEmail(emailInput))).get();
  if (!user || user.disabled) return null;
  const token = passwordResetToken(user, now);
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
  const link = systemPasswordResetLink(email, options.now, options.appUrl);
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
 * System: the email of the account a reset link is for, while the link works (bearer: whoever
 * holds the link); else null. The page shows it before asking for the new password.
 */
export function systemPasswordResetEmail(token: string, now: Date = new Date()): string | null {
  return resetLinkAccount(getDb(), token, now)?.email ?? null;
}

/** The account a reset link is for, while the link still works for it (else undefined). */
function resetLinkAccount(db: DB, token: string, now: Date): User | undefined {
  const userId = resetTokenUser(token);
  const user = userId ? db.select().from(users).where(eq(users.id, userId)).get() : undefined;
  return user && !user.disabled && isPasswordResetToken(user, token, now) ? user : undefined;
}

/**
 * System: sets a new password with a link's token (bearer: whoever holds the link). The link must
 * be for the account as it is now and not yet ended; the account not disabled. Every session of
 * the account ends (whoever knew the old password is signed out), and the failed sign-ins counted
 * against the account are forgotten, so that the owner signs in at once. Else 'reset_link_invalid'
 * and nothing changes. Returns the account's email, to sign in with.
 */
export async function systemResetPassword(token: string, next: string, now: Date = new Date()): Promise<string> {
  const db = getDb();
  const user = resetLinkAccount(db, token, now);
  if (!user) throw new DomainError('reset_link_invalid');
  if (await isWeakPassword(next, user)) throw new DomainError('password_weak', { field: 'next' });
  const passwordHash = await hashPassword(next);
  db.transaction((tx) => {
    // The same link sent twice at once: only the first finds the hash it was made from.
    // The link reached this address: it is confirmed, if it was not.
    const changed = tx
      .update(users)
      .set({ passwordHash, updatedAt: now, emailConfirmedAt: user.emailConfirmedAt ?? now })
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
 * A new password for the viewer, given the current one; the viewer's other sessions end. Written only
 * over the password that was checked: one changed meanwhile (another tab, a reset link used while
 * the hashes were worked out) is not overwritten, and the change is refused (password_changed_meanwhile).
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
      .set({ passwordHash, updatedAt: new Date() })
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

/** Sign-in emails changed per account and day: each change mails two addresses, one of them new. */
const EMAIL_CHANGES_PER_DAY = 5;

/**
 * Changes the viewer's sign-in email, which is also where reminder mails and reset links go. The
 * password is asked again (limited as everywhere), and the new address must be no other account's:
 * else nothing changes. Other sessions stay signed in (the account is the same). Reset links made
 * for the old address stop working (they carry the address); the failed sign-ins counted under it
 * are forgotten, as the address is no longer this account's.
 *
 * The new address is not confirmed until its owner opens the link mailed to it: reminder mail waits for
 * that (db/mailer.ts). Where this server sends mail, a notice goes to both addresses: the old one, so that
 * its owner learns of a change they did not make, and the new one, with the link that confirms it. A notice
 * that fails is logged; the change stands. At most five changes a day per account
 * ('email_change_rate_limited'): each mails an address nobody has confirmed. Returns whether notices
 * were sent.
 */
export async function changeEmail(
  viewer: Viewer,
  input: { password: string; email: string },
  /** `wait`: return once the notices are sent or have failed (tests read what the SMTP server received). */
  options: { transport?: Transporter; now?: Date; appUrl?: string; from?: string; wait?: boolean } = {},
): Promise<{ notified: boolean }> {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, viewer.id)).get();
  if (!user) throw new NotFoundError();
  const email = normaliseEmail(input.email);
  if (email === user.email) throw new DomainError('email_unchanged', { field: 'email' });
  await verifyPasswordAgain(user, input.password, 'password');
  const changes = dailyLimiter('email', EMAIL_CHANGES_PER_DAY);
  if (await isBlocked(changes, String(user.id))) throw new DomainError('email_change_rate_limited');
  const now = options.now ?? new Date();
  try {
    db.transaction((tx) => {
      if (tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) throw new DomainError('email_taken', { field: 'email' });
      // Changed meanwhile in another tab: the address this answer was checked against is gone.
      const changed = tx
        .update(users)
        .set({ email, emailConfirmedAt: null, updatedAt: now })
        .where(and(eq(users.id, user.id), eq(users.email, user.email)))
        .run().changes;
      if (changed === 0) throw new DomainError('email_changed_meanwhile');
      forgetLoginLimits(tx, user.email);
    });
  } catch (e) {
    // Another account took the address between the check and the write: the unique index decides.
    if (e instanceof Error && /UNIQUE/.test(e.message)) throw new DomainError('email_taken', { field: 'email' });
    throw e;
  }
  await recordFailure(changes, String(user.id));
  const transport = accountMailTransport(options.transport);
  if (!transport) return { notified: false };
  const sending = (async () => {
    const locale = asLocale(user.locale);
    const messages = await loadMessages(locale);
    const old = renderEmailChangedMail({ locale, messages, displayName: user.displayName, oldEmail: user.email, newEmail: email, at: now });
    await sendAccountMail(transport, user.email, old, options.from).catch((e) =>
      console.error('[email-change] the notice to the old address was not sent:', e instanceof Error ? e.message : e),
    );
    // The new address is told too, with the link that confirms it: until then no reminder goes there.
    await mailConfirmation(transport, { ...user, email }, { now, appUrl: options.appUrl, from: options.from }, { oldEmail: user.email, at: now }).catch((e) =>
      console.error('[email-change] the notice to the new address was not sent:', e instanceof Error ? e.message : e),
    );
  })().catch((e) => console.error('[email-change] the notices were not sent:', e instanceof Error ? e.message : e));
  if (options.wait) await sending;
  return { notified: true };
}

// --- the email confirmed (lib/email-confirmation.ts) ------------------------------------

/** Confirmation links asked for again, per account and day. */
const CONFIRM_MAILS_PER_DAY = 5;

type MailOptions = { now?: Date; appUrl?: string; from?: string };

/**
 * Mails the link that confirms the account's address, to that address: after sign-up, after the email
 * changed (`changed`: the mail says so), or asked for again. Nothing without a secret to sign it with.
 */
async function mailConfirmation(
  transport: Transporter,
  user: { id: number; email: string; displayName: string; locale: string },
  options: MailOptions,
  changed?: { oldEmail: string; at: Date },
): Promise<void> {
  const token = emailConfirmationToken(user, options.now ?? new Date());
  if (!token) return;
  const locale = asLocale(user.locale);
  const mail = renderEmailConfirmationMail({
    locale,
    messages: await loadMessages(locale),
    displayName: user.displayName,
    email: user.email,
    confirmUrl: emailConfirmationUrl(options.appUrl ?? appUrlFromEnv(), token),
    validDays: CONFIRM_VALID_DAYS,
    changed,
  });
  await sendAccountMail(transport, user.email, mail, options.from);
}

/** The confirmation mail, sent after the answer (or before it, `wait`); its failure is logged. */
async function mailConfirmationInBackground(transport: Transporter, user: User, options: MailOptions & { wait?: boolean }): Promise<void> {
  const sending = mailConfirmation(transport, user, options).catch((e) =>
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
 * The viewer asks for the confirmation link again (settings). Refused with 'email_already_confirmed',
 * 'no_mail' where this server sends no mail, 'email_confirm_rate_limited' past five a day.
 */
export async function sendEmailConfirmation(viewer: Viewer, options: MailOptions & { transport?: Transporter; wait?: boolean } = {}): Promise<void> {
  const user = getDb().select().from(users).where(eq(users.id, viewer.id)).get();
  if (!user) throw new NotFoundError();
  if (user.emailConfirmedAt) throw new DomainError('email_already_confirmed');
  const transport = accountMailTransport(options.transport);
  if (!transport) throw new DomainError('no_mail');
  const limiter = dailyLimiter('confirm', CONFIRM_MAILS_PER_DAY);
  if (await isBlocked(limiter, String(user.id))) throw new DomainError('email_confirm_rate_limited');
  await recordFailure(limiter, String(user.id));
  await mailConfirmationInBackground(transport, user, options);
}

/** The account a confirmation link is for, while the link works for its address now (else undefined). */
function confirmationLinkAccount(token: string, now: Date): User | undefined {
  const userId = confirmationTokenUser(token);
  const user = userId ? getDb().select().from(users).where(eq(users.id, userId)).get() : undefined;
  return user && !user.disabled && isEmailConfirmationToken(user, token, now) ? user : undefined;
}

/**
 * System: the address a confirmation link is for, and whether it is confirmed already, while the
 * link works (bearer: whoever holds the link); else null. The page shows it before the button.
 */
export function systemEmailConfirmationState(token: string, now: Date = new Date()): { email: string; confirmed: boolean } | null {
  const user = confirmationLinkAccount(token, now);
  return user ? { email: user.email, confirmed: user.emailConfirmedAt !== null } : null;
}

/**
 * System: confirms the address with a link's token (bearer: whoever holds the link, which only its
 * address received). The link must be for the account's address as it is now and not yet ended, the
 * account not disabled; else 'confirm_link_invalid' and nothing changes. A second press changes
 * nothing and says the same. Returns the address confirmed.
 */
export function systemConfirmEmail(token: string, now: Date = new Date()): string {
  const user = confirmationLinkAccount(token, now);
  if (!user) throw new DomainError('confirm_link_invalid');
  // The address this link was checked against, still the account's (not changed meanwhile).
  getDb()
    .update(users)
    .set({ emailConfirmedAt: now, updatedAt: now })
    .where(and(eq(users.id, user.id), eq(users.email, user.email), isNull(users.emailConfirmedAt)))
    .run();
  return user.email;
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

/** Only for the command line: scripts/create-admin.ts. Named unsafe because it checks no viewer. */
export async function unsafeUpsertAdmin(email: string, password: string, displayName: string): Promise<User> {
  const db = getDb();
  const normalised = normaliseEmail(email);
  const passwordHash = await hashPassword(password);
  const existing = db.select().from(users).where(eq(users.email, normalised)).get();
  if (existing) {
    return db
      .update(users)
      .set({ role: 'admin', passwordHash, disabled: false, emailConfirmedAt: existing.emailConfirmedAt ?? new Date(), updatedAt: new Date() })
      .where(eq(users.id, existing.id))
      .returning()
      .get();
  }
  // The operator typed the address on the server: confirmed.
  return db.insert(users).values({ email: normalised, passwordHash, displayName, role: 'admin', emailConfirmedAt: new Date() }).returning().get();
}
