/**
 * The authorisation suite. Borrower A records a full case (attempts, a document with a file,
 * a contact, a plan) and a few more, through the UI; every server-action request A's browser
 * sends on the way is captured. Borrower B, signed in with their own session, then tries to
 * list, read, edit, change the status of, delete and download A's things, through the pages
 * and by sending A's captured requests (with A's ids) straight to the server; so does an
 * anonymous caller. Every attempt must look like "not found", and A's rows in the database, and
 * A's files, must be exactly as they were.
 *
 * The list of actions comes from the production build's server-reference manifest: an action
 * added to the app without being added here (or to the reasoned exclusions) fails the suite.
 */
import { randomBytes } from 'node:crypto';
import { expect, test, type APIResponse, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import {
  actionForm,
  buildActions,
  captureAction,
  caseIdsOf,
  expectCaseStatus,
  fieldPart,
  fieldsOf,
  fillCaseForm,
  formMessage,
  openFold,
  pngBytes,
  postAction,
  rowsOf,
  signUp,
  snapshotUser,
  submitButton,
  todayShanghai,
  addDays,
  withField,
  zh,
  type Account,
  type CapturedAction,
  type Part,
} from './helpers';
import { MATRIX, OUTSIDE_THE_MATRIX } from '../tests/authz/matrix';

// One worker runs these in order; after a failure the worker restarts and beforeAll records A's
// story again, so one failing check does not hide the others.
const PUBLIC_LENDER = '花呗/借呗（重庆蚂蚁消费金融）';
const tag = randomBytes(3).toString('hex');
/** A's words: none of them may reach B, or an anonymous caller, unless that caller sent them itself. */
const SECRET = {
  lenderName: `A的私有机构${tag}`,
  lenderProduct: `A的私有产品${tag}`,
  product: `A秘密产品${tag}`,
  note: `A的秘密备注${tag}`,
  editedNote: `A改过的备注${tag}`,
  docNote: `A的材料备注${tag}`,
  fileName: `A秘密文件${tag}.png`,
  contact: `A的秘密沟通${tag}`,
  materials: `A被要求的材料${tag}`,
  rejection: `A被拒绝的原话${tag}`,
  reminder: `A的秘密提醒${tag}`,
  reminderEdited: `A改过的提醒${tag}`,
  caseNote: `A的秘密笔记${tag}`,
  shareLabel: `A的顾问邀请${tag}`,
};

/**
 * Actions that B cannot point at A's data, with the reason. Everything else in the manifest
 * must be captured below and replayed as B.
 */
const NOT_REPLAYED: Record<string, string> = {
  'app/(auth)/actions.ts#signInAction': 'public by design; takes no id (sign-in is tested in auth.spec.ts, its limit too)',
  'app/(auth)/actions.ts#signUpAction': 'public by design; creates a new account and touches no existing one',
  'app/actions.ts#setLocaleAction': 'public by design; sets a cookie and the caller\'s own account language',
  'app/actions.ts#signOutAction': 'ends the caller\'s own session only',
  'app/settings/actions.ts#changePasswordAction': 'acts on the caller\'s own account only (the viewer); takes no id',
  'app/settings/actions.ts#signOutEverywhereAction': 'acts on the caller\'s own sessions only; takes no id',
  'app/settings/actions.ts#updateProfileAction': 'acts on the caller\'s own account only; takes no id',
  'app/settings/actions.ts#regenerateCalendarTokenAction': 'replaces the caller\'s own calendar-feed token; takes no id',
  'app/settings/actions.ts#setEmailRemindersAction': 'sets the caller\'s own e-mail preference; takes no id',
  'app/settings/actions.ts#deleteAccountAction':
    'deletes the caller\'s own account only (the viewer), behind its password and typed email; takes no id (account-data.spec.ts, db/account.test.ts)',
  'app/sharing/actions.ts#createInviteAction': 'creates an invitation from the caller\'s own account; takes no id',
  'app/share/accept/actions.ts#acceptInviteAction':
    'authorised by the invitation code itself (a bearer secret, stored hashed), not by an id; who may accept, and when, is sharing.spec.ts\'s',
  'app/lenders/actions.ts#createPrivateLenderAction': 'creates a lender owned by the caller; takes no id (A\'s private lender is attacked through createCaseAction)',
};

type Captured = CapturedAction & { name: string };

let A: Account;
let B: Account;
let contextA: BrowserContext;
let contextB: BrowserContext;
let pageA: Page;
let pageB: Page;
/** By "<file>#<export>": one captured request per action. */
const captured = new Map<string, Captured>();
/** Steps for actions that only some builds have, which failed: reported by the coverage test. */
const optionalFailures: string[] = [];

/** Records A doing something through an action that only newer builds have (skipped otherwise). */
async function ifBuilt(name: string, steps: () => Promise<void>) {
  if (!buildActions().some((a) => `${a.filename}#${a.exportedName}` === name)) return;
  try {
    await steps();
  } catch (e) {
    optionalFailures.push(`${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}
const ids = { main: 0, escalated: 0, withdrawn: 0, deleted: 0, lender: 0, document: 0, contact: 0, instalment: 0, reminder: 0, share: 0, storedName: '' };

function actionKey(c: CapturedAction): string {
  const entry = buildActions().find((a) => a.id === c.actionId);
  if (!entry) throw new Error(`action ${c.actionId} (sent from ${c.path}) is not in the build's manifest`);
  return `${entry.filename}#${entry.exportedName}`;
}

/** Runs a form submission in A's page and keeps the request it sent (the first one per action). */
async function capture(page: Page, trigger: () => Promise<void>, form?: Locator): Promise<Captured> {
  const c = await captureAction(page, trigger, form);
  const name = actionKey(c);
  const entry = { ...c, name };
  if (!captured.has(name)) captured.set(name, entry);
  return entry;
}

async function newCase(page: Page, fields: Parameters<typeof fillCaseForm>[1]): Promise<number> {
  await page.goto('/cases/new');
  const form = await fillCaseForm(page, fields);
  await capture(page, () => submitButton(form).click());
  await page.waitForURL(/\/cases\/\d+$/);
  await expect(page.getByTestId('case-page')).toBeVisible();
  return Number(new URL(page.url()).pathname.split('/').pop());
}

async function submitAttempt(page: Page, transition: 'submit' | 'reapply', channel: string) {
  const form = await actionForm(page, transition, 'form-submit');
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption(channel);
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'under_review');
}

async function reject(page: Page) {
  const form = await actionForm(page, 'reject', 'form-reject');
  await form.locator('select[name="rejectionReason"]').selectOption('insufficient_proof');
  await form.locator('textarea[name="rejectionText"]').fill(SECRET.rejection);
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'rejected');
}

/** A's whole story, recorded through the UI. */
async function recordAsA(browser: Browser) {
  contextA = await browser.newContext();
  pageA = await contextA.newPage();
  const page = pageA;
  A = await signUp(page, { displayName: `A借款人${tag}` });
  const today = todayShanghai();

  // A private lender (only A may see or use it).
  await page.goto('/lenders');
  const lenderForm = page.getByTestId('lender-form');
  await lenderForm.locator('input[name="name"]').fill(SECRET.lenderName);
  await lenderForm.locator('select[name="kind"]').selectOption('platform');
  await lenderForm.locator('input[name="products"]').fill(SECRET.lenderProduct);
  await capture(page, () => submitButton(lenderForm).click());
  await expect(formMessage(lenderForm)).toContainText(SECRET.lenderName);

  // The main case: everything hangs off it.
  ids.main = await newCase(page, { lender: PUBLIC_LENDER, product: SECRET.product, accountRef: '7731', principal: '88,888.88', note: SECRET.note });
  await page.goto(`/cases/${ids.main}/edit`);
  const edit = page.getByTestId('case-edit-form');
  await edit.locator('textarea[name="note"]').fill(SECRET.editedNote);
  await capture(page, () => submitButton(edit).click());
  await page.waitForURL(new RegExp(`/cases/${ids.main}$`));

  // Documents: the suggested checklist, one more, its status, its file; one deleted.
  const suggested = page.getByTestId('add-suggested');
  await capture(page, () => submitButton(suggested).click());
  await expect(page.getByTestId('suggested-documents')).toHaveCount(0);
  const docs = page.getByTestId('documents').getByTestId('document');
  const suggestedCount = await docs.count();
  expect(suggestedCount).toBeGreaterThan(1);

  const addForm = (await openFold(page.getByTestId('add-document'))).getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption('other');
  await addForm.locator('input[name="note"]').fill(SECRET.docNote);
  await capture(page, () => submitButton(addForm).click());
  const doc = page.getByTestId('documents').locator('[data-testid="document"][data-kind="other"]');
  await expect(doc).toHaveCount(1);

  await openFold(doc.getByTestId('document-manage'));
  const statusForm = doc.getByTestId('document-status-form');
  await statusForm.locator('select[name="status"]').selectOption('ready');
  await capture(page, () => submitButton(statusForm).click());
  await expect(doc).toHaveAttribute('data-status', 'ready');

  await openFold(doc.getByTestId('document-manage'));
  const upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: SECRET.fileName, mimeType: 'image/png', buffer: pngBytes() });
  const uploadSent = await capture(page, () => submitButton(upload).click(), upload);
  expect(fieldsOf(uploadSent.parts)).toMatchObject({ caseId: String(ids.main), file: `file:${SECRET.fileName}` });
  await expect(doc.getByTestId('document-download')).toBeVisible();

  await ifBuilt('app/cases/[id]/actions.ts#setDocumentSensitiveAction', async () => {
    await openFold(doc.getByTestId('document-manage'));
    await capture(page, () => submitButton(doc.getByTestId('document-sensitive-form')).click());
    await expect(doc).toHaveAttribute('data-sensitive', '1');
  });
  await ifBuilt('app/cases/[id]/actions.ts#addCaseNoteAction', async () => {
    const noteForm = (await openFold(page.getByTestId('add-note'))).getByTestId('note-form');
    await noteForm.locator('textarea[name="text"]').fill(SECRET.caseNote);
    await capture(page, () => submitButton(noteForm).click());
    await expect(page.getByTestId('timeline')).toContainText(SECRET.caseNote);
  });

  const doomed = docs.first();
  const doomedKind = await doomed.getAttribute('data-kind');
  await openFold(doomed.getByTestId('document-manage'));
  const deleteDoc = doomed.getByTestId('document-delete-form');
  await deleteDoc.getByRole('button', { name: zh('case.documents.delete') }).click();
  await capture(page, () => deleteDoc.getByRole('button', { name: zh('case.confirm.delete') }).click());
  await expect(page.getByTestId('documents').locator(`[data-testid="document"][data-kind="${doomedKind}"]`)).toHaveCount(0);

  // Contacts: one kept, one deleted.
  for (const summary of [SECRET.contact, '这条会被删除']) {
    const contactForm = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
    await contactForm.locator('input[name="agentId"]').fill('9527');
    await contactForm.locator('textarea[name="summary"]').fill(summary);
    await capture(page, () => submitButton(contactForm).click());
    await expect(page.getByTestId('contacts').getByTestId('contact').filter({ hasText: summary })).toHaveCount(1);
  }
  const doomedContact = page.getByTestId('contacts').getByTestId('contact').filter({ hasText: '这条会被删除' });
  const deleteContact = doomedContact.getByTestId('contact-delete-form');
  await deleteContact.getByRole('button', { name: zh('case.contacts.delete') }).click();
  await capture(page, () => deleteContact.getByRole('button', { name: zh('case.confirm.delete') }).click());
  await expect(doomedContact).toHaveCount(0);

  // Reminders of A's own: one added, edited, snoozed, done and reopened; another dismissed.
  const reminders = page.getByTestId('case-reminders');
  for (const title of [SECRET.reminder, '这条提醒会被忽略']) {
    const reminderForm = (await openFold(reminders.getByTestId('add-reminder'))).getByTestId('reminder-form');
    await reminderForm.locator('input[name="title"]').fill(title);
    await reminderForm.locator('input[name="dueOn"]').fill(addDays(today, 2));
    await capture(page, () => submitButton(reminderForm).click());
    await expect(reminders.getByTestId('reminder').filter({ hasText: title })).toHaveCount(1);
  }
  let mine = reminders.getByTestId('reminder').filter({ hasText: SECRET.reminder });
  await mine.getByTestId('reminder-edit-toggle').click();
  const editReminder = mine.getByTestId('reminder-edit-form');
  await editReminder.locator('input[name="title"]').fill(SECRET.reminderEdited);
  await capture(page, () => submitButton(editReminder).click());
  mine = reminders.getByTestId('reminder').filter({ hasText: SECRET.reminderEdited });
  await expect(mine).toHaveCount(1);
  await mine.getByTestId('reminder-snooze-toggle').click();
  await capture(page, () => submitButton(mine.getByTestId('reminder-snooze-date')).click());
  await expect(mine.getByTestId('reminder-snoozed')).toBeVisible();
  await capture(page, () => submitButton(mine.getByTestId('reminder-done')).click());
  await expect(mine).toHaveCount(0);
  const closedReminders = await openFold(reminders.getByTestId('case-reminders-closed'));
  const closedMine = closedReminders.getByTestId('reminder-closed').filter({ hasText: SECRET.reminderEdited });
  await capture(page, () => submitButton(closedMine.getByTestId('reminder-reopen')).click());
  await expect(mine).toHaveCount(1);
  const ignored = reminders.getByTestId('reminder').filter({ hasText: '这条提醒会被忽略' });
  await capture(page, () => submitButton(ignored.getByTestId('reminder-dismiss')).click());
  await expect(ignored).toHaveCount(0);

  // The status machine, to a plan with an instalment paid.
  await submitAttempt(page, 'submit', 'app');
  let form = await actionForm(page, 'request_materials', 'form-request-materials');
  await form.locator('textarea[name="what"]').fill(SECRET.materials);
  await form.locator('input[name="deadline"]').fill(addDays(today, 3));
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'materials_requested');
  form = await actionForm(page, 'send_materials', 'form-send-materials');
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'under_review');
  await reject(page);
  await submitAttempt(page, 'reapply', 'hotline');
  form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="agreedPeriods"]').fill('3');
  await form.locator('input[name="agreedMonthly"]').fill('500');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, 5));
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'approved');
  const pay = (await openFold(page.getByTestId('instalment').first().getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await capture(page, () => submitButton(pay).click());
  await expectCaseStatus(page, 'repaying');

  // A second case, with the private lender: rejected, escalated, the escalation ended.
  ids.escalated = await newCase(page, { lender: SECRET.lenderName, principal: '1000' });
  await submitAttempt(page, 'submit', 'app');
  await reject(page);
  form = await actionForm(page, 'escalate', 'form-escalate');
  await form.locator('input[name="route"][value="mediation"]').check();
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'escalated');
  form = await actionForm(page, 'close_escalation', 'form-close-escalation');
  await form.locator('select[name="outcome"]').selectOption('other');
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'closed');

  // A third, withdrawn and archived; a fourth, deleted.
  ids.withdrawn = await newCase(page, { lender: PUBLIC_LENDER, principal: '2000' });
  form = await actionForm(page, 'withdraw', 'form-withdraw');
  await form.getByRole('button', { name: zh('case.actions.withdraw') }).click();
  await capture(page, () => form.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click());
  await expectCaseStatus(page, 'closed');
  await page.goto(`/cases/${ids.withdrawn}/edit`);
  await capture(page, () => submitButton(page.getByTestId('archive-form')).click());
  await page.waitForURL(/\/cases\?done=archived$/);

  ids.deleted = await newCase(page, { lender: PUBLIC_LENDER, principal: '3000' });
  await page.goto(`/cases/${ids.deleted}/edit`);
  const del = page.getByTestId('delete-case-form');
  await del.getByRole('button', { name: zh('cases.delete.button') }).click();
  await capture(page, () => del.getByRole('button', { name: zh('cases.delete.confirm') }).click());
  await page.waitForURL(/\/cases\?done=deleted$/);

  // Sharing: an advisor accepts A's invitation; A gives the separate consent; a second
  // invitation is cancelled. The accepted share is what B will aim at.
  await ifBuilt('app/sharing/actions.ts#revokeShareAction', async () => {
    await page.goto('/sharing');
    const invite = page.getByTestId('invite-form');
    await invite.locator('input[name="label"]').fill(SECRET.shareLabel);
    await capture(page, () => submitButton(invite).click());
    const code = (await page.getByTestId('invite-code').textContent())!.trim();
    const advisorPage = await (await browser.newContext()).newPage();
    await signUp(advisorPage, { role: 'advisor', displayName: `A的顾问${tag}` });
    await advisorPage.goto(`/share/accept?code=${encodeURIComponent(code)}`);
    await capture(advisorPage, () => submitButton(advisorPage.getByTestId('accept-form')).click());
    await advisorPage.waitForURL((u) => u.pathname !== '/share/accept');
    await advisorPage.context().close();

    await page.goto('/sharing');
    const active = page.locator('[data-testid="share-row"][data-status="active"]');
    await expect(active).toHaveCount(1);
    await capture(page, () => submitButton(active.getByTestId('sensitive-consent-form')).click());
    await expect(active.getByTestId('sensitive-consent')).toHaveAttribute('data-consent', '1');

    await submitButton(page.getByTestId('invite-form')).click();
    await expect(page.getByTestId('invite-code')).toBeVisible();
    await page.reload();
    const pending = page.locator('[data-testid="share-row"][data-status="invited"]');
    await expect(pending).toHaveCount(1);
    const cancel = pending.getByTestId('revoke-share-form');
    await cancel.locator('button').first().click();
    await capture(page, () => submitButton(cancel).click());
    await expect(pending).toHaveCount(0);
    ids.share = Number(await active.getAttribute('data-share-id'));
  });

  // The ids B will aim at.
  expect(caseIdsOf(A.email)).toEqual([ids.main, ids.escalated, ids.withdrawn]);
  ids.lender = (snapshotUser(A.email).lenders[0] as { id: number }).id;
  const fileDoc = rowsOf('documents', [ids.main]).find((d) => d.kind === 'other')!;
  ids.document = fileDoc.id as number;
  ids.storedName = fileDoc.stored_name as string;
  expect(ids.storedName).toMatch(/^[a-f0-9]{32}$/);
  ids.contact = rowsOf('contacts', [ids.main])[0].id as number;
  ids.instalment = rowsOf('instalments', [ids.main]).find((i) => i.paid_on === null)!.id as number;
  const reminder = (snapshotUser(A.email).reminders as { id: number; title: string | null; status: string }[]).find(
    (r) => r.title === SECRET.reminderEdited,
  )!;
  expect(reminder.status).toBe('open');
  ids.reminder = reminder.id;
}

