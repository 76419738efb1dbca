/**
 * The authorisation matrix (tests/authz/matrix.ts) over HTTP, against the production build.
 *
 * The owner (borrower A) records a full story through the UI, and every server-action request her
 * browser sends is captured (her advisor's acceptance of the invitation too). Then, for every
 * cell of every row, the real request is sent as that role (anonymous, the owner, another
 * borrower, the owner's advisor, an advisor without a share, the e2e server's admin): the captured
 * action replayed aimed at A's ids, or the page or route fetched. The answer must be the cell's
 * (the not-found page, a bare 404, the "not found" or "not allowed" message, the redirect to
 * /signin, or success), and A's rows and files must be unchanged after every refusal.
 *
 * The owner's own "allow" for an action is the recorded request itself: it was sent by her
 * browser, and the page showed its effect before the story went on.
 *
 * It also reads the build's server-reference manifest: an action in no matrix row (and not in
 * OUTSIDE_THE_MATRIX) fails, and so does any action that works for an anonymous caller.
 */
import { randomBytes } from 'node:crypto';
import { unzipSync } from 'fflate';
import { expect, test, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import {
  MATRIX,
  OUTSIDE_THE_MATRIX,
  ROLES,
  expected,
  type Answer,
  type MatrixRow,
  type Role,
} from '../tests/authz/matrix';
import {
  PASSWORD,
  actionForm,
  addDays,
  buildActions,
  captureAction,
  caseIdsOf,
  en,
  expectCaseStatus,
  fieldPart,
  fillCaseForm,
  formMessage,
  openFold,
  pngBytes,
  postAction,
  rowsOf,
  signIn,
  signUp,
  snapshotUser,
  submitButton,
  todayShanghai,
  userByEmail,
  withField,
  zh,
  type Account,
  type CapturedAction,
  type Part,
} from './helpers';

const PUBLIC_LENDER = '花呗/借呗（重庆蚂蚁消费金融）';
const tag = randomBytes(3).toString('hex');
const SECRET = {
  lenderName: `M的私有机构${tag}`,
  lenderProduct: `M的私有产品${tag}`,
  product: `M秘密产品${tag}`,
  note: `M的秘密备注${tag}`,
  docNote: `M的材料备注${tag}`,
  fileName: `M秘密文件${tag}.png`,
  plainFile: `M普通文件${tag}.png`,
  contact: `M的秘密沟通${tag}`,
  materials: `M被要求的材料${tag}`,
  rejection: `M被拒绝的原话${tag}`,
  reminder: `M的秘密提醒${tag}`,
  reminderEdited: `M改过的提醒${tag}`,
  reminderToday: `M今天的提醒${tag}`,
  caseNote: `M的秘密笔记${tag}`,
  shareLabel: `M的顾问邀请${tag}`,
};
const ADVISOR_NAME = `M的顾问${tag}`;
const NEW_PASSWORD = `${PASSWORD}-new`;

type Observed = Answer | `unexpected: ${string}`;
type Captured = CapturedAction & { name: string; by: Role | null };

/** Each role's session (anonymous: none), account and current password. */
type Actor = { context: BrowserContext | null; request: APIRequestContext; account: Account | null };
const actors = {} as Record<Role, Actor>;
let anonymousRequest: APIRequestContext;
let forgedRequest: APIRequestContext;
let baseURL = '';

const captured = new Map<string, Captured>();
const ids = {
  main: 0,
  escalated: 0,
  withdrawn: 0,
  deleted: 0,
  lender: 0,
  docSensitive: 0,
  docPlain: 0,
  contact: 0,
  instalment: 0,
  reminder: 0,
  share: 0,
};

const tally = { cells: 0, byRecording: 0, skipped: 0, byAnswer: {} as Record<string, number> };

// --- recording the owner's story -----------------------------------------------------------------

function actionKey(c: CapturedAction): string {
  const entry = buildActions().find((a) => a.id === c.actionId);
  if (!entry) throw new Error(`action ${c.actionId} (sent from ${c.path}) is not in the build's manifest`);
  return `${entry.filename}#${entry.exportedName}`;
}

async function capture(page: Page, trigger: () => Promise<void>, form?: Locator, by: Role = 'owner'): Promise<Captured> {
  const c = await captureAction(page, trigger, form);
  const name = actionKey(c);
  const entry = { ...c, name, by };
  if (!captured.has(name)) captured.set(name, entry);
  return entry;
}

/** A request put together as React sends a form (fields as `_1_<name>`, then the root part), for a form the page does not show. */
function synthesize(name: string, path: string, fields: Record<string, string>) {
  const entry = buildActions().find((a) => `${a.filename}#${a.exportedName}` === name);
  if (!entry) return;
  const parts: Part[] = [
    ...Object.entries(fields).map(([field, value]) => ({ name: `_1_${field}`, value: Buffer.from(value) })),
    { name: '0', value: Buffer.from('[{"status":"idle"},"$K1"]') },
  ];
  captured.set(name, { actionId: entry.id, path, routerStateTree: undefined, parts, name, by: null });
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

async function recordOwner(browser: Browser): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const account = await signUp(page, { displayName: `M借款人${tag}` });
  actors.owner = { context, request: context.request, account };
  const today = todayShanghai();

  await page.goto('/lenders');
  const lenderForm = page.getByTestId('lender-form');
  await lenderForm.locator('input[name="name"]').fill(SECRET.lenderName);
  await lenderForm.locator('select[name="kind"]').selectOption('platform');
  await lenderForm.locator('input[name="products"]').fill(SECRET.lenderProduct);
  await capture(page, () => submitButton(lenderForm).click());
  await expect(formMessage(lenderForm)).toContainText(SECRET.lenderName);

  ids.main = await newCase(page, { lender: PUBLIC_LENDER, product: SECRET.product, accountRef: '7731', principal: '88,888.88', note: SECRET.note });
  await page.goto(`/cases/${ids.main}/edit`);
  const edit = page.getByTestId('case-edit-form');
  await edit.locator('textarea[name="note"]').fill(`${SECRET.note}!`);
  await capture(page, () => submitButton(edit).click());
  await page.waitForURL(new RegExp(`/cases/${ids.main}$`));

  // Documents: the checklist; one deleted; a plain one with a file; an "other" one with a file, marked sensitive.
  await capture(page, () => submitButton(page.getByTestId('add-suggested')).click());
  await expect(page.getByTestId('suggested-documents')).toHaveCount(0);
  const docs = page.getByTestId('documents').getByTestId('document');
  expect(await docs.count()).toBeGreaterThan(1);
  const doomed = docs.first();
  const doomedId = await doomed.getAttribute('data-document-id');
  await openFold(doomed.getByTestId('document-manage'));
  const deleteDoc = doomed.getByTestId('document-delete-form');
  await deleteDoc.getByRole('button', { name: zh('case.documents.delete') }).click();
  await capture(page, () => deleteDoc.getByRole('button', { name: zh('case.confirm.delete') }).click());
  await expect(page.locator(`[data-testid="document"][data-document-id="${doomedId}"]`)).toHaveCount(0);

  const plain = page.getByTestId('documents').locator('[data-testid="document"][data-sensitive="0"]').first();
  ids.docPlain = Number(await plain.getAttribute('data-document-id'));
  const plainDoc = page.locator(`[data-testid="document"][data-document-id="${ids.docPlain}"]`);
  await openFold(plainDoc.getByTestId('document-manage'));
  const plainUpload = plainDoc.getByTestId('document-upload-form');
  await plainUpload.locator('input[type="file"]').setInputFiles({ name: SECRET.plainFile, mimeType: 'image/png', buffer: pngBytes() });
  await capture(page, () => submitButton(plainUpload).click(), plainUpload);
  await expect(plainDoc.getByTestId('document-download')).toBeVisible();

  const addForm = (await openFold(page.getByTestId('add-document'))).getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption('other');
  await addForm.locator('input[name="note"]').fill(SECRET.docNote);
  await capture(page, () => submitButton(addForm).click());
  const doc = page.getByTestId('documents').locator('[data-testid="document"][data-kind="other"]');
  await expect(doc).toHaveCount(1);
  ids.docSensitive = Number(await doc.getAttribute('data-document-id'));
  await openFold(doc.getByTestId('document-manage'));
  const statusForm = doc.getByTestId('document-status-form');
  await statusForm.locator('select[name="status"]').selectOption('ready');
  await capture(page, () => submitButton(statusForm).click());
  await expect(doc).toHaveAttribute('data-status', 'ready');
  await openFold(doc.getByTestId('document-manage'));
  const upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: SECRET.fileName, mimeType: 'image/png', buffer: pngBytes() });
  await capture(page, () => submitButton(upload).click(), upload);
  await expect(doc.getByTestId('document-download')).toBeVisible();
  await openFold(doc.getByTestId('document-manage'));
  await capture(page, () => submitButton(doc.getByTestId('document-sensitive-form')).click());
  await expect(doc).toHaveAttribute('data-sensitive', '1');

  const noteForm = (await openFold(page.getByTestId('add-note'))).getByTestId('note-form');
  await noteForm.locator('textarea[name="text"]').fill(SECRET.caseNote);
  await capture(page, () => submitButton(noteForm).click());
  await expect(page.getByTestId('timeline')).toContainText(SECRET.caseNote);

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

  // Reminders: one edited, snoozed, done and reopened; one due today (the badge counts it); one dismissed.
  const reminders = page.getByTestId('case-reminders');
  for (const [title, due] of [
    [SECRET.reminder, addDays(today, 2)],
    [SECRET.reminderToday, today],
    ['这条提醒会被忽略', addDays(today, 3)],
  ]) {
    const reminderForm = (await openFold(reminders.getByTestId('add-reminder'))).getByTestId('reminder-form');
    await reminderForm.locator('input[name="title"]').fill(title);
    await reminderForm.locator('input[name="dueOn"]').fill(due);
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
  const closed = await openFold(reminders.getByTestId('case-reminders-closed'));
  await capture(page, () => submitButton(closed.getByTestId('reminder-closed').filter({ hasText: SECRET.reminderEdited }).getByTestId('reminder-reopen')).click());
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

  // Sharing: the advisor who accepts is the matrix's "advisor with an active share".
  await page.goto('/sharing');
  const invite = page.getByTestId('invite-form');
  await invite.locator('input[name="label"]').fill(SECRET.shareLabel);
  await capture(page, () => submitButton(invite).click());
  const code = (await page.getByTestId('invite-code').textContent())!.trim();
  const advisorContext = await browser.newContext();
  const advisorPage = await advisorContext.newPage();
  const advisor = await signUp(advisorPage, { role: 'advisor', displayName: ADVISOR_NAME });
  await advisorPage.goto(`/share/accept?code=${encodeURIComponent(code)}`);
  await capture(advisorPage, () => submitButton(advisorPage.getByTestId('accept-form')).click(), undefined, 'advisorWithShare');
  await advisorPage.waitForURL((u) => u.pathname !== '/share/accept');
  actors.advisorWithShare = { context: advisorContext, request: advisorContext.request, account: advisor };

  await page.goto('/sharing');
  const active = page.locator('[data-testid="share-row"][data-status="active"]');
  await expect(active).toHaveCount(1);
  await capture(page, () => submitButton(active.getByTestId('sensitive-consent-form')).click());
  await expect(active.getByTestId('sensitive-consent')).toHaveAttribute('data-consent', '1');
  ids.share = Number(await active.getAttribute('data-share-id'));
  await submitButton(page.getByTestId('invite-form')).click();
  await expect(page.getByTestId('invite-code')).toBeVisible();
  await page.reload();
  const pending = page.locator('[data-testid="share-row"][data-status="invited"]');
  await expect(pending).toHaveCount(1);
  const cancel = pending.getByTestId('revoke-share-form');
  await cancel.locator('button').first().click();
  await capture(page, () => submitButton(cancel).click());
  await expect(pending).toHaveCount(0);

  // Settings: every form of the owner's own account. The account deletion is sent with a wrong
  // password (refused, nothing deleted): the matrix replays it properly at the very end.
  await page.goto('/settings');
  const profile = page.locator('form').filter({ has: page.locator('input[name="displayName"]') });
  await capture(page, () => submitButton(profile).click());
  await expect(formMessage(profile)).toContainText(zh('settings.profileSaved'));
  if ((await page.getByTestId('email-toggle-form').count()) > 0) await capture(page, () => submitButton(page.getByTestId('email-toggle-form')).click());
  // Without SMTP the page has no mail switch: the request is put together as React sends it.
  else synthesize('app/settings/actions.ts#setEmailRemindersAction', '/settings', { on: '0' });
  const regenerate = page.getByTestId('calendar-regenerate-form');
  await regenerate.locator('button').first().click();
  await capture(page, () => submitButton(regenerate).click());
  await expect(formMessage(regenerate)).toBeVisible();
  const others = page.getByTestId('signout-everywhere-form');
  await capture(page, () => submitButton(others).click());
  await expect(formMessage(others)).toBeVisible();
  const password = page.getByTestId('password-form');
  await password.locator('input[name="current"]').fill(PASSWORD);
  await password.locator('input[name="next"]').fill(NEW_PASSWORD);
  await password.locator('input[name="confirm"]').fill(NEW_PASSWORD);
  await capture(page, () => submitButton(password).click());
  await expect(formMessage(password)).toContainText(zh('settings.passwordChanged'));
  account.password = NEW_PASSWORD;
  const deletion = page.getByTestId('delete-account-form');
  if ((await deletion.count()) > 0) {
    await deletion.locator('input[name="password"]').fill('not-the-password');
    await deletion.locator('input[name="confirm"]').fill(account.email);
    await capture(page, () => submitButton(deletion).click());
    await expect(formMessage(deletion)).toBeVisible();
  }

  expect(caseIdsOf(account.email)).toEqual([ids.main, ids.escalated, ids.withdrawn]);
  ids.lender = (snapshotUser(account.email).lenders[0] as { id: number }).id;
  ids.contact = rowsOf('contacts', [ids.main])[0].id as number;
  ids.instalment = rowsOf('instalments', [ids.main]).find((i) => i.paid_on === null)!.id as number;
  ids.reminder = (snapshotUser(account.email).reminders as { id: number; title: string | null }[]).find((r) => r.title === SECRET.reminderEdited)!.id;
}

