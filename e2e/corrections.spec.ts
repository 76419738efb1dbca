/**
 * What was recorded of an application can be made right: its day, its channel, the deadline the
 * lender gave for materials. The reminders follow, the timeline keeps what was there before, and
 * a correction out of order with the story is refused with what was typed kept. A contact is corrected too. (The plan's
 * corrections are in plan-rows.spec.ts.)
 */
import { expect, test } from '@playwright/test';
import { actionForm, addDays, approvePlan, createCase, expectCaseStatus, formatDate, openFold, setLocale, signUp, submitApplication, submitButton, todayShanghai, zh } from './helpers';

test('an application’s day and channel corrected move its review reminder; a new materials deadline moves its reminders', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  // Recorded as today; it went in two weeks ago, by the hotline.
  await submitApplication(page, today);
  const review = page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="review_followup"]');
  await expect(review).toHaveCount(1);
  const dueBefore = (await review.getAttribute('data-due'))!;
  const attempt = page.getByTestId('attempts').getByTestId('attempt').first();
  const fix = (await openFold(attempt.getByTestId('correct-attempt'))).getByTestId('correct-attempt-form');
  await expect(fix.locator('input[name="submittedOn"]')).toHaveValue(today);
  await expect(fix.locator('select[name="channel"]')).toHaveValue('app');
  await fix.locator('input[name="submittedOn"]').fill(addDays(today, -14));
  await fix.locator('select[name="channel"]').selectOption('hotline');
  await submitButton(fix).click();
  await expect(fix.getByTestId('form-message')).toHaveText(zh('case.saved.attemptCorrected'));
  await expect(attempt).toContainText(zh('domain.channel.hotline'));
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText(zh('timeline.event.attempt_corrected', { round: 1 }));
  await expect(timeline).toContainText(
    zh('timeline.change', { field: zh('timeline.event.attemptField.submittedOn'), from: formatDate(today, 'zh-CN'), to: formatDate(addDays(today, -14), 'zh-CN') }),
  );
  // The review reminder counts from the corrected day: it falls due earlier than it did.
  await expect(review).toHaveCount(1);
  await expect.poll(async () => ((await review.getAttribute('data-due')) ?? '') < dueBefore, `review due before ${dueBefore}`).toBe(true);

  // The lender asked three days ago for materials within six days, then gives ten more.
  const ask = await actionForm(page, 'request_materials', 'form-request-materials');
  await ask.locator('textarea[name="what"]').fill('近三个月银行流水');
  await ask.locator('input[name="requestedOn"]').fill(addDays(today, -3));
  await ask.locator('input[name="deadline"]').fill(addDays(today, 3));
  await submitButton(ask).click();
  await expectCaseStatus(page, 'materials_requested');
  const deadline = page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="materials_deadline"]');
  await expect(deadline).toHaveAttribute('data-due', addDays(today, 3));

  // A new deadline before the request is refused, what was typed kept.
  const later = (await openFold(page.getByTestId('change-deadline'))).getByTestId('change-deadline-form');
  await later.locator('input[name="deadline"]').fill(addDays(today, -4));
  await submitButton(later).click();
  await expect(later.getByTestId('error-deadline')).toHaveText(zh('errors.deadline_before_request'));
  await expect(later.locator('input[name="deadline"]')).toHaveValue(addDays(today, -4));
  await later.locator('input[name="deadline"]').fill(addDays(today, 10));
  await submitButton(later).click();
  await expect(later.getByTestId('form-message')).toHaveText(zh('case.saved.deadlineChanged'));
  await expect(deadline).toHaveAttribute('data-due', addDays(today, 10));
  await expect(page.getByTestId('material-request')).toContainText(formatDate(addDays(today, 10), 'zh-CN'));

  // The application's day can no longer fall after the lender's request.
  const again = (await openFold(attempt.getByTestId('correct-attempt'))).getByTestId('correct-attempt-form');
  await again.locator('input[name="submittedOn"]').fill(addDays(today, -2));
  await submitButton(again).click();
  await expect(again.getByTestId('error-submittedOn')).toHaveText(zh('errors.requested_before_submitted'));
  await expect(again.locator('input[name="submittedOn"]')).toHaveValue(addDays(today, -2));
  await expect(attempt).toContainText(formatDate(addDays(today, -14), 'zh-CN'));

  await setLocale(page, 'en');
  await expect(timeline).toContainText('Deadline for materials moved from');
  await expect(timeline).toContainText('Corrected the record of round 1');
});

