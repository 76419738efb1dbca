import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { HomeView, type HomeModel } from '@/app/home/_components/home-view';
import { benchSnapshot } from './snapshots';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('home'))('title') };
}

/** The borrower home's ceiling (app/bench/snapshots.ts); requested as the benchmark's borrower. */
export default async function HomeCeiling() {
  return <HomeView model={await benchSnapshot<HomeModel>('home')} bench="ceiling" />;
}
