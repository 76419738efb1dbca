/**
 * The admin console's requests, recorded through the UI for the suites that replay every server
 * action of the build (e2e/authz-matrix.spec.ts, e2e/fuzz.spec.ts): the e2e server's admin
 * disables and re-enables a throwaway account, changes its role, marks an advisor's suggestion to
 * the directory done, adds a public lender and edits it. One captured request per action goes into `captured` (recorded by nobody the matrix names,
 * so the suites replay it for the admin's own cells too).
 */
import { randomBytes } from 'node:crypto';
import { expect, type Browser, type Page } from '@playwright/test';
import { formMessage, signIn, signUp, submitButton, zh, type Account } from './helpers';
import { captureInto, type StoryAction } from './owner-story';

export function adminAccount(): Account {
  return { email: process.env.E2E_ADMIN_EMAIL!, password: process.env.E2E_ADMIN_PASSWORD!, displayName: 'E2E 管理员' };
}

/** The account's row on /admin, found by searching for its e-mail. */
export async function accountRow(page: Page, email: string) {
  await page.goto(`/admin?q=${encodeURIComponent(email)}`);
  const row = page.getByTestId('account-row').filter({ has: page.getByTestId('account-email').getByText(email, { exact: true }) });
  await expect(row).toHaveCount(1);
  return row;
}

/** Fills the public-lender form (create or edit) with a name and the fields the schema needs. */
export async function fillLenderForm(page: Page, form: ReturnType<Page['getByTestId']>, name: string) {
  await form.locator('input[name="name"]').fill(name);
  await form.locator('select[name="kind"]').selectOption('consumer_finance');
  await form.locator('input[name="products"]').fill('测试贷');
  await form.locator('textarea[name="appPath"]').fill('App 内搜索“协商还款”');
  await form.locator('input[name="program_instalments"]').check();
  await form.locator('input[name="document_income_proof"]').check();
}

export async function recordAdminStory(browser: Browser, captured: Map<string, StoryAction>, tag: string): Promise<void> {
  const visitor = await browser.newContext();
  const someone = await signUp(await visitor.newPage(), { displayName: `管理台录制 ${tag}` });
  await visitor.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, adminAccount());
  const capture = (trigger: () => Promise<void>) => captureInto(captured, page, trigger, undefined, null);

  let row = await accountRow(page, someone.email);
  const roleForm = row.getByTestId('role-form');
  await roleForm.locator('select[name="role"]').selectOption('advisor');
  await capture(() => submitButton(roleForm).click());
  await expect(formMessage(row.getByTestId('role-form'))).toHaveText(zh('admin.accounts.roleDone', { email: someone.email, role: zh('common.roles.advisor') }));

  row = await accountRow(page, someone.email);
  const disableForm = row.getByTestId('disable-form');
  await disableForm.getByRole('button', { name: zh('admin.accounts.disable') }).click();
  await capture(() => disableForm.getByRole('button', { name: zh('admin.accounts.disableConfirm'), exact: true }).click());
  await expect(formMessage(row.getByTestId('disable-form'))).toHaveText(zh('admin.accounts.disabledDone', { email: someone.email }));

  // An advisor's suggestion to the directory, answered.
  const advisorContext = await browser.newContext();
  const advisorPage = await advisorContext.newPage();
  await signUp(advisorPage, { role: 'advisor', displayName: `建议的顾问 ${tag}` });
  await advisorPage.goto('/lenders');
  const suggest = advisorPage.getByTestId('suggest-lender-form');
  const suggestion = `审核要 10 个工作日 ${tag}-${randomBytes(2).toString('hex')}`;
  await suggest.locator('textarea[name="body"]').fill(suggestion);
  await submitButton(suggest).click();
  await expect(formMessage(suggest)).toHaveText(zh('lenders.suggest.sent'));
  await advisorContext.close();
  await page.goto('/admin/lenders');
  const open = page.getByTestId('lender-suggestion').filter({ hasText: suggestion });
  await capture(() => submitButton(open.getByTestId('suggestion-done-form')).click());
  await expect(page.getByTestId('lender-suggestion').filter({ hasText: suggestion })).toHaveCount(0);

  await page.goto('/admin/lenders');
  const name = `录制的公共机构 ${tag}-${randomBytes(2).toString('hex')}`;
  const create = page.getByTestId('lender-create-form');
  await fillLenderForm(page, create, name);
  await capture(() => submitButton(create).click());
  await expect(formMessage(page.getByTestId('lender-create-form'))).toHaveText(zh('admin.lenders.created', { name }));

  await page.goto('/admin/lenders');
  await page.getByTestId('admin-lender').filter({ hasText: name }).getByTestId('edit-lender').click();
  const edit = page.getByTestId('lender-edit-form');
  await edit.locator('input[name="hotline"]').fill('95000');
  await capture(() => submitButton(edit).click());
  await expect(formMessage(page.getByTestId('lender-edit-form'))).toHaveText(zh('admin.lenders.saved', { name }));
  await context.close();
}
