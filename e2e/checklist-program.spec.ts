/**
 * Before any application, the checklist says what each program would add to the lender's own list
 * (a bank statement and a payslip for 停息挂账 or 个性化分期 at a consumer-finance lender, say), and
 * adds them in one click; once an application is recorded, its own program decides, and the choice is gone.
 */
import { expect, test } from '@playwright/test';
import { createCase, en, signUp, submitApplication, submitButton, todayShanghai, zh } from './helpers';

test('a borrower preparing an application adds the documents of the program they mean to apply for', async ({ page }) => {
  await signUp(page);
  await createCase(page, { lender: '招联金融' });
  const byProgram = page.getByTestId('program-documents');
  await expect(byProgram).toContainText(zh('case.documents.byProgramTitle'));
  // 招联金融 lists no bank statement or payslip: the two programs that need them say so; the others add nothing and are not offered.
  await expect(byProgram.locator('li')).toHaveCount(2);
  const suspension = byProgram.locator('li[data-program="suspension"]');
  await expect(suspension).toContainText(zh('domain.program.suspension'));
  await expect(suspension).toContainText(zh('domain.documentKind.bank_statement'));
  await expect(suspension).toContainText(zh('domain.documentKind.payslip'));
  await expect(byProgram.locator('li[data-program="instalments"]')).toHaveCount(1);
  await expect(byProgram.locator('li[data-program="penalty_waiver"]')).toHaveCount(0);

  await submitButton(suspension.getByTestId('add-program-documents')).click();
  const documents = page.getByTestId('documents').getByTestId('document');
  await expect(page.getByTestId('documents').locator('[data-testid="document"][data-kind="bank_statement"]')).toHaveCount(1);
  await expect(page.getByTestId('documents').locator('[data-testid="document"][data-kind="payslip"]')).toHaveCount(1);
  // The lender's list came with it: nothing is suggested any more, and no program adds anything.
  await expect(page.getByTestId('suggested-documents')).toHaveCount(0);
  await expect(byProgram).toHaveCount(0);
  const kinds = await documents.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
  expect(kinds).toEqual(['id_card', 'hardship_letter', 'income_proof', 'medical_proof', 'unemployment_proof', 'bank_statement', 'payslip']);
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('in English, and gone once an application is recorded', async ({ page }) => {
  await signUp(page, { locale: 'en' });
  await createCase(page, { lender: '招联金融' });
  const byProgram = page.getByTestId('program-documents');
  await expect(byProgram).toContainText(en('case.documents.byProgramTitle'));
  // Each button says "Add these", inside a group named by its program's line.
  const instalments = byProgram.getByRole('group', { name: new RegExp(escape(en('domain.program.instalments'))) });
  await expect(instalments.getByRole('button')).toHaveText(en('case.documents.byProgramAdd'));
  // … the group of the instalments' line (a list item keeps its role: the group is inside it).
  await expect(byProgram.locator('li[data-program="instalments"] > [role="group"]')).toHaveAccessibleName(new RegExp(escape(en('domain.program.instalments'))));
  await submitApplication(page, todayShanghai());
  await expect(page.getByTestId('documents')).toBeVisible();
  await expect(byProgram).toHaveCount(0);
});
