'use client';

import Link from 'next/link';
import { useEffect, useRef, type ReactNode } from 'react';

/** The list whose "show all" was just followed: once the server has sent it whole, its first new entry takes the focus. */
let expanding: string | null = null;

/**
 * "Show all 40" under a shortened list, and "show the latest" back: a plain link (issue 6: a long
 * list is not rendered in full unless asked for). Opening keeps the scroll position; shortening
 * goes back to the section's heading, which the shortened list would otherwise leave far above.
 *
 * Opened with JavaScript, the focus moves to the first entry the short list did not show (`from`,
 * its index among the children of the list just before this link), so that a keyboard or screen
 * reader user goes on reading where the list went on, not from the link now at its far end.
 */
export function ShowAllLink({ href, shorten, testId, from, children }: { href: string; shorten: boolean; testId: string; from: number; children: ReactNode }) {
  const ref = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (!shorten || expanding !== testId) return;
    expanding = null;
    const entry = ref.current?.previousElementSibling?.children[from];
    if (entry instanceof HTMLElement) {
      entry.tabIndex = -1;
      entry.focus();
    }
  }, [shorten, testId, from]);
  return (
    <Link
      ref={ref}
      href={href}
      scroll={shorten}
      prefetch={false}
      onClick={() => {
        expanding = shorten ? null : testId;
      }}
      className="inline-flex min-h-10 items-center justify-self-start text-sm font-medium text-teal-800 underline underline-offset-2 hover:text-teal-900 print:hidden"
      data-testid={testId}
    >
      {children}
    </Link>
  );
}
