import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { createTranslator } from 'next-intl';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { lenderFingerprint } from '@/lib/lender-curation';
import { reminderTitle } from '@/lib/reminder-text';
import { DomainError, NotFoundError } from '@/lib/errors';
import {
  advanceCase,
  caseInput,
  contactInput,
  fileOf,
  makeAdmin,
  makeAdvisor,
  makeBorrower,
  makeCase,
  pdfBytes,
  pngBytes,
  snapshotCases,
  storedFiles,
  TEST_PASSWORD,
  reminderStampOf,
  versionOf,
} from '@/tests/factories';
import { archiveFileName, deleteAccount, exportAccountArchive, exportAccountData, exportFileName } from './account';
import { getCaseDetail } from './cases';
import { regenerateCalendarToken } from './calendar';
import { getDb } from './client';
import { suggestLenderChange } from './lender-suggestions';
import { addContact, recordPromiseOutcome } from './contacts';
import { addDocument, attachDocumentFile, deleteDocument, getDocumentFile } from './documents';
import { storedFilePath } from './files';
import { createPrivateLender, updatePrivateLender } from './lenders';
import { addCaseNote } from './notes';
import { createReminder, setReminderStatus, updateReminder } from './reminders';
import {
  accessLog,
  caseEvents,
  cases,
  documents,
  emailDeliveries,
  formSubmissions,
  lenders,
  reminders,
  sessions,
  shares,
  users,
} from './schema';
import { acceptInvite, createInvite, listAccessLog, listSharesForBorrower, revokeShare } from './shares';
import { changeEmail, systemRequestPasswordReset, verifyCredentials, verifyPasswordAgain, viewerForSession } from './users';
import type { Viewer } from './viewer-type';

const NOW = new Date('2025-06-02T04:00:00Z');

/** Marks in each borrower's data that must never appear in the other's export. */
type Borrower = {
  viewer: Viewer;
  caseIds: number[];
  approvedCase: number;
  docId: number;
  fileBytes: Buffer;
  fileName: string;
  product: string;
  reminderTitle: string;
  privateLenderId: number;
  inviteLabel: string;
};

async function makeBorrowerWithData(tag: string, advisor: Viewer): Promise<Borrower> {
  const viewer = makeBorrower({ displayName: `借款人${tag}` });
  const product = `产品-${tag}-${viewer.id}`;
  const privateLender = createPrivateLender(viewer, {
    name: `私有贷款方-${tag}`,
    kind: 'platform',
    products: [],
    hotline: '',
    appPath: '',
    reviewWorkdays: 5,
  });
  const approvedCase = makeCase(viewer, { product, principal: 1_234_56 });
  advanceCase(viewer, approvedCase, 'approved');
  const reviewCase = makeCase(viewer, { product: `${product}-2`, lenderId: privateLender.id });
  advanceCase(viewer, reviewCase, 'under_review');
  addContact(viewer, approvedCase, contactInput({ summary: `沟通-${tag}`, direction: 'incoming', theirNumber: '95555' }));
  const docId = addDocument(viewer, approvedCase, { kind: 'income_proof', note: `材料备注-${tag}` });
  const fileName = `收入证明 ${tag}/../a?.pdf`;
  const fileBytes = pdfBytes();
  await attachDocumentFile(viewer, approvedCase, docId, fileOf(fileBytes, fileName, 'application/pdf'));
  const reminderTitle = `提醒-${tag}`;
  createReminder(viewer, approvedCase, { title: reminderTitle, dueOn: '2025-07-01', dueTime: '09:30', note: '' });
  const inviteLabel = `邀请-${tag}`;
  const invite = createInvite(viewer, inviteLabel, NOW);
  acceptInvite(advisor, invite.code, NOW);
  createInvite(viewer, `${inviteLabel}-未接受`, NOW);
  getDb()
    .insert(emailDeliveries)
    .values({ userId: viewer.id, kind: 'digest', dedupeKey: `digest:${viewer.id}:test-${tag}`, reminderIds: [], status: 'pending' })
    .run();
  regenerateCalendarToken(viewer);
  return {
    viewer,
    caseIds: [approvedCase, reviewCase],
    approvedCase,
    docId,
    fileBytes,
    fileName,
    product,
    reminderTitle,
    privateLenderId: privateLender.id,
    inviteLabel,
  };
}

/** Two borrowers sharing with one advisor, who read, downloaded, noted and reminded on both. */
async function world() {
  const advisor = makeAdvisor({ displayName: '顾问甲' });
  const a = await makeBorrowerWithData('A', advisor);
  const b = await makeBorrowerWithData('B', advisor);
  for (const x of [a, b]) {
    getCaseDetail(advisor, x.approvedCase);
    getDocumentFile(advisor, x.docId);
    addCaseNote(advisor, x.approvedCase, `顾问的备注-${x.viewer.displayName}`);
    createReminder(advisor, x.approvedCase, { title: `顾问的提醒-${x.viewer.displayName}`, dueOn: '2025-07-02', dueTime: null, note: '' });
  }
  return { advisor, a, b };
}

