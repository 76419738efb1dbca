import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RemindersView } from '@/app/reminders/_components/reminders-view';
import type { loadReminders } from '@/app/reminders/load';
import { foldView } from '@/lib/folds';
import { benchSnapshot } from '../snapshots';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('reminders'))('page.title') };
}

/** The reminder inbox's ceiling (app/bench/snapshots.ts); requested as the benchmark's borrower. */
export default async function RemindersCeiling() {
  const model = await benchSnapshot<ReturnType<typeof loadReminders>>('reminders');
  return <RemindersView {...model} view={foldView('/reminders', {})} bench="ceiling-reminders" />;
}
