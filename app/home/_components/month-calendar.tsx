import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DateText, Money } from '@/components/ui/format';
import type { MonthInstalment } from '@/db/plans';
import { formatDate, formatMonth, formatWeekday } from '@/lib/dates';
import { formatFen } from '@/lib/money';
import { monthOf, monthWeeks, offDayMark, shiftMonth, shortLenderName } from '@/lib/month-calendar';
import { owedFen } from '@/lib/plan';
import { isCalendarCovered, isWorkday } from '@/lib/workdays';

type State = 'paid' | 'missed' | 'due';

/** Paid once paid in full: one paid short still has the rest owing, missed once its date has passed. */
function stateOf(i: MonthInstalment, today: string): State {
  if (i.paidOn && (i.paidFen ?? 0) >= i.amountFen) return 'paid';
  return i.dueOn < today ? 'missed' : 'due';
}

/** What a payment short of the instalment left owing (0: none made yet, or paid in full). */
function shortOf(i: MonthInstalment): number {
  return i.paidOn ? owedFen(i) : 0;
}

const ENTRY: Record<State, string> = {
  paid: 'bg-emerald-50 text-emerald-800',
  missed: 'bg-red-50 font-medium text-red-800 ring-1 ring-inset ring-red-300',
  due: 'bg-amber-50 text-amber-900 ring-1 ring-inset ring-amber-200',
};
/** A phone's dot per payment: told apart by its shape too, not by colour alone (a filled circle, a ring, a square). */
const DOT: Record<State, string> = { paid: 'rounded-full bg-emerald-600', due: 'rounded-full border-2 border-amber-500', missed: 'rounded-[1px] bg-red-600' };
const STATE_TEXT: Record<State, string> = { paid: 'text-emerald-800', missed: 'font-medium text-red-700', due: 'text-amber-900' };
const MARK: Record<'holiday' | 'workday', string> = {
  holiday: 'bg-red-50 text-red-700 ring-1 ring-inset ring-red-200',
  workday: 'bg-stone-200 text-stone-700',
};
const navLink =
  'inline-flex min-h-10 min-w-10 items-center justify-center gap-1 rounded-md border border-stone-300 px-2 text-sm text-stone-700 hover:border-teal-600 hover:text-teal-800';

/** Mon … Sun in the reader's language (1 Jan 2024 was a Monday). */
function weekdayNames(locale: string): string[] {
  return Array.from({ length: 7 }, (_, i) => formatWeekday(`2024-01-0${1 + i}`, locale, 'short'));
}

/**
 * One month of instalments across all lenders, Monday first. Wide screens list each payment in
 * its day; a phone keeps the seven columns with a dot per payment, and lists the month's
 * payments below the grid, so nothing is hidden. Holidays and make-up workdays are marked:
 * they matter when a payment date falls on a day the lender's office is shut.
 */
