'use client';

import { useRef, useState } from 'react';

/**
 * A read-only address with a copy button. The clipboard API needs a secure page (https or
 * localhost); elsewhere the selected text is copied the old way, and if that fails too the
 * address stays selected for the person to copy by hand.
 */
export function CopyUrl({
  url,
  label,
  copyLabel,
  copiedLabel,
  failedLabel,
  testId,
}: {
  url: string;
  label: string;
  copyLabel: string;
  copiedLabel: string;
  failedLabel: string;
  testId: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copy() {
    input.current?.select();
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(url);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) {
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    setState(ok ? 'copied' : 'failed');
    // Copied: the focus stays on the button pressed (selecting the address took it). Not copied, the
    // address keeps it, selected, to be copied by hand.
    if (ok) button.current?.focus();
  }

  const id = `${testId}-input`;
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="text-sm font-medium text-stone-700">
        {label}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          ref={input}
          id={id}
          type="text"
          readOnly
          value={url}
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
          className="min-h-10 w-full min-w-0 rounded-md border border-stone-300 bg-stone-50 px-3 py-2 font-mono text-xs text-stone-800 sm:text-sm"
        />
        <button
          ref={button}
          type="button"
          onClick={copy}
          data-testid={`${testId}-copy`}
          className="inline-flex min-h-10 shrink-0 items-center justify-center rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-800 hover:bg-stone-50"
        >
          {state === 'copied' ? copiedLabel : copyLabel}
        </button>
      </div>
      <p aria-live="polite" className={state === 'failed' ? 'text-sm text-red-800' : 'sr-only'}>
        {state === 'failed' ? failedLabel : state === 'copied' ? copiedLabel : ''}
      </p>
    </div>
  );
}