// --- sending requests as a role ----------------------------------------------------------------

type Snapshot = ReturnType<typeof snapshotUser>;
type Row = Record<string, unknown>;
/** The owner's snapshot with every trace of one advisor's authorship and access taken out. */
function withoutAdvisor(snap: Snapshot, advisorId: number) {
  const unauthored = (r: Row, key: string) => (r[key] === advisorId || r[key] === null ? { ...r, [key]: 'someone' } : r);
  const events = (snap.rows.case_events as Row[]).map((e) => {
    const plain = unauthored(e, 'actor_id');
    if (plain === e) return e;
    const data = JSON.parse(String(e.data)) as Record<string, unknown>;
    delete data.deletedActorRole;
    return { ...plain, data };
  });
  return {
    ...snap,
    rows: { ...snap.rows, case_events: events },
    reminders: (snap.reminders as Row[]).map((r) => unauthored(r, 'created_by')),
    shares: (snap.shares as Row[]).filter((s) => s.advisor_id !== advisorId && !(s.advisor_id === null && s.status === 'revoked')),
    // The owner's record of what the advisor did stays, the advisor detached (their name kept on each line).
    accessLog: (snap.accessLog as Row[]).map((l) => unauthored(l, 'advisor_id')),
  };
}

function owner(): Account {
  return actors.owner.account!;
}

