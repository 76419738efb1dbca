import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '@/lib/errors';
import {
  advanceCase,
  approveInput,
  caseInput,
  caseRow,
  contactInput,
  fileOf,
  makeAdmin,
  makeAdvisor,
  makeBorrower,
  makeCase,
  materialsInput,
  pngBytes,
  snapshotCases,
  storedFiles,
  submitInput,
  versionOf,
  rejectInput,
  escalateInput,
} from '@/tests/factories';
import * as attemptsModule from './attempts';
import * as casesModule from './cases';
import { getDb } from './client';
import * as contactsModule from './contacts';
import * as documentsModule from './documents';
import * as lendersModule from './lenders';
import * as plansModule from './plans';
import * as remindersModule from './reminders';
import { cases, lenders, reminders } from './schema';
import type { Viewer } from './viewer-type';

const { approveAttempt, closeEscalation, escalateCase, rejectAttempt, requestMaterials, sendMaterials, submitAttempt, withdrawCase } =
  attemptsModule;
const { createCase, deleteCase, getCase, getCaseDetail, listCasesForBorrower, setCaseArchived, updateCase } = casesModule;
const { addContact, deleteContact } = contactsModule;
const {
  addDocument,
  addSuggestedDocuments,
  attachDocumentFile,
  deleteDocument,
  getDocumentFile,
  setDocumentStatus,
  suggestChecklist,
} = documentsModule;
const { createPrivateLender, getLender, listLenders } = lendersModule;
const { markInstalmentPaid } = plansModule;
const { countDueReminders, createReminder, listCaseReminders, listOpenReminders, setReminderStatus, snoozeReminder, updateReminder } =
  remindersModule;

/**
 * A borrower's whole world: a case with every kind of row recorded on it (attempt, material
 * request, documents with a stored file, contacts, a plan with instalments, events), and one case
 * in each status a verb needs, so that every verb below would succeed for the owner.
 */
type World = {
  owner: Viewer;
  /** approved, with a plan; carries the documents, contacts and material request */
  main: number;
  preparing: number;
  underReview: number;
  materialsRequested: number;
  rejected: number;
  escalated: number;
  privateLenderId: number;
  contactId: number;
  docWithFile: number;
  docNeeded: number;
  instalmentId: number;
  /** the owner's own reminder on the main case */
  customReminderId: number;
  /** the chase of the main case's contact's promise (a rule reminder) */
  ruleReminderId: number;
  caseIds: number[];
};

async function buildWorld(owner: Viewer): Promise<World> {
  const privateLender = createPrivateLender(owner, {
    name: `私人贷款方 ${owner.id}`,
    kind: 'platform',
    products: ['私人借款'],
    hotline: '',
    appPath: '',
    reviewWorkdays: 5,
  });
  const main = makeCase(owner, { product: `机密产品-${owner.id}`, accountRef: '8642' });
  const docWithFile = addDocument(owner, main, { kind: 'medical_proof', note: '诊断书' });
  await attachDocumentFile(owner, main, docWithFile, fileOf(pngBytes(), 'diagnosis.png', 'image/png'));
  const submittedDoc = addDocument(owner, main, { kind: 'income_proof', note: '' });
  await attachDocumentFile(owner, main, submittedDoc, fileOf(pngBytes(), 'income.png', 'image/png'));
  const contactId = addContact(owner, main, contactInput());
  addContact(owner, main, contactInput({ channel: 'chat', promise: '', promiseDue: null }));
  submitAttempt(owner, main, versionOf(main), submitInput());
  requestMaterials(owner, main, versionOf(main), materialsInput());
  sendMaterials(owner, main, versionOf(main), '2025-04-06');
  approveAttempt(owner, main, versionOf(main), approveInput({ agreedPeriods: 3 }));
  // Added after the application, so that it still has its file and is not yet submitted.
  await attachDocumentFile(owner, main, docWithFile, fileOf(pngBytes(), 'diagnosis-2.png', 'image/png'));
  const docNeeded = addDocument(owner, main, { kind: 'payslip', note: '' });
  const instalmentId = getCaseDetail(owner, main).instalments[0].id;
  const customReminderId = createReminder(owner, main, { title: '机密提醒', dueOn: '2025-06-01', dueTime: '09:00', note: '只有我看得到' });
  const ruleReminderId = getDb()
    .select({ id: reminders.id })
    .from(reminders)
    .where(eq(reminders.ruleKey, `promise:${contactId}`))
    .get()!.id;

  const at = (stage: Parameters<typeof advanceCase>[2], lenderId?: number) => {
    const id = makeCase(owner, lenderId ? { lenderId } : {});
    advanceCase(owner, id, stage);
    return id;
  };
  const world: World = {
    owner,
    main,
    preparing: at('preparing', privateLender.id),
    underReview: at('under_review'),
    materialsRequested: at('materials_requested'),
    rejected: at('rejected'),
    escalated: at('escalated'),
    privateLenderId: privateLender.id,
    contactId,
    docWithFile,
    docNeeded,
    instalmentId,
    customReminderId,
    ruleReminderId,
    caseIds: [],
  };
  world.caseIds = [world.main, world.preparing, world.underReview, world.materialsRequested, world.rejected, world.escalated];
  return world;
}

