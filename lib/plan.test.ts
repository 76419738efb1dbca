import { describe, expect, it } from 'vitest';
import { buildSchedule, droppedByPlanEnd, firstOwedOn, owedBefore, owedFen, paymentProblems, planExcessOverDebt, planProgress, planStages, scheduleChangedSinceTerms } from './plan';

describe('buildSchedule', () => {
  it('makes one instalment a month from the first date', () => {
    expect(buildSchedule('2025-11-15', 3, 50000)).toEqual([
      { seq: 1, dueOn: '2025-11-15', amountFen: 50000 },
      { seq: 2, dueOn: '2025-12-15', amountFen: 50000 },
      { seq: 3, dueOn: '2026-01-15', amountFen: 50000 },
    ]);
  });

  it('keeps the 31st in long months after a short one', () => {
    expect(buildSchedule('2025-01-31', 3, 100).map((i) => i.dueOn)).toEqual(['2025-01-31', '2025-02-28', '2025-03-31']);
  });

  it('refuses nonsense terms', () => {
    expect(() => buildSchedule('2025-01-01', 0, 100)).toThrow(RangeError);
    expect(() => buildSchedule('2025-01-01', 2, 0)).toThrow(RangeError);
    expect(() => buildSchedule('2025-01-01', 1.5, 100)).toThrow(RangeError);
  });
});

describe('planProgress', () => {
  it('counts what is paid and what remains', () => {
    const p = planProgress([
      { amountFen: 1000, paidOn: '2025-01-01', paidFen: 1000 },
      { amountFen: 1000, paidOn: null, paidFen: null },
      { amountFen: 1000, paidOn: null, paidFen: null },
    ]);
    expect(p).toEqual({ paidCount: 1, remainingCount: 2, paidFen: 1000, remainingFen: 2000, totalFen: 3000 });
  });

  it('counts an instalment paid short among those left, and what was paid of it among what is paid', () => {
    const p = planProgress([
      { amountFen: 1000, paidOn: '2025-01-01', paidFen: 1000 },
      { amountFen: 1000, paidOn: '2025-02-01', paidFen: 600 },
      { amountFen: 1000, paidOn: null, paidFen: null },
    ]);
    expect(p).toEqual({ paidCount: 1, remainingCount: 2, paidFen: 1600, remainingFen: 1400, totalFen: 3000 });
  });

  it('leaves what each instalment still owes: more paid on the last does not pay an earlier one', () => {
    // The last took the lender's rounding, then a correction left the first unpaid: it still owes all of it.
    const p = planProgress([
      { amountFen: 1000, paidOn: null, paidFen: null },
      { amountFen: 1000, paidOn: '2025-02-01', paidFen: 2000 },
    ]);
    expect(p).toEqual({ paidCount: 1, remainingCount: 1, paidFen: 2000, remainingFen: 1000, totalFen: 2000 });
  });
});

describe('planExcessOverDebt', () => {
  const debt = { principalFen: 1_000_000, interestFen: 50_000, penaltyFen: 20_050 };

  it('is what the plan asks beyond principal, interest and penalty together', () => {
    // 12 × ¥900 = ¥10,800 against ¥10,700.50 owed.
    expect(planExcessOverDebt(12 * 90_000, debt)).toBe(9_950);
    expect(planExcessOverDebt(1_070_051, debt)).toBe(1);
  });

  it('counts against the debt less the agreed waiver', () => {
    // ¥10,700.50 owed, ¥1,500 waived: 12 × ¥891.71 = ¥10,700.52 is ¥1,500.02 too much.
    expect(planExcessOverDebt(12 * 89_171, debt, 150_000)).toBe(150_002);
    expect(planExcessOverDebt(920_050, debt, 150_000)).toBe(0);
    expect(planExcessOverDebt(920_051, debt, 150_000)).toBe(1);
  });

  it('is 0 for a plan that asks the debt or less, and when no debt was recorded', () => {
    expect(planExcessOverDebt(1_070_050, debt)).toBe(0);
    expect(planExcessOverDebt(800_000, debt)).toBe(0);
    expect(planExcessOverDebt(1_200_000, { principalFen: 0, interestFen: 0, penaltyFen: 0 })).toBe(0);
  });
});

