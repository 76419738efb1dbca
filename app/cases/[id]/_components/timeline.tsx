import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import type { CaseDetail } from '@/db/cases';
import { formatDate, formatDateTime, isIsoDate } from '@/lib/dates';
import { formatFen } from '@/lib/money';
import type { CaseView } from '@/lib/folds';
import { DateTimeIn, Section } from './parts';
import { ShowAllLink } from './show-all-link';
import { stagesText } from './plan-stages';

/** Events shown before "show all": the latest part of the story is what the next step builds on. */
const EVENTS_SHOWN = 20;
/** How much of a deleted document's name or note the timeline quotes. */
const NAME_SHOWN = 60;

type Event = CaseDetail['events'][number];
type Translate = Awaited<ReturnType<typeof getTranslations>>;

const MONEY_FIELDS = new Set(['principalFen', 'interestFen', 'penaltyFen']);
/** Where a correction's field names are, by its event. */
const CORRECTION_LABELS: Record<string, string> = {
  plan_terms_corrected: 'event.planTerm',
  attempt_corrected: 'event.attemptField',
  contact_corrected: 'event.contactField',
  instalment_changed: 'event.instalmentField',
};
/** Fields whose old and new values are not worth repeating on the timeline. */
const NAME_ONLY_FIELDS = new Set(['lenderId', 'note']);

/**
 * The author's role; for an author whose account was deleted, the role it had (db/account.ts
 * marks their events on other people's cases with `deletedActorRole`), so an advisor's note
 * still reads as an advisor's, by "a deleted user".
 */
function actorRoleOf(e: Event): string | null {
  if (e.actorRole) return e.actorRole;
  const marked = (e.data as Record<string, unknown> | null)?.deletedActorRole;
  return typeof marked === 'string' ? marked : null;
}

/**
 * One sentence per event, in the reader's language. Event data is whatever the verb recorded
 * at the time, so every value is checked before it is used; an unknown kind gets a plain sentence.
 */
