import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { REJECTION_REASONS } from './domain';
import { REMINDER_KINDS } from './reminder-rules';
import { reminderDetail, reminderTitle, type ReminderFacts } from './reminder-text';

function translator(locale: 'zh-CN' | 'en') {
  const messages = { reminders: JSON.parse(readFileSync(path.join('messages', locale, 'reminders.json'), 'utf8')) };
  return createTranslator({ locale, messages, namespace: 'reminders' });
}

const inst = { seq: 2, periods: 12, amountFen: 81250, dueOn: '2025-10-15', lender: '招商银行' };
const samples: Record<string, ReminderFacts> = {
  review_followup: { kind: 'review_followup', dueOn: '2025-10-14', data: { round: 2, lender: '招商银行', submittedOn: '2025-09-30' } },
  materials_deadline: { kind: 'materials_deadline', dueOn: '2025-10-10', data: { what: '收入证明', deadline: '2025-10-10', lender: '招商银行' } },
  materials_nudge: { kind: 'materials_nudge', dueOn: '2025-10-09', data: { what: '收入证明', deadline: '2025-10-10', lender: '招商银行' } },
  next_step: { kind: 'next_step', dueOn: '2025-10-16', data: { round: 1, reason: 'insufficient_proof', lender: '招商银行' } },
  promise_chase: { kind: 'promise_chase', dueOn: '2025-10-16', data: { promise: '3个工作日内回电', lender: '招商银行' } },
  instalment_upcoming: { kind: 'instalment_upcoming', dueOn: '2025-10-12', data: inst },
  instalment_due: { kind: 'instalment_due', dueOn: '2025-10-15', data: inst },
  instalment_missed: { kind: 'instalment_missed', dueOn: '2025-10-16', data: inst },
  instalment_short: { kind: 'instalment_short', dueOn: '2025-10-15', data: { ...inst, amountFen: 31250 } },
  stale_case: { kind: 'stale_case', dueOn: '2025-10-15', data: { lender: '招商银行', since: '2025-10-01' } },
  custom: { kind: 'custom', dueOn: '2025-10-15', title: '给客服回电话', note: '问清楚减免的金额', data: {} },
};

const expected: Record<'zh-CN' | 'en', Record<string, string>> = {
  'zh-CN': {
    review_followup: '查看招商银行第 2 轮申请的审核结果',
    materials_deadline: '向招商银行补交材料的截止日：收入证明',
    materials_nudge: '2025年10月10日截止：尽快准备给招商银行的材料——收入证明',
    next_step: '招商银行第 1 轮申请被拒（证明材料不足），决定下一步怎么做',
    promise_chase: '招商银行承诺：3个工作日内回电——该跟进了',
    instalment_upcoming: '招商银行第 2/12 期还款 ¥812.50 将于2025年10月15日到期',
    instalment_due: '2025年10月15日还招商银行第 2/12 期：¥812.50',
    instalment_missed: '招商银行第 2/12 期还款 ¥812.50 已逾期未还（应还日2025年10月15日）',
    instalment_short: '招商银行第 2/12 期还差 ¥312.50 没还上，请补足（应还日2025年10月15日）',
    stale_case: '招商银行的案件已 14 天没有进展',
    custom: '给客服回电话',
  },
  en: {
    review_followup: 'Check the review result of round 2 with 招商银行',
    materials_deadline: 'Deadline to send 招商银行 the materials: 收入证明',
    materials_nudge: 'Due Oct 10, 2025: get the materials for 招商银行 ready — 收入证明',
    next_step: 'Round 1 with 招商银行 was rejected (insufficient proof): decide the next step',
    promise_chase: '招商银行 promised: 3个工作日内回电 — time to follow up',
    instalment_upcoming: '招商银行 instalment 2 of 12, ¥812.50, is due on Oct 15, 2025',
    instalment_due: 'Pay 招商银行 instalment 2 of 12 on Oct 15, 2025: ¥812.50',
    instalment_missed: '招商银行 instalment 2 of 12, ¥812.50, is overdue (was due Oct 15, 2025)',
    instalment_short: '招商银行 instalment 2 of 12 is ¥312.50 short: pay the rest (due Oct 15, 2025)',
    stale_case: 'Nothing has happened on your 招商银行 case for 14 days',
    custom: '给客服回电话',
  },
};

const leak = /(title|detail|reason)\.|reminders\.|\{|\}|undefined|null|NaN/;

