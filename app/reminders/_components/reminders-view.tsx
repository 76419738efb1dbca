import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DueCountSync } from '@/app/_components/reminder-badge';
import type { ReminderRow } from '@/db/reminders';
import type { Role } from '@/db/schema';
import type { FoldView } from '@/lib/folds';
import { REMINDER_GROUPS, reminderGroup, type ReminderGroup } from '../group';
import { ReminderItem } from './reminder-item';

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
        REMINDER_GROUPS.filter((g) => groups.get(g)!.length > 0).map((g) => (
          <section key={g} aria-labelledby={`group-${g}-h`} className="grid gap-3" data-testid="reminder-group" data-group={g}>
            <h2 id={`group-${g}-h`} className={`flex items-baseline gap-2 text-lg font-semibold ${groupTone[g]}`}>
              {t(`group.${g}`)}
              <span className="text-sm font-normal text-stone-500 tabular-nums">{groups.get(g)!.length}</span>
            </h2>
            <ul className="grid gap-2">
              {groups.get(g)!.map((r) => (
                <ReminderItem key={r.id} r={r} group={g} today={today} showCase canAct view={view} />
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}
