import { describe, expect, it } from 'vitest';
import {
  complaintDecisionDue,
  escalationFollowupOn,
  instalmentMissed,
  instalmentOfRuleKey,
  matchesClosePattern,
  materialsDeadline,
  onDecided,
  onInstalmentPaid,
  onMaterialsRequested,
  onMaterialsSent,
  onNewRound,
  onPlanAgreed,
  onPromise,
  onSubmitted,
  promiseChaseDate,
  REMINDER_KINDS,
  snoozeLimit,
  staleCaseDueOn,
  type ReminderChange,
} from './reminder-rules';

/**
 * Every expected date below was worked out by hand from the State Council calendar, not by
 * calling the workday code. The 2025 facts used:
 * - New Year: 1 Jan (Wed) off.
 * - Spring Festival: 28 Jan (Tue) – 4 Feb (Tue) off; Sun 26 Jan and Sat 8 Feb are workdays.
 * - Qingming: 4 Apr (Fri) – 6 Apr (Sun) off, no make-up day.
 * - Labour Day: 1 May (Thu) – 5 May (Mon) off; Sun 27 Apr is a workday.
 * - National Day + Mid-Autumn: 1 Oct (Wed) – 8 Oct (Wed) off; Sun 28 Sep and Sat 11 Oct are workdays.
 * Weekdays: 3 Mar 2025, 22 Sep 2025 and 29 Sep 2025 are Mondays.
 */

const LENDER = '招商银行信用卡';

function keys(change: ReminderChange) {
  return change.open.map((s) => s.ruleKey);
}

describe('onSubmitted: check the review result after the lender\'s review workdays', () => {
  it.each([
    // submittedOn, reviewWorkdays, expected, why
    ['2025-03-03', 5, '2025-03-10', 'an ordinary week: Mon + 5 → the next Mon'],
    ['2025-09-30', 5, '2025-10-14', 'across National Day: 9, 10, 11 (Sat, worked), 13, 14 Oct'],
    ['2025-09-30', null, '2025-10-14', 'no review time known: the default 5'],
    ['2025-09-30', 0, '2025-10-14', 'a review time of 0: the default 5'],
    ['2025-09-26', 3, '2025-09-30', 'onto the Sunday worked: 28 Sep, 29, 30'],
    ['2025-09-30', 1, '2025-10-09', 'one workday: the first after the holiday'],
    ['2025-10-10', 1, '2025-10-11', 'onto the Saturday worked'],
    ['2025-01-24', 5, '2025-02-07', 'across Spring Festival: 26 Jan (Sun), 27 Jan, 5, 6, 7 Feb'],
    ['2025-02-07', 1, '2025-02-08', 'onto the Saturday worked after Spring Festival'],
    ['2025-04-01', 10, '2025-04-16', 'across Qingming: 2, 3, 7, 8, 9, 10, 11, 14, 15, 16 Apr'],
    ['2024-12-31', 1, '2025-01-02', 'across New Year'],
  ] as const)('submitted %s, %s workdays → %s (%s)', (submittedOn, reviewWorkdays, expected, _why) => {
    const change = onSubmitted({ attemptId: 12, round: 2, submittedOn, reviewWorkdays, lender: LENDER });
    expect(change).toEqual({
      open: [{ ruleKey: 'review:12', kind: 'review_followup', dueOn: expected, data: { round: 2, lender: LENDER, submittedOn } }],
      close: [],
    });
  });

  it('a mediation is asked about after 15 workdays, whatever the lender\'s review time, and says which it is', () => {
    // 16 Jun 2025 (Mon) + 15 workdays: 17–20, 23–27, 30 Jun, 1–4 Jul, 7 Jul.
    expect(onSubmitted({ attemptId: 12, round: 3, submittedOn: '2025-06-16', reviewWorkdays: 3, lender: LENDER, route: 'mediation' }).open).toEqual([
      { ruleKey: 'review:12', kind: 'review_followup', dueOn: '2025-07-07', data: { round: 3, lender: LENDER, submittedOn: '2025-06-16', route: 'mediation' } },
    ]);
    // Across National Day: 30 Sep + 15 workdays = 9, 10, 11 (Sat, worked), 13–17, 20–24, 27, 28 Oct.
    expect(onSubmitted({ attemptId: 1, round: 2, submittedOn: '2025-09-30', reviewWorkdays: null, lender: LENDER, route: 'mediation' }).open[0]!.dueOn).toBe('2025-10-28');
  });

  it('a complaint is asked about on the workday after the regulator\'s 15 days have run out', () => {
    // 16 Jun 2025 + 15 days = Tue 1 Jul, the last day the lender has; asked the day after.
    expect(complaintDecisionDue('2025-06-16')).toBe('2025-07-01');
    expect(onSubmitted({ attemptId: 12, round: 3, submittedOn: '2025-06-16', reviewWorkdays: 3, lender: LENDER, route: 'complaint' }).open).toEqual([
      { ruleKey: 'review:12', kind: 'review_followup', dueOn: '2025-07-02', data: { round: 3, lender: LENDER, submittedOn: '2025-06-16', route: 'complaint' } },
    ]);
    // 13 Jun + 15 = Sat 28 Jun: the period ends on Monday 30 Jun; asked on Tuesday.
    expect(complaintDecisionDue('2025-06-13')).toBe('2025-06-30');
    expect(escalationFollowupOn('2025-06-13', 'complaint')).toBe('2025-07-01');
    // 16 Sep + 15 = 1 Oct, National Day (1–8 Oct off): the period ends on Thu 9 Oct; asked on Fri 10 Oct.
    expect(complaintDecisionDue('2025-09-16')).toBe('2025-10-09');
    expect(escalationFollowupOn('2025-09-16', 'complaint')).toBe('2025-10-10');
    // 26 Sep + 15 = Sat 11 Oct, a 调休 workday: the period ends that day; asked on Monday 13 Oct.
    expect(complaintDecisionDue('2025-09-26')).toBe('2025-10-11');
    expect(escalationFollowupOn('2025-09-26', 'complaint')).toBe('2025-10-13');
  });

  it('is not urgent', () => {
    const [spec] = onSubmitted({ attemptId: 1, round: 1, submittedOn: '2025-03-03', reviewWorkdays: 5, lender: LENDER }).open;
    expect(spec.urgent ?? false).toBe(false);
  });
});

