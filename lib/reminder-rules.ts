/**
 * The reminder rules of DESIGN.md §4, as pure functions: an event in, the reminders it opens
 * (each with a rule key, so the same event never makes two) and the rule keys it closes.
 * Keys ending in '*' close every key that starts with what comes before.
 */
import { addDaysIso } from './dates';
import { addWorkdays, nextWorkday, workdayOnOrAfter } from './workdays';

export const REMINDER_KINDS = [
  'review_followup',
  'materials_deadline',
  'materials_nudge',
  'next_step',
  'promise_chase',
  'instalment_upcoming',
  'instalment_due',
  'instalment_missed',
  'instalment_short',
  'stale_case',
  'custom',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * Notices ahead of a date (a materials deadline, an instalment): a case's next date counts the date itself,
 * not the notice (db/cases.ts nextDateSql; the view of migration 0008 names them too).
 */
export const NOTICE_KINDS = ['materials_nudge', 'instalment_upcoming'] as const satisfies readonly ReminderKind[];

export const DEFAULT_REVIEW_WORKDAYS = 5;
/**
 * A mediation or complaint (an escalation) is not the lender's review: mediators and regulators take
 * weeks. A mediation's follow-up comes after this many workdays (a complaint's follows its own deadline:
 * escalationFollowupOn, which the advisor's line for an escalation gone quiet uses too, db/advisor.ts).
 */
export const ESCALATION_FOLLOWUP_WORKDAYS = 15;
/**
 * A complaint has a deadline in the regulator's rules (银行业保险业消费投诉处理管理办法 art. 24), which
 * bind banks and consumer-finance companies (银行保险机构), not microloan companies or platforms: the
 * institution decides within 15 days of receiving it (one made through 12378 is forwarded to it
 * first), a complex one within 30, an especially complex one 30 more, with notice to the complainant.
 * The days are calendar days, the day received not counted, and a period ending on a day off ends on
 * the next workday (民法典 art. 201, 203).
 */
export const COMPLAINT_DECISION_DAYS = 15;

/** The last day of a complaint's 15 days (COMPLAINT_DECISION_DAYS). */
export function complaintDecisionDue(submittedOn: string): string {
  return workdayOnOrAfter(addDaysIso(submittedOn, COMPLAINT_DECISION_DAYS));
}

/**
 * The day to ask after an escalation: for a complaint the workday after its 15 days have run out (by then
 * the lender should have answered, whatever it is, in writing or by phone); for a mediation, 15 workdays on.
 */
export function escalationFollowupOn(submittedOn: string, route: string): string {
  if (route === 'complaint') return nextWorkday(complaintDecisionDue(submittedOn));
  return addWorkdays(submittedOn, ESCALATION_FOLLOWUP_WORKDAYS);
}
export const DEFAULT_MATERIALS_WORKDAYS = 3;
export const NEXT_STEP_WORKDAYS = 2;
export const INSTALMENT_NOTICE_DAYS = 3;
export const STALE_AFTER_DAYS = 14;

export type ReminderData = Record<string, string | number | null>;

export type ReminderSpec = {
  ruleKey: string;
  kind: ReminderKind;
  dueOn: string;
  urgent?: boolean;
  data: ReminderData;
};

export type ReminderChange = { open: ReminderSpec[]; close: string[] };

/** Instalment reminders that come before or on the instalment's date (`data.dueOn`), which is their snooze limit. */
const BY_INSTALMENT_DATE: readonly string[] = ['instalment_upcoming', 'instalment_due', 'instalment_short'] satisfies ReminderKind[];

/**
 * The date a reminder may not be snoozed past: the lender's deadline for materials, an
 * instalment's due date (for its notice, its day, and "pay the rest" of a part payment made before
 * it). Snoozed beyond it, the reminder would come back when the day was lost: "pay the rest" would
 * hide the miss, since the sweep's urgency and its mail wait for the day it shows. Null for the rest
 * (a review to check, a promise to chase, a missed instalment, a person's own reminder).
 */
export function snoozeLimit(r: { kind: string; data: ReminderData }): string | null {
  const day = r.kind === 'materials_deadline' || r.kind === 'materials_nudge' ? r.data.deadline : BY_INSTALMENT_DATE.includes(r.kind) ? r.data.dueOn : null;
  return typeof day === 'string' ? day : null;
}

/**
 * An application went in: check the review result after the lender's typical review time. An
 * escalation (`route`: mediation or a complaint) is asked about on escalationFollowupOn.
 */
export function onSubmitted(a: { attemptId: number; round: number; submittedOn: string; reviewWorkdays: number | null; lender: string; route?: string }): ReminderChange {
  return {
    open: [
      {
        ruleKey: `review:${a.attemptId}`,
        kind: 'review_followup',
        dueOn: a.route ? escalationFollowupOn(a.submittedOn, a.route) : addWorkdays(a.submittedOn, a.reviewWorkdays || DEFAULT_REVIEW_WORKDAYS),
        data: { round: a.round, lender: a.lender, submittedOn: a.submittedOn, ...(a.route ? { route: a.route } : {}) },
      },
    ],
    close: [],
  };
}

/** The deadline the lender gave, or three workdays from the request. */
export function materialsDeadline(requestedOn: string, deadline: string | null): string {
  return deadline ?? addWorkdays(requestedOn, DEFAULT_MATERIALS_WORKDAYS);
}

/**
 * The lender asked for materials: send them by the deadline, nudged one workday before. Review waits.
 * `byWorkdays`: the lender gave no deadline, and it is the default three workdays (an estimate where
 * the year's holidays are not published). A nudge whose day has passed by `today` (a request recorded
 * late, a deadline moved to today) is not made: urgent and mailed after its point, it would only
 * repeat the deadline's reminder, as onPlanAgreed leaves out notices already past.
 */
export function onMaterialsRequested(
  r: {
    attemptId: number;
    requestId: number;
    requestedOn: string;
    deadline: string;
    what: string;
    lender: string;
    byWorkdays?: boolean;
  },
  today: string,
): ReminderChange {
  const data = { what: r.what, deadline: r.deadline, lender: r.lender, ...(r.byWorkdays ? { byWorkdays: 1 } : {}) };
  const open: ReminderSpec[] = [{ ruleKey: `materials:${r.requestId}`, kind: 'materials_deadline', dueOn: r.deadline, data }];
  const nudge = addWorkdays(r.deadline, -1);
  if (nudge >= r.requestedOn && nudge >= today && nudge < r.deadline) {
    open.push({ ruleKey: `materials-nudge:${r.requestId}`, kind: 'materials_nudge', dueOn: nudge, urgent: true, data });
  }
  return { open, close: [`review:${r.attemptId}`, `review:${r.attemptId}:*`] };
}

/**
 * Materials sent: their reminders close, and the review clock starts again. The follow-up is
 * keyed by the requests it answers, not the date: a second request answered on the same day
 * must open a new follow-up, not collide with the first one's (already closed) key.
 */
export function onMaterialsSent(s: { attemptId: number; round: number; submittedOn: string; requestIds: number[]; sentOn: string; reviewWorkdays: number | null; lender: string }): ReminderChange {
  const answered = s.requestIds.length > 0 ? `requests:${[...s.requestIds].sort((a, b) => a - b).join(',')}` : `after:${s.sentOn}`;
  return {
    open: [
      {
        ruleKey: `review:${s.attemptId}:${answered}`,
        kind: 'review_followup',
        dueOn: addWorkdays(s.sentOn, s.reviewWorkdays || DEFAULT_REVIEW_WORKDAYS),
        data: { round: s.round, lender: s.lender, submittedOn: s.submittedOn, sentOn: s.sentOn },
      },
    ],
    close: s.requestIds.flatMap((id) => [`materials:${id}`, `materials-nudge:${id}`]),
  };
}

/**
 * Some of the materials asked for were sent, not all: the reminders of the requests answered close;
 * the others keep theirs, and the review clock waits for the rest (onMaterialsSent).
 */
export function onMaterialsPartlySent(requestIds: number[]): ReminderChange {
  return { open: [], close: requestIds.flatMap((id) => [`materials:${id}`, `materials-nudge:${id}`]) };
}

/**
 * A decision closes "check the review result", and the chase of every promise the lender made
 * while the application was under review (`answeredPromises`: their contacts' ids) — "审核结果会
 * 短信通知" is answered by the decision itself. A rejection asks for the next step within two workdays.
 */
export function onDecided(d: {
  attemptId: number;
  round: number;
  decidedOn: string;
  decision: 'approved' | 'rejected';
  reason?: string | null;
  lender: string;
  answeredPromises?: number[];
  overtakenRequests?: number[];
}): ReminderChange {
  // A decision made while materials were asked for overtakes the request: its deadline and nudge close too.
  const close = [
    `review:${d.attemptId}`,
    `review:${d.attemptId}:*`,
    ...(d.answeredPromises ?? []).map((id) => `promise:${id}`),
    ...(d.overtakenRequests ?? []).flatMap((id) => [`materials:${id}`, `materials-nudge:${id}`]),
  ];
  if (d.decision === 'approved') return { open: [], close };
  return {
    open: [
      {
        ruleKey: `next-step:${d.attemptId}`,
        kind: 'next_step',
        dueOn: addWorkdays(d.decidedOn, NEXT_STEP_WORKDAYS),
        data: { round: d.round, reason: d.reason ?? null, lender: d.lender },
      },
    ],
    close,
  };
}

/**
 * The lender voided the plan: its instalment reminders close, and "decide the next step" opens two
 * workdays after, as after a rejection (a new round answers it, onNewRound).
 */
export function onPlanVoided(v: { attemptId: number; round: number; voidedOn: string; lender: string }): ReminderChange {
  return {
    open: [{ ruleKey: `next-step:${v.attemptId}`, kind: 'next_step', dueOn: addWorkdays(v.voidedOn, NEXT_STEP_WORKDAYS), data: { round: v.round, reason: null, lender: v.lender, voided: 1 } }],
    close: onPlanDropped().close,
  };
}

/** A new round (re-application or escalation) answers the rejection's "decide the next step". */
export function onNewRound(previousAttemptId: number): ReminderChange {
  return { open: [], close: [`next-step:${previousAttemptId}`] };
}

/**
 * The date to chase a lender's promise: the promised date, or the next workday after the
 * promised number of workdays ("3个工作日内回电" on Monday → chase on Friday).
 */
export function promiseChaseDate(contactOn: string, promiseDue: string | null, promiseWorkdays: number | null): string | null {
  if (promiseDue) return promiseDue;
  if (promiseWorkdays) return addWorkdays(contactOn, promiseWorkdays + 1);
  return null;
}

/**
 * A lender's promise to chase. `byWorkdays`: its date was counted in workdays ("3个工作日内"), so it is
 * an estimate where the year's holidays are not published (the reminder says so).
 */
export function onPromise(p: { contactId: number; dueOn: string; promise: string; lender: string; byWorkdays?: boolean }): ReminderChange {
  const data = { promise: p.promise, lender: p.lender, ...(p.byWorkdays ? { byWorkdays: 1 } : {}) };
  return {
    open: [{ ruleKey: `promise:${p.contactId}`, kind: 'promise_chase', dueOn: p.dueOn, data }],
    close: [],
  };
}

type InstalmentFacts = { id: number; seq: number; dueOn: string; amountFen: number };

/** A plan: each instalment three days before and on the day. Dates already past are the sweep's (missed). */
export function onPlanAgreed(plan: { instalments: InstalmentFacts[]; periods: number; lender: string }, today: string): ReminderChange {
  const open: ReminderSpec[] = [];
  for (const i of plan.instalments) {
    const data = { seq: i.seq, periods: plan.periods, amountFen: i.amountFen, dueOn: i.dueOn, lender: plan.lender };
    const notice = addDaysIso(i.dueOn, -INSTALMENT_NOTICE_DAYS);
    if (notice >= today) open.push({ ruleKey: `inst-pre:${i.id}`, kind: 'instalment_upcoming', dueOn: notice, data });
    if (i.dueOn >= today) open.push({ ruleKey: `inst-due:${i.id}`, kind: 'instalment_due', dueOn: i.dueOn, data });
  }
  return { open, close: [] };
}

/** A plan that no longer stands (remade from corrected terms, or its approval undone): every instalment reminder of the case closes. */
export function onPlanDropped(): ReminderChange {
  return { open: [], close: ['inst-pre:*', 'inst-due:*', 'inst-missed:*', 'inst-short:*', 'inst-rest-pre:*'] };
}

/**
 * A payment recorded on an instalment: its notice, due and missed reminders close, and so does what
 * an earlier part payment opened. A payment still short of the amount opens "pay the rest" for
 * what is left, by the instalment's date, or at once when that has passed (then urgent, like a
 * missed one: a lender may count a part payment as none). Made before the date, it also opens a
 * notice for the rest, as the plan's own notice was (three days ahead, or today when that is
 * sooner), so that the rest is not first mentioned on the day it is due. Their keys carry the sum
 * paid so far, so a second part payment replaces them with the new remainder.
 */
export function onInstalmentPaid(
  i: InstalmentFacts & { periods: number; lender: string },
  paid: { paidOn: string; totalFen: number },
  today: string,
): ReminderChange {
  const close = [`inst-pre:${i.id}`, `inst-due:${i.id}`, `inst-missed:${i.id}`, `inst-short:${i.id}:*`, `inst-rest-pre:${i.id}:*`];
  const shortFen = i.amountFen - paid.totalFen;
  if (shortFen <= 0) return { open: [], close };
  const data = { seq: i.seq, periods: i.periods, amountFen: shortFen, dueOn: i.dueOn, lender: i.lender };
  const rest: ReminderSpec = {
    ruleKey: `inst-short:${i.id}:${paid.totalFen}`,
    kind: 'instalment_short',
    dueOn: paid.paidOn > i.dueOn ? paid.paidOn : i.dueOn,
    urgent: i.dueOn < today,
    data,
  };
  if (paid.paidOn > i.dueOn || i.dueOn <= today) return { open: [rest], close };
  const notice = addDaysIso(i.dueOn, -INSTALMENT_NOTICE_DAYS);
  return {
    open: [{ ruleKey: `inst-rest-pre:${i.id}:${paid.totalFen}`, kind: 'instalment_upcoming', dueOn: notice > today ? notice : today, data }, rest],
    close,
  };
}

/**
 * A payment corrected (db/plans.ts correctInstalmentPayment): what the instalment is now decides its
 * reminders, as if the payment had been recorded so. Paid in full or in part: as `onInstalmentPaid`.
 * Not paid after all: the notice and the day when they are still ahead, or "missed" when the date has
 * passed. The caller reopens what `open` names (a payment closed those keys, so they may be there).
 */
export function onPaymentCorrected(
  i: InstalmentFacts & { periods: number; lender: string },
  paid: { paidOn: string; totalFen: number } | null,
  today: string,
): ReminderChange {
  if (paid) return onInstalmentPaid(i, paid, today);
  const close = [`inst-short:${i.id}:*`, `inst-rest-pre:${i.id}:*`];
  if (i.dueOn < today) return { open: [instalmentMissed(i)], close };
  return { open: onPlanAgreed({ instalments: [i], periods: i.periods, lender: i.lender }, today).open, close };
}

/** An instalment whose date passed unpaid: urgent, the next morning. */
export function instalmentMissed(i: InstalmentFacts & { periods: number; lender: string }): ReminderSpec {
  return {
    ruleKey: `inst-missed:${i.id}`,
    kind: 'instalment_missed',
    dueOn: addDaysIso(i.dueOn, 1),
    urgent: true,
    data: { seq: i.seq, periods: i.periods, amountFen: i.amountFen, dueOn: i.dueOn, lender: i.lender },
  };
}

/**
 * The instalment a reminder is about, read from its rule key (its notice, due, missed or short
 * reminder, or the notice and "pay the rest" of a part payment: `inst-pre:<id>`, `inst-due:<id>`,
 * `inst-missed:<id>`, `inst-rest-pre:<id>:<paid>`, `inst-short:<id>:<paid>`); null for
 * any other reminder.
 */
export function instalmentOfRuleKey(ruleKey: string | null): number | null {
  const id = /^inst-(?:pre|due|missed|short|rest-pre):(\d+)(?::|$)/.exec(ruleKey ?? '')?.[1];
  return id ? Number(id) : null;
}

/** When an open case has had no activity for 14 days. */
export function staleCaseDueOn(lastActivityOn: string): string {
  return addDaysIso(lastActivityOn, STALE_AFTER_DAYS);
}

/** Does a rule key match a close pattern ('review:12' exactly, or 'review:12:*' as a prefix)? */
export function matchesClosePattern(ruleKey: string, pattern: string): boolean {
  return pattern.endsWith('*') ? ruleKey.startsWith(pattern.slice(0, -1)) : ruleKey === pattern;
}
