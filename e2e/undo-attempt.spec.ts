/**
 * An application round recorded by mistake is taken back while it is still unanswered: the round
 * goes, and the case is back where it was before it (准备中 for a first application, 被拒绝 for a
 * new round or an escalation). The documents sent with it are ready again, its "check the review
 * result" goes, and the rejection's "decide the next step" opens again; the timeline says it was
 * undone. A round the lender asked materials on did happen: it is not offered, and the server
 * refuses it too. (Undoing a decision is in corrections.spec.ts.)
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  actionForm,
  addReadyDocument,
  addDays,
  captureAction,
  caseRow,
  caseStatusBadge,
  createCase,
  en,
  expectCaseStatus,
  openFold,
  postAction,
  rejectApplication,
  rowsOf,
  setLocale,
  signUp,
  submitApplication,
  submitButton,
  todayShanghai,
  withField,
  zh,
} from './helpers';

const message = (locale: 'zh-CN' | 'en') => (locale === 'en' ? en : zh);

/** How the fold names the round: an application, or a mediation or complaint. */
type Named = 'undoAttempt' | 'undoEscalation';

/** The undo fold of round `round`, opened; its hint says where the case goes back to. */
async function openUndo(page: Page, round: number, locale: 'zh-CN' | 'en', backTo: 'preparing' | 'rejected', named: Named = 'undoAttempt') {
  const m = message(locale);
  const attempt = page.getByTestId('attempts').locator(`[data-testid="attempt"][data-round="${round}"]`);
  const fold = attempt.getByTestId('undo-attempt');
  // Closed, it is a link named by the fold's summary.
  await expect(fold).toContainText(m(`case.attempts.${named}`));
  const form = (await openFold(fold)).getByTestId('undo-attempt-form');
  await expect(form).toContainText(m(`case.attempts.${named}Hint`, { round, status: m(`domain.status.${backTo}`) }));
  return form;
}

/** Presses "undo", is asked about round `round`, confirms; waits for the flash saying where the case is now. */
async function confirmUndo(page: Page, form: Locator, round: number, locale: 'zh-CN' | 'en', backTo: 'preparing' | 'rejected', named: Named = 'undoAttempt') {
  const m = message(locale);
  await form.getByRole('button', { name: m(`case.attempts.${named}`) }).click();
  await expect(form).toContainText(m('case.attempts.undoAttemptConfirm', { round }));
  await form.getByRole('button', { name: m('case.attempts.undoAttemptYes') }).click();
  await expect(page.getByTestId('save-flash-message')).toHaveText(m('case.saved.attemptUndone', { status: m(`domain.status.${backTo}`) }));
  await expectCaseStatus(page, backTo);
  await expect(caseStatusBadge(page)).toHaveText(m(`domain.status.${backTo}`));
}

test('zh-CN: a first application recorded by mistake is undone: back to 准备中, its document ready again, its review reminder gone; applied again, it is round 1', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  await addReadyDocument(page, 'income_proof');
  await submitApplication(page, addDays(today, -3));

  const doc = page.getByTestId('documents').locator('[data-testid="document"][data-kind="income_proof"]');
  await expect(doc).toHaveAttribute('data-status', 'submitted');
  await expect(doc.getByTestId('document-sent-with')).toHaveText(zh('case.documents.sentWith', { round: 1 }));
  const reminders = page.getByTestId('case-reminders');
  const review = reminders.locator('[data-testid="reminder"][data-kind="review_followup"]');
  await expect(review).toHaveCount(1);
  const attempts = page.getByTestId('attempts');
  const rounds = attempts.getByTestId('attempt');
  await expect(rounds).toHaveCount(1);
  await expect(attempts.getByTestId('undo-attempt')).toHaveCount(1);

  const undo = await openUndo(page, 1, 'zh-CN', 'preparing');
  await confirmUndo(page, undo, 1, 'zh-CN', 'preparing');

  // No round any more: the section says none was submitted.
  await expect(rounds).toHaveCount(0);
  await expect(attempts).toContainText(zh('case.attempts.empty'));
  await expect(attempts.getByTestId('undo-attempt')).toHaveCount(0);
  // The document is ready to go again, and no longer says which round it went with.
  await expect(doc).toHaveAttribute('data-status', 'ready');
  await expect(doc.getByTestId('document-status')).toHaveText(zh('domain.documentStatus.ready'));
  await expect(doc.getByTestId('document-sent-with')).toHaveCount(0);
  // The review reminder is deleted, not closed: nothing open, nothing among the closed ones.
  await expect(review).toHaveCount(0);
  await expect(reminders.getByTestId('case-reminders-empty')).toHaveText(zh('reminders.section.empty'));
  await expect(reminders.getByTestId('case-reminders-closed')).toHaveCount(0);
  // The timeline keeps the submission and says it was undone, and what became of the document.
  const timeline = page.getByTestId('timeline');
  const undone = timeline.locator('[data-testid="event"][data-kind="attempt_undone"]');
  await expect(undone).toContainText(
    zh('timeline.event.attempt_undone', { round: 1, program: zh('domain.program.instalments'), status: zh('domain.status.preparing') }),
  );
  await expect(undone).toContainText(zh('timeline.event.documentsReady', { count: 1 }));
  await expect(timeline.locator('[data-testid="event"][data-kind="attempt_submitted"]')).toHaveCount(1);

  // Submitted for real: round 1 again, with the document, and its review reminder.
  await submitApplication(page, today);
  await expect(page.getByTestId('save-flash-message')).toHaveText(zh('case.saved.submitted'));
  await expect(rounds).toHaveCount(1);
  await expect(rounds.first()).toHaveAttribute('data-round', '1');
  await expect(rounds.first().getByTestId('attempt-decision')).toHaveAttribute('data-decision', 'pending');
  await expect(doc).toHaveAttribute('data-status', 'submitted');
  await expect(doc.getByTestId('document-sent-with')).toHaveText(zh('case.documents.sentWith', { round: 1 }));
  await expect(review).toHaveCount(1);
  await expect(timeline.locator('[data-testid="event"][data-kind="attempt_submitted"]')).toHaveCount(2);
});