describe('materialsDeadline: the lender\'s deadline, or 3 workdays', () => {
  it.each([
    ['2025-03-03', null, '2025-03-06', 'Mon + 3 → Thu'],
    ['2025-03-06', null, '2025-03-11', 'Thu + 3 across a weekend → Tue'],
    ['2025-09-26', null, '2025-09-30', 'across the Sunday worked: 28, 29, 30 Sep'],
    ['2025-09-30', null, '2025-10-11', 'across National Day: 9, 10, 11 Oct (Sat, worked)'],
    ['2025-01-24', null, '2025-02-05', 'across Spring Festival: 26 Jan, 27 Jan, 5 Feb'],
    ['2025-04-03', null, '2025-04-09', 'across Qingming: 7, 8, 9 Apr'],
    ['2025-03-03', '2025-03-20', '2025-03-20', 'a deadline given wins'],
    ['2025-10-01', '2025-10-01', '2025-10-01', 'a deadline given wins, even on a holiday'],
  ] as const)('requested %s, deadline %s → %s (%s)', (requestedOn, deadline, expected, _why) => {
    expect(materialsDeadline(requestedOn, deadline)).toBe(expected);
  });
});

describe('onMaterialsRequested: the deadline, and a nudge one workday before', () => {
  it.each([
    // requestedOn, deadline, nudge (null: none), why
    ['2025-03-03', '2025-03-06', '2025-03-05', 'an ordinary week'],
    ['2025-03-05', '2025-03-10', '2025-03-07', 'across a weekend: Monday\'s nudge is on Friday'],
    ['2025-09-25', '2025-10-09', '2025-09-30', 'across National Day'],
    ['2025-09-24', '2025-09-29', '2025-09-28', 'on the Sunday worked'],
    ['2025-10-09', '2025-10-13', '2025-10-11', 'on the Saturday worked'],
    ['2025-04-02', '2025-04-07', '2025-04-03', 'across Qingming and the weekend'],
    ['2025-01-24', '2025-02-05', '2025-01-27', 'across Spring Festival'],
    ['2025-09-29', '2025-10-04', '2025-09-30', 'a deadline on a holiday: the last workday before it'],
    ['2025-03-06', '2025-03-07', '2025-03-06', 'a deadline the next workday: the nudge is the request day'],
    ['2025-03-05', '2025-03-05', null, 'a deadline the same day: no nudge'],
    ['2025-10-08', '2025-10-09', null, 'the workday before the deadline is before the request: no nudge'],
  ] as const)('requested %s, deadline %s → nudge %s (%s)', (requestedOn, deadline, nudge, _why) => {
    const change = onMaterialsRequested({ attemptId: 7, requestId: 31, requestedOn, deadline, what: '银行流水', lender: LENDER }, requestedOn);
    const data = { what: '银行流水', deadline, lender: LENDER };
    const open = [{ ruleKey: 'materials:31', kind: 'materials_deadline', dueOn: deadline, data }];
    if (nudge) open.push({ ruleKey: 'materials-nudge:31', kind: 'materials_nudge', dueOn: nudge, urgent: true, data } as (typeof open)[0]);
    expect(change).toEqual({ open, close: ['review:7', 'review:7:*'] });
  });

  it.each([
    // today, nudge (null: none), why
    ['2025-03-05', '2025-03-05', 'today is the nudge\'s day: made'],
    ['2025-03-06', null, 'recorded on the deadline: the nudge\'s day has passed'],
    ['2025-03-12', null, 'recorded after the deadline'],
  ] as const)('requested 2025-03-03, deadline 2025-03-06, recorded %s → nudge %s (%s)', (today, nudge, _why) => {
    const change = onMaterialsRequested({ attemptId: 7, requestId: 31, requestedOn: '2025-03-03', deadline: '2025-03-06', what: 'x', lender: LENDER }, today);
    expect(change.open.find((s) => s.kind === 'materials_nudge')?.dueOn ?? null).toBe(nudge);
    expect(change.open.map((s) => s.kind)).toContain('materials_deadline');
  });

  it('keeps the deadline itself not urgent (the nudge is the urgent one)', () => {
    const change = onMaterialsRequested({ attemptId: 7, requestId: 31, requestedOn: '2025-03-03', deadline: '2025-03-06', what: 'x', lender: LENDER }, '2025-03-03');
    expect(change.open.find((s) => s.kind === 'materials_deadline')!.urgent ?? false).toBe(false);
    expect(change.open.find((s) => s.kind === 'materials_nudge')!.urgent).toBe(true);
  });
});

