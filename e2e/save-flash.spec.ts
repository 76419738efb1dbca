/**
 * A save whose form goes with it — the application that moves the case on, a reminder marked done
 * that leaves the inbox — still says what it saved: in a live region at the foot of the window,
 * once. A form that stays says it itself, and the flash says nothing. A reload does not say it again.
 */
import { expect, test } from '@playwright/test';
import { actionForm, createCase, en, expectCaseStatus, formMessage, openFold, setLocale, signUp, submitApplication, submitButton, todayShanghai, zh } from './helpers';

const LENDER = '招联金融';

test('an application that moves the case on is said at the foot of the page; a contact, whose form stays, is said by its form alone', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER });
  const flash = page.getByTestId('save-flash-message');
  await expect(flash).toHaveAttribute('role', 'status');
  await expect(flash).toHaveText('');

  // The submit form is gone once the case is under review: the flash says it.
  await submitApplication(page, todayShanghai());
  await expect(page.getByTestId('action-panel').getByTestId('form-submit')).toHaveCount(0);
  await expect(flash).toHaveText(zh('case.saved.submitted'));
  await expect(page.getByTestId('save-flash-close')).toHaveText(zh('common.savedFlashClose'));
  // Put away, it is gone; the save is not said again on a reload.
  await page.getByTestId('save-flash-close').click();
  await expect(flash).toHaveText('');
  await page.reload();
  await expect(page.getByTestId('case-page')).toBeVisible();
  await expect(flash).toHaveText('');
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('respite-saved');

  // A contact: its form stays open and says it, with the focus on its message; the flash is silent.
  const form = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await form.locator('textarea[name="summary"]').fill('客服说三个工作日内回电，工号 8817');
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(zh('case.saved.contactAdded'));
  await expect(formMessage(form)).toBeFocused();
  await page.waitForTimeout(300);
  await expect(flash).toHaveText('');

  // A save said by the flash, then one said by its own form: the first one's words do not linger.
  const reject = await actionForm(page, 'reject', 'form-reject');
  await reject.locator('select[name="rejectionReason"]').selectOption('insufficient_proof');
  await submitButton(reject).click();
  await expectCaseStatus(page, 'rejected');
  await expect(flash).toHaveText(zh('case.saved.rejected'));
  const again = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await again.locator('textarea[name="summary"]').fill('打客服电话问拒绝原因');
  await submitButton(again).click();
  await expect(formMessage(again)).toHaveText(zh('case.saved.contactAdded'));
  await expect(flash).toHaveText('');
});

test('a reminder marked done leaves the inbox and is said there, in the page’s language', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  await createCase(page, { lender: LENDER });
  await submitApplication(page, todayShanghai());
  await setLocale(page, 'en');
  await page.goto('/reminders');
  const item = page.locator('[data-testid="reminder"][data-kind="review_followup"]');
  await expect(item).toHaveCount(1);
  // Its buttons are a group named by the reminder, so that "Done" among many says which one.
  const title = (await item.getByTestId('reminder-title').textContent())!.trim();
  await expect(item.getByTestId('reminder-actions')).toHaveAttribute('role', 'group');
  await expect(item.getByTestId('reminder-actions')).toHaveAccessibleName(title);
  await item.getByTestId('reminder-done').locator('button[type="submit"]').click();
  await expect(item).toHaveCount(0);
  await expect(page.getByTestId('save-flash-message')).toHaveText(en('reminders.actions.doneOk'));
  await expect(page.getByTestId('save-flash-close')).toHaveText(en('common.savedFlashClose'));
  // Another page: gone.
  await page.goto('/cases');
  await expect(page.getByTestId('save-flash-message')).toHaveText('');
});
