'use client';

import { useLocale } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { useFormState } from '@/components/form/action-form';

type Labels = {
  created: string;
  code: string;
  link: string;
  copyCode: string;
  copy: string;
  copied: string;
  copyFailed: string;
  howTo: string;
};

/** Copies `text`; the clipboard API needs a secure page, elsewhere the old way is tried. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  // Selecting the stand-in takes the focus; it goes back to the button pressed once the copy is done.
  const pressed = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  try {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  } catch {
    return false;
  } finally {
    pressed?.focus();
  }
}

function CopyButton({ text, label, copied, failed, testId }: { text: string; label: string; copied: string; failed: string; testId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        data-testid={testId}
        onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}
        className="inline-flex min-h-10 shrink-0 items-center justify-center rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-800 hover:bg-stone-50"
      >
        {state === 'copied' ? copied : label}
      </button>
      <span aria-live="polite" className={state === 'failed' ? 'basis-full text-sm text-red-800' : 'sr-only'}>
        {state === 'failed' ? failed : state === 'copied' ? copied : ''}
      </span>
    </>
  );
}

/**
 * The invitation just made: the code (large, in groups of four, to read out over the phone),
 * the link, and until when it works. Only this answer has the code; a reload forgets it.
 */
export function InviteResult({ labels }: { labels: Labels }) {
  const state = useFormState();
  const locale = useLocale();
  const data = state.status === 'ok' ? state.data : undefined;
  const ref = useRef<HTMLDivElement>(null);
  // The form that made it is drawn again, and the focus would fall to <body>: the result takes it,
  // so that a screen reader reads the code (shown this once) and the keyboard starts from it.
  useEffect(() => {
    if (data?.code) ref.current?.focus();
  }, [data?.code]);
  if (!data?.code) return null;
  return (
    <div ref={ref} tabIndex={-1} className="grid gap-3 rounded-md border border-teal-200 bg-teal-50 p-3 outline-none focus-visible:outline-2 focus-visible:outline-teal-700" data-testid="invite-result">
      <p role="status" className="text-sm font-medium text-teal-900">
        {labels.created}
      </p>
      <div className="grid gap-1">
        <p className="text-sm font-medium text-stone-700">{labels.code}</p>
        <div className="flex flex-wrap items-center gap-2">
          <output
            data-testid="invite-code"
            className="font-mono text-2xl font-semibold tracking-wider break-all text-stone-900 select-all sm:text-3xl"
          >
            {data.code}
          </output>
          <CopyButton text={data.code} label={labels.copyCode} copied={labels.copied} failed={labels.copyFailed} testId="invite-code-copy" />
        </div>
        <p className="text-sm text-stone-700" data-testid="invite-expires">
          {data[`expires:${locale}`]}
        </p>
      </div>
      <div className="grid gap-1">
        <label htmlFor="invite-link-input" className="text-sm font-medium text-stone-700">
          {labels.link}
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            id="invite-link-input"
            type="text"
            readOnly
            value={data.link}
            data-testid="invite-link"
            onFocus={(e) => e.currentTarget.select()}
            className="min-h-10 w-full min-w-0 rounded-md border border-stone-300 bg-white px-3 py-2 font-mono text-xs text-stone-800 sm:text-sm"
          />
          <CopyButton text={data.link} label={labels.copy} copied={labels.copied} failed={labels.copyFailed} testId="invite-link-copy" />
        </div>
      </div>
      <p className="text-sm text-stone-700">{labels.howTo}</p>
    </div>
  );
}