describe.each(['zh-CN', 'en'] as const)('reminder text in %s', (locale) => {
  const t = translator(locale);

  it('has a sample for every kind', () => {
    expect(Object.keys(samples).sort()).toEqual([...REMINDER_KINDS].sort());
  });

  it.each(REMINDER_KINDS)('%s reads as a sentence with its facts', (kind) => {
    const title = reminderTitle(t, samples[kind]);
    expect(title).toBe(expected[locale][kind]);
    expect(title).not.toMatch(leak);
    const detail = reminderDetail(t, samples[kind]);
    if (detail !== null) expect(detail).not.toMatch(leak);
  });

  it('counts a quiet case\'s days up to the day it is read, not only the 14 it was flagged after', () => {
    const quiet = samples.stale_case;
    const twenty = locale === 'en' ? 'Nothing has happened on your 招商银行 case for 20 days' : '招商银行的案件已 20 天没有进展';
    expect(reminderTitle(t, quiet, locale, '2025-10-21')).toBe(twenty);
    // The day it was flagged, or a day before it (a snoozed view): the 14.
    expect(reminderTitle(t, quiet, locale, '2025-10-15')).toBe(expected[locale].stale_case);
    expect(reminderTitle(t, quiet, locale, '2025-10-10')).toBe(expected[locale].stale_case);
  });

  it('translates every rejection reason, and stays generic without one', () => {
    for (const reason of REJECTION_REASONS) {
      const title = reminderTitle(t, { kind: 'next_step', dueOn: '2025-10-16', data: { round: 1, reason, lender: 'X' } });
      expect(title).not.toMatch(leak);
      if (reason.includes('_')) expect(title).not.toContain(reason);
    }
    const generic = reminderTitle(t, { kind: 'next_step', dueOn: '2025-10-16', data: { round: 1, reason: null, lender: 'X' } });
    expect(generic).not.toMatch(leak);
    expect(generic).not.toMatch(/[（(]/);
  });

  it('says a voided plan is what asks for the next step, not a rejection', () => {
    const voided: ReminderFacts = { kind: 'next_step', dueOn: '2025-10-16', data: { round: 2, reason: null, lender: '招商银行', voided: 1 } };
    expect(reminderTitle(t, voided)).toBe(
      locale === 'en' ? '招商银行 cancelled the plan agreed in round 2: decide the next step' : '招商银行取消了第 2 轮谈成的还款计划，决定下一步怎么做',
    );
    expect(reminderDetail(t, voided)).not.toBe(reminderDetail(t, samples.next_step!));
    expect(reminderDetail(t, voided)).not.toMatch(leak);
  });

  it("names the case's lender as it is now over the one the reminder saved when it was made", () => {
    // The case's lender changed (or was renamed) since: every kind that names a lender names the new one.
    for (const [kind, sample] of Object.entries(samples)) {
      if (kind === 'custom') continue;
      const title = reminderTitle(t, { ...sample, lenderName: '中信银行' }, undefined, '2025-10-20');
      expect(title, kind).toContain('中信银行');
      expect(title, kind).not.toContain('招商银行');
    }
  });

  it('falls back when facts are missing', () => {
    const noLender = reminderTitle(t, { kind: 'review_followup', dueOn: '2025-10-14', data: { round: 1 } });
    expect(noLender).not.toMatch(leak);
    expect(reminderTitle(t, { kind: 'review_followup', dueOn: '2025-10-14', data: { round: 1 }, lenderName: '中信银行' })).toContain('中信银行');
    expect(reminderTitle(t, { kind: 'review_followup', dueOn: '2025-10-14', data: { round: 1, lender: '中信银行' }, lenderName: null })).toContain('中信银行');
    expect(reminderTitle(t, { kind: 'materials_deadline', dueOn: '2025-10-14', data: { what: '', lender: 'X' } })).not.toMatch(/[：:]\s*$/);
    expect(reminderTitle(t, { kind: 'custom', dueOn: '2025-10-14', title: '  ' })).not.toBe('');
  });

  it('shows dates in the reader’s language', () => {
    const detail = reminderDetail(t, samples.review_followup)!;
    expect(detail).toContain(locale === 'en' ? 'Sep 30, 2025' : '2025年9月30日');
  });

  it('after further material was sent, names the day of the application and the day of the sending', () => {
    const detail = reminderDetail(t, { kind: 'review_followup', dueOn: '2025-10-21', data: { round: 1, lender: '招商银行', submittedOn: '2025-09-30', sentOn: '2025-10-13' } })!;
    expect(detail).toContain(locale === 'en' ? 'Submitted on Sep 30, 2025' : '申请于2025年9月30日提交');
    expect(detail).toContain(locale === 'en' ? 'sent on Oct 13, 2025' : '补充材料于2025年10月13日提交');
    expect(detail).not.toMatch(leak);
  });
});

describe('a mediation or complaint\'s follow-up is about the mediator or the regulator, not the lender\'s review', () => {
  const escalation = (route: string): ReminderFacts => ({ kind: 'review_followup', dueOn: '2025-07-07', data: { round: 3, lender: '京东金融', submittedOn: '2025-06-16', route } });
  it.each([
    ['zh-CN', 'mediation', '问问与京东金融的调解进展如何', '调解于2025年6月16日开始'],
    ['zh-CN', 'complaint', '问问对京东金融的投诉处理得怎样了', '投诉于2025年6月16日提交。银行和消费金融公司一般应在收到投诉后 15 日内（约到2025年7月1日）作出处理决定'],
    ['en', 'mediation', 'Ask how the mediation with 京东金融 is going', 'Mediation began on Jun 16, 2025'],
    ['en', 'complaint', 'Ask how the complaint about 京东金融 is being handled', 'Complaint made on Jun 16, 2025. A bank or consumer finance company should usually decide within 15 days of receiving it (around Jul 1, 2025)'],
  ] as const)('%s, %s', (locale, route, title, detail) => {
    const t = translator(locale);
    expect(reminderTitle(t, escalation(route), locale)).toBe(title);
    expect(reminderDetail(t, escalation(route), locale)).toContain(detail);
    // Not the lender's review.
    expect(reminderTitle(t, escalation(route), locale)).not.toBe(reminderTitle(t, samples.review_followup!, locale));
  });
});
