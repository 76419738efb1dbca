import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { getCase } from '@/db/cases';
import { getViewer, requireViewer } from '@/db/viewer';
import { todayInShanghai } from '@/lib/dates';
import { NotFoundError } from '@/lib/errors';
import { caseView } from '@/lib/folds';
import { CaseScreen, type CaseModel } from './_components/case-screen';
import { loadCase } from './load';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A case id from the URL, or null for anything that is not a plain positive integer. */
function parseId(raw: string): number | null {
  if (!/^[1-9]\d{0,14}$/.test(raw)) return null;
  return Number(raw);
}

/** The case as the page shows it, read once a request: the title and the page share it. */
const loadCaseOnce = cache(loadCase);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await getTranslations('case');
  const id = parseId((await params).id);
  const viewer = await getViewer();
  const notFoundTitle = async () => ({ title: (await getTranslations('common.notFound'))('title') });
  if (!viewer) return { title: t('title') };
  if (!id) return notFoundTitle();
  try {
    // An advisor's title is read quietly: the router asks for a linked case's title alone when it
    // prefetches the link (the dashboard lists dozens), and that is no visit for the client's log.
    // The page, when it is opened, reads the case through loadCaseOnce and records the visit.
    const { case: c, lender } = viewer.role === 'advisor' ? getCase(viewer, id) : loadCaseOnce(viewer, id, todayInShanghai()).detail;
    return { title: c.product ? `${lender.name} · ${c.product}` : lender.name };
  } catch (e) {
    // The page says "not found" (another's case, a deleted one): so does the tab.
    if (e instanceof NotFoundError) return notFoundTitle();
    return { title: t('title') };
  }
}

export default async function CasePage({ params, searchParams }: Props) {
  const viewer = await requireViewer();
  const id = parseId((await params).id);
  if (!id) notFound();
  let model: CaseModel;
  try {
    model = loadCaseOnce(viewer, id, todayInShanghai());
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
  // The forms and the long lists beyond the first screen are rendered when the URL asks for them.
  return <CaseScreen model={model} view={caseView(id, await searchParams)} />;
}