/**
 * Everything of the owner's that a verb could change: every row of their cases, their private
 * lender, their reminders, the stored files.
 */
function snapshotWorld(w: World) {
  return {
    rows: snapshotCases(w.caseIds),
    reminders: getDb().select().from(reminders).where(eq(reminders.ownerId, w.owner.id)).orderBy(asc(reminders.id)).all(),
    privateLender: getDb().select().from(lenders).where(eq(lenders.id, w.privateLenderId)).all(),
    files: storedFiles(),
  };
}

type Verb = { name: string; call: (viewer: Viewer, w: World) => unknown };

/**
 * Every exported verb that takes a case or document id, aimed at the owner's records, with the
 * current version (so that a stale version can never be the reason for a refusal).
 */
const VERBS: Verb[] = [
  { name: 'getCase', call: (v, w) => getCase(v, w.main) },
  { name: 'getCaseDetail', call: (v, w) => getCaseDetail(v, w.main) },
  { name: 'updateCase', call: (v, w) => updateCase(v, w.main, versionOf(w.main), caseInput(w.owner, { product: 'changed', principal: 1 })) },
  { name: 'setCaseArchived', call: (v, w) => setCaseArchived(v, w.main, versionOf(w.main), true) },
  { name: 'deleteCase', call: (v, w) => deleteCase(v, w.main) },
  { name: 'submitAttempt', call: (v, w) => submitAttempt(v, w.preparing, versionOf(w.preparing), submitInput()) },
  {
    name: 'requestMaterials',
    call: (v, w) => requestMaterials(v, w.underReview, versionOf(w.underReview), materialsInput({ requestedOn: '2025-04-05' })),
  },
  { name: 'sendMaterials', call: (v, w) => sendMaterials(v, w.materialsRequested, versionOf(w.materialsRequested), '2025-04-06') },
  { name: 'approveAttempt', call: (v, w) => approveAttempt(v, w.underReview, versionOf(w.underReview), approveInput()) },
  { name: 'rejectAttempt', call: (v, w) => rejectAttempt(v, w.underReview, versionOf(w.underReview), rejectInput()) },
  { name: 'escalateCase', call: (v, w) => escalateCase(v, w.rejected, versionOf(w.rejected), escalateInput()) },
  { name: 'closeEscalation', call: (v, w) => closeEscalation(v, w.escalated, versionOf(w.escalated), 'other', '') },
  { name: 'withdrawCase', call: (v, w) => withdrawCase(v, w.main, versionOf(w.main), '') },
  {
    name: 'markInstalmentPaid',
    call: (v, w) => markInstalmentPaid(v, w.main, versionOf(w.main), w.instalmentId, { paidOn: '2025-05-31', paid: 33_333 }),
  },
  { name: 'addContact', call: (v, w) => addContact(v, w.main, contactInput()) },
  { name: 'deleteContact', call: (v, w) => deleteContact(v, w.main, w.contactId) },
  { name: 'addDocument', call: (v, w) => addDocument(v, w.main, { kind: 'other', note: '' }) },
  { name: 'suggestChecklist', call: (v, w) => suggestChecklist(v, w.main) },
  { name: 'addSuggestedDocuments', call: (v, w) => addSuggestedDocuments(v, w.main) },
  { name: 'setDocumentStatus', call: (v, w) => setDocumentStatus(v, w.main, w.docNeeded, 'ready') },
  { name: 'attachDocumentFile', call: (v, w) => attachDocumentFile(v, w.main, w.docNeeded, fileOf(pngBytes(), 'x.png', 'image/png')) },
  { name: 'deleteDocument', call: (v, w) => deleteDocument(v, w.main, w.docWithFile) },
  { name: 'getDocumentFile', call: (v, w) => getDocumentFile(v, w.docWithFile) },
  {
    name: 'createReminder',
    call: (v, w) => createReminder(v, w.main, { title: '插入的提醒', dueOn: '2025-07-01', dueTime: null, note: '' }, 'outsider-reminder-0001'),
  },
  { name: 'updateReminder', call: (v, w) => updateReminder(v, w.customReminderId, { title: '改了', dueOn: '2025-07-01', dueTime: null, note: '' }) },
  { name: 'setReminderStatus', call: (v, w) => setReminderStatus(v, w.ruleReminderId, 'done') },
  { name: 'snoozeReminder', call: (v, w) => snoozeReminder(v, w.ruleReminderId, '2025-07-01') },
  { name: 'listCaseReminders', call: (v, w) => listCaseReminders(v, w.main) },
];

