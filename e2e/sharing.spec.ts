/**
 * Sharing with an advisor, the journey of issue 4: a borrower records a case with a sensitive
 * document (a medical proof) and invites an advisor; the advisor, in a browser of their own,
 * accepts with the code, opens the client's case by its address and finds it read-only (the
 * medical proof refused), adds a note and a reminder; the borrower sees both (the note on her home
 * too) and the access log;
 * the borrower consents to sensitive documents (the advisor can download), withdraws that consent
 * (the link still on the advisor's page says why it is refused), then revokes, and the advisor's
 * very next request for the case is "not found". A second invitation, opened by the advisor who
 * already has access, offers no "accept" but the way to the client's cases.
 *
 * On the way, the borrower's own edit, transition and document requests are captured, and the
 * advisor sends them, aimed at the client's case, straight to the server: refused, and the
 * borrower's rows and files are exactly as they were.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  actionForm,
  captureAction,
  caseRow,
  createCase,
  en,
  expectCaseStatus,
  fieldPart,
  formMessage,
  openFold,
  pngBytes,
  postAction,
  setLocale,
  snapshotUser,
  submitButton,
  uniqueEmail,
  withField,
  zh,
  PASSWORD,
  type Account,
  type CapturedAction,
  type Part,
} from './helpers';

// The catalogues this spec needs beyond the ones helpers.ts loads.
const catalogue = (ns: string) => JSON.parse(readFileSync(new URL(`../messages/zh-CN/${ns}.json`, import.meta.url), 'utf8'));
const SHARING = catalogue('sharing');
const REMINDERS = catalogue('reminders');
const DASHBOARD = catalogue('dashboard');
const HOME = catalogue('home');
function fill(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const BORROWER_NAME = '王小明';
const ADVISOR_NAME = '李律师';
const NOTE = '建议先补充近 6 个月的银行流水，再申请个性化分期。';
const REMINDER = '周一给客服打电话问审核进度';

/**
 * Signs up through /signup in Chinese. Where a new account lands depends on its role (the start
 * page); what matters here is that it is signed in.
 */
