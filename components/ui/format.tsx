import { getLocale } from 'next-intl/server';
import { formatDate, formatDateTime } from '@/lib/dates';
import { formatFen } from '@/lib/money';

/** ¥1,234.56, with tabular digits; an amount not given (null) as `blank`, in grey ("未填写"). */
export function Money({ fen, className, blank }: { fen: number | null; className?: string; blank?: string }) {
  if (fen === null) return <span className={`text-stone-500 ${className ?? ''}`}>{blank ?? '—'}</span>;
  // Never broken inside: "¥138,820.0" above "0" on a narrow screen reads as another amount.
  return <span className={`tabular-nums whitespace-nowrap ${className ?? ''}`}>{formatFen(fen)}</span>;
}

/** A calendar date (YYYY-MM-DD, Asia/Shanghai), in the reader's language. */
export async function DateText({ date, className }: { date: string | null | undefined; className?: string }) {
  if (!date) return null;
  const locale = await getLocale();
  return (
    <time dateTime={date} className={className}>
      {formatDate(date, locale)}
    </time>
  );
}

/** An instant, shown in Shanghai time. */
export async function DateTimeText({ instant, className }: { instant: Date; className?: string }) {
  const locale = await getLocale();
  return (
    <time dateTime={instant.toISOString()} className={className}>
      {formatDateTime(instant, locale)}
    </time>
  );
}
