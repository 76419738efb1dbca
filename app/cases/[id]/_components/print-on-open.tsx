'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * The case page opened by "Print the case record" (`?all=…&print=1`): every list is in full, so the
 * browser's print dialog is asked for once, and `print=1` leaves the URL, so that a reload or the
 * back button does not ask again.
 */
export function PrintOnOpen({ after }: { after: string }) {
  const router = useRouter();
  useEffect(() => {
    window.print();
    router.replace(after, { scroll: false });
  }, [after, router]);
  return null;
}
