/**
 * The admin console (DESIGN.md §2: admins list, disable and change the role of accounts, and
 * curate the public lender directory), end to end with the e2e server's admin:
 *
 * - the admin lands on /admin after signing in, finds accounts by e-mail or name;
 * - disables a borrower, whose open session is signed out on its next request and who, signing in
 *   with the right password, is told the account is disabled (a wrong password still reads as
 *   the usual "email or password"); enabled again, the borrower signs in;
 * - changes the role of a fresh account (which then sees the advisor's pages), and is refused,
 *   with the reason, for a borrower who has a case;
 * - adds a public lender and edits it: a borrower sees the change in the directory;
 * - a borrower and an advisor get the not-found page for every admin page;
 * - at 390 px, in Chinese and English, nothing scrolls sideways.
 */
import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { accountRow, adminAccount, fillLenderForm } from './admin-story';
import {
  createCase,
  en,
  expectNoHorizontalScroll,
  formMessage,
  hydrated,
  setLocale,
  signUp,
  submitButton,
  submitSignIn,
  userByEmail,
  zh,
  type Account,
} from './helpers';

const tag = randomBytes(3).toString('hex');

async function signedInAdmin(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const admin = adminAccount();
  await submitSignIn(page, admin.email, admin.password);
  // An admin's start page is the console, not /cases.
  await page.waitForURL((u) => u.pathname === '/admin');
  return page;
}

async function borrower(browser: Browser, displayName: string): Promise<{ page: Page; account: Account }> {
  const page = await (await browser.newContext()).newPage();
  const account = await signUp(page, { displayName });
  return { page, account };
}

test('an admin lands on the console, finds accounts, disables a borrower who is signed out and told why, and enables them again', async ({ browser }) => {
  const admin = await signedInAdmin(browser);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(zh('admin.accounts.title'));
  await expect(admin.getByTestId('nav-admin')).toBeVisible();
  // This server has no SMTP settings: the console says that no reminder mail goes out.
  await expect(admin.getByTestId('mail-health-off')).toHaveText(zh('admin.mail.notConfigured'));

  const { page: person, account } = await borrower(browser, `被停用的借款人 ${tag}`);
  await person.goto('/home');
  await expect(person.getByTestId('nav-admin')).toHaveCount(0);

  // Search by a part of the name, then by the e-mail.
  await admin.goto(`/admin?q=${encodeURIComponent(`停用的借款人 ${tag}`)}`);
  await expect(admin.getByTestId('account-row')).toHaveCount(1);
  await expect(admin.getByTestId('account-count')).toHaveText(zh('admin.accounts.found', { count: 1 }));
  let row = await accountRow(admin, account.email);
  await expect(row.getByTestId('account-role')).toHaveText(zh('common.roles.borrower'));
  // The admin's own row offers no way to disable or demote themself.
  const own = await accountRow(admin, adminAccount().email);
  await expect(own.getByTestId('disable-form')).toHaveCount(0);
  await expect(own.getByTestId('role-form')).toHaveCount(0);

  row = await accountRow(admin, account.email);
  const disable = row.getByTestId('disable-form');
  await disable.getByRole('button', { name: zh('admin.accounts.disable') }).click();
  await disable.getByRole('button', { name: zh('admin.accounts.disableConfirm'), exact: true }).click();
  await expect(formMessage(disable)).toHaveText(zh('admin.accounts.disabledDone', { email: account.email }));
  await expect(row.getByTestId('account-disabled')).toHaveText(zh('admin.accounts.disabled'));

  // The borrower's open session ends on its very next request.
  await person.goto('/home');
  await expect(person).toHaveURL(/\/signin\?next=%2Fhome$/);
  // The right password: told the account is disabled and whom to ask. A wrong one: the usual sentence.
  await submitSignIn(person, account.email, account.password);
  await expect(formMessage(person.getByTestId('signin-form'))).toHaveText(zh('auth.accountDisabled'));
  await submitSignIn(person, account.email, 'not-the-password');
  await expect(formMessage(person.getByTestId('signin-form'))).toHaveText(zh('auth.invalidCredentials'));
  await expect(person).toHaveURL(/\/signin\?next=%2Fhome$/);

  row = await accountRow(admin, account.email);
  const enable = row.getByTestId('disable-form');
  await submitButton(enable).click();
  await expect(formMessage(enable)).toHaveText(zh('admin.accounts.enabledDone', { email: account.email }));
  await expect(row.getByTestId('account-disabled')).toHaveCount(0);

  await submitSignIn(person, account.email, account.password);
  await person.waitForURL((u) => u.pathname === '/home');
  await person.context().close();
  await admin.context().close();
});

