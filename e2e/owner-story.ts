/**
 * "The owner's whole story", recorded once for the security suites (authorization.spec.ts,
 * authz-matrix.spec.ts, fuzz.spec.ts): a borrower signs up and, through the UI, creates a private
 * lender and four cases and walks them through every form — documents (a checklist, one deleted,
 * two with a file, one marked sensitive), a note, contacts (one corrected, one deleted), reminders (edited,
 * snoozed, done, reopened, dismissed, one due today), the status machine to a plan with an
 * instalment paid, a payoff undone and made again, an escalation, a withdrawal (undone, then made again) and archiving, a
 * deletion; an advisor accepts her invitation, she gives the separate consent and cancels a second
 * invitation; then every form of her settings (her sign-in email changed, then her password) and the language switch. Every server-action request
 * sent on the way is captured (captureAction, the first one per action), to be replayed by the
 * suites with other cookies or fuzzed bodies, aimed at the live rows whose ids come back with it.
 *
 * Each step checks on the page that it did what it should before the story goes on, so the
 * owner's own "allow" for an action is the recorded request itself.
 */
import { randomBytes } from 'node:crypto';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import {
  actionForm,
  addDays,
  buildActions,
  captureAction,
  caseIdsOf,
  expectCaseStatus,
  fieldsOf,
  fillCaseForm,
  formMessage,
  hydrated,
  openFold,
  pngBytes,
  rowsOf,
  signUp,
  snapshotUser,
  submitButton,
  todayShanghai,
  zh,
  type Account,
  type CapturedAction,
  type NewCase,
} from './helpers';

export const PUBLIC_LENDER = '花呗/借呗（重庆蚂蚁消费金融）';

/** Whose browser sent a recorded request: the owner's, her advisor's, a visitor's, or nobody's (put together here). */
export type RecordedBy = 'owner' | 'advisor' | 'visitor' | null;
export type StoryAction = CapturedAction & { name: string; by: RecordedBy; synthesized?: boolean };
export type Party = { context: BrowserContext; page: Page; account: Account };

/** The owner's words, each unique to the run: none of them may reach anyone she has not shared with. */
export function storySecrets(who: string, tag: string) {
  return {
    lenderName: `${who}的私有机构${tag}`,
    lenderProduct: `${who}的私有产品${tag}`,
    product: `${who}秘密产品${tag}`,
    note: `${who}的秘密备注${tag}`,
    editedNote: `${who}改过的备注${tag}`,
    docNote: `${who}的材料备注${tag}`,
    fileName: `${who}秘密文件${tag}.png`,
    plainFile: `${who}普通文件${tag}.png`,
    contact: `${who}的秘密沟通${tag}`,
    materials: `${who}被要求的材料${tag}`,
    rejection: `${who}被拒绝的原话${tag}`,
    reminder: `${who}的秘密提醒${tag}`,
    reminderEdited: `${who}改过的提醒${tag}`,
    reminderToday: `${who}今天的提醒${tag}`,
    caseNote: `${who}的秘密笔记${tag}`,
    /** Written by her advisor, on her case: hers to read, on her home too. */
    advisorNote: `${who}的顾问留言${tag}`,
    shareLabel: `${who}的顾问邀请${tag}`,
  };
}
export type StorySecrets = ReturnType<typeof storySecrets>;

/** The owner's live rows after the story (what the suites aim their requests at). */
export type StoryIds = {
  /** Repaying: attempts, documents, a note, a contact, reminders, a plan with one instalment paid. */
  main: number;
  /** On the private lender: rejected, escalated, the escalation closed. */
  escalated: number;
  /** Withdrawn and archived. */
  withdrawn: number;
  /** Deleted (gone). */
  deleted: number;
  /** The private lender. */
  lender: number;
  /** The "other" document: with a file (`storedName`), marked sensitive, submitted (sent with the materials). */
  document: number;
  storedName: string;
  /** A checklist document with a file, not sensitive. */
  plainDocument: number;
  /** The contact kept. */
  contact: number;
  /** The first unpaid instalment. */
  instalment: number;
  /** The instalment paid (a payment to correct). */
  paidInstalment: number;
  /** The main case's materials request (sent by now). */
  materialRequest: number;
  /** The edited reminder (open again). */
  reminder: number;
  /** The advisor's active share, with the sensitive-documents consent given. */
  share: number;
};