/**
 * The captured request of `name`, rewritten to aim at A's main case (and its document, contact,
 * instalment, and A's private lender) at its current version: a request that would succeed for
 * A. Create forms get a fresh form key, so that "already done" cannot hide a missing check.
 */
function aimedAtA(name: string): { action: Captured; parts: Part[] } {
  const action = captured.get(name)!;
  const version = String((snapshotUser(A.email).cases.find((c) => (c as { id: number }).id === ids.main) as { version: number }).version);
  const replace: Record<string, string | Part> = {
    caseId: String(ids.main),
    version,
    documentId: String(ids.document),
    contactId: String(ids.contact),
    instalmentId: String(ids.instalment),
    reminderId: String(ids.reminder),
    shareId: String(ids.share),
    consent: '0',
    accepted: '1',
    formKey: randomBytes(12).toString('base64url'),
    lenderId: String(ids.lender),
    archived: '1',
    status: 'rejected',
    sensitive: '0',
    file: { name: 'file', value: pngBytes(), fileName: 'overwritten-by-someone-else.png', contentType: 'image/png' },
  };
  let parts = action.parts;
  for (const [field, value] of Object.entries(replace)) {
    if (fieldPart(parts, field)) parts = withField(parts, field, value);
  }
  return { action, parts };
}