function userRow(id: number) {
  return getDb().select().from(users).where(eq(users.id, id)).get();
}

/** Every row that refers to the user, in every table that has a column referring to users. */
function rowsReferring(userId: number) {
  const db = getDb();
  return {
    users: db.select().from(users).where(eq(users.id, userId)).all(),
    sessions: db.select().from(sessions).where(eq(sessions.userId, userId)).all(),
    formSubmissions: db.select().from(formSubmissions).where(eq(formSubmissions.userId, userId)).all(),
    cases: db.select().from(cases).where(eq(cases.ownerId, userId)).all(),
    lenders: db.select().from(lenders).where(eq(lenders.ownerId, userId)).all(),
    reminders: db
      .select()
      .from(reminders)
      .where(or(eq(reminders.ownerId, userId), eq(reminders.createdBy, userId)))
      .all(),
    caseEvents: db.select().from(caseEvents).where(eq(caseEvents.actorId, userId)).all(),
    emailDeliveries: db.select().from(emailDeliveries).where(eq(emailDeliveries.userId, userId)).all(),
    shares: db
      .select()
      .from(shares)
      .where(or(eq(shares.borrowerId, userId), eq(shares.advisorId, userId)))
      .all(),
    accessLog: db
      .select()
      .from(accessLog)
      .where(or(eq(accessLog.borrowerId, userId), eq(accessLog.advisorId, userId)))
      .all(),
  };
}

/** A borrower's data, to compare before and after something that must not touch it. */
function snapshotBorrower(x: Borrower) {
  const db = getDb();
  return {
    refs: rowsReferring(x.viewer.id),
    caseRows: snapshotCases(x.caseIds),
    files: db
      .select({ storedName: documents.storedName })
      .from(documents)
      .where(inArray(documents.caseId, x.caseIds))
      .all()
      .map((d) => (d.storedName ? readFileSync(storedFilePath(d.storedName)).toString('base64') : null)),
  };
}

function storedNamesOf(caseIds: number[]): string[] {
  return getDb()
    .select({ storedName: documents.storedName })
    .from(documents)
    .where(inArray(documents.caseId, caseIds))
    .all()
    .flatMap((d) => (d.storedName ? [d.storedName] : []));
}

async function failureOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

function expectDomain(e: unknown, code: string) {
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe(code);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return new Uint8Array(Buffer.concat(parts));
}

