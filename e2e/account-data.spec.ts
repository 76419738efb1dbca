/**
 * The borrower's own data (issue 5): a borrower with a case, an uploaded file and an advisor
 * downloads everything through the settings page (the zip is opened here and its JSON and file
 * bytes checked), then deletes the account through the danger zone: a wrong password changes
 * nothing; the right one signs them out onto the sign-in page, which says so; they cannot sign
 * in again; their rows and files are gone; and the advisor's next request for the case is
 * "not found".
 */
import { existsSync, readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import {
  createCase,
  en,
  formMessage,
  openFold,
  pngBytes,
  setLocale,
  snapshotUser,
  submitApplication,
  submitButton,
  submitSignIn,
  todayShanghai,
  uniqueEmail,
  zh,
  DB_PATH,
  PASSWORD,
  UPLOAD_DIR,
  type Account,
} from './helpers';
import Database from 'better-sqlite3';

const catalogue = (ns: string) => JSON.parse(readFileSync(new URL(`../messages/zh-CN/${ns}.json`, import.meta.url), 'utf8'));
const ACCOUNT = catalogue('account');
const ERRORS = catalogue('errors');
/** The error said under one field of a form. */
const fieldError = (form: Locator, name: string) => form.locator(`[id$="-${name}-error"]`);

const BORROWER_NAME = '陈借款';
const ADVISOR_NAME = '周顾问';
const FILE_NAME = '工资单 2025年5月.png';
const NOTE = '请先准备近三个月的工资单。';

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function signUpAs(page: Page, role: 'borrower' | 'advisor', displayName: string): Promise<Account> {
  const account = { email: uniqueEmail(`acct-${role}`), password: PASSWORD, displayName };
  await page.goto('/signup');
  await setLocale(page, 'zh-CN');
  const form = page.getByTestId('signup-form');
  await form.locator('input[name="displayName"]').fill(displayName);
  await form.locator('input[name="email"]').fill(account.email);
  await form.locator('input[name="password"]').fill(account.password);
  await form.locator(`input[name="role"][value="${role}"]`).check();
  await submitButton(form).click();
  await page.waitForURL((url) => !['/signup', '/'].includes(url.pathname));
  await expect(page.getByTestId('viewer-name')).toHaveText(displayName);
  return account;
}

/** How many rows of each table still refer to the user id (the tables with a users foreign key). */
function rowsReferring(userId: number): Record<string, number> {
  const db = new Database(DB_PATH, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get(userId, userId) as { n: number }).n;
    return {
      users: count('select count(*) n from users where id = ? or id = ?'),
      sessions: count('select count(*) n from sessions where user_id = ? or user_id = ?'),
      cases: count('select count(*) n from cases where owner_id = ? or owner_id = ?'),
      lenders: count('select count(*) n from lenders where owner_id = ? or owner_id = ?'),
      reminders: count('select count(*) n from reminders where owner_id = ? or created_by = ?'),
      shares: count('select count(*) n from shares where borrower_id = ? or advisor_id = ?'),
      accessLog: count('select count(*) n from access_log where borrower_id = ? or advisor_id = ?'),
      emailDeliveries: count('select count(*) n from email_deliveries where user_id = ? or user_id = ?'),
      formSubmissions: count('select count(*) n from form_submissions where user_id = ? or user_id = ?'),
      caseEvents: count('select count(*) n from case_events where actor_id = ? or actor_id = ?'),
    };
  } finally {
    db.close();
  }
}