/** A's words that appear nowhere in what the caller sent must appear nowhere in the answer. */
async function expectNoneOfAsData(res: APIResponse, sent: Part[], where: string) {
  const body = await res.text();
  const sentText = Buffer.concat(sent.map((p) => p.value)).toString('utf8');
  const words = [...Object.values(SECRET), A.email, A.displayName];
  for (const word of words) {
    if (sentText.includes(word)) continue;
    expect(body.includes(word), `${where}: the answer contains A's "${word}"`).toBe(false);
  }
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  await recordAsA(browser);
  contextB = await browser.newContext();
  pageB = await contextB.newPage();
  B = await signUp(pageB, { displayName: `B借款人${tag}` });
});

test.afterAll(async () => {
  await contextA?.close();
  await contextB?.close();
});

test('every server action in the build is either replayed against A below, or excluded with a reason', () => {
  const inBuild = buildActions().map((a) => `${a.filename}#${a.exportedName}`);
  expect(inBuild.length).toBeGreaterThan(20);
  const replayed = [...captured.keys()].filter((name) => !(name in NOT_REPLAYED));
  const uncovered = inBuild.filter((name) => !replayed.includes(name) && !(name in NOT_REPLAYED));
  expect(uncovered, `server actions that the authorisation suite neither replays nor excludes${optionalFailures.length ? ` (recording failed: ${optionalFailures.join('; ')})` : ''}`).toEqual([]);
  // An exclusion that names no action of this build is noted (it may be for one not built yet).
  for (const name of Object.keys(NOT_REPLAYED)) {
    if (!inBuild.includes(name)) test.info().annotations.push({ type: 'not in this build', description: name });
  }
  // And every one of them is a row of the written matrix (tests/authz/matrix.ts, docs/authorization.md), or outside it with a reason.
  const inMatrix = new Set(MATRIX.flatMap((r) => r.actions));
  expect(inBuild.filter((name) => !inMatrix.has(name) && !(name in OUTSIDE_THE_MATRIX)), 'server actions missing from the authorisation matrix').toEqual([]);
  // Every case-level action is among the replayed ones.
  expect(replayed.filter((n) => n.startsWith('app/cases/')).length).toBeGreaterThanOrEqual(19);
  expect(replayed.filter((n) => n.startsWith('app/reminders/')).length).toBeGreaterThanOrEqual(6);
});