describe('onMaterialsSent: the materials\' reminders close, the review clock starts again', () => {
  it.each([
    ['2025-03-03', 5, '2025-03-10'],
    ['2025-09-30', null, '2025-10-14'],
    ['2025-09-30', 0, '2025-10-14'],
    ['2025-01-24', 3, '2025-02-05'],
    ['2025-04-08', 7, '2025-04-17'],
  ] as const)('sent %s, %s review workdays → follow up %s', (sentOn, reviewWorkdays, expected) => {
    const change = onMaterialsSent({ attemptId: 7, round: 1, submittedOn: '2025-01-02', requestIds: [31, 32], sentOn, reviewWorkdays, lender: LENDER });
    expect(change.close).toEqual(['materials:31', 'materials-nudge:31', 'materials:32', 'materials-nudge:32']);
    expect(change.open).toHaveLength(1);
    const [spec] = change.open;
    expect(spec).toMatchObject({ kind: 'review_followup', dueOn: expected, data: { round: 1, lender: LENDER, submittedOn: '2025-01-02', sentOn } });
    expect(spec.urgent ?? false).toBe(false);
    // A decision or a new request closes it along with the first follow-up...
    expect(matchesClosePattern(spec.ruleKey, 'review:7:*')).toBe(true);
    // ...and it is not the first follow-up's key, which a request has already closed.
    expect(spec.ruleKey).not.toBe('review:7');
    expect(matchesClosePattern(spec.ruleKey, 'review:70:*')).toBe(false);
  });

  it('gives each sending its own key, even two on the same day (a closed key would block the new follow-up)', () => {
    const first = onMaterialsSent({ attemptId: 7, round: 1, submittedOn: '2025-03-01', requestIds: [31], sentOn: '2025-03-05', reviewWorkdays: 5, lender: LENDER });
    const second = onMaterialsSent({ attemptId: 7, round: 1, submittedOn: '2025-03-01', requestIds: [32], sentOn: '2025-03-05', reviewWorkdays: 5, lender: LENDER });
    expect(keys(first)[0]).not.toBe(keys(second)[0]);
    // The same sending, repeated, keeps its key.
    expect(keys(onMaterialsSent({ attemptId: 7, round: 1, submittedOn: '2025-03-01', requestIds: [31], sentOn: '2025-03-05', reviewWorkdays: 5, lender: LENDER }))).toEqual(keys(first));
  });
});

