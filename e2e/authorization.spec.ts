/**
 * The authorisation suite. Borrower A records her whole story through the UI (e2e/owner-story.ts:
 * a full case with attempts, documents with files, contacts, reminders, a plan; three more cases;
 * sharing; her settings); every server-action request A's browser sends on the way is captured. Borrower B, signed in with their own session, then tries to
 * list, read, edit, change the status of, delete and download A's things, through the pages
 * and by sending A's captured requests (with A's ids) straight to the server; so does an
 * anonymous caller. Every attempt must look like "not found", and A's rows in the database, and
 * A's files, must be exactly as they were.
 *
 * The list of actions comes from the production build's server-reference manifest: an action
 * added to the app without being added here (or to the reasoned exclusions) fails the suite.
 */
import { randomBytes } from 'node:crypto';
import { expect, test, type APIResponse, type BrowserContext, type Page } from '@playwright/test';
import {
  buildActions,
  fieldPart,
  fieldsOf,
  fillCaseForm,
  pngBytes,
  postAction,
  rowsOf,
  signUp,
  snapshotUser,
  submitButton,
  withField,
  zh,
  type Account,
  type Part,
} from './helpers';
import { PUBLIC_LENDER, recordOwnerStory, type OwnerStory, type StoryAction } from './owner-story';
import { MATRIX, OUTSIDE_THE_MATRIX } from '../tests/authz/matrix';

// One worker runs these in order; after a failure the worker restarts and beforeAll records A's
// story again, so one failing check does not hide the others.
let story: OwnerStory;
/** A's words: none of them may reach B, or an anonymous caller, unless that caller sent them itself. */
let SECRET: OwnerStory['secrets'];
/** The ids B will aim at. */
let ids: OwnerStory['ids'];
/** By "<file>#<export>": one captured request per action. */
let captured: Map<string, StoryAction>;

/**
 * Actions that B cannot point at A's data, with the reason. Everything else in the manifest
 * must be captured below and replayed as B.
 */
const NOT_REPLAYED: Record<string, string> = {
  'app/(auth)/actions.ts#signInAction': 'public by design; takes no id (sign-in is tested in auth.spec.ts, its limit too)',
  'app/(auth)/actions.ts#signUpAction': 'public by design; creates a new account and touches no existing one',
  'app/(auth)/actions.ts#forgotPasswordAction': "public by design; mails a reset link to the account's own address only, the same answer for every address (password-reset.spec.ts, db/users.test.ts)",
  'app/(auth)/actions.ts#resetPasswordAction':
    "bearer: the link's token is the key, whoever sends it; a token ended, altered or another account's changes nothing (the matrix's password-reset rows, password-reset.spec.ts)",
  'app/(auth)/actions.ts#confirmEmailAction':
    "bearer: the link's token is the key, whoever sends it; all it does is confirm the address it was mailed to, and a token ended, altered or another account's changes nothing (the matrix's email-confirm rows, db/users.test.ts)",
  'app/actions.ts#setLocaleAction': 'public by design; sets a cookie and the caller\'s own account language',
  'app/actions.ts#signOutAction': 'ends the caller\'s own session only',
  'app/settings/actions.ts#changePasswordAction': 'acts on the caller\'s own account only (the viewer); takes no id',
  'app/settings/actions.ts#changeEmailAction': 'changes the caller\'s own sign-in email only (the viewer); takes no id',
  'app/settings/actions.ts#signOutEverywhereAction': 'acts on the caller\'s own sessions only; takes no id',
  'app/settings/actions.ts#updateProfileAction': 'acts on the caller\'s own account only; takes no id',
  'app/settings/actions.ts#regenerateCalendarTokenAction': 'replaces the caller\'s own calendar-feed token; takes no id',
  'app/settings/actions.ts#setEmailRemindersAction': 'sets the caller\'s own e-mail preference; takes no id',
  'app/settings/actions.ts#sendEmailConfirmationAction': "mails the confirmation link to the caller's own address only; takes no id",
  'app/settings/actions.ts#cancelEmailChangeAction': "cancels the caller's own change of sign-in email waiting for its link; takes no id",
  'app/settings/actions.ts#deleteAccountAction':
    'deletes the caller\'s own account only (the viewer), behind its password and typed email; takes no id (account-data.spec.ts, db/account.test.ts)',
  'app/sharing/actions.ts#createInviteAction': 'creates an invitation from the caller\'s own account; takes no id',
  'app/share/accept/actions.ts#acceptInviteAction':
    'authorised by the invitation code itself (a bearer secret, stored hashed), not by an id; who may accept, and when, is sharing.spec.ts\'s',
  // The admin console's: A owns nothing they act on (accounts, the public directory). Recorded as the
  // admin by e2e/admin-story.ts, they are replayed by a borrower and an advisor in e2e/authz-matrix.spec.ts
  // (not found, nothing changed) and e2e/fuzz.spec.ts.
  'app/admin/actions.ts#setAccountRoleAction': 'admin only, on accounts, not on A\'s data: replayed by non-admins in authz-matrix.spec.ts',
  'app/admin/actions.ts#setAccountDisabledAction': 'admin only, on accounts, not on A\'s data: replayed by non-admins in authz-matrix.spec.ts',
  'app/admin/lenders/actions.ts#createPublicLenderAction': 'admin only, on the public directory: replayed by non-admins in authz-matrix.spec.ts',
  'app/admin/lenders/actions.ts#resolveLenderSuggestionAction': "admin only, on advisors' suggestions, not on A's data: replayed by non-admins in authz-matrix.spec.ts",
  'app/lenders/actions.ts#suggestLenderChangeAction': "an advisor's own suggestion to the public directory, not on A's data (B, a borrower, is refused: forbidden); every role replays it in authz-matrix.spec.ts",
  'app/admin/lenders/actions.ts#updatePublicLenderAction': 'admin only, on the public directory: replayed by non-admins in authz-matrix.spec.ts',
  'app/lenders/actions.ts#createPrivateLenderAction': 'creates a lender owned by the caller; takes no id (A\'s private lender is attacked through createCaseAction)',
};