function ownerSnapshot() {
  return snapshotUser(owner().email);
}

function calendarToken(email: string): string {
  return (snapshotUser(email).user as { calendar_token: string }).calendar_token;
}

/** The fields of the caller's own account, for the forms that act on it. */
function selfFields(name: string, role: Role): Record<string, string> {
  const me = actors[role]?.account;
  if (!me) return {};
  if (name.endsWith('#changePasswordAction')) return { current: me.password, next: `${me.password}-x`, confirm: `${me.password}-x` };
  if (name.endsWith('#deleteAccountAction')) return { password: me.password, confirm: me.email };
  return {};
}

/**
 * The captured request of `name`, aimed at A's records at the current version; fields that name
 * the caller's own account (passwords, e-mail) are the caller's.
 */
function aimed(name: string, role: Role, extra: Record<string, string> = {}): { action: Captured; parts: Part[] } {
  const action = captured.get(name);
  if (!action) throw new Error(`${name} was not captured while recording`);
  const version = String((ownerSnapshot().cases.find((c) => (c as { id: number }).id === ids.main) as { version: number } | undefined)?.version ?? 1);
  const replace: Record<string, string | Part> = {
    caseId: String(ids.main),
    version,
    documentId: String(ids.docPlain),
    contactId: String(ids.contact),
    instalmentId: String(ids.instalment),
    reminderId: String(ids.reminder),
    shareId: String(ids.share),
    formKey: randomBytes(12).toString('base64url'),
    lenderId: String(ids.lender),
    file: { name: 'file', value: pngBytes(), fileName: 'overwritten-by-someone-else.png', contentType: 'image/png' },
    displayName: `改名-${role}`,
    name: `M自己的贷款方-${role}`,
    ...selfFields(name, role),
    ...extra,
  };
  let parts = action.parts;
  for (const [field, value] of Object.entries(replace)) if (fieldPart(parts, field)) parts = withField(parts, field, value);
  return { action, parts };
}

