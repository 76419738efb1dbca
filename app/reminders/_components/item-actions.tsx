'use client';

import { useId, useState, type ReactNode } from 'react';

const toggleClass =
  'inline-flex min-h-10 items-center justify-center gap-1 rounded-md border border-stone-300 bg-white px-3 py-2 text-sm text-stone-800 hover:bg-stone-100 aria-expanded:border-teal-600 aria-expanded:bg-teal-50 aria-expanded:text-teal-900';

/**
 * The buttons under a reminder: done and dismiss submit straight away; snooze and edit open
 * their panel below (kept mounted while closed, so a refused form keeps what was typed).
 */
export function ItemActions({
  done,
  dismiss,
  snooze,
  edit,
  labels,
}: {
  done: ReactNode;
  dismiss: ReactNode;
  snooze: ReactNode;
  edit?: ReactNode;
  labels: { snooze: string; edit: string };
}) {
  const [open, setOpen] = useState<'snooze' | 'edit' | null>(null);
  const id = useId();
  const toggle = (panel: 'snooze' | 'edit') => setOpen((o) => (o === panel ? null : panel));
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-start gap-2">
        {done}
        <button
          type="button"
          className={toggleClass}
          aria-expanded={open === 'snooze'}
          aria-controls={`${id}-snooze`}
          onClick={() => toggle('snooze')}
          data-testid="reminder-snooze-toggle"
        >
          {labels.snooze}
        </button>
        {edit && (
          <button
            type="button"
            className={toggleClass}
            aria-expanded={open === 'edit'}
            aria-controls={`${id}-edit`}
            onClick={() => toggle('edit')}
            data-testid="reminder-edit-toggle"
          >
            {labels.edit}
          </button>
        )}
        {dismiss}
      </div>
      <div id={`${id}-snooze`} hidden={open !== 'snooze'} className="rounded-md border border-stone-200 bg-stone-50 p-3">
        {snooze}
      </div>
      {edit && (
        <div id={`${id}-edit`} hidden={open !== 'edit'} className="rounded-md border border-stone-200 bg-stone-50 p-3">
          {edit}
        </div>
      )}
    </div>
  );
}
