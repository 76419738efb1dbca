import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DomainError, NotFoundError } from '@/lib/errors';
import { lenderFingerprint } from '@/lib/lender-curation';
import type { PublicLenderInput } from '@/lib/validation';
import { makeAdmin, makeAdvisor, makeBorrower, makeCase, TEST_PASSWORD } from '@/tests/factories';
import { ACCOUNTS_PAGE_SIZE, getMailHealth, listAccounts, setAccountDisabled, setAccountRole, unsafeUpsertAdmin } from './admin';
import { getDb } from './client';
import { createPrivateLender, createPublicLender, getLender, getPublicLender, listLenders, updatePublicLender } from './lenders';
import { cases, emailDeliveries, lenders, sessions, shares, users } from './schema';
import { acceptInvite, createInvite } from './shares';
import { createSession, verifyCredentials, viewerForSession } from './users';
import type { Viewer } from './viewer-type';

const userRow = (id: number) => getDb().select().from(users).where(eq(users.id, id)).get()!;
const liveSessions = (id: number) =>
  getDb()
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)))
    .all();

function failureOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectNotFound(fn: () => unknown) {
  const e = failureOf(fn);
  expect(e).toBeInstanceOf(NotFoundError);
  expect((e as Error).constructor).toBe(NotFoundError);
}

function expectDomain(fn: () => unknown, code: string) {
  const e = failureOf(fn);
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe(code);
}

/** Alone for a moment: every other active admin of this shared test database is disabled, then restored. */
function asOnlyAdmin(admin: Viewer, fn: () => void) {
  const others = getDb()
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, admin.id)))
    .all()
    .map((r) => r.id);
  if (others.length > 0) getDb().update(users).set({ disabled: true }).where(inArray(users.id, others)).run();
  try {
    fn();
  } finally {
    if (others.length > 0) getDb().update(users).set({ disabled: false }).where(inArray(users.id, others)).run();
  }
}

const allUsers = () => getDb().select().from(users).orderBy(asc(users.id)).all();

describe('who may use the console', () => {
  const nonAdmins: [string, () => Viewer][] = [
    ['a borrower', () => makeBorrower()],
    ['an advisor', () => makeAdvisor()],
  ];
  it.each(nonAdmins)('%s gets "not found" from every verb, and nothing changes', (_label, make) => {
    const viewer = make();
    const target = makeBorrower();
    const before = allUsers();
    expectNotFound(() => listAccounts(viewer));
    expectNotFound(() => setAccountDisabled(viewer, target.id, true));
    expectNotFound(() => setAccountRole(viewer, target.id, 'admin'));
    // Not even for oneself: a borrower cannot make themself an admin.
    expectNotFound(() => setAccountRole(viewer, viewer.id, 'admin'));
    expect(allUsers()).toEqual(before);
    expect(liveSessions(target.id)).toHaveLength(1);
  });

  it('an admin whose role or access was taken a moment ago cannot go on with the old session viewer', () => {
    const admin = makeAdmin();
    const other = makeAdmin();
    setAccountRole(other, admin.id, 'borrower');
    expectNotFound(() => listAccounts(admin));
    setAccountRole(other, admin.id, 'admin');
    setAccountDisabled(other, admin.id, true);
    expectNotFound(() => listAccounts(admin));
    expectNotFound(() => setAccountDisabled(admin, other.id, true));
  });

  it('an unknown account is "not found"', () => {
    const admin = makeAdmin();
    expectNotFound(() => setAccountDisabled(admin, 99_999_999, true));
    expectNotFound(() => setAccountRole(admin, 99_999_999, 'advisor'));
  });
});