describe('owedFen, owedBefore and firstOwedOn', () => {
  const unpaid = { dueOn: '2025-05-10', amountFen: 50_000, paidOn: null, paidFen: null };
  const short = { dueOn: '2025-04-10', amountFen: 50_000, paidOn: '2025-04-09', paidFen: 30_000 };
  const full = { dueOn: '2025-03-10', amountFen: 50_000, paidOn: '2025-03-10', paidFen: 50_000 };
  it('is all of an unpaid instalment, the rest of one paid short, nothing of one paid in full (or over)', () => {
    expect([unpaid, short, full, { ...full, paidFen: 60_000 }].map(owedFen)).toEqual([50_000, 20_000, 0, 0]);
  });
  it('is the earliest date still owed, in any order; null when all is paid', () => {
    expect(firstOwedOn([unpaid, short, full])).toBe('2025-04-10');
    expect(firstOwedOn([full, { ...short, paidFen: 50_000 }, unpaid])).toBe('2025-05-10');
    expect(firstOwedOn([full])).toBeNull();
  });
  it('owedBefore is what the instalments numbered before one still owe, in any order', () => {
    const plan = [{ ...unpaid, seq: 3 }, { ...full, seq: 1 }, { ...short, seq: 2 }];
    expect([1, 2, 3, 4].map((seq) => owedBefore(plan, seq))).toEqual([0, 0, 20_000, 70_000]);
  });
});

describe('planStages', () => {
  const plan = (...amounts: number[]) => amounts.map((amountFen, k) => ({ seq: k + 1, amountFen }));

  it('is one stage for equal instalments, none for no instalments', () => {
    expect(planStages(plan(50_000, 50_000, 50_000))).toEqual([{ fromSeq: 1, toSeq: 3, amountFen: 50_000 }]);
    expect(planStages([])).toEqual([]);
  });

  it('groups consecutive equal amounts: a lender\'s staged plan, its last instalment taking the rounding', () => {
    const staged = [...plan(...Array(12).fill(50_000)), ...Array.from({ length: 48 }, (_, k) => ({ seq: 13 + k, amountFen: k === 47 ? 85_608 : 85_626 }))];
    expect(planStages(staged)).toEqual([
      { fromSeq: 1, toSeq: 12, amountFen: 50_000 },
      { fromSeq: 13, toSeq: 59, amountFen: 85_626 },
      { fromSeq: 60, toSeq: 60, amountFen: 85_608 },
    ]);
  });

  it('splits amounts that come back after another (not grouped across), and reads the instalments in their order', () => {
    expect(planStages([{ seq: 3, amountFen: 100 }, { seq: 1, amountFen: 100 }, { seq: 2, amountFen: 200 }, { seq: 4, amountFen: 100 }])).toEqual([
      { fromSeq: 1, toSeq: 1, amountFen: 100 },
      { fromSeq: 2, toSeq: 2, amountFen: 200 },
      { fromSeq: 3, toSeq: 4, amountFen: 100 },
    ]);
  });

  it('starts a new stage at a gap in the numbers (a voided plan keeps only its paid instalments)', () => {
    expect(planStages([{ seq: 1, amountFen: 100 }, { seq: 2, amountFen: 100 }, { seq: 5, amountFen: 100 }])).toEqual([
      { fromSeq: 1, toSeq: 2, amountFen: 100 },
      { fromSeq: 5, toSeq: 5, amountFen: 100 },
    ]);
  });
});

describe('scheduleChangedSinceTerms', () => {
  const events = (...kinds: string[]) => kinds.map((kind) => ({ kind }));

  it('is false for a plan as it was made, and with no plan at all', () => {
    expect(scheduleChangedSinceTerms(events('case_created', 'attempt_submitted', 'attempt_approved', 'instalment_paid'))).toBe(false);
    expect(scheduleChangedSinceTerms(events('case_created', 'instalment_changed'))).toBe(false);
  });

  it('is true once an instalment, or a range of them, was changed after the approval', () => {
    expect(scheduleChangedSinceTerms(events('attempt_approved', 'instalment_paid', 'instalment_changed'))).toBe(true);
    expect(scheduleChangedSinceTerms(events('attempt_approved', 'instalments_changed', 'instalment_paid'))).toBe(true);
  });

  it('is false again when the terms were corrected (the plan made again) or a new round approved after the change', () => {
    expect(scheduleChangedSinceTerms(events('attempt_approved', 'instalments_changed', 'plan_terms_corrected'))).toBe(false);
    expect(scheduleChangedSinceTerms(events('attempt_approved', 'instalment_changed', 'plan_voided', 'attempt_resubmitted', 'attempt_approved'))).toBe(false);
  });
});

