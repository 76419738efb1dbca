/**
 * Words that must match what the reader sees and who the reader is: a reminder names the control
 * it sends the borrower to; an advisor reads neutral wording on a client's application and their
 * own empty reminder inbox (with a way to the dashboard, not to cases they have none of); the
 * dashboard's phone labels use each language's own colon.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { actionForm, createCase, en, expectCaseStatus, setLocale, signUp, submitApplication, submitButton, todayShanghai, zh } from './helpers';

const catalogue = (locale: 'zh-CN' | 'en', ns: string) =>
  JSON.parse(readFileSync(new URL(`../messages/${locale}/${ns}.json`, import.meta.url), 'utf8'));
const REMINDERS = { 'zh-CN': catalogue('zh-CN', 'reminders'), en: catalogue('en', 'reminders') };

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test('the materials reminder names the button the borrower will find on the case', async ({ page }) => {
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融' });
  await submitApplication(page, todayShanghai());
  const form = await actionForm(page, 'request_materials', 'form-request-materials');
  await form.locator('textarea[name="what"]').fill('近 6 个月银行流水');
  await submitButton(form).click();
  await expectCaseStatus(page, 'materials_requested');

  for (const [locale, m] of [['zh-CN', zh], ['en', en]] as const) {
    await page.goto(`/cases/${caseId}`);
    await setLocale(page, locale);
    const button = m('case.actions.sendMaterials');
    // The control is on the case page, by that name …
    await expect(page.getByTestId('form-send-materials').getByRole('button', { name: button })).toBeVisible();
    // … and the reminder sends the borrower to it by that name.
    await page.goto('/reminders');
    const reminder = page.locator('[data-testid="reminder"][data-kind="materials_deadline"]');
    await expect(reminder).toContainText(`“${button}”`);
  }
});

test('an advisor reads neutral wording on a client’s application, a dashboard label with the right colon, and an inbox of their own', async ({ browser }) => {
  test.setTimeout(120_000);
  // --- an advisor with no clients yet: the empty inbox points to the dashboard -------------------------
  const a = await newPage(browser);
  await signUp(a, { role: 'advisor', locale: 'zh-CN', displayName: '李律师' });
  for (const locale of ['zh-CN', 'en'] as const) {
    await a.goto('/reminders');
    await setLocale(a, locale);
    const empty = a.getByTestId('reminders-empty');
    await expect(empty).toContainText(REMINDERS[locale].page.advisorEmptyHint);
    await expect(empty).not.toContainText(REMINDERS[locale].page.emptyHint);
    await expect(empty.locator('a[href="/dashboard"]')).toHaveText(REMINDERS[locale].page.dashboardLink);
    await expect(empty.locator('a[href="/cases"]')).toHaveCount(0);
  }

  // --- a borrower applies with terms of their own, and shares ----------------------------------------
  const b = await newPage(browser);
  await signUp(b, { locale: 'zh-CN' });
  const caseId = await createCase(b, { lender: '招联金融', principal: '12000' });
  const form = await actionForm(b, 'submit', 'form-submit');
  await form.locator('select[name="program"]').selectOption('instalments');
  await form.locator('select[name="channel"]').selectOption('app');
  await form.locator('summary', { hasText: zh('case.actions.proposedTitle') }).click();
  await form.locator('input[name="proposedPeriods"]').fill('24');
  await form.locator('input[name="proposedMonthly"]').fill('500');
  await submitButton(form).click();
  await expectCaseStatus(b, 'under_review');
  await b.goto('/sharing');
  await submitButton(b.getByTestId('invite-form')).click();
  const code = ((await b.getByTestId('invite-code').textContent()) ?? '').trim();
  await a.goto(`/share/accept?code=${code}`);
  await submitButton(a.getByTestId('accept-form')).click();
  await a.waitForURL(/\/dashboard\?accepted=1$/);

  // --- the dashboard's phone label: 最近更新：/ Last activity: ------------------------------------------
  for (const [locale, label] of [['zh-CN', '最近更新：'], ['en', 'Last activity: ']] as const) {
    await setLocale(a, locale);
    const cell = a.getByTestId('cases-table').getByTestId('case-row').first().getByTestId('cell-updated');
    const text = await cell.locator('xpath=..').evaluate((td) => td.textContent ?? '');
    expect(text.startsWith(label), `${locale}: "${text}"`).toBe(true);
  }

  // --- the client's application, as the advisor reads it -------------------------------------------------
  await a.goto(`/cases/${caseId}`);
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLocale(a, locale);
    const attempt = a.getByTestId('attempts').getByTestId('attempt');
    await expect(attempt).toContainText(locale === 'zh-CN' ? '24 期' : '24');
    await expect(attempt).not.toContainText(locale === 'zh-CN' ? '我提出' : 'I proposed');
    await expect(attempt).toContainText(locale === 'zh-CN' ? '申请的条件' : 'Terms asked for');
  }
  // The borrower reads the same neutral label.
  await b.goto(`/cases/${caseId}`);
  await expect(b.getByTestId('attempts').getByTestId('attempt')).toContainText('申请的条件');
});
