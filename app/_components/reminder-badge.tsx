'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';

const EVENT = 'respite:due-reminders';

/**
 * Rendered by pages whose actions change reminders (the inbox, the case page): an action
 * re-renders the page but not always the root layout, so the page tells the badge the number.
 */
export function DueCountSync({ count }: { count: number }) {
  useEffect(() => {
    window.dispatchEvent(new CustomEvent(EVENT, { detail: count }));
  }, [count]);
  return null;
}

/**
 * "提醒" in the header, with the number of reminders due today or earlier (hidden at 0). The
 * server gives the number with every full render; client-side navigation keeps the layout, so
 * then the badge asks again; after an action, the page re-rendered says (DueCountSync).
 */
export function ReminderNavLink({ initial, stamp }: { initial: number; stamp: number }) {
  const t = useTranslations('reminders.nav');
  const pathname = usePathname();
  const [count, setCount] = useState(initial);
  const [seen, setSeen] = useState(stamp);

  // A fresh server render (after an action): its number is the latest.
  if (seen !== stamp) {
    setSeen(stamp);
    setCount(initial);
  }

  useEffect(() => {
    const onCount = (e: Event) => {
      const n = (e as CustomEvent<unknown>).detail;
      if (typeof n === 'number') setCount(n);
    };
    window.addEventListener(EVENT, onCount);
    return () => window.removeEventListener(EVENT, onCount);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    fetch('/reminders/count', { cache: 'no-store', signal: controller.signal })
      .then((r) => (r.ok ? r.json() : null))
      .then((body: { count?: unknown } | null) => {
        if (body && typeof body.count === 'number') setCount(body.count);
      })
      .catch(() => {});
    return () => controller.abort();
  }, [pathname]);

  const active = pathname === '/reminders';
  return (
    <Link
      href="/reminders"
      className={`inline-flex min-h-10 items-center gap-1.5 hover:text-teal-700 sm:min-h-0 ${active ? 'font-medium text-teal-800' : ''}`}
      aria-current={active ? 'page' : undefined}
      data-testid="nav-reminders"
    >
      {t('link')}
      {count > 0 && (
        <span
          data-testid="reminder-badge"
          aria-label={t('badge', { count })}
          className="inline-flex min-w-5 items-center justify-center rounded-full bg-red-600 px-1.5 text-xs leading-5 font-semibold text-white tabular-nums"
        >
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