const is = (message: string, key: string) => message === zh(key) || message === en(key);

/**
 * What an action's answer says: its returned state (`{"status":"ok"|"error","message":…}` in the
 * RSC payload), a redirect, or the proxy's redirect to sign in. Not a search of the whole body: an
 * answer that re-renders the page also carries the client's message catalogue, every error text included.
 */
async function actionAnswer(res: APIResponse): Promise<Observed> {
  const location = res.headers()['location'];
  if ([303, 307, 308].includes(res.status()) && location && new URL(location, baseURL).pathname === '/signin') return 'sign-in';
  if (res.headers()['x-action-redirect']) return new URL(res.headers()['x-action-redirect'].split(';')[0], baseURL).pathname === '/signin' ? 'sign-in' : 'allow';
  const body = await res.text();
  const state = /\{"status":"(ok|error)"(?:,"message":"((?:[^"\\]|\\.)*)")?/.exec(body);
  if (!state) return `unexpected: ${res.status()} no action state in ${body.slice(0, 200)}`;
  if (state[1] === 'ok') return 'allow';
  const message = JSON.parse(`"${state[2] ?? ''}"`) as string;
  if (is(message, 'errors.signed_out')) return 'sign-in';
  if (is(message, 'errors.not_found')) return 'not-found';
  if (is(message, 'errors.forbidden')) return 'forbidden';
  return `unexpected: ${res.status()} "${message}"`;
}

async function send(role: Role, name: string, extra: Record<string, string> = {}): Promise<{ answer: Observed; body: string }> {
  const { action, parts } = aimed(name, role, extra);
  const res = await postAction(actors[role].request, baseURL, action, parts);
  const answer = await actionAnswer(res);
  return { answer, body: await res.text().catch(() => '') };
}

type PageCheck = {
  /** The owner's data is on it. */
  shows: (body: string) => boolean;
  /** Test ids of a page that says it is not for the caller's role. */
  rolePages?: string[];
  /** Where a role gate redirects. */
  roleRedirects?: string[];
};

/** What a page or route answers: by status, redirect, role page, and whether the owner's data is in it. */
async function pageAnswer(role: Role, url: string, check: PageCheck): Promise<Observed> {
  const res = await actors[role].request.get(url, { maxRedirects: 0, failOnStatusCode: false });
  const status = res.status();
  const location = res.headers()['location'];
  if (status >= 300 && status < 400) {
    const path = location ? new URL(location, baseURL).pathname : '';
    if (path === '/signin') return 'sign-in';
    if (check.roleRedirects?.includes(path)) return 'forbidden';
    return `unexpected: ${status} to ${location}`;
  }
  const body = await res.text();
  if (status === 404) return check.shows(body) ? 'unexpected: 404 that shows the data' : 'not-found';
  if (status === 403) return check.shows(body) ? 'unexpected: 403 that shows the data' : 'forbidden';
  if (status !== 200) return `unexpected: ${status}`;
  if (check.rolePages?.some((id) => body.includes(`data-testid="${id}"`))) return check.shows(body) ? 'unexpected: role page with data' : 'forbidden';
  return check.shows(body) ? 'allow' : 'not-found';
}

