'use client';

import { useTranslations } from 'next-intl';
import { useId, useState, type ReactNode } from 'react';
import { isOffDayEstimated, offDayKind, type OffDays } from '@/lib/off-days';
import { useFormState } from './action-form';
import { inputClass } from './styles';

type Common = {
  name: string;
  label: string;
  hint?: string;
  defaultValue?: string | number | null;
  required?: boolean;
  className?: string;
};

/** Label, control, hint and the field's error, wired for screen readers. */
function FieldShell({ id, label, hint, error, required, className, children }: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className ?? 'grid content-start gap-1'}>
      <label htmlFor={id} className="text-sm font-medium text-stone-700">
        {label}
        {required && <span className="text-red-600" aria-hidden> *</span>}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-sm text-stone-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700" data-testid={`error-${id.split('-').at(-1)}`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A field's id, error and value after a refusal, and its ARIA: invalid, described by its error or
 * hint, and required when it is (the star beside the label is only seen; the browser's own `required`
 * is not used, so that an empty field is refused by the server with its message, like any other).
 */
function useField(name: string, defaultValue: Common['defaultValue'], required?: boolean, hint?: string) {
  const state = useFormState();
  const id = `${useId().replace(/:/g, '')}-${name}`;
  const error = state.fieldErrors?.[name];
  const value = state.values?.[name] ?? (defaultValue == null ? '' : String(defaultValue));
  // Only what is there: a field without a hint points at nothing until it has an error.
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return { id, error, value, aria: { 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, 'aria-required': required || undefined } };
}

/**
 * A text's length as the server's limits count it (zod counts code points): an emoji or a rare
 * character outside the BMP is one, where a string's `length` would count its two UTF-16 units.
 */
export function characters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * How much of a limited field is used, shown once it is four-fifths full. The field itself takes
 * any length (no `maxLength`: a browser would cut a paste there without a word, and the end of a
 * note would be lost unseen); over the limit the count turns red, and the server refuses the form
 * with the limit named at the field, keeping everything typed. Digits only, the same in both languages.
 */
export function useLength(initial: string, max: number | undefined) {
  const [length, setLength] = useState(() => characters(initial));
  const onInput = max === undefined ? undefined : (e: { currentTarget: { value: string } }) => setLength(characters(e.currentTarget.value));
  const count =
    max !== undefined && length >= max * 0.8 ? (
      <p
        aria-hidden
        className={`text-right text-xs tabular-nums ${length > max ? 'font-medium text-red-700' : length === max ? 'font-medium text-amber-800' : 'text-stone-500'}`}
        data-testid="length-count"
        data-over={length > max || undefined}
      >
        {length} / {max}
      </p>
    ) : null;
  return { onInput, count };
}

export function TextField({
  type = 'text',
  inputMode,
  autoComplete,
  placeholder,
  maxLength,
  ...props
}: Common & {
  type?: 'text' | 'email' | 'password' | 'date' | 'datetime-local' | 'number' | 'tel';
  inputMode?: 'decimal' | 'numeric' | 'text' | 'email' | 'tel';
  autoComplete?: string;
  placeholder?: string;
  maxLength?: number;
}) {
  const state = useFormState();
  const e = useTranslations('common.error');
  // A password is never sent back with a refused form: said beside the emptied field, so that it is typed again.
  const hint = type === 'password' && state.status === 'error' && state.values ? e('passwordAgain') : props.hint;
  const f = useField(props.name, props.defaultValue, props.required, hint);
  const length = useLength(f.value, type === 'password' ? undefined : maxLength);
  return (
    <FieldShell id={f.id} label={props.label} hint={hint} error={f.error} required={props.required} className={props.className}>
      <input
        id={f.id}
        name={props.name}
        type={type}
        inputMode={inputMode}
        autoComplete={autoComplete}
        placeholder={placeholder}
        defaultValue={type === 'password' ? undefined : f.value}
        onInput={length.onInput}
        className={inputClass}
        {...f.aria}
      />
      {length.count}
    </FieldShell>
  );
}

