/**
 * The advisor's dashboard through the production build: a borrower (whose name has a comma and
 * quotes in it) records two cases and invites an advisor; the advisor accepts and finds the
 * client in the figures and the table, filters, searches and sorts it, and downloads the CSV:
 * UTF-8 with a BOM, the rows exactly as the table shows them, Chinese intact. The borrower then
 * finds the export in the access log. Plus: the empty dashboard explains sharing; a borrower is
 * sent away from the dashboard and refused the export; a 360 px phone does not scroll sideways.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { openDatabase } from '../db/client';
import { generateInto } from '../db/generate';
import { systemSweepReminders } from '../db/reminders';
import { parseCsv } from '../lib/csv';
import {
  actionForm,
  addDays,
  createCase,
  DB_PATH,
  expectCaseStatus,
  expectNoHorizontalScroll,
  formatDate,
  setLocale,
  signUp,
  submitApplication,
  submitButton,
  submitSignIn,
  todayShanghai,
  zh,
} from './helpers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
type Catalogue = Record<string, Record<string, unknown>>;
const messages = (locale: 'zh-CN' | 'en', ns: string): Catalogue =>
  JSON.parse(readFileSync(`${ROOT}messages/${locale}/${ns}.json`, 'utf8')) as Catalogue;
const DASH = { 'zh-CN': messages('zh-CN', 'dashboard'), en: messages('en', 'dashboard') };
const DOMAIN = { 'zh-CN': messages('zh-CN', 'domain'), en: messages('en', 'domain') };
const csvHeader = (locale: 'zh-CN' | 'en') => {
  const c = DASH[locale].csv as Record<string, string>;
  return [c.client, c.lender, c.product, c.accountRef, c.status, c.total, c.nextDate, c.nextFor, c.lastActivity, c.owedSince];
};

const CLIENT = '张伟, "小张"';
const HUABEI = '花呗/借呗（重庆蚂蚁消费金融）';
const CCB = '建设银行 快贷';

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/**
 * A generated advisor (the generator's password) signed in with a script, then the dashboard
 * opened in a context without JavaScript, holding that session.
 */
async function dashboardWithoutScript(browser: Browser, advisorEmail: string): Promise<Page> {
  const signIn = await browser.newContext();
  const signInPage = await signIn.newPage();
  await submitSignIn(signInPage, advisorEmail, 'test-password-1');
  await expect(signInPage).toHaveURL(/\/dashboard/);
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signIn.storageState() });
  await signIn.close();
  const page = await context.newPage();
  await page.goto('/dashboard');
  return page;
}

/** The table as the page shows it, one array per row in the CSV's column order. */
async function tableRows(page: Page): Promise<string[][]> {
  const rows = page.getByTestId('cases-table').getByTestId('case-row');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const text = async (id: string) => ((await row.getByTestId(id).textContent()) ?? '').trim();
    // The money cell shows ¥1,234.56; the CSV has the plain number.
    const total = (await text('cell-total')).replace(/[¥,]/g, '');
    expect(Number((await row.getByTestId('cell-total').getAttribute('data-fen'))!) / 100).toBeCloseTo(Number(total), 2);
    out.push([
      await text('cell-client'),
      await text('cell-lender'),
      await text('cell-product'),
      (await row.getByTestId('cell-account').count()) ? await text('cell-account') : '',
      await text('cell-status'),
      total,
      (await row.getByTestId('cell-next').getAttribute('data-date')) ?? '',
      (await row.getByTestId('cell-next-for').count()) ? await text('cell-next-for') : '',
      (await row.getByTestId('cell-updated').getAttribute('data-date')) ?? '',
      // The plan-at-risk flag says since when; the CSV has that date, or nothing.
      (await row.getByTestId('at-risk').count()) ? ((await row.getByTestId('at-risk').getAttribute('data-since')) ?? '') : '',
    ]);
  }
  return out;
}

async function downloadCsv(page: Page): Promise<{ bytes: Buffer; name: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const path = await download.path();
  return { bytes: readFileSync(path!), name: download.suggestedFilename() };
}

async function applyFilters(page: Page, fill: (form: ReturnType<Page['getByTestId']>) => Promise<void>) {
  const form = page.getByTestId('case-filters');
  await fill(form);
  await form.getByTestId('filter-submit').click();
  await page.waitForLoadState('load');
}