test('a request for materials recorded by mistake is removed: its reminders go, the review result is chased again; one answered stays', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(today, -10));
  const reminders = page.getByTestId('case-reminders');
  const review = reminders.locator('[data-testid="reminder"][data-kind="review_followup"]');
  await expect(review).toHaveCount(1);
  const reviewDue = (await review.getAttribute('data-due'))!;
  const ask = await actionForm(page, 'request_materials', 'form-request-materials');
  await ask.locator('textarea[name="what"]').fill('其实对方没要的材料');
  await ask.locator('input[name="deadline"]').fill(addDays(today, 3));
  await submitButton(ask).click();
  await expectCaseStatus(page, 'materials_requested');
  await expect(review).toHaveCount(0);
  await expect(reminders.locator('[data-testid="reminder"][data-kind="materials_deadline"]')).toHaveCount(1);

  // Asked to confirm first; then the request, its reminders and the status go back as they were.
  const removal = (await openFold(page.getByTestId('remove-request'))).getByTestId('remove-request-form');
  await expect(removal).toContainText(zh('case.attempts.removeRequestHint'));
  await removal.getByRole('button', { name: zh('case.attempts.removeRequest') }).click();
  await removal.getByRole('button', { name: zh('case.attempts.removeRequestYes') }).click();
  await expectCaseStatus(page, 'under_review');
  await expect(page.getByTestId('material-request')).toHaveCount(0);
  await expect(reminders.locator('[data-testid="reminder"][data-kind^="materials"]')).toHaveCount(0);
  await expect(review).toHaveAttribute('data-due', reviewDue);
  const removed = page.getByTestId('timeline').locator('[data-testid="event"][data-kind="materials_request_removed"]');
  await expect(removed).toContainText('其实对方没要的材料');

  // A request answered is the record of what happened: no way to remove it.
  const again = await actionForm(page, 'request_materials', 'form-request-materials');
  await again.locator('textarea[name="what"]').fill('近三个月银行流水');
  await again.locator('input[name="deadline"]').fill(addDays(today, 3));
  await submitButton(again).click();
  await expect(page.getByTestId('remove-request')).toHaveCount(1);
  const send = await actionForm(page, 'send_materials', 'form-send-materials');
  await submitButton(send).click();
  await expectCaseStatus(page, 'under_review');
  await expect(page.getByTestId('material-request')).toHaveCount(1);
  await expect(page.getByTestId('remove-request')).toHaveCount(0);

  await setLocale(page, 'en');
  await expect(removed).toContainText('Removed a request for materials recorded by mistake');
});

test('a decision recorded by mistake is undone: the plan goes, the case waits for the lender again, the right one is recorded', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(today, -10));
  await approvePlan(page, { periods: '3', monthly: '400', first: addDays(today, 5), decidedOn: today });
  await expect(page.getByTestId('plan').getByTestId('instalment')).toHaveCount(3);

  const undo = (await openFold(page.getByTestId('undo-decision'))).getByTestId('undo-decision-form');
  await undo.getByRole('button', { name: zh('case.attempts.undoDecision') }).click();
  await undo.getByRole('button', { name: zh('case.attempts.undoDecisionYes') }).click();
  await expectCaseStatus(page, 'under_review');
  await expect(page.getByTestId('plan')).toHaveCount(0);
  await expect(page.getByTestId('attempt-decision').first()).toHaveAttribute('data-decision', 'pending');
  await expect(page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="instalment_due"]')).toHaveCount(0);
  await expect(page.getByTestId('timeline')).toContainText(zh('timeline.event.decision_undone', { round: 1, decision: zh('timeline.event.decisionLabel.approved') }));

  // The lender in fact said no.
  const reject = await actionForm(page, 'reject', 'form-reject');
  await reject.locator('select[name="rejectionReason"]').selectOption('insufficient_proof');
  await reject.locator('input[name="decidedOn"]').fill(today);
  await submitButton(reject).click();
  await expectCaseStatus(page, 'rejected');
  await setLocale(page, 'en');
  await expect(page.getByTestId('timeline')).toContainText('Undid the decision recorded for round 1 (approved)');
});

