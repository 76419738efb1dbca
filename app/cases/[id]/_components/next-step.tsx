import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { CaseDetail } from '@/db/cases';
import { lenderIsWhoToCall, requestAwaited } from '@/lib/case-status';
import { formatDate } from '@/lib/dates';
import { channelsIn } from '@/lib/lender-guidance';
import { formatFen } from '@/lib/money';
import { owedFen } from '@/lib/plan';
import { nextStepKey, otherProgramsOffered, PLAN_VOIDED_SUGGESTIONS, rejectionSuggestionKeys, SETTLED_SUGGESTIONS } from '@/lib/next-step';
import { telHref } from '@/lib/phone';
import { materialsDeadline } from '@/lib/reminder-rules';
import { isDateCovered } from '@/lib/workdays';

/** Past-due instalments named by number in the next step; more are "and more" (等). */
const MISSED_NAMED = 5;

/**
 * What the borrower should do now, in plain words, with the facts that matter for it:
 * the deadline, the next instalment, the reason for a rejection and what to try next. An advisor
 * reading a client's case (`client`: the client's name) is told that it is written for the client.
 */
export async function NextStepPanel({ detail, today, client }: { detail: CaseDetail; today: string; client?: string }) {
  const t = await getTranslations('case.nextStep');
  const ns = await getTranslations('nextStep');
  const d = await getTranslations('domain');
  const locale = await getLocale();
  const date = (s: string) => formatDate(s, locale);
  const { case: c, lender, currentAttempt: attempt } = detail;
  const status = c.status;

  const facts: { text: string; tone?: 'warn'; testId?: string }[] = [];
  let suggestions: string[] = [];
  let lenderWords: string | null = null;

  if (status === 'preparing') {
    const needed = detail.documents.filter((doc) => doc.status === 'needed').length;
    if (needed > 0) facts.push({ text: t('documentsNeeded', { count: needed }) });
  }
  if (status === 'under_review' && attempt) {
    facts.push({
      text: t('submitted', { date: date(attempt.submittedOn), program: d(`program.${attempt.program}`), channel: d(`channel.${attempt.channel}`) }),
    });
    facts.push({ text: t('reviewDays', { lender: lender.name, days: lender.reviewWorkdays }) });
  }
  if (status === 'materials_requested') {
    for (const r of detail.materialRequests.filter(requestAwaited)) {
      facts.push({ text: t('materials', { what: r.what }) });
      facts.push(
        r.deadline < today
          ? { text: t('deadlinePassed', { date: date(r.deadline) }), tone: 'warn', testId: 'next-step-deadline' }
          : { text: t('deadline', { date: date(r.deadline) }), testId: 'next-step-deadline' },
      );
      // The default three workdays (the lender gave no date), counted without the year's holidays.
      if (!isDateCovered(r.deadline) && r.deadline === materialsDeadline(r.requestedOn, null)) {
        facts.push({ text: t('deadlineEstimated'), testId: 'next-step-estimated' });
      }
    }
  }
  if (status === 'approved' || status === 'repaying') {
    // An instalment paid short is not paid: the rest is still owed.
    const owing = detail.instalments.filter((i) => owedFen(i) > 0);
    const missed = owing.filter((i) => i.dueOn < today);
    const next = owing[0];
    if (missed.length === 1) {
      facts.push({ text: t('missedInstalment', { seq: missed[0].seq, date: date(missed[0].dueOn) }), tone: 'warn', testId: 'next-step-missed' });
    } else if (missed.length > 1) {
      // Each one named (the first few): a whole instalment missed after one paid short is what voids an agreement.
      const seqs = new Intl.ListFormat(locale, { type: 'conjunction', style: 'narrow' }).format(missed.slice(0, MISSED_NAMED).map((i) => String(i.seq)));
      const owed = missed.reduce((sum, i) => sum + owedFen(i), 0);
      facts.push({
        text: t('missedInstalments', { count: missed.length, seqs, more: String(missed.length > MISSED_NAMED), first: date(missed[0].dueOn), amount: formatFen(owed) }),
        tone: 'warn',
        testId: 'next-step-missed',
      });
    } else if (next) {
      facts.push({
        text: t(next.seq === 1 ? 'firstInstalment' : 'nextInstalment', { seq: next.seq, date: date(next.dueOn), amount: formatFen(owedFen(next)) }),
        testId: 'next-step-instalment',
      });
    }
  }
  // The lender voided the plan it had agreed: deciding again, without a rejection's reason.
  const voided = status === 'rejected' && attempt !== null && detail.plan?.attemptId === attempt.id && detail.plan.voidedOn !== null;
  if (voided) {
    facts.push({ text: t('planVoided', { date: date(detail.plan!.voidedOn!) }), tone: 'warn', testId: 'next-step-voided' });
    suggestions = PLAN_VOIDED_SUGGESTIONS.map((k) => ns(k));
  }
  if (status === 'rejected' && attempt?.rejectionReason) {
    facts.push({ text: t('reason', { reason: d(`rejectionReason.${attempt.rejectionReason}`) }), testId: 'next-step-reason' });
    lenderWords = attempt.rejectionText;
    // "Another program": the lender's own, where the directory lists them; else examples.
    const others = otherProgramsOffered(lender.programs, attempt.program);
    const format = await getFormatter();
    const offered = format.list(
      others.map((p) => d(`program.${p}`)),
      { type: 'disjunction' },
    );
    suggestions = rejectionSuggestionKeys(attempt.rejectionReason, attempt.program).map((k) =>
      k.startsWith('suggest.other_program') && others.length > 0 ? ns('suggest.other_program_offered', { programs: offered }) : ns(k),
    );
  }
  if (status === 'escalated' && attempt && (attempt.program === 'mediation' || attempt.program === 'complaint')) {
    facts.push({ text: t('escalated', { date: date(attempt.submittedOn), route: d(`program.${attempt.program}`) }) });
  }
  if (status === 'closed' && c.outcome) facts.push({ text: t('closedOutcome', { outcome: d(`outcome.${c.outcome}`) }) });
  // Paid off: what a settled debt still asks of the borrower (a settlement certificate, the credit report).
  const settled = status === 'closed' && c.outcome === 'settled';
  if (settled) suggestions = SETTLED_SUGGESTIONS.map((k) => ns(k));

  // How to reach the lender, where it helps with the step at hand.
  const ch = channelsIn(lender.channels, locale);
  const reach: { label: string; value: string; tel?: string | null }[] = [];
  if (status === 'preparing' || status === 'rejected') {
    if (ch.app) reach.push({ label: t('appPath'), value: ch.app });
  }
  if (lenderIsWhoToCall(status) && ch.hotline) reach.push({ label: t('hotline'), value: ch.hotline, tel: telHref(ch.hotline) });
  if ((status === 'rejected' || status === 'escalated') && ch.complaint) reach.push({ label: t('complaint'), value: ch.complaint });

  return (
    <section
      aria-labelledby="next-step-h"
      data-testid="next-step"
      data-status={status}
      className="grid gap-3 rounded-lg border-2 border-teal-600 bg-teal-50 p-4"
    >
      <h2 id="next-step-h" className="text-lg font-semibold wrap-anywhere text-teal-900">
        {client ? t('titleForAdvisor', { client }) : t('title')}
      </h2>
      {client && (
        <p className="text-sm text-stone-700" data-testid="next-step-advisor">
          {t('advisorNote', { client })}
        </p>
      )}
      <p className="text-base leading-relaxed text-stone-900" data-testid="next-step-text">
        {ns(voided ? 'status.plan_voided' : settled ? 'status.settled' : nextStepKey(status))}
      </p>
      {facts.length > 0 && (
        <ul className="grid gap-1 text-sm text-stone-800">
          {facts.map((f, i) => (
            <li key={i} data-testid={f.testId} className={f.tone === 'warn' ? 'rounded-md bg-red-50 px-2 py-1 font-medium text-red-800' : ''}>
              {f.text}
            </li>
          ))}
        </ul>
      )}
      {lenderWords && (
        <div className="text-sm">
          <p className="text-stone-600">{t('lenderWords')}</p>
          <blockquote className="mt-1 border-l-4 border-stone-300 pl-3 whitespace-pre-line wrap-anywhere text-stone-800">{lenderWords}</blockquote>
        </div>
      )}
      {suggestions.length > 0 && (
        <div className="grid gap-2 rounded-md bg-white p-3" data-testid="next-step-suggestions">
          <p className="text-sm font-medium text-stone-900">{ns(voided ? 'suggestTitleVoided' : settled ? 'suggestTitleSettled' : 'suggestTitle')}</p>
          <ol className="grid list-decimal gap-1 pl-5 text-sm text-stone-800">
            {suggestions.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </div>
      )}
      {reach.length > 0 && (
        <div className="grid gap-1 border-t border-teal-200 pt-2 text-sm">
          <p className="text-xs font-medium text-teal-900">{t('howToReach', { lender: lender.name })}</p>
          <dl className="grid gap-1">
          {reach.map((r) => (
            <div key={r.label} className="flex flex-wrap items-center gap-x-2">
              <dt className="shrink-0 text-stone-600">{r.label}</dt>
              <dd className="min-w-0 wrap-anywhere text-stone-800">
                {r.tel ? (
                  <a href={r.tel} className="inline-flex min-h-10 items-center font-medium text-teal-800 underline sm:min-h-0">
                    {r.value}
                  </a>
                ) : (
                  r.value
                )}
              </dd>
            </div>
          ))}
          </dl>
        </div>
      )}
    </section>
  );
}