describe('listAccounts', () => {
  it('shows the account fields only, newest first, and finds by e-mail or name, case-insensitively', () => {
    const admin = makeAdmin();
    const tag = `srch${Date.now().toString(36)}`;
    const a = makeBorrower({ email: `${tag}-one@example.test`, displayName: '张三' });
    const b = makeAdvisor({ email: `other-${Date.now()}@example.test`, displayName: `顾问 ${tag.toUpperCase()}` });
    makeBorrower();
    const found = listAccounts(admin, { q: tag.toUpperCase() });
    expect(found.rows.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(found.total).toBe(2);
    expect(Object.keys(found.rows[0]).sort()).toEqual(['createdAt', 'disabled', 'displayName', 'email', 'id', 'role']);
    expect(listAccounts(admin, { q: tag, role: 'advisor' }).rows.map((r) => r.id)).toEqual([b.id]);
    expect(listAccounts(admin, { q: '张三' }).rows.map((r) => r.id)).toContain(a.id);
  });

  it('finds an address typed with full-width characters (a Chinese IME): as it is stored', () => {
    const admin = makeAdmin();
    const tag = `fw${Date.now().toString(36)}`;
    const a = makeBorrower({ email: `${tag}@qq.com` });
    const wide = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(listAccounts(admin, { q: `${tag}＠qq` }).rows.map((r) => r.id)).toEqual([a.id]);
    expect(listAccounts(admin, { q: wide(`${tag}@QQ.com`) }).rows.map((r) => r.id)).toEqual([a.id]);
  });

  it('treats % and _ in the search as themselves', () => {
    const admin = makeAdmin();
    const plain = makeBorrower({ displayName: 'percent plain' });
    const odd = makeBorrower({ displayName: `100%_sure ${Date.now()}` });
    const hits = listAccounts(admin, { q: '100%_' }).rows.map((r) => r.id);
    expect(hits).toContain(odd.id);
    expect(hits).not.toContain(plain.id);
  });

  it(`pages in SQL, ${ACCOUNTS_PAGE_SIZE} a page: the pages cover the matches once each, and a page past the end is the last`, () => {
    const admin = makeAdmin();
    const tag = `page${Date.now().toString(36)}`;
    const made = Array.from({ length: ACCOUNTS_PAGE_SIZE + 7 }, (_, i) => makeBorrower({ displayName: `${tag} ${i}` }).id);
    const first = listAccounts(admin, { q: tag });
    expect(first).toMatchObject({ total: made.length, page: 1, pages: 2 });
    expect(first.rows).toHaveLength(ACCOUNTS_PAGE_SIZE);
    const second = listAccounts(admin, { q: tag, page: 2 });
    expect(second.rows).toHaveLength(7);
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual([...made].reverse());
    expect(listAccounts(admin, { q: tag, page: 99 }).page).toBe(2);
    expect(listAccounts(admin, { q: tag, page: -3 }).page).toBe(1);
  });

  it('reads the page through the primary key: no full sort of the users table', () => {
    const plan = getDb()
      .$client.prepare(`EXPLAIN QUERY PLAN SELECT id FROM users WHERE role = 'borrower' ORDER BY id DESC LIMIT 50 OFFSET 100`)
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
  });
});

describe('setAccountDisabled', () => {
  it('disables an account: every session of it ends at once, and it cannot sign in; enabling lets it sign in again', async () => {
    const admin = makeAdmin();
    const borrower = makeBorrower();
    const second = createSession(borrower.id);
    const bystander = makeBorrower();
    expect(liveSessions(borrower.id)).toHaveLength(2);
    const row = setAccountDisabled(admin, borrower.id, true);
    expect(row).toMatchObject({ id: borrower.id, disabled: true });
    expect(liveSessions(borrower.id)).toHaveLength(0);
    expect(viewerForSession(borrower.sessionId)).toBeNull();
    expect(viewerForSession(second)).toBeNull();
    expect(viewerForSession(bystander.sessionId)).not.toBeNull();
    expect(await verifyCredentials(borrower.email, TEST_PASSWORD, '203.0.113.77')).toEqual({ ok: false, reason: 'disabled' });

    expect(setAccountDisabled(admin, borrower.id, false)).toMatchObject({ disabled: false });
    expect(userRow(borrower.id).disabled).toBe(false);
    // The ended sessions stay ended; signing in works again.
    expect(viewerForSession(borrower.sessionId)).toBeNull();
    expect(await verifyCredentials(borrower.email, TEST_PASSWORD, '203.0.113.77')).toMatchObject({ ok: true });
  });

  it("leaves a borrower's cases and shares as they are", () => {
    const admin = makeAdmin();
    const borrower = makeBorrower();
    const caseId = makeCase(borrower);
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(borrower, '').code);
    const snapshot = () => ({
      cases: getDb().select().from(cases).where(eq(cases.ownerId, borrower.id)).all(),
      shares: getDb().select().from(shares).where(eq(shares.borrowerId, borrower.id)).all(),
    });
    const before = snapshot();
    expect(before.cases.map((c) => c.id)).toEqual([caseId]);
    expect(before.shares.map((s) => s.status)).toEqual(['active']);
    setAccountDisabled(admin, borrower.id, true);
    expect(snapshot()).toEqual(before);
    setAccountDisabled(admin, borrower.id, false);
    expect(snapshot()).toEqual(before);
  });

  it('refuses to disable oneself, and the last active admin; nothing changes', () => {
    const admin = makeAdmin();
    expectDomain(() => setAccountDisabled(admin, admin.id, true), 'admin_self_disable');
    expect(userRow(admin.id).disabled).toBe(false);
    expect(liveSessions(admin.id)).toHaveLength(1);
    // Another admin may disable an admin while another active one remains.
    const other = makeAdmin();
    setAccountDisabled(admin, other.id, true);
    expect(userRow(other.id).disabled).toBe(true);
    setAccountDisabled(admin, other.id, false);
  });
});