test("an admin changes a fresh account's role, and is refused, with the reason, for a borrower with a case", async ({ browser }) => {
  const admin = await signedInAdmin(browser);
  const fresh = await borrower(browser, `换角色 ${tag}`);
  let row = await accountRow(admin, fresh.account.email);
  let form = row.getByTestId('role-form');
  await form.locator('select[name="role"]').selectOption('advisor');
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(zh('admin.accounts.roleDone', { email: fresh.account.email, role: zh('common.roles.advisor') }));
  await expect(row.getByTestId('account-role')).toHaveText(zh('common.roles.advisor'));
  expect(userByEmail(fresh.account.email)).toBeTruthy();
  // The account's next request is an advisor's.
  await fresh.page.goto('/');
  await expect(fresh.page).toHaveURL(/\/dashboard$/);
  await expect(fresh.page.getByTestId('nav-dashboard')).toBeVisible();

  const withCase = await borrower(browser, `有案件 ${tag}`);
  await createCase(withCase.page, { principal: '100' });
  row = await accountRow(admin, withCase.account.email);
  form = row.getByTestId('role-form');
  await form.locator('select[name="role"]').selectOption('admin');
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(zh('errors.role_has_data'));
  await expect(row.getByTestId('account-role')).toHaveText(zh('common.roles.borrower'));
  await withCase.page.goto('/admin');
  await expect(withCase.page.getByTestId('not-found')).toBeVisible();
  for (const p of [admin, fresh.page, withCase.page]) await p.context().close();
});

test('an admin adds a public lender and edits it; a borrower sees the change', async ({ browser }) => {
  const admin = await signedInAdmin(browser);
  await admin.getByTestId('admin-nav').getByRole('link', { name: zh('admin.nav.lenders') }).click();
  await expect(admin).toHaveURL(/\/admin\/lenders$/);
  const name = `新公共机构 ${tag}`;
  const create = admin.getByTestId('lender-create-form');
  // A refusal keeps what was typed, ticks included.
  await fillLenderForm(admin, create, name);
  await create.locator('input[name="reviewWorkdays"]').fill('99');
  await submitButton(create).click();
  await expect(create.getByTestId('error-reviewWorkdays')).toHaveText(zh('errors.workdays_invalid'));
  await expect(create.locator('input[name="name"]')).toHaveValue(name);
  await expect(create.locator('input[name="program_instalments"]')).toBeChecked();
  await create.locator('input[name="reviewWorkdays"]').fill('8');
  await submitButton(create).click();
  await expect(formMessage(create)).toHaveText(zh('admin.lenders.created', { name }));

  // The directory's edit control, for admins, leads to the same form.
  await admin.goto(`/lenders?q=${encodeURIComponent(name)}`);
  await admin.getByTestId('lender-card').filter({ hasText: name }).getByTestId('lender-edit').click();
  await expect(admin).toHaveURL(/\/admin\/lenders\/\d+$/);
  const lenderId = Number(new URL(admin.url()).pathname.split('/').pop());
  const edit = admin.getByTestId('lender-edit-form');
  const renamed = `${name}（已更新）`;
  await edit.locator('input[name="name"]').fill(renamed);
  await edit.locator('input[name="hotline"]').fill('95123');
  await (await hydrated(edit.locator('textarea[name="appPathEn"]'))).fill('Search for 协商还款 in the app');
  await edit.locator('input[name="program_suspension"]').check();
  await submitButton(edit).click();
  await expect(formMessage(edit)).toHaveText(zh('admin.lenders.saved', { name: renamed }));

  const { page: reader } = await borrower(browser, `读目录 ${tag}`);
  await reader.goto(`/lenders?q=${encodeURIComponent(renamed)}`);
  const card = reader.getByTestId('lender-card').filter({ hasText: renamed });
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('lender-hotline')).toHaveText('95123');
  await expect(card).toContainText(zh('domain.program.suspension'));
  await expect(card.getByTestId('lender-edit')).toHaveCount(0);
  await setLocale(reader, 'en');
  await expect(reader.getByTestId('lender-card').filter({ hasText: renamed })).toContainText('Search for 协商还款 in the app');

  // Not for a borrower: every admin page and the edit form are "not found".
  for (const path of ['/admin', '/admin?q=a', '/admin/lenders', `/admin/lenders/${lenderId}`]) {
    const res = await reader.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(reader.getByTestId('not-found')).toBeVisible();
  }
  await admin.context().close();
  await reader.context().close();
});

