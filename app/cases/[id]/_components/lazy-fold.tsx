'use client';

import Link from 'next/link';
import { useEffect, useRef, type ReactNode } from 'react';

/** The fold the user just asked to open: its summary takes the focus once the server has rendered it. */
let opening: string | null = null;

const summaryTones = {
  default: 'text-teal-800',
  danger: 'text-red-800',
  quiet: 'text-stone-700',
} as const;

/**
 * A folded block whose content the server renders only when it is open (issue 6: the case page
 * sent every form of every fold on every request). Closed, it is a link that adds the fold to
 * the page's `?open=` list: without JavaScript the browser loads that page and jumps to the fold
 * (`#fold-<name>`); with it, the router fetches the page without scrolling and the fold's summary
 * takes the focus, so a keyboard or screen-reader user stays where they were. Open, it is a
 * <details> like the case page's other folds; the browser keeps it open or closed across re-renders.
 */
export function LazyFold({
  name,
  summary,
  hint,
  open,
  href,
  testId,
  tone = 'default',
  describedBy,
  children,
}: {
  name: string;
  summary: string;
  hint?: string;
  /** Rendered open: asked for in the URL, or open by default (the step the borrower most likely came for). */
  open: boolean;
  /** This page with the fold added to `?open=`. */
  href: string;
  testId?: string;
  tone?: keyof typeof summaryTones;
  /** The id of what the fold is about, where there are many alike (an instalment's "mark paid"): read after its name. */
  describedBy?: string;
  /** Only passed when open: a closed fold carries none of its content. */
  children?: ReactNode;
}) {
  const summaryRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (open && opening === name) {
      opening = null;
      summaryRef.current?.focus();
    }
  }, [open, name]);

  const summaryClass = `flex min-h-11 cursor-pointer list-none items-center gap-2 px-3 py-2 text-sm font-medium ${summaryTones[tone]} hover:bg-stone-50 [&::-webkit-details-marker]:hidden`;
  const marker = (
    <span aria-hidden className="inline-block text-stone-400 transition-transform group-open/fold:rotate-90">
      ▸
    </span>
  );

  if (!open) {
    return (
      <div id={`fold-${name}`} data-testid={testId} data-fold={name} className="rounded-md border border-stone-200 bg-white">
        <Link
          href={href}
          scroll={false}
          prefetch={false}
          // A disclosure, as the reminders' snooze and edit toggles say: read out as "collapsed", not as a link away.
          aria-expanded={false}
          aria-describedby={describedBy}
          onClick={() => {
            opening = name;
          }}
          className={`${summaryClass} rounded-md focus-visible:outline-2 focus-visible:outline-teal-700`}
          data-fold-link
        >
          {marker}
          <span>{summary}</span>
        </Link>
      </div>
    );
  }
  return (
    <details open id={`fold-${name}`} data-testid={testId} data-fold={name} className="group/fold rounded-md border border-stone-200 bg-white open:bg-stone-50/60">
      <summary ref={summaryRef} className={summaryClass} aria-describedby={describedBy}>
        {marker}
        <span>{summary}</span>
      </summary>
      <div className="grid gap-3 border-t border-stone-200 px-3 pb-3 pt-3">
        {hint && <p className="text-sm text-stone-600">{hint}</p>}
        {children}
      </div>
    </details>
  );
}
