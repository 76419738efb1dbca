/** What every server action returns to its form (useActionState). Small and serialisable. */
export type ActionState = {
  status: 'idle' | 'error' | 'ok';
  /** A translated sentence for the form's live region. */
  message?: string;
  /** Translated errors, by field name, shown next to the field. */
  fieldErrors?: Record<string, string>;
  /** What the user typed, so that a refused form loses nothing. */
  values?: Record<string, string>;
  /** Hidden fields the answer replaces: after a conflict, the case's newer version, so that saving again is a choice. */
  hidden?: Record<string, string>;
  /** A page the message points to, opened in a new tab so that what was typed stays (after a conflict: the case as it is now). */
  link?: { href: string; label: string };
  /** A small result for the form to show (e.g. an invitation code, shown once). */
  data?: Record<string, string>;
  /** Changes on every answer, so the form re-mounts with the values above. */
  nonce?: number;
};

export const idleState: ActionState = { status: 'idle' };