test('zh-CN: a new round after a rejection, undone: back to 被拒绝, round 1 and its rejection as they were, "decide the next step" open again', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(today, -20));
  await rejectApplication(page, addDays(today, -15));

  const attempts = page.getByTestId('attempts');
  const rounds = attempts.getByTestId('attempt');
  const reminders = page.getByTestId('case-reminders');
  const nextStep = reminders.locator('[data-testid="reminder"][data-kind="next_step"]');
  const review = reminders.locator('[data-testid="reminder"][data-kind="review_followup"]');
  await expect(nextStep).toHaveCount(1);
  const nextStepId = (await nextStep.getAttribute('data-id'))!;
  const nextStepDue = (await nextStep.getAttribute('data-due'))!;
  // A decided round is not taken back this way (its decision is: the undo-decision fold).
  await expect(attempts.getByTestId('undo-attempt')).toHaveCount(0);

  // Applied again, for another program, by the hotline: round 2 answers "decide the next step".
  const again = await actionForm(page, 'reapply', 'form-submit');
  await again.locator('select[name="program"]').selectOption('suspension');
  await again.locator('select[name="channel"]').selectOption('hotline');
  await again.locator('input[name="submittedOn"]').fill(addDays(today, -5));
  await submitButton(again).click();
  await expectCaseStatus(page, 'under_review');
  await expect(rounds).toHaveCount(2);
  await expect(nextStep).toHaveCount(0);
  await expect(review).toHaveCount(1);
  // Offered on the latest round only.
  await expect(attempts.getByTestId('undo-attempt')).toHaveCount(1);
  await expect(attempts.locator('[data-testid="attempt"][data-round="1"]').getByTestId('undo-attempt')).toHaveCount(0);

  const undo = await openUndo(page, 2, 'zh-CN', 'rejected');
  await confirmUndo(page, undo, 2, 'zh-CN', 'rejected');

  // Round 1 is all that is left, still rejected, for the reason recorded.
  await expect(rounds).toHaveCount(1);
  await expect(rounds.first()).toHaveAttribute('data-round', '1');
  await expect(rounds.first().getByTestId('attempt-decision')).toHaveAttribute('data-decision', 'rejected');
  await expect(rounds.first().getByTestId('attempt-reason')).toHaveText(zh('domain.rejectionReason.insufficient_proof'));
  // The same "decide the next step" is open again, for the same day; round 2's review reminder is gone.
  await expect(nextStep).toHaveCount(1);
  await expect(nextStep).toHaveAttribute('data-id', nextStepId);
  await expect(nextStep).toHaveAttribute('data-due', nextStepDue);
  await expect(review).toHaveCount(0);
  // The next step can be taken again: a new application, or its decision undone.
  await expect(page.getByTestId('action-panel').getByTestId('action-reapply')).toBeVisible();
  await expect(attempts.getByTestId('undo-decision')).toHaveCount(1);
  const undone = page.getByTestId('timeline').locator('[data-testid="event"][data-kind="attempt_undone"]');
  await expect(undone).toContainText(
    zh('timeline.event.attempt_undone', { round: 2, program: zh('domain.program.suspension'), status: zh('domain.status.rejected') }),
  );
  // No document went with round 2: nothing said about documents.
  await expect(undone).not.toContainText(zh('timeline.event.documentsReady', { count: 0 }));
});