export type OwnerStory = {
  tag: string;
  secrets: StorySecrets;
  /** The owner (her password is the changed one) and the advisor with the active share. */
  owner: Party;
  advisor: Party;
  /** By "<file>#<export>" of the build's manifest: the first request sent per action. */
  captured: Map<string, StoryAction>;
  ids: StoryIds;
};

export type StoryOptions = {
  /** Begins each of the owner's words and names ('A', 'M', …), so a failure says whose story it was. */
  who: string;
  /** Made unique per run unless given. */
  tag?: string;
};

const isBuilt = (name: string) => buildActions().some((a) => `${a.filename}#${a.exportedName}` === name);

/**
 * Runs a form submission in `page` and keeps the request it sent in `captured`, by its name in the
 * build's manifest (the first one per action: a later one is returned but not kept).
 */
export async function captureInto(
  captured: Map<string, StoryAction>,
  page: Page,
  trigger: () => Promise<void>,
  form?: Locator,
  by: RecordedBy = 'owner',
): Promise<StoryAction> {
  const c = await captureAction(page, trigger, form);
  const entry = buildActions().find((a) => a.id === c.actionId);
  if (!entry) throw new Error(`action ${c.actionId} (sent from ${c.path}) is not in the build's manifest`);
  const action = { ...c, name: `${entry.filename}#${entry.exportedName}`, by };
  if (!captured.has(action.name)) captured.set(action.name, action);
  return action;
}