export async function MonthCalendar({ month, today, instalments }: { month: string; today: string; instalments: MonthInstalment[] }) {
  const t = await getTranslations('home.calendar');
  const locale = await getLocale();
  const current = monthOf(today);
  const prev = shiftMonth(month, -1);
  const next = shiftMonth(month, 1);
  const year = Number(month.slice(0, 4));
  const monthLabel = formatMonth(month, locale);
  const names = weekdayNames(locale);

  const byDay = new Map<string, MonthInstalment[]>();
  for (const i of instalments) {
    const list = byDay.get(i.dueOn) ?? [];
    list.push(i);
    byDay.set(i.dueOn, list);
  }
  const states = instalments.map((i) => stateOf(i, today));
  const sumFen = instalments.reduce((a, i) => a + i.amountFen, 0);
  const paidCount = states.filter((s) => s === 'paid').length;
  const missedCount = states.filter((s) => s === 'missed').length;
  const unpaidOnOffDay = instalments.some((i, n) => states[n] === 'due' && !isWorkday(i.dueOn));
  const covered = isCalendarCovered(year);
  const stateLabel = (s: State) => t(`state.${s}`);
  const entryLabel = (i: MonthInstalment, s: State) => {
    const values = { lender: i.lenderName, seq: i.seq, periods: i.periods, amount: formatFen(i.amountFen), state: stateLabel(s) };
    // A payoff is no numbered instalment of the plan (the case page says so too), and is paid in full.
    if (i.payoff) return t('entryLabelPayoff', values);
    const owed = shortOf(i);
    return owed > 0 ? t('entryLabelShort', { ...values, paid: formatFen(i.paidFen ?? 0), owed: formatFen(owed) }) : t('entryLabel', values);
  };

  return (
    <section
      aria-labelledby="home-calendar-h"
      className="grid gap-3 rounded-lg border border-stone-200 bg-white p-3 sm:p-4"
      data-testid="home-calendar"
      data-month={month}
    >
      <div>
        <h2 id="home-calendar-h" className="text-lg font-semibold">
          {t('title')}
        </h2>
        <p className="text-sm text-stone-600">{t('intro')}</p>
      </div>

      <nav aria-label={t('title')} className="flex items-center justify-between gap-2">
        <Link href={`/home?month=${prev}`} className={navLink} aria-label={t('prev')} data-testid="calendar-prev" scroll={false}>
          <span aria-hidden="true">‹</span>
          <span className="hidden sm:inline">{t('prev')}</span>
        </Link>
        <div className="grid justify-items-center">
          <p className="text-base font-semibold" data-testid="calendar-month" aria-live="polite">
            {monthLabel}
          </p>
          {month !== current && (
            <Link href="/home" className="text-xs font-medium text-teal-800 underline underline-offset-2" data-testid="calendar-this-month" scroll={false}>
              {t('thisMonth')}
            </Link>
          )}
        </div>
        <Link href={`/home?month=${next}`} className={navLink} aria-label={t('next')} data-testid="calendar-next" scroll={false}>
          <span className="hidden sm:inline">{t('next')}</span>
          <span aria-hidden="true">›</span>
        </Link>
      </nav>

      <p className="flex flex-wrap gap-x-3 gap-y-1 text-sm" data-testid="calendar-sum" data-count={instalments.length} data-sum-fen={sumFen}>
        {instalments.length === 0 ? (
          <span className="text-stone-600">{t('none')}</span>
        ) : (
          <>
            <span className="font-medium text-stone-900">{t('sum', { amount: formatFen(sumFen), count: instalments.length })}</span>
            {paidCount > 0 && <span className="text-emerald-800">✓ {t('sumPaid', { count: paidCount })}</span>}
            {missedCount > 0 && <span className="font-medium text-red-700">{t('sumMissed', { count: missedCount })}</span>}
          </>
        )}
      </p>

      <table className="w-full table-fixed border-collapse text-xs" data-testid="calendar-grid">
        <caption className="sr-only">{`${t('title')} · ${monthLabel}`}</caption>
        <thead>
          <tr>
            {names.map((name, i) => (
              <th key={name} scope="col" className={`pb-1 text-center font-medium ${i >= 5 ? 'text-stone-500' : 'text-stone-600'}`} data-testid="calendar-weekday">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthWeeks(month).map((week, w) => (
            <tr key={w}>
              {week.map((date, d) => {
                if (!date) return <td key={d} className="border border-stone-100 bg-stone-50/60" aria-hidden="true" />;
                const items = byDay.get(date) ?? [];
                const isToday = date === today;
                const mark = offDayMark(date);
                const offDay = !isWorkday(date);
                const dayFen = items.reduce((a, i) => a + i.amountFen, 0);
                return (
                  <td
                    key={d}
                    className={`h-14 border border-stone-200 p-0.5 align-top sm:h-24 sm:p-1 ${isToday ? 'bg-teal-50 ring-2 ring-teal-600 ring-inset' : offDay ? 'bg-stone-50' : 'bg-white'}`}
                    data-testid="calendar-day"
                    data-date={date}
                    data-today={isToday ? '1' : undefined}
                    data-offday={mark ?? undefined}
                    data-count={items.length}
                    aria-current={isToday ? 'date' : undefined}
                  >
                    <div className="flex flex-wrap items-start justify-between gap-0.5">
                      <span
                        className={`inline-flex h-5 min-w-5 items-center justify-center rounded-full px-1 text-xs tabular-nums sm:text-sm ${isToday ? 'bg-teal-700 font-semibold text-white' : offDay ? 'text-stone-600' : 'text-stone-800'}`}
                      >
                        {Number(date.slice(8))}
                      </span>
                      {mark && (
                        <span
                          className={`rounded px-0.5 text-[10px] leading-4 font-medium ${MARK[mark]}`}
                          title={t(mark === 'holiday' ? 'holidayTitle' : 'workdayTitle')}
                          data-testid="calendar-offday"
                        >
                          {t(mark)}
                        </span>
                      )}
                      {isToday && <span className="sr-only">{t('todayLabel')}</span>}
                    </div>
                    {items.length > 0 && (
                      <>
                        <span className="sr-only">{t('dayLabel', { date: formatDate(date, locale), count: items.length, amount: formatFen(dayFen) })}</span>
                        {/* A phone: one dot per payment (a green circle paid, an amber ring due, a red square missed). */}
                        <div className="mt-1 flex flex-wrap items-center gap-0.5 sm:hidden" aria-hidden="true" data-testid="calendar-dots">
                          {items.slice(0, 3).map((i) => (
                            <span key={i.id} className={`h-2 w-2 ${DOT[stateOf(i, today)]}`} data-state={stateOf(i, today)} />
                          ))}
                          {items.length > 3 && <span className="text-[10px] leading-none text-stone-600">+{items.length - 3}</span>}
                        </div>
                        <ul className="mt-1 hidden gap-0.5 sm:grid">
                          {items.map((i) => {
                            const s = stateOf(i, today);
                            return (
                              <li key={i.id}>
                                <Link
                                  href={`/cases/${i.caseId}`}
                                  className={`block rounded px-1 py-0.5 leading-tight hover:underline ${ENTRY[s]}`}
                                  title={entryLabel(i, s)}
                                  aria-label={entryLabel(i, s)}
                                  data-testid="calendar-entry"
                                  data-state={s}
                                  data-case-id={i.caseId}
                                  data-instalment-id={i.id}
                                >
                                  <span className="block truncate" data-testid="calendar-entry-lender">
                                    {s === 'paid' && <span aria-hidden="true">✓ </span>}
                                    {shortLenderName(i.lenderName)}
                                  </span>
                                  {/* Paid short: what is still owed, as the case page and its reminder say. */}
                                  <span className="block tabular-nums" data-testid="calendar-entry-amount">
                                    {shortOf(i) > 0 ? t('entryShort', { amount: formatFen(shortOf(i)) }) : formatFen(i.amountFen)}
                                  </span>
                                </Link>
                              </li>
                            );
                          })}
                        </ul>
                      </>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>

      <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-stone-600" aria-label={t('legend')} data-testid="calendar-legend">
        {(['paid', 'due', 'missed'] as const).map((s) => (
          <li key={s} className="inline-flex items-center gap-1">
            <span className={`h-2 w-2 ${DOT[s]}`} aria-hidden="true" />
            {s === 'paid' ? `✓ ${stateLabel(s)}` : stateLabel(s)}
          </li>
        ))}
        <li className="inline-flex items-center gap-1">
          <span className={`rounded px-0.5 text-[10px] leading-4 font-medium ${MARK.holiday}`}>{t('holiday')}</span>
          {t('holidayTitle')}
        </li>
        <li className="inline-flex items-center gap-1">
          <span className={`rounded px-0.5 text-[10px] leading-4 font-medium ${MARK.workday}`}>{t('workday')}</span>
          {t('workdayTitle')}
        </li>
      </ul>

      {unpaidOnOffDay && (
        <p className="rounded bg-amber-50 px-2 py-1.5 text-xs text-amber-900" data-testid="calendar-offday-note">
          {t('offdayNote')}
        </p>
      )}
      {!covered && (
        <p className="rounded bg-stone-100 px-2 py-1.5 text-xs text-stone-700" data-testid="calendar-estimated">
          {t('estimated', { year: String(year) })}
        </p>
      )}

      {/* A phone: every payment of the month, in a list under the grid. */}
      {instalments.length > 0 && (
        <div className="grid gap-1 border-t border-stone-200 pt-3 sm:hidden" data-testid="calendar-list">
          <h3 className="text-sm font-semibold">{t('listTitle')}</h3>
          <ul className="divide-y divide-stone-100">
            {instalments.map((i, n) => {
              const s = states[n];
              return (
                <li key={i.id} data-testid="calendar-list-item" data-date={i.dueOn} data-state={s} data-case-id={i.caseId}>
                  <Link href={`/cases/${i.caseId}`} className="flex min-h-12 items-center justify-between gap-3 py-2 hover:bg-stone-50">
                    <span className="min-w-0">
                      <span className="block font-medium wrap-anywhere text-stone-900">{i.lenderName}</span>
                      <span className="block text-xs text-stone-500">
                        <DateText date={i.dueOn} /> · {i.payoff ? t('payoff') : t('seq', { seq: i.seq, periods: i.periods })}
                      </span>
                    </span>
                    <span className="shrink-0 text-right">
                      <Money fen={i.amountFen} className="block font-semibold text-stone-900" />
                      <span className={`block text-xs ${STATE_TEXT[s]}`}>{s === 'paid' ? `✓ ${stateLabel(s)}` : stateLabel(s)}</span>
                      {shortOf(i) > 0 && (
                        <span className={`block text-xs ${STATE_TEXT[s]}`} data-testid="calendar-list-short">
                          {t('listShort', { amount: formatFen(shortOf(i)) })}
                        </span>
                      )}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}
