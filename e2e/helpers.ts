/**
 * Shared steps for the browser tests: accounts, cases, the case page's forms, reading the
 * test database directly (to prove that a refused request changed nothing), and capturing and
 * replaying server-action requests.
 *
 * Everything the tests compare against comes from the message catalogues, so a reworded
 * sentence does not break a test, and a missing translation does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { expect, type APIRequestContext, type APIResponse, type Locator, type Page, type Request } from '@playwright/test';
import { createTranslator } from 'next-intl';
import { emailConfirmationToken } from '../lib/email-confirmation';
import { passwordResetToken } from '../lib/password-reset';
import { E2E_AUTH_SECRET } from '../scripts/e2e-secret.mjs';

// --- the message catalogues ------------------------------------------------------------------

type Messages = Record<string, unknown>;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function loadCatalogue(locale: 'zh-CN' | 'en'): Messages {
  const out: Messages = {};
  for (const file of readdirSync(`${ROOT}messages/${locale}`).filter((f) => f.endsWith('.json'))) {
    out[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(`${ROOT}messages/${locale}/${file}`, 'utf8'));
  }
  return out;
}

const catalogues = { 'zh-CN': loadCatalogue('zh-CN'), en: loadCatalogue('en') };

/** A message by its dotted key ('errors.conflict'), with {placeholders} filled in. */
export function msg(locale: 'zh-CN' | 'en', key: string, values: Record<string, string | number> = {}): string {
  let node: unknown = catalogues[locale];
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) throw new Error(`no message ${locale}:${key}`);
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node !== 'string') throw new Error(`message ${locale}:${key} is not a string`);
  // A plural or a select is formatted as the app formats it (ICU, by next-intl); a plain message has
  // its {placeholders} filled in, one not given left as it is.
  if (/\{\w+, (plural|select|selectordinal),/.test(node)) {
    return createTranslator({ locale, messages: { m: node } as never })('m' as never, values as never) as string;
  }
  return node.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
export const zh = (key: string, values?: Record<string, string | number>) => msg('zh-CN', key, values);
export const en = (key: string, values?: Record<string, string | number>) => msg('en', key, values);

// --- accounts --------------------------------------------------------------------------------

export const PASSWORD = 'e2e-correct-horse-7';

/** An address no other test (or earlier run against the same database) has used. */
export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@e2e.test`.toLowerCase();
}

export type Account = { email: string; password: string; displayName: string };

/** Switches the page's language with the header button, unless it is already `locale`. */
export async function setLocale(page: Page, locale: 'zh-CN' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === locale) return;
  await page.getByTestId('locale-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

/**
 * Resolves once React has hydrated `element`. On a page still loading, Playwright's fill of a
 * <textarea> that holds text can land in front of that text instead of replacing it ("新的旧的",
 * seen once in CI; keys typed by hand are kept either way): a test that edits a filled textarea
 * on a page just opened waits for this first.
 */
export async function hydrated(element: Locator): Promise<Locator> {
  await expect.poll(() => element.evaluate((el) => Object.keys(el).some((key) => key.startsWith('__reactFiber$')))).toBe(true);
  return element;
}

/** Where the app sends someone who has just signed in (app/page.tsx decides, by role). */
function signedInLanding(url: URL): boolean {
  return !['/', '/signin', '/signup'].includes(url.pathname);
}

/** Waits for the app to take a new session in, wherever it lands, then opens /cases. */
async function landOnCases(page: Page): Promise<void> {
  await page.waitForURL(signedInLanding);
  if (new URL(page.url()).pathname !== '/cases') await page.goto('/cases');
}

/** Signs up through /signup (in `locale`, which the account keeps); ends on /cases. */
export async function signUp(
  page: Page,
  opts: { role?: 'borrower' | 'advisor'; locale?: 'zh-CN' | 'en'; email?: string; displayName?: string; password?: string } = {},
): Promise<Account> {
  const account = {
    email: opts.email ?? uniqueEmail(opts.role ?? 'borrower'),
    password: opts.password ?? PASSWORD,
    displayName: opts.displayName ?? (opts.locale === 'en' ? 'Test Borrower' : '测试借款人'),
  };
  await page.goto('/signup');
  await setLocale(page, opts.locale ?? 'zh-CN');
  const form = page.getByTestId('signup-form');
  await form.locator('input[name="displayName"]').fill(account.displayName);
  await form.locator('input[name="email"]').fill(account.email);
  await form.locator('input[name="password"]').fill(account.password);
  await form.locator(`input[name="role"][value="${opts.role ?? 'borrower'}"]`).check();
  await form.locator('button[type="submit"]').click();
  await landOnCases(page);
  return account;
}

/** Fills and sends the sign-in form; does not wait for where it goes. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  if (!/\/signin$/.test(new URL(page.url()).pathname) || !(await page.getByTestId('signin-form').isVisible())) {
    await page.goto('/signin');
  }
  const form = page.getByTestId('signin-form');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  // Wait for the answer: two refusals in a row show the same sentence, so the message alone
  // cannot tell the second answer from the first.
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && !!r.request().headers()['next-action']);
  await form.locator('button[type="submit"]').click();
  await answered;
  // A refused form re-mounts with the password emptied: only then is it ready for the next try.
  // Signed in, the page moves on instead.
  await expect
    .poll(async () => {
      if (!/\/signin$/.test(new URL(page.url()).pathname)) return true;
      return (await form.locator('input[name="password"]').inputValue({ timeout: 1000 }).catch(() => 'gone')) === '';
    })
    .toBe(true);
}

/** Signs in through /signin; ends on /cases. */
export async function signIn(page: Page, account: { email: string; password: string }): Promise<void> {
  await submitSignIn(page, account.email, account.password);
  await landOnCases(page);
}

/** The header's sign-out button (its label in either language). */
export function signOutButton(page: Page): Locator {
  return page.locator('header').getByRole('button', { name: new RegExp(`^(${zh('common.signOut')}|${en('common.signOut')})$`) });
}

export async function signOut(page: Page): Promise<void> {
  await signOutButton(page).click();
  await page.waitForURL(/\/signin$/);
}

// --- dates -----------------------------------------------------------------------------------

/** Today's calendar date in Asia/Shanghai, YYYY-MM-DD. */
export function todayShanghai(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Same day of the month, `months` later (callers keep the day ≤ 28, so nothing is clamped). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (d > 28) throw new Error('addMonths: keep the day of the month ≤ 28');
  return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
}

/** As the app shows a calendar date: 2026年12月9日 / 9 Dec 2026. */
export function formatDate(iso: string, locale: 'zh-CN' | 'en'): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** As the app shows a short weekday: 周三 / Wed. */
export function formatWeekdayShort(iso: string, locale: 'zh-CN' | 'en'): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** ¥1,234.56 */
export function formatFen(fen: number): string {
  const yuan = Math.floor(Math.abs(fen) / 100);
  return `${fen < 0 ? '-' : ''}¥${String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
}

// --- cases -----------------------------------------------------------------------------------

export type NewCase = {
  lender?: string; // the option's visible name; default: the first public lender
  product?: string;
  accountRef?: string;
  principal?: string;
  interest?: string;
  penalty?: string;
  overdueSince?: string;
  note?: string;
};

/** Fills the "new case" form (it must be on the page) without sending it. */
export async function fillCaseForm(page: Page, c: NewCase): Promise<Locator> {
  const form = page.getByTestId('case-form');
  const select = form.getByTestId('lender-select');
  if (c.lender) await select.selectOption({ label: c.lender });
  else await select.selectOption({ index: 1 });
  const fields: [string, string | undefined][] = [
    ['product', c.product],
    ['accountRef', c.accountRef],
    ['principal', c.principal],
    ['interest', c.interest],
    ['penalty', c.penalty],
    ['overdueSince', c.overdueSince],
  ];
  for (const [name, value] of fields) if (value !== undefined) await form.locator(`input[name="${name}"]`).fill(value);
  if (c.note !== undefined) await form.locator('textarea[name="note"]').fill(c.note);
  return form;
}

/** Creates a case through /cases/new and returns its id (the page then shows the case). */
export async function createCase(page: Page, c: NewCase = {}): Promise<number> {
  await page.goto('/cases/new');
  const form = await fillCaseForm(page, c);
  await form.locator('button[type="submit"]').click();
  await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
  await expect(page.getByTestId('case-page')).toBeVisible();
  return Number(new URL(page.url()).pathname.split('/').pop());
}

/** The status badge in the case page's header. */
export function caseStatusBadge(page: Page): Locator {
  return page.getByTestId('case-header').getByTestId('status-badge');
}

export async function expectCaseStatus(page: Page, status: string): Promise<void> {
  await expect(caseStatusBadge(page)).toHaveAttribute('data-status', status);
  await expect(page.getByTestId('case-page')).toHaveAttribute('data-status', status);
}

/**
 * Opens a folded block (<details>) unless it is open already, and returns it. The case page's
 * folds are rendered only when open: closed, such a fold is a link (`data-fold-link`) to the page
 * with the fold in `?open=`, and the page comes back with it open.
 */
export async function openFold(fold: Locator): Promise<Locator> {
  await expect(fold).toBeVisible();
  if ((await fold.getAttribute('open')) === null) {
    const link = fold.locator('> a[data-fold-link]');
    if ((await link.count()) > 0) {
      // A closed fold says it is one: a screen reader reads "collapsed".
      await expect(link).toHaveAttribute('aria-expanded', 'false');
      // The link is clicked again while the fold stays closed, as a person would: a click that lands as
      // the page is drawn again (the answer to the step before) reaches a link already replaced, and
      // no request goes (seen once in CI, on an instalment's "mark paid"). The same address each time.
      await expect(async () => {
        if ((await fold.getAttribute('open')) === null) await link.click({ timeout: 2_000 });
        await expect(fold).toHaveAttribute('open', '', { timeout: 4_000 });
      }).toPass({ timeout: 20_000 });
    } else {
      await fold.locator('> summary').click();
    }
  }
  await expect(fold).toHaveAttribute('open', '');
  return fold;
}

/** The form of one step in the action panel (e.g. 'submit', 'reject'), unfolded. */
export async function actionForm(page: Page, transition: string, formTestId: string): Promise<Locator> {
  const fold = await openFold(page.getByTestId('action-panel').getByTestId(`action-${transition}`));
  return fold.getByTestId(formTestId);
}

export function submitButton(form: Locator): Locator {
  return form.locator('button[type="submit"]');
}

/** Adds a document of `kind` to the case page's checklist and marks it ready to send. */
export async function addReadyDocument(page: Page, kind: string): Promise<void> {
  const addForm = (await openFold(page.getByTestId('documents').getByTestId('add-document'))).getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption(kind);
  await submitButton(addForm).click();
  const doc = page.getByTestId('documents').locator(`[data-testid="document"][data-kind="${kind}"]`);
  await expect(doc).toHaveCount(1);
  await openFold(doc.getByTestId('document-manage'));
  const status = doc.getByTestId('document-status-form');
  await status.locator('select[name="status"]').selectOption('ready');
  await submitButton(status).click();
  await expect(doc).toHaveAttribute('data-status', 'ready');
}

/** The success or error sentence of a form. */
export function formMessage(form: Locator): Locator {
  return form.getByTestId('form-message');
}

/** Applies for 个性化分期 through the app on `submittedOn` (the case page is open). */
export async function submitApplication(page: Page, submittedOn: string): Promise<void> {
  const form = await actionForm(page, 'submit', 'form-submit');
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption('app');
  await form.locator('input[name="submittedOn"]').fill(submittedOn);
  await submitButton(form).click();
  await expectCaseStatus(page, 'under_review');
}

/** Records the lender's approval with a plan (the decision today unless `decidedOn`). */
export async function approvePlan(page: Page, plan: { periods: string; monthly: string; first: string; decidedOn?: string }): Promise<void> {
  const form = await actionForm(page, 'approve', 'form-approve');
  if (plan.decidedOn) await form.locator('input[name="decidedOn"]').fill(plan.decidedOn);
  await form.locator('input[name="agreedPeriods"]').fill(plan.periods);
  await form.locator('input[name="agreedMonthly"]').fill(plan.monthly);
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(plan.first);
  await submitButton(form).click();
  await expectCaseStatus(page, 'approved');
}

/** Records the lender's rejection of the current round on `decidedOn`, for want of proof of hardship. */
export async function rejectApplication(page: Page, decidedOn: string): Promise<void> {
  const form = await actionForm(page, 'reject', 'form-reject');
  await form.locator('select[name="rejectionReason"]').selectOption('insufficient_proof');
  await form.locator('input[name="decidedOn"]').fill(decidedOn);
  await submitButton(form).click();
  await expectCaseStatus(page, 'rejected');
}

/** No sideways scrolling: the page is no wider than the window. */
export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `horizontal scroll on ${where}: ${scrollWidth} > ${innerWidth}`).toBeLessThanOrEqual(innerWidth);
}