async function signUpAs(page: Page, role: 'borrower' | 'advisor', displayName: string): Promise<Account> {
  const account = { email: uniqueEmail(role), password: PASSWORD, displayName };
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

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** The captured request with its case version brought up to date, so only the caller can make it fail. */
function current(c: CapturedAction, caseId: number): Part[] {
  return fieldPart(c.parts, 'version') ? withField(c.parts, 'version', String(caseRow(caseId).version)) : c.parts;
}

test('a borrower shares with an advisor, sees everything they do, and revokes: the advisor\'s next request is "not found"', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const png = pngBytes();

  // --- the borrower: a case with a medical proof ---------------------------------------------------
  const b = await newPage(browser);
  const borrower = await signUpAs(b, 'borrower', BORROWER_NAME);
  const caseId = await createCase(b, { product: '借呗', principal: '12000' });

  const addDocument = async (kind: string) => {
    const form = (await openFold(b.getByTestId('documents').getByTestId('add-document'))).getByTestId('add-document-form');
    await form.locator('select[name="kind"]').selectOption(kind);
    await submitButton(form).click();
    const doc = b.getByTestId('documents').locator(`[data-testid="document"][data-kind="${kind}"]`);
    await expect(doc).toHaveCount(1);
    return doc;
  };
  const medical = await addDocument('medical_proof');
  await openFold(medical.getByTestId('document-manage'));
  const upload = medical.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: '协和医院诊断证明.png', mimeType: 'image/png', buffer: png });
  await submitButton(upload).click();
  await expect(medical.getByTestId('document-download')).toBeVisible();
  const medicalId = Number(await medical.getAttribute('data-document-id'));
  // Sensitive by its kind: marked, and not something the borrower can unmark.
  await expect(medical).toHaveAttribute('data-sensitive', '1');
  await expect(medical.getByTestId('document-sensitive-fixed')).toBeVisible();
  await expect(medical.getByTestId('document-sensitive-form')).toHaveCount(0);
  expect((await b.request.get(`/documents/${medicalId}`)).status()).toBe(200);

  // Requests the advisor will replay later: marking a document sensitive and deleting one (an
  // extra document, made for the purpose), editing the case, and a status transition.
  const extra = await addDocument('other');
  await openFold(extra.getByTestId('document-manage'));
  const extraUpload = extra.getByTestId('document-upload-form');
  await extraUpload.locator('input[type="file"]').setInputFiles({ name: '家庭情况说明.png', mimeType: 'image/png', buffer: png });
  await submitButton(extraUpload).click();
  await expect(extra.getByTestId('document-download')).toBeVisible();
  await openFold(extra.getByTestId('document-manage'));
  const markSent = await captureAction(b, () => submitButton(extra.getByTestId('document-sensitive-form')).click());
  await expect(extra).toHaveAttribute('data-sensitive', '1');
  await openFold(extra.getByTestId('document-manage'));
  const del = extra.getByTestId('document-delete-form');
  await del.getByRole('button', { name: zh('case.documents.delete') }).click();
  const deleteSent = await captureAction(b, () => submitButton(del).click());
  await expect(extra).toHaveCount(0);
  // The timeline says which document went (by its file's name).
  const deletedEvent = b.locator('[data-testid="event"][data-kind="document_deleted"]').getByTestId('event-text');
  await expect(deletedEvent).toHaveText(zh('timeline.event.document_deleted_named', { kind: zh('domain.documentKind.other'), name: '家庭情况说明.png' }));

  await b.goto(`/cases/${caseId}/edit`);
  const edit = b.getByTestId('case-edit-form');
  await edit.locator('input[name="product"]').fill('借呗（改过）');
  const editSent = await captureAction(b, () => submitButton(edit).click());
  await b.waitForURL(new RegExp(`/cases/${caseId}$`));

  const submit = await actionForm(b, 'submit', 'form-submit');
  await submit.locator('select[name="program"]').selectOption('instalments');
  await submit.locator('select[name="channel"]').selectOption('app');
  const transitionSent = await captureAction(b, () => submitButton(submit).click());
  await expectCaseStatus(b, 'under_review');

  // --- the invitation: a code shown once, and a link ---------------------------------------------------
  await b.goto('/sharing');
  await expect(b.getByTestId('agent-warning')).toContainText(SHARING.warningTitle);
  await expect(b.getByTestId('share-row')).toHaveCount(0);
  const inviteForm = b.getByTestId('invite-form');
  await inviteForm.locator('input[name="label"]').fill('李律师，法律援助中心');
  await submitButton(inviteForm).click();
  const codeText = b.getByTestId('invite-code');
  await expect(codeText).toHaveText(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  const code = (await codeText.textContent())!.trim();
  // The result takes the focus (the form that made it is drawn again), so the code is read out.
  await expect(b.getByTestId('invite-result')).toBeFocused();
  const link = await b.getByTestId('invite-link').inputValue();
  expect(link).toBe(`${baseURL}/share/accept?code=${code}`);
  const invited = b.getByTestId('share-row');
  await expect(invited).toHaveCount(1);
  await expect(invited).toHaveAttribute('data-status', 'invited');
  await expect(invited).toContainText('李律师，法律援助中心');
  // The code is not kept anywhere the page can show it again.
  await b.reload();
  await expect(b.getByTestId('invite-code')).toHaveCount(0);
  await expect(b.locator('body')).not.toContainText(code);

  // A borrower cannot accept (the link is for the advisor).
  await b.goto(link);
  await expect(b.getByTestId('accept-not-advisor')).toContainText(SHARING.accept.notAdvisor);
  await expect(b.getByTestId('accept-form')).toHaveCount(0);

  // --- the advisor accepts ------------------------------------------------------------------------
  const a = await newPage(browser);
  await signUpAs(a, 'advisor', ADVISOR_NAME);
  // Before accepting, the client's case is not there at all.
  expect((await a.goto(`/cases/${caseId}`))!.status()).toBe(404);
  await a.goto('/share/accept?code=AAAA-BBBB-CCCC');
  await expect(a.getByTestId('invite-invalid')).toHaveText(SHARING.accept.invalid);
  // The whole link pasted into the code box (as a chat app hands it over) finds the invitation too.
  await a.goto('/share/accept');
  await a.locator('#invite-code-input').fill(`邀请链接：${link}`);
  await a.getByTestId('accept-lookup-form').locator('button[type="submit"]').click();
  await expect(a.getByTestId('invite-from')).toHaveText(fill(SHARING.accept.invitedBy, { name: BORROWER_NAME }));
  await expect(a.locator('#invite-code-input')).toHaveValue(code);
  // Something that cannot be a code is said to be no code, and stays in the box to be corrected.
  await a.locator('#invite-code-input').fill('邀请码是多少？');
  await a.getByTestId('accept-lookup-form').locator('button[type="submit"]').click();
  await expect(a.getByTestId('invite-invalid')).toHaveText(SHARING.accept.invalid);
  await expect(a.locator('#invite-code-input')).toHaveValue('邀请码是多少？');
  // The box is marked, points at the reason and has the focus, for a keyboard or a screen reader.
  await expect(a.locator('#invite-code-input')).toHaveAttribute('aria-invalid', 'true');
  await expect(a.locator('#invite-code-input')).toHaveAttribute('aria-describedby', 'invite-invalid');
  await expect(a.locator('#invite-code-input')).toBeFocused();
  await a.goto(link);
  await expect(a.getByTestId('invite-from')).toHaveText(fill(SHARING.accept.invitedBy, { name: BORROWER_NAME }));
  // The dashboard lists the client's case, and the router prefetches the link (the case's title):
  // that is no visit, and leaves no line in the client's access log.
  const prefetched = a.waitForResponse(
    (r) =>
      new URL(r.url()).pathname === `/cases/${caseId}` &&
      r.request().headers()['next-router-prefetch'] === '1' &&
      r.request().headers()['next-router-segment-prefetch'] === undefined,
  );
  await submitButton(a.getByTestId('accept-form')).click();
  await a.waitForURL(/\/dashboard\?accepted=1$/);
  // The router prefetches a link once it is on the screen.
  await a.locator(`a[href="/cases/${caseId}"]`).first().scrollIntoViewIfNeeded();
  expect((await prefetched).status()).toBe(200);
  expect(snapshotUser(borrower.email).accessLog).toEqual([]);
  // The code works once.
  await a.goto(link);
  await expect(a.getByTestId('invite-invalid')).toBeVisible();
  // A second invitation from the same client: nothing to accept, they already have access; a way to the client's cases instead.
  await b.goto('/sharing');
  await submitButton(b.getByTestId('invite-form')).click();
  await expect(b.getByTestId('invite-code')).toBeVisible();
  await a.goto(await b.getByTestId('invite-link').inputValue());
  const already = a.getByTestId('invite-already-shared');
  await expect(already).toContainText(fill(SHARING.accept.alreadyShared, { name: BORROWER_NAME }));
  await expect(a.getByTestId('accept-form')).toHaveCount(0);
  await expect(a.getByTestId('invite-preview')).toHaveCount(0);
  await already.getByTestId('invite-client-link').click();
  await a.waitForURL(/\/dashboard\?client=\d+#cases$/);
  await expect(a.getByTestId('client-link').and(a.locator('[aria-current="true"]'))).toContainText(BORROWER_NAME);
  await expect(a.locator(`a[href="/cases/${caseId}"]`).first()).toBeVisible();

  // --- the client's case, read-only ------------------------------------------------------------------
  let res = await a.goto(`/cases/${caseId}`);
  expect(res!.status()).toBe(200);
  const page = a.getByTestId('case-page');
  await expect(page).toHaveAttribute('data-read-only', '1');
  await expect(a.getByTestId('advisor-banner')).toContainText(fill(SHARING.caseView.advisorBanner, { client: BORROWER_NAME }));
  // The next step is written for the client, and says so.
  await expect(a.getByTestId('next-step').getByRole('heading')).toHaveText(zh('case.nextStep.titleForAdvisor', { client: BORROWER_NAME }));
  await expect(a.getByTestId('next-step-advisor')).toHaveText(zh('case.nextStep.advisorNote', { client: BORROWER_NAME }));
  await expect(a.getByTestId('case-product')).toContainText('借呗（改过）');
  // The rule's reminder ("check the review result") is the client's: the advisor sees it, and cannot tick it off.
  await expect(a.getByTestId('case-reminders').getByTestId('reminder')).not.toHaveCount(0);
  for (const control of ['edit-case', 'action-panel', 'document-manage', 'add-document', 'add-suggested', 'add-contact', 'contact-delete-form', 'mark-paid', 'reminder-done', 'reminder-snooze-toggle']) {
    await expect(a.getByTestId(control), control).toHaveCount(0);
  }
  const lockedDoc = a.locator(`[data-testid="document"][data-document-id="${medicalId}"]`);
  await expect(lockedDoc.getByTestId('document-locked')).toHaveText(SHARING.caseView.sensitiveLocked);
  await expect(lockedDoc.getByTestId('document-download')).toHaveCount(0);
  await expect(page).not.toContainText('协和医院诊断证明');
  // Nor the name of the sensitive document the client deleted: the timeline says only its kind.
  await expect(page).not.toContainText('家庭情况说明');
  await expect(a.locator('[data-testid="event"][data-kind="document_deleted"]').getByTestId('event-text')).toHaveText(
    zh('timeline.event.document_deleted', { kind: zh('domain.documentKind.other') }),
  );
  let download = await a.request.get(`/documents/${medicalId}`);
  // Refused, and told why (they can read the case: the document is no secret to them, its contents are).
  expect(download.status()).toBe(403);
  expect(download.headers()['content-type']).toContain('text/html');
  expect(download.headers()['content-disposition']).toBeUndefined();
  const refusal = await download.text();
  expect(refusal).toContain(SHARING.documentRefused.title);
  expect(refusal).toContain(SHARING.documentRefused.body);
  expect(refusal).not.toContain('协和医院诊断证明');
  // In the reader's language.
  await setLocale(a, 'en');
  const refusalEn = await (await a.request.get(`/documents/${medicalId}`)).text();
  expect(refusalEn).toContain(en('sharing.documentRefused.title'));
  expect(refusalEn).toContain(en('sharing.documentRefused.body'));
  await setLocale(a, 'zh-CN');
  expect((await a.goto(`/cases/${caseId}/edit`))!.status()).toBe(404);
  await a.goto(`/cases/${caseId}`);

  // A note, refused empty, then kept; marked as the advisor's.
  const noteForm = a.getByTestId('note-form');
  await submitButton(noteForm).click();
  await expect(noteForm.getByTestId('error-text')).toHaveText(zh('errors.required'));
  await noteForm.locator('textarea[name="text"]').fill(NOTE);
  const noteSent = await captureAction(a, () => submitButton(a.getByTestId('note-form')).click());
  await expect(formMessage(a.getByTestId('note-form'))).toHaveText(SHARING.notes.saved);
  const advisorNote = fill(zh('timeline.event.note_advisor'), { name: ADVISOR_NAME, text: NOTE });
  await expect(a.locator('[data-testid="event"][data-kind="note"]').getByTestId('event-text')).toHaveText(advisorNote);

  // A reminder for the client.
  const reminderForm = (await openFold(a.getByTestId('add-reminder'))).getByTestId('reminder-form');
  // Asked of the client, whose reminder it becomes; and no link to the advisor's own, empty, inbox.
  await expect(reminderForm.locator('label[for]').first()).toContainText(zh('reminders.form.titleForClient', { client: BORROWER_NAME }));
  await expect(a.getByTestId('case-reminders').getByRole('link', { name: zh('reminders.section.allLink') })).toHaveCount(0);
  await reminderForm.locator('input[name="title"]').fill(REMINDER);
  await submitButton(reminderForm).click();
  await expect(formMessage(a.getByTestId('reminder-form'))).toHaveText(REMINDERS.actions.createdOk);

  // --- the advisor sends the borrower's own requests, aimed at the client's case: refused ------------
  const before = snapshotUser(borrower.email);
  const forbidden = zh('errors.forbidden');
  const replays: [string, CapturedAction, Part[]][] = [
    ['edit the case', editSent, current(editSent, caseId)],
    ['change the status', transitionSent, current(transitionSent, caseId)],
    ['delete the medical proof', deleteSent, withField(deleteSent.parts, 'documentId', String(medicalId))],
    ['unmark the medical proof', markSent, withField(withField(markSent.parts, 'documentId', String(medicalId)), 'sensitive', '0')],
  ];
  for (const [what, action, parts] of replays) {
    const answer = await postAction(a.request, baseURL!, action, parts);
    expect(answer.status(), what).toBe(200);
    const body = await answer.text();
    expect(body, what).toContain(forbidden);
    expect(answer.headers()['x-action-redirect'], what).toBeUndefined();
    expect(snapshotUser(borrower.email), `${what}: the borrower's rows changed`).toEqual(before);
  }
  // The control: the same edit request, sent by the borrower, is taken.
  const control = await postAction(b.request, baseURL!, editSent, withField(current(editSent, caseId), 'product', '借呗（借款人又改）'));
  expect(control.status()).toBeLessThan(400);
  expect(caseRow(caseId).product).toBe('借呗（借款人又改）');

  // --- the borrower sees the note, the reminder and the access log -----------------------------------
  // The note on her home, with who wrote it, leading to the case's timeline.
  await b.goto('/home');
  const homeNotes = b.getByTestId('home-advisor-notes');
  await expect(homeNotes.getByRole('heading')).toHaveText(HOME.advisorNotes.title);
  const homeNote = homeNotes.getByTestId('home-advisor-note');
  await expect(homeNote).toHaveCount(1);
  // One note: nothing to say about more.
  await expect(homeNotes.getByTestId('home-advisor-notes-more')).toHaveCount(0);
  await expect(homeNote).toHaveAttribute('data-case-id', String(caseId));
  await expect(homeNote.getByTestId('home-advisor-note-author')).toHaveText(ADVISOR_NAME);
  await expect(homeNote.getByTestId('home-advisor-note-text')).toHaveText(NOTE);
  await homeNote.getByTestId('home-advisor-note-case').click();
  await b.waitForURL(new RegExp(`/cases/${caseId}#timeline$`));
  const noteEvent = b.locator('[data-testid="event"][data-kind="note"]');
  await expect(noteEvent).toHaveAttribute('data-actor-role', 'advisor');
  await expect(noteEvent.getByTestId('event-text')).toHaveText(advisorNote);
  await expect(noteEvent.getByTestId('event-actor')).toHaveText(fill(zh('timeline.advisorActor'), { name: ADVISOR_NAME }));
  await b.goto('/reminders');
  await expect(b.getByTestId('reminder').filter({ hasText: REMINDER })).toHaveCount(1);
  // It says who added it; the client's own and the rules' reminders name nobody.
  await expect(b.getByTestId('reminder').filter({ hasText: REMINDER }).getByTestId('reminder-added-by')).toHaveText(fill(REMINDERS.item.addedBy, { name: ADVISOR_NAME }));
  await expect(b.getByTestId('reminder-added-by')).toHaveCount(1);

  await b.goto('/sharing');
  const active = b.locator('[data-testid="share-row"][data-status="active"]');
  await expect(active).toHaveCount(1);
  // Who has access comes first, then the invitation still waiting (made later).
  expect(await b.getByTestId('share-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.status))).toEqual(['active', 'invited']);
  await expect(active.getByTestId('share-advisor')).toContainText(ADVISOR_NAME);
  await expect(active.getByTestId('share-since')).toBeVisible();
  await expect(active.getByTestId('sensitive-consent')).toHaveAttribute('data-consent', '0');
  const log = b.getByTestId('access-log');
  const actions = await log.getByTestId('access-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.action));
  // The advisor loaded the case page again and again (opened it, came back from its edit page,
  // saved a note, opened a fold, saved a reminder): one visit.
  expect(actions.sort()).toEqual(['add_note', 'add_reminder', 'view_case']);
  await expect(log.locator('[data-action="add_reminder"]').getByTestId('access-what')).toHaveText(
    fill(SHARING.log.withDetail, { action: SHARING.log.action.add_reminder, detail: REMINDER }),
  );
  await expect(log.locator('[data-action="add_note"]').getByTestId('access-advisor')).toHaveText(ADVISOR_NAME);
  for (const row of await log.getByTestId('access-row').all()) await expect(row).toHaveAttribute('data-case-id', String(caseId));

  // --- consent to sensitive documents: the advisor can download -----------------------------------------
  await submitButton(active.getByTestId('sensitive-consent-form')).click();
  await expect(active.getByTestId('sensitive-consent')).toHaveAttribute('data-consent', '1');
  // A link to it on another site (a mail in webmail): a page that says a download is logged, and
  // leads to the dashboard; nothing downloaded, nothing logged (the log below counts one download).
  const fromElsewhere = await a.request.get(`/documents/${medicalId}`, { headers: { 'sec-fetch-site': 'cross-site' } });
  expect(fromElsewhere.status()).toBe(200);
  expect(fromElsewhere.headers()['content-disposition']).toBeUndefined();
  const elsewhere = await fromElsewhere.text();
  expect(elsewhere).toContain('data-testid="document-from-another-site"');
  expect(elsewhere).toContain('<a href="/dashboard"');
  download = await a.request.get(`/documents/${medicalId}`);
  expect(download.status()).toBe(200);
  expect(Buffer.compare(await download.body(), png)).toBe(0);
  await a.goto(`/cases/${caseId}`);
  await expect(a.locator(`[data-testid="document"][data-document-id="${medicalId}"]`).getByTestId('document-download')).toBeVisible();
  await b.reload();
  await expect(b.getByTestId('access-log').locator('[data-action="download_document"]')).toHaveCount(1);

  // --- consent withdrawn while the advisor's page is open: the link they still see says why it is refused ---
  await submitButton(active.getByTestId('sensitive-consent-form')).click();
  await expect(active.getByTestId('sensitive-consent')).toHaveAttribute('data-consent', '0');
  const refused = a.waitForResponse((r) => new URL(r.url()).pathname === `/documents/${medicalId}`);
  await a.locator(`[data-testid="document"][data-document-id="${medicalId}"]`).getByTestId('document-download').click();
  expect((await refused).status()).toBe(403);
  await expect(a.getByTestId('document-refused')).toContainText(SHARING.documentRefused.title);
  await expect(a.getByTestId('document-refused')).toContainText(SHARING.documentRefused.body);
  await expect(a.getByRole('link', { name: SHARING.documentRefused.back })).toHaveAttribute('href', '/dashboard');
  // Nothing was downloaded, so nothing is logged.
  await b.reload();
  await expect(b.getByTestId('access-log').locator('[data-action="download_document"]')).toHaveCount(1);

  // The advisor goes from the dashboard to the case and back through the app's links: the router keeps both pages.
  await a.goto('/dashboard');
  // The case's next date is the reminder the advisor added for the client today: said as the client's, not "my reminder".
  const nextFor = a.getByTestId('cases-table').getByTestId('cell-next-for');
  await expect(nextFor).toHaveAttribute('data-for', 'own');
  await expect(nextFor).toHaveText(zh('domain.nextFor.clientOwn'));
  await a.locator(`main a[href^="/cases/${caseId}"]`).first().click();
  await expect(a.getByTestId('case-page')).toBeVisible();
  await a.locator('header').getByTestId('nav-dashboard').click();
  await expect(a).toHaveURL(/\/dashboard$/);

  // --- revocation: the advisor's very next request finds nothing --------------------------------------
  const revoke = b.locator('[data-testid="share-row"][data-status="active"]').getByTestId('revoke-share-form');
  await revoke.getByRole('button', { name: SHARING.list.revoke }).click();
  await expect(revoke).toContainText(SHARING.list.revokeQuestion);
  // The reminder the advisor added may go with them: asked, not done unless ticked.
  await revoke.getByLabel(zh('sharing.list.closeReminders', { count: 1 })).check();
  await submitButton(revoke).click();
  await expect(b.locator('[data-testid="share-row"][data-status="revoked"]')).toHaveCount(1);
  // The row lost its form with the save: the page says what was done.
  await expect(b.getByTestId('save-flash-message')).toHaveText(zh('sharing.list.revokedWithReminders', { count: 1 }));
  await expect(b.locator('[data-testid="share-row"][data-status="active"]')).toHaveCount(0);
  // The invitation still waiting is called off with the word its button uses: "cancelled", not "revoked".
  const waiting = b.locator('[data-testid="share-row"][data-status="invited"]');
  await expect(waiting).toHaveCount(1);
  const cancelForm = waiting.getByTestId('revoke-share-form');
  await cancelForm.getByRole('button', { name: SHARING.list.cancelInvite }).click();
  await submitButton(cancelForm).click();
  const cancelled = b.locator('[data-testid="share-row"][data-status="cancelled"]');
  await expect(cancelled).toHaveCount(1);
  await expect(cancelled.getByTestId('share-status')).toHaveText(SHARING.list.status.cancelled);
  await expect(cancelled.getByTestId('share-revoked-at')).toContainText(SHARING.list.cancelledOn);
  await expect(b.getByTestId('save-flash-message')).toHaveText(SHARING.list.cancelled);
  // The advisor's reminder went with them; the client's own and the rules' stay.
  await b.goto('/reminders');
  await expect(b.getByTestId('reminder').filter({ hasText: REMINDER })).toHaveCount(0);
  await expect(b.getByTestId('reminder')).not.toHaveCount(0);
  await b.goto('/sharing');
  await expect(b.locator('[data-testid="share-row"][data-status="revoked"]').getByTestId('share-revoked-at')).toContainText(SHARING.list.revokedOn);

  // Back, to the case page the router remembers: asked of the server again, it is "not found", none of it shown.
  await a.goBack();
  await expect(a).toHaveURL(new RegExp(`/cases/${caseId}`));
  await expect(a.getByTestId('not-found')).toBeVisible();
  await expect(a.getByTestId('case-page')).toHaveCount(0);
  await expect(a.locator('main')).not.toContainText(NOTE);

  res = await a.goto(`/cases/${caseId}`);
  expect(res!.status()).toBe(404);
  await expect(a.getByTestId('not-found')).toBeVisible();
  await expect(a.getByTestId('case-page')).toHaveCount(0);
  await expect(a.locator('body')).not.toContainText(NOTE);
  // "Not found", with the likely reasons an advisor meets it for, and the way to the dashboard that names who stopped.
  await expect(a.getByTestId('not-found-advisor')).toHaveText(zh('common.notFound.advisorBody'));
  await expect(a.getByTestId('not-found').getByRole('link', { name: zh('common.notFound.dashboard') })).toHaveAttribute('href', '/dashboard');
  download = await a.request.get(`/documents/${medicalId}`);
  expect(download.status()).toBe(404);
  // The app's "not found", in the advisor's language, with the way back; never the file.
  expect(download.headers()['content-type']).toContain('text/html');
  const notFoundPage = await download.text();
  expect(notFoundPage).toContain(zh('common.notFound.title'));
  expect(notFoundPage).toContain(zh('common.notFound.advisorBody'));
  expect(notFoundPage).toContain('href="/dashboard"');
  expect(download.headers()['content-disposition']).toBeUndefined();
  // Its own note, sent again: "not found" (with what an advisor should suspect), and nothing is added.
  const afterRevoke = snapshotUser(borrower.email);
  const again = await postAction(a.request, baseURL!, noteSent, withField(noteSent.parts, 'formKey', `fresh-key-${Date.now()}-abcdef`));
  expect(await again.text()).toContain(zh('errors.not_found_advisor'));
  expect(snapshotUser(borrower.email)).toEqual(afterRevoke);

  // The advisor's dashboard says who stopped sharing, and when: not a client simply gone.
  await a.goto('/dashboard');
  await expect(a.getByTestId('dashboard-empty').getByRole('heading', { level: 2 })).toHaveText(DASHBOARD.empty.titleNow);
  const ended = a.getByTestId('dashboard-ended');
  await expect(ended.getByTestId('ended-share')).toHaveCount(1);
  await expect(ended.getByTestId('ended-share')).toContainText(`${BORROWER_NAME}：`);
  await expect(ended).toContainText(fill(DASHBOARD.ended.title, { days: '30' }));
  await expect(ended).toContainText(DASHBOARD.ended.hint);
  await expect(ended).not.toContainText(NOTE);

  await a.context().close();
  await b.context().close();
});
