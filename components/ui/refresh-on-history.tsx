'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * Back and Forward show a page from the router's memory, as it was when it was left: an advisor
 * would see a client's case after the client stopped sharing, a borrower a figure changed since.
 * So a page reached through the history is asked of the server again at once (what the server
 * answers now replaces it: "not found" after a revocation). A move within the page (a `#` link)
 * is not. Rendered in the root layout for signed-in viewers.
 */
export function RefreshOnHistory() {
  const router = useRouter();
  const pathname = usePathname();
  // The address shown before the history moved, without its #fragment.
  const shown = useRef('');
  useEffect(() => {
    shown.current = location.pathname + location.search;
  }, [pathname]);
  useEffect(() => {
    const onPop = () => {
      const now = location.pathname + location.search;
      if (now === shown.current) return;
      shown.current = now;
      // After the router has put back the page it remembers.
      setTimeout(() => router.refresh(), 0);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [router]);
  return null;
}