test('B\'s list, search, filters and lender directory show nothing of A\'s', async () => {
  const before = snapshotUser(A.email);
  // With no case of B's own, then with one (so the search and filters are there to use).
  await pageB.goto('/cases');
  await expect(pageB.getByTestId('cases-empty')).toBeVisible();
  await pageB.goto('/cases/new');
  const form = await fillCaseForm(pageB, { lender: PUBLIC_LENDER, product: 'B的产品', principal: '10' });
  await submitButton(form).click();
  await pageB.waitForURL(/\/cases\/\d+$/);
  const ownCase = Number(new URL(pageB.url()).pathname.split('/').pop());

  const visits: [string, number][] = [
    ['/cases', 1],
    ['/cases?archived=1', 0],
    [`/cases?q=${encodeURIComponent(SECRET.product)}`, 0],
    [`/cases?q=${encodeURIComponent(SECRET.editedNote)}`, 0],
    [`/cases?q=7731`, 0],
    [`/cases?q=${encodeURIComponent('花呗')}`, 1],
    [`/cases?lender=${ids.lender}`, 0],
    ['/cases?status=repaying', 0],
    ['/cases?status=closed&archived=1', 0],
  ];
  for (const [url, expected] of visits) {
    await pageB.goto(url);
    const rows = pageB.getByTestId('case-row');
    await expect(rows, url).toHaveCount(expected);
    if (expected) await expect(rows.first(), url).toHaveAttribute('data-case-id', String(ownCase));
    for (const word of Object.values(SECRET)) await expect(pageB.locator('body'), `${url} shows "${word}"`).not.toContainText(word);
  }
  // B's sharing page (where the build has one) has none of A's shares.
  if ((await pageB.goto('/sharing'))!.status() === 200) {
    for (const word of Object.values(SECRET)) await expect(pageB.locator('body'), `/sharing shows "${word}"`).not.toContainText(word);
    await expect(pageB.getByTestId('share-row')).toHaveCount(0);
  }

  // B's reminders inbox has none of A's.
  await pageB.goto('/reminders');
  await expect(pageB.getByTestId('reminders-page')).toBeVisible();
  for (const word of Object.values(SECRET)) await expect(pageB.locator('body'), `/reminders shows "${word}"`).not.toContainText(word);

  // The totals are B's alone.
  await pageB.goto('/cases');
  await expect(pageB.getByTestId('total-open-cases')).toHaveText('1');
  await expect(pageB.getByTestId('total-overdue')).toHaveText('¥10.00');

  // A's private lender is nowhere in B's directory, nor in B's "new case" form.
  await pageB.goto(`/lenders?q=${encodeURIComponent(SECRET.lenderName)}`);
  // (The search box and the result line repeat what B typed; the lists must not have it.)
  await expect(pageB.getByTestId('public-lenders')).toContainText(zh('lenders.noneFound'));
  await expect(pageB.getByTestId('private-lenders')).toContainText(zh('lenders.privateNone'));
  for (const list of ['public-lenders', 'private-lenders']) await expect(pageB.getByTestId(list)).not.toContainText(SECRET.lenderName);
  await pageB.goto('/lenders');
  await expect(pageB.locator('body')).not.toContainText(SECRET.lenderName);
  await pageB.goto('/cases/new');
  await expect(pageB.getByTestId('lender-select').locator(`option[value="${ids.lender}"]`)).toHaveCount(0);
  await pageB.goto(`/cases/new?lender=${ids.lender}`);
  await expect(pageB.getByTestId('lender-select')).toHaveValue('');

  expect(snapshotUser(A.email)).toEqual(before);
});

