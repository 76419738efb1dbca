'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/**
 * A header link that says when its section is the page shown: `aria-current="page"` for a screen
 * reader, and the same weight and colour the reminders link takes (reminder-badge.tsx). A section is
 * its address and everything under it (/cases/12 is in 我的案件). The root layout does not know the
 * address, and client-side navigation keeps it, so the link asks the router.
 */
export function NavLink({ href, className, children, testId }: { href: string; className: string; children: ReactNode; testId?: string }) {
  const pathname = usePathname();
  const active = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} className={`${className} ${active ? 'font-medium text-teal-800' : ''}`} aria-current={active ? 'page' : undefined} data-testid={testId}>
      {children}
    </Link>
  );
}