describe('setAccountRole', () => {
  it('changes the role of an account that holds nothing of a role: it holds from the next request', () => {
    const admin = makeAdmin();
    const fresh = makeBorrower();
    expect(setAccountRole(admin, fresh.id, 'advisor')).toMatchObject({ role: 'advisor' });
    expect(viewerForSession(fresh.sessionId)?.role).toBe('advisor');
    setAccountRole(admin, fresh.id, 'admin');
    expect(userRow(fresh.id).role).toBe('admin');
    setAccountRole(admin, fresh.id, 'borrower');
    expect(userRow(fresh.id).role).toBe('borrower');
    // The same role again is no change, and no refusal.
    expect(setAccountRole(admin, fresh.id, 'borrower')).toMatchObject({ role: 'borrower' });
  });

  it.each([
    ['a borrower with a case', () => { const b = makeBorrower(); makeCase(b); return b; }],
    ['a borrower with a pending invitation', () => { const b = makeBorrower(); createInvite(b, ''); return b; }],
    ['an advisor with a client', () => { const a = makeAdvisor(); acceptInvite(a, createInvite(makeBorrower(), '').code); return a; }],
    [
      'a borrower with a private lender',
      () => {
        const b = makeBorrower();
        listLenders(b);
        getDb().insert(lenders).values({ name: `私有 ${b.id}`, kind: 'platform', ownerId: b.id }).run();
        return b;
      },
    ],
  ] as [string, () => Viewer][])('refuses for %s (role_has_data), changing nothing', (_label, make) => {
    const admin = makeAdmin();
    const target = make();
    const before = userRow(target.id);
    for (const role of ['borrower', 'advisor', 'admin'] as const) {
      if (role === target.role) continue;
      expectDomain(() => setAccountRole(admin, target.id, role), 'role_has_data');
    }
    expect(userRow(target.id)).toEqual(before);
  });

  it('refuses to remove one\'s own admin role, and to demote the last active admin', () => {
    const admin = makeAdmin();
    expectDomain(() => setAccountRole(admin, admin.id, 'borrower'), 'admin_self_demote');
    expect(userRow(admin.id).role).toBe('admin');
    asOnlyAdmin(admin, () => {
      expectDomain(() => setAccountDisabled(admin, admin.id, true), 'admin_self_disable');
      expectDomain(() => setAccountRole(admin, admin.id, 'advisor'), 'admin_self_demote');
      expect(userRow(admin.id)).toMatchObject({ role: 'admin', disabled: false });
      // A second admin may demote the first only while another active admin remains.
      const second = makeAdmin();
      setAccountRole(second, admin.id, 'borrower');
      expect(userRow(admin.id).role).toBe('borrower');
      setAccountRole(second, admin.id, 'admin');
      setAccountDisabled(admin, second.id, true);
      // The second is now disabled: demoting them is fine (they are not an active admin), and
      // the first, alone again, cannot be demoted or disabled by anyone.
      expect(userRow(second.id).disabled).toBe(true);
    });
  });
});

