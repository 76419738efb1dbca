/**
 * "Print the case record": the case page with its plan, contacts and timeline in full, the browser's
 * print dialog asked for once, and on paper the record without the controls — no site links, no
 * folds, forms or buttons, a line saying when it was printed. In both languages.
 */
import { expect, test, type Page } from '@playwright/test';
import { addDays, approvePlan, createCase, en, formatDate, setLocale, signUp, submitApplication, todayShanghai, zh } from './helpers';

/** Counts the calls to window.print() instead of opening a dialog, from the next page loaded on. */
async function countPrints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
}
const printed = (page: Page) => page.evaluate(() => (window as unknown as { printed: number }).printed);

test('the case record prints in full, without the controls, in both languages', async ({ page }) => {
  test.setTimeout(120_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '6000' });
  await submitApplication(page, addDays(today, -20));
  await approvePlan(page, { periods: '24', monthly: '250', first: addDays(today, 10), decidedOn: addDays(today, -5) });

  const plan = page.getByTestId('plan');
  // On the screen a two-year plan shows its next instalments and a link to the rest.
  const shown = await plan.getByTestId('instalment').count();
  expect(shown).toBeLessThan(24);
  await expect(plan.getByTestId('plan-show-all')).toBeVisible();
  await expect(page.getByTestId('printed-on')).not.toBeVisible();

  await countPrints(page);
  await page.reload();
  await page.getByTestId('print-case').click();
  // Printed once, then the URL no longer asks for it: a reload does not print again.
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}\\?all=timeline,plan,contacts$`));
  await expect.poll(() => printed(page)).toBe(1);
  await expect(plan.getByTestId('instalment')).toHaveCount(24);

  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['print-case', 'edit-case', 'action-panel', 'plan-show-all']) {
    await expect(page.getByTestId(hidden), hidden).not.toBeVisible();
  }
  await expect(page.getByRole('navigation', { name: zh('common.nav.label') })).not.toBeVisible();
  await expect(page.locator('[data-fold]').first()).not.toBeVisible();
  await expect(page.locator('form').first()).not.toBeVisible();
  await expect(plan.getByTestId('instalment').nth(23)).toBeVisible();
  await expect(page.getByTestId('printed-on')).toHaveText(zh('case.printedOn', { date: formatDate(today, 'zh-CN') }));
  await expect(page.getByTestId('timeline')).toBeVisible();

  await page.reload();
  expect(await printed(page)).toBe(0);

  // --- in English ----------------------------------------------------------------------------------------
  await page.emulateMedia({ media: 'screen' });
  await setLocale(page, 'en');
  await expect(page.getByTestId('print-case')).toHaveText(en('case.print'));
  await page.getByTestId('print-case').click();
  await expect.poll(() => printed(page)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('printed-on')).toHaveText(en('case.printedOn', { date: formatDate(today, 'en') }));
});