test('a borrower downloads all their data, then deletes the account: signed out, gone, and the advisor finds nothing', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const png = pngBytes();

  // --- a borrower with a case, an uploaded file and an advisor --------------------------------------
  const b = await newPage(browser);
  const borrower = await signUpAs(b, 'borrower', BORROWER_NAME);
  const caseId = await createCase(b, { product: '花呗', principal: '8888.88' });
  // Applied for: the review's reminder is exported in both languages.
  await submitApplication(b, todayShanghai());
  const addForm = (await openFold(b.getByTestId('documents').getByTestId('add-document'))).getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption('payslip');
  await submitButton(addForm).click();
  const doc = b.getByTestId('documents').locator('[data-testid="document"][data-kind="payslip"]');
  await expect(doc).toHaveCount(1);
  await openFold(doc.getByTestId('document-manage'));
  const upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: FILE_NAME, mimeType: 'image/png', buffer: png });
  await submitButton(upload).click();
  await expect(doc.getByTestId('document-download')).toBeVisible();
  const documentId = Number(await doc.getAttribute('data-document-id'));

  await b.goto('/sharing');
  await b.getByTestId('invite-form').locator('input[name="label"]').fill('周顾问');
  await submitButton(b.getByTestId('invite-form')).click();
  const link = await b.getByTestId('invite-link').inputValue();
  const a = await newPage(browser);
  await signUpAs(a, 'advisor', ADVISOR_NAME);
  await a.goto(link);
  await submitButton(a.getByTestId('accept-form')).click();
  await a.waitForURL(/\/dashboard\?accepted=1$/);
  expect((await a.goto(`/cases/${caseId}`))!.status()).toBe(200);
  await a.getByTestId('note-form').locator('textarea[name="text"]').fill(NOTE);
  await submitButton(a.getByTestId('note-form')).click();
  await expect(a.locator('[data-testid="event"][data-kind="note"]')).toHaveCount(1);

  // --- the download, through the page ---------------------------------------------------------------
  await b.goto('/settings');
  const exportSection = b.getByTestId('export-section');
  await expect(exportSection).toContainText(ACCOUNT.export.title);
  const downloading = b.waitForEvent('download');
  await exportSection.getByTestId('export-download').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`respite-export-${todayShanghai()}.zip`);
  const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));

  const json = JSON.parse(strFromU8(zip['respite-export.json']));
  expect(json.account).toMatchObject({ email: borrower.email, displayName: BORROWER_NAME, role: 'borrower', language: 'zh-CN' });
  expect(JSON.stringify(json)).not.toMatch(/argon2|passwordHash|inviteCodeHash|calendarToken/);
  expect(json.cases.map((c: { id: number }) => c.id)).toEqual([caseId]);
  // Every code says what it means, in both languages: the case's status, its documents' kinds.
  expect(json.codeLabels.status.preparing).toEqual({ 'zh-CN': '准备中', en: expect.any(String) });
  const [exportedCase] = json.cases;
  expect(json.codeLabels.status[exportedCase.status]['zh-CN']).toBeTruthy();
  expect(exportedCase.product).toBe('花呗');
  expect(exportedCase.principal).toEqual({ fen: 888_888, yuan: '8888.88' });
  expect(exportedCase.createdAt).toMatch(/\+08:00$/);
  const exportedDoc = exportedCase.documents.find((d: { id: number }) => d.id === documentId);
  expect(exportedDoc.file).toMatchObject({ originalName: FILE_NAME, mimeType: 'image/png', sizeBytes: png.length });
  expect(exportedDoc.file.inArchive).toBe(`files/${caseId}/${documentId}-${FILE_NAME}`);
  expect(Buffer.from(zip[exportedDoc.file.inArchive]).equals(png)).toBe(true);
  expect(json.codeLabels.documentKind[exportedDoc.kind]).toEqual({ 'zh-CN': expect.any(String), en: expect.any(String) });
  // A contact's "who reached out" is a code too.
  expect(json.codeLabels.contactDirection.incoming).toEqual({ 'zh-CN': zh('domain.contactDirection.incoming'), en: en('domain.contactDirection.incoming') });
  const note = exportedCase.timeline.find((e: { kind: string }) => e.kind === 'note');
  expect(note).toMatchObject({ data: { text: NOTE }, by: { you: false, name: ADVISOR_NAME, role: 'advisor' } });
  expect(json.sharesYouGave).toHaveLength(1);
  expect(json.sharesYouGave[0]).toMatchObject({ label: '周顾问', status: 'active', advisor: { name: ADVISOR_NAME } });
  expect(json.advisorAccessToYourData.map((l: { action: string }) => l.action)).toEqual(expect.arrayContaining(['view_case', 'add_note']));
  const readme = strFromU8(zip['README.txt']);
  expect(readme).toContain('respite-export.json');
  // In both languages, whichever the reader uses (the route asks for each by name).
  expect(readme).toContain('这个压缩包包含协商记保存的关于你的全部信息');
  expect(readme).toContain('This archive holds everything Respite keeps about you');
  // A rule reminder's sentence, once in each language.
  const ruled = (json.reminders as { kind: string; text: Record<string, string> }[]).filter((r) => r.kind !== 'custom');
  expect(ruled.length).toBeGreaterThan(0);
  for (const r of ruled) expect(r.text.en).not.toBe(r.text['zh-CN']);
  expect(Object.keys(zip).sort()).toEqual(['README.txt', exportedDoc.file.inArchive, 'respite-export.json'].sort());

  // The answer's headers, and nobody else's data: the advisor's own export has none of the case.
  const res = await b.request.get('/settings/export');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/zip');
  expect(res.headers()['content-disposition']).toBe(`attachment; filename="respite-export-${todayShanghai()}.zip"`);
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  expect(res.headers()['cache-control']).toContain('no-store');
  const advisorZip = unzipSync(new Uint8Array(await (await a.request.get('/settings/export')).body()));
  const advisorJson = JSON.parse(strFromU8(advisorZip['respite-export.json']));
  expect(advisorJson.cases).toEqual([]);
  expect(advisorJson.asAdvisor.notesYouWrote.map((n: { text: string }) => n.text)).toEqual([NOTE]);
  expect(Object.keys(advisorZip).some((n) => n.startsWith('files/'))).toBe(false);
  expect(JSON.stringify(advisorJson)).not.toContain('花呗');
  // Signed out, there is no export.
  const anonymous = await (await browser.newContext()).request.get(`${baseURL}/settings/export`, { maxRedirects: 0 });
  expect([303, 307]).toContain(anonymous.status());

  // --- the danger zone: a wrong password changes nothing ----------------------------------------------
  const danger = b.getByTestId('danger-zone');
  await expect(danger).toContainText(ACCOUNT.danger.title);
  await expect(danger.locator('[data-item="files"]')).toContainText('1');
  const form = danger.getByTestId('delete-account-form');
  const before = snapshotUser(borrower.email);
  await form.locator('input[name="password"]').fill('not-my-password');
  await form.locator('input[name="confirm"]').fill(borrower.email);
  await submitButton(form).click();
  // Said once, under the password; the form's own line only says to check the fields.
  await expect(fieldError(danger.getByTestId('delete-account-form'), 'password')).toHaveText(ACCOUNT.danger.wrongPassword);
  await expect(formMessage(danger.getByTestId('delete-account-form'))).toHaveText(ERRORS.check_fields);
  expect(snapshotUser(borrower.email)).toEqual(before);
  // Both wrong: both said at once, each under its field.
  const both = danger.getByTestId('delete-account-form');
  await both.locator('input[name="password"]').fill('not-my-password');
  await both.locator('input[name="confirm"]').fill('someone-else@example.test');
  await submitButton(both).click();
  await expect(fieldError(danger.getByTestId('delete-account-form'), 'password')).toHaveText(ACCOUNT.danger.wrongPassword);
  await expect(fieldError(danger.getByTestId('delete-account-form'), 'confirm')).toHaveText(ACCOUNT.danger.confirmMismatch);
  await expect(danger.getByTestId('delete-account-form').locator('input[name="confirm"]')).toHaveValue('someone-else@example.test');
  expect(snapshotUser(borrower.email)).toEqual(before);
  // The confirmation must be the account's own email.
  const again = danger.getByTestId('delete-account-form');
  await again.locator('input[name="password"]').fill(PASSWORD);
  await again.locator('input[name="confirm"]').fill('someone-else@example.test');
  await submitButton(again).click();
  // This answer, not the last one (which said the same under the email): the password is no longer wrong.
  await expect(fieldError(danger.getByTestId('delete-account-form'), 'password')).toHaveCount(0);
  await expect(fieldError(danger.getByTestId('delete-account-form'), 'confirm')).toHaveText(ACCOUNT.danger.confirmMismatch);
  await expect(formMessage(danger.getByTestId('delete-account-form'))).toHaveText(ERRORS.check_fields);
  expect(snapshotUser(borrower.email)).toEqual(before);

  // --- the right password and email: deleted, signed out, told so --------------------------------------
  const userId = (before.user as { id: number }).id;
  const storedNames = Object.keys(before.files);
  expect(storedNames).toHaveLength(1);
  expect(existsSync(`${UPLOAD_DIR}/${storedNames[0]}`)).toBe(true);
  const last = danger.getByTestId('delete-account-form');
  await last.locator('input[name="password"]').fill(PASSWORD);
  await last.locator('input[name="confirm"]').fill(borrower.email.toUpperCase());
  await submitButton(last).click();
  await b.waitForURL(/\/signin\?deleted=1$/);
  await expect(b.getByTestId('account-deleted')).toHaveText(ACCOUNT.signedOutDeleted);
  expect(await b.context().cookies()).not.toContainEqual(expect.objectContaining({ name: expect.stringContaining('authjs.session-token') }));
  expect((await b.goto('/settings'))!.url()).toMatch(/\/signin\?next=%2Fsettings$/);

  expect(Object.values(rowsReferring(userId)).every((n) => n === 0), JSON.stringify(rowsReferring(userId))).toBe(true);
  expect(existsSync(`${UPLOAD_DIR}/${storedNames[0]}`)).toBe(false);

  // They cannot sign in again.
  await submitSignIn(b, borrower.email, borrower.password);
  await expect(formMessage(b.getByTestId('signin-form'))).toHaveText(zh('auth.invalidCredentials'));
  expect(new URL(b.url()).pathname).toBe('/signin');

  // --- the advisor's very next request: not found -------------------------------------------------------
  expect((await a.goto(`/cases/${caseId}`))!.status()).toBe(404);
  expect((await a.request.get(`/documents/${documentId}`)).status()).toBe(404);
  await a.goto('/dashboard');
  await expect(a.locator('body')).not.toContainText(BORROWER_NAME);
});