/**
 * The same verbs, aimed at the outsider's OWN case but naming one of the owner's records by id:
 * the record must be looked up within the case, or this would reach across.
 */
type CrossVerb = { name: string; call: (viewer: Viewer, theirs: World, mine: World) => unknown };
const CROSS_VERBS: CrossVerb[] = [
  { name: 'deleteContact', call: (v, w, mine) => deleteContact(v, mine.main, w.contactId) },
  { name: 'setDocumentStatus', call: (v, w, mine) => setDocumentStatus(v, mine.main, w.docNeeded, 'accepted') },
  {
    name: 'attachDocumentFile',
    call: (v, w, mine) => attachDocumentFile(v, mine.main, w.docNeeded, fileOf(pngBytes(), 'x.png', 'image/png')),
  },
  { name: 'deleteDocument', call: (v, w, mine) => deleteDocument(v, mine.main, w.docWithFile) },
  {
    name: 'markInstalmentPaid',
    call: (v, w, mine) => markInstalmentPaid(v, mine.main, versionOf(mine.main), w.instalmentId, { paidOn: '2025-05-31', paid: 1 }),
  },
];

/** Exported functions of these modules that take no case or document id, or that are not verbs. */
const NOT_CASE_VERBS = [
  'bumpVersion',
  'transition',
  'listCasesForBorrower',
  'borrowerTotals',
  'createCase',
  'getLender',
  'listLenders',
  'createPrivateLender',
  'lenderVisibleTo',
  // The viewer's own reminders, across cases: scoped by owner, so an outsider gets an empty
  // list and a count of their own, never a refusal (checked below).
  'listOpenReminders',
  'countDueReminders',
  // System and internal helpers of db/reminders.ts, not verbs: the rule wiring calls them inside
  // an authorised event's transaction (applyReminderChange, closeCaseRuleReminders,
  // closeStaleReminder), and the scheduler runs the sweep for everyone (systemSweepReminders).
  // No page or action may call them with a viewer's ids.
  'applyReminderChange',
  'closeCaseRuleReminders',
  'closeStaleReminder',
  'systemSweepReminders',
];

const MODULES = {
  'db/cases.ts': casesModule,
  'db/attempts.ts': attemptsModule,
  'db/plans.ts': plansModule,
  'db/contacts.ts': contactsModule,
  'db/documents.ts': documentsModule,
  'db/lenders.ts': lendersModule,
  'db/reminders.ts': remindersModule,
} as Record<string, Record<string, unknown>>;