test('English: a mediation recorded by mistake is undone, the fold, its hint and what follows in English', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(today, -30));
  await rejectApplication(page, addDays(today, -25));
  const reminders = page.getByTestId('case-reminders');
  const nextStep = reminders.locator('[data-testid="reminder"][data-kind="next_step"]');
  await expect(nextStep).toHaveCount(1);
  const escalate = await actionForm(page, 'escalate', 'form-escalate');
  await escalate.locator('input[name="route"][value="mediation"]').check();
  await escalate.locator('input[name="submittedOn"]').fill(addDays(today, -3));
  await submitButton(escalate).click();
  await expectCaseStatus(page, 'escalated');
  await expect(nextStep).toHaveCount(0);
  await expect(reminders.locator('[data-testid="reminder"][data-kind="review_followup"]')).toHaveCount(1);

  await setLocale(page, 'en');
  const undo = await openUndo(page, 2, 'en', 'rejected', 'undoEscalation');
  await confirmUndo(page, undo, 2, 'en', 'rejected', 'undoEscalation');

  await expect(page.getByTestId('attempts').getByTestId('attempt')).toHaveCount(1);
  await expect(nextStep).toHaveCount(1);
  await expect(reminders.locator('[data-testid="reminder"][data-kind="review_followup"]')).toHaveCount(0);
  await expect(page.getByTestId('action-panel').getByTestId('action-escalate')).toBeVisible();
  await expect(page.getByTestId('timeline').locator('[data-testid="event"][data-kind="attempt_undone"]')).toContainText(
    en('timeline.event.attempt_undone', { round: 2, program: en('domain.program.mediation'), status: en('domain.status.rejected') }),
  );
});

test('a round the lender asked materials on is not offered for undoing, and the server refuses it; a request removed as a mistake brings the offer back', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(today, -10));
  const attempts = page.getByTestId('attempts');
  const offer = attempts.getByTestId('undo-attempt');
  await expect(offer).toHaveCount(1);

  const requestMaterials = async (what: string) => {
    const ask = await actionForm(page, 'request_materials', 'form-request-materials');
    await ask.locator('textarea[name="what"]').fill(what);
    await ask.locator('input[name="requestedOn"]').fill(addDays(today, -3));
    await ask.locator('input[name="deadline"]').fill(addDays(today, 3));
    await submitButton(ask).click();
    await expectCaseStatus(page, 'materials_requested');
    await expect(page.getByTestId('material-request')).toContainText(what);
  };

  // A request recorded by mistake, removed: the round is unanswered again, and may be undone.
  await requestMaterials('其实对方没要的材料');
  await expect(offer).toHaveCount(0);
  const removal = (await openFold(page.getByTestId('remove-request'))).getByTestId('remove-request-form');
  await removal.getByRole('button', { name: zh('case.attempts.removeRequest') }).click();
  await removal.getByRole('button', { name: zh('case.attempts.removeRequestYes') }).click();
  await expectCaseStatus(page, 'under_review');
  await expect(page.getByTestId('material-request')).toHaveCount(0);
  await expect(offer).toHaveCount(1);

  // The lender asked, and the materials went: the case is under review again, but the round did happen.
  await requestMaterials('近三个月银行流水');
  const send = await actionForm(page, 'send_materials', 'form-send-materials');
  await submitButton(send).click();
  await expectCaseStatus(page, 'under_review');
  await expect(page.getByTestId('save-flash-message')).toHaveText(zh('case.saved.materialsSent'));
  const round = attempts.getByTestId('attempt');
  await expect(round).toHaveCount(1);
  // The round's other folds are there (the section is drawn), the undo is not.
  await expect(round.getByTestId('correct-attempt')).toHaveCount(1);
  await expect(offer).toHaveCount(0);

  // Asked all the same, straight to the server (the request an undo sends, recorded on another case): refused, nothing changed.
  const otherId = await createCase(page, { lender: '招联金融', principal: '500' });
  await submitApplication(page, today);
  const form = await openUndo(page, 1, 'zh-CN', 'preparing');
  await form.getByRole('button', { name: zh('case.attempts.undoAttempt') }).click();
  const recorded = await captureAction(page, () => form.getByRole('button', { name: zh('case.attempts.undoAttemptYes') }).click());
  await expectCaseStatus(page, 'preparing');
  expect(caseRow(otherId).status).toBe('preparing');

  const before = { case: caseRow(caseId), attempts: rowsOf('attempts', [caseId]) };
  let parts = withField(recorded.parts, 'caseId', String(caseId));
  parts = withField(parts, 'version', String(before.case.version));
  const res = await postAction(page.request, baseURL!, { ...recorded, path: `/cases/${caseId}` }, parts);
  expect(res.status()).toBe(200);
  const body = await res.text();
  expect(body).toContain(zh('errors.attempt_has_materials'));
  expect(body).not.toContain(zh('errors.conflict'));
  expect(caseRow(caseId)).toEqual(before.case);
  expect(rowsOf('attempts', [caseId])).toEqual(before.attempts);
  await page.goto(`/cases/${caseId}`);
  await expectCaseStatus(page, 'under_review');
  await expect(page.getByTestId('attempts').getByTestId('attempt')).toHaveCount(1);
});