/** A file download: 200 with the bytes, 404, 403, or the redirect to sign in. */
async function downloadAnswer(role: Role, url: string, expectBody: (body: Buffer) => boolean): Promise<Observed> {
  const res = await actors[role].request.get(url, { maxRedirects: 0, failOnStatusCode: false });
  const status = res.status();
  if (status >= 300 && status < 400) return new URL(res.headers()['location'] ?? '', baseURL).pathname === '/signin' ? 'sign-in' : `unexpected: ${status}`;
  const body = await res.body();
  if (status === 404) return body.length === 0 || !expectBody(body) ? 'not-found' : 'unexpected: 404 with data';
  if (status === 403) return body.length === 0 ? 'forbidden' : 'unexpected: 403 with a body';
  if (status === 200) return expectBody(body) ? 'allow' : 'not-found';
  return `unexpected: ${status}`;
}

const casePage = (shows: (body: string) => boolean) => (role: Role) => pageAnswer(role, `/cases/${ids.main}`, { shows });
const BORROWER_PAGES = ['not-a-borrower', 'home-not-borrower'];

function zipMentions(body: Buffer, text: string): boolean {
  try {
    return Object.values(unzipSync(new Uint8Array(body))).some((f) => Buffer.from(f).toString('utf8').includes(text));
  } catch {
    return false;
  }
}

let freshCode = '';
/** A fresh invitation from the owner (her own request, replayed): its code, from the answer. */
async function freshInvitation(): Promise<string> {
  const { answer, body } = await send('owner', 'app/sharing/actions.ts#createInviteAction');
  expect(answer).toBe('allow');
  const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(body)?.[0];
  if (!code) throw new Error('no invitation code in the answer');
  return code;
}

async function setConsent(on: boolean) {
  const { answer } = await send('owner', 'app/sharing/actions.ts#setSensitiveConsentAction', { consent: on ? '1' : '0' });
  expect(answer).toBe('allow');
}

/**
 * The HTTP side of each row: pages and routes by path, per role. Rows with actions replay each
 * captured action (see `send`); a row may have both.
 */