// --- files -----------------------------------------------------------------------------------

/** A real 2×2 PNG (red, green, blue, white), made here so the repository holds no binary. */
export function pngBytes(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  // Two rows, each a filter byte and two RGB pixels.
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  const stored = deflateSync(raw);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', stored),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- the database, read directly ---------------------------------------------------------------

/** scripts/e2e-server.mjs puts the test database and the uploads here (or in E2E_DATA_DIR). */
const DATA_DIR = process.env.E2E_DATA_DIR ? resolve(ROOT, process.env.E2E_DATA_DIR) : `${ROOT}.test-data/e2e`;
export const DB_PATH = `${DATA_DIR}/respite.db`;
export const UPLOAD_DIR = `${DATA_DIR}/uploads`;

function withDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(DB_PATH, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function userByEmail(email: string): { id: number; email: string; locale: string; display_name: string } {
  const row = withDb((db) => db.prepare('select id, email, locale, display_name from users where email = ?').get(email.toLowerCase()));
  if (!row) throw new Error(`no user ${email}`);
  return row as { id: number; email: string; locale: string; display_name: string };
}

/** The token of a reset link for the account as it is now, as the mail would carry it (lib/password-reset.ts, the test server's secret). */
export function resetLinkToken(email: string, now = new Date()): string {
  const user = withDb((db) => db.prepare('select id, email, password_hash from users where email = ?').get(email.toLowerCase()) as { id: number; email: string; password_hash: string });
  return passwordResetToken({ id: user.id, email: user.email, passwordHash: user.password_hash }, now, E2E_AUTH_SECRET)!;
}

/** The link that confirms the account's address as it is now (lib/email-confirmation.ts), as the server would mail it. */
export function confirmLinkToken(email: string, now = new Date()): string {
  const user = withDb((db) => db.prepare('select id, email from users where email = ?').get(email.toLowerCase()) as { id: number; email: string });
  return emailConfirmationToken(user, now, E2E_AUTH_SECRET)!;
}

/** Whether the account still gets reminder mail (its setting, as stored). */
export function emailRemindersOn(email: string): boolean {
  const row = withDb((db) => db.prepare('select email_reminders as on_ from users where email = ?').get(email.toLowerCase())) as { on_: number } | undefined;
  if (!row) throw new Error(`no user ${email}`);
  return row.on_ === 1;
}

export function caseIdsOf(email: string): number[] {
  return withDb((db) =>
    (db.prepare('select c.id from cases c join users u on u.id = c.owner_id where u.email = ? order by c.id').all(email.toLowerCase()) as { id: number }[]).map(
      (r) => r.id,
    ),
  );
}

export function caseRow(caseId: number): Record<string, unknown> {
  const row = withDb((db) => db.prepare('select * from cases where id = ?').get(caseId));
  if (!row) throw new Error(`no case ${caseId}`);
  return row as Record<string, unknown>;
}

/** Rows of one table for the given cases, ordered by id. */
export function rowsOf(table: string, caseIds: number[]): Record<string, unknown>[] {
  if (caseIds.length === 0) return [];
  return withDb(
    (db) => db.prepare(`select * from ${table} where case_id in (${caseIds.map(() => '?').join(',')}) order by id`).all(...caseIds) as Record<string, unknown>[],
  );
}

export const CASE_TABLES = ['attempts', 'material_requests', 'documents', 'contacts', 'plans', 'instalments', 'case_events'] as const;

export type Snapshot = {
  user: unknown;
  sessions: unknown[];
  lenders: unknown[];
  formSubmissions: unknown[];
  /** The account's reminders (their own and the rules'), where the build has them. */
  reminders: unknown[];
  /** Shares with advisors, either side, and the log of what advisors opened. */
  shares: unknown[];
  accessLog: unknown[];
  cases: unknown[];
  rows: Record<(typeof CASE_TABLES)[number], unknown[]>;
  /** sha256 of each stored file, by stored name ('missing' if the file is gone). */
  files: Record<string, string>;
};

/**
 * Everything an account owns, as the database holds it: the account, its sessions, private
 * lenders, form keys, reminders and shares, its cases and every row hanging off them, and the
 * uploaded files' bytes. Equal snapshots before and after a request prove the request changed nothing.
 */
export function snapshotUser(email: string): Snapshot {
  return withDb((db) => {
    const user = db.prepare('select * from users where email = ?').get(email.toLowerCase()) as { id: number } | undefined;
    if (!user) throw new Error(`no user ${email}`);
    const cases = db.prepare('select * from cases where owner_id = ? order by id').all(user.id) as { id: number }[];
    const ids = cases.map((c) => c.id);
    const inCases = (table: string) =>
      ids.length === 0 ? [] : db.prepare(`select * from ${table} where case_id in (${ids.map(() => '?').join(',')}) order by id`).all(...ids);
    const rows = Object.fromEntries(CASE_TABLES.map((t) => [t, inCases(t)])) as Snapshot['rows'];
    const files: Record<string, string> = {};
    for (const doc of rows.documents as { stored_name: string | null }[]) {
      if (!doc.stored_name) continue;
      const file = `${UPLOAD_DIR}/${doc.stored_name}`;
      files[doc.stored_name] = existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing';
    }
    const hasTable = (name: string) => !!db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name);
    return {
      user,
      reminders: hasTable('reminders') ? db.prepare('select * from reminders where owner_id = ? order by id').all(user.id) : [],
      shares: hasTable('shares') ? db.prepare('select * from shares where borrower_id = ? or advisor_id = ? order by id').all(user.id, user.id) : [],
      accessLog: hasTable('access_log') ? db.prepare('select * from access_log where borrower_id = ? order by id').all(user.id) : [],
      sessions: db.prepare('select * from sessions where user_id = ? order by id').all(user.id),
      lenders: db.prepare('select * from lenders where owner_id = ? order by id').all(user.id),
      formSubmissions: db.prepare('select * from form_submissions where user_id = ? order by key').all(user.id),
      cases,
      rows,
      files,
    };
  });
}

// --- server actions: the wire format, captured and replayed ---------------------------------------

/** One part of a multipart body. */
export type Part = { name: string; value: Buffer; fileName?: string; contentType?: string };

/** A server-action request as the browser sent it. */
export type CapturedAction = {
  actionId: string;
  /** The page the form was on; the action is posted to it. */
  path: string;
  routerStateTree: string | undefined;
  parts: Part[];
};

/** Splits a multipart/form-data body into its parts, in order. */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Part[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const chunk = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = chunk.indexOf('\r\n\r\n');
    const headers = chunk.subarray(0, headerEnd).toString('utf8');
    const value = chunk.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const fileName = /filename="([^"]*)"/i.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
    parts.push({ name, value: Buffer.from(value), fileName, contentType: type });
    start = next;
  }
  return parts;
}