/** Records the owner's whole story in a new browser context of `browser` (the advisor's in another). */
export async function recordOwnerStory(browser: Browser, opts: StoryOptions): Promise<OwnerStory> {
  const tag = opts.tag ?? randomBytes(3).toString('hex');
  const secret = storySecrets(opts.who, tag);
  const captured = new Map<string, StoryAction>();
  const ids = {} as StoryIds;

  const capture = (page: Page, trigger: () => Promise<void>, form?: Locator, by?: RecordedBy) => captureInto(captured, page, trigger, form, by);
  async function newCase(page: Page, fields: NewCase): Promise<number> {
    await page.goto('/cases/new');
    const form = await fillCaseForm(page, fields);
    await capture(page, () => submitButton(form).click());
    await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
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
    await form.locator('textarea[name="rejectionText"]').fill(secret.rejection);
    await capture(page, () => submitButton(form).click());
    await expectCaseStatus(page, 'rejected');
  }

  const context = await browser.newContext();
  const page = await context.newPage();
  const account = await signUp(page, { displayName: `${opts.who}借款人${tag}` });
  const today = todayShanghai();

  // A private lender (only the owner may see or use it).
  await page.goto('/lenders');
  const lenderForm = page.getByTestId('lender-form');
  await lenderForm.locator('input[name="name"]').fill(secret.lenderName);
  await lenderForm.locator('select[name="kind"]').selectOption('platform');
  await lenderForm.locator('input[name="products"]').fill(secret.lenderProduct);
  await capture(page, () => submitButton(lenderForm).click());
  await expect(formMessage(lenderForm)).toContainText(secret.lenderName);
  // Its hotline, mistyped, corrected.
  await page.getByTestId('edit-private-lender').locator('summary').click();
  const fixLender = page.getByTestId('edit-private-lender-form');
  await fixLender.locator('input[name="hotline"]').fill('400-800-1234');
  await capture(page, () => submitButton(fixLender).click());
  await expect(formMessage(fixLender)).toContainText(secret.lenderName);
  await expect(page.getByTestId('private-lenders').getByTestId('lender-hotline')).toHaveText('400-800-1234');
  await expect(page.getByTestId('private-lenders').getByTestId('lender-hotline')).toHaveAttribute('href', 'tel:4008001234');

  // The main case: everything hangs off it.
  ids.main = await newCase(page, { lender: PUBLIC_LENDER, product: secret.product, accountRef: '7731', principal: '88,888.88', note: secret.note });
  await page.goto(`/cases/${ids.main}/edit`);
  const edit = page.getByTestId('case-edit-form');
  await (await hydrated(edit.locator('textarea[name="note"]'))).fill(secret.editedNote);
  await capture(page, () => submitButton(edit).click());
  await page.waitForURL(new RegExp(`/cases/${ids.main}$`));

  // Documents: the checklist; one deleted; a plain one with a file; an "other" one, ready, with a file, marked sensitive.
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
  ids.plainDocument = Number(await plain.getAttribute('data-document-id'));
  const plainDoc = page.locator(`[data-testid="document"][data-document-id="${ids.plainDocument}"]`);
  await openFold(plainDoc.getByTestId('document-manage'));
  const plainUpload = plainDoc.getByTestId('document-upload-form');
  await plainUpload.locator('input[type="file"]').setInputFiles({ name: secret.plainFile, mimeType: 'image/png', buffer: pngBytes() });
  await capture(page, () => submitButton(plainUpload).click(), plainUpload);
  await expect(plainDoc.getByTestId('document-download')).toBeVisible();

  const addForm = (await openFold(page.getByTestId('add-document'))).getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption('other');
  await addForm.locator('input[name="note"]').fill(secret.docNote);
  await capture(page, () => submitButton(addForm).click());
  const doc = page.getByTestId('documents').locator('[data-testid="document"][data-kind="other"]');
  await expect(doc).toHaveCount(1);
  ids.document = Number(await doc.getAttribute('data-document-id'));
  await openFold(doc.getByTestId('document-manage'));
  const statusForm = doc.getByTestId('document-status-form');
  await statusForm.locator('select[name="status"]').selectOption('ready');
  await capture(page, () => submitButton(statusForm).click());
  await expect(doc).toHaveAttribute('data-status', 'ready');
  await openFold(doc.getByTestId('document-manage'));
  const upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: secret.fileName, mimeType: 'image/png', buffer: pngBytes() });
  // (Chromium does not hand over a body with a file: the request is rebuilt from the form.)
  const uploadSent = await capture(page, () => submitButton(upload).click(), upload);
  expect(fieldsOf(uploadSent.parts)).toMatchObject({ caseId: String(ids.main), documentId: String(ids.document), file: `file:${secret.fileName}` });
  await expect(doc.getByTestId('document-download')).toBeVisible();
  await openFold(doc.getByTestId('document-manage'));
  await capture(page, () => submitButton(doc.getByTestId('document-sensitive-form')).click());
  await expect(doc).toHaveAttribute('data-sensitive', '1');

  const noteForm = (await openFold(page.getByTestId('add-note'))).getByTestId('note-form');
  await noteForm.locator('textarea[name="text"]').fill(secret.caseNote);
  await capture(page, () => submitButton(noteForm).click());
  await expect(page.getByTestId('timeline')).toContainText(secret.caseNote);

  // Contacts: one kept, one deleted.
  for (const summary of [secret.contact, '这条会被删除']) {
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
  // The kept one corrected: the agent's ID was misheard.
  const keptContact = page.getByTestId('contacts').getByTestId('contact').filter({ hasText: secret.contact });
  const fixContact = (await openFold(keptContact.getByTestId('correct-contact'))).getByTestId('correct-contact-form');
  await fixContact.locator('input[name="agentId"]').fill('9528');
  // And the lender's promise, left out when it was recorded; then found broken.
  await fixContact.locator('input[name="promise"]').fill('三个工作日内回电');
  await fixContact.locator('input[name="promiseDue"]').fill(addDays(today, 3));
  await capture(page, () => submitButton(fixContact).click());
  await expect(keptContact.getByTestId('contact-agent')).toContainText('9528');
  const outcomeForm = (await openFold(keptContact.getByTestId('promise-outcome'))).getByTestId('promise-outcome-form');
  await outcomeForm.locator('input[name="outcome"][value="broken"]').check();
  await capture(page, () => submitButton(outcomeForm).click());
  await expect(keptContact.getByTestId('contact-promise-outcome')).toHaveAttribute('data-outcome', 'broken');

  // Reminders of her own: one edited, snoozed, done and reopened; one due today (the badge counts it); one dismissed.
  const reminders = page.getByTestId('case-reminders');
  for (const [title, due] of [
    [secret.reminder, addDays(today, 2)],
    [secret.reminderToday, today],
    ['这条提醒会被忽略', addDays(today, 3)],
  ]) {
    const reminderForm = (await openFold(reminders.getByTestId('add-reminder'))).getByTestId('reminder-form');
    await reminderForm.locator('input[name="title"]').fill(title);
    await reminderForm.locator('input[name="dueOn"]').fill(due);
    await capture(page, () => submitButton(reminderForm).click());
    await expect(reminders.getByTestId('reminder').filter({ hasText: title })).toHaveCount(1);
  }
  // The edit and snooze panels may be rendered only once opened (perhaps after a navigation):
  // click the toggle, then wait for the form.
  let mine = reminders.getByTestId('reminder').filter({ hasText: secret.reminder });
  await mine.getByTestId('reminder-edit-toggle').click();
  const editReminder = mine.getByTestId('reminder-edit-form');
  await expect(editReminder).toBeVisible();
  await editReminder.locator('input[name="title"]').fill(secret.reminderEdited);
  await capture(page, () => submitButton(editReminder).click());
  mine = reminders.getByTestId('reminder').filter({ hasText: secret.reminderEdited });
  await expect(mine).toHaveCount(1);
  // The saved panel closes itself (a navigation of its own): toggling the snooze panel before it has
  // could open it only for that navigation to close it again, and the click below would wait forever.
  await expect(mine.getByTestId('reminder-edit-form')).toHaveCount(0);
  await mine.getByTestId('reminder-snooze-toggle').click();
  const snoozeDate = mine.getByTestId('reminder-snooze-date');
  await expect(snoozeDate).toBeVisible();
  await capture(page, () => submitButton(snoozeDate).click());
  await expect(mine.getByTestId('reminder-snoozed')).toBeVisible();
  await capture(page, () => submitButton(mine.getByTestId('reminder-done')).click());
  await expect(mine).toHaveCount(0);
  const closed = await openFold(reminders.getByTestId('case-reminders-closed'));
  await capture(page, () => submitButton(closed.getByTestId('reminder-closed').filter({ hasText: secret.reminderEdited }).getByTestId('reminder-reopen')).click());
  await expect(mine).toHaveCount(1);
  const ignored = reminders.getByTestId('reminder').filter({ hasText: '这条提醒会被忽略' });
  await capture(page, () => submitButton(ignored.getByTestId('reminder-dismiss')).click());
  await expect(ignored).toHaveCount(0);

  // The status machine, to a plan with an instalment paid.
  await submitAttempt(page, 'submit', 'app');
  let form = await actionForm(page, 'request_materials', 'form-request-materials');
  await form.locator('textarea[name="what"]').fill(secret.materials);
  await form.locator('input[name="deadline"]').fill(addDays(today, 3));
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'materials_requested');
  // The application's record corrected (the channel was the hotline), and the lender gave two days more.
  const fix = (await openFold(page.getByTestId('correct-attempt'))).getByTestId('correct-attempt-form');
  await fix.locator('select[name="channel"]').selectOption('hotline');
  await capture(page, () => submitButton(fix).click());
  await expect(fix.getByTestId('form-message')).toHaveText(zh('case.saved.attemptCorrected'));
  const later = (await openFold(page.getByTestId('change-deadline'))).getByTestId('change-deadline-form');
  await later.locator('input[name="deadline"]').fill(addDays(today, 5));
  await capture(page, () => submitButton(later).click());
  await expect(later.getByTestId('form-message')).toHaveText(zh('case.saved.deadlineChanged'));
  // A second request recorded by mistake, and removed (the first stays awaited).
  form = await actionForm(page, 'request_materials', 'form-request-materials');
  await form.locator('textarea[name="what"]').fill('记错的补充材料要求');
  await capture(page, () => submitButton(form).click());
  const mistaken = page.getByTestId('material-request').filter({ hasText: '记错的补充材料要求' });
  const removal = (await openFold(mistaken.getByTestId('remove-request'))).getByTestId('remove-request-form');
  await removal.getByRole('button', { name: zh('case.attempts.removeRequest') }).click();
  await capture(page, () => removal.getByRole('button', { name: zh('case.attempts.removeRequestYes') }).click());
  await expect(mistaken).toHaveCount(0);
  await expectCaseStatus(page, 'materials_requested');
  form = await actionForm(page, 'send_materials', 'form-send-materials');
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'under_review');
  await reject(page);
  // Recorded by mistake, undone (back to waiting for the lender), then recorded again.
  const undo = (await openFold(page.getByTestId('undo-decision'))).getByTestId('undo-decision-form');
  await undo.getByRole('button', { name: zh('case.attempts.undoDecision') }).click();
  await capture(page, () => undo.getByRole('button', { name: zh('case.attempts.undoDecisionYes') }).click());
  await expectCaseStatus(page, 'under_review');
  await reject(page);
  await submitAttempt(page, 'reapply', 'hotline');
  // The new round recorded by mistake (it never went): undone, back to the rejection, then applied again.
  const undoRound = (await openFold(page.getByTestId('undo-attempt'))).getByTestId('undo-attempt-form');
  await undoRound.getByRole('button', { name: zh('case.attempts.undoAttempt') }).click();
  await capture(page, () => undoRound.getByRole('button', { name: zh('case.attempts.undoAttemptYes') }).click());
  await expectCaseStatus(page, 'rejected');
  await submitAttempt(page, 'reapply', 'hotline');
  form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="agreedPeriods"]').fill('3');
  await form.locator('input[name="agreedMonthly"]').fill('500');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, 5));
  await capture(page, () => submitButton(form).click());
  await expectCaseStatus(page, 'approved');
  // The terms recorded wrongly (¥500, it was ¥550): corrected before the first payment.
  const terms = (await openFold(page.getByTestId('correct-plan'))).getByTestId('correct-plan-form');
  await terms.locator('input[name="agreedMonthly"]').fill('550');
  await capture(page, () => submitButton(terms).click());
  await expect(page.getByTestId('instalment').first()).toContainText('¥550.00');
  let pay = (await openFold(page.getByTestId('instalment').first().getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await capture(page, () => submitButton(pay).click());
  await expectCaseStatus(page, 'repaying');
  // Marked by mistake: corrected to nothing paid, which takes the case back to approved; then paid.
  const correct = (await openFold(page.getByTestId('instalment').first().getByTestId('correct-payment'))).getByTestId('correct-payment-form');
  await correct.locator('input[name="paid"]').fill('0');
  await capture(page, () => submitButton(correct).click());
  await expectCaseStatus(page, 'approved');
  pay = (await openFold(page.getByTestId('instalment').first().getByTestId('mark-paid'))).getByTestId('mark-paid-form');
  await submitButton(pay).click();
  await expectCaseStatus(page, 'repaying');
  // The lender's schedule puts a few fen more on the last instalment: changed to match.
  const change = (await openFold(page.getByTestId('instalment').last().getByTestId('change-instalment'))).getByTestId('change-instalment-form');
  await change.locator('input[name="amount"]').fill('550.04');
  await capture(page, () => submitButton(change).click());
  await expect(page.getByTestId('instalment').last()).toContainText('¥550.04');

  // A second case, with the private lender: rejected, escalated, the escalation ended (undone once: it had not).
  ids.escalated = await newCase(page, { lender: secret.lenderName, principal: '1000' });
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
  form = await actionForm(page, 'undo_close_escalation', 'form-undo-close-escalation');
  await form.getByRole('button', { name: zh('case.actions.undoCloseEscalation') }).click();
  await capture(page, () => form.getByRole('button', { name: zh('case.actions.undoCloseEscalationConfirm') }).click());
  await expectCaseStatus(page, 'escalated');
  form = await actionForm(page, 'close_escalation', 'form-close-escalation');
  await form.locator('select[name="outcome"]').selectOption('other');
  await submitButton(form).click();
  await expectCaseStatus(page, 'closed');

  // A third: approved, its plan voided by the lender, then withdrawn (undone, and withdrawn again) and archived.
  ids.withdrawn = await newCase(page, { lender: PUBLIC_LENDER, principal: '2000' });
  await submitAttempt(page, 'submit', 'app');
  form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="agreedPeriods"]').fill('4');
  await form.locator('input[name="agreedMonthly"]').fill('500');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, 5));
  await submitButton(form).click();
  await expectCaseStatus(page, 'approved');
  form = await actionForm(page, 'void_plan', 'form-void-plan');
  await form.getByRole('button', { name: zh('case.actions.voidPlan') }).click();
  await capture(page, () => form.getByRole('button', { name: zh('case.actions.voidPlanConfirm') }).click());
  await expectCaseStatus(page, 'rejected');
  await expect(page.getByTestId('plan-voided')).toBeVisible();
  await expect(page.getByTestId('next-step-text')).toHaveText(zh('nextStep.status.plan_voided'));
  await expect(page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="next_step"]')).toHaveCount(1);
  form = await actionForm(page, 'withdraw', 'form-withdraw');
  await form.getByRole('button', { name: zh('case.actions.withdraw') }).click();
  await capture(page, () => form.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click());
  await expectCaseStatus(page, 'closed');
  // Withdrawn a moment too soon: undone (back to deciding the next step, its reminder open again), then withdrawn for good.
  form = await actionForm(page, 'undo_withdraw', 'form-undo-withdraw');
  await form.getByRole('button', { name: zh('case.actions.undoWithdraw') }).click();
  await capture(page, () => form.getByRole('button', { name: zh('case.actions.undoWithdrawConfirm') }).click());
  await expectCaseStatus(page, 'rejected');
  await expect(page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="next_step"]')).toHaveCount(1);
  form = await actionForm(page, 'withdraw', 'form-withdraw');
  await form.getByRole('button', { name: zh('case.actions.withdraw') }).click();
  await form.getByRole('button', { name: zh('case.actions.withdrawConfirm') }).click();
  await expectCaseStatus(page, 'closed');
  await page.goto(`/cases/${ids.withdrawn}/edit`);
  await capture(page, () => submitButton(page.getByTestId('archive-form')).click());
  await page.waitForURL(/\/cases\?done=archived$/);

  // A fourth: approved, paid off at once for less than the plan's rest, then deleted.
  ids.deleted = await newCase(page, { lender: PUBLIC_LENDER, principal: '3000' });
  await submitAttempt(page, 'submit', 'app');
  form = await actionForm(page, 'approve', 'form-approve');
  await form.locator('input[name="agreedPeriods"]').fill('3');
  await form.locator('input[name="agreedMonthly"]').fill('1000');
  await form.locator('input[name="agreedFirstPaymentOn"]').fill(addDays(today, 5));
  await submitButton(form).click();
  await expectCaseStatus(page, 'approved');
  const payOff = (await openFold(page.getByTestId('pay-off'))).getByTestId('pay-off-form');
  await payOff.locator('input[name="paid"]').fill('2500');
  await payOff.getByRole('button', { name: zh('case.plan.payOff') }).click();
  await capture(page, () => payOff.getByRole('button', { name: zh('case.plan.payOffConfirm') }).click());
  await expectCaseStatus(page, 'closed');
  await expect(page.getByTestId('plan-paid-off')).toBeVisible();
  // Recorded too soon (the settlement was only offered): undone, the plan stands again; then paid off.
  const undoPayOff = (await openFold(page.getByTestId('undo-plan-end'))).getByTestId('undo-plan-end-form');
  await undoPayOff.getByRole('button', { name: zh('case.plan.undoPayOff') }).click();
  await capture(page, () => undoPayOff.getByRole('button', { name: zh('case.plan.undoPlanEndConfirm') }).click());
  await expectCaseStatus(page, 'approved');
  const payOffAgain = (await openFold(page.getByTestId('pay-off'))).getByTestId('pay-off-form');
  await payOffAgain.locator('input[name="paid"]').fill('2500');
  await payOffAgain.getByRole('button', { name: zh('case.plan.payOff') }).click();
  await payOffAgain.getByRole('button', { name: zh('case.plan.payOffConfirm') }).click();
  await expectCaseStatus(page, 'closed');
  await page.goto(`/cases/${ids.deleted}/edit`);
  const del = page.getByTestId('delete-case-form');
  await del.getByRole('button', { name: zh('cases.delete.button') }).click();
  await capture(page, () => del.getByRole('button', { name: zh('cases.delete.confirm') }).click());
  await page.waitForURL(/\/cases\?done=deleted$/);

  // Sharing: an advisor accepts her invitation; she gives the separate consent; a second
  // invitation is cancelled.
  await page.goto('/sharing');
  const invite = page.getByTestId('invite-form');
  await invite.locator('input[name="label"]').fill(secret.shareLabel);
  await capture(page, () => submitButton(invite).click());
  const code = (await page.getByTestId('invite-code').textContent())!.trim();
  const advisorContext = await browser.newContext();
  const advisorPage = await advisorContext.newPage();
  const advisorAccount = await signUp(advisorPage, { role: 'advisor', displayName: `${opts.who}的顾问${tag}` });
  await advisorPage.goto(`/share/accept?code=${encodeURIComponent(code)}`);
  await capture(advisorPage, () => submitButton(advisorPage.getByTestId('accept-form')).click(), undefined, 'advisor');
  await advisorPage.waitForURL((u) => u.pathname !== '/share/accept');
  // The advisor leaves her a note on the main case (she reads it on her home too).
  await advisorPage.goto(`/cases/${ids.main}`);
  const advisorNoteForm = (await openFold(advisorPage.getByTestId('add-note'))).getByTestId('note-form');
  await advisorNoteForm.locator('textarea[name="text"]').fill(secret.advisorNote);
  await capture(advisorPage, () => submitButton(advisorNoteForm).click(), undefined, 'advisor');
  await expect(advisorPage.getByTestId('timeline')).toContainText(secret.advisorNote);
  // The advisor suggests a lender the directory lacks.
  await advisorPage.goto('/lenders');
  const suggest = advisorPage.getByTestId('suggest-lender-form');
  await suggest.locator('textarea[name="body"]').fill(`请加上 录制的消费金融${tag}，客服 400-000-0000`);
  await capture(advisorPage, () => submitButton(suggest).click(), undefined, 'advisor');
  await expect(advisorPage.getByTestId('my-suggestion').filter({ hasText: `录制的消费金融${tag}` })).toHaveCount(1);

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

  // Settings: every form of her own account. The account deletion is sent with a wrong password
  // (refused, nothing deleted).
  await page.goto('/settings');
  const profile = page.locator('form').filter({ has: page.locator('input[name="displayName"]') });
  await capture(page, () => submitButton(profile).click());
  await expect(formMessage(profile)).toHaveText(zh('settings.profileSaved'));
  const emailToggle = page.getByTestId('email-toggle-form');
  if ((await emailToggle.count()) > 0) await capture(page, () => submitButton(emailToggle).click());
  const regenerate = page.getByTestId('calendar-regenerate-form');
  await regenerate.getByRole('button', { name: zh('calendar.regenerate') }).click();
  await capture(page, () => regenerate.getByRole('button', { name: zh('calendar.regenerateConfirm') }).click());
  await expect(formMessage(regenerate)).toHaveText(zh('calendar.regenerated'));
  const others = page.getByTestId('signout-everywhere-form');
  await capture(page, () => submitButton(others).click());
  await expect(formMessage(others)).toBeVisible();
  // A new sign-in email (before the password changes: replayed, the captured password is wrong).
  const emailChange = page.getByTestId('email-change-form');
  const movedEmail = `moved-${account.email}`;
  await emailChange.locator('input[name="email"]').fill(movedEmail);
  await emailChange.locator('input[name="confirm"]').fill(movedEmail);
  await emailChange.locator('input[name="password"]').fill(account.password);
  await capture(page, () => submitButton(emailChange).click());
  await expect(formMessage(emailChange)).toHaveText(zh('settings.emailChanged', { email: movedEmail.toLowerCase() }));
  account.email = movedEmail.toLowerCase();
  const password = page.getByTestId('password-form');
  const newPassword = `${account.password}-new`;
  await password.locator('input[name="current"]').fill(account.password);
  await password.locator('input[name="next"]').fill(newPassword);
  await password.locator('input[name="confirm"]').fill(newPassword);
  await capture(page, () => submitButton(password).click());
  await expect(formMessage(password)).toHaveText(zh('settings.passwordChanged'));
  account.password = newPassword;
  if (isBuilt('app/settings/actions.ts#deleteAccountAction')) {
    const deletion = page.getByTestId('delete-account-form');
    await deletion.locator('input[name="password"]').fill('not-the-password');
    await deletion.locator('input[name="confirm"]').fill(account.email);
    await capture(page, () => submitButton(deletion).click());
    await expect(formMessage(deletion)).toBeVisible();
    await expect(formMessage(deletion)).not.toBeEmpty();
  }
  await capture(page, () => page.getByTestId('locale-switch').click());
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByTestId('locale-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  // The e-mail switch shows only where SMTP is configured (not in the tests): its request is put
  // together exactly as React sends a form (fields as `_1_<name>`, then the root part "0").
  const email = buildActions().find((a) => `${a.filename}#${a.exportedName}` === 'app/settings/actions.ts#setEmailRemindersAction');
  if (email && !captured.has('app/settings/actions.ts#setEmailRemindersAction')) {
    captured.set('app/settings/actions.ts#setEmailRemindersAction', {
      name: 'app/settings/actions.ts#setEmailRemindersAction',
      actionId: email.id,
      path: '/settings',
      routerStateTree: undefined,
      parts: [
        { name: '_1_on', value: Buffer.from('0') },
        { name: '0', value: Buffer.from('[{"status":"idle"},"$K1"]') },
      ],
      by: null,
      synthesized: true,
    });
  }

  // "Send the confirmation mail again" shows only where SMTP is configured too: put together the same way
  // (a form without fields: the root part alone).
  const confirmMail = buildActions().find((a) => `${a.filename}#${a.exportedName}` === 'app/settings/actions.ts#sendEmailConfirmationAction');
  if (confirmMail && !captured.has('app/settings/actions.ts#sendEmailConfirmationAction')) {
    captured.set('app/settings/actions.ts#sendEmailConfirmationAction', {
      name: 'app/settings/actions.ts#sendEmailConfirmationAction',
      actionId: confirmMail.id,
      path: '/settings',
      routerStateTree: undefined,
      parts: [{ name: '0', value: Buffer.from('[{"status":"idle"},"$K1"]') }],
      by: null,
      synthesized: true,
    });
  }
  // So does "cancel the change" of a new sign-in email waiting for its link (nothing waits without mail).
  const cancelChange = buildActions().find((a) => `${a.filename}#${a.exportedName}` === 'app/settings/actions.ts#cancelEmailChangeAction');
  if (cancelChange && !captured.has('app/settings/actions.ts#cancelEmailChangeAction')) {
    captured.set('app/settings/actions.ts#cancelEmailChangeAction', {
      name: 'app/settings/actions.ts#cancelEmailChangeAction',
      actionId: cancelChange.id,
      path: '/settings',
      routerStateTree: undefined,
      parts: [{ name: '0', value: Buffer.from('[{"status":"idle"},"$K1"]') }],
      by: null,
      synthesized: true,
    });
  }

  // Her live rows.
  expect(caseIdsOf(account.email)).toEqual([ids.main, ids.escalated, ids.withdrawn]);
  const snapshot = snapshotUser(account.email);
  ids.lender = (snapshot.lenders[0] as { id: number }).id;
  const fileDoc = rowsOf('documents', [ids.main]).find((d) => d.id === ids.document)!;
  expect(fileDoc.kind).toBe('other');
  ids.storedName = fileDoc.stored_name as string;
  expect(ids.storedName).toMatch(/^[a-f0-9]{32}$/);
  ids.contact = rowsOf('contacts', [ids.main])[0].id as number;
  ids.instalment = rowsOf('instalments', [ids.main]).find((i) => i.paid_on === null)!.id as number;
  ids.paidInstalment = rowsOf('instalments', [ids.main]).find((i) => i.paid_on !== null)!.id as number;
  ids.materialRequest = rowsOf('material_requests', [ids.main])[0]!.id as number;
  const reminder = (snapshot.reminders as { id: number; title: string | null; status: string }[]).find((r) => r.title === secret.reminderEdited)!;
  expect(reminder.status).toBe('open');
  ids.reminder = reminder.id;

  return {
    tag,
    secrets: secret,
    owner: { context, page, account },
    advisor: { context: advisorContext, page: advisorPage, account: advisorAccount },
    captured,
    ids,
  };
}