describe('onDecided: a decision closes the review follow-ups; a rejection asks for the next step in 2 workdays', () => {
  it('approved: closes only', () => {
    expect(onDecided({ attemptId: 7, round: 1, decidedOn: '2025-09-26', decision: 'approved', lender: LENDER })).toEqual({
      open: [],
      close: ['review:7', 'review:7:*'],
    });
  });

  it.each([
    ['2025-03-06', '2025-03-10', 'Thu → Fri, Mon'],
    ['2025-09-26', '2025-09-29', 'Fri → Sun 28 Sep (worked), Mon 29'],
    ['2025-09-30', '2025-10-10', 'across National Day → 9, 10 Oct'],
    ['2025-10-10', '2025-10-13', 'Fri → Sat 11 (worked), Mon 13'],
    ['2025-01-27', '2025-02-06', 'across Spring Festival → 5, 6 Feb'],
    ['2025-02-07', '2025-02-10', 'Fri → Sat 8 Feb (worked), Mon 10'],
    ['2025-04-25', '2025-04-28', 'Fri → Sun 27 Apr (worked), Mon 28'],
    ['2025-10-03', '2025-10-10', 'decided on a holiday → 9, 10 Oct'],
  ])('rejected %s → next step %s (%s)', (decidedOn, expected) => {
    expect(onDecided({ attemptId: 7, round: 3, decidedOn, decision: 'rejected', reason: 'insufficient_proof', lender: LENDER })).toEqual({
      open: [{ ruleKey: 'next-step:7', kind: 'next_step', dueOn: expected, data: { round: 3, reason: 'insufficient_proof', lender: LENDER } }],
      close: ['review:7', 'review:7:*'],
    });
  });

  it('closes the chases of the promises made during the review, by their contacts', () => {
    const d = onDecided({ attemptId: 7, round: 1, decidedOn: '2025-09-26', decision: 'approved', lender: LENDER, answeredPromises: [11, 12] });
    expect(d.close).toEqual(['review:7', 'review:7:*', 'promise:11', 'promise:12']);
  });

  it('rejected without a reason keeps reason null', () => {
    expect(onDecided({ attemptId: 7, round: 1, decidedOn: '2025-03-03', decision: 'rejected', lender: LENDER }).open[0].data.reason).toBeNull();
  });
});

describe('onNewRound: a re-application or escalation answers "decide the next step"', () => {
  it('closes the previous attempt\'s next step, and opens nothing', () => {
    expect(onNewRound(5)).toEqual({ open: [], close: ['next-step:5'] });
  });
});

describe('promiseChaseDate: the promised date, or the next workday after N workdays', () => {
  it.each([
    // contactOn, promiseDue, promiseWorkdays, expected, why
    ['2025-03-03', null, 3, '2025-03-07', '"3个工作日内回电" on a Monday: 4, 5, 6 → chase Friday'],
    ['2025-09-22', null, 3, '2025-09-26', 'Monday 22 Sep: 23, 24, 25 → Friday 26'],
    ['2025-09-24', null, 2, '2025-09-28', 'Wed: 25, 26 → chase on Sunday 28 (worked)'],
    ['2025-09-29', null, 3, '2025-10-11', 'across National Day: 30 Sep, 9, 10 Oct → Saturday 11 (worked)'],
    ['2025-01-24', null, 2, '2025-02-05', 'across Spring Festival: 26, 27 Jan → 5 Feb'],
    ['2025-03-08', null, 1, '2025-03-11', 'on a Saturday: Mon 10 → chase Tue 11'],
    ['2025-03-03', '2025-03-04', 3, '2025-03-04', 'an explicit date wins over the workdays'],
    ['2025-03-03', '2025-10-03', null, '2025-10-03', 'an explicit date is kept as given, holiday or not'],
    ['2025-03-03', null, null, null, 'no promise date: nothing to chase'],
    ['2025-03-03', null, 0, null, 'zero workdays: nothing to chase'],
  ] as const)('contact %s, due %s, %s workdays → %s (%s)', (contactOn, promiseDue, promiseWorkdays, expected, _why) => {
    expect(promiseChaseDate(contactOn, promiseDue, promiseWorkdays)).toBe(expected);
  });
});