test('the lender rejects before the materials went: the request is overtaken; undone, it is awaited again', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(today, -10));
  const ask = await actionForm(page, 'request_materials', 'form-request-materials');
  await ask.locator('textarea[name="what"]').fill('近三个月银行流水');
  await ask.locator('input[name="requestedOn"]').fill(addDays(today, -3));
  await ask.locator('input[name="deadline"]').fill(addDays(today, 3));
  await submitButton(ask).click();
  await expectCaseStatus(page, 'materials_requested');
  const deadline = page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="materials_deadline"]');
  await expect(deadline).toHaveCount(1);

  // A decision dated before the request is refused, what was typed kept.
  const reject = await actionForm(page, 'reject', 'form-reject');
  await reject.locator('select[name="rejectionReason"]').selectOption('insufficient_proof');
  await reject.locator('input[name="decidedOn"]').fill(addDays(today, -4));
  await submitButton(reject).click();
  await expect(reject.getByTestId('error-decidedOn')).toHaveText(zh('errors.decided_before_requested'));
  await expect(reject.locator('input[name="decidedOn"]')).toHaveAttribute('aria-invalid', 'true');
  await expect(reject.locator('select[name="rejectionReason"]')).toHaveValue('insufficient_proof');
  // "Other" without the lender's words is refused at the words' field, the reason and the day typed kept.
  await reject.locator('select[name="rejectionReason"]').selectOption('other');
  await reject.locator('input[name="decidedOn"]').fill(today);
  await reject.locator('textarea[name="rejectionText"]').fill('  ');
  await submitButton(reject).click();
  await expect(reject.getByTestId('error-rejectionText')).toHaveText(zh('errors.rejection_text_needed'));
  await expect(reject.locator('textarea[name="rejectionText"]')).toHaveAttribute('aria-invalid', 'true');
  await expect(reject.getByTestId('error-decidedOn')).toHaveCount(0);
  await expect(reject.locator('select[name="rejectionReason"]')).toHaveValue('other');
  await expect(reject.locator('input[name="decidedOn"]')).toHaveValue(today);
  await expectCaseStatus(page, 'materials_requested');
  await reject.locator('textarea[name="rejectionText"]').fill('系统综合评估未通过');
  await submitButton(reject).click();
  await expectCaseStatus(page, 'rejected');
  await expect(page.getByTestId('material-request').getByTestId('material-overtaken')).toHaveText(zh('case.attempts.overtaken', { date: formatDate(today, 'zh-CN') }));
  await expect(deadline).toHaveCount(0);
  await expect(page.getByTestId('change-deadline')).toHaveCount(0);
  await expect(page.getByTestId('timeline').locator('[data-testid="event"][data-kind="attempt_rejected"]')).toContainText(zh('timeline.event.materialsOvertaken'));

  // Undone: the case waits for the materials again, with their reminder.
  const undo = (await openFold(page.getByTestId('undo-decision'))).getByTestId('undo-decision-form');
  await undo.getByRole('button', { name: zh('case.attempts.undoDecision') }).click();
  await undo.getByRole('button', { name: zh('case.attempts.undoDecisionYes') }).click();
  await expectCaseStatus(page, 'materials_requested');
  await expect(page.getByTestId('material-overtaken')).toHaveCount(0);
  await expect(deadline).toHaveCount(1);
  await setLocale(page, 'en');
  await expect(page.getByTestId('timeline').locator('[data-testid="event"][data-kind="attempt_rejected"]')).toContainText(
    'The lender decided before the materials it asked for were sent',
  );
});

test('a contact corrected: its promise chased on the corrected date, the timeline saying what changed; a stale form is refused', async ({ page, context }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  const contactForm = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await contactForm.locator('input[name="agentId"]').fill('8812');
  await contactForm.locator('textarea[name="summary"]').fill('客服说三天内回电');
  await contactForm.locator('input[name="promise"]').fill('三天内回电');
  await contactForm.locator('input[name="promiseDue"]').fill(addDays(today, 3));
  await submitButton(contactForm).click();
  const contact = page.getByTestId('contacts').getByTestId('contact');
  await expect(contact).toHaveCount(1);
  const chase = page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="promise_chase"]');
  await expect(chase).toHaveAttribute('data-due', addDays(today, 3));
  // Its buttons say which contact they are about: the channel, the time and the agent.
  await expect(contact.getByTestId('correct-contact').locator('a[data-fold-link]')).toHaveAccessibleDescription(/8812/);
  await expect(contact.getByTestId('contact-delete-form').getByRole('button')).toHaveAccessibleDescription(/8812/);

  // A second tab opens the same correction before the first saves.
  const other = await context.newPage();
  await other.goto(page.url());
  const stale = (await openFold(other.getByTestId('contacts').getByTestId('correct-contact'))).getByTestId('correct-contact-form');

  // The lender said five days, and the agent was 8813.
  const fix = (await openFold(contact.getByTestId('correct-contact'))).getByTestId('correct-contact-form');
  await expect(fix.locator('input[name="agentId"]')).toHaveValue('8812');
  await expect(fix.locator('textarea[name="summary"]')).toHaveValue('客服说三天内回电');
  await expect(fix.locator('input[name="promiseDue"]')).toHaveValue(addDays(today, 3));
  await submitButton(fix).click();
  await expect(fix.getByTestId('form-message')).toHaveText(zh('errors.correction_unchanged'));
  await fix.locator('input[name="agentId"]').fill('8813');
  await fix.locator('input[name="promise"]').fill('五天内回电');
  await fix.locator('input[name="promiseDue"]').fill(addDays(today, 5));
  await submitButton(fix).click();
  await expect(fix.getByTestId('form-message')).toHaveText(zh('case.saved.contactCorrected'));
  await expect(contact.getByTestId('contact-agent')).toContainText('8813');
  await expect(contact.getByTestId('contact-promise')).toContainText('五天内回电');
  await expect(chase).toHaveCount(1);
  await expect(chase).toHaveAttribute('data-due', addDays(today, 5));
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText(zh('timeline.event.contact_corrected', { channel: zh('domain.contactChannel.phone') }));
  await expect(timeline).toContainText(
    zh('timeline.change', { field: zh('timeline.event.contactField.promiseDue'), from: formatDate(addDays(today, 3), 'zh-CN'), to: formatDate(addDays(today, 5), 'zh-CN') }),
  );
  await expect(timeline).toContainText(zh('timeline.change', { field: zh('timeline.event.contactField.agentId'), from: '8812', to: '8813' }));

  // The other tab's form was made before that correction: refused, what it typed kept, nothing overwritten.
  await stale.locator('textarea[name="summary"]').fill('另一个标签页写的');
  await submitButton(stale).click();
  await expect(stale.getByTestId('form-message')).toHaveText(`${zh('errors.conflict')} ${zh('errors.conflict_open_latest')}`);
  await expect(stale.locator('textarea[name="summary"]')).toHaveValue('另一个标签页写的');
  await page.reload();
  await expect(page.getByTestId('contacts').getByTestId('contact')).toContainText('客服说三天内回电');
  await other.close();

  // Taking the promise out closes its chase.
  await setLocale(page, 'en');
  const again = (await openFold(page.getByTestId('contacts').getByTestId('correct-contact'))).getByTestId('correct-contact-form');
  await again.locator('input[name="promise"]').fill('');
  await again.locator('input[name="promiseDue"]').fill('');
  await submitButton(again).click();
  await expect(again.getByTestId('form-message')).toHaveText('The contact record is corrected.');
  await expect(chase).toHaveCount(0);
  await expect(page.getByTestId('contacts').getByTestId('contact-promise')).toHaveCount(0);
  await expect(page.getByTestId('timeline')).toContainText('Corrected a contact record (Phone)');
});