const ROUTES: Record<string, (role: Role) => Promise<Observed>> = {
  'case.list.borrower': async (role) => {
    const list = await pageAnswer(role, '/cases', { shows: (b) => b.includes(`data-case-id="${ids.main}"`), rolePages: BORROWER_PAGES });
    const home = await pageAnswer(role, '/home', { shows: (b) => b.includes(`data-case-id="${ids.main}"`), rolePages: BORROWER_PAGES });
    return list === home ? list : `unexpected: /cases ${list}, /home ${home}`;
  },
  'case.list.dashboard': (role) => pageAnswer(role, '/dashboard', { shows: (b) => b.includes(`data-case-id="${ids.main}"`), roleRedirects: ['/'] }),
  'case.read': casePage((b) => b.includes('data-testid="case-page"') && b.includes(SECRET.product)),
  'case.update.form': (role) => pageAnswer(role, `/cases/${ids.main}/edit`, { shows: (b) => b.includes('data-testid="case-edit-form"') }),
  'attempt.list': casePage((b) => b.includes('data-testid="attempt"') && b.includes(SECRET.rejection)),
  'document.list': casePage((b) => b.includes(`data-document-id="${ids.docPlain}"`)),
  'document.download.plain': (role) => downloadAnswer(role, `/documents/${ids.docPlain}`, (b) => b.equals(pngBytes())),
  'document.download.sensitive': (role) => downloadAnswer(role, `/documents/${ids.docSensitive}`, (b) => b.equals(pngBytes())),
  'document.download.consented': (role) => downloadAnswer(role, `/documents/${ids.docSensitive}`, (b) => b.equals(pngBytes())),
  'contact.list': casePage((b) => b.includes(SECRET.contact)),
  'plan.list': (role) => {
    const first = (rowsOf('instalments', [ids.main])[0]?.due_on as string | undefined) ?? todayShanghai();
    return pageAnswer(role, `/home?month=${first.slice(0, 7)}`, {
      shows: (b) => b.includes('data-testid="calendar-list-item"') && b.includes(`data-case-id="${ids.main}"`),
      rolePages: BORROWER_PAGES,
    });
  },
  'plan.read': casePage((b) => b.includes('data-testid="instalment"')),
  'reminder.list.inbox': async (role) => {
    const inbox = await pageAnswer(role, '/reminders', { shows: (b) => b.includes(SECRET.reminderToday) });
    const res = await actors[role].request.get('/reminders/count', { maxRedirects: 0, failOnStatusCode: false });
    let badge: Observed;
    if (res.status() >= 300 && res.status() < 400) badge = new URL(res.headers()['location'] ?? '', baseURL).pathname === '/signin' ? 'sign-in' : 'unexpected: redirect';
    else {
      // The owner has a reminder due today; the others have none of their own: a count is the owner's.
      const { count } = (await res.json()) as { count: number };
      badge = count > 0 ? 'allow' : 'not-found';
    }
    return inbox === badge ? inbox : `unexpected: /reminders ${inbox}, /reminders/count ${badge}`;
  },
  'reminder.list.case': casePage((b) => b.includes(SECRET.reminderEdited)),
  'note.list': casePage((b) => b.includes(SECRET.caseNote)),
  'share.list': (role) => pageAnswer(role, '/sharing', { shows: (b) => b.includes(`data-share-id="${ids.share}"`), rolePages: ['sharing-not-borrower'] }),
  'share.list.log': (role) =>
    pageAnswer(role, '/sharing', { shows: (b) => b.includes('data-testid="access-row"') && b.includes(ADVISOR_NAME), rolePages: ['sharing-not-borrower'] }),
  'share.read': async (role) => {
    const res = await actors[role].request.get(`/share/accept?code=${encodeURIComponent(freshCode)}`, { maxRedirects: 0, failOnStatusCode: false });
    const body = await res.text();
    if (body.includes('data-testid="accept-signed-out"')) return 'sign-in';
    if (body.includes('data-testid="accept-not-advisor"')) return 'forbidden';
    if (body.includes('data-testid="invite-preview"') && body.includes(owner().displayName)) return 'allow';
    if (body.includes('data-testid="invite-invalid"')) return 'not-found';
    return `unexpected: ${res.status()}`;
  },
  'calendar.read': (role) => pageAnswer(role, '/settings', { shows: (b) => b.includes(calendarToken(owner().email)) }),
  'calendar.download.token': (role) => downloadAnswer(role, `/calendar/${calendarToken(owner().email)}.ics`, (b) => b.toString('utf8').includes('BEGIN:VCALENDAR')),
  'calendar.download.stale': async (role) => {
    const stale = staleToken;
    const a = await downloadAnswer(role, `/calendar/${stale}.ics`, (b) => b.length > 0);
    const b = await downloadAnswer(role, `/calendar/${'A'.repeat(43)}.ics`, (x) => x.length > 0);
    return a === b ? a : `unexpected: stale ${a}, guessed ${b}`;
  },
  'export.export.dashboard': async (role) => {
    const res = await actors[role].request.get('/dashboard/export', { maxRedirects: 0, failOnStatusCode: false });
    const status = res.status();
    if (status >= 300 && status < 400) return new URL(res.headers()['location'] ?? '', baseURL).pathname === '/signin' ? 'sign-in' : `unexpected: ${status}`;
    const body = await res.text();
    if (status === 404) return body.includes(owner().displayName) ? 'unexpected: 404 with data' : 'not-found';
    if (status !== 200) return `unexpected: ${status}`;
    return body.includes(owner().displayName) && body.includes(SECRET.product) ? 'allow' : 'not-found';
  },
  'export.export.account': async (role) => {
    const res = await actors[role].request.get('/settings/export', { maxRedirects: 0, failOnStatusCode: false });
    const status = res.status();
    if (status >= 300 && status < 400) return new URL(res.headers()['location'] ?? '', baseURL).pathname === '/signin' ? 'sign-in' : `unexpected: ${status}`;
    if (status !== 200) return `unexpected: ${status}`;
    const zip = await res.body();
    const ownersData = zipMentions(zip, SECRET.product) || zipMentions(zip, owner().email);
    // The caller's own data: the owner's for the owner, and none of hers for anyone else.
    if (role === 'owner') return ownersData ? 'allow' : 'unexpected: the owner\'s export lacks her case';
    return !ownersData && zipMentions(zip, actors[role].account!.email) ? 'allow' : 'unexpected: someone else\'s data in the export';
  },
  'lender.list': (role) => pageAnswer(role, '/lenders', { shows: (b) => b.includes(SECRET.lenderName) }),
  'lender.read': (role) => pageAnswer(role, `/cases/new?lender=${ids.lender}`, { shows: (b) => b.includes(SECRET.lenderName), roleRedirects: ['/cases'] }),
  'account.read': async (role) => {
    const res = await actors[role].request.get('/settings', { maxRedirects: 0, failOnStatusCode: false });
    if (res.status() >= 300 && res.status() < 400) return new URL(res.headers()['location'] ?? '', baseURL).pathname === '/signin' ? 'sign-in' : 'unexpected: redirect';
    const body = await res.text();
    if (res.status() !== 200) return `unexpected: ${res.status()}`;
    const own = actors[role].account!.email;
    if (role !== 'owner' && body.includes(owner().email)) return "unexpected: the owner's e-mail on someone else's settings";
    return body.includes(own) && body.includes('data-testid="danger-zone"') ? 'allow' : 'not-found';
  },
};

let staleToken = '';
/** Things a row needs before its cells run (state the owner sets, through her own requests). */
const BEFORE_ROW: Record<string, () => Promise<void>> = {
  'calendar.download.stale': async () => {
    staleToken = calendarToken(owner().email);
    const { answer } = await send('owner', 'app/settings/actions.ts#regenerateCalendarTokenAction');
    expect(answer).toBe('allow');
    expect(calendarToken(owner().email)).not.toBe(staleToken);
  },
  'share.read': async () => {
    freshCode = await freshInvitation();
  },
  'share.transition': async () => {
    freshCode = await freshInvitation();
  },
  'document.download.sensitive': () => setConsent(false),
  'document.download.consented': () => setConsent(true),
};

/** Extra fields per row for the replays (which invitation, which consent). */
function extraFields(row: MatrixRow): Record<string, string> {
  if (row.id === 'share.transition') return { code: freshCode };
  return {};
}

