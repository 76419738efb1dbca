'use client';

import { useState } from 'react';
import { useFormStatus } from 'react-dom';

/**
 * A destructive submit that asks first, in the page (no browser dialog): the first click
 * shows the question and a second, explicit button; only that one submits.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  cancelLabel,
  pendingLabel,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  pendingLabel: string;
}) {
  const [asking, setAsking] = useState(false);
  const { pending } = useFormStatus();
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} className="inline-flex min-h-10 items-center rounded-md border border-red-300 px-3 py-2 text-sm font-medium text-red-800 hover:bg-red-50">
        {label}
      </button>
    );
  }
  return (
    <div role="group" className="flex flex-wrap items-center gap-2 rounded-md bg-red-50 p-2 text-sm text-red-900">
      <span>{question}</span>
      <button type="submit" disabled={pending} className="min-h-10 rounded-md bg-red-700 px-3 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-60">
        {pending ? pendingLabel : confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)} className="min-h-10 rounded-md px-3 py-2 hover:bg-red-100">
        {cancelLabel}
      </button>
    </div>
  );
}