test('B reading or editing A\'s cases gets the not-found page, and downloading A\'s file gets a bare 404', async () => {
  const before = snapshotUser(A.email);
  for (const id of [ids.main, ids.escalated, ids.withdrawn, ids.deleted]) {
    for (const url of [`/cases/${id}`, `/cases/${id}/edit`]) {
      const res = await pageB.goto(url);
      expect(res!.status(), url).toBe(404);
      await expect(pageB.getByTestId('not-found'), url).toBeVisible();
      await expect(pageB.getByTestId('not-found'), url).toContainText(zh('common.notFound.title'));
      await expect(pageB.getByTestId('case-page'), url).toHaveCount(0);
      await expect(pageB.getByTestId('case-edit-form'), url).toHaveCount(0);
      for (const word of Object.values(SECRET)) await expect(pageB.locator('body'), `${url} shows "${word}"`).not.toContainText(word);
      // The page's title says nothing either.
      expect(await pageB.title(), url).not.toContain(PUBLIC_LENDER);
      expect(await pageB.title(), url).not.toContain(SECRET.lenderName);
    }
  }
  // "Not yours" looks exactly like "no such case".
  const missing = await pageB.goto('/cases/999999');
  expect(missing!.status()).toBe(404);
  const mine = await pageB.request.get(`/cases/${ids.main}`);
  const none = await pageB.request.get('/cases/999999');
  expect(mine.status()).toBe(none.status());

  for (const url of [`/documents/${ids.document}`, '/documents/999999']) {
    const res = await pageB.request.get(url, { maxRedirects: 0 });
    expect(res.status(), url).toBe(404);
    expect((await res.body()).length, url).toBe(0);
    expect(res.headers()['content-type'] ?? '', url).not.toContain('image/png');
    expect(res.headers()['content-disposition'], url).toBeUndefined();
  }
  // A still gets the file.
  const own = await pageA.request.get(`/documents/${ids.document}`);
  expect(own.status()).toBe(200);
  expect(Buffer.compare(await own.body(), pngBytes())).toBe(0);

  expect(snapshotUser(A.email)).toEqual(before);
});

