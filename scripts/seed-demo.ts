/**
 * `npm run demo`: fills the database with a demo borrower (a case in every status) and a demo
 * advisor, through the same verbs the app uses. Refuses to run twice, and refuses a database
 * that already has other users unless --force is given: it is for a local demo, not production.
 */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import { addDaysIso, todayInShanghai } from '../lib/dates';
import { approveAttempt, escalateCase, rejectAttempt, requestMaterials, sendMaterials, submitAttempt, withdrawCase } from '../db/attempts';
import { createCase, getCase } from '../db/cases';
import { getDb } from '../db/client';
import { addContact } from '../db/contacts';
import { addDocument, addSuggestedDocuments } from '../db/documents';
import { addCaseNote } from '../db/notes';
import { acceptInvite, createInvite } from '../db/shares';
import { listLenders } from '../db/lenders';
import { migrateDatabase } from '../db/migrate';
import { markInstalmentPaid } from '../db/plans';
import { users } from '../db/schema';
import { createSession, createUser } from '../db/users';
import type { Viewer } from '../db/viewer-type';

export const DEMO_BORROWER = { email: 'demo@respite.local', password: 'demo-borrower-2025', displayName: '王小明' };
export const DEMO_ADVISOR = { email: 'advisor@respite.local', password: 'demo-advisor-2025', displayName: '李律师（法律援助）' };

