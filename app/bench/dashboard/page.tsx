import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { DashboardView, type DashboardModel } from '@/app/dashboard/_components/dashboard-view';
import { benchSnapshot } from '../snapshots';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard'))('title') };
}

/** The advisor dashboard's ceiling (app/bench/snapshots.ts); requested as the benchmark's advisor. */
export default async function DashboardCeiling() {
  return <DashboardView model={await benchSnapshot<DashboardModel>('dashboard')} bench="ceiling-dashboard" />;
}