/** What `fn` threw (or its promise rejected with); undefined when it succeeded. */
async function failureOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

function expectExactlyNotFound(e: unknown) {
  expect(e).toBeInstanceOf(NotFoundError);
  expect((e as Error).constructor).toBe(NotFoundError);
}

describe('the table of verbs', () => {
  const exported = Object.entries(MODULES).flatMap(([file, mod]) =>
    Object.entries(mod)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => ({ file, name })),
  );

  it('covers every exported function of the case modules (add a new verb to VERBS, or to NOT_CASE_VERBS if it takes no case id)', () => {
    const known = new Set([...VERBS.map((v) => v.name), ...NOT_CASE_VERBS]);
    expect(exported.filter((e) => !known.has(e.name))).toEqual([]);
  });

  it('names only functions that exist', () => {
    const names = new Set(exported.map((e) => e.name));
    expect([...VERBS.map((v) => v.name), ...CROSS_VERBS.map((v) => v.name), ...NOT_CASE_VERBS].filter((n) => !names.has(n))).toEqual([]);
    expect(new Set(VERBS.map((v) => v.name)).size).toBe(VERBS.length);
  });
});

describe('the owner', () => {
  // The control: each call below succeeds for the owner, so an outsider's NotFoundError is
  // the authorisation speaking, not a wrong status, version or id.
  it.each(VERBS.map((v) => [v.name, v] as const))('may %s', async (_name, verb) => {
    const owner = makeBorrower();
    const world = await buildWorld(owner);
    expect(await failureOf(() => verb.call(owner, world))).toBeUndefined();
  });
});

const OUTSIDERS: [string, () => Viewer][] = [
  ['another borrower', () => makeBorrower()],
  ['an advisor without a share', () => makeAdvisor()],
  ['an admin', () => makeAdmin()],
];

