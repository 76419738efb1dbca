'use client';

import type { ReactNode } from 'react';
import { useFormState } from '@/components/form/action-form';

/**
 * Optional fields folded away inside a form. It opens by itself when the server refused one of
 * them, or when the user had typed into them, so an error is never hidden in a closed fold;
 * `defaultOpen` when they hold values already (a correction of what was recorded).
 */
export function OptionalFields({ summary, names, defaultOpen = false, children }: { summary: string; names: string[]; defaultOpen?: boolean; children: ReactNode }) {
  const state = useFormState();
  const open = defaultOpen || names.some((n) => state.fieldErrors?.[n] || state.values?.[n]);
  return (
    <details open={open} className="group/opt rounded-md border border-dashed border-stone-300">
      <summary className="flex min-h-10 cursor-pointer list-none items-center gap-2 px-3 py-2 text-sm text-stone-700 [&::-webkit-details-marker]:hidden">
        <span aria-hidden className="inline-block text-stone-400 transition-transform group-open/opt:rotate-90">
          ▸
        </span>
        {summary}
      </summary>
      <div className="grid gap-3 px-3 pb-3 sm:grid-cols-2">{children}</div>
    </details>
  );
}