test('B sending A\'s captured server-action requests straight to the server, aimed at A\'s ids: "not found", and nothing changes', async ({ baseURL }) => {
  test.setTimeout(120_000);
  const before = snapshotUser(A.email);
  const bBefore = snapshotUser(B.email);
  const notFound = zh('errors.not_found');
  for (const name of captured.keys()) {
    if (name in NOT_REPLAYED) continue;
    const { action, parts } = aimedAtA(name);
    const res = await postAction(pageB.request, baseURL!, action, parts);
    const where = `B → ${name} ${JSON.stringify(fieldsOf(parts))}`;
    expect(res.status(), where).toBe(200);
    const body = await res.text();
    // The action ran (it parsed the form and asked the data layer), and was told "not found".
    expect(body, where).toContain(notFound);
    expect(body, where).not.toContain(zh('errors.conflict'));
    expect(body, where).not.toContain(zh('errors.forbidden'));
    expect(res.headers()['x-action-redirect'], where).toBeUndefined();
    await expectNoneOfAsData(res, parts, where);
    expect(snapshotUser(A.email), `${where}: A's rows changed`).toEqual(before);
  }
  // B gained nothing either: no case on A's private lender, no borrowed form key.
  expect(snapshotUser(B.email).cases).toEqual(bBefore.cases);
  expect(snapshotUser(B.email).rows).toEqual(bBefore.rows);
});

