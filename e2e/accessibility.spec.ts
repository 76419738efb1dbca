/**
 * The main screens, in Chinese and in English, checked with axe-core against WCAG 2.2 A and AA (what
 * axe can tell from the page: names of fields and buttons, contrast, landmarks, the language of the
 * page, ARIA used as it is meant): our users read these pages under stress, some with a screen reader
 * or a phone's large text. Each page is scrolled through first, so that what loads on the way (the
 * dashboard's charts) is checked too; a page with a fold open checks that fold's form. The first test
 * makes sure the check can fail: a field with no name, put on a real page, is found.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { actionForm, addDays, approvePlan, createCase, expectCaseStatus, fillCaseForm, openFold, rejectApplication, setLocale, signIn, signUp, submitApplication, submitButton, todayShanghai, zh } from './helpers';
import { adminAccount } from './admin-story';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The page as axe sees it once everything on it has loaded: its violations, one line each (the rule, how many, where). */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 500) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 50));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForLoadState('networkidle');
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' · ')}`);
}

/** Opens each address and expects no violation on any, named by address and language when one is found. */
async function expectAccessible(page: Page, paths: string[]): Promise<void> {
  const lang = await page.locator('html').getAttribute('lang');
  for (const path of paths) {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
    expect(await violations(page), `${path} (${lang})`).toEqual([]);
  }
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test('the check can fail: a field without a name, put on a real page, is found', async ({ page }) => {
  await page.goto('/signin');
  expect(await violations(page)).toEqual([]);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'text';
    document.querySelector('main')!.append(input);
  });
  expect((await violations(page)).some((v) => v.startsWith('label '))).toBe(true);
});

test('signing in, signing up and a forgotten password, in Chinese and English', async ({ page }) => {
  test.setTimeout(120_000);
  for (const locale of ['zh-CN', 'en'] as const) {
    await page.goto('/signin');
    await setLocale(page, locale);
    await expectAccessible(page, ['/signin', '/signup', '/forgot-password']);
  }
});

test("a borrower's screens, with cases in several states and forms open, in Chinese and English", async ({ page }) => {
  test.setTimeout(300_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  const preparing = await createCase(page, { lender: '招联金融', principal: '1000' });
  const review = await createCase(page, { lender: '招联金融', principal: '2000' });
  await submitApplication(page, addDays(today, -3));
  const ask = await actionForm(page, 'request_materials', 'form-request-materials');
  await ask.locator('textarea[name="what"]').fill('近三个月银行流水');
  await ask.locator('input[name="requestedOn"]').fill(addDays(today, -1));
  await submitButton(ask).click();
  await expectCaseStatus(page, 'materials_requested');
  const plan = await createCase(page, { lender: '招联金融', principal: '3000' });
  await submitApplication(page, addDays(today, -20));
  await approvePlan(page, { decidedOn: addDays(today, -10), periods: '6', monthly: '500', first: addDays(today, -5) });

  for (const locale of ['zh-CN', 'en'] as const) {
    await setLocale(page, locale);
    await expectAccessible(page, [
      '/home',
      '/cases',
      '/cases/new',
      `/cases/${preparing}`,
      `/cases/${preparing}/edit`,
      `/cases/${review}`,
      `/cases/${review}?open=act-send-materials`,
      `/cases/${plan}`,
      `/cases/${plan}?open=act-void-plan`,
      '/reminders',
      '/lenders',
      '/sharing',
      '/settings',
    ]);
  }
});

test("an advisor's dashboard and a client's case, and the advisor's note on the client's home, in Chinese and English", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const today = todayShanghai();
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(today, -20));
  await rejectApplication(page, addDays(today, -15));
  await page.goto('/sharing');
  const invite = page.getByTestId('invite-form');
  await invite.locator('input[name="label"]').fill('法律援助中心');
  await submitButton(invite).click();
  const link = await page.getByTestId('invite-link').inputValue();

  const advisor = await newPage(browser);
  await signUp(advisor, { role: 'advisor', locale: 'zh-CN', displayName: '李律师' });
  await advisor.goto(link);
  await submitButton(advisor.getByTestId('accept-form')).click();
  await advisor.waitForURL(/\/dashboard\?accepted=1$/);
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLocale(advisor, locale);
    await expectAccessible(advisor, ['/dashboard', `/cases/${caseId}`, '/lenders', '/settings']);
  }
  // The advisor's note, on the client's home.
  await advisor.goto(`/cases/${caseId}`);
  const noteForm = (await openFold(advisor.getByTestId('add-note'))).getByTestId('note-form');
  await noteForm.locator('textarea[name="text"]').fill('先补充近 6 个月的银行流水，再申请个性化分期。');
  await submitButton(noteForm).click();
  await expect(advisor.locator('[data-testid="event"][data-kind="note"]')).toHaveCount(1);
  await advisor.context().close();
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLocale(page, locale);
    await expectAccessible(page, ['/home']);
    await expect(page.getByTestId('home-advisor-note')).toHaveCount(1);
  }
});

test('at phone width, and a form that shows what is wrong with it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signUp(page, { locale: 'zh-CN' });
  const caseId = await createCase(page, { lender: '招联金融', principal: '1000' });
  await submitApplication(page, addDays(todayShanghai(), -3));
  await expectAccessible(page, ['/home', '/cases', `/cases/${caseId}`, '/reminders']);

  // The new case form sent with an amount that is not one and a date to come: the server's answer, its errors on the fields.
  await page.goto('/cases/new');
  const form = await fillCaseForm(page, { lender: '招联金融', principal: '一千块', overdueSince: addDays(todayShanghai(), 30) });
  await form.evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await submitButton(form).click();
  await expect(form.getByTestId('form-message')).toHaveText(zh('errors.check_fields'));
  await expect(form.locator('[aria-invalid="true"]')).toHaveCount(2);
  expect(await violations(page)).toEqual([]);
});

test("the administrator's console, in Chinese and English", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, adminAccount());
  // The account keeps the language chosen: the shared admin ends in Chinese, as the other suites expect it.
  for (const locale of ['en', 'zh-CN'] as const) {
    await setLocale(page, locale);
    await expectAccessible(page, ['/admin', '/admin?role=borrower', '/admin/lenders', '/admin/lenders/1']);
  }
});