describe('onPromise', () => {
  it('opens a chase keyed by the contact', () => {
    expect(onPromise({ contactId: 44, dueOn: '2025-03-07', promise: '三个工作日内回电', lender: LENDER })).toEqual({
      open: [{ ruleKey: 'promise:44', kind: 'promise_chase', dueOn: '2025-03-07', data: { promise: '三个工作日内回电', lender: LENDER } }],
      close: [],
    });
  });
});

describe('onPlanAgreed: each instalment 3 calendar days before and on the day', () => {
  const today = '2025-05-20';
  const data = (seq: number, dueOn: string) => ({ seq, periods: 6, amountFen: 50_000, dueOn, lender: LENDER });
  const plan = (instalments: { id: number; seq: number; dueOn: string }[]) =>
    onPlanAgreed({ instalments: instalments.map((i) => ({ ...i, amountFen: 50_000 })), periods: 6, lender: LENDER }, today);

  it.each([
    // dueOn, notice (null: none), on the day (null: none), why
    ['2025-06-15', '2025-06-12', '2025-06-15', 'both in the future'],
    ['2025-05-23', '2025-05-20', '2025-05-23', 'the notice falls today: kept'],
    ['2025-05-22', null, '2025-05-22', 'only the notice is past: it is skipped'],
    ['2025-05-20', null, '2025-05-20', 'due today: the on-the-day reminder only'],
    ['2025-05-19', null, null, 'due yesterday: nothing (the sweep reports it missed)'],
    ['2025-01-10', null, null, 'long past: nothing'],
    ['2025-10-03', '2025-09-30', '2025-10-03', 'calendar days, not workdays: on a holiday, 3 days before'],
    ['2025-06-01', '2025-05-29', '2025-06-01', 'across a month end'],
    ['2026-03-02', '2026-02-27', '2026-03-02', 'across February (28 days)'],
    ['2028-03-02', '2028-02-28', '2028-03-02', 'across February in a leap year'],
  ] as const)('due %s → notice %s, on the day %s (%s)', (dueOn, notice, onDay, _why) => {
    const expected = [];
    if (notice) expected.push({ ruleKey: 'inst-pre:9', kind: 'instalment_upcoming', dueOn: notice, data: data(2, dueOn) });
    if (onDay) expected.push({ ruleKey: 'inst-due:9', kind: 'instalment_due', dueOn: onDay, data: data(2, dueOn) });
    expect(plan([{ id: 9, seq: 2, dueOn }])).toEqual({ open: expected, close: [] });
  });

  it('covers every instalment of the plan, each with its own keys', () => {
    const change = plan([
      { id: 1, seq: 1, dueOn: '2025-04-20' },
      { id: 2, seq: 2, dueOn: '2025-05-20' },
      { id: 3, seq: 3, dueOn: '2025-06-20' },
    ]);
    expect(change.open.map((s) => [s.ruleKey, s.dueOn])).toEqual([
      ['inst-due:2', '2025-05-20'],
      ['inst-pre:3', '2025-06-17'],
      ['inst-due:3', '2025-06-20'],
    ]);
    expect(change.open.every((s) => !s.urgent)).toBe(true);
  });
});

