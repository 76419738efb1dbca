import { getTranslations } from 'next-intl/server';
import type { ComponentProps, ReactNode } from 'react';
import { ActionForm } from '@/components/form/action-form';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { formatDate, formatDateTime } from '@/lib/dates';

/** A white card with a heading: every section of the case page is one. */
export function Section({
  title,
  id,
  testId,
  action,
  children,
  className,
}: {
  title: string;
  id: string;
  testId?: string;
  action?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={`${id}-h`}
      data-testid={testId}
      className={`grid min-w-0 gap-3 rounded-lg border border-stone-200 bg-white p-4 ${className ?? ''}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-h`} className="text-lg font-semibold text-stone-900">
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}

/** A label and a value, stacked; used in the header and the attempt cards. */
export function Fact({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={`min-w-0 ${className ?? ''}`}>
      <dt className="text-xs text-stone-500">{label}</dt>
      <dd className="text-sm text-stone-900">{children}</dd>
    </div>
  );
}

export const secondaryButton =
  'inline-flex min-h-10 items-center justify-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100 disabled:cursor-wait disabled:opacity-60';

/*
 * <DateText>/<DateTimeText> (components/ui/format) each await the locale: an async component per
 * date, which React renders as a task of its own. The case page's lists (timeline, contacts) have
 * the locale already and use these instead: the same markup, rendered in place.
 */

/** A calendar date (YYYY-MM-DD, Asia/Shanghai) in `locale`, as <DateText> renders it. */
export function DateIn({ date, locale }: { date: string | null | undefined; locale: string }) {
  if (!date) return null;
  return <time dateTime={date}>{formatDate(date, locale)}</time>;
}

/** An instant in Shanghai time in `locale`, as <DateTimeText> renders it. */
export function DateTimeIn({ instant, locale }: { instant: Date; locale: string }) {
  return <time dateTime={instant.toISOString()}>{formatDateTime(instant, locale)}</time>;
}

/** A delete button that asks first ("delete?" → delete / cancel), as one form of its own. */
export async function DeleteForm({
  action,
  hidden,
  label,
  question,
  testId,
  className,
  describedBy,
}: {
  action: ComponentProps<typeof ActionForm>['action'];
  hidden: Record<string, string | number>;
  label: string;
  question: string;
  testId: string;
  className?: string;
  /** The id of what is deleted (ConfirmButton). */
  describedBy?: string;
}) {
  const tc = await getTranslations('case');
  return (
    <ActionForm
      action={action}
      hidden={hidden}
      submitLabel={label}
      pendingLabel={tc('confirm.deleting')}
      testId={testId}
      className={className}
      submit={
        <ConfirmButton
          label={label}
          question={question}
          confirmLabel={tc('confirm.delete')}
          cancelLabel={tc('confirm.cancel')}
          pendingLabel={tc('confirm.deleting')}
          describedBy={describedBy}
        />
      }
    />
  );
}
