import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DueCountSync } from '@/app/_components/reminder-badge';
import { countDueReminders, listOpenReminders, type ReminderRow } from '@/db/reminders';
import { requireViewer } from '@/db/viewer';
import { todayInShanghai } from '@/lib/dates';
import { foldView } from '@/lib/folds';
import { ReminderItem } from './_components/reminder-item';
import { REMINDER_GROUPS, reminderGroup, type ReminderGroup } from './group';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('reminders'))('page.title') };
}

const groupTone: Record<ReminderGroup, string> = {
  overdue: 'text-red-800',
  today: 'text-teal-800',
  upcoming: 'text-stone-900',
  later: 'text-stone-700',
};

/**
 * Everything the viewer has to follow up, across their cases: overdue, today, then what is coming.
 * A reminder's snooze or edit panel is rendered when the URL opens it (`?open=snooze-<id>`).
 */
export default async function RemindersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const view = foldView('/reminders', await searchParams);
  const t = await getTranslations('reminders');
  const today = todayInShanghai();
  const rows = listOpenReminders(viewer);
  const groups = new Map<ReminderGroup, ReminderRow[]>(REMINDER_GROUPS.map((g) => [g, []]));
  for (const r of rows) groups.get(reminderGroup(r.showOn, today))!.push(r);

  return (
    <div className="grid gap-6" data-testid="reminders-page">
      <DueCountSync count={countDueReminders(viewer, today)} />
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold">{t('page.title')}</h1>
        <p className="text-sm text-stone-600">{t('page.intro')}</p>
      </div>
      {rows.length === 0 ? (
        <div className="grid justify-items-start gap-2 rounded-lg border border-stone-200 bg-white p-4" data-testid="reminders-empty">
          <p className="font-medium">{t('page.empty')}</p>
          <p className="text-sm text-stone-600">{t('page.emptyHint')}</p>
          <Link href="/cases" className="inline-flex min-h-10 items-center text-sm font-medium text-teal-800 underline underline-offset-2">
            {t('page.casesLink')}
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