const lenderInput = (overrides: Partial<PublicLenderInput> = {}): PublicLenderInput => ({
  name: `公共机构 ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
  kind: 'bank',
  products: ['信用卡'],
  hotline: '95555',
  appPath: '搜索“协商还款”',
  branch: '',
  complaint: '拨打 12378',
  appPathEn: 'Search for 协商还款',
  branchEn: '',
  complaintEn: '',
  reviewWorkdays: 7,
  programs: ['instalments'],
  documents: ['income_proof'],
  ...overrides,
});

describe('curating the public lender directory', () => {
  it('an admin adds a public lender that everyone sees, once for a double submit', () => {
    const admin = makeAdmin();
    const input = lenderInput();
    const lender = createPublicLender(admin, input, 'admin-lender-key-0001');
    expect(createPublicLender(admin, input, 'admin-lender-key-0001').id).toBe(lender.id);
    expect(lender).toMatchObject({
      ownerId: null,
      name: input.name,
      channels: { hotline: '95555', app: '搜索“协商还款”', complaint: '拨打 12378', en: { app: 'Search for 协商还款' } },
      programs: ['instalments'],
      documents: ['income_proof'],
      reviewWorkdays: 7,
    });
    expect(listLenders(makeBorrower()).some((l) => l.id === lender.id)).toBe(true);
    expectDomain(() => createPublicLender(admin, { ...input }), 'lender_name_taken');
    // Marked at the name field, where the form can show it.
    expect(failureOf(() => createPublicLender(admin, { ...input }))).toMatchObject({ detail: { field: 'name' } });
  });

  it("a form key saved for something else never echoes another row: a public lender, or not found", () => {
    // A borrower's form key saved for their private lender, replayed after they became an admin.
    const borrower = makeBorrower();
    const formKey = `key-${borrower.id}`;
    const mine = createPrivateLender(borrower, { name: `私有-${borrower.id}`, kind: 'platform', products: [], hotline: '', appPath: '', reviewWorkdays: 5 }, formKey);
    getDb().update(users).set({ role: 'admin' }).where(eq(users.id, borrower.id)).run();
    const before = getDb().select().from(lenders).all();
    expectNotFound(() => createPublicLender({ ...borrower, role: 'admin' }, lenderInput(), formKey));
    expect(getDb().select().from(lenders).all()).toEqual(before);
    expect(before.find((l) => l.id === mine.id)?.ownerId).toBe(borrower.id);
  });

  it('an admin updates a public lender; a stale form or a taken name changes nothing', () => {
    const admin = makeAdmin();
    const lender = createPublicLender(admin, lenderInput());
    const loaded = lenderFingerprint(lender);
    const updated = updatePublicLender(admin, lender.id, loaded, lenderInput({ name: `${lender.name} 新`, programs: [], documents: ['payslip'], appPathEn: '' }));
    expect(updated).toMatchObject({ name: `${lender.name} 新`, programs: [], documents: ['payslip'] });
    expect(updated.channels.en).toBeUndefined();
    // Another admin's form, loaded before that save:
    expectDomain(() => updatePublicLender(makeAdmin(), lender.id, loaded, lenderInput({ name: 'stale' })), 'lender_changed');
    // The refusal carries the lender as it is now: the same form, sent again with it, would be saved.
    expect((failureOf(() => updatePublicLender(makeAdmin(), lender.id, loaded, lenderInput({ name: 'stale' }))) as DomainError).detail.hidden).toEqual({ fingerprint: lenderFingerprint(updated) });
    const other = createPublicLender(admin, lenderInput());
    expectDomain(() => updatePublicLender(admin, lender.id, lenderFingerprint(updated), lenderInput({ name: other.name })), 'lender_name_taken');
    expect(getPublicLender(admin, lender.id)).toEqual(updated);
  });

  it('a private lender stays its owner\'s: "not found" to an admin, and unchanged', () => {
    const admin = makeAdmin();
    const owner = makeBorrower();
    const privateId = getDb().insert(lenders).values({ name: `私有 ${owner.id}`, kind: 'platform', ownerId: owner.id }).returning().get().id;
    const before = getLender(owner, privateId);
    expectNotFound(() => getPublicLender(admin, privateId));
    expectNotFound(() => updatePublicLender(admin, privateId, lenderFingerprint(before), lenderInput()));
    expect(getLender(owner, privateId)).toEqual(before);
  });

  it.each([
    ['a borrower', () => makeBorrower()],
    ['an advisor', () => makeAdvisor()],
  ] as [string, () => Viewer][])('%s gets "not found", and the directory is unchanged', (_label, make) => {
    const viewer = make();
    const lender = createPublicLender(makeAdmin(), lenderInput());
    const before = getDb().select().from(lenders).orderBy(asc(lenders.id)).all();
    expectNotFound(() => createPublicLender(viewer, lenderInput()));
    expectNotFound(() => getPublicLender(viewer, lender.id));
    expectNotFound(() => updatePublicLender(viewer, lender.id, lenderFingerprint(lender), lenderInput({ name: '改掉' })));
    expect(getDb().select().from(lenders).orderBy(asc(lenders.id)).all()).toEqual(before);
  });
});

describe('getMailHealth', () => {
  // A week of its own, years ahead: no other test's mail falls in it.
  const NOW = new Date('2031-03-10T02:00:00Z');
  const DAY = 24 * 60 * 60_000;
  const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY);

  it('counts the last week of the outbox and tells its newest failure, in words and as the stored line', () => {
    const admin = makeAdmin();
    const user = makeBorrower();
    const waitingBefore = getMailHealth(admin, NOW);
    let n = 0;
    const row = (values: Partial<typeof emailDeliveries.$inferInsert>) =>
      getDb()
        .insert(emailDeliveries)
        .values({ userId: user.id, kind: 'digest', dedupeKey: `health:${user.id}:${n++}`, reminderIds: [], ...values })
        .run();
    row({ status: 'sent', sentAt: at(1), createdAt: at(1) });
    row({ status: 'sent', sentAt: at(6), createdAt: at(6) });
    // Nothing was left to send (mail turned off meanwhile): not counted as sent.
    row({ status: 'sent', sentAt: null, createdAt: at(2) });
    // Older than the week: neither counted nor told.
    row({ status: 'sent', sentAt: at(9), createdAt: at(9) });
    row({ status: 'failed', attempts: 6, lastError: 'EAUTH Invalid login: 535 5.7.8 old', lockedUntil: at(8), createdAt: at(8) });
    row({ status: 'failed', attempts: 6, lastError: 'EENVELOPE Recipient rejected', lockedUntil: at(3), createdAt: at(3) });
    // Waiting: one never tried yet, one failed once and retried later (the newest failure).
    row({ status: 'pending', createdAt: at(0.01) });
    row({ status: 'pending', attempts: 1, lastError: 'ESOCKET connect ECONNREFUSED 127.0.0.1:25', lockedUntil: new Date(at(0.5).getTime() + 60_000), createdAt: at(0.5) });

    const health = getMailHealth(admin, NOW);
    expect(health).toMatchObject({ sent: 2, gaveUp: 1, waiting: waitingBefore.waiting + 2, retrying: waitingBefore.retrying + 1 });
    expect(health.lastFailure).toEqual({ at: at(0.5), reason: 'unreachable', error: 'ESOCKET connect ECONNREFUSED 127.0.0.1:25', willRetry: true });
    // A recipient refused: the reason is said, the address is not.
    row({
      status: 'failed',
      attempts: 6,
      lastError: "EENVELOPE: Can't send mail - all recipients were rejected: 550 5.1.1 <wang.xiaoming@example.test>: Recipient address rejected",
      lockedUntil: at(0.2),
      createdAt: at(0.2),
    });
    expect(getMailHealth(admin, NOW).lastFailure).toEqual({
      at: at(0.2),
      reason: 'recipient',
      error: "EENVELOPE: Can't send mail - all recipients were rejected: 550 5.1.1 <…@…>: Recipient address rejected",
      willRetry: false,
    });
    // A week later, the failures are out of the window: none told.
    expect(getMailHealth(admin, new Date(NOW.getTime() + 8 * DAY))).toMatchObject({ sent: 0, gaveUp: 0, lastFailure: null });
  });

  it('reads the week through its index, not the whole outbox', () => {
    const plan = (getDb().$client.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FILTER (WHERE status = 'failed') FROM email_deliveries WHERE created_at >= ?`).all(0) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX email_deliveries_created_idx/);
  });

  it.each([
    ['a borrower', () => makeBorrower()],
    ['an advisor', () => makeAdvisor()],
  ] as [string, () => Viewer][])('%s gets "not found"', (_label, make) => {
    expect(() => getMailHealth(make(), NOW)).toThrow(NotFoundError);
  });
});

