/**
 * "End mediation / complaint" pressed by mistake (the mediator had only paused, the complaint is still
 * with the regulator) is undone while the case is still closed by it: the case waits for the mediator
 * or regulator again, its round is undecided again, and the follow-up the end closed is open again, as
 * it was. The timeline keeps the end and says it was undone. Once the case is open again, the same
 * request sent again is refused, and changes nothing.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  actionForm,
  addDays,
  captureAction,
  caseRow,
  createCase,
  en,
  expectCaseStatus,
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

/** A case with a rejected first round, then escalated by `route` three days ago. */
async function escalatedCase(page: Page, route: 'mediation' | 'complaint'): Promise<number> {
  const today = todayShanghai();
  const caseId = await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(today, -30));
  await rejectApplication(page, addDays(today, -25));
  const escalate = await actionForm(page, 'escalate', 'form-escalate');
  await escalate.locator(`input[name="route"][value="${route}"]`).check();
  await escalate.locator('input[name="submittedOn"]').fill(addDays(today, -3));
  await submitButton(escalate).click();
  await expectCaseStatus(page, 'escalated');
  return caseId;
}

/** Ends the mediation or complaint with the outcome "other". */
async function endEscalation(page: Page): Promise<void> {
  const close = await actionForm(page, 'close_escalation', 'form-close-escalation');
  await close.locator('select[name="outcome"]').selectOption('other');
  await submitButton(close).click();
  await expectCaseStatus(page, 'closed');
}

test('a mediation ended by mistake is undone: waiting for the mediator again, its follow-up open as it was, and the timeline says so', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await escalatedCase(page, 'mediation');
  const followUp = page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="review_followup"]');
  await expect(followUp).toHaveCount(1);
  const reminderBefore = rowsOf('reminders', [caseId]).filter((r) => r.kind === 'review_followup' && r.status === 'open');
  expect(reminderBefore).toHaveLength(1);
  const round = page.getByTestId('attempts').locator('[data-testid="attempt"][data-round="2"]');
  await expect(round.getByTestId('attempt-decision')).toHaveAttribute('data-decision', 'pending');

  await endEscalation(page);
  await expect(followUp).toHaveCount(0);
  await expect(page.getByTestId('case-outcome')).toHaveText(zh('domain.outcome.other'));
  await expect(round.getByTestId('attempt-decision')).toHaveAttribute('data-decision', 'ended');

  // The only step on the closed case: undo it, with its hint, asking first.
  const panel = page.getByTestId('action-panel');
  await expect(panel.getByTestId('action-undo_withdraw')).toHaveCount(0);
  const undo = await actionForm(page, 'undo_close_escalation', 'form-undo-close-escalation');
  await expect(panel.getByTestId('action-undo_close_escalation')).toContainText(zh('case.actions.undoCloseEscalationHint'));
  await undo.getByRole('button', { name: zh('case.actions.undoCloseEscalation') }).click();
  await expect(undo.getByRole('group', { name: zh('case.actions.undoCloseEscalationQuestion') })).toBeVisible();
  await undo.getByRole('button', { name: zh('case.actions.undoCloseEscalationConfirm') }).click();

  await expectCaseStatus(page, 'escalated');
  await expect(page.getByTestId('save-flash-message')).toHaveText(zh('case.saved.escalationCloseUndone'));
  await expect(page.getByTestId('case-outcome')).toHaveCount(0);
  await expect(round.getByTestId('attempt-decision')).toHaveAttribute('data-decision', 'pending');
  await expect(followUp).toHaveCount(1);
  // The same reminder, open again on its own day: not a new one.
  const reminderAfter = rowsOf('reminders', [caseId]).filter((r) => r.kind === 'review_followup' && r.status === 'open');
  expect(reminderAfter.map((r) => [r.id, r.due_on, r.rule_key])).toEqual(reminderBefore.map((r) => [r.id, r.due_on, r.rule_key]));
  await expect(panel.getByTestId('action-undo_close_escalation')).toHaveCount(0);
  await expect(panel.getByTestId('action-close_escalation')).toHaveCount(1);
  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('[data-testid="event"][data-kind="escalation_closed"]')).toHaveCount(1);
  await expect(timeline.locator('[data-testid="event"][data-kind="escalation_close_undone"]')).toContainText(zh('timeline.event.escalation_close_undone'));
});

test('English: a complaint ended by mistake is undone; the same request sent again to the open case is refused and changes nothing', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await escalatedCase(page, 'complaint');
  await endEscalation(page);

  await setLocale(page, 'en');
  const undo = await actionForm(page, 'undo_close_escalation', 'form-undo-close-escalation');
  const fold = page.getByTestId('action-panel').getByTestId('action-undo_close_escalation');
  await expect(fold).toContainText(en('domain.transition.undo_close_escalation'));
  await expect(fold).toContainText(en('case.actions.undoCloseEscalationHint'));
  await undo.getByRole('button', { name: en('case.actions.undoCloseEscalation') }).click();
  await expect(undo.getByRole('group', { name: en('case.actions.undoCloseEscalationQuestion') })).toBeVisible();
  const recorded = await captureAction(page, () => undo.getByRole('button', { name: en('case.actions.undoCloseEscalationConfirm') }).click());
  await expectCaseStatus(page, 'escalated');
  await expect(page.getByTestId('save-flash-message')).toHaveText(en('case.saved.escalationCloseUndone'));
  await expect(page.getByTestId('timeline').locator('[data-testid="event"][data-kind="escalation_close_undone"]')).toContainText(
    en('timeline.event.escalation_close_undone'),
  );

  // Sent again with the case's current version: nothing to undo on an open case.
  const before = { case: caseRow(caseId), attempts: rowsOf('attempts', [caseId]), reminders: rowsOf('reminders', [caseId]) };
  const parts = withField(recorded.parts, 'version', String(before.case.version));
  const res = await postAction(page.request, baseURL!, recorded, parts);
  expect(res.status()).toBe(200);
  const body = await res.text();
  expect(body).toContain(en('errors.escalation_not_closed'));
  expect(body).not.toContain(en('errors.conflict'));
  expect(caseRow(caseId)).toEqual(before.case);
  expect(rowsOf('attempts', [caseId])).toEqual(before.attempts);
  expect(rowsOf('reminders', [caseId])).toEqual(before.reminders);
});
