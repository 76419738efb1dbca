'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { FLASH_COOKIE, type Flash } from '@/lib/flash';

/**
 * What a save said, when the form that saved is no longer there to say it (lib/flash.ts): the
 * case moved on and shows other forms, an instalment marked paid lost its form, a reminder left
 * the list. A form that is still there says it itself, and has the focus on its message by then;
 * so this one speaks only if, once every form has had its turn, the focus is nowhere (on <body>).
 *
 * It is a live region from the page's first drawing, so that a screen reader says the words put
 * into it. The focus is left where it is: the browser goes on from where the form was with the
 * next Tab. It stays until put away, or until another page.
 */
export function SaveFlash({ flash, closeLabel }: { flash: Flash | null; closeLabel: string }) {
  const [shown, setShown] = useState<Flash | null>(null);
  const pathname = usePathname();
  const [shownOn, setShownOn] = useState(pathname);
  if (shownOn !== pathname) {
    setShownOn(pathname);
    setShown(null);
  }
  const id = flash?.id;
  useEffect(() => {
    if (!flash) return;
    // Said once: a reload, or the next page, does not say it again.
    document.cookie = `${FLASH_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
    // After the forms' own effects, which focus their message when they are still there. Either
    // way an earlier save's words go: they are not what was just saved.
    const timer = window.setTimeout(() => {
      const active = document.activeElement;
      setShown(!active || active === document.body ? flash : null);
    });
    return () => window.clearTimeout(timer);
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center px-4 print:hidden" data-testid="save-flash">
      <div
        className={shown ? 'pointer-events-auto flex max-w-xl items-center gap-3 rounded-md bg-emerald-50 px-4 py-2 text-sm font-medium text-emerald-900 shadow-lg ring-1 ring-emerald-200' : undefined}
      >
        {/* The live region is there from the start, and holds the words alone (not the button's). */}
        <p role="status" data-testid="save-flash-message">
          {shown?.message}
        </p>
        {shown && (
          <button type="button" onClick={() => setShown(null)} className="min-h-10 shrink-0 rounded px-2 text-emerald-800 underline hover:bg-emerald-100" data-testid="save-flash-close">
            {closeLabel}
          </button>
        )}
      </div>
    </div>
  );
}