describe('unsafeUpsertAdmin (npm run create-admin)', () => {
  const NEW_PASSWORD = 'a-new-long-admin-passphrase-2026';

  it('makes a new administrator, confirmed', async () => {
    const email = `new-admin-${Date.now()}@example.org`;
    const made = await unsafeUpsertAdmin(` ${email.toUpperCase()} `, NEW_PASSWORD, '管理员');
    expect(made).toMatchObject({ email, role: 'admin', disabled: false });
    expect(made.emailConfirmedAt).not.toBeNull();
  });

  it('gives an existing account a new password and ends its sessions: an operator taking back an account someone got into', async () => {
    const admin = makeAdmin();
    const session = createSession(admin.id);
    expect(viewerForSession(session)?.role).toBe('admin');
    await unsafeUpsertAdmin(admin.email, NEW_PASSWORD, 'x');
    expect(viewerForSession(session)).toBeNull();
    expect((await verifyCredentials(admin.email, NEW_PASSWORD, '127.0.0.1')).ok).toBe(true);
  });

  it('refuses a borrower with a case, or an advisor with a client, as the console does (role_has_data), changing nothing', async () => {
    const borrower = makeBorrower();
    makeCase(borrower);
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(makeBorrower(), '').code);
    for (const who of [borrower, advisor]) {
      const session = createSession(who.id);
      const before = userRow(who.id);
      await expect(unsafeUpsertAdmin(who.email, NEW_PASSWORD, 'x')).rejects.toMatchObject({ code: 'role_has_data' });
      expect(userRow(who.id)).toEqual(before);
      expect(viewerForSession(session)?.role).toBe(who.role);
    }
    // One with nothing of its own becomes an administrator.
    const empty = makeBorrower();
    expect((await unsafeUpsertAdmin(empty.email, NEW_PASSWORD, 'x')).role).toBe('admin');
  });
});
