'use client';

import { useLocale } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { useFormStatus } from 'react-dom';
import { formatDate, isIsoDate } from '@/lib/dates';
import { formatFen, parseYuanToFen } from '@/lib/money';

const TONES = {
  // Something is removed or ended for good.
  danger: {
    ask: 'border-red-300 text-red-800 hover:bg-red-50',
    group: 'bg-red-50 text-red-900',
    confirm: 'bg-red-700 hover:bg-red-800',
    cancel: 'hover:bg-red-100',
  },
  // A step that cannot be taken back, but good news (a debt paid off).
  calm: {
    ask: 'border-teal-300 text-teal-800 hover:bg-teal-50',
    group: 'bg-teal-50 text-teal-900',
    confirm: 'bg-teal-700 hover:bg-teal-800',
    cancel: 'hover:bg-teal-100',
  },
};

/** A field of the form that the question says back, as it was typed when "yes" was asked for. */
export type Restated = { name: string; label: string; kind: 'money' | 'date' };

/** What `field` holds, as the page shows such a value (¥1,234.56, 2026年12月1日); as typed if it reads as none. */
function restatedValue(form: HTMLFormElement | null | undefined, field: Restated, locale: string): string {
  const input = form?.elements.namedItem(field.name);
  const typed = input instanceof HTMLInputElement ? input.value.trim() : '';
  if (field.kind === 'money') {
    const fen = parseYuanToFen(typed);
    return fen === null ? typed : formatFen(fen);
  }
  return isIsoDate(typed) ? formatDate(typed, locale) : typed;
}

/**
 * A submit that asks first, in the page (no browser dialog): the first click shows the question
 * and a second, explicit button; only that one submits. The focus moves to that button (a
 * keyboard user is not left at the top of the page), Escape or "cancel" puts the question away
 * and the focus back on the first button. `restate` lists the fields whose values the question
 * says back (a payoff's day and amount), so that what is confirmed is what was typed.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  cancelLabel,
  pendingLabel,
  tone = 'danger',
  restate = [],
  describedBy,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  pendingLabel: string;
  tone?: keyof typeof TONES;
  restate?: readonly Restated[];
  /** The id of what is deleted, where there are many alike (a contact's "delete"): read after the button's name. */
  describedBy?: string;
}) {
  const locale = useLocale();
  const [asking, setAsking] = useState(false);
  const [said, setSaid] = useState<{ label: string; value: string }[]>([]);
  const { pending } = useFormStatus();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  // Set on a cancel, so that the first button takes the focus back once it is shown again.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      askRef.current?.focus();
    }
  }, [asking]);
  const cancel = () => {
    returnFocus.current = true;
    setAsking(false);
  };
  const c = TONES[tone];
  if (!asking) {
    return (
      <button
        ref={askRef}
        type="button"
        aria-describedby={describedBy}
        onClick={() => {
          const form = askRef.current?.form;
          setSaid(restate.map((f) => ({ label: f.label, value: restatedValue(form, f, locale) })));
          setAsking(true);
        }}
        className={`inline-flex min-h-10 items-center rounded-md border px-3 py-2 text-sm font-medium ${c.ask}`}
      >
        {label}
      </button>
    );
  }
  return (
    <div
      role="group"
      aria-label={question}
      className={`flex flex-wrap items-center gap-2 rounded-md p-2 text-sm ${c.group}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !pending) {
          e.preventDefault();
          cancel();
        }
      }}
    >
      <span>{question}</span>
      {said.length > 0 && (
        <dl className="flex basis-full flex-wrap gap-x-4 gap-y-1" data-testid="confirm-restated">
          {said.map((s) => (
            <div key={s.label} className="flex gap-1">
              <dt>{s.label}</dt>
              <dd className="font-semibold tabular-nums">{s.value || '—'}</dd>
            </div>
          ))}
        </dl>
      )}
      <button ref={confirmRef} type="submit" disabled={pending} className={`min-h-10 rounded-md px-3 py-2 font-medium text-white disabled:opacity-60 ${c.confirm}`}>
        {pending ? pendingLabel : confirmLabel}
      </button>
      <button type="button" onClick={cancel} className={`min-h-10 rounded-md px-3 py-2 ${c.cancel}`}>
        {cancelLabel}
      </button>
    </div>
  );
}