/**
 * A date field that says, as soon as a day is picked, when it is a day off: a weekend or a public
 * holiday, by the calendar the server sent (`offDays`, lib/off-days.ts). Only said, never refused:
 * a reminder may well be for a Sunday, but the lender's hotline and branches may be closed then.
 */
export function DayField({
  offDays,
  offDayHints,
  ...props
}: Common & { offDays: OffDays; offDayHints: Record<'weekend' | 'holiday' | 'weekendEstimated' | 'holidayEstimated', string> }) {
  const f = useField(props.name, props.defaultValue, props.required, props.hint);
  const [day, setDay] = useState(f.value);
  const kind = offDayKind(day, offDays);
  // In a year whose schedule is not published, a weekend may turn out a 调休 workday, and more days may be off.
  const estimated = kind !== null && isOffDayEstimated(day, offDays);
  const noteId = `${f.id}-offday`;
  const describedBy = [f.aria['aria-describedby'], kind && !f.error ? noteId : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <FieldShell id={f.id} label={props.label} hint={props.hint} error={f.error} required={props.required} className={props.className}>
      <input
        id={f.id}
        name={props.name}
        type="date"
        defaultValue={f.value}
        onChange={(e) => setDay(e.currentTarget.value)}
        className={inputClass}
        {...f.aria}
        aria-describedby={describedBy}
      />
      {/* Always there, empty on a workday: a screen reader hears the note when it appears. */}
      <p id={noteId} aria-live="polite" className={kind && !f.error ? 'text-sm text-amber-800' : 'sr-only'} data-testid="offday-note" data-kind={kind ?? undefined}>
        {kind && !f.error ? offDayHints[estimated ? (`${kind}Estimated` as const) : kind] : null}
      </p>
    </FieldShell>
  );
}

/** An amount in yuan (two decimals at most); the server turns it into fen. */
export function MoneyField(props: Common & { placeholder?: string }) {
  const f = useField(props.name, props.defaultValue, props.required, props.hint);
  return (
    <FieldShell id={f.id} label={props.label} hint={props.hint} error={f.error} required={props.required} className={props.className}>
      <div className="relative">
        <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-stone-500">¥</span>
        <input
          id={f.id}
          name={props.name}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder={props.placeholder ?? '0.00'}
          defaultValue={f.value}
          className={`${inputClass} pl-7`}
          {...f.aria}
        />
      </div>
    </FieldShell>
  );
}

export function TextArea(props: Common & { rows?: number; placeholder?: string; maxLength?: number }) {
  const f = useField(props.name, props.defaultValue, props.required, props.hint);
  const length = useLength(f.value, props.maxLength);
  return (
    <FieldShell id={f.id} label={props.label} hint={props.hint} error={f.error} required={props.required} className={props.className}>
      <textarea
        id={f.id}
        name={props.name}
        rows={props.rows ?? 3}
        placeholder={props.placeholder}
        defaultValue={f.value}
        onInput={length.onInput}
        className={inputClass}
        {...f.aria}
      />
      {length.count}
    </FieldShell>
  );
}