describe('onInstalmentPaid', () => {
  const instalment = { id: 9, seq: 2, dueOn: '2025-06-15', amountFen: 50_000, periods: 6, lender: LENDER };
  const closed = ['inst-pre:9', 'inst-due:9', 'inst-missed:9', 'inst-short:9:*', 'inst-rest-pre:9:*'];
  const closes = (change: ReminderChange, key: string) => change.close.some((p) => matchesClosePattern(key, p));

  it('paid in full (or more): closes the instalment\'s notice, due, missed and pay-the-rest reminders, opens nothing', () => {
    expect(onInstalmentPaid(instalment, { paidOn: '2025-06-10', totalFen: 50_000 }, '2025-06-10')).toEqual({ open: [], close: closed });
    expect(onInstalmentPaid(instalment, { paidOn: '2025-06-20', totalFen: 60_000 }, '2025-06-20')).toEqual({ open: [], close: closed });
  });

  it('paid short before the date: a notice for the rest three days ahead, as the plan\'s was, and pay the rest by the instalment\'s date, not urgent', () => {
    expect(onInstalmentPaid(instalment, { paidOn: '2025-06-10', totalFen: 30_000 }, '2025-06-10')).toEqual({
      open: [
        {
          ruleKey: 'inst-rest-pre:9:30000',
          kind: 'instalment_upcoming',
          dueOn: '2025-06-12',
          data: { seq: 2, periods: 6, amountFen: 20_000, dueOn: '2025-06-15', lender: LENDER },
        },
        {
          ruleKey: 'inst-short:9:30000',
          kind: 'instalment_short',
          dueOn: '2025-06-15',
          urgent: false,
          data: { seq: 2, periods: 6, amountFen: 20_000, dueOn: '2025-06-15', lender: LENDER },
        },
      ],
      close: closed,
    });
  });

  it('paid short within the notice\'s three days: the notice for the rest shows today; on the day itself there is only "pay the rest"', () => {
    expect(onInstalmentPaid(instalment, { paidOn: '2025-06-13', totalFen: 30_000 }, '2025-06-13').open.map((o) => [o.kind, o.dueOn])).toEqual([
      ['instalment_upcoming', '2025-06-13'],
      ['instalment_short', '2025-06-15'],
    ]);
    // Recorded today for a payment made a week ago: from today, not a day already gone.
    expect(onInstalmentPaid(instalment, { paidOn: '2025-06-06', totalFen: 30_000 }, '2025-06-14').open[0]).toMatchObject({ kind: 'instalment_upcoming', dueOn: '2025-06-14' });
    expect(onInstalmentPaid(instalment, { paidOn: '2025-06-15', totalFen: 30_000 }, '2025-06-15').open.map((o) => [o.kind, o.dueOn, o.urgent])).toEqual([
      ['instalment_short', '2025-06-15', false],
    ]);
  });

  it('paid short after the date: pay the rest from the day of the payment, urgent', () => {
    const change = onInstalmentPaid(instalment, { paidOn: '2025-06-18', totalFen: 49_999 }, '2025-06-19');
    expect(change.open).toEqual([
      expect.objectContaining({ ruleKey: 'inst-short:9:49999', dueOn: '2025-06-18', urgent: true, data: expect.objectContaining({ amountFen: 1 }) }),
    ]);
    // Recorded late for a payment made on time: due on the instalment's date, already past.
    expect(onInstalmentPaid(instalment, { paidOn: '2025-06-14', totalFen: 10_000 }, '2025-06-19').open[0]).toMatchObject({ dueOn: '2025-06-15', urgent: true });
  });

  it('a second part payment replaces the first one\'s reminder with the new remainder', () => {
    const first = onInstalmentPaid(instalment, { paidOn: '2025-06-10', totalFen: 20_000 }, '2025-06-10');
    const second = onInstalmentPaid(instalment, { paidOn: '2025-06-12', totalFen: 40_000 }, '2025-06-12');
    expect(closes(second, first.open[0]!.ruleKey)).toBe(true);
    expect(keys(second)).toEqual(['inst-rest-pre:9:40000', 'inst-short:9:40000']);
    for (const spec of first.open) expect(closes(second, spec.ruleKey)).toBe(true);
    expect(keys(second)).not.toEqual(keys(first));
    // Another instalment's is left alone (9 is not a prefix of 90's key).
    expect(closes(second, 'inst-short:90:20000')).toBe(false);
  });
});

