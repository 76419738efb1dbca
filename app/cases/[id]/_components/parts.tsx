import type { ReactNode } from 'react';

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

/**
 * A folded block with a large tap target: long forms stay out of the way until wanted.
 * The browser keeps it open or closed across re-renders.
 */
export function Fold({
  summary,
  hint,
  open,
  testId,
  children,
  tone = 'default',
}: {
  summary: string;
  hint?: string;
  open?: boolean;
  testId?: string;
  children: ReactNode;
  tone?: 'default' | 'danger' | 'quiet';
}) {
  const summaryTone =
    tone === 'danger' ? 'text-red-800' : tone === 'quiet' ? 'text-stone-700' : 'text-teal-800';
  return (
    <details open={open} data-testid={testId} className="group/fold rounded-md border border-stone-200 bg-white open:bg-stone-50/60">
      <summary
        className={`flex min-h-11 cursor-pointer list-none items-center gap-2 px-3 py-2 text-sm font-medium ${summaryTone} hover:bg-stone-50 [&::-webkit-details-marker]:hidden`}
      >
        <span aria-hidden className="inline-block text-stone-400 transition-transform group-open/fold:rotate-90">
          ▸
        </span>
        <span>{summary}</span>
      </summary>
      <div className="grid gap-3 border-t border-stone-200 px-3 pb-3 pt-3">
        {hint && <p className="text-sm text-stone-600">{hint}</p>}
        {children}
      </div>
    </details>
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

/** 1.2 MB, 340 KB, 12 B. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export const secondaryButton =
  'inline-flex min-h-10 items-center justify-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100 disabled:cursor-wait disabled:opacity-60';
