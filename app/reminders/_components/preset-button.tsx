'use client';

import { useFormStatus } from 'react-dom';

/** A submit button that sends its own name=value (a snooze preset); disabled while the form runs. */
export function PresetButton({ name, value, label, testId }: { name: string; value: string; label: string; testId?: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      name={name}
      value={value}
      disabled={pending}
      data-testid={testId}
      className="inline-flex min-h-10 items-center justify-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm text-stone-800 hover:bg-stone-100 disabled:cursor-wait disabled:opacity-60"
    >
      {label}
    </button>
  );
}
