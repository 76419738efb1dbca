'use client';

import Link from 'next/link';
import { useEffect, type ComponentProps, type MouseEvent } from 'react';

/**
 * "Add a lender only you can see" leaves the new-case form for /lenders and comes back to it with
 * the new lender chosen (app/lenders/actions.ts). What was already typed — the amounts, the date,
 * the note — would be lost on the way: the link keeps it in this tab's sessionStorage, and the
 * form, drawn again, takes it back once. Lender and product are not kept (the new lender is the
 * choice now), nor the form's hidden fields. Without JavaScript the link is a plain link, as before.
 */
const KEY = 'respite:new-case-draft';
/** A draft older than this is dropped rather than put back into a form someone opened later. */
const KEEP_MS = 60 * 60_000;
const NOT_KEPT = new Set(['lenderId', 'product']);

type Draft = { at: number; values: [string, string][] };
type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function controls(form: HTMLFormElement): Control[] {
  return Array.from(form.elements).filter(
    (el): el is Control =>
      (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) &&
      el.name !== '' &&
      !NOT_KEPT.has(el.name) &&
      !['hidden', 'file', 'submit', 'button', 'password'].includes(el.type),
  );
}

/** next/link, keeping the form's values as it is followed. */
export function KeepDraftLink(props: ComponentProps<typeof Link>) {
  function keep(event: MouseEvent<HTMLAnchorElement>) {
    const form = event.currentTarget.closest('form');
    if (!form) return;
    const values = controls(form)
      .filter((el) => (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? el.checked : el.value !== ''))
      .map((el) => [el.name, el.value] as [string, string]);
    try {
      if (values.length > 0) sessionStorage.setItem(KEY, JSON.stringify({ at: Date.now(), values } satisfies Draft));
    } catch {
      // Storage refused (private mode, full): the link still goes where it says.
    }
  }
  return (
    <Link {...props} onClick={keep} />
  );
}

/** Puts a kept draft back into the form with this test id (once: the draft is removed as it is read). */
export function RestoreDraft({ formTestId }: { formTestId: string }) {
  useEffect(() => {
    let draft: Draft | null = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Draft | null;
      sessionStorage.removeItem(KEY);
    } catch {
      return;
    }
    if (!draft || !Array.isArray(draft.values) || Date.now() - draft.at > KEEP_MS) return;
    const form = document.querySelector<HTMLFormElement>(`form[data-testid="${formTestId}"]`);
    if (!form) return;
    const byName = new Map<string, Control[]>();
    for (const el of controls(form)) byName.set(el.name, [...(byName.get(el.name) ?? []), el]);
    for (const [name, value] of draft.values) {
      for (const el of byName.get(name) ?? []) {
        if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')) {
          if (el.value === value && !el.checked) el.click();
          continue;
        }
        // Through the element's own setter, then an input event: a field React keeps state for
        // (a counter of characters) sees the change as if typed.
        const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')?.set;
        setter?.call(el, value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
  }, [formTestId]);
  return null;
}
