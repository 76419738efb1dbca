'use client';

import { useLocale, useTranslations } from 'next-intl';
import { createContext, useActionState, useContext, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import { idleState, type ActionState } from './state';

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;

const FormStateContext = createContext<ActionState>(idleState);

/** The state of the enclosing ActionForm: field errors and what the user typed. */
export function useFormState(): ActionState {
  return useContext(FormStateContext);
}

/**
 * After a refusal the form re-mounts (key={nonce}) and the focus would fall to <body>, at the top
 * of a page still scrolled to the form: it goes to the first field in error instead, or, when no
 * field is to blame (the case changed elsewhere, a wrong password), to the form's message.
 */
function focusError(form: HTMLFormElement | null): void {
  if (!form) return;
  const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  // A radio group marks its fieldset, which cannot take the focus: its first choice does.
  const field = invalid?.matches('fieldset') ? invalid.querySelector<HTMLElement>('input, select, textarea') : invalid;
  (field ?? form.querySelector<HTMLElement>('[data-testid="form-message"]'))?.focus();
}

/** What a field the browser could not read is sent as: no parser of lib/validation accepts it, so the field is refused. */
const UNREADABLE = 'unreadable';

/**
 * A date, time or number the browser cannot read (2月30日, a date without its year, "1e" in a number)
 * is sent as empty, which an optional field takes for "none": a lender's deadline typed wrongly would
 * become the default one without a word. Such a field is sent as UNREADABLE instead, so the server
 * refuses it at the field, with every other value kept. (Without JavaScript it goes as empty.)
 */
function sendUnreadable(event: FormEvent<HTMLFormElement>): void {
  const bad = [...event.currentTarget.querySelectorAll<HTMLInputElement>('input')].filter((i) => i.validity.badInput && i.name && !i.disabled);
  for (const input of bad) {
    const stand = document.createElement('input');
    stand.type = 'hidden';
    stand.name = input.name;
    stand.value = UNREADABLE;
    input.after(stand);
    // A disabled field is left out of the form's data, which the action reads after this handler.
    input.disabled = true;
    setTimeout(() => {
      stand.remove();
      input.disabled = false;
    });
  }
}

/**
 * The answer as this page's language says it. The server words an answer in the language of the
 * request; when the reader switches language after it, the form stays (with what was typed) but
 * its sentences would stay in the other language. A refusal then says, in the new language, that
 * the form did not go through and that sending it again gives the reason in it; a note that it was saved goes.
 */
function useAnswerInPageLanguage(state: ActionState): ActionState {
  const locale = useLocale();
  const e = useTranslations('common.error');
  // The language each answer came in (React's "information from previous renders" pattern).
  const [answered, setAnswered] = useState({ nonce: state.nonce, locale });
  if (answered.nonce !== state.nonce) setAnswered({ nonce: state.nonce, locale });
  if (answered.nonce !== state.nonce || answered.locale === locale || state.status === 'idle') return state;
  if (state.status === 'ok') return { ...state, message: undefined, link: undefined };
  // Without the answer's hidden fields (a newer version after a conflict, a duplicate's "save anyway"):
  // sent again, the form is refused again, in this language, rather than saved unexplained.
  return { ...state, message: e('otherLanguage'), fieldErrors: undefined, link: undefined, hidden: undefined };
}

/**
 * A form bound to a server action. Server components compose it with fields from ./fields;
 * the fields read errors and refused values from here. `hidden` carries ids, the case
 * version and the form key; an answer may replace one (`state.hidden`: the newer version after a conflict).
 */
export function ActionForm({
  action,
  children,
  submitLabel,
  pendingLabel,
  hidden,
  className,
  submitClassName,
  testId,
  encType,
  submit,
  hiddenAsOpened = false,
}: {
  action: Action;
  children?: ReactNode;
  submitLabel: string;
  pendingLabel: string;
  hidden?: Record<string, string | number>;
  className?: string;
  submitClassName?: string;
  testId?: string;
  encType?: 'multipart/form-data';
  /** Replaces the default submit button, e.g. with a ConfirmButton for a destructive action. */
  submit?: ReactNode;
  /**
   * Send the hidden fields the form was opened with, even when the page is drawn again meanwhile (the
   * language switched): for a form whose version and `base` stand for what the reader saw when they
   * began to type, so that a change saved elsewhere meanwhile is still found and shown, not overwritten.
   */
  hiddenAsOpened?: boolean;
}) {
  const [answer, formAction] = useActionState(action, idleState);
  const state = useAnswerInPageLanguage(answer);
  const [opened] = useState(hidden);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === 'error') focusError(formRef.current);
    // Saved: the re-mounted form would leave the focus on <body>; its message, which says what was
    // saved, takes it (a form that went away with the save, a status changed, takes nothing with it).
    else if (state.status === 'ok' && state.message) formRef.current?.querySelector<HTMLElement>('[data-testid="form-message"]')?.focus();
    // Only a new answer moves the focus, not the language changing under an old one.
  }, [answer]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <FormStateContext.Provider value={state}>
      <form
        key={state.nonce ?? 0}
        ref={formRef}
        action={formAction}
        className={className ?? 'grid gap-3'}
        data-testid={testId}
        encType={encType}
        onSubmit={sendUnreadable}
        noValidate
      >
        {Object.entries({ ...(hiddenAsOpened ? opened : hidden), ...state.hidden }).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {children}
        <FormMessage state={state} />
        <div>{submit ?? <SubmitButton label={submitLabel} pendingLabel={pendingLabel} className={submitClassName} />}</div>
      </form>
    </FormStateContext.Provider>
  );
}

export function FormMessage({ state }: { state: ActionState }) {
  return (
    <p
      aria-live="polite"
      tabIndex={-1}
      data-testid="form-message"
      className={
        state.message
          ? state.status === 'error'
            ? 'rounded-md bg-red-50 px-3 py-2 text-sm text-red-800'
            : 'rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800'
          : 'sr-only'
      }
    >
      {state.message ?? ''}
      {state.link && (
        <>
          {' '}
          <a href={state.link.href} target="_blank" rel="noopener" className="font-medium underline" data-testid="form-message-link">
            {state.link.label}
          </a>
        </>
      )}
    </p>
  );
}

/** Disabled while the action runs, so a double click sends one request. */
export function SubmitButton({ label, pendingLabel, className }: { label: string; pendingLabel: string; className?: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={
        className ??
        'inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800 disabled:cursor-wait disabled:opacity-60'
      }
    >
      {pending ? pendingLabel : label}
    </button>
  );
}