describe.each(OUTSIDERS)('%s', (_label, makeOutsider) => {
  let world: World;
  let outsider: Viewer;

  beforeAll(async () => {
    world = await buildWorld(makeBorrower());
    outsider = makeOutsider();
  });

  it('sees a world worth protecting', () => {
    const snap = snapshotWorld(world);
    for (const [table, rows] of Object.entries(snap.rows)) expect(rows.length, table).toBeGreaterThan(0);
    expect(snap.reminders.map((r) => r.kind)).toEqual(expect.arrayContaining(['custom', 'promise_chase', 'review_followup', 'next_step']));
    expect(snap.files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(VERBS.map((v) => [v.name, v] as const))("%s on the owner's records: NotFoundError, and nothing changes", async (_name, verb) => {
    const before = snapshotWorld(world);
    expectExactlyNotFound(await failureOf(() => verb.call(outsider, world)));
    expect(snapshotWorld(world)).toEqual(before);
  });

  it.each([
    ['an empty file', () => fileOf(Buffer.alloc(0), 'x.pdf')],
    ['a file of the wrong type', () => fileOf('<html></html>', 'x.pdf')],
  ])('attachDocumentFile with %s: still NotFoundError, checked before the upload is read', async (_label, file) => {
    const before = snapshotWorld(world);
    expectExactlyNotFound(await failureOf(() => attachDocumentFile(outsider, world.main, world.docNeeded, file())));
    expect(snapshotWorld(world)).toEqual(before);
  });

  it('never lists the owner\'s cases, whatever the filter or search', () => {
    const a = caseRow(world.main);
    const lenderName = getCase(world.owner, world.main).lender.name;
    const filters = [
      {},
      { q: a.product },
      { q: a.accountRef },
      { q: lenderName },
      { q: '%' },
      { q: '_' },
      { status: 'approved' as const },
      { lenderId: a.lenderId },
      { lenderId: world.privateLenderId },
      { archived: true },
    ];
    for (const f of filters) {
      const ids = listCasesForBorrower(outsider, f).map((r) => r.id);
      for (const id of world.caseIds) expect(ids, JSON.stringify(f)).not.toContain(id);
    }
    expect(listCasesForBorrower(world.owner, { q: a.product }).map((r) => r.id)).toEqual([world.main]);
  });

  it("never lists or counts the owner's reminders", () => {
    const ownerIds = listOpenReminders(world.owner).map((r) => r.id);
    expect(ownerIds).toContain(world.customReminderId);
    expect(ownerIds).toContain(world.ruleReminderId);
    for (const options of [{}, { caseId: world.main }, ...world.caseIds.map((caseId) => ({ caseId }))]) {
      const seen = listOpenReminders(outsider, options).map((r) => r.id);
      for (const id of ownerIds) expect(seen, JSON.stringify(options)).not.toContain(id);
    }
    expect(countDueReminders(world.owner, '2099-12-31')).toBeGreaterThan(0);
    expect(countDueReminders(outsider, '2099-12-31')).toBe(0);
  });

  it("does not see the owner's private lender", async () => {
    expect(listLenders(world.owner).map((l) => l.id)).toContain(world.privateLenderId);
    expect(listLenders(outsider).map((l) => l.id)).not.toContain(world.privateLenderId);
    expect(listLenders(outsider).every((l) => l.ownerId === null || l.ownerId === outsider.id)).toBe(true);
    expectExactlyNotFound(await failureOf(() => getLender(outsider, world.privateLenderId)));
    expect(getLender(world.owner, world.privateLenderId).id).toBe(world.privateLenderId);
  });
});

describe('another borrower, with cases of their own', () => {
  let theirs: World;
  let mine: World;
  let outsider: Viewer;

  beforeAll(async () => {
    theirs = await buildWorld(makeBorrower());
    outsider = makeBorrower();
    mine = await buildWorld(outsider);
  });

  it.each(CROSS_VERBS.map((v) => [v.name, v] as const))(
    "%s on their own case with the owner's record id: NotFoundError, and nothing changes on either side",
    async (_name, verb) => {
      const before = [snapshotWorld(theirs), snapshotWorld(mine)];
      expectExactlyNotFound(await failureOf(() => verb.call(outsider, theirs, mine)));
      expect([snapshotWorld(theirs), snapshotWorld(mine)]).toEqual(before);
    },
  );

  it("cannot create a case with the owner's private lender", async () => {
    const before = [snapshotWorld(theirs), listCasesForBorrower(outsider, {}), listCasesForBorrower(outsider, { archived: true })];
    const byLender = () => getDb().select().from(cases).where(eq(cases.lenderId, theirs.privateLenderId)).all();
    const rowsBefore = byLender();
    expectExactlyNotFound(await failureOf(() => createCase(outsider, caseInput(outsider, { lenderId: theirs.privateLenderId }))));
    expectExactlyNotFound(
      await failureOf(() => createCase(outsider, caseInput(outsider, { lenderId: theirs.privateLenderId }), 'private-lender-form-0001')),
    );
    expect(byLender()).toEqual(rowsBefore);
    expect([snapshotWorld(theirs), listCasesForBorrower(outsider, {}), listCasesForBorrower(outsider, { archived: true })]).toEqual(before);
  });

  it("cannot move their own case to the owner's private lender", async () => {
    const before = snapshotCases(mine.caseIds);
    expectExactlyNotFound(
      await failureOf(() => updateCase(outsider, mine.main, versionOf(mine.main), caseInput(outsider, { lenderId: theirs.privateLenderId }))),
    );
    expect(snapshotCases(mine.caseIds)).toEqual(before);
  });

  it("keeps private lenders apart both ways", () => {
    const own = createPrivateLender(outsider, { name: '我的贷款方', kind: 'bank', products: [], hotline: '', appPath: '', reviewWorkdays: 5 });
    expect(own.ownerId).toBe(outsider.id);
    expect(listLenders(theirs.owner).map((l) => l.id)).not.toContain(own.id);
    expect(listLenders(outsider).map((l) => l.id)).not.toContain(theirs.privateLenderId);
  });
});