export function SelectField(props: Common & { options: { value: string; label: string }[]; placeholder?: string }) {
  const f = useField(props.name, props.defaultValue, props.required, props.hint);
  return (
    <FieldShell id={f.id} label={props.label} hint={props.hint} error={f.error} required={props.required} className={props.className}>
      <select id={f.id} name={props.name} defaultValue={f.value} className={inputClass} {...f.aria}>
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function FileField(props: Omit<Common, 'defaultValue'> & { accept?: string }) {
  const f = useField(props.name, null, props.required, props.hint);
  return (
    <FieldShell id={f.id} label={props.label} hint={props.hint} error={f.error} required={props.required} className={props.className}>
      <input
        id={f.id}
        name={props.name}
        type="file"
        accept={props.accept}
        className="block w-full text-sm text-stone-700 file:mr-3 file:rounded-md file:border-0 file:bg-stone-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-stone-200"
        {...f.aria}
      />
    </FieldShell>
  );
}

export function RadioGroup(props: Common & { options: { value: string; label: string; hint?: string }[] }) {
  const f = useField(props.name, props.defaultValue, props.required, props.hint);
  return (
    <fieldset role="radiogroup" className={props.className ?? 'grid content-start gap-1'} {...f.aria}>
      <legend className="mb-1 text-sm font-medium text-stone-700">
        {props.label}
        {props.required && <span className="text-red-600" aria-hidden> *</span>}
      </legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {props.options.map((o) => (
          <label key={o.value} className="flex cursor-pointer items-start gap-2 rounded-md border border-stone-300 bg-white p-3 has-[:checked]:border-teal-600 has-[:checked]:bg-teal-50">
            {/* After a refusal the focus lands on a choice (a fieldset takes none): it, too, points at the reason. */}
            <input
              type="radio"
              name={props.name}
              value={o.value}
              defaultChecked={f.value === o.value}
              aria-describedby={f.error ? `${f.id}-error` : undefined}
              className="mt-1"
            />
            <span>
              <span className="block text-sm font-medium">{o.label}</span>
              {o.hint && <span className="block text-xs text-stone-500">{o.hint}</span>}
            </span>
          </label>
        ))}
      </div>
      {f.error && (
        <p id={`${f.id}-error`} className="text-sm text-red-700">
          {f.error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * One checkbox sending '1' when ticked. After a refused submit it shows what was sent (an
 * unticked box sends nothing), not its default: every tick survives the refusal as the user left it.
 */
export function CheckboxField(props: Omit<Common, 'defaultValue' | 'required'> & { defaultChecked?: boolean }) {
  const state = useFormState();
  const id = `${useId().replace(/:/g, '')}-${props.name}`;
  const error = state.fieldErrors?.[props.name];
  const checked = state.values ? state.values[props.name] === '1' : !!props.defaultChecked;
  return (
    <div className={props.className ?? 'grid content-start gap-1'}>
      <label htmlFor={id} className="flex min-h-10 cursor-pointer items-center gap-2 rounded-md border border-stone-300 bg-white px-3 py-2 text-sm has-[:checked]:border-teal-600 has-[:checked]:bg-teal-50">
        <input
          id={id}
          type="checkbox"
          name={props.name}
          value="1"
          defaultChecked={checked}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <span>{props.label}</span>
      </label>
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A list of checkboxes, one an item, each sending '1' under `<prefix><value>` as CheckboxField does,
 * with `listed` = '1' beside them: the server tells a list left all unticked from a form that did not
 * list it (lib/validation.ts tickedIds). Ticked by default; after a refused submit, as the user left
 * them. Its error, under `name`, is said once for the list.
 */
export function CheckboxList(props: {
  name: string;
  label: string;
  hint?: string;
  prefix: string;
  listed: string;
  options: { value: number; label: string }[];
  className?: string;
}) {
  const state = useFormState();
  const id = `${useId().replace(/:/g, '')}-${props.name}`;
  const error = state.fieldErrors?.[props.name];
  return (
    <fieldset
      className={props.className ?? 'grid content-start gap-1'}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${id}-error` : props.hint ? `${id}-hint` : undefined}
      data-testid={`choose-${props.name}`}
    >
      <legend className="mb-1 text-sm font-medium text-stone-700">{props.label}</legend>
      <input type="hidden" name={props.listed} value="1" />
      <div className="grid gap-2">
        {props.options.map((o) => {
          const name = `${props.prefix}${o.value}`;
          const checked = state.values ? state.values[name] === '1' : true;
          return (
            <label key={o.value} className="flex min-h-10 cursor-pointer items-center gap-2 rounded-md border border-stone-300 bg-white px-3 py-2 text-sm wrap-anywhere has-[:checked]:border-teal-600 has-[:checked]:bg-teal-50">
              <input type="checkbox" name={name} value="1" defaultChecked={checked} className="shrink-0" />
              <span className="min-w-0">{o.label}</span>
            </label>
          );
        })}
      </div>
      {props.hint && !error && (
        <p id={`${id}-hint`} className="text-sm text-stone-600">
          {props.hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700" data-testid={`error-${props.name}`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
