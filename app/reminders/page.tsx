import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireViewer } from '@/db/viewer';
import { todayInShanghai } from '@/lib/dates';
import { foldView } from '@/lib/folds';
import { RemindersView } from './_components/reminders-view';
import { loadReminders } from './load';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('reminders'))('page.title') };
}

/**
 * Everything the viewer has to follow up, across their cases: overdue, today, then what is coming.
 * A reminder's snooze or edit panel is rendered when the URL opens it (`?open=snooze-<id>`).
 */
export default async function RemindersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer();
  const view = foldView('/reminders', await searchParams);
  return <RemindersView {...loadReminders(viewer, todayInShanghai())} view={view} role={viewer.role} />;
}
