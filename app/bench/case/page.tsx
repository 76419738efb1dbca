import type { Metadata } from 'next';
import { CaseScreen, type CaseModel } from '@/app/cases/[id]/_components/case-screen';
import { caseView } from '@/lib/folds';
import { benchSnapshot } from '../snapshots';

export async function generateMetadata(): Promise<Metadata> {
  const { case: c, lender } = (await benchSnapshot<CaseModel>('case')).detail;
  return { title: c.product ? `${lender.name} · ${c.product}` : lender.name };
}

/** The case page's ceiling (app/bench/snapshots.ts); requested as the case's borrower. */
export default async function CaseCeiling() {
  const model = await benchSnapshot<CaseModel>('case');
  return <CaseScreen model={model} view={caseView(model.id, {})} bench="ceiling-case" />;
}