test('an advisor sees a shared client on the dashboard, filters, sorts and exports the table as CSV', async ({ browser }) => {
  const today = todayShanghai();

  // --- the borrower: two cases and an invitation --------------------------------------------------
  const b = await newPage(browser);
  const borrower = await signUp(b, { displayName: CLIENT });
  const huabei = await createCase(b, { lender: HUABEI, product: '花呗, 分期', accountRef: '4471', principal: '12345.67', interest: '100', penalty: '0.50' });
  const ccb = await createCase(b, { lender: CCB, product: '快贷', principal: '5000' });
  await b.goto('/sharing');
  const inviteForm = b.getByTestId('invite-form');
  await inviteForm.locator('input[name="label"]').fill('李律师');
  await submitButton(inviteForm).click();
  const code = ((await b.getByTestId('invite-code').textContent()) ?? '').trim();
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  // --- the advisor: an empty dashboard first, then the client -------------------------------------
  const a = await newPage(browser);
  await signUp(a, { role: 'advisor', displayName: '李律师' });
  await a.goto('/dashboard');
  const empty = a.getByTestId('dashboard-empty');
  await expect(empty).toContainText(DASH['zh-CN'].empty.how as string);
  // Nobody has stopped sharing with a new advisor: "no clients yet", and no such notice.
  await expect(empty.getByRole('heading', { level: 2 })).toHaveText((DASH['zh-CN'].empty as Record<string, string>).title!);
  await expect(a.getByTestId('dashboard-ended')).toHaveCount(0);
  await expect(a.getByTestId('cases-table')).toHaveCount(0);

  await a.goto(`/share/accept?code=${code}`);
  await submitButton(a.getByTestId('accept-form')).click();
  await a.waitForURL(/\/dashboard\?accepted=1$/);
  // The dashboard says the invitation was accepted.
  await expect(a.getByTestId('dashboard-accepted')).toHaveText(zh('dashboard.accepted'));

  await expect(a.getByTestId('figure-clients')).toHaveText('1');
  await expect(a.getByTestId('figure-open-cases')).toHaveText('2');
  // 12,345.67 + 100 + 0.50 and 5,000: both still being negotiated.
  await expect(a.getByTestId('figure-under-negotiation')).toHaveText('¥17,446.17');
  await expect(a.getByTestId('figure-approved-month')).toHaveText('0');
  await expect(a.getByTestId('attention-none')).toBeVisible();
  await expect(a.getByTestId('client-link')).toHaveText([new RegExp(CLIENT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))]);
  await expect(a.getByTestId('status-count').and(a.locator('[data-status="preparing"]'))).toHaveAttribute('data-count', '2');
  // On paper the charts (never loaded by a printout) give way to their tables of the same numbers.
  // (On the screen the table is for screen readers: taken out of the flow and clipped to nothing.)
  const statusTable = a.getByTestId('chart-status').locator('table');
  await expect(statusTable).toHaveCSS('position', 'absolute');
  await expect(a.getByTestId('chart-placeholder').first()).toBeVisible();
  await a.emulateMedia({ media: 'print' });
  await expect(a.getByTestId('chart-placeholder').first()).not.toBeVisible();
  await expect(statusTable).toHaveCSS('position', 'static');
  await expect(a.getByTestId('status-count').and(a.locator('[data-status="preparing"]'))).toHaveText(`${zh('domain.status.preparing')}2`);
  await a.emulateMedia({ media: 'screen' });

  const table = a.getByTestId('cases-table');
  await expect(table.getByTestId('case-row')).toHaveCount(2);
  await expect(a.getByTestId('cases-count')).toHaveAttribute('data-total', '2');
  await expect(table.getByTestId('cell-client').first()).toHaveText(CLIENT);

  // --- filters, search, sort --------------------------------------------------------------------
  await applyFilters(a, async (form) => {
    await form.getByTestId('filter-lender').selectOption({ label: CCB });
  });
  await expect(a).toHaveURL(/lender=\d+/);
  await expect(table.getByTestId('case-row')).toHaveCount(1);
  await expect(table.getByTestId('case-row')).toHaveAttribute('data-case-id', String(ccb));

  await a.getByTestId('filter-clear').click();
  await expect(table.getByTestId('case-row')).toHaveCount(2);

  await applyFilters(a, async (form) => {
    await form.getByTestId('filter-q').fill('分期');
  });
  await expect(table.getByTestId('case-row')).toHaveCount(1);
  await expect(table.getByTestId('case-row')).toHaveAttribute('data-case-id', String(huabei));
  await a.getByTestId('filter-clear').click();

  // Two fresh cases: nothing needs attention yet.
  await applyFilters(a, async (form) => {
    await form.getByTestId('filter-attention').check();
  });
  await expect(a.getByTestId('cases-none')).toHaveText(DASH['zh-CN'].table.none as string);
  await a.getByTestId('filter-clear').click();

  // The client's name sets the client filter.
  await a.getByTestId('client-link').first().click();
  await expect(a).toHaveURL(/client=\d+/);
  await expect(table.getByTestId('case-row')).toHaveCount(2);

  await a.getByTestId('sort-total').click();
  await expect(a).toHaveURL(/sort=total&dir=desc/);
  await expect(table.getByTestId('case-row').first()).toHaveAttribute('data-case-id', String(huabei));
  await a.getByTestId('sort-total').click();
  await expect(a).toHaveURL(/sort=total&dir=asc/);
  await expect(table.getByTestId('case-row').first()).toHaveAttribute('data-case-id', String(ccb));
  await expect(a.getByTestId('sort-total').locator('..')).toHaveAttribute('aria-sort', 'ascending');

  // --- the CSV: the rows shown, in the order shown ---------------------------------------------------
  const shown = await tableRows(a);
  expect(shown).toEqual([
    [CLIENT, CCB, '快贷', '', DOMAIN['zh-CN'].status.preparing as string, '5000.00', '', '', today, ''],
    [CLIENT, HUABEI, '花呗, 分期', '尾号 4471', DOMAIN['zh-CN'].status.preparing as string, '12446.17', '', '', today, ''],
  ]);
  const { bytes, name } = await downloadCsv(a);
  expect(name).toBe(`respite-cases-${today}.csv`);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  // Quoted as RFC 4180 says: the comma and the quotes in the name, the comma in the product.
  expect(text).toContain('"张伟, ""小张"""');
  expect(text).toContain('"花呗, 分期"');
  const [header, ...records] = parseCsv(text);
  expect(header).toEqual(csvHeader('zh-CN'));
  expect(records).toEqual(shown);

  const response = await a.request.get('/dashboard/export?sort=client');
  expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(response.headers()['content-disposition']).toBe(`attachment; filename="respite-cases-${today}.csv"`);

  // In English: English headings and statuses, the same rows.
  await setLocale(a, 'en');
  await expect(a.getByTestId('cases-table')).toBeVisible();
  const english = parseCsv((await downloadCsv(a)).bytes.toString('utf8'));
  expect(english[0]).toEqual(csvHeader('en'));
  expect(english.slice(1)).toEqual(await tableRows(a));
  expect(english[1][4]).toBe(DOMAIN.en.status.preparing);
  await setLocale(a, 'zh-CN');

  // --- the advisor's settings: no calendar feed, which would hold nothing of theirs ------------------------
  await a.goto('/settings');
  await expect(a.getByTestId('email-section')).toBeVisible();
  await expect(a.getByTestId('calendar-section')).toHaveCount(0);

  // --- a phone ----------------------------------------------------------------------------------
  await a.setViewportSize({ width: 360, height: 800 });
  await a.goto('/dashboard');
  await expect(a.getByTestId('case-row')).toHaveCount(2);
  await expectNoHorizontalScroll(a, '/dashboard at 360 px');

  // --- a materials deadline gone by: said so, not "due soon" --------------------------------------------
  await b.goto(`/cases/${ccb}`);
  await submitApplication(b, addDays(today, -20));
  const ask = await actionForm(b, 'request_materials', 'form-request-materials');
  await ask.locator('textarea[name="what"]').fill('近三个月银行流水');
  await ask.locator('input[name="requestedOn"]').fill(addDays(today, -10));
  await ask.locator('input[name="deadline"]').fill(addDays(today, -3));
  await submitButton(ask).click();
  await expectCaseStatus(b, 'materials_requested');
  await a.setViewportSize({ width: 1280, height: 900 });
  await a.goto('/dashboard');
  const lapsed = a.locator(`[data-testid="attention-item"][data-case-id="${ccb}"][data-kind="materials_deadline"]`);
  await expect(lapsed).toHaveAttribute('data-label', 'materials_deadline_passed');
  await expect(lapsed.getByTestId('attention-kind')).toHaveText(zh('dashboard.attention.kind.materials_deadline_passed'));
  await expect(lapsed.getByTestId('attention-lender')).toHaveText(CCB);
  await expect(lapsed).toContainText(zh('dashboard.attention.detail.materials_deadline_passed', { count: 1, date: formatDate(addDays(today, -3), 'zh-CN') }));

  // --- the borrower sees the export, and cannot use the dashboard -----------------------------------
  await b.goto('/sharing');
  // Said in words: how many of the borrower's cases went into the CSV.
  await expect(b.getByTestId('access-log').locator('[data-testid="access-row"][data-action="export"]').first()).toContainText(
    zh('sharing.log.exportedCases', { count: 2 }),
  );
  await b.goto('/dashboard');
  await expect(b).not.toHaveURL(/\/dashboard/);
  const refused = await b.request.get('/dashboard/export');
  expect(refused.status()).toBe(404);
  expect(await refused.text()).not.toContain(borrower.displayName);
});

