import { asc, eq, inArray } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { approveAttempt, escalateCase, rejectAttempt, requestMaterials, submitAttempt } from '@/db/attempts';
import { createCase } from '@/db/cases';
import { getDb } from '@/db/client';
import { uploadDir } from '@/db/files';
import { listLenders } from '@/db/lenders';
import { reminderEditStamp } from '@/db/reminders';
import {
  attempts,
  caseEvents,
  cases,
  contacts,
  documents,
  instalments,
  materialRequests,
  plans,
  reminders,
  users,
  type Case,
  type Lender,
  type Locale,
  type Role,
} from '@/db/schema';
import { createSession } from '@/db/users';
import type { Viewer } from '@/db/viewer-type';
import type { LenderKind } from '@/lib/domain';
import type {
  ApproveInput,
  CaseInput,
  ContactInput,
  EscalateInput,
  PublicLenderInput,
  RejectInput,
  RequestMaterialsInput,
  SubmitAttemptInput,
} from '@/lib/validation';

/**
 * Test data made directly in the database, skipping the slow parts (hashing) and the checks
 * of the verbs. Every user made here can sign in with TEST_PASSWORD.
 */

export const TEST_PASSWORD = 'test-password-1';
/** argon2id of TEST_PASSWORD, computed once, so that making a user costs no hashing. */
export const TEST_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$pWMQl0SGjST4Y4tx2uC9zQ$pCzXJ4sGLs7QmL2s64rDKwaVaqddNKufdFqW2CfsUtk';

let counter = 0;

/** An address no other test (or earlier run against a kept database) has used. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(4).toString('hex')}@example.test`;
}

export type MakeUserOptions = {
  role?: Role;
  email?: string;
  displayName?: string;
  locale?: Locale;
  disabled?: boolean;
  /** Whether the address is confirmed (reminder mail goes only to one that is): yes unless said otherwise. */
  confirmed?: boolean;
};

/** A user with a live session, shaped as the verbs expect their viewer. */
export function makeUser(options: MakeUserOptions = {}): Viewer {
  const role = options.role ?? 'borrower';
  const email = (options.email ?? uniqueEmail(role)).toLowerCase();
  const user = getDb()
    .insert(users)
    .values({
      email,
      displayName: options.displayName ?? `Test ${role} ${counter}`,
      role,
      locale: options.locale ?? 'zh-CN',
      passwordHash: TEST_PASSWORD_HASH,
      disabled: options.disabled ?? false,
      emailConfirmedAt: options.confirmed === false ? null : new Date(),
    })
    .returning()
    .get();
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    locale: user.locale,
    sessionId: createSession(user.id),
  };
}

export const makeBorrower = (options: Omit<MakeUserOptions, 'role'> = {}) => makeUser({ ...options, role: 'borrower' });
export const makeAdvisor = (options: Omit<MakeUserOptions, 'role'> = {}) => makeUser({ ...options, role: 'advisor' });
export const makeAdmin = (options: Omit<MakeUserOptions, 'role'> = {}) => makeUser({ ...options, role: 'admin' });

// --- cases, through the real verbs ----------------------------------------------------------

/** A public lender from the directory, found the way a page finds it. */
export function publicLender(viewer: Viewer, kind?: LenderKind): Lender {
  const lender = listLenders(viewer).find((l) => l.ownerId === null && (!kind || l.kind === kind));
  if (!lender) throw new Error(`no public lender${kind ? ` of kind ${kind}` : ''} in the test database`);
  return lender;
}

/** A public lender's fields as an admin's form sends them (publicLenderSchema's output), with nothing but a name. */
export function publicLenderInput(name: string): PublicLenderInput {
  return {
    name,
    kind: 'bank',
    products: [],
    hotline: '',
    appPath: '',
    branch: '',
    complaint: '',
    appPathEn: '',
    branchEn: '',
    complaintEn: '',
    reviewWorkdays: 5,
    programs: [],
    documents: [],
  };
}

/** A valid CaseInput, as caseSchema would have produced it from a form. */
export function caseInput(viewer: Viewer, overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    lenderId: publicLender(viewer).id,
    product: '信用卡',
    accountRef: '1234',
    principal: 1_000_000,
    interest: 50_000,
    penalty: 12_345,
    overdueSince: '2025-03-01',
    note: '',
    ...overrides,
  };
}

/**
 * A case owned by `owner`, made with the real createCase verb. Every one has the same lender and
 * account by default, so the "same account twice" question (db/cases.ts) is answered "yes, another".
 */
export function makeCase(owner: Viewer, overrides: Partial<CaseInput> = {}, formKey?: string): number {
  return createCase(owner, caseInput(owner, overrides), formKey, { allowDuplicate: true });
}

export function caseRow(caseId: number): Case {
  const row = getDb().select().from(cases).where(eq(cases.id, caseId)).get();
  if (!row) throw new Error(`case ${caseId} does not exist`);
  return row;
}

/** The case's current version, as a freshly loaded form would carry it. */
export const versionOf = (caseId: number) => caseRow(caseId).version;
/** The stamp an edit form of this reminder would carry (db/reminders.ts reminderEditStamp), read as it is now. */
export const reminderStampOf = (reminderId: number) => reminderEditStamp(getDb().select().from(reminders).where(eq(reminders.id, reminderId)).get()!);