describe('paymentProblems', () => {
  const plan = { agreedOn: '2025-03-10', periods: 3, owedBeforeFen: 0 };
  const unpaid = { seq: 1, amountFen: 50000, paidOn: null, paidFen: null };
  const said = (problems: { code: string; detail: { field?: string } }[]) => problems.map((p) => [p.code, p.detail.field]);

  it('finds nothing wrong with a payment on or after the plan, up to what is owed', () => {
    expect(paymentProblems(unpaid, plan, { paidOn: '2025-03-10', paid: 50000 })).toEqual([]);
    expect(paymentProblems(unpaid, plan, { paidOn: '2025-04-01', paid: 100 })).toEqual([]);
  });

  it('says every problem at once, each at its field', () => {
    expect(said(paymentProblems(unpaid, plan, { paidOn: '2025-03-09', paid: 50001 }))).toEqual([
      ['paid_before_agreed', 'paidOn'],
      ['paid_over_amount', 'paid'],
    ]);
  });

  it('counts what was paid before: the rest is what may be paid, not before that payment', () => {
    const short = { ...unpaid, paidOn: '2025-04-10', paidFen: 30000 };
    expect(said(paymentProblems(short, plan, { paidOn: '2025-04-09', paid: 20001 }))).toEqual([
      ['paid_before_earlier_payment', 'paidOn'],
      ['paid_over_amount', 'paid'],
    ]);
    expect(paymentProblems(short, plan, { paidOn: '2025-04-10', paid: 20000 })).toEqual([]);
  });

  it('lets the last instalment take more (the lender rounds there), up to twice its amount', () => {
    const last = { ...unpaid, seq: 3 };
    expect(paymentProblems(last, plan, { paidOn: '2025-06-10', paid: 50003 })).toEqual([]);
    expect(paymentProblems(last, plan, { paidOn: '2025-06-10', paid: 100000 })).toEqual([]);
    expect(said(paymentProblems(last, plan, { paidOn: '2025-06-10', paid: 100001 }))).toEqual([['paid_over_last', 'paid']]);
    // Counting what was paid on it before.
    expect(said(paymentProblems({ ...last, paidOn: '2025-06-01', paidFen: 60000 }, plan, { paidOn: '2025-06-10', paid: 40001 }))).toEqual([['paid_over_last', 'paid']]);
  });

  it('lets the last take more only once the earlier ones are paid in full: the extra would hide what they owe', () => {
    const last = { ...unpaid, seq: 3 };
    const owing = { ...plan, owedBeforeFen: 50000 };
    expect(paymentProblems(last, owing, { paidOn: '2025-06-10', paid: 50000 })).toEqual([]);
    const [problem, ...rest] = paymentProblems(last, owing, { paidOn: '2025-06-10', paid: 50001 });
    expect(rest).toEqual([]);
    expect([problem!.code, problem!.detail]).toEqual(['paid_over_last_earlier_owed', { field: 'paid', values: { owedFen: 50000 } }]);
  });

  it('leaves out a field the form could not read', () => {
    expect(said(paymentProblems(unpaid, plan, { paid: 60000 }))).toEqual([['paid_over_amount', 'paid']]);
    expect(said(paymentProblems(unpaid, plan, { paidOn: '2025-01-01' }))).toEqual([['paid_before_agreed', 'paidOn']]);
  });
});

describe('droppedByPlanEnd', () => {
  const row = { seq: 2, dueOn: '2025-06-10', amountFen: 50000, paidOn: null, paidFen: null };
  const end = (dropped: unknown) => [{ kind: 'plan_voided', data: { dropped } }];

  it('reads what the latest end dropped, with the ids an end keeps and without them in older events', () => {
    expect(droppedByPlanEnd(end([{ ...row, id: 17 }]))).toEqual([{ ...row, id: 17 }]);
    expect(droppedByPlanEnd(end([row]))).toEqual([row]);
    expect(droppedByPlanEnd([...end([row]), { kind: 'plan_paid_off', data: { dropped: [{ ...row, seq: 3, id: 9 }] } }])).toEqual([{ ...row, seq: 3, id: 9 }]);
  });

  it('gives nothing for an end without its instalments, or with one it cannot read', () => {
    expect(droppedByPlanEnd([{ kind: 'plan_voided', data: {} }])).toBeNull();
    expect(droppedByPlanEnd(end([{ ...row, id: 0 }]))).toBeNull();
    expect(droppedByPlanEnd(end([{ ...row, id: '17' }]))).toBeNull();
    expect(droppedByPlanEnd(end([{ ...row, dueOn: '2025-02-30' }]))).toBeNull();
  });
});