test('a promise noted as broken closes its chase and says so; back to awaited, the chase returns; in English too', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: '招联金融', principal: '1000' });
  const contactForm = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await contactForm.locator('textarea[name="summary"]').fill('客服说今天内回电');
  await contactForm.locator('input[name="promise"]').fill('今天内回电');
  await contactForm.locator('input[name="promiseDue"]').fill(today);
  await submitButton(contactForm).click();
  const contact = page.getByTestId('contacts').getByTestId('contact');
  const chase = page.getByTestId('case-reminders').locator('[data-testid="reminder"][data-kind="promise_chase"]');
  await expect(chase).toHaveCount(1);
  const outcome = contact.getByTestId('contact-promise-outcome');
  await expect(outcome).toHaveAttribute('data-outcome', 'awaited');
  await expect(outcome).toHaveText(zh('case.contacts.outcomeAwaited'));

  // A day in the future is refused at its field, the choice kept.
  let form = (await openFold(contact.getByTestId('promise-outcome'))).getByTestId('promise-outcome-form');
  await expect(form.locator('input[name="outcome"][value="awaited"]')).toHaveCount(0);
  await form.locator('input[name="outcome"][value="broken"]').check();
  await form.locator('input[name="on"]').fill(addDays(today, 2));
  await submitButton(form).click();
  await expect(form.getByTestId('error-on')).toHaveText(zh('errors.date_future'));
  await expect(form.locator('input[name="outcome"][value="broken"]')).toBeChecked();
  await expect(chase).toHaveCount(1);

  await form.locator('input[name="on"]').fill(today);
  await submitButton(form).click();
  await expect(form.getByTestId('form-message')).toHaveText(zh('case.saved.promise_broken'));
  await expect(outcome).toHaveAttribute('data-outcome', 'broken');
  await expect(outcome).toHaveText(zh('case.contacts.outcomeBroken', { date: formatDate(today, 'zh-CN') }));
  await expect(chase).toHaveCount(0);
  await expect(page.getByTestId('timeline')).toContainText(zh('timeline.event.promise_broken', { promise: '今天内回电', date: formatDate(today, 'zh-CN') }));

  // Noted by mistake: back to awaited, and the chase is there again.
  await setLocale(page, 'en');
  form = (await openFold(contact.getByTestId('promise-outcome'))).getByTestId('promise-outcome-form');
  await form.locator('input[name="outcome"][value="awaited"]').check();
  await submitButton(form).click();
  await expect(form.getByTestId('form-message')).toHaveText('Back to awaiting the promise.');
  await expect(outcome).toHaveText('Awaited');
  await expect(chase).toHaveCount(1);
  await expect(chase).toHaveAttribute('data-due', today);
  await expect(page.getByTestId('timeline')).toContainText('Back to awaiting the promise: 今天内回电');
});