describe('instalmentOfRuleKey: the instalment a reminder is about', () => {
  it('reads the id from every instalment reminder the rules make', () => {
    const instalment = { id: 41, seq: 2, dueOn: '2025-06-15', amountFen: 50_000, periods: 6, lender: LENDER };
    const made = [
      ...onPlanAgreed({ instalments: [instalment], periods: 6, lender: LENDER }, '2025-06-01').open,
      instalmentMissed(instalment),
      ...onInstalmentPaid(instalment, { paidOn: '2025-06-10', totalFen: 30_000 }, '2025-06-10').open,
    ];
    expect(made.map((s) => s.kind)).toEqual(['instalment_upcoming', 'instalment_due', 'instalment_missed', 'instalment_upcoming', 'instalment_short']);
    for (const spec of made) expect(instalmentOfRuleKey(spec.ruleKey)).toBe(41);
  });

  it('is null for any other reminder, a hand-made one, or a key that only looks alike', () => {
    for (const key of ['review:41', 'materials:41', 'promise:41', 'next-step:41', 'inst-due:', 'inst-due:41x', 'xinst-due:41', null]) {
      expect(instalmentOfRuleKey(key)).toBeNull();
    }
  });
});

describe('instalmentMissed: the next morning, urgent', () => {
  it.each([
    ['2025-05-20', '2025-05-21'],
    ['2025-09-30', '2025-10-01'], // the next calendar day, holiday or not
    ['2025-02-28', '2025-03-01'],
    ['2024-02-28', '2024-02-29'],
    ['2024-12-31', '2025-01-01'],
  ])('due %s → missed %s', (dueOn, expected) => {
    expect(instalmentMissed({ id: 9, seq: 2, dueOn, amountFen: 50_000, periods: 6, lender: LENDER })).toEqual({
      ruleKey: 'inst-missed:9',
      kind: 'instalment_missed',
      dueOn: expected,
      urgent: true,
      data: { seq: 2, periods: 6, amountFen: 50_000, dueOn, lender: LENDER },
    });
  });
});

describe('snoozeLimit: the date a reminder may not be snoozed past', () => {
  const instalment = { seq: 1, periods: 3, amountFen: 50_000, dueOn: '2025-06-21', lender: '某银行' };

  it('the lender\'s deadline for materials, and an instalment\'s date for its notice and its day', () => {
    const materials = { what: '流水', deadline: '2025-06-23', lender: '某银行' };
    expect(snoozeLimit({ kind: 'materials_deadline', data: materials })).toBe('2025-06-23');
    expect(snoozeLimit({ kind: 'materials_nudge', data: materials })).toBe('2025-06-23');
    expect(snoozeLimit({ kind: 'instalment_upcoming', data: instalment })).toBe('2025-06-21');
    expect(snoozeLimit({ kind: 'instalment_due', data: instalment })).toBe('2025-06-21');
  });

  it('"pay the rest" of a part payment: the instalment\'s date too, as its day is (snoozed past it, the miss would be hidden)', () => {
    const [, rest] = onInstalmentPaid({ id: 7, ...instalment }, { paidOn: '2025-06-12', totalFen: 20_000 }, '2025-06-12').open;
    expect(rest).toMatchObject({ kind: 'instalment_short', dueOn: '2025-06-21' });
    expect(snoozeLimit(rest!)).toBe('2025-06-21');
  });

  it('none for the rest: a review to check, a promise to chase, a missed instalment, a person\'s own reminder', () => {
    expect(snoozeLimit({ kind: 'review_followup', data: { round: 1, lender: '某银行', submittedOn: '2025-06-02' } })).toBeNull();
    expect(snoozeLimit({ kind: 'promise_chase', data: { promise: '回电', lender: '某银行' } })).toBeNull();
    expect(snoozeLimit({ kind: 'instalment_missed', data: instalment })).toBeNull();
    expect(snoozeLimit({ kind: 'custom', data: {} })).toBeNull();
  });
});

describe('staleCaseDueOn: 14 calendar days after the last activity', () => {
  it.each([
    ['2025-03-03', '2025-03-17'],
    ['2025-09-20', '2025-10-04'],
    ['2025-02-20', '2025-03-06'],
    ['2024-12-25', '2025-01-08'],
  ])('%s → %s', (last, expected) => {
    expect(staleCaseDueOn(last)).toBe(expected);
  });
});