test('an anonymous caller sending the same requests: sent to /signin, or told the session has ended; nothing changes', async ({ baseURL, playwright }) => {
  test.setTimeout(120_000);
  const before = snapshotUser(A.email);
  const anonymous = await playwright.request.newContext({ baseURL });
  const forged = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: 'authjs.session-token=forged-token' } });
  for (const name of captured.keys()) {
    if (name in NOT_REPLAYED) continue;
    const { action, parts } = aimedAtA(name);

    // No cookie: proxy.ts answers before any action runs.
    let res = await postAction(anonymous, baseURL!, action, parts);
    let where = `anonymous → ${name}`;
    expect([303, 307, 308], where).toContain(res.status());
    expect(new URL(res.headers()['location'] ?? '', baseURL).pathname, where).toBe('/signin');
    await expectNoneOfAsData(res, parts, where);

    // A forged session cookie gets past proxy.ts; the action itself finds no viewer.
    res = await postAction(forged, baseURL!, action, parts);
    where = `forged cookie → ${name}`;
    expect(res.status(), where).toBe(200);
    expect(await res.text(), where).toContain(zh('errors.signed_out'));
    await expectNoneOfAsData(res, parts, where);

    // Through a public page (no redirect there), with no cookie at all.
    res = await postAction(anonymous, baseURL!, { ...action, path: '/signin', routerStateTree: undefined }, parts);
    where = `anonymous via /signin → ${name}`;
    expect(await res.text(), where).not.toContain('"status":"ok"');
    await expectNoneOfAsData(res, parts, where);

    expect(snapshotUser(A.email), `${name}: A's rows changed`).toEqual(before);
  }
  await anonymous.dispose();
  await forged.dispose();
});