describe('exportAccountData', () => {
  it("holds exactly the borrower's own data, and nothing of another borrower's sharing the database", async () => {
    const { advisor, a, b } = await world();
    const { data, files } = exportAccountData(a.viewer, NOW);
    const json = JSON.stringify(data);
    const d = data as any;

    expect(d.account).toMatchObject({ id: a.viewer.id, email: a.viewer.email, displayName: a.viewer.displayName, role: 'borrower', language: 'zh-CN' });
    expect(d.cases.map((c: { id: number }) => c.id)).toEqual(a.caseIds);
    // Every part of the approved case is there.
    const approved = d.cases.find((c: { id: number }) => c.id === a.approvedCase);
    expect(approved.product).toBe(a.product);
    expect(approved.principal).toEqual({ fen: 1_234_56, yuan: '1234.56' });
    expect(approved.attempts).toHaveLength(1);
    expect(approved.attempts[0].agreed.monthly).toEqual({ fen: 33_333, yuan: '333.33' });
    expect(approved.plans).toHaveLength(1);
    expect(approved.plans[0].instalments.map((i: { seq: number }) => i.seq)).toEqual([1, 2, 3]);
    // A plan the lender cancelled, or one paid off at once, says when; this one stands.
    expect(approved.plans[0]).toMatchObject({ cancelledByTheLenderOn: null, paidOffAtOnceOn: null, owedWhenPaidOff: null });
    expect(approved.contacts.map((c: { summary: string }) => c.summary)).toEqual(['沟通-A']);
    expect(approved.contacts[0]).toMatchObject({ direction: 'incoming', theirNumber: '95555', agentId: '工号 8812' });
    expect(approved.documents).toHaveLength(1);
    expect(approved.documents[0].file).toMatchObject({ mimeType: 'application/pdf', sizeBytes: a.fileBytes.length });
    expect(approved.documents[0].file.inArchive).toBe(`files/${a.approvedCase}/${a.docId}-${archiveFileName(approved.documents[0].file.originalName)}`);
    // The advisor's note is in the timeline, marked as the advisor's.
    const note = approved.timeline.find((e: { kind: string }) => e.kind === 'note');
    expect(note.data.text).toBe(`顾问的备注-${a.viewer.displayName}`);
    expect(note.by).toEqual({ you: false, name: '顾问甲', role: 'advisor' });
    expect(approved.timeline.find((e: { kind: string }) => e.kind === 'case_created').by).toEqual({ you: true });
    expect(d.cases[1].lender).toEqual({ id: a.privateLenderId, name: '私有贷款方-A', private: true });
    // Instants in China Standard Time, labelled; dates as they are.
    expect(approved.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    expect(d.about.exportedAt).toBe('2025-06-02T12:00:00.000+08:00');
    expect(approved.overdueSince).toBe('2025-03-01');

    expect(d.reminders.map((r: { title: string | null }) => r.title)).toEqual(
      expect.arrayContaining([a.reminderTitle, `顾问的提醒-${a.viewer.displayName}`]),
    );
    expect(d.privateLenders.map((l: { id: number }) => l.id)).toEqual([a.privateLenderId]);
    expect(d.sharesYouGave.map((s: { label: string }) => s.label)).toEqual([a.inviteLabel, `${a.inviteLabel}-未接受`]);
    expect(d.sharesYouGave[0]).toMatchObject({ status: 'active', advisor: { name: '顾问甲', email: advisor.email } });
    expect(d.advisorAccessToYourData.map((l: { action: string }) => l.action)).toEqual(['view_case', 'download_document', 'add_note', 'add_reminder']);
    expect(d.mailToYou).toHaveLength(1);
    expect(d.asAdvisor).toBeUndefined();
    expect(files).toEqual([{ archivePath: approved.documents[0].file.inArchive, diskPath: expect.any(String), size: a.fileBytes.length }]);

    // Nothing of B's.
    for (const mark of [b.viewer.email, b.viewer.displayName, b.product, b.reminderTitle, b.inviteLabel, '沟通-B', '私有贷款方-B', '材料备注-B']) {
      expect(json, mark).not.toContain(mark);
    }
    const bIds = new Set(b.caseIds);
    expect(d.cases.some((c: { id: number }) => bIds.has(c.id))).toBe(false);
    expect(d.reminders.some((r: { caseId: number | null }) => r.caseId !== null && bIds.has(r.caseId))).toBe(false);
    expect(d.advisorAccessToYourData.some((l: { caseId: number | null }) => l.caseId !== null && bIds.has(l.caseId))).toBe(false);
  });

  it('says what the app says: a bank statement is sensitive, and a rule reminder reads as the inbox reads it, in both languages', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    addDocument(owner, caseId, { kind: 'bank_statement', note: '' });
    addDocument(owner, caseId, { kind: 'payslip', note: '' });
    advanceCase(owner, caseId, 'under_review');
    const translator = (locale: 'zh-CN' | 'en') =>
      createTranslator({ locale, messages: { reminders: JSON.parse(readFileSync(`messages/${locale}/reminders.json`, 'utf8')) }, namespace: 'reminders' });
    const [zh, en] = [translator('zh-CN'), translator('en')];
    const { data } = exportAccountData(owner, NOW, {
      reminderText: (r) => ({ 'zh-CN': reminderTitle(zh, r, 'zh-CN'), en: reminderTitle(en, r, 'en') }),
    });
    const d = data as any;
    expect(d.cases[0].documents.map((doc: { kind: string; sensitive: boolean }) => [doc.kind, doc.sensitive])).toEqual([
      ['bank_statement', true],
      ['payslip', false],
    ]);
    const followUp = d.reminders.find((r: { kind: string }) => r.kind === 'review_followup');
    expect(followUp.title).toBeNull();
    expect(followUp.text['zh-CN']).toMatch(/^查看.+第 1 轮申请的审核结果$/);
    expect(followUp.text.en).toMatch(/^Check the review result of round 1 with .+$/);

    // A private lender renamed since: the reminder names the lender as it is now, as the inbox does.
    const fields = { kind: 'platform' as const, products: [], hotline: '', appPath: '', reviewWorkdays: 5 };
    const mine = createPrivateLender(owner, { name: '某某小贷', ...fields });
    const other = makeCase(owner, { lenderId: mine.id });
    advanceCase(owner, other, 'under_review');
    updatePrivateLender(owner, mine.id, lenderFingerprint(mine), { name: '某某小额贷款公司', ...fields });
    const after = exportAccountData(owner, NOW, {
      reminderText: (r) => ({ 'zh-CN': reminderTitle(zh, r, 'zh-CN'), en: reminderTitle(en, r, 'en') }),
    }).data as any;
    expect(after.reminders.find((r: { kind: string; caseId: number }) => r.kind === 'review_followup' && r.caseId === other).text['zh-CN']).toBe(
      '查看某某小额贷款公司第 1 轮申请的审核结果',
    );
  });

  it("holds whether the lender kept each contact's promise, and the day: evidence for a complaint", () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const kept = addContact(owner, caseId, contactInput({ summary: '答应三天内回电', occurredAt: new Date('2025-04-02T02:30:00Z') }));
    const broken = addContact(owner, caseId, contactInput({ summary: '答应减免罚息', promise: '减免罚息', occurredAt: new Date('2025-04-03T02:30:00Z') }));
    const awaited = addContact(owner, caseId, contactInput({ summary: '答应寄材料', promise: '寄回执', occurredAt: new Date('2025-04-04T02:30:00Z') }));
    const none = addContact(owner, caseId, contactInput({ summary: '没有承诺', promise: '', promiseDue: null, occurredAt: new Date('2025-04-05T02:30:00Z') }));
    recordPromiseOutcome(owner, caseId, versionOf(caseId), kept, { outcome: 'kept', on: '2025-04-04' });
    recordPromiseOutcome(owner, caseId, versionOf(caseId), broken, { outcome: 'broken', on: '2025-04-10' });
    const d = exportAccountData(owner, NOW).data as any;
    const byId = new Map(d.cases[0].contacts.map((c: { id: number }) => [c.id, c]));
    expect(byId.get(kept)).toMatchObject({ promise: '三个工作日内回电', promiseOutcome: 'kept', promiseOutcomeOn: '2025-04-04' });
    expect(byId.get(broken)).toMatchObject({ promise: '减免罚息', promiseOutcome: 'broken', promiseOutcomeOn: '2025-04-10' });
    expect(byId.get(awaited)).toMatchObject({ promise: '寄回执', promiseOutcome: null, promiseOutcomeOn: null });
    expect(byId.get(none)).toMatchObject({ promiseOutcome: null, promiseOutcomeOn: null });
  });

  it('leaves out the password hash, sessions, the calendar token and invitation code hashes', async () => {
    const { a } = await world();
    const user = userRow(a.viewer.id)!;
    const json = JSON.stringify(exportAccountData(a.viewer, NOW).data);
    const secrets = [
      user.passwordHash,
      user.calendarToken!,
      ...getDb().select().from(sessions).where(eq(sessions.userId, a.viewer.id)).all().map((s) => s.id),
      ...getDb().select().from(shares).where(eq(shares.borrowerId, a.viewer.id)).all().map((s) => s.inviteCodeHash),
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/passwordHash|inviteCodeHash|calendarToken|argon2/);
  });

  it("gives an advisor their shares and what they wrote, and none of the clients' case data", async () => {
    const { advisor, a, b } = await world();
    suggestLenderChange(advisor, { lenderId: null, body: '请加上某某消费金融' });
    const { data, files } = exportAccountData(advisor, NOW);
    const d = data as any;
    const json = JSON.stringify(data);
    expect(d.account).toMatchObject({ id: advisor.id, role: 'advisor' });
    expect(d.cases).toEqual([]);
    expect(files).toEqual([]);
    expect(d.asAdvisor.sharesWithYou.map((s: { client: string; status: string }) => [s.client, s.status])).toEqual([
      [a.viewer.displayName, 'active'],
      [b.viewer.displayName, 'active'],
    ]);
    expect(d.asAdvisor.notesYouWrote.map((n: { caseId: number; text: string }) => [n.caseId, n.text])).toEqual([
      [a.approvedCase, `顾问的备注-${a.viewer.displayName}`],
      [b.approvedCase, `顾问的备注-${b.viewer.displayName}`],
    ]);
    expect(d.asAdvisor.remindersYouWroteForClients.map((r: { title: string }) => r.title)).toEqual([
      `顾问的提醒-${a.viewer.displayName}`,
      `顾问的提醒-${b.viewer.displayName}`,
    ]);
    expect(d.asAdvisor.yourAccessToClientsData).toHaveLength(8);
    expect(d.asAdvisor.suggestionsToTheLenderDirectory.map((x: { suggestion: string; status: string; lender: string | null }) => [x.suggestion, x.status, x.lender])).toEqual([
      ['请加上某某消费金融', 'open', null],
    ]);
    for (const mark of [a.product, b.product, a.reminderTitle, a.viewer.email, b.viewer.email, '沟通-A', a.inviteLabel]) {
      expect(json, mark).not.toContain(mark);
    }
  });

  it("leaves out the reminders an advisor wrote for a client once the client revoked the share: what the client did with them since is theirs", async () => {
    const { advisor, a, b } = await world();
    const written = (client: Viewer) =>
      getDb().select({ id: reminders.id }).from(reminders).where(and(eq(reminders.createdBy, advisor.id), eq(reminders.ownerId, client.id))).get()!.id;
    const share = listSharesForBorrower(b.viewer).find((s) => s.status === 'active')!;
    revokeShare(b.viewer, share.id);
    const id = written(b.viewer);
    updateReminder(b.viewer, id, { title: '我自己的标题', dueOn: '2025-07-03', dueTime: null, note: '我的私人备注：已和家人商量' }, reminderStampOf(id));
    setReminderStatus(b.viewer, id, 'done');
    const d = exportAccountData(advisor, NOW).data as any;
    expect(d.asAdvisor.remindersYouWroteForClients.map((r: { title: string }) => r.title)).toEqual([`顾问的提醒-${a.viewer.displayName}`]);
    const json = JSON.stringify(d);
    expect(json).not.toContain('我自己的标题');
    expect(json).not.toContain('我的私人备注');
    // The share itself stays in the advisor's record, as revoked.
    expect(d.asAdvisor.sharesWithYou.map((s: { client: string; status: string }) => [s.client, s.status])).toEqual([
      [a.viewer.displayName, 'active'],
      [b.viewer.displayName, 'revoked'],
    ]);
  });
});

