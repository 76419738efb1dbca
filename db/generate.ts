import { isNull } from 'drizzle-orm';
import { addDaysIso, addMonthsIso, todayInShanghai } from '@/lib/dates';
import type { ContactDirection } from '@/lib/domain';
import { escalationFollowupOn } from '@/lib/reminder-rules';
import type { DB } from './client';
import { lenders } from './schema';

/**
 * A deterministic benchmark dataset (issue 6): the same seed and `today` give the same database.
 * Writes through better-sqlite3 directly, in large transactions, for speed; it is a tool, not a verb.
 */

export const SIZES = {
  small: { borrowers: 200, cases: 600, advisors: 4 },
  everyday: { borrowers: 10_000, cases: 30_000, advisors: 200 },
  large: { borrowers: 100_000, cases: 300_000, advisors: 2_000 },
} as const;
export type GenerateSize = keyof typeof SIZES;

/** argon2id of 'test-password-1' (the same as tests/factories.ts): every generated user signs in with it. */
export const BENCH_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$pWMQl0SGjST4Y4tx2uC9zQ$pCzXJ4sGLs7QmL2s64rDKwaVaqddNKufdFqW2CfsUtk';

export type GenerateOptions = { seed: number; size: GenerateSize; today?: string; emailDomain?: string };
export type GenerateResult = {
  counts: Record<string, number>;
  busiestAdvisorEmail: string;
  busiestAdvisorClients: number;
  today: string;
  ms: number;
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文斌宇浩鑫鹏晨雪琳欣怡子涵梓萱一诺思远佳豪俊杰雨桐嘉怡浩然'.split('');
const PRODUCTS = ['信用卡', '分期', '借款', '月付', '现金贷', '消费贷'];
const HARDSHIP = ['失业后收入中断，正在找工作', '家人住院，医疗费用较多', '生意亏损，暂时无力全额还款', '工资被拖欠三个月', '疫情后收入下降一半'];
/** What was said, with who reached out: about a third of contacts are the lender's (a collector's call, a request for proof). */
const CONTACT_SUMMARIES: [string, ContactDirection][] = [
  ['客服说需要提交收入证明', 'outgoing'],
  ['催收员要求三天内还最低还款', 'incoming'],
  ['客服同意先登记协商申请', 'outgoing'],
  ['对方说会在五个工作日内回复', 'outgoing'],
  ['要求提供失业证明和银行流水', 'incoming'],
  ['客服建议申请个性化分期', 'outgoing'],
];
const PROMISES = ['三个工作日内回电', '一周内给出审核结果', '暂停催收十五天', '发送分期方案短信'];

// Real-life weights, by a fragment of the directory's name (花呗 and credit cards most).
const LENDER_WEIGHTS: [string, number][] = [
  ['花呗', 22], ['信用卡', 6], ['京东', 8], ['美团', 6], ['微粒贷', 6], ['度小满', 4], ['抖音', 3], ['360', 4],
  ['招联', 4], ['马上', 3], ['捷信', 2], ['分期乐', 3], ['平安', 2], ['快贷', 2],
];

const STATUS_WEIGHTS: [string, number][] = [
  ['preparing', 10], ['under_review', 25], ['materials_requested', 8], ['rejected', 15],
  ['escalated', 5], ['approved', 10], ['repaying', 20], ['closed', 7],
];
const DOCUMENT_KINDS = ['income_proof', 'medical_proof', 'bank_statement', 'payslip', 'unemployment_proof', 'hardship_letter', 'id_card', 'other'];
const DOCUMENT_STATUSES = ['needed', 'ready', 'submitted', 'accepted', 'rejected'];
const REJECTION_REASONS = ['insufficient_proof', 'overdue_too_short', 'partial_payment_first', 'product_not_eligible', 'capacity_insufficient', 'credit_history', 'other'];
/** What advisors write on a client's timeline (the borrower's home lists the last 14 days of them). */
const ADVISOR_NOTES = [
  '建议先补充近 6 个月的银行流水，再申请个性化分期。',
  '下周一记得给客服打电话，问清审核进度，记下工号。',
  '对方的承诺记下工号和时间，到期没兑现就向监管投诉。',
  '先别签新的分期协议，等我看过条款再说。',
  '诊断证明的复印件也一起寄过去，原件自己留着。',
];
/** What borrowers write on their own timeline, as they go (the case's last activity). */
const BORROWER_NOTES = [
  '打了客服电话，说材料已经转给审核部门，让等 3 到 5 个工作日。',
  '这个月房租和药费都要交，分期金额还得再算一下。',
  '客服让先还一期最低还款再谈，没有答应，先问清楚再说。',
  '收到催收短信说要上门，已截图保存。',
  '通话录音已经存到电脑上了，文件名写了日期。',
];
/** "Other" is recorded with the lender's words (the verbs refuse it without them): picked by the case, so the random stream stays as it was. */
const OTHER_REJECTIONS = ['系统综合评估未通过', '暂不符合协商条件，请三个月后再申请', '需提供当地法院或社区出具的困难证明'];
const CHANNELS = ['app', 'hotline', 'branch', 'online'];
const CONTACT_CHANNELS = ['phone', 'chat', 'visit', 'email', 'letter', 'other'];

const DAY = 86_400_000;

/** The earlier of two YYYY-MM-DD days. */
const minIso = (a: string, b: string) => (a < b ? a : b);

/** Fills a freshly migrated (lenders seeded) database. */
export function generateInto(db: DB, options: GenerateOptions): GenerateResult {
  const started = Date.now();
  const sizes = SIZES[options.size];
  const today = options.today ?? todayInShanghai();
  const domain = options.emailDomain ?? 'bench.test';
  const rand = mulberry32(options.seed);
  // The borrowers' own notes draw from a stream of their own, so that every other draw is what the
  // same seed gave before they were added (the benchmark's figures stay comparable).
  const noteRand = mulberry32(options.seed ^ 0x5bd1e995);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[], from = rand): T => xs[Math.floor(from() * xs.length)]!;
  const weighted = <T>(xs: readonly [T, number][]): T => {
    const total = xs.reduce((s, [, w]) => s + w, 0);
    let r = rand() * total;
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  };
  const todayMs = Date.parse(`${today}T04:00:00Z`); // noon in Shanghai
  const dateMs = (d: string) => Date.parse(`${d}T04:00:00Z`);
  const daysAgo = (n: number) => addDaysIso(today, -n);
  const name = () => pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : '');

  const c = db.$client;
  const directory = db.select({ id: lenders.id, name: lenders.name }).from(lenders).where(isNull(lenders.ownerId)).all();
  if (directory.length === 0) throw new Error('No lender directory: migrate the database first.');
  const lenderChoices: [{ id: number; name: string }, number][] = directory.map((l) => {
    const w = LENDER_WEIGHTS.find(([frag]) => l.name.includes(frag));
    return [l, w ? w[1] : 1];
  });

  const counts: Record<string, number> = {
    users: 0, cases: 0, attempts: 0, material_requests: 0, documents: 0, contacts: 0, plans: 0,
    instalments: 0, case_events: 0, reminders: 0, shares: 0, access_log: 0,
  };
  const prepare = (sql: string) => c.prepare(sql);
  const insUser = prepare(`INSERT INTO users (email, display_name, role, locale, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insCase = prepare(`INSERT INTO cases (owner_id, lender_id, product, account_ref, principal_fen, interest_fen, penalty_fen, overdue_since, status, outcome, archived, note, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insAttempt = prepare(`INSERT INTO attempts (case_id, round, program, proposed_periods, proposed_monthly_fen, proposed_first_payment_on, submitted_on, channel, decision, decided_on, rejection_reason, rejection_text, agreed_periods, agreed_monthly_fen, agreed_first_payment_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insMaterial = prepare(`INSERT INTO material_requests (case_id, attempt_id, what, requested_on, deadline, sent_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insDocument = prepare(`INSERT INTO documents (case_id, attempt_id, kind, status, note, sensitive, file_name, stored_name, mime_type, size_bytes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insContact = prepare(`INSERT INTO contacts (case_id, channel, occurred_at, agent_id, summary, promise, promise_due, created_by, created_at, direction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insPlan = prepare(`INSERT INTO plans (case_id, attempt_id, periods, monthly_fen, first_due_on, total_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insInstalment = prepare(`INSERT INTO instalments (plan_id, case_id, seq, due_on, amount_fen, paid_on, paid_fen) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insEvent = prepare(`INSERT INTO case_events (case_id, actor_id, kind, data, created_at) VALUES (?, ?, ?, ?, ?)`);
  const insReminder = prepare(`INSERT OR IGNORE INTO reminders (owner_id, case_id, kind, rule_key, title, data, due_on, urgent, status, show_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insShare = prepare(`INSERT INTO shares (borrower_id, advisor_id, status, invite_code_hash, invite_expires_at, label, consent_at, sensitive_consent_at, accepted_at, created_at) VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)`);
  const insEndedShare = prepare(`INSERT INTO shares (borrower_id, advisor_id, status, invite_code_hash, invite_expires_at, label, consent_at, accepted_at, revoked_at, created_at) VALUES (?, ?, 'revoked', ?, ?, '', ?, ?, ?, ?)`);
  const firstOpenCase = prepare(`SELECT id FROM cases WHERE owner_id = ? AND archived = 0 ORDER BY id LIMIT 1`);
  const insAccess = prepare(`INSERT INTO access_log (borrower_id, advisor_id, advisor_name, case_id, action, detail, created_at) VALUES (?, ?, (SELECT display_name FROM users WHERE id = ?), ?, 'view_case', '', ?)`);

  const event = (caseId: number, actor: number | null, kind: string, data: object, at: number) => {
    insEvent.run(caseId, actor, kind, JSON.stringify(data), at);
    counts.case_events! += 1;
  };
  const reminder = (owner: number, caseId: number, kind: string, ruleKey: string | null, dueOn: string, data: object, status = 'open', urgent = 0, title: string | null = null) => {
    counts.reminders! += insReminder.run(owner, caseId, kind, ruleKey, title, JSON.stringify(data), dueOn, urgent, status, dueOn, dateMs(dueOn) - 3 * DAY, dateMs(dueOn) - 3 * DAY).changes;
  };

  // --- users ---
  const borrowerIds: number[] = [];
  const advisorIds: number[] = [];
  const advisorEmails: string[] = [];
  c.transaction(() => {
    for (let i = 0; i < sizes.borrowers; i++) {
      const at = todayMs - int(30, 720) * DAY;
      borrowerIds.push(Number(insUser.run(`b${i + 1}@${domain}`, name(), 'borrower', rand() < 0.9 ? 'zh-CN' : 'en', BENCH_PASSWORD_HASH, at, at).lastInsertRowid));
    }
    for (let i = 0; i < sizes.advisors; i++) {
      const at = todayMs - int(200, 900) * DAY;
      const email = `a${i + 1}@${domain}`;
      advisorEmails.push(email);
      advisorIds.push(Number(insUser.run(email, `${name()}（咨询师）`, 'advisor', 'zh-CN', BENCH_PASSWORD_HASH, at, at).lastInsertRowid));
    }
  })();
  counts.users = borrowerIds.length + advisorIds.length;

  // --- cases, 1..n per borrower, averaging cases/borrowers ---
  const caseOwners: number[] = [];
  for (let i = 0; i < sizes.cases; i++) {
    // the first pass gives everyone one case; the rest land on borrowers unevenly (some have many)
    caseOwners.push(i < sizes.borrowers ? borrowerIds[i]! : borrowerIds[Math.floor(Math.pow(rand(), 1.3) * sizes.borrowers)]!);
  }

  // case_facts (migration 0006) is kept by triggers on every row written to cases, attempts,
  // material_requests, contacts and instalments: at bulk, a case's facts would be worked out again
  // for each of its rows. So they are dropped while the cases are loaded, then created again from
  // their own text in the schema, and the table is filled with one INSERT … SELECT from the view
  // the triggers copy from (in one transaction: a write by another connection in between — the e2e
  // server — is in what the refill reads, or comes after the triggers are back).
  // data_versions' triggers (migration 0007) would bump an owner's row for each of those rows and
  // reminders: they are dropped too, and row 0, which every advisor's dashboard counts, is bumped
  // once at the end, so a server that kept a dashboard sees it has changed.
  const triggersNamed = (prefix: string) => {
    const found = c.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'`).all(`${prefix}\\_%`) as { name: string; sql: string }[];
    if (found.length === 0) throw new Error(`No ${prefix} triggers: migrate the database first.`);
    return found;
  };
  const factTriggers = triggersNamed('case_facts');
  const versionTriggers = triggersNamed('data_versions');
  c.transaction(() => {
    for (const t of [...factTriggers, ...versionTriggers]) c.exec(`DROP TRIGGER "${t.name}"`);
  })();
  try {
    const CHUNK = 5_000;
    for (let start = 0; start < sizes.cases; start += CHUNK) {
      c.transaction(() => {
        for (let i = start; i < Math.min(start + CHUNK, sizes.cases); i++) makeCase(caseOwners[i]!);
      })();
    }
  } finally {
    c.transaction(() => {
      for (const t of factTriggers) c.exec(t.sql);
      c.exec('DELETE FROM case_facts');
      c.exec('INSERT INTO case_facts SELECT * FROM case_facts_source');
      for (const t of versionTriggers) c.exec(t.sql);
      c.exec('INSERT INTO data_versions (user_id, version) SELECT 0, coalesce(max(version), 0) + 1 FROM data_versions WHERE true ON CONFLICT (user_id) DO UPDATE SET version = excluded.version');
    })();
  }

  function makeCase(owner: number) {
    const lender = weighted(lenderChoices);
    const status = weighted(STATUS_WEIGHTS);
    const principal = int(20, 3000) * 100 * 10; // 2,000 ¥ .. 300,000 ¥ in fen/10 steps
    const interest = Math.floor(principal * (0.02 + rand() * 0.15));
    const penalty = Math.floor(principal * rand() * 0.08);
    const createdDaysAgo = int(3, 600);
    const createdOn = daysAgo(createdDaysAgo);
    const createdAt = dateMs(createdOn);
    const overdueSince = addDaysIso(createdOn, -int(10, 400));
    // Stale negotiations exist: a third of open cases have had no activity for weeks.
    const lastActivity = Math.max(createdDaysAgo - int(0, createdDaysAgo), rand() < 0.35 ? int(15, 120) : int(0, 13));
    const updatedDays = Math.min(createdDaysAgo, lastActivity);
    const updatedAt = Math.max(createdAt, todayMs - updatedDays * DAY - int(0, 20_000_000));
    const closed = status === 'closed';
    const outcome = closed ? weighted([['settled', 6], ['withdrawn', 3], ['other', 1]] as [string, number][]) : null;
    const caseId = Number(
      insCase.run(owner, lender.id, `${lender.name.split(/[（ /]/)[0]}${pick(PRODUCTS)}`, String(int(1000, 9999)), principal, interest, penalty,
        overdueSince, status, outcome, closed && rand() < 0.4 ? 1 : 0, rand() < 0.3 ? pick(HARDSHIP) : '', int(1, 30), createdAt, updatedAt).lastInsertRowid,
    );
    counts.cases! += 1;
    event(caseId, owner, 'case_created', { lender: lender.name }, createdAt);
    // About one case in five has a note from its borrower, written at the case's last activity.
    if (noteRand() < 0.2) {
      event(caseId, owner, 'note', { text: pick(BORROWER_NOTES, noteRand) }, Math.max(createdAt, updatedAt - Math.floor(noteRand() * 6 * 3_600_000)));
    }

    // documents 0..6
    const nDocs = int(0, 6);
    for (let d = 0; d < nDocs; d++) {
      const kind = pick(DOCUMENT_KINDS);
      const withFile = rand() < 0.6;
      insDocument.run(caseId, null, kind, pick(DOCUMENT_STATUSES), '', kind === 'medical_proof' || kind === 'bank_statement' ? 1 : 0,
        withFile ? `${kind}.pdf` : null, withFile ? `bench-${caseId}-${d}.pdf` : null, withFile ? 'application/pdf' : null, withFile ? int(50_000, 3_000_000) : null,
        createdAt + d * 3_600_000, createdAt + d * 3_600_000);
      counts.documents! += 1;
      event(caseId, owner, 'document_added', { kind }, createdAt + d * 3_600_000);
    }
    // contacts 0..5
    const nContacts = int(0, 5);
    for (let k = 0; k < nContacts; k++) {
      const on = addDaysIso(createdOn, int(0, Math.max(0, createdDaysAgo - 1)));
      const promise = rand() < 0.3 ? pick(PROMISES) : null;
      const promiseDue = promise ? addDaysIso(on, int(2, 10)) : null;
      const channel = pick(CONTACT_CHANNELS);
      const agentId = rand() < 0.5 ? `工号${int(1000, 99999)}` : '';
      const [summary, direction] = pick(CONTACT_SUMMARIES);
      const contactId = Number(insContact.run(caseId, channel, dateMs(on), agentId, summary, promise, promiseDue, owner, dateMs(on), direction).lastInsertRowid);
      counts.contacts! += 1;
      event(caseId, owner, 'contact_added', { channel: 'phone', direction }, dateMs(on));
      if (promise && promiseDue && !closed) reminder(owner, caseId, 'promise_chase', `promise:${contactId}`, promiseDue, { promise, lender: lender.name }, promiseDue < daysAgo(20) ? 'done' : 'open');
    }
    if (status === 'preparing') {
      if (rand() < 0.5) reminder(owner, caseId, 'next_step', `next:${caseId}`, addDaysIso(createdOn, 3), { lender: lender.name });
      return;
    }

    // attempts 1..3
    const nAttempts = status === 'rejected' || status === 'escalated' ? int(1, 3) : int(1, 2);
    // Nothing is dated after today: not an application, not a decision (the escalation below follows the last one).
    let submitted = minIso(addDaysIso(createdOn, int(1, 5)), today);
    for (let round = 1; round <= nAttempts; round++) {
      const last = round === nAttempts;
      const periods = int(6, 36);
      const monthly = Math.ceil((principal + interest) / periods / 100) * 100;
      const firstPay = addDaysIso(submitted, int(20, 40));
      let decision: string | null = 'rejected';
      if (last) {
        if (status === 'under_review' || status === 'materials_requested') decision = null;
        else if (status === 'approved' || status === 'repaying' || (closed && outcome === 'settled')) decision = 'approved';
      }
      if (status === 'escalated' && last) decision = 'rejected';
      const decidedOn = decision ? minIso(addDaysIso(submitted, int(3, 20)), today) : null;
      const program = rand() < 0.7 ? 'instalments' : pick(['penalty_waiver', 'extension', 'suspension']);
      const channel = pick(CHANNELS);
      const reason = decision === 'rejected' ? pick(REJECTION_REASONS) : null;
      const attemptId = Number(
        insAttempt.run(caseId, round, program, periods, monthly, firstPay, submitted, channel, decision, decidedOn,
          reason, reason === 'other' ? OTHER_REJECTIONS[(caseId + round) % OTHER_REJECTIONS.length]! : null,
          decision === 'approved' ? periods : null, decision === 'approved' ? monthly : null,
          decision === 'approved' ? firstPay : null, dateMs(submitted)).lastInsertRowid,
      );
      counts.attempts! += 1;
      event(caseId, owner, 'attempt_submitted', { round, program }, dateMs(submitted));
      if (decision === 'rejected') event(caseId, owner, 'attempt_rejected', { round }, dateMs(decidedOn!));
      if (!decision) {
        reminder(owner, caseId, 'review_followup', `review:${attemptId}`, addDaysIso(submitted, 7), { lender: lender.name });
        if (status === 'materials_requested') {
          const requested = addDaysIso(submitted, int(2, 6));
          const deadline = addDaysIso(requested, int(5, 15));
          const reqId = Number(insMaterial.run(caseId, attemptId, '补充近三个月银行流水和收入证明', requested, deadline, null, dateMs(requested)).lastInsertRowid);
          counts.material_requests! += 1;
          event(caseId, owner, 'materials_requested', { deadline }, dateMs(requested));
          reminder(owner, caseId, 'materials_deadline', `materials:${reqId}`, deadline, { lender: lender.name, deadline });
        }
      }
      if (decision === 'approved') {
        event(caseId, owner, 'attempt_approved', { round, periods }, dateMs(decidedOn!));
        const planId = Number(insPlan.run(caseId, attemptId, periods, monthly, firstPay, periods * monthly, dateMs(decidedOn!)).lastInsertRowid);
        counts.plans! += 1;
        for (let s = 1; s <= periods; s++) {
          const dueOn = addMonthsIso(firstPay, s - 1);
          const past = dueOn < today;
          // repaying: most past instalments paid, some missed; approved: none paid yet; settled: all paid
          const paid = (closed && outcome === 'settled') || (status === 'repaying' && past && rand() < 0.9);
          const instId = Number(insInstalment.run(planId, caseId, s, dueOn, monthly, paid ? dueOn : null, paid ? monthly : null).lastInsertRowid);
          counts.instalments! += 1;
          if (paid) event(caseId, owner, 'instalment_paid', { seq: s }, dateMs(dueOn));
          else if (!closed && !past) {
            const data = { seq: s, periods, amountFen: monthly, dueOn, lender: lender.name };
            if (dueOn <= addDaysIso(today, 40)) {
              reminder(owner, caseId, 'instalment_upcoming', `inst-pre:${instId}`, addDaysIso(dueOn, -3), data);
              reminder(owner, caseId, 'instalment_due', `inst-due:${instId}`, dueOn, data);
            }
          }
        }
        if (status === 'repaying') event(caseId, owner, 'repaying_started', {}, dateMs(firstPay));
      }
      submitted = minIso(addDaysIso(decidedOn ?? submitted, int(3, 30)), today);
    }
    if (status === 'escalated') {
      // As escalateCase records it: a round of its own before the mediator or the regulator, under
      // review there, followed up on the route's own day. Dated where the next round would have been.
      const route = pick(['mediation', 'complaint']);
      const round = nAttempts + 1;
      const escalationId = Number(
        insAttempt.run(caseId, round, route, null, null, null, submitted, route === 'mediation' ? 'mediator' : 'regulator', null, null, null, null, null, null, null, dateMs(submitted)).lastInsertRowid,
      );
      counts.attempts! += 1;
      event(caseId, owner, 'escalated', { round, route, submittedOn: submitted }, dateMs(submitted));
      reminder(owner, caseId, 'review_followup', `review:${escalationId}`, escalationFollowupOn(submitted, route), { round, lender: lender.name, submittedOn: submitted, route });
    }
    if (closed) event(caseId, owner, outcome === 'withdrawn' ? 'withdrawn' : 'plan_completed', {}, updatedAt);
    if (rand() < 0.05) reminder(owner, caseId, 'custom', null, addDaysIso(today, int(-5, 30)), {}, 'open', 0, '给客服回电话');
  }

  // --- shares: advisors with 20..500 clients; the first has exactly 500 (or every borrower, if fewer) ---
  let busiestClients = 0;
  c.transaction(() => {
    advisorIds.forEach((advisorId, a) => {
      const want = Math.min(sizes.borrowers, a === 0 ? 500 : Math.floor(20 + Math.pow(rand(), 2.5) * 480));
      if (a === 0) busiestClients = want;
      const chosen = new Set<number>();
      // a contiguous window from a random start, then shuffled visits: cheap and distinct
      const startAt = int(0, sizes.borrowers - 1);
      for (let k = 0; chosen.size < want; k++) chosen.add(borrowerIds[(startAt + k * 7919) % sizes.borrowers]!);
      // Clients who stopped sharing (about one in twenty, over the last four months): the dashboard
      // names those of the last 30 days. Borrowers beyond the active window, so none shares again.
      const ended = Math.min(sizes.borrowers - want, Math.round(want * 0.05));
      for (let e = 0; e < ended; e++) {
        const borrowerId = borrowerIds[(startAt + (want + e) * 7919) % sizes.borrowers]!;
        if (chosen.has(borrowerId)) continue;
        const revokedAt = todayMs - int(0, 120) * DAY - int(0, 86_399_999);
        const at = revokedAt - int(7, 200) * DAY;
        insEndedShare.run(borrowerId, advisorId, `bench-${options.seed}-${a}-ended-${e}-${borrowerId}`, at + 7 * DAY, at, at + 3_600_000, revokedAt, at);
        counts.shares! += 1;
      }
      let n = 0;
      for (const borrowerId of chosen) {
        const at = todayMs - int(1, 300) * DAY;
        insShare.run(borrowerId, advisorId, `bench-${options.seed}-${a}-${n++}-${borrowerId}`, at + 7 * DAY, rand() < 0.5 ? '法律援助中心' : '', at, rand() < 0.3 ? at : null, at + int(0, 3) * 3_600_000, at);
        counts.shares! += 1;
        if (rand() < 0.5) {
          insAccess.run(borrowerId, advisorId, advisorId, null, at + DAY);
          counts.access_log! += 1;
        }
        // About one client in four has a note or two from this advisor, written since the share began.
        if (rand() < 0.25) {
          const row = firstOpenCase.get(borrowerId) as { id: number } | undefined;
          for (let k = row ? int(1, 2) : 0; k > 0; k--) event(row!.id, advisorId, 'note', { text: pick(ADVISOR_NOTES) }, at + DAY + Math.floor(rand() * (todayMs - at - DAY)));
        }
      }
    });
  })();
  return { counts, busiestAdvisorEmail: advisorEmails[0]!, busiestAdvisorClients: busiestClients, today, ms: Date.now() - started };
}