/** After a cell that rightly changed something the next cells rely on. */
const AFTER_CELL: Record<string, () => Promise<void>> = {
  // The advisor without a share accepted a fresh invitation: the owner revokes it again.
  'share.transition advisorWithoutShare': async () => {
    const share = (ownerSnapshot().shares as { id: number; status: string; advisor_id: number | null }[]).find(
      (s) => s.status === 'active' && s.advisor_id === userByEmail(actors.advisorWithoutShare.account!.email).id,
    );
    expect(share).toBeDefined();
    const { answer } = await send('owner', 'app/sharing/actions.ts#revokeShareAction', { shareId: String(share!.id) });
    expect(answer).toBe('allow');
  },
  // The admin changed their password (allowed): put it back, other specs may sign in with it.
  'account.update admin': async () => {
    const admin = actors.admin.account!;
    const original = process.env.E2E_ADMIN_PASSWORD!;
    if (admin.password === original) return;
    const { answer } = await send('admin', 'app/settings/actions.ts#changePasswordAction', { current: admin.password, next: original, confirm: original });
    expect(answer).toBe('allow');
    admin.password = original;
  },
};

/** Order in which the roles of a row are tried: refusals first, whatever may change something last, the owner at the very end. */
function roleOrder(row: MatrixRow): Role[] {
  const rank = (r: Role) => (r === 'owner' ? 3 : expected(row, r, 'http') === 'allow' ? 2 : 1);
  return [...ROLES].sort((a, b) => rank(a) - rank(b));
}

const WRITES = new Set(['create', 'update', 'delete', 'transition']);

async function runCell(row: MatrixRow, role: Role): Promise<void> {
  const want = expected(row, role, 'http');
  const where = `${row.id} as ${role}`;
  if (want === 'n/a') {
    tally.skipped += 1;
    return;
  }
  const before = ownerSnapshot();
  // An advisor deleting their account: who they were, to recognise what they leave behind.
  const leaving = row.id === 'account.delete' && role.startsWith('advisor') ? userByEmail(actors[role].account!.email).id : null;
  const observed: Record<string, Observed> = {};
  for (const name of row.actions) {
    const c = captured.get(name);
    if (!c) {
      observed[name] = 'unexpected: not captured';
      continue;
    }
    if (role === c.by && want === 'allow' && !(row.id === 'account.delete')) {
      // The recording itself: this very request, sent by this role's browser, did what it should.
      observed[name] = 'allow';
      tally.byRecording += 1;
      continue;
    }
    const sentPassword = selfFields(name, role).next;
    let { answer } = await send(role, name, extraFields(row));
    if (sentPassword && answer === 'allow') actors[role].account!.password = sentPassword;
    // The account's deletion signs the caller out: the answer is a redirect to the sign-in page that says so.
    if (row.id === 'account.delete' && answer === 'sign-in' && role !== 'anonymous') answer = 'allow';
    observed[name] = answer;
  }
  const route = ROUTES[row.id];
  if (route) observed[row.routes.join(', ')] = await route(role);
  expect.soft(observed, where).toEqual(Object.fromEntries(Object.keys(observed).map((k) => [k, want])));
  expect(Object.keys(observed).length, `${where}: nothing was sent`).toBeGreaterThan(0);

  if (row.id === 'account.delete' && role === 'owner') {
    expect(() => userByEmail(owner().email), 'the owner\'s account is gone').toThrow();
  } else if (leaving !== null && want === 'allow') {
    // An advisor's account ends: the shares they held are revoked and detached (kept for the
    // owner's record), and the access log and what they wrote on the owner's case stay, the
    // account detached. Nothing else of the owner's changes.
    const after = ownerSnapshot();
    if (role === 'advisorWithShare') {
      const share = (after.shares as { id: number; status: string; advisor_id: number | null }[]).find((s) => s.id === ids.share);
      expect.soft(share, where).toEqual(expect.objectContaining({ status: 'revoked', advisor_id: null }));
    }
    expect.soft(withoutAdvisor(after, leaving), where).toEqual(withoutAdvisor(before, leaving));
  } else if (want === 'not-found' || want === 'forbidden' || want === 'sign-in' || (row.scope === 'self' && role !== 'owner')) {
    expect.soft(ownerSnapshot(), `${where}: the owner's data changed`).toEqual(before);
  } else if (want === 'allow' && role !== 'owner' && row.scope === 'owner' && WRITES.has(row.operation)) {
    expect.soft(ownerSnapshot(), `${where}: an allowed write changed nothing`).not.toEqual(before);
  }
  if (row.id === 'account.delete' && role !== 'owner' && role !== 'anonymous' && want === 'allow') {
    expect.soft(() => userByEmail(actors[role].account!.email), `${where}: the account is still there`).toThrow();
  }
  tally.cells += 1;
  tally.byAnswer[want] = (tally.byAnswer[want] ?? 0) + 1;
  await AFTER_CELL[`${row.id} ${role}`]?.();
}

// --- the suite ---------------------------------------------------------------------------------

