/**
 * The words of a reminder, in the reader's language. Rule reminders are stored as a kind and
 * facts (`data`), never as text, so the same reminder reads in Chinese in the app and in
 * English in a mail to someone who chose English. One renderer for the app, the mailer and
 * the calendar feed.
 *
 * `t` is a translator for the 'reminders' namespace: `await getTranslations('reminders')` in
 * server components, or `createTranslator({ locale, messages, namespace: 'reminders' })`
 * outside React (its catalogue's `locale` key tells how to format dates).
 */
import { daysBetween, formatDate } from './dates';
import { REJECTION_REASONS } from './domain';
import { formatFen } from './money';
import { complaintDecisionDue, STALE_AFTER_DAYS } from './reminder-rules';

export type ReminderTranslator = (key: string, values?: Record<string, string | number>) => string;

export type ReminderFacts = {
  kind: string;
  title?: string | null;
  data?: Record<string, string | number | null> | null;
  dueOn: string;
  /**
   * The case's lender as it is now: named before the one the reminder's facts saved when it was made
   * (`data.lender`), which a lender changed on the case or renamed since leaves behind; that one
   * only names the lender of a reminder read without its case's.
   */
  lenderName?: string | null;
  note?: string | null;
};

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v).trim();
}

function facts(t: ReminderTranslator, r: ReminderFacts, locale?: string) {
  const data = r.data ?? {};
  const loc = locale ?? t('locale');
  const date = (d: unknown) => {
    const s = str(d);
    return /^\d{4}-\d{2}-\d{2}$/.test(s) ? formatDate(s, loc) : s;
  };
  const lender = str(r.lenderName) || str(data.lender) || t('someLender');
  return { data, date, lender };
}

/** The reminder as one plain sentence: "查看招商银行第 1 轮申请的审核结果". */
/**
 * `today`, where the reader sees it on a day (the inbox, a mail): a quiet case counts its quiet days
 * up to then, not only the 14 after which it was flagged.
 */
export function reminderTitle(t: ReminderTranslator, r: ReminderFacts, locale?: string, today?: string): string {
  const { data, date, lender } = facts(t, r, locale);
  const round = str(data.round) || '1';
  const instalment = () => ({
    seq: str(data.seq),
    periods: str(data.periods),
    amount: typeof data.amountFen === 'number' ? formatFen(data.amountFen) : '',
    date: date(data.dueOn ?? r.dueOn),
    lender,
  });
  switch (r.kind) {
    case 'review_followup':
      // A mediation or complaint: asked of the mediator or the regulator, not the lender's review.
      if (data.route === 'mediation' || data.route === 'complaint') return t(`title.escalation_followup_${data.route}`, { lender, round });
      return t('title.review_followup', { lender, round });
    case 'materials_deadline':
      return t('title.materials_deadline', { lender, what: str(data.what) || t('materialsFallback') });
    case 'materials_nudge':
      return t('title.materials_nudge', { lender, what: str(data.what) || t('materialsFallback'), deadline: date(data.deadline ?? r.dueOn) });
    case 'next_step': {
      if (data.voided === 1) return t('title.next_step_voided', { lender, round });
      const reason = str(data.reason);
      if (reason && (REJECTION_REASONS as readonly string[]).includes(reason)) {
        return t('title.next_step_reason', { lender, round, reason: t(`reason.${reason}`) });
      }
      return t('title.next_step', { lender, round });
    }
    case 'promise_chase':
      return t('title.promise_chase', { lender, promise: str(data.promise) });
    case 'instalment_upcoming':
      return t('title.instalment_upcoming', instalment());
    case 'instalment_due':
      return t('title.instalment_due', instalment());
    case 'instalment_missed':
      return t('title.instalment_missed', instalment());
    case 'instalment_short':
      return t('title.instalment_short', instalment());
    case 'stale_case': {
      const since = str(data.since);
      const until = today && today > r.dueOn ? today : r.dueOn;
      const days = /^\d{4}-\d{2}-\d{2}$/.test(since) ? Math.max(daysBetween(since, until), 1) : STALE_AFTER_DAYS;
      return t('title.stale_case', { lender, days });
    }
    default:
      return str(r.title) || t('title.custom_untitled');
  }
}

/** A second line of help for a rule reminder, or the person's own note; null when there is none. */
export function reminderDetail(t: ReminderTranslator, r: ReminderFacts, locale?: string): string | null {
  const { data, date } = facts(t, r, locale);
  switch (r.kind) {
    case 'review_followup':
      if (data.route === 'complaint' && typeof data.submittedOn === 'string') return t('detail.escalation_followup_complaint', { date: date(data.submittedOn), deadline: date(complaintDecisionDue(data.submittedOn)) });
      if (data.route === 'mediation' && data.submittedOn) return t('detail.escalation_followup_mediation', { date: date(data.submittedOn) });
      if (data.sentOn && data.submittedOn) return t('detail.review_followup_materials', { date: date(data.submittedOn), sent: date(data.sentOn) });
      return data.submittedOn ? t('detail.review_followup', { date: date(data.submittedOn) }) : null;
    case 'materials_deadline':
    case 'materials_nudge':
      return t('detail.materials', { date: date(data.deadline ?? r.dueOn) });
    case 'next_step':
      return t(data.voided === 1 ? 'detail.next_step_voided' : 'detail.next_step');
    case 'promise_chase':
      return t('detail.promise_chase');
    case 'instalment_upcoming':
    case 'instalment_due':
      return t('detail.instalment');
    case 'instalment_missed':
      return t('detail.instalment_missed');
    case 'instalment_short':
      return t('detail.instalment_short');
    case 'stale_case':
      return data.since ? t('detail.stale_case', { date: date(data.since) }) : null;
    default:
      return str(r.note) || null;
  }
}