function describe(
  e: Event,
  t: Translate,
  d: Translate,
  locale: string,
  common: Awaited<ReturnType<typeof getTranslations<'common'>>>,
): { sentence: string; details: string[] } {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : '');
  const num = (k: string) => (typeof data[k] === 'number' ? (data[k] as number) : 0);
  const date = (k: string) => {
    const v = str(k);
    return isIsoDate(v) ? formatDate(v, locale) : v;
  };
  const money = (k: string) => (Number.isInteger(data[k]) ? formatFen(data[k] as number) : '');
  const code = (ns: string, k: string) => {
    const v = str(k);
    return v && d.has(`${ns}.${v}`) ? d(`${ns}.${v}`) : v;
  };
  const details: string[] = [];

  switch (e.kind) {
    case 'case_updated': {
      const changes = (data.changes && typeof data.changes === 'object' ? data.changes : {}) as Record<string, unknown>;
      const fields = Object.keys(changes).filter((f) => t.has(`field.${f}`));
      for (const f of fields) {
        const pair = changes[f];
        if (NAME_ONLY_FIELDS.has(f) || !Array.isArray(pair) || pair.length !== 2) continue;
        const show = (v: unknown) => {
          // An amount left blank is not given (the case page's word), where a text emptied is empty.
          if (MONEY_FIELDS.has(f) && v === null) return common('notGiven');
          if (v === null || v === undefined || v === '') return t('empty');
          if (MONEY_FIELDS.has(f) && Number.isInteger(v)) return formatFen(v as number);
          if (typeof v === 'string' && isIsoDate(v)) return formatDate(v, locale);
          return String(v);
        };
        details.push(t('change', { field: t(`field.${f}`), from: show(pair[0]), to: show(pair[1]) }));
      }
      return { sentence: t('event.case_updated', { fields: fields.map((f) => t(`field.${f}`)).join(t('listSeparator')) }), details };
    }
    case 'attempt_submitted':
    case 'attempt_resubmitted':
      if (num('documentsSent') > 0) details.push(t('event.documentsSent', { count: num('documentsSent') }));
      return {
        sentence: t(`event.${e.kind}`, { round: num('round'), program: code('program', 'program'), channel: code('channel', 'channel'), date: date('submittedOn') }),
        details,
      };
    case 'materials_requested':
      return { sentence: t('event.materials_requested', { what: str('what'), deadline: date('deadline') }), details };
    case 'materials_sent': {
      const answered = Array.isArray(data.answered) ? data.answered.filter((w): w is string => typeof w === 'string') : [];
      if (answered.length > 0) details.push(t('event.materialsAnswered', { what: answered.join(t('listSeparator')) }));
      if (num('stillAwaited') > 0) details.push(t('event.materialsStillAwaited', { count: num('stillAwaited') }));
      if (num('documentsSent') > 0) details.push(t('event.documentsSentWithMaterials', { count: num('documentsSent') }));
      return { sentence: t('event.materials_sent', { date: date('sentOn') }), details };
    }
    case 'attempt_approved':
      if (num('waivedFen') > 0) details.push(t('event.waived', { amount: money('waivedFen') }));
      if (num('paidPeriods') > 0) details.push(t('event.paidAlready', { count: num('paidPeriods') }));
      if (num('materialsOvertaken') > 0) details.push(t('event.materialsOvertaken'));
      return {
        sentence: t('event.attempt_approved', { round: num('round'), periods: num('periods'), monthly: money('monthlyFen'), first: date('firstDueOn') }),
        details,
      };
    case 'attempt_rejected':
      if (num('materialsOvertaken') > 0) details.push(t('event.materialsOvertaken'));
      return { sentence: t('event.attempt_rejected', { round: num('round'), reason: code('rejectionReason', 'reason') }), details };
    case 'escalated':
      if (num('documentsSent') > 0) details.push(t('event.documentsSentWithEscalation', { count: num('documentsSent') }));
      return { sentence: t('event.escalated', { route: code('program', 'route'), date: date('submittedOn') }), details };
    case 'escalation_closed':
      if (str('note')) details.push(str('note'));
      return { sentence: t('event.escalation_closed', { outcome: code('outcome', 'outcome') }), details };
    case 'escalation_close_undone':
      return { sentence: t('event.escalation_close_undone'), details };
    case 'withdrawn':
      if (str('note')) details.push(str('note'));
      return { sentence: t('event.withdrawn'), details };
    case 'withdraw_undone':
      return { sentence: t('event.withdraw_undone', { status: code('status', 'to') }), details };
    case 'plan_voided':
      if (num('unpaid') > 0) details.push(t('event.voidedUnpaid', { count: num('unpaid'), amount: money('unpaidFen') }));
      if (str('note')) details.push(str('note'));
      return { sentence: t('event.plan_voided', { date: date('voidedOn') }), details };
    case 'plan_paid_off': {
      const waived = num('owedFen') - num('paidFen');
      details.push(t('event.paidOffOwed', { count: num('unpaid'), amount: money('owedFen') }));
      if (waived > 0) details.push(t('event.paidOffWaived', { amount: formatFen(waived) }));
      if (str('note')) details.push(str('note'));
      return { sentence: t('event.plan_paid_off', { amount: money('paidFen'), date: date('paidOn') }), details };
    }
    case 'plan_end_undone':
      if (num('restored') > 0) details.push(t('event.planEndRestored', { count: num('restored'), amount: money('restoredFen') }));
      return { sentence: t(str('ended') === 'paid_off' ? 'event.plan_end_undone_paid_off' : 'event.plan_end_undone_voided', { date: date('endedOn') }), details };
    case 'instalment_paid':
      if (num('totalFen') > 0) details.push(t('event.instalmentTotal', { amount: money('totalFen') }));
      if (num('shortFen') > 0) details.push(t('event.instalmentShort', { amount: money('shortFen') }));
      return { sentence: t('event.instalment_paid', { seq: num('seq'), amount: money('paidFen'), date: date('paidOn') }), details };
    case 'payment_corrected': {
      const paidOnDate = (fen: string, on: string) => t('event.paymentOnDate', { amount: money(fen), date: date(on) });
      const from = paidOnDate('fromFen', 'fromOn');
      return num('toFen') > 0
        ? { sentence: t('event.payment_corrected', { seq: num('seq'), from, to: paidOnDate('toFen', 'toOn') }), details }
        : { sentence: t('event.payment_undone', { seq: num('seq'), from }), details };
    }
    case 'instalments_changed': {
      // A staged plan entered at once: the range and its amount; what the range had before, the
      // chosen instalment's own new date, and the paid ones the change left alone.
      const change = (data.changes && typeof data.changes === 'object' ? data.changes : {}) as Record<string, unknown>;
      const due = change.dueOn;
      if (Array.isArray(due) && due.length === 2 && due.every((v) => typeof v === 'string' && isIsoDate(v))) {
        details.push(t('event.instalmentsDue', { seq: num('fromSeq'), from: formatDate(due[0], locale), to: formatDate(due[1], locale) }));
      }
      const before = Array.isArray(data.before)
        ? data.before.filter(
            (s): s is { fromSeq: number; toSeq: number; amountFen: number } =>
              !!s && typeof s === 'object' && [s.fromSeq, s.toSeq, s.amountFen].every((v) => Number.isInteger(v)),
          )
        : [];
      if (before.length > 0) details.push(t('event.instalmentsBefore', { stages: stagesText(before, common) }));
      const kept = Array.isArray(data.keptPaid) ? data.keptPaid.filter((v): v is number => Number.isInteger(v)) : [];
      if (kept.length > 0) details.push(t('event.instalmentsKeptPaid', { seqs: kept.join(t('listSeparator')), count: kept.length }));
      return { sentence: t('event.instalments_changed', { from: num('fromSeq'), to: num('toSeq'), amount: money('amountFen') }), details };
    }
    case 'plan_terms_corrected':
    case 'attempt_corrected':
    case 'contact_corrected':
    case 'instalment_changed': {
      // "field: from → to" for each field the correction changed (a contact's summary by name only: it can be long).
      const labels = CORRECTION_LABELS[e.kind];
      const changes = (data.changes && typeof data.changes === 'object' ? data.changes : {}) as Record<string, unknown>;
      for (const [field, pair] of Object.entries(changes)) {
        if (!t.has(`${labels}.${field}`) || !Array.isArray(pair) || pair.length !== 2) continue;
        if (e.kind === 'contact_corrected' && field === 'summary') {
          details.push(t('changedOnly', { field: t(`${labels}.${field}`) }));
          continue;
        }
        const show = (v: unknown) => {
          if (v === null || v === undefined || v === '') return t('empty');
          if (field.endsWith('Fen') && Number.isInteger(v)) return formatFen(v as number);
          if (field === 'occurredAt' && Number.isInteger(v)) return formatDateTime(new Date(v as number), locale);
          if (typeof v === 'string' && isIsoDate(v)) return formatDate(v, locale);
          const codes = e.kind === 'contact_corrected' && field === 'channel' ? 'contactChannel' : field === 'direction' ? 'contactDirection' : field;
          if ((field === 'program' || field === 'channel' || field === 'direction') && d.has(`${codes}.${String(v)}`)) return d(`${codes}.${String(v)}`);
          return String(v);
        };
        details.push(t('change', { field: t(`${labels}.${field}`), from: show(pair[0]), to: show(pair[1]) }));
      }
      // A promise taken out takes its recorded outcome with it: said, as the evidence it was.
      const cleared = (data.outcomeCleared && typeof data.outcomeCleared === 'object' ? data.outcomeCleared : {}) as Record<string, unknown>;
      if (e.kind === 'contact_corrected' && (cleared.outcome === 'kept' || cleared.outcome === 'broken') && typeof cleared.on === 'string' && isIsoDate(cleared.on)) {
        details.push(t(`event.outcomeCleared_${cleared.outcome}`, { date: formatDate(cleared.on, locale) }));
      }
      return { sentence: t(`event.${e.kind}`, { round: num('round'), channel: code('contactChannel', 'channel'), seq: num('seq') }), details };
    }
    case 'attempt_undone':
      if (num('documentsReady') > 0) details.push(t('event.documentsReady', { count: num('documentsReady') }));
      return { sentence: t('event.attempt_undone', { round: num('round'), program: code('program', 'program'), status: code('status', 'to') }), details };
    case 'decision_undone':
      return {
        sentence: t('event.decision_undone', { round: num('round'), decision: t.has(`event.decisionLabel.${str('decision')}`) ? t(`event.decisionLabel.${str('decision')}`) : str('decision') }),
        details,
      };
    case 'materials_request_removed':
      return { sentence: t('event.materials_request_removed', { requestedOn: date('requestedOn'), deadline: date('deadline'), what: str('what') }), details };
    case 'materials_deadline_changed':
      return { sentence: t('event.materials_deadline_changed', { from: date('from'), to: date('to'), what: str('what') }), details };
    case 'document_added':
      return { sentence: t(`event.${e.kind}`, { kind: code('documentKind', 'kind') }), details };
    case 'document_deleted': {
      // Named by its file or note, except a sensitive one before consent (getCaseDetail leaves both out).
      const name = str('fileName') || str('note');
      if (!name) return { sentence: t('event.document_deleted', { kind: code('documentKind', 'kind') }), details };
      return { sentence: t('event.document_deleted_named', { kind: code('documentKind', 'kind'), name: name.length > NAME_SHOWN ? `${name.slice(0, NAME_SHOWN)}…` : name }), details };
    }
    case 'checklist_added': {
      const kinds = Array.isArray(data.kinds) ? data.kinds.filter((k): k is string => typeof k === 'string') : [];
      const names = kinds.map((k) => (d.has(`documentKind.${k}`) ? d(`documentKind.${k}`) : k));
      return { sentence: t('event.checklist_added', { count: kinds.length, kinds: names.join(t('listSeparator')) }), details };
    }
    case 'document_status':
      return {
        sentence: t('event.document_status', {
          kind: code('documentKind', 'kind'),
          from: code('documentStatus', 'from'),
          to: code('documentStatus', 'to'),
        }),
        details,
      };
    case 'document_uploaded':
      // A sensitive document's file name can say what it is about: without consent, getCaseDetail leaves it out.
      if (!str('fileName')) return { sentence: t('event.document_uploaded_nameless', { kind: code('documentKind', 'kind') }), details };
      return { sentence: t('event.document_uploaded', { kind: code('documentKind', 'kind'), fileName: str('fileName') }), details };
    case 'document_sensitive':
      return { sentence: t(data.sensitive === true ? 'event.document_sensitive_on' : 'event.document_sensitive_off', { kind: code('documentKind', 'kind') }), details };
    case 'note':
      // Marked with its author's role: the borrower reads what their advisor wrote, and whose it is.
      return {
        sentence:
          actorRoleOf(e) === 'advisor'
            ? t('event.note_advisor', { name: e.actorName ?? t('someone'), text: str('text') })
            : t('event.note', { text: str('text') }),
        details,
      };
    case 'contact_added':
      if (str('direction') && d.has(`contactDirection.${str('direction')}`)) details.push(code('contactDirection', 'direction'));
      if (str('theirNumber')) details.push(t('event.contactNumber', { number: str('theirNumber') }));
      if (str('promiseDue')) details.push(t('event.contactPromise', { date: date('promiseDue') }));
      return {
        sentence: str('agentId')
          ? t('event.contact_added_agent', { channel: code('contactChannel', 'channel'), agentId: str('agentId') })
          : t('event.contact_added', { channel: code('contactChannel', 'channel') }),
        details,
      };
    case 'promise_outcome': {
      const outcome = ['kept', 'broken', 'awaited'].includes(str('outcome')) ? str('outcome') : 'awaited';
      if (str('contactOn')) details.push(t('event.promiseOfContact', { date: date('contactOn') }));
      // The same outcome given another day: the day corrected.
      if (str('fromOn') && str('on')) details.push(t('change', { field: t('event.outcomeDay'), from: date('fromOn'), to: date('on') }));
      return { sentence: t(`event.promise_${outcome}`, { promise: str('promise'), date: date('on') }), details };
    }
    case 'case_created':
    case 'case_archived':
    case 'case_unarchived':
    case 'repaying_started':
    case 'plan_completed':
    case 'plan_reopened':
    case 'repaying_undone':
      return { sentence: t(`event.${e.kind}`), details };
    case 'contact_deleted': {
      // Named by its channel and time, and its promise if it had one; an event recorded before they were kept says only that one went.
      if (!str('channel') || !Number.isInteger(data.occurredAt)) return { sentence: t('event.contact_deleted'), details };
      const named = { channel: code('contactChannel', 'channel'), when: formatDateTime(new Date(data.occurredAt as number), locale) };
      const promise = str('promise');
      if (!promise) return { sentence: t('event.contact_deleted_named', named), details };
      return { sentence: t('event.contact_deleted_promise', { ...named, promise: promise.length > NAME_SHOWN ? `${promise.slice(0, NAME_SHOWN)}…` : promise }), details };
    }
    default:
      return { sentence: t('event.unknown'), details };
  }
}