async function main() {
  const db = getDb();
  await migrateDatabase(db);
  const existing = db.select({ email: users.email }).from(users).all();
  if (existing.some((u) => u.email === DEMO_BORROWER.email)) {
    console.log('The demo accounts already exist; nothing to do.');
    return;
  }
  if (existing.length > 0 && !process.argv.includes('--force')) {
    console.error('This database already has users. The demo is for an empty, local database; pass --force to add it anyway.');
    process.exitCode = 1;
    return;
  }

  const borrowerUser = await createUser({ ...DEMO_BORROWER, role: 'borrower' });
  const advisorUser = await createUser({ ...DEMO_ADVISOR, role: 'advisor' });
  const me: Viewer = { ...borrowerUser, sessionId: createSession(borrowerUser.id) };
  const advisor: Viewer = { ...advisorUser, sessionId: createSession(advisorUser.id) };

  const today = todayInShanghai();
  const ago = (days: number) => addDaysIso(today, -days);
  const lenders = listLenders(me);
  const lender = (needle: string) => {
    const found = lenders.find((l) => l.name.includes(needle));
    if (!found) throw new Error(`demo lender ${needle} not in the directory`);
    return found.id;
  };
  const version = (id: number) => getCase(me, id).case.version;
  const newCase = (needle: string, product: string, ref: string, principal: number, interest: number, penalty: number, since: string, note = '') =>
    createCase(me, { lenderId: lender(needle), product, accountRef: ref, principal, interest, penalty, overdueSince: since, note });
  const submit = (id: number, program: 'suspension' | 'instalments' | 'penalty_waiver' | 'extension', on: string, extra = {}) =>
    submitAttempt(me, id, version(id), {
      program,
      channel: 'app',
      submittedOn: on,
      lenderRef: '',
      proposedPeriods: null,
      proposedMonthly: 0,
      proposedFirstPaymentOn: null,
      proposedWaived: 0,
      ...extra,
    });

  // preparing: documents being gathered
  const preparing = newCase('平安普惠', '信用贷', '0317', 4_800_000, 320_000, 95_000, ago(75), '先准备好困难说明和收入证明再申请。');
  addSuggestedDocuments(me, preparing);

  // under review
  const review = newCase('花呗', '借呗', '8842', 1_260_000, 86_000, 21_000, ago(120));
  submit(review, 'instalments', ago(3), { proposedPeriods: 24, proposedMonthly: 58_000, lenderRef: 'AL2025110388' });
  addContact(me, review, {
    channel: 'phone',
    direction: 'outgoing',
    occurredAt: new Date(Date.now() - 2 * 86_400_000),
    agentId: '95188-0612',
    theirNumber: '95188',
    summary: '客服确认申请已受理，审核需要 3-5 个工作日。',
    promise: '审核结果会短信通知',
    promiseDue: addDaysIso(today, 3),
    promiseWorkdays: null,
  });

  // materials requested, deadline soon
  const materials = newCase('招商银行', '信用卡', '6618', 3_580_000, 410_000, 160_000, ago(160));
  submit(materials, 'instalments', ago(9), { proposedPeriods: 60, proposedMonthly: 70_000 });
  requestMaterials(me, materials, version(materials), { what: '近 6 个月银行流水、收入证明', requestedOn: ago(2), deadline: addDaysIso(today, 2) });
  addContact(me, materials, {
    channel: 'phone',
    direction: 'incoming',
    occurredAt: new Date(Date.now() - 2 * 86_400_000),
    agentId: '',
    theirNumber: '0755-8319 5555',
    summary: '招行来电，要求补交近 6 个月银行流水和收入证明，两个工作日内在 App 上传。',
    promise: '',
    promiseDue: null,
    promiseWorkdays: null,
  });
  addDocument(me, materials, { kind: 'bank_statement', note: '工资卡近 6 个月' });
  addDocument(me, materials, { kind: 'income_proof', note: '' });

  // rejected, deciding the next step
  const rejected = newCase('美团', '月付', '', 680_000, 52_000, 18_000, ago(95));
  submit(rejected, 'suspension', ago(20));
  rejectAttempt(me, rejected, version(rejected), {
    decidedOn: ago(6),
    rejectionReason: 'insufficient_proof',
    rejectionText: '您提供的材料不足以证明还款困难，建议补充后再申请。',
  });

  // escalated to mediation after a rejection
  const escalated = newCase('京东', '金条', '2290', 2_150_000, 180_000, 70_000, ago(200));
  submit(escalated, 'instalments', ago(60), { proposedPeriods: 36, proposedMonthly: 65_000 });
  rejectAttempt(me, escalated, version(escalated), { decidedOn: ago(45), rejectionReason: 'capacity_insufficient', rejectionText: '' });
  escalateCase(me, escalated, version(escalated), { route: 'mediation', submittedOn: ago(30), lenderRef: '调解编号 2025-1187' });

  // approved, first instalment ahead
  const approved = newCase('微粒贷', '微粒贷', '', 960_000, 64_000, 12_000, ago(110));
  submit(approved, 'instalments', ago(25), { proposedPeriods: 12, proposedMonthly: 85_000 });
  approveAttempt(me, approved, version(approved), {
    decidedOn: ago(10),
    agreedPeriods: 12,
    agreedMonthly: 86_300,
    agreedFirstPaymentOn: addDaysIso(today, 12),
    agreedWaived: 64_000,
  });

  // repaying: two instalments paid
  const repaying = newCase('建设银行', '快贷', '4471', 1_800_000, 150_000, 40_000, ago(300));
  submit(repaying, 'instalments', ago(110), { proposedPeriods: 24, proposedMonthly: 80_000 });
  approveAttempt(me, repaying, version(repaying), {
    decidedOn: ago(95),
    agreedPeriods: 24,
    agreedMonthly: 81_250,
    agreedFirstPaymentOn: ago(62),
    agreedWaived: 40_000,
  });
  const detail = () => getDb().$client.prepare('select id from instalments where case_id = ? and paid_on is null order by seq').all(repaying) as { id: number }[];
  markInstalmentPaid(me, repaying, version(repaying), detail()[0].id, { paidOn: ago(62), paid: 81_250 });
  markInstalmentPaid(me, repaying, version(repaying), detail()[0].id, { paidOn: ago(31), paid: 81_250 });

  // closed: withdrawn after family repaid the debt
  const closed = newCase('360', '360借条', '', 300_000, 21_000, 9_000, ago(150));
  submit(closed, 'penalty_waiver', ago(40));
  requestMaterials(me, closed, version(closed), { what: '困难说明', requestedOn: ago(35), deadline: ago(32) });
  sendMaterials(me, closed, version(closed), ago(33));
  withdrawCase(me, closed, version(closed), '家人帮忙一次性还清。');

  // The borrower shares with the demo advisor, who leaves a note on the rejected case.
  const { code } = createInvite(me, '李律师（法律援助中心）');
  acceptInvite(advisor, code);
  addCaseNote(advisor, rejected, '建议先补充近 6 个月的银行流水和医院诊断证明，再申请个性化分期。');

  console.log(`Demo ready.
  Borrower: ${DEMO_BORROWER.email} / ${DEMO_BORROWER.password}
  Advisor:  ${DEMO_ADVISOR.email} / ${DEMO_ADVISOR.password}`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => getDb().$client.close());
