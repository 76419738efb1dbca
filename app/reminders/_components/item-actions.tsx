'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, type ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import { ActionForm, useFormState } from '@/components/form/action-form';
import { reminderDismissAction, reminderDoneAction } from '../actions';
import { panelName, type Panel } from './panels';

/** The words of the buttons: one object a request (see `actionLabels`), sent to the browser once. */
export type ActionLabels = { done: string; dismiss: string; pending: string; snooze: string; edit: string };

/** The panel the user just asked to open, or closed: it (or its toggle) takes the focus once rendered. */
let opening: string | null = null;
let closing: string | null = null;
/** Panels whose form was sent, with what the reminder was then (see CloseOnSave). */
const sent = new Map<string, string>();

const toggleClass =
  'inline-flex min-h-10 items-center justify-center gap-1 rounded-md border border-stone-300 bg-white px-3 py-2 text-sm text-stone-800 hover:bg-stone-100 aria-expanded:border-teal-600 aria-expanded:bg-teal-50 aria-expanded:text-teal-900';
const doneClass =
  'inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-3 py-2 text-sm font-medium text-white hover:bg-teal-800 disabled:cursor-wait disabled:opacity-60';
const quietClass =
  'inline-flex min-h-10 items-center justify-center rounded-md px-3 py-2 text-sm text-stone-600 hover:bg-stone-100 hover:text-stone-900 disabled:cursor-wait disabled:opacity-60';

/**
 * The buttons under a reminder: done and dismiss submit straight away; snooze and edit are links
 * that open their panel (issue 6: a closed reminder carries no form and computes no date). Like
 * the case page's folds, a toggle adds `snooze-<id>` to the page's `?open=` list and the server
 * renders the panel, passed here as `children`; with JavaScript the router fetches it without
 * scrolling and the panel takes the focus, without it the link is a plain link to the panel's
 * anchor. An open panel's toggle (and its cancel link) takes it out of the list again.
 */
export function ItemActions({
  reminderId,
  titleId,
  canEdit,
  open,
  hrefs,
  labels,
  children,
}: {
  reminderId: number;
  /** The reminder's title: the buttons' group is named by it, so that "完成" among forty says which reminder it is. */
  titleId: string;
  canEdit: boolean;
  open: Panel | null;
  /** This page with the snooze or edit panel opened, or with the open one closed. */
  hrefs: { snooze: string; edit?: string; close: string };
  labels: ActionLabels;
  /** The open panel's forms (rendered by the server only when open). */
  children?: ReactNode;
}) {
  const hidden = { reminderId };
  const panelRef = useRef<HTMLDivElement>(null);
  const name = open && panelName(open, reminderId);
  useEffect(() => {
    if (name && opening === name) {
      opening = null;
      panelRef.current?.focus();
    }
  }, [name]);

  const toggle = (panel: Panel) => (
    <Toggle
      name={panelName(panel, reminderId)}
      isOpen={open === panel}
      href={open === panel ? hrefs.close : (hrefs[panel] ?? hrefs.close)}
      label={labels[panel]}
      testId={`reminder-${panel}-toggle`}
    />
  );
  return (
    <div className="grid gap-2 print:hidden">
      <div role="group" aria-labelledby={titleId} className="flex flex-wrap items-start gap-2" data-testid="reminder-actions">
        <ActionForm action={reminderDoneAction} hidden={hidden} submitLabel={labels.done} pendingLabel={labels.pending} submitClassName={doneClass} className="contents" testId="reminder-done" />
        {toggle('snooze')}
        {canEdit && toggle('edit')}
        <ActionForm action={reminderDismissAction} hidden={hidden} submitLabel={labels.dismiss} pendingLabel={labels.pending} submitClassName={quietClass} className="contents" testId="reminder-dismiss" />
      </div>
      {/* A container: the date and its button side by side only where the panel is wide (the inbox, not the case page's side column). */}
      {name && (
        <div
          ref={panelRef}
          id={`fold-${name}`}
          role="group"
          aria-labelledby={`${name}-toggle`}
          tabIndex={-1}
          data-testid={`reminder-${open}-panel`}
          className="@container grid gap-3 rounded-md border border-stone-200 bg-stone-50 p-3 focus-visible:outline-2 focus-visible:outline-teal-700"
        >
          {children}
        </div>
      )}
    </div>
  );
}

/** Snooze or edit: a link that opens its panel, or closes it when open; it takes the focus back when its panel closes. */
function Toggle({ name, isOpen, href, label, testId }: { name: string; isOpen: boolean; href: string; label: string; testId: string }) {
  const ref = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (!isOpen && closing === name) {
      closing = null;
      ref.current?.focus();
    }
  }, [isOpen, name]);
  return (
    <Link
      ref={ref}
      id={`${name}-toggle`}
      href={href}
      scroll={false}
      prefetch={false}
      aria-expanded={isOpen}
      aria-controls={isOpen ? `fold-${name}` : undefined}
      onClick={() => {
        sent.delete(name);
        if (isOpen) closing = name;
        else opening = name;
      }}
      className={toggleClass}
      data-testid={testId}
    >
      {label}
    </Link>
  );
}

/** "Cancel" at the foot of an open panel: closes it, like its toggle. */
export function CancelLink({ name, href, label }: { name: string; href: string; label: string }) {
  return (
    <Link
      href={href}
      scroll={false}
      prefetch={false}
      onClick={() => {
        sent.delete(name);
        closing = name;
      }}
      className="inline-flex min-h-10 items-center justify-self-start rounded-md px-2 text-sm text-stone-700 underline underline-offset-2 hover:bg-stone-100"
      data-testid="reminder-panel-cancel"
    >
      {label}
    </Link>
  );
}

/**
 * Inside each form of an open panel: once the form is saved, the panel closes (its name leaves
 * `?open=`), the way the user would close it. Saved is the form's own "ok", or, when the saved
 * reminder moved to another list of the page (snoozed from Today to Upcoming) and so came back as
 * a new component without that state, a reminder that differs from what it was when the form was
 * sent. A refused form stays open with its errors. Without JavaScript the panel stays open with
 * the form's message, and its toggle closes it.
 */
export function CloseOnSave({ name, href, stamp }: { name: string; href: string; stamp: string }) {
  const router = useRouter();
  const state = useFormState();
  const { pending } = useFormStatus();
  useEffect(() => {
    if (pending) sent.set(name, stamp);
  }, [pending, name, stamp]);
  useEffect(() => {
    const before = sent.get(name);
    if (state.status === 'ok' || (before !== undefined && before !== stamp)) {
      sent.delete(name);
      closing = name;
      router.replace(href, { scroll: false });
    }
  }, [state, name, stamp, href, router]);
  return null;
}