/** The case's story, newest first: who did what, and when. A long one shows its latest events, and a link to all. */
export async function Timeline({ detail, viewerId, view, children }: { detail: CaseDetail; viewerId: number; view: CaseView; children?: ReactNode }) {
  const t = await getTranslations('timeline');
  const tc = await getTranslations('case.timeline');
  const d = await getTranslations('domain');
  const common = await getTranslations('common');
  const locale = await getLocale();
  const all = view.showsAll('timeline');
  const newestFirst = [...detail.events].reverse();
  const events = all ? newestFirst : newestFirst.slice(0, EVENTS_SHOWN);
  return (
    <Section title={tc('title')} id="timeline" testId="timeline">
      {children}
      {events.length === 0 ? (
        <p className="text-sm text-stone-600">{tc('empty')}</p>
      ) : (
        <ol className="grid gap-0">
          {events.map((e) => {
            const { sentence, details } = describe(e, t, d, locale, common);
            const name = e.actorName ?? t('someone');
            const role = actorRoleOf(e);
            const who =
              e.actorId === viewerId
                ? t('you')
                : e.actorId === null && !role
                  ? t('system')
                  : role === 'advisor'
                    ? t('advisorActor', { name })
                    : name;
            const byAdvisor = role === 'advisor';
            return (
              <li
                key={e.id}
                className="relative grid gap-0.5 border-l-2 border-stone-200 py-2 pl-4"
                data-testid="event"
                data-kind={e.kind}
                data-actor-role={e.actorRole ?? ''}
              >
                <span aria-hidden className={`absolute top-3.5 -left-[5px] h-2 w-2 rounded-full ${byAdvisor ? 'bg-violet-600' : 'bg-teal-600'}`} />
                <p
                  className={
                    e.kind === 'note'
                      ? `rounded-md px-2 py-1 text-sm wrap-anywhere whitespace-pre-line text-stone-900 ${byAdvisor ? 'bg-violet-50 ring-1 ring-violet-200' : 'bg-stone-50'}`
                      : 'text-sm wrap-anywhere text-stone-900'
                  }
                  data-testid="event-text"
                >
                  {sentence}
                </p>
                {details.map((line, i) => (
                  <p key={i} className="text-xs wrap-anywhere whitespace-pre-line text-stone-600">
                    {line}
                  </p>
                ))}
                <p className="text-xs text-stone-500">
                  <span data-testid="event-actor">{who}</span> · <DateTimeIn instant={e.createdAt} locale={locale} />
                </p>
              </li>
            );
          })}
        </ol>
      )}
      {detail.events.length > EVENTS_SHOWN && (
        <ShowAllLink href={view.allHref('timeline', !all)} shorten={all} testId="timeline-show-all" from={EVENTS_SHOWN}>
          {all ? tc('showLatest', { count: EVENTS_SHOWN }) : tc('showAll', { count: detail.events.length })}
        </ShowAllLink>
      )}
    </Section>
  );
}
