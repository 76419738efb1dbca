/** A reminder's panels, opened as folds of the page (`?open=snooze-12`); shared by the server item and its client buttons. */
export type Panel = 'snooze' | 'edit';

/** The fold name of a reminder's panel in the page's `?open=` list. */
export function panelName(panel: Panel, reminderId: number): string {
  return `${panel}-${reminderId}`;
}