describe('matchesClosePattern', () => {
  it.each([
    ['review:12', 'review:12', true],
    ['review:12', 'review:1', false],
    ['review:1', 'review:12', false],
    ['review:12:after:x', 'review:12', false],
    ['review:12:after:x', 'review:12:*', true],
    ['review:12', 'review:12:*', false],
    ['review:123:after:x', 'review:12:*', false],
    ['review:12:after:x', 'review:1:*', false],
    ['materials-nudge:3', 'materials:3', false],
    ['stale:4:2025-03-03', 'stale:4:*', true],
    ['stale:40:2025-03-03', 'stale:4:*', false],
  ] as const)('%s against %s → %s', (key, pattern, expected) => {
    expect(matchesClosePattern(key, pattern)).toBe(expected);
  });
});

describe('the rules fit together', () => {
  const closes = (change: ReminderChange, key: string) => change.close.some((p) => matchesClosePattern(key, p));
  const submitted = onSubmitted({ attemptId: 7, round: 1, submittedOn: '2025-03-03', reviewWorkdays: 5, lender: LENDER });
  const requested = onMaterialsRequested({ attemptId: 7, requestId: 31, requestedOn: '2025-03-03', deadline: '2025-03-06', what: 'x', lender: LENDER }, '2025-03-03');
  const sent = onMaterialsSent({ attemptId: 7, round: 1, submittedOn: '2025-03-01', requestIds: [31], sentOn: '2025-03-06', reviewWorkdays: 5, lender: LENDER });
  const rejected = onDecided({ attemptId: 7, round: 1, decidedOn: '2025-03-12', decision: 'rejected', lender: LENDER });
  const approved = onDecided({ attemptId: 7, round: 1, decidedOn: '2025-03-12', decision: 'approved', lender: LENDER });
  const planned = onPlanAgreed({ instalments: [{ id: 9, seq: 1, dueOn: '2025-04-15', amountFen: 1 }], periods: 1, lender: LENDER }, '2025-03-12');
  const missed = instalmentMissed({ id: 9, seq: 1, dueOn: '2025-04-15', amountFen: 1, periods: 1, lender: LENDER });

  it('a materials request closes the review follow-up', () => {
    for (const k of keys(submitted)) expect(closes(requested, k), k).toBe(true);
  });

  it('sending closes the deadline and the nudge, and its follow-up is not one the sending closes', () => {
    expect(keys(requested)).toHaveLength(2);
    for (const k of keys(requested)) expect(closes(sent, k), k).toBe(true);
    for (const k of keys(sent)) expect(closes(sent, k), k).toBe(false);
  });

  it('a decision closes every review follow-up of the attempt, first and after materials', () => {
    for (const k of [...keys(submitted), ...keys(sent)]) {
      expect(closes(rejected, k), k).toBe(true);
      expect(closes(approved, k), k).toBe(true);
    }
    for (const k of keys(rejected)) expect(closes(rejected, k), k).toBe(false);
  });

  it('a decision on another attempt closes nothing of this one', () => {
    const other = onDecided({ attemptId: 70, round: 2, decidedOn: '2025-03-12', decision: 'approved', lender: LENDER });
    for (const k of [...keys(submitted), ...keys(sent)]) expect(closes(other, k), k).toBe(false);
  });

  it('a new round closes the rejection\'s next step', () => {
    for (const k of keys(rejected)) expect(closes(onNewRound(7), k), k).toBe(true);
    for (const k of keys(rejected)) expect(closes(onNewRound(8), k), k).toBe(false);
  });

  it('paying an instalment closes its notice, due and missed reminders, and no other instalment\'s', () => {
    const all = [...keys(planned), missed.ruleKey];
    expect(all).toHaveLength(3);
    const paid = (id: number) => onInstalmentPaid({ id, seq: 1, dueOn: '2025-04-15', amountFen: 1, periods: 1, lender: LENDER }, { paidOn: '2025-04-15', totalFen: 1 }, '2025-04-15');
    for (const k of all) expect(closes(paid(9), k), k).toBe(true);
    for (const k of all) expect(closes(paid(90), k), k).toBe(false);
  });

  it('uses only the known kinds, and rule keys that are unique per event', () => {
    const specs = [submitted, requested, sent, rejected, planned].flatMap((c) => c.open).concat(missed);
    for (const s of specs) expect(REMINDER_KINDS).toContain(s.kind);
    expect(new Set(specs.map((s) => s.ruleKey)).size).toBe(specs.length);
    expect(specs.map((s) => s.kind)).not.toContain('custom');
  });
});
