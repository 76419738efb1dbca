/**
 * Reminder mail through a real SMTP server on loopback (smtp-server), with a fixed clock.
 * 2025-04-08 is a Tuesday and a workday; 09:05 there is 01:05 UTC.
 */
import Database from 'better-sqlite3';
import { and, eq } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDate, formatDateTime } from '@/lib/dates';
import { telHref } from '@/lib/phone';
import { startSmtpServer, transportTo, type ReceivedMail, type TestSmtp } from '@/tests/mail-helpers';
import { advanceCase, approveInput, makeAdvisor, makeBorrower, makeCase, materialsInput, publicLender, submitInput, versionOf } from '@/tests/factories';
import { approveAttempt, changeMaterialsDeadline, requestMaterials, submitAttempt } from './attempts';
import { setCaseArchived } from './cases';
import { addCaseNote } from './notes';
import { changeInstalment, markInstalmentPaid } from './plans';
import { getDb } from './client';
import {
  getMailStatus,
  isQuietTime,
  MAX_ATTEMPTS,
  retryDelayMs,
  setEmailReminders,
  systemEnqueueDigests,
  systemEnqueueUrgent,
  systemMailTick,
  systemSendPending,
  systemUnsubscribeWithToken,
} from './mailer';
import { POST as unsubscribePost } from '@/app/mail/unsubscribe/confirm/route';
import { unsubscribeToken } from '@/lib/unsubscribe';
import { emailConfirmationToken } from '@/lib/email-confirmation';
import { systemConfirmEmail } from './users';
import { createReminder, setReminderStatus, snoozeReminder, systemSweepReminders } from './reminders';
import { acceptInvite, createInvite, revokeShare } from './shares';
import { caseEvents, emailDeliveries, instalments, materialRequests, reminders, shares, users, type Locale } from './schema';
import type { Viewer } from './viewer-type';

const APP_URL = 'https://respite.example';
/** An instant given as Shanghai wall-clock time. */
const at = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);
const NOW = at('2025-04-08', '09:05');
const MINUTE = 60_000;

/**
 * A step recorded at `when` (the verbs' "today" there, then the real clock again): a request for
 * materials recorded after its nudge's day makes no nudge (lib/reminder-rules.ts).
 */
function recordedAt<T>(when: Date, step: () => T): T {
  const back = Date.now();
  vi.useFakeTimers({ toFake: ['Date'], now: when });
  try {
    return step();
  } finally {
    vi.useFakeTimers({ toFake: ['Date'], now: back });
  }
}

let smtp: TestSmtp;

beforeEach(async () => {
  // The real clock stands still (the SMTP server's and the sockets' timers run): a send run's own
  // clock is the tick's instant moved on by the real time the run takes, so what a test's tick
  // stamps is that instant exactly. A test moves the clock on where it means time to pass.
  vi.useFakeTimers({ toFake: ['Date'] });
  // The database is shared with the other test files: only this test's users may get mail.
  getDb().$client.exec(`UPDATE users SET email_reminders = 0; UPDATE email_deliveries SET status = 'sent' WHERE status = 'pending';`);
  smtp = await startSmtpServer();
});

afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  await smtp.close();
});

const tick = (now: Date, port = smtp.port) => systemMailTick(now, { transport: transportTo(port), appUrl: APP_URL });

type Fixture = { viewer: Viewer; lender: string; hotline: string; ids: Record<string, number> };

/**
 * A borrower with: materials requested on 7 Apr with a deadline on 9 Apr (the urgent nudge is
 * due on the 8th, the deadline itself on the 9th), an application submitted on 20 Mar whose
 * review follow-up (27 Mar) is overdue, and their own reminder due on the 8th, titled with
 * characters that HTML must escape.
 */
function borrowerWithDueReminders(locale: Locale, displayName = locale === 'en' ? 'Lin' : '小林'): Fixture {
  const viewer = makeBorrower({ locale, displayName });
  const { name: lender, channels } = publicLender(viewer);
  if (!channels.hotline) throw new Error('the first public lender has a hotline in the seed');
  const materialsCase = makeCase(viewer);
  submitAttempt(viewer, materialsCase, versionOf(materialsCase), submitInput({ submittedOn: '2025-04-01' }));
  recordedAt(at('2025-04-07', '10:00'), () =>
    requestMaterials(viewer, materialsCase, versionOf(materialsCase), materialsInput({ what: '近三个月银行流水', requestedOn: '2025-04-07', deadline: '2025-04-09' })),
  );
  const reviewCase = makeCase(viewer);
  submitAttempt(viewer, reviewCase, versionOf(reviewCase), submitInput({ submittedOn: '2025-03-20' }));
  createReminder(viewer, reviewCase, { title: '<b>给客服打电话</b> & "确认"', dueOn: '2025-04-08', dueTime: null, note: '' });
  const rows = getDb().select().from(reminders).where(and(eq(reminders.ownerId, viewer.id), eq(reminders.status, 'open'))).all();
  const ids = Object.fromEntries(rows.map((r) => [r.kind, r.id]));
  expect(Object.keys(ids).sort()).toEqual(['custom', 'materials_deadline', 'materials_nudge', 'review_followup']);
  expect(rows.find((r) => r.kind === 'materials_nudge')).toMatchObject({ dueOn: '2025-04-08', urgent: true });
  expect(rows.find((r) => r.kind === 'review_followup')?.dueOn).toBe('2025-03-27');
  return { viewer, lender, hotline: channels.hotline, ids };
}

const mailsTo = (viewer: Viewer): ReceivedMail[] => smtp.received.filter((m) => m.to.includes(viewer.email));
const deliveriesOf = (viewer: Viewer) => getDb().select().from(emailDeliveries).where(eq(emailDeliveries.userId, viewer.id)).all();
const mailedAt = (id: number) => getDb().select({ m: reminders.mailedAt }).from(reminders).where(eq(reminders.id, id)).get()?.m ?? null;
const urgentOf = (mails: ReceivedMail[]) => mails.filter((m) => m.headers['message-id']?.includes('.urgent.'));
const digestsOf = (mails: ReceivedMail[]) => mails.filter((m) => m.headers['message-id']?.includes('.digest.'));