describe('exportAccountArchive', () => {
  it('holds the files as they were when it began, though one is deleted while it downloads', async () => {
    const { a } = await world();
    const doc2 = addDocument(a.viewer, a.caseIds[1], { kind: 'payslip', note: '' });
    await attachDocumentFile(a.viewer, a.caseIds[1], doc2, fileOf(pngBytes(), '工资单.png', 'image/png'));
    const reader = exportAccountArchive(a.viewer, 'README', NOW).getReader();
    const first = await reader.read(); // the download has begun
    // Meanwhile, in another tab: both documents deleted, their files gone from the disk.
    deleteDocument(a.viewer, a.caseIds[1], doc2);
    deleteDocument(a.viewer, a.approvedCase, a.docId);
    const parts: Uint8Array[] = [first.value!];
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    const zip = unzipSync(new Uint8Array(Buffer.concat(parts)));
    const json = JSON.parse(strFromU8(zip['respite-export.json']));
    const inArchive = (caseId: number) => json.cases.find((c: { id: number }) => c.id === caseId).documents[0].file.inArchive as string;
    expect(Buffer.from(zip[inArchive(a.approvedCase)]).equals(a.fileBytes)).toBe(true);
    expect(Buffer.from(zip[inArchive(a.caseIds[1])]).equals(pngBytes())).toBe(true);
  });

  it('opens no file until it is read: an archive never read (a HEAD request\'s) leaves none open', async () => {
    const { a } = await world();
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    for (let i = 0; i < 5; i++) exportAccountArchive(a.viewer, 'README', NOW);
    expect(openFiles()).toBe(before);
    // Read, then stopped halfway: what it opened is closed.
    const reader = exportAccountArchive(a.viewer, 'README', NOW).getReader();
    await reader.read();
    await reader.cancel();
    expect(openFiles()).toBe(before);
  });

  it('streams a zip of the JSON, a README and the stored files, byte for byte', async () => {
    const { a } = await world();
    // A second file, with a name that needs sanitising, on the other case.
    const doc2 = addDocument(a.viewer, a.caseIds[1], { kind: 'bank_statement', note: '' });
    await attachDocumentFile(a.viewer, a.caseIds[1], doc2, fileOf(pngBytes(), '..\\流水:2025*.png', 'image/png'));

    const zip = unzipSync(await readAll(exportAccountArchive(a.viewer, 'README 说明', NOW)));
    const names = Object.keys(zip).sort();
    const json = JSON.parse(strFromU8(zip['respite-export.json']));
    expect(json).toEqual(JSON.parse(JSON.stringify(exportAccountData(a.viewer, NOW).data)));
    expect(strFromU8(zip['README.txt'])).toBe('README 说明');
    const approvedDoc = json.cases[0].documents[0].file.inArchive as string;
    const secondDoc = json.cases[1].documents[0].file.inArchive as string;
    expect(names).toEqual(['README.txt', approvedDoc, secondDoc, 'respite-export.json'].sort());
    expect(approvedDoc).toMatch(new RegExp(`^files/${a.approvedCase}/${a.docId}-`));
    expect(secondDoc).toBe(`files/${a.caseIds[1]}/${doc2}-_流水_2025_.png`);
    expect(Buffer.from(zip[approvedDoc]).equals(a.fileBytes)).toBe(true);
    expect(Buffer.from(zip[secondDoc]).equals(pngBytes())).toBe(true);
    for (const name of names) expect(name).not.toMatch(/(^|\/)\.\.(\/|$)|\\|^\//);
  });

  it('skips a file that is missing on disk, and says so in the JSON', async () => {
    const { a } = await world();
    rmSync(storedFilePath(storedNamesOf([a.approvedCase])[0]));
    const zip = unzipSync(await readAll(exportAccountArchive(a.viewer, 'r', NOW)));
    expect(Object.keys(zip).sort()).toEqual(['README.txt', 'respite-export.json']);
    const json = JSON.parse(strFromU8(zip['respite-export.json']));
    expect(json.cases[0].documents[0].file.inArchive).toBeNull();
  });

  it('dates every entry by the Shanghai wall clock, whatever the server\'s zone', async () => {
    const { a } = await world();
    // 2025-06-02 04:00 UTC is 12:00 in Shanghai. A zip entry's time has no zone (MS-DOS date and
    // time, two seconds apart), read here from the central directory.
    const bytes = Buffer.from(await readAll(exportAccountArchive(a.viewer, 'r', NOW)));
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    let at = bytes.readUInt32LE(end + 16);
    const stamps: string[] = [];
    for (let i = 0; i < bytes.readUInt16LE(end + 10); i++) {
      expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
      const time = bytes.readUInt16LE(at + 12);
      const date = bytes.readUInt16LE(at + 14);
      const pad = (n: number) => String(n).padStart(2, '0');
      stamps.push(`${(date >> 9) + 1980}-${pad((date >> 5) & 15)}-${pad(date & 31)} ${pad(time >> 11)}:${pad((time >> 5) & 63)}`);
      at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
    expect(stamps.length).toBe(3);
    expect(new Set(stamps)).toEqual(new Set(['2025-06-02 12:00']));
  });

  it('names the download by the day in Shanghai', () => {
    expect(exportFileName(new Date('2025-06-02T17:00:00Z'))).toBe('respite-export-2025-06-03.zip');
  });

  it('sanitises stored file names for the archive', () => {
    expect(archiveFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(archiveFileName('收入 证明（2025）.pdf')).toBe('收入 证明_2025_.pdf');
    expect(archiveFileName('...')).toBe('file');
    expect(archiveFileName(`${'长'.repeat(200)}.pdf`)).toBe(`${'长'.repeat(76)}.pdf`);
  });
});

describe('deleteAccount', () => {
  it('leaves nothing of the account readable in the database file or its write-ahead log', async () => {
    const owner = makeBorrower({ displayName: `删除后无痕-${Date.now()}` });
    // A new sign-in email waiting for its link (mailed through a transport that keeps it).
    const pending = `pending-${owner.id}-${Date.now()}@example.test`;
    const sink = createTransport({ streamTransport: true, buffer: true });
    await changeEmail(owner, { password: TEST_PASSWORD, email: pending }, { transport: sink, wait: true });
    const marks = [owner.email, owner.displayName, pending];
    const caseId = makeCase(owner, { product: `无痕产品-${owner.id}`, note: `无痕备注-${owner.id}` });
    addContact(owner, caseId, contactInput({ summary: `无痕通话-${owner.id}` }));
    marks.push(`无痕产品-${owner.id}`, `无痕备注-${owner.id}`, `无痕通话-${owner.id}`);
    // Wrong guesses at sign-in and at the password asked again: the limiter keeps counts keyed by the email.
    const address = `192.0.2.${owner.id % 250}`;
    expect(await verifyCredentials(owner.email, 'not-the-password', address)).toMatchObject({ ok: false, reason: 'invalid' });
    const user = getDb().select().from(users).where(eq(users.id, owner.id)).get()!;
    expect(user.pendingEmail).toBe(pending);
    // The owner's export says so.
    expect(exportAccountData(owner, NOW).data.account).toMatchObject({ email: owner.email, pendingEmail: pending });
    expectDomain(await failureOf(() => verifyPasswordAgain(user, 'not-the-password')), 'wrong_password');
    // A reset link asked for: counted under the address too.
    expect(await systemRequestPasswordReset(owner.email, address, { transport: sink, wait: true })).toBe('ok');
    // The new address tried at sign-in before its link was opened.
    expect(await verifyCredentials(pending, TEST_PASSWORD, address)).toMatchObject({ ok: false, reason: 'invalid' });
    const limitKeys = () =>
      getDb()
        .all<{ key: string }>(sql`select key from login_limits where instr(key, ${owner.email}) > 0 or instr(key, ${pending}) > 0 order by key`)
        .map((r) => r.key);
    expect(limitKeys()).toEqual([`acct:${owner.email}`, `acct:${pending}`, `again:${owner.email}`, `reset:${owner.email}`]);
    const file = process.env.DATABASE_PATH!;
    const bytes = () => Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    // Written, so in the file or its log now.
    for (const mark of marks) expect(bytes().includes(Buffer.from(mark)), mark).toBe(true);

    await deleteAccount(owner, { password: TEST_PASSWORD, confirmEmail: owner.email });
    for (const mark of marks) expect(bytes().includes(Buffer.from(mark)), mark).toBe(false);
    // No row keeps the email, the sign-in limiter's included; the count by address is nobody's account and stays.
    expect(limitKeys()).toEqual([]);
    expect(getDb().all(sql`select key from login_limits where key = ${`addr:${address}`}`)).toHaveLength(1);
  });


  it('with a wrong password or a wrong confirmation changes nothing', async () => {
    const { advisor, a, b } = await world();
    const before = [snapshotBorrower(a), snapshotBorrower(b), rowsReferring(advisor.id), storedFiles()];
    expectDomain(await failureOf(() => deleteAccount(a.viewer, { password: 'not-the-password', confirmEmail: a.viewer.email })), 'wrong_password');
    expectDomain(await failureOf(() => deleteAccount(a.viewer, { password: TEST_PASSWORD, confirmEmail: b.viewer.email })), 'confirm_mismatch');
    expectDomain(await failureOf(() => deleteAccount(a.viewer, { password: '', confirmEmail: a.viewer.email })), 'wrong_password');
    expect([snapshotBorrower(a), snapshotBorrower(b), rowsReferring(advisor.id), storedFiles()]).toEqual(before);
    expect(viewerForSession(a.viewer.sessionId)).not.toBeNull();
  });

  it("removes every row that referred to the borrower and their files; the advisor loses access at once; others' data is untouched", async () => {
    const { advisor, a, b } = await world();
    const aFiles = storedNamesOf(a.caseIds);
    expect(aFiles).toHaveLength(1);
    expect(existsSync(storedFilePath(aFiles[0]))).toBe(true);
    const bBefore = snapshotBorrower(b);
    const advisorUser = userRow(advisor.id);
    // The advisor can read A's case until the deletion.
    expect(getCaseDetail(advisor, a.approvedCase).case.id).toBe(a.approvedCase);

    // The confirmation is compared as an email: case and spaces do not matter.
    const result = await deleteAccount(a.viewer, { password: TEST_PASSWORD, confirmEmail: ` ${a.viewer.email.toUpperCase()} ` });
    expect(result).toEqual({ filesRemoved: 1, filesMissing: 0 });

    const refs = rowsReferring(a.viewer.id);
    for (const [table, rows] of Object.entries(refs)) expect(rows, table).toEqual([]);
    const caseRows = snapshotCases(a.caseIds);
    for (const [table, rows] of Object.entries(caseRows)) expect(rows, table).toEqual([]);
    expect(getDb().select().from(lenders).where(eq(lenders.id, a.privateLenderId)).all()).toEqual([]);
    expect(existsSync(storedFilePath(aFiles[0]))).toBe(false);
    // Pending mail to A is gone with the account: the outbox has nothing left to send them.
    expect(getDb().select().from(emailDeliveries).where(eq(emailDeliveries.userId, a.viewer.id)).all()).toEqual([]);
    // Signed out everywhere.
    expect(viewerForSession(a.viewer.sessionId)).toBeNull();

    // The advisor, on their very next request: not found.
    for (const caseId of a.caseIds) expect(await failureOf(() => getCaseDetail(advisor, caseId))).toBeInstanceOf(NotFoundError);
    expect(await failureOf(() => getDocumentFile(advisor, a.docId))).toBeInstanceOf(NotFoundError);

    // B and the advisor are as they were (B's access log gains nothing either).
    expect(snapshotBorrower(b)).toEqual(bBefore);
    expect(userRow(advisor.id)).toEqual(advisorUser);
    expect(getCaseDetail(advisor, b.approvedCase).case.id).toBe(b.approvedCase);
    expect(listSharesForBorrower(b.viewer).map((s) => s.status)).toEqual(['active', 'invited']);
  });

  it("deleting an advisor ends their access and keeps what they wrote on clients' cases, by a deleted author", async () => {
    const { advisor, a, b } = await world();
    const aShares = getDb().select().from(shares).where(eq(shares.borrowerId, a.viewer.id)).orderBy(asc(shares.id)).all();
    const noteBefore = getDb()
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, a.approvedCase), eq(caseEvents.kind, 'note')))
      .get()!;
    expect(noteBefore.actorId).toBe(advisor.id);
    const bFiles = snapshotBorrower(b).files;
    const logBefore = getDb().select().from(accessLog).where(eq(accessLog.borrowerId, a.viewer.id)).orderBy(asc(accessLog.id)).all();
    expect(logBefore.length).toBeGreaterThan(0);
    const advisorName = userRow(advisor.id)!.displayName;
    expect(logBefore.every((l) => l.advisorId === advisor.id && l.advisorName === advisorName)).toBe(true);

    await deleteAccount(advisor, { password: TEST_PASSWORD, confirmEmail: advisor.email });

    expect(userRow(advisor.id)).toBeUndefined();
    expect(viewerForSession(advisor.sessionId)).toBeNull();
    const refs = rowsReferring(advisor.id);
    for (const [table, rows] of Object.entries(refs)) expect(rows, table).toEqual([]);

    // The client's timeline keeps the note, its author now null and marked as a deleted advisor.
    const noteAfter = getDb().select().from(caseEvents).where(eq(caseEvents.id, noteBefore.id)).get()!;
    expect(noteAfter).toEqual({ ...noteBefore, actorId: null, data: { ...noteBefore.data, deletedActorRole: 'advisor' } });
    const detail = getCaseDetail(a.viewer, a.approvedCase);
    expect(detail.events.find((e) => e.id === noteBefore.id)).toMatchObject({ actorId: null, actorName: null });
    // The reminder the advisor made for the client is still the client's.
    const advisorsReminder = getDb()
      .select()
      .from(reminders)
      .where(and(eq(reminders.ownerId, a.viewer.id), eq(reminders.title, `顾问的提醒-${a.viewer.displayName}`)))
      .get();
    expect(advisorsReminder).toMatchObject({ status: 'open', createdBy: null });
    // The client keeps the share's record: revoked now, without the deleted advisor.
    const aSharesAfter = getDb().select().from(shares).where(eq(shares.borrowerId, a.viewer.id)).orderBy(asc(shares.id)).all();
    expect(aSharesAfter.map((s) => s.id)).toEqual(aShares.map((s) => s.id));
    const [wasActive, invited] = aSharesAfter;
    expect(wasActive).toMatchObject({ status: 'revoked', advisorId: null, label: a.inviteLabel, consentAt: aShares[0].consentAt, acceptedAt: aShares[0].acceptedAt });
    expect(wasActive.revokedAt).toBeInstanceOf(Date);
    expect(invited).toEqual(aShares[1]);
    // The client's access log keeps every line about the deleted advisor, under the name they had.
    const logAfter = getDb().select().from(accessLog).where(eq(accessLog.borrowerId, a.viewer.id)).orderBy(asc(accessLog.id)).all();
    expect(logAfter.length).toBeGreaterThan(0);
    expect(logAfter).toEqual(logBefore.map((l) => ({ ...l, advisorId: null })));
    expect(logAfter.every((l) => l.advisorName === advisorName)).toBe(true);
    expect(listAccessLog(a.viewer).every((l) => l.advisorDeleted && l.advisorName === advisorName)).toBe(true);
    // The clients' own data is otherwise untouched.
    expect(snapshotBorrower(b).files).toEqual(bFiles);
    expect(getDb().select().from(cases).where(inArray(cases.id, [...a.caseIds, ...b.caseIds])).all()).toHaveLength(4);
  });

  it('keeps going when a stored file is already gone', async () => {
    const { a } = await world();
    const [name] = storedNamesOf(a.caseIds);
    rmSync(storedFilePath(name));
    const result = await deleteAccount(a.viewer, { password: TEST_PASSWORD, confirmEmail: a.viewer.email });
    expect(result).toEqual({ filesRemoved: 0, filesMissing: 1 });
    expect(userRow(a.viewer.id)).toBeUndefined();
  });

  it('refuses the last admin, and lets an admin go when another remains', async () => {
    const admin = makeAdmin();
    const others = getDb()
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, admin.id)))
      .all()
      .map((u) => u.id);
    // Alone for a moment: the other test admins in this database are disabled, then restored.
    if (others.length > 0) getDb().update(users).set({ disabled: true }).where(inArray(users.id, others)).run();
    try {
      expectDomain(await failureOf(() => deleteAccount(admin, { password: TEST_PASSWORD, confirmEmail: admin.email })), 'last_admin');
      expect(userRow(admin.id)).toBeDefined();
      const second = makeAdmin();
      await deleteAccount(admin, { password: TEST_PASSWORD, confirmEmail: admin.email });
      expect(userRow(admin.id)).toBeUndefined();
      expectDomain(await failureOf(() => deleteAccount(second, { password: TEST_PASSWORD, confirmEmail: second.email })), 'last_admin');
    } finally {
      if (others.length > 0) getDb().update(users).set({ disabled: false }).where(inArray(users.id, others)).run();
    }
  });

  it('a case made from caseInput with a public lender leaves the directory alone', async () => {
    const borrower = makeBorrower();
    const lenderId = caseInput(borrower).lenderId;
    makeCase(borrower);
    await deleteAccount(borrower, { password: TEST_PASSWORD, confirmEmail: borrower.email });
    expect(getDb().select().from(lenders).where(eq(lenders.id, lenderId)).get()).toBeDefined();
  });
});
