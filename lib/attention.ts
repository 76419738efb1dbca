/**
 * The advisor's attention list (db/advisor.ts attentionItems): its kinds of line, and their order.
 * Pure: the dashboard's data layer makes the lines, this says which comes first.
 */
import { daysBetween } from './dates';

export const ATTENTION_KINDS = ['missed_instalment', 'materials_deadline', 'overdue_reminders', 'review_overdue', 'stale_case'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

/**
 * Urgency, most urgent first. A missed instalment can void an agreed plan (DESIGN.md §1): the
 * most to lose, and it has already happened. A materials deadline within two workdays is the
 * next hard date, set by the lender; missing it can sink the application. Overdue reminders are
 * the borrower's own commitments slipping. A review past the lender's typical time means
 * chasing the lender, but nothing is lost yet. A stale case is slow drift.
 *
 * Urgency orders what can still be saved: lines whose date is within FRESH_DAYS of today come
 * first, by urgency, each kind nearest to today first (a plan missed three days ago, while the
 * lender may still keep it, before one missed a year ago). Older lines follow, in the same order:
 * still owed and still listed, but a long-missed plan no longer hides tomorrow's deadline. A line
 * counting several dates goes by the one nearest today: an instalment missed yesterday is fresh
 * however long ago the plan's first was missed.
 */
const URGENCY: Record<AttentionKind, number> = {
  missed_instalment: 0,
  materials_deadline: 1,
  overdue_reminders: 2,
  review_overdue: 3,
  stale_case: 4,
};

/** A line dated this many days from today, or nearer, is fresh (see URGENCY): about one instalment's month. */
export const FRESH_DAYS = 30;

/**
 * A line's place in the list: fresh or not, urgency, how far its date is from today, then the case.
 * `date` is the line's most urgent date (db/advisor.ts): of several, the one nearest today.
 */
export function attentionSortKey(kind: AttentionKind, date: string, caseId: number, today: string): string {
  const distance = Math.abs(daysBetween(date, today));
  return `${distance <= FRESH_DAYS ? 0 : 1}|${URGENCY[kind]}|${String(distance).padStart(6, '0')}|${String(caseId).padStart(12, '0')}`;
}
