'use client';

import { useEffect, useRef } from 'react';

/**
 * "案件已保存": said once, after the case's own form saved it and brought the person here
 * (`?saved=created|updated`). It takes the focus, so that a screen reader reads it and the keyboard
 * starts from it; `saved` leaves the URL (without a new request), so that a reload does not say it again.
 */
export function SavedNotice({ message }: { message: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    ref.current?.focus();
    const url = new URL(window.location.href);
    url.searchParams.delete('saved');
    window.history.replaceState(null, '', url);
  }, []);
  return (
    <p
      ref={ref}
      tabIndex={-1}
      role="status"
      className="rounded-md bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-900 outline-none focus-visible:outline-2 focus-visible:outline-teal-600 print:hidden"
      data-testid="case-saved"
    >
      {message}
    </p>
  );
}