/** A multipart body with the parts in the given order (the decoder reads the fields before the root "0"). */
export function buildMultipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----e2eBoundary${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.fileName !== undefined ? `; filename="${p.fileName}"` : ''}`;
    const type = p.contentType ? `\r\nContent-Type: ${p.contentType}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`), p.value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Runs `trigger` (a form submission in the page) and returns the server-action request it sent.
 *
 * Chromium does not hand over the body of a request that carries a file. For such a form, pass
 * it as `form`: its fields are read just before the submission and the body is put together as
 * React sends it (fields as `_1_<name>`, then the root part `0` = `[prevState, "$K1"]`); the
 * file part is left empty for the caller to fill (see `withField`).
 */
export async function captureAction(page: Page, trigger: () => Promise<void>, form?: Locator): Promise<CapturedAction & { rebuilt: boolean }> {
  const fields = form
    ? await form.evaluate((f: HTMLFormElement) =>
        [...new FormData(f).entries()].map(([name, value]) =>
          typeof value === 'string' ? { name, value } : { name, value: '', fileName: value.name, contentType: value.type },
        ),
      )
    : [];
  const requestSeen = page.waitForRequest((r: Request) => r.method() === 'POST' && !!r.headers()['next-action']);
  await trigger();
  const request = await requestSeen;
  // The answer has begun (a redirecting action's body may never "finish": the page navigates away).
  await request.response();
  const headers = request.headers();
  const body = request.postDataBuffer();
  let parts = body ? parseMultipart(body, headers['content-type'] ?? '') : [];
  const rebuilt = !parts.some((p) => p.name === '0');
  if (rebuilt) {
    if (!form) throw new Error(`the browser did not hand over the body of ${request.url()}: pass the form to captureAction`);
    parts = [
      ...fields
        .filter((f) => !f.name.startsWith('$ACTION'))
        .map((f) => ({ name: `_1_${f.name}`, value: Buffer.from(f.value), fileName: 'fileName' in f ? f.fileName : undefined, contentType: 'contentType' in f ? f.contentType : undefined })),
      { name: '0', value: Buffer.from('[{"status":"idle"},"$K1"]') },
    ];
  }
  return {
    actionId: headers['next-action'],
    path: new URL(request.url()).pathname,
    routerStateTree: headers['next-router-state-tree'],
    parts,
    rebuilt,
  };
}

/** The field's form name in the reply encoding: React sends a FormData argument as `_<ref>_<name>`. */
export function fieldPart(parts: Part[], field: string): Part | undefined {
  return parts.find((p) => p.name.replace(/^_\d+_/, '') === field && !p.name.includes('$ACTION'));
}

/** The parts with one form field's value replaced (it must be present already). */
export function withField(parts: Part[], field: string, value: string | Part): Part[] {
  const target = fieldPart(parts, field);
  if (!target) throw new Error(`the captured request has no field ${field}: ${parts.map((p) => p.name).join(', ')}`);
  return parts.map((p) =>
    p === target ? (typeof value === 'string' ? { name: p.name, value: Buffer.from(value) } : { ...value, name: p.name }) : p,
  );
}

/** The form fields of a captured request, as text (files show their name). */
export function fieldsOf(parts: Part[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of parts) {
    if (p.name === '0' || p.name.includes('$ACTION')) continue;
    out[p.name.replace(/^_\d+_/, '')] = p.fileName !== undefined ? `file:${p.fileName}` : p.value.toString('utf8');
  }
  return out;
}

/**
 * Posts a server-action request the way the browser does: the action id in `Next-Action`, the
 * body as multipart in the reply encoding. Redirects are not followed, so the answer is what
 * the server said to this request.
 */
export async function postAction(
  request: APIRequestContext,
  baseURL: string,
  action: { actionId: string; path: string; routerStateTree?: string },
  parts: Part[],
  extraHeaders: Record<string, string> = {},
): Promise<APIResponse> {
  const { body, contentType } = buildMultipart(parts);
  const headers: Record<string, string> = {
    'next-action': action.actionId,
    accept: 'text/x-component',
    origin: baseURL,
    'content-type': contentType,
    ...extraHeaders,
  };
  if (action.routerStateTree) headers['next-router-state-tree'] = action.routerStateTree;
  return request.post(`${baseURL}${action.path}`, { headers, data: body, maxRedirects: 0, failOnStatusCode: false });
}

// --- the build's list of server actions -----------------------------------------------------------

export type ManifestAction = { id: string; filename: string; exportedName: string; workers: string[] };

/**
 * Every server action of the production build under test, from
 * `<distDir>/server/server-reference-manifest.json`. Its `node` object maps each action id to
 * `{ workers: { "<app/route/page>": { moduleId, async } }, filename: "app/…/actions.ts", exportedName }`.
 */
export function buildActions(): ManifestAction[] {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const manifest = JSON.parse(readFileSync(`${ROOT}${distDir}/server/server-reference-manifest.json`, 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    filename: entry.filename ?? '?',
    exportedName: entry.exportedName ?? '?',
    workers: Object.keys(entry.workers),
  }));
}