test('control: the very same rewritten requests, sent with A\'s own session, are accepted', async ({ baseURL }) => {
  // Proves that the requests above were well-formed and aimed right: only the caller differed.
  const status = aimedAtA('app/cases/[id]/actions.ts#setDocumentStatusAction');
  let res = await postAction(pageA.request, baseURL!, status.action, status.parts);
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain(zh('case.saved.documentStatus'));
  expect(rowsOf('documents', [ids.main]).find((d) => d.id === ids.document)!.status).toBe('rejected');

  const contactsBefore = rowsOf('contacts', [ids.main]).length;
  const contact = aimedAtA('app/cases/[id]/actions.ts#addContactAction');
  res = await postAction(pageA.request, baseURL!, contact.action, contact.parts);
  expect(await res.text()).toContain(zh('case.saved.contactAdded'));
  expect(rowsOf('contacts', [ids.main])).toHaveLength(contactsBefore + 1);

  const upload = aimedAtA('app/cases/[id]/actions.ts#uploadDocumentFileAction');
  res = await postAction(pageA.request, baseURL!, upload.action, upload.parts);
  expect(await res.text()).toContain(zh('case.saved.documentUploaded'));
  expect(rowsOf('documents', [ids.main]).find((d) => d.id === ids.document)!.file_name).toBe('overwritten-by-someone-else.png');

  const done = aimedAtA('app/reminders/actions.ts#reminderDoneAction');
  res = await postAction(pageA.request, baseURL!, done.action, done.parts);
  expect(res.status()).toBe(200);
  expect((snapshotUser(A.email).reminders as { id: number; status: string }[]).find((r) => r.id === ids.reminder)!.status).toBe('done');

  const paid = aimedAtA('app/cases/[id]/actions.ts#markInstalmentPaidAction');
  res = await postAction(pageA.request, baseURL!, paid.action, paid.parts);
  expect(await res.text()).toContain(zh('case.saved.instalmentPaid'));
  expect(rowsOf('instalments', [ids.main]).find((i) => i.id === ids.instalment)!.paid_on).not.toBeNull();
});