test.beforeAll(async ({ browser, playwright }, info) => {
  // The recording drives the whole UI once (about a minute and a half on an idle machine).
  test.setTimeout(600_000);
  baseURL = info.project.use.baseURL!;
  await recordOwner(browser);
  const other = await browser.newContext();
  const otherAccount = await signUp(await other.newPage(), { displayName: `M另一位借款人${tag}` });
  actors.otherBorrower = { context: other, request: other.request, account: otherAccount };
  const lone = await browser.newContext();
  const loneAccount = await signUp(await lone.newPage(), { role: 'advisor', displayName: `M没有授权的顾问${tag}` });
  actors.advisorWithoutShare = { context: lone, request: lone.request, account: loneAccount };
  const adminContext = await browser.newContext();
  const admin = { email: process.env.E2E_ADMIN_EMAIL!, password: process.env.E2E_ADMIN_PASSWORD!, displayName: 'E2E 管理员' };
  await signIn(await adminContext.newPage(), admin);
  actors.admin = { context: adminContext, request: adminContext.request, account: admin };
  anonymousRequest = await playwright.request.newContext({ baseURL });
  forgedRequest = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: 'authjs.session-token=forged-token' } });
  actors.anonymous = { context: null, request: anonymousRequest, account: null };
});

test.afterAll(async () => {
  const total = MATRIX.filter((r) => r.cells).length * ROLES.length;
  console.log(
    `[authz-matrix http] ${total} cells: ${tally.cells} tested over HTTP (${Object.entries(tally.byAnswer)
      .map(([a, n]) => `${n} ${a}`)
      .join(', ')}; ${tally.byRecording} action replays were the owner's own recorded request), ${tally.skipped} n/a; ` +
      `${buildActions().length} server actions in the build`,
  );
  for (const role of ROLES) await actors[role]?.context?.close();
  await anonymousRequest?.dispose();
  await forgedRequest?.dispose();
});

test('every server action of the build is in a matrix row (or outside it, with the reason), and was recorded', () => {
  const inBuild = buildActions().map((a) => `${a.filename}#${a.exportedName}`);
  expect(inBuild.length).toBeGreaterThan(20);
  const inMatrix = new Set(MATRIX.flatMap((r) => r.actions));
  expect(inBuild.filter((a) => !inMatrix.has(a) && !(a in OUTSIDE_THE_MATRIX)), 'server actions in no matrix row').toEqual([]);
  const plannedMissing = MATRIX.filter((r) => r.planned)
    .flatMap((r) => r.actions)
    .filter((a) => !inBuild.includes(a));
  for (const a of plannedMissing) test.info().annotations.push({ type: 'planned, not in this build', description: a });
  expect([...inMatrix].filter((a) => !inBuild.includes(a) && !plannedMissing.includes(a)), 'matrix actions missing from the build').toEqual([]);
  expect(inBuild.filter((a) => !(a in OUTSIDE_THE_MATRIX) && !captured.has(a)), 'actions the recording did not capture').toEqual([]);
  console.log(`[authz-matrix http] ${inBuild.length} server actions in the build: ${inBuild.filter((a) => inMatrix.has(a)).length} in matrix rows, ${inBuild.filter((a) => a in OUTSIDE_THE_MATRIX).length} outside it`);
});

test('no server action of the build works for an anonymous caller: no cookie, a forged cookie, or posted to a public page', async () => {
  const before = ownerSnapshot();
  const names = buildActions()
    .map((a) => `${a.filename}#${a.exportedName}`)
    .filter((a) => !(a in OUTSIDE_THE_MATRIX));
  for (const name of names) {
    const { action, parts } = aimed(name, 'anonymous');
    for (const [how, request, path] of [
      ['no cookie', anonymousRequest, action.path],
      ['forged cookie', forgedRequest, action.path],
      ['no cookie, via /signin', anonymousRequest, '/signin'],
    ] as const) {
      const res = await postAction(request, baseURL, { ...action, path, routerStateTree: path === '/signin' ? undefined : action.routerStateTree }, parts);
      const answer = await actionAnswer(res);
      expect(answer === 'allow', `${name} (${how}) worked anonymously`).toBe(false);
      if (how !== 'no cookie, via /signin') expect(answer, `${name} (${how})`).toBe('sign-in');
    }
  }
  expect(ownerSnapshot()).toEqual(before);
});

const LAST = ['share.transition', 'account.delete'];
const ORDERED = [...MATRIX.filter((r) => r.cells && !LAST.includes(r.id)), ...LAST.map((id) => MATRIX.find((r) => r.id === id)!)];

/**
 * One test, one step per row: a failed cell is reported (soft assertions) and the others still
 * run, without recording the owner's story again (Playwright restarts the worker after a failed test).
 */
test('every cell of the matrix, over HTTP, in order (the last rows change accounts: an invitation accepted, the accounts deleted)', async () => {
  test.setTimeout(300_000);
  for (const row of ORDERED) {
    await test.step(`${row.id}${row.variant ? ` (${row.variant})` : ''}: ${ROLES.map((r) => `${r} ${expected(row, r, 'http')}`).join(', ')}`, async () => {
      const missing = row.planned ? row.actions.filter((a) => !buildActions().some((b) => `${b.filename}#${b.exportedName}` === a)) : [];
      if (missing.length > 0) {
        test.info().annotations.push({ type: 'planned, not in this build yet', description: `${row.id}: ${missing.join(', ')}` });
        return;
      }
      expect(row.actions.length > 0 || !!ROUTES[row.id], `${row.id} has neither an action nor a route probe`).toBe(true);
      await BEFORE_ROW[row.id]?.();
      for (const role of roleOrder(row)) await runCell(row, role);
    });
  }
  expect(tally.cells).toBeGreaterThan(200);
});