let A: Account;
let B: Account;
let contextB: BrowserContext;
let pageA: Page;
let pageB: Page;

/**
 * The captured request of `name`, rewritten to aim at A's main case (and its document, contact,
 * instalment, and A's private lender) at its current version: a request that would succeed for
 * A. Create forms get a fresh form key, so that "already done" cannot hide a missing check.
 */
function aimedAtA(name: string): { action: StoryAction; parts: Part[] } {
  const action = captured.get(name)!;
  const version = String((snapshotUser(A.email).cases.find((c) => (c as { id: number }).id === ids.main) as { version: number }).version);
  const replace: Record<string, string | Part> = {
    caseId: String(ids.main),
    version,
    documentId: String(ids.document),
    contactId: String(ids.contact),
    // A payment is corrected on a paid instalment, recorded on an unpaid one.
    instalmentId: String(name.endsWith('#correctInstalmentPaymentAction') ? ids.paidInstalment : ids.instalment),
    reminderId: String(ids.reminder),
    requestId: String(ids.materialRequest),
    shareId: String(ids.share),
    consent: '0',
    accepted: '1',
    formKey: randomBytes(12).toString('base64url'),
    lenderId: String(ids.lender),
    archived: '1',
    status: 'rejected',
    // The status the document's form was shown with: its status now.
    from: String(rowsOf('documents', [ids.main]).find((d) => d.id === ids.document)!.status),
    // The file the document's form was drawn with: its file now.
    shownFile: String(rowsOf('documents', [ids.main]).find((d) => d.id === ids.document)!.stored_name ?? ''),
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
  story = await recordOwnerStory(browser, { who: 'A' });
  ({ captured, ids, secrets: SECRET } = story);
  A = story.owner.account;
  pageA = story.owner.page;
  contextB = await browser.newContext();
  pageB = await contextB.newPage();
  B = await signUp(pageB, { displayName: `B借款人${story.tag}` });
});

test.afterAll(async () => {
  await story?.owner.context.close();
  await story?.advisor.context.close();
  await contextB?.close();
});

test('every server action in the build is either replayed against A below, or excluded with a reason', () => {
  const inBuild = buildActions().map((a) => `${a.filename}#${a.exportedName}`);
  expect(inBuild.length).toBeGreaterThan(20);
  const replayed = [...captured.keys()].filter((name) => !(name in NOT_REPLAYED));
  const uncovered = inBuild.filter((name) => !replayed.includes(name) && !(name in NOT_REPLAYED));
  expect(uncovered, 'server actions that the authorisation suite neither replays nor excludes').toEqual([]);
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
  await pageB.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
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
  await expect(pageB.getByTestId('cases-open-cases')).toHaveText('1');
  await expect(pageB.getByTestId('cases-overdue')).toHaveText('¥10.00');

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

test('B reading or editing A\'s cases gets the not-found page, and downloading A\'s file gets the same not-found page as no file at all', async () => {
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

  // The same "not found" page for another's file and for none at all: nothing tells them apart.
  const answers: string[] = [];
  for (const url of [`/documents/${ids.document}`, '/documents/999999']) {
    const res = await pageB.request.get(url, { maxRedirects: 0 });
    expect(res.status(), url).toBe(404);
    answers.push(await res.text());
    expect(answers.at(-1), url).toContain(zh('common.notFound.title'));
    expect(res.headers()['content-type'] ?? '', url).not.toContain('image/png');
    expect(res.headers()['content-disposition'], url).toBeUndefined();
  }
  expect(answers[0]).toBe(answers[1]);
  // Opened in the browser, it is a page people can read (its styles pass the download's sandbox policy), with the way back.
  await pageB.goto(`/documents/${ids.document}`);
  await expect(pageB.getByTestId('document-not-found')).toHaveCSS('max-width', '576px');
  await expect(pageB.getByRole('link', { name: zh('common.notFound.home') })).toHaveAttribute('href', '/');
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

test('an anonymous caller sending the same requests: told the session has ended; nothing changes', async ({ baseURL, playwright }) => {
  test.setTimeout(120_000);
  const before = snapshotUser(A.email);
  const anonymous = await playwright.request.newContext({ baseURL });
  const forged = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: 'authjs.session-token=forged-token' } });
  for (const name of captured.keys()) {
    if (name in NOT_REPLAYED) continue;
    const { action, parts } = aimedAtA(name);

    // No cookie (it expired, or was never there): proxy.ts lets an action through, and the action
    // finds no viewer, as with a forged cookie below.
    let res = await postAction(anonymous, baseURL!, action, parts);
    let where = `anonymous → ${name}`;
    expect(res.status(), where).toBe(200);
    expect(await res.text(), where).toContain(zh('errors.signed_out'));
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

  const corrected = aimedAtA('app/cases/[id]/actions.ts#correctInstalmentPaymentAction');
  res = await postAction(pageA.request, baseURL!, corrected.action, corrected.parts);
  expect(await res.text()).toContain(zh('case.saved.paymentUndone'));
  expect(rowsOf('instalments', [ids.main]).find((i) => i.id === ids.paidInstalment)!.paid_on).toBeNull();
});
