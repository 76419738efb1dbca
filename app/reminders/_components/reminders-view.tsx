import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DueCountSync } from '@/app/_components/reminder-badge';
import type { ReminderRow } from '@/db/reminders';
import type { Role } from '@/db/schema';
import type { FoldView } from '@/lib/folds';
import { REMINDER_GROUPS, reminderGroup, type ReminderGroup } from '../group';
import { panelName } from './panels';
import { ReminderItem } from './reminder-item';

/**
 * "Later" (after the next 30 days) shows its first few: a long plan alone puts two reminders a month
 * there for years. The rest is one link away (a fold of the page: `?open=later`), and shown anyway
 * when one of them has its snooze or edit panel open.
 */
const LATER_SHOWN = 5;

const groupTone: Record<ReminderGroup, string> = {
  overdue: 'text-red-800',
  today: 'text-teal-800',
  upcoming: 'text-stone-900',
  later: 'text-stone-700',
};

/** The inbox's markup: the open reminders in their groups (overdue, today, upcoming, later). */
export async function RemindersView({
  rows,
  dueCount,
  today,
  view,
  bench,
  role = 'borrower',
}: {
  rows: ReminderRow[];
  dueCount: number;
  today: string;
  view: FoldView;
  /** Marks the benchmark's ceiling (app/bench). */
  bench?: string;
  /** The viewer's role: an advisor has no cases of their own, and follows clients from the dashboard. */
  role?: Role;
}) {
  const t = await getTranslations('reminders');
  const groups = new Map<ReminderGroup, ReminderRow[]>(REMINDER_GROUPS.map((g) => [g, []]));
  for (const r of rows) groups.get(reminderGroup(r.showOn, today))!.push(r);

  return (
    <div className="grid gap-6" data-testid="reminders-page" data-bench={bench}>
      <DueCountSync count={dueCount} />
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold">{t('page.title')}</h1>
        <p className="text-sm text-stone-600">{t('page.intro')}</p>
      </div>
      {rows.length === 0 ? (
        <div className="grid justify-items-start gap-2 rounded-lg border border-stone-200 bg-white p-4" data-testid="reminders-empty">
          <p className="font-medium">{t('page.empty')}</p>
          <p className="text-sm text-stone-600">{t(role === 'advisor' ? 'page.advisorEmptyHint' : 'page.emptyHint')}</p>
          <Link
            href={role === 'advisor' ? '/dashboard' : '/cases'}
            className="inline-flex min-h-10 items-center text-sm font-medium text-teal-800 underline underline-offset-2"
          >
            {t(role === 'advisor' ? 'page.dashboardLink' : 'page.casesLink')}
          </Link>
        </div>
      ) : (
        REMINDER_GROUPS.filter((g) => groups.get(g)!.length > 0).map((g) => {
          const all = groups.get(g)!;
          const long = g === 'later' && all.length > LATER_SHOWN;
          const panelOpen = (r: ReminderRow) => view.isOpen(panelName('snooze', r.id)) || view.isOpen(panelName('edit', r.id));
          const expanded = view.isOpen('later');
          const whole = !long || expanded || all.slice(LATER_SHOWN).some(panelOpen);
          return (
            <section
              key={g}
              id={g === 'later' ? 'fold-later' : undefined}
              aria-labelledby={`group-${g}-h`}
              className="grid gap-3"
              data-testid="reminder-group"
              data-group={g}
            >
              <h2 id={`group-${g}-h`} className={`flex items-baseline gap-2 text-lg font-semibold ${groupTone[g]}`}>
                {t(`group.${g}`)}
                <span className="text-sm font-normal text-stone-500 tabular-nums">{all.length}</span>
              </h2>
              <ul className="grid gap-2">
                {(whole ? all : all.slice(0, LATER_SHOWN)).map((r) => (
                  <ReminderItem key={r.id} r={r} group={g} today={today} showCase canAct view={view} />
                ))}
              </ul>
              {/* No link while an open panel alone keeps the group whole: it shortens again once the panel closes. */}
              {long && (expanded || !whole) && (
                <Link
                  href={whole ? view.closeHref('later', `group-${g}-h`) : view.openHref('later')}
                  scroll={!whole}
                  prefetch={false}
                  className="inline-flex min-h-10 items-center justify-self-start text-sm font-medium text-teal-800 underline underline-offset-2 hover:text-teal-900"
                  data-testid="later-toggle"
                >
                  {whole ? t('page.laterFirst', { count: LATER_SHOWN }) : t('page.laterAll', { count: all.length })}
                </Link>
              )}
            </section>
          );
        })
      )}
    </div>
  );
}