/** Runs one tick in a separate process (a second server, or `npm run mailer --once`). */
function tickInChildProcess(now: Date): Promise<string> {
  const root = path.resolve(__dirname, '..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'tests/mailer-worker.ts'], {
      cwd: root,
      env: { ...process.env, SMTP_TEST_PORT: String(smtp.port), TICK_NOW: now.toISOString() },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 25_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

describe('reminder mail', () => {
  it('sends one urgent mail and one digest per person, in their language, with the right items, once', async () => {
    const zh = borrowerWithDueReminders('zh-CN');
    const en = borrowerWithDueReminders('en');

    const result = await tick(NOW);
    expect(result.mail).toMatchObject({ urgent: 2, digests: 2, sent: 4, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(4);

    // Chinese.
    const zhMails = mailsTo(zh.viewer);
    expect(zhMails).toHaveLength(2);
    const [zhUrgent] = urgentOf(zhMails);
    const [zhDigest] = digestsOf(zhMails);
    expect(zhUrgent.subject).toBe(`【协商记】紧急：${formatDate('2025-04-09', 'zh-CN')}截止：尽快准备给${zh.lender}的材料——近三个月银行流水`);
    expect(zhUrgent.text).toContain('小林，你好');
    // The deadline, not overdue; the lender's hotline to call them about it, in the HTML a link that dials.
    expect(zhUrgent.text).toContain(`机构：${zh.lender} · 客服电话：${zh.hotline} · 日期：${formatDate('2025-04-09', 'zh-CN')}\n`);
    expect(zhUrgent.html).toContain(`客服电话：<a href="${telHref(zh.hotline)}" style="color:#0f766e">${zh.hotline}</a>`);
    expect(zhUrgent.text).toContain(`${APP_URL}/reminders`);
    expect(zhUrgent.html).toContain(`href="${APP_URL}/reminders"`);
    expect(zhDigest.subject).toBe('【协商记】今日待办 2 项');
    expect(zhDigest.text).toContain(`1. 查看${zh.lender}第 1 轮申请的审核结果`);
    // Full-width brackets in Chinese, as in the title above it.
    expect(zhDigest.text).toContain(`日期：${formatDate('2025-03-27', 'zh-CN')}（已过期）`);
    expect(zhDigest.text).toContain('2. <b>给客服打电话</b> & "确认"');
    expect(zhDigest.text).not.toContain('近三个月银行流水'); // the deadline is tomorrow; the nudge had its own mail
    // Every user string is escaped in the HTML part.
    expect(zhDigest.html).toContain('&lt;b&gt;给客服打电话&lt;/b&gt; &amp; &quot;确认&quot;');
    expect(zhDigest.html).not.toContain('<b>给客服');
    expect(zhDigest.from).toBe('no-reply@localhost');
    expect(zhDigest.headers['auto-submitted']).toBe('auto-generated');

    // English.
    const enMails = mailsTo(en.viewer);
    expect(enMails).toHaveLength(2);
    const [enUrgent] = urgentOf(enMails);
    const [enDigest] = digestsOf(enMails);
    expect(enUrgent.subject).toBe(`[Respite] Urgent: Due ${formatDate('2025-04-09', 'en')}: get the materials for ${en.lender} ready — 近三个月银行流水`);
    expect(enUrgent.text).toContain('Hello Lin,');
    expect(enUrgent.text).toContain(`Lender: ${en.lender} · Hotline: ${en.hotline} · Date: `);
    expect(enDigest.subject).toBe('[Respite] 2 things due today');
    expect(enDigest.text).toContain(`1. Check the review result of round 1 with ${en.lender}`);
    expect(enDigest.text).toContain('(overdue)');
    expect(enDigest.text).not.toContain('审核');

    // Recorded: each mailed reminder once; the one due tomorrow is not mailed yet.
    for (const f of [zh, en]) {
      expect(mailedAt(f.ids.materials_nudge)).toEqual(NOW);
      expect(mailedAt(f.ids.review_followup)).toEqual(NOW);
      expect(mailedAt(f.ids.custom)).toEqual(NOW);
      expect(mailedAt(f.ids.materials_deadline)).toBeNull();
      expect(deliveriesOf(f.viewer).map((d) => [d.kind, d.status, d.attempts])).toEqual([
        ['urgent', 'sent', 1],
        ['digest', 'sent', 1],
      ]);
    }

    // Again, with a fresh transport ("restarted"), later the same day, and from another process: nothing more.
    await tick(NOW);
    await tick(new Date(NOW.getTime() + 3 * 60 * MINUTE));
    await tickInChildProcess(new Date(NOW.getTime() + 4 * 60 * MINUTE));
    expect(smtp.received).toHaveLength(4);

    // The next morning the deadline itself is due: a digest with that one item, and nothing already sent.
    const next = at('2025-04-09', '09:05');
    await tick(next);
    expect(smtp.received).toHaveLength(6);
    const zhNext = digestsOf(mailsTo(zh.viewer)).at(-1)!;
    expect(zhNext.subject).toBe('【协商记】今日待办 1 项');
    expect(zhNext.text).toContain(`向${zh.lender}补交材料的截止日：近三个月银行流水`);
    expect(zhNext.text).not.toContain('审核结果');
    expect(digestsOf(mailsTo(en.viewer)).at(-1)!.subject).toBe('[Respite] 1 thing due today');
    await tick(new Date(next.getTime() + MINUTE));
    expect(smtp.received).toHaveLength(6);
  }, 30_000);

  it('names no lender hotline for a case in mediation or a complaint: the lender is not who to call then', async () => {
    const viewer = makeBorrower({ locale: 'zh-CN' });
    const { name: lender, channels } = publicLender(viewer);
    expect(channels.hotline).toBeTruthy();
    const escalated = makeCase(viewer);
    advanceCase(viewer, escalated, 'escalated');
    createReminder(viewer, escalated, { title: '问调解员进展', dueOn: '2025-04-08', dueTime: null, note: '' });

    await tick(NOW);
    const [digest] = digestsOf(mailsTo(viewer));
    expect(digest.text).toContain('问调解员进展');
    expect(digest.text).toContain(`机构：${lender}`);
    expect(digest.text).not.toContain('客服电话');
    expect(digest.html).not.toContain('tel:');
  });

  it('tells a borrower in the next digest what an advisor wrote on her cases since the last one: once each, linked to the case, even with nothing due', async () => {
    const borrower = makeBorrower({ locale: 'zh-CN', displayName: '王小明' });
    const lender = publicLender(borrower).name;
    const caseId = makeCase(borrower, { accountRef: '8821' });
    const archived = makeCase(borrower);
    const advisor = makeAdvisor({ displayName: '李律师' });
    acceptInvite(advisor, createInvite(borrower, advisor.displayName).code);
    const noteAt = (text: string, when: Date, who: Viewer = advisor, on = caseId) => {
      const id = addCaseNote(who, on, text);
      getDb().update(caseEvents).set({ createdAt: when }).where(eq(caseEvents.id, id)).run();
      return id;
    };
    noteAt('下周一前把 <流水> 发给我 & 别忘了签字', at('2025-04-07', '15:30'));
    noteAt('第二行\n要分行', at('2025-04-08', '08:00'));
    noteAt('自己的备忘', at('2025-04-07', '16:00'), borrower);
    noteAt('归档案件上的留言', at('2025-04-07', '17:00'), advisor, archived);
    setCaseArchived(borrower, archived, versionOf(archived), true);
    noteAt('今天上午写的', at('2025-04-08', '10:00'));
    noteAt('太久以前的', at('2025-03-20', '10:00'));

    await tick(NOW);
    const [digest] = digestsOf(mailsTo(borrower));
    const text = digest.text.replace(/\r\n/g, '\n');
    expect(mailsTo(borrower)).toHaveLength(1);
    expect(digest.subject).toBe('【协商记】顾问有 2 条新留言');
    expect(text).toContain('你的顾问在你的案件上写了新的留言：');
    // Newest first, each with its author, when and which case, and a link to that case's timeline.
    const caseLine = `${lender}（尾号 8821）的案件`;
    const first = text.indexOf(`* 李律师 · ${formatDateTime(at('2025-04-08', '08:00'), 'zh-CN')} · ${caseLine}\n   第二行\n   要分行\n   ${APP_URL}/cases/${caseId}#timeline`);
    const second = text.indexOf(`* 李律师 · ${formatDateTime(at('2025-04-07', '15:30'), 'zh-CN')} · ${caseLine}\n   下周一前把 <流水> 发给我 & 别忘了签字\n`);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(digest.html).toContain('下周一前把 &lt;流水&gt; 发给我 &amp; 别忘了签字');
    expect(digest.html).toContain(`href="${APP_URL}/cases/${caseId}#timeline"`);
    for (const left of ['自己的备忘', '归档案件', '今天上午写的', '太久以前的', '打开提醒列表']) expect(text).not.toContain(left);

    // The note written after this digest was queued is in the next day's, alone; then nothing more.
    await tick(new Date(NOW.getTime() + 2 * 60 * MINUTE));
    expect(mailsTo(borrower)).toHaveLength(1);
    await tick(at('2025-04-09', '09:05'));
    const next = digestsOf(mailsTo(borrower));
    expect(next).toHaveLength(2);
    expect(next[1].subject).toBe('【协商记】顾问有 1 条新留言');
    expect(next[1].text).toContain('今天上午写的');
    expect(next[1].text).not.toContain('第二行');
    await tick(at('2025-04-10', '09:05'));
    expect(mailsTo(borrower)).toHaveLength(2);
  }, 30_000);

  it('mails an advisor\'s note again in the next digest when the one that carried it was given up on', async () => {
    const borrower = makeBorrower({ locale: 'en', displayName: 'Wang' });
    const caseId = makeCase(borrower);
    const advisor = makeAdvisor({ displayName: 'Ms Li' });
    acceptInvite(advisor, createInvite(borrower, advisor.displayName).code);
    const note = addCaseNote(advisor, caseId, 'Send me the bank statements by Monday');
    getDb().update(caseEvents).set({ createdAt: at('2025-04-07', '15:30') }).where(eq(caseEvents.id, note)).run();

    // The SMTP server cannot be reached for as long as the digest is tried.
    const closed = await startSmtpServer();
    await closed.close();
    let now = NOW;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await tick(now, closed.port);
      now = new Date(now.getTime() + retryDelayMs(attempt));
    }
    expect(deliveriesOf(borrower).map((d) => d.status)).toEqual(['failed']);
    expect(now.getTime()).toBeLessThan(at('2025-04-09', '09:00').getTime());

    // The next day's digest carries it, though it was written before the one given up on was queued.
    await tick(at('2025-04-09', '09:05'));
    const mails = digestsOf(mailsTo(borrower));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('[Respite] A note from your advisor');
    expect(mails[0].text).toContain('Send me the bank statements by Monday');
    // Mailed once: not again the day after.
    await tick(at('2025-04-10', '09:05'));
    expect(mailsTo(borrower)).toHaveLength(1);
    expect(deliveriesOf(borrower).map((d) => d.status)).toEqual(['failed', 'sent']);
  }, 30_000);

  it('puts advisors\' notes after what is due, in the recipient\'s language: the latest five, the rest counted, a long one cut short, a deleted advisor\'s unnamed', async () => {
    const en = borrowerWithDueReminders('en');
    const caseId = makeCase(en.viewer, { accountRef: '', product: 'Credit card' });
    const advisor = makeAdvisor({ displayName: 'Ms Lee' });
    acceptInvite(advisor, createInvite(en.viewer, advisor.displayName).code);
    const ids = Array.from({ length: 7 }, (_, i) => {
      const id = addCaseNote(advisor, caseId, i === 6 ? `Latest. ${'x'.repeat(400)}` : `Note number ${i}`);
      getDb().update(caseEvents).set({ createdAt: at('2025-04-07', `1${i}:00`) }).where(eq(caseEvents.id, id)).run();
      return id;
    });
    // The advisor of the latest but one has since deleted her account (ON DELETE SET NULL).
    getDb().update(caseEvents).set({ actorId: null }).where(eq(caseEvents.id, ids[5])).run();

    await tick(NOW);
    const [digest] = digestsOf(mailsTo(en.viewer));
    const text = digest.text.replace(/\r\n/g, '\n');
    expect(digest.subject).toBe('[Respite] 2 things due today');
    const reminders = text.indexOf('1. Check the review result');
    const notes = text.indexOf('\nFrom your advisor\n');
    expect(reminders).toBeGreaterThan(0);
    expect(notes).toBeGreaterThan(reminders);
    expect(text).toContain(`* Ms Lee · ${formatDateTime(at('2025-04-07', '16:00'), 'en')} · ${en.lender} case (Credit card)\n   Latest. ${'x'.repeat(290)}`);
    expect(text).not.toContain('x'.repeat(300));
    expect(text).toContain('…');
    expect(text).toContain(`* An advisor whose account is deleted · ${formatDateTime(at('2025-04-07', '15:00'), 'en')}`);
    for (const n of [2, 3, 4]) expect(text).toContain(`Note number ${n}`);
    for (const n of [0, 1]) expect(text).not.toContain(`Note number ${n}`);
    expect(text).toContain('2 more notes are in your cases’ timelines.');
    expect(digest.html).toContain('>From your advisor</h2>');
  }, 30_000);

  it('tells each advisor with an active share, once, about a client\'s missed instalment; not a revoked or later one, and not the client\'s other reminders', async () => {
    const borrower = makeBorrower({ locale: 'zh-CN', displayName: '王小明' });
    const lender = publicLender(borrower).name;
    const caseId = makeCase(borrower);
    submitAttempt(borrower, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-03-20' }));
    approveAttempt(borrower, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-03-25', agreedPeriods: 3, agreedMonthly: 81_250, agreedFirstPaymentOn: '2025-04-02' }));
    createReminder(borrower, caseId, { title: '自己的提醒', dueOn: '2025-04-08', dueTime: null, note: '' });
    const zhAdvisor = makeAdvisor({ locale: 'zh-CN', displayName: '李律师' });
    const enAdvisor = makeAdvisor({ locale: 'en', displayName: 'Ms Lee' });
    const revoked = makeAdvisor();
    const quiet = makeAdvisor();
    for (const a of [zhAdvisor, enAdvisor, revoked, quiet]) acceptInvite(a, createInvite(borrower, a.displayName).code);
    const revokedShare = getDb().select().from(shares).where(and(eq(shares.borrowerId, borrower.id), eq(shares.advisorId, revoked.id))).get()!;
    revokeShare(borrower, revokedShare.id);
    setEmailReminders(quiet, false);

    // The first tick sweeps the missed instalment (due 2 April) and mails it.
    await tick(NOW);
    const missed = getDb().select().from(reminders).where(and(eq(reminders.caseId, caseId), eq(reminders.kind, 'instalment_missed'))).get()!;
    expect(missed).toMatchObject({ urgent: true, dueOn: '2025-04-03' });
    // Accepted after the instalment was missed: not told of it.
    const late = makeAdvisor();
    acceptInvite(late, createInvite(borrower, 'late').code);

    const [zhMail] = mailsTo(zhAdvisor);
    expect(mailsTo(zhAdvisor)).toHaveLength(1);
    const title = `${lender}第 1/3 期还款 ¥812.50 已逾期未还（应还日${formatDate('2025-04-02', 'zh-CN')}）`;
    expect(zhMail.subject).toBe(`【协商记】客户王小明：${title}`);
    expect(zhMail.text).toContain('李律师，你好');
    expect(zhMail.text).toContain(`客户：王小明 · 机构：${lender} · 日期：${formatDate('2025-04-02', 'zh-CN')}（已过期）`);
    expect(zhMail.text).toContain(`${APP_URL}/cases/${caseId}`);
    expect(zhMail.html).toContain(`href="${APP_URL}/cases/${caseId}"`);
    expect(zhMail.text).not.toContain('自己的提醒');
    const [enMail] = mailsTo(enAdvisor);
    expect(enMail.subject).toBe(`[Respite] Your client 王小明: ${lender} instalment 1 of 3, ¥812.50, is overdue (was due ${formatDate('2025-04-02', 'en')})`);
    expect(enMail.text).toContain('Hello Ms Lee,');
    for (const a of [revoked, quiet, late]) expect(mailsTo(a), a.displayName).toHaveLength(0);

    // The borrower's own mail still went, and marked the reminder mailed; the advisors' did not stand in its way.
    expect(urgentOf(mailsTo(borrower)).map((m) => m.subject)).toEqual([`【协商记】紧急：${title}`]);
    expect(mailedAt(missed.id)).toEqual(NOW);
    expect(deliveriesOf(zhAdvisor).map((d) => [d.kind, d.dedupeKey, d.status])).toEqual([['client', `client:${missed.id}:${zhAdvisor.id}:2025-04-03`, 'sent']]);

    // Once: later ticks send nothing more to anyone.
    const count = smtp.received.length;
    await tick(new Date(NOW.getTime() + MINUTE));
    await tick(at('2025-04-09', '09:05'));
    expect(mailsTo(zhAdvisor)).toHaveLength(1);
    expect(mailsTo(enAdvisor)).toHaveLength(1);
    expect(smtp.received.length - count).toBe(mailsTo(borrower).length - 2);
  }, 30_000);

  it('makes "pay the rest" of a payment short before its date urgent once the date has passed: mailed again, as urgent, and to the advisor', async () => {
    // "Today" for the verbs too: the payment is made before its instalment's date.
    vi.useFakeTimers({ toFake: ['Date'], now: at('2025-04-03', '10:00') });
    try {
      const borrower = makeBorrower({ locale: 'zh-CN', displayName: '孙丽' });
      const caseId = makeCase(borrower);
      submitAttempt(borrower, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-03-20' }));
      approveAttempt(borrower, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-03-25', agreedPeriods: 2, agreedMonthly: 100_000, agreedFirstPaymentOn: '2025-04-07' }));
      const advisor = makeAdvisor({ locale: 'zh-CN', displayName: '周顾问' });
      acceptInvite(advisor, createInvite(borrower, 'a').code);
      const first = getDb().select().from(instalments).where(and(eq(instalments.caseId, caseId), eq(instalments.seq, 1))).get()!;
      markInstalmentPaid(borrower, caseId, versionOf(caseId), first.id, { paidOn: '2025-04-03', paid: 40_000 });
      const rest = () => getDb().select().from(reminders).where(and(eq(reminders.caseId, caseId), eq(reminders.kind, 'instalment_short'))).get()!;
      expect(rest()).toMatchObject({ urgent: false, dueOn: '2025-04-07', status: 'open' });

      // On the day, the digest names it; it is not urgent yet, and the advisor is not told.
      vi.setSystemTime(at('2025-04-07', '09:05'));
      await tick(at('2025-04-07', '09:05'));
      expect(digestsOf(mailsTo(borrower))).toHaveLength(1);
      expect(urgentOf(mailsTo(borrower))).toHaveLength(0);
      expect(mailedAt(rest().id)).toEqual(at('2025-04-07', '09:05'));
      expect(mailsTo(advisor)).toHaveLength(0);

      // After midnight the rest is still owed: missed, and urgent at once; its mail waits for 08:00,
      // then goes as urgent, and the advisor is told.
      vi.setSystemTime(at('2025-04-08', '00:01'));
      await tick(at('2025-04-08', '00:01'));
      expect(rest()).toMatchObject({ urgent: true, status: 'open' });
      expect(urgentOf(mailsTo(borrower))).toHaveLength(0);
      expect(mailsTo(advisor)).toHaveLength(0);
      vi.setSystemTime(at('2025-04-08', '08:00'));
      await tick(at('2025-04-08', '08:00'));
      const [urgentMail] = urgentOf(mailsTo(borrower));
      expect(urgentOf(mailsTo(borrower))).toHaveLength(1);
      expect(urgentMail!.subject).toMatch(/^【协商记】紧急：/);
      expect(urgentMail!.text).toContain('¥600.00');
      expect(mailsTo(advisor)).toHaveLength(1);
      expect(mailsTo(advisor)[0]!.subject).toMatch(/^【协商记】客户孙丽：/);
      expect(mailsTo(advisor)[0]!.text).toContain('过了还款日仍未还清');

      // Once.
      await tick(at('2025-04-08', '08:01'));
      expect(urgentOf(mailsTo(borrower))).toHaveLength(1);
      expect(mailsTo(advisor)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells the borrower and the advisor again, as urgent, of an instalment missed again after its date was moved', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: at('2025-04-03', '10:00') });
    try {
      const borrower = makeBorrower({ locale: 'zh-CN', displayName: '赵敏' });
      const caseId = makeCase(borrower);
      submitAttempt(borrower, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-03-20' }));
      approveAttempt(borrower, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-03-25', agreedPeriods: 2, agreedMonthly: 100_000, agreedFirstPaymentOn: '2025-04-02' }));
      const advisor = makeAdvisor({ locale: 'zh-CN', displayName: '钱顾问' });
      acceptInvite(advisor, createInvite(borrower, 'a').code);
      const missed = () => getDb().select().from(reminders).where(and(eq(reminders.caseId, caseId), eq(reminders.kind, 'instalment_missed'))).all();

      // Missed on 2 April: told on the 3rd.
      await tick(at('2025-04-03', '10:00'));
      expect(urgentOf(mailsTo(borrower))).toHaveLength(1);
      expect(mailsTo(advisor)).toHaveLength(1);

      // The lender gives until 15 April: no longer missed.
      const first = getDb().select().from(instalments).where(and(eq(instalments.caseId, caseId), eq(instalments.seq, 1))).get()!;
      changeInstalment(borrower, caseId, versionOf(caseId), first.id, { dueOn: '2025-04-15', amountFen: 100_000 });
      expect(missed()).toMatchObject([{ status: 'done', autoClosed: true }]);
      // Made on 3 April (as the database's own clock would say); a second advisor accepts on the 10th,
      // between the two misses: the first was before their time, the second is not.
      getDb().update(reminders).set({ createdAt: at('2025-04-03', '10:00') }).where(eq(reminders.id, missed()[0]!.id)).run();
      vi.setSystemTime(at('2025-04-10', '10:00'));
      const between = makeAdvisor({ locale: 'zh-CN', displayName: '孙顾问' });
      acceptInvite(between, createInvite(borrower, 'b').code);

      // 15 April passes unpaid: missed again, and told again on the 16th from 08:00, to both, as urgent.
      vi.setSystemTime(at('2025-04-16', '00:01'));
      await tick(at('2025-04-16', '00:01'));
      expect(missed()).toMatchObject([{ status: 'open', dueOn: '2025-04-16', urgent: true, mailedAt: null }]);
      expect(urgentOf(mailsTo(borrower))).toHaveLength(1);
      vi.setSystemTime(at('2025-04-16', '08:00'));
      await tick(at('2025-04-16', '08:00'));
      const urgent = urgentOf(mailsTo(borrower));
      expect(urgent).toHaveLength(2);
      expect(urgent[1]!.text).toContain(formatDate('2025-04-15', 'zh-CN'));
      expect(mailsTo(advisor)).toHaveLength(2);
      expect(mailsTo(advisor)[1]!.text).toContain(formatDate('2025-04-15', 'zh-CN'));
      expect(mailsTo(between)).toHaveLength(1);
      expect(mailsTo(between)[0]!.text).toContain(formatDate('2025-04-15', 'zh-CN'));

      // Once.
      await tick(at('2025-04-16', '09:05'));
      expect(urgentOf(mailsTo(borrower))).toHaveLength(2);
      expect(mailsTo(advisor)).toHaveLength(2);
      expect(mailsTo(between)).toHaveLength(1);
      expect(missed()).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells an advisor whose share began after a part payment when the rest goes unpaid past its date; not one whose share began after that', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: at('2025-04-03', '10:00') });
    try {
      const borrower = makeBorrower({ locale: 'zh-CN', displayName: '吴芳' });
      const caseId = makeCase(borrower);
      submitAttempt(borrower, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-03-20' }));
      approveAttempt(borrower, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-03-25', agreedPeriods: 2, agreedMonthly: 100_000, agreedFirstPaymentOn: '2025-04-07' }));
      const first = getDb().select().from(instalments).where(and(eq(instalments.caseId, caseId), eq(instalments.seq, 1))).get()!;
      // 3 April: ¥400 of ¥1,000 paid, before the date. "Pay the rest" is made then (as the database's own clock would say).
      markInstalmentPaid(borrower, caseId, versionOf(caseId), first.id, { paidOn: '2025-04-03', paid: 40_000 });
      const rest = () => getDb().select().from(reminders).where(and(eq(reminders.caseId, caseId), eq(reminders.kind, 'instalment_short'))).get()!;
      getDb().update(reminders).set({ createdAt: at('2025-04-03', '10:00') }).where(eq(reminders.id, rest().id)).run();

      // 5 April: an advisor accepts, before the date.
      vi.setSystemTime(at('2025-04-05', '10:00'));
      const advisor = makeAdvisor({ locale: 'zh-CN', displayName: '郑顾问' });
      acceptInvite(advisor, createInvite(borrower, 'a').code);

      // 7 April passes with the rest unpaid: missed at midnight. An advisor who accepts after that, before
      // anyone is told at 08:00, was not there when it was missed.
      vi.setSystemTime(at('2025-04-08', '00:01'));
      await tick(at('2025-04-08', '00:01'));
      expect(rest()).toMatchObject({ urgent: true, status: 'open' });
      vi.setSystemTime(at('2025-04-08', '07:00'));
      const later = makeAdvisor({ locale: 'zh-CN', displayName: '冯顾问' });
      acceptInvite(later, createInvite(borrower, 'b').code);

      vi.setSystemTime(at('2025-04-08', '08:00'));
      await tick(at('2025-04-08', '08:00'));
      expect(urgentOf(mailsTo(borrower))).toHaveLength(1);
      expect(mailsTo(advisor)).toHaveLength(1);
      expect(mailsTo(advisor)[0]!.subject).toMatch(/^【协商记】客户吴芳：/);
      expect(mailsTo(advisor)[0]!.text).toContain('¥600.00');
      expect(mailsTo(later)).toHaveLength(0);

      // Once.
      await tick(at('2025-04-08', '08:01'));
      expect(mailsTo(advisor)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells an advisor even when the client turned mail off, but only of what was missed since the share began', async () => {
    const borrower = makeBorrower();
    setEmailReminders(borrower, false);
    const caseId = makeCase(borrower);
    submitAttempt(borrower, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-03-20' }));
    approveAttempt(borrower, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-03-25', agreedPeriods: 2, agreedMonthly: 10_000, agreedFirstPaymentOn: '2025-04-02' }));
    const before = makeAdvisor();
    acceptInvite(before, createInvite(borrower, 'before').code);
    systemSweepReminders(NOW);
    vi.setSystemTime(Date.now() + 1000); // a moment later
    const after = makeAdvisor();
    acceptInvite(after, createInvite(borrower, 'after').code);
    await tick(NOW);
    expect(mailsTo(borrower)).toHaveLength(0);
    expect(mailsTo(before)).toHaveLength(1);
    expect(mailsTo(after)).toHaveLength(0);
    await tick(new Date(NOW.getTime() + MINUTE));
    expect(mailsTo(before)).toHaveLength(1);
  });

  it('drops an advisor\'s alert queued before the share was revoked', async () => {
    const borrower = makeBorrower();
    const caseId = makeCase(borrower);
    submitAttempt(borrower, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-03-20' }));
    approveAttempt(borrower, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-03-25', agreedPeriods: 2, agreedMonthly: 10_000, agreedFirstPaymentOn: '2025-04-02' }));
    const advisor = makeAdvisor();
    const invite = createInvite(borrower, 'x');
    acceptInvite(advisor, invite.code);
    systemSweepReminders(NOW);
    expect(systemEnqueueUrgent(NOW)).toBe(2);
    revokeShare(borrower, invite.shareId);
    const r = await systemSendPending(transportTo(smtp.port), NOW, { appUrl: APP_URL });
    expect(r).toMatchObject({ sent: 1, skipped: 1 });
    expect(mailsTo(advisor)).toHaveLength(0);
    expect(deliveriesOf(advisor).map((d) => [d.kind, d.status, d.sentAt])).toEqual([['client', 'sent', null]]);
    expect(mailsTo(borrower)).toHaveLength(1);
  });

  it('mails an urgent reminder again, as urgent, once its rule moved it to a new date (the lender gave more time)', async () => {
    const borrower = makeBorrower({ locale: 'zh-CN', displayName: '陈静' });
    const caseId = makeCase(borrower);
    submitAttempt(borrower, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-04-01' }));
    recordedAt(at('2025-04-07', '10:00'), () =>
      requestMaterials(borrower, caseId, versionOf(caseId), materialsInput({ what: '收入证明', requestedOn: '2025-04-07', deadline: '2025-04-09' })),
    );
    const nudge = () => getDb().select().from(reminders).where(and(eq(reminders.caseId, caseId), eq(reminders.kind, 'materials_nudge'))).get()!;
    expect(nudge()).toMatchObject({ dueOn: '2025-04-08', urgent: true });
    await tick(at('2025-04-08', '08:05'));
    expect(urgentOf(mailsTo(borrower))).toHaveLength(1);

    // Until Friday 11 April: the nudge moves to Thursday 10 April, and is mailed again that morning, as urgent.
    const request = getDb().select().from(materialRequests).where(eq(materialRequests.caseId, caseId)).get()!;
    recordedAt(at('2025-04-08', '10:00'), () => changeMaterialsDeadline(borrower, caseId, versionOf(caseId), request.id, '2025-04-11'));
    expect(nudge()).toMatchObject({ dueOn: '2025-04-10', mailedAt: null });
    await tick(at('2025-04-09', '08:05'));
    expect(urgentOf(mailsTo(borrower))).toHaveLength(1);
    await tick(at('2025-04-10', '08:05'));
    const urgent = urgentOf(mailsTo(borrower));
    expect(urgent).toHaveLength(2);
    expect(urgent[1]!.text).toContain(formatDate('2025-04-11', 'zh-CN'));
    expect(mailedAt(nudge().id)).toEqual(at('2025-04-10', '08:05'));
    // Once for the new date too.
    await tick(at('2025-04-10', '09:05'));
    expect(urgentOf(mailsTo(borrower))).toHaveLength(2);
  });

  it('sends urgent mail at once but no digest before 09:00 Shanghai time', async () => {
    const f = borrowerWithDueReminders('zh-CN');
    const early = await tick(at('2025-04-08', '08:59'));
    expect(early.mail).toMatchObject({ urgent: 1, digests: 0, sent: 1 });
    expect(mailsTo(f.viewer).map((m) => m.subject)).toEqual([expect.stringMatching(/^【协商记】紧急：/)]);
    expect(mailedAt(f.ids.review_followup)).toBeNull();

    const nine = await tick(at('2025-04-08', '09:00'));
    expect(nine.mail).toMatchObject({ urgent: 0, digests: 1, sent: 1 });
    expect(mailsTo(f.viewer).map((m) => m.subject)).toEqual([expect.stringMatching(/^【协商记】紧急：/), '【协商记】今日待办 2 项']);
  });

  it('keeps urgent mail through the night (22:00–08:00 Shanghai time) and sends it from 08:00', async () => {
    const f = borrowerWithDueReminders('zh-CN');
    // Just after midnight, when the day turns and yesterday's instalment is missed: nothing goes.
    for (const time of ['00:01', '07:59']) {
      const night = await tick(at('2025-04-08', time));
      expect(night.mail).toMatchObject({ urgent: 0, digests: 0, sent: 0 });
    }
    expect(mailsTo(f.viewer)).toHaveLength(0);
    const morning = await tick(at('2025-04-08', '08:00'));
    expect(morning.mail).toMatchObject({ urgent: 1, digests: 0, sent: 1 });
    expect(mailsTo(f.viewer).map((m) => m.subject)).toEqual([expect.stringMatching(/^【协商记】紧急：/)]);
  });

  it('queues urgent mail until 21:59, and none from 22:00', async () => {
    const f = borrowerWithDueReminders('zh-CN');
    expect(systemEnqueueUrgent(at('2025-04-08', '22:00'))).toBe(0);
    expect(systemEnqueueUrgent(at('2025-04-08', '21:59'))).toBe(1);
    expect(isQuietTime(at('2025-04-07', '23:30'))).toBe(true);
    expect(isQuietTime(at('2025-04-08', '12:00'))).toBe(false);
    expect(mailsTo(f.viewer)).toHaveLength(0);
  });

  it('queues no digest at night: what comes up in the evening waits for the next morning\'s digest', async () => {
    const borrower = makeBorrower({ locale: 'zh-CN' });
    const caseId = makeCase(borrower);
    const advisor = makeAdvisor({ displayName: '李律师' });
    acceptInvite(advisor, createInvite(borrower, advisor.displayName).code);
    // Nothing due that morning, so no digest then.
    expect((await tick(at('2025-05-08', '09:05'))).mail).toMatchObject({ digests: 0, sent: 0 });
    const note = addCaseNote(advisor, caseId, '明早给银行打电话');
    getDb().update(caseEvents).set({ createdAt: at('2025-05-08', '21:59') }).where(eq(caseEvents.id, note)).run();

    for (const time of ['22:00', '23:01']) expect((await tick(at('2025-05-08', time))).mail).toMatchObject({ digests: 0, sent: 0 });
    expect((await tick(at('2025-05-09', '08:30'))).mail).toMatchObject({ digests: 0, sent: 0 });
    expect(mailsTo(borrower)).toHaveLength(0);
    await tick(at('2025-05-09', '09:05'));
    expect(mailsTo(borrower).map((m) => m.subject)).toEqual(['【协商记】顾问有 1 条新留言']);
    expect(mailsTo(borrower)[0].text).toContain('明早给银行打电话');
  });

  it('sends no retry at night, and drops a past day\'s digest still waiting: the next morning\'s one digest has what it had', async () => {
    const borrower = makeBorrower({ locale: 'zh-CN' });
    const caseId = makeCase(borrower);
    createReminder(borrower, caseId, { title: '周二的事', dueOn: '2025-07-08', dueTime: null, note: '' });
    createReminder(borrower, caseId, { title: '周三的事', dueOn: '2025-07-09', dueTime: null, note: '' });
    const advisor = makeAdvisor({ displayName: '李律师' });
    acceptInvite(advisor, createInvite(borrower, advisor.displayName).code);
    const note = addCaseNote(advisor, caseId, '流水我看过了');
    getDb().update(caseEvents).set({ createdAt: at('2025-07-08', '08:00') }).where(eq(caseEvents.id, note)).run();

    // Tuesday's digest is first tried late in the evening, and refused.
    smtp.refuseWith = 'mailbox busy, try later';
    expect((await tick(at('2025-07-08', '21:58'))).mail).toMatchObject({ digests: 1, sent: 0, retrying: 1 });
    smtp.refuseWith = null;
    // Its retry falls in the night: nothing goes.
    for (const time of ['22:00', '23:30']) expect((await tick(at('2025-07-08', time))).mail).toMatchObject({ sent: 0, retrying: 0 });
    expect((await tick(at('2025-07-09', '08:00'))).mail).toMatchObject({ sent: 0, skipped: 1 });
    expect(smtp.offered).toBe(1);

    // Wednesday morning: one digest, with Tuesday's reminder (now overdue), Wednesday's, and the note.
    expect((await tick(at('2025-07-09', '09:05'))).mail).toMatchObject({ digests: 1, sent: 1 });
    const mails = mailsTo(borrower);
    expect(mails.map((m) => m.subject)).toEqual(['【协商记】今日待办 2 项']);
    for (const words of ['周二的事', '周三的事', '（已过期）', '流水我看过了']) expect(mails[0].text).toContain(words);
    expect(deliveriesOf(borrower).map((d) => [d.status, d.sentAt === null])).toEqual([
      ['sent', true],
      ['sent', false],
    ]);
    // The note is not mailed again.
    const note2 = addCaseNote(advisor, caseId, '第二条');
    getDb().update(caseEvents).set({ createdAt: at('2025-07-09', '12:00') }).where(eq(caseEvents.id, note2)).run();
    await tick(at('2025-07-10', '09:05'));
    expect(mailsTo(borrower)).toHaveLength(2);
    expect(mailsTo(borrower)[1].text).toContain('第二条');
    expect(mailsTo(borrower)[1].text).not.toContain('流水我看过了');
  });

  it('gives a reminder\'s time in the digest, and says when an advisor added it', async () => {
    const borrower = makeBorrower({ locale: 'zh-CN' });
    const caseId = makeCase(borrower);
    const advisor = makeAdvisor({ displayName: '李律师' });
    acceptInvite(advisor, createInvite(borrower, advisor.displayName).code);
    createReminder(advisor, caseId, { title: '给银行打电话', dueOn: '2025-06-10', dueTime: '14:30', note: '问问分期的事' });
    createReminder(borrower, caseId, { title: '自己记的', dueOn: '2025-06-10', dueTime: null, note: '' });

    await tick(at('2025-06-10', '09:05'));
    const [digest] = digestsOf(mailsTo(borrower));
    const text = digest.text.replace(/\r\n/g, '\n');
    expect(text).toMatch(new RegExp(`2\\. 给银行打电话\n   [^\n]*日期：${formatDate('2025-06-10', 'zh-CN')} 14:30 · 由李律师添加\n   问问分期的事\n`));
    expect(text).toMatch(new RegExp(`1\\. 自己记的\n   [^\n]*日期：${formatDate('2025-06-10', 'zh-CN')}\n`));
    expect(digest.html).toContain('由李律师添加');
  });

  it('sends each mail once when two senders race in one process', async () => {
    const people = [borrowerWithDueReminders('zh-CN'), borrowerWithDueReminders('en'), borrowerWithDueReminders('zh-CN')];
    // Two processes enqueueing at once make one row per dedupe key.
    expect(systemEnqueueUrgent(NOW)).toBe(3);
    expect(systemEnqueueUrgent(NOW)).toBe(0);
    expect(systemEnqueueDigests(NOW)).toBe(3);
    expect(systemEnqueueDigests(NOW)).toBe(0);

    const [a, b] = await Promise.all([systemSendPending(transportTo(smtp.port), NOW), systemSendPending(transportTo(smtp.port), NOW)]);
    expect(a.sent + b.sent).toBe(6);
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0); // both really worked, on different rows
    expect(smtp.received).toHaveLength(6);
    expect(new Set(smtp.received.map((m) => m.headers['message-id'])).size).toBe(6);
    for (const p of people) expect(mailsTo(p.viewer)).toHaveLength(2);
  });

  it('sends each mail once when separate processes tick at the same moment', async () => {
    const people = [borrowerWithDueReminders('zh-CN'), borrowerWithDueReminders('en'), borrowerWithDueReminders('en')];
    const outputs = await Promise.all([tickInChildProcess(NOW), tickInChildProcess(NOW), tickInChildProcess(NOW)]);
    const totals = outputs.map((o) => JSON.parse(o.trim().split('\n').at(-1)!).mail);
    expect(totals.reduce((n, t) => n + t.urgent, 0)).toBe(3);
    expect(totals.reduce((n, t) => n + t.digests, 0)).toBe(3);
    expect(totals.reduce((n, t) => n + t.sent, 0)).toBe(6);
    expect(smtp.received).toHaveLength(6);
    for (const p of people) {
      expect(urgentOf(mailsTo(p.viewer))).toHaveLength(1);
      expect(digestsOf(mailsTo(p.viewer))).toHaveLength(1);
    }
  }, 30_000);

  it('claims each mail of a slow run when it comes to it: another process ticking meanwhile does not send it too, and each is stamped when it went', async () => {
    const f = borrowerWithDueReminders('en');
    expect(systemEnqueueUrgent(NOW)).toBe(1);
    expect(systemEnqueueDigests(NOW)).toBe(1);
    // The SMTP server is slow: the first mail takes three minutes (more than a claim's lock). While the
    // second is going, another process (the server's scheduler beside `npm run mailer`) ticks.
    const smtpServer = transportTo(smtp.port);
    let other: string | null = null;
    const slow = {
      sendMail: async (mail: Parameters<Transporter['sendMail']>[0]) => {
        if (other === null && smtp.received.length === 0) {
          const info = await smtpServer.sendMail(mail);
          vi.setSystemTime(Date.now() + 3 * MINUTE);
          return info;
        }
        other ??= await tickInChildProcess(new Date(NOW.getTime() + 3 * MINUTE));
        const info = await smtpServer.sendMail(mail);
        vi.setSystemTime(Date.now() + MINUTE);
        return info;
      },
    } as unknown as Transporter;

    const result = await systemSendPending(slow, NOW, { appUrl: APP_URL });
    expect(result).toMatchObject({ sent: 2, retrying: 0, failed: 0 });
    expect(JSON.parse(other!.trim().split('\n').at(-1)!).mail).toMatchObject({ sent: 0 });
    expect(urgentOf(mailsTo(f.viewer))).toHaveLength(1);
    expect(digestsOf(mailsTo(f.viewer))).toHaveLength(1);
    expect(smtp.received).toHaveLength(2);
    // Sent, and the reminders mailed, when the SMTP server took each: three minutes into the run, and four.
    const [three, four] = [3, 4].map((m) => new Date(NOW.getTime() + m * MINUTE));
    expect(deliveriesOf(f.viewer).map((d) => [d.kind, d.status, d.attempts, d.sentAt])).toEqual([
      ['urgent', 'sent', 1, three],
      ['digest', 'sent', 1, four],
    ]);
    expect(mailedAt(f.ids.materials_nudge)).toEqual(three);
    expect(mailedAt(f.ids.review_followup)).toEqual(four);
  }, 30_000);

  it('queues the advisors\' alert of a missed instalment with the borrower\'s own: another process mailing the borrower in between cannot leave it out', async () => {
    const borrower = makeBorrower();
    const caseId = makeCase(borrower);
    submitAttempt(borrower, caseId, versionOf(caseId), submitInput({ submittedOn: '2025-03-20' }));
    approveAttempt(borrower, caseId, versionOf(caseId), approveInput({ decidedOn: '2025-03-25', agreedPeriods: 2, agreedMonthly: 10_000, agreedFirstPaymentOn: '2025-04-02' }));
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(borrower, 'advisor').code);
    systemSweepReminders(NOW);
    const missed = getDb().select().from(reminders).where(and(eq(reminders.caseId, caseId), eq(reminders.kind, 'instalment_missed'))).get()!;
    expect(missed).toMatchObject({ urgent: true, mailedAt: null });

    // Another process, with its own connection, sends the borrower's urgent mail (marks the reminder
    // mailed) just when this one has queued it and comes to the advisors'.
    const otherProcess = new Database(process.env.DATABASE_PATH!, { timeout: 100 });
    const markMailed = () => otherProcess.prepare('UPDATE reminders SET mailed_at = ? WHERE id = ?').run(NOW.getTime(), missed.id);
    const sqlite = getDb().$client;
    const prepare = sqlite.prepare.bind(sqlite);
    let between: 'mailed' | 'waited' | null = null;
    const spy = vi.spyOn(sqlite, 'prepare').mockImplementation(((source: string) => {
      if (between === null && source.includes(`'client:'`)) {
        try {
          markMailed();
          between = 'mailed';
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
          between = 'waited'; // the queuing holds the write lock: the other process waits its turn
        }
      }
      return prepare(source);
    }) as typeof sqlite.prepare);
    try {
      expect(systemEnqueueUrgent(NOW)).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(between).toBe('waited');
    markMailed();
    otherProcess.close();
    expect(deliveriesOf(advisor).map((d) => [d.kind, d.dedupeKey, d.status])).toEqual([['client', `client:${missed.id}:${advisor.id}:2025-04-03`, 'pending']]);
  });

  it('keeps a refused mail pending with the error, retries it after the back-off, then sends it once', async () => {
    const f = borrowerWithDueReminders('zh-CN');
    setReminderStatus(f.viewer, f.ids.materials_nudge, 'done'); // a digest only, for a simpler count
    smtp.refuseWith = 'mailbox busy, try later';

    const first = await tick(NOW);
    expect(first.mail).toMatchObject({ digests: 1, sent: 0, retrying: 1 });
    expect(smtp.offered).toBe(1);
    expect(smtp.received).toHaveLength(0);
    let [d] = deliveriesOf(f.viewer);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
    expect(d.lastError).toContain('mailbox busy, try later');
    expect(d.lockedUntil.getTime()).toBe(NOW.getTime() + retryDelayMs(1));
    expect(mailedAt(f.ids.review_followup)).toBeNull();
    // The failure is visible to the person.
    vi.stubEnv('SMTP_HOST', 'smtp.example');
    expect(getMailStatus(f.viewer)).toMatchObject({
      configured: true,
      enabled: true,
      lastSentAt: null,
      lastFailure: { at: NOW, willRetry: true, reason: 'rejected', error: expect.stringContaining('mailbox busy') },
    });
    expect(getMailStatus(makeBorrower())).toMatchObject({ lastFailure: null, lastSentAt: null }); // only one's own

    // Not before the back-off has passed.
    smtp.refuseWith = null;
    await tick(new Date(NOW.getTime() + 30_000));
    expect(smtp.offered).toBe(1);

    // Then once, and never again.
    const later = new Date(NOW.getTime() + MINUTE);
    const retry = await tick(later);
    expect(retry.mail).toMatchObject({ sent: 1 });
    await tick(new Date(later.getTime() + MINUTE));
    await tick(new Date(later.getTime() + 60 * MINUTE));
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].subject).toBe('【协商记】今日待办 2 项');
    [d] = deliveriesOf(f.viewer);
    expect(d).toMatchObject({ status: 'sent', attempts: 2, lastError: null, sentAt: later });
    expect(mailedAt(f.ids.review_followup)).toEqual(later);
    expect(getMailStatus(f.viewer)).toMatchObject({ lastFailure: null, lastSentAt: later });
  });

  it('leaves out of a retried mail a reminder snoozed since it was queued; the day it shows again, that day’s digest has it', async () => {
    const f = borrowerWithDueReminders('zh-CN');
    setReminderStatus(f.viewer, f.ids.materials_nudge, 'done'); // a digest only: the review's follow-up and the custom one
    smtp.refuseWith = 'mailbox busy, try later';
    expect((await tick(NOW)).mail).toMatchObject({ digests: 1, sent: 0, retrying: 1 });

    // Snoozed to Thursday while the digest waits for its retry.
    snoozeReminder(f.viewer, f.ids.custom, '2025-04-10');
    smtp.refuseWith = null;
    const later = new Date(NOW.getTime() + MINUTE);
    expect((await tick(later)).mail).toMatchObject({ sent: 1 });
    expect(smtp.received.map((m) => m.subject)).toEqual(['【协商记】今日待办 1 项']);
    expect(smtp.received[0].text).not.toContain('给客服打电话');
    expect(mailedAt(f.ids.review_followup)).toEqual(later);
    expect(mailedAt(f.ids.custom)).toBeNull();

    // Not on Wednesday (the day of the materials' deadline, mailed then); on Thursday, in that day's digest.
    await tick(at('2025-04-09', '09:05'));
    expect(smtp.received.filter((m) => m.text.includes('给客服打电话'))).toEqual([]);
    expect(mailedAt(f.ids.custom)).toBeNull();
    const thursday = at('2025-04-10', '09:05');
    const sentBefore = smtp.received.length;
    expect((await tick(thursday)).mail).toMatchObject({ digests: 1, sent: 1 });
    expect(smtp.received.slice(sentBefore).map((m) => m.text.includes('给客服打电话'))).toEqual([true]);
    expect(mailedAt(f.ids.custom)).toEqual(thursday);
  });

  it('retries when the SMTP server cannot be reached, and gives up after the last attempt', async () => {
    const f = borrowerWithDueReminders('en');
    setReminderStatus(f.viewer, f.ids.materials_nudge, 'done');
    const closed = await startSmtpServer();
    await closed.close(); // a port with nobody listening

    let now = NOW;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const r = await tick(now, closed.port);
      expect(r.mail).toMatchObject(attempt < MAX_ATTEMPTS ? { retrying: 1, failed: 0 } : { retrying: 0, failed: 1 });
      const [d] = deliveriesOf(f.viewer);
      expect(d.attempts).toBe(attempt);
      expect(d.lastError).toMatch(/ECONNREFUSED/);
      expect(d.status).toBe(attempt < MAX_ATTEMPTS ? 'pending' : 'failed');
      // Nothing is tried again before the back-off has passed.
      if (attempt < MAX_ATTEMPTS) {
        expect((await tick(new Date(now.getTime() + retryDelayMs(attempt) - 1000), closed.port)).mail).toMatchObject({ retrying: 0, failed: 0 });
        now = new Date(now.getTime() + retryDelayMs(attempt));
      }
    }
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([1, 5, 15, 60, 240].map((m) => m * MINUTE));
    expect(getMailStatus(f.viewer).lastFailure).toMatchObject({ at: now, willRetry: false, reason: 'unreachable', error: expect.stringMatching(/ECONNREFUSED/) });
    // Given up: the working server gets nothing for it later.
    await tick(new Date(now.getTime() + 600 * MINUTE));
    expect(smtp.received).toHaveLength(0);
    expect(deliveriesOf(f.viewer)[0].status).toBe('failed');
  });

  it('mails nobody who turned mail off, or whose account is disabled', async () => {
    const off = borrowerWithDueReminders('zh-CN');
    setEmailReminders(off.viewer, false);
    expect(getMailStatus(off.viewer).enabled).toBe(false);
    const disabled = borrowerWithDueReminders('en');
    expect(getMailStatus(disabled.viewer).enabled).toBe(true); // the switch is the viewer's own
    getDb().update(users).set({ disabled: true }).where(eq(users.id, disabled.viewer.id)).run();

    const r = await tick(NOW);
    expect(r.mail).toMatchObject({ urgent: 0, digests: 0, sent: 0 });
    expect(smtp.received).toHaveLength(0);
    expect(deliveriesOf(off.viewer)).toHaveLength(0);
    expect(deliveriesOf(disabled.viewer)).toHaveLength(0);

    // Turned back on: what is due and never mailed goes out.
    setEmailReminders(off.viewer, true);
    await tick(new Date(NOW.getTime() + MINUTE));
    expect(mailsTo(off.viewer)).toHaveLength(2);
  });

  it('mails no address that is not confirmed, drops what was queued before it changed, and sends what waited once it is confirmed', async () => {
    vi.stubEnv('AUTH_SECRET', 'mailer-test-secret-0123456789abcdef');
    const f = borrowerWithDueReminders('zh-CN');
    const confirmedAt = getDb().select({ at: users.emailConfirmedAt }).from(users).where(eq(users.id, f.viewer.id)).get()!.at;
    expect(confirmedAt).not.toBeNull();
    systemEnqueueUrgent(NOW);
    systemEnqueueDigests(NOW);
    // The address changed (nobody confirmed the new one yet) after the mail was queued: it does not go.
    getDb().update(users).set({ emailConfirmedAt: null }).where(eq(users.id, f.viewer.id)).run();
    expect(getMailStatus(f.viewer)).toMatchObject({ enabled: true, confirmed: false });
    expect(await systemSendPending(transportTo(smtp.port), NOW, { appUrl: APP_URL })).toMatchObject({ sent: 0, skipped: 2 });
    // Nor is any queued while it is not confirmed.
    const later = new Date(NOW.getTime() + 24 * 60 * MINUTE);
    expect((await tick(later)).mail).toMatchObject({ urgent: 0, digests: 0, sent: 0 });
    expect(smtp.received).toHaveLength(0);
    // Confirmed through the link mailed to it: what is due and never mailed goes out.
    const token = emailConfirmationToken(getDb().select().from(users).where(eq(users.id, f.viewer.id)).get()!, later)!;
    await systemConfirmEmail(token, later);
    expect(getMailStatus(f.viewer).confirmed).toBe(true);
    await tick(new Date(later.getTime() + MINUTE));
    expect(mailsTo(f.viewer).length).toBeGreaterThan(0);
  });

  it('lets a recipient stop reminder mail from the mail itself, without signing in: one click, or the page\'s button', async () => {
    vi.stubEnv('AUTH_SECRET', 'mailer-test-secret-0123456789abcdef');
    const f = borrowerWithDueReminders('zh-CN');
    await tick(NOW);
    const [mail] = urgentOf(mailsTo(f.viewer));
    // RFC 8058: the one-click address, and the page the footer links to (asks first).
    const header = mail.headers['list-unsubscribe'];
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const oneClick = /^<(https:\/\/respite\.example\/mail\/unsubscribe\/confirm\?u=(\d+)&t=([\w-]{43}))>$/.exec(header ?? '');
    expect(oneClick, header).not.toBeNull();
    expect(Number(oneClick![2])).toBe(f.viewer.id);
    // The page's address names the account's language, for a mail program's browser that has none chosen.
    const page = `${APP_URL}/mail/unsubscribe?u=${f.viewer.id}&t=${oneClick![3]}&l=zh-CN`;
    expect(mail.text).toContain(page);
    expect(mail.html).toContain(`href="${page.replaceAll('&', '&amp;')}"`);

    // A wrong token, another account's, or one made under another secret: nothing changes.
    const other = borrowerWithDueReminders('en');
    const post = (url: string, body = 'List-Unsubscribe=One-Click') =>
      unsubscribePost(new Request(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }));
    expect((await post(oneClick![1].replace(/t=.{4}/, 't=AAAA'))).status).toBe(404);
    expect((await post(oneClick![1].replace(`u=${f.viewer.id}`, `u=${other.viewer.id}`))).status).toBe(404);
    expect((await post(`${APP_URL}/mail/unsubscribe/confirm?u=${f.viewer.id}&t=${unsubscribeToken(f.viewer.id, 'another-secret-0123456789abcdef')}`)).status).toBe(404);
    expect(getMailStatus(f.viewer).enabled).toBe(true);
    expect(getMailStatus(other.viewer).enabled).toBe(true);

    // The mail program's one click: stopped, and no more mail goes out.
    const res = await post(oneClick![1]);
    expect(res.status).toBe(200);
    expect(getMailStatus(f.viewer).enabled).toBe(false);
    expect(getMailStatus(other.viewer).enabled).toBe(true);
    const sent = smtp.received.length;
    await tick(at('2025-04-09', '09:05'));
    expect(mailsTo(f.viewer).length).toBe(mailsTo(f.viewer).filter((m) => smtp.received.indexOf(m) < sent).length);

    // The page's button (no one-click body): back to the page, which says so; a wrong link says it is invalid.
    const back = await post(`${APP_URL}/mail/unsubscribe/confirm?u=${other.viewer.id}&t=${unsubscribeToken(other.viewer.id)}`, '');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/mail/unsubscribe?done=1');
    expect(getMailStatus(other.viewer).enabled).toBe(false);
    const wrong = await post(`${APP_URL}/mail/unsubscribe/confirm?u=${other.viewer.id}&t=nope`, '');
    expect(wrong.headers.get('location')).toBe('/mail/unsubscribe?invalid=1');
  });

  it('sends no unsubscribe link where the server has no secret to sign it with', async () => {
    vi.stubEnv('AUTH_SECRET', '');
    const f = borrowerWithDueReminders('en');
    await tick(NOW);
    const [mail] = urgentOf(mailsTo(f.viewer));
    expect(mail.headers['list-unsubscribe']).toBeUndefined();
    expect(mail.text).not.toContain('/mail/unsubscribe');
    expect(systemUnsubscribeWithToken(f.viewer.id, '')).toBe(false);
  });

  it('drops mail already queued when its recipient turns mail off before it goes', async () => {
    const f = borrowerWithDueReminders('zh-CN');
    systemEnqueueUrgent(NOW);
    systemEnqueueDigests(NOW);
    setEmailReminders(f.viewer, false);
    const r = await systemSendPending(transportTo(smtp.port), NOW, { appUrl: APP_URL });
    expect(r).toMatchObject({ sent: 0, skipped: 2 });
    expect(smtp.received).toHaveLength(0);
    // Done, with nothing sent: sent_at stays empty, and the reminders are not marked mailed.
    expect(deliveriesOf(f.viewer).map((d) => [d.status, d.sentAt, d.lastError])).toEqual([
      ['sent', null, null],
      ['sent', null, null],
    ]);
    expect(mailedAt(f.ids.review_followup)).toBeNull();
    expect(getMailStatus(f.viewer).lastSentAt).toBeNull();
  });

  it('leaves out reminders closed after the mail was queued, and sends nothing when none is left', async () => {
    const f = borrowerWithDueReminders('en');
    systemEnqueueUrgent(NOW);
    systemEnqueueDigests(NOW);
    setReminderStatus(f.viewer, f.ids.custom, 'done'); // one of the digest's two
    setReminderStatus(f.viewer, f.ids.materials_nudge, 'dismissed'); // the urgent mail's only one

    const r = await systemSendPending(transportTo(smtp.port), NOW, { appUrl: APP_URL });
    expect(r).toMatchObject({ sent: 1, skipped: 1 });
    const mails = mailsTo(f.viewer);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('[Respite] 1 thing due today');
    expect(mails[0].text).toContain('Check the review result');
    expect(mails[0].text).not.toContain('给客服打电话');
    expect(mailedAt(f.ids.custom)).toBeNull();
    expect(mailedAt(f.ids.materials_nudge)).toBeNull();
    const [urgent, digest] = deliveriesOf(f.viewer);
    expect(urgent).toMatchObject({ kind: 'urgent', status: 'sent', sentAt: null });
    expect(digest).toMatchObject({ kind: 'digest', status: 'sent', sentAt: NOW, reminderIds: [f.ids.review_followup] });
  });

  it('says when the server has no SMTP configured, and then sends nothing', async () => {
    const f = borrowerWithDueReminders('zh-CN');
    vi.stubEnv('SMTP_HOST', '');
    expect(getMailStatus(f.viewer)).toMatchObject({ configured: false, enabled: true, lastFailure: null, lastSentAt: null });
    // The tick still sweeps, but with no SMTP and no transport given there is no outbox work.
    const r = await systemMailTick(NOW);
    expect(r.mail).toBeNull();
    expect(deliveriesOf(f.viewer)).toHaveLength(0);
  });
});