// --- verb inputs -------------------------------------------------------------------------

export function submitInput(overrides: Partial<SubmitAttemptInput> = {}): SubmitAttemptInput {
  return {
    program: 'instalments',
    channel: 'app',
    submittedOn: '2025-04-01',
    lenderRef: 'REF-1',
    proposedPeriods: 24,
    proposedMonthly: 50_000,
    proposedFirstPaymentOn: '2025-05-15',
    proposedWaived: 0,
    ...overrides,
  };
}

export function materialsInput(overrides: Partial<RequestMaterialsInput> = {}): RequestMaterialsInput {
  return { what: '近三个月银行流水', requestedOn: '2025-04-03', deadline: '2025-04-08', ...overrides };
}

export function approveInput(overrides: Partial<ApproveInput> = {}): ApproveInput {
  return {
    decidedOn: '2025-04-10',
    agreedPeriods: 3,
    agreedMonthly: 33_333,
    agreedFirstPaymentOn: '2025-05-31',
    agreedWaived: 0,
    ...overrides,
  };
}

export function rejectInput(overrides: Partial<RejectInput> = {}): RejectInput {
  return { decidedOn: '2025-04-10', rejectionReason: 'insufficient_proof', rejectionText: '证明材料不足', ...overrides };
}

export function escalateInput(overrides: Partial<EscalateInput> = {}): EscalateInput {
  return { route: 'mediation', submittedOn: '2025-04-12', lenderRef: '', ...overrides };
}

export function contactInput(overrides: Partial<ContactInput> = {}): ContactInput {
  return {
    channel: 'phone',
    direction: 'outgoing',
    occurredAt: new Date('2025-04-02T02:30:00Z'),
    agentId: '工号 8812',
    theirNumber: '',
    summary: '客服说三个工作日内回电',
    promise: '三个工作日内回电',
    promiseDue: '2025-04-07',
    promiseWorkdays: null,
    ...overrides,
  };
}

export type CaseStage = 'preparing' | 'under_review' | 'materials_requested' | 'rejected' | 'escalated' | 'approved';

/** Moves a fresh case to `stage` through the real verbs (with the inputs above). */
export function advanceCase(owner: Viewer, caseId: number, stage: CaseStage): void {
  if (stage === 'preparing') return;
  submitAttempt(owner, caseId, versionOf(caseId), submitInput());
  if (stage === 'under_review') return;
  if (stage === 'materials_requested') {
    requestMaterials(owner, caseId, versionOf(caseId), materialsInput());
    return;
  }
  if (stage === 'approved') {
    approveAttempt(owner, caseId, versionOf(caseId), approveInput());
    return;
  }
  rejectAttempt(owner, caseId, versionOf(caseId), rejectInput());
  if (stage === 'rejected') return;
  escalateCase(owner, caseId, versionOf(caseId), escalateInput());
}

// --- snapshots: "nothing changed" is checked by comparing these --------------------------

/** Every row that belongs to the given cases, in every table a case owns, in id order. */
export function snapshotCases(caseIds: number[]) {
  const db = getDb();
  return {
    cases: db.select().from(cases).where(inArray(cases.id, caseIds)).orderBy(asc(cases.id)).all(),
    attempts: db.select().from(attempts).where(inArray(attempts.caseId, caseIds)).orderBy(asc(attempts.id)).all(),
    materialRequests: db
      .select()
      .from(materialRequests)
      .where(inArray(materialRequests.caseId, caseIds))
      .orderBy(asc(materialRequests.id))
      .all(),
    documents: db.select().from(documents).where(inArray(documents.caseId, caseIds)).orderBy(asc(documents.id)).all(),
    contacts: db.select().from(contacts).where(inArray(contacts.caseId, caseIds)).orderBy(asc(contacts.id)).all(),
    plans: db.select().from(plans).where(inArray(plans.caseId, caseIds)).orderBy(asc(plans.id)).all(),
    instalments: db.select().from(instalments).where(inArray(instalments.caseId, caseIds)).orderBy(asc(instalments.id)).all(),
    caseEvents: db.select().from(caseEvents).where(inArray(caseEvents.caseId, caseIds)).orderBy(asc(caseEvents.id)).all(),
  };
}

/** The names of the files under UPLOAD_DIR, sorted. */
export function storedFiles(): string[] {
  const dir = uploadDir();
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

// --- real file bytes -----------------------------------------------------------------------

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 RGB PNG (teal), built from its chunks. */
export function pngBytes(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const scanline = Buffer.from([0, 0x0f, 0x76, 0x6e]); // filter byte, then one pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(scanline)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 2×2 baseline JPEG (made once with libvips, which decodes it back as 2×2). */
export function jpegBytes(): Buffer {
  return Buffer.from(
    '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAIDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAAAwX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCUAZHf/9k=',
    'base64',
  );
}

/** A 1×1 lossless WebP. */
export function webpBytes(): Buffer {
  return Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
}

/** A one-page PDF with a correct cross-reference table. */
export function pdfBytes(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A File as a server action receives it from a form. */
export function fileOf(bytes: Buffer | string, name: string, type = ''): File {
  return new File([typeof bytes === 'string' ? Buffer.from(bytes) : new Uint8Array(bytes)], name, { type });
}