test("an advisor suggests changes to the directory; an admin acts on them; the advisor sees the answer; a borrower cannot suggest", async ({ browser }) => {
  const advisorPage = await (await browser.newContext()).newPage();
  await signUp(advisorPage, { role: 'advisor', displayName: `目录顾问 ${tag}` });
  await advisorPage.goto('/lenders');
  const form = advisorPage.getByTestId('suggest-lender-form');
  // Nothing written: the suggestion is required.
  await submitButton(form).click();
  await expect(formMessage(form)).toBeVisible();
  await expect(advisorPage.getByTestId('my-suggestions')).toHaveCount(0);
  const listed = (await form.locator('select[name="lenderId"] option').nth(1).textContent())!.trim();
  await form.locator('select[name="lenderId"]').selectOption({ index: 1 });
  await form.locator('textarea[name="body"]').fill(`客服电话已改 ${tag}`);
  await submitButton(form).click();
  await expect(formMessage(form)).toHaveText(zh('lenders.suggest.sent'));
  await form.locator('textarea[name="body"]').fill(`请加上 新机构 ${tag}`);
  await submitButton(form).click();
  const mine = advisorPage.getByTestId('my-suggestion');
  await expect(mine.filter({ hasText: `客服电话已改 ${tag}` })).toContainText(listed);
  await expect(mine.filter({ hasText: `客服电话已改 ${tag}` })).toHaveAttribute('data-status', 'open');

  const admin = await signedInAdmin(browser);
  await admin.goto('/admin/lenders');
  const change = admin.getByTestId('lender-suggestion').filter({ hasText: `客服电话已改 ${tag}` });
  await expect(change).toContainText(listed);
  await expect(change).toContainText(`目录顾问 ${tag}`);
  await expect(change.getByTestId('suggestion-edit-lender')).toHaveAttribute('href', /\/admin\/lenders\/\d+$/);
  await submitButton(change.getByTestId('suggestion-done-form')).click();
  await expect(admin.getByTestId('lender-suggestion').filter({ hasText: `客服电话已改 ${tag}` })).toHaveCount(0);
  const missing = admin.getByTestId('lender-suggestion').filter({ hasText: `请加上 新机构 ${tag}` });
  await expect(missing).toContainText(zh('admin.lenders.suggestions.notListed'));
  await submitButton(missing.getByTestId('suggestion-dismiss-form')).click();
  await expect(admin.getByTestId('lender-suggestion').filter({ hasText: `请加上 新机构 ${tag}` })).toHaveCount(0);

  await setLocale(advisorPage, 'en');
  await advisorPage.goto('/lenders');
  await expect(advisorPage.getByTestId('my-suggestion').filter({ hasText: `客服电话已改 ${tag}` })).toHaveAttribute('data-status', 'done');
  await expect(advisorPage.getByTestId('my-suggestion').filter({ hasText: `客服电话已改 ${tag}` })).toContainText('done');
  await expect(advisorPage.getByTestId('my-suggestion').filter({ hasText: `请加上 新机构 ${tag}` })).toContainText('not taken up');

  // A borrower has no such form (they add a private lender).
  const { page: borrowerPage } = await borrower(browser, `借款人 ${tag}`);
  await borrowerPage.goto('/lenders');
  await expect(borrowerPage.getByTestId('suggest-lender-form')).toHaveCount(0);
});

test('an advisor gets "not found" for the console too', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, { role: 'advisor', displayName: `顾问 ${tag}` });
  for (const path of ['/admin', '/admin/lenders']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
  }
  await expect(page.getByTestId('nav-admin')).toHaveCount(0);
  await page.context().close();
});

test('the console at 390 px, in Chinese and English: nothing scrolls sideways', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const admin = adminAccount();
  await submitSignIn(page, admin.email, admin.password);
  await page.waitForURL((u) => u.pathname === '/admin');
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLocale(page, locale);
    const m = locale === 'en' ? en : zh;
    await page.goto('/admin');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(m('admin.accounts.title'));
    await expectNoHorizontalScroll(page, `/admin ${locale}`);
    await page.goto('/admin/lenders');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(m('admin.lenders.title'));
    await expectNoHorizontalScroll(page, `/admin/lenders ${locale}`);
    await page.getByTestId('edit-lender').first().click();
    await expect(page.getByTestId('lender-edit-form')).toBeVisible();
    await expectNoHorizontalScroll(page, `/admin/lenders/[id] ${locale}`);
  }
  // The admin's language is kept on the account: put it back for the other specs.
  await setLocale(page, 'zh-CN');
  await context.close();
});
