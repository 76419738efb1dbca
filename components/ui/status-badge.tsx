import { getTranslations } from 'next-intl/server';
import type { CaseStatus } from '@/lib/case-status';

const COLOURS: Record<CaseStatus, string> = {
  preparing: 'bg-stone-100 text-stone-800 ring-stone-300',
  under_review: 'bg-sky-50 text-sky-800 ring-sky-300',
  materials_requested: 'bg-amber-50 text-amber-900 ring-amber-400',
  approved: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  rejected: 'bg-red-50 text-red-800 ring-red-300',
  escalated: 'bg-violet-50 text-violet-800 ring-violet-300',
  repaying: 'bg-teal-50 text-teal-800 ring-teal-300',
  closed: 'bg-stone-100 text-stone-600 ring-stone-200',
};

export async function StatusBadge({ status }: { status: CaseStatus }) {
  const t = await getTranslations('domain.status');
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${COLOURS[status]}`} data-testid="status-badge" data-status={status}>
      {t(status)}
    </span>
  );
}