/**
 * Issue 6: an advisor with 200 clients (a small generated dataset). The first screen carries the
 * first clients and the first 10 rows; the rest comes through links (no script needed): every
 * client, other page sizes, the pager. The client filter is the search box and the clients'
 * names past 50 clients, not a 200-option list.
 */
test('a busy advisor’s dashboard sends a first screen, and the rest through links that work without JavaScript', async ({ browser }) => {
  test.setTimeout(120_000);
  const domain = `dash-${randomBytes(4).toString('hex')}.test`;
  const db = openDatabase(DB_PATH);
  let advisorEmail: string;
  try {
    advisorEmail = generateInto(db, { seed: 13, size: 'small', emailDomain: domain }).busiestAdvisorEmail;
    // What the server's per-minute sweep would open for these rows (missed instalments, stalled
    // cases), opened now: landing between two pages below, it would move rows from one to the other.
    while (systemSweepReminders(new Date(), undefined, db).more);
  } finally {
    db.$client.close();
  }
  // From here on without JavaScript: every link and the filter form are plain HTML.
  const page = await dashboardWithoutScript(browser, advisorEmail);
  const context = page.context();

  const clientCount = Number(await page.getByTestId('figure-clients').textContent());
  expect(clientCount).toBeGreaterThan(50);
  await expect(page.getByTestId('client-link')).toHaveCount(12);
  await expect(page.getByTestId('filter-client')).toHaveCount(0);
  await expect(page.getByTestId('filter-client-hint')).toBeVisible();

  // Every client, on request.
  await page.getByTestId('clients-all').click();
  await expect(page).toHaveURL(/clients=all/);
  await expect(page.getByTestId('client-link')).toHaveCount(clientCount);
  await page.getByTestId('clients-fewer').click();
  await expect(page.getByTestId('client-link')).toHaveCount(12);

  // The attention list: ten lines a page, with a pager of its own that follows on without repeating;
  // its cases are the table's "needs attention" ones, one row each.
  const attention = page.getByTestId('attention');
  const lines = () => attention.getByTestId('attention-item').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}:${e.getAttribute('data-case-id')}`));
  await expect(attention.getByTestId('attention-item')).toHaveCount(10);
  const items = Number(await attention.getByTestId('attention-range').getAttribute('data-total'));
  expect(items).toBeGreaterThan(20);
  await expect(attention.getByTestId('attention-range')).toHaveText(zh('dashboard.attention.range', { from: 1, to: 10, total: items }));
  await expect(attention.getByTestId('attention-prev')).toHaveCount(0);
  const page1 = await lines();
  await attention.getByTestId('attention-next').click();
  await expect(page).toHaveURL(/ap=2/);
  await expect(attention.getByTestId('attention-range')).toHaveText(zh('dashboard.attention.range', { from: 11, to: 20, total: items }));
  const page2 = await lines();
  expect(page2).toHaveLength(10);
  expect(page2.some((l) => page1.includes(l))).toBe(false);
  await attention.getByTestId('attention-prev').click();
  await expect(page).not.toHaveURL(/ap=/);
  expect(await lines()).toEqual(page1);
  const cases = Number(await attention.getByTestId('attention-see-all').getAttribute('data-cases'));
  await attention.getByTestId('attention-see-all').click();
  await expect(page).toHaveURL(/attention=1/);
  await expect(page.getByTestId('cases-count')).toHaveAttribute('data-total', String(cases));
  await page.goto('/dashboard');

  // The first page: 10 rows, in the same order as the first 10 of a 25-row page.
  const table = page.getByTestId('cases-table');
  const total = Number(await page.getByTestId('cases-count').getAttribute('data-total'));
  expect(total).toBeGreaterThan(25);
  await expect(table.getByTestId('case-row')).toHaveCount(10);
  const ids = async () => table.getByTestId('case-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
  const first10 = await ids();
  await expect(page.getByTestId('page-size-current')).toHaveText('10');
  await page.getByTestId('page-size-25').click();
  await expect(page).toHaveURL(/per=25/);
  await expect(table.getByTestId('case-row')).toHaveCount(25);
  const first25 = await ids();
  expect(first25.slice(0, 10)).toEqual(first10);
  await expect(page.getByTestId('pager-page')).toContainText(String(Math.ceil(total / 25)));

  // The pager keeps the page size; the next page follows on.
  await page.getByTestId('pager-next').click();
  await expect(page).toHaveURL(/per=25/);
  await expect(page).toHaveURL(/page=2/);
  const second = await ids();
  expect(second.some((id) => first25.includes(id))).toBe(false);

  // A filter keeps the page size (a hidden field) and starts again at page 1.
  await page.getByTestId('case-filters').getByTestId('filter-attention').check();
  await page.getByTestId('case-filters').getByTestId('filter-submit').click();
  await expect(page).toHaveURL(/attention=1/);
  await expect(page).toHaveURL(/per=25/);
  await expect(page).not.toHaveURL(/page=2/);
  const flagged = await table.getByTestId('case-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-attention')));
  expect(flagged.length).toBeGreaterThan(0);
  expect(flagged.every((f) => f === '1')).toBe(true);

  // A client's name sets the filter, which the form shows and keeps; "all clients" removes it.
  await page.goto('/dashboard');
  const link = page.getByTestId('client-link').first();
  const clientId = await link.getAttribute('data-client-id');
  const clientName = ((await link.locator('span').first().textContent()) ?? '').trim();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`client=${clientId}`));
  await expect(page.getByTestId('filter-client-chosen')).toContainText(clientName);
  const rows = await table.getByTestId('cell-client').allTextContents();
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((r) => r.trim()))).toEqual(new Set([clientName]));
  await page.getByTestId('case-filters').getByTestId('filter-submit').click();
  await expect(page).toHaveURL(new RegExp(`client=${clientId}`));
  await page.getByTestId('filter-client-remove').click();
  await expect(page).not.toHaveURL(/client=/);
  expect(Number(await page.getByTestId('cases-count').getAttribute('data-total'))).toBe(total);

  // The export takes the filters, not the page size or the clients view.
  await page.goto('/dashboard?per=25&clients=all&status=repaying');
  expect(await page.getByTestId('export-csv').getAttribute('href')).toBe('/dashboard/export?status=repaying');

  // Plans with an instalment past its date and still owed carry the flag, and the CSV says since when.
  await page.goto('/dashboard?per=100&status=repaying&sort=client');
  const shown = await tableRows(page);
  const flaggedPlans = shown.filter((r) => r[8] !== '');
  expect(flaggedPlans.length).toBeGreaterThan(0);
  expect(flaggedPlans.every((r) => r[8]! < todayShanghai())).toBe(true);
  // Each plan's next date says what it is for, in the table and in the CSV: a repayment, unless a reminder comes first.
  expect(shown.filter((r) => r[7] === (DOMAIN['zh-CN'].nextFor as Record<string, string>).instalment).length).toBeGreaterThan(0);
  const [, ...records] = parseCsv(await (await page.request.get('/dashboard/export?status=repaying&sort=client')).text());
  expect(records.slice(0, shown.length)).toEqual(shown);
  await context.close();
});

/**
 * Clients who stopped sharing in the last 30 days are named on the dashboard: five at once, the rest
 * behind one line (a <details>, no script needed). A small generated dataset's least busy advisor, with
 * seven more clients who stopped sharing written straight into the database, hours apart.
 */
test('an advisor is told who stopped sharing lately: five named, the rest behind one line', async ({ browser }) => {
  test.setTimeout(120_000);
  const domain = `ended-${randomBytes(4).toString('hex')}.test`;
  const db = openDatabase(DB_PATH);
  let advisorEmail: string;
  let expected: { name: string; endedAt: number }[];
  try {
    generateInto(db, { seed: 17, size: 'small', emailDomain: domain });
    const c = db.$client;
    // The advisor with the fewest clients: the borrowers they never had are many.
    const advisor = c
      .prepare(
        `SELECT u.id AS id, u.email AS email FROM users u JOIN shares s ON s.advisor_id = u.id AND s.status = 'active'
          WHERE u.email LIKE ? AND u.role = 'advisor' GROUP BY u.id ORDER BY count(*), u.id LIMIT 1`,
      )
      .get(`%@${domain}`) as { id: number; email: string };
    advisorEmail = advisor.email;
    c.prepare(`UPDATE users SET locale = 'zh-CN' WHERE id = ?`).run(advisor.id);
    const others = c
      .prepare(
        `SELECT id FROM users WHERE email LIKE ? AND role = 'borrower'
           AND id NOT IN (SELECT borrower_id FROM shares WHERE advisor_id = ?) ORDER BY id LIMIT 7`,
      )
      .all(`%@${domain}`, advisor.id) as { id: number }[];
    expect(others).toHaveLength(7);
    const now = Date.now();
    others.forEach((b, i) => {
      const revokedAt = now - (i + 1) * 3_600_000;
      c.prepare(
        `INSERT INTO shares (borrower_id, advisor_id, status, invite_code_hash, invite_expires_at, label, consent_at, accepted_at, revoked_at, created_at)
         VALUES (?, ?, 'revoked', ?, ?, '', ?, ?, ?, ?)`,
      ).run(b.id, advisor.id, `ended-${domain}-${i}`, now, now - 10 * 86_400_000, now - 10 * 86_400_000, revokedAt, now - 10 * 86_400_000);
    });
    // What the dashboard must name: every client of the advisor whose share ended in the last 30 days
    // and who does not share again (the generator's too), latest first.
    expected = c
      .prepare(
        `SELECT u.display_name AS name, max(s.revoked_at) AS endedAt FROM shares s JOIN users u ON u.id = s.borrower_id
          WHERE s.advisor_id = ? AND s.status = 'revoked' AND s.revoked_at > ?
            AND s.borrower_id NOT IN (SELECT borrower_id FROM shares WHERE advisor_id = ? AND status = 'active')
          GROUP BY s.borrower_id ORDER BY endedAt DESC`,
      )
      .all(advisor.id, now - 30 * 86_400_000, advisor.id) as { name: string; endedAt: number }[];
  } finally {
    db.$client.close();
  }
  expect(expected.length).toBeGreaterThanOrEqual(7);

  const page = await dashboardWithoutScript(browser, advisorEmail);
  const context = page.context();

  const ended = page.getByTestId('dashboard-ended');
  await expect(ended.getByRole('heading', { level: 2 })).toHaveText(zh('dashboard.ended.title', { days: 30 }));
  const items = ended.getByTestId('ended-share');
  await expect(items).toHaveCount(expected.length);
  // Five shown, latest first; the rest folded behind "另有 N 位".
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    await expect(items.nth(i)).toHaveText(zh('dashboard.ended.item', { name: e.name, date: formatDate(todayShanghai(new Date(e.endedAt)), 'zh-CN') }));
    if (i < 5) await expect(items.nth(i)).toBeVisible();
    else await expect(items.nth(i)).toBeHidden();
  }
  const more = ended.locator('summary');
  await expect(more).toHaveText(zh('dashboard.ended.more', { count: expected.length - 5 }));
  await more.click();
  for (let i = 5; i < expected.length; i++) await expect(items.nth(i)).toBeVisible();
  await expectNoHorizontalScroll(page, 'the dashboard with clients who stopped sharing');
  await context.close();
});
