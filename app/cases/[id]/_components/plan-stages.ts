import type { getTranslations } from 'next-intl/server';
import { formatFen } from '@/lib/money';
import type { PlanStage } from '@/lib/plan';

type Translate = Awaited<ReturnType<typeof getTranslations<'common'>>>;

/** One stage of a plan's amounts: "第 1–12 期 ¥500.00" / "Nos. 1–12: ¥500.00", or "第 60 期 ¥856.08" for one instalment. */
export function stageText(stage: PlanStage, t: Translate): string {
  const amount = formatFen(stage.amountFen);
  return stage.fromSeq === stage.toSeq
    ? t('planStages.one', { seq: stage.fromSeq, amount })
    : t('planStages.range', { from: stage.fromSeq, to: stage.toSeq, amount });
}

/** A plan's stages in a line: "第 1–12 期 ¥500.00 · 第 13–59 期 ¥856.26 · 第 60 期 ¥856.08". */
export function stagesText(stages: readonly PlanStage[], t: Translate): string {
  return stages.map((s) => stageText(s, t)).join(' · ');
}
